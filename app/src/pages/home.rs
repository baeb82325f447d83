//! The start page: what Baton is, where to go, and a status check that proves the browser can
//! reach the server and the server its database.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// What the status check reports. Anyone may ask whether Baton and its database answer; the
/// figures (which database, how many spaces, team members and conversations) are for signed-in
/// staff only, since they tell an outsider how big the team is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusReport {
    /// True when the server just read from its database.
    pub database_answers: bool,
    /// `None` for everyone but signed-in staff.
    pub details: Option<StaffStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffStatus {
    pub database: String,
    pub site_name: Option<String>,
    pub spaces: i64,
    pub staff: i64,
    pub conversations: i64,
}

#[server(prefix = "/api", endpoint = "service-status")]
pub async fn check_service_status() -> Result<StatusReport, AppError> {
    let state = crate::state::AppState::from_context()?;
    let signed_in_staff = matches!(
        crate::auth::session::signed_in().await?,
        Some(backend::sessions::SignedIn::Staff(_))
    );
    if !signed_in_staff {
        // Reading the site row proves the database answers, and reveals nothing.
        backend::store::site::site_exists(&state.db).await?;
        return Ok(StatusReport {
            database_answers: true,
            details: None,
        });
    }
    let overview = backend::store::site::overview(&state.db).await?;
    Ok(StatusReport {
        database_answers: true,
        details: Some(StaffStatus {
            database: state.db.backend.label().to_string(),
            site_name: overview.site_name,
            spaces: overview.spaces,
            staff: overview.staff,
            conversations: overview.conversations,
        }),
    })
}

fn describe(status: &StatusReport) -> String {
    let Some(status) = &status.details else {
        return "Baton is running and its database answers.".to_string();
    };
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} is ready: {} · {} · {}",
        status.database,
        plural(status.spaces, "space", "spaces"),
        plural(status.staff, "team member", "team members"),
        plural(status.conversations, "conversation", "conversations"),
    )
}

#[component]
pub fn HomePage() -> impl IntoView {
    let check = Action::new(|_: &()| check_service_status());
    let pending = check.pending();

    view! {
        <main class="mx-auto max-w-3xl px-6 py-12">
            <header class="flex items-center gap-3">
                <span class="brand-mark" aria-hidden="true">"B"</span>
                <h1 class="text-3xl font-semibold tracking-tight">"Baton"</h1>
            </header>
            <p class="mt-3 text-lg text-muted">
                "Live customer chat with exact routing: the AI agent first, a human agent when it counts, one thread throughout."
            </p>

            <section class="mt-10 card" aria-labelledby="status-heading">
                <h2 id="status-heading" class="text-lg font-semibold">"Service status"</h2>
                <div class="mt-3 flex flex-wrap items-center gap-3">
                    <button
                        class="btn btn-primary"
                        on:click=move |_| { check.dispatch(()); }
                        disabled=move || pending.get()
                    >
                        "Check service status"
                    </button>
                    <p role="status" aria-live="polite" class="text-sm" data-testid="service-status">
                        {move || match check.value().get() {
                            None if pending.get() => "Checking…".to_string(),
                            None => String::new(),
                            Some(Ok(status)) => describe(&status),
                            Some(Err(error)) => error.to_string(),
                        }}
                    </p>
                </div>
            </section>
        </main>
    }
}
