//! Incoming offers: impossible to miss, with the customer, a countdown to the offer's expiry,
//! and **Accept** / **Decline** (SPEC R-ROUTE-3, R-ROUTE-5).

use domain::ConversationId;
use leptos::prelude::*;

use super::actions::{accept_offer, decline_offer};
use crate::live::Live;

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
    let offers = move || live.state.with(|s| s.agent.offers.clone());
    let note = move || live.state.with(|s| s.agent.withdrawn_note.clone());
    view! {
        <section aria-label="Offers" class="offers">
            <For
                each=offers
                key=|offer| offer.conversation.clone()
                children=move |offer| {
                    let id = offer.conversation.to_string();
                    let (accept_id, decline_id) = (id.clone(), id.clone());
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
                            <p class="text-sm text-muted" data-testid="offer-countdown">{move || format!("{} s left to answer", seconds_left())}</p>
                            <div class="flex gap-2 mt-2">
                                <button class="btn btn-primary" on:click=move |_| { accept.dispatch(accept_id.clone()); }>"Accept"</button>
                                <button class="btn" on:click=move |_| { decline.dispatch(decline_id.clone()); }>"Decline"</button>
                            </div>
                        </article>
                    }
                }
            />
            <p role="status" class="text-sm text-muted">{note}</p>
            <p role="alert" class="text-sm text-danger">
                {move || accept.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                {move || decline.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
            </p>
        </section>
    }
}
