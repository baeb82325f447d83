//! The audit log page (site admins only). Entries are written by `store::audit`.

use domain::{roles::Setting, views::settings::AuditEntry};

use crate::{db::Db, error::BackendError, store::Actor};

/// The newest entries first. Site admins only.
pub async fn list(db: &Db, actor: &Actor, limit: i64) -> Result<Vec<AuditEntry>, BackendError> {
    actor.require(Setting::Site)?;
    crate::store::audit::newest(db, limit).await
}
