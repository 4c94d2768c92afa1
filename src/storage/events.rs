//! Events: rows <-> [`Event`], and the per-event counts shown in lists.

use std::collections::HashMap;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::{events, guests};
use super::error::{Missing, Result, StorageError};
use crate::domain::answer::Answer;
use crate::domain::email_address::EmailAddress;
use crate::domain::event::{Event, EventDetails, EventStatus, Language, Schedule, Venue};
use crate::domain::guest::holds_seats;
use crate::domain::plan::ReminderPlan;

pub(crate) fn to_domain(row: events::Model) -> anyhow::Result<Event> {
    let time_zone = row.time_zone.parse().map_err(|_| anyhow!("stored time zone {:?} is unknown", row.time_zone))?;
    let language = Language::parse(&row.language).map_err(|e| anyhow!(e))?;
    let status = EventStatus::parse(&row.status).ok_or_else(|| anyhow!("stored status {:?} is unknown", row.status))?;
    Ok(Event {
        id: row.id,
        organiser_id: row.organiser_id,
        details: EventDetails {
            title: row.title,
            description: row.description,
            venue: Venue { name: row.venue_name, address: row.venue_address, map_url: row.venue_map_url },
            // Validated on its way in.
            venue_contact: row.venue_contact.map(EmailAddress::from_stored),
            schedule: Schedule {
                starts_at: row.starts_at,
                ends_at: row.ends_at,
                time_zone,
                rsvp_deadline: row.rsvp_deadline,
            },
            capacity: row.capacity.map(|c| c as u32),
            companions_allowed: row.companions_allowed as u32,
            language,
            follow_up_url: row.follow_up_url,
            plan: plan_of(
                &row.plan_nudges,
                row.plan_nudge_maybes,
                &row.plan_answers_close,
                row.plan_reminder.as_deref(),
                row.plan_venue_summary.as_deref(),
                row.plan_follow_up.as_deref(),
            )?,
            open_registration: row.open_registration,
            // Written by us from a validated value; an unreadable one is an old row's "{}".
            words: serde_json::from_str(&row.words).unwrap_or_default(),
            // Written by us from validated questions, as JSON.
            questions: serde_json::from_str(&row.questions).context("stored questions are unreadable")?,
        },
        status,
        seats_taken: row.seats_taken as u32,
        sequence: row.sequence as u32,
        series_id: row.series_id,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The stored plan, which was validated on its way in.
fn plan_of(
    nudges: &str,
    nudge_maybes: bool,
    answers_close: &str,
    reminder: Option<&str>,
    venue_summary: Option<&str>,
    follow_up: Option<&str>,
) -> anyhow::Result<ReminderPlan> {
    let mut v = crate::domain::Validator::default();
    let nudges: Vec<String> = nudges.split(',').filter(|n| !n.is_empty()).map(str::to_owned).collect();
    ReminderPlan::parse(&mut v, &nudges, nudge_maybes, answers_close, reminder, venue_summary, follow_up)
        .ok_or_else(|| anyhow!("stored reminder plan is invalid: {:?}", v.finish()))
}

/// The columns an organiser controls, as an active model.
fn details_active_model(details: &EventDetails) -> events::ActiveModel {
    events::ActiveModel {
        title: Set(details.title.clone()),
        description: Set(details.description.clone()),
        venue_name: Set(details.venue.name.clone()),
        venue_address: Set(details.venue.address.clone()),
        venue_map_url: Set(details.venue.map_url.clone()),
        venue_contact: Set(details.venue_contact.as_ref().map(ToString::to_string)),
        starts_at: Set(details.schedule.starts_at),
        ends_at: Set(details.schedule.ends_at),
        time_zone: Set(details.schedule.time_zone.name().to_owned()),
        capacity: Set(details.capacity.map(|c| c as i32)),
        companions_allowed: Set(details.companions_allowed as i32),
        rsvp_deadline: Set(details.schedule.rsvp_deadline),
        language: Set(details.language.as_str().to_owned()),
        follow_up_url: Set(details.follow_up_url.clone()),
        plan_nudges: Set(details.plan.nudges.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")),
        plan_nudge_maybes: Set(details.plan.nudge_maybes),
        plan_answers_close: Set(details.plan.answers_close.to_string()),
        plan_reminder: Set(details.plan.reminder.map(|o| o.to_string())),
        plan_follow_up: Set(details.plan.follow_up.map(|o| o.to_string())),
        plan_venue_summary: Set(details.plan.venue_summary.map(|o| o.to_string())),
        open_registration: Set(details.open_registration),
        words: Set(serde_json::to_string(&details.words).unwrap_or_else(|_| "{}".to_owned())),
        questions: Set(serde_json::to_string(&details.questions).unwrap_or_else(|_| "[]".to_owned())),
        ..Default::default()
    }
}

pub async fn insert(
    db: &impl ConnectionTrait,
    organiser_id: Uuid,
    details: &EventDetails,
    now: DateTime<Utc>,
) -> Result<Event> {
    insert_in_series(db, organiser_id, details, None, now).await
}

/// Inserts a draft, as a date of `series_id` if given.
pub async fn insert_in_series(
    db: &impl ConnectionTrait,
    organiser_id: Uuid,
    details: &EventDetails,
    series_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Event> {
    let mut row = details_active_model(details);
    row.series_id = Set(series_id);
    row.id = Set(Uuid::now_v7());
    row.organiser_id = Set(organiser_id);
    row.status = Set(EventStatus::Draft.as_str().to_owned());
    row.sequence = Set(0);
    row.seats_taken = Set(0);
    row.created_at = Set(now);
    row.updated_at = Set(now);
    let row = row.insert(db).await.context("cannot insert the event")?;
    Ok(to_domain(row)?)
}

async fn fetch(conn: &impl ConnectionTrait, event_id: Uuid, owner: Option<Uuid>, lock: bool) -> Result<Event> {
    let mut query = events::Entity::find_by_id(event_id);
    if let Some(owner) = owner {
        query = query.filter(events::Column::OrganiserId.eq(owner));
    }
    if lock {
        // NO KEY UPDATE, not UPDATE: it still serialises seat changes, but
        // lets other transactions insert rows that reference the event (their
        // foreign-key checks take KEY SHARE), which FOR UPDATE would block and
        // could deadlock with.
        query = query.lock(LockType::NoKeyUpdate);
    }
    let row = query.one(conn).await?.ok_or(StorageError::NotFound(Missing::Event))?;
    Ok(to_domain(row)?)
}

/// The organiser's event; someone else's is reported as not found.
pub async fn find_owned(conn: &impl ConnectionTrait, organiser_id: Uuid, event_id: Uuid) -> Result<Event> {
    fetch(conn, event_id, Some(organiser_id), false).await
}

/// Like [`find_owned`], and locks the row until the transaction ends
/// (`FOR NO KEY UPDATE` on PostgreSQL; on SQLite the `BEGIN IMMEDIATE` write lock
/// already serialises writers, and sea-query drops the clause).
pub async fn lock_owned(conn: &impl ConnectionTrait, organiser_id: Uuid, event_id: Uuid) -> Result<Event> {
    fetch(conn, event_id, Some(organiser_id), true).await
}

/// Reads the event under a shared lock (`FOR SHARE` on PostgreSQL): many
/// answers may hold it at once, but a change of the event (a new capacity)
/// waits for them, and they for it.
pub async fn lock_shared(conn: &impl ConnectionTrait, event_id: Uuid) -> Result<Event> {
    let row = events::Entity::find_by_id(event_id)
        .lock(LockType::Share)
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::Event))?;
    Ok(to_domain(row)?)
}

/// Any event by id, for rules that already know whose it is.
pub async fn find_by_id(conn: &impl ConnectionTrait, event_id: Uuid) -> Result<Event> {
    fetch(conn, event_id, None, false).await
}

/// Locks any event by id, for rules that already know whose it is.
pub async fn lock(conn: &impl ConnectionTrait, event_id: Uuid) -> Result<Event> {
    fetch(conn, event_id, None, true).await
}

/// The dates of a series, earliest first.
pub async fn of_series(conn: &impl ConnectionTrait, series_id: Uuid) -> Result<Vec<Event>> {
    events::Entity::find()
        .filter(events::Column::SeriesId.eq(series_id))
        .order_by_asc(events::Column::StartsAt)
        .order_by_asc(events::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_domain(row).map_err(StorageError::from))
        .collect()
}

/// Makes an event a date of `series_id` (or of none).
pub async fn set_series(conn: &impl ConnectionTrait, event_id: Uuid, series_id: Option<Uuid>) -> Result<()> {
    events::ActiveModel { id: Set(event_id), series_id: Set(series_id), ..Default::default() }
        .update(conn)
        .await
        .context("cannot attach the event to its series")?;
    Ok(())
}

pub async fn list(db: &DatabaseConnection, organiser_id: Uuid, limit: u64, offset: u64) -> Result<Vec<Event>> {
    list_with(db, organiser_id, &[], limit, offset).await
}

/// Her events and those of `shared` (events she runs with their owners),
/// soonest first.
pub async fn list_with(
    db: &DatabaseConnection,
    organiser_id: Uuid,
    shared: &[Uuid],
    limit: u64,
    offset: u64,
) -> Result<Vec<Event>> {
    let mine_or_shared = sea_orm::Condition::any()
        .add(events::Column::OrganiserId.eq(organiser_id))
        .add(events::Column::Id.is_in(shared.iter().copied()));
    events::Entity::find()
        .filter(mine_or_shared)
        .order_by_asc(events::Column::StartsAt)
        .order_by_asc(events::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?
        .into_iter()
        .map(|row| to_domain(row).map_err(StorageError::from))
        .collect()
}

/// Writes new details; bumps SEQUENCE when a calendar would show a change.
pub async fn update_details(
    conn: &impl ConnectionTrait,
    current: &Event,
    details: &EventDetails,
    now: DateTime<Utc>,
) -> Result<Event> {
    let mut row = details_active_model(details);
    row.id = Set(current.id);
    row.updated_at = Set(now);
    if current.details.calendar_changed(details) {
        row.sequence = Set(current.sequence as i32 + 1);
    }
    let row = row.update(conn).await.context("cannot update the event")?;
    Ok(to_domain(row)?)
}

pub async fn set_status(
    conn: &impl ConnectionTrait,
    current: &Event,
    status: EventStatus,
    now: DateTime<Utc>,
) -> Result<Event> {
    let row = events::ActiveModel {
        id: Set(current.id),
        status: Set(status.as_str().to_owned()),
        // A cancellation must reach calendars, which only trust a higher SEQUENCE.
        sequence: Set(current.sequence as i32 + i32::from(status == EventStatus::Cancelled)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(conn)
    .await
    .context("cannot change the event's status")?;
    Ok(to_domain(row)?)
}

/// Who is coming, at a glance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub invited: u64,
    pub answered: u64,
    pub yes: u64,
    pub no: u64,
    pub maybe: u64,
    /// Seated "yes" answers plus their companions.
    pub seats_taken: u64,
    pub waiting: u64,
    /// Seats the waiting parties would need.
    pub waiting_seats: u64,
    /// Guests checked in at the door (walk-ins included), and the people
    /// they came as (with their companions).
    pub came: u64,
    pub came_people: u64,
    /// Guests added at the door.
    pub walk_ins: u64,
    /// Seated "yes" answers not checked in: those still expected at the
    /// door, and the no-shows once it has closed.
    pub seated_not_came: u64,
}

/// Counts for each of `event_ids`, in one grouped query.
pub async fn counts(conn: &impl ConnectionTrait, event_ids: &[Uuid]) -> Result<HashMap<Uuid, Counts>> {
    let mut result: HashMap<Uuid, Counts> = event_ids.iter().map(|id| (*id, Counts::default())).collect();
    if event_ids.is_empty() {
        return Ok(result);
    }
    let waiting = Expr::cust("CASE WHEN waitlisted_at IS NULL THEN 0 ELSE 1 END");
    #[allow(clippy::type_complexity)]
    let rows: Vec<(Uuid, Option<String>, i32, bool, i64, i64, i64, i64)> = guests::Entity::find()
        .select_only()
        .column(guests::Column::EventId)
        .column(guests::Column::Answer)
        .column_as(waiting.clone(), "waiting")
        .column(guests::Column::WalkIn)
        .column_as(Expr::cust("COUNT(*)"), "guests")
        .column_as(Expr::cust("COALESCE(SUM(companions), 0)"), "companions")
        .column_as(Expr::cust("COALESCE(SUM(CASE WHEN checked_in_at IS NULL THEN 0 ELSE 1 END), 0)"), "came")
        .column_as(
            Expr::cust("COALESCE(SUM(CASE WHEN checked_in_at IS NULL THEN 0 ELSE checked_in_companions END), 0)"),
            "came_companions",
        )
        .filter(guests::Column::EventId.is_in(event_ids.iter().copied()))
        .group_by(guests::Column::EventId)
        .group_by(guests::Column::Answer)
        .group_by(waiting)
        .group_by(guests::Column::WalkIn)
        .into_tuple()
        .all(conn)
        .await?;
    for (event_id, answer, waiting, walk_in, guests, companions, came, came_companions) in rows {
        let counts = result.entry(event_id).or_default();
        let (guests, companions, came) = (guests as u64, companions as u64, came as u64);
        counts.came += came;
        counts.came_people += came + came_companions as u64;
        if walk_in {
            // Added at the door: they came, they were not invited.
            counts.walk_ins += guests;
            continue;
        }
        counts.invited += guests;
        let answer = match answer.as_deref() {
            None => None,
            Some(raw) => Some(Answer::parse(raw).ok_or_else(|| anyhow!("stored answer {raw:?} is unknown"))?),
        };
        if holds_seats(answer, waiting == 1) {
            counts.seats_taken += guests + companions;
            counts.seated_not_came += guests - came;
        }
        if answer == Some(Answer::Yes) && waiting == 1 {
            counts.waiting += guests;
            counts.waiting_seats += guests + companions;
        }
        match answer {
            Some(Answer::Yes) => counts.yes += guests,
            Some(Answer::No) => counts.no += guests,
            Some(Answer::Maybe) => counts.maybe += guests,
            None => {}
        }
        if answer.is_some() {
            counts.answered += guests;
        }
    }
    Ok(result)
}
