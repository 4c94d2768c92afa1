//! Everything calendar-shaped over HTTP: an event's public `.ics`, a guest's
//! own copy (with her ATTENDEE line), and the subscribable feeds (an
//! organiser's events; the events a guest said yes to). All text comes from
//! `crate::ics`. Every answer carries an `ETag` and `Last-Modified` and
//! honours `If-None-Match`, so calendar apps can poll cheaply.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Json, Path};
use super::pages::{PageError, browser_language, open_event};
use super::render_cache::Cacheable;
use crate::app;
use crate::app::answers::Host;
use crate::domain::event::{Event, Language};
use crate::domain::guest::Guest;
use crate::domain::inbound;
use crate::domain::token::feed_token;
use crate::error::{ErrorBody, Result};
use crate::ics::{self, Attendee, FeedEntry, Method, Organizer};
use crate::links::webcal;
use crate::storage::organisers::Organiser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(organiser_feed)).routes(routes!(guest_feed)).routes(routes!(series_feed))
}

/// The page-side files: a guest's copy and a public event's file.
pub fn files_router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/i/{token}/calendar.ics", get(guest_copy))
        .route("/e/{event_id}/calendar.ics", get(public_event))
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
    responses((status = 200, description = "Your feed's links", body = FeedLinks)))]
async fn my_feed(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
) -> Json<FeedLinks> {
    let https = state.links().organiser_feed(&feed_token(&state.link_key, organiser.id));
    Json(FeedLinks { webcal: webcal(&https), https })
}

/// Where calendar replies to a copy go: her own reply address on a copy
/// with her ATTENDEE line, else the organiser's (see `organizer_address`).
fn reply_address(state: &AppState, organiser_email: &str, guest: Option<&Guest>) -> String {
    let reply = state.settings.reply_address.as_deref();
    inbound::organizer_address(reply, &state.link_key, guest.map(|g| g.id), organiser_email)
}

/// A calendar body with its validators; `304 Not Modified` when the client
/// already has this exact text.
fn calendar_response(
    headers: &HeaderMap,
    body: String,
    last_modified: DateTime<Utc>,
    filename: Option<&str>,
) -> Response {
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(body.as_bytes()))[..32]);
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    let common = [
        (header::ETAG, etag),
        (header::LAST_MODIFIED, last_modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string()),
        (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
    ];
    if unchanged {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    let disposition = filename.map_or_else(|| "inline".to_owned(), |name| format!("attachment; filename=\"{name}\""));
    (
        common,
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        // The text depends on the data alone (DTSTAMP is the last change).
        Extension(Cacheable::WHILE_UNCHANGED),
        body,
    )
        .into_response()
}

fn latest(events: impl Iterator<Item = DateTime<Utc>>) -> DateTime<Utc> {
    events.max().unwrap_or(DateTime::UNIX_EPOCH)
}

async fn organiser_of(state: &AppState, event: &Event) -> Result<Organiser> {
    Ok(app::feeds::organiser_of(state, event).await?)
}

/// A guest's own copy of the event, with her answer as PARTSTAT.
pub fn guest_calendar(state: &AppState, guest: &Guest, event: &Event, host: &Host, headers: &HeaderMap) -> Response {
    let reply_to = reply_address(state, &host.email, Some(guest));
    let text = ics::render(
        event,
        Method::Publish,
        &Organizer { name: &host.name, address: &reply_to },
        Some(&Attendee::of(guest)),
        event.updated_at,
    );
    calendar_response(headers, text, event.updated_at, Some("invite.ics"))
}

async fn guest_copy(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (guest, event, host) = app::answers::invitation_with_host(&state, &token)
        .await
        .map_err(|err| PageError::from(err).in_language(browser_language(&headers)))?;
    Ok(guest_calendar(&state, &guest, &event, &host, &headers))
}

/// An open event's file, for anyone with its public link.
async fn public_event(
    State(state): State<AppState>,
    axum::extract::Path(event_id): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let event = open_event::find_public(&state, &event_id, &headers).await?;
    let organiser = organiser_of(&state, &event).await?;
    let reply_to = reply_address(&state, organiser.email.as_str(), None);
    let text = ics::render(
        &event,
        Method::Publish,
        &Organizer { name: &organiser.name, address: &reply_to },
        None,
        event.updated_at,
    );
    Ok(calendar_response(&headers, text, event.updated_at, Some("event.ics")))
}

/// An organiser's events as iCalendar, by the secret link from `/api/v1/me/feed`.
#[utoipa::path(get, path = "/feeds/{file}", tag = "calendar",
    params(
        ("file" = String, Path, description = "`<token>.ics` from the feed link"),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of the text you have, or `*`"),
    ),
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
    let (organiser, events) = app::feeds::organiser_feed(&state, token).await?;
    let reply_to = reply_address(&state, organiser.email.as_str(), None);
    let entries: Vec<FeedEntry<'_>> = events
        .iter()
        .map(|event| FeedEntry {
            event,
            organizer: Organizer { name: &organiser.name, address: &reply_to },
            attendee: None,
        })
        .collect();
    let body = ics::render_feed(&organiser.name, &entries);
    Ok(calendar_response(&headers, body, latest(events.iter().map(|e| e.updated_at)), None))
}

/// The events a guest said yes to, by the secret link in her emails and on
/// her page. It follows her address across the organiser's events: a new
/// "yes" appears, a change of mind removes the event, a cancellation shows
/// as cancelled.
#[utoipa::path(get, path = "/feeds/guests/{file}", tag = "calendar",
    params(
        ("file" = String, Path, description = "`<token>.ics` from the feed link"),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of the text you have, or `*`"),
    ),
    responses(
        (status = 200, description = "The feed", content_type = "text/calendar"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 404, description = "No such feed", body = ErrorBody),
    ))]
async fn guest_feed(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Result<Response> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let feed = app::feeds::guest_feed(&state, token).await?;
    let reply_to: Vec<String> =
        feed.accepted.iter().map(|(g, _, o)| reply_address(&state, o.email.as_str(), Some(g))).collect();
    let entries: Vec<FeedEntry<'_>> = feed
        .accepted
        .iter()
        .zip(&reply_to)
        .map(|((guest, event, organiser), address)| FeedEntry {
            event,
            organizer: Organizer { name: &organiser.name, address },
            attendee: Some(Attendee::of(guest)),
        })
        .collect();
    let name = match feed.language {
        Language::Fr => "Mes événements",
        Language::En => "My events",
    };
    let body = ics::render_feed(name, &entries);
    // A change of her answer changes the text but not the events' times.
    let changed = feed.accepted.iter().flat_map(|(g, e, _)| [e.updated_at, g.answered_at.unwrap_or(e.updated_at)]);
    Ok(calendar_response(&headers, body, latest(changed), None))
}

/// A member's feed of her series' dates to come, by the link the organiser
/// gives her (`feed_url` of the member in the API): her PARTSTAT where she
/// answered, no ATTENDEE where she is not on the list.
#[utoipa::path(get, path = "/feeds/series/{file}", tag = "calendar",
    params(
        ("file" = String, Path, description = "`<token>.ics` from the feed link"),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of the text you have, or `*`"),
    ),
    responses(
        (status = 200, description = "The feed", content_type = "text/calendar"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 404, description = "No such feed", body = ErrorBody),
    ))]
async fn series_feed(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Result<Response> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let feed = app::feeds::series_feed(&state, token).await?;
    let reply_to: Vec<String> = feed
        .dates
        .iter()
        .map(|(_, guest)| reply_address(&state, feed.organiser.email.as_str(), guest.as_ref()))
        .collect();
    let entries: Vec<FeedEntry<'_>> = feed
        .dates
        .iter()
        .zip(&reply_to)
        .map(|((event, guest), address)| FeedEntry {
            event,
            organizer: Organizer { name: &feed.organiser.name, address },
            attendee: guest.as_ref().map(Attendee::of),
        })
        .collect();
    let body = ics::render_feed(&feed.series.settings.name, &entries);
    let changed = feed
        .dates
        .iter()
        .flat_map(|(e, g)| [e.updated_at, g.as_ref().and_then(|g| g.answered_at).unwrap_or(e.updated_at)]);
    Ok(calendar_response(&headers, body, latest(changed), None))
}
