//! The customer's side of a customer experience: what its widget shows, starting a chat through
//! it (SPEC R-CUST-1/2, R-MODE-*), the place in the queue, and identifying a customer with a
//! token signed by the embedding site (HS256 JWT with the widget's identity secret).

use domain::{
    Command, ConversationId, CustomerId, SpaceId, Start, VisitorId,
    experience::SupportMode,
    identity_token::{self as token_rules, TokenTimeRefusal, TokenTimes},
    views::WidgetInfo,
};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind};
use serde::Deserialize;

use crate::{
    ai::AiAgent,
    clock::now_ms,
    db::Db,
    engine::{Alongside, Engine},
    error::BackendError,
    store::experiences::{self, Stored},
};

fn info_from(s: Stored, plan_allows_live_chat: bool, accept_language: &str) -> WidgetInfo {
    let texts = crate::i18n::texts(crate::i18n::negotiate(
        s.language.as_deref(),
        accept_language,
    ));
    let mode = s.settings.mode;
    // Until its AI agent is published, an experience that would start with it goes straight to
    // the team (SPEC R-MODE-2), and AI-only chat is closed.
    let ai_ready = mode.has_ai() && s.ai_published;
    let closed_reason = if mode == SupportMode::AiAgent && !ai_ready {
        Some(texts.get("chat-not-yet"))
    } else if !ai_ready && !plan_allows_live_chat {
        Some(texts.get("chat-not-on-plan"))
    } else {
        None
    };
    WidgetInfo {
        experience_id: s.id,
        widget_key: s.widget_key,
        name: s.settings.name,
        mode,
        fallback_message: s.settings.fallback_message,
        help_text: s.settings.help_text,
        chat_open: closed_reason.is_none(),
        closed_reason,
        sign_in_first: !ai_ready,
        allowed_domains: s.settings.allowed_domains,
        lang: texts.lang,
        rtl: texts.rtl,
        words: texts.lines,
    }
}

/// The widget's view of the experience behind `key`, in the language negotiated from the
/// browser's `Accept-Language` (unless the experience pins one).
pub async fn info(db: &Db, key: &str, accept_language: &str) -> Result<WidgetInfo, BackendError> {
    let stored = experiences::by_key(db, key).await?;
    let plan = crate::store::site::plan(db).await?;
    Ok(info_from(stored, plan.allows_live_chat(), accept_language))
}

/// Who is chatting in the widget: a signed-in customer, an anonymous visitor talking to the
/// AI agent (SPEC R-CUST-2), or both for a moment after the visitor signs in.
#[derive(Clone, Debug, Default)]
pub struct Chatter {
    pub customer: Option<CustomerId>,
    pub visitor: Option<VisitorId>,
}

/// The chatter's newest conversation through this experience that is still going on.
pub async fn open_conversation(
    db: &Db,
    key: &str,
    who: &Chatter,
) -> Result<Option<ConversationId>, BackendError> {
    let stored = experiences::by_key(db, key).await?;
    open_in(db, &stored.id, who).await
}

async fn open_in(
    db: &Db,
    experience: &str,
    who: &Chatter,
) -> Result<Option<ConversationId>, BackendError> {
    const OPEN: &str = "status IN ('with_ai', 'waiting_for_agent', 'active')";
    if let Some(customer) = &who.customer {
        let sql = format!(
            "SELECT id FROM conversations WHERE customer_id = $1 AND experience_id = $2 \
             AND {OPEN} ORDER BY started_at DESC, id DESC LIMIT 1"
        );
        let row: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(customer.as_str())
            .bind(experience)
            .fetch_optional(&db.pool)
            .await?;
        if let Some((id,)) = row {
            return Ok(Some(ConversationId::new(id)));
        }
    }
    if let Some(visitor) = &who.visitor {
        let sql = format!(
            "SELECT id FROM conversations WHERE visitor_id = $1 AND experience_id = $2 \
             AND {OPEN} ORDER BY started_at DESC, id DESC LIMIT 1"
        );
        let row: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(visitor.as_str())
            .bind(experience)
            .fetch_optional(&db.pool)
            .await?;
        return Ok(row.map(|(id,)| ConversationId::new(id)));
    }
    Ok(None)
}

/// Starts a chat through the experience: with the AI agent when it is published (anonymous
/// visitors allowed), else with the team for a signed-in customer. Starting again while one is
/// open (a double click, a second tab) returns the open one.
pub async fn start(
    engine: &Engine,
    ai: &AiAgent,
    key: &str,
    who: &Chatter,
) -> Result<ConversationId, BackendError> {
    let db = engine.db();
    let stored = experiences::by_key(db, key).await?;
    if let Some(open) = open_in(db, &stored.id, who).await? {
        return Ok(open);
    }
    let plan = crate::store::site::plan(db).await?;
    // The refusal's words are English here: the page shows its own, translated, before asking.
    let info = info_from(stored.clone(), plan.allows_live_chat(), "");
    if let Some(reason) = info.closed_reason {
        return Err(BackendError::Invalid(reason));
    }
    let Some(space) = stored.settings.space.clone() else {
        return Err(BackendError::Invalid(
            "Chat is not set up here yet: no space is chosen for its conversations.".into(),
        ));
    };
    let with_ai = !info.sign_in_first;
    let via = if with_ai {
        Start::Ai {
            visitor: who.visitor.clone().filter(|_| who.customer.is_none()),
        }
    } else {
        Start::Direct
    };
    if !with_ai && who.customer.is_none() {
        return Err(BackendError::Rule(domain::DomainError::SignInRequired));
    }
    let id = ConversationId::new(uuid::Uuid::now_v7().to_string());
    engine
        .execute_with(
            Command::StartConversation {
                id: id.clone(),
                space: SpaceId::new(space),
                customer: who.customer.clone(),
                via,
            },
            Alongside {
                experience: Some(stored.id.clone()),
                ..Alongside::default()
            },
        )
        .await?;
    if with_ai {
        ai.greet(&id, &stored).await?;
    }
    Ok(id)
}

/// After a visitor signs in, their open AI conversation becomes the customer's (SPEC R-CUST-2):
/// the transcript stays, and a handoff that was waiting for the sign-in goes ahead (R-HAND-3).
pub async fn claim(
    engine: &Engine,
    key: &str,
    customer: &CustomerId,
    visitor: &VisitorId,
) -> Result<Option<ConversationId>, BackendError> {
    let db = engine.db();
    let stored = experiences::by_key(db, key).await?;
    let anonymous = Chatter {
        customer: None,
        visitor: Some(visitor.clone()),
    };
    let Some(id) = open_in(db, &stored.id, &anonymous).await? else {
        return Ok(None);
    };
    engine
        .execute(Command::IdentifyCustomer {
            conversation: id.clone(),
            customer: customer.clone(),
        })
        .await?;
    Ok(Some(id))
}

/// While the conversation waits for an agent: 1 for the first in its space's line, and so on.
/// None once it is no longer waiting. Only its own customer may ask.
pub async fn queue_position(
    db: &Db,
    conversation: &ConversationId,
    customer: &CustomerId,
) -> Result<Option<i64>, BackendError> {
    let row: Option<(String, Option<String>, String, Option<i64>)> = sqlx::query_as(
        "SELECT space_id, customer_id, status, waiting_since FROM conversations WHERE id = $1",
    )
    .bind(conversation.as_str())
    .fetch_optional(&db.pool)
    .await?;
    let Some((space, owner, status, since)) = row else {
        return Err(BackendError::NotFound);
    };
    if owner.as_deref() != Some(customer.as_str()) {
        return Err(BackendError::NotFound);
    }
    let (Some(since), "waiting_for_agent") = (since, status.as_str()) else {
        return Ok(None);
    };
    let (ahead,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM conversations WHERE space_id = $1 AND status = 'waiting_for_agent' \
         AND (waiting_since < $2 OR (waiting_since = $2 AND id < $3))",
    )
    .bind(&space)
    .bind(since)
    .bind(conversation.as_str())
    .fetch_one(&db.pool)
    .await?;
    Ok(Some(ahead + 1))
}

/// What an embedding site puts in its identity token.
#[derive(Debug, Deserialize)]
struct IdentityClaims {
    /// The site's own id for its user.
    sub: String,
    /// Required: a token without expiry would sign someone in forever. At most a day ahead
    /// (`domain::identity_token`).
    exp: u64,
    /// Optional: not valid before.
    nbf: Option<u64>,
    /// Optional: issued at; `exp - iat` may not exceed a day either.
    iat: Option<u64>,
    /// Required: a token is good once; a replay is refused.
    jti: String,
    name: Option<String>,
    email: Option<String>,
}

/// Verifies an embedding site's token for this widget and returns the customer it names,
/// creating them on first sight. Forged, expired, replayed or malformed tokens are refused
/// with a message the widget shows as it is.
pub async fn identify(db: &Db, key: &str, token: &str) -> Result<CustomerId, BackendError> {
    let stored = experiences::by_key(db, key).await?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = token_rules::LEEWAY_SECONDS;
    validation.validate_nbf = true;
    validation.set_required_spec_claims(&["exp", "sub"]);
    let claims = jsonwebtoken::decode::<IdentityClaims>(
        token.trim(),
        &DecodingKey::from_secret(stored.identity_secret.as_bytes()),
        &validation,
    )
    .map_err(|e| {
        let message = match e.kind() {
            ErrorKind::ExpiredSignature => TokenTimeRefusal::Expired.to_string(),
            ErrorKind::ImmatureSignature => TokenTimeRefusal::NotYetValid.to_string(),
            ErrorKind::InvalidSignature | ErrorKind::InvalidAlgorithm => {
                "This site's sign-in could not be verified for this chat. Reload the page; if it keeps happening, the site's identity secret may have been rotated.".into()
            }
            _ => "This site's sign-in token is malformed; it needs sub, exp and jti.".into(),
        };
        tracing::info!(error = %e, widget = key, "identity token refused");
        BackendError::Invalid(message)
    })?
    .claims;
    let now = now_ms();
    // The time rules (a day's lifetime at most, not before `nbf`) and how long to remember
    // the token's id, which can no longer overflow whatever `exp` says.
    let remember_until = token_rules::check_token_times(
        TokenTimes {
            exp: claims.exp,
            nbf: claims.nbf,
            iat: claims.iat,
        },
        u64::try_from(now / 1000).unwrap_or(0),
    )
    .map_err(|refusal| {
        tracing::info!(%refusal, widget = key, "identity token refused");
        BackendError::Invalid(refusal.to_string())
    })?;
    let sub = claims.sub.trim();
    let jti = claims.jti.trim();
    if sub.is_empty() || sub.len() > 200 || jti.is_empty() || jti.len() > 200 {
        return Err(BackendError::Invalid(
            "This site's sign-in token is malformed; it needs sub, exp and jti.".into(),
        ));
    }
    let external = format!("{}:{sub}", stored.id);
    let name = claims
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("Customer")
        .chars()
        .take(100)
        .collect::<String>();
    let email = claims
        .email
        .as_deref()
        .and_then(|e| crate::accounts::parse_email(e).ok());
    let mut tx = db.begin_write().await?;
    // Forget used token ids once their tokens have expired anyway.
    sqlx::query("DELETE FROM identity_tokens WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let used = sqlx::query(
        "INSERT INTO identity_tokens (experience_id, jti, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(&stored.id)
    .bind(jti)
    .bind(remember_until)
    .execute(&mut *tx)
    .await;
    if let Err(sqlx::Error::Database(d)) = &used
        && d.is_unique_violation()
    {
        return Err(BackendError::Invalid(
            "This sign-in token was already used. Reload the page to sign in again.".into(),
        ));
    }
    used?;
    let existing: Option<(String,)> =
        sqlx::query_as("SELECT id FROM customers WHERE external_id = $1")
            .bind(&external)
            .fetch_optional(&mut *tx)
            .await?;
    let id = match existing {
        Some((id,)) => {
            sqlx::query("UPDATE customers SET display_name = $1 WHERE id = $2")
                .bind(&name)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            id
        }
        None => {
            // The email is kept when no other customer account holds it.
            let email = match email {
                Some(e) => {
                    let holder: Option<(String,)> =
                        sqlx::query_as("SELECT id FROM customers WHERE email = $1")
                            .bind(&e)
                            .fetch_optional(&mut *tx)
                            .await?;
                    holder.is_none().then_some(e)
                }
                None => None,
            };
            crate::store::users::insert_customer(
                &mut tx,
                crate::store::users::NewCustomer {
                    email: email.as_deref(),
                    display_name: &name,
                    password_hash: None,
                    external_id: Some(external.as_str()),
                },
            )
            .await?
        }
    };
    tx.commit().await?;
    Ok(CustomerId::new(id))
}

/// The customer pressed **Talk to a person** (SPEC R-HAND-1). Only the conversation's own
/// customer or visitor may.
pub async fn ask_for_person(
    engine: &Engine,
    ai: &AiAgent,
    conversation: &ConversationId,
    who: &Chatter,
) -> Result<(), BackendError> {
    let conv = crate::realtime::reads::conversation(engine.db(), conversation)
        .await?
        .ok_or(BackendError::NotFound)?;
    let readers = [
        who.customer.clone().map(domain::access::Reader::Customer),
        who.visitor.clone().map(domain::access::Reader::Visitor),
    ];
    if !readers
        .iter()
        .flatten()
        .any(|r| domain::access::may_read(&conv, r))
    {
        return Err(BackendError::NotFound);
    }
    ai.person_requested(conversation).await
}
