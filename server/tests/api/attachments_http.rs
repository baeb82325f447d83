//! Attachments over HTTP, probed as an attacker would: only the conversation's customer and its
//! agent can send or fetch a file; everyone else (another agent, another customer, no session,
//! a staff cookie in the widget's channel) is told there is no such file; a page on another site
//! cannot post one with someone's cookie; oversized bodies, with or without a declared length,
//! are refused with the site's limit in words and store nothing; names cannot escape the store
//! or the response header.

use domain::{AgentId, Availability, Command, ConversationId, CustomerId, Scope, SpaceId, Start};

use crate::helpers::{Team, TestApp, TestUser, spawn_app};

struct Chat {
    ada: String,
    grace: String,
    casey: String,
    bea: String,
    conversation: ConversationId,
}

async fn chat(app: &TestApp) -> Chat {
    let Team {
        space,
        ada,
        grace,
        casey,
    } = app.create_team("Files").await;
    let bea: TestUser = app.create_customer("Bea Files").await;
    let conversation = ConversationId::new("c-files");
    let engine = &app.server.engine;
    for command in [
        Command::SetAvailability {
            agent: AgentId::new(ada.id.clone()),
            scope: Scope::AllSpaces,
            availability: Availability::Available,
        },
        Command::StartConversation {
            id: conversation.clone(),
            space: SpaceId::new(space),
            customer: Some(CustomerId::new(casey.id.clone())),
            via: Start::Direct,
        },
        Command::Accept {
            agent: AgentId::new(ada.id.clone()),
            conversation: conversation.clone(),
        },
    ] {
        engine.execute(command).await.unwrap();
    }
    Chat {
        ada: app.sign_in_as(&ada).await,
        grace: app.sign_in_as(&grace).await,
        casey: app.sign_in_as(&casey).await,
        bea: app.sign_in_as(&bea).await,
        conversation,
    }
}

fn cookie(session: &str) -> String {
    format!("{}={session}", backend::sessions::COOKIE_NAME)
}

async fn upload(
    app: &TestApp,
    session: Option<&str>,
    chat: &Chat,
    name: &str,
    body: Vec<u8>,
) -> (u16, String) {
    let mut request = app
        .client
        .post(app.url(&format!("/attachments/{}", chat.conversation)))
        .query(&[("name", name)])
        .body(body);
    if let Some(session) = session {
        request = request.header("cookie", cookie(session));
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn download(app: &TestApp, session: Option<&str>, id: &str) -> reqwest::Response {
    let mut request = app.client.get(app.url(&format!("/attachments/{id}")));
    if let Some(session) = session {
        request = request.header("cookie", cookie(session));
    }
    request.send().await.unwrap()
}

fn id_of(created: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(created).unwrap();
    json["attachment"]["id"].as_str().unwrap().to_string()
}

fn stored_files(app: &TestApp) -> usize {
    let dir = app.server_data_dir().join("attachments");
    walk(&dir)
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| {
                if e.path().is_dir() {
                    walk(&e.path())
                } else {
                    1
                }
            })
            .sum()
    })
}

#[tokio::test]
async fn only_the_customer_and_the_agent_of_a_conversation_send_and_fetch_its_files() {
    let app = spawn_app().await;
    let chat = chat(&app).await;
    let (status, created) = upload(
        &app,
        Some(&chat.casey),
        &chat,
        "../../etc/receipt.pdf",
        b"%PDF-1.4 receipt".to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = id_of(&created);
    let json: serde_json::Value = serde_json::from_str(&created).unwrap();
    assert_eq!(json["attachment"]["name"], "receipt.pdf");

    for reader in [&chat.casey, &chat.ada] {
        let got = download(&app, Some(reader), &id).await;
        assert_eq!(got.status(), 200);
        let headers = got.headers().clone();
        assert_eq!(headers["content-type"], "application/pdf");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(
            headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"receipt.pdf\"")
        );
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("sandbox")
        );
        assert_eq!(got.bytes().await.unwrap().as_ref(), b"%PDF-1.4 receipt");
    }
    for outsider in [Some(chat.grace.as_str()), Some(chat.bea.as_str()), None] {
        let got = download(&app, outsider, &id).await;
        assert_eq!(got.status(), 404);
        assert_eq!(got.text().await.unwrap(), "There is no such file.");
        let (status, _) = upload(&app, outsider, &chat, "a.png", b"x".to_vec()).await;
        assert_eq!(status, 404);
    }
    // A staff cookie sent in the widget's channel (the header present) is not a staff member.
    let in_widget = app
        .client
        .get(app.url(&format!("/attachments/{id}")))
        .header("cookie", cookie(&chat.ada))
        .header("x-baton-session", "")
        .send()
        .await
        .unwrap();
    assert_eq!(in_widget.status(), 404);
    // No such file, or an id made to look like a path.
    assert_eq!(
        download(&app, Some(&chat.ada), "no-such-file")
            .await
            .status(),
        404
    );
    assert_eq!(
        download(&app, Some(&chat.ada), "..%2F..%2Fbaton.db")
            .await
            .status(),
        404
    );
    app.stop().await;
}

#[tokio::test]
async fn refused_files_are_answered_in_words_and_store_nothing() {
    let app = spawn_app().await;
    let chat = chat(&app).await;
    // Past the site's 10 MB: refused by its declared length before it is stored.
    let (status, text) = upload(
        &app,
        Some(&chat.casey),
        &chat,
        "video.zip",
        vec![0; 11 * 1024 * 1024],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        text,
        "video.zip is 11.0 MB; files can be at most 10.0 MB. Send a smaller file."
    );
    // Without a declared length (chunked), cut at the limit.
    let chunks = futures_util::stream::iter(
        (0..11).map(|_| Ok::<_, std::io::Error>(vec![0u8; 1024 * 1024])),
    );
    let response = app
        .client
        .post(app.url(&format!("/attachments/{}", chat.conversation)))
        .query(&[("name", "stream.zip")])
        .header("cookie", cookie(&chat.casey))
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("files can be at most 10.0 MB")
    );
    // Programs and web pages, whatever their declared type.
    for name in ["setup.exe", "page.html", "logo.svg"] {
        let (status, text) =
            upload(&app, Some(&chat.casey), &chat, name, b"<script>".to_vec()).await;
        assert_eq!(status, 422, "{name}");
        assert!(
            text.starts_with(&format!(
                "{name} is a type of file this chat does not accept."
            )),
            "{text}"
        );
    }
    assert_eq!(stored_files(&app), 0);
    // A page on another site cannot post a file with the customer's cookie.
    let forged = app
        .client
        .post(app.url(&format!("/attachments/{}", chat.conversation)))
        .query(&[("name", "a.png")])
        .header("cookie", cookie(&chat.casey))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(b"x".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);
    assert_eq!(stored_files(&app), 0);
    app.stop().await;
}
