//! Plain HTTP endpoints and middleware around the Leptos app.

pub mod attachments;
pub mod cross_site;
pub mod health;
pub mod metrics;
pub mod security_headers;
pub mod serve;
pub mod session_refresh;
pub mod stylesheet;
pub mod widget_frame;
pub mod widget_page;
pub mod widget_session;
