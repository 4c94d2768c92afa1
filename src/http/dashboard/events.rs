//! Her events: the list (upcoming first, with counts), creating and editing
//! one, publishing and cancelling.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Serialize;

use super::event_form::{EventForm, form_page};
use super::extract::{CheckedForm, OwnedEvent};
use super::{ActionForm, OrganiserSession, see_other};
use crate::app::{self, AppError};
use crate::domain::event::EventStatus;
use crate::http::AppState;
use crate::http::pages::PageError;
use crate::mail::context::{local_date, local_time};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(list))
        .route("/dashboard/events/new", get(new_form).post(create))
        .route("/dashboard/events/{event_id}/edit", get(edit_form).post(update))
        .route("/dashboard/events/{event_id}/publish", post(publish))
        .route("/dashboard/events/{event_id}/cancel", post(cancel))
}

pub fn event_url(event_id: uuid::Uuid) -> String {
    crate::links::path::dashboard_event(event_id)
}

#[derive(Serialize)]
struct EventRow {
    id: uuid::Uuid,
    title: String,
    status: &'static str,
    date_local: String,
    start_time_local: String,
    time_zone: String,
    invited: u64,
    answered: u64,
    yes: u64,
    seats_left: Option<u64>,
    capacity: Option<u32>,
    url: String,
}

#[derive(Serialize)]
struct EventsPage {
    events: Vec<EventRow>,
    new_url: &'static str,
}

/// Her events: those to come first (soonest first), then past ones (latest first).
async fn list(State(state): State<AppState>, session: OrganiserSession) -> Result<Response, PageError> {
    let events = app::events::overview(&state, session.organiser.id).await?;
    let rows = events
        .iter()
        .map(|(event, c)| EventRow {
            id: event.id,
            title: event.details.title.clone(),
            status: event.status.as_str(),
            date_local: local_date(event.details.schedule.starts_at, event, session.language),
            start_time_local: local_time(event.details.schedule.starts_at, event),
            time_zone: event.details.schedule.time_zone.name().to_owned(),
            invited: c.invited,
            answered: c.answered,
            yes: c.yes,
            seats_left: event.details.capacity.map(|cap| u64::from(cap).saturating_sub(c.seats_taken)),
            capacity: event.details.capacity,
            url: event_url(event.id),
        })
        .collect();
    Ok(session.page(
        "dashboard/events.html",
        StatusCode::OK,
        &EventsPage { events: rows, new_url: "/dashboard/events/new" },
    ))
}

async fn new_form(session: OrganiserSession) -> Response {
    form_page(&session, StatusCode::OK, "new", &EventForm::defaults(session.language), BTreeMap::new(), None)
}

async fn create(
    State(state): State<AppState>,
    session: OrganiserSession,
    CheckedForm(form): CheckedForm<EventForm>,
) -> Result<Response, PageError> {
    match app::events::create(&state, session.organiser.id, form.fields()).await {
        Ok(event) => Ok(see_other(&event_url(event.id))),
        Err(AppError::Invalid(errors)) => {
            Ok(form_page(&session, StatusCode::UNPROCESSABLE_ENTITY, "new", &form, errors, None))
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

async fn edit_form(OwnedEvent { session, event }: OwnedEvent) -> Result<Response, PageError> {
    Ok(form_page(&session, StatusCode::OK, "edit", &EventForm::of(&event), BTreeMap::new(), Some(&event)))
}

async fn update(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    CheckedForm(form): CheckedForm<EventForm>,
) -> Result<Response, PageError> {
    match app::events::change(&state, session.organiser.id, event.id, |_| form.fields()).await {
        Ok(event) => Ok(see_other(&event_url(event.id))),
        Err(AppError::Invalid(fields)) => {
            Ok(form_page(&session, StatusCode::UNPROCESSABLE_ENTITY, "edit", &form, fields, Some(&event)))
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

async fn publish(
    State(state): State<AppState>,
    owned: OwnedEvent,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    status_change(&state, owned, EventStatus::Published).await
}

async fn cancel(
    State(state): State<AppState>,
    owned: OwnedEvent,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    status_change(&state, owned, EventStatus::Cancelled).await
}

async fn status_change(
    state: &AppState,
    OwnedEvent { session, event }: OwnedEvent,
    target: EventStatus,
) -> Result<Response, PageError> {
    app::events::change_status(state, session.organiser.id, event.id, target)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(see_other(&event_url(event.id)))
}
