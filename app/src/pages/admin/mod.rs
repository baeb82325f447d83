//! Settings pages for admins: the site, spaces, customer experiences and the audit log. The
//! pages show only what the signed-in person may change; the server functions in `actions`
//! check the role again, because a page is no guard.

pub mod actions;
pub mod ai_actions;
pub mod ai_agent;
pub mod ai_model;
pub mod api_tokens;
pub mod attachment_settings;
pub mod audit;
pub mod experience;
pub mod experience_language;
pub mod experiences;
pub mod live;
pub mod review;
pub mod saved_replies;
pub mod site;
pub mod space;
pub mod spaces;
pub mod webhook_actions;
pub mod webhooks;

use leptos::prelude::*;

use crate::pages::agent::{DashboardBar, StaffOnly};

/// The frame of every settings page: the dashboard bar, the settings navigation, the title.
#[component]
pub fn AdminShell(title: &'static str, children: ChildrenFn) -> impl IntoView {
    let children = StoredValue::new(children);
    view! {
        <StaffOnly content=move |name| view! {
            <DashboardBar name live=None/>
            <div class="settings-layout">
                <nav class="settings-nav" aria-label="Settings">
                    <a class="link" href="/admin/live">"Live operations"</a>
                    <a class="link" href="/admin/site">"Site settings"</a>
                    <a class="link" href="/admin/spaces">"Spaces"</a>
                    <a class="link" href="/admin/experiences">"Customer experiences"</a>
                    <a class="link" href="/admin/review">"Conversation review"</a>
                    <a class="link" href="/admin/webhooks">"Webhooks"</a>
                    <a class="link" href="/admin/api-tokens">"API tokens"</a>
                    <a class="link" href="/admin/audit">"Audit log"</a>
                </nav>
                // Each page loads its own data; a person without the role gets the server's
                // refusal there ("You are not allowed to do this.").
                <main class="settings-main">
                    <h1 class="text-2xl font-semibold">{title}</h1>
                    {children.with_value(|c| c())}
                </main>
            </div>
        }/>
    }
}

/// Runs `reload` each time the action succeeds, so the page shows what is stored now.
pub fn reload_after<I, T>(action: Action<I, Result<T, crate::AppError>>, reload: Callback<()>)
where
    I: Send + Sync + 'static,
    T: Send + Sync + Clone + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            reload.run(());
        }
    });
}

/// `/admin`: the spaces list is where most admins start.
#[component]
pub fn AdminHome() -> impl IntoView {
    view! { <leptos_router::components::Redirect path="/admin/spaces"/> }
}
