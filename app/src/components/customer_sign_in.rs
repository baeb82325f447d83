//! The customer's sign-in and sign-up, before a chat with a person (SPEC R-CUST-2): on the
//! support website, in the widget, and at an AI agent's handoff.

use leptos::prelude::*;

use crate::auth::{customer_sign_in, customer_sign_up};
use crate::components::form::Field;
use crate::i18n::Words;

/// SPEC R-CUST-2: sign in (or create an account) before chatting with a person. `on_done` is a
/// callback, not a generic closure: the form is drawn from three places, and a generic would
/// compile the whole form three times into the widget.
#[component]
pub fn CustomerSignIn(#[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let words = Words::here();
    let sign_in = Action::new(|(email, password): &(String, String)| {
        customer_sign_in(email.clone(), password.clone())
    });
    let sign_up = Action::new(|(name, email, password): &(String, String, String)| {
        customer_sign_up(name.clone(), email.clone(), password.clone())
    });
    Effect::new(move |_| {
        if matches!(sign_in.value().get(), Some(Ok(_)))
            || matches!(sign_up.value().get(), Some(Ok(_)))
        {
            on_done.run(());
        }
    });
    let (email, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (new_name, new_email, new_password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let error = move || {
        [sign_in.value().get(), sign_up.value().get()]
            .into_iter()
            .flatten()
            .find_map(|r| r.err())
            .map(|e| e.to_string())
    };
    view! {
        <p class="text-muted" data-testid="sign-in-prompt">{words.get("sign-in-prompt")}</p>
        <p role="alert" class="text-danger text-sm">{error}</p>
        <div class="sign-in-grid">
            <form class="card grid gap-3" aria-label=words.get("sign-in") on:submit=move |ev| {
                ev.prevent_default();
                sign_in.dispatch((email.get_untracked(), password.get_untracked()));
            }>
                <h2 class="text-lg font-semibold">{words.get("sign-in")}</h2>
                <Field label=words.get("email") kind="email" autocomplete="email" value=email/>
                <Field label=words.get("password") kind="password" autocomplete="current-password" value=password/>
                <button class="btn btn-primary" type="submit" disabled=move || sign_in.pending().get()>{words.get("sign-in")}</button>
            </form>
            <form class="card grid gap-3" aria-label=words.get("create-account-form") on:submit=move |ev| {
                ev.prevent_default();
                sign_up.dispatch((new_name.get_untracked(), new_email.get_untracked(), new_password.get_untracked()));
            }>
                <h2 class="text-lg font-semibold">{words.get("new-here")}</h2>
                <Field label=words.get("your-name") kind="text" autocomplete="name" value=new_name/>
                <Field label=words.get("email") kind="email" autocomplete="email" value=new_email/>
                <Field label=words.get("password") kind="password" autocomplete="new-password" value=new_password minlength=8/>
                <button class="btn" type="submit" disabled=move || sign_up.pending().get()>{words.get("create-account")}</button>
            </form>
        </div>
    }
}
