//! The space settings' **Saved replies** section: a space's admins add and remove the replies
//! its agents insert with `/` in the composer.

use domain::saved_replies::{AGENT_PLACEHOLDER, CUSTOMER_PLACEHOLDER, SavedReply};
use leptos::prelude::*;

use crate::AppError;
use crate::components::form::{Outcome, outcome_of};

#[server(prefix = "/api", endpoint = "admin/space/saved-replies")]
pub async fn list_saved_replies(space: String) -> Result<Vec<SavedReply>, AppError> {
    let (state, actor) = super::actions::actor().await?;
    Ok(backend::saved_replies::list(&state.db, &actor, &space).await?)
}

#[server(prefix = "/api", endpoint = "admin/space/saved-replies/add")]
pub async fn add_saved_reply(
    space: String,
    shortcut: String,
    body: String,
) -> Result<SavedReply, AppError> {
    let (state, actor) = super::actions::actor().await?;
    Ok(backend::saved_replies::add(&state.db, &actor, &space, &shortcut, &body).await?)
}

#[server(prefix = "/api", endpoint = "admin/space/saved-replies/remove")]
pub async fn remove_saved_reply(space: String, id: String) -> Result<(), AppError> {
    let (state, actor) = super::actions::actor().await?;
    Ok(backend::saved_replies::remove(&state.db, &actor, &space, &id).await?)
}

#[component]
pub fn SavedReplies(space: String) -> impl IntoView {
    let list_space = space.clone();
    let replies = Resource::new(|| (), move |_| list_saved_replies(list_space.clone()));
    let shortcut = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let add_space = space.clone();
    let add = Action::new(move |(s, b): &(String, String)| {
        add_saved_reply(add_space.clone(), s.clone(), b.clone())
    });
    let remove = Action::new(move |id: &String| remove_saved_reply(space.clone(), id.clone()));
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(_))) {
            shortcut.set(String::new());
            body.set(String::new());
            replies.refetch();
        }
    });
    Effect::new(move |_| {
        if remove.value().get().is_some() {
            replies.refetch();
        }
    });
    let row = move |r: SavedReply| {
        let name = format!("/{}", r.shortcut);
        let id = r.id.clone();
        view! {
            <li class="grid gap-1 saved-reply-row">
                <div class="flex items-center gap-2">
                    <strong>{name.clone()}</strong>
                    <button class="btn btn-small ml-auto" aria-label=format!("Remove saved reply {name}")
                        on:click=move |_| { remove.dispatch(id.clone()); }>"Remove"</button>
                </div>
                <span class="text-sm saved-reply-body">{r.body}</span>
            </li>
        }
    };
    view! {
        <section class="card grid gap-3 mt-4 max-w-2xl" aria-label="Saved replies">
            <h2 class="font-semibold">"Saved replies"</h2>
            <p class="text-sm text-muted">
                {format!("Agents type / and the shortcut in the composer to insert a reply. {CUSTOMER_PLACEHOLDER} becomes the customer's name and {AGENT_PLACEHOLDER} the agent's.")}
            </p>
            <Transition fallback=|| ()>
                <ul class="grid gap-2">
                    {move || replies.get().map(|r| match r {
                        Ok(list) if list.is_empty() => view! { <li class="text-sm text-muted">"No saved replies yet."</li> }.into_any(),
                        Ok(list) => list.into_iter().map(row).collect_view().into_any(),
                        Err(e) => view! { <li role="alert">{e.to_string()}</li> }.into_any(),
                    })}
                </ul>
            </Transition>
            <form class="grid gap-2" aria-label="Add a saved reply" on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch((shortcut.get_untracked(), body.get_untracked()));
            }>
                <label class="grid gap-1">"Shortcut"
                    <input class="input" type="text" required maxlength="33" placeholder="refund"
                        prop:value=move || shortcut.get()
                        on:input=move |ev| shortcut.set(event_target_value(&ev))/>
                </label>
                <label class="grid gap-1">"Reply"
                    <textarea class="input" rows="3" required maxlength="2000"
                        placeholder="Hi {customer}, this is {agent}…"
                        prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                </label>
                <button class="btn" type="submit" disabled=move || add.pending().get()>"Add saved reply"</button>
            </form>
            <Outcome result=outcome_of(add) ok="Saved reply added."/>
            <Outcome result=outcome_of(remove) ok="Saved reply removed."/>
        </section>
    }
}
