//! Incoming offers: impossible to miss (a pulsing card, a chime that can be muted, a desktop
//! notification when permitted), showing the customer, whether the AI handed it over, the start
//! of the transcript and a countdown, with **Accept** and **Decline** (SPEC R-ROUTE-3, R-ROUTE-5).
//! An offer that ends otherwise disappears with a short explanation.

use domain::{Author, ConversationId, EventKind};
use leptos::prelude::*;

use super::actions::{accept_offer, decline_offer};
use crate::live::Live;

/// The last customer lines of an offered conversation, so the agent knows what awaits.
fn preview(live: Live, conversation: &ConversationId) -> Vec<String> {
    live.state.with(|s| {
        s.threads
            .get(conversation)
            .map(|t| {
                let lines: Vec<String> = t
                    .events
                    .iter()
                    .filter_map(|e| match &e.event.kind {
                        EventKind::Message { author, body, .. } => Some(match author {
                            Author::Customer => format!("Customer: {body}"),
                            Author::Ai => format!("AI agent: {body}"),
                            Author::Agent(_) => format!("Agent: {body}"),
                        }),
                        _ => None,
                    })
                    .collect();
                lines[lines.len().saturating_sub(3)..].to_vec()
            })
            .unwrap_or_default()
    })
}

#[cfg(feature = "browser")]
fn announce(customer: &str) {
    // A short chime; browsers may refuse audio before any click, which is fine.
    if let Ok(audio) = web_sys::AudioContext::new()
        && let (Ok(tone), Ok(volume)) = (audio.create_oscillator(), audio.create_gain())
    {
        tone.frequency().set_value(880.0);
        volume.gain().set_value(0.08);
        let _ = tone.connect_with_audio_node(&volume);
        let _ = volume.connect_with_audio_node(&audio.destination());
        let _ = tone.start();
        let _ = tone.stop_with_when(audio.current_time() + 0.3);
    }
    let _ = customer;
}

#[cfg(feature = "browser")]
fn notify(customer: &str) {
    use web_sys::{Notification, NotificationOptions, NotificationPermission};
    if Notification::permission() == NotificationPermission::Granted {
        let options = NotificationOptions::new();
        options.set_body(&format!(
            "{customer} is waiting. Accept or Decline in Baton."
        ));
        let _ = Notification::new_with_options("Incoming conversation", &options);
    }
}

#[component]
pub fn Offers(
    live: Live,
    on_accepted: impl Fn(ConversationId) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let accept = Action::new(|id: &String| {
        let id = id.clone();
        async move { accept_offer(id.clone()).await.map(|()| id) }
    });
    let decline = Action::new(|id: &String| decline_offer(id.clone()));
    Effect::new(move |_| {
        if let Some(Ok(id)) = accept.value().get() {
            on_accepted(ConversationId::new(id));
        }
    });
    let muted = RwSignal::new(false);
    let offers = move || live.state.with(|s| s.agent.offers.clone());
    // Each new offer: follow it (for the preview), chime unless muted, notify if permitted.
    Effect::new(move |known: Option<Vec<ConversationId>>| {
        let now: Vec<ConversationId> = offers().into_iter().map(|o| o.conversation).collect();
        let known = known.unwrap_or_default();
        for offer in live.state.with_untracked(|s| s.agent.offers.clone()) {
            if !known.contains(&offer.conversation) {
                live.follow(&offer.conversation);
                #[cfg(feature = "browser")]
                {
                    if !muted.get_untracked() {
                        announce(&offer.customer_name);
                    }
                    notify(&offer.customer_name);
                }
            }
        }
        now
    });
    let note = move || live.state.with(|s| s.agent.withdrawn_note.clone());
    let enable_notifications = move |_| {
        #[cfg(feature = "browser")]
        {
            let _ = web_sys::Notification::request_permission();
        }
    };
    view! {
        <section aria-label="Offers" class="offers">
            <For
                each=offers
                key=|offer| offer.conversation.clone()
                children=move |offer| {
                    let id = offer.conversation.to_string();
                    let (accept_id, decline_id) = (id.clone(), id.clone());
                    let preview_id = offer.conversation.clone();
                    let expires = offer.expires_at.as_millis();
                    let seconds_left = move || {
                        let now = live.clock.get().max(crate::live::now().as_millis());
                        ((expires - now).max(0) + 999) / 1000
                    };
                    view! {
                        <article class="offer card" role="alertdialog" aria-label="Incoming conversation">
                            <h3 class="font-semibold">"Incoming conversation"</h3>
                            <p>{offer.customer_name.clone()}
                                {offer.from_ai.then_some(" · handed over by the AI agent")}</p>
                            <ul class="offer-preview text-sm">
                                {move || preview(live, &preview_id).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                            </ul>
                            <p class="text-sm text-muted" data-testid="offer-countdown">{move || format!("{} s left to answer", seconds_left())}</p>
                            <div class="flex gap-2 mt-2">
                                <button class="btn btn-primary" on:click=move |_| { accept.dispatch(accept_id.clone()); }>"Accept"</button>
                                <button class="btn" on:click=move |_| { decline.dispatch(decline_id.clone()); }>"Decline"</button>
                            </div>
                        </article>
                    }
                }
            />
            <p role="status" class="text-sm text-muted" data-testid="offer-note">{note}</p>
            <p role="alert" class="text-sm text-danger">
                {move || accept.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                {move || decline.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
            </p>
            <div class="flex flex-wrap gap-3 text-sm">
                <label class="flex items-center gap-1">
                    <input type="checkbox" prop:checked=move || muted.get()
                        on:change=move |ev| muted.set(event_target_checked(&ev))/>
                    "Mute offer sound"
                </label>
                <button class="link" on:click=enable_notifications>"Enable desktop notifications"</button>
            </div>
        </section>
    }
}
