//! One work item: its facts, and for a conversation the agent may read, the customer (SPEC
//! R-VIEW-2/3). Conversation review links here for handed-off conversations.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::actions::work_item;
use super::{DashboardBar, StaffOnly};
use crate::components::rating::RatingText;
use crate::components::time::format_time;

#[component]
pub fn WorkItemPage() -> impl IntoView {
    view! { <StaffOnly content=|name| view! { <WorkItem name/> }/> }
}

#[component]
fn WorkItem(name: String) -> impl IntoView {
    let params = use_params_map();
    let item = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        work_item,
    );
    view! {
        <div class="dashboard">
            <DashboardBar name live=None/>
            <main class="p-4 grid gap-4 max-w-2xl">
                <h1 class="text-xl font-semibold">"Work item"</h1>
                <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                    {move || item.get().map(|r| match r {
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(row) => view! {
                            <dl class="card grid gap-1" aria-label="Work item details">
                                <dt class="font-semibold">"Title"</dt><dd>{row.title.clone()}</dd>
                                <dt class="font-semibold">"Work type"</dt><dd>{row.work_type.clone()}</dd>
                                <dt class="font-semibold">"Status"</dt><dd data-testid="work-item-status">{row.status.clone()}</dd>
                                <dt class="font-semibold">"Assignee"</dt><dd>{row.assignee.clone().unwrap_or_else(|| "Unassigned".into())}</dd>
                                <dt class="font-semibold">"Space"</dt><dd>{row.space.clone()}</dd>
                                <dt class="font-semibold">"Created"</dt><dd>{format_time(row.created)}</dd>
                                <dt class="font-semibold">"Customer"</dt>
                                <dd>{match (row.customer.clone(), row.customer_id.clone()) {
                                    (Some(name), Some(id)) => view! { <a class="link" href=format!("/agent/customers/{id}")>{name}</a> }.into_any(),
                                    _ if !row.readable => view! { <span class="text-muted">"Only the agents in this conversation can see its details."</span> }.into_any(),
                                    _ => view! { <span>"—"</span> }.into_any(),
                                }}</dd>
                                {row.rating.clone().map(|rating| view! {
                                    <dt class="font-semibold">"Customer rating"</dt>
                                    <dd><RatingText rating/></dd>
                                })}
                            </dl>
                        }.into_any(),
                    })}
                </Suspense>
            </main>
        </div>
    }
}
