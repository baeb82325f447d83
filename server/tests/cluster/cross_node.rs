//! A customer on one node and an agent on another, as a load balancer spreads them.

use app::pages::agent::actions::{AcceptOffer, EndConversation, SetAvailability};
use app::pages::widget::actions::StartChat;
use domain::protocol::{ClientFrame, ServerFrame, Typist};
use domain::{ConversationId, EventKind};

use crate::nodes::{Cluster, Node};
use crate::people::Person;
use crate::ws_client::WsClient;

pub fn conversation_from(body: &str) -> ConversationId {
    ConversationId::new(serde_json::from_str::<String>(body).expect("a conversation id"))
}

pub async fn expect_offer(ws: &mut WsClient, what: &str) -> ConversationId {
    match ws
        .expect(what, |f| matches!(f, ServerFrame::Offer { .. }))
        .await
    {
        ServerFrame::Offer { offer } => offer.conversation,
        _ => unreachable!(),
    }
}

pub async fn follow(ws: &mut WsClient, conversation: &ConversationId, last_seq: i64) {
    ws.send(&ClientFrame::Resume {
        conversation: conversation.clone(),
        last_seq,
    })
    .await;
    ws.expect("synced", |f| matches!(f, ServerFrame::Synced { .. }))
        .await;
}

pub fn say(conversation: &ConversationId, client_id: &str, body: &str) -> ClientFrame {
    ClientFrame::Send {
        conversation: conversation.clone(),
        client_id: client_id.into(),
        body: body.into(),
    }
}

/// Waits for the message `body` and returns its seq.
pub async fn expect_message(ws: &mut WsClient, body: &str) -> i64 {
    let wanted = body.to_string();
    match ws
        .expect(&format!("the message {body:?}"), |f| {
            matches!(f, ServerFrame::Event { event, .. }
                if matches!(&event.kind, EventKind::Message { body, .. } if *body == wanted))
        })
        .await
    {
        ServerFrame::Event { event, .. } => event.seq,
        _ => unreachable!(),
    }
}

pub async fn available(cluster: &Cluster, node: usize, agent: &Person) {
    cluster.nodes[node]
        .call(
            agent,
            SetAvailability {
                available: true,
                space: None,
            },
        )
        .await;
}

/// `agent` presses Accept on `node`, then both sockets follow the conversation from its start.
pub async fn accept_and_follow(
    node: &Node,
    agent: &Person,
    conversation: &ConversationId,
    sockets: [&mut WsClient; 2],
) {
    node.call(
        agent,
        AcceptOffer {
            conversation: conversation.to_string(),
        },
    )
    .await;
    for ws in sockets {
        follow(ws, conversation, 0).await;
    }
}

pub async fn start_chat(cluster: &Cluster, node: usize, customer: &Person) -> ConversationId {
    let body = cluster.nodes[node]
        .call(
            customer,
            StartChat {
                key: backend::demo::DEMO_WIDGET_KEY.into(),
            },
        )
        .await;
    conversation_from(&body)
}

// SPEC R-ROUTE-1, R-LIFE-1, R-LIFE-3 across nodes.
#[tokio::test]
async fn a_customer_on_one_node_and_an_agent_on_another_chat_from_offer_to_end() {
    let Some(cluster) = Cluster::start(3).await else {
        return;
    };
    let space = cluster.support_space().await;
    let ada = cluster.agent(&space, "Ada").await;
    let casey = cluster.customer("Casey").await;
    let (a, b) = (&cluster.nodes[0], &cluster.nodes[1]);
    let mut agent = b.socket(&ada).await;
    available(&cluster, 1, &ada).await;
    let mut customer = a.socket(&casey).await;

    let conversation = start_chat(&cluster, 0, &casey).await;
    assert_eq!(
        expect_offer(&mut agent, "the offer made on node A").await,
        conversation
    );
    accept_and_follow(b, &ada, &conversation, [&mut customer, &mut agent]).await;

    customer
        .send(&say(&conversation, "c1", "Hello from node A"))
        .await;
    expect_message(&mut agent, "Hello from node A").await;
    agent
        .send(&say(&conversation, "a1", "Hello from node B"))
        .await;
    expect_message(&mut customer, "Hello from node B").await;

    let typing = |conversation: &ConversationId, typing: bool| ClientFrame::Typing {
        conversation: conversation.clone(),
        typing,
    };
    customer.send(&typing(&conversation, true)).await;
    agent
        .expect("the customer typing", |f| {
            matches!(
                f,
                ServerFrame::Typing {
                    who: Typist::Customer,
                    typing: true,
                    ..
                }
            )
        })
        .await;
    agent.send(&typing(&conversation, true)).await;
    customer
        .expect("the agent typing", |f| {
            matches!(
                f,
                ServerFrame::Typing {
                    who: Typist::Agent { .. },
                    typing: true,
                    ..
                }
            )
        })
        .await;

    b.call(
        &ada,
        EndConversation {
            conversation: conversation.to_string(),
        },
    )
    .await;
    customer
        .expect("the end notice", |f| {
            matches!(f, ServerFrame::Event { event, .. } if matches!(event.kind, EventKind::Ended { .. }))
        })
        .await;
    cluster.stop().await;
}

// SPEC R-ROUTE-3: round robin is one order over the space, whichever node each agent is on.
#[tokio::test]
async fn round_robin_goes_over_agents_connected_to_different_nodes() {
    let Some(cluster) = Cluster::start(3).await else {
        return;
    };
    let space = cluster.support_space().await;
    let mut agents = Vec::new();
    for (i, name) in ["Ada", "Grace", "Alan"].into_iter().enumerate() {
        let person = cluster.agent(&space, name).await;
        let ws = cluster.nodes[i].socket(&person).await;
        available(&cluster, i, &person).await;
        agents.push((person, ws));
    }

    // Three customers start, one on each node: one offer each, in the space's order (the
    // order the agents joined it), whatever node made the offer and wherever the agent is.
    let mut offered_to = Vec::new();
    for n in 0..3 {
        let casey = cluster.customer(&format!("Casey{n}")).await;
        let conversation = start_chat(&cluster, n % 3, &casey).await;
        let (owner, _) = sqlx::query_as::<_, (Option<String>, i64)>(
            "SELECT offer_agent_id, 0 FROM conversations WHERE id = $1",
        )
        .bind(conversation.as_str())
        .fetch_one(&cluster.db.pool)
        .await
        .unwrap();
        let owner = owner.expect("the conversation was offered");
        let (i, (_, ws)) = agents
            .iter_mut()
            .enumerate()
            .find(|(_, (p, _))| p.id == owner)
            .expect("offered to one of the three");
        assert_eq!(expect_offer(ws, "an offer").await, conversation);
        offered_to.push(i);
    }

    let first = offered_to[0];
    let turns: Vec<usize> = (0..3).map(|n| (first + n) % 3).collect();
    assert_eq!(offered_to, turns, "one turn each, in the space's order");
    cluster.stop().await;
}
