//! Paging long lists (queues, a customer's conversations) with keyset cursors.
//!
//! A page is at most [`MAX_PAGE_SIZE`] items; its cursor names the last item's sort key, and
//! the next page starts strictly after it. Unlike an offset, a keyset cursor neither skips nor
//! repeats items when new work arrives at the top of the list between two pages. Cursors are
//! opaque to the browser (hex of a small JSON document), bounded in length, and decoded only
//! into the key they describe: a forged cursor can only move the start of the viewer's own list.

use std::fmt;

use serde::{Serialize, de::DeserializeOwned};

/// Items per page when the caller does not say.
pub const DEFAULT_PAGE_SIZE: usize = 50;
/// The most items one page holds, whatever the caller asks for.
pub const MAX_PAGE_SIZE: usize = 200;
/// A cursor longer than this is refused before it is decoded.
pub const MAX_CURSOR_CHARS: usize = 8192;

/// The page size for a request: the default when unset, at least 1, at most the maximum.
pub fn page_size(requested: Option<u32>) -> usize {
    requested.map_or(DEFAULT_PAGE_SIZE, |n| {
        usize::try_from(n)
            .unwrap_or(MAX_PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE)
    })
}

/// A cursor that was not made by Baton for this list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadCursor;

impl fmt::Display for BadCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "This page position does not belong to this list. Load the list again from the start.",
        )
    }
}

impl std::error::Error for BadCursor {}

/// Encodes a key as an opaque cursor.
pub fn encode_cursor<T: Serialize>(key: &T) -> String {
    // Serialising plain data (numbers, strings, options) cannot fail.
    let json = serde_json::to_vec(key).unwrap_or_default();
    json.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes a cursor made by [`encode_cursor`].
pub fn decode_cursor<T: DeserializeOwned>(cursor: &str) -> Result<T, BadCursor> {
    if cursor.len() > MAX_CURSOR_CHARS || !cursor.len().is_multiple_of(2) {
        return Err(BadCursor);
    }
    let bytes = (0..cursor.len())
        .step_by(2)
        .map(|i| {
            cursor
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or(BadCursor)?;
    serde_json::from_slice(&bytes).map_err(|_| BadCursor)
}

/// Where the next page of a customer's conversations starts: after this conversation, in the
/// order newest first (`started_at` descending, then id descending).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProfileCursor {
    #[serde(rename = "s")]
    pub started_at: i64,
    #[serde(rename = "i")]
    pub id: String,
}

impl ProfileCursor {
    pub fn encode(&self) -> String {
        encode_cursor(self)
    }

    pub fn decode(cursor: &str) -> Result<ProfileCursor, BadCursor> {
        decode_cursor(cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_size_defaults_to_fifty_and_is_kept_between_one_and_two_hundred() {
        assert_eq!(page_size(None), 50);
        assert_eq!(page_size(Some(0)), 1);
        assert_eq!(page_size(Some(20)), 20);
        assert_eq!(page_size(Some(u32::MAX)), 200);
    }

    #[test]
    fn a_profile_cursor_survives_the_round_trip() {
        let cursor = ProfileCursor {
            started_at: 1_700_000_000_000,
            id: "c-\"odd\" id".into(),
        };
        assert_eq!(ProfileCursor::decode(&cursor.encode()), Ok(cursor));
    }

    #[test]
    fn a_cursor_that_is_not_hex_json_or_is_too_long_is_refused() {
        for bad in ["zz", "abc", "7b7d", &"a".repeat(MAX_CURSOR_CHARS + 2)] {
            assert_eq!(ProfileCursor::decode(bad), Err(BadCursor), "{bad:.20}");
        }
    }
}
