//! The built-in support website (SPEC R-CUST-1): an index of the customer experiences that show
//! it, and for each a page with its help content and the chat.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::AppError;
use crate::auth::who_am_i;
use crate::components::chat::linked_text;
use crate::components::customer_chat::{CustomerChat, Viewer};
use crate::pages::widget::actions::load_widget_info;

/// A support website in the index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportSite {
    pub name: String,
    pub key: String,
}

#[server(prefix = "/api", endpoint = "support/sites")]
pub async fn support_sites() -> Result<Vec<SupportSite>, AppError> {
    let state = crate::state::AppState::from_context()?;
    Ok(backend::store::experiences::with_website(&state.db)
        .await?
        .into_iter()
        .map(|e| SupportSite {
            name: e.name,
            key: e.widget_key,
        })
        .collect())
}

#[component]
pub fn SupportIndexPage() -> impl IntoView {
    let sites = Resource::new(|| (), |_| support_sites());
    view! {
        <main class="mx-auto max-w-2xl px-4 py-8">
            <header class="flex items-center gap-3">
                <span class="brand-mark" aria-hidden="true">"B"</span>
                <h1 class="text-2xl font-semibold">"Support"</h1>
            </header>
            <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                {move || sites.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="mt-6">"No support website is set up yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="grid gap-2 mt-6" aria-label="Support websites">
                            {list.into_iter().map(|s| view! {
                                <li class="card"><a class="link font-semibold" href=format!("/support/{}", s.key)>{s.name}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p role="alert" class="mt-6">{e.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

/// A published help article: (id, title, body).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleText {
    pub id: String,
    pub title: String,
    pub body: String,
}

/// The experience's published help articles (the AI agent's knowledge base), titles only.
#[server(prefix = "/api", endpoint = "support/articles")]
pub async fn help_articles(key: String) -> Result<Vec<ArticleText>, AppError> {
    let state = crate::state::AppState::from_context()?;
    let experience = backend::store::experiences::by_key(&state.db, &key).await?;
    let mut list: Vec<ArticleText> =
        backend::ai::knowledge::published_articles(&state.db, &experience.id)
            .await?
            .into_iter()
            .map(|a| ArticleText {
                id: a.id,
                title: a.title,
                body: String::new(),
            })
            .collect();
    list.sort_by(|a, b| a.title.cmp(&b.title));
    Ok(list)
}

#[server(prefix = "/api", endpoint = "support/article")]
pub async fn load_help_article(key: String, id: String) -> Result<ArticleText, AppError> {
    let state = crate::state::AppState::from_context()?;
    let (title, body) = backend::ai::knowledge::public_article(&state.db, &key, &id).await?;
    Ok(ArticleText { id, title, body })
}

/// `/support/{key}/articles/{id}`: one help article, where the AI agent's answers link to.
#[component]
pub fn HelpArticlePage() -> impl IntoView {
    let params = use_params_map();
    let ids = move || {
        params.with(|p| {
            (
                p.get("key").unwrap_or_default(),
                p.get("id").unwrap_or_default(),
            )
        })
    };
    let article = Resource::new(ids, |(key, id)| load_help_article(key, id));
    view! {
        <main class="mx-auto max-w-2xl px-4 py-8">
            <p><a class="link" href=move || format!("/support/{}", ids().0)>"Back to help and chat"</a></p>
            <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                {move || article.get().map(|r| match r {
                    Ok(a) => view! {
                        <article class="help-content mt-4">
                            <h1 class="text-2xl font-semibold">{a.title.clone()}</h1>
                            {a.body.split("\n\n").map(|p| view! { <p class="mt-3">{linked_text(p)}</p> }).collect_view()}
                        </article>
                    }.into_any(),
                    Err(AppError::NotFound) => view! { <p class="mt-6">"This article is not published."</p> }.into_any(),
                    Err(e) => view! { <p role="alert" class="mt-6">{e.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub fn SupportSitePage() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.with(|p| p.get("key").unwrap_or_default());
    let info = Resource::new(key, load_widget_info);
    let articles = Resource::new(key, help_articles);
    let me = Resource::new(|| (), |_| who_am_i());
    view! {
        <main class="mx-auto max-w-2xl px-4 py-8">
            <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                {move || info.get().map(|r| match r {
                    Ok(info) => view! {
                        <header class="flex items-center gap-3">
                            <span class="brand-mark" aria-hidden="true">"B"</span>
                            <h1 class="text-2xl font-semibold">{info.name.clone()}</h1>
                        </header>
                        <section class="help-content mt-4" aria-label="Help">
                            {info.help_text.split("\n\n").map(|p| view! { <p class="mt-2">{linked_text(p)}</p> }).collect_view()}
                        </section>
                        {move || articles.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|list| view! {
                            <nav class="mt-4" aria-label="Help articles">
                                <h2 class="font-semibold">"Help articles"</h2>
                                <ul class="grid gap-1 mt-1">
                                    {list.into_iter().map(|a| view! {
                                        <li><a class="link" href=format!("/support/{}/articles/{}", key(), a.id)>{a.title}</a></li>
                                    }).collect_view()}
                                </ul>
                            </nav>
                        })}
                        <section class="mt-6 grid gap-3" aria-label="Live chat">
                            <CustomerChat info me=Viewer::from_resource(me)/>
                        </section>
                    }.into_any(),
                    Err(AppError::NotFound) => view! { <p class="mt-6">"There is no support website here."</p> }.into_any(),
                    Err(e) => view! { <p role="alert" class="mt-6">{e.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}
