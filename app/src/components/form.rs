//! Labelled form fields: the label is the field's accessible name, so people and tests find a
//! field by the same words.

use leptos::prelude::*;

#[component]
pub fn Field(
    label: &'static str,
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
