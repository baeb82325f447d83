//! `spawn_app()`: a real Baton server on port 0 with its own database, and the test users,
//! spaces and sessions the tests need, made through the backend's own functions.
//!
//! Every call into a backend store is in this file, so a store that moves is one fix here.
//! The typed client for server functions is in `client.rs`, the websocket's in `ws_client.rs`.

use backend::config::{Config, RawConfig};
use backend::sessions::{DbSessionStore, SignedIn};
use server::run::{RunningServer, start};

pub use crate::client::call;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub server: RunningServer,
    dir: std::path::PathBuf,
}

impl TestApp {
    /// The server's data directory (its SQLite file and attachments).
    pub fn server_data_dir(&self) -> &std::path::Path {
        &self.dir
    }

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
        // Tests run servers side by side; one that checks metrics gives its own address.
        metrics_addr: overrides.metrics_addr.clone().or(Some("off".into())),
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

/// A person made for one test: a staff member or a customer with a unique email, so tests
/// never depend on (or disturb) the demo seed's people.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: String,
    pub email: String,
    pub password: String,
    pub signed_in: SignedIn,
}

/// A staff member's role in one space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Agent,
    SpaceAdmin,
}

/// The usual people of a test, made for it: a space of its own with two agents, Ada Lovelace
/// (first in its round robin) and Grace Hopper, and a customer, Casey Customer.
pub struct Team {
    pub space: String,
    pub ada: TestUser,
    pub grace: TestUser,
    pub casey: TestUser,
}

/// What a new staff member should be: `Staff::named("Ada Lovelace").agent_in(&space)`.
#[derive(Clone, Debug)]
pub struct Staff {
    name: String,
    site_admin: bool,
    roles: Vec<(String, Role)>,
}

impl Staff {
    pub fn named(name: &str) -> Staff {
        Staff {
            name: name.to_string(),
            site_admin: false,
            roles: Vec::new(),
        }
    }

    pub fn site_admin(mut self) -> Staff {
        self.site_admin = true;
        self
    }

    pub fn agent_in(mut self, space: &str) -> Staff {
        self.roles.push((space.to_string(), Role::Agent));
        self
    }

    pub fn space_admin_of(mut self, space: &str) -> Staff {
        self.roles.push((space.to_string(), Role::SpaceAdmin));
        self
    }
}

const DEMO_PASSWORD: &str = backend::demo::DEMO_PASSWORD;

/// A demo seed's person as sign-in found them (`None`: the demo has no such person).
fn demo_user(email: &str, id: Option<String>, signed_in: fn(String) -> SignedIn) -> TestUser {
    let id = id.unwrap_or_else(|| panic!("{email} is not one of the demo's people"));
    TestUser {
        signed_in: signed_in(id.clone()),
        id,
        email: email.to_string(),
        password: DEMO_PASSWORD.to_string(),
    }
}

/// The password every generated person has (long enough for the strength check).
pub const TEST_PASSWORD: &str = "a long test password";

/// `ada-lovelace-<unique>@example.test`: readable in a failure, never taken twice.
fn unique_email(name: &str) -> String {
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{slug}-{}@example.test", uuid::Uuid::now_v7().simple())
}

impl TestApp {
    /// A new staff member with the given roles, made as the invitation and first-admin paths
    /// make one (the backend's own account and membership functions).
    pub async fn create_staff(&self, staff: Staff) -> TestUser {
        let db = self.server_db();
        let email = unique_email(&staff.name);
        let id = backend::store::users::create_staff(
            db,
            backend::store::users::NewStaff {
                email: email.clone(),
                display_name: staff.name.clone(),
                password: TEST_PASSWORD.to_string(),
                site_admin: staff.site_admin,
            },
        )
        .await
        .expect("test staff member created");
        for (space, role) in &staff.roles {
            let role = match role {
                Role::Agent => backend::store::spaces::Role::Agent,
                Role::SpaceAdmin => backend::store::spaces::Role::SpaceAdmin,
            };
            backend::store::spaces::add_member(db, space, &id, role)
                .await
                .expect("test staff member joins the space");
        }
        TestUser {
            signed_in: SignedIn::Staff(id.clone()),
            id,
            email,
            password: TEST_PASSWORD.to_string(),
        }
    }

    /// A new customer account with a password, as the chat's sign-up makes one.
    pub async fn create_customer(&self, name: &str) -> TestUser {
        let email = unique_email(name);
        let id = backend::customers::sign_up(self.server_db(), &email, name, TEST_PASSWORD)
            .await
            .expect("test customer created");
        TestUser {
            signed_in: SignedIn::Customer(id.clone()),
            id,
            email,
            password: TEST_PASSWORD.to_string(),
        }
    }

    /// A new space named `space` with two agents and a customer (see [`Team`]).
    pub async fn create_team(&self, space: &str) -> Team {
        let space = self.create_space(space).await;
        let ada = Staff::named("Ada Lovelace").agent_in(&space);
        let grace = Staff::named("Grace Hopper").agent_in(&space);
        Team {
            ada: self.create_staff(ada).await,
            grace: self.create_staff(grace).await,
            casey: self.create_customer("Casey Customer").await,
            space,
        }
    }

    /// A new space with Live chat on and the standard work types; its id.
    pub async fn create_space(&self, name: &str) -> String {
        backend::store::spaces::create(self.server_db(), name)
            .await
            .expect("test space created")
    }

    /// The demo seed's space (Customer Support), which its experiences route to.
    pub async fn demo_space(&self) -> String {
        backend::store::spaces::all(self.server_db())
            .await
            .expect("spaces listed")
            .into_iter()
            .find(|space| space.name == "Customer Support")
            .expect("the demo seed's space")
            .id
    }

    /// The demo seed's experience (Baton Help), found by its widget key.
    pub async fn demo_experience(&self) -> String {
        backend::store::experiences::by_key(self.server_db(), backend::demo::DEMO_WIDGET_KEY)
            .await
            .expect("the demo seed's experience")
            .id
    }

    /// A member of the demo seed's team (`admin@`, `ada@` or `grace@demo.baton.test`), found
    /// the way sign-in finds them. Only for tests whose point is the demo site as a whole (its
    /// counts, its people's names in an audit); others make their own people.
    pub async fn demo_staff(&self, email: &str) -> TestUser {
        let found = backend::accounts::authenticate(self.server_db(), email, DEMO_PASSWORD).await;
        demo_user(email, found.expect("sign-in answers"), SignedIn::Staff)
    }

    /// A customer of the demo seed (`casey@demo.baton.test`), found the way the chat's
    /// sign-in finds them: for tests of signing in with the demo's own password.
    pub async fn demo_customer(&self, email: &str) -> TestUser {
        let found = backend::customers::authenticate(self.server_db(), email, DEMO_PASSWORD).await;
        demo_user(email, found.expect("sign-in answers"), SignedIn::Customer)
    }

    /// Makes the session behind `token` expire, as if it had not been used for too long.
    pub async fn expire_session(&self, token: &str) {
        let id: tower_sessions::session::Id = token.parse().expect("a session id");
        let done = sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id = $2")
            .bind(backend::clock::now_ms() - 1_000)
            .bind(backend::sessions::stored_id(&id))
            .execute(&self.server_db().pool)
            .await
            .unwrap();
        assert_eq!(done.rows_affected(), 1, "the session is stored");
    }

    /// The messages stored in a conversation, in seq order, as the events they were stored as.
    pub async fn stored_messages(
        &self,
        conversation: &domain::ConversationId,
    ) -> Vec<domain::ConversationEvent> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT body FROM conversation_events WHERE conversation_id = $1 AND kind = 'message' ORDER BY seq",
        )
        .bind(conversation.as_str())
        .fetch_all(&self.server_db().pool)
        .await
        .unwrap();
        rows.iter()
            .map(|(event,)| serde_json::from_str(event).expect("a stored event"))
            .collect()
    }

    /// A space member's availability as stored ("Available" or "Unavailable").
    pub async fn availability(&self, space: &str, agent: &str) -> String {
        backend::store::spaces::availability(self.server_db(), space, agent)
            .await
            .expect("a member of the space")
    }

    /// A session cookie for `user`, without a password round-trip.
    pub async fn sign_in_as(&self, user: &TestUser) -> String {
        self.session_for(user.signed_in.clone()).await
    }

    /// A session cookie for this person, without a password round-trip.
    pub async fn session_for(&self, who: SignedIn) -> String {
        DbSessionStore::new(self.server_db().clone())
            .mint(&who, time::Duration::hours(1))
            .await
            .expect("session stored")
    }
}
