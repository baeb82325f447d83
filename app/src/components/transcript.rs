//! **Download transcript**: asks the server for the conversation's transcript (the customer's
//! copy or the team's, each checked there) and saves it as a text file. The server sends it as
//! a `data:` URL, so the page only clicks a link; the link stays visible in case the browser
//! did not start the download by itself (a frame on another site may not be allowed to).

use std::future::Future;

use domain::transcript::TranscriptFile;
use leptos::prelude::*;

use crate::AppError;
use crate::i18n::Words;

#[component]
pub fn DownloadTranscript<F, Fut>(fetch: F) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<TranscriptFile, AppError>> + Send + 'static,
{
    let words = Words::here();
    let get = Action::new(move |_: &()| fetch());
    let file = move || get.value().get().and_then(Result::ok);
    let link = NodeRef::<leptos::html::A>::new();
    // Each fetched file is clicked once, when its link is on the page.
    let clicked = StoredValue::new(String::new());
    Effect::new(move |_| {
        if let (Some(file), Some(anchor)) = (file(), link.get())
            && clicked.get_value() != file.href
        {
            clicked.set_value(file.href);
            anchor.click();
        }
    });
    view! {
        <div class="flex items-center gap-2 flex-wrap">
            <button class="btn btn-small" type="button" disabled=move || get.pending().get()
                on:click=move |_| { get.dispatch(()); }>{words.or("download-transcript", "Download transcript")}</button>
            {move || file().map(|f| view! {
                <a class="link text-sm" node_ref=link href=f.href download=f.file_name.clone()>
                    {words.or_with("save-file", "Save {file}", &[("file", &f.file_name)])}
                </a>
            })}
            <span role="alert" class="text-sm text-danger">
                {move || get.value().get().and_then(Result::err).map(|e| e.to_string())}
            </span>
        </div>
    }
}
