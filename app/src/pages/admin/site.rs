//! Site settings (site admins): name, plan, **Maximum conversations** and resolutions
//! (SPEC R-SPACE-3, R-MODE-4).

use domain::{experience::Plan, views::settings::SiteSettingsView};
use leptos::prelude::*;

use super::AdminShell;
use super::actions::{save_site_settings, site_settings};
use crate::components::form::{Outcome, outcome_of};

#[component]
pub fn SiteSettingsPage() -> impl IntoView {
    view! {
        <AdminShell title="Site settings">
            {
                let loaded = Resource::new(|| (), |_| site_settings());
                view! {
                    <Suspense fallback=|| ()>
                        {move || loaded.get().map(|r| match r {
                            Ok(initial) => view! { <SiteSettingsForm initial/> }.into_any(),
                            Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                        })}
                    </Suspense>
                }
            }
            <super::attachment_settings::AttachmentSettings/>
        </AdminShell>
    }
}

#[component]
fn SiteSettingsForm(initial: SiteSettingsView) -> impl IntoView {
    let name = RwSignal::new(initial.name);
    let plan = RwSignal::new(initial.plan.label().to_string());
    let max = RwSignal::new(initial.max_conversations.to_string());
    let resolutions = RwSignal::new(initial.resolutions.join("\n"));
    let save = Action::new(|(n, p, m, r): &(String, String, String, String)| {
        save_site_settings(n.clone(), p.clone(), m.clone(), r.clone())
    });
    view! {
        <form class="card grid gap-3 mt-4 max-w-xl" aria-label="Site settings" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch((name.get_untracked(), plan.get_untracked(), max.get_untracked(), resolutions.get_untracked()));
        }>
            <label class="grid gap-1">"Site name"
                <input class="input" type="text" prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <label class="grid gap-1">"Plan"
                <select class="input" on:change=move |ev| plan.set(event_target_value(&ev))>
                    {Plan::ALL.into_iter().map(|p| view! {
                        <option value=p.label() selected=move || plan.get() == p.label()>{p.label()}</option>
                    }).collect_view()}
                </select>
                <span class="text-sm text-muted">"Live chat and handoff need Premium or Enterprise."</span>
            </label>
            <label class="grid gap-1">"Maximum conversations"
                <input class="input" type="number" min="1" max="100" prop:value=move || max.get()
                    on:input=move |ev| max.set(event_target_value(&ev))/>
                <span class="text-sm text-muted">"How many conversations each agent can have at once, across all spaces (1–100)."</span>
            </label>
            <label class="grid gap-1">"Resolutions"
                <textarea class="input" rows="4" prop:value=move || resolutions.get()
                    on:input=move |ev| resolutions.set(event_target_value(&ev))></textarea>
                <span class="text-sm text-muted">"One per line. Agents choose one to close a conversation."</span>
            </label>
            <button class="btn btn-primary" type="submit" disabled=move || save.pending().get()>"Save site settings"</button>
            <Outcome result=outcome_of(save) ok="Site settings saved."/>
        </form>
    }
}
