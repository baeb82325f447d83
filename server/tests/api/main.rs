//! HTTP-level tests against a real server on a loopback port with a fresh SQLite database.

mod ai;
mod attachments_http;
mod authz;
mod client;
mod foundation;
mod hardening_http;
mod hardening_queue;
mod hardening_sign_in;
mod hardening_visibility;
mod helpers;
mod realtime;
mod rest_api;
mod scheduler;
mod settings;
mod sign_in;
mod trusted_proxies;
mod visibility;
mod widget_page;
mod widget_session;
mod ws_client;
mod ws_urls;
