//! Teams: the organisers invited to run an event, or a series and all its
//! dates, with its owner, and the role of each. Rows <-> [`TeamMember`];
//! the rule of who may do what is
//! `domain::role`, asked by `app::access`.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::{events, team_members};
use super::error::{Missing, Result, StorageError};
use crate::domain::email_address::EmailAddress;
use crate::domain::event::Event;
use crate::domain::role::Role;
use crate::domain::series::Series;

/// How long an invitation to a team can be accepted.
pub const INVITATION_VALIDITY: Duration = Duration::days(7);

/// What a team runs: one event, or a series and every one of its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamOf {
    Event(Uuid),
    Series(Uuid),
}

impl TeamOf {
    /// The rows of this team.
    fn filter(self) -> Condition {
        match self {
            Self::Event(id) => Condition::all().add(team_members::Column::EventId.eq(id)),
            Self::Series(id) => Condition::all().add(team_members::Column::SeriesId.eq(id)),
        }
    }
}

/// Someone invited to an event's or a series' team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMember {
    pub id: Uuid,
    pub team: TeamOf,
    pub email: EmailAddress,
    pub role: Role,
    /// Her organiser account, once she accepted.
    pub organiser_id: Option<Uuid>,
    pub invited_by: Uuid,
    pub invited_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

fn to_domain(row: team_members::Model) -> anyhow::Result<TeamMember> {
    let role = Role::parse(&row.role).ok_or_else(|| anyhow!("stored team role {:?} is unknown", row.role))?;
    let team = match (row.event_id, row.series_id) {
        (Some(event_id), None) => TeamOf::Event(event_id),
        (None, Some(series_id)) => TeamOf::Series(series_id),
        _ => return Err(anyhow!("team member {} names no event or series, or both", row.id)),
    };
    Ok(TeamMember {
        id: row.id,
        team,
        email: EmailAddress::from_stored(row.email),
        role,
        organiser_id: row.organiser_id,
        invited_by: row.invited_by,
        invited_at: row.invited_at,
        expires_at: row.expires_at,
        accepted_at: row.accepted_at,
    })
}

/// Her accepted rows among those `scope` selects, as roles.
async fn accepted_roles(conn: &impl ConnectionTrait, organiser_id: Uuid, scope: Condition) -> Result<Vec<TeamMember>> {
    team_members::Entity::find()
        .filter(team_members::Column::OrganiserId.eq(organiser_id))
        .filter(team_members::Column::AcceptedAt.is_not_null())
        .filter(scope)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_domain(row).map_err(StorageError::from))
        .collect()
}

/// Her role on the event: the owner's, or the stronger of the one she
/// accepted on the event's team and the one on its series' team; or none.
pub async fn role_of(conn: &impl ConnectionTrait, event: &Event, organiser_id: Uuid) -> Result<Option<Role>> {
    if event.organiser_id == organiser_id {
        return Ok(Some(Role::Owner));
    }
    let mut scope = Condition::any().add(team_members::Column::EventId.eq(event.id));
    if let Some(series_id) = event.series_id {
        scope = scope.add(team_members::Column::SeriesId.eq(series_id));
    }
    let rows = accepted_roles(conn, organiser_id, scope).await?;
    Ok(rows.into_iter().map(|m| m.role).reduce(Role::stronger))
}

/// Her role on the series itself: the owner's, the one she accepted, or none.
pub async fn series_role_of(conn: &impl ConnectionTrait, series: &Series, organiser_id: Uuid) -> Result<Option<Role>> {
    if series.organiser_id == organiser_id {
        return Ok(Some(Role::Owner));
    }
    let scope = TeamOf::Series(series.id).filter();
    Ok(accepted_roles(conn, organiser_id, scope).await?.into_iter().map(|m| m.role).reduce(Role::stronger))
}

/// Every role she accepted, on events and on series.
pub async fn roles(conn: &impl ConnectionTrait, organiser_id: Uuid) -> Result<Vec<Role>> {
    Ok(accepted_roles(conn, organiser_id, Condition::all()).await?.into_iter().map(|m| m.role).collect())
}

/// The series she was invited to run and accepted, with her role on each.
pub async fn series_shared_with(conn: &impl ConnectionTrait, organiser_id: Uuid) -> Result<Vec<(Uuid, Role)>> {
    let rows = accepted_roles(conn, organiser_id, Condition::all()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|m| match m.team {
            TeamOf::Series(id) => Some((id, m.role)),
            TeamOf::Event(_) => None,
        })
        .collect())
}

/// The events she was invited to run and accepted, with her role on each:
/// those of her event teams and every date of her series teams (the
/// stronger role where both name one). Events of her own are left out.
pub async fn shared_with(conn: &impl ConnectionTrait, organiser_id: Uuid) -> Result<Vec<(Uuid, Role)>> {
    let rows = accepted_roles(conn, organiser_id, Condition::all()).await?;
    let mut shared: Vec<(Uuid, Role)> = Vec::new();
    let mut add = |event_id: Uuid, role: Role| match shared.iter_mut().find(|(id, _)| *id == event_id) {
        Some((_, held)) => *held = held.stronger(role),
        None => shared.push((event_id, role)),
    };
    let mut series_roles = Vec::new();
    for member in rows {
        match member.team {
            TeamOf::Event(id) => add(id, member.role),
            TeamOf::Series(id) => series_roles.push((id, member.role)),
        }
    }
    if !series_roles.is_empty() {
        let dates: Vec<(Uuid, Option<Uuid>)> = events::Entity::find()
            .select_only()
            .column(events::Column::Id)
            .column(events::Column::SeriesId)
            .filter(events::Column::SeriesId.is_in(series_roles.iter().map(|(id, _)| *id)))
            .filter(events::Column::OrganiserId.ne(organiser_id))
            .into_tuple()
            .all(conn)
            .await?;
        for (event_id, series_id) in dates {
            if let Some((_, role)) = series_roles.iter().find(|(id, _)| Some(*id) == series_id) {
                add(event_id, *role);
            }
        }
    }
    Ok(shared)
}

/// Those who run the event: its owner and the co-organisers who accepted,
/// on its team or its series' (door helpers keep the door, they do not get
/// the organisers' emails).
pub async fn running(conn: &impl ConnectionTrait, event: &Event) -> Result<Vec<super::organisers::Organiser>> {
    let mut ids = vec![event.organiser_id];
    let mut members = list(conn, TeamOf::Event(event.id)).await?;
    if let Some(series_id) = event.series_id {
        members.extend(list(conn, TeamOf::Series(series_id)).await?);
    }
    for id in members.into_iter().filter(|m| m.role == Role::CoOrganiser).filter_map(|m| m.organiser_id) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let mut found = super::organisers::find_many(conn, ids.iter().copied()).await?;
    // The owner first, then in the order they were invited.
    found.sort_by_key(|o| ids.iter().position(|id| *id == o.id));
    Ok(found)
}

/// Invites `email` to the team with `role`; inviting the same address again
/// changes her role and, if she has not accepted yet, renews the invitation.
pub async fn invite(
    conn: &impl ConnectionTrait,
    team: TeamOf,
    email: &EmailAddress,
    role: Role,
    invited_by: Uuid,
    now: DateTime<Utc>,
) -> Result<TeamMember> {
    let (event_id, series_id, key) = match team {
        TeamOf::Event(id) => (Some(id), None, team_members::Column::EventId),
        TeamOf::Series(id) => (None, Some(id), team_members::Column::SeriesId),
    };
    team_members::Entity::insert(team_members::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        series_id: Set(series_id),
        email: Set(email.to_string()),
        role: Set(role.as_str().to_owned()),
        organiser_id: Set(None),
        invited_by: Set(invited_by),
        invited_at: Set(now),
        expires_at: Set(now + INVITATION_VALIDITY),
        accepted_at: Set(None),
    })
    .on_conflict(
        OnConflict::columns([key, team_members::Column::Email])
            .update_columns([team_members::Column::Role, team_members::Column::InvitedBy])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await
    .context("cannot invite to the team")?;
    // A pending invitation asked again is renewed (a new email will carry the same link).
    team_members::Entity::update_many()
        .col_expr(team_members::Column::InvitedAt, Expr::val(now))
        .col_expr(team_members::Column::ExpiresAt, Expr::val(now + INVITATION_VALIDITY))
        .filter(team.filter())
        .filter(team_members::Column::Email.eq(email.to_string()))
        .filter(team_members::Column::AcceptedAt.is_null())
        .exec(conn)
        .await?;
    let row = team_members::Entity::find()
        .filter(team.filter())
        .filter(team_members::Column::Email.eq(email.to_string()))
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::TeamMember))?;
    Ok(to_domain(row)?)
}

/// The team, in the order they were invited.
pub async fn list(conn: &impl ConnectionTrait, team: TeamOf) -> Result<Vec<TeamMember>> {
    team_members::Entity::find()
        .filter(team.filter())
        .order_by_asc(team_members::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_domain(row).map_err(StorageError::from))
        .collect()
}

/// One invitation by id, whatever its event or series (for the link that accepts it).
pub async fn find(conn: &impl ConnectionTrait, member_id: Uuid) -> Result<TeamMember> {
    let row = team_members::Entity::find_by_id(member_id)
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::TeamMember))?;
    Ok(to_domain(row)?)
}

/// Takes her off the team: her access ends with her next request.
pub async fn remove(conn: &impl ConnectionTrait, team: TeamOf, member_id: Uuid) -> Result<TeamMember> {
    let row = team_members::Entity::find_by_id(member_id)
        .filter(team.filter())
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::TeamMember))?;
    team_members::Entity::delete_by_id(member_id).exec(conn).await?;
    Ok(to_domain(row)?)
}

/// Gives her another role on the team (accepted or not).
pub async fn set_role(conn: &impl ConnectionTrait, team: TeamOf, member_id: Uuid, role: Role) -> Result<TeamMember> {
    let done = team_members::Entity::update_many()
        .col_expr(team_members::Column::Role, Expr::val(role.as_str()))
        .filter(team_members::Column::Id.eq(member_id))
        .filter(team.filter())
        .exec(conn)
        .await?;
    if done.rows_affected == 0 {
        return Err(StorageError::NotFound(Missing::TeamMember));
    }
    find(conn, member_id).await
}

/// Accepts the invitation for `organiser_id`, once: the one conditional
/// UPDATE decides, so two clicks racing cannot both accept. False when it
/// was accepted already or has expired.
pub async fn accept(
    conn: &impl ConnectionTrait,
    member_id: Uuid,
    organiser_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = team_members::Entity::update_many()
        .col_expr(team_members::Column::OrganiserId, Expr::val(organiser_id))
        .col_expr(team_members::Column::AcceptedAt, Expr::val(now))
        .filter(team_members::Column::Id.eq(member_id))
        .filter(team_members::Column::AcceptedAt.is_null())
        .filter(team_members::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    Ok(done.rows_affected == 1)
}
