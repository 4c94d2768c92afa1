//! Answer changes by time alone. The scheduler asks every tick, from the
//! digest hour on, which events had answers from guests in the last day
//! (the organisers' daily digest); the only index on these rows led with
//! the event, so the question read every answer ever given: ten times the
//! tick's cost with 100,000 past answers (`bench/history.sh`). By time, it
//! reads the last day's.
use sea_orm_migration::prelude::*;

use crate::m20261123_000004_create_answer_changes::AnswerChanges;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "idx_answer_changes_changed_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create().name(INDEX).table(AnswerChanges::Table).col(AnswerChanges::ChangedAt).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(INDEX).table(AnswerChanges::Table).to_owned()).await
    }
}
