//! Organiser API: events.

use crate::domain::question::QuestionDraft;
use axum::Extension;
use axum::http::StatusCode;
use serde::{Deserialize, Deserializer};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Integer, Json, Path, Query};
use super::render_cache::Cacheable;
use super::views::{AnswerChangeView, EventView, SummaryView};
use crate::app;
use crate::domain::event::{
    EventDetails, EventFields, EventStatus, EventTime, EventTimeOrBlank, Language, PlanFields, PlanInput, TimeZoneName,
    Words,
};
use crate::domain::plan::{Offset, OffsetOrBlank};
use crate::domain::text::{Line, Text, WebLink};
use crate::error::{ErrorBody, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_event, list_events))
        .routes(routes!(get_event, update_event))
        .routes(routes!(publish_event))
        .routes(routes!(cancel_event))
        .routes(routes!(event_summary))
        .routes(routes!(answer_history))
        .routes(routes!(resend_failed_emails))
}

/// A new event. Times are RFC 3339 instants (`2026-12-03T07:30:00Z`) or local
/// wall-clock times in `time_zone` (`2026-12-03T08:30`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEventRequest {
    #[schema(value_type = Line<1, 200>, example = "Café des Victoires")]
    title: String,
    #[serde(default)]
    #[schema(value_type = Text<5000>)]
    description: String,
    #[schema(value_type = Line<1, 200>, example = "Café des Victoires")]
    venue_name: String,
    #[serde(default)]
    #[schema(value_type = Text<500>, example = "6 place des Victoires, 75002 Paris")]
    venue_address: String,
    #[schema(value_type = Option<WebLink>)]
    venue_map_url: Option<String>,
    /// Who at the venue gets its summary before the event (at the plan's
    /// `venue_summary`), in the event's language: an email address; omitted,
    /// `null` or empty for none.
    #[schema(value_type = Option<String>, example = "accueil@cafe-victoires.fr")]
    venue_contact: Option<String>,
    #[schema(value_type = EventTime, example = "2026-12-03T08:30")]
    starts_at: String,
    /// After `starts_at`.
    #[schema(value_type = EventTime, example = "2026-12-03T10:00")]
    ends_at: String,
    #[schema(value_type = TimeZoneName, example = "Europe/Paris")]
    time_zone: String,
    /// When answers close, not after `starts_at`; omitted means the plan's
    /// `answers_close` before the start.
    #[schema(value_type = Option<EventTimeOrBlank>)]
    rsvp_deadline: Option<String>,
    /// Seats including companions; omitted or `null` is unlimited.
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100_000)]
    capacity: Option<Integer>,
    /// Companions each guest may bring (default 0).
    #[serde(default)]
    #[schema(value_type = i64, minimum = 0, maximum = 20)]
    companions_allowed: Integer,
    /// Default `en`.
    #[serde(default = "default_language")]
    #[schema(value_type = Language)]
    language: String,
    /// The photo album or follow-up page sent after the event.
    #[schema(value_type = Option<WebLink>)]
    follow_up_url: Option<String>,
    /// When the automatic emails go out; every part has a default.
    plan: Option<PlanRequest>,
    /// Anyone with the public link `/e/{id}` may register, confirming by
    /// email (default false: guests are invited by the organiser only).
    #[serde(default)]
    open_registration: bool,
    /// Your own words opening each email (the templates stay the frame).
    #[serde(default)]
    words: Words,
    /// What guests are asked beyond yes or no (at most 20), in order.
    #[serde(default)]
    #[schema(max_items = 20)]
    questions: Vec<QuestionDraft>,
}

/// The reminder plan, as ISO 8601 durations (`P7D`, `PT2H`, `PT30S`).
/// Omitted parts keep their current value (or the default).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(clippy::option_option)]
pub struct PlanRequest {
    /// Nudges to those who have not answered, before the start (default `["P7D", "P3D"]`).
    #[schema(value_type = Option<Vec<Offset>>, max_items = 10)]
    nudges: Option<Vec<String>>,
    /// Whether nudges also go to "maybe" answers (default true).
    nudge_maybes: Option<bool>,
    /// Answers close this long before the start unless `rsvp_deadline` is set (default `P2D`).
    #[schema(value_type = Option<Offset>)]
    answers_close: Option<String>,
    /// The practical reminder to those coming, before the start (default `P1D`; `null` for none).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<OffsetOrBlank>)]
    reminder: Option<Option<String>>,
    /// The venue's summary to those who run the event and the venue
    /// contact, before the start (`null` for none). Omitted, it goes with
    /// the reminder if it did, so moving the reminder moves it too.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<OffsetOrBlank>)]
    venue_summary: Option<Option<String>>,
    /// The thank-you, after the end (default `PT2H`; `null` for none).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<OffsetOrBlank>)]
    follow_up: Option<Option<String>>,
}

impl PlanRequest {
    fn apply_to(self, base: PlanFields) -> PlanFields {
        let with_reminder = base.venue_summary == base.reminder;
        let reminder = self.reminder.unwrap_or(base.reminder);
        let venue_summary =
            self.venue_summary.unwrap_or_else(|| if with_reminder { reminder.clone() } else { base.venue_summary });
        PlanFields {
            nudges: self.nudges.unwrap_or(base.nudges),
            nudge_maybes: self.nudge_maybes.unwrap_or(base.nudge_maybes),
            answers_close: self.answers_close.unwrap_or(base.answers_close),
            reminder,
            venue_summary,
            follow_up: self.follow_up.unwrap_or(base.follow_up),
        }
    }
}

fn default_language() -> String {
    "en".to_owned()
}

impl From<NewEventRequest> for EventFields {
    fn from(r: NewEventRequest) -> Self {
        Self {
            title: r.title,
            description: r.description,
            venue_name: r.venue_name,
            venue_address: r.venue_address,
            venue_map_url: r.venue_map_url,
            venue_contact: r.venue_contact,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            time_zone: r.time_zone,
            rsvp_deadline: r.rsvp_deadline,
            capacity: r.capacity.map(i64::from),
            companions_allowed: r.companions_allowed.into(),
            language: r.language,
            follow_up_url: r.follow_up_url,
            plan: PlanInput::Iso(r.plan.unwrap_or_default().apply_to(PlanFields::default())),
            open_registration: r.open_registration,
            words: r.words,
            questions: r.questions,
        }
    }
}

/// Changes to an event: only the fields present change; `null` clears an
/// optional field. Local times are read in the (possibly new) `time_zone`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
// `Option<Option<T>>` is exactly JSON's absent / null / value for a patch.
#[allow(clippy::option_option)]
pub struct EventPatchRequest {
    #[schema(value_type = Option<Line<1, 200>>)]
    title: Option<String>,
    #[schema(value_type = Option<Text<5000>>)]
    description: Option<String>,
    #[schema(value_type = Option<Line<1, 200>>)]
    venue_name: Option<String>,
    #[schema(value_type = Option<Text<500>>)]
    venue_address: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<WebLink>)]
    venue_map_url: Option<Option<String>>,
    /// An email address; `null` or empty for none.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "accueil@cafe-victoires.fr")]
    venue_contact: Option<Option<String>>,
    #[schema(value_type = Option<EventTime>)]
    starts_at: Option<String>,
    #[schema(value_type = Option<EventTime>)]
    ends_at: Option<String>,
    #[schema(value_type = Option<TimeZoneName>)]
    time_zone: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<EventTimeOrBlank>)]
    rsvp_deadline: Option<Option<String>>,
    /// `null` makes it unlimited.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100_000)]
    capacity: Option<Option<Integer>>,
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 20)]
    companions_allowed: Option<Integer>,
    #[schema(value_type = Option<Language>)]
    language: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<WebLink>)]
    follow_up_url: Option<Option<String>>,
    plan: Option<PlanRequest>,
    open_registration: Option<bool>,
    /// Replaces all four texts; omitted ones become empty.
    words: Option<Words>,
    /// Replaces all the questions (at most 20); give back each one's `key`
    /// to keep the answers already given to it.
    #[schema(max_items = 20)]
    questions: Option<Vec<QuestionDraft>>,
}

/// Tells "absent" (`None`, via `default`) from "null" (`Some(None)`).
#[allow(clippy::option_option)]
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

impl EventPatchRequest {
    /// The current event's fields with this patch laid over them. Instants
    /// are carried as RFC 3339 so they survive a change of zone unchanged.
    pub(crate) fn apply_to(self, current: &EventDetails) -> EventFields {
        let instant = |at: chrono::DateTime<chrono::Utc>| at.to_rfc3339();
        EventFields {
            title: self.title.unwrap_or_else(|| current.title.clone()),
            description: self.description.unwrap_or_else(|| current.description.clone()),
            venue_name: self.venue_name.unwrap_or_else(|| current.venue.name.clone()),
            venue_address: self.venue_address.unwrap_or_else(|| current.venue.address.clone()),
            venue_map_url: self.venue_map_url.unwrap_or_else(|| current.venue.map_url.clone()),
            venue_contact: self
                .venue_contact
                .unwrap_or_else(|| current.venue_contact.as_ref().map(ToString::to_string)),
            starts_at: self.starts_at.unwrap_or_else(|| instant(current.schedule.starts_at)),
            ends_at: self.ends_at.unwrap_or_else(|| instant(current.schedule.ends_at)),
            time_zone: self.time_zone.unwrap_or_else(|| current.schedule.time_zone.name().to_owned()),
            rsvp_deadline: self.rsvp_deadline.unwrap_or_else(|| current.schedule.rsvp_deadline.map(instant)),
            capacity: self.capacity.map_or_else(|| current.capacity.map(i64::from), |c| c.map(i64::from)),
            companions_allowed: self
                .companions_allowed
                .map_or_else(|| i64::from(current.companions_allowed), i64::from),
            language: self.language.unwrap_or_else(|| current.language.as_str().to_owned()),
            follow_up_url: self.follow_up_url.unwrap_or_else(|| current.follow_up_url.clone()),
            plan: PlanInput::Iso(self.plan.unwrap_or_default().apply_to(PlanFields::from(&current.plan))),
            open_registration: self.open_registration.unwrap_or(current.open_registration),
            words: self.words.unwrap_or_else(|| current.words.clone()),
            questions: self.questions.unwrap_or_else(|| current.questions.iter().map(QuestionDraft::from).collect()),
        }
    }
}

impl EventPatchRequest {
    /// Laid over `current`, or, with nothing yet, taken as a whole: what is
    /// absent is then blank or the default, and the rules say what is missing.
    pub(crate) fn apply_to_or_new(self, current: Option<&EventDetails>) -> EventFields {
        if let Some(current) = current {
            return self.apply_to(current);
        }
        let base = EventFields { language: default_language(), ..EventFields::default() };
        EventFields {
            title: self.title.unwrap_or(base.title),
            description: self.description.unwrap_or(base.description),
            venue_name: self.venue_name.unwrap_or(base.venue_name),
            venue_address: self.venue_address.unwrap_or(base.venue_address),
            venue_map_url: self.venue_map_url.flatten(),
            venue_contact: self.venue_contact.flatten(),
            starts_at: self.starts_at.unwrap_or(base.starts_at),
            ends_at: self.ends_at.unwrap_or(base.ends_at),
            time_zone: self.time_zone.unwrap_or(base.time_zone),
            rsvp_deadline: self.rsvp_deadline.flatten(),
            capacity: self.capacity.flatten().map(i64::from),
            companions_allowed: self.companions_allowed.map_or(0, i64::from),
            language: self.language.unwrap_or(base.language),
            follow_up_url: self.follow_up_url.flatten(),
            plan: PlanInput::Iso(self.plan.unwrap_or_default().apply_to(PlanFields::default())),
            open_registration: self.open_registration.unwrap_or(false),
            words: self.words.unwrap_or_default(),
            questions: self.questions.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// At most this many events (1 to 200, default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u64>,
    /// Skip this many events (default 0).
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    offset: Option<u64>,
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct EventList {
    events: Vec<EventView>,
    limit: u64,
    offset: u64,
}

/// Create an event, as a draft.
#[utoipa::path(post, path = "/events", tag = "events", security(("api_key" = [])),
    request_body = NewEventRequest,
    responses(
        (status = 201, description = "Created", body = EventView),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn create_event(
    state: axum::extract::State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Json(request): Json<NewEventRequest>,
) -> Result<(StatusCode, Json<EventView>)> {
    let event = app::events::create(&state, organiser.id, EventFields::from(request)).await?;
    Ok((StatusCode::CREATED, Json(EventView::new(event, None))))
}

/// List your events, soonest first, with their counts.
#[utoipa::path(get, path = "/events", tag = "events", security(("api_key" = [])), params(Page),
    responses(
        (status = 200, description = "Your events", body = EventList),
        (status = 422, description = "`limit` or `offset` out of range", body = ErrorBody),
    ))]
async fn list_events(
    state: axum::extract::State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Query(page): Query<Page>,
) -> Result<Json<EventList>> {
    let limit = page.limit.unwrap_or(50);
    let offset = page.offset.unwrap_or(0);
    let events = app::events::list(&state, organiser.id, limit, offset).await?;
    let events = events.into_iter().map(|(event, counts)| EventView::new(event, Some(counts))).collect();
    Ok(Json(EventList { events, limit, offset }))
}

/// Read one of your events.
#[utoipa::path(get, path = "/events/{event_id}", tag = "events", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    responses(
        (status = 200, description = "The event", body = EventView),
        (status = 404, description = "No such event of yours", body = ErrorBody),
    ))]
async fn get_event(
    state: axum::extract::State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
) -> Result<(Extension<Cacheable>, Json<EventView>)> {
    let event = app::events::get(&state, organiser.id, event_id).await?;
    Ok((Extension(Cacheable::WHILE_UNCHANGED), Json(EventView::new(event, None))))
}

/// Change an event. Moving it or changing its place bumps its SEQUENCE;
/// raising the capacity seats guests from the waiting list.
#[utoipa::path(patch, path = "/events/{event_id}", tag = "events", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    request_body = EventPatchRequest,
    responses(
        (status = 200, description = "The changed event", body = EventView),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 409, description = "The event is cancelled", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn update_event(
    state: axum::extract::State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
    Json(patch): Json<EventPatchRequest>,
) -> Result<Json<EventView>> {
    let event = app::events::change(&state, organiser.id, event_id, |current| patch.apply_to(current)).await?.event;
    Ok(Json(EventView::new(event, None)))
}

/// Publish a draft: guests can answer from now on. Publishing twice is harmless.
#[utoipa::path(post, path = "/events/{event_id}/publish", tag = "events", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    responses(
        (status = 200, description = "The published event", body = EventView),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 409, description = "The event is cancelled", body = ErrorBody),
    ))]
async fn publish_event(
    state: axum::extract::State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
) -> Result<Json<EventView>> {
    Ok(Json(EventView::new(
        app::events::change_status(&state, organiser.id, event_id, EventStatus::Published).await?.event,
        None,
    )))
}

/// Cancel an event: nobody can answer any more. Cancelling twice is harmless.
#[utoipa::path(post, path = "/events/{event_id}/cancel", tag = "events", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    responses(
        (status = 200, description = "The cancelled event", body = EventView),
        (status = 404, description = "No such event of yours", body = ErrorBody),
    ))]
async fn cancel_event(
    state: axum::extract::State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
) -> Result<Json<EventView>> {
    Ok(Json(EventView::new(
        app::events::change_status(&state, organiser.id, event_id, EventStatus::Cancelled).await?.event,
        None,
    )))
}

/// Who is coming: invited, answered, yes / no / maybe, seats, waiting list.
#[utoipa::path(get, path = "/events/{event_id}/summary", tag = "events", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    responses(
        (status = 200, description = "The counts", body = SummaryView),
        (status = 404, description = "No such event of yours", body = ErrorBody),
    ))]
async fn event_summary(
    state: axum::extract::State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
) -> Result<Json<SummaryView>> {
    let (event, counts) = app::events::with_counts(&state, organiser.id, event_id).await?;
    let questions = app::events::question_totals(&state, &event).await?;
    Ok(Json(SummaryView { questions, ..SummaryView::new(&event, counts) }))
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct AnswerHistory {
    changes: Vec<AnswerChangeView>,
}

/// Every answer change, oldest first: how answers arrived over time.
#[utoipa::path(get, path = "/events/{event_id}/answers/history", tag = "answers", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    responses(
        (status = 200, description = "The changes", body = AnswerHistory),
        (status = 404, description = "No such event of yours", body = ErrorBody),
    ))]
async fn answer_history(
    state: axum::extract::State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
) -> Result<Json<AnswerHistory>> {
    let changes = app::answers::history(&state, organiser.id, event_id).await?;
    Ok(Json(AnswerHistory { changes: changes.into_iter().map(Into::into).collect() }))
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Requeued {
    /// Emails queued again.
    requeued: u64,
}

/// Send again every email of the event that failed (refused by the relay,
/// or not taken before the queue's lifetime ran out): each starts afresh.
#[utoipa::path(post, path = "/events/{event_id}/emails/resend-failed", tag = "events", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    responses(
        (status = 200, description = "How many emails were queued again", body = Requeued),
        (status = 404, description = "No such event of yours", body = ErrorBody),
    ))]
async fn resend_failed_emails(
    state: axum::extract::State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
) -> Result<Json<Requeued>> {
    let requeued = app::mail_queue::resend_failed(&state, organiser.id, event_id).await?;
    Ok(Json(Requeued { requeued }))
}
