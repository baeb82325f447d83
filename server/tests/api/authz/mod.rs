//! The authorisation matrix (issue 15): every server function and every websocket frame type
//! × outsider, customer, other customer, participating agent, non-participating agent, space
//! admin of another space and site admin → allowed or refused, as written in one table for
//! server functions (`table.rs`) and one for frames (`frames.rs`). A new server function or
//! frame type cannot ship without its row: the completeness tests below read the sources.
//!
//! One server, the seven people set up once (`roles.rs`), every cell run in turn. A refusal
//! must have its exact status and error code and change no table (`digest.rs`); no answer may
//! show a reader a secret that is not theirs (SPEC R-VIEW-3). All disagreeing cells are listed
//! together when the test fails.

mod checks;
mod digest;
mod frames;
mod http;
mod roles;
mod setup;
mod table;

use std::collections::BTreeSet;
use std::path::Path;

use crate::helpers::spawn_app;

// SPEC R-VIEW-3, R-VIEW-5, R-VIEW-6, R-CUST-2, R-ROUTE-9, R-SPACE-4; issue 15 items 4, 7, 8, 10.
#[tokio::test]
async fn every_server_function_and_frame_type_answers_each_role_as_the_matrix_says() {
    let site = setup::set_up(spawn_app().await).await;
    let fingerprint = digest::Fingerprint::new(site.app.server_db()).await;
    let mut failures = Vec::new();

    let sockets = frames::run(&site, &fingerprint, &mut failures).await;
    http::run(&site, &fingerprint, &mut failures).await;

    drop(sockets);
    site.app.stop().await;
    assert!(
        failures.is_empty(),
        "{} cells of the authorisation matrix disagree:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn every_server_function_has_a_row_in_the_matrix() {
    let declared = endpoints_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src"));
    assert!(
        declared.len() > 50,
        "the scan of app/src found only {declared:?}"
    );
    let rows = table::rows();
    let covered: BTreeSet<String> = rows.iter().map(|r| r.endpoint.to_string()).collect();

    let missing: Vec<_> = declared.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&declared).collect();

    assert!(
        missing.is_empty(),
        "server functions without a row in server/tests/api/authz/table.rs: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for server functions that no longer exist: {stale:?}"
    );
}

#[test]
fn every_client_frame_type_has_a_row_in_the_matrix() {
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../domain/src/protocol.rs"),
    )
    .unwrap();
    let declared = client_frame_tags(&source);
    assert!(
        declared.len() >= 6,
        "the scan of protocol.rs found only {declared:?}"
    );
    let conversation = domain::ConversationId::new("c");
    let sampled: BTreeSet<String> = frames::samples(&conversation, roles::Who::Customer)
        .iter()
        .map(frames::tag)
        .collect();

    assert_eq!(
        declared, sampled,
        "every ClientFrame variant needs a sample in frames.rs"
    );
}

/// The `endpoint = "..."` of every `#[server(...)]` under `dir`.
fn endpoints_in(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(endpoints_in(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            for line in source
                .lines()
                .filter(|l| l.trim_start().starts_with("#[server("))
            {
                let (_, rest) = line
                    .split_once("endpoint = \"")
                    .unwrap_or_else(|| panic!("a server function without an endpoint: {line}"));
                found.insert(rest.split('"').next().unwrap().to_string());
            }
        }
    }
    found
}

/// The serde tags of the variants of `pub enum ClientFrame` in protocol.rs.
fn client_frame_tags(source: &str) -> BTreeSet<String> {
    let body = source
        .split_once("pub enum ClientFrame {")
        .expect("ClientFrame is declared")
        .1
        .split("\n}")
        .next()
        .unwrap();
    body.lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("     "))
        .map(str::trim)
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|l| {
            let name: String = l.chars().take_while(char::is_ascii_alphanumeric).collect();
            let mut tag = String::new();
            for (i, c) in name.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    tag.push('_');
                }
                tag.push(c.to_ascii_lowercase());
            }
            tag
        })
        .collect()
}
