//! The Fallback message's links: plain text split into text and `http(s)://` links.

use serde::{Deserialize, Serialize};

/// A piece of a Fallback message: plain text or a link. Messages are plain text; links are
/// found, never written as HTML, so nothing an admin types can run in a customer's browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Piece {
    Text(String),
    Link(String),
}

/// Splits plain text into text and `http(s)://` links. A trailing full stop or bracket
/// belongs to the sentence, not to the link.
pub fn linkify(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = find_link_start(rest) {
        if start > 0 {
            pieces.push(Piece::Text(rest[..start].to_string()));
        }
        let tail = &rest[start..];
        let mut end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        while end > 0 && tail[..end].ends_with(['.', ',', ')', ';', ':', '!', '?']) {
            end -= 1;
        }
        pieces.push(Piece::Link(tail[..end].to_string()));
        rest = &tail[end..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_string()));
    }
    pieces
}

fn find_link_start(text: &str) -> Option<usize> {
    let http = text.find("http://");
    let https = text.find("https://");
    match (http, https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
    .filter(|&at| {
        // "https://" alone is not a link.
        let tail = &text[at..];
        let scheme = if tail.starts_with("https://") { 8 } else { 7 };
        tail[scheme..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_messages_are_text_with_links_found_not_written_as_html() {
        assert_eq!(
            linkify("Mail us <b>now</b> or see https://help.example.com/contact."),
            vec![
                Piece::Text("Mail us <b>now</b> or see ".into()),
                Piece::Link("https://help.example.com/contact".into()),
                Piece::Text(".".into()),
            ]
        );
        assert_eq!(linkify("no links"), vec![Piece::Text("no links".into())]);
        assert_eq!(
            linkify("https:// alone"),
            vec![Piece::Text("https:// alone".into())]
        );
    }
}
