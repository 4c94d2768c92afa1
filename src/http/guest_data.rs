//! A guest's data in her hands, over the API: her export and erasure with
//! her invitation token, the same for the organiser per guest, and the
//! organiser's retention setting.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Integer, Json, Path};
use crate::app;
use crate::error::{ApiError, ErrorBody, Result};
use crate::storage::guest_data::Cause;

/// Reached with a token: rate-limited by the caller.
pub fn guest_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_data)).routes(routes!(forget_me))
}

pub fn organiser_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(guest_data))
        .routes(routes!(erase_guest))
        .routes(routes!(retention, set_retention))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgetRequest {
    /// Must be `true`: erasure cannot be undone.
    confirm: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Erased {
    /// Invitations anonymised (her answers stay counted, without her).
    guests: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionRequest {
    /// Erase guests' personal data this many days after each event ends;
    /// `null` keeps it (the default).
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 3650)]
    retention_days: Option<Integer>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Retention {
    /// Days kept after each event ends; `null`: kept.
    retention_days: Option<u32>,
}

/// Everything Convive holds about your address at this organiser, as JSON.
#[utoipa::path(get, path = "/invitations/{token}/data", tag = "invitations",
    params(("token" = String, Path, description = "The token from the invitation link")),
    responses(
        (status = 200, description = "Your data", body = Object),
        (status = 404, description = "No such invitation", body = ErrorBody),
    ))]
async fn my_data(State(state): State<AppState>, Path(token): Path<String>) -> Result<Json<serde_json::Value>> {
    let subject = app::guest_data::subject_of_invitation(&state, &token).await?;
    Ok(Json(app::guest_data::export(&state, &subject).await?))
}

/// Erase everything this organiser holds about your address. Cannot be
/// undone; your link stops working.
#[utoipa::path(post, path = "/invitations/{token}/forget", tag = "invitations",
    params(("token" = String, Path, description = "The token from the invitation link")),
    request_body = ForgetRequest,
    responses(
        (status = 200, description = "Erased", body = Erased),
        (status = 404, description = "No such invitation", body = ErrorBody),
        (status = 422, description = "`confirm` is not true", body = ErrorBody),
    ))]
async fn forget_me(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(request): Json<ForgetRequest>,
) -> Result<Json<Erased>> {
    if !request.confirm {
        return Err(ApiError::field("confirm", "must be true: erasure cannot be undone"));
    }
    let subject = app::guest_data::subject_of_invitation(&state, &token).await?;
    let guests = app::guest_data::erase(&state, &subject, Cause::Guest).await?;
    Ok(Json(Erased { guests }))
}

/// Everything held about this guest's address across your events, as she would get it.
#[utoipa::path(get, path = "/events/{event_id}/guests/{guest_id}/data", tag = "guests", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event"), ("guest_id" = Uuid, Path, description = "The guest")),
    responses(
        (status = 200, description = "Her data", body = Object),
        (status = 404, description = "No such event or guest of yours", body = ErrorBody),
    ))]
async fn guest_data(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((event_id, guest_id)): Path<(Uuid, Uuid)>,
) -> Result<Json<serde_json::Value>> {
    let subject = app::guest_data::subject_of_guest(&state, organiser.id, event_id, guest_id).await?;
    Ok(Json(app::guest_data::export(&state, &subject).await?))
}

/// Erase this guest's address across your events: names, address, comments
/// and tokens go; her answers stay counted, anonymised.
#[utoipa::path(post, path = "/events/{event_id}/guests/{guest_id}/erase", tag = "guests", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event"), ("guest_id" = Uuid, Path, description = "The guest")),
    request_body = ForgetRequest,
    responses(
        (status = 200, description = "Erased", body = Erased),
        (status = 404, description = "No such event or guest of yours", body = ErrorBody),
        (status = 422, description = "`confirm` is not true", body = ErrorBody),
    ))]
async fn erase_guest(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((event_id, guest_id)): Path<(Uuid, Uuid)>,
    Json(request): Json<ForgetRequest>,
) -> Result<Json<Erased>> {
    if !request.confirm {
        return Err(ApiError::field("confirm", "must be true: erasure cannot be undone"));
    }
    let subject = app::guest_data::subject_of_guest(&state, organiser.id, event_id, guest_id).await?;
    let guests = app::guest_data::erase(&state, &subject, Cause::Organiser).await?;
    Ok(Json(Erased { guests }))
}

/// How long guests' personal data is kept after each event.
#[utoipa::path(get, path = "/me/retention", tag = "organiser", security(("api_key" = [])),
    responses((status = 200, description = "Your retention setting", body = Retention)))]
async fn retention(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
) -> Result<Json<Retention>> {
    let days = app::guest_data::retention(&state, organiser.id).await?;
    Ok(Json(Retention { retention_days: days }))
}

/// Erase guests' personal data a number of days after each event ends (the
/// scheduler does it), or keep it (`null`).
#[utoipa::path(put, path = "/me/retention", tag = "organiser", security(("api_key" = [])),
    request_body = RetentionRequest,
    responses(
        (status = 200, description = "Your retention setting", body = Retention),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn set_retention(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Json(request): Json<RetentionRequest>,
) -> Result<Json<Retention>> {
    let days = app::guest_data::set_retention(&state, organiser.id, request.retention_days.map(i64::from)).await?;
    Ok(Json(Retention { retention_days: days }))
}
