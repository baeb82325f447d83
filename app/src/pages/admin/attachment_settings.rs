//! The site's **Attachments** setting (site admins): the largest file a chat accepts and the
//! file types it accepts, by extension. Files that can run code are never accepted.

use domain::attachments::AttachmentPolicy;
use leptos::prelude::*;

use crate::AppError;
use crate::components::form::{Outcome, outcome_of};

#[server(prefix = "/api", endpoint = "admin/site/attachments")]
pub async fn attachment_settings() -> Result<AttachmentPolicy, AppError> {
    let (state, actor) = super::actions::actor().await?;
    actor.require(domain::roles::Setting::Site)?;
    Ok(backend::attachments::policy(&state.db).await?)
}

#[server(prefix = "/api", endpoint = "admin/site/attachments/save")]
pub async fn save_attachment_settings(
    max_megabytes: String,
    types: String,
) -> Result<(), AppError> {
    let (state, actor) = super::actions::actor().await?;
    // The role first: someone who may not change this learns nothing from its input checks.
    actor.require(domain::roles::Setting::Site)?;
    let megabytes = max_megabytes.trim().parse::<u64>().map_err(|_| {
        AppError::Invalid("The largest file is a whole number of megabytes.".into()).with_status()
    })?;
    backend::attachments::save_policy(&state.db, &actor, megabytes, &types).await?;
    Ok(())
}

#[component]
pub fn AttachmentSettings() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| attachment_settings());
    view! {
        <Suspense fallback=|| ()>
            {move || loaded.get().map(|r| match r {
                Ok(initial) => view! { <AttachmentForm initial/> }.into_any(),
                Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AttachmentForm(initial: AttachmentPolicy) -> impl IntoView {
    let megabytes = RwSignal::new((initial.max_bytes / (1024 * 1024)).to_string());
    let types = RwSignal::new(initial.types.join(", "));
    let save =
        Action::new(|(m, t): &(String, String)| save_attachment_settings(m.clone(), t.clone()));
    view! {
        <form class="card grid gap-3 mt-4 max-w-xl" aria-label="Attachments" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch((megabytes.get_untracked(), types.get_untracked()));
        }>
            <h2 class="font-semibold">"Attachments"</h2>
            <label class="grid gap-1">"Largest file (MB)"
                <input class="input" type="number" min="1" max="25" prop:value=move || megabytes.get()
                    on:input=move |ev| megabytes.set(event_target_value(&ev))/>
                <span class="text-sm text-muted">"Customers and agents can send files up to this size (1–25 MB)."</span>
            </label>
            <label class="grid gap-1">"Allowed file types"
                <input class="input" type="text" prop:value=move || types.get()
                    on:input=move |ev| types.set(event_target_value(&ev))/>
                <span class="text-sm text-muted">"File extensions, separated by commas. Programs, scripts, web pages and SVG are never accepted. Pictures (png, jpg, gif, webp) show in the chat; other files are downloaded."</span>
            </label>
            <button class="btn btn-primary" type="submit" disabled=move || save.pending().get()>"Save attachment settings"</button>
            <Outcome result=outcome_of(save) ok="Attachment settings saved."/>
        </form>
    }
}
