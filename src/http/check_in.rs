//! Check-in at the door, from the organiser's phone: one call per tap (and
//! one to undo a wrong tap), and walk-ins added and checked in at once.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Integer, Json, Path};
use super::views::GuestView;
use crate::app;
use crate::app::check_in::{WalkIn, WalkInInput};
use crate::domain::email_address::EmailAddress;
use crate::domain::guest::GuestLanguage;
use crate::domain::text::Line;
use crate::error::{ErrorBody, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(check_in, undo_check_in)).routes(routes!(add_walk_in))
}

/// `{}` checks her in with the companions she announced.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    /// Companions who came in with her; default: those she announced.
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 100)]
    companions: Option<Integer>,
}

/// Check a guest in. Tapping again keeps her first arrival time.
#[utoipa::path(post, path = "/events/{event_id}/guests/{guest_id}/check-in", tag = "check-in", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event"), ("guest_id" = Uuid, Path, description = "The guest")),
    request_body = CheckInRequest,
    responses(
        (status = 200, description = "The guest, checked in", body = GuestView),
        (status = 404, description = "No such event or guest of yours", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn check_in(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((event_id, guest_id)): Path<(Uuid, Uuid)>,
    Json(request): Json<CheckInRequest>,
) -> Result<Json<GuestView>> {
    let guest =
        app::check_in::check_in(&state, organiser.id, event_id, guest_id, request.companions.map(i64::from)).await?;
    Ok(Json(GuestView::new(guest, None)))
}

/// Undo a check-in.
#[utoipa::path(delete, path = "/events/{event_id}/guests/{guest_id}/check-in", tag = "check-in", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event"), ("guest_id" = Uuid, Path, description = "The guest")),
    responses(
        (status = 200, description = "The guest, no longer checked in", body = GuestView),
        (status = 404, description = "No such event or guest of yours", body = ErrorBody),
    ))]
async fn undo_check_in(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((event_id, guest_id)): Path<(Uuid, Uuid)>,
) -> Result<Json<GuestView>> {
    Ok(Json(GuestView::new(app::check_in::undo(&state, organiser.id, event_id, guest_id).await?, None)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkInRequest {
    #[schema(value_type = Line<1, 200>)]
    name: String,
    #[schema(value_type = EmailAddress)]
    email: String,
    /// Companions who came with her (default 0).
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 100)]
    companions: Option<Integer>,
    #[schema(value_type = Option<GuestLanguage>)]
    language: Option<String>,
}

/// Someone not on the list at the door: added to the event and checked in at
/// once (201). If her address was invited after all, that guest is checked
/// in instead (200).
#[utoipa::path(post, path = "/events/{event_id}/walk-ins", tag = "check-in", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    request_body = WalkInRequest,
    responses(
        (status = 201, description = "Added and checked in", body = GuestView),
        (status = 200, description = "Already a guest: checked in", body = GuestView),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 409, description = "The event is cancelled", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn add_walk_in(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
    Json(request): Json<WalkInRequest>,
) -> Result<(StatusCode, Json<GuestView>)> {
    let input = WalkInInput {
        name: request.name,
        email: request.email,
        companions: request.companions.map(i64::from),
        language: request.language,
    };
    let (guest, walk_in) = app::check_in::walk_in(&state, organiser.id, event_id, &input).await?;
    let status = match walk_in {
        WalkIn::Added => StatusCode::CREATED,
        WalkIn::AlreadyInvited => StatusCode::OK,
    };
    Ok((status, Json(GuestView::new(guest, None))))
}
