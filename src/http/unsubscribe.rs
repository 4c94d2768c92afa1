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
use crate::app;
use crate::error::{ErrorBody, Result};
use crate::links::path;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(confirm_page, unsubscribe))
}

#[derive(Serialize)]
struct UnsubscribePage {
    organiser_name: String,
    form_action: String,
    done: bool,
}

/// The confirmation page: changes nothing.
#[utoipa::path(get, path = "/unsubscribe/{token}", tag = "unsubscribe",
    params(("token" = String, Path, description = "The token from the email's unsubscribe link")),
    responses((status = 200, description = "A page with a button that unsubscribes", content_type = "text/html"),
              (status = 404, description = "No such link", body = ErrorBody)))]
async fn confirm_page(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let link = app::unsubscribes::link(&state, &token).await?;
    let page =
        UnsubscribePage { organiser_name: link.organiser.name, form_action: path::unsubscribe(&token), done: false };
    Ok(render("unsubscribe.html", link.language, StatusCode::OK, &page))
}

/// One-click unsubscribe: no session, no further question.
#[utoipa::path(post, path = "/unsubscribe/{token}", tag = "unsubscribe",
    params(("token" = String, Path, description = "The token from the email's unsubscribe link")),
    responses((status = 200, description = "Unsubscribed", content_type = "text/html"),
              (status = 404, description = "No such link", body = ErrorBody)))]
async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let link = app::unsubscribes::unsubscribe(&state, &token).await?;
    tracing::info!(organiser_id = %link.organiser.id, "a guest unsubscribed");
    let page =
        UnsubscribePage { organiser_name: link.organiser.name, form_action: path::unsubscribe(&token), done: true };
    Ok(render("unsubscribe.html", link.language, StatusCode::OK, &page))
}
