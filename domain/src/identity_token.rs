//! When an embedding site's identity token (`Baton.identify(token)`, an HS256 JWT) may be used,
//! and until when its `jti` must be remembered so that a replay is refused.
//!
//! The signature is checked by `jsonwebtoken` in the backend; these are the time rules, on a
//! clock the caller passes in (unix seconds), so they are tested without waiting:
//! - `exp` is required and must not have passed (with [`LEEWAY_SECONDS`] for clock skew);
//! - `nbf`, when present, must have come (same leeway);
//! - a token may live at most [`MAX_LIFETIME_SECONDS`]: `exp` at most that far from now, and
//!   from `iat` when the token has one. A site mints a token per page view, so a day is ample;
//!   a token that leaked would otherwise sign its holder in for as long as it claims, and an
//!   absurd `exp` (`i64::MAX`) used to overflow the replay store's expiry and be accepted again.

use thiserror::Error;

/// Clock skew allowed between the embedding site and Baton.
pub const LEEWAY_SECONDS: u64 = 30;

/// The longest an identity token may be valid: 24 hours.
pub const MAX_LIFETIME_SECONDS: u64 = 24 * 60 * 60;

/// The time claims of a token, in unix seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenTimes {
    pub exp: u64,
    pub nbf: Option<u64>,
    pub iat: Option<u64>,
}

/// Why a token's times refuse it, in words the person in the widget can act on.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum TokenTimeRefusal {
    #[error("Your sign-in has expired. Reload the page to sign in again.")]
    Expired,
    #[error(
        "This site's sign-in is not valid yet. Reload the page in a moment; if it keeps happening, the site's clock may be wrong."
    )]
    NotYetValid,
    #[error(
        "This site's sign-in token is valid for more than 24 hours, which Baton does not accept. Reload the page; if it keeps happening, the site must issue tokens that expire sooner."
    )]
    LivesTooLong,
}

/// Checks a token's times at `now` (unix seconds). Accepted, it returns the unix milliseconds
/// until which its `jti` must be kept: as long as the token would still be accepted.
pub fn check_token_times(times: TokenTimes, now: u64) -> Result<i64, TokenTimeRefusal> {
    if times.exp.saturating_add(LEEWAY_SECONDS) < now {
        return Err(TokenTimeRefusal::Expired);
    }
    if times
        .nbf
        .is_some_and(|nbf| nbf > now.saturating_add(LEEWAY_SECONDS))
    {
        return Err(TokenTimeRefusal::NotYetValid);
    }
    let latest_exp = now
        .saturating_add(MAX_LIFETIME_SECONDS)
        .saturating_add(LEEWAY_SECONDS);
    let lifetime_from_iat = times.iat.map(|iat| times.exp.saturating_sub(iat));
    if times.exp > latest_exp || lifetime_from_iat.is_some_and(|l| l > MAX_LIFETIME_SECONDS) {
        return Err(TokenTimeRefusal::LivesTooLong);
    }
    Ok(remember_until_ms(times.exp))
}

/// `(exp + leeway)` in milliseconds, saturating instead of overflowing.
fn remember_until_ms(exp: u64) -> i64 {
    i64::try_from(exp.saturating_add(LEEWAY_SECONDS))
        .unwrap_or(i64::MAX)
        .saturating_mul(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000;

    fn times(exp: u64) -> TokenTimes {
        TokenTimes {
            exp,
            nbf: None,
            iat: None,
        }
    }

    #[test]
    fn a_token_for_the_next_hour_is_remembered_until_it_expires_with_the_leeway() {
        assert_eq!(
            check_token_times(times(NOW + 3600), NOW),
            Ok(((NOW + 3600 + LEEWAY_SECONDS) * 1000) as i64)
        );
    }

    #[test]
    fn expiry_and_not_before_allow_the_leeway_and_no_more() {
        assert!(check_token_times(times(NOW - LEEWAY_SECONDS), NOW).is_ok());
        assert_eq!(
            check_token_times(times(NOW - LEEWAY_SECONDS - 1), NOW),
            Err(TokenTimeRefusal::Expired)
        );
        let from = |nbf| TokenTimes {
            nbf: Some(nbf),
            ..times(NOW + 60)
        };
        assert!(check_token_times(from(NOW + LEEWAY_SECONDS), NOW).is_ok());
        assert_eq!(
            check_token_times(from(NOW + LEEWAY_SECONDS + 1), NOW),
            Err(TokenTimeRefusal::NotYetValid)
        );
    }

    #[test]
    fn a_token_living_longer_than_a_day_is_refused_whatever_its_numbers() {
        let latest = NOW + MAX_LIFETIME_SECONDS + LEEWAY_SECONDS;
        assert!(check_token_times(times(latest), NOW).is_ok());
        for exp in [latest + 1, NOW + 30 * 86_400, i64::MAX as u64, u64::MAX] {
            assert_eq!(
                check_token_times(times(exp), NOW),
                Err(TokenTimeRefusal::LivesTooLong),
                "exp {exp}"
            );
        }
        let issued = |iat| TokenTimes {
            iat: Some(iat),
            ..times(NOW + 3600)
        };
        assert!(check_token_times(issued(NOW), NOW).is_ok());
        assert_eq!(
            check_token_times(issued(NOW + 3600 - MAX_LIFETIME_SECONDS - 1), NOW),
            Err(TokenTimeRefusal::LivesTooLong)
        );
    }

    #[test]
    fn the_memory_of_a_token_never_overflows() {
        assert_eq!(remember_until_ms(u64::MAX), i64::MAX);
        assert_eq!(remember_until_ms(i64::MAX as u64), i64::MAX);
        assert_eq!(check_token_times(times(u64::MAX), u64::MAX), Ok(i64::MAX));
    }
}
