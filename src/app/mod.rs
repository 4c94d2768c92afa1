//! The application layer: every operation a door can ask for, one module per
//! use case. Each operation validates its input into domain values, runs the
//! rules in one transaction through storage, and returns what happened or
//! an [`AppError`]. Committing, waking the mail dispatcher and recording what
//! happened live in [`Work::commit`], so no door does them by hand.
pub mod access;
mod answer_batch;
pub mod answers;
pub mod check_in;
pub mod community;
pub mod error;
pub mod events;
pub mod feeds;
pub mod guest_data;
pub mod guest_lists;
pub mod guests;
pub mod inbound;
pub mod key_cache;
pub mod mail_health;
pub mod mail_queue;
pub mod mail_trust;
pub mod monitoring;
pub mod organisers;
pub mod registrations;
pub mod schedule;
pub mod series;
pub mod setup;
pub mod sign_in;
pub mod team;
pub mod unsubscribes;
pub mod webhooks;

use std::ops::Deref;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;
use tokio::sync::Notify;
use uuid::Uuid;

pub use error::{AppError, OneTimeLink, Result};

use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::answer::Answer;
use crate::domain::token::SecretKey;
use crate::links::Links;
use crate::metrics::Metrics;
use crate::storage::{self, Db, WriteTransaction};

/// What every operation can reach: the database, the clock, the settings,
/// the key links derive from, and the dispatcher's bell. A handle: every
/// request's extractors and layers clone it, so a clone is one reference
/// count, not one per part.
#[derive(Clone)]
pub struct App(Arc<AppParts>);

/// The parts of an [`App`], reached through it.
pub struct AppParts {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    /// Derives invitation, unsubscribe and form tokens.
    pub link_key: SecretKey,
    mail_waker: Arc<Notify>,
    /// The webhook dispatcher's bell, apart from mail's: a slow endpoint
    /// must not hold emails back.
    hook_waker: Arc<Notify>,
    /// Rows written so far by the background imports this process runs.
    pub(crate) imports: guest_lists::Progress,
    /// Who recently presented API keys belong to.
    pub(crate) keys: Arc<key_cache::KeyCache>,
    /// What `/metrics` exports; the doors and workers record into it.
    pub metrics: Arc<Metrics>,
    /// The DNS resolver of mail authentication, built on first use.
    pub(crate) resolver: mail_trust::Resolver,
    /// Guests' answers waiting to be written together.
    answer_batches: answer_batch::AnswerBatches,
}

impl Deref for App {
    type Target = AppParts;

    fn deref(&self) -> &AppParts {
        &self.0
    }
}

impl App {
    pub fn new(db: Db, settings: Arc<Settings>, clock: Clock, link_key: SecretKey, mail_waker: Arc<Notify>) -> Self {
        Self(Arc::new(AppParts {
            db,
            settings,
            clock,
            link_key,
            mail_waker,
            hook_waker: Arc::new(Notify::new()),
            imports: guest_lists::Progress::default(),
            keys: Arc::default(),
            metrics: Arc::default(),
            resolver: mail_trust::Resolver::default(),
            answer_batches: answer_batch::AnswerBatches::default(),
        }))
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Absolute links into the service, from the public base URL.
    pub fn links(&self) -> Links {
        Links::new(&self.settings.public_url)
    }

    /// The bell the dispatcher listens to.
    pub fn mail_waker(&self) -> Arc<Notify> {
        Arc::clone(&self.mail_waker)
    }

    /// The bell the webhook dispatcher listens to.
    pub fn hook_waker(&self) -> Arc<Notify> {
        Arc::clone(&self.hook_waker)
    }

    /// Starts a unit of work that writes.
    pub(crate) async fn begin(&self) -> Result<Work> {
        Ok(Work::new(storage::begin_write(&self.db).await?))
    }

    /// Starts a unit of work that writes, committed on SQLite together with
    /// those begun around it ([`storage::begin_grouped_write`]). Its commit
    /// fails with [`AppError::is_group_undone`] if another member of the
    /// group failed after writing: the caller runs it again with [`begin`](Self::begin).
    pub(crate) async fn begin_grouped(&self) -> Result<Work> {
        Ok(Work::new(storage::begin_grouped_write(&self.db).await?))
    }
}

/// Something that happened, recorded once by [`Work::commit`]: today in the
/// log; the hook where webhooks and the audit history plug in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happening {
    EventCreated { event: Uuid },
    EventChanged { event: Uuid, calendar_changed: bool },
    EventPublished { event: Uuid },
    EventCancelled { event: Uuid },
    GuestsInvited { event: Uuid, count: usize },
    GuestRemoved { event: Uuid, guest: Uuid },
    Answered { event: Uuid, guest: Uuid, before: Option<Answer>, after: Answer },
    Promoted { event: Uuid, guests: Vec<Uuid> },
    CheckedIn { event: Uuid, guest: Uuid },
    CheckInUndone { event: Uuid, guest: Uuid },
    WalkIn { event: Uuid, guest: Uuid },
    RegistrationRequested { event: Uuid },
    RegistrationConfirmed { event: Uuid, guest: Uuid },
    Unsubscribed { organiser: Uuid, guest: Uuid, email: String },
    SignInLinkSent { organiser: Uuid },
    SignedIn { organiser: Uuid },
    FirstOrganiserCreated { organiser: Uuid },
}

/// One write transaction and what it did. Dropped without
/// [`commit`](Self::commit), it rolls back and nothing happened.
pub(crate) struct Work {
    tx: WriteTransaction,
    mail_queued: u64,
    happened: Vec<Happening>,
    /// What happened that no webhook endpoint listens to, as read in this
    /// transaction: recorded, with no statement to queue nothing.
    unheard: Vec<Happening>,
}

impl Deref for Work {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}

impl Work {
    fn new(tx: WriteTransaction) -> Self {
        Self { tx, mail_queued: 0, happened: Vec::new(), unheard: Vec::new() }
    }

    /// Notes emails queued in this transaction (the count storage returned).
    pub fn queued(&mut self, emails: u64) {
        self.mail_queued += emails;
    }

    pub fn happened(&mut self, happening: Happening) {
        self.happened.push(happening);
    }

    /// Like [`happened`](Self::happened), for something the caller read,
    /// in this transaction, that no webhook endpoint listens to.
    pub fn happened_unheard(&mut self, happening: Happening) {
        self.unheard.push(happening);
    }

    /// Queues the webhooks of what happened in the same transaction, then
    /// commits, then rings the dispatchers of what was queued (so it leaves
    /// within seconds, not at the next tick) and records what happened.
    pub async fn commit(self, app: &App) -> Result<()> {
        let hooks = webhooks::queue_happenings(&*self.tx, &self.happened, app.now()).await?;
        self.tx.commit().await?;
        if self.mail_queued > 0 {
            app.mail_waker.notify_one();
        }
        if hooks > 0 {
            app.hook_waker.notify_one();
        }
        for happening in self.happened.iter().chain(&self.unheard) {
            tracing::debug!(?happening, "happened");
        }
        Ok(())
    }

    /// Gives up the transaction (and, on SQLite, the writer's turn).
    pub async fn rollback(self) -> Result<()> {
        Ok(self.tx.rollback().await?)
    }
}
