//! Who may assign a space's work, its audit trail, and where experiences may route (item 8).

use app::pages::admin::actions::{ChangeExperienceAdmin, SaveExperience};

use super::*;
use crate::client::demo_experience_form;

async fn assignee_of(app: &TestApp, work_item: &str) -> Option<String> {
    let (assignee,): (Option<String>,) =
        sqlx::query_as("SELECT assignee_id FROM work_items WHERE id = $1")
            .bind(work_item)
            .fetch_one(&app.server_db().pool)
            .await
            .unwrap();
    assignee
}

async fn audit_rows(app: &TestApp) -> Vec<(Option<String>, String, String, String, String)> {
    sqlx::query_as(
        "SELECT actor_id, subject, field, old_value, new_value FROM audit_log ORDER BY at, id",
    )
    .fetch_all(&app.server_db().pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_agent_outside_the_space_cannot_unassign_its_work_and_nothing_changes() {
    let app = spawn_app().await;
    let site = site(&app).await;
    task(&app, &site.space, "w-task", Some(&site.ada), 1).await;
    let bea = session(&app, &site.bea).await;

    for to_me in [false, true] {
        let (status, body) = assign(&app, &bea, "w-task", to_me).await;
        assert_eq!(status, 403, "to_me={to_me}: {body}");
    }

    assert_eq!(assignee_of(&app, "w-task").await, Some(site.ada.id.clone()));
    assert!(audit_rows(&app).await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_member_assigning_and_unassigning_work_leaves_an_audit_entry_each_time() {
    let app = spawn_app().await;
    let site = site(&app).await;
    task(&app, &site.space, "w-task", Some(&site.ada), 1).await;
    let grace = session(&app, &site.grace).await;

    let (status, body) = assign(&app, &grace, "w-task", true).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = assign(&app, &grace, "w-task", false).await;
    assert_eq!(status, 200, "{body}");

    assert_eq!(assignee_of(&app, "w-task").await, None);
    let grace_id = Some(site.grace.id.clone());
    let entry = |old: &str, new: &str| {
        (
            grace_id.clone(),
            "Task Refund w-task".to_string(),
            "Assignee".to_string(),
            old.to_string(),
            new.to_string(),
        )
    };
    assert_eq!(
        audit_rows(&app).await,
        vec![
            entry("Ada Lovelace", "Grace Hopper"),
            entry("Grace Hopper", "")
        ]
    );
    app.stop().await;
}

fn help_form(experience: &str, space: &str) -> SaveExperience {
    demo_experience_form(experience, space, "support_team")
}

// SPEC R-SPACE-4, R-ROUTE-1
#[tokio::test]
async fn an_experience_admin_cannot_route_live_chat_into_a_space_they_do_not_administer() {
    let app = spawn_app().await;
    let site = site(&app).await;
    let experience = app.demo_experience().await;
    let (grace, admin) = (
        session(&app, &site.grace).await,
        session(&app, &site.admin).await,
    );
    // The site admin makes Grace an admin of the experience (not of Billing).
    let (status, body) = app
        .call_as(
            &admin,
            ChangeExperienceAdmin {
                experience: experience.clone(),
                email: site.grace.email.clone(),
                user: String::new(),
                add: true,
            },
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let routed = || {
        one(
            &app,
            "SELECT space_id FROM experiences WHERE name = 'Baton Help'",
        )
    };

    let (status, body) = app
        .call_as(&grace, help_form(&experience, &site.billing))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("only into a space you administer"), "{body}");
    assert_eq!(routed().await, site.space);

    // Keeping the space a site admin chose is fine, and a site admin routes anywhere.
    let (status, body) = app
        .call_as(&grace, help_form(&experience, &site.space))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_as(&admin, help_form(&experience, &site.billing))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(routed().await, site.billing);
    app.stop().await;
}
