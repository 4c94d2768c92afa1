//! Each organiser's own language for the emails she gets (issue 15): her
//! sign-in links, invitations to a team, venue summaries and digests. NULL
//! until known: her browser's language is kept at her first sign-in or when
//! she accepts a team invitation, and she can change it on the dashboard.
use sea_orm_migration::{prelude::*, schema::*};

use crate::one_of;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisers {
    Table,
    Language,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organisers::Table)
                    .add_column(
                        string_len_null(Organisers::Language, 2).check(one_of(Organisers::Language, &["fr", "en"])),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Organisers::Table).drop_column(Organisers::Language).to_owned()).await
    }
}
