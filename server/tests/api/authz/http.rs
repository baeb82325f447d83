//! Runs the server-function table: each row's refusals first (each must change no table), then
//! its allowed calls; every answer is searched for the secrets its reader may not see.

use super::digest::{Fingerprint, changed};
use super::roles::{Site, Who};
use super::table::{Outcome, Row, rows};

pub async fn run(site: &Site, fingerprint: &Fingerprint, failures: &mut Vec<String>) {
    let db = site.app.server_db();
    for row in rows() {
        let refused = Who::ALL
            .into_iter()
            .filter(|w| row.expect[*w as usize] != Outcome::Allow);
        let allowed = Who::ALL
            .into_iter()
            .filter(|w| row.expect[*w as usize] == Outcome::Allow);
        let mut before = fingerprint.take(db).await;
        for who in refused {
            let Outcome::Deny(status) = row.expect[who as usize] else {
                unreachable!()
            };
            let cell = cell(&row, who);
            let (got, body) = call(site, &row, who).await;
            if got != status {
                failures.push(format!(
                    "{cell}: expected {status}, got {got}: {}",
                    short(&body)
                ));
            } else if let Some(problem) = wrong_error(status, &body) {
                failures.push(format!("{cell}: {problem}"));
            }
            leaks(site, who, &cell, &body, failures);
            let after = fingerprint.take(db).await;
            let tables = changed(&before, &after);
            if !tables.is_empty() {
                failures.push(format!(
                    "{cell}: refused, yet changed {}",
                    tables.join(", ")
                ));
            }
            before = after;
        }
        for who in allowed {
            let cell = cell(&row, who);
            let (got, body) = call(site, &row, who).await;
            if got != 200 {
                failures.push(format!("{cell}: expected 200, got {got}: {}", short(&body)));
                continue;
            }
            leaks(site, who, &cell, &body, failures);
            if let Some(check) = row.check
                && let Err(problem) = check(site, who, &body)
            {
                failures.push(format!("{cell}: {}", short(&problem)));
            }
        }
    }
}

fn cell(row: &Row, who: Who) -> String {
    match row.about {
        "" => format!("{} × {}", row.endpoint, who.label()),
        about => format!("{} ({about}) × {}", row.endpoint, who.label()),
    }
}

async fn call(site: &Site, row: &Row, who: Who) -> (u16, String) {
    let session = match row.fresh_session {
        true => site.fresh_session(who).await,
        false => None,
    };
    let form = (row.form)(site, who);
    let reply = site
        .call(who, session.as_deref(), row.endpoint, &form)
        .await;
    (reply.status, reply.body)
}

/// A refusal carries the error code of its status, so the page can say the right thing.
fn wrong_error(status: u16, body: &str) -> Option<String> {
    let code = match status {
        403 => "Forbidden",
        404 => "NotFound",
        _ => "Invalid",
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return Some(format!(
            "status {status} without an error answer: {}",
            short(body)
        ));
    };
    (value["code"] != code)
        .then(|| format!("status {status} with the wrong error: {}", short(body)))
}

fn leaks(site: &Site, who: Who, cell: &str, body: &str, failures: &mut Vec<String>) {
    // A transcript travels percent-encoded in a data: URL; a secret is searched for there too.
    let decoded = percent_encoding::percent_decode_str(body).decode_utf8_lossy();
    for secret in site.hidden_from(who) {
        if body.contains(&secret.value) || decoded.contains(&secret.value) {
            failures.push(format!("{cell}: shows {}", secret.label));
        }
    }
}

fn short(text: &str) -> String {
    let mut short: String = text.chars().take(240).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}
