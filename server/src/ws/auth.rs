//! Who is on the other end of a socket, from their session.

use app::state::AppState;
use backend::{
    BackendError,
    realtime::reads,
    sessions::{SIGNED_IN_KEY, SignedIn, VISITOR_KEY},
};
use domain::{AgentId, CustomerId, VisitorId, access::Reader, protocol::Principal};
use tower_sessions::Session;

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

pub async fn principal(state: &AppState, session: &Session) -> Result<Option<Who>, BackendError> {
    let signed_in: Option<SignedIn> = session
        .get(SIGNED_IN_KEY)
        .await
        .map_err(|e| BackendError::Invalid(format!("session: {e}")))?;
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
