//! Organiser API: the defaults a series' new dates start from. They are an
//! event's settings (the same fields, rules and patch semantics as an
//! event's), on a model date whose local time of day and length are kept.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::events::EventPatchRequest;
use super::extract::{AuthenticatedOrganiser, Json, Path};
use super::views::{PlanView, VenueView, When};
use crate::app;
use crate::domain::event::{EventDetails, Language, Words};
use crate::error::{ErrorBody, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_defaults, update_defaults)).routes(routes!(defaults_from_date))
}

/// What a new date of the series starts from. `starts_at` and `ends_at` are
/// a model date: a new date keeps their local time of day and length, on
/// the day the series' rule suggests.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesDefaultsView {
    series_id: Uuid,
    title: String,
    description: String,
    venue: VenueView,
    #[schema(value_type = Option<String>, format = Email)]
    venue_contact: Option<String>,
    starts_at: When,
    ends_at: When,
    #[schema(example = "Europe/Paris")]
    time_zone: String,
    /// As far before the start as on the model date; `null`: when it starts.
    rsvp_deadline: Option<When>,
    capacity: Option<u32>,
    companions_allowed: u32,
    language: Language,
    follow_up_url: Option<String>,
    plan: PlanView,
    open_registration: bool,
    words: Words,
    questions: Vec<crate::domain::question::Question>,
}

impl SeriesDefaultsView {
    fn new(series_id: Uuid, details: EventDetails) -> Self {
        let zone = details.schedule.time_zone;
        Self {
            series_id,
            plan: PlanView::new(&details.plan, &details.schedule),
            venue: VenueView {
                name: details.venue.name,
                address: details.venue.address,
                map_url: details.venue.map_url,
            },
            venue_contact: details.venue_contact.map(|c| c.to_string()),
            starts_at: When::new(details.schedule.starts_at, zone),
            ends_at: When::new(details.schedule.ends_at, zone),
            time_zone: zone.name().to_owned(),
            rsvp_deadline: details.schedule.rsvp_deadline.map(|d| When::new(d, zone)),
            title: details.title,
            description: details.description,
            capacity: details.capacity,
            companions_allowed: details.companions_allowed,
            language: details.language,
            follow_up_url: details.follow_up_url,
            open_registration: details.open_registration,
            words: details.words,
            questions: details.questions,
        }
    }
}

/// The defaults of a series' new dates.
#[utoipa::path(get, path = "/series/{series_id}/defaults", tag = "series", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series")),
    responses(
        (status = 200, description = "Its defaults", body = SeriesDefaultsView),
        (status = 404, description = "No such series of yours, or it has no defaults yet", body = ErrorBody),
    ))]
async fn get_defaults(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(series_id): Path<Uuid>,
) -> Result<Json<SeriesDefaultsView>> {
    let (series, defaults) = app::series::defaults(&state, organiser.id, series_id).await?;
    Ok(Json(SeriesDefaultsView::new(series.id, defaults)))
}

/// Change the defaults of a series' new dates, as an event is changed: only
/// the fields present change. Dates already made keep their settings.
#[utoipa::path(patch, path = "/series/{series_id}/defaults", tag = "series", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series")),
    request_body = EventPatchRequest,
    responses(
        (status = 200, description = "Its new defaults", body = SeriesDefaultsView),
        (status = 404, description = "No such series of yours", body = ErrorBody),
        (status = 422, description = "Invalid fields (with no defaults yet, every required field)", body = ErrorBody),
    ))]
async fn update_defaults(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(series_id): Path<Uuid>,
    Json(patch): Json<EventPatchRequest>,
) -> Result<Json<SeriesDefaultsView>> {
    let defaults =
        app::series::change_defaults(&state, organiser.id, series_id, |current| patch.apply_to_or_new(current)).await?;
    Ok(Json(SeriesDefaultsView::new(series_id, defaults)))
}

/// Make one date's settings the defaults of its series' next dates.
#[utoipa::path(post, path = "/events/{event_id}/series-defaults", tag = "series", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "A date of a series")),
    responses(
        (status = 200, description = "The series' new defaults", body = SeriesDefaultsView),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 422, description = "The event is not a date of a series", body = ErrorBody),
    ))]
async fn defaults_from_date(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
) -> Result<(StatusCode, Json<SeriesDefaultsView>)> {
    let (series, defaults) = app::series::defaults_from_date(&state, organiser.id, event_id).await?;
    Ok((StatusCode::OK, Json(SeriesDefaultsView::new(series.id, defaults))))
}
