//! Imports too big to wait for in a request run in the background; their
//! row says how each ended. The job is finished in the same transaction as
//! its guests, so "done" and the guests appear together, or neither does.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_organisers::Organisers;
use crate::m20261123_000002_create_events::Events;
use crate::one_of;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportJobs::Table)
                    .col(uuid(ImportJobs::Id).primary_key())
                    .col(uuid(ImportJobs::OrganiserId))
                    .col(uuid(ImportJobs::EventId))
                    .col(
                        string_len(ImportJobs::Status, 16)
                            .check(one_of(ImportJobs::Status, &["running", "done", "failed"])),
                    )
                    .col(integer(ImportJobs::Rows))
                    .col(text_null(ImportJobs::Report))
                    .col(text_null(ImportJobs::Error))
                    .col(timestamp_with_time_zone(ImportJobs::StartedAt))
                    .col(timestamp_with_time_zone_null(ImportJobs::FinishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ImportJobs::Table, ImportJobs::OrganiserId)
                            .to(Organisers::Table, Organisers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ImportJobs::Table, ImportJobs::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ImportJobs::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum ImportJobs {
    Table,
    Id,
    OrganiserId,
    EventId,
    Status,
    Rows,
    Report,
    Error,
    StartedAt,
    FinishedAt,
}
