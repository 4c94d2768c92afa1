//! Her events: the list (upcoming first, with counts), creating and editing
//! one, publishing and cancelling: each of these that emails guests asks
//! first, saying whom it reaches, and each ends with a message saying what
//! it did.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;

use super::confirm::{self, Confirmation, counted};
use super::event_form::{EventForm, form_page, plan_sentence};
use super::extract::{CheckedForm, OwnedEvent};
use super::time_zones::zone_label;
use super::{ActionForm, OrganiserSession, see_other_saying};
use crate::app::{self, AppError};
use crate::domain::event::{Event, EventStatus};
use crate::domain::role::Action;
use crate::http::AppState;
use crate::http::pages::{PageError, word};
use crate::mail::context::{local_date, local_time};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(list))
        .route("/dashboard/events/new", get(new_form).post(create))
        .route("/dashboard/events/{event_id}/edit", get(edit_form).post(update))
        .route("/dashboard/events/{event_id}/publish", get(confirm_publish).post(publish))
        .route("/dashboard/events/{event_id}/cancel", get(confirm_cancel).post(cancel))
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

/// An event someone else owns and she helps run.
#[derive(Serialize)]
struct SharedRow {
    title: String,
    date_local: String,
    start_time_local: String,
    role: String,
    /// Where her role starts (the event's page, or its door); none while
    /// a door helper's door is not open yet.
    url: Option<String>,
}

#[derive(Serialize)]
struct EventsPage {
    events: Vec<EventRow>,
    shared: Vec<SharedRow>,
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
            time_zone: zone_label(session.language, event.details.schedule.time_zone, event.details.schedule.starts_at),
            invited: c.invited,
            answered: c.answered,
            yes: c.yes,
            seats_left: event.details.capacity.map(|cap| u64::from(cap).saturating_sub(c.seats_taken)),
            capacity: event.details.capacity,
            url: event_url(event.id),
        })
        .collect();
    let now = state.now();
    let shared = app::events::shared_with_me(&state, session.organiser.id)
        .await?
        .into_iter()
        .map(|(event, role, _)| {
            let schedule = &event.details.schedule;
            let url = if role.may(Action::Manage, schedule, now) {
                Some(event_url(event.id))
            } else {
                role.may(Action::CheckIn, schedule, now).then(|| crate::links::path::dashboard_check_in(event.id))
            };
            SharedRow {
                title: event.details.title.clone(),
                date_local: local_date(schedule.starts_at, &event, session.language),
                start_time_local: local_time(schedule.starts_at, &event),
                role: word(session.language, &format!("d_role_{}", role.as_str())),
                url,
            }
        })
        .collect();
    Ok(session.page(
        "dashboard/events.html",
        StatusCode::OK,
        &EventsPage { events: rows, shared, new_url: "/dashboard/events/new" },
    ))
}

async fn new_form(session: OrganiserSession) -> Response {
    form_page(&session, StatusCode::OK, "new", &EventForm::defaults(session.language), BTreeMap::new(), None)
}

async fn create(
    State(state): State<AppState>,
    session: OrganiserSession,
    CheckedForm(mut form): CheckedForm<EventForm>,
) -> Result<Response, PageError> {
    if form.question_button() {
        return Ok(form_page(&session, StatusCode::OK, "new", &form, BTreeMap::new(), None));
    }
    match app::events::create(&state, session.organiser.id, form.fields()).await {
        Ok(event) => Ok(see_other_saying(&state, &event_url(event.id), &word(session.language, "d_flash_created"))),
        Err(AppError::Invalid(errors)) => {
            Ok(form_page(&session, StatusCode::UNPROCESSABLE_ENTITY, "new", &form, errors, None))
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
) -> Result<Response, PageError> {
    // A cancelled event changes no more: no form that could only be refused.
    if event.status == EventStatus::Cancelled {
        return Err(PageError::from(AppError::EventCancelled).in_language(session.language));
    }
    let answered = app::events::answered_counts(&state, &event)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let form = EventForm::of(&event).with_answered(answered);
    Ok(form_page(&session, StatusCode::OK, "edit", &form, BTreeMap::new(), Some(&event)))
}

/// Saves her changes. A change that emails guests (a new time or place on a
/// published event) is saved only once she has seen whom it reaches; the
/// confirmation carries her fields and posts them back with `step=confirm`.
async fn update(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    CheckedForm(form): CheckedForm<EventForm>,
) -> Result<Response, PageError> {
    let refused = |err: AppError| PageError::from(err).in_language(session.language);
    let answered = app::events::answered_counts(&state, &event).await.map_err(refused)?;
    let mut form = form.with_answered(answered);
    if form.question_button() {
        return Ok(form_page(&session, StatusCode::OK, "edit", &form, BTreeMap::new(), Some(&event)));
    }
    match form.step() {
        "back" => return Ok(form_page(&session, StatusCode::OK, "edit", &form, BTreeMap::new(), Some(&event))),
        "confirm" => {}
        _ => match app::events::change_reach(&state, session.organiser.id, event.id, |current| {
            form.fields_keeping(Some(current))
        })
        .await
        {
            Ok(0) => {}
            Ok(reach) => return Ok(confirm_change(&session, &event, &form, reach)),
            Err(AppError::Invalid(fields)) => {
                return Ok(form_page(&session, StatusCode::UNPROCESSABLE_ENTITY, "edit", &form, fields, Some(&event)));
            }
            Err(err) => return Err(refused(err)),
        },
    }
    match app::events::change(&state, session.organiser.id, event.id, |current| form.fields_keeping(Some(current)))
        .await
    {
        Ok(changed) => {
            let said = counted(&session, changed.told, "d_flash_saved");
            Ok(see_other_saying(&state, &event_url(event.id), &said))
        }
        Err(AppError::Invalid(fields)) => {
            Ok(form_page(&session, StatusCode::UNPROCESSABLE_ENTITY, "edit", &form, fields, Some(&event)))
        }
        Err(err) => Err(refused(err)),
    }
}

fn confirm_change(session: &OrganiserSession, event: &Event, form: &EventForm, reach: u64) -> Response {
    let base = event_url(event.id);
    confirm::page(
        session,
        &Confirmation {
            question: word(session.language, "d_confirm_change_question"),
            reach: counted(session, reach, "d_confirm_change_reach"),
            details: vec![word(session.language, "d_confirm_change_detail")],
            action: format!("{base}/edit"),
            fields: form.hidden_fields(),
            button: counted(session, reach, "d_confirm_change_button"),
            danger: false,
            back_url: base,
            back_label: word(session.language, "d_back_to_event"),
            back_top: None,
            back_to_form: Some(word(session.language, "d_confirm_change_back")),
        },
    )
}

/// Asks before publishing, saying how many invitations leave at once.
async fn confirm_publish(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
) -> Result<Response, PageError> {
    let reach = app::events::status_change_reach(&state, &event, EventStatus::Published)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let base = event_url(event.id);
    let mut details = Vec::new();
    let plan = plan_sentence(&event, session.language);
    if !plan.is_empty() {
        details.push(format!(
            "{}{}{plan}",
            word(session.language, "d_plan_what_guests_get"),
            word(session.language, "d_colon")
        ));
    }
    details.push(word(session.language, "d_confirm_publish_later"));
    Ok(confirm::page(
        &session,
        &Confirmation {
            question: word(session.language, "d_confirm_publish_question").replace("{title}", &event.details.title),
            reach: counted(&session, reach, "d_confirm_publish_reach"),
            details,
            action: format!("{base}/publish"),
            fields: Vec::new(),
            button: counted(&session, reach, "d_confirm_publish_button"),
            danger: false,
            back_url: base,
            back_label: word(session.language, "d_confirm_publish_back"),
            back_top: None,
            back_to_form: None,
        },
    ))
}

/// Asks before cancelling, saying how many guests are told.
async fn confirm_cancel(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
) -> Result<Response, PageError> {
    // Cancelling is the owner's: a co-organiser does not even see the question.
    if !app::access::may(&state, session.organiser.id, &event, Action::Own).await? {
        return Err(PageError::not_found().in_language(session.language));
    }
    let reach = app::events::status_change_reach(&state, &event, EventStatus::Cancelled)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let base = event_url(event.id);
    let mut details = vec![word(session.language, "d_confirm_cancel_detail")];
    let reach_key = if event.status == EventStatus::Draft {
        "d_confirm_cancel_draft_reach"
    } else {
        details.push(word(session.language, "d_confirm_cancel_declined"));
        "d_confirm_cancel_reach"
    };
    Ok(confirm::page(
        &session,
        &Confirmation {
            question: word(session.language, "d_confirm_cancel_question").replace("{title}", &event.details.title),
            reach: counted(&session, reach, reach_key),
            details,
            action: format!("{base}/cancel"),
            fields: Vec::new(),
            button: counted(&session, reach, "d_confirm_cancel_button"),
            danger: true,
            back_url: base,
            back_label: word(session.language, "d_confirm_cancel_back"),
            back_top: None,
            back_to_form: None,
        },
    ))
}

async fn publish(
    State(state): State<AppState>,
    owned: OwnedEvent,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    status_change(&state, owned, EventStatus::Published, "d_flash_published").await
}

async fn cancel(
    State(state): State<AppState>,
    owned: OwnedEvent,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    status_change(&state, owned, EventStatus::Cancelled, "d_flash_cancelled").await
}

/// Changes the status, then says what left: "published: 8 invitations are
/// on their way". Done already (a second tab), it says so without a count.
async fn status_change(
    state: &AppState,
    OwnedEvent { session, event }: OwnedEvent,
    target: EventStatus,
    said: &str,
) -> Result<Response, PageError> {
    let changed = app::events::change_status(state, session.organiser.id, event.id, target)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let message = if event.status == target {
        word(session.language, &format!("{said}_already"))
    } else {
        counted(&session, changed.told, said)
    };
    Ok(see_other_saying(state, &event_url(event.id), &message))
}
