//! Files in the thread: a picture shows as a thumbnail, any other file as a link to download
//! it; and the composer's **Attach a file** button, with drag-and-drop and paste, which uploads
//! with a progress bar per file (`POST /attachments/{conversation}`, see the server's
//! `http::attachments`).
//!
//! On Baton's own pages the browser's cookie fetches files. The widget, in a frame on another
//! site, has no cookie: it fetches each file with its session header and shows it from a
//! `blob:` address.

use domain::ConversationId;
use domain::attachments::{Attachment, format_size};
use leptos::prelude::*;

use crate::i18n::Words;

/// A file on its way up.
#[derive(Clone, Debug, PartialEq)]
pub struct Sending {
    pub id: u32,
    pub name: String,
    pub percent: u32,
}

/// The uploads of one thread: those in progress and the last refusal.
#[derive(Clone, Copy)]
pub struct Uploads {
    pub sending: RwSignal<Vec<Sending>>,
    pub problem: RwSignal<String>,
    /// The next upload's number (read by the browser's uploader only).
    #[cfg_attr(not(feature = "browser"), allow(dead_code))]
    next: StoredValue<u32>,
}

impl Uploads {
    pub fn new() -> Uploads {
        Uploads {
            sending: RwSignal::new(Vec::new()),
            problem: RwSignal::new(String::new()),
            next: StoredValue::new(0),
        }
    }
}

impl Default for Uploads {
    fn default() -> Self {
        Self::new()
    }
}

/// The file in a message: a thumbnail that opens the picture, or a download link.
pub fn attachment_body(file: &Attachment) -> AnyView {
    let words = Words::here();
    let label = words.or_with("download-file", "Download {file}", &[("file", &file.name)]);
    let size = format_size(file.size);
    let href = file_address(file);
    if file.is_image() {
        let alt = file.name.clone();
        return view! {
            <a class="attachment" href=move || href.get() target="_blank" rel="noopener" aria-label=label>
                <img class="attachment-thumb" src=move || href.get() alt=alt loading="lazy"/>
            </a>
        }
        .into_any();
    }
    let name = file.name.clone();
    let download = file.name.clone();
    #[cfg(feature = "browser")]
    let file_for_click = file.clone();
    view! {
        <a class="attachment attachment-file link" href=move || href.get() download=download aria-label=label
            on:click=move |_ev| {
                #[cfg(feature = "browser")]
                browser::download_in_widget(&_ev, &file_for_click);
            }>
            {name}
        </a>
        <span class="text-sm text-muted">{format!(" · {size}")}</span>
    }
    .into_any()
}

/// Where the page finds the file: its own address on Baton's pages; in the widget, a `blob:`
/// address once a picture has been fetched with the session header (files other than pictures
/// are fetched when clicked).
fn file_address(file: &Attachment) -> Signal<String> {
    let address = RwSignal::new(file.url());
    #[cfg(feature = "browser")]
    if crate::widget_session::in_widget_mode() {
        address.set(String::new());
        if file.is_image() {
            browser::fetch_blob(file.url(), move |url| address.set(url));
        }
    }
    address.into()
}

/// **Attach a file**: a button that opens the (hidden, unstylable) file input.
#[component]
pub fn FileSender(conversation: ConversationId, uploads: Uploads) -> impl IntoView {
    let words = Words::here();
    let input = NodeRef::<leptos::html::Input>::new();
    let label = words.or("attach-file", "Attach a file");
    #[cfg(feature = "browser")]
    let chosen = move |_| {
        if let Some(input) = input.get_untracked() {
            browser::send_list(&uploads, &conversation, input.files());
            input.set_value("");
        }
    };
    #[cfg(not(feature = "browser"))]
    let chosen = {
        let _ = (&conversation, uploads);
        |_| {}
    };
    // The paper clip is drawn by the stylesheet (`.attach-button`): an inline SVG's many
    // attributes cost the widget's download more than the button's whole behaviour.
    view! {
        <input type="file" multiple hidden node_ref=input on:change=chosen/>
        <button type="button" class="btn attach-button" aria-label=label
            on:click=move |_| {
                if let Some(input) = input.get_untracked() {
                    input.click();
                }
            }>
        </button>
    }
}

/// Each upload's progress bar and the last refusal, shown above the composer so they stay in
/// view in the widget's small frame.
#[component]
pub fn UploadStatus(uploads: Uploads) -> impl IntoView {
    let words = Words::here();
    view! {
        // Redrawn whole at each step: a handful of bars at most, and no keyed list's code.
        <div class="uploads" aria-live="polite">
            {move || uploads.sending.get().into_iter().map(|s| {
                let name = words.or_with("uploading", "Uploading {file}", &[("file", &s.name)]);
                view! {
                    <p class="upload text-sm">
                        <span>{name.clone()}</span>
                        <progress max="100" value=s.percent aria-label=name></progress>
                    </p>
                }
            }).collect_view()}
        </div>
        <p class="text-sm text-danger" role="alert" data-testid="upload-problem">{move || uploads.problem.get()}</p>
    }
}

/// Files dropped on the thread are sent (anything else dropped is ignored).
pub fn files_dropped(uploads: &Uploads, conversation: &ConversationId, ev: &leptos::ev::DragEvent) {
    ev.prevent_default();
    #[cfg(feature = "browser")]
    browser::send_transfer(uploads, conversation, ev.data_transfer());
    #[cfg(not(feature = "browser"))]
    let _ = (uploads, conversation);
}

/// A picture or file pasted into the composer is sent; pasted text is left to the composer.
pub fn files_pasted(
    uploads: &Uploads,
    conversation: &ConversationId,
    ev: &leptos::ev::ClipboardEvent,
) {
    #[cfg(feature = "browser")]
    if browser::send_transfer(uploads, conversation, ev.clipboard_data()) {
        ev.prevent_default();
    }
    #[cfg(not(feature = "browser"))]
    let _ = (uploads, conversation, ev);
}

#[cfg(feature = "browser")]
mod browser {
    use domain::ConversationId;
    use domain::attachments::Attachment;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    use web_sys::{Blob, FileList, ProgressEvent, XmlHttpRequest, XmlHttpRequestResponseType};

    use super::{Sending, Uploads};

    /// The widget's session header, when the page is the widget.
    fn with_session(xhr: &XmlHttpRequest) {
        if crate::widget_session::in_widget_mode() {
            let token = crate::widget_session::token().unwrap_or_default();
            let _ = xhr.set_request_header(crate::widget_session::HEADER, &token);
        }
    }

    /// Files dropped or pasted: the transfer's files, when it has any (text is left alone).
    pub fn send_transfer(
        uploads: &Uploads,
        conversation: &ConversationId,
        transfer: Option<web_sys::DataTransfer>,
    ) -> bool {
        let files = transfer.and_then(|t| t.files());
        if files.as_ref().is_none_or(|f| f.length() == 0) {
            return false;
        }
        send_list(uploads, conversation, files);
        true
    }

    pub fn send_list(uploads: &Uploads, conversation: &ConversationId, files: Option<FileList>) {
        let Some(files) = files else { return };
        uploads.problem.set(String::new());
        for i in 0..files.length() {
            if let Some(file) = files.get(i) {
                send(uploads, conversation, file);
            }
        }
    }

    fn send(uploads: &Uploads, conversation: &ConversationId, file: web_sys::File) {
        let id = uploads.next.get_value();
        uploads.next.set_value(id + 1);
        let name = file.name();
        let url = format!(
            "/attachments/{}?name={}&client_id=file-{}-{id}",
            js_sys::encode_uri_component(conversation.as_str()),
            js_sys::encode_uri_component(&name),
            js_sys::Date::now() as u64,
        );
        let Ok(xhr) = XmlHttpRequest::new() else {
            return;
        };
        if xhr.open_with_async("POST", &url, true).is_err() {
            return;
        }
        with_session(&xhr);
        uploads.sending.update(|s| {
            s.push(Sending {
                id,
                name,
                percent: 0,
            })
        });
        let sending = uploads.sending;
        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                let percent = (ev.loaded() / ev.total() * 100.0).round() as u32;
                sending.update(|s| {
                    if let Some(item) = s.iter_mut().find(|item| item.id == id) {
                        item.percent = percent.min(100);
                    }
                });
            }
        });
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        let problem = uploads.problem;
        let done_xhr = xhr.clone();
        let done = Closure::once_into_js(move || {
            // The progress handler lives until the upload is over.
            drop(progress);
            sending.update(|s| s.retain(|item| item.id != id));
            let status = done_xhr.status().unwrap_or(0);
            if !(200..300).contains(&status) {
                let text = done_xhr.response_text().ok().flatten().unwrap_or_default();
                problem.set(if status == 0 || text.is_empty() {
                    "The file could not be sent: the connection failed. Try again.".into()
                } else {
                    text
                });
            }
        });
        xhr.set_onloadend(Some(done.unchecked_ref()));
        let blob: &Blob = file.as_ref();
        if xhr.send_with_opt_blob(Some(blob)).is_err() {
            uploads
                .problem
                .set("The file could not be sent. Try again.".into());
        }
    }

    /// Fetches `url` with the widget's session and hands over a `blob:` address for it.
    pub fn fetch_blob(url: String, then: impl FnOnce(String) + 'static) {
        let Ok(xhr) = XmlHttpRequest::new() else {
            return;
        };
        if xhr.open_with_async("GET", &url, true).is_err() {
            return;
        }
        with_session(&xhr);
        xhr.set_response_type(XmlHttpRequestResponseType::Blob);
        let loaded = xhr.clone();
        let done = Closure::once_into_js(move || {
            if loaded.status().is_ok_and(|s| s == 200)
                && let Ok(blob) = loaded.response().and_then(|r| r.dyn_into::<Blob>())
                && let Ok(address) = web_sys::Url::create_object_url_with_blob(&blob)
            {
                then(address);
            }
        });
        xhr.set_onloadend(Some(done.unchecked_ref()));
        let _ = xhr.send();
    }

    /// In the widget a file link has no address of its own (the frame has no cookie): the
    /// click fetches the file with the session and saves it.
    pub fn download_in_widget(ev: &leptos::ev::MouseEvent, file: &Attachment) {
        if !crate::widget_session::in_widget_mode() {
            return;
        }
        ev.prevent_default();
        let name = file.name.clone();
        fetch_blob(file.url(), move |address| {
            let document = leptos::prelude::document();
            if let Ok(link) = document.create_element("a")
                && let Ok(link) = link.dyn_into::<web_sys::HtmlAnchorElement>()
            {
                link.set_href(&address);
                link.set_download(&name);
                link.click();
            }
        });
    }
}
