//! The dispatcher's pass over the queue, as a pipeline: the next batch is
//! claimed, loaded and written while the current one is being sent. Between
//! two batches the relay waits only for the last emails of the first and
//! the one statement that records them: a batch starts once the one before
//! is recorded, so a crash sends again at most one batch.
//!
//! Each claimed batch is written and sealed (templates, MIME, DKIM) on a
//! task of its own, which the runtime runs on another core than the one
//! sending: writing an email costs about as much CPU as sending it. The
//! batches are written one after the other, in order: two written at once
//! took the core the deliveries need to answer their relay.
//!
//! Claiming and loading a batch (waits on the database) overlaps with
//! writing the one before (CPU): once the relay has taken the first
//! email of the pass, the next batch is claimed while the one before it is
//! still being written. Done one after the other, claiming, loading and
//! writing a batch took longer than sending one, and the relay waited for
//! each (`bench/mail.sh`, interleaved: 4,305 and 4,578 emails a second
//! against 4,553 and 5,513 on PostgreSQL, 6,355 and 4,906 against 6,743
//! and 5,941 on SQLite).
//!
//! So three batches are held at most: one being sent, one written and
//! waiting, one being written; a batch waits at most two batches for its
//! turn, which the lease must cover. A process whose relay hangs from the
//! start holds one batch, which a process with a working relay cannot
//! take before the lease ends. While the relay is away, a probe (a batch
//! of one) is answered before anything else is claimed.

use std::iter::Enumerate;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use chrono::Duration;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinHandle;

use super::{Batch, DispatchReport, Dispatcher, Outcome, Ready};
use crate::metrics::MailOutcome;
use crate::storage;
use crate::storage::entities::outbox::Model as OutboxRow;

/// A claimed batch: its rows, and each row's email, ready to go (or why
/// not) once the task writing them is over. Each email goes with its
/// delivery, and is dropped once sent.
struct Claimed {
    rows: Arc<Rows>,
    emails: JoinHandle<Vec<Ready>>,
}

/// A claimed batch's rows and its number in this pass, shared by its
/// deliveries until the last one is recorded.
struct Rows {
    number: u64,
    rows: Vec<OutboxRow>,
}

/// How far sending has got, which says when the next claim may be made.
#[derive(Debug, Clone, Copy, Default)]
struct Progress {
    /// The last batch at least one of whose emails is over.
    under_way: u64,
    /// The last batch wholly delivered and recorded.
    finished: u64,
}

impl Dispatcher {
    /// Sends everything due now, batch after batch, until nothing is left or
    /// `keep_going` says to stop (shutdown): a batch once claimed is sent.
    ///
    /// # Errors
    /// When a claim, a batch's loading, the task writing a batch or the
    /// record of what was sent fails; the batches already claimed are
    /// finished first (the ones not yet started once a record or a writing
    /// task failed go back to the queue with their lease).
    pub async fn dispatch_due(&self, keep_going: &(dyn Fn() -> bool + Sync)) -> anyhow::Result<DispatchReport> {
        let (claimed_tx, claimed_rx) = mpsc::channel(1);
        let (progress_tx, progress_rx) = watch::channel(Progress::default());
        let record_failed = AtomicBool::new(false);
        let go_on = || keep_going() && !record_failed.load(Ordering::Relaxed);
        let (claiming, (report, recording)) = tokio::join!(
            self.claim_batches(claimed_tx, progress_rx, &go_on),
            self.send_batches(claimed_rx, &progress_tx, &record_failed),
        );
        claiming?;
        recording?;
        Ok(report)
    }

    /// Claims and loads batches for `send_batches`, each once the one
    /// before the previous is under way (or, for a probe, the previous is
    /// over), and has them written on a task of their own.
    async fn claim_batches(
        &self,
        ready: mpsc::Sender<Claimed>,
        mut progress: watch::Receiver<Progress>,
        go_on: &(dyn Fn() -> bool + Sync),
    ) -> anyhow::Result<()> {
        let lease = Duration::seconds(self.settings.dispatch_lease_seconds as i64);
        let mut number = 0;
        let writing = Arc::new(Semaphore::new(1));
        while go_on() {
            // While the relay is away, one email at a time probes it.
            let probing = match self.relay_away() {
                Some(away) if self.clock.now() < away.probe_at => break,
                Some(_) => true,
                None => false,
            };
            let limit = if probing { 1 } else { self.settings.dispatch_batch_size };
            let claiming = std::time::Instant::now();
            let rows = storage::outbox::claim_due(&self.db, self.clock.now(), lease, limit)
                .await
                .context("cannot claim due emails")?;
            self.metrics.claim(claiming.elapsed());
            if rows.is_empty() {
                break;
            }
            let batch = self.load(&rows).await.context("cannot load what the emails refer to")?;
            number += 1;
            let rows = Arc::new(Rows { number, rows });
            let emails = self.prepare_elsewhere(Arc::clone(&rows), batch, Arc::clone(&writing));
            if ready.send(Claimed { rows, emails }).await.is_err() {
                break;
            }
            let turn = progress
                .wait_for(|progress| {
                    if probing {
                        progress.finished >= number
                    } else {
                        // One batch ahead, once the relay has shown it answers.
                        progress.under_way >= 1 && progress.under_way + 1 >= number
                    }
                })
                .await;
            if turn.is_err() {
                break;
            }
        }
        Ok(())
    }

    /// Writes and seals a batch's emails on a task of its own, once the
    /// batch before is written.
    fn prepare_elsewhere(&self, rows: Arc<Rows>, batch: Batch, writing: Arc<Semaphore>) -> JoinHandle<Vec<Ready>> {
        let this = self.clone();
        tokio::spawn(async move {
            let _turn = writing.acquire_owned().await;
            let mut emails = Vec::with_capacity(rows.rows.len());
            for row in &rows.rows {
                emails.push(this.ready(row, &batch).await);
            }
            emails
        })
    }

    /// Delivers the claimed batches, at most `smtp_pool_size` emails at a
    /// time, and records each batch's accepted messages once it is over.
    async fn send_batches(
        &self,
        mut claimed: mpsc::Receiver<Claimed>,
        progress: &watch::Sender<Progress>,
        record_failed: &AtomicBool,
    ) -> (DispatchReport, anyhow::Result<()>) {
        let pool = self.settings.smtp_pool_size as usize;
        let mut in_flight = FuturesUnordered::new();
        // The batch whose deliveries are being started, and its emails left.
        let mut starting: Option<(Arc<Rows>, Enumerate<std::vec::IntoIter<Ready>>)> = None;
        let mut more_to_come = true;
        // The current batch's deliveries not over yet, and its accepted rows.
        let mut left = 0;
        let mut sent = Vec::new();
        let mut report = DispatchReport::default();
        let mut recording = Ok(());
        loop {
            while in_flight.len() < pool
                && let Some((batch, emails)) = starting.as_mut()
                && let Some((index, email)) = emails.next()
            {
                in_flight.push(self.deliver_nth(Arc::clone(batch), index, email, record_failed));
            }
            tokio::select! {
                // Once the batch before is over and recorded (with nothing in
                // flight, every email of it has started).
                batch = claimed.recv(), if more_to_come && in_flight.is_empty() => match batch {
                    Some(Claimed { rows, emails }) => match emails.await {
                        Ok(emails) => {
                            left = rows.rows.len();
                            starting = Some((rows, emails.into_iter().enumerate()));
                        }
                        // Its rows go back to the queue with their lease;
                        // the pass stops as after a failed record.
                        Err(err) => {
                            record_failed.store(true, Ordering::Relaxed);
                            if recording.is_ok() {
                                recording = Err(anyhow::Error::new(err).context("writing a batch of emails failed"));
                            }
                        }
                    },
                    None => more_to_come = false,
                },
                Some((batch, index, outcome)) = in_flight.next(), if !in_flight.is_empty() => {
                    progress.send_if_modified(|progress| {
                        let first = progress.under_way < batch.number;
                        progress.under_way = progress.under_way.max(batch.number);
                        first
                    });
                    self.metrics.email(&batch.rows[index].kind, report.count(&outcome));
                    if let Outcome::Sent(id) = outcome {
                        sent.push(id);
                    }
                    left -= 1;
                    if left > 0 {
                        continue;
                    }
                    if let Err(err) = self.record_sent(&batch.rows, &std::mem::take(&mut sent)).await {
                        record_failed.store(true, Ordering::Relaxed);
                        if recording.is_ok() {
                            recording = Err(err);
                        }
                    }
                    progress.send_modify(|progress| progress.finished = progress.finished.max(batch.number));
                }
                else => break,
            }
        }
        (report, recording)
    }

    /// The delivery of a batch's `index`th row, unless a record failed.
    async fn deliver_nth(
        &self,
        batch: Arc<Rows>,
        index: usize,
        email: Ready,
        record_failed: &AtomicBool,
    ) -> (Arc<Rows>, usize, Outcome) {
        let outcome = if record_failed.load(Ordering::Relaxed) {
            // Sent now, it could not be recorded: its lease returns it.
            Outcome::Retried
        } else {
            self.deliver(&batch.rows[index], &email).await
        };
        (batch, index, outcome)
    }

    /// One statement records every message the server accepted in a batch
    /// (they share the claim's lease): a crash before it can send at most
    /// this batch again, never lose it.
    async fn record_sent(&self, rows: &[OutboxRow], sent: &[i64]) -> anyhow::Result<()> {
        let Some(lease) = rows.first().and_then(|row| row.lease_until) else {
            return Ok(());
        };
        let marked = storage::outbox::mark_sent_many(&self.db, sent, lease, self.clock.now())
            .await
            .context("cannot record sent emails")?;
        if marked != sent.len() as u64 {
            tracing::warn!(marked, sent = sent.len(), "some sent emails had lost their lease; they may go again");
        }
        Ok(())
    }
}

impl DispatchReport {
    /// Counts one email's outcome, as its metric's label.
    fn count(&mut self, outcome: &Outcome) -> MailOutcome {
        match outcome {
            Outcome::Sent(_) => {
                self.sent += 1;
                MailOutcome::sent
            }
            Outcome::Skipped => {
                self.skipped += 1;
                MailOutcome::skipped
            }
            Outcome::Retried | Outcome::Waiting => {
                self.retried += 1;
                MailOutcome::retried
            }
            Outcome::Failed => {
                self.failed += 1;
                MailOutcome::failed
            }
        }
    }
}
