//! A customer's profile: every conversation they have had, newest first (SPEC R-VIEW-6).
//! Conversations the agent may not read show only their date and status (R-VIEW-3).

use domain::views::ProfileConversation;
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
    let customer = move || params.with(|p| p.get("id").unwrap_or_default());
    let profile = Resource::new(customer, |id| customer_profile(id, None));
    // Conversations "Load more" fetched after the first page, and the cursor after them
    // (`None` until the first "Load more": the first page's cursor holds).
    let more = RwSignal::new(Vec::<ProfileConversation>::new());
    let more_next = RwSignal::new(None::<Option<String>>);
    let load_more = Action::new(|(id, after): &(String, String)| {
        let (id, after) = (id.clone(), after.clone());
        async move { (id.clone(), customer_profile(id, Some(after)).await) }
    });
    Effect::new(move |_| {
        if let Some((id, Ok(page))) = load_more.value().get()
            && id == customer()
        {
            more.update(|m| m.extend(page.conversations));
            more_next.set(Some(page.next));
        }
    });
    Effect::new(move |_| {
        // Another customer's profile starts from its first page.
        customer();
        more.set(Vec::new());
        more_next.set(None);
    });
    view! {
        <div class="dashboard">
            <DashboardBar name live=None/>
            <main class="p-4 grid gap-4">
                <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                    {move || profile.get().map(|result| match result {
                        Err(error) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
                        Ok(p) => {
                            let first_next = p.next.clone();
                            let next = move || more_next.get().unwrap_or_else(|| first_next.clone());
                            view! {
                                <h1 class="text-xl font-semibold">{p.name.clone()}</h1>
                                <p class="text-muted">{p.email.clone().unwrap_or_default()}</p>
                                <h2 class="text-lg font-semibold">"Conversations"</h2>
                                <ol class="conversation-list" data-testid="customer-conversations">
                                    {p.conversations.into_iter().map(conversation_item).collect_view()}
                                    {move || more.get().into_iter().map(conversation_item).collect_view()}
                                </ol>
                                {move || next().map(|cursor| view! {
                                    <button class="btn" type="button" aria-label="Load more conversations"
                                        disabled=move || load_more.pending().get()
                                        on:click=move |_| { load_more.dispatch((customer(), cursor.clone())); }>
                                        "Load more"
                                    </button>
                                })}
                                <p role="alert" class="text-sm text-danger">
                                    {move || load_more.value().get().and_then(|(_, r)| r.err()).map(|e| e.to_string())}
                                </p>
                            }.into_any()
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}

fn conversation_item(c: ProfileConversation) -> impl IntoView {
    view! {
        <li class="card">
            <strong>{c.status.clone()}</strong>
            " · started "{crate::components::time::format_time(c.started_at)}
            {c.resolution.clone().map(|r| format!(" · resolved as {r}"))}
            {c.rating.clone().map(|r| format!(" · rated {}", r.label()))}
            {c.rating.and_then(|r| r.comment).map(|comment| view! { <span class="block text-sm">{format!("“{comment}”")}</span> })}
            {(!c.readable).then_some(" · details hidden")}
        </li>
    }
}
