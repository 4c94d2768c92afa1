//! Check-in at the door, from a phone: search, one tap to check in (and one
//! to undo), walk-ins added and checked in at once, counts that follow.
//! Works as plain forms; `/static/check-in.js` filters as she types and
//! refreshes the counts every few seconds, since several phones may check
//! in the same event at once.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::event_page::label;
use super::events::event_url;
use super::extract::{CheckedForm, DoorEvent};
use super::{OrganiserSession, id_of, see_other_saying};
use crate::app::check_in::WalkInInput;
use crate::app::{self, AppError};
use crate::domain::answer::{Answer, MAX_COMPANIONS_BY_ORGANISER};
use crate::domain::event::Event;
use crate::domain::guest::Guest;
use crate::domain::role::{Action, Role};
use crate::http::AppState;
use crate::http::pages::{PageError, word};
use crate::mail::context::{local_date, local_time};

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
    /// Those still expected: seated "yes" answers not checked in yet.
    expected: u64,
}

async fn counts_of(state: &AppState, event: &Event) -> Result<Counts, PageError> {
    let counts = app::events::counts(state, event).await?;
    Ok(Counts {
        came: counts.came,
        came_people: counts.came_people,
        walk_ins: counts.walk_ins,
        expected: counts.seated_not_came,
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
    /// The event's page, for those who may see it (not a door helper).
    back: Option<String>,
    door_list: String,
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
    /// Guests matching beyond those shown: the search narrows them down.
    not_shown: usize,
}

/// Guests listed at once: enough for any door, light enough for a phone.
const SHOWN_AT_ONCE: usize = 200;

#[derive(Debug, Default, Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

async fn render_page(
    state: &AppState,
    session: &OrganiserSession,
    (event, role): (&Event, Role),
    query: &str,
    status: StatusCode,
    flash_error: Option<String>,
) -> Result<Response, PageError> {
    let runs_event = role.may(Action::Manage, &event.details.schedule, state.now());
    let (guests, not_shown) = app::check_in::door_list(state, event, query, SHOWN_AT_ONCE).await?;
    let guests = guests
        .into_iter()
        .map(|guest| GuestRow {
            id: guest.id,
            answer: guest.reply.as_ref().map(|r| r.answer),
            companions: guest.reply.as_ref().map_or(0, |r| r.companions),
            checked_in: guest.checked_in_at.is_some(),
            walk_in: guest.walk_in,
            name: guest.name,
            email: guest.email.to_string(),
        })
        .collect();
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
            door_list: format!("{base}/door-list"),
            back: runs_event.then_some(base),
        },
        flash: session.flash.clone(),
        flash_error,
        not_shown,
    };
    Ok(session.page("dashboard/check_in.html", status, &page))
}

async fn page(
    State(state): State<AppState>,
    DoorEvent { session, event, role }: DoorEvent,
    Query(search): Query<Search>,
) -> Result<Response, PageError> {
    render_page(&state, &session, (&event, role), &search.q, StatusCode::OK, None).await
}

async fn counts_json(State(state): State<AppState>, DoorEvent { event, .. }: DoorEvent) -> Result<Response, PageError> {
    Ok(([(axum::http::header::CACHE_CONTROL, "no-store")], axum::Json(counts_of(&state, &event).await?))
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct TapForm {
    /// The search she was in, to come back to it.
    #[serde(default)]
    q: String,
}

/// Back to the door's list (and her search), saying what the tap did.
fn back_to(state: &AppState, event: &Event, q: &str, said: &str) -> Response {
    let mut url = format!("{}/check-in", event_url(event.id));
    if !q.is_empty() {
        url.push_str("?q=");
        url.push_str(&url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>());
    }
    see_other_saying(state, &url, said)
}

/// "Arrivée de Zélie Marchand enregistrée.": who the tap was about.
fn said(session: &OrganiserSession, key: &str, guest: &Guest) -> String {
    word(session.language, key).replace("{name}", &label(guest))
}

async fn check_in(
    State(state): State<AppState>,
    DoorEvent { session, event, .. }: DoorEvent,
    Path((_, guest_id)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<TapForm>,
) -> Result<Response, PageError> {
    let guest_id = id_of(&guest_id, session.language)?;
    let guest = app::check_in::check_in(&state, session.organiser.id, event.id, guest_id, None)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(back_to(&state, &event, &form.q, &said(&session, "d_flash_checked_in", &guest)))
}

async fn undo(
    State(state): State<AppState>,
    DoorEvent { session, event, .. }: DoorEvent,
    Path((_, guest_id)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<TapForm>,
) -> Result<Response, PageError> {
    let guest_id = id_of(&guest_id, session.language)?;
    let guest = app::check_in::undo(&state, session.organiser.id, event.id, guest_id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(back_to(&state, &event, &form.q, &said(&session, "d_flash_undone", &guest)))
}

#[derive(Debug, Default, Deserialize)]
pub struct WalkInForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    companions: String,
}

async fn walk_in(
    State(state): State<AppState>,
    DoorEvent { session, event, role }: DoorEvent,
    CheckedForm(form): CheckedForm<WalkInForm>,
) -> Result<Response, PageError> {
    // Not a number is out of range too, so it gets the same message.
    let companions = match form.companions.trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().unwrap_or(-1)),
    };
    let input = WalkInInput { name: form.name, email: form.email, companions, language: None };
    match app::check_in::walk_in(&state, session.organiser.id, event.id, &input).await {
        Ok((guest, _)) => Ok(back_to(&state, &event, "", &said(&session, "d_flash_walk_in", &guest))),
        Err(AppError::Invalid(fields)) => {
            // The first problem, in the order of the form.
            let key = ["name", "email", "companions"].into_iter().find(|field| fields.contains_key(*field)).map_or(
                "d_error_walk_in_email",
                |field| match field {
                    "name" => "d_error_walk_in_name",
                    "email" => "d_error_walk_in_email",
                    _ => "d_error_walk_in_companions",
                },
            );
            let flash = word(session.language, key).replace("{n}", &MAX_COMPANIONS_BY_ORGANISER.to_string());
            render_page(&state, &session, (&event, role), "", StatusCode::UNPROCESSABLE_ENTITY, Some(flash)).await
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}
