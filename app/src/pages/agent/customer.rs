//! A customer's profile: every conversation they have had, newest first (SPEC R-VIEW-6).
//! Conversations the agent may not read show only their date and status (R-VIEW-3).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::actions::customer_profile;
use super::{DashboardBar, StaffOnly};

#[component]
pub fn CustomerPage() -> impl IntoView {
    view! { <StaffOnly content=|name| view! { <Profile name/> }/> }
}

#[component]
fn Profile(name: String) -> impl IntoView {
    let params = use_params_map();
    let profile = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        customer_profile,
    );
    view! {
        <div class="dashboard">
            <DashboardBar name live=None/>
            <main class="p-4 grid gap-4">
                <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                    {move || profile.get().map(|result| match result {
                        Err(error) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
                        Ok(p) => view! {
                            <h1 class="text-xl font-semibold">{p.name.clone()}</h1>
                            <p class="text-muted">{p.email.clone().unwrap_or_default()}</p>
                            <h2 class="text-lg font-semibold">"Conversations"</h2>
                            <ol class="conversation-list" data-testid="customer-conversations">
                                {p.conversations.into_iter().map(|c| view! {
                                    <li class="card">
                                        <strong>{c.status.clone()}</strong>
                                        " · started "{crate::components::time::format_time(c.started_at)}
                                        {c.resolution.clone().map(|r| format!(" · resolved as {r}"))}
                                        {(!c.readable).then_some(" · details hidden")}
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                    })}
                </Suspense>
            </main>
        </div>
    }
}
