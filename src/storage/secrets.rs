//! The instance's secret key, when the operator did not set one: generated
//! once and kept in the database so that every process and every restart
//! derives the same links.

use anyhow::Context;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};

use super::entities::instance_secrets;
use crate::domain::token::SecretKey;

const LINK_KEY: &str = "link_key";

/// The stored key, created on first use. Racing processes agree: the first
/// insert wins and everyone reads it back. Read first, so that a process
/// starting beside a busy one (the CLI beside the server) needs no write.
pub async fn link_key(db: &DatabaseConnection) -> anyhow::Result<SecretKey> {
    if let Some(row) =
        instance_secrets::Entity::find_by_id(LINK_KEY.to_owned()).one(db).await.context("cannot read the link key")?
    {
        return SecretKey::from_base64(&row.value).map_err(|e| anyhow::anyhow!("the stored link key is invalid: {e}"));
    }
    instance_secrets::Entity::insert(instance_secrets::ActiveModel {
        name: Set(LINK_KEY.to_owned()),
        value: Set(SecretKey::generate().to_base64()),
    })
    .on_conflict(OnConflict::column(instance_secrets::Column::Name).do_nothing().to_owned())
    .exec_without_returning(db)
    .await
    .context("cannot store the link key")?;
    let row = instance_secrets::Entity::find_by_id(LINK_KEY.to_owned())
        .one(db)
        .await
        .context("cannot read the link key")?
        .context("the link key is missing")?;
    SecretKey::from_base64(&row.value).map_err(|e| anyhow::anyhow!("the stored link key is invalid: {e}"))
}
