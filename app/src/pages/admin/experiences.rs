//! The customer experiences an admin may change, and creating one (site admins).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::AdminShell;
use super::actions::{create_experience, experiences};
use crate::components::form::{Outcome, outcome_of};

#[component]
pub fn ExperiencesPage() -> impl IntoView {
    view! {
        <AdminShell title="Customer experiences">
            {
                let list = Resource::new(|| (), |_| experiences());
                let name = RwSignal::new(String::new());
                let create = Action::new(|name: &String| create_experience(name.clone()));
                Effect::new(move |_| {
                    if let Some(Ok(id)) = create.value().get() {
                        use_navigate()(&format!("/admin/experiences/{id}"), Default::default());
                    }
                });
                view! {
                    <Suspense fallback=|| ()>
                        {move || list.get().map(|r| match r {
                            Ok(rows) => view! {
                                <ul class="grid gap-2 mt-4" aria-label="Customer experiences">
                                    {rows.into_iter().map(|e| {
                                        let widgets = match (e.website, e.embedded) {
                                            (true, true) => "Support website and embedded widget",
                                            (true, false) => "Support website",
                                            (false, true) => "Embedded widget",
                                            (false, false) => "No widget",
                                        };
                                        view! {
                                            <li class="card flex flex-wrap items-center gap-3">
                                                <a class="link font-semibold" href=format!("/admin/experiences/{}", e.id)>{e.name.clone()}</a>
                                                <span class="status-pill">{e.mode.label()}</span>
                                                <span class="text-sm text-muted">{widgets}</span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                        })}
                    </Suspense>
                    <form class="card grid gap-2 mt-6 max-w-md" aria-label="Create a customer experience" on:submit=move |ev| {
                        ev.prevent_default();
                        create.dispatch(name.get_untracked());
                    }>
                        <h2 class="font-semibold">"Create a customer experience"</h2>
                        <label class="grid gap-1">"Experience name"
                            <input class="input" type="text" required on:input=move |ev| name.set(event_target_value(&ev))/>
                        </label>
                        <button class="btn btn-primary" type="submit" disabled=move || create.pending().get()>"Create customer experience"</button>
                        <Outcome result=outcome_of(create) ok="Customer experience created."/>
                    </form>
                }
            }
        </AdminShell>
    }
}
