//! Identifier newtypes. Ids are always minted by the caller (the storage layer generates
//! UUIDv7s), so the domain stays free of randomness and can replay any history exactly.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self::new(id)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }
    };
}

id_type!(
    /// A support agent (a person in one or more spaces).
    AgentId
);
id_type!(
    /// A space: a support team's workspace that live chat routes to.
    SpaceId
);
id_type!(
    /// One chat thread; it keeps its id across the AI-to-human handoff.
    ConversationId
);
id_type!(
    /// A signed-in customer.
    CustomerId
);
id_type!(
    /// An anonymous visitor chatting with the AI agent before signing in (SPEC R-CUST-2 lets
    /// AI-only chat be anonymous). A random id kept in their session; it reads only its own
    /// conversations.
    VisitorId
);
