//! The AI agent of one customer experience (SPEC R-MODE-2, R-HAND-4): publish it, set when it
//! hands off, and write the knowledge base it answers from.

use domain::views::ai::AiAgentView as Page;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::ai_actions::{
    delete_article, load_ai_agent_page, publish_ai_agent, save_article, save_handoff_settings,
};
use super::ai_model::ModelBackendSettings;
use super::{AdminShell, reload_after};
use crate::components::form::{Outcome, outcome_of};

#[component]
pub fn AiAgentPage() -> impl IntoView {
    view! {
        <AdminShell title="AI agent">
            {
                let params = use_params_map();
                let id = move || params.with(|p| p.get("id").unwrap_or_default());
                let page = Resource::new(id, load_ai_agent_page);
                let reload = Callback::new(move |()| page.refetch());
                let data = Signal::derive(move || page.get().and_then(Result::ok));
                view! {
                    <Transition fallback=|| ()>
                        {move || page.get().and_then(Result::err).map(|e| view! { <p role="alert">{e.to_string()}</p> })}
                        <Show when=move || data.with(Option::is_some)>
                            <AiAgentSettings data reload/>
                        </Show>
                    </Transition>
                }
            }
        </AdminShell>
    }
}

#[component]
fn AiAgentSettings(data: Signal<Option<Page>>, reload: Callback<()>) -> impl IntoView {
    let Some(page) = data.get_untracked() else {
        return ().into_any();
    };
    let experience = StoredValue::new(page.experience_id.clone());
    let published = move || data.get().is_some_and(|p| p.published);
    let publish = Action::new(move |on: &bool| publish_ai_agent(experience.get_value(), *on));
    reload_after(publish, reload);
    let limit = RwSignal::new(page.settings.unconfident_limit.to_string());
    let phrases = RwSignal::new(page.settings.phrases.join("\n"));
    let save_settings = Action::new(move |_: &()| {
        save_handoff_settings(
            experience.get_value(),
            limit.get_untracked(),
            phrases.get_untracked(),
        )
    });
    reload_after(save_settings, reload);
    view! {
        <p class="text-muted">
            {format!("Customer experience: {} · Support mode: {}", page.experience_name, page.mode.label())}
            " · "<a class="link" href=format!("/admin/experiences/{}", page.experience_id)>"Chat settings"</a>
        </p>
        <section class="card grid gap-3 mt-4 max-w-2xl" aria-label="Publishing">
            <h2 class="font-semibold">"Publishing"</h2>
            <p data-testid="ai-state">
                {move || if published() {
                    "Published: customers chat with the AI agent first."
                } else {
                    "Draft: customers do not see the AI agent."
                }}
            </p>
            <div>
                <Show when=published fallback=move || view! {
                    <button class="btn btn-primary" type="button" on:click=move |_| { publish.dispatch(true); }>"Publish AI agent"</button>
                }>
                    <button class="btn" type="button" on:click=move |_| { publish.dispatch(false); }>"Unpublish AI agent"</button>
                </Show>
            </div>
            <Outcome result=outcome_of(publish) ok="Saved."/>
        </section>
        <form class="card grid gap-3 mt-4 max-w-2xl" aria-label="Handoff settings" on:submit=move |ev| {
            ev.prevent_default();
            save_settings.dispatch(());
        }>
            <h2 class="font-semibold">"Handoff settings"</h2>
            <p class="text-sm text-muted">"In AI agent and support team mode, the AI agent passes the conversation to a person when the customer asks for one, when it could not answer this many times in a row, or when a handoff phrase appears."</p>
            <label class="grid gap-1">"Answers without confidence before handoff"
                <input class="input" type="number" min="1" max="10" prop:value=move || limit.get()
                    on:input=move |ev| limit.set(event_target_value(&ev))/>
            </label>
            <label class="grid gap-1">"Handoff phrases"
                <textarea class="input" rows="3" placeholder="chargeback" prop:value=move || phrases.get()
                    on:input=move |ev| phrases.set(event_target_value(&ev))></textarea>
                <span class="text-sm text-muted">"One per line. Whole words, any case."</span>
            </label>
            <div><button class="btn btn-primary" type="submit">"Save handoff settings"</button></div>
            <Outcome result=outcome_of(save_settings) ok="Handoff settings saved."/>
        </form>
        <ModelBackendSettings experience settings=page.model.clone() reload/>
        <KnowledgeBase experience data reload/>
    }
    .into_any()
}

#[component]
fn KnowledgeBase(
    experience: StoredValue<String>,
    data: Signal<Option<Page>>,
    reload: Callback<()>,
) -> impl IntoView {
    // The editor: an empty id writes a new article.
    let editing = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let publish_it = RwSignal::new(true);
    let save = Action::new(move |_: &()| {
        save_article(
            experience.get_value(),
            editing.get_untracked(),
            title.get_untracked(),
            body.get_untracked(),
            publish_it.get_untracked(),
        )
    });
    let remove = Action::new(move |id: &String| delete_article(experience.get_value(), id.clone()));
    reload_after(remove, reload);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(String::new());
            title.set(String::new());
            body.set(String::new());
            publish_it.set(true);
            reload.run(());
        }
    });
    let articles = move || data.get().map(|p| p.articles).unwrap_or_default();
    view! {
        <section class="card grid gap-3 mt-4 max-w-2xl" aria-label="Knowledge base">
            <h2 class="font-semibold">"Knowledge base"</h2>
            <p class="text-sm text-muted">"The AI agent answers only from published articles, quoting the paragraph that fits and linking to the article."</p>
            <ul class="grid gap-2" data-testid="articles">
                {move || articles().into_iter().map(|a| {
                    let edit = a.clone();
                    let id = a.id.clone();
                    view! {
                        <li class="flex items-center gap-2 flex-wrap">
                            <span class="grow">{a.title.clone()}</span>
                            <span class="status-pill">{if a.published { "Published" } else { "Draft" }}</span>
                            <button class="btn btn-small" type="button" aria-label=format!("Edit article {}", a.title)
                                on:click=move |_| {
                                    editing.set(edit.id.clone());
                                    title.set(edit.title.clone());
                                    body.set(edit.body.clone());
                                    publish_it.set(edit.published);
                                }>"Edit"</button>
                            <button class="btn btn-small" type="button" aria-label=format!("Delete article {}", a.title)
                                on:click=move |_| { remove.dispatch(id.clone()); }>"Delete"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Outcome result=outcome_of(remove) ok="Article deleted."/>
            <form class="grid gap-3" aria-label="Article" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(());
            }>
                <h3 class="font-semibold">{move || if editing.get().is_empty() { "New article" } else { "Edit article" }}</h3>
                <label class="grid gap-1">"Title"
                    <input class="input" type="text" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                </label>
                <label class="grid gap-1">"Text"
                    <textarea class="input" rows="8" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    <span class="text-sm text-muted">"Plain text. Leave a blank line between paragraphs: the AI agent answers with one paragraph."</span>
                </label>
                <label class="flex items-center gap-2">
                    <input type="checkbox" prop:checked=move || publish_it.get() on:change=move |ev| publish_it.set(event_target_checked(&ev))/>
                    "Published"
                </label>
                <div class="flex gap-2">
                    <button class="btn btn-primary" type="submit" disabled=move || save.pending().get()>"Save article"</button>
                    <Show when=move || !editing.get().is_empty()>
                        <button class="btn" type="button" on:click=move |_| {
                            editing.set(String::new());
                            title.set(String::new());
                            body.set(String::new());
                        }>"Cancel editing"</button>
                    </Show>
                </div>
                <Outcome result=outcome_of(save) ok="Article saved."/>
            </form>
        </section>
    }
}
