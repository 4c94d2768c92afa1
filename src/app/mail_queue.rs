//! The mail queue as people act on it: sending again what failed, for one
//! organiser's event or, for the operator, everywhere.

use uuid::Uuid;

use super::{App, Result};
use crate::domain::role::Action;
use crate::storage;

/// Sends again the emails of her event that failed (a relay refused them,
/// or stayed away longer than the queue waits): each gets a fresh start.
/// Returns how many were queued again.
pub async fn resend_failed(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<u64> {
    let mut work = app.begin().await?;
    let event = super::access::lock_event(&*work, app.now(), organiser_id, event_id, Action::Manage).await?;
    let queued = storage::outbox::requeue_failed(&*work, Some(event.id), app.now()).await?;
    work.queued(queued);
    work.commit(app).await?;
    Ok(queued)
}

/// The operator's version, after an outage longer than the queue's
/// lifetime: every failed email of the instance goes again.
pub async fn resend_all_failed(app: &App) -> Result<u64> {
    let mut work = app.begin().await?;
    let queued = storage::outbox::requeue_failed(&*work, None, app.now()).await?;
    work.queued(queued);
    work.commit(app).await?;
    Ok(queued)
}
