//! Inbound mail: calendar replies (iMIP METHOD:REPLY) and unsubscribe
//! requests, each message stored first, then processed with retries as the
//! outbox sends, so a crash between receiving and applying loses nothing.
//! The Message-ID (or, without one, a hash of the message) is unique: the
//! same reply delivered twice is stored, and applied, once. Answers that
//! arrive this way are logged with the channel `calendar`.
use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000002_create_events::Events;
use crate::m20261123_000003_create_guests::Guests;
use crate::one_of;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InboundMessages::Table)
                    .col(pk_uuid(InboundMessages::Id))
                    .col(string_len_uniq(InboundMessages::MessageKey, 255))
                    .col(
                        string_len(InboundMessages::Door, 8)
                            .check(one_of(InboundMessages::Door, &["http", "imap", "smtp"])),
                    )
                    .col(string_len_null(InboundMessages::Recipient, 254))
                    .col(blob(InboundMessages::Raw))
                    .col(string_len(InboundMessages::Status, 16).check(one_of(
                        InboundMessages::Status,
                        &["pending", "processing", "done", "held", "applied", "discarded"],
                    )))
                    .col(integer(InboundMessages::Attempts).default(0))
                    .col(timestamp_with_time_zone(InboundMessages::DueAt))
                    .col(timestamp_with_time_zone_null(InboundMessages::LeaseUntil))
                    .col(text_null(InboundMessages::LastError))
                    .col(string_len_null(InboundMessages::Outcome, 32))
                    .col(uuid_null(InboundMessages::EventId))
                    .col(uuid_null(InboundMessages::GuestId))
                    .col(text_null(InboundMessages::Detail))
                    .col(timestamp_with_time_zone(InboundMessages::ReceivedAt))
                    .col(timestamp_with_time_zone_null(InboundMessages::ProcessedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(InboundMessages::Table, InboundMessages::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(InboundMessages::Table, InboundMessages::GuestId)
                            .to(Guests::Table, Guests::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // What the worker asks every pass, and the replies an event holds for review.
        for (name, columns) in [
            ("idx_inbound_messages_status_due_at", [InboundMessages::Status, InboundMessages::DueAt]),
            ("idx_inbound_messages_event_status", [InboundMessages::EventId, InboundMessages::Status]),
        ] {
            manager
                .create_index(
                    Index::create().name(name).table(InboundMessages::Table).col(columns[0]).col(columns[1]).to_owned(),
                )
                .await?;
        }
        allow_calendar_channel(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(InboundMessages::Table).to_owned()).await
    }
}

/// `answer_changes.channel` may now be `calendar` too.
async fn allow_calendar_channel(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.execute_unprepared(
                r#"ALTER TABLE "answer_changes" DROP CONSTRAINT IF EXISTS "answer_changes_channel_check""#,
            )
            .await?;
            db.execute_unprepared(
                r#"ALTER TABLE "answer_changes" ADD CONSTRAINT "answer_changes_channel_check" CHECK ("channel" IN ('guest', 'organiser', 'waiting_list', 'calendar'))"#,
            )
            .await?;
        }
        // SQLite cannot change a CHECK in place: rebuild the table with the
        // same columns, keys and indexes, in one batch on one connection
        // (statement by statement, the pool may hand each to another
        // connection, one that still sees the old table).
        _ => {
            let rebuild = [
                r#"DROP INDEX IF EXISTS "idx_answer_changes_event_changed_at""#,
                r#"DROP INDEX IF EXISTS "idx_answer_changes_changed_at""#,
                r#"CREATE TABLE "answer_changes_next" ( "id" uuid_text NOT NULL PRIMARY KEY, "event_id" uuid_text NOT NULL, "guest_id" uuid_text NOT NULL, "answer" varchar(8) NOT NULL CHECK ("answer" IN ('yes', 'no', 'maybe')), "companions" integer NOT NULL, "comment" text NOT NULL, "waitlisted" boolean NOT NULL, "channel" varchar(16) NOT NULL CHECK ("channel" IN ('guest', 'organiser', 'waiting_list', 'calendar')), "changed_at" timestamp_with_timezone_text NOT NULL, FOREIGN KEY ("event_id") REFERENCES "events" ("id") ON DELETE CASCADE, FOREIGN KEY ("guest_id") REFERENCES "guests" ("id") ON DELETE CASCADE )"#,
                r#"INSERT INTO "answer_changes_next" SELECT "id", "event_id", "guest_id", "answer", "companions", "comment", "waitlisted", "channel", "changed_at" FROM "answer_changes""#,
                r#"DROP TABLE "answer_changes""#,
                r#"ALTER TABLE "answer_changes_next" RENAME TO "answer_changes""#,
                r#"CREATE INDEX "idx_answer_changes_event_changed_at" ON "answer_changes" ("event_id", "changed_at")"#,
                r#"CREATE INDEX "idx_answer_changes_changed_at" ON "answer_changes" ("changed_at")"#,
            ];
            db.execute_unprepared(&rebuild.join(";\n")).await?;
        }
    }
    Ok(())
}

#[derive(DeriveIden, Clone, Copy)]
enum InboundMessages {
    Table,
    Id,
    MessageKey,
    Door,
    Recipient,
    Raw,
    Status,
    Attempts,
    DueAt,
    LeaseUntil,
    LastError,
    Outcome,
    EventId,
    GuestId,
    Detail,
    ReceivedAt,
    ProcessedAt,
}
