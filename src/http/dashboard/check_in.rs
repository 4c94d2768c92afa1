//! Check-in at the door, from a phone: search, one tap to check in (and one
//! to undo), walk-ins added and checked in at once, counts that follow.
//! Works as plain forms; `/static/check-in.js` filters as she types and
//! refreshes the counts every few seconds, since several phones may check
//! in the same event at once.

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::events::{event_url, owned};
use super::{OrganiserSession, id_of, see_other};
use crate::domain::answer::Answer;
use crate::domain::event::Event;
use crate::domain::guest::NewGuest;
use crate::http::AppState;
use crate::http::pages::{PageError, word};
use crate::mail::context::{local_date, local_time};
use crate::storage;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard/events/{event_id}/check-in", get(page))
        .route("/dashboard/events/{event_id}/check-in/counts.json", get(counts_json))
        .route("/dashboard/events/{event_id}/check-in/{guest_id}", post(check_in))
        .route("/dashboard/events/{event_id}/check-in/{guest_id}/undo", post(undo))
        .route("/dashboard/events/{event_id}/walk-ins", post(walk_in))
}

#[derive(Serialize)]
struct Counts {
    came: u64,
    came_people: u64,
    walk_ins: u64,
    /// Seated "yes" answers (those expected) plus walk-ins.
    expected: u64,
}

async fn counts_of(state: &AppState, event: &Event) -> Result<Counts, PageError> {
    let counts = storage::events::counts(&*state.db, &[event.id]).await?.remove(&event.id).unwrap_or_default();
    Ok(Counts {
        came: counts.came,
        came_people: counts.came_people,
        walk_ins: counts.walk_ins,
        expected: counts.yes - counts.waiting,
    })
}

#[derive(Serialize)]
struct GuestRow {
    id: uuid::Uuid,
    name: String,
    email: String,
    answer: Option<Answer>,
    companions: u32,
    checked_in: bool,
    walk_in: bool,
}

#[derive(Serialize)]
struct PageEvent {
    title: String,
    date_local: String,
    start_time_local: String,
}

#[derive(Serialize)]
struct Urls {
    search: String,
    check_in_base: String,
    walk_in: String,
    counts_json: String,
    back: String,
}

#[derive(Serialize)]
struct CheckInPage {
    event: PageEvent,
    counts: Counts,
    query: String,
    guests: Vec<GuestRow>,
    urls: Urls,
    flash: Option<String>,
    /// A mistake in the walk-in form, shown as an alert.
    flash_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// Lower-case without accents, so "zoe" finds "Zoé".
fn folded(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

async fn render_page(
    state: &AppState,
    session: &OrganiserSession,
    event: &Event,
    query: &str,
    status: StatusCode,
    flash_error: Option<String>,
) -> Result<Response, PageError> {
    let needle = folded(query.trim());
    let mut guests: Vec<GuestRow> = storage::guests::list(&state.db, event.id)
        .await?
        .into_iter()
        .map(|(guest, _)| GuestRow {
            id: guest.id,
            answer: guest.reply.as_ref().map(|r| r.answer),
            companions: guest.reply.as_ref().map_or(0, |r| r.companions),
            checked_in: guest.checked_in_at.is_some(),
            walk_in: guest.walk_in,
            name: guest.name,
            email: guest.email.to_string(),
        })
        .filter(|g| needle.is_empty() || folded(&g.name).contains(&needle) || g.email.contains(&needle))
        .collect();
    // Those expected first (a "yes"), then by name.
    guests.sort_by_key(|g| (g.answer != Some(Answer::Yes), folded(&g.name)));
    let base = event_url(event.id);
    let page = CheckInPage {
        event: PageEvent {
            title: event.details.title.clone(),
            date_local: local_date(event.details.schedule.starts_at, event, session.language),
            start_time_local: local_time(event.details.schedule.starts_at, event),
        },
        counts: counts_of(state, event).await?,
        query: query.to_owned(),
        guests,
        urls: Urls {
            search: format!("{base}/check-in"),
            check_in_base: format!("{base}/check-in"),
            walk_in: format!("{base}/walk-ins"),
            counts_json: format!("{base}/check-in/counts.json"),
            back: base,
        },
        flash: None,
        flash_error,
    };
    Ok(session.page("dashboard/check_in.html", status, &page))
}

async fn page(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(event_id): Path<String>,
    Query(search): Query<Search>,
) -> Result<Response, PageError> {
    let event = owned(&state, &session, &event_id).await?;
    render_page(&state, &session, &event, &search.q, StatusCode::OK, None).await
}

async fn counts_json(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(event_id): Path<String>,
) -> Result<Response, PageError> {
    let event = owned(&state, &session, &event_id).await?;
    Ok(([(axum::http::header::CACHE_CONTROL, "no-store")], axum::Json(counts_of(&state, &event).await?))
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct TapForm {
    #[serde(default)]
    csrf: String,
    /// The search she was in, to come back to it.
    #[serde(default)]
    q: String,
}

fn back_to(event: &Event, q: &str) -> Response {
    let mut url = format!("{}/check-in", event_url(event.id));
    if !q.is_empty() {
        url.push_str("?q=");
        url.push_str(&url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>());
    }
    see_other(&url)
}

async fn check_in(
    State(state): State<AppState>,
    session: OrganiserSession,
    headers: HeaderMap,
    Path((event_id, guest_id)): Path<(String, String)>,
    Form(form): Form<TapForm>,
) -> Result<Response, PageError> {
    session.check_form(&headers, &form.csrf)?;
    let event = owned(&state, &session, &event_id).await?;
    let guest_id = id_of(&guest_id, session.language)?;
    storage::check_in::check_in(&state.db, &event, guest_id, None, state.clock.now())
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(back_to(&event, &form.q))
}

async fn undo(
    State(state): State<AppState>,
    session: OrganiserSession,
    headers: HeaderMap,
    Path((event_id, guest_id)): Path<(String, String)>,
    Form(form): Form<TapForm>,
) -> Result<Response, PageError> {
    session.check_form(&headers, &form.csrf)?;
    let event = owned(&state, &session, &event_id).await?;
    let guest_id = id_of(&guest_id, session.language)?;
    storage::check_in::undo(&state.db, &event, guest_id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(back_to(&event, &form.q))
}

#[derive(Debug, Default, Deserialize)]
pub struct WalkInForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    companions: String,
    #[serde(default)]
    csrf: String,
}

async fn walk_in(
    State(state): State<AppState>,
    session: OrganiserSession,
    headers: HeaderMap,
    Path(event_id): Path<String>,
    Form(form): Form<WalkInForm>,
) -> Result<Response, PageError> {
    session.check_form(&headers, &form.csrf)?;
    let event = owned(&state, &session, &event_id).await?;
    let companions = form.companions.trim().parse::<u32>().unwrap_or(0).min(100);
    let person = match NewGuest::parse(&form.email, Some(form.name.trim()), None) {
        Ok(person) if !person.name.is_empty() => person,
        Ok(_) => {
            let flash = word(session.language, "error_name_required");
            return render_page(&state, &session, &event, "", StatusCode::UNPROCESSABLE_ENTITY, Some(flash)).await;
        }
        Err(_) => {
            let flash = word(session.language, "error_email_invalid");
            return render_page(&state, &session, &event, "", StatusCode::UNPROCESSABLE_ENTITY, Some(flash)).await;
        }
    };
    storage::check_in::walk_in(&state.db, &event, &person, companions, &state.link_key, state.clock.now())
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(back_to(&event, ""))
}
