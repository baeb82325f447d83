//! Who is on the other end of a socket, from their session.

use app::state::AppState;
use backend::{
    BackendError, Db,
    realtime::reads,
    sessions::{DbSessionStore, SIGNED_IN_KEY, SignedIn, VISITOR_KEY},
};
use domain::{AgentId, CustomerId, VisitorId, access::Reader, protocol::Principal};
use tower_sessions::{Session, SessionStore, session::Id};

/// The signed-in person, as the socket needs them.
#[derive(Clone, Debug)]
pub struct Who {
    pub principal: Principal,
    pub reader: Reader,
}

impl Who {
    pub fn agent(&self) -> Option<&AgentId> {
        match &self.reader {
            Reader::Agent(id) => Some(id),
            Reader::Customer(_) | Reader::Visitor(_) => None,
        }
    }

    /// The key read markers are stored under.
    pub fn reader_key(&self) -> String {
        match &self.reader {
            Reader::Agent(id) => format!("agent:{id}"),
            Reader::Customer(id) => format!("customer:{id}"),
            Reader::Visitor(id) => format!("visitor:{id}"),
        }
    }
}

/// Who may sign in on a socket, by where the page that opened it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opener {
    /// Baton's own pages (or a client without an `Origin`, which carries no ambient cookies).
    Baton,
    /// A page on a widget's allowed domain: only that widget's customer or visitor may chat
    /// there. A staff session is treated as not signed in, so a script on a customer's site
    /// cannot get an agent's socket from a staff member's cookie.
    Widget,
}

/// The session a socket was opened with, so it can be checked again later: the socket closes
/// when the session is signed out, expires, or comes to belong to someone else.
#[derive(Clone, Debug)]
pub struct Binding {
    pub id: Id,
    /// The session's sign-in entry as it was at the handshake.
    signed_in: Option<serde_json::Value>,
}

impl Binding {
    pub async fn of(session: &Session) -> Result<Option<Binding>, BackendError> {
        let signed_in = session
            .get_value(SIGNED_IN_KEY)
            .await
            .map_err(|e| BackendError::Invalid(format!("session: {e}")))?;
        Ok(session.id().map(|id| Binding { id, signed_in }))
    }

    /// Whether the session still exists, unexpired, for the same person. `Err` when the store
    /// cannot be read (the caller keeps the socket and asks again later).
    pub async fn still_valid(&self, db: &Db) -> Result<bool, BackendError> {
        let record = DbSessionStore::new(db.clone())
            .load(&self.id)
            .await
            .map_err(|e| BackendError::Invalid(format!("session: {e}")))?;
        Ok(record.is_some_and(|record| record.data.get(SIGNED_IN_KEY) == self.signed_in.as_ref()))
    }
}

/// The person on the socket and the session they came with; `None` when not signed in.
pub async fn signed_in(
    state: &AppState,
    session: &Session,
    opener: Opener,
) -> Result<Option<(Who, Binding)>, BackendError> {
    let Some(who) = principal(state, session, opener).await? else {
        return Ok(None);
    };
    Ok(Binding::of(session).await?.map(|binding| (who, binding)))
}

async fn principal(
    state: &AppState,
    session: &Session,
    opener: Opener,
) -> Result<Option<Who>, BackendError> {
    let signed_in: Option<SignedIn> = session
        .get(SIGNED_IN_KEY)
        .await
        .map_err(|e| BackendError::Invalid(format!("session: {e}")))?;
    let signed_in = match (signed_in, opener) {
        (Some(SignedIn::Staff(_)), Opener::Widget) => None,
        (signed_in, _) => signed_in,
    };
    Ok(match signed_in {
        // An anonymous visitor chatting with the AI agent (SPEC R-CUST-2): they read only the
        // conversation they started.
        None => {
            let visitor: Option<String> = session
                .get(VISITOR_KEY)
                .await
                .map_err(|e| BackendError::Invalid(format!("session: {e}")))?;
            visitor.map(|id| Who {
                principal: Principal::Customer {
                    id: format!("visitor:{id}"),
                    name: "You".into(),
                },
                reader: Reader::Visitor(VisitorId::new(id)),
            })
        }
        Some(SignedIn::Staff(id)) => {
            let agent = AgentId::new(id.clone());
            reads::staff_name(&state.db, &agent).await?.map(|name| Who {
                principal: Principal::Agent { id, name },
                reader: Reader::Agent(agent),
            })
        }
        Some(SignedIn::Customer(id)) => {
            reads::customer_name(&state.db, &id).await?.map(|name| Who {
                principal: Principal::Customer {
                    id: id.clone(),
                    name,
                },
                reader: Reader::Customer(CustomerId::new(id)),
            })
        }
    })
}
