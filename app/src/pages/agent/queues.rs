//! Queues: the space's work items (conversations and other work types) through a JQL-style
//! filter (SPEC R-VIEW-2). A conversation the agent may not read shows only that it exists
//! (R-VIEW-3); its assignee cannot be changed here (R-ROUTE-9).

use domain::views::QueueRow;
use leptos::prelude::*;

use super::actions::{assign_work_item, queue, saved_queues};
use super::{DashboardBar, StaffOnly};
use crate::components::time::format_time;

pub const DEFAULT_FILTER: &str = "type = Conversation AND status != Closed ORDER BY created DESC";

#[component]
pub fn QueuesPage() -> impl IntoView {
    view! { <StaffOnly content=|name| view! { <Queues name/> }/> }
}

#[component]
fn Queues(name: String) -> impl IntoView {
    let filter = RwSignal::new(DEFAULT_FILTER.to_string());
    let applied = RwSignal::new(DEFAULT_FILTER.to_string());
    let rows = Resource::new(move || applied.get(), |f| queue(f, None, None));
    let saved = Resource::new(|| (), |_| saved_queues());
    // The pages after the first that "Load more" fetched, and the cursor of the page after
    // them (`None` until the first "Load more": the first page's cursor holds).
    let more_rows = RwSignal::new(Vec::<QueueRow>::new());
    let more_next = RwSignal::new(None::<Option<String>>);
    let reset_more = move || {
        more_rows.set(Vec::new());
        more_next.set(None);
    };
    let load_more = Action::new(|(query, after): &(String, String)| {
        let (query, after) = (query.clone(), after.clone());
        async move { (query.clone(), queue(query, Some(after), None).await) }
    });
    Effect::new(move |_| {
        if let Some((query, Ok(page))) = load_more.value().get() {
            // A page of a filter that is no longer applied is dropped.
            if query == applied.get_untracked() {
                more_rows.update(|r| r.extend(page.rows));
                more_next.set(Some(page.next));
            }
        }
    });
    let assign = Action::new(|id: &String| assign_work_item(id.clone(), true));
    Effect::new(move |_| {
        if matches!(assign.value().get(), Some(Ok(()))) {
            reset_more();
            rows.refetch();
        }
    });
    view! {
        <div class="dashboard">
            <DashboardBar name live=None/>
            <main class="p-4 grid gap-4">
                <h1 class="text-xl font-semibold">"Queues"</h1>
                <form class="card grid gap-2" aria-label="Queue filter" on:submit=move |ev| {
                    ev.prevent_default();
                    reset_more();
                    applied.set(filter.get_untracked());
                }>
                    <label class="grid gap-1">"Filter"
                        <input class="input mono" type="text" spellcheck="false"
                            prop:value=move || filter.get()
                            on:input=move |ev| filter.set(event_target_value(&ev))/>
                    </label>
                    <p class="text-sm text-muted">
                        "Fields: type, status, assignee, created, space, customer · =, !=, IN, NOT IN, AND, OR, NOT, ( ), ORDER BY"
                    </p>
                    <div><button class="btn btn-primary" type="submit">"Apply"</button></div>
                    <Suspense fallback=|| ()>
                        {move || saved.get().and_then(Result::ok).filter(|q| !q.is_empty()).map(|list| view! {
                            <div class="flex flex-wrap items-center gap-2 text-sm" role="group" aria-label="Saved queues">
                                "Saved queues:"
                                {list.into_iter().map(|q| {
                                    let query = q.filter.clone();
                                    view! {
                                        <button class="btn btn-small" type="button" on:click=move |_| {
                                            reset_more();
                                            filter.set(query.clone());
                                            applied.set(query.clone());
                                        }>{format!("{} · {}", q.space, q.name)}</button>
                                    }
                                }).collect_view()}
                            </div>
                        })}
                    </Suspense>
                </form>
                <p role="alert" class="text-sm text-danger">
                    {move || assign.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                    {move || load_more.value().get().and_then(|(_, r)| r.err()).map(|e| e.to_string())}
                </p>
                <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                    {move || rows.get().map(|result| match result {
                        Err(error) => view! {
                            <pre role="alert" class="query-error" data-testid="query-error">{error.to_string()}</pre>
                        }.into_any(),
                        Ok(page) if page.rows.is_empty() => view! { <p class="text-muted">"No work items match."</p> }.into_any(),
                        Ok(page) => {
                            let first_next = page.next.clone();
                            let next = move || more_next.get().unwrap_or_else(|| first_next.clone());
                            view! {
                                <table class="queue-table" data-testid="queue">
                                    <thead><tr>
                                        <th scope="col">"Type"</th><th scope="col">"Title"</th><th scope="col">"Status"</th>
                                        <th scope="col">"Assignee"</th><th scope="col">"Customer"</th><th scope="col">"Created"</th><th scope="col"></th>
                                    </tr></thead>
                                    <tbody>
                                        {page.rows.into_iter().map(|row| queue_row(row, assign)).collect_view()}
                                        {move || more_rows.get().into_iter().map(|row| queue_row(row, assign)).collect_view()}
                                    </tbody>
                                </table>
                                {move || next().map(|cursor| view! {
                                    <button class="btn" type="button" aria-label="Load more work items"
                                        disabled=move || load_more.pending().get()
                                        on:click=move |_| { load_more.dispatch((applied.get_untracked(), cursor.clone())); }>
                                        "Load more"
                                    </button>
                                })}
                            }.into_any()
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}

/// One work item: a conversation the agent may not read shows only that it exists (R-VIEW-3).
fn queue_row(row: QueueRow, assign: Action<String, Result<(), crate::AppError>>) -> impl IntoView {
    let id = row.id.clone();
    let action = if row.work_type == domain::conversation::WORK_TYPE {
        view! { <span class="text-sm text-muted" title="The agent who accepts a conversation is its assignee.">"Assigned by routing"</span> }.into_any()
    } else {
        view! { <button class="btn" on:click=move |_| { assign.dispatch(id.clone()); }>"Assign to me"</button> }.into_any()
    };
    let customer = match (&row.customer, &row.customer_id) {
        (Some(name), Some(cid)) => {
            view! { <a class="link" href=format!("/agent/customers/{cid}")>{name.clone()}</a> }
                .into_any()
        }
        _ if !row.readable => view! { <span class="text-muted">"Details hidden"</span> }.into_any(),
        _ => view! { <span class="text-muted">"—"</span> }.into_any(),
    };
    view! {
        <tr>
            <td>{row.work_type.clone()}</td>
            <td><a class="link" href=format!("/agent/work/{}", row.id)>{row.title.clone()}</a></td>
            <td>{row.status.clone()}</td>
            <td>{row.assignee.clone().unwrap_or_else(|| "Unassigned".into())}</td>
            <td>{customer}</td>
            <td>{format_time(row.created)}</td>
            <td>{action}</td>
        </tr>
    }
}
