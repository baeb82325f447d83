//! The built-in support website's chat for customers: sign in (or sign up), then live chat with
//! the support team (SPEC R-CUST-1, R-CUST-2: a human chat needs a signed-in customer).
//! Customer experiences and the embeddable widget build on this page.

use domain::ConversationId;
use leptos::prelude::*;

use crate::AppError;
use crate::auth::{Me, customer_sign_in, customer_sign_up, sign_out, who_am_i};
use crate::components::chat::{ConnectionBadge, ThreadView};
use crate::components::form::Field;
use crate::live::Live;

#[server(prefix = "/api", endpoint = "support/open-conversation")]
pub async fn open_conversation() -> Result<Option<String>, AppError> {
    let state = crate::state::AppState::from_context()?;
    let customer = domain::CustomerId::new(crate::auth::session::customer_id().await?);
    Ok(
        backend::conversations::open_for_customer(&state.db, &customer)
            .await?
            .map(|id| id.to_string()),
    )
}

#[server(prefix = "/api", endpoint = "support/start-chat")]
pub async fn start_chat() -> Result<String, AppError> {
    let state = crate::state::AppState::from_context()?;
    let customer = domain::CustomerId::new(crate::auth::session::customer_id().await?);
    // Starting twice (a double click, a second tab) continues the open conversation.
    if let Some(open) = backend::conversations::open_for_customer(&state.db, &customer).await? {
        return Ok(open.to_string());
    }
    Ok(
        backend::conversations::start_live_chat(&state.engine, &customer)
            .await?
            .to_string(),
    )
}

#[component]
pub fn SupportPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| who_am_i());
    view! {
        <main class="mx-auto max-w-2xl px-4 py-8">
            <header class="flex items-center gap-3">
                <span class="brand-mark" aria-hidden="true">"B"</span>
                <h1 class="text-2xl font-semibold">"Support"</h1>
            </header>
            <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                {move || me.get().map(|who| match who {
                    Ok(Some(Me::Customer { name, .. })) => view! { <CustomerChat name/> }.into_any(),
                    Ok(Some(Me::Staff { .. })) => view! {
                        <p class="mt-6">"You are signed in as a team member. Open the "<a class="link" href="/agent">"agent dashboard"</a>"."</p>
                    }.into_any(),
                    Ok(None) => view! { <CustomerSignIn on_done=move || me.refetch()/> }.into_any(),
                    Err(error) => view! { <p role="alert" class="mt-6">{error.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn CustomerSignIn(on_done: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let sign_in = Action::new(|(email, password): &(String, String)| {
        customer_sign_in(email.clone(), password.clone())
    });
    let sign_up = Action::new(|(name, email, password): &(String, String, String)| {
        customer_sign_up(name.clone(), email.clone(), password.clone())
    });
    let done = on_done.clone();
    Effect::new(move |_| {
        if matches!(sign_in.value().get(), Some(Ok(_)))
            || matches!(sign_up.value().get(), Some(Ok(_)))
        {
            done();
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
        <p class="mt-4 text-muted">"Sign in to chat with our support team."</p>
        <p role="alert" class="text-danger text-sm">{error}</p>
        <div class="mt-4 grid gap-6 sm:grid-cols-2">
            <form class="card grid gap-3" aria-label="Sign in" on:submit=move |ev| {
                ev.prevent_default();
                sign_in.dispatch((email.get_untracked(), password.get_untracked()));
            }>
                <h2 class="text-lg font-semibold">"Sign in"</h2>
                <Field label="Email" kind="email" autocomplete="email" value=email/>
                <Field label="Password" kind="password" autocomplete="current-password" value=password/>
                <button class="btn btn-primary" type="submit" disabled=move || sign_in.pending().get()>"Sign in"</button>
            </form>
            <form class="card grid gap-3" aria-label="Create an account" on:submit=move |ev| {
                ev.prevent_default();
                sign_up.dispatch((new_name.get_untracked(), new_email.get_untracked(), new_password.get_untracked()));
            }>
                <h2 class="text-lg font-semibold">"New here?"</h2>
                <Field label="Your name" kind="text" autocomplete="name" value=new_name/>
                <Field label="Email" kind="email" autocomplete="email" value=new_email/>
                <Field label="Password" kind="password" autocomplete="new-password" value=new_password minlength=8/>
                <button class="btn" type="submit" disabled=move || sign_up.pending().get()>"Create account"</button>
            </form>
        </div>
    }
}

#[component]
fn CustomerChat(name: String) -> impl IntoView {
    let live = Live::start();
    let conversation = RwSignal::new(None::<ConversationId>);
    let open = Resource::new(|| (), |_| open_conversation());
    Effect::new(move |_| {
        if let Some(Ok(Some(id))) = open.get() {
            let id = ConversationId::new(id);
            live.follow(&id);
            conversation.set(Some(id));
        }
    });
    let start = Action::new(|_: &()| start_chat());
    Effect::new(move |_| {
        if let Some(Ok(id)) = start.value().get() {
            let id = ConversationId::new(id);
            live.follow(&id);
            conversation.set(Some(id));
        }
    });
    let leave = Action::new(|_: &()| sign_out());
    Effect::new(move |_| {
        if matches!(leave.value().get(), Some(Ok(()))) {
            let _ = window().location().reload();
        }
    });
    let waiting = move || {
        conversation.get().is_some_and(|c| {
            live.state.with(|s| {
                s.threads.get(&c).is_some_and(|t| {
                    t.status
                        == Some(domain::ConversationStatus::Work(
                            domain::WorkStatus::WaitingForAgent,
                        ))
                })
            })
        })
    };
    let ended = move || {
        conversation.get().is_some_and(|c| {
            live.state.with(|s| {
                s.threads.get(&c).is_some_and(|t| {
                    t.events
                        .iter()
                        .any(|e| matches!(e.event.kind, domain::EventKind::Ended { .. }))
                })
            })
        })
    };
    view! {
        <div class="mt-4 flex items-center justify-between gap-3">
            <p>"Signed in as " <strong>{name}</strong></p>
            <button class="btn" on:click=move |_| { leave.dispatch(()); }>"Sign out"</button>
        </div>
        <ConnectionBadge live/>
        <Show when=waiting>
            <p class="notice" role="status" data-testid="waiting">"Waiting for agent… you will be connected to the next available person."</p>
        </Show>
        {move || match conversation.get() {
            Some(id) => view! {
                <div class="card mt-4">
                    <ThreadView live conversation=id for_team=false/>
                </div>
                <Show when=ended>
                    <button class="btn mt-3" on:click=move |_| {
                        if let Some(old) = conversation.get_untracked() {
                            live.unfollow(&old);
                        }
                        conversation.set(None);
                        start.clear();
                        open.set(Some(Ok(None)));
                    }>"Start a new conversation"</button>
                </Show>
            }.into_any(),
            None => view! {
                <div class="card mt-4 grid gap-3">
                    <p>"Questions? Our team is here to help."</p>
                    <button class="btn btn-primary" on:click=move |_| { start.dispatch(()); }
                        disabled=move || start.pending().get()>"Start a conversation"</button>
                    <p role="alert" class="text-danger text-sm">
                        {move || start.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                    </p>
                </div>
            }.into_any(),
        }}
    }
}
