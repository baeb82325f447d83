//! The seven people of the matrix and what the site holds for them. Each person browses from a
//! loopback address of their own, so a per-address limit reached by one (or by another test)
//! never answers for another, and holds one session for the whole run.

use std::net::{IpAddr, Ipv4Addr};

use backend::sessions::{COOKIE_NAME, SignedIn};
use domain::experience::ChatSettings;
use serde_json::Value;

use crate::helpers::TestApp;

/// The columns of the matrix, in the order of its rows' expectations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// Not signed in, no session at all.
    Outsider,
    /// Casey, whose live conversation (and AI chat) the rows point at.
    Customer,
    /// Bea, another signed-up customer.
    OtherCustomer,
    /// Ada, the agent who accepted Casey's conversation.
    AgentIn,
    /// Grace, an agent of the same space who is not in the conversation.
    AgentOut,
    /// Sid, space admin of another space only.
    OtherSpaceAdmin,
    /// Alex, the site admin (also space admin of the demo space, never in the conversation).
    SiteAdmin,
}

impl Who {
    pub const ALL: [Who; 7] = [
        Who::Outsider,
        Who::Customer,
        Who::OtherCustomer,
        Who::AgentIn,
        Who::AgentOut,
        Who::OtherSpaceAdmin,
        Who::SiteAdmin,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Who::Outsider => "outsider",
            Who::Customer => "customer",
            Who::OtherCustomer => "other customer",
            Who::AgentIn => "participating agent",
            Who::AgentOut => "non-participating agent",
            Who::OtherSpaceAdmin => "space admin of another space",
            Who::SiteAdmin => "site admin",
        }
    }

    /// A short word for names made per person (emails, titles, message ids).
    pub fn slug(self) -> &'static str {
        ["outsider", "casey", "bea", "ada", "grace", "sid", "alex"][self as usize]
    }

    pub fn address(self) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(127, 0, 0, 101 + self as u8))
    }
}

pub struct Actor {
    pub client: reqwest::Client,
    /// The session cookie's value; `None` for the outsider.
    pub session: Option<String>,
    /// Who the session is, to mint a throw-away copy for calls that end or replace it.
    pub signed_in: Option<SignedIn>,
}

/// Something a response may show only to some people.
pub struct Secret {
    pub label: &'static str,
    pub value: String,
    pub shown_to: &'static [Who],
}

pub struct Site {
    pub app: TestApp,
    pub actors: Vec<Actor>,
    pub secrets: Vec<Secret>,
    /// Ids: the customer's live conversation (Active, Ada assigned) and its work item, her
    /// chat with the AI agent, and Ada's follow-up work about her.
    pub live: String,
    pub live_work_item: String,
    pub ai_chat: String,
    pub follow_up: String,
    pub casey: String,
    pub bea: String,
    pub grace: String,
    /// A throw-away agent of the demo space, for the rows that remove or promote someone.
    pub tom: String,
    pub demo_space: String,
    pub other_space: String,
    pub help_experience: String,
    pub help_settings: ChatSettings,
    pub shop_experience: String,
    pub site_settings: Value,
    pub pending_invitation: String,
    pub doomed_queue: String,
    pub draft_article: String,
    pub doomed_article: String,
    /// A webhook endpoint and an API token the site admin's rows remove.
    pub doomed_webhook: String,
    pub doomed_token: String,
    pub published_article: String,
}

/// The customer's words in her live conversation: no server function shows them to anyone
/// but her and Ada (their transcripts).
pub const PRIVATE_MESSAGE: &str = "My card ends in 4242, order SECRET-77";
/// Ada's internal note in it: only Ada's transcript may hold it.
pub const TEAM_NOTE: &str = "Team only: refund approved, NOTE-93";
pub const HELP_KEY: &str = backend::demo::DEMO_WIDGET_KEY;
pub const SHOP_KEY: &str = "wk_demo_shop";

pub struct Reply {
    pub status: u16,
    pub body: String,
    pub cookie: Option<String>,
}

pub async fn post(
    actor: &Actor,
    app: &TestApp,
    session: Option<&str>,
    endpoint: &str,
    form: &[(String, String)],
) -> Reply {
    let mut request = actor
        .client
        .post(app.url(&format!("/api/{endpoint}")))
        .form(form);
    if let Some(session) = session {
        request = request.header("cookie", format!("{COOKIE_NAME}={session}"));
    }
    let response = request.send().await.expect("the server answers");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{COOKIE_NAME}=")))
        .and_then(|c| c.split(';').next())
        .map(str::to_string);
    let status = response.status().as_u16();
    Reply {
        status,
        body: response.text().await.unwrap_or_default(),
        cookie,
    }
}

/// A server function's form fields.
pub type Form = Vec<(String, String)>;

pub fn pairs(form: &[(&str, &str)]) -> Form {
    form.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

impl Site {
    pub fn actor(&self, who: Who) -> &Actor {
        &self.actors[who as usize]
    }

    /// Calls a server function as `who`; with `session`, as that session instead of theirs.
    pub async fn call(
        &self,
        who: Who,
        session: Option<&str>,
        endpoint: &str,
        form: &[(String, String)],
    ) -> Reply {
        let actor = self.actor(who);
        let session = session.or(actor.session.as_deref());
        post(actor, &self.app, session, endpoint, form).await
    }

    /// A second session for the same person (none for the outsider), for calls that end or
    /// replace the session they come with.
    pub async fn fresh_session(&self, who: Who) -> Option<String> {
        match &self.actor(who).signed_in {
            Some(signed_in) => Some(self.app.session_for(signed_in.clone()).await),
            None => None,
        }
    }

    /// The secrets `who` must never be shown.
    pub fn hidden_from(&self, who: Who) -> impl Iterator<Item = &Secret> {
        self.secrets
            .iter()
            .filter(move |s| !s.shown_to.contains(&who))
    }

    pub async fn ok(&self, who: Who, endpoint: &str, form: &[(&str, &str)]) -> Value {
        let reply = self.call(who, None, endpoint, &pairs(form)).await;
        assert_eq!(
            reply.status,
            200,
            "setting up: {endpoint} as {}: {}",
            who.label(),
            reply.body
        );
        serde_json::from_str(&reply.body).unwrap_or(Value::Null)
    }
}
