//! Logging: human-readable by default, JSON lines when BATON_LOG_FORMAT=json.

use backend::config::LogFormat;
use tracing_subscriber::{EnvFilter, fmt};

pub fn init(format: LogFormat, level: &str) {
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    let _ = match format {
        LogFormat::Pretty => builder.compact().try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
