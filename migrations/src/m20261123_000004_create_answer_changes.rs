//! Every change of a guest's answer, kept so the organiser can see how answers
//! arrived over time and who changed what (the guest, the organiser, or the
//! waiting list promoting someone).
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
                    .table(AnswerChanges::Table)
                    .col(pk_uuid(AnswerChanges::Id))
                    .col(uuid(AnswerChanges::EventId))
                    .col(uuid(AnswerChanges::GuestId))
                    .col(
                        string_len(AnswerChanges::Answer, 8)
                            .check(one_of(AnswerChanges::Answer, &["yes", "no", "maybe"])),
                    )
                    .col(integer(AnswerChanges::Companions))
                    .col(text(AnswerChanges::Comment))
                    .col(boolean(AnswerChanges::Waitlisted))
                    .col(
                        string_len(AnswerChanges::Channel, 16)
                            .check(one_of(AnswerChanges::Channel, &["guest", "organiser", "waiting_list"])),
                    )
                    .col(timestamp_with_time_zone(AnswerChanges::ChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnswerChanges::Table, AnswerChanges::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnswerChanges::Table, AnswerChanges::GuestId)
                            .to(Guests::Table, Guests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_answer_changes_event_changed_at")
                    .table(AnswerChanges::Table)
                    .col(AnswerChanges::EventId)
                    .col(AnswerChanges::ChangedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AnswerChanges::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub(crate) enum AnswerChanges {
    Table,
    Id,
    EventId,
    GuestId,
    Answer,
    Companions,
    Comment,
    Waitlisted,
    Channel,
    ChangedAt,
}
