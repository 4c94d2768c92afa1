//! Guests of an event. A guest row is also her invitation: it carries the
//! hash of her personal link's token (never the token) and her current answer.
use sea_orm_migration::{prelude::*, schema::*};

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
                    .table(Guests::Table)
                    .col(pk_uuid(Guests::Id))
                    .col(uuid(Guests::EventId))
                    .col(string_len(Guests::Email, 254))
                    .col(string_len(Guests::Name, 200))
                    .col(string_len_null(Guests::Language, 8).check(one_of(Guests::Language, &["fr", "en"])))
                    .col(string_len_uniq(Guests::TokenHash, 64))
                    .col(string_len_null(Guests::Answer, 8).check(one_of(Guests::Answer, &["yes", "no", "maybe"])))
                    .col(integer(Guests::Companions).default(0).check(Expr::col(Guests::Companions).gte(0)))
                    .col(text(Guests::Comment))
                    .col(timestamp_with_time_zone_null(Guests::AnsweredAt))
                    // Set while a "yes" waits for a seat; the order of this column is the
                    // waiting list (first come, first served).
                    .col(timestamp_with_time_zone_null(Guests::WaitlistedAt))
                    .col(timestamp_with_time_zone(Guests::CreatedAt))
                    .col(timestamp_with_time_zone(Guests::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Guests::Table, Guests::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One invitation per address per event; the API maps a violation to 409.
        manager
            .create_index(
                Index::create()
                    .name("uq_guests_event_email")
                    .table(Guests::Table)
                    .col(Guests::EventId)
                    .col(Guests::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The waiting list of an event, in order.
        manager
            .create_index(
                Index::create()
                    .name("idx_guests_event_waitlisted_at")
                    .table(Guests::Table)
                    .col(Guests::EventId)
                    .col(Guests::WaitlistedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Guests::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Guests {
    Table,
    Id,
    EventId,
    Email,
    Name,
    Language,
    TokenHash,
    Answer,
    Companions,
    Comment,
    AnsweredAt,
    WaitlistedAt,
    CreatedAt,
    UpdatedAt,
    TokenSalt,
}
