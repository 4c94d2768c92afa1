//! The organiser's own words opening each email of an event (invitation,
//! nudge, reminder, thank-you), kept as one JSON object: the templates stay
//! the frame, her words are the first paragraph.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000002_create_events::Events;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Events::Table).add_column(text(Words::Words).default("{}")).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Events::Table).drop_column(Words::Words).to_owned()).await
    }
}

/// On `events`.
#[derive(DeriveIden)]
enum Words {
    Words,
}
