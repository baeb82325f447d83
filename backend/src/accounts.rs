//! Staff accounts (agents and admins): creation and password checks.
//!
//! Passwords are hashed with argon2id at OWASP's minimum (19 MiB, t=2, p=1). Hashing runs on the
//! blocking pool behind a one-permit semaphore so a burst of sign-ins cannot take both cores.
//! New hashes (sign-ups, invitations, new staff) first queue in a line of their own, so at most
//! one of them at a time waits for that permit: a sign-in waits behind at most one new hash
//! however many sign-ups arrive together, and hashing still takes at most one core.
//!
//! A sign-in for an email without an account (or without a password) is checked against a
//! dummy hash with the same parameters, so the answer takes as long as for a wrong password and
//! its timing does not tell whether the account exists.

use std::sync::{Arc, LazyLock};

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};
use rand_core::OsRng;
use tokio::sync::Semaphore;

use crate::{db::Db, error::BackendError};

/// One argon2 computation at a time.
static HASHING: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(1)));
/// The line new hashes wait in before they may wait for [`HASHING`].
static NEW_HASHES: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(1)));

/// An argon2id hash of a random password nobody knows, with the same parameters as every new
/// hash (a test checks they agree): verified when there is no account, so that takes as long.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$3gl15vCjNnRbzh/KneRBfw$8+S9LN7EgH5h7ru23DNTEn3wbGzTUU+zxAHU3WCn5HI";

fn hasher() -> Argon2<'static> {
    let params =
        Params::new(19 * 1024, 2, 1, None).expect("argon2 parameters are constant and valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string.
pub async fn hash_password(password: String) -> Result<String, BackendError> {
    let _in_line = NEW_HASHES
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| BackendError::Invalid("shutting down".into()))?;
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

/// The longest email address (RFC 5321's path limit).
pub const MAX_EMAIL_BYTES: usize = 254;

/// A validated email address: trimmed, lower-cased, one `@` with text on both sides, at most
/// [`MAX_EMAIL_BYTES`]. A longer input is refused before anything is copied, and never echoed.
pub fn parse_email(raw: &str) -> Result<String, BackendError> {
    let trimmed = raw.trim();
    if trimmed.len() > MAX_EMAIL_BYTES {
        return Err(BackendError::Invalid(format!(
            "That email address is too long: an email address has at most {MAX_EMAIL_BYTES} \
             characters. Check it and try again."
        )));
    }
    let email = trimmed.to_lowercase();
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

/// The longest password (argon2 input stays bounded); longer sign-in attempts are refused
/// without hashing, as no account can have one.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Passwords: at least 8 characters, at most [`MAX_PASSWORD_CHARS`].
pub fn check_password_strength(password: &str) -> Result<(), BackendError> {
    match password.chars().count() {
        0..=7 => Err(BackendError::Invalid(
            "The password must have at least 8 characters.".into(),
        )),
        n if n > MAX_PASSWORD_CHARS => Err(BackendError::Invalid(
            "The password must have at most 256 characters.".into(),
        )),
        _ => Ok(()),
    }
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
        Some((id, Some(hash))) => Ok(verify_password(password.to_string(), hash)
            .await
            .then_some(id)),
        // No account (or no password yet): spend the same time as a wrong password would.
        _ => {
            verify_password(password.to_string(), DUMMY_HASH.to_string()).await;
            Ok(None)
        }
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
    fn an_overlong_email_is_refused_without_being_echoed() {
        let huge = format!("{}@example.com", "a".repeat(1_500_000));
        let message = parse_email(&huge).unwrap_err().to_string();
        assert!(message.contains("at most 254"), "{message}");
        assert!(message.len() < 200, "the refusal must not echo the input");
        let longest = format!("{}@example.com", "a".repeat(MAX_EMAIL_BYTES - 12));
        assert_eq!(parse_email(&longest).unwrap().len(), MAX_EMAIL_BYTES);
    }

    #[test]
    fn the_dummy_hash_has_the_parameters_of_a_real_one() {
        let dummy = PasswordHash::new(DUMMY_HASH).expect("the dummy hash parses");
        assert_eq!(dummy.algorithm.as_str(), "argon2id");
        let (dummy, real) = (Params::try_from(&dummy).unwrap(), hasher().params().clone());
        assert_eq!(
            (dummy.m_cost(), dummy.t_cost(), dummy.p_cost()),
            (real.m_cost(), real.t_cost(), real.p_cost())
        );
    }

    #[tokio::test]
    async fn the_dummy_hash_matches_no_password() {
        for guess in ["", "password", "baton-demo", "a long password"] {
            assert!(!verify_password(guess.into(), DUMMY_HASH.into()).await);
        }
    }

    #[tokio::test]
    async fn a_sign_in_waits_behind_at_most_one_new_hash() {
        // A burst of new hashes (sign-ups) queues in its own line: a verification that arrives
        // after them waits for the one being computed, not for all of them.
        use std::sync::atomic::{AtomicUsize, Ordering};
        let finished = Arc::new(AtomicUsize::new(0));
        let burst: Vec<_> = (0..6)
            .map(|i| {
                let finished = finished.clone();
                tokio::spawn(async move {
                    hash_password(format!("sign-up number {i}")).await.unwrap();
                    finished.fetch_add(1, Ordering::SeqCst);
                })
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;

        verify_password("guess".into(), DUMMY_HASH.into()).await;
        let sign_ups_before = finished.load(Ordering::SeqCst);

        for hash in burst {
            hash.await.unwrap();
        }
        assert!(
            sign_ups_before <= 2,
            "the sign-in waited for {sign_ups_before} of 6 sign-ups"
        );
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
