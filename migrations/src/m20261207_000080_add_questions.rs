//! Questions for guests (issue 15): an event's questions and a series'
//! default ones as JSON beside her words, a guest's answers to them as JSON
//! on her row, and a copy in each entry of the answer history so it tells
//! what she answered then. JSON rather than tables: they are always read
//! and written whole with their owner, and storage alone maps them.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Questions,
}

#[derive(DeriveIden)]
enum SeriesDefaults {
    Table,
    Questions,
}

#[derive(DeriveIden)]
enum Guests {
    Table,
    QuestionAnswers,
}

#[derive(DeriveIden)]
enum AnswerChanges {
    Table,
    QuestionAnswers,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        manager
            .alter_table(
                Table::alter().table(Events::Table).add_column(text(Events::Questions).default("[]")).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(SeriesDefaults::Table)
                    .add_column(text(SeriesDefaults::Questions).default("[]"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Guests::Table).add_column(text(Guests::QuestionAnswers).default("{}")).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AnswerChanges::Table)
                    .add_column(text(AnswerChanges::QuestionAnswers).default("{}"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Events::Table).drop_column(Events::Questions).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(SeriesDefaults::Table).drop_column(SeriesDefaults::Questions).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Guests::Table).drop_column(Guests::QuestionAnswers).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table(AnswerChanges::Table).drop_column(AnswerChanges::QuestionAnswers).to_owned(),
            )
            .await
    }
}
