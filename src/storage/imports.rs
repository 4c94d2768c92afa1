//! Background imports: started, then finished in the import's own
//! transaction, or failed.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::import_jobs;
use super::error::{Missing, Result, StorageError};
use crate::domain::guest_list::{ImportJob, ImportJobState, ImportReport};

const RUNNING: &str = "running";
const DONE: &str = "done";
const FAILED: &str = "failed";

/// Records an import of `rows` rows as started.
pub async fn start(
    conn: &impl ConnectionTrait,
    organiser_id: Uuid,
    event_id: Uuid,
    rows: usize,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    import_jobs::Entity::insert(import_jobs::ActiveModel {
        id: Set(id),
        organiser_id: Set(organiser_id),
        event_id: Set(event_id),
        status: Set(RUNNING.to_owned()),
        rows: Set(i32::try_from(rows).unwrap_or(i32::MAX)),
        report: Set(None),
        error: Set(None),
        started_at: Set(now),
        finished_at: Set(None),
    })
    .exec(conn)
    .await?;
    Ok(id)
}

/// Marks the import done with its report; in the transaction that wrote
/// its guests.
pub async fn finish(conn: &impl ConnectionTrait, id: Uuid, report: &ImportReport, now: DateTime<Utc>) -> Result<()> {
    let report = serde_json::to_string(report).context("an import report is JSON")?;
    end(conn, id, import_jobs::Column::Report, report, DONE, now).await
}

/// Marks a running import failed: none of its rows were kept.
pub async fn fail(conn: &impl ConnectionTrait, id: Uuid, error: &str, now: DateTime<Utc>) -> Result<()> {
    end(conn, id, import_jobs::Column::Error, error.to_owned(), FAILED, now).await
}

async fn end(
    conn: &impl ConnectionTrait,
    id: Uuid,
    column: import_jobs::Column,
    value: String,
    status: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    import_jobs::Entity::update_many()
        .col_expr(import_jobs::Column::Status, status.into())
        .col_expr(column, value.into())
        .col_expr(import_jobs::Column::FinishedAt, now.into())
        .filter(import_jobs::Column::Id.eq(id))
        .filter(import_jobs::Column::Status.eq(RUNNING))
        .exec(conn)
        .await?;
    Ok(())
}

/// The organiser's import `id` into `event_id`.
pub async fn find(conn: &impl ConnectionTrait, organiser_id: Uuid, event_id: Uuid, id: Uuid) -> Result<ImportJob> {
    let row = import_jobs::Entity::find_by_id(id)
        .filter(import_jobs::Column::OrganiserId.eq(organiser_id))
        .filter(import_jobs::Column::EventId.eq(event_id))
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::ImportJob))?;
    let state = match row.status.as_str() {
        RUNNING => ImportJobState::Running { started_at: row.started_at },
        DONE => {
            let report = row.report.as_deref().context("a finished import has its report")?;
            ImportJobState::Done(Box::new(serde_json::from_str(report).context("a stored import report")?))
        }
        FAILED => ImportJobState::Failed(row.error.unwrap_or_default()),
        other => return Err(anyhow::anyhow!("stored import status {other:?} is unknown").into()),
    };
    Ok(ImportJob { id: row.id, event_id: row.event_id, rows: usize::try_from(row.rows).unwrap_or(0), state })
}
