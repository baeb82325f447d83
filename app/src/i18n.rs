//! The customer's chat in their language. The server sends the words (see `backend::i18n`)
//! with the widget's information; the customer's chat provides them as a context, and the
//! components look them up here. The team's dashboard, which shares the thread and the
//! transcript button with the customer, provides none and keeps its English.

use domain::views::texts::Texts;
use leptos::prelude::*;

/// Looks words up in the context at each use (views draw under the component's owner, which
/// sees the context). Holds nothing, so any closure can copy it; no stored value per component
/// also keeps the widget's code smaller.
#[derive(Clone, Copy)]
pub struct Words;

impl Words {
    pub fn here() -> Words {
        Words
    }

    fn texts() -> Option<Texts> {
        use_context::<Texts>()
    }

    /// The customer's words for `key`. Used where only the customer's chat draws.
    pub fn get(&self, key: &str) -> String {
        Self::texts().map_or_else(|| key.to_string(), |t| t.get(key))
    }

    /// The customer's words for `key` with its placeables filled.
    pub fn with(&self, key: &str, args: &[(&str, &str)]) -> String {
        Self::texts().map_or_else(|| key.to_string(), |t| t.with(key, args))
    }

    /// The customer's words for `key`, or `english` on the team's dashboard.
    pub fn or(&self, key: &str, english: &str) -> String {
        Self::texts().map_or_else(|| english.to_string(), |t| t.get(key))
    }

    /// As [`Words::or`], with placeables: `english` holds `{name}` where the name goes.
    pub fn or_with(&self, key: &str, english: &str, args: &[(&str, &str)]) -> String {
        match Self::texts() {
            Some(t) => t.with(key, args),
            None => args
                .iter()
                .fold(english.to_string(), |text, (name, value)| {
                    text.replace(&format!("{{{name}}}"), value)
                }),
        }
    }
}
