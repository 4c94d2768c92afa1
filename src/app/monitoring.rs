//! What operators read: the metrics, with the gauges that come from the
//! database (the outbox's queue, the pool) read at scrape time.

use super::{App, Result};
use crate::storage;

/// The metrics in the OpenMetrics text format.
pub async fn metrics_text(app: &App) -> Result<String> {
    let waiting = storage::outbox::waiting_by_kind_and_status(&app.db).await?;
    Ok(app.metrics.encode(&waiting, app.db.pool_connections()))
}
