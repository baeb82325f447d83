//! Staff accounts (agents and admins): creation and password checks.
//!
//! Passwords are hashed with argon2id at OWASP's minimum (19 MiB, t=2, p=1). Hashing runs on the
//! blocking pool behind a one-permit semaphore so a burst of sign-ins cannot take both cores.

use std::sync::{Arc, LazyLock};

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};
use rand_core::OsRng;
use tokio::sync::Semaphore;

use crate::{clock::now_ms, db::Db, error::BackendError};

static HASHING: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(1)));

fn hasher() -> Argon2<'static> {
    let params =
        Params::new(19 * 1024, 2, 1, None).expect("argon2 parameters are constant and valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string.
pub async fn hash_password(password: String) -> Result<String, BackendError> {
    let _permit = HASHING
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| BackendError::Invalid("shutting down".into()))?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| BackendError::Corrupt(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| BackendError::Corrupt(format!("hashing task failed: {e}")))?
}

/// Checks a password against a stored PHC string.
pub async fn verify_password(password: String, phc: String) -> bool {
    let Ok(_permit) = HASHING.clone().acquire_owned().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc)
            .map(|parsed| {
                hasher()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A validated email address: trimmed, lower-cased, one `@` with text on both sides.
pub fn parse_email(raw: &str) -> Result<String, BackendError> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split('@').count() == 2
        && email.split('@').all(|part| !part.is_empty())
        && email
            .rsplit('@')
            .next()
            .is_some_and(|domain| domain.contains('.'))
        && !email.chars().any(char::is_whitespace);
    if valid {
        Ok(email)
    } else {
        Err(BackendError::Invalid(format!(
            "{:?} is not an email address",
            raw.trim()
        )))
    }
}

/// Passwords: at least 8 characters, at most 256 (argon2 input stays bounded).
pub fn check_password_strength(password: &str) -> Result<(), BackendError> {
    match password.chars().count() {
        0..=7 => Err(BackendError::Invalid(
            "The password must have at least 8 characters.".into(),
        )),
        257.. => Err(BackendError::Invalid(
            "The password must have at most 256 characters.".into(),
        )),
        _ => Ok(()),
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
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, site_admin, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(&email)
    .bind(name)
    .bind(&hash)
    .bind(i64::from(new.site_admin))
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// Whose accounts a sign-in is checked against.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Accounts {
    Staff,
    Customers,
}

/// Returns the account id when the email and password match (staff and customers alike).
pub(crate) async fn authenticate_in(
    db: &Db,
    accounts: Accounts,
    email: &str,
    password: &str,
) -> Result<Option<String>, BackendError> {
    let Ok(email) = parse_email(email) else {
        return Ok(None);
    };
    let sql = match accounts {
        Accounts::Staff => "SELECT id, password_hash FROM users WHERE email = $1",
        Accounts::Customers => "SELECT id, password_hash FROM customers WHERE email = $1",
    };
    let row: Option<(String, Option<String>)> = sqlx::query_as(sql)
        .bind(&email)
        .fetch_optional(&db.pool)
        .await?;
    match row {
        Some((id, Some(hash))) if verify_password(password.to_string(), hash.clone()).await => {
            Ok(Some(id))
        }
        _ => Ok(None),
    }
}

/// Returns the staff member's id when the email and password match.
pub async fn authenticate(
    db: &Db,
    email: &str,
    password: &str,
) -> Result<Option<String>, BackendError> {
    authenticate_in(db, Accounts::Staff, email, password).await
}

pub async fn count_staff(db: &Db) -> Result<i64, BackendError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_nonsense_is_refused() {
        assert_eq!(
            parse_email("  Ada@Example.COM ").unwrap(),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "a b@example.com",
            "ada@example",
        ] {
            assert!(parse_email(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn short_passwords_are_refused_with_the_reason() {
        let err = check_password_strength("short").unwrap_err().to_string();
        assert!(err.contains("at least 8"));
        assert!(check_password_strength("long enough").is_ok());
    }

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse".into(), hash.clone()).await);
        assert!(!verify_password("wrong horse".into(), hash).await);
    }
}
