//! The Leptos application: pages for customers, agents and admins, and the server functions
//! beside them. Compiled three times: into the server (`ssr`), to the website's WASM (`hydrate`)
//! and to the customer widget's WASM (`csr`, only the widget's page is used there).
// Leptos views nest deep types; the release build (no erased components) needs more room.
#![recursion_limit = "256"]

pub mod auth;
#[cfg(feature = "ssr")]
pub mod client;
pub mod components;
pub mod error;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod limits;
pub mod live;
pub mod pages;
// The website's router and its lazy routes: not in the widget's build, whose lazy-route exports
// would keep every page alive.
#[cfg(not(feature = "csr"))]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod state;
pub mod widget_session;

use leptos::prelude::*;
#[cfg(not(feature = "csr"))]
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
#[cfg(not(feature = "csr"))]
use leptos_router::{
    Lazy, ParamSegment, StaticSegment,
    components::{Route, Router, Routes},
};

pub use error::AppError;

/// The HTML document around the app, rendered on the server.
#[cfg(not(feature = "csr"))]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="min-h-screen bg-surface text-ink antialiased">
                <App/>
            </body>
        </html>
    }
}

/// Marks the page as answering clicks (`<body data-hydrated="true">`), so tests and people can
/// tell it from a page that only looks ready. The WASM entry calls it once hydration has
/// finished, including the lazy route's chunk and the Suspense boundaries inside it.
#[cfg(feature = "browser")]
pub fn mark_hydrated() {
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// The website and the dashboards: every page but the customer widget's, behind the router.
#[cfg(not(feature = "csr"))]
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Stylesheet id="baton-css" href="/baton.css"/>
        <Title text="Baton"/>
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=StaticSegment("") view=pages::home::HomePage/>
                <Route path=StaticSegment("sign-in") view={Lazy::<routes::SignInRoute>::new()}/>
                <Route path=StaticSegment("agent") view={Lazy::<routes::AgentRoute>::new()}/>
                <Route path=(StaticSegment("agent"), StaticSegment("queues")) view={Lazy::<routes::QueuesRoute>::new()}/>
                <Route path=(StaticSegment("agent"), StaticSegment("customers"), ParamSegment("id")) view={Lazy::<routes::CustomerRoute>::new()}/>
                <Route path=(StaticSegment("agent"), StaticSegment("work"), ParamSegment("id")) view={Lazy::<routes::WorkItemRoute>::new()}/>
                <Route path=StaticSegment("support") view={Lazy::<routes::SupportIndexRoute>::new()}/>
                <Route path=(StaticSegment("support"), ParamSegment("key")) view={Lazy::<routes::SupportSiteRoute>::new()}/>
                <Route path=(StaticSegment("support"), ParamSegment("key"), StaticSegment("articles"), ParamSegment("id")) view={Lazy::<routes::HelpArticleRoute>::new()}/>
                <Route path=(StaticSegment("invite"), ParamSegment("token")) view={Lazy::<routes::InviteRoute>::new()}/>
                <Route path=StaticSegment("setup") view={Lazy::<routes::SetupRoute>::new()}/>
                <Route path=StaticSegment("admin") view={Lazy::<routes::AdminHomeRoute>::new()}/>
                <Route path=(StaticSegment("admin"), StaticSegment("site")) view={Lazy::<routes::SiteSettingsRoute>::new()}/>
                <Route path=(StaticSegment("admin"), StaticSegment("spaces")) view={Lazy::<routes::SpacesRoute>::new()}/>
                <Route path=(StaticSegment("admin"), StaticSegment("spaces"), ParamSegment("id")) view={Lazy::<routes::SpaceRoute>::new()}/>
                <Route path=(StaticSegment("admin"), StaticSegment("experiences")) view={Lazy::<routes::ExperiencesRoute>::new()}/>
                <Route path=(StaticSegment("admin"), StaticSegment("experiences"), ParamSegment("id")) view={Lazy::<routes::ExperienceRoute>::new()}/>
                <Route path=(StaticSegment("admin"), StaticSegment("experiences"), ParamSegment("id"), StaticSegment("ai")) view={Lazy::<routes::AiAgentRoute>::new()}/>
                <Route path=(StaticSegment("admin"), StaticSegment("review")) view={Lazy::<routes::ReviewRoute>::new()}/>
                <Route path=(StaticSegment("admin"), StaticSegment("audit")) view={Lazy::<routes::AuditRoute>::new()}/>
                <Route path=(StaticSegment("admin"), StaticSegment("webhooks")) view={Lazy::<routes::WebhooksRoute>::new()}/>
                <Route path=(StaticSegment("admin"), StaticSegment("live")) view={Lazy::<routes::LiveOperationsRoute>::new()}/>
                <Route path=(StaticSegment("admin"), StaticSegment("api-tokens")) view={Lazy::<routes::ApiTokensRoute>::new()}/>
            </Routes>
        </Router>
    }
}
