//! Queue filters, ordering and pages see only what the viewer may read (items 7, 11).

use super::*;

#[tokio::test]
async fn a_filter_by_a_hidden_customer_finds_nothing_and_other_spaces_stay_out_of_sight() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let casey = customer(&app, "Casey Quiet").await;
    conversation(&app, &site, "c-hidden", &casey, Some(&site.ada)).await;
    let (ada, grace, bea) = (
        session(&app, &site.ada).await,
        session(&app, &site.grace).await,
        session(&app, &site.bea).await,
    );

    for filter in [
        format!("customer = \"{}\"", casey.email),
        "customer = \"Casey Quiet\"".to_string(),
        format!("customer IN (\"{}\") AND status = Active", casey.email),
    ] {
        let filter = filter.as_str();
        let for_grace = queue(&app, &grace, self::filter(filter)).await;
        assert!(
            for_grace.rows.is_empty(),
            "{filter} revealed {:?}",
            for_grace.rows
        );
        let for_ada = queue(&app, &ada, self::filter(filter)).await;
        assert_eq!(ids(&for_ada), vec!["work-c-hidden"], "{filter}");
    }
    // Grace still sees that it exists, without its customer.
    let all = queue(&app, &grace, filter("type = Conversation")).await;
    assert_eq!(all.rows.len(), 1);
    assert_eq!(all.rows[0].customer, None);
    // Bea is in Billing only: nothing of Customer Support reaches her, whatever she asks.
    task(&app, &site.billing, "w-billing", None, 1).await;
    let everything = queue(&app, &bea, filter("")).await;
    assert_eq!(ids(&everything), vec!["w-billing"]);
    for filter in [
        "customer = EMPTY",
        "customer != EMPTY",
        "space = \"Customer Support\"",
    ] {
        let for_bea = queue(&app, &bea, self::filter(filter)).await;
        assert!(
            ids(&for_bea).iter().all(|id| id == "w-billing"),
            "{filter:?}: {:?}",
            for_bea.rows
        );
    }
    app.stop().await;
}

// SPEC R-VIEW-3
#[tokio::test]
async fn ordering_by_customer_does_not_reveal_the_order_of_hidden_names() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let aaron = customer(&app, "Aaron Able").await;
    let zoe = customer(&app, "Zoe Zed").await;
    conversation(&app, &site, "c-zoe", &zoe, Some(&site.ada)).await;
    conversation(&app, &site, "c-aaron", &aaron, Some(&site.ada)).await;
    let (ada, grace) = (
        session(&app, &site.ada).await,
        session(&app, &site.grace).await,
    );
    let ascending = || filter("type = Conversation ORDER BY customer ASC");
    let descending = || filter("type = Conversation ORDER BY customer DESC");

    let up = ids(&queue(&app, &grace, ascending()).await);
    let down = ids(&queue(&app, &grace, descending()).await);

    assert_eq!(up.len(), 2);
    assert_eq!(up, down, "the hidden names ordered Grace's queue");
    // Ada may read both, so her order is by name.
    assert_eq!(
        ids(&queue(&app, &ada, ascending()).await),
        vec!["work-c-aaron", "work-c-zoe"]
    );
    app.stop().await;
}

#[tokio::test]
async fn queues_come_in_pages_of_at_most_two_hundred_with_a_cursor_to_the_next() {
    let app = spawn_app().await;
    let site = site(&app).await;
    for i in 0..205 {
        task(&app, &site.space, &format!("w-{i:03}"), None, 1_000 + i).await;
    }
    let ada = session(&app, &site.ada).await;
    let by_newest = "type = Task ORDER BY created DESC";

    let first = queue(&app, &ada, filter(by_newest)).await;
    assert_eq!(first.rows.len(), 50, "the default page");
    assert_eq!(first.rows[0].id, "w-204");
    let big = Queue {
        limit: Some(100_000),
        ..filter(by_newest)
    };
    let big = queue(&app, &ada, big).await;
    assert_eq!(big.rows.len(), 200, "the largest page");

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let query = Queue {
            after: after.clone(),
            limit: Some(60),
            ..filter(by_newest)
        };
        let page = queue(&app, &ada, query).await;
        seen.extend(ids(&page));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let expected: Vec<String> = (0..205).rev().map(|i| format!("w-{i:03}")).collect();
    assert_eq!(seen, expected);

    let bad_cursor = Queue {
        after: Some("not-a-cursor".into()),
        ..filter(by_newest)
    };
    let (status, body) = app.call_as(&ada, bad_cursor).await;
    assert_eq!(status, 422, "{body}");
    app.stop().await;
}

// SPEC R-VIEW-6
