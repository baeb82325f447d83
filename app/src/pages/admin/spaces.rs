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
                                            // The spaces between the parts keep "Customer Support" and "3 members"
                                            // apart in the page's text (copy, find, tests), not only in the layout;
                                            // the dot is decoration, so screen readers skip it.
                                            <a class="link font-semibold" href=format!("/admin/spaces/{}", s.id)>{s.name.clone()}</a>
                                            " "
                                            <span class="text-muted" aria-hidden="true">"·"</span>
                                            " "
                                            <span class="text-sm text-muted">{member_count(s.members)}</span>
                                            " "
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

/// "1 member", "3 members": the count as a person would say it.
fn member_count(members: i64) -> String {
    match members {
        1 => "1 member".to_string(),
        n => format!("{n} members"),
    }
}

#[cfg(test)]
mod tests {
    use super::member_count;

    #[test]
    fn a_member_count_is_singular_for_one_and_plural_otherwise() {
        assert_eq!(member_count(0), "0 members");
        assert_eq!(member_count(1), "1 member");
        assert_eq!(member_count(3), "3 members");
    }
}
