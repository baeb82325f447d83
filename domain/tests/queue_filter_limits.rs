//! Queue filter limits (issue 15, item 1): a filter nested thousands deep used to overflow the
//! parser's stack and abort the whole server. Filters are now limited in length (checked before
//! parsing) and in how deeply `NOT` and parentheses nest (checked inside the grammar), and each
//! refusal says what to do and where.

use domain::queue::{MAX_FILTER_CHARS, MAX_FILTER_NESTING, QueueFilter, WorkItemFacts};

fn refusal(query: &str) -> (usize, String) {
    match QueueFilter::parse(query) {
        Ok(_) => panic!(
            "a filter of {} characters was accepted",
            query.chars().count()
        ),
        Err(e) => (e.position, e.to_string()),
    }
}

fn parens(depth: usize) -> String {
    format!("{}type = Bug{}", "(".repeat(depth), ")".repeat(depth))
}

fn nots(depth: usize) -> String {
    format!("{}type = Bug", "NOT ".repeat(depth))
}

fn bug() -> WorkItemFacts {
    WorkItemFacts {
        work_type: "Bug".into(),
        status: "Open".into(),
        assignee: None,
        created: 0,
        space: "Customer Support".into(),
        customer: None,
    }
}

#[test]
fn the_limits_are_the_documented_ones() {
    assert_eq!(MAX_FILTER_CHARS, 2_000);
    assert_eq!(MAX_FILTER_NESTING, 32);
}

#[test]
fn a_filter_of_5000_nested_parentheses_is_refused_with_a_clear_message() {
    let (position, message) = refusal(&parens(5_000));

    assert_eq!(position, MAX_FILTER_CHARS);
    assert!(message.contains("longer than 2000 characters"), "{message}");
    assert!(message.contains("shorten it"), "{message}");
}

#[test]
fn a_filter_of_5000_nots_is_refused_with_a_clear_message() {
    let (position, message) = refusal(&nots(5_000));

    assert_eq!(position, MAX_FILTER_CHARS);
    assert!(message.contains("longer than 2000 characters"), "{message}");
}

#[test]
fn parentheses_nested_deeper_than_the_limit_within_the_length_are_refused_at_the_first_too_deep_one()
 {
    let query = parens(990);
    assert!(query.chars().count() <= MAX_FILTER_CHARS);

    let (position, message) = refusal(&query);

    assert_eq!(position, MAX_FILTER_NESTING, "the 33rd parenthesis");
    assert!(
        message.contains("nest more than 32 levels deep"),
        "{message}"
    );
    assert!(message.contains("simplify the filter"), "{message}");
}

#[test]
fn nots_chained_deeper_than_the_limit_are_refused_like_parentheses() {
    let query = nots(495);
    assert!(query.chars().count() <= MAX_FILTER_CHARS);

    let (position, message) = refusal(&query);

    assert_eq!(position, MAX_FILTER_NESTING * "NOT ".len(), "the 33rd NOT");
    assert!(
        message.contains("nest more than 32 levels deep"),
        "{message}"
    );
}

#[test]
fn nesting_exactly_at_the_limit_is_accepted_and_one_more_is_refused() {
    let deepest = QueueFilter::parse(&parens(MAX_FILTER_NESTING)).expect("32 parentheses");
    assert!(deepest.matches(&bug()));
    let negated = QueueFilter::parse(&nots(MAX_FILTER_NESTING)).expect("32 NOTs");
    assert!(negated.matches(&bug()), "an even number of NOTs");

    assert_eq!(
        refusal(&parens(MAX_FILTER_NESTING + 1)).0,
        MAX_FILTER_NESTING
    );
    assert_eq!(
        refusal(&nots(MAX_FILTER_NESTING + 1)).0,
        MAX_FILTER_NESTING * 4
    );
}

#[test]
fn not_and_parentheses_count_together_and_groups_side_by_side_do_not_add_up() {
    let mixed = |levels: usize| {
        let opening: String = (0..levels)
            .map(|i| if i % 2 == 0 { "NOT " } else { "(" })
            .collect();
        let closing = ")".repeat(levels / 2);
        format!("{opening}status = Open{closing}")
    };
    let group = parens(20);
    let side_by_side = format!("{group} OR {group} AND NOT {group}");

    assert!(QueueFilter::parse(&mixed(MAX_FILTER_NESTING)).is_ok());
    let (_, message) = refusal(&mixed(MAX_FILTER_NESTING + 1));
    assert!(
        message.contains("nest more than 32 levels deep"),
        "{message}"
    );
    assert!(QueueFilter::parse(&side_by_side).is_ok(), "{side_by_side}");
}

#[test]
fn a_filter_longer_than_the_limit_is_refused_before_it_is_read() {
    let long = format!("type = Bug{}", " OR type = Bug".repeat(150));
    assert!(long.chars().count() > MAX_FILTER_CHARS);

    let e = QueueFilter::parse(&long).unwrap_err();

    assert_eq!(e.position, MAX_FILTER_CHARS);
    assert!(
        e.to_string()
            .contains("longer than 2000 characters; shorten it"),
        "{e}"
    );
    assert_eq!(
        e.query.chars().count(),
        MAX_FILTER_CHARS,
        "the refusal keeps only what fits, not the whole request"
    );
}

#[test]
fn a_filter_of_exactly_the_limit_is_read_and_the_limit_counts_characters_not_bytes() {
    let exact = format!("customer = \"{}\"", "é".repeat(MAX_FILTER_CHARS - 13));
    assert_eq!(exact.chars().count(), MAX_FILTER_CHARS);
    assert!(exact.len() > MAX_FILTER_CHARS);

    assert!(QueueFilter::parse(&exact).is_ok());
    assert_eq!(refusal(&format!("{exact} ")).0, MAX_FILTER_CHARS);
}
