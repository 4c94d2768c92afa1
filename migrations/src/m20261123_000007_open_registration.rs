//! Open events: anyone with the public link may register, but a registration
//! only counts once confirmed from the email it names (double opt-in), so
//! nobody can sign up someone else or flood a guest list. Pending
//! registrations live apart from guests; confirming one adds the guest.
//! Also an index on guests' addresses, for a guest's feed of the events she
//! accepted (which spans events and organisers).
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000002_create_events::Events;
use crate::m20261123_000003_create_guests::Guests;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(boolean(Registrations::OpenRegistration).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Registrations::Table)
                    .col(uuid(Registrations::Id).primary_key())
                    .col(uuid(Registrations::EventId))
                    .col(string_len(Registrations::Email, 254))
                    .col(string_len(Registrations::Name, 200))
                    .col(string_len_null(Registrations::Language, 8))
                    // How many confirmation emails were asked for: bounds what
                    // one address can be sent, and names each email's outbox slot.
                    .col(integer(Registrations::Requests).default(1))
                    .col(timestamp_with_time_zone(Registrations::CreatedAt))
                    .col(timestamp_with_time_zone(Registrations::RequestedAt))
                    .col(timestamp_with_time_zone_null(Registrations::ConfirmedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Registrations::Table, Registrations::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_registrations_event_email")
                    .table(Registrations::Table)
                    .col(Registrations::EventId)
                    .col(Registrations::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_guests_email").table(Guests::Table).col(Guests::Email).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_guests_email").table(Guests::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Registrations::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Events::Table).drop_column(Registrations::OpenRegistration).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Registrations {
    Table,
    Id,
    EventId,
    Email,
    Name,
    Language,
    Requests,
    CreatedAt,
    RequestedAt,
    ConfirmedAt,
    /// On `events`.
    OpenRegistration,
}
