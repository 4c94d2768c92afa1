//! That an erasure happened, and when: the record an organiser keeps of
//! having honoured a request (or her retention setting), without a trace of
//! whom it concerned. `guests` counts the guest rows anonymised.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_organisers::Organisers;
use crate::one_of;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Erasures::Table)
                    .col(uuid(Erasures::Id).primary_key())
                    .col(uuid(Erasures::OrganiserId))
                    // Who asked for it: the guest herself, her organiser, or the retention setting.
                    .col(
                        string_len(Erasures::Cause, 16)
                            .check(one_of(Erasures::Cause, &["guest", "organiser", "retention"])),
                    )
                    .col(integer(Erasures::Guests))
                    .col(timestamp_with_time_zone(Erasures::ErasedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Erasures::Table, Erasures::OrganiserId)
                            .to(Organisers::Table, Organisers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Guests erased keep their rows (counts and charts stay right); this
        // says which rows are no longer anyone's.
        manager
            .alter_table(
                Table::alter()
                    .table(Guests::Table)
                    .add_column(timestamp_with_time_zone_null(Guests::ErasedAt))
                    .to_owned(),
            )
            .await?;
        // The retention setting: erase guests' personal data this many days
        // after each event ends; none by default.
        manager
            .alter_table(
                Table::alter().table(Organisers::Table).add_column(integer_null(Retention::RetentionDays)).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Organisers::Table).drop_column(Retention::RetentionDays).to_owned())
            .await?;
        manager.alter_table(Table::alter().table(Guests::Table).drop_column(Guests::ErasedAt).to_owned()).await?;
        manager.drop_table(Table::drop().table(Erasures::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Erasures {
    Table,
    Id,
    OrganiserId,
    Cause,
    Guests,
    ErasedAt,
}

#[derive(DeriveIden)]
enum Guests {
    Table,
    ErasedAt,
}

/// On `organisers`.
#[derive(DeriveIden)]
enum Retention {
    RetentionDays,
}
