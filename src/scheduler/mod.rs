//! The local clock: one tokio-cron-scheduler job per process that wakes at a
//! fixed interval, queues what is due and wakes the dispatcher. The truth is
//! in the database (plan slots and outbox rows with UTC due times), so a
//! restart, a DST change or a second process changes nothing; the crate's
//! persistence stays off, since it has no locking.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::sync::Notify;
use tokio_cron_scheduler::{Job, JobScheduler};

use chrono::{DateTime, Utc};

use crate::app::schedule::JobReport;
use crate::clock::Clock;
use crate::metrics::Metrics;
use crate::storage::Db;

/// One pass of the scheduler at `now`: queues what is due, returns expired
/// leases, and records how long that took in the metrics.
///
/// # Errors
/// When the database cannot be read or written.
pub async fn tick(db: &Db, now: DateTime<Utc>, digest_hour_utc: u32, metrics: &Metrics) -> anyhow::Result<JobReport> {
    let started = std::time::Instant::now();
    let report = crate::app::schedule::run_due(db, now, digest_hour_utc).await?;
    metrics.tick(started.elapsed(), report.queued, report.leases_returned);
    Ok(report)
}

/// Starts the scheduler; stop it with `shutdown()` on the returned handle.
pub async fn start(
    db: Db,
    clock: Clock,
    interval: Duration,
    digest_hour_utc: u32,
    dispatcher_waker: Arc<Notify>,
    metrics: Arc<Metrics>,
) -> anyhow::Result<JobScheduler> {
    let scheduler = JobScheduler::new().await.context("cannot create the scheduler")?;
    let job = Job::new_repeated_async(interval, move |_id, _scheduler| {
        let (db, clock, waker, metrics) =
            (db.clone(), clock.clone(), Arc::clone(&dispatcher_waker), Arc::clone(&metrics));
        Box::pin(async move {
            // The crate drops a job's errors and panics silently: run the work
            // in its own task so a panic surfaces here, and log both.
            let run = tokio::spawn(async move { tick(&db, clock.now(), digest_hour_utc, &metrics).await });
            match run.await {
                Ok(Ok(report)) if report.queued > 0 || report.leases_returned > 0 => {
                    tracing::info!(?report, "scheduler queued due emails");
                }
                Ok(Ok(_)) => {}
                Ok(Err(err)) => tracing::error!(error = format!("{err:#}"), "scheduler run failed"),
                Err(err) => tracing::error!(error = %err, "scheduler run panicked"),
            }
            waker.notify_one();
        })
    })
    .context("cannot create the scheduler job")?;
    scheduler.add(job).await.context("cannot add the scheduler job")?;
    scheduler.start().await.context("cannot start the scheduler")?;
    Ok(scheduler)
}
