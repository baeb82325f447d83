//! `/admin/live`, the live operations view (site and space admins): who is waiting and for how
//! long, who is Available and how loaded, which conversations are past their first-response
//! goal. The page's socket asks for `operations_changed` and reads the view again each time;
//! waits and goals count on every second from the page's clock. No polling.

use domain::views::operations::{AgentLoad, OpenConversation, OperationsView, WaitingCustomer};
use leptos::prelude::*;

use super::AdminShell;
use crate::AppError;
use crate::live::Live;

#[server(prefix = "/api", endpoint = "admin/live")]
pub async fn live_operations() -> Result<OperationsView, AppError> {
    let (state, actor) = super::actions::actor().await?;
    let goal = i64::try_from(state.config.sla_first_response.as_millis()).unwrap_or(i64::MAX);
    Ok(backend::operations::view(&state.db, &actor, goal, state.engine.now()).await?)
}

#[component]
pub fn LiveOperationsPage() -> impl IntoView {
    view! {
        <AdminShell title="Live operations">
            {
                let live = Live::start();
                live.watch_operations();
                let changes = move || live.state.with(|s| s.operations_changes);
                let loaded = Resource::new(changes, |_| live_operations());
                view! {
                    <Transition fallback=|| ()>
                        {move || loaded.get().map(|r| match r {
                            Ok(view) => view! { <Operations view live/> }.into_any(),
                            Err(e) => view! { <p role="alert" class="mt-4">{e.to_string()}</p> }.into_any(),
                        })}
                    </Transition>
                }
            }
        </AdminShell>
    }
}

/// Minutes and seconds since `since`.
fn waited(since: i64, now: i64) -> String {
    let s = (now - since).max(0) / 1000;
    if s < 3600 {
        format!("{}:{:02}", s / 60, s % 60)
    } else {
        format!("{} h {:02} min", s / 3600, (s % 3600) / 60)
    }
}

#[component]
fn Operations(view: OperationsView, live: Live) -> impl IntoView {
    let now = move || live.clock.get().max(crate::live::now().as_millis());
    let max = view.max_conversations;
    let available = view.agents.iter().filter(|a| a.available).count();
    view! {
        <p class="text-sm text-muted mt-2" data-testid="ops-scope">
            {format!("Spaces: {}. Maximum conversations: {max}.", view.spaces.join(", "))}
        </p>
        <p class="text-sm mt-1" data-testid="space-satisfaction">
            {format!("Customer satisfaction, last 30 days: {}.", view.satisfaction.iter()
                .map(|(space, s)| format!("{space} {}", s.label()))
                .collect::<Vec<_>>().join("; "))}
        </p>
        <section class="card mt-4" aria-labelledby="waiting-title">
            <h2 id="waiting-title" class="font-semibold">{format!("Waiting for agent ({})", view.waiting.len())}</h2>
            {if view.waiting.is_empty() {
                view! { <p>"Nobody is waiting."</p> }.into_any()
            } else {
                view! {
                    <table class="table" aria-label="Waiting customers">
                        <thead><tr><th>"Customer"</th><th>"Space"</th><th>"Waiting"</th><th>"Offered to"</th><th>"First response"</th></tr></thead>
                        <tbody>{view.waiting.into_iter().map(|w| view! { <WaitingLine w now/> }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card mt-4" aria-labelledby="agents-title">
            <h2 id="agents-title" class="font-semibold">{format!("Agents ({available} Available)")}</h2>
            <table class="table" aria-label="Agents">
                <thead><tr><th>"Agent"</th><th>"Availability"</th><th>"Load"</th><th>"Pending offer"</th><th>"Satisfaction (30 days)"</th></tr></thead>
                <tbody>{view.agents.into_iter().map(|a| view! { <AgentLine a max/> }).collect_view()}</tbody>
            </table>
        </section>
        <section class="card mt-4" aria-labelledby="open-title">
            <h2 id="open-title" class="font-semibold">{format!("With an agent ({})", view.open.len())}</h2>
            {if view.open.is_empty() {
                view! { <p>"No conversation is with an agent."</p> }.into_any()
            } else {
                view! {
                    <table class="table" aria-label="Conversations with an agent">
                        <thead><tr><th>"Customer"</th><th>"Space"</th><th>"Status"</th><th>"Agent"</th><th>"First response"</th></tr></thead>
                        <tbody>{view.open.into_iter().map(|o| view! { <OpenLine o now/> }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn WaitingLine(
    w: WaitingCustomer,
    now: impl Fn() -> i64 + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let goal = w.goal;
    view! {
        <tr data-conversation=w.conversation.clone() class:sla-missed=move || goal.missed(now())>
            <td>{w.customer}</td>
            <td>{w.space}</td>
            <td data-testid="waited">{move || waited(goal.waiting_since, now())}</td>
            <td>{w.offered_to.unwrap_or_else(|| "—".into())}</td>
            <td>{move || goal.at(now()).label()}</td>
        </tr>
    }
}

#[component]
fn AgentLine(a: AgentLoad, max: u32) -> impl IntoView {
    let load = a.load();
    let full = load >= max;
    view! {
        <tr data-agent=a.id.clone()>
            <td>{a.name.clone()}</td>
            <td>{if a.available { "Available" } else { "Unavailable" }}</td>
            <td data-testid="load" class:font-semibold=full>{format!("{load} of {max}")}</td>
            <td>{a.offer.map(|_| "Offer pending").unwrap_or("—")}</td>
            <td data-testid="satisfaction">{a.satisfaction.label()}</td>
        </tr>
    }
}

#[component]
fn OpenLine(
    o: OpenConversation,
    now: impl Fn() -> i64 + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let goal = o.goal;
    view! {
        <tr data-conversation=o.conversation.clone() class:sla-missed=move || goal.is_some_and(|g| g.missed(now()))>
            <td>{o.customer}</td>
            <td>{o.space}</td>
            <td>{o.status}</td>
            <td>{o.assignee.unwrap_or_else(|| "—".into())}</td>
            <td>{move || goal.map(|g| g.at(now()).label()).unwrap_or_default()}</td>
        </tr>
    }
}
