//! A guest's first name, when her list gave one (a CSV "Prénom" column, or
//! the API's `first_name`): emails greet her with it ("Bonjour Sophie,").
//! Empty when unknown, as `name` may be: the greeting then stays as it was.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000003_create_guests::Guests;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Guests::Table).add_column(string(FirstName::FirstName).default("")).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Guests::Table).drop_column(FirstName::FirstName).to_owned()).await
    }
}

/// On `guests`.
#[derive(DeriveIden)]
enum FirstName {
    FirstName,
}
