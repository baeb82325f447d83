//! The customer experience's **Language**: the chat follows each customer's browser (English
//! when it asks for a language the chat does not speak), or always speaks the one chosen here.

use domain::views::settings::ExperiencePage as Page;
use leptos::prelude::*;

use super::reload_after;
use crate::AppError;
use crate::components::form::{Outcome, outcome_of};

#[server(prefix = "/api", endpoint = "admin/experience/language")]
pub async fn set_experience_language(experience: String, language: String) -> Result<(), AppError> {
    let (state, actor) = super::actions::actor().await?;
    backend::admin::experiences::set_language(&state.db, &actor, &experience, &language).await?;
    Ok(())
}

#[component]
pub fn ChatLanguage(data: Signal<Option<Page>>, reload: Callback<()>) -> impl IntoView {
    let id = move || data.get_untracked().map(|p| p.id).unwrap_or_default();
    let save =
        Action::new(move |language: &String| set_experience_language(id(), language.clone()));
    reload_after(save, reload);
    let current = move || data.get().and_then(|p| p.language).unwrap_or_default();
    view! {
        <section class="card grid gap-3 mt-4 max-w-2xl" aria-label="Language">
            <h2 class="font-semibold">"Language"</h2>
            <label class="grid gap-1">"Chat language"
                <select class="input" on:change=move |ev| { save.dispatch(event_target_value(&ev)); }>
                    <option value="" selected=move || current().is_empty()>"The customer's browser language"</option>
                    {move || data.get().map(|p| p.languages).unwrap_or_default().into_iter().map(|(code, name)| {
                        let chosen = code.clone();
                        view! { <option value=code.clone() selected=move || current() == chosen>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <p class="text-sm text-muted">"The widget and the support website speak the customer's browser language when it is one of these, English otherwise. Choosing one here makes every customer see that one. Translations are the files in locales/ of the source."</p>
            <Outcome result=outcome_of(save) ok="Chat language saved."/>
        </section>
    }
}
