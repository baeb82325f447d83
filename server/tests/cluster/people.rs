//! The people of a cluster test, made in the cluster's database through the backend's own
//! functions, and what they do on a node: server functions over HTTP, sockets over `/ws`.

use backend::sessions::{COOKIE_NAME, DbSessionStore, SignedIn};
use domain::protocol::ServerFrame;
use leptos::server_fn::ServerFn;
use serde::Serialize;

use crate::nodes::{Cluster, Node};
use crate::ws_client::WsClient;

pub const PASSWORD: &str = "a long test password";

/// Someone signed in: their id and a session cookie any node accepts (sessions are rows).
pub struct Person {
    pub id: String,
    pub session: String,
}

impl Cluster {
    /// The demo site's space, Customer Support, which the demo's Baton Help widget routes to.
    /// Its own agents are made Unavailable, so only the test's agents are offered anything.
    pub async fn support_space(&self) -> String {
        let space = backend::store::spaces::all(&self.db)
            .await
            .unwrap()
            .into_iter()
            .find(|space| space.name == "Customer Support")
            .expect("the demo seed's space")
            .id;
        sqlx::query("UPDATE space_members SET availability = 'Unavailable'")
            .execute(&self.db.pool)
            .await
            .unwrap();
        space
    }

    /// A new agent in `space`.
    pub async fn agent(&self, space: &str, name: &str) -> Person {
        let id = backend::store::users::create_staff(
            &self.db,
            backend::store::users::NewStaff {
                email: format!("{name}-{}@example.test", uuid::Uuid::now_v7().simple()),
                display_name: name.into(),
                password: PASSWORD.into(),
                site_admin: false,
            },
        )
        .await
        .unwrap();
        backend::store::spaces::add_member(
            &self.db,
            space,
            &id,
            backend::store::spaces::Role::Agent,
        )
        .await
        .unwrap();
        let session = self.session(SignedIn::Staff(id.clone())).await;
        Person { id, session }
    }

    /// A new customer account.
    pub async fn customer(&self, name: &str) -> Person {
        let email = format!("{name}-{}@example.test", uuid::Uuid::now_v7().simple());
        let id = backend::customers::sign_up(&self.db, &email, name, PASSWORD)
            .await
            .unwrap();
        let session = self.session(SignedIn::Customer(id.clone())).await;
        Person { id, session }
    }

    async fn session(&self, who: SignedIn) -> String {
        DbSessionStore::new(self.db.clone())
            .mint(&who, time::Duration::hours(1))
            .await
            .unwrap()
    }

    /// An agent's availability in a space as stored.
    pub async fn availability(&self, space: &str, agent: &str) -> String {
        backend::store::spaces::availability(&self.db, space, agent)
            .await
            .unwrap()
    }
}

impl Node {
    /// Calls server function `F` on this node as `person`; panics unless it answers 200.
    pub async fn call<F: ServerFn + Serialize>(&self, person: &Person, args: F) -> String {
        let response = reqwest::Client::new()
            .post(format!("{}{}", self.url(), F::PATH))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", format!("{COOKIE_NAME}={}", person.session))
            .body(serde_qs::to_string(&args).unwrap())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert_eq!(status, 200, "{} on node {}: {body}", F::PATH, self.port);
        body
    }

    /// `person`'s socket on this node, past its `hello`.
    pub async fn socket(&self, person: &Person) -> WsClient {
        socket_at(&self.ws_url(), person).await
    }
}

/// `person`'s socket at `url` (a node or the load balancer), past its `hello`.
pub async fn socket_at(url: &str, person: &Person) -> WsClient {
    let mut ws = WsClient::connect_to(url, Some(&person.session), None)
        .await
        .expect("websocket handshake accepted");
    ws.expect("hello", |f| matches!(f, ServerFrame::Hello { .. }))
        .await;
    ws
}
