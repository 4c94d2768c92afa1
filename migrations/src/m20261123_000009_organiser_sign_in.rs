//! Organisers sign in to the dashboard with a one-time link sent by email;
//! the browser then holds a session cookie. Only the session token's hash is
//! stored; a link's token is a MAC over its id, so links need no secret at
//! rest either. Sign-in emails go through the outbox like every other email,
//! but belong to no event: `outbox.event_id` becomes nullable.
use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_organisers::Organisers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on every backend: the SQLite table rebuild below must
    /// run on one connection, all or nothing.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginLinks::Table)
                    .col(uuid(LoginLinks::Id).primary_key())
                    .col(uuid(LoginLinks::OrganiserId))
                    .col(timestamp_with_time_zone(LoginLinks::CreatedAt))
                    .col(timestamp_with_time_zone(LoginLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(LoginLinks::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LoginLinks::Table, LoginLinks::OrganiserId)
                            .to(Organisers::Table, Organisers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(uuid(Sessions::Id).primary_key())
                    .col(uuid(Sessions::OrganiserId))
                    .col(string_len(Sessions::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::OrganiserId)
                            .to(Organisers::Table, Organisers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("ALTER TABLE outbox ALTER COLUMN event_id DROP NOT NULL").await?;
            }
            // SQLite cannot relax a NOT NULL in place: rebuild the table with
            // the same columns, keys and indexes.
            _ => {
                for statement in [
                    r#"CREATE TABLE "outbox_next" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "event_id" uuid_text NULL, "guest_id" uuid_text NULL, "organiser_id" uuid_text NOT NULL, "subject_id" uuid_text NOT NULL, "kind" varchar(32) NOT NULL, "slot" varchar(200) NOT NULL, "recipient" varchar(254) NOT NULL, "payload" text NOT NULL, "due_at" timestamp_with_timezone_text NOT NULL, "status" varchar(16) NOT NULL CHECK ("status" IN ('pending', 'sending', 'sent', 'failed', 'skipped')), "attempts" integer NOT NULL DEFAULT 0, "lease_until" timestamp_with_timezone_text NULL, "last_error" text NULL, "sent_at" timestamp_with_timezone_text NULL, "created_at" timestamp_with_timezone_text NOT NULL, FOREIGN KEY ("event_id") REFERENCES "events" ("id") ON DELETE CASCADE, FOREIGN KEY ("guest_id") REFERENCES "guests" ("id") ON DELETE CASCADE )"#,
                    r#"INSERT INTO "outbox_next" SELECT "id", "event_id", "guest_id", "organiser_id", "subject_id", "kind", "slot", "recipient", "payload", "due_at", "status", "attempts", "lease_until", "last_error", "sent_at", "created_at" FROM "outbox""#,
                    r#"DROP TABLE "outbox""#,
                    r#"ALTER TABLE "outbox_next" RENAME TO "outbox""#,
                    r#"CREATE UNIQUE INDEX "uq_outbox_subject_kind_slot" ON "outbox" ("subject_id", "kind", "slot")"#,
                    r#"CREATE INDEX "idx_outbox_status_due_at" ON "outbox" ("status", "due_at")"#,
                    r#"CREATE INDEX "idx_outbox_guest" ON "outbox" ("guest_id")"#,
                ] {
                    db.execute_unprepared(statement).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Sessions::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(LoginLinks::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum LoginLinks {
    Table,
    Id,
    OrganiserId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    OrganiserId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
}
