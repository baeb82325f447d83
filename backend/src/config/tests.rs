//! The settings' defaults, validation messages and layering.

use super::*;

#[test]
fn defaults_are_the_spec_durations_and_a_sqlite_file_under_the_data_dir() {
    let config = Config::load(None, RawConfig::default()).unwrap();
    assert_eq!(config.database_url, "sqlite://data/baton.db");
    assert_eq!(config.timers.offer_timeout, Duration::from_secs(120)); // SPEC R-TIME-1
    assert_eq!(config.timers.accept_deadline, Duration::from_secs(20 * 60)); // SPEC R-TIME-2
    assert_eq!(
        config.timers.inactivity_warning,
        Duration::from_secs(20 * 60)
    ); // SPEC R-TIME-3
    assert_eq!(config.timers.inactivity_grace, Duration::from_secs(10 * 60)); // SPEC R-TIME-3
    assert_eq!(config.timers.max_duration, Duration::from_secs(24 * 3600)); // SPEC R-TIME-4
}

#[test]
fn overrides_win_over_the_file_and_the_file_over_defaults() {
    let dir = std::env::temp_dir().join(format!("baton-config-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("baton.toml");
    std::fs::write(&file, "offer_timeout = \"5s\"\naddr = \"127.0.0.1:4000\"\n").unwrap();
    let overrides = RawConfig {
        addr: Some("127.0.0.1:5000".into()),
        ..Default::default()
    };
    let config = Config::load(Some(&file), overrides).unwrap();
    assert_eq!(config.timers.offer_timeout, Duration::from_secs(5));
    assert_eq!(config.addr.port(), 5000);
}

#[test]
fn every_bad_value_is_reported_with_its_setting_name() {
    let overrides = RawConfig {
        offer_timeout: Some("soon".into()),
        database_url: Some("mysql://x".into()),
        log_format: Some("xml".into()),
        ..Default::default()
    };
    let message = Config::load(None, overrides).unwrap_err().to_string();
    assert!(message.contains("BATON_OFFER_TIMEOUT"), "{message}");
    assert!(message.contains("BATON_DATABASE_URL"), "{message}");
    assert!(message.contains("BATON_LOG_FORMAT"), "{message}");
}

#[test]
fn quotas_default_to_the_shipped_ones_and_a_bad_quota_is_named() {
    let config = Config::load(None, RawConfig::default()).unwrap();
    assert_eq!(config.rates, RateLimits::default());
    let overrides = RawConfig {
        sign_up_rate: Some("3/h".into()),
        chat_start_rate: Some("lots".into()),
        ..Default::default()
    };
    let message = Config::load(None, overrides).unwrap_err().to_string();
    assert!(message.contains("BATON_CHAT_START_RATE"), "{message}");
    let overrides = RawConfig {
        sign_up_rate: Some("3/h".into()),
        ..Default::default()
    };
    let config = Config::load(None, overrides).unwrap();
    assert_eq!(config.rates.sign_up.count, 3);
}

#[test]
fn cluster_mode_refuses_sqlite_and_says_to_use_postgresql() {
    let overrides = RawConfig {
        cluster: Some(true),
        ..Default::default()
    };
    let message = Config::load(None, overrides).unwrap_err().to_string();
    assert!(
        message.contains("BATON_CLUSTER needs PostgreSQL"),
        "{message}"
    );
    assert!(
        message.contains("BATON_DATABASE_URL=postgres://"),
        "{message}"
    );
    let overrides = RawConfig {
        cluster: Some(true),
        database_url: Some("postgres://postgres@127.0.0.1:5432/baton".into()),
        secret_key: Some("ab".repeat(32)),
        ..Default::default()
    };
    assert!(Config::load(None, overrides).unwrap().cluster);
}

#[test]
fn a_cluster_needs_one_shared_secret_key_of_64_hex_digits() {
    let cluster = |secret_key: Option<String>| RawConfig {
        cluster: Some(true),
        database_url: Some("postgres://postgres@127.0.0.1:5432/baton".into()),
        secret_key,
        ..Default::default()
    };
    let message = Config::load(None, cluster(None)).unwrap_err().to_string();
    assert!(
        message.contains("BATON_CLUSTER needs BATON_SECRET_KEY"),
        "{message}"
    );
    let message = Config::load(None, cluster(Some("short".into())))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("BATON_SECRET_KEY must be 64 hex digits"),
        "{message}"
    );
    assert!(
        !message.contains("short"),
        "the key is never repeated: {message}"
    );
}

#[test]
fn trusted_proxies_default_to_none_and_a_bad_entry_is_named() {
    let config = Config::load(None, RawConfig::default()).unwrap();
    assert!(config.trusted_proxies.is_empty());
    let overrides = RawConfig {
        trusted_proxies: Some("127.0.0.1, 10.0.0.0/8".into()),
        ..Default::default()
    };
    let config = Config::load(None, overrides).unwrap();
    assert!(config.trusted_proxies.trusts("10.2.3.4".parse().unwrap()));
    let overrides = RawConfig {
        trusted_proxies: Some("127.0.0.1, proxy.local".into()),
        ..Default::default()
    };
    let message = Config::load(None, overrides).unwrap_err().to_string();
    assert!(message.contains("BATON_TRUSTED_PROXIES"), "{message}");
    assert!(message.contains("proxy.local"), "{message}");
}

#[test]
fn a_missing_config_file_is_an_error_not_silently_ignored() {
    let err = Config::load(
        Some(Path::new("/nonexistent/baton.toml")),
        RawConfig::default(),
    );
    assert!(err.unwrap_err().to_string().contains("does not exist"));
}

#[test]
fn passwords_in_database_urls_are_redacted() {
    assert_eq!(
        redact_url("postgres://u:secret@h/db"),
        "postgres://u:***@h/db"
    );
}

#[test]
fn metrics_are_served_on_loopback_by_default_never_on_the_public_address_and_can_be_off() {
    let config = Config::load(None, RawConfig::default()).unwrap();
    assert_eq!(config.metrics_addr, Some("127.0.0.1:9464".parse().unwrap()));
    let off = RawConfig {
        metrics_addr: Some("off".into()),
        ..Default::default()
    };
    assert_eq!(Config::load(None, off).unwrap().metrics_addr, None);
    let public = RawConfig {
        addr: Some("127.0.0.1:3000".into()),
        metrics_addr: Some("127.0.0.1:3000".into()),
        ..Default::default()
    };
    let refused = Config::load(None, public).unwrap_err().to_string();
    assert!(
        refused.contains("BATON_METRICS_ADDR must not be the public address"),
        "{refused}"
    );
    let garbage = RawConfig {
        metrics_addr: Some("everywhere".into()),
        ..Default::default()
    };
    let refused = Config::load(None, garbage).unwrap_err().to_string();
    assert!(
        refused.contains("BATON_METRICS_ADDR must be an address"),
        "{refused}"
    );
}
