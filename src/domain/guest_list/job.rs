//! An import that runs in the background, as its organiser follows it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::ImportReport;

/// Where a background import stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportJobState {
    /// Writing; nothing is visible until it is done.
    Running { started_at: DateTime<Utc> },
    /// Every row written, with what became of each.
    Done(Box<ImportReport>),
    /// Nothing was kept; why, in words for the organiser's log.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportJob {
    pub id: Uuid,
    pub event_id: Uuid,
    /// Rows in the list.
    pub rows: usize,
    pub state: ImportJobState,
}
