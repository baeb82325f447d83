//! One space's settings: name, **Live chat**, members and roles, work types, queues and SLA
//! goals (SPEC R-SPACE-1, R-MODE-3, R-VIEW-2, R-VIEW-4).

use domain::views::settings::SpacePage as Page;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::actions::{
    add_queue, change_work_type, invite_member, load_space_page, remove_member, remove_queue,
    rename_space, set_live_chat, set_member_role, set_sla_goal,
};
use super::{AdminShell, reload_after};
use crate::components::form::{Outcome, outcome_of};

#[component]
pub fn SpacePage() -> impl IntoView {
    view! {
        <AdminShell title="Space settings">
            {
                let params = use_params_map();
                let id = move || params.with(|p| p.get("id").unwrap_or_default());
                let page = Resource::new(id, load_space_page);
                let reload = Callback::new(move |()| page.refetch());
                let data = Signal::derive(move || page.get().and_then(Result::ok));
                // Sections stay mounted across reloads (a Transition, and Show flips only once),
                // so a change's outcome stays on screen while the lists refresh.
                view! {
                    <Transition fallback=|| ()>
                        {move || page.get().and_then(Result::err).map(|e| view! { <p role="alert">{e.to_string()}</p> })}
                        <Show when=move || data.with(Option::is_some)>
                            <SpaceSettings data reload/>
                        </Show>
                    </Transition>
                }
            }
        </AdminShell>
    }
}

#[component]
fn SpaceSettings(data: Signal<Option<Page>>, reload: Callback<()>) -> impl IntoView {
    let Some(page) = data.get_untracked() else {
        return ().into_any();
    };
    let space = page.space.id.clone();
    let name = RwSignal::new(page.space.name.clone());
    let rename_id = space.clone();
    let rename = Action::new(move |n: &String| rename_space(rename_id.clone(), n.clone()));
    let live_id = space.clone();
    let live = Action::new(move |on: &bool| set_live_chat(live_id.clone(), *on));
    let live_on = RwSignal::new(page.space.live_chat);
    // A refused switch goes back to what is stored.
    Effect::new(move |_| {
        if matches!(live.value().get(), Some(Err(_))) {
            live_on.set(data.get_untracked().is_some_and(|p| p.space.live_chat));
        }
    });
    reload_after(live, reload);
    reload_after(rename, reload);
    view! {
        <p class="text-muted">{page.space.name.clone()}</p>
        <section class="card grid gap-3 mt-4 max-w-2xl" aria-label="General">
            <form class="flex gap-2 items-end" aria-label="Rename space" on:submit=move |ev| {
                ev.prevent_default();
                rename.dispatch(name.get_untracked());
            }>
                <label class="grid gap-1 grow">"Space name"
                    <input class="input" type="text" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <button class="btn" type="submit">"Rename"</button>
            </form>
            <Outcome result=outcome_of(rename) ok="Space renamed."/>
            <label class="flex items-center gap-2">
                <input type="checkbox" role="switch" prop:checked=move || live_on.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        live_on.set(on);
                        live.dispatch(on);
                    }/>
                "Live chat"
            </label>
            <p class="text-sm text-muted">"Customers reach this space only through a customer experience that routes live chat here."</p>
            <Outcome result=outcome_of(live) ok="Live chat saved."/>
        </section>
        <Members space=space.clone() data reload/>
        <WorkTypes space=space.clone() data reload/>
        <Queues space=space.clone() data reload/>
        <Goals space=space.clone() data reload/>
        <super::saved_replies::SavedReplies space/>
    }
    .into_any()
}

#[component]
fn Members(space: String, data: Signal<Option<Page>>, reload: Callback<()>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("agent".to_string());
    let invite_space = space.clone();
    let invite = Action::new(move |(e, r): &(String, String)| {
        invite_member(invite_space.clone(), e.clone(), r.clone())
    });
    let role_space = space.clone();
    let change_role = Action::new(move |(user, r): &(String, String)| {
        set_member_role(role_space.clone(), user.clone(), r.clone())
    });
    let remove_space = space.clone();
    let remove =
        Action::new(move |user: &String| remove_member(remove_space.clone(), user.clone()));
    reload_after(invite, reload);
    reload_after(change_role, reload);
    reload_after(remove, reload);
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| origin.set(window().location().origin().unwrap_or_default()));
    view! {
        <section class="card grid gap-3 mt-4 max-w-2xl" aria-label="Members">
            <h2 class="font-semibold">"Members"</h2>
            <table class="table">
                <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Availability"</th><th></th></tr></thead>
                <tbody>
                    {move || data.get().map(|p| p.members).unwrap_or_default().into_iter().map(|m| {
                        let (user, user2) = (m.id.clone(), m.id.clone());
                        let is_admin = m.role == "space_admin";
                        view! {
                            <tr>
                                <td>{m.name.clone()}</td>
                                <td>{m.email.clone()}</td>
                                <td>
                                    <select class="input" aria-label=format!("Role of {}", m.name)
                                        on:change=move |ev| { change_role.dispatch((user.clone(), event_target_value(&ev))); }>
                                        <option value="agent" selected=!is_admin>"Agent"</option>
                                        <option value="space_admin" selected=is_admin>"Space admin"</option>
                                    </select>
                                </td>
                                <td>{m.availability.clone()}</td>
                                <td><button class="btn btn-small" aria-label=format!("Remove {}", m.name)
                                    on:click=move |_| { remove.dispatch(user2.clone()); }>"Remove"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <Outcome result=outcome_of(change_role) ok="Role changed."/>
            <Outcome result=outcome_of(remove) ok="Member removed."/>
            <form class="flex flex-wrap gap-2 items-end" aria-label="Invite a member" on:submit=move |ev| {
                ev.prevent_default();
                invite.dispatch((email.get_untracked(), role.get_untracked()));
            }>
                <label class="grid gap-1 grow">"Email"
                    <input class="input" type="email" required on:input=move |ev| email.set(event_target_value(&ev))/>
                </label>
                <label class="grid gap-1">"Role"
                    <select class="input" on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="agent">"Agent"</option>
                        <option value="space_admin">"Space admin"</option>
                    </select>
                </label>
                <button class="btn btn-primary" type="submit">"Invite"</button>
            </form>
            {move || invite.value().get().map(|r| match r {
                Ok(None) => view! { <p role="status" class="text-sm">"Added to the space."</p> }.into_any(),
                Ok(Some(link)) => view! {
                    <label class="grid gap-1 text-sm">"Invitation link (Baton sends no email yet: pass this link on)"
                        <input class="input" type="text" readonly prop:value=format!("{}{link}", origin.get())/>
                    </label>
                }.into_any(),
                Err(e) => view! { <p role="alert" class="text-sm text-danger">{e.to_string()}</p> }.into_any(),
            })}
            {move || data.get().map(|p| p.invitations).filter(|i| !i.is_empty()).map(|invitations| view! {
                <h3 class="font-semibold text-sm">"Pending invitations"</h3>
                <ul class="text-sm grid gap-1">
                    {invitations.iter().map(|i| view! {
                        <li>{format!("{} ({}) · ", i.email, if i.role == "space_admin" { "Space admin" } else { "Agent" })}
                            <code>{i.link.clone()}</code></li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn WorkTypes(space: String, data: Signal<Option<Page>>, reload: Callback<()>) -> impl IntoView {
    let new_type = RwSignal::new(String::new());
    let change = Action::new(move |(name, add): &(String, bool)| {
        change_work_type(space.clone(), name.clone(), *add)
    });
    reload_after(change, reload);
    view! {
        <section class="card grid gap-3 mt-4 max-w-2xl" aria-label="Work types">
            <h2 class="font-semibold">"Work types"</h2>
            <p class="text-sm text-muted">"Conversation is always there. Agents create follow-up work of these types."</p>
            <ul class="flex flex-wrap gap-2">
                {move || data.get().map(|p| p.work_types).unwrap_or_default().into_iter().map(|t| {
                    let name = t.clone();
                    view! {
                        <li class="status-pill flex items-center gap-1">{t.clone()}
                            <button class="btn btn-small" aria-label=format!("Remove work type {t}")
                                on:click=move |_| { change.dispatch((name.clone(), false)); }>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="flex gap-2 items-end" aria-label="Add a work type" on:submit=move |ev| {
                ev.prevent_default();
                change.dispatch((new_type.get_untracked(), true));
            }>
                <label class="grid gap-1 grow">"New work type"
                    <input class="input" type="text" required on:input=move |ev| new_type.set(event_target_value(&ev))/>
                </label>
                <button class="btn" type="submit">"Add work type"</button>
            </form>
            <Outcome result=outcome_of(change) ok="Work types saved."/>
        </section>
    }
}

#[component]
fn Queues(space: String, data: Signal<Option<Page>>, reload: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let filter = RwSignal::new(String::new());
    let add = Action::new(move |(n, f): &(String, String)| {
        add_queue(space.clone(), n.clone(), f.clone())
    });
    let remove = Action::new(|queue: &String| remove_queue(queue.clone()));
    reload_after(add, reload);
    reload_after(remove, reload);
    view! {
        <section class="card grid gap-3 mt-4 max-w-2xl" aria-label="Queues">
            <h2 class="font-semibold">"Queues"</h2>
            <ul class="grid gap-2">
                {move || data.get().map(|p| p.queues).unwrap_or_default().into_iter().map(|q| {
                    let id = q.id.clone();
                    view! {
                        <li class="flex items-center gap-2">
                            <strong>{q.name.clone()}</strong><code class="text-sm">{q.filter.clone()}</code>
                            <button class="btn btn-small ml-auto" aria-label=format!("Remove queue {}", q.name)
                                on:click=move |_| { remove.dispatch(id.clone()); }>"Remove"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="grid gap-2" aria-label="Add a queue" on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch((name.get_untracked(), filter.get_untracked()));
            }>
                <label class="grid gap-1">"Queue name"
                    <input class="input" type="text" required on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="grid gap-1">"Queue filter"
                    <input class="input font-mono" type="text" required placeholder="type = Conversation AND status != Closed"
                        on:input=move |ev| filter.set(event_target_value(&ev))/>
                </label>
                <button class="btn" type="submit">"Save queue"</button>
            </form>
            <Outcome result=outcome_of(add) ok="Queue saved."/>
        </section>
    }
}

#[component]
fn Goals(space: String, data: Signal<Option<Page>>, reload: Callback<()>) -> impl IntoView {
    let work_type = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::new());
    let set = Action::new(move |(t, m): &(String, String)| {
        set_sla_goal(space.clone(), t.clone(), m.clone())
    });
    reload_after(set, reload);
    let label = |t: &str| {
        if t.is_empty() {
            "All work types".to_string()
        } else {
            t.to_string()
        }
    };
    let types = move || {
        let mut types = vec![String::new(), domain::conversation::WORK_TYPE.to_string()];
        types.extend(data.get().map(|p| p.work_types).unwrap_or_default());
        types
    };
    view! {
        <section class="card grid gap-3 mt-4 max-w-2xl" aria-label="SLA goals">
            <h2 class="font-semibold">"Time to first response"</h2>
            <ul class="grid gap-1">
                {move || data.get().map(|p| p.goals).unwrap_or_default().iter().map(|g| {
                    let t = g.work_type.clone();
                    view! {
                        <li class="flex items-center gap-2">{format!("{}: {} min", label(&g.work_type), g.minutes)}
                            <button class="btn btn-small" aria-label=format!("Remove goal for {}", label(&g.work_type))
                                on:click=move |_| { set.dispatch((t.clone(), String::new())); }>"Remove"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="flex flex-wrap gap-2 items-end" aria-label="Set a goal" on:submit=move |ev| {
                ev.prevent_default();
                set.dispatch((work_type.get_untracked(), minutes.get_untracked()));
            }>
                <label class="grid gap-1">"Work type"
                    <select class="input" on:change=move |ev| work_type.set(event_target_value(&ev))>
                        {move || types().into_iter().map(|t| view! { <option value=t.clone()>{label(&t)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="grid gap-1">"Minutes"
                    <input class="input" type="number" min="1" required on:input=move |ev| minutes.set(event_target_value(&ev))/>
                </label>
                <button class="btn" type="submit">"Set goal"</button>
            </form>
            <Outcome result=outcome_of(set) ok="Goal saved."/>
        </section>
    }
}
