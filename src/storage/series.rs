//! Series: rows <-> [`Series`].

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entities::series;
use super::error::{Missing, Result, StorageError};
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

/// Her series, by name.
pub async fn list(conn: &impl ConnectionTrait, organiser_id: Uuid) -> Result<Vec<Series>> {
    series::Entity::find()
        .filter(series::Column::OrganiserId.eq(organiser_id))
        .order_by_asc(series::Column::Name)
        .order_by_asc(series::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_domain(row).map_err(StorageError::from))
        .collect()
}
