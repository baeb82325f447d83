//! Request quotas for sign-in, sign-up and anonymous chat (the settings; the limiters that apply
//! them are in `app::limits`). A quota is written `COUNT/PERIOD`, for example `5/min` or
//! `30/h`: COUNT requests at once, then one more every PERIOD / COUNT.

use std::{fmt, time::Duration};

/// COUNT requests in a burst, refilled evenly over PERIOD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub per: Duration,
}

impl Rate {
    /// Parses `COUNT/PERIOD`: `5/min`, `30/h`, `10/15m` (periods as humantime reads them).
    pub fn parse(text: &str) -> Result<Rate, String> {
        let (count, period) = text
            .split_once('/')
            .ok_or_else(|| "write it as COUNT/PERIOD, such as 5/min or 30/h".to_string())?;
        let count: u32 = count
            .trim()
            .parse()
            .map_err(|_| format!("{:?} is not a whole number", count.trim()))?;
        if count == 0 {
            return Err("the count must be at least 1".into());
        }
        let period = period.trim();
        // "min" alone means one minute.
        let period = if period.starts_with(|c: char| c.is_ascii_digit()) {
            period.to_string()
        } else {
            format!("1{period}")
        };
        let per = humantime::parse_duration(&period).map_err(|e| format!("{period:?}: {e}"))?;
        if per.is_zero() {
            return Err("the period must be longer than zero".into());
        }
        Ok(Rate { count, per })
    }

    /// How often one request is given back: PERIOD / COUNT (never zero).
    pub fn refill_every(&self) -> Duration {
        (self.per / self.count).max(Duration::from_nanos(1))
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.count, humantime::format_duration(self.per))
    }
}

/// Every quota the limiters apply. Defaults fit a person (and an office behind one address) and
/// stop scripts; each is a `BATON_*` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Sign-in attempts for one account (staff and customer accounts apart) from one client
    /// address: the strict one, which a guesser meets first.
    pub sign_in: Rate,
    /// Sign-in attempts for one account from all addresses together: looser, so one address
    /// alone cannot use it up and lock the person out everywhere.
    pub sign_in_account: Rate,
    /// Sign-in attempts from one client address, all accounts together (password spraying).
    pub sign_in_address: Rate,
    /// New customer accounts from one client address.
    pub sign_up: Rate,
    /// New customer accounts from everywhere together.
    pub sign_up_global: Rate,
    /// New anonymous visitors (sessions with a visitor id) from one client address.
    pub visitor: Rate,
    /// Chats anonymous visitors start from one client address.
    pub visitor_start: Rate,
    /// Chats one visitor session or one customer starts.
    pub chat_start: Rate,
}

/// The shipped quotas, as text (the form settings take).
pub const DEFAULT_SIGN_IN: &str = "5/min";
pub const DEFAULT_SIGN_IN_ACCOUNT: &str = "20/min";
pub const DEFAULT_SIGN_IN_ADDRESS: &str = "20/min";
pub const DEFAULT_SIGN_UP: &str = "30/h";
pub const DEFAULT_SIGN_UP_GLOBAL: &str = "60/min";
pub const DEFAULT_VISITOR: &str = "60/h";
pub const DEFAULT_VISITOR_START: &str = "30/h";
pub const DEFAULT_CHAT_START: &str = "10/h";

impl Default for RateLimits {
    fn default() -> Self {
        let rate = |text: &str| Rate::parse(text).expect("default quotas are valid");
        RateLimits {
            sign_in: rate(DEFAULT_SIGN_IN),
            sign_in_account: rate(DEFAULT_SIGN_IN_ACCOUNT),
            sign_in_address: rate(DEFAULT_SIGN_IN_ADDRESS),
            sign_up: rate(DEFAULT_SIGN_UP),
            sign_up_global: rate(DEFAULT_SIGN_UP_GLOBAL),
            visitor: rate(DEFAULT_VISITOR),
            visitor_start: rate(DEFAULT_VISITOR_START),
            chat_start: rate(DEFAULT_CHAT_START),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_read_as_a_count_over_a_period() {
        assert_eq!(
            Rate::parse("5/min").unwrap(),
            Rate {
                count: 5,
                per: Duration::from_secs(60)
            }
        );
        assert_eq!(
            Rate::parse(" 30 / h ").unwrap().per,
            Duration::from_secs(3600)
        );
        assert_eq!(Rate::parse("10/15m").unwrap().per, Duration::from_secs(900));
        assert_eq!(
            Rate::parse("5/min").unwrap().refill_every(),
            Duration::from_secs(12)
        );
    }

    #[test]
    fn a_malformed_quota_is_refused_with_the_reason() {
        for (bad, reason) in [
            ("5", "COUNT/PERIOD"),
            ("0/min", "at least 1"),
            ("five/min", "whole number"),
            ("5/soon", "soon"),
            ("5/0s", "longer than zero"),
        ] {
            let error = Rate::parse(bad).unwrap_err();
            assert!(error.contains(reason), "{bad:?}: {error}");
        }
    }

    #[test]
    fn the_per_account_sign_in_quota_outlasts_what_one_address_may_send() {
        // One address alone must not be able to use up the account's quota (and so lock the
        // person out from their own address): its own quota refills slower.
        let limits = RateLimits::default();
        assert!(limits.sign_in.refill_every() > limits.sign_in_account.refill_every());
        assert!(limits.sign_in.count < limits.sign_in_account.count);
    }
}
