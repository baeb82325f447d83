//! Saved replies in the agent's composer: typing `/` and part of a shortcut opens a list of the
//! space's replies; arrows move, Enter or Tab (or a click) puts the reply, filled in with the
//! customer's and the agent's name, in the composer to edit and send; Escape closes the list.

use domain::ConversationId;
use domain::saved_replies::{SavedReply, matching, shortcut_query};
use leptos::html::Textarea;
use leptos::prelude::*;

use super::actions::saved_replies_for;
use crate::components::chat::ComposerAid;
use crate::live::Live;

/// The composer aid for one conversation's panel.
pub fn saved_reply_aid(live: Live, conversation: ConversationId) -> ComposerAid {
    let id = conversation.to_string();
    let replies = Resource::new(|| (), move |_| saved_replies_for(id.clone()));
    // What follows the `/`, while the composer holds only that; `None` when the list is shut.
    let query = RwSignal::new(None::<String>);
    let highlight = RwSignal::new(0usize);
    let textarea = StoredValue::new(None::<NodeRef<Textarea>>);
    let conversation = StoredValue::new(conversation);

    let matches = move || -> Vec<SavedReply> {
        let Some(q) = query.get() else {
            return Vec::new();
        };
        let all = replies.get().and_then(Result::ok).unwrap_or_default();
        matching(&all, &q).into_iter().cloned().collect()
    };
    let choose = move |reply: SavedReply| {
        if let Some(input) = textarea.get_value().and_then(|n| n.get_untracked()) {
            input.set_value(&reply.body);
            let _ = input.focus();
        }
        conversation.with_value(|c| live.composing(c, &reply.body));
        query.set(None);
    };

    let input = Callback::new(move |text: String| {
        let next = shortcut_query(&text).map(str::to_string);
        if next != query.get_untracked() {
            highlight.set(0);
        }
        query.set(next);
    });
    let key = Callback::new(move |ev: leptos::ev::KeyboardEvent| {
        if query.get_untracked().is_none() {
            return false;
        }
        let found = matches();
        match ev.key().as_str() {
            "Escape" => {
                query.set(None);
            }
            "ArrowDown" if !found.is_empty() => {
                highlight.update(|h| *h = (*h + 1) % found.len());
            }
            "ArrowUp" if !found.is_empty() => {
                highlight.update(|h| *h = (*h + found.len() - 1) % found.len());
            }
            "Enter" | "Tab" if !found.is_empty() && !ev.shift_key() && !ev.is_composing() => {
                let at = highlight.get_untracked().min(found.len() - 1);
                choose(found[at].clone());
            }
            _ => return false,
        }
        ev.prevent_default();
        true
    });
    let view = Callback::new(move |node: NodeRef<Textarea>| {
        textarea.set_value(Some(node));
        view! {
            <Show when=move || query.with(Option::is_some)>
                <div class="saved-replies" data-testid="saved-replies">
                    {move || {
                        let found = matches();
                        if found.is_empty() {
                            let text = if replies.get().and_then(Result::ok).is_some_and(|r| r.is_empty()) {
                                "This space has no saved replies yet; space admins add them in the space's settings.".to_string()
                            } else {
                                format!("No saved reply matches /{}.", query.get().unwrap_or_default())
                            };
                            return view! { <p class="text-sm text-muted" role="status">{text}</p> }.into_any();
                        }
                        let count = found.len();
                        view! {
                            <ul role="listbox" aria-label="Saved replies" class="saved-reply-list">
                                {found.into_iter().enumerate().map(|(i, reply)| {
                                    let shortcut = format!("/{}", reply.shortcut);
                                    let body = reply.body.clone();
                                    view! {
                                        <li role="option"
                                            aria-selected=move || (highlight.get() == i).to_string()
                                            class="saved-reply"
                                            // Keep the composer's focus when the list is clicked.
                                            on:mousedown=|ev| ev.prevent_default()
                                            on:click=move |_| choose(reply.clone())>
                                            <strong>{shortcut}</strong>
                                            <span class="saved-reply-body">{body}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <p class="text-xs text-muted" aria-live="polite">
                                {format!("{count} saved {} · ↑ ↓ to choose, Enter to insert, Escape to close",
                                    if count == 1 { "reply" } else { "replies" })}
                            </p>
                        }.into_any()
                    }}
                </div>
            </Show>
        }
        .into_any()
    });
    ComposerAid { view, key, input }
}
