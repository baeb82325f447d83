//! Rate limits for what anyone may call without an account: sign-in, sign-up, and anonymous
//! chats (quotas from `backend::rates`, each a `BATON_*_RATE` setting).
//!
//! **Shared by every node.** The buckets are rows in the database (`backend::quotas`), so
//! several Baton nodes behind one proxy count the same attempts: a guesser gets the quota once,
//! not once per node. A row's key is a keyed hash of the caller, never an email or address, and
//! rows whose bucket is full again are swept.
//!
//! **Sign-in** is checked per client address (password spraying), then per account and address
//! (the strict one), then per account from all addresses (looser than what one address may send,
//! so nobody can lock a person out from the person's own address). Staff and customer accounts
//! are counted apart, so guesses on the customer sign-in never slow the staff sign-in down. The
//! email is validated first: invalid input never reaches a limiter or the database.
//!
//! **Client address**: see `crate::client` (the TCP peer, or what a trusted proxy forwarded; IPv6
//! by its /64, the block one subscriber gets); an unknown address is one shared bucket.

use std::{fmt, net::IpAddr, time::Duration};

use backend::{
    BackendError,
    quotas::{Quota, Quotas, Verdict},
    rates::{Rate, RateLimits},
};

use crate::AppError;

/// A refusal: what was refused (a sentence for the person) and when to try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooMany {
    pub what: &'static str,
    pub retry_after: Duration,
}

/// Why a request was not let through: over a quota, or the quotas could not be read.
#[derive(Debug)]
pub enum Refusal {
    TooMany(TooMany),
    Failed(BackendError),
}

impl Refusal {
    /// The quota refusal, when it was one.
    pub fn too_many(&self) -> Option<&TooMany> {
        match self {
            Refusal::TooMany(too_many) => Some(too_many),
            Refusal::Failed(_) => None,
        }
    }
}

impl From<BackendError> for Refusal {
    fn from(error: BackendError) -> Self {
        Refusal::Failed(error)
    }
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::TooMany(too_many) => too_many.into(),
            Refusal::Failed(error) => error.into(),
        }
    }
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

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Account::Staff => "staff",
            Account::Customer => "customer",
        })
    }
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

/// The text a bucket's key is hashed from: `203.0.113.7`, `2001:db8:1:2::/64`, `unknown`.
impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Client::Unknown => f.write_str("unknown"),
            Client::V4(octets) => write!(f, "{}", std::net::Ipv4Addr::from(*octets)),
            Client::V6(net) => {
                let mut octets = [0; 16];
                octets[..8].copy_from_slice(net);
                write!(f, "{}/64", std::net::Ipv6Addr::from(octets))
            }
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

/// The server's limiters: the quotas, counted in the database every node shares.
pub struct Limits {
    quotas: Quotas,
    rates: RateLimits,
}

impl Limits {
    pub fn new(quotas: Quotas, rates: &RateLimits) -> Self {
        Limits {
            quotas,
            rates: *rates,
        }
    }

    /// One sign-in attempt. `email` must be validated and normalised already
    /// (`backend::accounts::parse_email`).
    pub async fn sign_in(
        &self,
        account: Account,
        email: &str,
        from: Option<IpAddr>,
    ) -> Result<(), Refusal> {
        let client = Client::of(from).to_string();
        let account_and_address = format!("{account} {client} {email}");
        let account = format!("{account} {email}");
        self.check(&[
            (
                "sign_in_address",
                self.rates.sign_in_address,
                &client,
                SIGN_IN_ADDRESS,
            ),
            (
                "sign_in",
                self.rates.sign_in,
                &account_and_address,
                SIGN_IN_ACCOUNT,
            ),
            (
                "sign_in_account",
                self.rates.sign_in_account,
                &account,
                SIGN_IN_ACCOUNT,
            ),
        ])
        .await
    }

    /// One new customer account.
    pub async fn sign_up(&self, from: Option<IpAddr>) -> Result<(), Refusal> {
        let client = Client::of(from).to_string();
        self.check(&[
            ("sign_up", self.rates.sign_up, &client, SIGN_UP_ADDRESS),
            (
                "sign_up_global",
                self.rates.sign_up_global,
                "",
                SIGN_UP_GLOBAL,
            ),
        ])
        .await
    }

    /// A new anonymous visitor (a session gets a visitor id).
    pub async fn new_visitor(&self, from: Option<IpAddr>) -> Result<(), Refusal> {
        let client = Client::of(from).to_string();
        self.check(&[("visitor", self.rates.visitor, &client, VISITORS)])
            .await
    }

    /// A chat started by `chatter` (a customer's or a visitor's id); anonymous visitors are
    /// also limited per client address.
    pub async fn chat_start(
        &self,
        chatter: &str,
        anonymous: bool,
        from: Option<IpAddr>,
    ) -> Result<(), Refusal> {
        let who = if anonymous { "visitor" } else { "customer" };
        let chatter = format!("{who} {chatter}");
        if !anonymous {
            return self
                .check(&[("chat_start", self.rates.chat_start, &chatter, CHAT_STARTS)])
                .await;
        }
        let client = Client::of(from).to_string();
        self.check(&[
            ("chat_start", self.rates.chat_start, &chatter, CHAT_STARTS),
            ("visitor_start", self.rates.visitor_start, &client, VISITORS),
        ])
        .await
    }

    /// Buckets stored now, all limiters together.
    pub async fn buckets(&self) -> Result<u64, BackendError> {
        self.quotas.buckets().await
    }

    /// Counts the request against each quota in order (limiter, rate, caller, refusal text);
    /// the first one used up refuses it.
    async fn check(
        &self,
        checks: &[(&'static str, Rate, &str, &'static str)],
    ) -> Result<(), Refusal> {
        let quotas: Vec<Quota<'_>> = checks
            .iter()
            .map(|&(limiter, rate, caller, _)| Quota {
                limiter,
                rate,
                caller,
            })
            .collect();
        match self.quotas.take(&quotas).await? {
            Verdict::Allowed => Ok(()),
            Verdict::Refused { quota, retry_after } => Err(Refusal::TooMany(TooMany {
                what: checks[quota].3,
                retry_after,
            })),
        }
    }
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
    Ok(state.limits.chat_start(chatter, anonymous, from).await?)
}

#[cfg(test)]
mod tests;
