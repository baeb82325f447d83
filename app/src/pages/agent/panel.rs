//! The conversation panel: who and where (customer, status, first-response SLA), the transcript
//! with its composer, **internal notes**, **End conversation**, and in Wrapping up: follow-up
//! work and **Resolve** with one of the site's resolutions (SPEC R-AGENT-1…3, R-LIFE-*).

use domain::{Author, ConversationId, EventKind};
use leptos::prelude::*;

use super::actions::{
    add_note, agent_transcript, conversation_details, create_follow_up, end_conversation,
    resolutions, resolve_conversation,
};
use crate::components::chat::ThreadView;
use crate::components::rating::RatingText;
use crate::components::transcript::DownloadTranscript;
use crate::live::Live;

#[component]
pub fn ConversationPanel(live: Live, conversation: ConversationId) -> impl IntoView {
    let id = conversation.to_string();
    // Refetch the details when what they show can have changed: a status change or notice
    // arrives as an event, and the first agent message stops the first-response clock. Not at
    // every message: a fast typist would have them fetched once a line.
    let watch = conversation.clone();
    let version = move || {
        live.state.with(|s| {
            s.threads.get(&watch).map_or((0, false), |t| {
                let changes = t
                    .events
                    .iter()
                    .filter(|e| {
                        !matches!(
                            e.event.kind,
                            EventKind::Message { .. } | EventKind::Note { .. }
                        )
                    })
                    .count();
                let replied = t.events.iter().any(|e| {
                    matches!(
                        e.event.kind,
                        EventKind::Message {
                            author: Author::Agent(_),
                            ..
                        }
                    )
                });
                (changes, replied)
            })
        })
    };
    let details_id = id.clone();
    let details = Resource::new(version, move |_| conversation_details(details_id.clone()));
    let status = move || {
        details
            .get()
            .and_then(|d| d.ok())
            .map(|d| d.status)
            .unwrap_or_default()
    };

    let work_types = move || {
        details
            .get()
            .and_then(|d| d.ok())
            .map(|d| d.work_types)
            .unwrap_or_default()
    };

    let end_id = id.clone();
    let end = Action::new(move |_: &()| end_conversation(end_id.clone()));
    let note_id = id.clone();
    let note = Action::new(move |body: &String| add_note(note_id.clone(), body.clone()));
    let note_draft = RwSignal::new(String::new());
    Effect::new(move |_| {
        if matches!(note.value().get(), Some(Ok(()))) {
            note_draft.set(String::new());
        }
    });

    let header = move || {
        details.get().map(|d| match d {
            Ok(d) => {
                let customer = match &d.customer_id {
                    Some(cid) => view! {
                        <a class="link" href=format!("/agent/customers/{cid}")>{d.customer_name.clone()}</a>
                    }.into_any(),
                    None => view! { <span>{d.customer_name.clone()}</span> }.into_any(),
                };
                view! {
                    <div class="panel-head">
                        <h2 class="text-lg font-semibold">{customer}</h2>
                        <span class="status-pill" data-testid="conversation-status">{d.status.clone()}</span>
                        <span class="text-sm text-muted" data-testid="sla">
                            {d.first_response.map(|f| f.label())}
                        </span>
                        {d.resolution.clone().map(|r| view! {
                            <span class="text-sm" data-testid="resolution">{format!("Resolution: {r}")}</span>
                        })}
                        {d.rating.clone().map(|rating| view! { <RatingText rating/> })}
                    </div>
                }.into_any()
            }
            Err(error) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
        })
    };

    view! {
        // A Transition: the header stays while the details are fetched again.
        <Transition fallback=|| ()>{header}</Transition>
        <Show when=move || status() == "Active">
            <div class="flex justify-end">
                <button class="btn" on:click=move |_| { end.dispatch(()); }>"End conversation"</button>
            </div>
        </Show>
        <p role="alert" class="text-sm text-danger">
            {move || end.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
        </p>
        {
            let transcript_id = id.clone();
            view! { <DownloadTranscript fetch=move || agent_transcript(transcript_id.clone())/> }
        }
        <ThreadView live conversation=conversation.clone() for_team=true
            aid=super::saved_reply_picker::saved_reply_aid(live, conversation.clone())/>
        <Show when=move || matches!(status().as_str(), "Active" | "Wrapping up")>
            <form class="note-form" aria-label="Internal note" on:submit=move |ev| {
                ev.prevent_default();
                note.dispatch(note_draft.get_untracked());
            }>
                <label class="grid gap-1">"Internal note"
                    <textarea class="input note-input" rows="2"
                        placeholder="Only your team sees internal notes"
                        prop:value=move || note_draft.get()
                        on:input=move |ev| note_draft.set(event_target_value(&ev))></textarea>
                </label>
                <button class="btn" type="submit" disabled=move || note.pending().get()>"Add note"</button>
                <span role="alert" class="text-sm text-danger">
                    {move || note.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                </span>
            </form>
        </Show>
        <Show when=move || status() == "Wrapping up">
            <WrapUp conversation=id.clone() work_types=Signal::derive(work_types)/>
        </Show>
    }
}

/// Wrapping up: create follow-up work, then **Resolve** with a resolution.
#[component]
fn WrapUp(conversation: String, work_types: Signal<Vec<String>>) -> impl IntoView {
    let choices = Resource::new(|| (), |_| resolutions());
    let resolution = RwSignal::new(String::new());
    let resolve_id = conversation.clone();
    let resolve = Action::new(move |choice: &String| {
        resolve_conversation(resolve_id.clone(), choice.clone())
    });
    let follow_id = conversation.clone();
    let follow = Action::new(move |(kind, title): &(String, String)| {
        create_follow_up(follow_id.clone(), kind.clone(), title.clone())
    });
    // The first work type is chosen until the agent picks another.
    let picked = RwSignal::new(None::<String>);
    let kind = Signal::derive(move || {
        picked
            .get()
            .or_else(|| work_types.get().first().cloned())
            .unwrap_or_default()
    });
    let title = RwSignal::new(String::new());
    view! {
        <form class="card grid gap-2" aria-label="Follow-up work" on:submit=move |ev| {
            ev.prevent_default();
            follow.dispatch((kind.get_untracked(), title.get_untracked()));
        }>
            <h3 class="font-semibold">"Create follow-up work"</h3>
            <label class="grid gap-1">"Work type"
                <select class="input" on:change=move |ev| picked.set(Some(event_target_value(&ev)))>
                    {move || work_types.get().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class="grid gap-1">"Title"
                <input class="input" type="text" required on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
            <button class="btn" type="submit">"Create follow-up work"</button>
            <p role="status" class="text-sm">
                {move || follow.value().get().map(|r| match r {
                    Ok(_) => "Follow-up work created.".to_string(),
                    Err(e) => e.to_string(),
                })}
            </p>
        </form>
        <form class="card grid gap-2" aria-label="Resolve" on:submit=move |ev| {
            ev.prevent_default();
            resolve.dispatch(resolution.get_untracked());
        }>
            <label class="grid gap-1">"Resolution"
                <Suspense fallback=|| ()>
                    <select class="input" required on:change=move |ev| resolution.set(event_target_value(&ev))>
                        <option value="">"Choose a resolution"</option>
                        {move || choices.get().and_then(|r| r.ok()).unwrap_or_default().into_iter()
                            .map(|r| view! { <option value=r.clone()>{r.clone()}</option> }).collect_view()}
                    </select>
                </Suspense>
            </label>
            <button class="btn btn-primary" type="submit" disabled=move || resolve.pending().get()>"Resolve"</button>
            <p role="alert" class="text-sm text-danger">
                {move || resolve.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
            </p>
        </form>
    }
}
