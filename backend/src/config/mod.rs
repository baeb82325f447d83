//! Configuration: defaults → optional TOML file → environment/flags, validated once at start.
//!
//! The server's command line (clap) reads `BATON_*` variables and flags into a [`RawConfig`] of
//! optional strings; this module layers it over the file and the defaults with figment and turns
//! the result into a typed [`Config`], collecting every bad value into one clear report.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use figment::{
    Figment,
    providers::{Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

use crate::error::BackendError;
use crate::proxies::TrustedProxies;
use crate::rates::{self, Rate, RateLimits};

/// Every setting as text, as it comes from a file, the environment or a flag. `None` = not given.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawConfig {
    pub data_dir: Option<String>,
    pub database_url: Option<String>,
    pub addr: Option<String>,
    pub demo_host_addr: Option<String>,
    pub log_format: Option<String>,
    pub log_level: Option<String>,
    pub demo: Option<bool>,
    pub db_max_connections: Option<u32>,
    pub offer_timeout: Option<String>,
    pub accept_deadline: Option<String>,
    pub inactivity_warning: Option<String>,
    pub inactivity_grace: Option<String>,
    pub max_duration: Option<String>,
    pub presence_grace: Option<String>,
    pub message_rate: Option<u32>,
    pub sla_first_response: Option<String>,
    pub public_url: Option<String>,
    pub ai_thinking: Option<String>,
    pub sign_in_rate: Option<String>,
    pub sign_in_account_rate: Option<String>,
    pub sign_in_address_rate: Option<String>,
    pub sign_up_rate: Option<String>,
    pub sign_up_global_rate: Option<String>,
    pub visitor_rate: Option<String>,
    pub visitor_start_rate: Option<String>,
    pub chat_start_rate: Option<String>,
    pub cluster: Option<bool>,
    pub trusted_proxies: Option<String>,
    pub secret_key: Option<String>,
    pub ai_model_timeout: Option<String>,
    pub ai_model_concurrency: Option<u32>,
    pub ai_token_budget: Option<u32>,
    pub metrics_addr: Option<String>,
    pub attachments_bucket: Option<String>,
}

impl RawConfig {
    /// The shipped defaults (SPEC R-TIME-5: the product ships with the SPEC's durations).
    pub fn defaults() -> Self {
        RawConfig {
            data_dir: Some("data".into()),
            database_url: None,
            addr: Some("127.0.0.1:3000".into()),
            demo_host_addr: Some("127.0.0.1:3002".into()),
            log_format: Some("pretty".into()),
            log_level: Some("info".into()),
            demo: Some(false),
            db_max_connections: Some(8),
            offer_timeout: Some("120s".into()),
            accept_deadline: Some("20m".into()),
            inactivity_warning: Some("20m".into()),
            inactivity_grace: Some("10m".into()),
            max_duration: Some("24h".into()),
            presence_grace: Some("60s".into()),
            message_rate: Some(5),
            sla_first_response: Some("5m".into()),
            public_url: None,
            ai_thinking: Some("700ms".into()),
            sign_in_rate: Some(rates::DEFAULT_SIGN_IN.into()),
            sign_in_account_rate: Some(rates::DEFAULT_SIGN_IN_ACCOUNT.into()),
            sign_in_address_rate: Some(rates::DEFAULT_SIGN_IN_ADDRESS.into()),
            sign_up_rate: Some(rates::DEFAULT_SIGN_UP.into()),
            sign_up_global_rate: Some(rates::DEFAULT_SIGN_UP_GLOBAL.into()),
            visitor_rate: Some(rates::DEFAULT_VISITOR.into()),
            visitor_start_rate: Some(rates::DEFAULT_VISITOR_START.into()),
            chat_start_rate: Some(rates::DEFAULT_CHAT_START.into()),
            cluster: Some(false),
            trusted_proxies: None,
            secret_key: None,
            ai_model_timeout: Some("30s".into()),
            ai_model_concurrency: Some(8),
            ai_token_budget: Some(50_000),
            metrics_addr: Some(DEFAULT_METRICS_ADDR.into()),
            attachments_bucket: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Timer durations for the conversation engine (SPEC R-TIME-1…5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimerConfig {
    pub offer_timeout: Duration,
    pub accept_deadline: Duration,
    pub inactivity_warning: Duration,
    pub inactivity_grace: Duration,
    pub max_duration: Duration,
}

/// The validated configuration the server runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub addr: SocketAddr,
    /// Where demo mode serves the demo host page: a plain page on another origin that embeds
    /// the widget through its script tag, as a customer's site would.
    pub demo_host_addr: SocketAddr,
    pub log_format: LogFormat,
    pub log_level: String,
    pub demo: bool,
    pub db_max_connections: u32,
    pub timers: TimerConfig,
    /// How long an agent's last dashboard tab may be gone before Baton sets them Unavailable.
    pub presence_grace: Duration,
    /// Messages one websocket may send per second (twice that in a burst).
    pub message_rate: u32,
    /// The time-to-first-response goal shown on conversations (SPEC R-VIEW-4).
    pub sla_first_response: Duration,
    /// Baton's address as customers reach it (links to help articles in AI answers); when not
    /// set, the address the server is listening on.
    pub public_url: Option<String>,
    /// How long the AI agent shows it is typing before it answers.
    pub ai_thinking: Duration,
    /// Quotas for sign-in, sign-up and anonymous chats (`BATON_*_RATE`).
    pub rates: RateLimits,
    /// Other nodes share this database (`BATON_CLUSTER`): PostgreSQL only; committed events,
    /// typing, offers and sign-outs reach the other nodes through the database's LISTEN/NOTIFY.
    pub cluster: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`BATON_TRUSTED_PROXIES`);
    /// empty: the client is the TCP peer.
    pub trusted_proxies: TrustedProxies,
    /// The key that seals AI agents' model API keys (`BATON_SECRET_KEY`, 64 hex digits); when
    /// not set, a single node keeps its own in the data directory.
    pub secret_key: Option<SecretKey>,
    /// How long a language model may take for one whole answer before the built-in answer is
    /// used instead.
    pub ai_model_timeout: Duration,
    /// Answers one node asks language models for at once.
    pub ai_model_concurrency: usize,
    /// Prompt and completion tokens one conversation may use; past it, built-in answers.
    pub ai_token_budget: i64,
    /// Where Prometheus metrics are served (`BATON_METRICS_ADDR`), never on the public port;
    /// `None` (`off`) serves none.
    pub metrics_addr: Option<SocketAddr>,
    /// The S3-compatible bucket attachments are kept in (`BATON_ATTACHMENTS_BUCKET`, with the
    /// usual `AWS_*` variables for region, endpoint and keys); `None` keeps them under the data
    /// directory.
    pub attachments_bucket: Option<String>,
}

/// Metrics listen on loopback by default: they tell how busy the site is, which is not for
/// customers. 9464 is the port commonly used by Prometheus exporters of applications.
pub const DEFAULT_METRICS_ADDR: &str = "127.0.0.1:9464";

/// A secret from configuration; never printed.
#[derive(Clone)]
pub struct SecretKey(pub String);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl Config {
    /// Whether customers reach Baton over HTTPS (the public URL says so): then session cookies
    /// are `Secure` and responses carry HSTS. Behind a TLS-terminating proxy, set the public URL.
    pub fn serves_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.to_ascii_lowercase().starts_with("https://"))
    }

    /// Layers defaults, the optional file and the overrides, then validates everything at once.
    pub fn load(file: Option<&Path>, overrides: RawConfig) -> Result<Config, BackendError> {
        let mut figment = Figment::from(Serialized::defaults(RawConfig::defaults()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(BackendError::Config(format!(
                    "config file {} does not exist",
                    path.display()
                )));
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(Serialized::defaults(without_nones(overrides)));
        let raw: RawConfig = figment
            .extract()
            .map_err(|e| BackendError::Config(format!("{e}")))?;
        Config::validate(raw)
    }

    fn validate(raw: RawConfig) -> Result<Config, BackendError> {
        let mut problems = Vec::new();
        let data_dir = PathBuf::from(raw.data_dir.unwrap_or_default());
        let database_url = raw
            .database_url
            .unwrap_or_else(|| format!("sqlite://{}/baton.db", data_dir.display()));
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            problems.push(format!(
                "BATON_DATABASE_URL must start with sqlite:// or postgres:// (got {:?})",
                redact_url(&database_url)
            ));
        }
        let addr_text = raw.addr.unwrap_or_default();
        let addr = addr_text.parse::<SocketAddr>().unwrap_or_else(|_| {
            problems.push(format!(
                "BATON_ADDR must be an address and port such as 127.0.0.1:3000 (got {addr_text:?})"
            ));
            SocketAddr::from(([127, 0, 0, 1], 3000))
        });
        let demo_host_text = raw.demo_host_addr.unwrap_or_default();
        let demo_host_addr = demo_host_text.parse::<SocketAddr>().unwrap_or_else(|_| {
            problems.push(format!(
                "BATON_DEMO_HOST_ADDR must be an address and port such as 127.0.0.1:3002 (got {demo_host_text:?})"
            ));
            SocketAddr::from(([127, 0, 0, 1], 3002))
        });
        let log_format = match raw.log_format.as_deref() {
            Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            other => {
                problems.push(format!(
                    "BATON_LOG_FORMAT must be pretty or json (got {:?})",
                    other.unwrap_or_default()
                ));
                LogFormat::Pretty
            }
        };
        let db_max_connections = raw.db_max_connections.unwrap_or(8);
        if !(1..=200).contains(&db_max_connections) {
            problems.push(format!(
                "BATON_DB_MAX_CONNECTIONS must be between 1 and 200 (got {db_max_connections})"
            ));
        }
        let mut duration = |name: &str, value: Option<String>| -> Duration {
            let text = value.unwrap_or_default();
            match humantime::parse_duration(&text) {
                Ok(d) if d.is_zero() => {
                    problems.push(format!("{name} must be longer than zero (got {text:?})"));
                    Duration::from_secs(1)
                }
                Ok(d) => d,
                Err(e) => {
                    problems.push(format!(
                        "{name} must be a duration such as 120s, 20m or 24h (got {text:?}: {e})"
                    ));
                    Duration::from_secs(1)
                }
            }
        };
        let timers = TimerConfig {
            offer_timeout: duration("BATON_OFFER_TIMEOUT", raw.offer_timeout),
            accept_deadline: duration("BATON_ACCEPT_DEADLINE", raw.accept_deadline),
            inactivity_warning: duration("BATON_INACTIVITY_WARNING", raw.inactivity_warning),
            inactivity_grace: duration("BATON_INACTIVITY_GRACE", raw.inactivity_grace),
            max_duration: duration("BATON_MAX_DURATION", raw.max_duration),
        };
        let presence_grace = duration("BATON_PRESENCE_GRACE", raw.presence_grace);
        let sla_first_response = duration("BATON_SLA_FIRST_RESPONSE", raw.sla_first_response);
        let ai_thinking = duration("BATON_AI_THINKING", raw.ai_thinking);
        let ai_model_timeout = duration("BATON_AI_MODEL_TIMEOUT", raw.ai_model_timeout);
        let public_url = raw
            .public_url
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty());
        if let Some(url) = &public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            problems.push(format!(
                "BATON_PUBLIC_URL must start with http:// or https:// (got {url:?})"
            ));
        }
        let message_rate = match raw.message_rate.unwrap_or(5) {
            0 => {
                problems.push("BATON_MESSAGE_RATE must be at least 1".into());
                1
            }
            n => n,
        };
        let mut rate = |name: &str, value: Option<String>, default: Rate| -> Rate {
            let text = value.unwrap_or_default();
            Rate::parse(&text).unwrap_or_else(|reason| {
                problems.push(format!(
                    "{name} must be a quota such as 5/min or 30/h (got {text:?}: {reason})"
                ));
                default
            })
        };
        let shipped = RateLimits::default();
        let rates = RateLimits {
            sign_in: rate("BATON_SIGN_IN_RATE", raw.sign_in_rate, shipped.sign_in),
            sign_in_account: rate(
                "BATON_SIGN_IN_ACCOUNT_RATE",
                raw.sign_in_account_rate,
                shipped.sign_in_account,
            ),
            sign_in_address: rate(
                "BATON_SIGN_IN_ADDRESS_RATE",
                raw.sign_in_address_rate,
                shipped.sign_in_address,
            ),
            sign_up: rate("BATON_SIGN_UP_RATE", raw.sign_up_rate, shipped.sign_up),
            sign_up_global: rate(
                "BATON_SIGN_UP_GLOBAL_RATE",
                raw.sign_up_global_rate,
                shipped.sign_up_global,
            ),
            visitor: rate("BATON_VISITOR_RATE", raw.visitor_rate, shipped.visitor),
            visitor_start: rate(
                "BATON_VISITOR_START_RATE",
                raw.visitor_start_rate,
                shipped.visitor_start,
            ),
            chat_start: rate(
                "BATON_CHAT_START_RATE",
                raw.chat_start_rate,
                shipped.chat_start,
            ),
        };
        let cluster = raw.cluster.unwrap_or(false);
        if cluster && database_url.starts_with("sqlite:") {
            problems.push(
                "BATON_CLUSTER needs PostgreSQL: the nodes of a cluster share one database, and a \
                 SQLite file belongs to one machine. Set BATON_DATABASE_URL=postgres://… on every \
                 node, or leave BATON_CLUSTER off to run one node on SQLite"
                    .into(),
            );
        }
        let trusted_proxies = TrustedProxies::parse(raw.trusted_proxies.as_deref().unwrap_or(""))
            .unwrap_or_else(|reason| {
                problems.push(format!(
                    "BATON_TRUSTED_PROXIES must be IP addresses or CIDR networks separated by commas, such as 127.0.0.1,10.0.0.0/8 ({reason})"
                ));
                TrustedProxies::default()
            });
        let secret_key = raw
            .secret_key
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty());
        if let Some(key) = &secret_key
            && let Err(problem) = crate::secrets::Sealer::from_hex(key)
        {
            problems.push(format!(
                "BATON_SECRET_KEY {problem}; make one with `openssl rand -hex 32`"
            ));
        }
        if cluster && secret_key.is_none() {
            problems.push(
                "BATON_CLUSTER needs BATON_SECRET_KEY: every node must open the API keys the \
                 others sealed, so they share one key (64 hex digits, `openssl rand -hex 32`)"
                    .into(),
            );
        }
        let ai_model_concurrency = match raw.ai_model_concurrency.unwrap_or(8) {
            0 => {
                problems.push("BATON_AI_MODEL_CONCURRENCY must be at least 1".into());
                1
            }
            n => n as usize,
        };
        let ai_token_budget = i64::from(raw.ai_token_budget.unwrap_or(50_000));
        let metrics_text = raw.metrics_addr.unwrap_or_default();
        let metrics_addr = match metrics_text.trim() {
            "" | "off" => None,
            text => match text.parse::<SocketAddr>() {
                Ok(metrics) if metrics == addr && addr.port() != 0 => {
                    problems.push(format!(
                        "BATON_METRICS_ADDR must not be the public address BATON_ADDR ({addr}): \
                         metrics are for operators; give them a port of their own or `off`"
                    ));
                    None
                }
                Ok(metrics) => Some(metrics),
                Err(_) => {
                    problems.push(format!(
                        "BATON_METRICS_ADDR must be an address and port such as {DEFAULT_METRICS_ADDR}, or off (got {text:?})"
                    ));
                    None
                }
            },
        };
        if !problems.is_empty() {
            return Err(BackendError::Config(problems.join("\n  ")));
        }
        Ok(Config {
            data_dir,
            database_url,
            addr,
            demo_host_addr,
            log_format,
            log_level: raw.log_level.unwrap_or_else(|| "info".into()),
            demo: raw.demo.unwrap_or(false),
            db_max_connections,
            timers,
            presence_grace,
            message_rate,
            sla_first_response,
            public_url,
            ai_thinking,
            rates,
            cluster,
            trusted_proxies,
            secret_key: secret_key.map(SecretKey),
            ai_model_timeout,
            ai_model_concurrency,
            ai_token_budget,
            metrics_addr,
            attachments_bucket: raw
                .attachments_bucket
                .map(|b| b.trim().to_string())
                .filter(|b| !b.is_empty()),
        })
    }
}

/// Figment would let a `None` override a file's value; drop them so only given settings win.
fn without_nones(raw: RawConfig) -> figment::value::Dict {
    match figment::value::Value::serialize(raw)
        .ok()
        .and_then(|v| v.into_dict())
    {
        Some(dict) => dict
            .into_iter()
            .filter(|(_, v)| !matches!(v, figment::value::Value::Empty(..)))
            .collect(),
        None => Default::default(),
    }
}

/// Hides a password in a database URL before it is printed.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => {
                    format!("{}://{}:***{}", &url[..scheme], &creds[..colon], &url[at..])
                }
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests;
