//! Series: rows <-> [`Series`], and the defaults of their dates.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, Iterable, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::entities::{events, series, series_defaults};
use super::error::{Missing, Result, StorageError};
use crate::domain::event::{EventDetails, EventStatus};
use crate::domain::series::{Recurrence, Series, SeriesSettings};

fn to_domain(row: series::Model) -> anyhow::Result<Series> {
    let recurrence = Recurrence::from_parts(&row.rule, Some(i64::from(row.rule_every)), row.rule_nth.map(i64::from))
        .map_err(|errors| anyhow!("stored rule of series {} is invalid: {errors:?}", row.id))?;
    Ok(Series {
        id: row.id,
        organiser_id: row.organiser_id,
        settings: SeriesSettings {
            name: row.name,
            recurrence,
            walk_ins_join: row.walk_ins_join,
            late_cancellation_hours: row.late_cancellation_hours as u32,
        },
        created_at: row.created_at,
    })
}

fn settings_model(settings: &SeriesSettings) -> series::ActiveModel {
    let (rule, every, nth) = settings.recurrence.parts();
    series::ActiveModel {
        name: Set(settings.name.clone()),
        rule: Set(rule.to_owned()),
        rule_every: Set(every as i32),
        rule_nth: Set(nth),
        walk_ins_join: Set(settings.walk_ins_join),
        late_cancellation_hours: Set(settings.late_cancellation_hours as i32),
        ..Default::default()
    }
}

pub async fn insert(
    conn: &impl ConnectionTrait,
    organiser_id: Uuid,
    settings: &SeriesSettings,
    now: DateTime<Utc>,
) -> Result<Series> {
    let mut row = settings_model(settings);
    row.id = Set(Uuid::now_v7());
    row.organiser_id = Set(organiser_id);
    row.created_at = Set(now);
    row.updated_at = Set(now);
    Ok(to_domain(row.insert(conn).await.context("cannot insert the series")?)?)
}

pub async fn update(
    conn: &impl ConnectionTrait,
    series_id: Uuid,
    settings: &SeriesSettings,
    now: DateTime<Utc>,
) -> Result<Series> {
    let mut row = settings_model(settings);
    row.id = Set(series_id);
    row.updated_at = Set(now);
    Ok(to_domain(row.update(conn).await.context("cannot update the series")?)?)
}

/// The organiser's series; someone else's is reported as not found.
pub async fn find_owned(conn: &impl ConnectionTrait, organiser_id: Uuid, series_id: Uuid) -> Result<Series> {
    let row = series::Entity::find_by_id(series_id)
        .filter(series::Column::OrganiserId.eq(organiser_id))
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::Series))?;
    Ok(to_domain(row)?)
}

/// Any series by id, for rules that already know whose it is.
pub async fn find(conn: &impl ConnectionTrait, series_id: Uuid) -> Result<Series> {
    let row = series::Entity::find_by_id(series_id).one(conn).await?.ok_or(StorageError::NotFound(Missing::Series))?;
    Ok(to_domain(row)?)
}

/// Her series and those named in `shared`, by name.
pub async fn list_with(conn: &impl ConnectionTrait, organiser_id: Uuid, shared: &[Uuid]) -> Result<Vec<Series>> {
    series::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(series::Column::OrganiserId.eq(organiser_id))
                .add(series::Column::Id.is_in(shared.iter().copied())),
        )
        .order_by_asc(series::Column::Name)
        .order_by_asc(series::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_domain(row).map_err(StorageError::from))
        .collect()
}

/// The defaults its new dates start from, if set.
pub async fn defaults(conn: &impl ConnectionTrait, series_id: Uuid) -> Result<Option<EventDetails>> {
    let Some(row) = series_defaults::Entity::find_by_id(series_id).one(conn).await? else {
        return Ok(None);
    };
    Ok(Some(defaults_to_domain(row)?))
}

/// Sets (or replaces) the defaults of its new dates.
pub async fn set_defaults(
    conn: &impl ConnectionTrait,
    series_id: Uuid,
    details: &EventDetails,
    now: DateTime<Utc>,
) -> Result<EventDetails> {
    let row = series_defaults::ActiveModel {
        series_id: Set(series_id),
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
        words: Set(serde_json::to_string(&details.words).context("her words are JSON")?),
        questions: Set(serde_json::to_string(&details.questions).context("questions are JSON")?),
        updated_at: Set(now),
    };
    series_defaults::Entity::insert(row)
        .on_conflict(
            OnConflict::column(series_defaults::Column::SeriesId)
                .update_columns(
                    series_defaults::Column::iter().filter(|c| !matches!(c, series_defaults::Column::SeriesId)),
                )
                .to_owned(),
        )
        .exec(conn)
        .await
        .context("cannot store the series' defaults")?;
    defaults(conn, series_id).await?.ok_or(StorageError::NotFound(Missing::Series))
}

/// An event's details and the defaults share their columns: read them with
/// the events' own mapping, so both follow the same rules.
fn defaults_to_domain(row: series_defaults::Model) -> anyhow::Result<EventDetails> {
    let as_event = events::Model {
        id: row.series_id,
        organiser_id: Uuid::nil(),
        title: row.title,
        description: row.description,
        venue_name: row.venue_name,
        venue_address: row.venue_address,
        venue_map_url: row.venue_map_url,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        time_zone: row.time_zone,
        capacity: row.capacity,
        companions_allowed: row.companions_allowed,
        rsvp_deadline: row.rsvp_deadline,
        language: row.language,
        follow_up_url: row.follow_up_url,
        status: EventStatus::Draft.as_str().to_owned(),
        seats_taken: 0,
        sequence: 0,
        created_at: row.updated_at,
        updated_at: row.updated_at,
        plan_nudges: row.plan_nudges,
        plan_nudge_maybes: row.plan_nudge_maybes,
        plan_answers_close: row.plan_answers_close,
        plan_reminder: row.plan_reminder,
        plan_follow_up: row.plan_follow_up,
        plan_venue_summary: row.plan_venue_summary,
        venue_contact: row.venue_contact,
        open_registration: row.open_registration,
        words: row.words,
        series_id: Some(row.series_id),
        questions: row.questions,
    };
    Ok(super::events::to_domain(as_event)?.details)
}

/// The names of these series, by id.
pub async fn names(conn: &impl ConnectionTrait, series_ids: &[Uuid]) -> Result<Vec<(Uuid, String)>> {
    if series_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(series::Entity::find()
        .select_only()
        .column(series::Column::Id)
        .column(series::Column::Name)
        .filter(series::Column::Id.is_in(series_ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?)
}
