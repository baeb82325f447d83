//! One customer experience's chat settings (SPEC R-MODE-*, R-ROUTE-1, R-SPACE-4): support
//! mode, widgets, routed space, **Fallback message**, help content, and for the embedded widget
//! its key, allowed domains, identity secret and the embed snippet.

use domain::{experience::SupportMode, views::settings::ExperiencePage as Page};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::actions::{
    change_experience_admin, load_experience_page, rotate_secret, save_experience,
};
use super::{AdminShell, reload_after};
use crate::components::form::{Outcome, outcome_of};

#[component]
pub fn ExperiencePage() -> impl IntoView {
    view! {
        <AdminShell title="Customer experience">
            {
                let params = use_params_map();
                let id = move || params.with(|p| p.get("id").unwrap_or_default());
                let page = Resource::new(id, load_experience_page);
                let reload = Callback::new(move |()| page.refetch());
                let data = Signal::derive(move || page.get().and_then(Result::ok));
                // Mounted once (Transition + Show): reloads refresh the sections in place and
                // the last change's outcome stays on screen.
                view! {
                    <Transition fallback=|| ()>
                        {move || page.get().and_then(Result::err).map(|e| view! { <p role="alert">{e.to_string()}</p> })}
                        <Show when=move || data.with(Option::is_some)>
                            <ExperienceSettings data reload/>
                        </Show>
                    </Transition>
                }
            }
        </AdminShell>
    }
}

/// Which widgets the stored settings show.
#[derive(Clone, Copy)]
struct Saved {
    website: bool,
    embedded: bool,
}

/// The one script tag a site adds to show the widget.
pub fn embed_snippet(origin: &str, key: &str) -> String {
    format!(r#"<script src="{origin}/embed.js" data-baton-widget="{key}" async></script>"#)
}

#[component]
fn ExperienceSettings(data: Signal<Option<Page>>, reload: Callback<()>) -> impl IntoView {
    let Some(page) = data.get_untracked() else {
        return ().into_any();
    };
    let s = page.settings.clone();
    let name = RwSignal::new(s.name.clone());
    let mode = RwSignal::new(s.mode);
    let website = RwSignal::new(s.website);
    let embedded = RwSignal::new(s.embedded);
    let space = RwSignal::new(s.space.clone().unwrap_or_default());
    let fallback = RwSignal::new(s.fallback_message.clone());
    let help = RwSignal::new(s.help_text.clone());
    let domains = RwSignal::new(s.allowed_domains.join("\n"));
    let id = page.id.clone();
    let save_id = id.clone();
    let save = Action::new(move |_: &()| {
        save_experience(
            save_id.clone(),
            name.get_untracked(),
            mode.get_untracked().code().to_string(),
            website.get_untracked(),
            embedded.get_untracked(),
            space.get_untracked(),
            fallback.get_untracked(),
            help.get_untracked(),
            domains.get_untracked(),
        )
    });
    reload_after(save, reload);
    let spaces = page.spaces.clone();
    let ai_link = format!("/admin/experiences/{id}/ai");
    view! {
        <p class="mt-2"><a class="link" href=ai_link>"AI agent and knowledge base"</a></p>
        <form class="card grid gap-4 mt-4 max-w-2xl" aria-label="Chat settings" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(());
        }>
            <label class="grid gap-1">"Experience name"
                <input class="input" type="text" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <fieldset class="grid gap-1">
                <legend class="font-semibold">"Support mode"</legend>
                {SupportMode::ALL.into_iter().map(|m| view! {
                    <label class="flex items-center gap-2">
                        <input type="radio" name="support-mode" prop:checked=move || mode.get() == m
                            on:change=move |_| mode.set(m)/>
                        {m.label()}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="grid gap-1">
                <legend class="font-semibold">"Widgets"</legend>
                <label class="flex items-center gap-2">
                    <input type="checkbox" prop:checked=move || website.get() on:change=move |ev| website.set(event_target_checked(&ev))/>
                    "Support website"
                </label>
                <label class="flex items-center gap-2">
                    <input type="checkbox" prop:checked=move || embedded.get() on:change=move |ev| embedded.set(event_target_checked(&ev))/>
                    "Embedded widget"
                </label>
            </fieldset>
            <label class="grid gap-1">"Routed space"
                <select class="input" on:change=move |ev| space.set(event_target_value(&ev))>
                    <option value="" selected=move || space.get().is_empty()>"No space (AI agent only)"</option>
                    {spaces.into_iter().map(|sp| {
                        let value = sp.id.clone();
                        let label = if sp.live_chat { sp.name.clone() } else { format!("{} (Live chat off)", sp.name) };
                        view! { <option value=sp.id.clone() selected=move || space.get() == value>{label}</option> }
                    }).collect_view()}
                </select>
                <span class="text-sm text-muted">"Live chat goes to this space; its Live chat must be on."</span>
            </label>
            <label class="grid gap-1">"Fallback message"
                <textarea class="input" rows="3" prop:value=move || fallback.get() on:input=move |ev| fallback.set(event_target_value(&ev))></textarea>
                <span class="text-sm text-muted">"What customers read when no agent can take the chat. Plain text; links starting with https:// become clickable."</span>
            </label>
            <label class="grid gap-1">"Help content"
                <textarea class="input" rows="4" prop:value=move || help.get() on:input=move |ev| help.set(event_target_value(&ev))></textarea>
                <span class="text-sm text-muted">"Shown on the support website above the chat."</span>
            </label>
            <label class="grid gap-1">"Allowed domains"
                <textarea class="input font-mono" rows="3" placeholder="shop.example.com" prop:value=move || domains.get()
                    on:input=move |ev| domains.set(event_target_value(&ev))></textarea>
                <span class="text-sm text-muted">"One per line: where the embedded widget may appear, such as shop.example.com, *.example.com or localhost:8080."</span>
            </label>
            <button class="btn btn-primary" type="submit" disabled=move || save.pending().get()>"Save chat settings"</button>
            <Outcome result=outcome_of(save) ok="Chat settings saved."/>
        </form>
        <Widgets data reload/>
        <super::experience_language::ChatLanguage data reload/>
        <Admins id data reload/>
    }
    .into_any()
}

#[component]
fn Widgets(data: Signal<Option<Page>>, reload: Callback<()>) -> impl IntoView {
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| origin.set(window().location().origin().unwrap_or_default()));
    let saved = move || {
        data.get()
            .map(|p| (p.settings.website, p.settings.embedded))
            .unwrap_or_default()
    };
    let saved = move || Saved {
        website: saved().0,
        embedded: saved().1,
    };
    let key = move || data.get().map(|p| p.widget_key).unwrap_or_default();
    let snippet = move || embed_snippet(&origin.get(), &key());
    let id = move || data.get_untracked().map(|p| p.id).unwrap_or_default();
    let rotate = Action::new(move |_: &()| rotate_secret(id()));
    reload_after(rotate, reload);
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "browser")]
        {
            let _ = window().navigator().clipboard().write_text(&snippet());
            copied.set(true);
        }
    };
    view! {
        <section class="card grid gap-3 mt-4 max-w-2xl" aria-label="Widgets">
            <h2 class="font-semibold">"Widgets"</h2>
            <Show when=move || saved().website>
                <p>"Support website: " <a class="link" href=move || format!("/support/{}", key())>{move || format!("/support/{}", key())}</a></p>
            </Show>
            <Show when=move || saved().embedded
                fallback=|| view! { <p class="text-sm text-muted">"Turn on the embedded widget to get its key and embed snippet."</p> }>
                <label class="grid gap-1">"Widget key"
                    <input class="input font-mono" type="text" readonly prop:value=key/>
                </label>
                <label class="grid gap-1">"Embed snippet"
                    <textarea class="input font-mono" rows="2" readonly prop:value=snippet></textarea>
                </label>
                <div class="flex items-center gap-2">
                    <button class="btn" type="button" on:click=copy>"Copy embed snippet"</button>
                    <Show when=move || copied.get()><span role="status" class="text-sm">"Copied."</span></Show>
                </div>
                <label class="grid gap-1">"Identity secret"
                    <input class="input font-mono" type="text" readonly
                        prop:value=move || data.get().map(|p| p.identity_secret).unwrap_or_default()/>
                    <span class="text-sm text-muted">"Your site signs its users' identity (a JWT, HS256, with exp, sub and jti) with this secret and passes it to Baton.identify(token)."</span>
                </label>
                <button class="btn" type="button" on:click=move |_| { rotate.dispatch(()); }>"Rotate identity secret"</button>
                <Outcome result=outcome_of(rotate) ok="Identity secret rotated: tokens signed with the old one are refused."/>
            </Show>
        </section>
    }
}

#[component]
fn Admins(id: String, data: Signal<Option<Page>>, reload: Callback<()>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let change = Action::new(move |(email, user, add): &(String, String, bool)| {
        change_experience_admin(id.clone(), email.clone(), user.clone(), *add)
    });
    reload_after(change, reload);
    view! {
        <section class="card grid gap-3 mt-4 max-w-2xl" aria-label="Experience admins">
            <h2 class="font-semibold">"Admins of this experience"</h2>
            <ul class="grid gap-1">
                {move || data.get().map(|p| p.admins).unwrap_or_default().into_iter().map(|a| {
                    let user = a.id.clone();
                    view! {
                        <li class="flex items-center gap-2">{format!("{} · {}", a.name, a.email)}
                            <button class="btn btn-small" aria-label=format!("Remove admin {}", a.name)
                                on:click=move |_| { change.dispatch((String::new(), user.clone(), false)); }>"Remove"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="flex gap-2 items-end" aria-label="Add an admin" on:submit=move |ev| {
                ev.prevent_default();
                change.dispatch((email.get_untracked(), String::new(), true));
            }>
                <label class="grid gap-1 grow">"Team member's email"
                    <input class="input" type="email" required on:input=move |ev| email.set(event_target_value(&ev))/>
                </label>
                <button class="btn" type="submit">"Add admin"</button>
            </form>
            <Outcome result=outcome_of(change) ok="Admins saved."/>
        </section>
    }
}
