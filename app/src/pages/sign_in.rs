//! Sign-in for agents and admins.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::auth::staff_sign_in;
use crate::components::form::Field;

#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = Action::new(|(email, password): &(String, String)| {
        staff_sign_in(email.clone(), password.clone())
    });
    let (email, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    Effect::new(move |_| {
        if matches!(sign_in.value().get(), Some(Ok(_))) {
            use_navigate()("/agent", Default::default());
        }
    });
    view! {
        <main class="mx-auto max-w-sm px-4 py-12">
            <header class="flex items-center gap-3">
                <span class="brand-mark" aria-hidden="true">"B"</span>
                <h1 class="text-2xl font-semibold">"Sign in to Baton"</h1>
            </header>
            <form class="card mt-6 grid gap-3" aria-label="Sign in" on:submit=move |ev| {
                ev.prevent_default();
                sign_in.dispatch((email.get_untracked(), password.get_untracked()));
            }>
                <Field label="Email" kind="email" autocomplete="email" value=email/>
                <Field label="Password" kind="password" autocomplete="current-password" value=password/>
                <button class="btn btn-primary" type="submit" disabled=move || sign_in.pending().get()>"Sign in"</button>
                <p role="alert" class="text-danger text-sm">
                    {move || sign_in.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                </p>
            </form>
        </main>
    }
}
