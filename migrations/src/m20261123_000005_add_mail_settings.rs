//! What the mail pipeline needs on existing tables: each event's reminder
//! plan, each organiser's notification choice, each guest's token salt (her
//! link is derived from it with the instance key, so it can be put in every
//! email while only its hash is stored), the instance key itself, and the
//! addresses that asked for no more mail.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_organisers::Organisers;
use crate::m20261123_000002_create_events::Events;
use crate::m20261123_000003_create_guests::Guests;
use crate::one_of;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let event_columns = [
            string_len(Events::PlanNudges, 200).default("P7D,P3D").to_owned(),
            boolean(Events::PlanNudgeMaybes).default(true).to_owned(),
            string_len(Events::PlanAnswersClose, 32).default("P2D").to_owned(),
            string_len_null(Events::PlanReminder, 32).default("P1D").to_owned(),
            string_len_null(Events::PlanFollowUp, 32).default("PT2H").to_owned(),
        ];
        for column in event_columns {
            manager.alter_table(Table::alter().table(Events::Table).add_column(column).to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Organisers::Table)
                    .add_column(
                        string_len(Organisers::Notifications, 16)
                            .default("each")
                            .check(one_of(Organisers::Notifications, &["each", "digest", "off"])),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Guests::Table)
                    .add_column(string_len(Guests::TokenSalt, 64).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(InstanceSecrets::Table)
                    .col(string_len(InstanceSecrets::Name, 64).primary_key())
                    .col(string_len(InstanceSecrets::Value, 200))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Unsubscribes::Table)
                    .col(uuid(Unsubscribes::OrganiserId))
                    .col(string_len(Unsubscribes::Email, 254))
                    .col(timestamp_with_time_zone(Unsubscribes::CreatedAt))
                    .primary_key(Index::create().col(Unsubscribes::OrganiserId).col(Unsubscribes::Email))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Unsubscribes::Table, Unsubscribes::OrganiserId)
                            .to(Organisers::Table, Organisers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Unsubscribes::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(InstanceSecrets::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum InstanceSecrets {
    Table,
    Name,
    Value,
}

#[derive(DeriveIden)]
enum Unsubscribes {
    Table,
    OrganiserId,
    Email,
    CreatedAt,
}
