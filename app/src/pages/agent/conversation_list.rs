//! The dashboard's **Conversations** list: live conversations, then the recently closed ones
//! with their resolution; a choice of which to show and a text filter (SPEC R-VIEW-1).
//! Opening a closed one shows its transcript read-only in the panel.

use domain::ConversationId;
use domain::views::conversations::{ConversationFilter, ConversationSummary, Showing};
use leptos::prelude::*;

use crate::AppError;
use crate::components::time::format_time;

#[component]
pub fn ConversationList(
    conversations: Resource<Result<Vec<ConversationSummary>, AppError>>,
    open: impl Fn(ConversationId) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let showing = RwSignal::new(Showing::All);
    let text = RwSignal::new(String::new());
    let filter = move || ConversationFilter {
        showing: showing.get(),
        text: text.get(),
    };
    let row = move |c: ConversationSummary| {
        let id = ConversationId::new(c.id.clone());
        let detail = match (&c.closed_at, &c.resolution) {
            (Some(at), Some(resolution)) => format!("{resolution} · closed {}", format_time(*at)),
            (Some(at), None) => format!("closed {}", format_time(*at)),
            _ => String::new(),
        };
        let label = format!("{} · {}", c.customer_name, c.status);
        view! {
            <li class:closed-conversation=c.is_closed()>
                <button class="link" on:click=move |_| open(id.clone())>{label}</button>
                {(!detail.is_empty()).then(|| view! { <span class="block text-xs text-muted">{detail}</span> })}
            </li>
        }
    };
    view! {
        <h2 class="text-lg font-semibold mt-4">"Conversations"</h2>
        <div class="conversation-filter">
            <select class="input" aria-label="Show"
                on:change=move |ev| showing.set(Showing::from_label(&event_target_value(&ev)))>
                {Showing::ALL.into_iter().map(|s| view! {
                    <option value=s.label() selected=move || showing.get() == s>{s.label()}</option>
                }).collect_view()}
            </select>
            <input class="input" type="search" placeholder="Filter" aria-label="Filter conversations"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))/>
        </div>
        <Suspense fallback=|| ()>
            <ul class="conversation-list" aria-label="Conversations">
                {move || conversations.get().map(|list| match list {
                    Ok(list) if list.is_empty() => view! { <li class="text-muted text-sm">"No conversations yet."</li> }.into_any(),
                    Ok(list) => {
                        let filter = filter();
                        let kept: Vec<_> = list.into_iter().filter(|c| filter.keeps(c)).collect();
                        if kept.is_empty() {
                            view! { <li class="text-muted text-sm">"No conversations match."</li> }.into_any()
                        } else {
                            kept.into_iter().map(row).collect_view().into_any()
                        }
                    }
                    Err(error) => view! { <li role="alert">{error.to_string()}</li> }.into_any(),
                })}
            </ul>
        </Suspense>
    }
}
