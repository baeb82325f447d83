//! The site the matrix runs on, set up through the real server functions: Bea signs up, Sid
//! is invited as admin of a new space, Casey's live conversation is accepted by Ada and holds a
//! private message, Ada files follow-up work, Casey chats with the AI agent; plus a pending
//! invitation, a queue and an article to delete, and an unpublished article.

use backend::sessions::SignedIn;
use domain::experience::ChatSettings;
use domain::protocol::{ClientFrame, ServerFrame};
use serde_json::Value;

use super::roles::{
    Actor, HELP_KEY, PRIVATE_MESSAGE, SHOP_KEY, Secret, Site, TEAM_NOTE, Who, pairs, post,
};
use crate::helpers::TestApp;

const DRAFT_BODY: &str = "UNRELEASED-DRAFT-7731: prices go up in May.";

fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("expected text, got {value}"))
        .to_string()
}

fn token_of(link: &Value) -> String {
    text(link).rsplit('/').next().unwrap().to_string()
}

fn by_name(list: &Value, name: &str) -> String {
    let found = list.as_array().unwrap().iter().find(|e| e["name"] == name);
    text(&found.unwrap_or_else(|| panic!("{name} in {list}"))["id"])
}

/// The demo site plus: Bea (signed up), Sid (invited as admin of a new space), Casey's live
/// conversation accepted by Ada with a private message in it, Ada's follow-up, Casey's AI chat,
/// a pending invitation, a queue and an article to delete, and an unpublished article.
pub async fn set_up(app: TestApp) -> Site {
    // The matrix checks the demo site as a whole, so its actors are the demo's own people.
    let alex = app.demo_staff("admin@demo.baton.test").await.id;
    let ada = app.demo_staff("ada@demo.baton.test").await.id;
    let grace = app.demo_staff("grace@demo.baton.test").await.id;
    let casey = app.demo_customer("casey@demo.baton.test").await.id;
    let mut actors = Vec::new();
    for who in Who::ALL {
        let signed_in = match who {
            Who::Customer => Some(SignedIn::Customer(casey.clone())),
            Who::AgentIn => Some(SignedIn::Staff(ada.clone())),
            Who::AgentOut => Some(SignedIn::Staff(grace.clone())),
            Who::SiteAdmin => Some(SignedIn::Staff(alex.clone())),
            _ => None,
        };
        let session = match &signed_in {
            Some(s) => Some(app.session_for(s.clone()).await),
            None => None,
        };
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .local_address(who.address())
            .build()
            .unwrap();
        actors.push(Actor {
            client,
            session,
            signed_in,
        });
    }

    // Bea signs up; Sid accepts an invitation to be admin of a space Alex creates; Tom joins
    // the demo space the same way.
    let reply = post(
        &actors[Who::OtherCustomer as usize],
        &app,
        None,
        "customer-sign-up",
        &pairs(&[
            ("name", "Bea Other"),
            ("email", "bea.other@example.com"),
            ("password", "bea's long password"),
        ]),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let bea = text(&serde_json::from_str::<Value>(&reply.body).unwrap()["id"]);
    actors[Who::OtherCustomer as usize].session = reply.cookie;
    actors[Who::OtherCustomer as usize].signed_in = Some(SignedIn::Customer(bea.clone()));

    let mut site = Site {
        app,
        actors,
        secrets: Vec::new(),
        live: String::new(),
        live_work_item: String::new(),
        ai_chat: String::new(),
        follow_up: String::new(),
        casey,
        bea,
        grace,
        tom: String::new(),
        demo_space: String::new(),
        other_space: String::new(),
        help_experience: String::new(),
        help_settings: placeholder_settings(),
        shop_experience: String::new(),
        site_settings: Value::Null,
        pending_invitation: String::new(),
        doomed_queue: String::new(),
        draft_article: String::new(),
        doomed_article: String::new(),
        doomed_webhook: String::new(),
        doomed_token: String::new(),
        published_article: String::new(),
    };
    let admin = Who::SiteAdmin;
    site.other_space = text(
        &site
            .ok(admin, "admin/spaces/create", &[("name", "Other Space")])
            .await,
    );
    site.demo_space = by_name(
        &site.ok(admin, "admin/spaces", &[]).await,
        "Customer Support",
    );
    let other_space = site.other_space.clone();
    let (sid_session, sid) = join(
        &site,
        Who::OtherSpaceAdmin,
        &other_space,
        "sid",
        "space_admin",
    )
    .await;
    let sid_actor = &mut site.actors[Who::OtherSpaceAdmin as usize];
    sid_actor.session = Some(sid_session);
    sid_actor.signed_in = Some(SignedIn::Staff(sid));
    let demo = site.demo_space.clone();
    site.tom = join(&site, Who::Outsider, &demo, "tom", "agent").await.1;
    let pending = site
        .ok(
            admin,
            "admin/space/invite",
            &[
                ("space", &demo),
                ("email", "pending@example.com"),
                ("role", "agent"),
            ],
        )
        .await;
    site.pending_invitation = token_of(&pending);
    site.ok(
        admin,
        "admin/space/queue",
        &[
            ("space", &demo),
            ("name", "Doomed queue"),
            ("filter", "type = Task"),
        ],
    )
    .await;
    let page = site.ok(admin, "admin/space", &[("space", &demo)]).await;
    site.doomed_queue = by_name(&page["queues"], "Doomed queue");

    // The experiences, their secrets, the site settings and the articles.
    let experiences = site.ok(admin, "admin/experiences", &[]).await;
    site.help_experience = by_name(&experiences, "Baton Help");
    site.shop_experience = by_name(&experiences, "Baton Shop Assistant");
    let help = site.help_experience.clone();
    let shop = site.shop_experience.clone();
    let help_page = site
        .ok(admin, "admin/experience", &[("experience", &help)])
        .await;
    site.help_settings = serde_json::from_value(help_page["settings"].clone()).unwrap();
    let shop_page = site
        .ok(admin, "admin/experience", &[("experience", &shop)])
        .await;
    site.site_settings = site.ok(admin, "admin/site", &[]).await;
    let draft = [
        ("experience", shop.as_str()),
        ("id", ""),
        ("title", "Draft plans"),
        ("body", DRAFT_BODY),
        ("published", "false"),
    ];
    site.draft_article = text(&site.ok(admin, "admin/ai-agent/article", &draft).await);
    let doomed = [
        ("experience", shop.as_str()),
        ("id", ""),
        ("title", "Doomed"),
        ("body", "Gone soon."),
        ("published", "false"),
    ];
    site.doomed_article = text(&site.ok(admin, "admin/ai-agent/article", &doomed).await);
    let webhook = [
        ("url", "http://127.0.0.1:9/doomed"),
        ("description", "Doomed"),
        ("events", "conversation.offered"),
    ];
    site.doomed_webhook =
        text(&site.ok(admin, "admin/webhooks/create", &webhook).await["endpoint"]["id"]);
    let grace = site.grace.clone();
    let token = [
        ("name", "Doomed"),
        ("acts_for", grace.as_str()),
        ("scope", "read"),
    ];
    site.doomed_token =
        text(&site.ok(admin, "admin/api-tokens/create", &token).await["token"]["id"]);
    let published = site
        .ok(Who::Outsider, "support/articles", &[("key", SHOP_KEY)])
        .await;
    site.published_article = text(&published[0]["id"]);

    // Casey's live conversation: Ada is Available, Casey starts, Ada accepts, then Ada goes
    // Unavailable so nothing later is offered to anyone (no offer timers run during the matrix).
    site.ok(
        Who::AgentIn,
        "agent/availability",
        &[("available", "true"), ("space", "")],
    )
    .await;
    site.live = text(
        &site
            .ok(Who::Customer, "widget/start", &[("key", HELP_KEY)])
            .await,
    );
    site.live_work_item = format!("work-{}", site.live);
    let live = site.live.clone();
    site.ok(Who::AgentIn, "agent/accept", &[("conversation", &live)])
        .await;
    site.ok(
        Who::AgentIn,
        "agent/availability",
        &[("available", "false"), ("space", "")],
    )
    .await;
    say_privately(&site).await;
    // Ada's internal note: the team's transcript holds it, the customer's never does.
    let live = site.live.clone();
    site.ok(
        Who::AgentIn,
        "agent/note",
        &[("conversation", &live), ("body", TEAM_NOTE)],
    )
    .await;
    site.follow_up = text(
        &site
            .ok(
                Who::AgentIn,
                "agent/follow-up",
                &[
                    ("conversation", &live),
                    ("work_type", "Task"),
                    ("title", "Call the customer back"),
                ],
            )
            .await,
    );
    site.ai_chat = text(
        &site
            .ok(Who::Customer, "widget/start", &[("key", SHOP_KEY)])
            .await,
    );

    let help_secret = text(&help_page["identity_secret"]);
    let shop_secret = text(&shop_page["identity_secret"]);
    let mut secrets = secrets(&site, &[help_secret, shop_secret]);
    for actor in &site.actors {
        if let Some(session) = &actor.session {
            secrets.push(secret("a session id", session, &[]));
        }
    }
    site.secrets = secrets;
    site
}

/// Who may see what (SPEC R-VIEW-3): Grace sees Casey through Ada's follow-up work, the site
/// admin through Conversation review and her profile.
#[rustfmt::skip]
fn secrets(site: &Site, identity_secrets: &[String]) -> Vec<Secret> {
    use Who::*;
    let mut secrets = vec![
        secret("the customer's email", "casey@demo.baton.test", &[Customer, AgentIn, AgentOut, SiteAdmin]),
        secret("the customer's name", "Casey Customer", &[Customer, AgentIn, AgentOut, SiteAdmin]),
        secret("the customer's conversation id", &site.live, &[Customer, AgentIn, AgentOut, SiteAdmin]),
        secret("the other customer's name", "Bea Other", &[OtherCustomer, SiteAdmin]),
        secret("the other customer's email", "bea.other@example.com", &[OtherCustomer, SiteAdmin]),
        // Her words reach only the two people in the conversation, in their transcripts.
        secret("the customer's private message", PRIVATE_MESSAGE, &[Customer, AgentIn]),
        secret("an internal note", TEAM_NOTE, &[AgentIn]),
        secret("the team's space id", &site.demo_space, &[AgentIn, AgentOut, SiteAdmin]),
        secret("a pending invitation's token", &site.pending_invitation, &[SiteAdmin]),
        secret("an unpublished article", DRAFT_BODY, &[SiteAdmin]),
        secret("a password hash", "$argon2", &[]),
    ];
    for value in identity_secrets {
        secrets.push(secret("an identity secret", value, &[SiteAdmin]));
    }
    secrets
}

/// The site admin invites `name`@example.com into `space`; they accept from `who`'s browser.
/// Returns their session and id.
async fn join(site: &Site, who: Who, space: &str, name: &str, role: &str) -> (String, String) {
    let email = format!("{name}@example.com");
    let invite = [("space", space), ("email", &email), ("role", role)];
    let link = site.ok(Who::SiteAdmin, "admin/space/invite", &invite).await;
    let accept = pairs(&[
        ("token", &token_of(&link)),
        ("name", name),
        ("password", "a long enough password"),
    ]);
    let reply = site.call(who, None, "invite/accept", &accept).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let session = reply.cookie.expect("a session");
    let me = post(site.actor(who), &site.app, Some(&session), "me", &[]).await;
    let id = text(&serde_json::from_str::<Value>(&me.body).unwrap()["id"]);
    (session, id)
}

fn secret(label: &'static str, value: &str, shown_to: &'static [Who]) -> Secret {
    Secret {
        label,
        value: value.to_string(),
        shown_to,
    }
}

fn placeholder_settings() -> ChatSettings {
    ChatSettings {
        name: String::new(),
        mode: domain::experience::SupportMode::SupportTeam,
        website: false,
        embedded: false,
        space: None,
        fallback_message: String::new(),
        help_text: String::new(),
        allowed_domains: Vec::new(),
    }
}

/// Casey writes the private message over her socket, as the widget does.
async fn say_privately(site: &Site) {
    let session = site.actor(Who::Customer).session.clone().unwrap();
    let mut socket = site.app.connect(&session).await;
    let conversation = domain::ConversationId::new(site.live.clone());
    socket
        .send(&ClientFrame::Resume {
            conversation: conversation.clone(),
            last_seq: 0,
        })
        .await;
    socket
        .expect("synced", |f| matches!(f, ServerFrame::Synced { .. }))
        .await;
    socket
        .send(&ClientFrame::Send {
            conversation,
            client_id: "private-1".into(),
            body: PRIVATE_MESSAGE.into(),
        })
        .await;
    socket
        .expect("sent", |f| matches!(f, ServerFrame::Sent { .. }))
        .await;
}
