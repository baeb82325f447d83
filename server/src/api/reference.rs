//! `/api/v1/docs`: a plain reference page drawn on the server from the OpenAPI document (no
//! script, nothing fetched from elsewhere), so it is always the document's own content.

use axum::response::Html;
use html_escape::encode_text as text;
use utoipa::openapi::path::{Operation, PathItem};

pub async fn page() -> Html<String> {
    let doc = super::document();
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Baton API reference</title><link rel=\"stylesheet\" href=\"/baton.css\"></head>\
         <body><main class=\"max-w-3xl mx-auto p-4 grid gap-4\">",
    );
    html.push_str(&format!(
        "<h1 class=\"text-2xl font-semibold\">{} {}</h1>",
        text(&doc.info.title),
        text(&doc.info.version)
    ));
    if let Some(description) = &doc.info.description {
        html.push_str(&format!("<p>{}</p>", text(description)));
    }
    html.push_str(
        "<p>The machine-readable document: <a class=\"link\" href=\"/api/v1/openapi.json\">\
         /api/v1/openapi.json</a> (OpenAPI 3.1).</p>",
    );
    for (path, item) in &doc.paths.paths {
        for (method, operation) in operations(item) {
            html.push_str(&section(method, path, operation));
        }
    }
    html.push_str("</main></body></html>");
    Html(html)
}

fn operations(item: &PathItem) -> Vec<(&'static str, &Operation)> {
    [
        ("GET", item.get.as_ref()),
        ("PUT", item.put.as_ref()),
        ("POST", item.post.as_ref()),
        ("DELETE", item.delete.as_ref()),
        ("PATCH", item.patch.as_ref()),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.map(|op| (method, op)))
    .collect()
}

fn section(method: &str, path: &str, operation: &Operation) -> String {
    let mut out = format!(
        "<section class=\"card grid gap-2\"><h2 class=\"font-semibold\"><code>{method} {}</code></h2>",
        text(path)
    );
    if let Some(summary) = &operation.summary {
        out.push_str(&format!("<p><strong>{}</strong></p>", text(summary)));
    }
    if let Some(description) = &operation.description {
        out.push_str(&format!("<p>{}</p>", text(description)));
    }
    if let Some(parameters) = &operation.parameters
        && !parameters.is_empty()
    {
        out.push_str("<p>Parameters:</p><ul>");
        for parameter in parameters {
            out.push_str(&format!(
                "<li><code>{}</code> {}</li>",
                text(&parameter.name),
                text(parameter.description.as_deref().unwrap_or(""))
            ));
        }
        out.push_str("</ul>");
    }
    out.push_str("<p>Answers:</p><ul>");
    for (status, response) in &operation.responses.responses {
        let description = match response {
            utoipa::openapi::RefOr::T(r) => r.description.clone(),
            utoipa::openapi::RefOr::Ref(r) => r.ref_location.clone(),
        };
        out.push_str(&format!(
            "<li><code>{}</code> {}</li>",
            text(status),
            text(&description)
        ));
    }
    out.push_str("</ul></section>");
    out
}
