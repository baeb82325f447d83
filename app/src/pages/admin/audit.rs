//! The audit log (site admins): who changed which setting, when, from what to what.

use leptos::prelude::*;

use super::AdminShell;
use super::actions::{audit_log, format_time};

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <AdminShell title="Audit log">
            {
                let entries = Resource::new(|| (), |_| audit_log());
                view! {
                    <Suspense fallback=|| ()>
                        {move || entries.get().map(|r| match r {
                            Ok(rows) if rows.is_empty() => view! { <p class="mt-4">"No changes yet."</p> }.into_any(),
                            Ok(rows) => view! {
                                <table class="table mt-4" aria-label="Audit log">
                                    <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Setting"</th><th>"Old"</th><th>"New"</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|e| view! {
                                            <tr>
                                                <td class="whitespace-nowrap">{format_time(e.at)}</td>
                                                <td>{e.actor}</td>
                                                <td>{e.subject}</td>
                                                <td>{e.field}</td>
                                                <td class="audit-value">{e.old_value}</td>
                                                <td class="audit-value">{e.new_value}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <p role="alert" class="mt-4">{e.to_string()}</p> }.into_any(),
                        })}
                    </Suspense>
                }
            }
        </AdminShell>
    }
}
