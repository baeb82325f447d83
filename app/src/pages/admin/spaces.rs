//! The spaces an admin may change, and creating a space (site admins).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::AdminShell;
use super::actions::{create_space, spaces};
use crate::components::form::{Outcome, outcome_of};

#[component]
pub fn SpacesPage() -> impl IntoView {
    view! {
        <AdminShell title="Spaces">
            {
                let list = Resource::new(|| (), |_| spaces());
                let name = RwSignal::new(String::new());
                let create = Action::new(|name: &String| create_space(name.clone()));
                Effect::new(move |_| {
                    if let Some(Ok(id)) = create.value().get() {
                        use_navigate()(&format!("/admin/spaces/{id}"), Default::default());
                    }
                });
                view! {
                    <Suspense fallback=|| ()>
                        {move || list.get().map(|r| match r {
                            Ok(rows) => view! {
                                <ul class="grid gap-2 mt-4" aria-label="Spaces">
                                    {rows.into_iter().map(|s| view! {
                                        <li class="card flex items-center gap-3">
                                            <a class="link font-semibold" href=format!("/admin/spaces/{}", s.id)>{s.name.clone()}</a>
                                            <span class="text-sm text-muted">{format!("{} members", s.members)}</span>
                                            <span class="status-pill">{if s.live_chat { "Live chat on" } else { "Live chat off" }}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                        })}
                    </Suspense>
                    <form class="card grid gap-2 mt-6 max-w-md" aria-label="Create a space" on:submit=move |ev| {
                        ev.prevent_default();
                        create.dispatch(name.get_untracked());
                    }>
                        <h2 class="font-semibold">"Create a space"</h2>
                        <label class="grid gap-1">"Space name"
                            <input class="input" type="text" required on:input=move |ev| name.set(event_target_value(&ev))/>
                        </label>
                        <p class="text-sm text-muted">"New spaces have Live chat on. You become their space admin."</p>
                        <button class="btn btn-primary" type="submit" disabled=move || create.pending().get()>"Create space"</button>
                        <Outcome result=outcome_of(create) ok="Space created."/>
                    </form>
                }
            }
        </AdminShell>
    }
}
