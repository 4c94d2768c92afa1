//! One-click unsubscribe (RFC 8058). The link in `List-Unsubscribe` works
//! without a session: a POST with `List-Unsubscribe=One-Click` unsubscribes;
//! a GET (which mail scanners also make) only shows a page with a button.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::extract::Path;
use crate::domain::token::verify_unsubscribe_token;
use crate::error::{ApiError, Result};
use crate::storage;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(confirm_page, unsubscribe))
}

/// Escapes text for HTML. The only dynamic text here is the organiser's name.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body style=\"font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5\">{body}</body></html>"
    );
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

async fn organiser_name(state: &AppState, token: &str) -> Result<(uuid::Uuid, String, String)> {
    let guest_id = verify_unsubscribe_token(&state.link_key, token).ok_or(ApiError::NotFound("unsubscribe link"))?;
    let guest = storage::guests::find_many(&state.db, &[guest_id])
        .await?
        .pop()
        .ok_or(ApiError::NotFound("unsubscribe link"))?;
    let event = storage::events::find_by_id(&*state.db, guest.event_id).await?;
    let organiser = storage::organisers::find_many(&*state.db, [event.organiser_id])
        .await?
        .pop()
        .ok_or(ApiError::NotFound("unsubscribe link"))?;
    Ok((organiser.id, organiser.name, guest.email.to_string()))
}

/// The confirmation page: changes nothing.
#[utoipa::path(get, path = "/unsubscribe/{token}", tag = "unsubscribe",
    params(("token" = String, Path, description = "The token from the email's unsubscribe link")),
    responses((status = 200, description = "A page with a button that unsubscribes", content_type = "text/html"),
              (status = 404, description = "No such link")))]
async fn confirm_page(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let (_, name, _) = organiser_name(&state, &token).await?;
    let name = escape(&name);
    let action = escape(&format!("/unsubscribe/{token}"));
    Ok(page(
        "Unsubscribe",
        &format!(
            "<h1>Stop emails from {name}? / Ne plus recevoir d'e-mails de {name} ?</h1>\
             <form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
             <button type=\"submit\" style=\"font-size:1rem;padding:.75rem 1.25rem\">Unsubscribe / Me désabonner</button></form>"
        ),
    ))
}

/// One-click unsubscribe: no session, no further question.
#[utoipa::path(post, path = "/unsubscribe/{token}", tag = "unsubscribe",
    params(("token" = String, Path, description = "The token from the email's unsubscribe link")),
    responses((status = 200, description = "Unsubscribed", content_type = "text/html"),
              (status = 404, description = "No such link")))]
async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> Result<(StatusCode, Response)> {
    let (organiser_id, name, email) = organiser_name(&state, &token).await?;
    storage::unsubscribes::add(&*state.db, organiser_id, &email, state.clock.now()).await?;
    tracing::info!(%organiser_id, "a guest unsubscribed");
    let name = escape(&name);
    Ok((
        StatusCode::OK,
        page(
            "Unsubscribed",
            &format!(
                "<h1>Done. / C'est fait.</h1><p>{name} will not email you again through Convive. / {name} ne vous écrira plus par Convive.</p>"
            ),
        ),
    ))
}
