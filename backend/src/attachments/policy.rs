//! The site's **Attachments** setting: the largest file and the file types a chat accepts.

use domain::attachments::{AttachmentPolicy, format_size, max_bytes_from_megabytes, parse_types};
use domain::roles::Setting;

use crate::store::{
    Actor,
    audit::{Audited, Change},
};
use crate::{db::Db, error::BackendError};

const SELECT: &str =
    "SELECT attachment_max_bytes, attachment_types FROM site_settings WHERE id = 1";

fn decode(row: Option<(i64, String)>) -> AttachmentPolicy {
    match row {
        Some((max, types)) => AttachmentPolicy {
            max_bytes: u64::try_from(max).unwrap_or_default(),
            types: parse_types(&types).unwrap_or_default(),
        },
        // Before the site exists nothing can be sent; the defaults are as good as any.
        None => AttachmentPolicy::default(),
    }
}

/// The setting as stored.
pub async fn policy(db: &Db) -> Result<AttachmentPolicy, BackendError> {
    Ok(decode(
        sqlx::query_as(SELECT).fetch_optional(&db.pool).await?,
    ))
}

/// Saves the setting (site admins; audited): the largest file in megabytes and the types as
/// the admin typed them.
pub async fn save_policy(
    db: &Db,
    actor: &Actor,
    max_megabytes: u64,
    types: &str,
) -> Result<AttachmentPolicy, BackendError> {
    // The role first: someone without it learns nothing, not even what the setting accepts.
    let mut change = Audited::begin(db, actor, Setting::Site).await?;
    let wanted = AttachmentPolicy {
        max_bytes: max_bytes_from_megabytes(max_megabytes).map_err(BackendError::Invalid)?,
        types: parse_types(types).map_err(BackendError::Invalid)?,
    };
    let current = decode(sqlx::query_as(SELECT).fetch_optional(change.tx()).await?);
    sqlx::query(
        "UPDATE site_settings SET attachment_max_bytes = $1, attachment_types = $2 WHERE id = 1",
    )
    .bind(i64::try_from(wanted.max_bytes).unwrap_or(i64::MAX))
    .bind(wanted.types.join(" "))
    .execute(change.tx())
    .await?;
    change.changed(Change::new(
        "Site",
        "Largest attachment",
        format_size(current.max_bytes),
        format_size(wanted.max_bytes),
    ));
    change.changed(Change::new(
        "Site",
        "Attachment types",
        current.types.join(", "),
        wanted.types.join(", "),
    ));
    change.commit().await?;
    Ok(wanted)
}
