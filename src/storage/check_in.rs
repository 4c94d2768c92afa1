//! Check-in at the door. Each tap is one conditional `UPDATE` of one guest,
//! so several phones checking in the same event at once lose nothing: there
//! is no read-modify-write to race.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::entities::guests;
use super::{Db, begin_write};
use crate::domain::event::Event;
use crate::domain::guest::{Guest, NewGuest};
use crate::domain::token::SecretKey;
use crate::error::{ApiError, Result};

/// Checks a guest in, keeping the time of her first check-in; `companions`
/// defaults to those she announced with a "yes".
pub async fn check_in(
    db: &Db,
    event: &Event,
    guest_id: Uuid,
    companions: Option<u32>,
    now: DateTime<Utc>,
) -> Result<Guest> {
    // Only a guest of this event: the id alone could be another's.
    let guest = super::guests::find_in_event(&**db, event.id, guest_id).await?;
    let companions = companions.unwrap_or_else(|| {
        guest.reply.as_ref().filter(|r| r.answer == crate::domain::answer::Answer::Yes).map_or(0, |r| r.companions)
    });
    let tx = begin_write(db).await?;
    mark_arrived(&*tx, guests::Column::Id.eq(guest_id), companions, now).await?;
    tx.commit().await?;
    super::guests::find_in_event(&**db, event.id, guest_id).await
}

/// Sets the arrival time unless one is set (the first tap wins), and the
/// companions, for the guest `which` selects.
async fn mark_arrived(conn: &impl ConnectionTrait, which: Expr, companions: u32, now: DateTime<Utc>) -> Result<()> {
    guests::Entity::update_many()
        .col_expr(guests::Column::CheckedInAt, Expr::val(now))
        .filter(which.clone())
        .filter(guests::Column::CheckedInAt.is_null())
        .exec(conn)
        .await?;
    guests::Entity::update_many()
        .col_expr(guests::Column::CheckedInCompanions, Expr::val(companions as i32))
        .filter(which)
        .exec(conn)
        .await?;
    Ok(())
}

/// Undoes a check-in (a wrong tap).
pub async fn undo(db: &Db, event: &Event, guest_id: Uuid) -> Result<Guest> {
    let result = guests::Entity::update_many()
        .col_expr(guests::Column::CheckedInAt, Expr::val(Option::<DateTime<Utc>>::None))
        .col_expr(guests::Column::CheckedInCompanions, Expr::val(0))
        .filter(guests::Column::Id.eq(guest_id))
        .filter(guests::Column::EventId.eq(event.id))
        .exec(&**db)
        .await?;
    if result.rows_affected == 0 {
        return Err(ApiError::NotFound("guest"));
    }
    super::guests::find_in_event(&**db, event.id, guest_id).await
}

/// Someone at the door who was not on the list: added as a guest of the
/// event and checked in at once, with no invitation sent (she is here). If
/// her address was invited after all, that guest is checked in instead; the
/// flag says which happened.
pub async fn walk_in(
    db: &Db,
    event: &Event,
    person: &NewGuest,
    companions: u32,
    key: &SecretKey,
    now: DateTime<Utc>,
) -> Result<(Guest, bool)> {
    let tx = begin_write(db).await?;
    let event = super::events::lock(&*tx, event.id).await?;
    let added = super::guests::insert_unless_invited(&*tx, event.id, person, key, now).await?;
    let created = added.is_some();
    let which = guests::Column::EventId.eq(event.id).and(guests::Column::Email.eq(person.email.as_str()));
    mark_arrived(&*tx, which.clone(), companions, now).await?;
    if created {
        guests::Entity::update_many()
            .col_expr(guests::Column::WalkIn, Expr::val(true))
            .filter(which)
            .exec(&*tx)
            .await?;
    }
    let row = guests::Entity::find()
        .filter(guests::Column::EventId.eq(event.id))
        .filter(guests::Column::Email.eq(person.email.as_str()))
        .one(&*tx)
        .await?
        .ok_or(ApiError::NotFound("guest"))?;
    tx.commit().await?;
    Ok((super::guests::to_domain(row)?, created))
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
