//! The outbox: every automatic email is a row, due at a time, sent once.
//! Rows are written in the same transaction as the change that causes them;
//! (subject, kind, slot) is unique so the same email is never queued twice.
//! The dispatcher claims due rows with a lease and marks them sent only once
//! the SMTP server accepted them.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000002_create_events::Events;
use crate::m20261123_000003_create_guests::Guests;
use crate::one_of;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    // Internal only; Message-IDs are derived from it, never raw ids in links.
                    .col(big_pk_auto(Outbox::Id))
                    .col(uuid(Outbox::EventId))
                    .col(uuid_null(Outbox::GuestId))
                    .col(uuid(Outbox::OrganiserId))
                    // The guest, or the organiser for her own notes: what `slot` is unique within.
                    .col(uuid(Outbox::SubjectId))
                    .col(string_len(Outbox::Kind, 32))
                    .col(string_len(Outbox::Slot, 200))
                    .col(string_len(Outbox::Recipient, 254))
                    .col(text(Outbox::Payload))
                    .col(timestamp_with_time_zone(Outbox::DueAt))
                    .col(
                        string_len(Outbox::Status, 16)
                            .check(one_of(Outbox::Status, &["pending", "sending", "sent", "failed", "skipped"])),
                    )
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(Outbox::LeaseUntil))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Outbox::Table, Outbox::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Outbox::Table, Outbox::GuestId)
                            .to(Guests::Table, Guests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_outbox_subject_kind_slot")
                    .table(Outbox::Table)
                    .col(Outbox::SubjectId)
                    .col(Outbox::Kind)
                    .col(Outbox::Slot)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // What the dispatcher asks every tick: due pending rows, and expired leases.
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_status_due_at")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::DueAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_outbox_guest").table(Outbox::Table).col(Outbox::GuestId).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PlanSlots::Table)
                    .col(big_pk_auto(PlanSlots::Id))
                    .col(uuid(PlanSlots::EventId))
                    .col(
                        string_len(PlanSlots::Kind, 16)
                            .check(one_of(PlanSlots::Kind, &["nudge", "reminder", "follow_up"])),
                    )
                    .col(string_len(PlanSlots::Key, 64))
                    .col(timestamp_with_time_zone(PlanSlots::DueAt))
                    .col(timestamp_with_time_zone_null(PlanSlots::DoneAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PlanSlots::Table, PlanSlots::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_plan_slots_event_key")
                    .table(PlanSlots::Table)
                    .col(PlanSlots::EventId)
                    .col(PlanSlots::Key)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Asked every tick: slots not yet done whose time has come.
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_slots_done_due")
                    .table(PlanSlots::Table)
                    .col(PlanSlots::DoneAt)
                    .col(PlanSlots::DueAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PlanSlots::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Outbox::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    EventId,
    GuestId,
    OrganiserId,
    SubjectId,
    Kind,
    Slot,
    Recipient,
    Payload,
    DueAt,
    Status,
    Attempts,
    LeaseUntil,
    LastError,
    SentAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PlanSlots {
    Table,
    Id,
    EventId,
    Kind,
    Key,
    DueAt,
    DoneAt,
}
