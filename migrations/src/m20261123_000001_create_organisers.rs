//! Organisers own events; API keys authenticate them. Keys are stored only as
//! a SHA-256 hash so a leaked database does not leak working credentials.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisers::Table)
                    .col(pk_uuid(Organisers::Id))
                    .col(string_len(Organisers::Name, 200))
                    .col(string_len_uniq(Organisers::Email, 254))
                    .col(timestamp_with_time_zone(Organisers::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(pk_uuid(ApiKeys::Id))
                    .col(uuid(ApiKeys::OrganiserId))
                    .col(string_len_uniq(ApiKeys::KeyHash, 64))
                    .col(string_len(ApiKeys::Label, 200))
                    .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiKeys::Table, ApiKeys::OrganiserId)
                            .to(Organisers::Table, Organisers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ApiKeys::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Organisers::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Organisers {
    Table,
    Id,
    Name,
    Email,
    CreatedAt,
    Notifications,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    OrganiserId,
    KeyHash,
    Label,
    CreatedAt,
    RevokedAt,
}
