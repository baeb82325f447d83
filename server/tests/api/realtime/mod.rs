//! `/ws` end to end: a real server, real sockets, a real database (DESIGN "Realtime").
//! This file holds the cast and the helpers; the tests are grouped in the modules below.

mod access;
mod bad_input;
mod delivery;
mod hardening;
mod presence;
mod restart;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use backend::{config::RawConfig, sessions::SignedIn};
use domain::protocol::{ClientFrame, ErrorCode, MAX_FRAME_BYTES, ServerFrame, Typist, close};
use domain::{
    AgentId, Author, Availability, Command, ConversationId, CustomerId, EventKind, Scope, SpaceId,
    Start, UnavailableReason,
};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::ws_client::WsClient;

/// A space of its own with two agents, Ada (first in the round robin) and Grace, and a
/// customer, Casey: made for each test, so no test leans on the demo seed's people.
struct Cast {
    agent: String,
    other_agent: String,
    customer: String,
    space: String,
}

async fn cast(app: &TestApp) -> Cast {
    let team = app.create_team("Realtime").await;
    Cast {
        agent: team.ada.id,
        other_agent: team.grace.id,
        customer: team.casey.id,
        space: team.space,
    }
}

async fn make_available(app: &TestApp, agent: &str) {
    app.server
        .engine
        .execute(Command::SetAvailability {
            agent: AgentId::new(agent),
            scope: Scope::AllSpaces,
            availability: Availability::Available,
        })
        .await
        .unwrap();
}

/// Ada is Available, Casey starts a live chat, Ada accepts: an Active conversation.
async fn active_chat(app: &TestApp, cast: &Cast, id: &str) -> ConversationId {
    let engine = &app.server.engine;
    let conversation = ConversationId::new(id);
    make_available(app, &cast.agent).await;
    engine
        .execute(Command::StartConversation {
            id: conversation.clone(),
            space: SpaceId::new(cast.space.clone()),
            customer: Some(CustomerId::new(cast.customer.clone())),
            via: Start::Direct,
        })
        .await
        .unwrap();
    engine
        .execute(Command::Accept {
            agent: AgentId::new(cast.agent.clone()),
            conversation: conversation.clone(),
        })
        .await
        .unwrap();
    conversation
}

async fn sockets(app: &TestApp, cast: &Cast) -> (WsClient, WsClient) {
    let agent = app.session_for(SignedIn::Staff(cast.agent.clone())).await;
    let customer = app
        .session_for(SignedIn::Customer(cast.customer.clone()))
        .await;
    let mut agent = app.connect(&agent).await;
    let mut customer = app.connect(&customer).await;
    agent
        .expect("hello", |f| matches!(f, ServerFrame::Hello { .. }))
        .await;
    customer
        .expect("hello", |f| matches!(f, ServerFrame::Hello { .. }))
        .await;
    (agent, customer)
}

async fn resume(client: &mut WsClient, conversation: &ConversationId, last_seq: i64) -> i64 {
    client
        .send(&ClientFrame::Resume {
            conversation: conversation.clone(),
            last_seq,
        })
        .await;
    match client
        .expect("synced", |f| matches!(f, ServerFrame::Synced { .. }))
        .await
    {
        ServerFrame::Synced { last_seq, .. } => last_seq,
        _ => unreachable!(),
    }
}

fn send(conversation: &ConversationId, client_id: &str, body: &str) -> ClientFrame {
    ClientFrame::Send {
        conversation: conversation.clone(),
        client_id: client_id.into(),
        body: body.into(),
    }
}

fn message_body(frame: &ServerFrame) -> Option<(i64, String)> {
    match frame {
        ServerFrame::Event { event, .. } => match &event.kind {
            EventKind::Message { body, .. } => Some((event.seq, body.clone())),
            _ => None,
        },
        _ => None,
    }
}

async fn sent_seq(client: &mut WsClient, client_id: &str) -> i64 {
    let wanted = client_id.to_string();
    match client
        .expect(
            "sent",
            |f| matches!(f, ServerFrame::Sent { client_id, .. } if *client_id == wanted),
        )
        .await
    {
        ServerFrame::Sent { seq, .. } => seq,
        _ => unreachable!(),
    }
}

fn error_code(frame: &ServerFrame) -> Option<ErrorCode> {
    match frame {
        ServerFrame::Error { code, .. } => Some(*code),
        _ => None,
    }
}
