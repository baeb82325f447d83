//! `/setup`: the first site admin, created from the browser on a new site (the command line's
//! `server create-admin` does the same). Refused once any team member exists.

use leptos::prelude::*;

use crate::AppError;
use crate::components::form::Field;

#[server(prefix = "/api", endpoint = "setup/first-admin")]
pub async fn create_first_admin(
    name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    let state = crate::state::AppState::from_context()?;
    // Each call hashes a password: counted like a sign-up, so a burst cannot queue sign-ins.
    state
        .limits
        .sign_up(crate::client::client_address().await)
        .await?;
    let id = backend::store::users::create_first_admin(&state.db, &email, &name, &password).await?;
    crate::auth::session::begin(backend::sessions::SignedIn::Staff(id)).await
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let (name, email, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let create = Action::new(move |_: &()| {
        create_first_admin(
            name.get_untracked(),
            email.get_untracked(),
            password.get_untracked(),
        )
    });
    Effect::new(move |_| {
        if matches!(create.value().get(), Some(Ok(()))) {
            leptos_router::hooks::use_navigate()("/admin/site", Default::default());
        }
    });
    view! {
        <main class="mx-auto max-w-md px-4 py-10">
            <h1 class="text-2xl font-semibold">"Set up Baton"</h1>
            <p class="mt-2 text-muted">"Create the first site admin. They set up spaces, customer experiences and invite the team."</p>
            <form class="card grid gap-3 mt-4" aria-label="First admin" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(());
            }>
                <Field label="Your name" kind="text" autocomplete="name" value=name/>
                <Field label="Email" kind="email" autocomplete="email" value=email/>
                <Field label="Password" kind="password" autocomplete="new-password" value=password minlength=8/>
                <button class="btn btn-primary" type="submit" disabled=move || create.pending().get()>"Create the first admin"</button>
                <p role="alert" class="text-danger text-sm">
                    {move || create.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                </p>
            </form>
        </main>
    }
}
