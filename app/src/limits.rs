//! Rate limits for what anyone may call without an account: sign-in, sign-up, and anonymous
//! chats (quotas from `backend::rates`, each a `BATON_*_RATE` setting).
//!
//! **Bounded memory.** Every limiter is a governor keyed limiter whose keys are 64-bit keyed
//! hashes (a random key per limiter), never the caller's text: a key costs the same for any
//! input. Stale keys are swept (`retain_recent` + `shrink_to_fit`) every minute, and every
//! second while a limiter is half full. When a limiter holds `cap / 2` keys (an attack from many
//! addresses), new keys share `cap / 2` buckets instead of adding one each, so a limiter never
//! holds more than `cap` keys ([`MAX_KEYS`] in the server).
//!
//! **Sign-in** is checked per client address (password spraying), then per account and address
//! (the strict one), then per account from all addresses (looser than what one address may send,
//! so nobody can lock a person out from the person's own address). Staff and customer accounts
//! are counted apart, so guesses on the customer sign-in never slow the staff sign-in down. The
//! email is validated first: invalid input never reaches a limiter or the database.
//!
//! **Client address**: the TCP peer (IPv6 by its /64, the block one subscriber gets); an unknown
//! address is one shared bucket. `X-Forwarded-For` is not trusted.

mod bounded;

use std::{net::IpAddr, time::Duration};

use backend::rates::RateLimits;

use crate::AppError;
pub use bounded::Bounded;

/// The most keys one limiter holds.
pub const MAX_KEYS: usize = 10_000;

/// A refusal: what was refused (a sentence for the person) and when to try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooMany {
    pub what: &'static str,
    pub retry_after: Duration,
}

impl From<TooMany> for AppError {
    /// 429 with a `Retry-After` in whole seconds (at least 1).
    fn from(refusal: TooMany) -> Self {
        let secs = (refusal.retry_after.as_secs()
            + u64::from(refusal.retry_after.subsec_nanos() > 0))
        .max(1);
        AppError::TooMany {
            message: format!(
                "{} Please try again in {}.",
                refusal.what,
                wait_in_words(secs)
            ),
            retry_after_secs: secs,
        }
        .with_status()
    }
}

/// "12 seconds", "a minute", "4 minutes" (rounded up), for a wait.
fn wait_in_words(secs: u64) -> String {
    match secs {
        0..=1 => "a second".into(),
        2..=99 => format!("{secs} seconds"),
        _ => match secs.div_ceil(60) {
            1 => "a minute".into(),
            minutes => format!("{minutes} minutes"),
        },
    }
}

/// Whose sign-in: staff and customer accounts are separate and limited apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Account {
    Staff,
    Customer,
}

/// A client address as limits see it: IPv4 as is (also when mapped into IPv6), IPv6 by its /64
/// (one subscriber's block), and one shared bucket for an unknown address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    Unknown,
    V4([u8; 4]),
    V6([u8; 8]),
}

impl Client {
    pub fn of(address: Option<IpAddr>) -> Client {
        match address {
            None => Client::Unknown,
            Some(IpAddr::V4(v4)) => Client::V4(v4.octets()),
            Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => Client::V4(v4.octets()),
                None => {
                    let octets = v6.octets();
                    let mut net = [0; 8];
                    net.copy_from_slice(&octets[..8]);
                    Client::V6(net)
                }
            },
        }
    }
}

const SIGN_IN_ACCOUNT: &str =
    "Too many sign-in attempts for this email. Check the address and password.";
const SIGN_IN_ADDRESS: &str = "Too many sign-in attempts from your network.";
const SIGN_UP_ADDRESS: &str = "Too many new accounts from your network.";
const SIGN_UP_GLOBAL: &str = "Too many new accounts are being made just now.";
const VISITORS: &str = "Too many new chats from your network.";
const CHAT_STARTS: &str = "You have started many chats in a short time.";

/// The server's limiters (one set per running server, in `AppState`).
pub struct Limits {
    sign_in: Bounded,
    sign_in_account: Bounded,
    sign_in_address: Bounded,
    sign_up: Bounded,
    sign_up_global: Bounded,
    visitors: Bounded,
    visitor_starts: Bounded,
    chat_starts: Bounded,
}

impl Limits {
    pub fn new(rates: &RateLimits) -> Self {
        Limits::with_cap(rates, MAX_KEYS)
    }

    /// With another bound on each limiter's keys (tests use a small one).
    pub fn with_cap(rates: &RateLimits, cap: usize) -> Self {
        Limits {
            sign_in: Bounded::new(rates.sign_in, cap),
            sign_in_account: Bounded::new(rates.sign_in_account, cap),
            sign_in_address: Bounded::new(rates.sign_in_address, cap),
            sign_up: Bounded::new(rates.sign_up, cap),
            sign_up_global: Bounded::new(rates.sign_up_global, cap),
            visitors: Bounded::new(rates.visitor, cap),
            visitor_starts: Bounded::new(rates.visitor_start, cap),
            chat_starts: Bounded::new(rates.chat_start, cap),
        }
    }

    /// One sign-in attempt. `email` must be validated and normalised already
    /// (`backend::accounts::parse_email`).
    pub fn sign_in(
        &self,
        account: Account,
        email: &str,
        from: Option<IpAddr>,
    ) -> Result<(), TooMany> {
        let client = Client::of(from);
        refuse(self.sign_in_address.check(client), SIGN_IN_ADDRESS)?;
        refuse(
            self.sign_in.check((account, email, client)),
            SIGN_IN_ACCOUNT,
        )?;
        refuse(
            self.sign_in_account.check((account, email)),
            SIGN_IN_ACCOUNT,
        )
    }

    /// One new customer account.
    pub fn sign_up(&self, from: Option<IpAddr>) -> Result<(), TooMany> {
        refuse(self.sign_up.check(Client::of(from)), SIGN_UP_ADDRESS)?;
        refuse(self.sign_up_global.check(()), SIGN_UP_GLOBAL)
    }

    /// A new anonymous visitor (a session gets a visitor id).
    pub fn new_visitor(&self, from: Option<IpAddr>) -> Result<(), TooMany> {
        refuse(self.visitors.check(Client::of(from)), VISITORS)
    }

    /// A chat started by `chatter` (a customer's or a visitor's id); anonymous visitors are
    /// also limited per client address.
    pub fn chat_start(
        &self,
        chatter: &str,
        anonymous: bool,
        from: Option<IpAddr>,
    ) -> Result<(), TooMany> {
        refuse(self.chat_starts.check((anonymous, chatter)), CHAT_STARTS)?;
        if anonymous {
            refuse(self.visitor_starts.check(Client::of(from)), VISITORS)?;
        }
        Ok(())
    }

    /// Keys held by all limiters together.
    pub fn len(&self) -> usize {
        [
            &self.sign_in,
            &self.sign_in_account,
            &self.sign_in_address,
            &self.sign_up,
            &self.sign_up_global,
            &self.visitors,
            &self.visitor_starts,
            &self.chat_starts,
        ]
        .iter()
        .map(|limiter| limiter.len())
        .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn refuse(outcome: Result<(), Duration>, what: &'static str) -> Result<(), TooMany> {
    outcome.map_err(|retry_after| TooMany { what, retry_after })
}

/// Limits a chat start for the caller of a server function (429 when over).
pub async fn chat_start(
    state: &crate::state::AppState,
    who: &backend::widget::Chatter,
) -> Result<(), AppError> {
    let (chatter, anonymous) = match (&who.customer, &who.visitor) {
        (Some(customer), _) => (customer.as_str(), false),
        (None, Some(visitor)) => (visitor.as_str(), true),
        (None, None) => return Ok(()),
    };
    let from = crate::client::client_address().await;
    Ok(state.limits.chat_start(chatter, anonymous, from)?)
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use backend::rates::Rate;

    use super::*;

    fn rate(text: &str) -> Rate {
        Rate::parse(text).unwrap()
    }

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
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
    }

    #[test]
    fn guesses_from_one_address_do_not_lock_the_person_out_from_their_own() {
        let limits = Limits::new(&RateLimits::default());
        let attacker = ip("203.0.113.7");
        let person = ip("198.51.100.20");
        let mut refused = 0;
        for _ in 0..200 {
            refused += usize::from(
                limits
                    .sign_in(Account::Staff, "ada@example.com", attacker)
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
                    .is_ok()
            );
        }
    }

    #[test]
    fn customer_sign_in_guesses_do_not_count_against_the_staff_sign_in() {
        let limits = Limits::new(&RateLimits::default());
        let from = ip("203.0.113.7");
        while limits
            .sign_in(Account::Customer, "ada@example.com", from)
            .is_ok()
        {}
        assert_eq!(
            limits.sign_in(Account::Staff, "ada@example.com", from),
            Ok(())
        );
    }

    #[test]
    fn one_address_spraying_many_emails_is_limited() {
        let limits = Limits::new(&RateLimits::default());
        let from = ip("203.0.113.7");
        let allowed = (0..100)
            .filter(|n| {
                limits
                    .sign_in(Account::Staff, &format!("person{n}@example.com"), from)
                    .is_ok()
            })
            .count();
        assert_eq!(allowed, 20);
        let refusal = limits
            .sign_in(Account::Staff, "someone@example.com", from)
            .unwrap_err();
        assert_eq!(refusal.what, SIGN_IN_ADDRESS);
        assert!(refusal.retry_after > Duration::ZERO);
    }

    #[test]
    fn an_account_guessed_from_many_addresses_is_limited_too() {
        let limits = Limits::new(&RateLimits::default());
        let allowed = (0..100u8)
            .filter(|n| {
                limits
                    .sign_in(
                        Account::Staff,
                        "ada@example.com",
                        ip(&format!("203.0.113.{n}")),
                    )
                    .is_ok()
            })
            .count();
        assert_eq!(allowed, 20);
    }

    #[test]
    fn sign_ups_are_limited_per_address_and_overall() {
        let rates = RateLimits {
            sign_up: rate("3/h"),
            sign_up_global: rate("5/h"),
            ..RateLimits::default()
        };
        let limits = Limits::new(&rates);
        let one = ip("203.0.113.7");
        assert!((0..3).all(|_| limits.sign_up(one).is_ok()));
        assert_eq!(limits.sign_up(one).unwrap_err().what, SIGN_UP_ADDRESS);
        assert!(limits.sign_up(ip("203.0.113.8")).is_ok());
        assert!(limits.sign_up(ip("203.0.113.9")).is_ok());
        assert_eq!(
            limits.sign_up(ip("203.0.113.10")).unwrap_err().what,
            SIGN_UP_GLOBAL
        );
    }

    #[test]
    fn anonymous_chats_are_limited_per_address_and_per_session() {
        let rates = RateLimits {
            chat_start: rate("2/h"),
            visitor_start: rate("3/h"),
            ..RateLimits::default()
        };
        let limits = Limits::new(&rates);
        let from = ip("203.0.113.7");
        assert!(limits.chat_start("visitor-1", true, from).is_ok());
        assert!(limits.chat_start("visitor-1", true, from).is_ok());
        assert_eq!(
            limits.chat_start("visitor-1", true, from).unwrap_err().what,
            CHAT_STARTS
        );
        // A fresh session per call does not escape the address's quota.
        assert!(limits.chat_start("visitor-2", true, from).is_ok());
        assert_eq!(
            limits.chat_start("visitor-3", true, from).unwrap_err().what,
            VISITORS
        );
        // A signed-in customer is limited per account only.
        assert!(limits.chat_start("customer-1", false, from).is_ok());
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
}
