//! What the processes of one instance tell each other through the database:
//! the hashes of the setup codes they printed (until the first organiser
//! exists), the mark that setup is done, and the public URL the server
//! serves at, for the command line's links.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QuerySelect};

use super::entities::{instance_settings, setup_codes};

const PUBLIC_URL: &str = "public_url";
const SETUP_DONE: &str = "setup_done";

/// Keeps the hash of a setup code this process printed.
pub async fn insert_setup_code(conn: &impl ConnectionTrait, code_hash: &str, now: DateTime<Utc>) -> anyhow::Result<()> {
    setup_codes::Entity::insert(setup_codes::ActiveModel {
        code_hash: Set(code_hash.to_owned()),
        created_at: Set(now),
    })
    .on_conflict(OnConflict::column(setup_codes::Column::CodeHash).do_nothing().to_owned())
    .exec_without_returning(conn)
    .await
    .context("cannot store the setup code")?;
    Ok(())
}

/// The hashes of every setup code printed and not yet spent: one per process
/// start before the first organiser, so a handful.
pub async fn setup_code_hashes(conn: &impl ConnectionTrait) -> anyhow::Result<Vec<String>> {
    setup_codes::Entity::find()
        .select_only()
        .column(setup_codes::Column::CodeHash)
        .into_tuple()
        .all(conn)
        .await
        .context("cannot read the setup codes")
}

/// Forgets every setup code: none works once an organiser exists.
pub async fn delete_setup_codes(conn: &impl ConnectionTrait) -> anyhow::Result<()> {
    setup_codes::Entity::delete_many().exec(conn).await.context("cannot delete the setup codes")?;
    Ok(())
}

/// Marks setup as done; false if it was already. Two setups racing on
/// PostgreSQL meet on this row's key: the second waits for the first to
/// commit, then inserts nothing.
pub async fn mark_setup_done(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let inserted = instance_settings::Entity::insert(instance_settings::ActiveModel {
        name: Set(SETUP_DONE.to_owned()),
        value: Set(now.to_rfc3339()),
    })
    .on_conflict(OnConflict::column(instance_settings::Column::Name).do_nothing().to_owned())
    .exec_without_returning(conn)
    .await
    .context("cannot mark setup as done")?;
    Ok(inserted == 1)
}

/// Records the public URL this server serves at (the last process started wins).
pub async fn record_public_url(conn: &impl ConnectionTrait, url: &str) -> anyhow::Result<()> {
    instance_settings::Entity::insert(instance_settings::ActiveModel {
        name: Set(PUBLIC_URL.to_owned()),
        value: Set(url.to_owned()),
    })
    .on_conflict(
        OnConflict::column(instance_settings::Column::Name).update_column(instance_settings::Column::Value).to_owned(),
    )
    .exec_without_returning(conn)
    .await
    .context("cannot record the public URL")?;
    Ok(())
}

/// The public URL a server last recorded, if one ever ran on this database.
pub async fn recorded_public_url(conn: &impl ConnectionTrait) -> anyhow::Result<Option<String>> {
    Ok(instance_settings::Entity::find_by_id(PUBLIC_URL.to_owned())
        .one(conn)
        .await
        .context("cannot read the recorded public URL")?
        .map(|row| row.value))
}
