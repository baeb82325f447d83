//! REST API v1 over real HTTP: every endpoint × token scope × role, the dashboard's visibility
//! rule for a token acting for an agent (SPEC R-VIEW-3), cursors over 1,000 conversations, and
//! the OpenAPI document listing every route. (The document is validated against the OpenAPI
//! 3.1 schema by a validator package in `end2end/tests/api.spec.ts`.)

use std::collections::HashSet;

use backend::store::Actor;
use domain::views::api_tokens::ApiScope;
use domain::{
    AgentId, Availability, Command, ConversationId, CustomerId, Ender, Scope, SpaceId, Start,
};
use serde_json::{Value, json};

use crate::helpers::{Staff, TestApp, spawn_app};

struct Api<'a> {
    app: &'a TestApp,
}

impl Api<'_> {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.app.client.request(method, self.app.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, token, None).await
    }
}

async fn token(app: &TestApp, admin: &Actor, acts_for: &str, scope: ApiScope) -> String {
    backend::api_tokens::create(app.server_db(), admin, "test", acts_for, scope)
        .await
        .unwrap()
        .secret
}

async fn run(app: &TestApp, command: Command) {
    app.server.engine.execute(command).await.unwrap();
}

fn available(agent: &str, availability: Availability) -> Command {
    Command::SetAvailability {
        agent: AgentId::new(agent),
        scope: Scope::AllSpaces,
        availability,
    }
}

/// Ada is Available, Casey starts `id` in the team's space, Ada accepts.
async fn active_chat(app: &TestApp, space: &str, agent: &str, customer: &str, id: &str) {
    run(app, available(agent, Availability::Available)).await;
    run(
        app,
        Command::StartConversation {
            id: ConversationId::new(id),
            space: SpaceId::new(space),
            customer: Some(CustomerId::new(customer)),
            via: Start::Direct,
        },
    )
    .await;
    run(
        app,
        Command::Accept {
            agent: AgentId::new(agent),
            conversation: ConversationId::new(id),
        },
    )
    .await;
}

#[tokio::test]
async fn every_endpoint_answers_each_token_scope_and_role_as_the_dashboard_would() {
    let app = spawn_app().await;
    let team = app.create_team("API").await;
    let root = app
        .create_staff(Staff::named("Root Admin").site_admin())
        .await;
    let db = app.server_db();
    let admin = Actor::load(db, &root.id).await.unwrap();
    let (ada, grace, casey) = (&team.ada.id, &team.grace.id, &team.casey.id);
    active_chat(&app, &team.space, ada, casey, "c-api-1").await;
    run(&app, available(ada, Availability::Unavailable)).await;

    let ada_read = token(&app, &admin, ada, ApiScope::Read).await;
    let ada_write = token(&app, &admin, ada, ApiScope::ReadWrite).await;
    let grace_write = token(&app, &admin, grace, ApiScope::ReadWrite).await;
    let root_read = token(&app, &admin, &root.id, ApiScope::Read).await;
    let revoked = backend::api_tokens::create(db, &admin, "old", ada, ApiScope::ReadWrite)
        .await
        .unwrap();
    backend::api_tokens::revoke(db, &admin, &revoked.token.id)
        .await
        .unwrap();
    let api = Api { app: &app };
    let post = reqwest::Method::POST;
    let put = reqwest::Method::PUT;

    // No token, a forged one, a revoked one: 401 with a way forward, on every route.
    for path in [
        "/api/v1/conversations",
        "/api/v1/conversations/c-api-1",
        "/api/v1/customers",
        &format!("/api/v1/customers/{casey}"),
        "/api/v1/work-items",
    ] {
        for bad in [None, Some("baton_forged"), Some(revoked.secret.as_str())] {
            let (status, body) = api.get(path, bad).await;
            assert_eq!(status, 401, "{path} with {bad:?}");
            assert_eq!(body["error"]["code"], "unauthorized");
        }
    }
    let (status, _) = api
        .call(
            post.clone(),
            "/api/v1/conversations/c-api-1/messages",
            Some(&revoked.secret),
            Some(json!({"body": "x"})),
        )
        .await;
    assert_eq!(status, 401);

    // Conversations: Ada reads hers; Grace and the site admin, not in it, do not (R-VIEW-3).
    let (status, page) = api.get("/api/v1/conversations", Some(&ada_read)).await;
    assert_eq!(status, 200);
    assert_eq!(page["items"][0]["id"], "c-api-1");
    assert_eq!(page["items"][0]["status"], "active");
    for outsider in [&grace_write, &root_read] {
        let (status, page) = api.get("/api/v1/conversations", Some(outsider)).await;
        assert_eq!(status, 200);
        assert_eq!(
            page["items"],
            json!([]),
            "a conversation they are not in is not listed"
        );
        let (status, body) = api
            .get("/api/v1/conversations/c-api-1", Some(outsider))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (404, Some("not_found"))
        );
    }
    let (status, missing) = api
        .get("/api/v1/conversations/c-nowhere", Some(&ada_read))
        .await;
    assert_eq!(status, 404, "{missing}");

    // A message: a read-only token is refused; Ada's read-and-write token posts once per
    // client id; Grace (not the assignee, cannot read it) gets not found.
    let message = || Some(json!({"body": "Your parcel left today.", "client_id": "crm-1"}));
    let path = "/api/v1/conversations/c-api-1/messages";
    let (status, body) = api
        .call(post.clone(), path, Some(&ada_read), message())
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("read_only_token"))
    );
    let (status, sent) = api
        .call(post.clone(), path, Some(&ada_write), message())
        .await;
    assert_eq!(status, 201, "{sent}");
    let (status, again) = api
        .call(post.clone(), path, Some(&ada_write), message())
        .await;
    assert_eq!(
        (status, &again["seq"]),
        (201, &sent["seq"]),
        "same client id, same seq"
    );
    let (status, _) = api
        .call(post.clone(), path, Some(&grace_write), message())
        .await;
    assert_eq!(status, 404);
    let (status, body) = api
        .call(
            post.clone(),
            path,
            Some(&ada_write),
            Some(json!({"body": "  "})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid"))
    );
    let (status, _) = api
        .call(
            post.clone(),
            path,
            Some(&ada_write),
            Some(json!({"nobody": 1})),
        )
        .await;
    assert_eq!(status, 422, "a body without the fields");
    let broken = app
        .client
        .post(app.url(path))
        .bearer_auth(&ada_write)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 422);
    let broken: Value = broken.json().await.unwrap();
    assert_eq!(
        broken["error"]["code"], "invalid",
        "one error shape for a broken body"
    );
    let (status, body) = api
        .get("/api/v1/conversations?limit=-5", Some(&ada_read))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid"))
    );

    // The transcript has the message, once.
    let (status, transcript) = api
        .get("/api/v1/conversations/c-api-1", Some(&ada_read))
        .await;
    assert_eq!(status, 200);
    let bodies: Vec<&Value> = transcript["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "message")
        .map(|e| &e["data"]["body"])
        .collect();
    assert_eq!(bodies, [&json!("Your parcel left today.")]);

    // Customers: the list is the site admin's; the profile follows the dashboard's rule.
    let (status, customers) = api.get("/api/v1/customers", Some(&root_read)).await;
    assert_eq!(status, 200);
    assert!(
        customers["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == casey.as_str())
    );
    let (status, _) = api.get("/api/v1/customers", Some(&ada_read)).await;
    assert_eq!(status, 403);
    let (status, profile) = api
        .get(&format!("/api/v1/customers/{casey}"), Some(&ada_read))
        .await;
    assert_eq!(status, 200);
    assert_eq!(profile["conversations"][0]["id"], "c-api-1");
    let (status, grace_sees) = api
        .get(&format!("/api/v1/customers/{casey}"), Some(&grace_write))
        .await;
    assert!(
        status == 404 || !grace_sees.to_string().contains("c-api-1"),
        "Grace may not learn Casey's conversation: {status} {grace_sees}"
    );

    // Work items with a queue filter; a broken filter says where.
    let (status, items) = api
        .get(
            "/api/v1/work-items?filter=status%20%3D%20Active",
            Some(&ada_read),
        )
        .await;
    assert_eq!(status, 200, "{items}");
    assert_eq!(items["items"][0]["conversation"], "c-api-1");
    let (status, body) = api
        .get("/api/v1/work-items?filter=status%20%3D", Some(&ada_read))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid"))
    );

    // Availability: one's own, with a read-and-write token.
    let availability = |value: &str| Some(json!({ "availability": value }));
    let own = format!("/api/v1/agents/{ada}/availability");
    let (status, _) = api
        .call(
            put.clone(),
            &own,
            Some(&ada_read),
            availability("Available"),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = api
        .call(
            put.clone(),
            &own,
            Some(&grace_write),
            availability("Available"),
        )
        .await;
    assert_eq!(status, 403, "another agent's availability");
    let (status, _) = api
        .call(put.clone(), &own, Some(&ada_write), availability("Away"))
        .await;
    assert_eq!(status, 422);
    let (status, set) = api
        .call(
            put.clone(),
            &own,
            Some(&ada_write),
            availability("Available"),
        )
        .await;
    assert_eq!(
        (status, set["availability"].as_str()),
        (200, Some("Available"))
    );
    assert_eq!(app.availability(&team.space, ada).await, "Available");

    // Last used is recorded.
    let tokens = backend::api_tokens::list(db, &admin).await.unwrap();
    assert!(
        tokens
            .iter()
            .filter(|t| t.revoked_at.is_none())
            .all(|t| t.last_used_at.is_some())
    );
    app.stop().await;
}

#[tokio::test]
async fn cursors_page_through_1000_conversations_returning_each_once() {
    let app = spawn_app().await;
    let team = app.create_team("Paging").await;
    let root = app
        .create_staff(Staff::named("Root Pager").site_admin())
        .await;
    let admin = Actor::load(app.server_db(), &root.id).await.unwrap();
    let (ada, casey) = (&team.ada.id, &team.casey.id);
    run(&app, available(ada, Availability::Available)).await;
    let mut expected = HashSet::new();
    for n in 0..1000 {
        let id = format!("c-page-{n:04}");
        run(
            &app,
            Command::StartConversation {
                id: ConversationId::new(&id),
                space: SpaceId::new(&team.space),
                customer: Some(CustomerId::new(casey)),
                via: Start::Direct,
            },
        )
        .await;
        run(
            &app,
            Command::Accept {
                agent: AgentId::new(ada),
                conversation: ConversationId::new(&id),
            },
        )
        .await;
        run(
            &app,
            Command::EndConversation {
                conversation: ConversationId::new(&id),
                by: Ender::Agent(AgentId::new(ada)),
            },
        )
        .await;
        run(
            &app,
            Command::Resolve {
                conversation: ConversationId::new(&id),
                agent: AgentId::new(ada),
                resolution: "Done".into(),
            },
        )
        .await;
        expected.insert(id);
    }
    // Conversations Ada was never in, after hers: skipped, never counted.
    run(&app, available(ada, Availability::Unavailable)).await;
    for n in 0..50 {
        run(
            &app,
            Command::StartConversation {
                id: ConversationId::new(format!("c-other-{n}")),
                space: SpaceId::new(&team.space),
                customer: Some(CustomerId::new(casey)),
                via: Start::Direct,
            },
        )
        .await;
    }
    let ada_read = token(&app, &admin, ada, ApiScope::Read).await;
    let api = Api { app: &app };
    for limit in [200, 37] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/conversations?limit={limit}&cursor={c}"),
                None => format!("/api/v1/conversations?limit={limit}"),
            };
            let (status, page) = api.get(&path, Some(&ada_read)).await;
            assert_eq!(status, 200, "{page}");
            pages += 1;
            for item in page["items"].as_array().unwrap() {
                seen.push(item["id"].as_str().unwrap().to_string());
            }
            match page["next"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
            assert!(pages < 100, "the cursor does not move on");
        }
        let unique: HashSet<String> = seen.iter().cloned().collect();
        assert_eq!(seen.len(), 1000, "each once with {limit} a page");
        assert_eq!(unique, expected);
    }
    let (status, body) = api
        .get("/api/v1/conversations?cursor=garbage", Some(&ada_read))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid"))
    );
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_the_reference_page_draws_it() {
    let app = spawn_app().await;
    let api = Api { app: &app };
    let (status, doc) = api.get("/api/v1/openapi.json", None).await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    let routes = [
        ("/api/v1/conversations", "get"),
        ("/api/v1/conversations/{id}", "get"),
        ("/api/v1/conversations/{id}/messages", "post"),
        ("/api/v1/customers", "get"),
        ("/api/v1/customers/{id}", "get"),
        ("/api/v1/work-items", "get"),
        ("/api/v1/agents/{id}/availability", "put"),
    ];
    assert_eq!(paths.len(), routes.len(), "{:?}", paths.keys());
    for (path, method) in routes {
        let operation = &paths[path][method];
        assert!(operation.is_object(), "{method} {path} is documented");
        assert_eq!(operation["security"][0]["bearer"], json!([]));
        assert!(
            operation["responses"]["401"].is_object(),
            "{path} documents 401"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let page = app
        .client
        .get(app.url("/api/v1/docs"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("PUT /api/v1/agents/{id}/availability"));
    assert!(html.contains("List conversations"));
    app.stop().await;
}
