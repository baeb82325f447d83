//! The agent dashboard: Availability, incoming offers with Accept and Decline, the agent's
//! Conversations and the conversation panel (SPEC R-AVAIL-*, R-ROUTE-3…5, R-AGENT-*, R-VIEW-1).

mod actions;
mod offers;

use domain::{Availability, ConversationId};
use leptos::prelude::*;

use crate::auth::{Me, sign_out, who_am_i};
use crate::components::chat::{ConnectionBadge, ThreadView};
use crate::live::Live;
use actions::{end_conversation, my_conversations, set_availability};

#[component]
pub fn AgentPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| who_am_i());
    view! {
        <Suspense fallback=|| view! { <p class="p-6 text-muted">"Loading…"</p> }>
            {move || me.get().map(|who| match who {
                Ok(Some(Me::Staff { name, .. })) => view! { <Dashboard name/> }.into_any(),
                Ok(_) => view! {
                    <main class="mx-auto max-w-md p-8">
                        <p>"Sign in to open the agent dashboard."</p>
                        <a class="btn btn-primary mt-4" href="/sign-in">"Sign in"</a>
                    </main>
                }.into_any(),
                Err(error) => view! { <p role="alert" class="p-6">{error.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(name: String) -> impl IntoView {
    let live = Live::start();
    let selected = RwSignal::new(None::<ConversationId>);
    let conversations = Resource::new(|| (), |_| my_conversations());
    // A new assignment or a status change shows up in the list.
    Effect::new(move |last: Option<usize>| {
        let count = live.state.with(|s| s.agent.offers.len())
            + live
                .state
                .with(|s| s.threads.values().map(|t| t.events.len()).sum::<usize>());
        if last.is_some_and(|l| l != count) {
            conversations.refetch();
        }
        count
    });
    let availability = move || {
        live.state.with(|s| {
            if s.agent.spaces.is_empty() {
                None
            } else if s
                .agent
                .spaces
                .iter()
                .all(|sp| sp.availability == Availability::Available)
            {
                Some(Availability::Available)
            } else {
                Some(Availability::Unavailable)
            }
        })
    };
    let change = Action::new(|available: &bool| set_availability(*available));
    let reason = move || {
        live.state.with(|s| match &s.agent.unavailable_reason {
            Some(domain::UnavailableReason::MissedOffer { .. }) => {
                Some("Baton set you Unavailable because an offer ran out without an answer.")
            }
            Some(domain::UnavailableReason::Disconnected { .. }) => {
                Some("Baton set you Unavailable because no dashboard of yours was open.")
            }
            _ => None,
        })
    };
    let leave = Action::new(|_: &()| sign_out());
    Effect::new(move |_| {
        if matches!(leave.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href("/sign-in");
        }
    });
    let end = Action::new(|id: &String| end_conversation(id.clone()));
    let open = move |id: ConversationId| {
        live.follow(&id);
        selected.set(Some(id));
    };

    view! {
        <div class="dashboard">
            <header class="dashboard-bar">
                <span class="brand-mark" aria-hidden="true">"B"</span>
                <strong>"Baton"</strong>
                <span class="text-muted">{name}</span>
                <ConnectionBadge live/>
                <div class="ml-auto flex items-center gap-2">
                    <label for="availability">"Availability"</label>
                    <select id="availability" class="input" aria-label="Availability"
                        prop:value=move || availability().map(|a| a.label()).unwrap_or("Unavailable")
                        on:change=move |ev| { change.dispatch(event_target_value(&ev) == "Available"); }>
                        <option value="Available">"Available"</option>
                        <option value="Unavailable">"Unavailable"</option>
                    </select>
                    <button class="btn" on:click=move |_| { leave.dispatch(()); }>"Sign out"</button>
                </div>
            </header>
            <p role="alert" class="text-danger text-sm px-4">
                {move || change.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                {move || end.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
            </p>
            <p role="status" class="text-sm px-4" data-testid="availability-reason">{reason}</p>
            <div class="dashboard-body">
                <aside class="dashboard-side" aria-label="Conversations">
                    <offers::Offers live on_accepted=open/>
                    <h2 class="text-lg font-semibold mt-4">"Conversations"</h2>
                    <Suspense fallback=|| ()>
                        <ul class="conversation-list">
                            {move || conversations.get().map(|list| match list {
                                Ok(list) if list.is_empty() => view! { <li class="text-muted text-sm">"No conversations yet."</li> }.into_any(),
                                Ok(list) => list.into_iter().map(|c| {
                                    let id = ConversationId::new(c.id.clone());
                                    let label = format!("{} · {}", c.customer_name, c.status);
                                    view! {
                                        <li><button class="link" on:click=move |_| open(id.clone())>{label}</button></li>
                                    }
                                }).collect_view().into_any(),
                                Err(error) => view! { <li role="alert">{error.to_string()}</li> }.into_any(),
                            })}
                        </ul>
                    </Suspense>
                </aside>
                <section class="dashboard-main">
                    {move || match selected.get() {
                        Some(id) => {
                            let end_id = id.to_string();
                            view! {
                                <div class="flex items-center justify-between">
                                    <h2 class="text-lg font-semibold">"Conversation"</h2>
                                    <button class="btn" on:click=move |_| { end.dispatch(end_id.clone()); }>"End conversation"</button>
                                </div>
                                <ThreadView live conversation=id for_team=true/>
                            }.into_any()
                        }
                        None => view! { <p class="text-muted">"Accept an offer or pick a conversation."</p> }.into_any(),
                    }}
                </section>
            </div>
        </div>
    }
}
