//! The AI agent's model backend setting (Built-in or OpenAI-compatible): reading it, saving it
//! with its audit entries, and **Test connection**. The API key is sealed before it is stored
//! ([`Sealer`]), never read back to a page, and the audit log says only that it was set or
//! replaced.

use domain::ai::model_settings::{ModelBackend, ModelSettings, check_model_settings};
use domain::roles::Setting;

use super::model::{Endpoint, ModelClient};
use crate::{
    clock::now_ms,
    db::Db,
    error::BackendError,
    secrets::Sealer,
    store::{
        Actor,
        audit::{Audited, Change},
        experiences,
    },
};

/// What is stored: the settings and the sealed key (empty: none).
async fn stored_in(
    conn: &mut sqlx::AnyConnection,
    experience: &str,
) -> Result<(ModelSettings, String), BackendError> {
    let row: Option<(String, String, String, String, i64, String)> = sqlx::query_as(
        "SELECT model_backend, model_base_url, model_name, model_key_sealed, model_temperature, \
         model_tone FROM ai_agents WHERE experience_id = $1",
    )
    .bind(experience)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((backend, base_url, model, sealed, temperature, tone)) = row else {
        return Ok((
            ModelSettings {
                temperature: 20,
                ..ModelSettings::default()
            },
            String::new(),
        ));
    };
    let backend = ModelBackend::from_code(&backend)
        .ok_or_else(|| BackendError::Corrupt(format!("unknown model backend {backend:?}")))?;
    Ok((
        ModelSettings {
            backend,
            base_url,
            model,
            temperature: u32::try_from(temperature).unwrap_or(20),
            tone,
            key_set: !sealed.is_empty(),
        },
        sealed,
    ))
}

/// The setting as the settings page shows it.
pub async fn view(db: &Db, experience: &str) -> Result<ModelSettings, BackendError> {
    Ok(stored_in(&mut *db.pool.acquire().await?, experience)
        .await?
        .0)
}

/// A model to ask, when the AI agent has one: its endpoint (with the key opened) and the
/// admin's tone.
pub struct Configured {
    pub endpoint: Endpoint,
    pub tone: String,
}

/// The model the AI agent of `experience` answers with, or `None` for the built-in backend.
pub async fn configured(
    db: &Db,
    sealer: &Sealer,
    experience: &str,
) -> Result<Option<Configured>, BackendError> {
    let (settings, sealed) = stored_in(&mut *db.pool.acquire().await?, experience).await?;
    if settings.backend != ModelBackend::OpenAiCompatible {
        return Ok(None);
    }
    let api_key = if sealed.is_empty() {
        None
    } else {
        Some(sealer.open(&sealed, experience)?)
    };
    Ok(Some(Configured {
        endpoint: Endpoint {
            base_url: settings.base_url,
            model: settings.model,
            api_key,
            temperature: settings.temperature as f32 / 100.0,
        },
        tone: settings.tone,
    }))
}

/// The settings page's form.
pub struct ModelForm<'a> {
    pub backend: ModelBackend,
    pub base_url: &'a str,
    pub model: &'a str,
    pub temperature: &'a str,
    pub tone: &'a str,
    /// Empty keeps the stored key.
    pub api_key: &'a str,
    /// Forget the stored key (a server that needs none).
    pub remove_key: bool,
}

fn subject(experience_name: &str) -> String {
    format!("AI agent of {experience_name}")
}

/// Saves the model backend after [`check_model_settings`], one transaction with its audit.
pub async fn save(
    db: &Db,
    actor: &Actor,
    sealer: &Sealer,
    experience: &str,
    form: ModelForm<'_>,
) -> Result<ModelSettings, BackendError> {
    let mut change = Audited::begin(db, actor, Setting::Experience(experience)).await?;
    let mut checked = check_model_settings(
        form.backend,
        form.base_url,
        form.model,
        form.temperature,
        form.tone,
        form.api_key,
    )
    .map_err(BackendError::Invalid)?;
    let stored = experiences::stored_in(change.tx(), experience).await?;
    let (current, current_sealed) = stored_in(change.tx(), experience).await?;
    let new_key = form.api_key.trim();
    let sealed = if form.remove_key {
        String::new()
    } else if new_key.is_empty() {
        current_sealed.clone()
    } else {
        sealer.seal(new_key, experience)?
    };
    checked.key_set = !sealed.is_empty();
    sqlx::query(
        "INSERT INTO ai_agents (experience_id, updated_at, model_backend, model_base_url, \
         model_name, model_key_sealed, model_temperature, model_tone) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (experience_id) DO UPDATE SET \
         updated_at = excluded.updated_at, model_backend = excluded.model_backend, \
         model_base_url = excluded.model_base_url, model_name = excluded.model_name, \
         model_key_sealed = excluded.model_key_sealed, \
         model_temperature = excluded.model_temperature, model_tone = excluded.model_tone",
    )
    .bind(experience)
    .bind(now_ms())
    .bind(checked.backend.code())
    .bind(checked.base_url.as_str())
    .bind(checked.model.as_str())
    .bind(sealed.as_str())
    .bind(i64::from(checked.temperature))
    .bind(checked.tone.as_str())
    .execute(change.tx())
    .await?;
    let subject = subject(&stored.settings.name);
    let fields = [
        (
            "Model backend",
            current.backend.label().to_string(),
            checked.backend.label().to_string(),
        ),
        (
            "Base URL",
            current.base_url.clone(),
            checked.base_url.clone(),
        ),
        ("Model", current.model.clone(), checked.model.clone()),
        (
            "Temperature",
            current.temperature_text(),
            checked.temperature_text(),
        ),
        ("Tone", current.tone.clone(), checked.tone.clone()),
    ];
    for (field, old, new) in fields {
        change.changed(Change::new(&subject, field, old, new));
    }
    // Never the key: only that it changed.
    let key_state = |set: bool| if set { "Set" } else { "Not set" };
    let key_after = if !new_key.is_empty() && !form.remove_key && current.key_set {
        "Replaced"
    } else {
        key_state(checked.key_set)
    };
    change.changed(Change::new(
        &subject,
        "API key",
        key_state(current.key_set),
        key_after,
    ));
    change.commit().await?;
    Ok(checked)
}

/// **Test connection** with the form's values (the stored key when the form has none): what
/// the endpoint said, or why it could not be asked.
pub async fn test_connection(
    db: &Db,
    actor: &Actor,
    sealer: &Sealer,
    client: &ModelClient,
    experience: &str,
    form: ModelForm<'_>,
) -> Result<String, BackendError> {
    actor.require(Setting::Experience(experience))?;
    let checked = check_model_settings(
        ModelBackend::OpenAiCompatible,
        form.base_url,
        form.model,
        form.temperature,
        form.tone,
        form.api_key,
    )
    .map_err(BackendError::Invalid)?;
    let (_, sealed) = stored_in(&mut *db.pool.acquire().await?, experience).await?;
    let api_key = match form.api_key.trim() {
        "" if form.remove_key || sealed.is_empty() => None,
        "" => Some(sealer.open(&sealed, experience)?),
        typed => Some(typed.to_string()),
    };
    let endpoint = Endpoint {
        base_url: checked.base_url,
        model: checked.model,
        api_key,
        temperature: checked.temperature as f32 / 100.0,
    };
    client
        .test_connection(&endpoint)
        .await
        .map_err(|error| BackendError::Invalid(error.to_string()))
}
