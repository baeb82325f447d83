//! Identity tokens from the embedding site (`Baton.identify`, issue 15 item 9) against SQLite
//! and PostgreSQL: an absurd `exp` used to overflow the replay store's expiry (the token could
//! then be replayed), `nbf` was ignored, and a token could live for ever. Now a token lives at
//! most a day, is not used before its `nbf`, and is good exactly once.

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use backend::{Db, demo, store::experiences};
use domain::CustomerId;
use serde_json::{Value, json};

conformance!(
    a_token_with_an_absurd_expiry_is_refused_and_stays_refused,
    a_token_before_its_not_before_time_is_refused_and_after_it_signs_in,
    a_token_lives_at_most_a_day_and_a_normal_one_signs_in_once,
);

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The demo widget's identity secret, after seeding.
async fn secret(db: &Db) -> String {
    demo::seed_if_empty(db).await.unwrap();
    experiences::by_key(db, demo::DEMO_WIDGET_KEY)
        .await
        .unwrap()
        .identity_secret
}

fn sign(secret: &str, claims: Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn identify(db: &Db, token: &str) -> Result<CustomerId, String> {
    backend::widget::identify(db, demo::DEMO_WIDGET_KEY, token)
        .await
        .map_err(|e| match e {
            backend::BackendError::Invalid(message) => message,
            other => panic!("expected a refusal the widget can show, got {other:?}"),
        })
}

async fn customers_named(db: &Db, sub: &str) -> i64 {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM customers WHERE external_id LIKE $1")
            .bind(format!("%:{sub}"))
            .fetch_one(&db.pool)
            .await
            .unwrap();
    count
}

async fn a_token_with_an_absurd_expiry_is_refused_and_stays_refused(db: &Db) {
    let secret = secret(db).await;
    for (n, exp) in [i64::MAX, i64::MAX / 1000 + 1, 9_300_000_000_000_000]
        .into_iter()
        .enumerate()
    {
        let token = sign(
            &secret,
            json!({ "sub": "mallory", "exp": exp, "jti": format!("forever-{n}") }),
        );
        for attempt in ["first", "replay", "after the store was swept"] {
            let refusal = identify(db, &token).await.expect_err(attempt);
            assert!(
                refusal.contains("valid for more than 24 hours"),
                "{attempt}: {refusal}"
            );
        }
    }
    let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM identity_tokens")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        stored, 0,
        "a refused token leaves nothing to sweep or overflow"
    );
    assert_eq!(customers_named(db, "mallory").await, 0);
}

async fn a_token_before_its_not_before_time_is_refused_and_after_it_signs_in(db: &Db) {
    let secret = secret(db).await;
    let early = sign(
        &secret,
        json!({ "sub": "nora", "nbf": now() + 3600, "exp": now() + 7200, "jti": "early" }),
    );
    let refusal = identify(db, &early).await.unwrap_err();
    assert!(refusal.contains("not valid yet"), "{refusal}");
    assert_eq!(customers_named(db, "nora").await, 0);

    let within_leeway = sign(
        &secret,
        json!({ "sub": "nora", "nbf": now() + 10, "exp": now() + 600, "jti": "skewed" }),
    );
    identify(db, &within_leeway)
        .await
        .expect("a clock a few seconds ahead is tolerated");
    let replay = identify(db, &within_leeway).await.unwrap_err();
    assert!(replay.contains("already used"), "{replay}");
}

async fn a_token_lives_at_most_a_day_and_a_normal_one_signs_in_once(db: &Db) {
    let secret = secret(db).await;
    let month = sign(
        &secret,
        json!({ "sub": "olga", "exp": now() + 30 * 86_400, "jti": "month" }),
    );
    let refusal = identify(db, &month).await.unwrap_err();
    assert!(
        refusal.contains("valid for more than 24 hours"),
        "{refusal}"
    );
    let issued_long_ago = sign(
        &secret,
        json!({ "sub": "olga", "iat": now() - 2 * 86_400, "exp": now() + 3600, "jti": "old" }),
    );
    let refusal = identify(db, &issued_long_ago).await.unwrap_err();
    assert!(
        refusal.contains("valid for more than 24 hours"),
        "{refusal}"
    );
    assert_eq!(customers_named(db, "olga").await, 0);

    let exp = now() + 23 * 3600;
    let normal = sign(
        &secret,
        json!({ "sub": "olga", "iat": now(), "exp": exp, "jti": "today" }),
    );
    identify(db, &normal).await.expect("a token for today");
    let (until,): (i64,) =
        sqlx::query_as("SELECT expires_at FROM identity_tokens WHERE jti = 'today'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        until,
        (exp + 30) * 1000,
        "kept while the token would be accepted"
    );
    let replay = identify(db, &normal).await.unwrap_err();
    assert!(replay.contains("already used"), "{replay}");
    assert_eq!(customers_named(db, "olga").await, 1);
}
