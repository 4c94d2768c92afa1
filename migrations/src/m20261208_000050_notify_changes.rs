//! PostgreSQL tells every process when the data its pages show changes.
//! Each process keeps rendered guest pages, calendars and feeds until its
//! data's generation moves (`src/storage/changes.rs`); another process's
//! writes must move it too. A statement-level trigger on every table that
//! a page reads notifies `convive_changed`; PostgreSQL delivers the
//! notification at commit, once per transaction, and not at all on
//! rollback. SQLite needs nothing: `PRAGMA data_version` says the same.
//!
//! The tables left out change all the time and no cached page reads them
//! (the outbox, the plan's slots, inbound mail, webhook deliveries,
//! sessions and sign-in links, import jobs). A table created later takes
//! the trigger in its own migration; a test lists the tables without it.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose changes no cached page shows.
pub const UNWATCHED: &[&str] = &[
    "seaql_migrations",
    "outbox",
    "plan_slots",
    "inbound_messages",
    "webhook_deliveries",
    "sessions",
    "login_links",
    "setup_codes",
    "import_jobs",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE OR REPLACE FUNCTION convive_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN PERFORM pg_notify('convive_changed', ''); RETURN NULL; END $$",
        )
        .await?;
        let unwatched = UNWATCHED.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");
        db.execute_unprepared(&format!(
            "DO $$ DECLARE t text; BEGIN
               FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
                        AND tablename NOT IN ({unwatched}) LOOP
                 EXECUTE format('CREATE TRIGGER convive_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                                 FOR EACH STATEMENT EXECUTE FUNCTION convive_notify_changed()', t);
               END LOOP;
             END $$"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "DO $$ DECLARE t text; BEGIN
                   FOR t IN SELECT DISTINCT event_object_table FROM information_schema.triggers
                            WHERE trigger_name = 'convive_changed' LOOP
                     EXECUTE format('DROP TRIGGER convive_changed ON %I', t);
                   END LOOP;
                 END $$;
                 DROP FUNCTION IF EXISTS convive_notify_changed()",
            )
            .await?;
        Ok(())
    }
}
