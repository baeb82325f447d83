//! Every page but the home page is a lazy route: built with `cargo leptos … --split`, its code
//! goes into a WASM chunk of its own, fetched when the page is first shown. What a page shares
//! with others goes into shared chunks. So a customer on the support website downloads the
//! router and that page, not the agent dashboard and the settings pages. (The customer widget
//! `/w/{key}` is not among these pages: it is a WASM build of its own, see the `widget` crate.)

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::pages;

/// Declares a lazy route that shows one page component. The page keeps its own data loading
/// (its resources start when the chunk has arrived); the route only draws the code boundary.
macro_rules! lazy_page {
    ($($route:ident => $page:path;)+) => {$(
        #[doc = concat!("The lazily loaded route of `", stringify!($page), "`.")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )+};
}

lazy_page! {
    SignInRoute => pages::sign_in::SignInPage;
    AgentRoute => pages::agent::AgentPage;
    QueuesRoute => pages::agent::queues::QueuesPage;
    CustomerRoute => pages::agent::customer::CustomerPage;
    WorkItemRoute => pages::agent::work_item::WorkItemPage;
    SupportIndexRoute => pages::support::SupportIndexPage;
    SupportSiteRoute => pages::support::SupportSitePage;
    HelpArticleRoute => pages::support::HelpArticlePage;
    InviteRoute => pages::invite::InvitePage;
    SetupRoute => pages::setup::SetupPage;
    AdminHomeRoute => pages::admin::AdminHome;
    SiteSettingsRoute => pages::admin::site::SiteSettingsPage;
    SpacesRoute => pages::admin::spaces::SpacesPage;
    SpaceRoute => pages::admin::space::SpacePage;
    ExperiencesRoute => pages::admin::experiences::ExperiencesPage;
    ExperienceRoute => pages::admin::experience::ExperiencePage;
    AiAgentRoute => pages::admin::ai_agent::AiAgentPage;
    ReviewRoute => pages::admin::review::ReviewPage;
    AuditRoute => pages::admin::audit::AuditPage;
    WebhooksRoute => pages::admin::webhooks::WebhooksPage;
    LiveOperationsRoute => pages::admin::live::LiveOperationsPage;
    ApiTokensRoute => pages::admin::api_tokens::ApiTokensPage;
}
