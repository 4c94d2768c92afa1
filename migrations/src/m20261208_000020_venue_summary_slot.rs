//! The venue's summary gets its own moment in the plan (issue 15), and an
//! event (and a series' defaults) a venue contact address that receives it.
//!
//! `plan_venue_summary` is an ISO 8601 offset before the start, or NULL for
//! none; existing events and defaults take their reminder's, which is when
//! the summary went until now. Plan slots gain the kind `venue_summary`, and
//! every reminder slot still to come gets its summary slot at the same time,
//! so an event planned before this migration keeps its summary.
use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    PlanVenueSummary,
    VenueContact,
}

#[derive(DeriveIden)]
enum SeriesDefaults {
    Table,
    PlanVenueSummary,
    VenueContact,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(string_len_null(Events::PlanVenueSummary, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Events::Table).add_column(string_len_null(Events::VenueContact, 320)).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(SeriesDefaults::Table)
                    .add_column(string_len_null(SeriesDefaults::PlanVenueSummary, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(SeriesDefaults::Table)
                    .add_column(string_len_null(SeriesDefaults::VenueContact, 320))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(r#"UPDATE "events" SET "plan_venue_summary" = "plan_reminder""#).await?;
        db.execute_unprepared(r#"UPDATE "series_defaults" SET "plan_venue_summary" = "plan_reminder""#).await?;
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                for statement in [
                    r#"ALTER TABLE "plan_slots" DROP CONSTRAINT IF EXISTS "plan_slots_kind_check""#,
                    r#"ALTER TABLE "plan_slots" ADD CONSTRAINT "plan_slots_kind_check" CHECK ("kind" IN ('nudge', 'reminder', 'venue_summary', 'follow_up'))"#,
                ] {
                    db.execute_unprepared(statement).await?;
                }
            }
            // SQLite cannot change a CHECK in place: rebuild the table with
            // the same columns, keys and indexes. One call, so one pooled
            // connection runs it all (another one may still read the old schema).
            _ => {
                let statements = [
                    r#"CREATE TABLE "plan_slots_next" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "event_id" uuid_text NOT NULL, "kind" varchar(16) NOT NULL CHECK ("kind" IN ('nudge', 'reminder', 'venue_summary', 'follow_up')), "key" varchar(64) NOT NULL, "due_at" timestamp_with_timezone_text NOT NULL, "done_at" timestamp_with_timezone_text NULL, FOREIGN KEY ("event_id") REFERENCES "events" ("id") ON DELETE CASCADE )"#,
                    r#"INSERT INTO "plan_slots_next" SELECT "id", "event_id", "kind", "key", "due_at", "done_at" FROM "plan_slots""#,
                    r#"DROP TABLE "plan_slots""#,
                    r#"ALTER TABLE "plan_slots_next" RENAME TO "plan_slots""#,
                    r#"CREATE UNIQUE INDEX "uq_plan_slots_event_key" ON "plan_slots" ("event_id", "key")"#,
                    r#"CREATE INDEX "idx_plan_slots_done_due" ON "plan_slots" ("done_at", "due_at")"#,
                ];
                db.execute_unprepared(&statements.join(";\n")).await?;
            }
        }
        db.execute_unprepared(
            r#"INSERT INTO "plan_slots" ("event_id", "kind", "key", "due_at") SELECT "event_id", 'venue_summary', 'venue_summary', "due_at" FROM "plan_slots" WHERE "kind" = 'reminder' AND "done_at" IS NULL"#,
        )
        .await?;
        Ok(())
    }

    /// The wider CHECK stays: it admits every kind the older code writes.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(r#"DELETE FROM "plan_slots" WHERE "kind" = 'venue_summary'"#).await?;
        for column in [Events::PlanVenueSummary, Events::VenueContact] {
            manager.alter_table(Table::alter().table(Events::Table).drop_column(column).to_owned()).await?;
        }
        for column in [SeriesDefaults::PlanVenueSummary, SeriesDefaults::VenueContact] {
            manager.alter_table(Table::alter().table(SeriesDefaults::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
