//! The first run in the browser. Until an organiser exists, every process
//! that serves HTTP prints a one-time setup code and keeps its hash here, so
//! that the code any process printed works whichever process the browser
//! reaches (several processes may share one PostgreSQL). `instance_settings`
//! holds what the processes tell each other: the public URL the server
//! serves at (for the command line's links), and the mark that setup is done,
//! whose primary key lets only one setup win a race.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SetupCodes::Table)
                    .col(string_len(SetupCodes::CodeHash, 64).primary_key())
                    .col(timestamp_with_time_zone(SetupCodes::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(InstanceSettings::Table)
                    .col(string_len(InstanceSettings::Name, 64).primary_key())
                    .col(text(InstanceSettings::Value))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(InstanceSettings::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(SetupCodes::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum SetupCodes {
    Table,
    CodeHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InstanceSettings {
    Table,
    Name,
    Value,
}
