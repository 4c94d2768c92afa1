//! Events. Instants are stored in UTC with the IANA zone kept beside them, so
//! local times can be rendered in the event's zone whatever the server's.
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
                    .table(Events::Table)
                    .col(pk_uuid(Events::Id))
                    .col(uuid(Events::OrganiserId))
                    .col(string_len(Events::Title, 200))
                    .col(text(Events::Description))
                    .col(string_len(Events::VenueName, 200))
                    .col(string_len(Events::VenueAddress, 500))
                    .col(string_len_null(Events::VenueMapUrl, 2048))
                    .col(timestamp_with_time_zone(Events::StartsAt))
                    .col(timestamp_with_time_zone(Events::EndsAt))
                    .col(string_len(Events::TimeZone, 64))
                    // NULL capacity means unlimited.
                    .col(integer_null(Events::Capacity).check(Expr::col(Events::Capacity).gt(0)))
                    .col(
                        integer(Events::CompanionsAllowed)
                            .default(0)
                            .check(Expr::col(Events::CompanionsAllowed).gte(0)),
                    )
                    // NULL deadline means answers close when the event starts.
                    .col(timestamp_with_time_zone_null(Events::RsvpDeadline))
                    .col(string_len(Events::Language, 8).check(one_of(Events::Language, &["fr", "en"])))
                    .col(string_len_null(Events::FollowUpUrl, 2048))
                    .col(
                        string_len(Events::Status, 16)
                            .check(one_of(Events::Status, &["draft", "published", "cancelled"])),
                    )
                    // Seats held by seated "yes" answers and their companions, kept
                    // up to date under the event's row lock so that placing an
                    // answer never has to add up the whole guest list.
                    .col(integer(Events::SeatsTaken).default(0))
                    // iCalendar SEQUENCE: bumped on every change of time, place or status.
                    .col(integer(Events::Sequence).default(0))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone(Events::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Events::Table, Events::OrganiserId)
                            .to(Organisers::Table, Organisers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The organiser's event list is ordered by start.
        manager
            .create_index(
                Index::create()
                    .name("idx_events_organiser_starts_at")
                    .table(Events::Table)
                    .col(Events::OrganiserId)
                    .col(Events::StartsAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Events::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Events {
    Table,
    Id,
    OrganiserId,
    Title,
    Description,
    VenueName,
    VenueAddress,
    VenueMapUrl,
    StartsAt,
    EndsAt,
    TimeZone,
    Capacity,
    CompanionsAllowed,
    RsvpDeadline,
    Language,
    FollowUpUrl,
    Status,
    SeatsTaken,
    Sequence,
    CreatedAt,
    UpdatedAt,
    PlanNudges,
    PlanNudgeMaybes,
    PlanAnswersClose,
    PlanReminder,
    PlanFollowUp,
}
