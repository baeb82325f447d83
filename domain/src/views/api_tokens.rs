//! The API tokens settings page: tokens a site admin made for the REST API, each acting for
//! one staff member with that person's access (SPEC R-VIEW-3 holds for a token as for them).

use serde::{Deserialize, Serialize};

/// What a token may do: read only, or also write (availability, messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApiScope {
    Read,
    ReadWrite,
}

impl ApiScope {
    pub const ALL: [ApiScope; 2] = [ApiScope::Read, ApiScope::ReadWrite];

    pub fn code(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::ReadWrite => "read_write",
        }
    }

    pub fn from_code(code: &str) -> Option<ApiScope> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Read => "Read",
            Self::ReadWrite => "Read and write",
        }
    }

    pub fn may_write(self) -> bool {
        self == Self::ReadWrite
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenView {
    pub id: String,
    pub name: String,
    /// The staff member the token acts for.
    pub acts_for: String,
    pub acts_for_name: String,
    pub scope: ApiScope,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A new token with its secret value: shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub token: ApiTokenView,
    pub secret: String,
}
