//! What happened to each member at each date of a series, read in one
//! query; [`crate::domain::attendance`] turns the facts into a history.

use std::collections::HashMap;

use anyhow::anyhow;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ConnectionTrait, ExprTrait};
use uuid::Uuid;

use super::entities::{community_members as members, events, guests};
use super::error::Result;
use crate::domain::answer::Answer;
use crate::domain::attendance::AtDate;
use crate::domain::event::EventStatus;

/// When her answer last turned from "yes" to "no": the latest change to
/// "no" whose change before was a "yes".
const YES_TURNED_NO_AT: &str = "(SELECT MAX(c.changed_at) FROM answer_changes c \
     WHERE c.guest_id = guests.id AND c.answer = 'no' \
     AND (SELECT p.answer FROM answer_changes p WHERE p.guest_id = c.guest_id AND p.changed_at < c.changed_at \
          ORDER BY p.changed_at DESC, p.id DESC LIMIT 1) = 'yes')";

/// Whether anyone was checked in at the guest's date.
const CHECK_IN_USED: &str = "CAST(CASE WHEN EXISTS (SELECT 1 FROM guests d \
     WHERE d.event_id = guests.event_id AND d.checked_in_at IS NOT NULL) THEN 1 ELSE 0 END AS BIGINT)";

/// For each member of the series, what happened at each published (or
/// past) date she was on the list of. Cancelled dates and drafts are left
/// out: nobody was expected at them.
pub async fn facts(conn: &impl ConnectionTrait, series_id: Uuid) -> Result<HashMap<Uuid, Vec<(Uuid, AtDate)>>> {
    let select = Query::select()
        .column((members::Entity, members::Column::Id))
        .column((events::Entity, events::Column::Id))
        .column((guests::Entity, guests::Column::WalkIn))
        .column((guests::Entity, guests::Column::Answer))
        .expr(Expr::cust("CAST(CASE WHEN guests.waitlisted_at IS NULL THEN 0 ELSE 1 END AS BIGINT)"))
        .expr(Expr::cust("CAST(CASE WHEN guests.checked_in_at IS NULL THEN 0 ELSE 1 END AS BIGINT)"))
        .expr(Expr::cust(CHECK_IN_USED))
        .expr(Expr::cust(YES_TURNED_NO_AT))
        .column((events::Entity, events::Column::StartsAt))
        .from(members::Entity)
        .inner_join(
            guests::Entity,
            Expr::col((guests::Entity, guests::Column::Email)).equals((members::Entity, members::Column::Email)),
        )
        .inner_join(
            events::Entity,
            Expr::col((events::Entity, events::Column::Id)).equals((guests::Entity, guests::Column::EventId)),
        )
        .and_where(Expr::col((members::Entity, members::Column::SeriesId)).eq(series_id))
        .and_where(Expr::col((events::Entity, events::Column::SeriesId)).eq(series_id))
        .and_where(Expr::col((events::Entity, events::Column::Status)).eq(EventStatus::Published.as_str()))
        .to_owned();
    let mut facts: HashMap<Uuid, Vec<(Uuid, AtDate)>> = HashMap::new();
    for row in conn.query_all(&select).await? {
        let member: Uuid = row.try_get_by_index(0)?;
        let event: Uuid = row.try_get_by_index(1)?;
        let answer: Option<String> = row.try_get_by_index(3)?;
        let answer = match answer.as_deref() {
            None => None,
            Some(raw) => Some(Answer::parse(raw).ok_or_else(|| anyhow!("stored answer {raw:?} is unknown"))?),
        };
        let flag = |i: usize| -> Result<bool> { Ok(row.try_get_by_index::<i64>(i)? == 1) };
        let at = AtDate {
            walk_in: row.try_get_by_index(2)?,
            answer,
            waiting: flag(4)?,
            checked_in: flag(5)?,
            check_in_used: flag(6)?,
            yes_turned_no_at: row.try_get_by_index::<Option<DateTime<Utc>>>(7)?,
            starts_at: row.try_get_by_index(8)?,
        };
        facts.entry(member).or_default().push((event, at));
    }
    Ok(facts)
}
