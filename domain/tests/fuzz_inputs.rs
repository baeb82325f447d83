//! Fuzz-style property tests of the two parsers that read text from anyone signed in (issue 15):
//! the queue filter language (`POST /api/agent/queue`, saved queues) and websocket client
//! frames. Whatever arrives, they return in bounded time with a value or an error; they never
//! panic, never exhaust the stack, and errors point inside the text they were given.
//!
//! Time is measured with `Instant` only as a guard against pathological backtracking: a slow
//! case is measured again and the fastest run counts, so a busy machine does not fail the test.

use std::time::{Duration, Instant};

use domain::protocol::{ClientFrame, MAX_CLIENT_ID_CHARS, MAX_FRAME_BYTES, parse_client_frame};
use domain::queue::{MAX_FILTER_CHARS, QueueFilter, WorkItemFacts};
use proptest::prelude::*;

/// Far above what any input takes (well under a millisecond in a debug build).
const TIME_LIMIT: Duration = Duration::from_millis(50);

/// Runs `f`, and if it took longer than the limit, twice more; returns the result and the
/// fastest time.
fn timed<T>(mut f: impl FnMut() -> T) -> (T, Duration) {
    let start = Instant::now();
    let mut result = f();
    let mut fastest = start.elapsed();
    for _ in 0..2 {
        if fastest <= TIME_LIMIT {
            break;
        }
        let start = Instant::now();
        result = f();
        fastest = fastest.min(start.elapsed());
    }
    (result, fastest)
}

fn item() -> WorkItemFacts {
    WorkItemFacts {
        work_type: "Conversation".into(),
        status: "Active".into(),
        assignee: Some(("Ada Lovelace".into(), "ada@example.com".into())),
        created: 1_700_000_000_000,
        space: "Customer Support".into(),
        customer: Some(("Casey".into(), Some("casey@example.com".into()))),
    }
}

/// Parses a filter the way the server does, then uses the result: evaluate, sort, drop.
fn check_filter(query: &str) -> Result<(), TestCaseError> {
    let (result, took) = timed(|| QueueFilter::parse(query));
    prop_assert!(
        took <= TIME_LIMIT,
        "{took:?} for a filter of {} characters",
        query.chars().count()
    );
    match result {
        Ok(filter) => {
            let mut items = vec![item(), item()];
            let _ = filter.matches(&items[0]);
            filter.sort(&mut items, |i| i);
        }
        Err(e) => {
            let chars = query.chars().count();
            prop_assert!(e.position <= chars, "position {} of {chars}", e.position);
            prop_assert!(!e.message.is_empty());
            prop_assert!(e.query.chars().count() <= MAX_FILTER_CHARS);
            prop_assert!(e.query.chars().count() >= e.position);
        }
    }
    Ok(())
}

/// Pieces of the filter language and things near it, to build inputs that get past the first
/// token and into the grammar's recursion, lists, quotes and ORDER BY. (Picked by index: cheap
/// to generate, so the cases go to the parser rather than to the generator.)
const FILTER_TOKENS: &[&str] = &[
    "(",
    "(",
    "(",
    ")",
    ")",
    "NOT",
    "NOT",
    "not",
    "AND",
    "and",
    "OR",
    "IN",
    "NOT IN",
    "=",
    "=",
    "!=",
    ",",
    ",",
    "\"",
    "'",
    "ORDER BY",
    "ORDER",
    "BY",
    "ASC",
    "DESC",
    "EMPTY",
    "type",
    "status",
    "assignee",
    "created",
    "space",
    "customer",
    "colour",
    "TYPE",
    "Bug",
    "Active",
    "ada@example.com",
    "x.y-z_+1",
    "\"Waiting for agent\"",
    "'Zoë'",
    "\"unclosed",
    "2026-11-22",
    "2026-13-40",
    "-1-1-1",
    "ORDERS",
    "notes",
    "é",
    "🦀",
    "\u{0}",
    "\\",
    "\u{202e}",
    "!",
    "==",
];

const SEPARATORS: &[&str] = &[" ", " ", " ", "", "\n", "\t", "  "];

fn token_soup(max_tokens: usize) -> impl Strategy<Value = String> {
    prop::collection::vec((0..FILTER_TOKENS.len(), 0..SEPARATORS.len()), 0..max_tokens).prop_map(
        |parts| {
            parts
                .into_iter()
                .map(|(token, sep)| format!("{}{}", FILTER_TOKENS[token], SEPARATORS[sep]))
                .collect()
        },
    )
}

/// A well-formed filter, nested up to `depth` levels.
fn valid_filter() -> impl Strategy<Value = String> {
    let clause = (
        prop::sample::select(vec!["type", "status", "space", "assignee", "customer"]),
        prop::sample::select(vec!["=", "!=", "IN", "NOT IN"]),
        "[a-zA-Z]{1,8}",
    )
        .prop_map(|(field, op, value)| match op {
            "IN" | "NOT IN" => format!("{field} {op} ({value}, \"{value} x\")"),
            _ => format!("{field} {op} {value}"),
        });
    clause.prop_recursive(40, 200, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| format!("NOT {e}")),
            inner.clone().prop_map(|e| format!("({e})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("{a} AND {b}")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_filter_parser_survives_any_text(
        chars in prop::collection::vec(any::<char>(), 0..2_100),
    ) {
        check_filter(&chars.into_iter().collect::<String>())?;
    }

    #[test]
    fn the_filter_parser_survives_near_grammar_token_soup(query in token_soup(600)) {
        check_filter(&query)?;
    }

    #[test]
    fn the_filter_parser_survives_long_runs_of_opening_tokens(
        token in prop::sample::select(vec!["(", "NOT ", "NOT (", "( NOT ", "status IN (", "\""]),
        count in 0usize..3_000,
        tail in token_soup(20),
    ) {
        check_filter(&format!("{}{tail}", token.repeat(count)))?;
    }

    #[test]
    fn well_formed_filters_parse_or_are_refused_only_for_their_size(query in valid_filter()) {
        match QueueFilter::parse(&query) {
            Ok(_) => {}
            Err(e) => prop_assert!(
                e.message.contains("levels deep") || e.message.contains("longer than"),
                "{query}: {e}"
            ),
        }
        check_filter(&query)?;
    }
}

/// Parses a frame the way the socket does; any frame accepted is well-formed and round-trips.
fn check_frame(text: &str) -> Result<(), TestCaseError> {
    let (result, took) = timed(|| parse_client_frame(text));
    prop_assert!(
        took <= TIME_LIMIT,
        "{took:?} for a frame of {} bytes",
        text.len()
    );
    match result {
        Ok(frame) => {
            if let ClientFrame::Send { client_id, .. } = &frame {
                prop_assert!(!client_id.trim().is_empty());
                prop_assert!(client_id.chars().count() <= MAX_CLIENT_ID_CHARS);
            }
            let again = serde_json::to_string(&frame).unwrap();
            prop_assert_eq!(parse_client_frame(&again), Ok(frame));
        }
        Err(message) => prop_assert!(!message.is_empty()),
    }
    Ok(())
}

const JSON_TOKENS: &[&str] = &[
    "{",
    "{",
    "}",
    "[",
    "[",
    "]",
    ":",
    ":",
    ",",
    ",",
    "\"type\"",
    "\"type\"",
    "\"send\"",
    "\"resume\"",
    "\"ack\"",
    "\"typing\"",
    "\"ping\"",
    "\"unsubscribe\"",
    "\"conversation\"",
    "\"client_id\"",
    "\"body\"",
    "\"seq\"",
    "\"last_seq\"",
    "null",
    "true",
    "false",
    "-0",
    "0",
    "1",
    "-1",
    "1.5",
    "1e999",
    "9223372036854775807",
    "18446744073709551616",
    "-9223372036854775809",
    "\"\"",
    "\"c1\"",
    "\"\\u0041\"",
    "\"\\ud800\"",
    "\"a\\\"b\"",
    "\"\\x\"",
    "\"é\"",
    "\"",
    " ",
    "\u{0}",
    "🦀",
];

/// JSON values of any shape, to put in a frame's fields: wrong types, nesting, odd numbers.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,80}".prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn frame_type() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(vec!["resume", "unsubscribe", "send", "typing", "ack", "ping"])
            .prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn frames_of_any_text_are_answered_without_panicking(
        chars in prop::collection::vec(any::<char>(), 0..4_000),
    ) {
        check_frame(&chars.into_iter().collect::<String>())?;
    }

    #[test]
    fn frames_of_any_bytes_are_answered_without_panicking(
        bytes in prop::collection::vec(any::<u8>(), 0..4000),
    ) {
        check_frame(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn frames_of_json_token_soup_are_answered_without_panicking(
        tokens in prop::collection::vec(0..JSON_TOKENS.len(), 0..400),
    ) {
        let text: String = tokens.into_iter().map(|t| JSON_TOKENS[t]).collect();
        check_frame(&text)?;
    }

    #[test]
    fn frames_with_known_types_and_fields_of_any_type_are_answered_without_panicking(
        kind in frame_type(),
        fields in prop::collection::btree_map(
            prop::sample::select(vec![
                "conversation", "client_id", "body", "seq", "last_seq", "typing", "type", "extra",
            ]),
            json_value(),
            0..6,
        ),
    ) {
        let mut object = serde_json::Map::new();
        object.insert("type".into(), kind.into());
        for (name, value) in fields {
            object.insert(name.into(), value);
        }
        check_frame(&serde_json::Value::Object(object).to_string())?;
    }
}

fn nested(open: &str, close: &str, depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn a_frame_of_100000_opening_brackets_is_refused_by_its_size_before_it_is_read() {
    let err = parse_client_frame(&"[".repeat(100_000)).unwrap_err();

    assert!(err.contains(&MAX_FRAME_BYTES.to_string()), "{err}");
}

#[test]
fn deep_nesting_that_fits_in_a_frame_stops_at_the_json_recursion_limit() {
    let depth = MAX_FRAME_BYTES / 2 - 100;
    // At the top level the first element must name the frame type: refused at once.
    for frame in [
        "[".repeat(MAX_FRAME_BYTES - 1),
        nested("[", "]", depth, "1"),
    ] {
        let err = parse_client_frame(&frame).unwrap_err();
        assert!(err.contains("not a known message"), "{err}");
    }
    // Nesting inside a field is buffered by serde until serde_json's recursion limit stops it.
    let frames = [
        "{\"a\":".repeat(MAX_FRAME_BYTES / 5 - 1),
        format!(
            r#"{{"type":"send","conversation":"c1","client_id":"m1","body":{}}}"#,
            nested("[", "]", depth - 50, "\"x\"")
        ),
        format!(
            r#"{{"type":"resume","conversation":{},"last_seq":1}}"#,
            nested("{\"a\":", "}", MAX_FRAME_BYTES / 7, "1")
        ),
        format!(
            r#"{{"extra":{},"type":"ping"}}"#,
            nested("[", "]", depth - 20, "0")
        ),
    ];
    for frame in frames {
        assert!(frame.len() <= MAX_FRAME_BYTES, "{}", frame.len());
        let (result, took) = timed(|| parse_client_frame(&frame));
        let err = result.unwrap_err();
        assert!(took <= TIME_LIMIT, "{took:?}");
        assert!(err.contains("recursion limit exceeded"), "{err}");
    }
}

#[test]
fn nesting_within_the_json_recursion_limit_is_read_and_ignored_when_unknown() {
    let frame = format!(
        r#"{{"extra":{},"type":"ping"}}"#,
        nested("[", "]", 100, "0")
    );

    assert_eq!(parse_client_frame(&frame), Ok(ClientFrame::Ping));
}

#[test]
fn a_huge_string_that_fits_is_read_and_one_that_does_not_is_refused_by_size() {
    let frame = |body: &str| {
        format!(r#"{{"type":"send","conversation":"c1","client_id":"m1","body":"{body}"}}"#)
    };
    let envelope = frame("").len();
    let fits = "é".repeat((MAX_FRAME_BYTES - envelope) / 2);
    let escaped = "\\u00e9".repeat((MAX_FRAME_BYTES - envelope) / 6);

    assert!(matches!(
        parse_client_frame(&frame(&fits)),
        Ok(ClientFrame::Send { .. })
    ));
    assert!(matches!(
        parse_client_frame(&frame(&escaped)),
        Ok(ClientFrame::Send { .. })
    ));
    let err = parse_client_frame(&frame(&format!("{fits}xx"))).unwrap_err();
    assert!(err.contains(&MAX_FRAME_BYTES.to_string()), "{err}");
}

#[test]
fn fields_of_the_wrong_type_are_refused_as_unknown_messages() {
    for text in [
        r#"{"type":"send","conversation":5,"client_id":"m","body":"x"}"#,
        r#"{"type":"send","conversation":"c","client_id":[],"body":"x"}"#,
        r#"{"type":"send","conversation":"c","client_id":"m","body":null}"#,
        r#"{"type":"ack","conversation":"c","seq":"1"}"#,
        r#"{"type":"ack","conversation":"c","seq":1.5}"#,
        r#"{"type":"resume","conversation":"c","last_seq":18446744073709551616}"#,
        r#"{"type":"typing","conversation":"c","typing":"yes"}"#,
        r#"{"type":5}"#,
        r#"{"type":null}"#,
        r#"{"type":{"type":"ping"}}"#,
        r#"["send","c1","m1"]"#,
        r#""ping""#,
        "null",
    ] {
        let err = parse_client_frame(text).unwrap_err();
        assert!(
            err.contains("not a known message") || err.contains("not valid JSON"),
            "{text}: {err}"
        );
    }
}
