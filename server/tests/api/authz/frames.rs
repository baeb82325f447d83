//! The websocket side of the matrix: who gets which socket through which door, and every
//! client frame type × the seven people, about the customer's live conversation. `expected`
//! matches on `ClientFrame` without a catch-all arm, so a new frame type does not compile until
//! it has its row; `samples` must hold one frame of every declared type (checked by
//! `every_client_frame_type_has_a_row_in_the_matrix`).

use domain::ConversationId;
use domain::protocol::{ClientFrame, ErrorCode, Principal, ServerFrame};
use tokio_tungstenite::tungstenite;

use super::digest::{Fingerprint, changed};
use super::roles::{HELP_KEY, Site, Who};
use crate::ws_client::WsClient;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Done: `synced` for a resume, `sent` for a send, `pong` for a ping, no error otherwise.
    Allow,
    /// An error frame with code `forbidden`, and no table changed.
    Forbidden,
    /// No answer and no table changed.
    Ignored,
    /// An error frame with code `bad_frame` (the frame makes no sense here), nothing changed.
    BadFrame,
    /// This person gets no socket at all (see `DOORS`).
    NoSocket,
}
use Answer::{Allow, BadFrame, Forbidden, Ignored, NoSocket};

/// THE frame table. Columns as in the server-function table.
#[rustfmt::skip]
pub fn expected(frame: &ClientFrame) -> [Answer; 7] {
    match frame {
        // SPEC R-VIEW-3, R-CUST-4: the customer and the agents in it follow a conversation.
        ClientFrame::Resume { .. } => [NoSocket, Allow, Forbidden, Allow, Forbidden, Forbidden, Forbidden],
        // Typing is for conversations the socket follows (SPEC R-CUST-3, R-AGENT-1).
        ClientFrame::Typing { .. } => [NoSocket, Allow, Forbidden, Allow, Forbidden, Forbidden, Forbidden],
        // A read marker is stored for a conversation the socket follows, else dropped.
        ClientFrame::Ack { .. } => [NoSocket, Allow, Ignored, Allow, Ignored, Ignored, Ignored],
        ClientFrame::Send { .. } => [NoSocket, Allow, Forbidden, Allow, Forbidden, Forbidden, Forbidden],
        // Not following something is everyone's right, and harmless.
        ClientFrame::Unsubscribe { .. } => [NoSocket, Allow, Allow, Allow, Allow, Allow, Allow],
        ClientFrame::Ping => [NoSocket, Allow, Allow, Allow, Allow, Allow, Allow],
        // The live operations view: site and space admins only.
        ClientFrame::WatchOperations => [NoSocket, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow],
        // Signing in comes first on `auth=frame` sockets only; a signed-in socket cannot switch.
        ClientFrame::Auth { .. } => [NoSocket, BadFrame, BadFrame, BadFrame, BadFrame, BadFrame, BadFrame],
    }
}

/// One frame of every type, in the order they run: resume first, since the others need it.
pub fn samples(conversation: &ConversationId, who: Who) -> Vec<ClientFrame> {
    let conversation = conversation.clone();
    vec![
        ClientFrame::Resume {
            conversation: conversation.clone(),
            last_seq: 0,
        },
        ClientFrame::Typing {
            conversation: conversation.clone(),
            typing: true,
        },
        ClientFrame::Ack {
            conversation: conversation.clone(),
            seq: 1,
        },
        ClientFrame::Send {
            conversation: conversation.clone(),
            client_id: format!("matrix-{}", who.slug()),
            body: format!("hello from {}", who.slug()),
        },
        ClientFrame::Unsubscribe { conversation },
        ClientFrame::Auth {
            session: "another-session".into(),
        },
        ClientFrame::WatchOperations,
        ClientFrame::Ping,
    ]
}

pub fn tag(frame: &ClientFrame) -> String {
    serde_json::to_value(frame).unwrap()["type"]
        .as_str()
        .unwrap()
        .to_string()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opened {
    Refused(u16),
    Customer,
    Agent,
    /// Refused, or a socket that is not the team member's (issue 15 item 4).
    NotAgent,
}
use Opened::{Agent, Customer, NotAgent, Refused};

#[derive(Clone, Copy, Debug)]
enum Door {
    /// Baton's own pages (no `Origin`, like these tests).
    Own,
    /// A page on Baton Help's allowed domain, naming its widget.
    Widget,
    /// A page elsewhere naming the same widget.
    Foreign,
}

#[rustfmt::skip]
const DOORS: [(Door, [Opened; 7]); 3] = [
    (Door::Own, [Refused(401), Customer, Customer, Agent, Agent, Agent, Agent]),
    // Issue 15 item 4: a page on a customer's site never gets a team member's socket.
    (Door::Widget, [Refused(401), Customer, Customer, NotAgent, NotAgent, NotAgent, NotAgent]),
    (Door::Foreign, [Refused(403); 7]),
];

/// Runs the doors and the frame table; returns the sockets it opened, to be kept open until
/// the end (an agent's closed tab would change their availability a minute later).
pub async fn run(
    site: &Site,
    fingerprint: &Fingerprint,
    failures: &mut Vec<String>,
) -> Vec<WsClient> {
    let mut keep = Vec::new();
    for (door, expect) in DOORS {
        for who in Who::ALL {
            let opened = open(site, door, who).await;
            let cell = format!("/ws through {door:?} door × {}", who.label());
            match (expect[who as usize], opened) {
                (Refused(status), Err(got)) if got == status => {}
                (NotAgent, Err(401 | 403)) => {}
                (want, Err(got)) => {
                    failures.push(format!("{cell}: expected {want:?}, refused with {got}"))
                }
                (want, Ok((principal, socket))) => {
                    let ok = match (want, &principal) {
                        (Customer, Principal::Customer { id, .. })
                        | (Agent, Principal::Agent { id, .. }) => {
                            Some(id) == own_id(site, who).as_ref()
                        }
                        (NotAgent, p) => !matches!(p, Principal::Agent { .. }),
                        _ => false,
                    };
                    if !ok {
                        failures.push(format!(
                            "{cell}: expected {want:?}, opened as {principal:?}"
                        ));
                    }
                    keep.push(socket);
                }
            }
        }
    }

    let db = site.app.server_db();
    let conversation = ConversationId::new(site.live.clone());
    let mut sockets = Vec::new();
    for who in Who::ALL {
        sockets.push(match open(site, Door::Own, who).await {
            Ok((_, mut socket)) => {
                let _ = exchange(&mut socket, &ClientFrame::Ping).await;
                Some(socket)
            }
            Err(_) => None,
        });
    }
    for index in 0..samples(&conversation, Who::Customer).len() {
        let expect = expected(&samples(&conversation, Who::Customer)[index]);
        let mut order = Who::ALL.to_vec();
        order.sort_by_key(|w| expect[*w as usize] == Allow);
        for who in order {
            let want = expect[who as usize];
            let frames = samples(&conversation, who);
            let frame = &frames[index];
            let cell = format!("{} frame × {}", tag(frame), who.label());
            let Some(socket) = sockets[who as usize].as_mut() else {
                if want != NoSocket {
                    failures.push(format!("{cell}: expected {want:?}, but has no socket"));
                }
                continue;
            };
            if want == NoSocket {
                failures.push(format!("{cell}: expected no socket, but has one"));
                continue;
            }
            let before = fingerprint.take(db).await;
            match exchange(socket, frame).await {
                Err(close) => failures.push(format!("{cell}: the socket closed ({close:?})")),
                Ok(answers) => {
                    if let Err(problem) = judge(want, frame, &conversation, &answers) {
                        failures.push(format!("{cell}: {problem}"));
                    }
                }
            }
            let tables = changed(&before, &fingerprint.take(db).await);
            let stored = tables.iter().any(|t| t == "read_marks");
            if want != Allow && !tables.is_empty() {
                failures.push(format!(
                    "{cell}: refused, yet changed {}",
                    tables.join(", ")
                ));
            } else if want == Allow && matches!(frame, ClientFrame::Ack { .. }) && !stored {
                failures.push(format!("{cell}: the read marker was not stored"));
            }
        }
    }
    keep.extend(sockets.into_iter().flatten());
    keep
}

fn own_id(site: &Site, who: Who) -> Option<String> {
    match site.actor(who).signed_in.as_ref()? {
        backend::sessions::SignedIn::Staff(id) | backend::sessions::SignedIn::Customer(id) => {
            Some(id.clone())
        }
    }
}

async fn open(site: &Site, door: Door, who: Who) -> Result<(Principal, WsClient), u16> {
    let session = site.actor(who).session.as_deref();
    let widget = format!("{}&widget={HELP_KEY}", site.app.ws_url());
    let attempt = match door {
        Door::Own => site.app.try_connect(session, None).await,
        Door::Widget => {
            site.app
                .try_connect_to(&widget, session, Some("http://127.0.0.1:3002"))
                .await
        }
        Door::Foreign => {
            site.app
                .try_connect_to(&widget, session, Some("https://pages.example"))
                .await
        }
    };
    let mut socket = match attempt {
        Ok(socket) => socket,
        Err(tungstenite::Error::Http(response)) => return Err(response.status().as_u16()),
        Err(error) => panic!("handshake failed unexpectedly: {error}"),
    };
    match socket.next().await {
        Ok(ServerFrame::Hello { you, .. }) => Ok((you, socket)),
        other => panic!("expected hello, got {other:?}"),
    }
}

/// Sends the frame, then a ping; returns what came before the pong.
async fn exchange(
    socket: &mut WsClient,
    frame: &ClientFrame,
) -> Result<Vec<ServerFrame>, Option<(u16, String)>> {
    socket.send(frame).await;
    if *frame != ClientFrame::Ping {
        socket.send(&ClientFrame::Ping).await;
    }
    let mut answers = Vec::new();
    loop {
        match socket.next().await? {
            ServerFrame::Pong => return Ok(answers),
            other => answers.push(other),
        }
    }
}

fn judge(
    want: Answer,
    frame: &ClientFrame,
    conversation: &ConversationId,
    answers: &[ServerFrame],
) -> Result<(), String> {
    let errors: Vec<ErrorCode> = answers
        .iter()
        .filter_map(|a| match a {
            ServerFrame::Error { code, .. } => Some(*code),
            _ => None,
        })
        .collect();
    let done = answers.iter().any(|a| match (a, frame) {
        (
            ServerFrame::Synced {
                conversation: c, ..
            },
            ClientFrame::Resume { .. },
        ) => c == conversation,
        (
            ServerFrame::Sent {
                client_id: sent, ..
            },
            ClientFrame::Send { client_id, .. },
        ) => sent == client_id,
        _ => false,
    });
    // What only followers may see: the conversation's events and who is typing in it.
    let seen = answers.iter().any(|a| match a {
        ServerFrame::Event { event, .. } => event.conversation == *conversation,
        ServerFrame::Typing {
            conversation: c, ..
        } => c == conversation,
        _ => false,
    });
    let must_be_done = matches!(frame, ClientFrame::Resume { .. } | ClientFrame::Send { .. });
    match want {
        Allow if errors.is_empty() && (done || !must_be_done) => Ok(()),
        Forbidden if errors == [ErrorCode::Forbidden] && !done && !seen => Ok(()),
        Ignored if errors.is_empty() && !done && !seen => Ok(()),
        BadFrame if errors == [ErrorCode::BadFrame] && !done && !seen => Ok(()),
        _ => Err(format!(
            "expected {want:?}, got errors {errors:?} (done: {done}, saw the conversation: {seen})"
        )),
    }
}
