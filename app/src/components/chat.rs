//! The conversation thread: transcript, typing indicator, composer and connection state. The
//! same component serves the customer (who never receives internal notes: the server filters
//! them) and the agent.

use domain::{Author, ConversationId, EventKind, WorkStatus};
use leptos::prelude::*;

use crate::components::attachments::{
    FileSender, UploadStatus, Uploads, attachment_body, files_dropped, files_pasted,
};
use crate::i18n::Words;
use crate::live::{Live, Pending, Shown};

/// What the agent's panel adds to the shared composer (saved replies). The widget passes none,
/// so none of the agent's code reaches the customer's download.
#[derive(Clone, Copy)]
pub struct ComposerAid {
    /// Drawn just above the composer, given the textarea to read and fill.
    pub view: Callback<NodeRef<leptos::html::Textarea>, AnyView>,
    /// A key pressed in the composer; `true` when the aid used it, so it is not a send.
    pub key: Callback<leptos::ev::KeyboardEvent, bool>,
    /// The composer's text as it changes.
    pub input: Callback<String>,
}

/// "Reconnecting…" while the socket is down; nothing when all is well.
#[component]
pub fn ConnectionBadge(live: Live) -> impl IntoView {
    let words = Words::here();
    let label = move || {
        let english = live.state.with(|s| s.connection.label());
        match english {
            "" => String::new(),
            "Connecting…" => words.or("connecting", english),
            _ => words.or("reconnecting", english),
        }
    };
    view! {
        <p role="status" aria-live="polite" class="connection-state text-sm text-muted" data-testid="connection-state">
            {label}
        </p>
    }
}

/// The experience's **Fallback message**, provided by the customer's chat so the thread can
/// show it where the conversation says it was shown.
#[derive(Clone, Debug)]
pub struct FallbackMessage(pub String);

/// Plain text with its links made clickable; never parsed as HTML.
pub fn linked_text(text: &str) -> impl IntoView + use<> {
    domain::experience::linkify(text)
        .into_iter()
        .map(|piece| match piece {
            domain::experience::Piece::Text(t) => t.into_any(),
            domain::experience::Piece::Link(href) => view! {
                <a class="link" href=href.clone() target="_blank" rel="noopener noreferrer">{href.clone()}</a>
            }
            .into_any(),
        })
        .collect_view()
}

fn line(
    shown: &Shown,
    for_team: bool,
    fallback: Option<&str>,
    words: Words,
) -> Option<(String, String, String)> {
    // (css class, who, text)
    let who_agent = || {
        shown
            .author_name
            .clone()
            .unwrap_or_else(|| words.or("agent", "Agent"))
    };
    Some(match &shown.event.kind {
        EventKind::Message { author, body, .. } => match author {
            Author::Customer => (
                "msg msg-customer".into(),
                if for_team {
                    "Customer".into()
                } else {
                    words.get("you")
                },
                body.clone(),
            ),
            Author::Agent(_) => ("msg msg-agent".into(), who_agent(), body.clone()),
            Author::Ai => ("msg msg-ai".into(), words.or("ai-agent", "AI agent"), body.clone()),
        },
        EventKind::Note { body, .. } => (
            "msg msg-note".into(),
            format!("Internal note · {}", who_agent()),
            body.clone(),
        ),
        EventKind::Assigned { .. } => (
            "notice".into(),
            String::new(),
            words.or_with("joined", "{name} joined the conversation.", &[("name", &who_agent())]),
        ),
        EventKind::FallbackShown => (
            "notice notice-fallback".into(),
            String::new(),
            match (for_team, fallback) {
                (true, _) => "The customer was shown the Fallback message.".into(),
                (false, Some(text)) if !text.trim().is_empty() => text.to_string(),
                (false, _) => words.get("fallback"),
            },
        ),
        EventKind::InactivityWarning => (
            "notice".into(),
            String::new(),
            words.or(
                "inactive",
                "This conversation has been quiet for a while. It will end soon unless someone writes.",
            ),
        ),
        EventKind::Ended { .. } => (
            "notice notice-ended".into(),
            String::new(),
            words.or("ended", "This conversation has ended."),
        ),
        EventKind::HandedOff { reason } => (
            "notice".into(),
            String::new(),
            match (for_team, reason) {
                (true, Some(reason)) => format!(
                    "The AI agent passed this conversation to the support team. {}.",
                    reason.label()
                ),
                (true, None) => "The AI agent passed this conversation to the support team.".into(),
                (false, _) => words.get("handed-off"),
            },
        ),
        EventKind::HandoffRequested { .. } => (
            "notice".into(),
            String::new(),
            if for_team {
                "The AI agent asked the customer to sign in for a person.".into()
            } else {
                words.get("handoff-sign-in")
            },
        ),
        EventKind::StatusChanged { to, .. } if for_team => (
            "notice".into(),
            String::new(),
            format!("Status: {}", to.label()),
        ),
        EventKind::Resolved { resolution, .. } if for_team => (
            "notice".into(),
            String::new(),
            format!("Resolved: {resolution}"),
        ),
        EventKind::StatusChanged { .. } | EventKind::Resolved { .. } => return None,
    })
}

/// One message of this tab's outbox: "Sending…", "Not sent" with **Retry**, or stored and shown
/// as the message it now is until its event arrives.
fn outbox_line(
    p: Pending,
    for_team: bool,
    words: Words,
    me_name: impl Fn() -> String + Send + Sync + 'static,
    retry: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    let body = p.body.clone();
    if let Some(seq) = p.stored_as() {
        let (class, who) = if for_team {
            ("msg msg-agent", me_name())
        } else {
            ("msg msg-customer", words.get("you"))
        };
        return view! {
            <li class=class data-seq=seq>
                <span class="msg-who">{who}</span>
                <span class="msg-body">{linked_text(&body)}</span>
            </li>
        }
        .into_any();
    }
    let who = if for_team {
        "You (agent)".to_string()
    } else {
        words.get("you")
    };
    let state = match p.not_sent() {
        None => view! { <span class="msg-state text-sm text-muted">{words.or("sending", "Sending…")}</span> }.into_any(),
        Some(reason) => {
            let id = p.client_id.clone();
            let label = format!("Retry sending “{}”", excerpt(&body));
            view! {
                <span class="msg-state text-sm text-danger">{format!("{} {reason}", words.or("not-sent", "Not sent."))}</span>
                <button type="button" class="btn btn-small msg-retry" aria-label=label
                    on:click=move |_| retry(id.clone())>{words.or("retry", "Retry")}</button>
            }
            .into_any()
        }
    };
    let delivery = if p.not_sent().is_some() {
        "not-sent"
    } else {
        "sending"
    };
    view! {
        <li class="msg msg-pending" data-pending="true" data-delivery=delivery>
            <span class="msg-who">{who}</span>
            <span class="msg-body">{body.clone()}</span>
            {state}
        </li>
    }
    .into_any()
}

/// The start of a message, to name it in a control's accessible name.
fn excerpt(body: &str) -> String {
    const CHARS: usize = 40;
    let mut short: String = body.chars().take(CHARS).collect();
    if body.chars().count() > CHARS {
        short.push('…');
    }
    short
}

/// Transcript, typing indicator and composer of one conversation.
#[component]
pub fn ThreadView(
    live: Live,
    conversation: ConversationId,
    for_team: bool,
    #[prop(optional)] aid: Option<ComposerAid>,
) -> impl IntoView {
    let fallback = use_context::<FallbackMessage>().map(|f| f.0);
    let words = Words::here();
    let conv = conversation.clone();
    let events = move || {
        live.state.with(|s| {
            s.threads
                .get(&conv)
                .map(|t| t.events.clone())
                .unwrap_or_default()
        })
    };
    let conv = conversation.clone();
    let pending = move || {
        live.state.with(|s| {
            s.threads
                .get(&conv)
                .map(|t| t.outbox.items().to_vec())
                .unwrap_or_default()
        })
    };
    let conv = conversation.clone();
    // The AI agent's answer as a language model writes it; the stored message replaces it.
    let answer_draft = move || {
        live.state.with(|s| {
            s.threads
                .get(&conv)
                .map(|t| t.draft.text().to_string())
                .unwrap_or_default()
        })
    };
    let conv = conversation.clone();
    let typing = move || {
        let who = live.typing(&conv);
        match who.as_slice() {
            [] => String::new(),
            [one] => words.or_with("typing-one", "{name} is typing…", &[("name", one)]),
            many => words.or_with(
                "typing-many",
                "{names} are typing…",
                &[("names", &many.join(", "))],
            ),
        }
    };
    let conv = conversation.clone();
    let ended = move || {
        live.state.with(|s| {
            s.threads.get(&conv).is_some_and(|t| {
                t.events
                    .iter()
                    .any(|e| matches!(e.event.kind, EventKind::Ended { .. }))
                    || matches!(
                        t.status,
                        Some(domain::ConversationStatus::Work(
                            WorkStatus::WrappingUp | WorkStatus::Closed
                        ))
                    )
            })
        })
    };
    let conv = conversation.clone();
    // A memo (Copy), so the ended notice's fallback view can read it each time it is drawn.
    let closed = Memo::new(move |_| {
        live.state.with(|s| {
            s.threads.get(&conv).is_some_and(|t| {
                t.status == Some(domain::ConversationStatus::Work(WorkStatus::Closed))
            })
        })
    });
    let conv = conversation.clone();
    let notice = move || {
        live.state
            .with(|s| s.threads.get(&conv).and_then(|t| t.notice.clone()))
    };
    // Tell the server how far this tab has shown the conversation (unread counts).
    let conv = conversation.clone();
    Effect::new(move |last: Option<i64>| {
        let seq = live
            .state
            .with(|s| s.threads.get(&conv).map_or(0, |t| t.last_seq));
        if seq > last.unwrap_or(0) && live.state.with_untracked(|s| s.is_online()) {
            live.ack(&conv, seq);
        }
        seq
    });

    // The textarea itself holds the text: at send time it is read from the element, so a
    // keystroke whose input event has not been handled yet cannot make the check see stale
    // text, and it is cleared only once the message is in the outbox.
    let composer = NodeRef::<leptos::html::Textarea>::new();
    let first_draft = live.draft(&conversation);
    let conv_send = conversation.clone();
    let send = Callback::new(move |()| {
        let Some(input) = composer.get_untracked() else {
            return;
        };
        if live.send_message(&conv_send, &input.value()) {
            input.set_value("");
        }
    });
    let conv_input = conversation.clone();
    let conv_retry = conversation.clone();
    // Files chosen, dropped on the thread or pasted into the composer.
    let uploads = Uploads::new();
    let conv_files = conversation.clone();
    let conv_drop = conversation.clone();
    let dropped = move |ev: leptos::ev::DragEvent| files_dropped(&uploads, &conv_drop, &ev);
    let conv_paste = conversation.clone();
    let pasted = move |ev: leptos::ev::ClipboardEvent| files_pasted(&uploads, &conv_paste, &ev);
    let me_name = move || {
        live.state.with(|s| match &s.me {
            Some(domain::protocol::Principal::Agent { name, .. }) => name.clone(),
            _ => "Agent".into(),
        })
    };

    view! {
        <section class="thread" aria-label="Conversation"
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=dropped>
            <ol class="transcript" aria-live="polite" data-testid="transcript">
                <For
                    each=events
                    key=|shown| shown.event.seq
                    children=move |shown| {
                        let file = match &shown.event.kind {
                            EventKind::Message { attachment: Some(file), .. } => Some(file.clone()),
                            _ => None,
                        };
                        match line(&shown, for_team, fallback.as_deref(), words) {
                            Some((class, who, text)) => view! {
                                <li class=class data-seq=shown.event.seq>
                                    <span class="msg-who">{who}</span>
                                    <span class="msg-body">{match file {
                                        Some(file) => attachment_body(&file),
                                        None => linked_text(&text).into_any(),
                                    }}</span>
                                </li>
                            }.into_any(),
                            None => ().into_any(),
                        }
                    }
                />
                // Keyed by what is shown about the message, so a change of state redraws it.
                <For
                    each=pending
                    key=|p| (p.client_id.clone(), p.stored_as(), p.not_sent().map(str::to_string))
                    children=move |p| {
                        let conv_retry = conv_retry.clone();
                        outbox_line(p, for_team, words, me_name, move |id| live.retry(&conv_retry, &id))
                    }
                />
                {move || {
                    let text = answer_draft();
                    (!text.is_empty()).then(|| view! {
                        <li class="msg msg-ai msg-draft" aria-busy="true" data-testid="ai-draft">
                            <span class="msg-who">"AI agent"</span>
                            <span class="msg-body">{text}</span>
                        </li>
                    })
                }}
            </ol>
            <p class="typing text-sm text-muted" aria-live="polite" data-testid="typing-indicator">{typing}</p>
            <p class="text-sm text-danger" role="alert">{notice}</p>
            <Show
                when=move || !ended()
                fallback=move || view! {
                    <p class="notice notice-ended" data-testid="ended-notice">
                        {move || if for_team && closed.get() {
                            "The chat with the customer has ended and the work item is Closed.".to_string()
                        } else if for_team {
                            "The chat with the customer has ended. The work item is Wrapping up: add notes, then resolve it.".to_string()
                        } else {
                            words.get("over")
                        }}
                    </p>
                }
            >
                <UploadStatus uploads/>
                {aid.map(|aid| aid.view.run(composer))}
                <form class="composer" on:submit=move |ev| { ev.prevent_default(); send.run(()); }>
                    <label class="sr-only" for="composer-input">{words.or("message", "Message")}</label>
                    <textarea
                        id="composer-input"
                        class="input"
                        rows="2"
                        placeholder=words.or("message-placeholder", "Write a message…")
                        aria-label=words.or("message", "Message")
                        node_ref=composer
                        prop:value=first_draft.clone()
                        on:paste=pasted.clone()
                        on:input={
                            let conv_input = conv_input.clone();
                            move |ev| {
                                let text = event_target_value(&ev);
                                if let Some(aid) = aid {
                                    aid.input.run(text.clone());
                                }
                                live.composing(&conv_input, &text)
                            }
                        }
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if aid.is_some_and(|aid| aid.key.run(ev.clone())) {
                                return;
                            }
                            // Enter that confirms an input method's composition is not a send.
                            if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                                ev.prevent_default();
                                send.run(());
                            }
                        }
                    ></textarea>
                    <FileSender conversation=conv_files.clone() uploads/>
                    <button type="submit" class="btn btn-primary">{words.or("send", "Send")}</button>
                </form>
            </Show>
        </section>
    }
}
