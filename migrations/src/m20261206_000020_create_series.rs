//! Series: the dates of a recurring event, and the community invited to
//! each. A date of a series is an ordinary event carrying `series_id`; the
//! column has no foreign key because SQLite cannot add one to an existing
//! table, and the application keeps it true (a series is never deleted
//! while it has dates). Members are keyed by normalised address per series,
//! which is how walk-ins and registrants are recognised as already known.
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
                    .table(Series::Table)
                    .col(pk_uuid(Series::Id))
                    .col(uuid(Series::OrganiserId))
                    .col(string_len(Series::Name, 200))
                    // How the next date is suggested; `rule_every` is N for
                    // every N weeks, `rule_nth` the weekday's rank in the month
                    // (1 to 4, -1 for the last; NULL: the same as the last date).
                    .col(
                        string_len(Series::Rule, 24)
                            .check(one_of(Series::Rule, &["weekly", "every_n_weeks", "monthly_nth_weekday"])),
                    )
                    .col(integer(Series::RuleEvery).default(1))
                    .col(integer_null(Series::RuleNth))
                    .col(boolean(Series::WalkInsJoin).default(true))
                    .col(integer(Series::LateCancellationHours).default(24))
                    .col(timestamp_with_time_zone(Series::CreatedAt))
                    .col(timestamp_with_time_zone(Series::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Series::Table, Series::OrganiserId)
                            .to(Organisers::Table, Organisers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_series_organiser").table(Series::Table).col(Series::OrganiserId).to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(Events::Table).add_column(uuid_null(EventSeries::SeriesId)).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_series_starts_at")
                    .table(Events::Table)
                    .col(EventSeries::SeriesId)
                    .col(Events::StartsAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CommunityMembers::Table)
                    .col(pk_uuid(CommunityMembers::Id))
                    .col(uuid(CommunityMembers::SeriesId))
                    .col(string_len(CommunityMembers::Email, 254))
                    .col(string_len(CommunityMembers::Name, 200))
                    .col(string_len(CommunityMembers::FirstName, 100).default(""))
                    .col(
                        string_len_null(CommunityMembers::Language, 8)
                            .check(one_of(CommunityMembers::Language, &["fr", "en"])),
                    )
                    // Comma-separated, each trimmed: a spreadsheet's cell as is.
                    .col(string_len(CommunityMembers::Tags, 500).default(""))
                    .col(
                        string_len(CommunityMembers::Status, 8)
                            .check(one_of(CommunityMembers::Status, &["active", "left"])),
                    )
                    .col(
                        string_len(CommunityMembers::JoinedHow, 16).check(one_of(
                            CommunityMembers::JoinedHow,
                            &["imported", "added", "registered", "walk_in"],
                        )),
                    )
                    .col(timestamp_with_time_zone_null(CommunityMembers::ConsentedAt))
                    .col(timestamp_with_time_zone(CommunityMembers::JoinedAt))
                    .col(timestamp_with_time_zone_null(CommunityMembers::LeftAt))
                    .col(timestamp_with_time_zone(CommunityMembers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CommunityMembers::Table, CommunityMembers::SeriesId)
                            .to(Series::Table, Series::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One member per address per series: how a walk-in already known is recognised.
        manager
            .create_index(
                Index::create()
                    .name("uq_community_members_series_email")
                    .table(CommunityMembers::Table)
                    .col(CommunityMembers::SeriesId)
                    .col(CommunityMembers::Email)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CommunityMembers::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("idx_events_series_starts_at").table(Events::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Events::Table).drop_column(EventSeries::SeriesId).to_owned()).await?;
        manager.drop_table(Table::drop().table(Series::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Series {
    Table,
    Id,
    OrganiserId,
    Name,
    Rule,
    RuleEvery,
    RuleNth,
    WalkInsJoin,
    LateCancellationHours,
    CreatedAt,
    UpdatedAt,
}

/// The column on `events` naming the series a date belongs to.
#[derive(DeriveIden)]
pub enum EventSeries {
    SeriesId,
}

#[derive(DeriveIden)]
pub enum CommunityMembers {
    Table,
    Id,
    SeriesId,
    Email,
    Name,
    FirstName,
    Language,
    Tags,
    Status,
    JoinedHow,
    ConsentedAt,
    JoinedAt,
    LeftAt,
    UpdatedAt,
}
