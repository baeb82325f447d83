//! The Leptos application: pages for customers, agents and admins, and the server functions
//! beside them. Compiled twice: to WASM (`hydrate`) and into the server (`ssr`).
// Leptos views nest deep types; the release build (no erased components) needs more room.
#![recursion_limit = "256"]

pub mod auth;
pub mod components;
pub mod error;
pub mod live;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, StaticSegment,
    components::{Route, Router, Routes},
};

pub use error::AppError;

/// The HTML document around the app, rendered on the server.
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Tests and people can tell a page that answers clicks from one that only looks ready.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="baton-css" href="/baton.css"/>
        <Title text="Baton"/>
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=StaticSegment("") view=pages::home::HomePage/>
                <Route path=StaticSegment("sign-in") view=pages::sign_in::SignInPage/>
                <Route path=StaticSegment("agent") view=pages::agent::AgentPage/>
                <Route path=(StaticSegment("agent"), StaticSegment("queues")) view=pages::agent::queues::QueuesPage/>
                <Route path=(StaticSegment("agent"), StaticSegment("customers"), ParamSegment("id")) view=pages::agent::customer::CustomerPage/>
                <Route path=(StaticSegment("agent"), StaticSegment("work"), ParamSegment("id")) view=pages::agent::work_item::WorkItemPage/>
                <Route path=StaticSegment("support") view=pages::support::SupportIndexPage/>
                <Route path=(StaticSegment("support"), ParamSegment("key")) view=pages::support::SupportSitePage/>
                <Route path=(StaticSegment("support"), ParamSegment("key"), StaticSegment("articles"), ParamSegment("id")) view=pages::support::HelpArticlePage/>
                <Route path=(StaticSegment("w"), ParamSegment("key")) view=pages::widget::WidgetPage/>
                <Route path=(StaticSegment("invite"), ParamSegment("token")) view=pages::invite::InvitePage/>
                <Route path=StaticSegment("setup") view=pages::setup::SetupPage/>
                <Route path=StaticSegment("admin") view=pages::admin::AdminHome/>
                <Route path=(StaticSegment("admin"), StaticSegment("site")) view=pages::admin::site::SiteSettingsPage/>
                <Route path=(StaticSegment("admin"), StaticSegment("spaces")) view=pages::admin::spaces::SpacesPage/>
                <Route path=(StaticSegment("admin"), StaticSegment("spaces"), ParamSegment("id")) view=pages::admin::space::SpacePage/>
                <Route path=(StaticSegment("admin"), StaticSegment("experiences")) view=pages::admin::experiences::ExperiencesPage/>
                <Route path=(StaticSegment("admin"), StaticSegment("experiences"), ParamSegment("id")) view=pages::admin::experience::ExperiencePage/>
                <Route path=(StaticSegment("admin"), StaticSegment("experiences"), ParamSegment("id"), StaticSegment("ai")) view=pages::admin::ai_agent::AiAgentPage/>
                <Route path=(StaticSegment("admin"), StaticSegment("review")) view=pages::admin::review::ReviewPage/>
                <Route path=(StaticSegment("admin"), StaticSegment("audit")) view=pages::admin::audit::AuditPage/>
            </Routes>
        </Router>
    }
}
