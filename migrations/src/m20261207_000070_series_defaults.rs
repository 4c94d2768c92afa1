//! The defaults of a series' dates, as fields of their own: what a new date
//! starts from (venue, time of day and length in its zone, capacity,
//! companions, reminder plan, language, her words). The same columns as an
//! event's details, so one mapping reads both; `starts_at` and `ends_at`
//! keep a model date whose local time of day and length are what matter.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261206_000020_create_series::Series;
use crate::one_of;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SeriesDefaults::Table)
                    .col(pk_uuid(SeriesDefaults::SeriesId))
                    .col(string_len(SeriesDefaults::Title, 200))
                    .col(text(SeriesDefaults::Description))
                    .col(string_len(SeriesDefaults::VenueName, 200))
                    .col(string_len(SeriesDefaults::VenueAddress, 500))
                    .col(string_len_null(SeriesDefaults::VenueMapUrl, 2048))
                    .col(timestamp_with_time_zone(SeriesDefaults::StartsAt))
                    .col(timestamp_with_time_zone(SeriesDefaults::EndsAt))
                    .col(string_len(SeriesDefaults::TimeZone, 64))
                    .col(integer_null(SeriesDefaults::Capacity).check(Expr::col(SeriesDefaults::Capacity).gt(0)))
                    .col(
                        integer(SeriesDefaults::CompanionsAllowed)
                            .check(Expr::col(SeriesDefaults::CompanionsAllowed).gte(0)),
                    )
                    .col(timestamp_with_time_zone_null(SeriesDefaults::RsvpDeadline))
                    .col(string_len(SeriesDefaults::Language, 8).check(one_of(SeriesDefaults::Language, &["fr", "en"])))
                    .col(string_len_null(SeriesDefaults::FollowUpUrl, 2048))
                    .col(string_len(SeriesDefaults::PlanNudges, 200))
                    .col(boolean(SeriesDefaults::PlanNudgeMaybes))
                    .col(string_len(SeriesDefaults::PlanAnswersClose, 32))
                    .col(string_len_null(SeriesDefaults::PlanReminder, 32))
                    .col(string_len_null(SeriesDefaults::PlanFollowUp, 32))
                    .col(boolean(SeriesDefaults::OpenRegistration))
                    .col(text(SeriesDefaults::Words))
                    .col(timestamp_with_time_zone(SeriesDefaults::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SeriesDefaults::Table, SeriesDefaults::SeriesId)
                            .to(Series::Table, Series::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SeriesDefaults::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum SeriesDefaults {
    Table,
    SeriesId,
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
    PlanNudges,
    PlanNudgeMaybes,
    PlanAnswersClose,
    PlanReminder,
    PlanFollowUp,
    OpenRegistration,
    Words,
    UpdatedAt,
}
