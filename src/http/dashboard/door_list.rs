//! The guest list to print for the door: one A4 page for thirty names, a
//! box to tick for each arrival, the party's size and her comment; then the
//! waiting list. For whoever keeps the door (a door helper too).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;

use super::event_page::label;
use super::extract::DoorEvent;
use crate::app;
use crate::domain::answer::Answer;
use crate::domain::guest::Guest;
use crate::http::AppState;
use crate::http::pages::PageError;
use crate::links::path;
use crate::mail::context::{local_date, local_time};

pub fn router() -> Router<AppState> {
    Router::new().route("/dashboard/events/{event_id}/door-list", get(page))
}

#[derive(Serialize)]
struct Row {
    name: String,
    email: String,
    /// She and her companions.
    party: u32,
    comment: String,
    checked_in: bool,
}

impl From<&Guest> for Row {
    fn from(guest: &Guest) -> Self {
        let reply = guest.reply.as_ref().filter(|r| r.answer == Answer::Yes);
        Self {
            name: label(guest),
            email: guest.email.to_string(),
            party: 1 + reply.map_or(0, |r| r.companions),
            comment: reply.map(|r| short(r.comment.trim())).unwrap_or_default(),
            checked_in: guest.checked_in_at.is_some(),
        }
    }
}

/// A comment cut to what one printed line holds.
fn short(comment: &str) -> String {
    const MOST: usize = 80;
    let line = comment.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= MOST { line } else { format!("{}…", line.chars().take(MOST - 1).collect::<String>()) }
}

#[derive(Serialize)]
struct DoorListPage {
    title: String,
    date_local: String,
    start_time_local: String,
    venue: String,
    people: u32,
    expected: Vec<Row>,
    waiting: Vec<Row>,
    back: String,
}

async fn page(
    State(state): State<AppState>,
    DoorEvent { session, event, .. }: DoorEvent,
) -> Result<Response, PageError> {
    let sheet = app::check_in::door_sheet(&state, &event)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let expected: Vec<Row> = sheet.expected.iter().map(Row::from).collect();
    let page = DoorListPage {
        title: event.details.title.clone(),
        date_local: local_date(event.details.schedule.starts_at, &event, session.language),
        start_time_local: local_time(event.details.schedule.starts_at, &event),
        venue: event.details.venue.name.clone(),
        people: expected.iter().map(|r| r.party).sum(),
        expected,
        waiting: sheet.waiting.iter().map(Row::from).collect(),
        back: path::dashboard_check_in(event.id),
    };
    Ok(session.page("dashboard/door_list.html", StatusCode::OK, &page))
}
