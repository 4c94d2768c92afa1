//! One-click unsubscribe (RFC 8058). The link in `List-Unsubscribe` works
//! without a session: a POST with `List-Unsubscribe=One-Click` unsubscribes;
//! a GET (which mail scanners also make) only shows a page with a button.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::extract::{Path, RawBody};
use super::pages::render;
use crate::app;
use crate::app::unsubscribes::{Scope, Stopped};
use crate::error::{ErrorBody, Result};
use crate::links::path;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(confirm_page, unsubscribe))
}

#[derive(Serialize)]
struct UnsubscribePage {
    organiser_name: String,
    /// For a date of a series: the link leaves it; the page also offers
    /// nothing more from the organiser.
    series_name: Option<String>,
    form_action: String,
    /// `series` or `organiser` once done.
    done: Option<&'static str>,
    /// Asked from the email's "nothing more from this organiser" link.
    organiser_only: bool,
}

impl UnsubscribePage {
    fn new(link: app::unsubscribes::UnsubscribeLink, token: &str, done: Option<&'static str>) -> Self {
        Self {
            organiser_name: link.organiser.name,
            series_name: link.series.map(|s| s.settings.name),
            form_action: path::unsubscribe(token),
            done,
            organiser_only: false,
        }
    }
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    scope: Option<String>,
}

/// The confirmation page: changes nothing.
#[utoipa::path(get, path = "/unsubscribe/{token}", tag = "unsubscribe",
    params(("token" = String, Path, description = "The token from the email's unsubscribe link"),
           ("scope" = Option<String>, Query, description = "`organiser`: ask only about nothing more from the organiser")),
    responses((status = 200, description = "A page with a button that unsubscribes", content_type = "text/html"),
              (status = 404, description = "No such link", body = ErrorBody)))]
async fn confirm_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response> {
    let link = app::unsubscribes::link(&state, &token).await?;
    let language = link.language;
    let mut page = UnsubscribePage::new(link, &token, None);
    page.organiser_only = query.scope.as_deref() == Some("organiser");
    Ok(render("unsubscribe.html", language, StatusCode::OK, &page))
}

/// One-click unsubscribe: no session, no further question. From a date of
/// a series it leaves the series; the form field `scope=organiser` asks for
/// nothing more from the organiser at all.
#[utoipa::path(post, path = "/unsubscribe/{token}", tag = "unsubscribe",
    params(("token" = String, Path, description = "The token from the email's unsubscribe link")),
    request_body(description = "`List-Unsubscribe=One-Click` (RFC 8058), or `scope=organiser` for nothing more from the organiser",
        content(("application/x-www-form-urlencoded", example = "List-Unsubscribe=One-Click"))),
    responses((status = 200, description = "Unsubscribed", content_type = "text/html"),
              (status = 404, description = "No such link", body = ErrorBody)))]
async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
    RawBody(body): RawBody,
) -> Result<Response> {
    // Whatever else the body holds (RFC 8058's `List-Unsubscribe=One-Click`)
    // means the link's own scope.
    let organiser_wide =
        url::form_urlencoded::parse(&body).any(|(name, value)| name == "scope" && value == "organiser");
    let scope = if organiser_wide { Scope::Organiser } else { Scope::Link };
    let (link, stopped) = app::unsubscribes::unsubscribe(&state, &token, scope).await?;
    tracing::info!(organiser_id = %link.organiser.id, ?stopped, "a guest unsubscribed");
    let done = match stopped {
        Stopped::Series => "series",
        Stopped::Organiser => "organiser",
    };
    let language = link.language;
    Ok(render("unsubscribe.html", language, StatusCode::OK, &UnsubscribePage::new(link, &token, Some(done))))
}
