//! The waiting list's index holds only those waiting (issue 16). An answer
//! asks whether anyone else of her event waits, with the event read from
//! her row; PostgreSQL, without statistics on a freshly filled table, ran
//! that through the (event, email) index and read every guest of the
//! event. An index of the waiting alone is the obvious plan whatever the
//! statistics say, and costs nothing to the guests who never wait.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            r#"CREATE INDEX "idx_guests_waiting" ON "guests" ("event_id", "waitlisted_at", "id") WHERE "waitlisted_at" IS NOT NULL"#,
        )
        .await?;
        db.execute_unprepared(r#"DROP INDEX "idx_guests_event_waitlisted_at""#).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            r#"CREATE INDEX "idx_guests_event_waitlisted_at" ON "guests" ("event_id", "waitlisted_at")"#,
        )
        .await?;
        db.execute_unprepared(r#"DROP INDEX "idx_guests_waiting""#).await?;
        Ok(())
    }
}
