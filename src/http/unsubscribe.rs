//! One-click unsubscribe (RFC 8058). The link in `List-Unsubscribe` works
//! without a session: a POST with `List-Unsubscribe=One-Click` unsubscribes;
//! a GET (which mail scanners also make) only shows a page with a button.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::extract::Path;
use super::pages::render;
use crate::domain::event::Language;
use crate::domain::token::verify_unsubscribe_token;
use crate::error::{ApiError, Result};
use crate::storage;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(confirm_page, unsubscribe))
}

#[derive(Serialize)]
struct UnsubscribePage {
    organiser_name: String,
    form_action: String,
    done: bool,
}

/// The organiser a link stops, the guest's address, and her language.
async fn organiser_name(state: &AppState, token: &str) -> Result<(uuid::Uuid, String, String, Language)> {
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
    let language = guest.language.unwrap_or(event.details.language);
    Ok((organiser.id, organiser.name, guest.email.to_string(), language))
}

/// The confirmation page: changes nothing.
#[utoipa::path(get, path = "/unsubscribe/{token}", tag = "unsubscribe",
    params(("token" = String, Path, description = "The token from the email's unsubscribe link")),
    responses((status = 200, description = "A page with a button that unsubscribes", content_type = "text/html"),
              (status = 404, description = "No such link")))]
async fn confirm_page(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let (_, organiser_name, _, language) = organiser_name(&state, &token).await?;
    let page = UnsubscribePage { organiser_name, form_action: format!("/unsubscribe/{token}"), done: false };
    Ok(render("unsubscribe.html", language, StatusCode::OK, &page))
}

/// One-click unsubscribe: no session, no further question.
#[utoipa::path(post, path = "/unsubscribe/{token}", tag = "unsubscribe",
    params(("token" = String, Path, description = "The token from the email's unsubscribe link")),
    responses((status = 200, description = "Unsubscribed", content_type = "text/html"),
              (status = 404, description = "No such link")))]
async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let (organiser_id, organiser_name, email, language) = organiser_name(&state, &token).await?;
    storage::unsubscribes::add(&*state.db, organiser_id, &email, state.clock.now()).await?;
    tracing::info!(%organiser_id, "a guest unsubscribed");
    let page = UnsubscribePage { organiser_name, form_action: format!("/unsubscribe/{token}"), done: true };
    Ok(render("unsubscribe.html", language, StatusCode::OK, &page))
}
