//! The agent dashboard: Availability, incoming offers with Accept and Decline, the agent's
//! Conversations as tabs with unread counts, and the conversation panel (SPEC R-AVAIL-*,
//! R-ROUTE-3…5, R-AGENT-*, R-VIEW-1). Queues and customer profiles are pages of their own.

pub mod actions;
mod availability;
mod conversation_list;
pub mod customer;
mod offers;
mod panel;
pub mod queues;
mod saved_reply_picker;
pub mod work_item;

use domain::{Author, ConversationId, EventKind};
use leptos::prelude::*;

use crate::auth::{Me, who_am_i};
use crate::components::chat::ConnectionBadge;
use crate::live::Live;
use actions::my_conversations;

/// Shows `content` to signed-in staff, a sign-in link to everyone else.
#[component]
pub fn StaffOnly<F, V>(content: F) -> impl IntoView
where
    F: Fn(String) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let me = Resource::new(|| (), |_| who_am_i());
    // A Transition, not a Suspense: the pages below read resources that are fetched again
    // while the person works (a conversation's details, the list of conversations). Under a
    // Suspense each refetch would swap the whole page for "Loading…" and back, taking the
    // composer's focus and the keystrokes typed meanwhile.
    view! {
        <Transition fallback=|| view! { <p class="p-6 text-muted">"Loading…"</p> }>
            {
                let content = content.clone();
                move || me.get().map(|who| match who {
                    Ok(Some(Me::Staff { name, .. })) => content(name).into_any(),
                    Ok(_) => view! {
                        <main class="mx-auto max-w-md p-8">
                            <p>"Sign in to open the agent dashboard."</p>
                            <a class="btn btn-primary mt-4" href="/sign-in">"Sign in"</a>
                        </main>
                    }.into_any(),
                    Err(error) => view! { <p role="alert" class="p-6">{error.to_string()}</p> }.into_any(),
                })
            }
        </Transition>
    }
}

#[component]
pub fn AgentPage() -> impl IntoView {
    view! { <StaffOnly content=|name| view! { <Dashboard name/> }/> }
}

/// The bar every dashboard page shares: brand, navigation, Availability and the profile menu.
#[component]
pub fn DashboardBar(name: String, live: Option<Live>) -> impl IntoView {
    view! {
        <header class="dashboard-bar">
            <span class="brand-mark" aria-hidden="true">"B"</span>
            <strong>"Baton"</strong>
            <nav class="flex gap-3" aria-label="Dashboard">
                <a class="link" href="/agent">"Conversations"</a>
                <a class="link" href="/agent/queues">"Queues"</a>
                <a class="link" href="/admin">"Settings"</a>
            </nav>
            {live.map(|live| view! { <ConnectionBadge live/> })}
            <div class="ml-auto flex items-center gap-2">
                {live.map(|live| view! { <availability::AvailabilityControl live/> })}
                <availability::ProfileMenu name live/>
            </div>
        </header>
    }
}

/// Customer messages after `seen` in a thread: the tab's unread count.
fn unread(live: Live, conversation: &ConversationId, seen: i64) -> usize {
    live.state.with(|s| {
        s.threads.get(conversation).map_or(0, |t| {
            t.events
                .iter()
                .filter(|e| {
                    e.event.seq > seen
                        && matches!(
                            e.event.kind,
                            EventKind::Message {
                                author: Author::Customer,
                                ..
                            }
                        )
                })
                .count()
        })
    })
}

#[component]
fn Dashboard(name: String) -> impl IntoView {
    let live = Live::start();
    let tabs = RwSignal::new(Vec::<ConversationId>::new());
    let selected = RwSignal::new(None::<ConversationId>);
    // The last seq looked at per tab, for unread counts.
    let seen = RwSignal::new(std::collections::HashMap::<ConversationId, i64>::new());
    let conversations = Resource::new(|| (), |_| my_conversations());
    // A new assignment or a status change shows up in the list; plain messages do not change
    // it, so they do not refetch it.
    Effect::new(move |last: Option<usize>| {
        let count = live.state.with(|s| {
            s.agent.offers.len()
                + s.threads
                    .values()
                    .flat_map(|t| &t.events)
                    .filter(|e| matches!(e.event.kind, EventKind::StatusChanged { .. }))
                    .count()
        });
        if last.is_some_and(|l| l != count) {
            conversations.refetch();
        }
        count
    });
    // The selected tab is read up to its newest event.
    Effect::new(move |_| {
        if let Some(id) = selected.get() {
            let last = live
                .state
                .with(|s| s.threads.get(&id).map_or(0, |t| t.last_seq));
            seen.update(|m| {
                m.insert(id, last);
            });
        }
    });
    let open = move |id: ConversationId| {
        live.follow(&id);
        tabs.update(|t| {
            if !t.contains(&id) {
                t.push(id.clone());
            }
        });
        selected.set(Some(id));
    };
    let close_tab = move |id: ConversationId| {
        tabs.update(|t| t.retain(|c| c != &id));
        if selected.get_untracked().as_ref() == Some(&id) {
            selected.set(tabs.get_untracked().last().cloned());
        }
    };
    // Everything the agent is assigned is followed, so unread counts work without opening it.
    Effect::new(move |_| {
        if let Some(Ok(list)) = conversations.get() {
            for c in list.iter().filter(|c| c.status != "Closed") {
                live.follow(&ConversationId::new(c.id.clone()));
            }
        }
    });

    view! {
        <div class="dashboard">
            <DashboardBar name live=Some(live)/>
            <div class="dashboard-body">
                <aside class="dashboard-side" aria-label="Your work">
                    <offers::Offers live on_accepted=open/>
                    <conversation_list::ConversationList conversations open/>
                </aside>
                <section class="dashboard-main">
                    <div role="tablist" aria-label="Open conversations" class="tabs">
                        <For
                            each=move || tabs.get()
                            key=|id| id.clone()
                            children=move |id| {
                                let (select_id, close_id, unread_id, active_id) = (id.clone(), id.clone(), id.clone(), id.clone());
                                let title = move || {
                                    conversations.get().and_then(|r| r.ok()).and_then(|list| {
                                        list.into_iter().find(|c| c.id == id.as_str()).map(|c| c.customer_name)
                                    }).unwrap_or_else(|| "Conversation".into())
                                };
                                let count = Signal::derive(move || {
                                    let seen_seq = seen.with(|m| m.get(&unread_id).copied().unwrap_or(0));
                                    unread(live, &unread_id, seen_seq)
                                });
                                // A tab list holds only tabs (ARIA), so closing is the Delete
                                // key on the tab (the tabs pattern for closable tabs) and the ×
                                // beside it is a mouse shortcut hidden from assistive technology.
                                let key_close_id = close_id.clone();
                                view! {
                                    <span class="tab" role="presentation">
                                        <button role="tab" aria-keyshortcuts="Delete"
                                            aria-selected=move || (selected.get().as_ref() == Some(&active_id)).to_string()
                                            on:click=move |_| selected.set(Some(select_id.clone()))
                                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                                if ev.key() == "Delete" {
                                                    ev.prevent_default();
                                                    close_tab(key_close_id.clone());
                                                }
                                            }>
                                            {title}
                                            <Show when=move || count.get() != 0>
                                                <span class="badge" aria-label="unread messages">{count}</span>
                                            </Show>
                                        </button>
                                        <span class="tab-close" aria-hidden="true" title="Close tab (Delete)"
                                            on:click=move |_| close_tab(close_id.clone())>"×"</span>
                                    </span>
                                }
                            }
                        />
                    </div>
                    {move || match selected.get() {
                        Some(id) => view! { <panel::ConversationPanel live conversation=id/> }.into_any(),
                        None => view! { <p class="text-muted">"Accept an offer or pick a conversation."</p> }.into_any(),
                    }}
                </section>
            </div>
        </div>
    }
}
