//! **Availability**: for all spaces in the bar, per space in the profile menu (SPEC R-AVAIL-2),
//! with the reason when Baton set the agent Unavailable.

use domain::{Availability, UnavailableReason};
use leptos::prelude::*;

use super::actions::set_availability;
use crate::auth::sign_out;
use crate::live::Live;

fn reason_text(reason: &Option<UnavailableReason>) -> Option<&'static str> {
    match reason {
        Some(UnavailableReason::MissedOffer { .. }) => {
            Some("Baton set you Unavailable because an offer ran out without an answer.")
        }
        Some(UnavailableReason::Disconnected { .. }) => {
            Some("Baton set you Unavailable because no dashboard of yours was open.")
        }
        _ => None,
    }
}

/// One select for all the agent's spaces: Available when Available everywhere.
#[component]
pub fn AvailabilityControl(live: Live) -> impl IntoView {
    let change = Action::new(|available: &bool| set_availability(*available, None));
    let current = move || {
        live.state.with(|s| {
            let all = !s.agent.spaces.is_empty()
                && s.agent
                    .spaces
                    .iter()
                    .all(|sp| sp.availability == Availability::Available);
            if all { "Available" } else { "Unavailable" }
        })
    };
    let reason = move || {
        live.state
            .with(|s| reason_text(&s.agent.unavailable_reason))
    };
    view! {
        <label for="availability">"Availability"</label>
        <select id="availability" class="input" aria-label="Availability"
            prop:value=current
            on:change=move |ev| { change.dispatch(event_target_value(&ev) == "Available"); }>
            <option value="Available">"Available"</option>
            <option value="Unavailable">"Unavailable"</option>
        </select>
        <span role="status" class="text-sm text-danger" data-testid="availability-reason">{reason}</span>
        <span role="alert" class="text-sm text-danger">
            {move || change.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
        </span>
    }
}

/// The profile menu: availability per space and Sign out.
#[component]
pub fn ProfileMenu(name: String, live: Option<Live>) -> impl IntoView {
    let change = Action::new(|(space, available): &(String, bool)| {
        set_availability(*available, Some(space.clone()))
    });
    let leave = Action::new(|_: &()| sign_out());
    Effect::new(move |_| {
        if matches!(leave.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href("/sign-in");
        }
    });
    let spaces = move || {
        live.map(|l| l.state.with(|s| s.agent.spaces.clone()))
            .unwrap_or_default()
    };
    view! {
        <details class="profile-menu">
            <summary class="btn" aria-label="Profile menu">{name}</summary>
            <div class="profile-menu-body card">
                <For
                    each=spaces
                    key=|s| (s.space.clone(), s.availability)
                    children=move |space| {
                        let id = space.space.to_string();
                        let label = format!("Availability in {}", space.space_name);
                        view! {
                            <label class="grid gap-1">{label.clone()}
                                <select class="input" aria-label=label
                                    prop:value=space.availability.label()
                                    on:change=move |ev| { change.dispatch((id.clone(), event_target_value(&ev) == "Available")); }>
                                    <option value="Available">"Available"</option>
                                    <option value="Unavailable">"Unavailable"</option>
                                </select>
                            </label>
                        }
                    }
                />
                <button class="btn mt-2" on:click=move |_| { leave.dispatch(()); }>"Sign out"</button>
            </div>
        </details>
    }
}
