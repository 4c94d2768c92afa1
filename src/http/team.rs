//! Organiser API: an event's team (the owner invites co-organisers and door
//! helpers, and removes them) and its audit history (who did what by hand).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Json, Path};
use crate::app;
use crate::domain::email_address::EmailAddress;
use crate::domain::role::Role;
use crate::error::{ErrorBody, Result};
use crate::storage::activity::Deed;
use crate::storage::team::TeamMember;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_team, invite_to_team))
        .routes(routes!(remove_from_team))
        .routes(routes!(event_activity))
}

/// A role one can be invited with (the owner is the event's creator).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitableRole {
    /// Everything about guests, answers, emails, check-in and results; not the team or cancelling.
    CoOrganiser,
    /// The check-in page and walk-ins of the event, on its day only.
    DoorHelper,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamInvitationRequest {
    #[schema(value_type = EmailAddress)]
    pub(super) email: String,
    #[schema(value_type = InvitableRole)]
    pub(super) role: String,
}

/// Whether she accepted yet.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TeamStatus {
    Invited,
    Accepted,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMemberView {
    id: Uuid,
    #[schema(value_type = EmailAddress)]
    email: String,
    role: Role,
    status: TeamStatus,
    invited_at: DateTime<Utc>,
    /// Until when the emailed link accepts, while she has not.
    expires_at: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
}

impl From<TeamMember> for TeamMemberView {
    fn from(m: TeamMember) -> Self {
        Self {
            id: m.id,
            email: m.email.to_string(),
            role: m.role,
            status: if m.accepted_at.is_some() { TeamStatus::Accepted } else { TeamStatus::Invited },
            invited_at: m.invited_at,
            expires_at: m.expires_at,
            accepted_at: m.accepted_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamList {
    /// The owner is not listed: she is the event's (or the series') organiser.
    pub(super) members: Vec<TeamMemberView>,
}

/// The event's team (the owner only).
#[utoipa::path(get, path = "/events/{event_id}/team", tag = "team", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    responses(
        (status = 200, description = "Everyone invited to run the event, in the order invited", body = TeamList),
        (status = 404, description = "No such event of yours (co-organisers and door helpers get this too)", body = ErrorBody),
    ))]
async fn list_team(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
) -> Result<Json<TeamList>> {
    let (_, members) = app::team::list(&state, organiser.id, event_id).await?;
    Ok(Json(TeamList { members: members.into_iter().map(TeamMemberView::from).collect() }))
}

/// Invite someone to run the event (the owner only): she gets an email with
/// a one-time link; an address without an account becomes one on accepting.
/// Inviting an address again changes her role and renews a pending invitation.
#[utoipa::path(post, path = "/events/{event_id}/team", tag = "team", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    request_body = TeamInvitationRequest,
    responses(
        (status = 201, description = "Invited (or her role changed)", body = TeamMemberView),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn invite_to_team(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
    Json(request): Json<TeamInvitationRequest>,
) -> Result<(StatusCode, Json<TeamMemberView>)> {
    let member = app::team::invite(&state, organiser.id, event_id, &request.email, &request.role).await?;
    Ok((StatusCode::CREATED, Json(member.into())))
}

/// Take someone off the team (the owner only): her access ends at once.
#[utoipa::path(delete, path = "/events/{event_id}/team/{member_id}", tag = "team", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event"), ("member_id" = Uuid, Path, description = "The team member")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such event of yours, or no such member of its team", body = ErrorBody),
    ))]
async fn remove_from_team(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((event_id, member_id)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode> {
    app::team::remove(&state, organiser.id, event_id, member_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityBy {
    id: Uuid,
    name: String,
    #[schema(value_type = EmailAddress)]
    email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityLine {
    at: DateTime<Utc>,
    /// Who did it; none if her account no longer exists.
    by: Option<ActivityBy>,
    action: Deed,
    /// The guest it concerned, if any.
    guest_id: Option<Uuid>,
    /// Whom it concerned: a guest's or a teammate's address; empty for the event itself.
    subject: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityList {
    /// The latest 500 at most, oldest first.
    activity: Vec<ActivityLine>,
}

/// What the event's team did by hand (answers set, check-ins, walk-ins,
/// edits, the team), and who did it.
#[utoipa::path(get, path = "/events/{event_id}/activity", tag = "team", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    responses(
        (status = 200, description = "The audit history, oldest first", body = ActivityList),
        (status = 404, description = "No such event of yours", body = ErrorBody),
    ))]
async fn event_activity(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
) -> Result<Json<ActivityList>> {
    let (_, lines) = app::team::history(&state, organiser.id, event_id).await?;
    let activity = lines
        .into_iter()
        .map(|line| ActivityLine {
            at: line.activity.at,
            by: line.by.map(|o| ActivityBy { id: o.id, name: o.name, email: o.email.to_string() }),
            action: line.activity.deed,
            guest_id: line.activity.guest_id,
            subject: line.activity.subject,
        })
        .collect();
    Ok(Json(ActivityList { activity }))
}
