//! Check-in at the door as rows. Each tap is one conditional `UPDATE` of one
//! guest, so several phones checking in the same event at once lose nothing:
//! there is no read-modify-write to race.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::entities::guests;
use super::error::{Missing, Result, StorageError};
use crate::domain::email_address::EmailAddress;

/// Which guest a tap is for.
#[derive(Debug, Clone, Copy)]
pub enum Arrival<'a> {
    ById(Uuid),
    ByAddress(&'a EmailAddress),
}

impl Arrival<'_> {
    fn filter(self, event_id: Uuid) -> Expr {
        let guest = match self {
            Self::ById(id) => guests::Column::Id.eq(id),
            Self::ByAddress(email) => guests::Column::Email.eq(email.as_str()),
        };
        guests::Column::EventId.eq(event_id).and(guest)
    }
}

/// Sets the arrival time unless one is set (the first tap wins), and the
/// companions, for the guest of the event `who` names.
pub async fn mark_arrived(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
    who: Arrival<'_>,
    companions: u32,
    now: DateTime<Utc>,
) -> Result<()> {
    let which = who.filter(event_id);
    guests::Entity::update_many()
        .col_expr(guests::Column::CheckedInAt, Expr::val(now))
        .filter(which.clone())
        .filter(guests::Column::CheckedInAt.is_null())
        .exec(conn)
        .await?;
    let updated = guests::Entity::update_many()
        .col_expr(guests::Column::CheckedInCompanions, Expr::val(companions as i32))
        .filter(which)
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(StorageError::NotFound(Missing::Guest));
    }
    Ok(())
}

/// Marks the guest of the event with this address as added at the door.
pub async fn mark_walk_in(conn: &impl ConnectionTrait, event_id: Uuid, email: &EmailAddress) -> Result<()> {
    guests::Entity::update_many()
        .col_expr(guests::Column::WalkIn, Expr::val(true))
        .filter(Arrival::ByAddress(email).filter(event_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Clears a guest's check-in (a wrong tap).
pub async fn clear(conn: &impl ConnectionTrait, event_id: Uuid, guest_id: Uuid) -> Result<()> {
    let result = guests::Entity::update_many()
        .col_expr(guests::Column::CheckedInAt, Expr::val(Option::<DateTime<Utc>>::None))
        .col_expr(guests::Column::CheckedInCompanions, Expr::val(0))
        .filter(Arrival::ById(guest_id).filter(event_id))
        .exec(conn)
        .await?;
    if result.rows_affected == 0 {
        return Err(StorageError::NotFound(Missing::Guest));
    }
    Ok(())
}

/// Which of these events had anyone checked in: there, check-in says who came.
pub async fn events_with_check_ins(conn: &impl ConnectionTrait, event_ids: &[Uuid]) -> Result<HashSet<Uuid>> {
    if event_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let ids: Vec<Uuid> = guests::Entity::find()
        .select_only()
        .column(guests::Column::EventId)
        .distinct()
        .filter(guests::Column::EventId.is_in(event_ids.iter().copied()))
        .filter(guests::Column::CheckedInAt.is_not_null())
        .into_tuple()
        .all(conn)
        .await?;
    Ok(ids.into_iter().collect())
}
