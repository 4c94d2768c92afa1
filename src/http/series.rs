//! Organiser API: series, their dates, their community (members, import,
//! history) and "invite the community"; duplicating any event.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Integer, Json, Path, RawBody};
use super::guest_lists::{IMPORT_BODY_LIMIT_BYTES, list_source};
use super::views::{EventView, When};
use crate::app;
use crate::app::community::MemberWithHistory;
use crate::domain::attendance::{AtDate, Tally};
use crate::domain::community::{JoinedHow, Member, MemberStatus, NewMember};
use crate::domain::event::{Event, Language};
use crate::domain::guest::{GuestLanguage, NewGuest};
use crate::domain::guest_list::ImportReport;
use crate::domain::series::{Series, SeriesFields};
use crate::domain::token::series_feed_token;
use crate::error::{ApiError, ErrorBody, Result};
use crate::storage::events::Counts;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_members))
        .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT_BYTES))
        .routes(routes!(create_series, list_series))
        .routes(routes!(get_series, update_series))
        .routes(routes!(add_date))
        .routes(routes!(duplicate_event))
        .routes(routes!(invite_community))
        .routes(routes!(list_members, add_member))
        .routes(routes!(get_member, update_member))
        .routes(routes!(export_members))
}

/// A new series. `rule` suggests each next date: `weekly`, `every_n_weeks`
/// (with `every`, 1 to 12) or `monthly_nth_weekday` (with `nth`: 1 to 4,
/// -1 for the last; omitted: the same rank as the date before, i.e. "the
/// same weekday next month").
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSeriesRequest {
    #[schema(example = "Café des Victoires")]
    name: String,
    #[serde(default = "default_rule")]
    #[schema(example = "monthly_nth_weekday")]
    rule: String,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 12)]
    every: Option<Integer>,
    #[schema(value_type = Option<i64>, minimum = -1, maximum = 4)]
    nth: Option<Integer>,
    /// Whether walk-ins and confirmed registrants join the community (default true).
    #[serde(default = "yes")]
    walk_ins_join: bool,
    /// A "yes" turned "no" this close to the start counts as a late cancellation (default 24).
    #[serde(default = "default_late_hours")]
    #[schema(value_type = i64, minimum = 0, maximum = 168)]
    late_cancellation_hours: Integer,
    /// One of your events, not yet in a series: the series' first date,
    /// whose settings the next dates start from.
    first_date: Option<Uuid>,
}

fn default_rule() -> String {
    "monthly_nth_weekday".to_owned()
}

fn yes() -> bool {
    true
}

fn default_late_hours() -> Integer {
    Integer(24)
}

/// Changes to a series: only the fields present change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(clippy::option_option)]
pub struct SeriesPatchRequest {
    name: Option<String>,
    rule: Option<String>,
    #[schema(value_type = Option<i64>)]
    every: Option<Integer>,
    /// `null` goes back to "the same rank as the date before".
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    nth: Option<Option<Integer>>,
    walk_ins_join: Option<bool>,
    #[schema(value_type = Option<i64>)]
    late_cancellation_hours: Option<Integer>,
}

#[allow(clippy::option_option)]
fn present<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A series as its organiser sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesView {
    id: Uuid,
    name: String,
    rule: String,
    every: u32,
    /// 1 to 4, -1 for the last; `null`: the same rank as the date before.
    nth: Option<i32>,
    walk_ins_join: bool,
    late_cancellation_hours: u32,
    created_at: DateTime<Utc>,
    /// Its dates, earliest first (in the series' own page only).
    #[serde(skip_serializing_if = "Option::is_none")]
    dates: Option<Vec<DateView>>,
    /// When the next date would start, by its rule (in the series' own page only).
    #[serde(skip_serializing_if = "Option::is_none")]
    next_date_suggested: Option<When>,
}

impl SeriesView {
    fn new(series: Series) -> Self {
        let (rule, every, nth) = series.settings.recurrence.parts();
        Self {
            id: series.id,
            name: series.settings.name,
            rule: rule.to_owned(),
            every,
            nth,
            walk_ins_join: series.settings.walk_ins_join,
            late_cancellation_hours: series.settings.late_cancellation_hours,
            created_at: series.created_at,
            dates: None,
            next_date_suggested: None,
        }
    }
}

/// One date of a series, with who was invited, said yes, and came.
#[derive(Debug, Serialize, ToSchema)]
pub struct DateView {
    event_id: Uuid,
    title: String,
    starts_at: When,
    status: crate::domain::event::EventStatus,
    invited: u64,
    yes: u64,
    came: u64,
    walk_ins: u64,
}

impl DateView {
    fn new(event: &Event, counts: Counts) -> Self {
        Self {
            event_id: event.id,
            title: event.details.title.clone(),
            starts_at: When::new(event.details.schedule.starts_at, event.details.schedule.time_zone),
            status: event.status,
            invited: counts.invited,
            yes: counts.yes,
            came: counts.came,
            walk_ins: counts.walk_ins,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesList {
    series: Vec<SeriesView>,
}

fn integer(value: Option<Integer>) -> Option<i64> {
    value.map(i64::from)
}

/// Create a series, optionally around one of your events as its first date.
#[utoipa::path(post, path = "/series", tag = "series", security(("api_key" = [])),
    request_body = NewSeriesRequest,
    responses(
        (status = 201, description = "Created", body = SeriesView),
        (status = 404, description = "`first_date` is no event of yours", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn create_series(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Json(r): Json<NewSeriesRequest>,
) -> Result<(StatusCode, Json<SeriesView>)> {
    let fields = SeriesFields {
        name: r.name,
        rule: r.rule,
        every: integer(r.every),
        nth: integer(r.nth),
        walk_ins_join: r.walk_ins_join,
        late_cancellation_hours: r.late_cancellation_hours.into(),
    };
    let series = app::series::create(&state, organiser.id, fields, r.first_date).await?;
    Ok((StatusCode::CREATED, Json(SeriesView::new(series))))
}

/// Your series, by name.
#[utoipa::path(get, path = "/series", tag = "series", security(("api_key" = [])),
    responses((status = 200, description = "Your series", body = SeriesList)))]
async fn list_series(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
) -> Result<Json<SeriesList>> {
    let series = app::series::list(&state, organiser.id).await?;
    Ok(Json(SeriesList { series: series.into_iter().map(SeriesView::new).collect() }))
}

/// A series with its dates (invited, yes, came at each) and the date its
/// rule suggests next.
#[utoipa::path(get, path = "/series/{series_id}", tag = "series", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series")),
    responses(
        (status = 200, description = "The series", body = SeriesView),
        (status = 404, description = "No such series of yours", body = ErrorBody),
    ))]
async fn get_series(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(series_id): Path<Uuid>,
) -> Result<Json<SeriesView>> {
    Ok(Json(series_view(app::series::overview(&state, organiser.id, series_id).await?)))
}

fn series_view(overview: app::series::Overview) -> SeriesView {
    let next = overview.next_start.zip(overview.defaults.as_ref()).map(|(at, d)| When::new(at, d.schedule.time_zone));
    let mut view = SeriesView::new(overview.series);
    view.dates = Some(overview.dates.iter().map(|(event, counts)| DateView::new(event, *counts)).collect());
    view.next_date_suggested = next;
    view
}

/// Change a series' name, rule or settings.
#[utoipa::path(patch, path = "/series/{series_id}", tag = "series", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series")),
    request_body = SeriesPatchRequest,
    responses(
        (status = 200, description = "The changed series", body = SeriesView),
        (status = 404, description = "No such series of yours", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn update_series(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(series_id): Path<Uuid>,
    Json(patch): Json<SeriesPatchRequest>,
) -> Result<Json<SeriesView>> {
    let series = app::series::change(&state, organiser.id, series_id, |current| {
        let base = app::series::fields_of(current);
        SeriesFields {
            name: patch.name.unwrap_or(base.name),
            rule: patch.rule.unwrap_or(base.rule),
            every: integer(patch.every).or(base.every),
            nth: patch.nth.map_or(base.nth, integer),
            walk_ins_join: patch.walk_ins_join.unwrap_or(base.walk_ins_join),
            late_cancellation_hours: integer(patch.late_cancellation_hours).unwrap_or(base.late_cancellation_hours),
        }
    })
    .await?;
    Ok(Json(SeriesView::new(series)))
}

/// How a copy is made: when it starts, and whether its guests come along.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyRequest {
    /// An RFC 3339 instant or a local time in the event's zone; omitted:
    /// the date the rule suggests (outside a series, the same weekday next month).
    #[schema(value_type = Option<crate::domain::event::EventTime>)]
    starts_at: Option<String>,
    /// Invite the same guests afresh (default false).
    #[serde(default)]
    with_guests: bool,
}

impl From<CopyRequest> for app::series::Copy {
    fn from(r: CopyRequest) -> Self {
        Self { starts_at: r.starts_at, with_guests: r.with_guests }
    }
}

/// Add the next date: a draft copy of the latest date with all its
/// settings, at the date the series' rule suggests.
#[utoipa::path(post, path = "/series/{series_id}/dates", tag = "series", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series")),
    request_body = CopyRequest,
    responses(
        (status = 201, description = "The new date, a draft", body = EventView),
        (status = 404, description = "No such series of yours", body = ErrorBody),
        (status = 422, description = "The series has no date yet, or `starts_at` is invalid", body = ErrorBody),
    ))]
async fn add_date(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(series_id): Path<Uuid>,
    Json(copy): Json<CopyRequest>,
) -> Result<(StatusCode, Json<EventView>)> {
    let event = app::series::next_date(&state, organiser.id, series_id, copy.into()).await?;
    Ok((StatusCode::CREATED, Json(EventView::new(event, None))))
}

/// "The same, next month": a draft copy of one of your events with all its
/// settings, moved in time, with or without its guests.
#[utoipa::path(post, path = "/events/{event_id}/duplicate", tag = "events", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    request_body = CopyRequest,
    responses(
        (status = 201, description = "The copy, a draft", body = EventView),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 422, description = "`starts_at` is invalid", body = ErrorBody),
    ))]
async fn duplicate_event(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
    Json(copy): Json<CopyRequest>,
) -> Result<(StatusCode, Json<EventView>)> {
    let event = app::series::duplicate(&state, organiser.id, event_id, copy.into()).await?;
    Ok((StatusCode::CREATED, Json(EventView::new(event, None))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Invited {
    /// Members added to the guest list (and, for a published date, invited).
    added: u64,
}

/// Invite the community: every active member of the date's series not yet
/// on its list joins it (and is invited at once if the date is published).
/// Members who left or unsubscribed are not. Run it again to invite those
/// who joined since.
#[utoipa::path(post, path = "/events/{event_id}/invite-community", tag = "series", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "A date of a series")),
    responses(
        (status = 200, description = "How many were added", body = Invited),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 409, description = "The event is cancelled", body = ErrorBody),
        (status = 422, description = "The event is not a date of a series", body = ErrorBody),
    ))]
async fn invite_community(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
) -> Result<Json<Invited>> {
    let added = app::community::invite(&state, organiser.id, event_id).await?;
    Ok(Json(Invited { added }))
}

/// A member of the community, with her history across the dates.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    id: Uuid,
    email: String,
    name: String,
    first_name: String,
    language: Option<Language>,
    tags: Vec<String>,
    status: MemberStatus,
    joined_how: JoinedHow,
    consented_at: Option<DateTime<Utc>>,
    joined_at: DateTime<Utc>,
    left_at: Option<DateTime<Utc>>,
    /// Counts across the series' published dates: `came` of `dates`, never
    /// a share under three dates.
    history: Tally,
    /// Her dates, earliest first (in her own page only).
    #[serde(skip_serializing_if = "Option::is_none")]
    dates: Option<Vec<MemberDateView>>,
    /// Her calendar feed of the series' dates to come, with her answers:
    /// the link to give her (`https://` and `webcal://`).
    feed_url: String,
    webcal_url: String,
}

impl MemberView {
    fn new(state: &AppState, member: Member, history: Tally) -> Self {
        let feed_url = state.links().series_feed(&series_feed_token(&state.link_key, member.id));
        let webcal_url = crate::links::webcal(&feed_url);
        Self {
            feed_url,
            webcal_url,
            id: member.id,
            email: member.email.to_string(),
            name: member.name,
            first_name: member.first_name,
            language: member.language,
            tags: member.tags,
            status: member.status,
            joined_how: member.joined_how,
            consented_at: member.consented_at,
            joined_at: member.joined_at,
            left_at: member.left_at,
            history,
            dates: None,
        }
    }
}

/// What happened to her at one date.
// The history's columns, each a yes or a no.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberDateView {
    event_id: Uuid,
    starts_at: When,
    invited: bool,
    answered: bool,
    said_yes: bool,
    came: bool,
    no_show: bool,
    late_cancellation: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    members: Vec<MemberView>,
}

/// The community, by address, each member with her history.
#[utoipa::path(get, path = "/series/{series_id}/members", tag = "series", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series")),
    responses(
        (status = 200, description = "The members", body = MemberList),
        (status = 404, description = "No such series of yours", body = ErrorBody),
    ))]
async fn list_members(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(series_id): Path<Uuid>,
) -> Result<Json<MemberList>> {
    let (_, members) = app::community::list(&state, organiser.id, series_id).await?;
    let members = members.into_iter().map(|MemberWithHistory { member, tally }| MemberView::new(&state, member, tally));
    Ok(Json(MemberList { members: members.collect() }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMemberRequest {
    #[schema(example = "anne@example.org")]
    email: String,
    name: Option<String>,
    first_name: Option<String>,
    #[schema(value_type = Option<GuestLanguage>)]
    language: Option<String>,
    /// Comma-separated, e.g. `voisins, bureau`.
    #[serde(default)]
    tags: String,
    /// When she agreed to hear from the series, if you know.
    consented_at: Option<DateTime<Utc>>,
}

/// Add a member by hand.
#[utoipa::path(post, path = "/series/{series_id}/members", tag = "series", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series")),
    request_body = NewMemberRequest,
    responses(
        (status = 201, description = "Added", body = MemberView),
        (status = 404, description = "No such series of yours", body = ErrorBody),
        (status = 409, description = "Already in the community", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn add_member(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(series_id): Path<Uuid>,
    Json(r): Json<NewMemberRequest>,
) -> Result<(StatusCode, Json<MemberView>)> {
    let person =
        NewGuest::parse_with_first_name(&r.email, r.name.as_deref(), r.first_name.as_deref(), r.language.as_deref());
    let member = NewMember::parse(person, &r.tags, JoinedHow::Added, r.consented_at)
        .map_err(|fields| ApiError::Validation { fields })?;
    let member = app::community::add(&state, organiser.id, series_id, &member).await?;
    Ok((StatusCode::CREATED, Json(MemberView::new(&state, member, Tally::default()))))
}

/// A member with what happened to her at each date.
#[utoipa::path(get, path = "/series/{series_id}/members/{member_id}", tag = "series", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series"), ("member_id" = Uuid, Path, description = "The member")),
    responses(
        (status = 200, description = "The member", body = MemberView),
        (status = 404, description = "No such member of a series of yours", body = ErrorBody),
    ))]
async fn get_member(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((series_id, member_id)): Path<(Uuid, Uuid)>,
) -> Result<Json<MemberView>> {
    let series = app::series::get(&state, organiser.id, series_id).await?;
    let (member, tally, dates) = app::community::member(&state, organiser.id, series_id, member_id).await?;
    let late = series.settings.late_cancellation_hours;
    let mut view = MemberView::new(&state, member, tally);
    view.dates = Some(dates.iter().map(|(event, at)| member_date(event, at, late)).collect());
    Ok(Json(view))
}

fn member_date(event: &Event, at: &AtDate, late: u32) -> MemberDateView {
    MemberDateView {
        event_id: event.id,
        starts_at: When::new(event.details.schedule.starts_at, event.details.schedule.time_zone),
        invited: at.invited(),
        answered: at.answered(),
        said_yes: at.said_yes(),
        came: at.came(),
        no_show: at.no_show(),
        late_cancellation: at.late_cancellation(late),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberPatchRequest {
    /// `left`: never invited by the series again; `active`: back.
    status: MemberStatus,
}

/// Mark a member as left, or back as active.
#[utoipa::path(patch, path = "/series/{series_id}/members/{member_id}", tag = "series", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series"), ("member_id" = Uuid, Path, description = "The member")),
    request_body = MemberPatchRequest,
    responses(
        (status = 200, description = "The member", body = MemberView),
        (status = 404, description = "No such member of a series of yours", body = ErrorBody),
    ))]
async fn update_member(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((series_id, member_id)): Path<(Uuid, Uuid)>,
    Json(patch): Json<MemberPatchRequest>,
) -> Result<Json<MemberView>> {
    let member = app::community::set_status(&state, organiser.id, series_id, member_id, patch.status).await?;
    Ok(Json(MemberView::new(&state, member, Tally::default())))
}

/// Import members from a spreadsheet (`text/csv`) or a pasted list
/// (`text/plain`), read exactly as guest lists are, with one result per
/// row. Someone already in the community (or who left) is reported and left
/// as she is.
#[utoipa::path(post, path = "/series/{series_id}/members/import", tag = "series", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series")),
    request_body(description = "Up to 8 MiB", content(
        ("text/csv", example = "Prénom;Nom;Adresse e-mail;Langue\nAnne;Martin;anne@example.org;fr\n"),
        ("text/plain", example = "Anne Martin <anne@example.org>\n"),
    )),
    responses(
        (status = 200, description = "One result per row", body = ImportReport),
        (status = 404, description = "No such series of yours", body = ErrorBody),
        (status = 413, description = "Larger than 8 MiB", body = ErrorBody),
        (status = 415, description = "Neither `text/csv` nor `text/plain`", body = ErrorBody),
        (status = 422, description = "No email column, or no rows", body = ErrorBody),
    ))]
async fn import_members(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(series_id): Path<Uuid>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Json<ImportReport>> {
    let source = list_source(&headers, &body)?;
    Ok(Json(app::community::import(&state, organiser.id, series_id, source).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `fr`: `;`-separated, French headings and values; `en` (the default): commas.
    #[param(value_type = Option<Language>)]
    language: Option<String>,
}

/// The community as CSV for a spreadsheet, each member with her history
/// (dates, invited, answered, yes, came, no-shows, late cancellations).
/// Its name, first name, email and language columns import back as they are.
#[utoipa::path(get, path = "/series/{series_id}/members.csv", tag = "series", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series"), ExportQuery),
    responses(
        (status = 200, description = "The members, by address", content_type = "text/csv", body = String),
        (status = 404, description = "No such series of yours", body = ErrorBody),
        (status = 422, description = "`language` is neither `fr` nor `en`", body = ErrorBody),
    ))]
async fn export_members(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(series_id): Path<Uuid>,
    super::extract::Query(query): super::extract::Query<ExportQuery>,
) -> Result<axum::response::Response> {
    use axum::response::IntoResponse;
    let language = match query.language.as_deref() {
        Some(raw) => Language::parse(raw).map_err(|message| ApiError::field("language", message))?,
        None => Language::En,
    };
    let (name, file) = app::community::export(&state, organiser.id, series_id, language).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        file,
    )
        .into_response())
}
