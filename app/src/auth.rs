//! Sign-in, sign-up and sign-out for staff and customers, and the session look-ups every other
//! server function starts with. The session lives on the server (see `backend::sessions`); the
//! browser holds only its id in an HttpOnly cookie.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// Who the browser is signed in as, for the pages to greet and route.
/// Read through a plain struct: the same JSON without serde's buffering of tagged enums (see
/// `domain::protocol::decode`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "MeWire")]
pub enum Me {
    Staff { id: String, name: String },
    Customer { id: String, name: String },
}

#[derive(Deserialize)]
struct MeWire {
    kind: String,
    id: String,
    name: String,
}

impl TryFrom<MeWire> for Me {
    type Error = String;

    fn try_from(MeWire { kind, id, name }: MeWire) -> Result<Self, String> {
        match kind.as_str() {
            "staff" => Ok(Me::Staff { id, name }),
            "customer" => Ok(Me::Customer { id, name }),
            other => Err(format!("unknown kind of account `{other}`")),
        }
    }
}

impl Me {
    pub fn name(&self) -> &str {
        match self {
            Me::Staff { name, .. } | Me::Customer { name, .. } => name,
        }
    }
}

#[cfg(feature = "ssr")]
pub mod session {
    //! The current session, for server functions.
    use backend::sessions::{SIGNED_IN_KEY, SignedIn};
    use tower_sessions::Session;

    use crate::AppError;

    pub async fn current() -> Result<Session, AppError> {
        leptos_axum::extract::<Session>().await.map_err(|error| {
            tracing::error!(%error, "session layer missing");
            AppError::Internal
        })
    }

    pub async fn signed_in() -> Result<Option<SignedIn>, AppError> {
        let who = current()
            .await?
            .get::<SignedIn>(SIGNED_IN_KEY)
            .await
            .map_err(|error| {
                tracing::warn!(%error, "session store unavailable");
                AppError::Unavailable
            })?;
        // The widget's session can never act as a team member, even when someone presents a
        // staff session's id as the widget's token.
        Ok(match who {
            Some(SignedIn::Staff(_)) if crate::widget_session::in_widget_channel() => None,
            who => who,
        })
    }

    /// The signed-in staff member's id, or `Forbidden`.
    pub async fn staff_id() -> Result<String, AppError> {
        match signed_in().await? {
            Some(SignedIn::Staff(id)) => Ok(id),
            _ => Err(AppError::Forbidden.with_status()),
        }
    }

    /// The signed-in customer's id, or `Forbidden`.
    pub async fn customer_id() -> Result<String, AppError> {
        match signed_in().await? {
            Some(SignedIn::Customer(id)) => Ok(id),
            _ => Err(AppError::Forbidden.with_status()),
        }
    }

    /// The anonymous visitor's id in this session; with `create`, one is made when missing.
    pub async fn visitor_id(create: bool) -> Result<Option<String>, AppError> {
        let session = current().await?;
        let unavailable = |error: tower_sessions::session::Error| {
            tracing::warn!(%error, "session store unavailable");
            AppError::Unavailable
        };
        if let Some(id) = session
            .get::<String>(backend::sessions::VISITOR_KEY)
            .await
            .map_err(unavailable)?
        {
            return Ok(Some(id));
        }
        if !create {
            return Ok(None);
        }
        // A new visitor is a new session row: limited per client address.
        let state = crate::state::AppState::from_context()?;
        state
            .limits
            .new_visitor(crate::client::client_address().await)
            .await?;
        let id = uuid::Uuid::now_v7().to_string();
        session
            .insert(backend::sessions::VISITOR_KEY, &id)
            .await
            .map_err(unavailable)?;
        Ok(Some(id))
    }

    /// Who is chatting: the signed-in customer and/or this session's visitor.
    pub async fn chatter(create_visitor: bool) -> Result<backend::widget::Chatter, AppError> {
        let customer = match signed_in().await? {
            Some(SignedIn::Customer(id)) => Some(domain::CustomerId::new(id)),
            _ => None,
        };
        let visitor = visitor_id(create_visitor && customer.is_none()).await?;
        Ok(backend::widget::Chatter {
            customer,
            visitor: visitor.map(domain::VisitorId::new),
        })
    }

    /// The conversation readers a customer's or visitor's session stands for.
    pub fn readers(who: &backend::widget::Chatter) -> Vec<domain::access::Reader> {
        let customer = who.customer.clone().map(domain::access::Reader::Customer);
        let visitor = who.visitor.clone().map(domain::access::Reader::Visitor);
        customer.into_iter().chain(visitor).collect()
    }

    /// Starts a fresh session for `who` (a new id, so a planted cookie is useless).
    pub async fn begin(who: SignedIn) -> Result<(), AppError> {
        if matches!(who, SignedIn::Staff(_)) && crate::widget_session::in_widget_channel() {
            return Err(AppError::Invalid(super::STAFF_IN_WIDGET.into()).with_status_code(403));
        }
        let session = current().await?;
        // Sockets opened under the old id (say, a visitor's) close now rather than at their next
        // session check: they would otherwise act for a session that no longer exists.
        if let Some(old) = session.id()
            && let Ok(state) = crate::state::AppState::from_context()
        {
            backend::realtime::bus::session_ended(state.engine.bus().as_ref(), &old.to_string());
        }
        session.cycle_id().await.map_err(|error| {
            tracing::warn!(%error, "cannot rotate the session id");
            AppError::Unavailable
        })?;
        session.insert(SIGNED_IN_KEY, who).await.map_err(|error| {
            tracing::warn!(%error, "cannot store the session");
            AppError::Unavailable
        })
    }
}

/// Checks a sign-in form before anything else: the email is validated and normalised (422
/// otherwise), the password is not longer than any password can be, and then the attempt is
/// counted by the limits (429 with `Retry-After` when over; see `crate::limits`). Invalid input
/// never reaches a limiter or the database. Returns the normalised email.
#[cfg(feature = "ssr")]
async fn admit_sign_in(
    state: &crate::state::AppState,
    account: crate::limits::Account,
    email: &str,
    password: &str,
) -> Result<String, AppError> {
    let email = backend::accounts::parse_email(email)?;
    if password.chars().count() > backend::accounts::MAX_PASSWORD_CHARS {
        return Err(AppError::Invalid(WRONG_CREDENTIALS.into()).with_status());
    }
    let from = crate::client::client_address().await;
    state.limits.sign_in(account, &email, from).await?;
    Ok(email)
}

#[cfg(feature = "ssr")]
const STAFF_IN_WIDGET: &str =
    "Team members sign in on Baton's own pages, not in a customer's chat widget.";

#[cfg(feature = "ssr")]
const WRONG_CREDENTIALS: &str =
    "That email and password do not match an account. Check them and try again.";

#[server(prefix = "/api", endpoint = "me", client = crate::widget_session::SessionAwareClient)]
pub async fn who_am_i() -> Result<Option<Me>, AppError> {
    use backend::sessions::SignedIn;
    let state = crate::state::AppState::from_context()?;
    Ok(match session::signed_in().await? {
        None => None,
        Some(SignedIn::Staff(id)) => {
            backend::realtime::reads::staff_name(&state.db, &domain::AgentId::new(id.clone()))
                .await?
                .map(|name| Me::Staff { id, name })
        }
        Some(SignedIn::Customer(id)) => backend::realtime::reads::customer_name(&state.db, &id)
            .await?
            .map(|name| Me::Customer { id, name }),
    })
}

#[server(prefix = "/api", endpoint = "staff-sign-in")]
pub async fn staff_sign_in(email: String, password: String) -> Result<Me, AppError> {
    if crate::widget_session::in_widget_channel() {
        return Err(AppError::Invalid(STAFF_IN_WIDGET.into()).with_status_code(403));
    }
    let state = crate::state::AppState::from_context()?;
    let email = admit_sign_in(&state, crate::limits::Account::Staff, &email, &password).await?;
    let Some(id) = backend::accounts::authenticate(&state.db, &email, &password).await? else {
        return Err(AppError::Invalid(WRONG_CREDENTIALS.into()).with_status());
    };
    session::begin(backend::sessions::SignedIn::Staff(id.clone())).await?;
    let name = backend::realtime::reads::staff_name(&state.db, &domain::AgentId::new(id.clone()))
        .await?
        .unwrap_or_default();
    Ok(Me::Staff { id, name })
}

#[server(prefix = "/api", endpoint = "customer-sign-in", client = crate::widget_session::SessionAwareClient)]
pub async fn customer_sign_in(email: String, password: String) -> Result<Me, AppError> {
    let state = crate::state::AppState::from_context()?;
    let email = admit_sign_in(&state, crate::limits::Account::Customer, &email, &password).await?;
    let Some(id) = backend::customers::authenticate(&state.db, &email, &password).await? else {
        return Err(AppError::Invalid(WRONG_CREDENTIALS.into()).with_status());
    };
    session::begin(backend::sessions::SignedIn::Customer(id.clone())).await?;
    let name = backend::realtime::reads::customer_name(&state.db, &id)
        .await?
        .unwrap_or_default();
    Ok(Me::Customer { id, name })
}

#[server(prefix = "/api", endpoint = "customer-sign-up", client = crate::widget_session::SessionAwareClient)]
pub async fn customer_sign_up(
    name: String,
    email: String,
    password: String,
) -> Result<Me, AppError> {
    let state = crate::state::AppState::from_context()?;
    // A mistyped form costs no attempt; a well-formed one is counted before the database.
    backend::customers::check_sign_up(&email, &name, &password)?;
    state
        .limits
        .sign_up(crate::client::client_address().await)
        .await?;
    let id = backend::customers::sign_up(&state.db, &email, &name, &password).await?;
    session::begin(backend::sessions::SignedIn::Customer(id.clone())).await?;
    Ok(Me::Customer {
        id,
        name: name.trim().to_string(),
    })
}

#[server(prefix = "/api", endpoint = "sign-out", client = crate::widget_session::SessionAwareClient)]
pub async fn sign_out() -> Result<(), AppError> {
    let session = session::current().await?;
    let id = session.id();
    session.flush().await.map_err(|error| {
        tracing::warn!(%error, "cannot end the session");
        AppError::Unavailable
    })?;
    // Sockets opened with this session close now, before they can act again.
    if let Some(id) = id {
        let bus = crate::state::AppState::from_context()?.engine.bus().clone();
        backend::realtime::bus::session_ended(bus.as_ref(), &id.to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Me;

    #[test]
    fn who_the_browser_is_signed_in_as_is_read_back_unchanged() {
        for me in [
            Me::Staff {
                id: "s".into(),
                name: "Ada".into(),
            },
            Me::Customer {
                id: "c".into(),
                name: "Grace".into(),
            },
        ] {
            let text = serde_json::to_string(&me).unwrap();
            assert_eq!(serde_json::from_str::<Me>(&text).unwrap(), me, "{text}");
        }
        assert!(serde_json::from_str::<Me>(r#"{"kind":"robot","id":"r","name":"R"}"#).is_err());
    }
}
