//! Teams for a whole series (issue 15): a row of `team_members` now names
//! either an event or a series, never both. A series member has her role on
//! the series and on every one of its dates, so the question "what is her
//! role on this event?" stays one query over one table.
//!
//! PostgreSQL changes the table in place; SQLite cannot drop a NOT NULL or
//! add a CHECK to a table, so it rebuilds it with the same rows and indexes.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                for statement in [
                    r#"ALTER TABLE "team_members" ALTER COLUMN "event_id" DROP NOT NULL"#,
                    r#"ALTER TABLE "team_members" ADD COLUMN "series_id" uuid NULL REFERENCES "series" ("id") ON DELETE CASCADE"#,
                    r#"ALTER TABLE "team_members" ADD CONSTRAINT "team_members_one_scope" CHECK (("event_id" IS NULL) <> ("series_id" IS NULL))"#,
                ] {
                    db.execute_unprepared(statement).await?;
                }
            }
            // One call, so one pooled connection runs it all.
            _ => {
                let statements = [
                    r#"CREATE TABLE "team_members_next" ( "id" uuid_text NOT NULL PRIMARY KEY, "event_id" uuid_text NULL, "series_id" uuid_text NULL, "email" varchar(320) NOT NULL, "role" varchar(16) NOT NULL CHECK ("role" IN ('co_organiser', 'door_helper')), "organiser_id" uuid_text NULL, "invited_by" uuid_text NOT NULL, "invited_at" timestamp_with_timezone_text NOT NULL, "expires_at" timestamp_with_timezone_text NOT NULL, "accepted_at" timestamp_with_timezone_text NULL, CONSTRAINT "team_members_one_scope" CHECK (("event_id" IS NULL) <> ("series_id" IS NULL)), FOREIGN KEY ("event_id") REFERENCES "events" ("id") ON DELETE CASCADE, FOREIGN KEY ("series_id") REFERENCES "series" ("id") ON DELETE CASCADE, FOREIGN KEY ("organiser_id") REFERENCES "organisers" ("id") ON DELETE CASCADE )"#,
                    r#"INSERT INTO "team_members_next" ("id", "event_id", "series_id", "email", "role", "organiser_id", "invited_by", "invited_at", "expires_at", "accepted_at") SELECT "id", "event_id", NULL, "email", "role", "organiser_id", "invited_by", "invited_at", "expires_at", "accepted_at" FROM "team_members""#,
                    r#"DROP TABLE "team_members""#,
                    r#"ALTER TABLE "team_members_next" RENAME TO "team_members""#,
                    r#"CREATE UNIQUE INDEX "team_members_event_email" ON "team_members" ("event_id", "email")"#,
                    r#"CREATE INDEX "team_members_organiser" ON "team_members" ("organiser_id", "event_id")"#,
                ];
                db.execute_unprepared(&statements.join(";\n")).await?;
            }
        }
        // One invitation per address and series, as per address and event
        // (NULLs are distinct, so each index ignores the other scope's rows).
        db.execute_unprepared(
            r#"CREATE UNIQUE INDEX "team_members_series_email" ON "team_members" ("series_id", "email")"#,
        )
        .await?;
        // Every request on a date asks "is she on its series' team?".
        db.execute_unprepared(
            r#"CREATE INDEX "team_members_organiser_series" ON "team_members" ("organiser_id", "series_id")"#,
        )
        .await?;
        Ok(())
    }

    /// Series teams are dropped; event teams stay as they were.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(r#"DELETE FROM "team_members" WHERE "series_id" IS NOT NULL"#).await?;
        db.execute_unprepared(r#"DROP INDEX "team_members_organiser_series""#).await?;
        db.execute_unprepared(r#"DROP INDEX "team_members_series_email""#).await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            for statement in [
                r#"ALTER TABLE "team_members" DROP CONSTRAINT "team_members_one_scope""#,
                r#"ALTER TABLE "team_members" DROP COLUMN "series_id""#,
                r#"ALTER TABLE "team_members" ALTER COLUMN "event_id" SET NOT NULL"#,
            ] {
                db.execute_unprepared(statement).await?;
            }
        }
        Ok(())
    }
}
