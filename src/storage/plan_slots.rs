//! The reminder plan as rows: one per moment (a nudge, the reminder, the
//! follow-up) with its UTC due time, so that the scheduler asks the database
//! what is due instead of recomputing every event's plan on every tick.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::entities::plan_slots;
use super::error::Result;
use crate::domain::event::Event;

/// Lays out the event's plan from `now` on: forgets slots not yet done and
/// inserts the future ones. A slot already done keeps its key, so moving the
/// event never sends the same nudge twice.
pub async fn replan(conn: &impl ConnectionTrait, event: &Event, now: DateTime<Utc>) -> Result<()> {
    clear(conn, event.id).await?;
    let rows: Vec<plan_slots::ActiveModel> = event
        .details
        .plan
        .slots(&event.details.schedule)
        .into_iter()
        .filter(|slot| slot.due_at > now)
        .map(|slot| plan_slots::ActiveModel {
            event_id: Set(event.id),
            kind: Set(slot.kind.as_str().to_owned()),
            key: Set(slot.key),
            due_at: Set(slot.due_at),
            done_at: Set(None),
            ..Default::default()
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    plan_slots::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([plan_slots::Column::EventId, plan_slots::Column::Key]).do_nothing().to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// Forgets the slots of an event that are not done yet.
pub async fn clear(conn: &impl ConnectionTrait, event_id: Uuid) -> Result<()> {
    plan_slots::Entity::delete_many()
        .filter(plan_slots::Column::EventId.eq(event_id))
        .filter(plan_slots::Column::DoneAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Slots whose time has come, oldest first.
pub async fn due(db: &DatabaseConnection, now: DateTime<Utc>, limit: u64) -> Result<Vec<plan_slots::Model>> {
    Ok(plan_slots::Entity::find()
        .filter(plan_slots::Column::DoneAt.is_null())
        .filter(plan_slots::Column::DueAt.lte(now))
        .order_by_asc(plan_slots::Column::DueAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// Marks the slot done if nobody did yet; `true` means this caller owns it.
/// Two processes may see the same due slot: only one gets `true`.
pub async fn take(conn: &impl ConnectionTrait, slot_id: i64, now: DateTime<Utc>) -> Result<bool> {
    let result = plan_slots::Entity::update_many()
        .col_expr(plan_slots::Column::DoneAt, Expr::val(now))
        .filter(plan_slots::Column::Id.eq(slot_id))
        .filter(plan_slots::Column::DoneAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}
