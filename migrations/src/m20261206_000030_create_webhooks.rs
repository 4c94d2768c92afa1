//! Webhooks (Standard Webhooks v1): the endpoints an organiser registers and
//! one delivery row per (happening, endpoint), queued in the transaction
//! that caused it and sent by a dispatcher with a lease, as the outbox is.
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
                    .table(WebhookEndpoints::Table)
                    .col(uuid(WebhookEndpoints::Id).primary_key())
                    .col(uuid(WebhookEndpoints::OrganiserId))
                    .col(text(WebhookEndpoints::Url))
                    // ",guest.answered,event.published,": one LIKE finds subscribers.
                    .col(text(WebhookEndpoints::EventTypes))
                    // `whsec_<base64>`: kept whole, since signing needs it.
                    .col(string_len(WebhookEndpoints::Secret, 100))
                    .col(boolean(WebhookEndpoints::Enabled))
                    .col(
                        string_len_null(WebhookEndpoints::DisabledReason, 16)
                            .check(one_of(WebhookEndpoints::DisabledReason, &["organiser", "gone", "failing"])),
                    )
                    // The first failure since the last success: a day of them disables.
                    .col(timestamp_with_time_zone_null(WebhookEndpoints::FailingSince))
                    // The language of the email telling her it was disabled.
                    .col(string_len(WebhookEndpoints::Language, 8))
                    .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookEndpoints::Table, WebhookEndpoints::OrganiserId)
                            .to(Organisers::Table, Organisers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_endpoints_organiser")
                    .table(WebhookEndpoints::Table)
                    .col(WebhookEndpoints::OrganiserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    // Internal only: the receiver sees `message_id`.
                    .col(big_pk_auto(WebhookDeliveries::Id))
                    // The `webhook-id`: one happening, the same id at every endpoint.
                    .col(uuid(WebhookDeliveries::MessageId))
                    .col(uuid(WebhookDeliveries::EndpointId))
                    .col(uuid(WebhookDeliveries::OrganiserId))
                    .col(string_len(WebhookDeliveries::EventType, 40))
                    // No foreign keys: the log outlives a deleted event or guest.
                    .col(uuid_null(WebhookDeliveries::EventId))
                    .col(uuid_null(WebhookDeliveries::GuestId))
                    // What happened beyond the ids (an answer before and after).
                    .col(text(WebhookDeliveries::Data))
                    // The body as first sent, so every retry signs the same bytes;
                    // emptied when the guest it names is erased.
                    .col(text_null(WebhookDeliveries::Payload))
                    .col(timestamp_with_time_zone(WebhookDeliveries::OccurredAt))
                    .col(string_len(WebhookDeliveries::Status, 16).check(one_of(
                        WebhookDeliveries::Status,
                        &["pending", "sending", "delivered", "failed", "skipped"],
                    )))
                    .col(integer(WebhookDeliveries::Attempts).default(0))
                    .col(timestamp_with_time_zone(WebhookDeliveries::DueAt))
                    .col(timestamp_with_time_zone_null(WebhookDeliveries::LeaseUntil))
                    .col(integer_null(WebhookDeliveries::ResponseStatus))
                    .col(text_null(WebhookDeliveries::ResponseBody))
                    .col(integer_null(WebhookDeliveries::DurationMs))
                    .col(text_null(WebhookDeliveries::LastError))
                    .col(timestamp_with_time_zone_null(WebhookDeliveries::LastAttemptAt))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDeliveries::Table, WebhookDeliveries::EndpointId)
                            .to(WebhookEndpoints::Table, WebhookEndpoints::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_webhook_deliveries_message_endpoint")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::MessageId)
                    .col(WebhookDeliveries::EndpointId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // What the dispatcher asks every tick.
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_status_due_at")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::Status)
                    .col(WebhookDeliveries::DueAt)
                    .to_owned(),
            )
            .await?;
        // The log per endpoint, newest first, and its 30-day purge.
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_endpoint_created")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::EndpointId)
                    .col(WebhookDeliveries::CreatedAt)
                    .to_owned(),
            )
            .await?;
        // Erasing a guest empties the payloads that name her.
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_guest")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::GuestId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(WebhookEndpoints::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum WebhookEndpoints {
    Table,
    Id,
    OrganiserId,
    Url,
    EventTypes,
    Secret,
    Enabled,
    DisabledReason,
    FailingSince,
    Language,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum WebhookDeliveries {
    Table,
    Id,
    MessageId,
    EndpointId,
    OrganiserId,
    EventType,
    EventId,
    GuestId,
    Data,
    Payload,
    OccurredAt,
    Status,
    Attempts,
    DueAt,
    LeaseUntil,
    ResponseStatus,
    ResponseBody,
    DurationMs,
    LastError,
    LastAttemptAt,
    CreatedAt,
}
