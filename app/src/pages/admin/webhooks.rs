//! Webhooks (site admins): endpoints subscribed to events, each delivery signed with the
//! endpoint's secret, and a delivery log per endpoint with **Resend**.

use domain::views::webhooks::{CreatedEndpoint, DeliveryRow, DeliveryState, WebhookEndpointView};
use domain::webhooks::WebhookEvent;
use leptos::prelude::*;

use super::webhook_actions::{
    create_webhook, delete_webhook, resend_webhook, webhook_deliveries, webhook_endpoints,
};
use super::{AdminShell, reload_after};
use crate::components::form::{Outcome, outcome_of};
use crate::components::time::format_time;

#[component]
pub fn WebhooksPage() -> impl IntoView {
    view! {
        <AdminShell title="Webhooks">
            {
                let endpoints = Resource::new(|| (), |_| webhook_endpoints());
                let reload = Callback::new(move |_| endpoints.refetch());
                view! {
                    <p class="text-sm text-muted mt-2 max-w-2xl">"Baton sends an HTTP POST to each endpoint when the events it subscribes to happen. Every delivery carries a Baton-Signature header (HMAC-SHA256 of the timestamp and the body with the endpoint's signing secret) and a Baton-Webhook-Id that stays the same on retries. Failed deliveries are retried for 24 hours, in order per conversation."</p>
                    <NewEndpoint reload/>
                    <Suspense fallback=|| ()>
                        {move || endpoints.get().map(|r| match r {
                            Ok(list) if list.is_empty() => view! { <p class="mt-4">"No endpoints yet."</p> }.into_any(),
                            Ok(list) => list.into_iter().map(|endpoint| view! { <Endpoint endpoint reload/> }).collect_view().into_any(),
                            Err(e) => view! { <p role="alert" class="mt-4">{e.to_string()}</p> }.into_any(),
                        })}
                    </Suspense>
                }
            }
        </AdminShell>
    }
}

#[component]
fn NewEndpoint(reload: Callback<()>) -> impl IntoView {
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen = RwSignal::new(vec![
        WebhookEvent::ConversationStarted.code().to_string(),
        WebhookEvent::ConversationEnded.code().to_string(),
    ]);
    let create = Action::new(move |_: &()| {
        create_webhook(
            url.get_untracked(),
            description.get_untracked(),
            chosen.get_untracked().join(","),
        )
    });
    reload_after(create, reload);
    view! {
        <form class="card grid gap-3 mt-4 max-w-2xl" aria-label="Add endpoint" on:submit=move |ev| {
            ev.prevent_default();
            create.dispatch(());
        }>
            <h2 class="font-semibold">"Add endpoint"</h2>
            <label class="grid gap-1">"Endpoint URL"
                <input class="input" type="url" placeholder="https://crm.example.com/hooks/baton" prop:value=move || url.get()
                    on:input=move |ev| url.set(event_target_value(&ev))/>
            </label>
            <label class="grid gap-1">"Description"
                <input class="input" type="text" placeholder="CRM transcripts" prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))/>
            </label>
            <fieldset class="grid gap-1">
                <legend>"Events"</legend>
                {WebhookEvent::ALL.into_iter().map(|event| {
                    let code = event.code();
                    view! {
                        <label class="flex items-center gap-2">
                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.iter().any(|e| e == code))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        c.retain(|e| e != code);
                                        if on { c.push(code.to_string()); }
                                    });
                                }/>
                            {event.label()} <code class="text-sm text-muted">{code}</code>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div><button class="btn btn-primary" type="submit" disabled=move || create.pending().get()>"Add endpoint"</button></div>
            {move || create.value().get().map(|created| match created {
                Ok(CreatedEndpoint { endpoint, secret }) => view! {
                    <div role="status" class="card" data-testid="webhook-secret">
                        <p>"Endpoint added: " {endpoint.url}</p>
                        <p>"Signing secret: " <code>{secret}</code></p>
                        <p class="text-sm text-muted">"Copy it now: it is stored encrypted and never shown again."</p>
                    </div>
                }.into_any(),
                Err(e) => view! { <p role="alert" class="text-sm text-danger">{e.to_string()}</p> }.into_any(),
            })}
        </form>
    }
}

#[component]
fn Endpoint(endpoint: WebhookEndpointView, reload: Callback<()>) -> impl IntoView {
    let id = StoredValue::new(endpoint.id.clone());
    let show_log = RwSignal::new(false);
    let delete = Action::new(move |_: &()| delete_webhook(id.get_value()));
    reload_after(delete, reload);
    let label = format!("Endpoint {}", endpoint.url);
    view! {
        <section class="card grid gap-2 mt-4" aria-label=label>
            <h2 class="font-semibold break-all">{endpoint.url.clone()}</h2>
            {(!endpoint.description.is_empty()).then(|| view! { <p>{endpoint.description.clone()}</p> })}
            <p class="text-sm">"Events: " {endpoint.events.join(", ")}</p>
            <p class="text-sm text-muted" data-testid="webhook-counts">
                {format!("{} waiting to be delivered, {} failed", endpoint.pending, endpoint.failed)}
            </p>
            <div class="flex gap-2">
                <button class="btn" type="button" aria-expanded=move || show_log.get().to_string()
                    on:click=move |_| show_log.update(|s| *s = !*s)>"Delivery log"</button>
                <button class="btn btn-danger" type="button" disabled=move || delete.pending().get()
                    on:click=move |_| { delete.dispatch(()); }>"Delete endpoint"</button>
            </div>
            <Outcome result=outcome_of(delete) ok="Endpoint deleted."/>
            <Show when=move || show_log.get()>
                <DeliveryLog endpoint=id/>
            </Show>
        </section>
    }
}

#[component]
fn DeliveryLog(endpoint: StoredValue<String>) -> impl IntoView {
    let rows = Resource::new(|| (), move |_| webhook_deliveries(endpoint.get_value()));
    let resend = Action::new(move |seq: &i64| resend_webhook(endpoint.get_value(), *seq));
    reload_after(resend, Callback::new(move |_| rows.refetch()));
    view! {
        <div class="flex gap-2 items-center">
            <button class="btn" type="button" on:click=move |_| rows.refetch()>"Refresh log"</button>
            <Outcome result=outcome_of(resend) ok="Sent again."/>
        </div>
        <Suspense fallback=|| ()>
            {move || rows.get().map(|r| match r {
                Ok(list) if list.is_empty() => view! { <p>"Nothing sent yet."</p> }.into_any(),
                Ok(list) => view! {
                    <table class="table" aria-label="Delivery log">
                        <thead><tr><th>"When"</th><th>"Event"</th><th>"Conversation"</th><th>"State"</th><th>"Attempts"</th><th>"Last status"</th><th>"Error"</th><th></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|row| view! { <DeliveryLine row resend/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn DeliveryLine(
    row: DeliveryRow,
    resend: Action<i64, Result<(), crate::AppError>>,
) -> impl IntoView {
    let seq = row.seq;
    let state = match (row.state, row.next_attempt_at) {
        (DeliveryState::Retrying, Some(at)) => format!("Retrying at {}", format_time(at)),
        (state, _) => state.label().to_string(),
    };
    let resend_label = format!("Resend {} {}", row.event, row.id);
    view! {
        <tr data-delivery=row.id.clone()>
            <td class="whitespace-nowrap">{format_time(row.created_at)}</td>
            <td>{row.event}</td>
            <td class="break-all">{row.conversation}</td>
            <td>{state}</td>
            <td>{row.attempts}</td>
            <td>{row.last_status.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</td>
            <td>{row.last_error}</td>
            <td><button class="btn" type="button" aria-label=resend_label
                on:click=move |_| { resend.dispatch(seq); }>"Resend"</button></td>
        </tr>
    }
}
