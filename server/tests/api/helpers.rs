//! `spawn_app()`: a real Baton server on port 0 with its own database, and typed helpers.

use backend::config::{Config, RawConfig};
use server::run::{RunningServer, start};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub server: RunningServer,
    dir: std::path::PathBuf,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn stop(self) {
        self.server.stop().await;
        let _ = std::fs::remove_dir_all(self.dir);
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(RawConfig::default()).await
}

/// A server with some settings changed (for example shortened timers, SPEC R-TIME-5).
pub async fn spawn_app_with(overrides: RawConfig) -> TestApp {
    let dir = std::env::temp_dir().join(format!("baton-api-{}", uuid_like()));
    let server = start(config_in(&dir, overrides))
        .await
        .expect("server starts");
    TestApp {
        address: format!("http://{}", server.addr),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        server,
        dir,
    }
}

/// A demo server's settings on a free loopback port, with its database in `dir`.
fn config_in(dir: &std::path::Path, overrides: RawConfig) -> Config {
    let raw = RawConfig {
        data_dir: Some(dir.display().to_string()),
        addr: Some("127.0.0.1:0".into()),
        demo: Some(true),
        log_level: Some("warn".into()),
        ..overrides
    };
    Config::load(None, raw).expect("test configuration is valid")
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{nanos:x}-{}", std::process::id())
}

impl TestApp {
    /// The health check's status: whether the server still answers after a hostile request.
    pub async fn health(&self) -> u16 {
        let response = self.client.get(self.url("/healthz")).send().await.unwrap();
        response.status().as_u16()
    }

    pub fn server_db(&self) -> &backend::Db {
        &self.server.db
    }
}

/// Calls a server function as the holder of `session`: (status, body).
pub async fn call(
    app: &TestApp,
    session: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = app
        .client
        .post(app.url(&format!("/api/{endpoint}")))
        .header(
            "cookie",
            format!("{}={session}", backend::sessions::COOKIE_NAME),
        )
        .form(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

impl TestApp {
    /// Stops this server and starts another on the same database, as a restart does.
    pub async fn restart_with(self, overrides: RawConfig) -> TestApp {
        let TestApp {
            client,
            server,
            dir,
            ..
        } = self;
        server.stop().await;
        let server = start(config_in(&dir, overrides))
            .await
            .expect("server restarts");
        TestApp {
            address: format!("http://{}", server.addr),
            client,
            server,
            dir,
        }
    }
}
