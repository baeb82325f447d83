//! The virtual clock's units and the configurable timer durations (SPEC R-TIME-*).
//!
//! Time is always passed in as an argument (`now`), never read, so every rule can be tested on a
//! virtual clock and deadlines can be stored as plain integers and re-armed after a restart.

use serde::{Deserialize, Serialize};

/// A duration in milliseconds.
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

/// A point in time as unix milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const fn from_millis(ms: i64) -> Self {
        Self(ms)
    }

    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// Saturating so that an absurd configured duration can never wrap a deadline into the past.
    pub const fn plus(self, duration: Millis) -> Self {
        Self(self.0.saturating_add(duration))
    }
}

/// The timer durations. The product ships with the SPEC values; tests and demos shorten them
/// through configuration (SPEC R-TIME-5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timers {
    /// How long an offered agent has to accept or decline (SPEC R-TIME-1).
    pub offer_timeout: Millis,
    /// How long a conversation may wait for an accept before the fallback (SPEC R-TIME-2).
    pub accept_deadline: Millis,
    /// Silence before both sides are warned (SPEC R-TIME-3).
    pub inactivity_warning: Millis,
    /// Further silence after the warning before the conversation ends (SPEC R-TIME-3).
    pub inactivity_grace: Millis,
    /// Hard cap on a conversation's length, counted from its start (SPEC R-TIME-4).
    pub max_duration: Millis,
}

impl Default for Timers {
    fn default() -> Self {
        Self {
            offer_timeout: 120 * SECOND,
            accept_deadline: 20 * MINUTE,
            inactivity_warning: 20 * MINUTE,
            inactivity_grace: 10 * MINUTE,
            max_duration: 24 * HOUR,
        }
    }
}

/// Parses a configured duration such as `120s`, `20m`, `24h`, `1500ms`, `2d` or `1h30m`.
///
/// A bare number is refused: `120` could mean seconds or milliseconds, and guessing wrong would
/// make an offer time out a thousand times too early or too late.
pub fn parse_duration(input: &str) -> Result<Millis, String> {
    let fail = |why: &str| {
        Err(format!(
            "invalid duration \"{input}\": {why} (use forms like 120s, 20m, 24h, 1500ms or 1h30m)"
        ))
    };
    let text = input.trim();
    if text.is_empty() {
        return fail("it is empty");
    }
    let mut rest = text;
    let mut total: Millis = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return fail("expected a number");
        }
        let Ok(amount) = rest[..digits].parse::<Millis>() else {
            return fail("the number is too large");
        };
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let factor = match &rest[..unit_len] {
            "ms" => 1,
            "s" => SECOND,
            "m" => MINUTE,
            "h" => HOUR,
            "d" => 24 * HOUR,
            "" => return fail("a unit (ms, s, m, h or d) must follow each number"),
            _ => return fail("unknown unit; use ms, s, m, h or d"),
        };
        rest = &rest[unit_len..];
        match amount
            .checked_mul(factor)
            .and_then(|part| total.checked_add(part))
        {
            Some(sum) => total = sum,
            None => return fail("the duration is too large"),
        }
    }
    if total == 0 {
        return fail("it must be longer than zero");
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    // SPEC R-TIME-1..4
    #[test]
    fn timers_default_to_the_spec_values() {
        let timers = Timers::default();
        assert_eq!(timers.offer_timeout, 120_000);
        assert_eq!(timers.accept_deadline, 20 * 60_000);
        assert_eq!(timers.inactivity_warning, 20 * 60_000);
        assert_eq!(timers.inactivity_grace, 10 * 60_000);
        assert_eq!(timers.max_duration, 24 * 3_600_000);
    }

    // SPEC R-TIME-5
    #[test]
    fn configured_durations_accept_the_usual_forms() {
        assert_eq!(parse_duration("120s"), Ok(120_000));
        assert_eq!(parse_duration("20m"), Ok(1_200_000));
        assert_eq!(parse_duration("24h"), Ok(86_400_000));
        assert_eq!(parse_duration("1500ms"), Ok(1_500));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration(" 2d "), Ok(172_800_000));
    }

    // SPEC R-TIME-5
    #[test]
    fn configured_durations_reject_ambiguous_or_broken_input_with_a_clear_message() {
        for bad in [
            "",
            "120",
            "m",
            "10x",
            "1.5s",
            "-5s",
            "0s",
            "99999999999999999999s",
        ] {
            let err = parse_duration(bad).expect_err(bad);
            assert!(err.contains("invalid duration"), "{err}");
            assert!(
                err.contains("120s"),
                "the message shows a valid example: {err}"
            );
        }
        assert!(parse_duration("120").unwrap_err().contains("unit"));
    }
}
