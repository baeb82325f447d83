//! Staff members (agents and admins) and customer records: the one way each is created, and a
//! staff member's roles as an [`Actor`].

use std::collections::BTreeSet;

use domain::roles::{Setting, StaffRoles};

use crate::{
    accounts::{check_password_strength, hash_password, parse_email},
    clock::now_ms,
    db::Db,
    error::BackendError,
};

/// A staff member changing settings, with the roles they hold now.
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub roles: StaffRoles,
}

impl Actor {
    /// Loads the staff member's roles; an unknown id (a deleted account) may change nothing.
    pub async fn load(db: &Db, user: &str) -> Result<Actor, BackendError> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT display_name, site_admin FROM users WHERE id = $1")
                .bind(user)
                .fetch_optional(&db.pool)
                .await?;
        let Some((name, site_admin)) = row else {
            return Err(BackendError::Forbidden);
        };
        let spaces: Vec<(String,)> = sqlx::query_as(
            "SELECT space_id FROM space_members WHERE user_id = $1 AND role = 'space_admin'",
        )
        .bind(user)
        .fetch_all(&db.pool)
        .await?;
        let experiences: Vec<(String,)> =
            sqlx::query_as("SELECT experience_id FROM experience_admins WHERE user_id = $1")
                .bind(user)
                .fetch_all(&db.pool)
                .await?;
        Ok(Actor {
            id: user.to_string(),
            name,
            roles: StaffRoles {
                site_admin: site_admin != 0,
                space_admin_of: spaces.into_iter().map(|(s,)| s).collect::<BTreeSet<_>>(),
                experience_admin_of: experiences.into_iter().map(|(e,)| e).collect(),
            },
        })
    }

    /// Loads the actor and refuses unless they may change `setting`.
    pub async fn allowed(db: &Db, user: &str, setting: Setting<'_>) -> Result<Actor, BackendError> {
        let actor = Actor::load(db, user).await?;
        actor.require(setting)?;
        Ok(actor)
    }

    pub fn require(&self, setting: Setting<'_>) -> Result<(), BackendError> {
        if self.roles.may_change(setting) {
            Ok(())
        } else {
            tracing::info!(actor = %self.id, ?setting, "settings change refused: no role");
            Err(BackendError::Forbidden)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub site_admin: bool,
}

/// Creates a staff account and returns its id. A taken email is a clear `Invalid` error.
pub async fn create_staff(db: &Db, new: NewStaff) -> Result<String, BackendError> {
    let email = parse_email(&new.email)?;
    check_password_strength(&new.password)?;
    let name = new.display_name.trim();
    if name.is_empty() {
        return Err(BackendError::Invalid("The name must not be empty.".into()));
    }
    let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&db.pool)
        .await?;
    if taken.is_some() {
        return Err(BackendError::Invalid(format!(
            "An account for {email} already exists."
        )));
    }
    let hash = hash_password(new.password).await?;
    let mut tx = db.begin_write().await?;
    let id = insert_staff(&mut tx, &email, name, &hash, new.site_admin).await?;
    tx.commit().await?;
    Ok(id)
}

/// The one statement that creates a staff account (checked email, trimmed name, argon2 hash).
pub(crate) async fn insert_staff(
    tx: &mut sqlx::AnyConnection,
    email: &str,
    name: &str,
    hash: &str,
    site_admin: bool,
) -> Result<String, BackendError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, site_admin, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(email)
    .bind(name)
    .bind(hash)
    .bind(i64::from(site_admin))
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

pub async fn count_staff(db: &Db) -> Result<i64, BackendError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await?;
    Ok(n)
}

/// The id of the staff member with this (normalised) email, with their name.
pub async fn staff_by_email_in(
    conn: &mut sqlx::AnyConnection,
    email: &str,
) -> Result<Option<(String, String)>, BackendError> {
    Ok(
        sqlx::query_as("SELECT id, display_name FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// A staff member's email, empty for an unknown id.
pub async fn email_of_in(
    conn: &mut sqlx::AnyConnection,
    user: &str,
) -> Result<String, BackendError> {
    let email: Option<(String,)> = sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(email.map(|(e,)| e).unwrap_or_default())
}

/// First-admin set-up from the browser: creates the first site admin, only while the site has
/// no staff at all (checked in the write transaction, so two people cannot both succeed).
const ALREADY_SET_UP: &str = "Baton is already set up. Sign in, or ask a site admin to invite you.";

pub async fn create_first_admin(
    db: &Db,
    email: &str,
    name: &str,
    password: &str,
) -> Result<String, BackendError> {
    let email = parse_email(email)?;
    check_password_strength(password)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(BackendError::Invalid(
            "Enter your name (at most 100 characters).".into(),
        ));
    }
    // Refused before hashing: a set-up site must not spend a hash on every stranger's try.
    if count_staff(db).await? > 0 {
        return Err(BackendError::Invalid(ALREADY_SET_UP.into()));
    }
    let hash = hash_password(password.to_string()).await?;
    super::site::ensure_site(db, "Baton").await?;
    let mut tx = db.begin_write().await?;
    let (staff,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *tx)
        .await?;
    if staff > 0 {
        return Err(BackendError::Invalid(ALREADY_SET_UP.into()));
    }
    let id = insert_staff(&mut tx, &email, name, &hash, true).await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates a customer record without a password (sign-up with a password is
/// `customers::sign_up`; the embedding site's identity token is `widget::identify`) and returns
/// its id.
pub async fn create_customer(
    db: &Db,
    email: &str,
    display_name: &str,
) -> Result<String, BackendError> {
    let email = parse_email(email)?;
    let mut conn = db.pool.acquire().await?;
    insert_customer(
        &mut conn,
        NewCustomer {
            email: Some(email.as_str()),
            display_name: display_name.trim(),
            password_hash: None,
            external_id: None,
        },
    )
    .await
}

/// What a new customer record holds, already checked by the caller: a normalised email (none
/// when the embedding site sent none, or another customer holds it), the name as shown, the
/// argon2 hash of a sign-up's password, and the embedding site's id for its own user
/// (`experience:sub`, from an identity token).
#[derive(Debug, Clone, Copy)]
pub struct NewCustomer<'a> {
    pub email: Option<&'a str>,
    pub display_name: &'a str,
    pub password_hash: Option<&'a str>,
    pub external_id: Option<&'a str>,
}

/// The one statement that creates a customer record; returns its id. A taken email (or, from a
/// concurrent first sign-in on PostgreSQL, a taken external id) is a clear `Invalid` refusal.
pub(crate) async fn insert_customer(
    conn: &mut sqlx::AnyConnection,
    new: NewCustomer<'_>,
) -> Result<String, BackendError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO customers (id, email, display_name, password_hash, external_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(new.email)
    .bind(new.display_name)
    .bind(new.password_hash)
    .bind(new.external_id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        super::taken(e, || match new.email {
            Some(email) => format!("{email} already has an account: sign in instead."),
            None => "This account was created a moment ago. Reload the page to sign in.".into(),
        })
    })?;
    Ok(id)
}
