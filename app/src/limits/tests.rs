//! The limits' rules, over an in-memory database.

use std::net::Ipv4Addr;

use super::*;

fn rate(text: &str) -> Rate {
    Rate::parse(text).unwrap()
}

fn ip(text: &str) -> Option<IpAddr> {
    Some(text.parse().unwrap())
}

/// Limits over a fresh in-memory database.
async fn limits(rates: &RateLimits) -> Limits {
    let db = backend::Db::open("sqlite::memory:", 1).await.unwrap();
    Limits::new(Quotas::new(db), rates)
}

/// What refused the request, or `None` when it was let through.
fn refused(outcome: Result<(), Refusal>) -> Option<&'static str> {
    outcome
        .err()
        .map(|r| r.too_many().expect("a quota refusal").what)
}

#[test]
fn ipv6_addresses_count_by_their_slash_64_and_mapped_ipv4_as_ipv4() {
    assert_eq!(
        Client::of(ip("2001:db8:1:2::1")),
        Client::of(ip("2001:db8:1:2:ffff::9"))
    );
    assert_ne!(
        Client::of(ip("2001:db8:1:2::1")),
        Client::of(ip("2001:db8:1:3::1"))
    );
    assert_eq!(
        Client::of(Some(IpAddr::V6(
            Ipv4Addr::new(10, 0, 0, 1).to_ipv6_mapped()
        ))),
        Client::of(ip("10.0.0.1"))
    );
    assert_eq!(Client::of(None), Client::Unknown);
    assert_eq!(
        Client::of(ip("2001:db8:1:2::1")).to_string(),
        "2001:db8:1:2::/64"
    );
    assert_eq!(Client::of(ip("10.0.0.1")).to_string(), "10.0.0.1");
}

#[tokio::test]
async fn guesses_from_one_address_do_not_lock_the_person_out_from_their_own() {
    let limits = limits(&RateLimits::default()).await;
    let attacker = ip("203.0.113.7");
    let person = ip("198.51.100.20");
    let mut refused = 0;
    for _ in 0..200 {
        refused += usize::from(
            limits
                .sign_in(Account::Staff, "ada@example.com", attacker)
                .await
                .is_err(),
        );
    }
    assert_eq!(
        refused, 195,
        "the attacker gets the burst of 5, then nothing"
    );
    for _ in 0..5 {
        assert!(
            limits
                .sign_in(Account::Staff, "ada@example.com", person)
                .await
                .is_ok()
        );
    }
}

#[tokio::test]
async fn customer_sign_in_guesses_do_not_count_against_the_staff_sign_in() {
    let limits = limits(&RateLimits::default()).await;
    let from = ip("203.0.113.7");
    while limits
        .sign_in(Account::Customer, "ada@example.com", from)
        .await
        .is_ok()
    {}
    assert!(
        limits
            .sign_in(Account::Staff, "ada@example.com", from)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn one_address_spraying_many_emails_is_limited() {
    let limits = limits(&RateLimits::default()).await;
    let from = ip("203.0.113.7");
    let mut allowed = 0;
    for n in 0..100 {
        let email = format!("person{n}@example.com");
        allowed += usize::from(limits.sign_in(Account::Staff, &email, from).await.is_ok());
    }
    assert_eq!(allowed, 20);
    let refusal = limits
        .sign_in(Account::Staff, "someone@example.com", from)
        .await
        .unwrap_err();
    let refusal = refusal.too_many().unwrap();
    assert_eq!(refusal.what, SIGN_IN_ADDRESS);
    assert!(refusal.retry_after > Duration::ZERO);
}

#[tokio::test]
async fn an_account_guessed_from_many_addresses_is_limited_too() {
    let limits = limits(&RateLimits::default()).await;
    let mut allowed = 0;
    for n in 0..100u8 {
        let from = ip(&format!("203.0.113.{n}"));
        allowed += usize::from(
            limits
                .sign_in(Account::Staff, "ada@example.com", from)
                .await
                .is_ok(),
        );
    }
    assert_eq!(allowed, 20);
}

#[tokio::test]
async fn sign_ups_are_limited_per_address_and_overall() {
    let rates = RateLimits {
        sign_up: rate("3/h"),
        sign_up_global: rate("5/h"),
        ..RateLimits::default()
    };
    let limits = limits(&rates).await;
    let one = ip("203.0.113.7");
    for _ in 0..3 {
        assert_eq!(refused(limits.sign_up(one).await), None);
    }
    assert_eq!(refused(limits.sign_up(one).await), Some(SIGN_UP_ADDRESS));
    assert_eq!(refused(limits.sign_up(ip("203.0.113.8")).await), None);
    assert_eq!(refused(limits.sign_up(ip("203.0.113.9")).await), None);
    assert_eq!(
        refused(limits.sign_up(ip("203.0.113.10")).await),
        Some(SIGN_UP_GLOBAL)
    );
}

#[tokio::test]
async fn anonymous_chats_are_limited_per_address_and_per_session() {
    let rates = RateLimits {
        chat_start: rate("2/h"),
        visitor_start: rate("3/h"),
        ..RateLimits::default()
    };
    let limits = limits(&rates).await;
    let from = ip("203.0.113.7");
    let start = |visitor: &'static str| limits.chat_start(visitor, true, from);
    assert_eq!(refused(start("visitor-1").await), None);
    assert_eq!(refused(start("visitor-1").await), None);
    assert_eq!(refused(start("visitor-1").await), Some(CHAT_STARTS));
    // A fresh session per call does not escape the address's quota.
    assert_eq!(refused(start("visitor-2").await), None);
    assert_eq!(refused(start("visitor-3").await), Some(VISITORS));
    // A signed-in customer is limited per account only.
    assert_eq!(
        refused(limits.chat_start("customer-1", false, from).await),
        None
    );
}

#[test]
fn a_refusal_becomes_429_with_whole_seconds_to_wait() {
    let error = AppError::from(TooMany {
        what: SIGN_IN_ADDRESS,
        retry_after: Duration::from_millis(11_200),
    });
    assert_eq!(
        error,
        AppError::TooMany {
            message: format!("{SIGN_IN_ADDRESS} Please try again in 12 seconds."),
            retry_after_secs: 12
        }
    );
    assert_eq!(wait_in_words(1), "a second");
    assert_eq!(wait_in_words(60), "60 seconds");
    assert_eq!(wait_in_words(100), "2 minutes");
    assert_eq!(wait_in_words(3600), "60 minutes");
}
