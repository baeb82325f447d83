//! API tokens (site admins): tokens for the REST API (`/api/v1`, reference at `/api/v1/docs`),
//! each acting for one team member with their access, read-only or read-and-write. The value
//! is shown once; tokens can be revoked and show when they were last used.

use domain::views::api_tokens::{ApiScope, ApiTokenView, CreatedToken};
use leptos::prelude::*;

use super::{AdminShell, reload_after};
use crate::AppError;
use crate::components::form::{Outcome, outcome_of};
use crate::components::time::format_time;

#[server(prefix = "/api", endpoint = "admin/api-tokens")]
pub async fn api_tokens() -> Result<(Vec<ApiTokenView>, Vec<(String, String)>), AppError> {
    let (state, actor) = super::actions::actor().await?;
    let tokens = backend::api_tokens::list(&state.db, &actor).await?;
    let staff = backend::api_tokens::staff(&state.db, &actor).await?;
    Ok((tokens, staff))
}

#[server(prefix = "/api", endpoint = "admin/api-tokens/create")]
pub async fn create_api_token(
    name: String,
    acts_for: String,
    scope: String,
) -> Result<CreatedToken, AppError> {
    let (state, actor) = super::actions::actor().await?;
    actor.require(domain::roles::Setting::Site)?;
    let scope = ApiScope::from_code(&scope)
        .ok_or_else(|| AppError::Invalid("Choose Read or Read and write.".into()).with_status())?;
    Ok(backend::api_tokens::create(&state.db, &actor, &name, &acts_for, scope).await?)
}

#[server(prefix = "/api", endpoint = "admin/api-tokens/revoke")]
pub async fn revoke_api_token(token: String) -> Result<(), AppError> {
    let (state, actor) = super::actions::actor().await?;
    Ok(backend::api_tokens::revoke(&state.db, &actor, &token).await?)
}

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    view! {
        <AdminShell title="API tokens">
            {
                let loaded = Resource::new(|| (), |_| api_tokens());
                let reload = Callback::new(move |_| loaded.refetch());
                // Made here, outside the list that reloads after it, so the new token's value
                // stays on screen.
                let create = Action::new(|(name, acts_for, scope): &(String, String, String)| {
                    create_api_token(name.clone(), acts_for.clone(), scope.clone())
                });
                reload_after(create, reload);
                view! {
                    <p class="text-sm text-muted mt-2 max-w-2xl">
                        "Other systems call Baton's REST API with a token: "
                        <code>"Authorization: Bearer baton_…"</code>
                        ". A token acts for one team member and sees only what they may see. "
                        <a class="link" href="/api/v1/docs">"API reference"</a>
                    </p>
                    <Suspense fallback=|| ()>
                        {move || loaded.get().map(|r| match r {
                            Ok((tokens, staff)) => view! {
                                <NewToken staff create/>
                                <TokenList tokens reload/>
                            }.into_any(),
                            Err(e) => view! { <p role="alert" class="mt-4">{e.to_string()}</p> }.into_any(),
                        })}
                    </Suspense>
                    <CreatedSecret create/>
                }
            }
        </AdminShell>
    }
}

type CreateToken = Action<(String, String, String), Result<CreatedToken, AppError>>;

#[component]
fn NewToken(staff: Vec<(String, String)>, create: CreateToken) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let acts_for = RwSignal::new(staff.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let scope = RwSignal::new(ApiScope::Read.code().to_string());
    view! {
        <form class="card grid gap-3 mt-4 max-w-2xl" aria-label="New API token" on:submit=move |ev| {
            ev.prevent_default();
            create.dispatch((name.get_untracked(), acts_for.get_untracked(), scope.get_untracked()));
        }>
            <h2 class="font-semibold">"New API token"</h2>
            <label class="grid gap-1">"Token name"
                <input class="input" type="text" placeholder="CRM sync" prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <label class="grid gap-1">"Acts for"
                <select class="input" on:change=move |ev| acts_for.set(event_target_value(&ev))>
                    {staff.into_iter().map(|(id, person)| {
                        let value = id.clone();
                        view! { <option value=value selected=move || acts_for.get() == id>{person}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="grid gap-1">"Access"
                <select class="input" on:change=move |ev| scope.set(event_target_value(&ev))>
                    {ApiScope::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || scope.get() == s.code()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <div><button class="btn btn-primary" type="submit" disabled=move || create.pending().get()>"Create token"</button></div>
        </form>
    }
}

/// The new token's value, this once (or why it was not made).
#[component]
fn CreatedSecret(create: CreateToken) -> impl IntoView {
    move || {
        create.value().get().map(|made| match made {
        Ok(CreatedToken { token, secret }) => view! {
            <div role="status" class="card mt-4 max-w-2xl" data-testid="api-token-secret">
                <p>{format!("Token “{}” created.", token.name)}</p>
                <p><code class="break-all">{secret}</code></p>
                <p class="text-sm text-muted">"Copy it now: only a fingerprint of it is stored, so it cannot be shown again."</p>
            </div>
        }.into_any(),
        Err(e) => view! { <p role="alert" class="text-sm text-danger mt-4">{e.to_string()}</p> }.into_any(),
    })
    }
}

#[component]
fn TokenList(tokens: Vec<ApiTokenView>, reload: Callback<()>) -> impl IntoView {
    let revoke = Action::new(|id: &String| revoke_api_token(id.clone()));
    reload_after(revoke, reload);
    if tokens.is_empty() {
        return view! { <p class="mt-4">"No API tokens yet."</p> }.into_any();
    }
    view! {
        <table class="table mt-4" aria-label="API tokens">
            <thead><tr><th>"Name"</th><th>"Acts for"</th><th>"Access"</th><th>"Created"</th><th>"Last used"</th><th>"State"</th><th></th></tr></thead>
            <tbody>
                {tokens.into_iter().map(|t| {
                    let id = t.id.clone();
                    let label = format!("Revoke {}", t.name);
                    let live = t.revoked_at.is_none();
                    view! {
                        <tr>
                            <td>{t.name}</td>
                            <td>{t.acts_for_name}</td>
                            <td>{t.scope.label()}</td>
                            <td class="whitespace-nowrap">{format_time(t.created_at)}</td>
                            <td class="whitespace-nowrap">{t.last_used_at.map(format_time).unwrap_or_else(|| "Never".into())}</td>
                            <td>{t.revoked_at.map(|at| format!("Revoked {}", format_time(at))).unwrap_or_else(|| "Active".into())}</td>
                            <td>{live.then(|| view! {
                                <button class="btn btn-danger" type="button" aria-label=label
                                    on:click=move |_| { revoke.dispatch(id.clone()); }>"Revoke"</button>
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <Outcome result=outcome_of(revoke) ok="Token revoked."/>
    }.into_any()
}
