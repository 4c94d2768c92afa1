//! A guest's invitation by her token, read in one statement with what the
//! doors that serve her would otherwise read in statements of their own:
//! her page and her answers are the hot paths.

use sea_orm::sea_query::{Expr, LockType, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QueryResult, QuerySelect, QueryTrait,
};

use super::built_once::BuiltOnce;
use super::entities::{events, guests, organisers};
use super::error::{Missing, Result, StorageError};
use super::organisers::Notifications;
use crate::domain::event::Event;
use crate::domain::guest::Guest;
use crate::domain::webhook::WebhookType;

/// The organiser who invites her.
#[derive(Debug, Clone, Default)]
pub struct Host {
    pub name: String,
    pub email: String,
}

/// Her invitation: her row, her event's, and four facts about them.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub guest: Guest,
    pub event: Event,
    /// The organiser who invites her, as her page and calendar name her.
    pub host: Host,
    /// Where a note about her answer goes: the organiser's address if she
    /// wants a note for each answer, else none.
    pub note_to: Option<String>,
    /// Whether anyone of the event other than her is on the waiting list.
    pub others_waiting: bool,
    /// Whether a webhook endpoint of the organiser listens to answers.
    pub answers_heard: bool,
}

/// An index seek (`idx_guests_waiting`, of the waiting alone).
pub(super) const OTHERS_WAITING: &str = r#"EXISTS (SELECT 1 FROM "guests" AS "w" WHERE "w"."event_id" = "guests"."event_id" AND "w"."waitlisted_at" IS NOT NULL AND "w"."id" <> "guests"."id")"#;

/// The read of [`by_token`], its text built once per backend.
static BY_TOKEN: BuiltOnce = BuiltOnce::new(|backend, token_hash| {
    with_host(guests::Entity::find().filter(guests::Column::TokenHash.eq(token_hash)).find_also_related(events::Entity))
        .expr_as(Expr::cust(OTHERS_WAITING), "others_waiting")
        .build(backend)
});

/// The invitation whose token has this hash.
pub async fn by_token(conn: &impl ConnectionTrait, token_hash: &str) -> Result<Invitation> {
    let read = BY_TOKEN.with_key(conn.get_database_backend(), token_hash);
    let row = conn.query_one_raw(read).await?.ok_or(StorageError::NotFound(Missing::Invitation))?;
    // The prefixes `find_also_related` gives each table's columns.
    let guest = guests::Model::from_query_result(&row, "A_")?;
    let event = events::Model::from_query_result(&row, "B_")?;
    let HostRead { host, note_to, answers_heard } = HostRead::of(&row)?;
    Ok(Invitation {
        guest: super::guests::to_domain(guest)?,
        event: super::events::to_domain(event)?,
        host,
        note_to,
        others_waiting: row.try_get("", "others_waiting")?,
        answers_heard,
    })
}

/// The invitations whose tokens have these hashes, each with its hash; a
/// hash no invitation has is left out. Their events are read first, each
/// once however many of its guests there are, and on PostgreSQL locked as
/// [`super::events::lock`] does, in the order of their ids: the guests,
/// read next, are as current as a seat change needs them.
pub async fn by_tokens(conn: &impl ConnectionTrait, token_hashes: &[String]) -> Result<Vec<(String, Invitation)>> {
    let backend = conn.get_database_backend();
    let theirs = || tokens_among(backend, token_hashes);
    let their_events =
        Query::select().column(guests::Column::EventId).from(guests::Entity).cond_where(theirs()).to_owned();
    let mut events_read = with_host(events::Entity::find().filter(events::Column::Id.in_subquery(their_events)))
        .order_by_asc(events::Column::Id);
    if backend != DbBackend::Sqlite {
        // The events alone: not their organisers, whom other answers read.
        QueryTrait::query(&mut events_read).lock_with_tables(LockType::NoKeyUpdate, [events::Entity]);
    }
    let mut events = std::collections::HashMap::new();
    for row in conn.query_all_raw(events_read.build(backend)).await? {
        let event = super::events::to_domain(events::Model::from_query_result(&row, "")?)?;
        events.insert(event.id, (event, HostRead::of(&row)?));
    }
    let guests_read =
        guests::Entity::find().filter(theirs()).expr_as(Expr::cust(OTHERS_WAITING), "others_waiting").build(backend);
    let mut found = Vec::with_capacity(token_hashes.len());
    for row in conn.query_all_raw(guests_read).await? {
        let others_waiting: bool = row.try_get("", "others_waiting")?;
        let guest = guests::Model::from_query_result(&row, "")?;
        let Some((event, host)) = events.get(&guest.event_id) else {
            continue;
        };
        let token_hash = guest.token_hash.clone();
        let invitation = Invitation {
            guest: super::guests::to_domain(guest)?,
            event: event.clone(),
            host: host.host.clone(),
            note_to: host.note_to.clone(),
            others_waiting,
            answers_heard: host.answers_heard,
        };
        found.push((token_hash, invitation));
    }
    Ok(found)
}

/// Guests whose token has one of these hashes. On PostgreSQL the hashes
/// travel as one JSON array, so that the statement's text is the same
/// however many there are: prepared and planned once on each connection
/// rather than for each size of batch. `= ANY(ARRAY(…))` reads them by the
/// tokens' index, where `IN (SELECT …)` read the whole table.
fn tokens_among(backend: DbBackend, token_hashes: &[String]) -> Condition {
    if backend == DbBackend::Postgres {
        let hashes = serde_json::Value::from(token_hashes.to_vec());
        let listed = r#""guests"."token_hash" = ANY(ARRAY(SELECT jsonb_array_elements_text($1)))"#;
        Condition::all().add(Expr::cust_with_values(listed, [hashes]))
    } else {
        Condition::all().add(guests::Column::TokenHash.is_in(token_hashes))
    }
}

/// The event's organiser, as an invitation names her, with what she wants.
fn with_host<Q: QuerySelect>(events: Q) -> Q {
    events
        .join(
            JoinType::InnerJoin,
            events::Entity::belongs_to(organisers::Entity)
                .from(events::Column::OrganiserId)
                .to(organisers::Column::Id)
                .into(),
        )
        .expr_as(Expr::col((organisers::Entity, organisers::Column::Name)), "host_name")
        .expr_as(Expr::col((organisers::Entity, organisers::Column::Email)), "host_email")
        .expr_as(Expr::col((organisers::Entity, organisers::Column::Notifications)), "notifications")
        .expr_as(super::webhooks::heard_by_events_organiser(WebhookType::GuestAnswered), "answers_heard")
}

/// What [`with_host`] read of an event's organiser.
struct HostRead {
    host: Host,
    note_to: Option<String>,
    answers_heard: bool,
}

impl HostRead {
    fn of(row: &QueryResult) -> Result<Self> {
        let host = Host { name: row.try_get("", "host_name")?, email: row.try_get("", "host_email")? };
        let wants_each = row.try_get::<Notifications>("", "notifications")? == Notifications::Each;
        Ok(Self {
            note_to: wants_each.then(|| host.email.clone()),
            host,
            answers_heard: row.try_get("", "answers_heard")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_postgresql_the_read_of_a_batchs_guests_has_one_text_whatever_their_number() {
        let text = |count: usize| {
            let hashes: Vec<String> = (0..count).map(|i| format!("{i:064x}")).collect();
            let read = guests::Entity::find().filter(tokens_among(DbBackend::Postgres, &hashes));
            read.build(DbBackend::Postgres).sql
        };
        assert_eq!(text(2), text(17));
        assert!(text(2).contains("= ANY(ARRAY("), "{}", text(2));
    }

    #[test]
    fn the_read_of_an_invitation_is_built_once_on_each_backend() {
        assert!(BY_TOKEN.is_kept(DbBackend::Sqlite));
        assert!(BY_TOKEN.is_kept(DbBackend::Postgres));
    }
}
