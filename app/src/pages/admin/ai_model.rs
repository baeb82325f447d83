//! The AI agent's **Model backend** (issue: answers written by a language model): Built-in, or
//! an OpenAI-compatible server (a hosted API, Ollama, vLLM, llama.cpp's server), with **Test
//! connection**. The API key is write-only: the page shows only whether one is saved.

use domain::ai::model_settings::{ModelBackend, ModelSettings};
use leptos::prelude::*;

use super::ai_actions::{save_model_settings, test_model_connection};
use super::reload_after;
use crate::components::form::{Outcome, outcome_of};

#[component]
pub fn ModelBackendSettings(
    experience: StoredValue<String>,
    settings: ModelSettings,
    reload: Callback<()>,
) -> impl IntoView {
    let backend = RwSignal::new(settings.backend);
    let base_url = RwSignal::new(settings.base_url.clone());
    let model = RwSignal::new(settings.model.clone());
    let temperature = RwSignal::new(settings.temperature_text());
    let tone = RwSignal::new(settings.tone.clone());
    let api_key = RwSignal::new(String::new());
    let remove_key = RwSignal::new(false);
    let key_set = settings.key_set;
    let save = Action::new(move |_: &()| {
        save_model_settings(
            experience.get_value(),
            backend.get_untracked().code().to_string(),
            base_url.get_untracked(),
            model.get_untracked(),
            temperature.get_untracked(),
            tone.get_untracked(),
            api_key.get_untracked(),
            remove_key.get_untracked(),
        )
    });
    reload_after(save, reload);
    // The key typed is not kept in the page once it is saved.
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            api_key.set(String::new());
        }
    });
    let test = Action::new(move |_: &()| {
        test_model_connection(
            experience.get_value(),
            base_url.get_untracked(),
            model.get_untracked(),
            temperature.get_untracked(),
            api_key.get_untracked(),
            remove_key.get_untracked(),
        )
    });
    let external = move || backend.get() == ModelBackend::OpenAiCompatible;
    view! {
        <form class="card grid gap-3 mt-4 max-w-2xl" aria-label="Model backend" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(());
        }>
            <h2 class="font-semibold">"Model backend"</h2>
            <p class="text-sm text-muted">"Built-in answers with the best passage of your articles. An OpenAI-compatible model (a hosted API, or Ollama, vLLM or llama.cpp on your own server) writes answers from your articles and cites them; if it fails or is slow, the built-in answer is used."</p>
            <label class="grid gap-1">"Model backend"
                <select class="input" on:change=move |ev| {
                    if let Some(chosen) = ModelBackend::from_code(&event_target_value(&ev)) {
                        backend.set(chosen);
                    }
                }>
                    {ModelBackend::ALL.into_iter().map(|b| view! {
                        <option value=b.code() selected=move || backend.get() == b>{b.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <Show when=external>
                <label class="grid gap-1">"Base URL"
                    <input class="input" type="url" placeholder="https://api.openai.com/v1" prop:value=move || base_url.get()
                        on:input=move |ev| base_url.set(event_target_value(&ev))/>
                    <span class="text-sm text-muted">"Up to and including the API version, such as http://127.0.0.1:11434/v1 for Ollama."</span>
                </label>
                <label class="grid gap-1">"Model name"
                    <input class="input" type="text" placeholder="gpt-4o-mini" prop:value=move || model.get()
                        on:input=move |ev| model.set(event_target_value(&ev))/>
                </label>
                <div class="grid gap-1">
                    <label class="grid gap-1">"API key"
                        <input class="input" type="password" autocomplete="off" aria-describedby="api-key-state"
                            placeholder=if key_set { "Saved; leave empty to keep it" } else { "None saved" }
                            prop:value=move || api_key.get()
                            on:input=move |ev| api_key.set(event_target_value(&ev))/>
                    </label>
                    <span id="api-key-state" class="text-sm text-muted" data-testid="api-key-state">
                        {if key_set { "A key is saved. It is stored encrypted and never shown again." } else { "No key is saved. Servers on your own network often need none." }}
                    </span>
                </div>
                {key_set.then(|| view! {
                    <label class="flex items-center gap-2">
                        <input type="checkbox" prop:checked=move || remove_key.get()
                            on:change=move |ev| remove_key.set(event_target_checked(&ev))/>
                        "Forget the saved key"
                    </label>
                })}
                <label class="grid gap-1">"Temperature"
                    <input class="input" type="text" inputmode="decimal" prop:value=move || temperature.get()
                        on:input=move |ev| temperature.set(event_target_value(&ev))/>
                    <span class="text-sm text-muted">"0 to 2; lower keeps answers closer to your articles."</span>
                </label>
                <label class="grid gap-1">"Tone"
                    <textarea class="input" rows="2" placeholder="Friendly and brief." prop:value=move || tone.get()
                        on:input=move |ev| tone.set(event_target_value(&ev))></textarea>
                </label>
                <div>
                    <button class="btn" type="button" disabled=move || test.pending().get()
                        on:click=move |_| { test.dispatch(()); }>"Test connection"</button>
                </div>
                {move || test.value().get().map(|said| match said {
                    Ok(text) => view! { <p role="status" class="text-sm text-success" data-testid="connection-result">{text}</p> }.into_any(),
                    Err(e) => view! { <p role="alert" class="text-sm text-danger" data-testid="connection-result">{e.to_string()}</p> }.into_any(),
                })}
            </Show>
            <div><button class="btn btn-primary" type="submit">"Save model backend"</button></div>
            <Outcome result=outcome_of(save) ok="Model backend saved."/>
        </form>
    }
}
