//! Community members of a series: rows <-> [`Member`], joining (once per
//! address), leaving, and "invite the community" as one `INSERT … SELECT`.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query, Value, ValueTuple};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::{community_members as members, guests, unsubscribes};
use super::error::{Missing, Result, StorageError};
use crate::domain::community::{JoinedHow, Member, MemberStatus, NewMember};
use crate::domain::email_address::EmailAddress;
use crate::domain::event::{Event, Language};
use crate::domain::guest::NewGuest;

fn to_domain(row: members::Model) -> anyhow::Result<Member> {
    Ok(Member {
        id: row.id,
        series_id: row.series_id,
        email: EmailAddress::from_stored(row.email),
        name: row.name,
        first_name: row.first_name,
        language: row.language.as_deref().map(Language::parse).transpose().map_err(|e| anyhow!(e))?,
        tags: row.tags.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
        status: MemberStatus::parse(&row.status).ok_or_else(|| anyhow!("stored status {:?} is unknown", row.status))?,
        joined_how: JoinedHow::parse(&row.joined_how)
            .ok_or_else(|| anyhow!("stored way of joining {:?} is unknown", row.joined_how))?,
        consented_at: row.consented_at,
        joined_at: row.joined_at,
        left_at: row.left_at,
    })
}

fn new_row(
    series_id: Uuid,
    person: &NewGuest,
    how: JoinedHow,
    status: MemberStatus,
    now: DateTime<Utc>,
) -> members::ActiveModel {
    members::ActiveModel {
        id: Set(Uuid::now_v7()),
        series_id: Set(series_id),
        email: Set(person.email.as_str().to_owned()),
        name: Set(person.name.clone()),
        first_name: Set(person.first_name.clone()),
        language: Set(person.language.map(|l| l.as_str().to_owned())),
        tags: Set(String::new()),
        status: Set(status.as_str().to_owned()),
        joined_how: Set(how.as_str().to_owned()),
        consented_at: Set(None),
        joined_at: Set(now),
        left_at: Set((status == MemberStatus::Left).then_some(now)),
        updated_at: Set(now),
    }
}

/// Adds a member unless her address is already in the community (whether
/// active or left: someone who left is not brought back by a list); `None`
/// means she was there already.
pub async fn insert_unless_member(
    conn: &impl ConnectionTrait,
    series_id: Uuid,
    member: &NewMember,
    now: DateTime<Utc>,
) -> Result<Option<Member>> {
    let mut row = new_row(series_id, &member.person, member.joined_how, MemberStatus::Active, now);
    row.tags = Set(member.tags.join(","));
    row.consented_at = Set(member.consented_at);
    let id = row.id.clone().unwrap();
    let inserted = members::Entity::insert(row)
        .on_conflict(OnConflict::columns([members::Column::SeriesId, members::Column::Email]).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await
        .context("cannot insert the member")?;
    if inserted == 0 {
        return Ok(None);
    }
    Ok(Some(find(conn, series_id, id).await?))
}

/// Rows per statement when many join at once: well under SQLite's limit of
/// bound values (13 columns each).
const ROWS_PER_INSERT: usize = 500;

/// Adds these members, each unless her address is already in the community
/// (active or left), a few hundred per statement; the addresses added.
pub async fn insert_many_unless_members(
    conn: &impl ConnectionTrait,
    series_id: Uuid,
    members: &[NewMember],
    now: DateTime<Utc>,
) -> Result<std::collections::HashSet<String>> {
    let mut added = std::collections::HashSet::new();
    for chunk in members.chunks(ROWS_PER_INSERT) {
        let mut emails = std::collections::HashMap::new();
        let rows: Vec<members::ActiveModel> = chunk
            .iter()
            .map(|member| {
                let mut row = new_row(series_id, &member.person, member.joined_how, MemberStatus::Active, now);
                row.tags = Set(member.tags.join(","));
                row.consented_at = Set(member.consented_at);
                if let Set(id) = row.id {
                    emails.insert(id, member.person.email.as_str());
                }
                row
            })
            .collect();
        let inserted = members::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([members::Column::SeriesId, members::Column::Email])
            .exec_with_returning_keys(conn)
            .await
            .context("cannot add the members")?;
        if let sea_orm::TryInsertResult::Inserted(ids) = inserted {
            added.extend(ids.iter().filter_map(|id| emails.get(id)).map(|email| (*email).to_owned()));
        }
    }
    Ok(added)
}

/// Someone met at a date (at the door, or registering) joins, unless known.
pub async fn join(
    conn: &impl ConnectionTrait,
    series_id: Uuid,
    person: &NewGuest,
    how: JoinedHow,
    now: DateTime<Utc>,
) -> Result<bool> {
    let mut row = new_row(series_id, person, how, MemberStatus::Active, now);
    // Coming in person, or confirming her address, is her consent; being on
    // a guest list says nothing of it.
    row.consented_at = Set(matches!(how, JoinedHow::WalkIn | JoinedHow::Registered).then_some(now));
    let inserted = members::Entity::insert(row)
        .on_conflict(OnConflict::columns([members::Column::SeriesId, members::Column::Email]).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await
        .context("cannot add the member")?;
    Ok(inserted > 0)
}

/// She leaves the series: marked left (kept, so nothing brings her back),
/// or recorded as left if she was not a member. Twice is harmless.
pub async fn leave(conn: &impl ConnectionTrait, series_id: Uuid, person: &NewGuest, now: DateTime<Utc>) -> Result<()> {
    let row = new_row(series_id, person, JoinedHow::Added, MemberStatus::Left, now);
    members::Entity::insert(row)
        .on_conflict(OnConflict::columns([members::Column::SeriesId, members::Column::Email]).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await
        .context("cannot record the member who left")?;
    members::Entity::update_many()
        .col_expr(members::Column::Status, Expr::val(MemberStatus::Left.as_str()))
        .col_expr(members::Column::LeftAt, Expr::val(now))
        .col_expr(members::Column::UpdatedAt, Expr::val(now))
        .filter(members::Column::SeriesId.eq(series_id))
        .filter(members::Column::Email.eq(person.email.as_str()))
        .filter(members::Column::Status.eq(MemberStatus::Active.as_str()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Sets a member's status (the organiser's doing): back to active, or left.
pub async fn set_status(
    conn: &impl ConnectionTrait,
    series_id: Uuid,
    member_id: Uuid,
    status: MemberStatus,
    now: DateTime<Utc>,
) -> Result<Member> {
    let left_at = match status {
        MemberStatus::Left => Expr::val(now),
        MemberStatus::Active => Expr::val(Option::<DateTime<Utc>>::None),
    };
    let updated = members::Entity::update_many()
        .col_expr(members::Column::Status, Expr::val(status.as_str()))
        .col_expr(members::Column::LeftAt, left_at)
        .col_expr(members::Column::UpdatedAt, Expr::val(now))
        .filter(members::Column::SeriesId.eq(series_id))
        .filter(members::Column::Id.eq(member_id))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(StorageError::NotFound(Missing::Member));
    }
    find(conn, series_id, member_id).await
}

pub async fn find(conn: &impl ConnectionTrait, series_id: Uuid, member_id: Uuid) -> Result<Member> {
    let row = members::Entity::find_by_id(member_id)
        .filter(members::Column::SeriesId.eq(series_id))
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::Member))?;
    Ok(to_domain(row)?)
}

/// Every member, by address.
pub async fn list(conn: &impl ConnectionTrait, series_id: Uuid) -> Result<Vec<Member>> {
    members::Entity::find()
        .filter(members::Column::SeriesId.eq(series_id))
        .order_by_asc(members::Column::Email)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_domain(row).map_err(StorageError::from))
        .collect()
}

/// Which active members of the series "invite the community" would add to
/// `event`: not already on its list, not unsubscribed from the organiser.
pub async fn to_invite(conn: &impl ConnectionTrait, series_id: Uuid, event: &Event) -> Result<Vec<Uuid>> {
    let mut query = members::Entity::find().select_only().column(members::Column::Id);
    query = query
        .filter(members::Column::SeriesId.eq(series_id))
        .filter(members::Column::Status.eq(MemberStatus::Active.as_str()))
        .filter(members::Column::Email.not_in_subquery(invited_addresses(event)))
        .filter(members::Column::Email.not_in_subquery(unsubscribed_addresses(event)));
    Ok(query.into_tuple().all(conn).await?)
}

fn invited_addresses(event: &Event) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(guests::Column::Email)
        .from(guests::Entity)
        .and_where(Expr::col((guests::Entity, guests::Column::EventId)).eq(event.id))
        .to_owned()
}

fn unsubscribed_addresses(event: &Event) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(unsubscribes::Column::Email)
        .from(unsubscribes::Entity)
        .and_where(Expr::col((unsubscribes::Entity, unsubscribes::Column::OrganiserId)).eq(event.organiser_id))
        .to_owned()
}

/// A guest row to make of a member: her id, the new guest's id, its token
/// salt and token hash (derived with the instance key, which SQL cannot).
pub struct Fresh {
    pub member_id: Uuid,
    pub guest_id: Uuid,
    pub salt: String,
    pub token_hash: String,
}

/// Adds the members named in `fresh` to the event's guest list in one
/// statement: their names, addresses and languages are read by the
/// database, which also skips anyone left, already invited, or unsubscribed
/// since they were picked. Returns the rows added.
pub async fn invite_into(
    conn: &impl ConnectionTrait,
    series_id: Uuid,
    event: &Event,
    fresh: &[Fresh],
    now: DateTime<Utc>,
) -> Result<u64> {
    if fresh.is_empty() {
        return Ok(0);
    }
    let values = fresh.iter().map(|f| {
        ValueTuple::Many(vec![
            Value::from(f.member_id),
            Value::from(f.guest_id),
            Value::from(f.salt.clone()),
            Value::from(f.token_hash.clone()),
        ])
    });
    let fresh_alias = Alias::new("fresh");
    let fresh_col = |n: &str| Expr::col((fresh_alias.clone(), Alias::new(n)));
    let member = |column: members::Column| Expr::col((members::Entity, column));
    let select = Query::select()
        .expr(fresh_col("column2"))
        .expr(Expr::val(event.id))
        .expr(member(members::Column::Email))
        .expr(member(members::Column::Name))
        .expr(member(members::Column::FirstName))
        .expr(member(members::Column::Language))
        .expr(fresh_col("column4"))
        .expr(fresh_col("column3"))
        .expr(Expr::val(0))
        .expr(Expr::val(""))
        .expr(Expr::val(now))
        .expr(Expr::val(now))
        .expr(Expr::val(0))
        .expr(Expr::val(false))
        .from_values(values, fresh_alias.clone())
        .inner_join(members::Entity, member(members::Column::Id).equals((fresh_alias.clone(), Alias::new("column1"))))
        .and_where(member(members::Column::SeriesId).eq(series_id))
        .and_where(member(members::Column::Status).eq(MemberStatus::Active.as_str()))
        .and_where(member(members::Column::Email).not_in_subquery(invited_addresses(event)))
        .and_where(member(members::Column::Email).not_in_subquery(unsubscribed_addresses(event)))
        .to_owned();
    let insert = Query::insert()
        .into_table(guests::Entity)
        .columns([
            guests::Column::Id,
            guests::Column::EventId,
            guests::Column::Email,
            guests::Column::Name,
            guests::Column::FirstName,
            guests::Column::Language,
            guests::Column::TokenHash,
            guests::Column::TokenSalt,
            guests::Column::Companions,
            guests::Column::Comment,
            guests::Column::CreatedAt,
            guests::Column::UpdatedAt,
            guests::Column::CheckedInCompanions,
            guests::Column::WalkIn,
        ])
        .select_from(select)
        .map_err(|e| anyhow!("cannot build the community's invitation: {e}"))?
        .on_conflict(OnConflict::columns([guests::Column::EventId, guests::Column::Email]).do_nothing().to_owned())
        .to_owned();
    Ok(conn.execute(&insert).await?.rows_affected())
}

/// The memberships of these addresses in these series: (series, address,
/// member, status). Who left is sent nothing more from the series; who
/// stays is offered its feed.
pub async fn among(
    conn: &impl ConnectionTrait,
    series_ids: &[Uuid],
    emails: &[String],
) -> Result<Vec<(Uuid, String, Uuid, MemberStatus)>> {
    if series_ids.is_empty() || emails.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, String, Uuid, String)> = members::Entity::find()
        .select_only()
        .column(members::Column::SeriesId)
        .column(members::Column::Email)
        .column(members::Column::Id)
        .column(members::Column::Status)
        .filter(members::Column::SeriesId.is_in(series_ids.iter().copied()))
        .filter(members::Column::Email.is_in(emails.iter().cloned()))
        .into_tuple()
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|(series_id, email, id, status)| {
            let status = MemberStatus::parse(&status)
                .ok_or_else(|| anyhow::anyhow!("stored member status {status:?} is unknown"))?;
            Ok((series_id, email, id, status))
        })
        .collect()
}

/// A member by id alone (her feed link names her).
pub async fn find_by_id(conn: &impl ConnectionTrait, member_id: Uuid) -> Result<Option<Member>> {
    match members::Entity::find_by_id(member_id).one(conn).await? {
        Some(row) => Ok(Some(to_domain(row)?)),
        None => Ok(None),
    }
}
