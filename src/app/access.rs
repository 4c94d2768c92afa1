//! The one door to an event or a series for an organiser: finds it, asks
//! her role on it (`storage::team`, which counts a series' team on each of
//! its dates) and whether that role allows what she asks (`domain::role`). Refused is "not found", as for an id that is not one:
//! a door helper learns nothing of events or pages beyond her door.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{App, AppError, Result};
use crate::domain::event::Event;
use crate::domain::guest::Guest;
pub use crate::domain::role::{Action, Role};
use crate::domain::series::Series;
use crate::storage::{self, Missing, StorageError};

/// Her role on `event` if it allows `action` at `now`; else the event is not found.
async fn allowed(
    conn: &impl ConnectionTrait,
    event: &Event,
    organiser_id: Uuid,
    action: Action,
    now: DateTime<Utc>,
) -> Result<Role> {
    match storage::team::role_of(conn, event, organiser_id).await? {
        Some(role) if role.may(action, &event.details.schedule, now) => Ok(role),
        _ => Err(AppError::NotFound(Missing::Event)),
    }
}

/// Her event, if her role on it allows `action`, with that role.
pub async fn event(app: &App, organiser_id: Uuid, event_id: Uuid, action: Action) -> Result<(Event, Role)> {
    let event = storage::events::find_by_id(&*app.db, event_id).await?;
    let role = allowed(&*app.db, &event, organiser_id, action, app.now()).await?;
    Ok((event, role))
}

/// Like [`event`], inside a write transaction, with the event's row locked
/// until it ends (as every writer of its guests and seats takes it).
pub(crate) async fn lock_event(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    organiser_id: Uuid,
    event_id: Uuid,
    action: Action,
) -> Result<Event> {
    let event = storage::events::lock(conn, event_id).await?;
    allowed(conn, &event, organiser_id, action, now).await?;
    Ok(event)
}

/// A guest of her event (and the event), if her role allows `action`. A
/// guest of another event is not found, even with an event id of hers.
pub(crate) async fn guest(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    organiser_id: Uuid,
    (event_id, guest_id): (Uuid, Uuid),
    action: Action,
) -> Result<(Guest, Event)> {
    let not_found = |err: AppError| match err {
        AppError::NotFound(_) => AppError::NotFound(Missing::Guest),
        other => other,
    };
    let event = match storage::events::find_by_id(conn, event_id).await {
        Err(StorageError::NotFound(_)) => return Err(AppError::NotFound(Missing::Guest)),
        found => found?,
    };
    allowed(conn, &event, organiser_id, action, now).await.map_err(not_found)?;
    let guest = storage::guests::find_in_event(conn, event.id, guest_id).await?;
    Ok((guest, event))
}

/// Her series, or one shared with her, if her role on it allows `action`
/// (a door helper's never does); else the series is not found.
pub(crate) async fn series_in(
    conn: &impl ConnectionTrait,
    organiser_id: Uuid,
    series_id: Uuid,
    action: Action,
) -> Result<(Series, Role)> {
    let series = match storage::series::find(conn, series_id).await {
        Err(StorageError::NotFound(_)) => return Err(AppError::NotFound(Missing::Series)),
        found => found?,
    };
    match storage::team::series_role_of(conn, &series, organiser_id).await? {
        Some(role) if role.may_on_series(action) => Ok((series, role)),
        _ => Err(AppError::NotFound(Missing::Series)),
    }
}

/// Like [`series_in`], outside a transaction.
pub async fn series(app: &App, organiser_id: Uuid, series_id: Uuid, action: Action) -> Result<(Series, Role)> {
    series_in(&*app.db, organiser_id, series_id, action).await
}

/// Whether she only keeps doors ([`crate::domain::role::door_only`]).
pub async fn door_only(app: &App, organiser_id: Uuid) -> Result<bool> {
    let shared: Vec<Role> = storage::team::roles(&*app.db, organiser_id).await?;
    if shared.is_empty() || shared.contains(&Role::CoOrganiser) {
        return Ok(false);
    }
    let owns_anything = storage::organisers::owns_anything(&*app.db, organiser_id).await?;
    Ok(crate::domain::role::door_only(owns_anything, &shared))
}

/// Whether her role on an event already reached allows `action` now (what
/// her pages offer: the team and cancelling only to the owner).
pub async fn may(app: &App, organiser_id: Uuid, event: &Event, action: Action) -> Result<bool> {
    Ok(allowed(&*app.db, event, organiser_id, action, app.now()).await.is_ok())
}
