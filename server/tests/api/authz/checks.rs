//! The forms too long for a table cell, and the checks on allowed answers: what each answer
//! may show to whom.

use serde_json::Value;

use super::roles::{Form, Site, Who, pairs};

pub fn site_form(s: &Site) -> Form {
    let v = &s.site_settings;
    let resolutions: Vec<&str> = v["resolutions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    pairs(&[
        ("name", v["name"].as_str().unwrap()),
        ("plan", v["plan"].as_str().unwrap()),
        ("max_conversations", &v["max_conversations"].to_string()),
        ("resolutions", &resolutions.join("\n")),
    ])
}

/// Baton Help's settings as they are: saving them changes nothing but proves the right.
pub fn experience_form(s: &Site) -> Form {
    let e = &s.help_settings;
    pairs(&[
        ("experience", &s.help_experience),
        ("name", &e.name),
        ("mode", e.mode.code()),
        ("website", &e.website.to_string()),
        ("embedded", &e.embedded.to_string()),
        ("space", e.space.as_deref().unwrap_or("")),
        ("fallback_message", &e.fallback_message),
        ("help_text", &e.help_text),
        ("allowed_domains", &e.allowed_domains.join("\n")),
    ])
}

/// A well-formed identity token for Baton Help whose signature is not the site's.
pub fn forged_token(who: Who) -> String {
    let header = base64url(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = format!(
        r#"{{"sub":"casey","exp":4102444800,"jti":"forged-{}","name":"Casey Customer"}}"#,
        who.slug()
    );
    format!(
        "{header}.{}.{}",
        base64url(claims.as_bytes()),
        base64url(&[7; 32])
    )
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

// Checks on allowed answers.

fn json(body: &str) -> Result<Value, String> {
    serde_json::from_str(body).map_err(|e| format!("not JSON ({e}): {body}"))
}

/// The rows of a list answer, or of a page's `rows`.
fn list(body: &str) -> Result<Vec<Value>, String> {
    let value = json(body)?;
    let rows = value.get("rows").cloned().unwrap_or(value);
    rows.as_array()
        .cloned()
        .ok_or_else(|| format!("not a list: {body}"))
}

pub fn names_the_caller(s: &Site, who: Who, body: &str) -> Result<(), String> {
    let expected = match s.actor(who).signed_in.as_ref() {
        None => {
            return if body.trim() == "null" {
                Ok(())
            } else {
                Err(format!("an outsider is someone: {body}"))
            };
        }
        Some(
            backend::sessions::SignedIn::Staff(id) | backend::sessions::SignedIn::Customer(id),
        ) => id,
    };
    if json(body)?["id"] == expected.as_str() {
        Ok(())
    } else {
        Err(format!("not the caller: {body}"))
    }
}

pub fn figures_only_for_staff(_: &Site, who: Who, body: &str) -> Result<(), String> {
    fn has_figures(value: &Value) -> bool {
        match value {
            Value::Object(map) => map.iter().any(|(key, v)| {
                (matches!(key.as_str(), "spaces" | "staff" | "conversations") && v.is_number())
                    || has_figures(v)
            }),
            Value::Array(items) => items.iter().any(has_figures),
            _ => false,
        }
    }
    let staff = matches!(
        who,
        Who::AgentIn | Who::AgentOut | Who::OtherSpaceAdmin | Who::SiteAdmin
    );
    if !staff && has_figures(&json(body)?) {
        return Err(format!("shows the site's figures: {body}"));
    }
    Ok(())
}

/// A transcript someone may read holds the customer's words (the leak search checks that the
/// customer's copy has no internal note).
pub fn transcript_holds_the_chat(_: &Site, _: Who, body: &str) -> Result<(), String> {
    let decoded = percent_encoding::percent_decode_str(body).decode_utf8_lossy();
    if decoded.contains(super::roles::PRIVATE_MESSAGE) && decoded.contains("Transcript: ") {
        Ok(())
    } else {
        Err(format!(
            "the transcript lacks the chat: {}",
            body.chars().take(240).collect::<String>()
        ))
    }
}

pub fn open_chat_only_for_its_customer(s: &Site, who: Who, body: &str) -> Result<(), String> {
    let open = json(body)?;
    match who {
        Who::Customer if open == s.live.as_str() => Ok(()),
        Who::Customer => Err(format!("the customer's open chat is missing: {body}")),
        _ if open.is_null() => Ok(()),
        _ => Err(format!("someone else's chat is open: {body}")),
    }
}

pub fn only_the_participant_finds_the_customer(
    _: &Site,
    who: Who,
    body: &str,
) -> Result<(), String> {
    let found = list(body)?.len();
    match (who, found) {
        (Who::AgentIn, 1) | (Who::AgentOut | Who::OtherSpaceAdmin | Who::SiteAdmin, 0) => Ok(()),
        _ => Err(format!("{found} rows match the hidden customer: {body}")),
    }
}

pub fn work_item_details_only_for_the_participant(
    s: &Site,
    who: Who,
    body: &str,
) -> Result<(), String> {
    let item = json(body)?;
    let readable = item["readable"] == true && item["conversation"] == s.live.as_str();
    let hidden =
        item["readable"] == false && item["customer"].is_null() && item["conversation"].is_null();
    if (who == Who::AgentIn && readable) || (who != Who::AgentIn && hidden) {
        Ok(())
    } else {
        Err(format!("details shown wrongly: {body}"))
    }
}

pub fn spaces_listed_only_to_their_admins(s: &Site, who: Who, body: &str) -> Result<(), String> {
    let ids: Vec<Value> = list(body)?.iter().map(|r| r["id"].clone()).collect();
    let ok = match who {
        Who::OtherSpaceAdmin => ids == [Value::from(s.other_space.as_str())],
        Who::SiteAdmin => ids.len() >= 2,
        _ => ids.is_empty(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("lists the wrong spaces: {body}"))
    }
}

pub fn experiences_listed_only_to_their_admins(
    _: &Site,
    who: Who,
    body: &str,
) -> Result<(), String> {
    let count = list(body)?.len();
    if (who == Who::SiteAdmin) == (count > 0) {
        Ok(())
    } else {
        Err(format!("lists the wrong experiences: {body}"))
    }
}

pub fn review_only_for_experience_admins(s: &Site, who: Who, body: &str) -> Result<(), String> {
    let rows = list(body)?;
    let sees_chat = rows.iter().any(|r| r["conversation"] == s.ai_chat.as_str());
    match (who, sees_chat, rows.is_empty()) {
        (Who::SiteAdmin, true, _)
        | (Who::AgentIn | Who::AgentOut | Who::OtherSpaceAdmin, false, true) => Ok(()),
        _ => Err(format!("review shows the wrong conversations: {body}")),
    }
}

/// The live operations view shows a space admin only their spaces: Sid's answer never names
/// Casey's conversation in the demo space.
pub fn live_view_in_scope(s: &Site, who: Who, body: &str) -> Result<(), String> {
    if who == Who::OtherSpaceAdmin && body.contains(&s.live) {
        return Err("the live view showed a space admin a conversation of another space".into());
    }
    Ok(())
}
