//! Customer accounts for the built-in support website: sign-up and sign-in with email and
//! password (SPEC R-CUST-2: chatting with a human needs a signed-in customer). Customers are
//! not members of any space and never sign in to the dashboard.

use crate::{
    accounts::{Accounts, authenticate_in, check_password_strength, hash_password, parse_email},
    db::Db,
    error::BackendError,
    store::users::{NewCustomer, insert_customer},
};

/// Checks a sign-up form without touching the database: the email (normalised, returned), the
/// name and the password. Run before any rate limit, so a mistyped form costs no attempt.
pub fn check_sign_up(
    email: &str,
    display_name: &str,
    password: &str,
) -> Result<String, BackendError> {
    let email = parse_email(email)?;
    let name = display_name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(BackendError::Invalid(
            "Enter your name (at most 100 characters).".into(),
        ));
    }
    check_password_strength(password)?;
    Ok(email)
}

/// Creates a customer account and returns its id; a taken email is a clear `Invalid` error.
pub async fn sign_up(
    db: &Db,
    email: &str,
    display_name: &str,
    password: &str,
) -> Result<String, BackendError> {
    let email = check_sign_up(email, display_name, password)?;
    let name = display_name.trim();
    let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM customers WHERE email = $1")
        .bind(&email)
        .fetch_optional(&db.pool)
        .await?;
    if taken.is_some() {
        return Err(BackendError::Invalid(format!(
            "{email} already has an account: sign in instead."
        )));
    }
    let hash = hash_password(password.to_string()).await?;
    let mut conn = db.pool.acquire().await?;
    let id = insert_customer(
        &mut conn,
        NewCustomer {
            email: Some(email.as_str()),
            display_name: name,
            password_hash: Some(hash.as_str()),
            external_id: None,
        },
    )
    .await?;
    Ok(id)
}

/// Returns the customer's id when the email and password match.
pub async fn authenticate(
    db: &Db,
    email: &str,
    password: &str,
) -> Result<Option<String>, BackendError> {
    authenticate_in(db, Accounts::Customers, email, password).await
}
