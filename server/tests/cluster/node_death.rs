//! A node killed with SIGKILL: nothing it held is lost. Its agent's offer still expires and
//! moves on, its agent is set away once the grace is over, and its customer reconnects through
//! the load balancer to another node and gets every message sent meanwhile, once, in order.

use std::time::{Duration, Instant};

use domain::protocol::ServerFrame;
use domain::{EventKind, UnavailableReason};

use crate::cross_node::{
    accept_and_follow, available, expect_message, expect_offer, say, start_chat,
};
use crate::nodes::{Cluster, PRESENCE_GRACE_SECS};
use crate::people::socket_at;

async fn unavailable_reason(cluster: &Cluster, agent: &str) -> Option<UnavailableReason> {
    let (reason,): (Option<String>,) =
        sqlx::query_as("SELECT unavailable_reason FROM users WHERE id = $1")
            .bind(agent)
            .fetch_one(&cluster.db.pool)
            .await
            .unwrap();
    reason.map(|r| serde_json::from_str(&r).expect("a stored reason"))
}

// SPEC R-ROUTE-5, R-TIME-1: the offer's timer is in the database, not in the dead node.
#[tokio::test]
async fn the_offer_of_an_agent_whose_node_is_killed_expires_on_time_and_moves_to_the_next_agent() {
    // A long grace: here the offer's own timer must move it, not presence.
    let Some(mut cluster) = Cluster::start_with(3, &[("BATON_PRESENCE_GRACE", "60s")]).await else {
        return;
    };
    let space = cluster.support_space().await;
    let ada = cluster.agent(&space, "Ada").await;
    let grace = cluster.agent(&space, "Grace").await;
    let mut ada_ws = cluster.nodes[1].socket(&ada).await;
    let mut grace_ws = cluster.nodes[2].socket(&grace).await;
    available(&cluster, 1, &ada).await;
    available(&cluster, 2, &grace).await;
    let casey = cluster.customer("Casey").await;

    let conversation = start_chat(&cluster, 0, &casey).await;
    let offer = match ada_ws
        .expect("Ada's offer (first in the round robin)", |f| {
            matches!(f, ServerFrame::Offer { .. })
        })
        .await
    {
        ServerFrame::Offer { offer } => offer,
        _ => unreachable!(),
    };
    assert_eq!(offer.conversation, conversation);
    cluster.kill(1);

    assert_eq!(
        expect_offer(&mut grace_ws, "the offer moving to Grace").await,
        conversation
    );
    let moved_at = backend::clock::now_ms();
    let late = moved_at - offer.expires_at.as_millis();
    eprintln!("the offer moved to the next agent {late} ms after its due time");
    assert!(
        late <= 5_000,
        "the offer moved {late} ms after its due time (at most 5 s)"
    );
    assert!(late >= -500, "the offer moved {late} ms before it was due");
    assert!(matches!(
        unavailable_reason(&cluster, &ada.id).await,
        Some(UnavailableReason::MissedOffer { .. })
    ));
    cluster.stop().await;
}

// Presence is shared: the dead node's tabs stop counting after the grace, and one node sets
// the agent away, once.
#[tokio::test]
async fn an_agent_whose_node_is_killed_is_set_unavailable_disconnected_after_the_grace_once() {
    let Some(mut cluster) = Cluster::start(3).await else {
        return;
    };
    let space = cluster.support_space().await;
    let ada = cluster.agent(&space, "Ada").await;
    let _ada_ws = cluster.nodes[1].socket(&ada).await;
    available(&cluster, 1, &ada).await;

    let killed_at = Instant::now();
    cluster.kill(1);

    let grace = Duration::from_secs(PRESENCE_GRACE_SECS);
    let away = loop {
        if let Some(reason) = unavailable_reason(&cluster, &ada.id).await {
            break reason;
        }
        assert!(
            killed_at.elapsed() < grace + Duration::from_secs(10),
            "Ada is still Available"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // The grace counts from the node's last heartbeat, at most a quarter grace before the kill.
    let away_after = killed_at.elapsed();
    assert!(
        away_after >= grace * 3 / 4 - Duration::from_millis(100),
        "set away after {away_after:?}, before the grace ({grace:?})"
    );
    assert!(
        matches!(away, UnavailableReason::Disconnected { .. }),
        "{away:?}"
    );
    eprintln!("set Unavailable (Disconnected) {away_after:?} after her node was killed");
    assert_eq!(cluster.availability(&space, &ada.id).await, "Unavailable");

    // Every node keeps sweeping; none sets her away a second time.
    tokio::time::sleep(grace * 2).await;
    assert_eq!(unavailable_reason(&cluster, &ada.id).await, Some(away));
    cluster.stop().await;
}

// SPEC R-LIFE-3 and delivery exactly once, in order, across a node's death.
#[tokio::test]
async fn a_customer_whose_node_is_killed_reconnects_through_the_load_balancer_and_misses_nothing() {
    let Some(mut cluster) = Cluster::start(3).await else {
        return;
    };
    let front = cluster.front().await;
    let space = cluster.support_space().await;
    let ada = cluster.agent(&space, "Ada").await;
    let casey = cluster.customer("Casey").await;
    let mut agent = cluster.nodes[1].socket(&ada).await;
    available(&cluster, 1, &ada).await;
    // The customer's socket is on node 0 (the balancer would have put it anywhere).
    let mut customer = cluster.nodes[0].socket(&casey).await;
    let conversation = start_chat(&cluster, 1, &casey).await;
    expect_offer(&mut agent, "the offer").await;
    accept_and_follow(
        &cluster.nodes[1],
        &ada,
        &conversation,
        [&mut customer, &mut agent],
    )
    .await;
    agent.send(&say(&conversation, "a0", "Before")).await;
    let last_seen = expect_message(&mut customer, "Before").await;

    cluster.kill(0);
    let lines: Vec<String> = (1..=5)
        .map(|n| format!("While you were away {n}"))
        .collect();
    for (n, line) in lines.iter().enumerate() {
        agent
            .send(&say(&conversation, &format!("a{}", n + 1), line))
            .await;
        expect_message(&mut agent, line).await;
    }

    let mut again = socket_at(&front, &casey).await;
    follow_from(&mut again, &conversation, last_seen, &lines).await;
    cluster.stop().await;
}

/// Resumes from `last_seq` and checks that exactly `lines` arrive, in order, and nothing twice.
async fn follow_from(
    ws: &mut crate::ws_client::WsClient,
    conversation: &domain::ConversationId,
    last_seq: i64,
    lines: &[String],
) {
    ws.send(&domain::protocol::ClientFrame::Resume {
        conversation: conversation.clone(),
        last_seq,
    })
    .await;
    let mut received = Vec::new();
    loop {
        match ws.next().await.expect("the socket stays open") {
            ServerFrame::Event { event, .. } => {
                assert!(event.seq > last_seq, "replayed seq {} again", event.seq);
                if let EventKind::Message { body, .. } = event.kind {
                    received.push(body);
                }
            }
            ServerFrame::Synced { .. } => break,
            _ => {}
        }
    }
    assert_eq!(received, lines, "every message once, in order");
}
