//! **Conversation review** (SPEC R-VIEW-5): every conversation with the AI agent, filterable by
//! how it turned out, with the AI part of the transcript and, for handed-off ones, the work item
//! the team picked up.

use domain::ai::ReviewOutcome;
use leptos::prelude::*;

use super::AdminShell;
use super::ai_actions::{load_review, load_review_transcript};
use crate::components::{chat::linked_text, time::format_time};

#[component]
pub fn ReviewPage() -> impl IntoView {
    view! {
        <AdminShell title="Conversation review">
            {
                let outcome = RwSignal::new(String::new());
                let rows = Resource::new(move || outcome.get(), load_review);
                let open = RwSignal::new(None::<String>);
                view! {
                    <label class="grid gap-1 max-w-xs mt-2">"Outcome"
                        <select class="input" on:change=move |ev| {
                            open.set(None);
                            outcome.set(event_target_value(&ev));
                        }>
                            <option value="">"All conversations"</option>
                            {ReviewOutcome::ALL.into_iter().map(|o| view! { <option value=o.code()>{o.label()}</option> }).collect_view()}
                        </select>
                    </label>
                    <Transition fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                        {move || rows.get().map(|r| match r {
                            Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                            Ok(list) if list.is_empty() => view! {
                                <p class="mt-4 text-muted" data-testid="review-empty">"No conversations with the AI agent match."</p>
                            }.into_any(),
                            Ok(list) => view! {
                                <table class="table mt-4" aria-label="Conversations with the AI agent">
                                    <thead><tr>
                                        <th>"Started"</th><th>"Experience"</th><th>"Customer"</th><th>"Outcome"</th>
                                        <th>"Answers"</th><th>"Answered by"</th><th>"Rating"</th><th>"Work item"</th><th><span class="sr-only">"Transcript"</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|row| {
                                            let id = row.conversation.clone();
                                            let outcome_text = match &row.handoff_reason {
                                                Some(reason) if row.outcome == ReviewOutcome::HandedOff => format!("{} · {reason}", row.outcome.label()),
                                                _ => row.outcome.label().to_string(),
                                            };
                                            view! {
                                                <tr data-outcome=row.outcome.code()>
                                                    <td>{format_time(row.started_at)}</td>
                                                    <td>{row.experience.clone()}</td>
                                                    <td>{row.customer.clone()}</td>
                                                    <td>{outcome_text}</td>
                                                    <td>{row.answers}</td>
                                                    <td data-testid="answered-by">{row.answered_by.join(", ")}</td>
                                                    <td data-testid="review-rating">{row.rating.as_ref().map(|r| r.label()).unwrap_or_else(|| "—".into())}</td>
                                                    <td>{row.work_item.clone().map(|w| view! {
                                                        <a class="link" href=format!("/agent/work/{w}")>"Open work item"</a>
                                                    })}</td>
                                                    <td><button class="btn btn-small" type="button"
                                                        aria-label=format!("Show the AI part of the conversation with {}", row.customer)
                                                        on:click=move |_| open.set(Some(id.clone()))>"Transcript"</button></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                        })}
                    </Transition>
                    {move || open.get().map(|id| view! { <Transcript conversation=id/> })}
                }
            }
        </AdminShell>
    }
}

#[component]
fn Transcript(conversation: String) -> impl IntoView {
    let detail = Resource::new(move || conversation.clone(), load_review_transcript);
    view! {
        <Suspense fallback=|| ()>
            {move || detail.get().map(|d| match d {
                Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                Ok(t) => view! {
                    <section class="card grid gap-2 mt-4 max-w-2xl" aria-label="AI part of the transcript">
                        <h2 class="font-semibold">{format!("{} · {}", t.row.customer, t.row.outcome.label())}</h2>
                        <ol class="transcript">
                            {t.lines.into_iter().map(|l| {
                                let class = if l.who.is_empty() { "notice" } else if l.who == "AI agent" { "msg msg-ai" } else { "msg msg-customer" };
                                view! {
                                    <li class=class>
                                        <span class="msg-who">{l.who.clone()}</span>
                                        <span class="msg-body">{linked_text(&l.body)}</span>
                                        <span class="text-sm text-muted">{format_time(l.at)}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}
