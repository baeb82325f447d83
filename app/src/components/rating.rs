//! Customer satisfaction: the customer's "How did we do?" form once their chat has ended, and
//! the rating as the team's pages show it.

use domain::ratings::{HIGHEST, Rating};
use leptos::prelude::*;

use crate::i18n::Words;
use crate::pages::widget::actions::rate_conversation;

/// Five choices (a radio group: arrows move between them), an optional comment, **Send rating**.
/// Sending again replaces the rating.
#[component]
pub fn RateConversation(conversation: String) -> impl IntoView {
    let words = Words::here();
    let score = RwSignal::new(0u8);
    let comment = RwSignal::new(String::new());
    let send = Action::new(move |(s, c): &(u8, String)| {
        rate_conversation(conversation.clone(), i64::from(*s), c.clone())
    });
    view! {
        <form class="card grid gap-2 mt-3" aria-label=words.get("rate-form") on:submit=move |ev| {
            ev.prevent_default();
            send.dispatch((score.get_untracked(), comment.get_untracked()));
        }>
            <fieldset class="rating">
                <legend class="font-semibold">{words.get("rate-question")}</legend>
                {(1..=HIGHEST).map(|n| view! {
                    <label class="rating-choice">
                        <input type="radio" name="rating" value=n required
                            on:change=move |_| score.set(n)/>
                        <span aria-hidden="true">{"★"}</span>
                        <span class="sr-only">{words.with("rate-choice", &[("n", &n.to_string())])}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="grid gap-1 text-sm">{words.get("comment-optional")}
                <textarea class="input" rows="2" maxlength="1000"
                    on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            </label>
            <button class="btn btn-primary" type="submit" disabled=move || send.pending().get()>{words.get("send-rating")}</button>
            {move || send.value().get().map(|r| match r {
                Ok(()) => view! { <p role="status" class="text-sm text-success">{words.get("rating-thanks")}</p> }.into_any(),
                Err(e) => view! { <p role="alert" class="text-sm text-danger">{e.to_string()}</p> }.into_any(),
            })}
        </form>
    }
}

/// "Rating: 4 of 5" with the comment, for the team.
#[component]
pub fn RatingText(rating: Rating) -> impl IntoView {
    view! {
        <span class="text-sm" data-testid="rating">
            {format!("Rating: {}", rating.label())}
            {rating.comment.map(|c| format!(" · “{c}”"))}
        </span>
    }
}
