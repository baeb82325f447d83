//! Labelled form fields: the label is the field's accessible name, so people and tests find a
//! field by the same words.

use leptos::prelude::*;

#[component]
pub fn Field(
    #[prop(into)] label: String,
    /// The input type: "email", "password", "text".
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] minlength: Option<u32>,
) -> impl IntoView {
    view! {
        <label class="grid gap-1">{label}
            <input class="input" type=kind autocomplete=autocomplete required minlength=minlength
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
    }
}

/// The result of a settings change: "Saved." for screen readers and eyes, or the refusal.
#[component]
pub fn Outcome(
    #[prop(into)] result: Signal<Option<Result<(), String>>>,
    ok: &'static str,
) -> impl IntoView {
    move || match result.get() {
        Some(Ok(())) => view! { <p role="status" class="text-sm text-success">{ok}</p> }.into_any(),
        Some(Err(e)) => {
            view! { <p role="alert" class="text-sm text-danger whitespace-pre">{e}</p> }.into_any()
        }
        None => ().into_any(),
    }
}

/// An action's last result, as [`Outcome`] shows it.
pub fn outcome_of<I, T>(
    action: Action<I, Result<T, crate::AppError>>,
) -> Signal<Option<Result<(), String>>>
where
    I: Send + Sync + 'static,
    T: Send + Sync + Clone + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .get()
            .map(|r| r.map(|_| ()).map_err(|e| e.to_string()))
    })
}
