//! The customer's chat in their language: the words the server resolved from the translation
//! files (`locales/<language>/widget.ftl`) for the negotiated language, sent with the widget's
//! information. The browser only looks words up and puts names and numbers in their place, so
//! no translation machinery reaches the widget's download.
//!
//! The words travel as one text of `key=message` lines rather than a map: looking a key up in it
//! costs the widget a few instructions, where decoding a map would cost it kilobytes of code.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    /// The language's tag, for the page's `lang` ("de").
    pub lang: String,
    /// Written right to left (Arabic): the chat's `dir` is `rtl`.
    pub rtl: bool,
    /// One `key=message` line per message; a message with a `{ $name }` placeable holds `{name}`
    /// there. Messages are single lines.
    pub lines: String,
}

impl Texts {
    /// Builds the lines from `(key, message)` pairs; line breaks in a message become spaces.
    pub fn from_messages<'a>(
        lang: &str,
        rtl: bool,
        messages: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Texts {
        let lines = messages
            .into_iter()
            .map(|(key, message)| format!("{key}={}\n", message.replace(['\n', '\r'], " ")))
            .collect();
        Texts {
            lang: lang.to_string(),
            rtl,
            lines,
        }
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.lines
            .lines()
            .filter_map(|l| l.split_once('=').map(|(k, _)| k))
    }

    /// The message `key`, or the key itself when the translation lacks it (a test makes sure
    /// every language has every key).
    pub fn get(&self, key: &str) -> String {
        self.lines
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .unwrap_or(key)
            .to_string()
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

#[cfg(test)]
mod tests {
    use super::Texts;

    #[test]
    fn a_key_finds_its_own_line_not_one_it_is_the_start_of() {
        let texts = Texts::from_messages(
            "en",
            false,
            [
                ("send-rating", "Send rating"),
                ("send", "Send"),
                ("joined", "{name} joined\nnow"),
            ],
        );
        assert_eq!(texts.get("send"), "Send");
        assert_eq!(texts.get("send-rating"), "Send rating");
        assert_eq!(texts.with("joined", &[("name", "Ada")]), "Ada joined now");
        assert_eq!(texts.get("missing"), "missing");
        assert_eq!(
            texts.keys().collect::<Vec<_>>(),
            ["send-rating", "send", "joined"]
        );
    }
}
