//! The AI agent's settings page: its knowledge base (articles, published or draft), its handoff
//! settings (SPEC R-HAND-4) and whether it is published (R-MODE-2). Edited by the experience's
//! admins and site admins; every change is one transaction with its audit entry.

use domain::{
    ai::{HandoffSettings, check_handoff_settings},
    roles::Setting,
    views::ai::{AiAgentView, ArticleView},
};

use super::retrieval::Article;
use crate::{
    clock::now_ms,
    db::Db,
    error::BackendError,
    store::{
        Actor,
        audit::{Audited, Change},
        experiences,
    },
};

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 20_000;

/// The AI agent's handoff settings; the defaults until an admin saves some.
pub async fn handoff_settings(db: &Db, experience: &str) -> Result<HandoffSettings, BackendError> {
    handoff_settings_in(&mut *db.pool.acquire().await?, experience).await
}

async fn handoff_settings_in(
    conn: &mut sqlx::AnyConnection,
    experience: &str,
) -> Result<HandoffSettings, BackendError> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT unconfident_limit, handoff_phrases FROM ai_agents WHERE experience_id = $1",
    )
    .bind(experience)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some((limit, phrases)) => HandoffSettings {
            unconfident_limit: u32::try_from(limit).unwrap_or(2),
            phrases: serde_json::from_str(&phrases)?,
        },
        None => HandoffSettings::default(),
    })
}

async fn articles(db: &Db, experience: &str) -> Result<Vec<ArticleView>, BackendError> {
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, title, body, published, updated_at FROM kb_articles WHERE experience_id = $1 \
         ORDER BY title, id",
    )
    .bind(experience)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, body, published, updated_at)| ArticleView {
            id,
            title,
            body,
            published: published != 0,
            updated_at,
        })
        .collect())
}

/// The published articles the AI agent answers from.
pub async fn published_articles(db: &Db, experience: &str) -> Result<Vec<Article>, BackendError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, title, body FROM kb_articles WHERE experience_id = $1 AND published = 1 \
         ORDER BY id",
    )
    .bind(experience)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, body)| Article { id, title, body })
        .collect())
}

/// A published article as customers read it on the support website (the AI agent links here).
pub async fn public_article(
    db: &Db,
    widget_key: &str,
    article: &str,
) -> Result<(String, String), BackendError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT a.title, a.body FROM kb_articles a JOIN experiences e ON e.id = a.experience_id \
         WHERE e.widget_key = $1 AND a.id = $2 AND a.published = 1",
    )
    .bind(widget_key)
    .bind(article)
    .fetch_optional(&db.pool)
    .await?;
    row.ok_or(BackendError::NotFound)
}

pub async fn view(db: &Db, actor: &Actor, experience: &str) -> Result<AiAgentView, BackendError> {
    actor.require(Setting::Experience(experience))?;
    let stored = experiences::stored(db, experience).await?;
    Ok(AiAgentView {
        experience_id: stored.id.clone(),
        experience_name: stored.settings.name,
        mode: stored.settings.mode,
        published: stored.ai_published,
        settings: handoff_settings(db, experience).await?,
        model: super::model_settings::view(db, experience).await?,
        articles: articles(db, experience).await?,
    })
}

fn subject(experience_name: &str) -> String {
    format!("AI agent of {experience_name}")
}

/// Saves the handoff settings after [`check_handoff_settings`].
pub async fn save_settings(
    db: &Db,
    actor: &Actor,
    experience: &str,
    unconfident_limit: u32,
    phrases: &str,
) -> Result<HandoffSettings, BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Experience(experience)).await?;
    let checked =
        check_handoff_settings(unconfident_limit, phrases).map_err(BackendError::Invalid)?;
    let stored = experiences::stored_in(change.tx(), experience).await?;
    let current = handoff_settings_in(change.tx(), experience).await?;
    sqlx::query(
        "INSERT INTO ai_agents (experience_id, unconfident_limit, handoff_phrases, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (experience_id) DO UPDATE SET \
         unconfident_limit = excluded.unconfident_limit, handoff_phrases = excluded.handoff_phrases, \
         updated_at = excluded.updated_at",
    )
    .bind(experience)
    .bind(i64::from(checked.unconfident_limit))
    .bind(serde_json::to_string(&checked.phrases)?)
    .bind(now_ms())
    .execute(change.tx())
    .await?;
    let subject = subject(&stored.settings.name);
    change.changed(Change::new(
        &subject,
        "Answers without confidence before handoff",
        current.unconfident_limit,
        checked.unconfident_limit,
    ));
    change.changed(Change::new(
        &subject,
        "Handoff phrases",
        current.phrases.join(", "),
        checked.phrases.join(", "),
    ));
    change.commit().await?;
    Ok(checked)
}

/// Publishes or unpublishes the AI agent (SPEC R-MODE-2). Publishing needs an AI support mode
/// and at least one published article: an AI agent with nothing to answer from is not set up.
pub async fn set_published(
    db: &Db,
    actor: &Actor,
    experience: &str,
    publish: bool,
) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Experience(experience)).await?;
    let stored = experiences::stored_in(change.tx(), experience).await?;
    if publish {
        if !stored.settings.mode.has_ai() {
            return Err(BackendError::Invalid(
                "This experience's Support mode is Support team: choose AI agent, or AI agent and support team, before publishing the AI agent.".into(),
            ));
        }
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM kb_articles WHERE experience_id = $1 AND published = 1",
        )
        .bind(experience)
        .fetch_one(change.tx())
        .await?;
        if count == 0 {
            return Err(BackendError::Invalid(
                "Publish at least one article first: the AI agent answers only from published articles.".into(),
            ));
        }
    }
    sqlx::query("UPDATE experiences SET ai_published = $1 WHERE id = $2")
        .bind(i64::from(publish))
        .bind(experience)
        .execute(change.tx())
        .await?;
    let state = |p: bool| if p { "Published" } else { "Draft" };
    change.changed(Change::new(
        subject(&stored.settings.name),
        "AI agent",
        state(stored.ai_published),
        state(publish),
    ));
    change.commit().await
}

/// Creates (`id` None) or updates an article. Titles and bodies are plain text.
pub async fn save_article(
    db: &Db,
    actor: &Actor,
    experience: &str,
    id: Option<&str>,
    title: &str,
    body: &str,
    published: bool,
) -> Result<String, BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Experience(experience)).await?;
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let body = body.trim().replace("\r\n", "\n");
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Err(BackendError::Invalid(format!(
            "Give the article a title of at most {MAX_TITLE_CHARS} characters."
        )));
    }
    if body.is_empty() || body.chars().count() > MAX_BODY_CHARS {
        return Err(BackendError::Invalid(format!(
            "Write the article's text (at most {MAX_BODY_CHARS} characters)."
        )));
    }
    let stored = experiences::stored_in(change.tx(), experience).await?;
    let now = now_ms();
    let (id, old_title, old_state) = match id {
        Some(id) => {
            let row: Option<(String, i64)> = sqlx::query_as(
                "SELECT title, published FROM kb_articles WHERE id = $1 AND experience_id = $2",
            )
            .bind(id)
            .bind(experience)
            .fetch_optional(change.tx())
            .await?;
            let (old_title, old_published) = row.ok_or(BackendError::NotFound)?;
            sqlx::query(
                "UPDATE kb_articles SET title = $1, body = $2, published = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(&title)
            .bind(&body)
            .bind(i64::from(published))
            .bind(now)
            .bind(id)
            .execute(change.tx())
            .await?;
            (id.to_string(), old_title, Some(old_published != 0))
        }
        None => {
            let id = uuid::Uuid::now_v7().to_string();
            sqlx::query(
                "INSERT INTO kb_articles (id, experience_id, title, body, published, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(&id)
            .bind(experience)
            .bind(&title)
            .bind(&body)
            .bind(i64::from(published))
            .bind(now)
            .execute(change.tx())
            .await?;
            (id, String::new(), None)
        }
    };
    let state = |p: Option<bool>| match p {
        None => "",
        Some(true) => "Published",
        Some(false) => "Draft",
    };
    let subject = subject(&stored.settings.name);
    change.changed(Change::new(&subject, "Article title", &old_title, &title));
    change.changed(Change::new(
        &subject,
        format!("Article \u{201c}{title}\u{201d}"),
        state(old_state),
        state(Some(published)),
    ));
    change.commit().await?;
    Ok(id)
}

pub async fn delete_article(
    db: &Db,
    actor: &Actor,
    experience: &str,
    id: &str,
) -> Result<(), BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Experience(experience)).await?;
    let stored = experiences::stored_in(change.tx(), experience).await?;
    let row: Option<(String,)> =
        sqlx::query_as("SELECT title FROM kb_articles WHERE id = $1 AND experience_id = $2")
            .bind(id)
            .bind(experience)
            .fetch_optional(change.tx())
            .await?;
    let (title,) = row.ok_or(BackendError::NotFound)?;
    sqlx::query("DELETE FROM kb_articles WHERE id = $1")
        .bind(id)
        .execute(change.tx())
        .await?;
    change.changed(Change::new(
        subject(&stored.settings.name),
        "Article",
        title,
        "deleted",
    ));
    change.commit().await
}
