//! Queue filters: the JQL-style language for queues (SPEC R-VIEW-2).

use domain::queue::{Expr, Field, QueueFilter, WorkItemFacts};

fn item(work_type: &str, status: &str, assignee: Option<&str>, created: i64) -> WorkItemFacts {
    WorkItemFacts {
        work_type: work_type.into(),
        status: status.into(),
        assignee: assignee.map(|a| (a.to_string(), format!("{}@example.com", a.to_lowercase()))),
        created,
        space: "Customer Support".into(),
        customer: Some(("Casey".into(), Some("casey@example.com".into()))),
    }
}

fn filter(query: &str) -> QueueFilter {
    QueueFilter::parse(query).unwrap_or_else(|e| panic!("{query}: {e}\n{}", e.pointer()))
}

// SPEC R-VIEW-2
#[test]
fn the_example_filter_keeps_open_conversations_newest_first() {
    let f = filter("type = Conversation AND status != Closed ORDER BY created DESC");
    let mut items = vec![
        item("Conversation", "Active", Some("Ada"), 1),
        item("Conversation", "Closed", Some("Ada"), 2),
        item("Bug", "Open", None, 3),
        item("Conversation", "Waiting for agent", None, 4),
    ];

    items.retain(|i| f.matches(i));
    f.sort(&mut items, |i| i);

    let created: Vec<i64> = items.iter().map(|i| i.created).collect();
    assert_eq!(created, vec![4, 1]);
}

// SPEC R-VIEW-2: a queue can exclude the Conversation work type.
#[test]
fn a_queue_can_exclude_conversations() {
    let f = filter("type != Conversation");

    assert!(!f.matches(&item("Conversation", "Active", None, 0)));
    assert!(f.matches(&item("Follow-up", "Open", None, 0)));
}

#[test]
fn and_binds_tighter_than_or_and_parentheses_change_it() {
    let loose = filter("type = Bug OR type = Conversation AND status = Closed");
    let grouped = filter("(type = Bug OR type = Conversation) AND status = Closed");
    let open_bug = item("Bug", "Open", None, 0);

    assert!(loose.matches(&open_bug));
    assert!(!grouped.matches(&open_bug));
}

#[test]
fn in_and_not_in_take_lists_and_quoted_values_may_have_spaces() {
    let f = filter(r#"status IN ("Waiting for agent", Active) AND assignee NOT IN (Grace)"#);

    assert!(f.matches(&item("Conversation", "Waiting for agent", None, 0)));
    assert!(f.matches(&item("Conversation", "Active", Some("Ada"), 0)));
    assert!(!f.matches(&item("Conversation", "Active", Some("Grace"), 0)));
    assert!(!f.matches(&item("Conversation", "Closed", None, 0)));
}

#[test]
fn not_negates_and_keywords_ignore_case() {
    let f = filter("not (TYPE = conversation) order by Created asc");

    assert!(f.matches(&item("Bug", "Open", None, 0)));
    assert!(!f.matches(&item("Conversation", "Open", None, 0)));
}

#[test]
fn people_match_by_name_or_email_and_empty_matches_nobody_assigned() {
    assert!(filter("assignee = ada@example.com").matches(&item(
        "Conversation",
        "Active",
        Some("Ada"),
        0
    )));
    assert!(filter(r#"assignee = "ada""#).matches(&item("Conversation", "Active", Some("Ada"), 0)));
    assert!(filter("assignee = EMPTY").matches(&item(
        "Conversation",
        "Waiting for agent",
        None,
        0
    )));
    assert!(filter("customer = casey@example.com").matches(&item("Bug", "Open", None, 0)));
}

#[test]
fn created_compares_calendar_days() {
    // 2026-11-22T10:00:00Z
    let day = item("Bug", "Open", None, 1_795_341_600_000);

    assert!(filter("created = 2026-11-22").matches(&day));
    assert!(!filter("created = 2026-11-21").matches(&day));
}

#[test]
fn an_empty_filter_or_one_with_only_an_order_matches_everything() {
    assert_eq!(filter("").condition, None);
    let only_order = filter("ORDER BY status, created DESC");
    assert_eq!(only_order.condition, None);
    assert_eq!(only_order.order.len(), 2);
    assert!(only_order.matches(&item("Bug", "Open", None, 0)));
}

#[test]
fn the_parse_tree_is_what_the_query_says() {
    assert_eq!(
        filter("space = Billing").condition,
        Some(Expr::Compare {
            field: Field::Space,
            negated: false,
            values: vec!["Billing".into()]
        })
    );
}

fn error_at(query: &str) -> (usize, String) {
    let e = QueueFilter::parse(query).expect_err(query);
    (e.position, e.to_string())
}

#[test]
fn an_unknown_field_is_pointed_at() {
    let (position, message) = error_at("type = Bug AND colour = red");

    assert_eq!(position, 15);
    assert!(message.contains("character 16"), "{message}");
    assert!(message.contains("a field"), "{message}");
}

#[test]
fn a_missing_operator_is_pointed_at() {
    let (position, message) = error_at("status Active");

    assert_eq!(position, 7);
    assert!(message.contains("=, !=, IN or NOT IN"), "{message}");
}

#[test]
fn a_missing_value_at_the_end_is_named() {
    let (position, message) = error_at("type =");

    assert_eq!(position, 6);
    assert!(message.contains("a value"), "{message}");
    assert!(message.contains("end of the filter"), "{message}");
}

#[test]
fn an_unclosed_parenthesis_is_pointed_at() {
    let (position, message) = error_at("(type = Bug OR type = Task");

    assert_eq!(position, 26);
    assert!(message.contains(")"), "{message}");
}

#[test]
fn an_unclosed_list_and_an_unclosed_quote_are_refused() {
    assert_eq!(error_at("status IN (Active, Closed").0, 25);
    assert_eq!(error_at(r#"status = "Active"#).0, 16);
}

#[test]
fn trailing_words_are_refused_where_they_start() {
    let (position, message) = error_at("type = Bug sort by created");

    assert_eq!(position, 11);
    assert!(message.contains("ORDER BY"), "{message}");
}

#[test]
fn order_without_by_is_refused() {
    let (position, message) = error_at("type = Bug ORDER created");

    assert_eq!(position, 17);
    assert!(message.contains("BY"), "{message}");
}

#[test]
fn a_day_that_is_not_a_day_is_pointed_at() {
    let (position, message) = error_at("created = yesterday");

    assert_eq!(position, 10);
    assert!(message.contains("YYYY-MM-DD"), "{message}");
}

#[test]
fn positions_count_characters_not_bytes() {
    let (position, _) = error_at("customer = \"Zoë\" AND ?");

    assert_eq!(position, 21);
}

#[test]
fn the_pointer_draws_a_caret_under_the_mistake() {
    let e = QueueFilter::parse("status Active").unwrap_err();

    assert_eq!(e.pointer(), "status Active\n       ^");
}
