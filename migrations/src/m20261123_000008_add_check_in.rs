//! Check-in at the door: when a guest arrived, how many companions came with
//! her, and whether she was added on the spot (a walk-in). Follow-up emails
//! go by check-in once an event has any.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000003_create_guests::Guests;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            timestamp_with_time_zone_null(CheckIn::CheckedInAt).to_owned(),
            integer(CheckIn::CheckedInCompanions).default(0).to_owned(),
            boolean(CheckIn::WalkIn).default(false).to_owned(),
        ];
        for column in columns {
            manager.alter_table(Table::alter().table(Guests::Table).add_column(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [CheckIn::CheckedInAt, CheckIn::CheckedInCompanions, CheckIn::WalkIn] {
            manager.alter_table(Table::alter().table(Guests::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

/// Columns on `guests`.
#[derive(DeriveIden)]
enum CheckIn {
    CheckedInAt,
    CheckedInCompanions,
    WalkIn,
}
