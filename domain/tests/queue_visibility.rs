//! SPEC R-VIEW-3 in queues and profiles: what an agent may not read cannot be found by a
//! filter, placed by an order, or opened as a profile; and queues come in pages.

mod support;

use domain::access::{ProfileViewer, Reader, may_open_profile, may_see_work_item_details};
use domain::paging::MAX_PAGE_SIZE;
use domain::queue::{QueueFilter, SortKey, WorkItemFacts};
use support::*;

fn conversation(customer: Option<(&str, &str)>, created: i64) -> WorkItemFacts {
    WorkItemFacts {
        work_type: "Conversation".into(),
        status: "Active".into(),
        assignee: Some(("Ada Lovelace".into(), "ada@example.com".into())),
        created,
        space: "Customer Support".into(),
        customer: customer.map(|(name, email)| (name.to_string(), Some(email.to_string()))),
    }
}

fn filter(query: &str) -> QueueFilter {
    QueueFilter::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"))
}

const CASEY: Option<(&str, &str)> = Some(("Casey Customer", "casey@example.com"));
const MAX: Option<(&str, &str)> = Some(("Max One", "max@example.com"));

// SPEC R-VIEW-3
#[test]
fn a_filter_by_customer_does_not_find_a_conversation_the_viewer_may_not_read() {
    let hidden = conversation(CASEY, 1).as_seen(false);
    let readable = conversation(CASEY, 1).as_seen(true);

    for query in [
        "customer = \"casey@example.com\"",
        "customer = \"Casey Customer\"",
        "customer IN (casey@example.com, nobody@example.com)",
        "NOT customer != casey@example.com",
    ] {
        assert!(
            !filter(query).matches(&hidden),
            "{query} found a hidden customer"
        );
        assert!(
            filter(query).matches(&readable),
            "{query} must find a readable one"
        );
    }
}

// SPEC R-VIEW-3: a hidden customer is no customer; what matches depends only on what is seen.
#[test]
fn every_filter_answers_the_same_whoever_the_hidden_customer_is() {
    let queries = [
        "customer = EMPTY",
        "customer != EMPTY",
        "customer = casey@example.com OR status = Active",
        "customer NOT IN (max@example.com) AND type = Conversation",
        "NOT (customer = \"Max One\")",
    ];
    for query in queries {
        let f = filter(query);
        let answers: Vec<bool> = [CASEY, MAX, None]
            .into_iter()
            .map(|c| f.matches(&conversation(c, 1).as_seen(false)))
            .collect();
        assert!(
            answers.iter().all(|a| *a == answers[0]),
            "{query} tells hidden customers apart: {answers:?}"
        );
    }
    assert!(filter("customer = EMPTY").matches(&conversation(CASEY, 1).as_seen(false)));
}

fn order_of(query: &str, items: &[(WorkItemFacts, &str)]) -> Vec<String> {
    let f = filter(query);
    let keyed: Vec<(SortKey, String)> = items
        .iter()
        .map(|(facts, id)| (f.sort_key(facts, id), id.to_string()))
        .collect();
    f.page(keyed, None, MAX_PAGE_SIZE).items
}

// SPEC R-VIEW-3
#[test]
fn ordering_by_customer_places_hidden_customers_as_if_they_had_none() {
    // Two hidden conversations, created in the same millisecond: only their ids order them.
    let with = |a: Option<(&str, &str)>, b: Option<(&str, &str)>| {
        vec![
            (conversation(a, 5).as_seen(false), "w1"),
            (conversation(b, 5).as_seen(false), "w2"),
            (
                conversation(Some(("Max One", "max@example.com")), 5).as_seen(true),
                "w3",
            ),
        ]
    };
    let query = "ORDER BY customer ASC";
    let one = order_of(query, &with(CASEY, Some(("Zed Zulu", "zed@example.com"))));
    let other = order_of(query, &with(Some(("Zed Zulu", "zed@example.com")), CASEY));

    assert_eq!(one, other, "the hidden names changed the order");
    assert_eq!(
        one,
        vec!["w1", "w2", "w3"],
        "hidden ones sort as empty, first"
    );
}

// SPEC R-VIEW-3
#[test]
fn the_details_of_a_work_item_are_hidden_only_for_conversations_the_viewer_may_not_read() {
    let mut sim = Sim::new()
        .space("s1", &["ann", "bob"])
        .available("ann", "s1");
    sim.active("c1", "s1", "ann");

    assert!(may_see_work_item_details(None, &Reader::Agent(aid("bob"))));
    assert!(may_see_work_item_details(
        Some(sim.conv("c1")),
        &Reader::Agent(aid("ann"))
    ));
    assert!(!may_see_work_item_details(
        Some(sim.conv("c1")),
        &Reader::Agent(aid("bob"))
    ));
}

// SPEC R-VIEW-6, R-VIEW-3
#[test]
fn a_profile_opens_for_site_admins_readers_and_colleagues_on_shared_work_only() {
    let mut sim = Sim::new()
        .space("s1", &["ann", "bob"])
        .available("ann", "s1");
    sim.active("c1", "s1", "ann");
    let conversations = [sim.conv("c1").clone()];
    let (ann, bob) = (aid("ann"), aid("bob"));
    let viewer = |agent, site_admin, shares_work_item| ProfileViewer {
        agent,
        site_admin,
        shares_work_item,
    };

    assert!(may_open_profile(viewer(&ann, false, false), &conversations));
    assert!(!may_open_profile(
        viewer(&bob, false, false),
        &conversations
    ));
    assert!(may_open_profile(viewer(&bob, true, false), &conversations));
    assert!(may_open_profile(viewer(&bob, false, true), &conversations));
    assert!(!may_open_profile(viewer(&bob, false, false), &[]));
}

fn items(n: i64) -> Vec<(WorkItemFacts, String)> {
    (0..n)
        .map(|i| (conversation(CASEY, i / 2), format!("w{i:02}")))
        .collect()
}

fn all_pages(query: &str, items: &[(WorkItemFacts, String)], size: usize) -> Vec<Vec<String>> {
    let f = filter(query);
    let mut pages = Vec::new();
    let mut after: Option<SortKey> = None;
    loop {
        let keyed = items
            .iter()
            .map(|(facts, id)| (f.sort_key(facts, id), id.clone()))
            .collect();
        let page = f.page(keyed, after.as_ref(), size);
        pages.push(page.items);
        match page.next {
            // The cursor travels through the browser as text.
            Some(next) => after = Some(f.decode_cursor(&next.encode()).expect("own cursor")),
            None => return pages,
        }
    }
}

#[test]
fn pages_cover_the_queue_once_each_in_order() {
    let items = items(7);
    let whole = order_of(
        "ORDER BY created DESC",
        &items
            .iter()
            .map(|(f, id)| (f.clone(), id.as_str()))
            .collect::<Vec<_>>(),
    );

    let pages = all_pages("ORDER BY created DESC", &items, 3);

    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![3, 3, 1]
    );
    assert_eq!(pages.concat(), whole);
}

#[test]
fn work_that_arrives_between_two_pages_does_not_repeat_or_skip_an_item() {
    let f = filter("type = Conversation ORDER BY created DESC");
    let mut items = items(4);
    let key = |items: &[(WorkItemFacts, String)]| -> Vec<(SortKey, String)> {
        items
            .iter()
            .map(|(facts, id)| (f.sort_key(facts, id), id.clone()))
            .collect()
    };
    let first = f.page(key(&items), None, 2);
    items.push((conversation(MAX, 100), "w-new".into()));

    let second = f.page(key(&items), first.next.as_ref(), 2);

    assert_eq!(first.items, vec!["w02", "w03"]);
    assert_eq!(second.items, vec!["w00", "w01"]);
    assert_eq!(second.next, None);
}

#[test]
fn a_cursor_made_for_another_order_is_refused() {
    let by_created = filter("ORDER BY created DESC");
    let (facts, id) = &items(1)[0];
    let cursor = by_created.sort_key(facts, id).encode();

    assert!(filter("ORDER BY customer").decode_cursor(&cursor).is_err());
    assert!(
        filter("ORDER BY created, status")
            .decode_cursor(&cursor)
            .is_err()
    );
    assert!(by_created.decode_cursor("not a cursor").is_err());
    assert!(by_created.decode_cursor(&cursor).is_ok());
}
