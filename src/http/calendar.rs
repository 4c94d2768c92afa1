//! Calendar feeds: a secret, subscribable URL with all of an organiser's
//! events, answering conditional GETs so calendar apps can poll cheaply.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Json, Path};
use crate::domain::token::{feed_token, verify_feed_token};
use crate::error::{ApiError, ErrorBody, Result};
use crate::ics::{self, Organizer};
use crate::storage;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(organiser_feed))
}

/// The API part: where her feed is.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_feed))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedLinks {
    /// Subscribe to this in a calendar app; keep it secret.
    https: String,
    /// The same, for apps that open `webcal://` links.
    webcal: String,
}

/// Your calendar feed: every event of yours, kept up to date.
#[utoipa::path(get, path = "/me/feed", tag = "organiser", security(("api_key" = [])),
    responses((status = 200, body = FeedLinks), (status = 401, body = ErrorBody)))]
async fn my_feed(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
) -> Json<FeedLinks> {
    let base = state.settings.public_url.as_str().trim_end_matches('/');
    let https = format!("{base}/feeds/{}.ics", feed_token(&state.link_key, organiser.id));
    let webcal = format!("webcal://{}", https.split_once("://").map_or(https.as_str(), |(_, rest)| rest));
    Json(FeedLinks { https, webcal })
}

/// An organiser's events as iCalendar, by the secret link from `/api/v1/me/feed`.
#[utoipa::path(get, path = "/feeds/{file}", tag = "calendar",
    params(("file" = String, Path, description = "`<token>.ics` from the feed link")),
    responses(
        (status = 200, description = "The feed", content_type = "text/calendar"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 404, description = "No such feed", body = ErrorBody),
    ))]
async fn organiser_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let organiser_id = verify_feed_token(&state.link_key, token).ok_or(ApiError::NotFound("feed"))?;
    let organiser =
        storage::organisers::find_many(&*state.db, [organiser_id]).await?.pop().ok_or(ApiError::NotFound("feed"))?;
    let events = storage::events::list(&state.db, organiser.id, 1000, 0).await?;
    let reply_to = state.settings.reply_address.clone().unwrap_or_else(|| organiser.email.to_string());
    let body = ics::render_feed(&organiser.name, &events, &Organizer { name: &organiser.name, address: &reply_to });
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(body.as_bytes()))[..32]);
    let last_modified = events.iter().map(|e| e.updated_at).max().unwrap_or(chrono::DateTime::UNIX_EPOCH);
    let last_modified = last_modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    let common = [
        (header::ETAG, etag),
        (header::LAST_MODIFIED, last_modified),
        (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
    ];
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    Ok((common, [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response())
}
