//! The customer's chat in their language: the words the server resolved from the translation
//! files (`locales/<language>/widget.ftl`) for the negotiated language, sent with the widget's
//! information. The browser only looks words up and puts names and numbers in their place, so
//! no translation machinery reaches the widget's download.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    /// The language's tag, for the page's `lang` ("de").
    pub lang: String,
    /// Written right to left (Arabic): the chat's `dir` is `rtl`.
    pub rtl: bool,
    /// Each message by its key; a message with a `{ $name }` placeable holds `{name}` there.
    pub messages: BTreeMap<String, String>,
}

impl Texts {
    /// The message `key`, or the key itself when the translation lacks it (a test makes sure
    /// every language has every key).
    pub fn get(&self, key: &str) -> String {
        self.messages
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The message `key` with its placeables filled: `("name", "Ada")` replaces `{name}`.
    pub fn with(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.get(key);
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    pub fn dir(&self) -> &'static str {
        if self.rtl { "rtl" } else { "ltr" }
    }
}
