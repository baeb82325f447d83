//! THE table: every server function, a form for it about the customer's conversation, space
//! or experience, and what each of the seven people gets. A new `#[server]` function fails
//! `every_server_function_has_a_row_in_the_matrix` until it has a row here.
//!
//! Columns: [outsider, customer, other customer, participating agent, non-participating
//! agent, space admin of another space, site admin]. `ALLOW` is 200; `D403`/`D404`/`D422` are
//! refusals with that status, the matching error code, and no change to any table.
//! Rows run in this order, refusals of a row before its allowed calls.

use super::checks::*;
use super::roles::{Form, HELP_KEY, SHOP_KEY, Site, Who, pairs};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Allow,
    Deny(u16),
}

pub const ALLOW: Outcome = Outcome::Allow;
/// Not signed in as someone who may (`Forbidden`).
pub const D403: Outcome = Outcome::Deny(403);
/// Not there for this person, so asking confirms nothing (`NotFound`, SPEC R-VIEW-3).
pub const D404: Outcome = Outcome::Deny(404);
/// Refused by a rule, with a message saying why (`Invalid`).
pub const D422: Outcome = Outcome::Deny(422);

const PUBLIC: [Outcome; 7] = [ALLOW; 7];
const STAFF: [Outcome; 7] = [D403, D403, D403, ALLOW, ALLOW, ALLOW, ALLOW];
const CUSTOMERS: [Outcome; 7] = [D403, ALLOW, ALLOW, D403, D403, D403, D403];
/// Only Ada, who is in the conversation (SPEC R-VIEW-3).
const PARTICIPANT: [Outcome; 7] = [D403, D403, D403, ALLOW, D404, D404, D404];
/// Settings of the demo space, the site or Casey's experience: site admin only.
const SITE_ADMIN: [Outcome; 7] = [D403, D403, D403, D403, D403, D403, ALLOW];
/// Settings of Sid's own space: Sid and the site admin.
const OWN_SPACE_ADMIN: [Outcome; 7] = [D403, D403, D403, D403, D403, ALLOW, ALLOW];

type Check = fn(&Site, Who, &str) -> Result<(), String>;

pub struct Row {
    pub endpoint: &'static str,
    pub form: fn(&Site, Who) -> Form,
    pub expect: [Outcome; 7],
    /// More conditions on an allowed answer: what it may show to whom.
    pub check: Option<Check>,
    /// The call signs in, out or up: it runs with a fresh session of the same person.
    pub fresh_session: bool,
    /// What tells this row from another of the same function.
    pub about: &'static str,
}

fn row(endpoint: &'static str, form: fn(&Site, Who) -> Form, expect: [Outcome; 7]) -> Row {
    Row {
        endpoint,
        form,
        expect,
        check: None,
        fresh_session: false,
        about: "",
    }
}

impl Row {
    fn fresh(self) -> Row {
        Row {
            fresh_session: true,
            ..self
        }
    }

    fn about(self, about: &'static str) -> Row {
        Row { about, ..self }
    }

    fn check(self, check: Check) -> Row {
        Row {
            check: Some(check),
            ..self
        }
    }
}

fn none(_: &Site, _: Who) -> Form {
    Vec::new()
}

fn email(who: Who, purpose: &str) -> String {
    format!("{purpose}-{}@example.com", who.slug())
}

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        // Signing in, up and out: public, and never about anyone else.
        row("me", none, PUBLIC).check(names_the_caller),
        row("staff-sign-in", |_, w| pairs(&[("email", &email(w, "nobody")), ("password", "not the password")]), [D422; 7]).fresh(),
        row("customer-sign-in", |_, w| pairs(&[("email", &email(w, "nobody")), ("password", "not the password")]), [D422; 7]).fresh(),
        row("customer-sign-up", |_, w| pairs(&[("name", "New Customer"), ("email", &email(w, "new")), ("password", "a long enough password")]), PUBLIC).fresh(),
        row("sign-out", none, PUBLIC).fresh(),
        row("invite/find", |s, _| pairs(&[("token", &s.pending_invitation)]), PUBLIC),
        row("invite/accept", |_, _| pairs(&[("token", "0123456789abcdef0123456789abcdef0123456789abcdef"), ("name", "Mallory"), ("password", "a long enough password")]), [D422; 7]).fresh(),
        row("setup/first-admin", |_, w| pairs(&[("name", "Mallory"), ("email", &email(w, "takeover")), ("password", "a long enough password")]), [D422; 7]).fresh(),
        // Issue 15 item 10: the figures are for staff.
        row("service-status", none, PUBLIC).check(figures_only_for_staff),
        // The support website and the widget: public, each person sees only their own chat.
        row("support/sites", none, PUBLIC),
        row("support/articles", |_, _| pairs(&[("key", SHOP_KEY)]), PUBLIC),
        row("support/article", |s, _| pairs(&[("key", SHOP_KEY), ("id", &s.published_article)]), PUBLIC),
        row("support/article", |s, _| pairs(&[("key", SHOP_KEY), ("id", &s.draft_article)]), [D404; 7]).about("an unpublished article"),
        row("widget/info", |_, _| pairs(&[("key", HELP_KEY)]), PUBLIC),
        row("widget/open", |_, _| pairs(&[("key", HELP_KEY)]), PUBLIC).check(open_chat_only_for_its_customer),
        row("widget/visit", none, PUBLIC),
        // SPEC R-CUST-2: live chat needs a signed-in customer; staff are not customers.
        row("widget/start", |_, _| pairs(&[("key", HELP_KEY)]), [D422, ALLOW, ALLOW, D422, D422, D422, D422]),
        row("widget/claim", |_, _| pairs(&[("key", SHOP_KEY)]), CUSTOMERS),
        row("widget/queue-position", |s, _| pairs(&[("conversation", &s.live)]), [D403, ALLOW, D404, D403, D403, D403, D403]),
        row("widget/identify", |_, w| pairs(&[("key", HELP_KEY), ("token", &forged_token(w))]), [D422; 7]).fresh(),
        // SPEC R-HAND-1: only the conversation's own customer asks for a person.
        row("widget/person", |s, _| pairs(&[("conversation", &s.ai_chat)]), [D404, ALLOW, D404, D404, D404, D404, D404]),
        // Only the conversation's own customer may rate it, and only once it has ended.
        row("widget/rate", |s, _| pairs(&[("conversation", &s.live), ("score", "5"), ("comment", "")]), [D404, D422, D404, D404, D404, D404, D404]),
        row("widget/transcript", |s, _| pairs(&[("conversation", &s.live)]), [D404, ALLOW, D404, D404, D404, D404, D404])
            .check(transcript_holds_the_chat),
        // The dashboard (SPEC R-VIEW-*, R-AGENT-*, R-ROUTE-9).
        row("agent/availability", |_, _| pairs(&[("available", "false"), ("space", "")]), STAFF),
        row("agent/accept", |s, _| pairs(&[("conversation", &s.live)]), [D403, D403, D403, D422, D422, D422, D422]),
        row("agent/decline", |s, _| pairs(&[("conversation", &s.live)]), [D403, D403, D403, D422, D422, D422, D422]),
        row("agent/conversations", none, STAFF),
        row("agent/note", |s, w| pairs(&[("conversation", &s.live), ("body", &format!("note by {}", w.slug()))]), PARTICIPANT),
        row("agent/resolutions", none, STAFF),
        row("agent/follow-up", |s, _| pairs(&[("conversation", &s.live), ("work_type", "Bug"), ("title", "Look into it")]), PARTICIPANT),
        row("agent/conversation", |s, _| pairs(&[("conversation", &s.live)]), PARTICIPANT),
        row("agent/saved-replies", |s, _| pairs(&[("conversation", &s.live)]), PARTICIPANT),
        row("agent/transcript", |s, _| pairs(&[("conversation", &s.live)]), PARTICIPANT).check(transcript_holds_the_chat),
        row("agent/queue", |_, _| pairs(&[("filter", "ORDER BY created DESC")]), STAFF),
        // Issue 15 item 7: a filter cannot find a conversation by a customer one may not see.
        row("agent/queue", |_, _| pairs(&[("filter", "type = Conversation AND customer = \"casey@demo.baton.test\"")]), STAFF)
            .about("filtered by the customer's email")
            .check(only_the_participant_finds_the_customer),
        // Issue 15 item 8: members of the space and site admins only.
        row("agent/assign", |s, _| pairs(&[("work_item", &s.follow_up), ("to_me", "false")]), [D403, D403, D403, ALLOW, ALLOW, D403, ALLOW]),
        // Issue 15 item 10: a profile is for site admins, readers of one of the customer's
        // conversations and members of a space whose follow-up work names her.
        row("agent/customer", |s, _| pairs(&[("customer", &s.casey)]), [D403, D403, D403, ALLOW, ALLOW, D404, ALLOW])
            .about("the customer, named by Ada's follow-up"),
        row("agent/customer", |s, _| pairs(&[("customer", &s.bea)]), [D403, D403, D403, D404, D404, D404, ALLOW])
            .about("a customer no agent has talked to"),
        row("agent/saved-queues", none, STAFF),
        row("agent/work-item", |s, _| pairs(&[("id", &s.live_work_item)]), [D403, D403, D403, ALLOW, ALLOW, D404, ALLOW])
            .check(work_item_details_only_for_the_participant),
        // Settings (SPEC R-SPACE-*, R-MODE-*, domain::roles).
        row("admin/site", none, SITE_ADMIN),
        row("admin/site/save", |s, _| site_form(s), SITE_ADMIN),
        row("admin/site/attachments", none, SITE_ADMIN),
        // The demo's own values, so a save changes nothing another row reads.
        row("admin/site/attachments/save", |_, _| pairs(&[("max_megabytes", "10"), ("types", domain::attachments::DEFAULT_TYPES)]), SITE_ADMIN),
        row("admin/site/attachments/save", |_, _| pairs(&[("max_megabytes", "10"), ("types", "pdf exe")]), [D403, D403, D403, D403, D403, D403, D422])
            .about("a type that runs code"),
        row("admin/spaces", none, STAFF).check(spaces_listed_only_to_their_admins),
        row("admin/spaces/create", |_, w| pairs(&[("name", &format!("Space of {}", w.slug()))]), SITE_ADMIN),
        row("admin/space", |s, _| pairs(&[("space", &s.demo_space)]), SITE_ADMIN),
        row("admin/space", |s, _| pairs(&[("space", &s.other_space)]), OWN_SPACE_ADMIN).about("the other space"),
        row("admin/space/rename", |s, _| pairs(&[("space", &s.demo_space), ("name", "Customer Support")]), SITE_ADMIN),
        row("admin/space/rename", |s, _| pairs(&[("space", &s.other_space), ("name", "Other Space")]), OWN_SPACE_ADMIN).about("the other space"),
        row("admin/space/live-chat", |s, _| pairs(&[("space", &s.demo_space), ("on", "true")]), SITE_ADMIN),
        row("admin/space/invite", |s, w| pairs(&[("space", &s.demo_space), ("email", &email(w, "invited")), ("role", "agent")]), SITE_ADMIN),
        row("admin/space/role", |s, _| pairs(&[("space", &s.demo_space), ("user", &s.grace), ("role", "agent")]), SITE_ADMIN),
        row("admin/space/remove-member", |s, _| pairs(&[("space", &s.demo_space), ("user", &s.tom)]), SITE_ADMIN),
        row("admin/space/work-type", |s, _| pairs(&[("space", &s.demo_space), ("name", "Refund"), ("add", "true")]), SITE_ADMIN),
        row("admin/space/queue", |s, w| pairs(&[("space", &s.demo_space), ("name", &format!("Queue of {}", w.slug())), ("filter", "type = Task")]), SITE_ADMIN),
        row("admin/space/remove-queue", |s, _| pairs(&[("queue", &s.doomed_queue)]), SITE_ADMIN),
        row("admin/space/sla", |s, _| pairs(&[("space", &s.demo_space), ("work_type", ""), ("minutes", "10")]), SITE_ADMIN),
        row("admin/space/saved-replies", |s, _| pairs(&[("space", &s.demo_space)]), SITE_ADMIN),
        row("admin/space/saved-replies", |s, _| pairs(&[("space", &s.other_space)]), OWN_SPACE_ADMIN).about("the other space"),
        row("admin/space/saved-replies/add", |s, w| pairs(&[("space", &s.demo_space), ("shortcut", &format!("matrix-{}", w.slug())), ("body", "Hi {customer}")]), SITE_ADMIN),
        row("admin/space/saved-replies/add", |s, w| pairs(&[("space", &s.other_space), ("shortcut", &format!("matrix-{}", w.slug())), ("body", "Hi {customer}")]), OWN_SPACE_ADMIN).about("the other space"),
        // No such reply: the site admin is told so, everyone else is refused first.
        row("admin/space/saved-replies/remove", |s, _| pairs(&[("space", &s.demo_space), ("id", "no-such-reply")]), [D403, D403, D403, D403, D403, D403, D404]),
        row("admin/experiences", none, STAFF).check(experiences_listed_only_to_their_admins),
        row("admin/experiences/create", |_, w| pairs(&[("name", &format!("Experience of {}", w.slug()))]), SITE_ADMIN),
        row("admin/experience", |s, _| pairs(&[("experience", &s.help_experience)]), SITE_ADMIN),
        row("admin/experience/save", |s, _| experience_form(s), SITE_ADMIN),
        row("admin/experience/rotate-secret", |s, _| pairs(&[("experience", &s.shop_experience)]), SITE_ADMIN),
        row("admin/experience/language", |s, _| pairs(&[("experience", &s.shop_experience), ("language", "")]), SITE_ADMIN),
        row("admin/experience/language", |s, _| pairs(&[("experience", &s.shop_experience), ("language", "klingon")]), [D403, D403, D403, D403, D403, D403, D422])
            .about("a language the chat does not speak"),
        row("admin/experience/admin", |s, _| pairs(&[("experience", &s.help_experience), ("email", "tom@example.com"), ("user", ""), ("add", "true")]), SITE_ADMIN),
        row("admin/audit", none, SITE_ADMIN),
        row("admin/ai-agent", |s, _| pairs(&[("experience", &s.shop_experience)]), SITE_ADMIN),
        row("admin/ai-agent/handoff", |s, _| pairs(&[("experience", &s.shop_experience), ("unconfident_limit", "2"), ("phrases", "chargeback\nlegal complaint")]), SITE_ADMIN),
        row("admin/ai-agent/publish", |s, _| pairs(&[("experience", &s.shop_experience), ("publish", "true")]), SITE_ADMIN),
        row("admin/webhooks", |_, _| pairs(&[]), SITE_ADMIN),
        // Nothing listens at the URL; the deliveries the worker tries meanwhile touch only the
        // outbox tables, which the "no change" digest leaves out (see digest.rs).
        row("admin/webhooks/create", |_, _| pairs(&[("url", "http://127.0.0.1:9/hooks"), ("description", "Matrix"), ("events", "conversation.offered")]), SITE_ADMIN),
        row("admin/webhooks/deliveries", |s, _| pairs(&[("endpoint", &s.doomed_webhook)]), SITE_ADMIN),
        // No such delivery: the admin learns that; nobody else learns anything.
        row("admin/webhooks/resend", |s, _| pairs(&[("endpoint", &s.doomed_webhook), ("seq", "999999")]), [D403, D403, D403, D403, D403, D403, D404])
            .about("a delivery that does not exist"),
        row("admin/webhooks/delete", |s, _| pairs(&[("endpoint", &s.doomed_webhook)]), SITE_ADMIN),
        // Site and space admins; Sid sees only his own space (not Casey's conversation).
        row("admin/live", |_, _| pairs(&[]), OWN_SPACE_ADMIN).check(live_view_in_scope),
        row("admin/api-tokens", |_, _| pairs(&[]), SITE_ADMIN),
        row("admin/api-tokens/create", |s, _| pairs(&[("name", "Matrix"), ("acts_for", &s.grace), ("scope", "read")]), SITE_ADMIN),
        row("admin/api-tokens/revoke", |s, _| pairs(&[("token", &s.doomed_token)]), SITE_ADMIN),
        row("admin/ai-agent/model", |s, _| pairs(&[("experience", &s.shop_experience), ("backend", "built_in"), ("base_url", ""), ("model", ""), ("temperature", "0.2"), ("tone", ""), ("api_key", ""), ("remove_key", "false")]), SITE_ADMIN),
        // Test connection reaches out only for the experience's admins; nothing listens here,
        // so the admin learns that, as a 422 with the reason.
        row("admin/ai-agent/model/test", |s, _| pairs(&[("experience", &s.shop_experience), ("base_url", "http://127.0.0.1:9/v1"), ("model", "m"), ("temperature", "0.2"), ("api_key", ""), ("remove_key", "false")]), [D403, D403, D403, D403, D403, D403, D422])
            .about("a model server that is not there"),
        row("admin/ai-agent/article", |s, w| pairs(&[("experience", &s.shop_experience), ("id", ""), ("title", &format!("Article of {}", w.slug())), ("body", "Text."), ("published", "false")]), SITE_ADMIN),
        row("admin/ai-agent/article/delete", |s, _| pairs(&[("experience", &s.shop_experience), ("id", &s.doomed_article)]), SITE_ADMIN),
        // A refusal does not depend on what is sent: a malformed form from someone without the
        // role is refused as such, and the admin's mistake is a 422, never a 500.
        row("admin/site/save", |_, _| pairs(&[("name", "Mine"), ("plan", "Gold"), ("max_conversations", "3"), ("resolutions", "Done")]), [D403, D403, D403, D403, D403, D403, D422])
            .about("an unknown plan"),
        row("admin/space/sla", |s, _| pairs(&[("space", &s.demo_space), ("work_type", ""), ("minutes", "soon")]), [D403, D403, D403, D403, D403, D403, D422])
            .about("minutes that are not a number"),
        row("admin/experience/save", |s, _| pairs(&[("experience", &s.help_experience), ("name", "Baton Help"), ("mode", "robots"), ("website", "true"), ("embedded", "true"), ("space", &s.demo_space), ("fallback_message", "x"), ("help_text", ""), ("allowed_domains", "")]), [D403, D403, D403, D403, D403, D403, D422])
            .about("an unknown support mode"),
        row("admin/ai-agent/handoff", |s, _| pairs(&[("experience", &s.shop_experience), ("unconfident_limit", "many"), ("phrases", "")]), [D403, D403, D403, D403, D403, D403, D422])
            .about("a limit that is not a number"),
        // SPEC R-VIEW-5: Conversation review is for the experience's admins.
        row("admin/review", |_, _| pairs(&[("outcome", "")]), STAFF).check(review_only_for_experience_admins),
        row("admin/review/transcript", |s, _| pairs(&[("conversation", &s.ai_chat)]), SITE_ADMIN),
        // These two change the conversation for good, so they run last: End, then Resolve
        // (SPEC R-AGENT-2, R-AGENT-3).
        row("agent/end", |s, _| pairs(&[("conversation", &s.live)]), PARTICIPANT),
        row("agent/resolve", |s, _| pairs(&[("conversation", &s.live), ("resolution", "Done")]), PARTICIPANT),
    ]
}
