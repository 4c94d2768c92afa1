//! Answers as rows: writing a guest's reply, the waiting list's order, the
//! event's seat counter and the history of changes. The rules that decide
//! what to write are the application layer's (`app::answers`).

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::sea_query::{
    Alias, CommonTableExpression, Expr, Query, SqliteQueryBuilder, SubQueryStatement, WithClause,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend,
    EntityTrait, ExprTrait, Iterable, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Statement,
};
use uuid::Uuid;

use super::entities::{answer_changes, events, guests};
use super::error::{Missing, Result, StorageError};
use crate::domain::answer::{Answer, Channel, Reply};
use crate::domain::event::Event;
use crate::domain::guest::Guest;

/// The guest with this organiser's ids, with her event.
pub async fn find_owned_guest(
    conn: &impl ConnectionTrait,
    organiser_id: Uuid,
    event_id: Uuid,
    guest_id: Uuid,
) -> Result<(Guest, Event)> {
    let (guest, event) = guests::Entity::find()
        .filter(guests::Column::Id.eq(guest_id))
        .filter(guests::Column::EventId.eq(event_id))
        .filter(events::Column::OrganiserId.eq(organiser_id))
        .find_also_related(events::Entity)
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::Guest))?;
    let event = event.ok_or(StorageError::NotFound(Missing::Guest))?;
    Ok((super::guests::to_domain(guest)?, super::events::to_domain(event)?))
}

/// Her answers to the questions as stored: a JSON object by question key.
fn answers_json(answers: &crate::domain::question::Answers) -> String {
    serde_json::to_string(answers).unwrap_or_else(|_| "{}".to_owned())
}

/// The guest columns an answer sets.
fn reply_columns(reply: &Reply, waitlisted_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> guests::ActiveModel {
    guests::ActiveModel {
        answer: Set(Some(reply.answer.as_str().to_owned())),
        companions: Set(reply.companions as i32),
        comment: Set(reply.comment.clone()),
        question_answers: Set(answers_json(&reply.questions)),
        answered_at: Set(Some(now)),
        waitlisted_at: Set(waitlisted_at),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Writes her reply and its line in the answer history only if her stored
/// answer holds no seat (is not "yes"); returns the line's id, or `None`
/// when a concurrent "yes" seated her since it was read. One statement:
/// the history is inserted from what the conditional `UPDATE` returns.
///
/// PostgreSQL only (an `UPDATE` inside `WITH`): SQLite reads her under its
/// write lock, so her answer cannot have changed since (`write_answer`).
pub async fn write_reply_and_log_if_seatless(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
    guest_id: Uuid,
    reply: &Reply,
    channel: Channel,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>> {
    let (change, line) = history_line(event_id, guest_id, reply, false, channel, now);
    let mut written = guests::Entity::update_many()
        .set(reply_columns(reply, None, now))
        .filter(guests::Column::Id.eq(guest_id))
        .filter(Condition::any().add(guests::Column::Answer.is_null()).add(guests::Column::Answer.ne("yes")))
        .into_query();
    written.returning_col(guests::Column::Id);
    let (columns, values): (Vec<_>, Vec<_>) = answer_changes::Column::iter()
        .filter_map(|column| line.get(column).into_value().map(|value| (column, Expr::val(value))))
        .unzip();
    let mut history = Query::insert();
    history
        .into_table(answer_changes::Entity)
        .columns(columns)
        .select_from(Query::select().exprs(values).from(Alias::new("written")).to_owned())
        .map_err(|err| StorageError::Database(anyhow::Error::new(err).context("cannot write the answer history")))?;
    let mut with = WithClause::new();
    with.cte(CommonTableExpression::new().query(written).table_name(Alias::new("written")).to_owned());
    let inserted = conn.execute(&with.query(history)).await?;
    Ok((inserted.rows_affected() == 1).then_some(change))
}

/// Writes her answer as `answered` holds it (her reply, and since when she
/// waits for a seat, if she does), its line in the event's answer history,
/// and the event's new seat count if given; returns the line's id.
pub async fn write_answer(
    conn: &impl ConnectionTrait,
    answered: &Guest,
    channel: Channel,
    seats_taken: Option<u32>,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let counts: Vec<_> = seats_taken.map(|seats| (answered.event_id, seats)).into_iter().collect();
    let changes = write_answers(conn, &[(answered, channel)], &counts, now).await?;
    changes.into_iter().next().ok_or_else(|| StorageError::Database(anyhow::anyhow!("no answer written")))
}

/// Writes the answers of several guests (each once), their lines in the
/// answer history and their events' new seat counts; returns the lines'
/// ids, in the order of `answered`.
///
/// One round trip, inside the write lock that answers queue for: on
/// SQLite the statements go to the connection's thread as one list, which
/// SQLite runs in order with their parameters; PostgreSQL runs one
/// statement of data-modifying parts (`WITH`), the rows sent as JSON.
pub async fn write_answers(
    conn: &impl ConnectionTrait,
    answered: &[(&Guest, Channel)],
    seats_taken: &[(Uuid, u32)],
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>> {
    let written = answered
        .iter()
        .map(|&(guest, channel)| {
            let reply =
                guest.reply.as_ref().ok_or_else(|| StorageError::Database(anyhow::anyhow!("no reply to write")))?;
            Ok(Written { guest, reply, channel })
        })
        .collect::<Result<Vec<_>>>()?;
    if written.is_empty() {
        return Ok(Vec::new());
    }
    let (changes, statement) = if conn.get_database_backend() == DbBackend::Sqlite {
        written_on_sqlite(&written, seats_taken, now)
    } else {
        written_on_postgres(&written, seats_taken, now)
    };
    conn.execute_raw(statement).await?;
    Ok(changes)
}

/// An answer to write.
struct Written<'a> {
    guest: &'a Guest,
    reply: &'a Reply,
    channel: Channel,
}

/// [`write_answers`] on SQLite: its statements as one list, and the ids of
/// the history's new lines.
fn written_on_sqlite(written: &[Written], seats_taken: &[(Uuid, u32)], now: DateTime<Utc>) -> (Vec<Uuid>, Statement) {
    let mut statements: Vec<SubQueryStatement> = written
        .iter()
        .map(|w| {
            let columns = reply_columns(w.reply, w.guest.waitlisted_at, now);
            guests::Entity::update_many().set(columns).filter(guests::Column::Id.eq(w.guest.id)).into_query().into()
        })
        .collect();
    let (changes, lines): (Vec<_>, Vec<_>) = written
        .iter()
        .map(|w| history_line(w.guest.event_id, w.guest.id, w.reply, w.guest.is_waiting(), w.channel, now))
        .unzip();
    statements.push(answer_changes::Entity::insert_many(lines).into_query().into());
    statements.extend(seats_taken.iter().map(|&(event, seats)| seat_count(event, seats).into_query().into()));
    (changes, joined(statements.iter()))
}

/// [`write_answers`] on PostgreSQL: one statement whose text is the same
/// however many answers it writes, their rows sent as JSON. A text for each
/// size of batch was prepared, and planned, again for nearly every batch.
fn written_on_postgres(written: &[Written], seats_taken: &[(Uuid, u32)], now: DateTime<Utc>) -> (Vec<Uuid>, Statement) {
    let changes: Vec<Uuid> = written.iter().map(|_| Uuid::now_v7()).collect();
    let rows: Vec<serde_json::Value> = written
        .iter()
        .zip(&changes)
        .map(|(Written { guest, reply, channel }, change)| {
            serde_json::json!({
                "guest_id": guest.id,
                "event_id": guest.event_id,
                "change_id": change,
                "answer": reply.answer.as_str(),
                "companions": reply.companions,
                "comment": reply.comment,
                "question_answers": answers_json(&reply.questions),
                // Microseconds, as PostgreSQL keeps them and as a bound time is sent.
                "waitlisted_at": guest.waitlisted_at.map(|at| at.to_rfc3339_opts(SecondsFormat::Micros, true)),
                "channel": channel.as_str(),
            })
        })
        .collect();
    let counts: Vec<serde_json::Value> = seats_taken
        .iter()
        .map(|(event, seats)| serde_json::json!({ "event_id": event, "seats_taken": seats }))
        .collect();
    let values = [serde_json::Value::from(rows).into(), now.into(), serde_json::Value::from(counts).into()];
    (changes, Statement::from_sql_and_values(DbBackend::Postgres, POSTGRES_WRITE_ANSWERS, values))
}

/// The text of [`written_on_postgres`]: the answers (`$1`, at `$2`) set on
/// their guests and added to the history, then the seat counts (`$3`). The
/// rows are found by `= ANY(ARRAY(…))`, which reads them by their index:
/// joined to the JSON's rows alone, the plan kept for every batch reads the
/// whole table.
const POSTGRES_WRITE_ANSWERS: &str = r#"WITH "answered" AS (
    SELECT * FROM jsonb_to_recordset($1) AS "a" ("guest_id" uuid, "event_id" uuid, "change_id" uuid,
        "answer" text, "companions" integer, "comment" text, "question_answers" text,
        "waitlisted_at" timestamptz, "channel" text)
), "counts" AS (
    SELECT * FROM jsonb_to_recordset($3) AS "c" ("event_id" uuid, "seats_taken" integer)
), "replies" AS (
    UPDATE "guests" SET "answer" = "a"."answer", "companions" = "a"."companions", "comment" = "a"."comment",
        "question_answers" = "a"."question_answers", "answered_at" = $2, "waitlisted_at" = "a"."waitlisted_at",
        "updated_at" = $2
    FROM "answered" AS "a"
    WHERE "guests"."id" = ANY(ARRAY(SELECT "guest_id" FROM "answered")) AND "guests"."id" = "a"."guest_id"
), "lines" AS (
    INSERT INTO "answer_changes" ("id", "event_id", "guest_id", "answer", "companions", "comment",
        "waitlisted", "channel", "changed_at", "question_answers")
    SELECT "change_id", "event_id", "guest_id", "answer", "companions", "comment",
        "waitlisted_at" IS NOT NULL, "channel", $2, "question_answers" FROM "answered"
)
UPDATE "events" SET "seats_taken" = "c"."seats_taken"
FROM "counts" AS "c"
WHERE "events"."id" = ANY(ARRAY(SELECT "event_id" FROM "counts")) AND "events"."id" = "c"."event_id""#;

/// SQLite statements with positional parameters, as one list.
fn joined<'a>(statements: impl Iterator<Item = &'a SubQueryStatement>) -> Statement {
    let mut sql = String::new();
    let mut values = Vec::new();
    for statement in statements {
        let (text, parameters) = match statement {
            SubQueryStatement::UpdateStatement(update) => update.build(SqliteQueryBuilder),
            SubQueryStatement::InsertStatement(insert) => insert.build(SqliteQueryBuilder),
            SubQueryStatement::SelectStatement(select) => select.build(SqliteQueryBuilder),
            SubQueryStatement::DeleteStatement(delete) => delete.build(SqliteQueryBuilder),
            SubQueryStatement::WithStatement(with) => with.build(SqliteQueryBuilder),
        };
        if !sql.is_empty() {
            sql.push_str("; ");
        }
        sql.push_str(&text);
        values.extend(parameters.0);
    }
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

/// Whether anyone of the event waits ahead of `guest` (anyone at all when
/// she is not waiting herself).
pub async fn someone_waiting_ahead(conn: &impl ConnectionTrait, guest: &Guest) -> Result<bool> {
    let mut ahead = Condition::all()
        .add(guests::Column::EventId.eq(guest.event_id))
        .add(guests::Column::WaitlistedAt.is_not_null())
        .add(guests::Column::Id.ne(guest.id));
    if let Some(since) = guest.waitlisted_at {
        ahead = ahead.add(
            Condition::any()
                .add(guests::Column::WaitlistedAt.lt(since))
                .add(guests::Column::WaitlistedAt.eq(since).and(guests::Column::Id.lt(guest.id))),
        );
    }
    Ok(guests::Entity::find()
        .select_only()
        .column(guests::Column::Id)
        .filter(ahead)
        .into_tuple::<Uuid>()
        .one(conn)
        .await?
        .is_some())
}

/// The waiting list of the event, first come first served.
pub async fn waiting_list(conn: &impl ConnectionTrait, event_id: Uuid) -> Result<Vec<Guest>> {
    guests::Entity::find()
        .filter(guests::Column::EventId.eq(event_id))
        .filter(guests::Column::WaitlistedAt.is_not_null())
        .order_by_asc(guests::Column::WaitlistedAt)
        .order_by_asc(guests::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| super::guests::to_domain(row).map_err(StorageError::from))
        .collect()
}

/// Takes a guest off the waiting list: her "yes" now holds its seats.
pub async fn seat(conn: &impl ConnectionTrait, guest_id: Uuid, now: DateTime<Utc>) -> Result<()> {
    guests::ActiveModel { id: Set(guest_id), waitlisted_at: Set(None), updated_at: Set(now), ..Default::default() }
        .update(conn)
        .await?;
    Ok(())
}

/// Stores the event's seat counter, if it changed.
pub async fn store_seats_taken(conn: &impl ConnectionTrait, event: &Event, seats_taken: u32) -> Result<()> {
    if seats_taken != event.seats_taken {
        seat_count(event.id, seats_taken).exec(conn).await?;
    }
    Ok(())
}

fn seat_count(event_id: Uuid, seats_taken: u32) -> sea_orm::UpdateMany<events::Entity> {
    events::Entity::update_many()
        .col_expr(events::Column::SeatsTaken, Expr::value(seats_taken as i32))
        .filter(events::Column::Id.eq(event_id))
}

/// Appends to the event's answer history; returns the entry's id.
pub async fn log_change(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
    guest_id: Uuid,
    reply: &Reply,
    waitlisted: bool,
    channel: Channel,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let (id, line) = history_line(event_id, guest_id, reply, waitlisted, channel, now);
    answer_changes::Entity::insert(line).exec_without_returning(conn).await?;
    Ok(id)
}

/// A new line of the answer history, with its id.
fn history_line(
    event_id: Uuid,
    guest_id: Uuid,
    reply: &Reply,
    waitlisted: bool,
    channel: Channel,
    now: DateTime<Utc>,
) -> (Uuid, answer_changes::ActiveModel) {
    let id = Uuid::now_v7();
    let line = answer_changes::ActiveModel {
        id: Set(id),
        event_id: Set(event_id),
        guest_id: Set(guest_id),
        answer: Set(reply.answer.as_str().to_owned()),
        companions: Set(reply.companions as i32),
        comment: Set(reply.comment.clone()),
        question_answers: Set(answers_json(&reply.questions)),
        waitlisted: Set(waitlisted),
        channel: Set(channel.as_str().to_owned()),
        changed_at: Set(now),
    };
    (id, line)
}

/// One entry of an event's answer history.
#[derive(Debug, Clone)]
pub struct AnswerChange {
    pub guest_id: Uuid,
    pub reply: Reply,
    pub waitlisted: bool,
    pub channel: Channel,
    pub changed_at: DateTime<Utc>,
}

/// Every answer change of the event, oldest first.
pub async fn history(db: &DatabaseConnection, event_id: Uuid) -> Result<Vec<AnswerChange>> {
    let rows = answer_changes::Entity::find()
        .filter(answer_changes::Column::EventId.eq(event_id))
        .order_by_asc(answer_changes::Column::ChangedAt)
        .order_by_asc(answer_changes::Column::Id)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let bad = |what: &str| anyhow::anyhow!("stored {what} of answer change {} is unknown", row.id);
            Ok(AnswerChange {
                guest_id: row.guest_id,
                reply: Reply {
                    answer: Answer::parse(&row.answer).ok_or_else(|| bad("answer"))?,
                    companions: row.companions as u32,
                    comment: row.comment.clone(),
                    questions: super::guests::answers_of(&row.question_answers),
                },
                waitlisted: row.waitlisted,
                channel: Channel::parse(&row.channel).ok_or_else(|| bad("channel"))?,
                changed_at: row.changed_at,
            })
        })
        .collect()
}
