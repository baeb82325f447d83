//! The AI agent's **model backend** setting: the built-in answers from articles, or a language
//! model reached through an OpenAI-compatible API (hosted, or Ollama, vLLM, llama.cpp's server).

use serde::{Deserialize, Serialize};

/// Which backend writes the AI agent's answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelBackend {
    /// Retrieval answers: the best passage of the best article. Also what every other backend
    /// falls back to when it fails.
    #[default]
    BuiltIn,
    OpenAiCompatible,
}

impl ModelBackend {
    pub const ALL: [ModelBackend; 2] = [ModelBackend::BuiltIn, ModelBackend::OpenAiCompatible];

    /// The settings page's words.
    pub fn label(self) -> &'static str {
        match self {
            ModelBackend::BuiltIn => "Built-in",
            ModelBackend::OpenAiCompatible => "OpenAI-compatible",
        }
    }

    /// The stored code; [`ModelBackend::from_code`] reads it back.
    pub fn code(self) -> &'static str {
        match self {
            ModelBackend::BuiltIn => "built_in",
            ModelBackend::OpenAiCompatible => "openai_compatible",
        }
    }

    pub fn from_code(code: &str) -> Option<ModelBackend> {
        ModelBackend::ALL.into_iter().find(|b| b.code() == code)
    }
}

pub const MAX_BASE_URL_CHARS: usize = 500;
pub const MAX_MODEL_CHARS: usize = 200;
pub const MAX_TONE_CHARS: usize = 1_000;
pub const MAX_API_KEY_CHARS: usize = 1_000;

/// The model backend as the settings page shows it: never the API key, only whether one is set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelSettings {
    pub backend: ModelBackend,
    pub base_url: String,
    pub model: String,
    /// Hundredths: 20 is a temperature of 0.2.
    pub temperature: u32,
    /// The admin's words on tone, added to the model's instructions.
    pub tone: String,
    pub key_set: bool,
}

impl ModelSettings {
    /// The temperature as people write it: "0.2".
    pub fn temperature_text(&self) -> String {
        let (whole, hundredths) = (self.temperature / 100, self.temperature % 100);
        match hundredths {
            0 => whole.to_string(),
            h if h % 10 == 0 => format!("{whole}.{}", h / 10),
            h => format!("{whole}.{h:02}"),
        }
    }
}

/// Checks the settings page's input; `key_set` is kept from what is stored (the key itself is
/// handled apart: an empty key field keeps the stored one).
pub fn check_model_settings(
    backend: ModelBackend,
    base_url: &str,
    model: &str,
    temperature: &str,
    tone: &str,
    api_key: &str,
) -> Result<ModelSettings, String> {
    let base_url = base_url.trim().trim_end_matches('/').to_string();
    let model = model.trim().to_string();
    let tone = tone.trim().to_string();
    let temperature = parse_temperature(temperature)?;
    if tone.chars().count() > MAX_TONE_CHARS {
        return Err(format!(
            "Tone may have at most {MAX_TONE_CHARS} characters."
        ));
    }
    if api_key.chars().count() > MAX_API_KEY_CHARS || api_key.chars().any(char::is_control) {
        return Err("The API key is not valid: paste it as your provider shows it.".into());
    }
    if backend == ModelBackend::OpenAiCompatible {
        check_base_url(&base_url)?;
        if model.is_empty() {
            return Err("Enter the model's name, such as gpt-4o-mini or llama3.1.".into());
        }
    }
    if model.chars().count() > MAX_MODEL_CHARS || model.chars().any(char::is_control) {
        return Err(format!(
            "The model's name may have at most {MAX_MODEL_CHARS} characters."
        ));
    }
    Ok(ModelSettings {
        backend,
        base_url,
        model,
        temperature,
        tone,
        key_set: false,
    })
}

/// An http(s) address with a host and no credentials in it (they would show on this page and
/// in the audit log; the API key has its own field).
fn check_base_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("The base URL must start with https:// (or http:// for a server on your own network), such as https://api.openai.com/v1.")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() {
        return Err("The base URL needs a host, such as https://api.openai.com/v1.".into());
    }
    if authority.contains('@') {
        return Err(
            "Put no user name or password in the base URL: enter the API key in its own field."
                .into(),
        );
    }
    if url.chars().count() > MAX_BASE_URL_CHARS || url.chars().any(|c| c.is_whitespace()) {
        return Err(format!(
            "The base URL must be one address of at most {MAX_BASE_URL_CHARS} characters."
        ));
    }
    Ok(())
}

/// "0.2" → 20; 0 to 2 in steps of 0.01.
fn parse_temperature(text: &str) -> Result<u32, String> {
    let problem = || "Temperature must be a number from 0 to 2, such as 0.2.".to_string();
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > 2
        || !whole
            .chars()
            .chain(fraction.chars())
            .all(|c| c.is_ascii_digit())
    {
        return Err(problem());
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| problem())?
    };
    let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| problem())?;
    let hundredths = whole.saturating_mul(100).saturating_add(fraction);
    if hundredths > 200 {
        return Err(problem());
    }
    Ok(hundredths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, model: &str, temperature: &str) -> Result<ModelSettings, String> {
        check_model_settings(
            ModelBackend::OpenAiCompatible,
            url,
            model,
            temperature,
            "",
            "",
        )
    }

    #[test]
    fn an_openai_compatible_backend_needs_an_http_address_and_a_model() {
        let ok = check("http://127.0.0.1:11434/v1/", " llama3.1 ", "0.2").unwrap();
        assert_eq!(ok.base_url, "http://127.0.0.1:11434/v1");
        assert_eq!(ok.model, "llama3.1");
        assert_eq!(ok.temperature, 20);
        assert!(check("ftp://host/v1", "m", "0").is_err());
        assert!(check("https://", "m", "0").is_err());
        assert!(check("https://api.example/v1", "", "0").is_err());
        assert!(check("https://api.example/v1 x", "m", "0").is_err());
    }

    #[test]
    fn credentials_in_the_base_url_are_refused() {
        let error = check("https://user:secret@api.example/v1", "m", "0").unwrap_err();
        assert!(error.contains("API key"), "{error}");
    }

    #[test]
    fn temperature_is_from_0_to_2_in_hundredths() {
        for (text, hundredths) in [("0", 0), ("2", 200), ("0.25", 25), ("1.5", 150), (".7", 70)] {
            assert_eq!(
                check("https://a/v1", "m", text).unwrap().temperature,
                hundredths,
                "{text}"
            );
        }
        for bad in ["", "2.01", "-1", "0.123", "abc", "1e2"] {
            assert!(check("https://a/v1", "m", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_built_in_backend_needs_no_address() {
        let ok = check_model_settings(ModelBackend::BuiltIn, "", "", "0.2", "", "").unwrap();
        assert_eq!(ok.backend, ModelBackend::BuiltIn);
    }

    #[test]
    fn the_temperature_is_written_back_as_people_write_it() {
        for (hundredths, text) in [
            (0, "0"),
            (20, "0.2"),
            (25, "0.25"),
            (100, "1"),
            (150, "1.5"),
        ] {
            let settings = ModelSettings {
                temperature: hundredths,
                ..ModelSettings::default()
            };
            assert_eq!(settings.temperature_text(), text);
        }
    }

    #[test]
    fn backends_are_stored_by_code() {
        for backend in ModelBackend::ALL {
            assert_eq!(ModelBackend::from_code(backend.code()), Some(backend));
        }
        assert_eq!(ModelBackend::from_code("gpt"), None);
    }
}
