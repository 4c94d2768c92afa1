//! An event's team: the organisers invited to run it with its owner, and
//! the role of each. Rows <-> [`TeamMember`]; the rule of who may do what is
//! `domain::role`, asked by `app::access`.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entities::team_members;
use super::error::{Missing, Result, StorageError};
use crate::domain::email_address::EmailAddress;
use crate::domain::event::Event;
use crate::domain::role::Role;

/// How long an invitation to a team can be accepted.
pub const INVITATION_VALIDITY: Duration = Duration::days(7);

/// Someone invited to an event's team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMember {
    pub id: Uuid,
    pub event_id: Uuid,
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
    Ok(TeamMember {
        id: row.id,
        event_id: row.event_id,
        email: EmailAddress::from_stored(row.email),
        role,
        organiser_id: row.organiser_id,
        invited_by: row.invited_by,
        invited_at: row.invited_at,
        expires_at: row.expires_at,
        accepted_at: row.accepted_at,
    })
}

/// Her role on the event: the owner's, the one she accepted, or none.
pub async fn role_of(conn: &impl ConnectionTrait, event: &Event, organiser_id: Uuid) -> Result<Option<Role>> {
    if event.organiser_id == organiser_id {
        return Ok(Some(Role::Owner));
    }
    let row = team_members::Entity::find()
        .filter(team_members::Column::EventId.eq(event.id))
        .filter(team_members::Column::OrganiserId.eq(organiser_id))
        .filter(team_members::Column::AcceptedAt.is_not_null())
        .one(conn)
        .await?;
    Ok(row.map(to_domain).transpose()?.map(|member| member.role))
}

/// The events she was invited to run and accepted, with her role on each.
pub async fn shared_with(conn: &impl ConnectionTrait, organiser_id: Uuid) -> Result<Vec<(Uuid, Role)>> {
    team_members::Entity::find()
        .filter(team_members::Column::OrganiserId.eq(organiser_id))
        .filter(team_members::Column::AcceptedAt.is_not_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_domain(row).map(|m| (m.event_id, m.role)).map_err(StorageError::from))
        .collect()
}

/// Those who run the event: its owner and the co-organisers who accepted
/// (door helpers keep the door, they do not get the organisers' emails).
pub async fn running(conn: &impl ConnectionTrait, event: &Event) -> Result<Vec<super::organisers::Organiser>> {
    let mut ids = vec![event.organiser_id];
    ids.extend(
        list(conn, event.id).await?.into_iter().filter(|m| m.role == Role::CoOrganiser).filter_map(|m| m.organiser_id),
    );
    let mut found = super::organisers::find_many(conn, ids.iter().copied()).await?;
    // The owner first, then in the order they were invited.
    found.sort_by_key(|o| ids.iter().position(|id| *id == o.id));
    Ok(found)
}

/// Invites `email` to the team with `role`; inviting the same address again
/// changes her role and, if she has not accepted yet, renews the invitation.
pub async fn invite(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
    email: &EmailAddress,
    role: Role,
    invited_by: Uuid,
    now: DateTime<Utc>,
) -> Result<TeamMember> {
    team_members::Entity::insert(team_members::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        email: Set(email.to_string()),
        role: Set(role.as_str().to_owned()),
        organiser_id: Set(None),
        invited_by: Set(invited_by),
        invited_at: Set(now),
        expires_at: Set(now + INVITATION_VALIDITY),
        accepted_at: Set(None),
    })
    .on_conflict(
        OnConflict::columns([team_members::Column::EventId, team_members::Column::Email])
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
        .filter(team_members::Column::EventId.eq(event_id))
        .filter(team_members::Column::Email.eq(email.to_string()))
        .filter(team_members::Column::AcceptedAt.is_null())
        .exec(conn)
        .await?;
    let row = team_members::Entity::find()
        .filter(team_members::Column::EventId.eq(event_id))
        .filter(team_members::Column::Email.eq(email.to_string()))
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::TeamMember))?;
    Ok(to_domain(row)?)
}

/// The event's team, in the order they were invited.
pub async fn list(conn: &impl ConnectionTrait, event_id: Uuid) -> Result<Vec<TeamMember>> {
    team_members::Entity::find()
        .filter(team_members::Column::EventId.eq(event_id))
        .order_by_asc(team_members::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_domain(row).map_err(StorageError::from))
        .collect()
}

/// One invitation by id, whatever its event (for the link that accepts it).
pub async fn find(conn: &impl ConnectionTrait, member_id: Uuid) -> Result<TeamMember> {
    let row = team_members::Entity::find_by_id(member_id)
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::TeamMember))?;
    Ok(to_domain(row)?)
}

/// Takes her off the team: her access ends with her next request.
pub async fn remove(conn: &impl ConnectionTrait, event_id: Uuid, member_id: Uuid) -> Result<TeamMember> {
    let row = team_members::Entity::find_by_id(member_id)
        .filter(team_members::Column::EventId.eq(event_id))
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::TeamMember))?;
    team_members::Entity::delete_by_id(member_id).exec(conn).await?;
    Ok(to_domain(row)?)
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
