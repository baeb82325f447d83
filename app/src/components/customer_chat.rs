//! The customer's chat, as the support website and the embedded widget both show it: sign-in
//! before a human chat (SPEC R-CUST-2), the thread with the transcript kept visible
//! (R-CUST-4), "Waiting for agent" with the place in the queue, the Fallback message
//! (R-ROUTE-6/7), the end (R-CUST-5) and a way to start a new conversation after it.

use domain::{
    ConversationId, ConversationStatus, EventKind, WorkStatus, experience::SupportMode,
    views::WidgetInfo,
};
use leptos::prelude::*;

use crate::AppError;
use crate::auth::{Me, sign_out};
use crate::components::chat::{ConnectionBadge, FallbackMessage, ThreadView, linked_text};
use crate::components::customer_sign_in::CustomerSignIn;
use crate::components::host_messages::{tell_host, tell_host_conversation};
use crate::components::rating::RateConversation;
use crate::components::transcript::DownloadTranscript;
use crate::i18n::Words;
use crate::live::Live;
use crate::pages::widget::actions::{
    begin_visit, claim_conversation, customer_transcript, open_conversation, queue_position,
    start_chat, talk_to_person,
};

/// Who the customer is, however the page learns it: a server-rendered resource on the support
/// website (cookie session), a browser-only one in the widget (whose session lives in the
/// iframe's storage, which the server cannot see while it renders the page).
#[derive(Clone, Copy)]
pub struct Viewer {
    current: Signal<Option<Result<Option<Me>, AppError>>>,
    refetch: Callback<()>,
}

impl Viewer {
    pub fn from_resource(me: Resource<Result<Option<Me>, AppError>>) -> Self {
        Viewer {
            current: Signal::derive(move || me.get()),
            refetch: Callback::new(move |()| me.refetch()),
        }
    }

    pub fn from_local(me: LocalResource<Result<Option<Me>, AppError>>) -> Self {
        Viewer {
            current: Signal::derive(move || me.get()),
            refetch: Callback::new(move |()| me.refetch()),
        }
    }

    pub fn get(&self) -> Option<Result<Option<Me>, AppError>> {
        self.current.get()
    }

    pub fn refetch(&self) {
        self.refetch.run(());
    }
}

/// Everything below the experience's header, in the customer's language and its writing
/// direction. `me` is refetched after a sign-in.
#[component]
pub fn CustomerChat(info: WidgetInfo, me: Viewer) -> impl IntoView {
    let texts = info.texts();
    let (lang, dir) = (texts.lang.clone(), texts.dir());
    view! {
        <div class="customer-chat" lang=(!lang.is_empty()).then_some(lang) dir=dir>
            <ChatBody info me/>
        </div>
    }
}

#[component]
fn ChatBody(info: WidgetInfo, me: Viewer) -> impl IntoView {
    provide_context(FallbackMessage(info.fallback_message.clone()));
    provide_context(info.texts());
    let words = Words::here();
    if !info.chat_open {
        return view! {
            <div class="card grid gap-2" data-testid="chat-closed">
                <p>{info.closed_reason.clone().unwrap_or_default()}</p>
                <p>{linked_text(&info.fallback_message)}</p>
            </div>
        }
        .into_any();
    }
    let info = StoredValue::new(info);
    view! {
        <Suspense fallback=move || view! { <p class="text-muted">{words.get("loading")}</p> }>
            {move || me.get().map(|who| match who {
                Ok(Some(Me::Customer { name, .. })) => view! { <Chat info=info.get_value() name=Some(name) me/> }.into_any(),
                Ok(Some(Me::Staff { .. })) => view! {
                    <p>"You are signed in as a team member. Open the "<a class="link" href="/agent" target="_top">"agent dashboard"</a>"."</p>
                }.into_any(),
                // With a published AI agent, anyone may chat; sign-in comes at a handoff.
                Ok(None) if !info.with_value(|i| i.sign_in_first) => view! { <VisitorChat info=info.get_value() me/> }.into_any(),
                Ok(None) => view! { <CustomerSignIn on_done=move |()| me.refetch()/> }.into_any(),
                // The widget's session ended (signed out elsewhere, expired): it is forgotten,
                // so the customer starts again as anyone new does.
                Err(AppError::SessionExpired) => view! {
                    <p class="notice" role="status">{AppError::SessionExpired.to_string()}</p>
                    {if info.with_value(|i| i.sign_in_first) {
                        view! { <CustomerSignIn on_done=move |()| me.refetch()/> }.into_any()
                    } else {
                        view! { <VisitorChat info=info.get_value() me/> }.into_any()
                    }}
                }.into_any(),
                Err(error) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

fn thread_status(live: Live, conversation: Option<ConversationId>) -> Option<ConversationStatus> {
    let c = conversation?;
    live.state
        .with(|s| s.threads.get(&c).and_then(|t| t.status))
}

/// Whether any event of the conversation matches.
fn thread_has(
    live: Live,
    conversation: Option<ConversationId>,
    test: impl Fn(&EventKind) -> bool,
) -> bool {
    conversation.is_some_and(|c| {
        live.state.with(|s| {
            s.threads
                .get(&c)
                .is_some_and(|t| t.events.iter().any(|e| test(&e.event.kind)))
        })
    })
}

/// An anonymous visitor's chat with the AI agent: the session gets its visitor id first, so the
/// socket the chat opens is recognised. Done from the browser once hydrated (an effect), which
/// also keeps a second suspense boundary out of the page.
#[component]
fn VisitorChat(info: WidgetInfo, me: Viewer) -> impl IntoView {
    let visit = Action::new(|_: &()| begin_visit());
    Effect::new(move |_| {
        visit.dispatch(());
    });
    let info = StoredValue::new(info);
    let words = Words::here();
    move || match visit.value().get() {
        Some(Ok(())) => view! { <Chat info=info.get_value() name=None me/> }.into_any(),
        Some(Err(error)) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
        None => view! { <p class="text-muted">{words.get("loading")}</p> }.into_any(),
    }
}

/// The chat itself, for a signed-in customer (`name`) or an anonymous visitor talking to the
/// AI agent.
#[component]
fn Chat(info: WidgetInfo, name: Option<String>, me: Viewer) -> impl IntoView {
    let live = Live::start();
    let words = Words::here();
    let key = StoredValue::new(info.widget_key.clone());
    let with_ai = !info.sign_in_first;
    let can_ask_for_person = with_ai && info.mode == SupportMode::AiAgentAndSupportTeam;
    let signed_in = name.is_some();
    let conversation = RwSignal::new(None::<ConversationId>);
    let open = Resource::new(|| (), move |_| open_conversation(key.get_value()));
    Effect::new(move |_| {
        if let Some(Ok(Some(id))) = open.get() {
            let id = ConversationId::new(id);
            live.follow(&id);
            conversation.set(Some(id));
        }
    });
    let start = Action::new(move |_: &()| start_chat(key.get_value()));
    Effect::new(move |_| {
        if let Some(Ok(id)) = start.value().get() {
            let id = ConversationId::new(id);
            live.follow(&id);
            conversation.set(Some(id));
        }
    });
    // The embed script's launcher shows a badge for replies that arrive while the chat is
    // closed, on this page or (counted against what was seen) on the next page of the site.
    Effect::new(move |last: Option<u32>| {
        let count = live.state.with(|s| {
            s.threads
                .values()
                .flat_map(|t| &t.events)
                .filter(|e| {
                    matches!(
                        e.event.kind,
                        EventKind::Message {
                            author: domain::Author::Agent(_) | domain::Author::Ai,
                            ..
                        }
                    )
                })
                .count() as u32
        });
        if last.is_some_and(|l| count > l) {
            tell_host("baton:message", Some(count));
        }
        count
    });
    let leave = Action::new(|_: &()| sign_out());
    Effect::new(move |_| {
        if matches!(leave.value().get(), Some(Ok(()))) {
            let _ = window().location().reload();
        }
    });
    let waiting = move || {
        thread_status(live, conversation.get())
            == Some(ConversationStatus::Work(WorkStatus::WaitingForAgent))
    };
    let ended = move || {
        thread_has(live, conversation.get(), |k| {
            matches!(k, EventKind::Ended { .. })
        })
    };
    // Whether there is an open conversation, once that is known: the embed script keeps the
    // chat loaded on the site's next pages while there is one, so it follows the customer.
    let active = Memo::new(move |_| {
        let opened = open.get()?;
        let has = conversation.get().is_some() || matches!(opened, Ok(Some(_)));
        Some(has && !ended())
    });
    Effect::new(move |_| {
        if let Some(active) = active.get() {
            tell_host_conversation(active);
        }
    });
    let handoff_started = move || {
        thread_has(live, conversation.get(), |k| {
            matches!(
                k,
                EventKind::HandoffRequested { .. } | EventKind::HandedOff { .. }
            )
        })
    };
    // SPEC R-CUST-2: the AI agent handed off before sign-in; the customer signs in here.
    let needs_sign_in = move || {
        !signed_in
            && thread_has(live, conversation.get(), |k| {
                matches!(k, EventKind::HandoffRequested { .. })
            })
            && !ended()
    };
    let person = Action::new(move |id: &ConversationId| talk_to_person(id.to_string()));
    let claim = Action::new(move |_: &()| claim_conversation(key.get_value()));
    Effect::new(move |_| {
        if matches!(claim.value().get(), Some(Ok(_))) {
            me.refetch();
        }
    });
    let name_line = name.clone().map(|name| view! {
        <div class="flex items-center justify-between gap-3">
            <p class="text-sm">{words.get("signed-in-as")}" " <strong>{name}</strong></p>
            <button class="btn btn-small" on:click=move |_| { leave.dispatch(()); }>{words.get("sign-out")}</button>
        </div>
    });
    view! {
        {name_line}
        <ConnectionBadge live/>
        <Show when=waiting>
            <QueuePlace conversation=Signal::derive(move || conversation.get())/>
        </Show>
        {move || match conversation.get() {
            Some(id) => { let ended_id = id.to_string(); view! {
                <div class="card chat-card">
                    <ThreadView live conversation=id.clone() for_team=false/>
                </div>
                <Show when=move || can_ask_for_person && !handoff_started() && !ended()>
                    <div class="flex items-center gap-2 mt-2">
                        <button class="btn btn-small" type="button" disabled=move || person.pending().get()
                            on:click={
                                let id = id.clone();
                                move |_| { person.dispatch(id.clone()); }
                            }>{words.get("talk-to-person")}</button>
                        <p role="alert" class="text-danger text-sm">
                            {move || person.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                        </p>
                    </div>
                </Show>
                <Show when=needs_sign_in>
                    <div class="mt-3 grid gap-2" data-testid="handoff-sign-in">
                        <CustomerSignIn on_done=move |()| { claim.dispatch(()); }/>
                        <p role="alert" class="text-danger text-sm">
                            {move || claim.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                        </p>
                    </div>
                </Show>
                <Show when=ended>
                    {
                        let (rate_id, transcript_id) = (ended_id.clone(), ended_id.clone());
                        view! {
                            <RateConversation conversation=rate_id/>
                            <div class="mt-2">
                                <DownloadTranscript fetch=move || customer_transcript(transcript_id.clone())/>
                            </div>
                        }
                    }
                    <button class="btn mt-3" on:click=move |_| {
                        if let Some(old) = conversation.get_untracked() {
                            live.unfollow(&old);
                        }
                        conversation.set(None);
                        start.clear();
                        open.set(Some(Ok(None)));
                    }>{words.get("start-new")}</button>
                </Show>
            }.into_any() }
            None => view! {
                <div class="card grid gap-3">
                    <p>{words.get(if with_ai { "intro-ai" } else { "intro-team" })}</p>
                    <button class="btn btn-primary" on:click=move |_| { start.dispatch(()); }
                        disabled=move || start.pending().get()>{words.get("start")}</button>
                    <p role="alert" class="text-danger text-sm">
                        {move || start.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                    </p>
                </div>
            }.into_any(),
        }}
    }
}

/// "Waiting for agent", with the place in the queue, refreshed every few seconds while waiting.
#[component]
fn QueuePlace(conversation: Signal<Option<ConversationId>>) -> impl IntoView {
    let words = Words::here();
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "browser")]
    {
        let alive = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let flag = alive.clone();
        on_cleanup(move || flag.store(false, std::sync::atomic::Ordering::Relaxed));
        leptos::task::spawn_local(async move {
            while alive.load(std::sync::atomic::Ordering::Relaxed) {
                gloo_timers::future::TimeoutFuture::new(5_000).await;
                if alive.load(std::sync::atomic::Ordering::Relaxed) {
                    tick.update(|t| *t += 1);
                }
            }
        });
    }
    let place = Resource::new(
        move || (conversation.get(), tick.get()),
        |(c, _)| async move {
            match c {
                Some(c) => queue_position(c.to_string()).await.ok().flatten(),
                None => None,
            }
        },
    );
    view! {
        <p class="notice" role="status" data-testid="waiting">
            {words.get("waiting")}
            <Suspense fallback=|| ()>
                {move || place.get().flatten().map(|n| view! {
                    <span class="block text-sm" data-testid="queue-position">
                        {if n == 1 { words.get("queue-next") } else { words.with("queue-number", &[("n", &n.to_string())]) }}
                    </span>
                })}
            </Suspense>
        </p>
    }
}
