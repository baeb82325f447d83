//! `/invite/{token}`: joining a space from an invitation link (Baton sends no mail yet, so a
//! space admin passes the link on). The new member chooses a name and password and is signed in.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::AppError;
use crate::components::form::Field;

#[server(prefix = "/api", endpoint = "invite/find")]
pub async fn find_invitation(token: String) -> Result<(String, String, String), AppError> {
    let state = crate::state::AppState::from_context()?;
    let i = backend::store::invitations::find(&state.db, &token).await?;
    Ok((i.space, i.email, i.role))
}

#[server(prefix = "/api", endpoint = "invite/accept")]
pub async fn accept_invitation(
    token: String,
    name: String,
    password: String,
) -> Result<(), AppError> {
    let state = crate::state::AppState::from_context()?;
    // Each call hashes a password: counted like a sign-up, so a burst cannot queue sign-ins.
    state
        .limits
        .sign_up(crate::client::client_address().await)
        .await?;
    let user = backend::store::invitations::accept(&state.db, &token, &name, &password).await?;
    crate::auth::session::begin(backend::sessions::SignedIn::Staff(user)).await
}

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let found = Resource::new(token, find_invitation);
    let (name, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let accept = Action::new(move |(n, p): &(String, String)| {
        accept_invitation(token(), n.clone(), p.clone())
    });
    Effect::new(move |_| {
        if matches!(accept.value().get(), Some(Ok(()))) {
            leptos_router::hooks::use_navigate()("/agent", Default::default());
        }
    });
    view! {
        <main class="mx-auto max-w-md px-4 py-10">
            <h1 class="text-2xl font-semibold">"Join Baton"</h1>
            <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                {move || found.get().map(|r| match r {
                    Ok((space, email, role)) => view! {
                        <p class="mt-4">{format!("You are invited to the space {space} as {} ({email}).",
                            if role == "space_admin" { "space admin" } else { "agent" })}</p>
                        <form class="card grid gap-3 mt-4" aria-label="Accept the invitation" on:submit=move |ev| {
                            ev.prevent_default();
                            accept.dispatch((name.get_untracked(), password.get_untracked()));
                        }>
                            <Field label="Your name" kind="text" autocomplete="name" value=name/>
                            <Field label="Password" kind="password" autocomplete="new-password" value=password minlength=8/>
                            <button class="btn btn-primary" type="submit" disabled=move || accept.pending().get()>"Join the space"</button>
                            <p role="alert" class="text-danger text-sm">
                                {move || accept.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                            </p>
                        </form>
                    }.into_any(),
                    Err(e) => view! { <p role="alert" class="mt-4">{e.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}
