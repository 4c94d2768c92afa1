//! Several organisers on one event: the owner (the event's `organiser_id`)
//! invites others by email, each with a role. A row is an invitation until
//! it is accepted (`organiser_id` set then: an unknown address becomes an
//! organiser on accepting); removing someone deletes her row, so her access
//! ends with her next request. The invitation link's token is a MAC over the
//! row's id, so no secret is stored.
//!
//! `event_activity` is the audit history: who (which organiser) did what to
//! the event by hand (answers set, check-ins, walk-ins, edits, the team).
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
                    .table(TeamMembers::Table)
                    .col(uuid(TeamMembers::Id).primary_key())
                    .col(uuid(TeamMembers::EventId))
                    .col(string_len(TeamMembers::Email, 320))
                    .col(
                        string_len(TeamMembers::Role, 16)
                            .check(one_of(TeamMembers::Role, &["co_organiser", "door_helper"])),
                    )
                    .col(uuid_null(TeamMembers::OrganiserId))
                    .col(uuid(TeamMembers::InvitedBy))
                    .col(timestamp_with_time_zone(TeamMembers::InvitedAt))
                    .col(timestamp_with_time_zone(TeamMembers::ExpiresAt))
                    .col(timestamp_with_time_zone_null(TeamMembers::AcceptedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TeamMembers::Table, TeamMembers::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TeamMembers::Table, TeamMembers::OrganiserId)
                            .to(Organisers::Table, Organisers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One invitation per address and event: inviting again changes it.
        manager
            .create_index(
                Index::create()
                    .name("team_members_event_email")
                    .table(TeamMembers::Table)
                    .col(TeamMembers::EventId)
                    .col(TeamMembers::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Every organiser request asks "is she on this event's team?".
        manager
            .create_index(
                Index::create()
                    .name("team_members_organiser")
                    .table(TeamMembers::Table)
                    .col(TeamMembers::OrganiserId)
                    .col(TeamMembers::EventId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventActivity::Table)
                    .col(uuid(EventActivity::Id).primary_key())
                    .col(uuid(EventActivity::EventId))
                    // Kept when she leaves the team or the instance: the history stays true.
                    .col(uuid(EventActivity::OrganiserId))
                    .col(string_len(EventActivity::Action, 24).check(one_of(
                        EventActivity::Action,
                        &[
                            "answer_set",
                            "checked_in",
                            "check_in_undone",
                            "walk_in",
                            "edited",
                            "published",
                            "cancelled",
                            "guest_removed",
                            "team_invited",
                            "team_removed",
                        ],
                    )))
                    .col(uuid_null(EventActivity::GuestId))
                    // What it was about, in words the history shows (a guest's or a teammate's address).
                    .col(string_len(EventActivity::Subject, 320))
                    .col(timestamp_with_time_zone(EventActivity::At))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventActivity::Table, EventActivity::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("event_activity_event_at")
                    .table(EventActivity::Table)
                    .col(EventActivity::EventId)
                    .col(EventActivity::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(EventActivity::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(TeamMembers::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    Id,
    EventId,
    Email,
    Role,
    OrganiserId,
    InvitedBy,
    InvitedAt,
    ExpiresAt,
    AcceptedAt,
}

#[derive(DeriveIden)]
enum EventActivity {
    Table,
    Id,
    EventId,
    OrganiserId,
    Action,
    GuestId,
    Subject,
    At,
}
