//! Guest API: a guest reads and answers her invitation with only her token.

use axum::extract::State;
use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::extract::{Json, Path};
use super::guests::{AnswerRequest, answer_schema, answer_schemas};
use super::views::{ReplyView, VenueView, When};
use crate::app;
use crate::app::answers::{AnswerInput, Answerer, QuestionAnswers};
use crate::domain::event::{Event, EventStatus, Language, MAX_COMPANIONS_ALLOWED};
use crate::domain::guest::Guest;
use crate::error::{ErrorBody, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_invitation))
        .routes(routes!(answer_invitation))
        .routes(routes!(invitation_calendar))
}

/// A guest's own answer: her companions are bounded by the event's
/// `companions_allowed`, itself at most 20. Only a schema: the body is an
/// [`AnswerRequest`].
pub struct GuestAnswer;

impl PartialSchema for GuestAnswer {
    fn schema() -> RefOr<Schema> {
        answer_schema(MAX_COMPANIONS_ALLOWED, "the event's `companions_allowed`")
    }
}

impl ToSchema for GuestAnswer {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        answer_schemas(schemas);
    }
}

/// What a guest sees of the event: no counts, no other guests.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicEventView {
    title: String,
    description: String,
    venue: VenueView,
    starts_at: When,
    ends_at: When,
    time_zone: String,
    status: EventStatus,
    companions_allowed: u32,
    answers_close_at: When,
    /// What she is asked beyond yes or no, labelled in both languages.
    questions: Vec<crate::domain::question::Question>,
}

/// A guest's invitation and her answer so far.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    event: PublicEventView,
    guest_name: String,
    /// The language to show her: hers, else the event's.
    language: Language,
    reply: Option<ReplyView>,
    /// Her 1-based place if her "yes" waits for a seat.
    waitlist_position: Option<u32>,
    /// Whether she can still answer (published, not cancelled, before the deadline).
    answers_open: bool,
}

fn invitation_view(
    event: Event,
    guest: Guest,
    waitlist_position: Option<u32>,
    now: chrono::DateTime<chrono::Utc>,
) -> InvitationView {
    let answers_open = event.guest_may_answer(now).is_ok();
    let zone = event.details.schedule.time_zone;
    let details = event.details;
    InvitationView {
        language: guest.language.unwrap_or(details.language),
        guest_name: guest.name,
        reply: guest.reply.map(ReplyView::from),
        waitlist_position,
        answers_open,
        event: PublicEventView {
            answers_close_at: When::new(details.answers_close_at(), zone),
            title: details.title,
            description: details.description,
            venue: VenueView {
                name: details.venue.name,
                address: details.venue.address,
                map_url: details.venue.map_url,
            },
            starts_at: When::new(details.schedule.starts_at, zone),
            ends_at: When::new(details.schedule.ends_at, zone),
            time_zone: zone.name().to_owned(),
            status: event.status,
            companions_allowed: details.companions_allowed,
            questions: details.questions,
        },
    }
}

/// Read your invitation.
#[utoipa::path(get, path = "/invitations/{token}", tag = "invitations",
    params(("token" = String, Path, description = "The token from your personal link")),
    responses(
        (status = 200, description = "Your invitation", body = InvitationView),
        (status = 404, description = "No such invitation", body = ErrorBody),
    ))]
async fn read_invitation(State(state): State<AppState>, Path(token): Path<String>) -> Result<Json<InvitationView>> {
    let (guest, event) = app::answers::invitation(&state, &token).await?;
    let position = app::answers::waitlist_position(&state, &guest).await?;
    Ok(Json(invitation_view(event, guest, position, state.clock.now())))
}

/// Answer your invitation, or change your answer, until the deadline.
#[utoipa::path(put, path = "/invitations/{token}/answer", tag = "invitations",
    params(("token" = String, Path, description = "The token from your personal link")),
    request_body = GuestAnswer,
    responses(
        (status = 200, description = "Your invitation with your answer", body = InvitationView),
        (status = 404, description = "No such invitation", body = ErrorBody),
        (status = 409, description = "Not published yet, or not enough seats left for your companions", body = ErrorBody),
        (status = 410, description = "Answers are closed or the event is cancelled", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn answer_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(request): Json<AnswerRequest>,
) -> Result<Json<InvitationView>> {
    let input = AnswerInput {
        answer: request.answer,
        companions: request.companions.into(),
        comment: Some(request.comment),
        questions: request.questions.map_or(QuestionAnswers::Unchanged, QuestionAnswers::Given),
    };
    let outcome = app::answers::answer(&state, Answerer::Guest { token: &token }, &input).await?;
    Ok(Json(invitation_view(outcome.event, outcome.guest, outcome.waitlist_position, state.now())))
}

/// Your invitation as a calendar file, with your answer in it.
#[utoipa::path(get, path = "/invitations/{token}/calendar.ics", tag = "invitations",
    params(
        ("token" = String, Path, description = "The token from your personal link"),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of the text you have, or `*`"),
    ),
    responses(
        (status = 200, description = "The event, as iCalendar", content_type = "text/calendar"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 404, description = "No such invitation", body = ErrorBody),
    ))]
async fn invitation_calendar(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response> {
    let (guest, event, host) = app::answers::invitation_with_host(&state, &token).await?;
    Ok(super::calendar::guest_calendar(&state, &guest, &event, &host, &headers))
}
