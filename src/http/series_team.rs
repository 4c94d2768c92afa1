//! Organiser API: a series' team. Its owner invites co-organisers and door
//! helpers to the series, changes their role and removes them; a role on
//! the series holds on every one of its dates (the same invitation, email
//! and acceptance page as an event's team).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Json, Path};
use super::team::{InvitableRole, TeamInvitationRequest, TeamList, TeamMemberView};
use crate::app;
use crate::error::{ErrorBody, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_series_team, invite_to_series_team))
        .routes(routes!(change_series_role, remove_from_series_team))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamRoleRequest {
    #[schema(value_type = InvitableRole)]
    role: String,
}

/// The series' team (its owner only).
#[utoipa::path(get, path = "/series/{series_id}/team", tag = "team", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series")),
    responses(
        (status = 200, description = "Everyone invited to run the series and its dates, in the order invited", body = TeamList),
        (status = 404, description = "No such series of yours (co-organisers and door helpers get this too)", body = ErrorBody),
    ))]
async fn list_series_team(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(series_id): Path<Uuid>,
) -> Result<Json<TeamList>> {
    let (_, members) = app::team::series_team(&state, organiser.id, series_id).await?;
    Ok(Json(TeamList { members: members.into_iter().map(TeamMemberView::from).collect() }))
}

/// Invite someone to run the series and all its dates, past and future
/// (its owner only): she gets an email with a one-time link; an address
/// without an account becomes one on accepting. Inviting an address again
/// changes her role and renews a pending invitation.
#[utoipa::path(post, path = "/series/{series_id}/team", tag = "team", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series")),
    request_body = TeamInvitationRequest,
    responses(
        (status = 201, description = "Invited (or her role changed)", body = TeamMemberView),
        (status = 404, description = "No such series of yours", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn invite_to_series_team(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(series_id): Path<Uuid>,
    Json(request): Json<TeamInvitationRequest>,
) -> Result<(StatusCode, Json<TeamMemberView>)> {
    let member = app::team::invite_to_series(&state, organiser.id, series_id, &request.email, &request.role).await?;
    Ok((StatusCode::CREATED, Json(member.into())))
}

/// Change a member's role (its owner only): it holds on the series and
/// every date from her next request.
#[utoipa::path(patch, path = "/series/{series_id}/team/{member_id}", tag = "team", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series"), ("member_id" = Uuid, Path, description = "The team member")),
    request_body = TeamRoleRequest,
    responses(
        (status = 200, description = "Her new role", body = TeamMemberView),
        (status = 404, description = "No such series of yours, or no such member of its team", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn change_series_role(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((series_id, member_id)): Path<(Uuid, Uuid)>,
    Json(request): Json<TeamRoleRequest>,
) -> Result<Json<TeamMemberView>> {
    let member = app::team::change_series_role(&state, organiser.id, series_id, member_id, &request.role).await?;
    Ok(Json(member.into()))
}

/// Take someone off the series' team (its owner only): at once she reaches
/// neither the series nor any of its dates.
#[utoipa::path(delete, path = "/series/{series_id}/team/{member_id}", tag = "team", security(("api_key" = [])),
    params(("series_id" = Uuid, Path, description = "The series"), ("member_id" = Uuid, Path, description = "The team member")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such series of yours, or no such member of its team", body = ErrorBody),
    ))]
async fn remove_from_series_team(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((series_id, member_id)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode> {
    app::team::remove_from_series(&state, organiser.id, series_id, member_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
