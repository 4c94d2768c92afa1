//! Organiser API: guests of an event, and answers set by the organiser.

use crate::domain::question::{Answers, Given};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{
    AdditionalProperties, AllOfBuilder, AnyOfBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType,
    Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{IntoParams, PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Integer, Json, Path, Query};
use super::views::GuestView;
use crate::app;
use crate::app::answers::{AnswerInput, Answerer, QuestionAnswers};
use crate::app::guests::RowOutcome;
use crate::domain::FieldErrors;
use crate::domain::answer::{Answer, MAX_COMMENT_CHARS, MAX_COMPANIONS_BY_ORGANISER};
use crate::domain::email_address::EmailAddress;
use crate::domain::guest::{Guest, GuestLanguage, ListPosition, NewGuest};
use crate::domain::text::{Line, Text};
use crate::domain::token::InvitationToken;
use crate::error::{ApiError, ErrorBody, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_guest, list_guests))
        .routes(routes!(add_guests))
        .routes(routes!(remove_guest))
        .routes(routes!(set_answer))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGuestRequest {
    #[schema(value_type = EmailAddress)]
    email: String,
    #[schema(value_type = Option<Line<0, 200>>, example = "Anne Martin")]
    name: Option<String>,
    /// What her emails greet her by ("Bonjour Anne,"); without it they greet
    /// her by `name`.
    #[schema(value_type = Option<Line<0, 100>>, example = "Anne")]
    first_name: Option<String>,
    #[schema(value_type = Option<GuestLanguage>)]
    language: Option<String>,
}

impl TryFrom<&NewGuestRequest> for NewGuest {
    type Error = FieldErrors;

    fn try_from(r: &NewGuestRequest) -> Result<Self, FieldErrors> {
        NewGuest::parse_with_first_name(&r.email, r.name.as_deref(), r.first_name.as_deref(), r.language.as_deref())
    }
}

/// One row of a bulk invitation: the fields of a single one, checked row
/// by row, so a row the rules refuse is reported in its result rather than
/// refusing the request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestRow {
    /// Checked as in a single invitation.
    #[schema(example = "anne.martin@example.org")]
    email: String,
    /// Checked as in a single invitation.
    #[schema(example = "Anne Martin")]
    name: Option<String>,
    /// Checked as in a single invitation.
    #[schema(example = "Anne")]
    first_name: Option<String>,
    /// Checked as in a single invitation.
    language: Option<String>,
}

impl TryFrom<&GuestRow> for NewGuest {
    type Error = FieldErrors;

    fn try_from(r: &GuestRow) -> Result<Self, FieldErrors> {
        NewGuest::parse_with_first_name(&r.email, r.name.as_deref(), r.first_name.as_deref(), r.language.as_deref())
    }
}

/// A guest just invited, with her personal invitation token. The token is
/// shown only here: Convive keeps just its hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitedGuest {
    #[serde(flatten)]
    guest: GuestView,
    invitation_token: String,
    /// Where the guest reads and answers her invitation.
    invitation_url: String,
}

fn invited(state: &AppState, guest: Guest, token: &InvitationToken) -> InvitedGuest {
    InvitedGuest {
        invitation_url: state.links().invitation(token.as_str()),
        invitation_token: token.as_str().to_owned(),
        guest: GuestView::new(guest, None),
    }
}

/// Invite one guest.
#[utoipa::path(post, path = "/events/{event_id}/guests", tag = "guests", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    request_body = NewGuestRequest,
    responses(
        (status = 201, description = "Invited", body = InvitedGuest),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 409, description = "This address is already invited, or the event is cancelled", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn add_guest(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
    Json(request): Json<NewGuestRequest>,
) -> Result<(StatusCode, Json<InvitedGuest>)> {
    let new_guest = NewGuest::try_from(&request).map_err(ApiError::validation)?;
    let (guest, token) = app::guests::invite(&state, organiser.id, event_id, &new_guest).await?;
    Ok((StatusCode::CREATED, Json(invited(&state, guest, &token))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGuestsRequest {
    #[schema(min_items = 1, max_items = 1000)]
    guests: Vec<GuestRow>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    Added,
    /// Already invited, or listed twice in this request.
    Duplicate,
    Invalid,
}

/// What became of one row of a bulk request.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowResult {
    /// 0-based position in the request.
    row: usize,
    email: String,
    status: RowStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    guest: Option<InvitedGuest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<std::collections::BTreeMap<String, String>>)]
    errors: Option<FieldErrors>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkReport {
    added: usize,
    duplicates: usize,
    invalid: usize,
    rows: Vec<RowResult>,
}

/// Invite many guests at once; each row gets its own result, and valid rows
/// are added even when others are not.
#[utoipa::path(post, path = "/events/{event_id}/guests/bulk", tag = "guests", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    request_body = NewGuestsRequest,
    responses(
        (status = 200, description = "One result per row", body = BulkReport),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 409, description = "The event is cancelled", body = ErrorBody),
        (status = 422, description = "Too many or no rows, or a row that is not an object with an `email`", body = ErrorBody),
    ))]
async fn add_guests(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
    Json(request): Json<NewGuestsRequest>,
) -> Result<Json<BulkReport>> {
    let rows = request.guests.iter().map(NewGuest::try_from).collect();
    let outcomes = app::guests::invite_rows(&state, organiser.id, event_id, rows).await?;
    let mut report = BulkReport { added: 0, duplicates: 0, invalid: 0, rows: Vec::with_capacity(outcomes.len()) };
    for (row, (raw, outcome)) in request.guests.iter().zip(outcomes).enumerate() {
        let (status, guest, errors) = match outcome {
            RowOutcome::Invalid(errors) => (RowStatus::Invalid, None, Some(errors)),
            RowOutcome::Added(guest, token) => (RowStatus::Added, Some(invited(&state, *guest, &token)), None),
            RowOutcome::Duplicate => (RowStatus::Duplicate, None, None),
        };
        match status {
            RowStatus::Added => report.added += 1,
            RowStatus::Duplicate => report.duplicates += 1,
            RowStatus::Invalid => report.invalid += 1,
        }
        report.rows.push(RowResult { row, email: raw.email.trim().to_owned(), status, guest, errors });
    }
    Ok(Json(report))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GuestList {
    guests: Vec<GuestView>,
    /// Pass as `after` for the next page; `null` on the last.
    #[schema(
        pattern = r"^[0-8]?[0-9]{1,18}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        example = "1796891400000000000.0193f2a4-7b1c-74b4-99c8-2b595db71f6a"
    )]
    next: Option<String>,
}

/// Where a page ends: the last guest's invitation time (nanoseconds since
/// 1970) and id. Any such position is a place in the order they were
/// invited, so any value of this form is a valid `after`.
// The same as the two `pattern`s above and below: utoipa takes only literals there.
const CURSOR_PATTERN: &str = r"^[0-8]?[0-9]{1,18}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GuestPageQuery {
    /// At most this many guests (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u64>,
    /// The `next` of the previous page; without it, the list starts at the
    /// first guest invited.
    #[param(pattern = r"^[0-8]?[0-9]{1,18}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    after: Option<String>,
}

fn cursor(position: ListPosition) -> String {
    let nanos = position.created_at.timestamp_nanos_opt().unwrap_or_default().max(0);
    format!("{nanos}.{}", position.id.hyphenated())
}

fn position(cursor: &str) -> Result<ListPosition> {
    let refused = || ApiError::field("after", format!("must be the `next` of a page (of the form {CURSOR_PATTERN})"));
    let (nanos, id) = cursor.split_once('.').ok_or_else(refused)?;
    // Up to 19 digits, the first below 9: always within an i64.
    let well_formed = (1..=19).contains(&nanos.len())
        && nanos.bytes().all(|b| b.is_ascii_digit())
        && (nanos.len() < 19 || nanos.as_bytes()[0] <= b'8')
        && id.len() == 36
        && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b'-');
    if !well_formed {
        return Err(refused());
    }
    let created_at = chrono::DateTime::from_timestamp_nanos(nanos.parse::<i64>().map_err(|_| refused())?);
    let id = id.parse::<Uuid>().map_err(|_| refused())?;
    Ok(ListPosition { created_at, id })
}

/// The event's guests with their answers and waiting-list places, a page at
/// a time, in the order they were invited.
#[utoipa::path(get, path = "/events/{event_id}/guests", tag = "guests", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event"), GuestPageQuery),
    responses(
        (status = 200, description = "A page of guests, in the order they were invited", body = GuestList),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 422, description = "`limit` out of range, or `after` not a `next` of this list", body = ErrorBody),
    ))]
async fn list_guests(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
    Query(page): Query<GuestPageQuery>,
) -> Result<Json<GuestList>> {
    let after = page.after.as_deref().map(position).transpose()?;
    let limit = page.limit.unwrap_or(100);
    let (records, next) = app::guests::list(&state, organiser.id, event_id, after, limit).await?;
    Ok(Json(GuestList { guests: records.into_iter().map(GuestView::from).collect(), next: next.map(cursor) }))
}

/// Remove a guest; whoever her seats make room for is seated from the waiting list.
#[utoipa::path(delete, path = "/events/{event_id}/guests/{guest_id}", tag = "guests", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event"), ("guest_id" = Uuid, Path, description = "The guest")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such event or guest of yours", body = ErrorBody),
        (status = 409, description = "The event is cancelled", body = ErrorBody),
    ))]
async fn remove_guest(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((event_id, guest_id)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode> {
    app::guests::remove(&state, organiser.id, event_id, guest_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An answer. Companions are ignored for "no". Documented as
/// [`OrganiserAnswer`] or `invitations::GuestAnswer`, whose limits differ.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    pub answer: Answer,
    #[serde(default)]
    pub companions: Integer,
    #[serde(default)]
    pub comment: String,
    /// Left out, her answers to the questions stay as they are.
    #[serde(default)]
    pub questions: Option<Answers>,
}

/// Set a guest's answer, e.g. for a guest who phoned. The organiser is not
/// bound by the deadline or the companion limit; seats and the waiting list
/// still apply.
#[utoipa::path(put, path = "/events/{event_id}/guests/{guest_id}/answer", tag = "answers", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event"), ("guest_id" = Uuid, Path, description = "The guest")),
    request_body = OrganiserAnswer,
    responses(
        (status = 200, description = "The guest with her new answer", body = GuestView),
        (status = 404, description = "No such event or guest of yours", body = ErrorBody),
        (status = 409, description = "Not enough seats for a seated guest's larger party, or the event is cancelled", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn set_answer(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((event_id, guest_id)): Path<(Uuid, Uuid)>,
    Json(request): Json<AnswerRequest>,
) -> Result<Json<GuestView>> {
    let answerer = Answerer::Organiser { organiser_id: organiser.id, event_id, guest_id };
    let input = AnswerInput {
        answer: request.answer,
        companions: request.companions.into(),
        comment: Some(request.comment),
        questions: request.questions.map_or(QuestionAnswers::Unchanged, QuestionAnswers::Given),
    };
    let outcome = app::answers::answer(&state, answerer, &input).await?;
    Ok(Json(GuestView::new(outcome.guest, outcome.waitlist_position)))
}

/// The schema of an answer whose companions are bounded by `limit` unless
/// it is a "no" (whose companions are ignored, but must not be negative).
pub fn answer_schema(limit: i64, limit_words: &str) -> RefOr<Schema> {
    let fields = ObjectBuilder::new()
        .description(Some(format!(
            "An answer. `companions` (default 0) are at most {limit_words}, and ignored for \"no\"."
        )))
        .property("answer", Ref::from_schema_name(Answer::name()))
        .required("answer")
        .property(
            "companions",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(int64()))
                .minimum(Some(0))
                .maximum(Some(i64::MAX)),
        )
        .property("comment", Ref::from_schema_name(Text::<MAX_COMMENT_CHARS>::name()))
        .property(
            "questions",
            ObjectBuilder::new()
                .schema_type(SchemaType::from_iter([Type::Object, Type::Null]))
                .description(Some(
                    "Answers to the event's questions by question key: a text or one option's key as a string, \
                     several options' keys as a list, yes/no as a boolean. Left out or `null`, they stay as they are; \
                     checked against the event's questions (required ones for a guest who comes or may come).",
                ))
                .additional_properties(Some(AdditionalProperties::RefOr(Ref::from_schema_name(Given::name()).into()))),
        )
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    let within_limit = AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .property("answer", ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["no"]))),
        )
        .item(ObjectBuilder::new().property(
            "companions",
            ObjectBuilder::new().schema_type(Type::Integer).format(Some(int64())).maximum(Some(limit)),
        ));
    AllOfBuilder::new().item(fields).item(within_limit).into()
}

fn int64() -> SchemaFormat {
    SchemaFormat::KnownFormat(KnownFormat::Int64)
}

/// The schemas an answer refers to.
pub fn answer_schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    schemas.push((Answer::name().into_owned(), Answer::schema()));
    schemas.push((Text::<MAX_COMMENT_CHARS>::name().into_owned(), Text::<MAX_COMMENT_CHARS>::schema()));
    schemas.push((Given::name().into_owned(), Given::schema()));
}

/// The organiser's answer for a guest: up to 100 companions, whatever the
/// event allows its guests. Only a schema: the body is an [`AnswerRequest`].
pub struct OrganiserAnswer;

impl PartialSchema for OrganiserAnswer {
    fn schema() -> RefOr<Schema> {
        answer_schema(MAX_COMPANIONS_BY_ORGANISER, &format!("{MAX_COMPANIONS_BY_ORGANISER}"))
    }
}

impl ToSchema for OrganiserAnswer {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        answer_schemas(schemas);
    }
}
