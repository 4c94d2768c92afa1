//! The dispatcher: claims due outbox rows, decides whether each email still
//! goes, has [`super::compose`] write it, sends it outside any transaction,
//! and records the outcome, the way an MTA does: a temporary failure goes
//! back to the queue with capped exponential backoff until the email is
//! older than `dispatch_max_age_hours`; a relay that cannot be reached
//! pauses the whole queue, probed by one email at a time, and costs no
//! email an attempt; a permanent refusal stops at once.

mod pipeline;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::compose::{Composer, GuestExtra, SeriesMention, SummaryFor, TeamFor};
use super::context::NoteContext;
use super::digest;
use super::transport::{Mailer, Sealed, SendError};
use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::community::MemberStatus;
use crate::domain::event::{Event, Language};
use crate::domain::guest::Guest;
use crate::domain::mail::{MailKind, UpdatePayload};
use crate::domain::token::SecretKey;
use crate::metrics::Metrics;
use crate::storage::entities::outbox::Model as OutboxRow;
use crate::storage::organisers::Organiser;
use crate::storage::team::TeamOf;
use crate::storage::{self, Db};

/// What one dispatch pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: usize,
    pub skipped: usize,
    pub retried: usize,
    pub failed: usize,
}

enum Outcome {
    /// Accepted by the server; recorded for the whole batch at once.
    Sent(i64),
    Skipped,
    Retried,
    /// Returned untried: the relay is away.
    Waiting,
    Failed,
}

enum Prepared {
    Send(Box<lettre::Message>),
    Skip(&'static str),
}

/// A row's email as the sender takes it: sealed, or why it does not go.
enum Ready {
    Send(Sealed),
    Skip(&'static str),
    /// It could not be written (usually the database): worth retrying.
    Unprepared(anyhow::Error),
    /// It could not be signed: not worth retrying.
    Unsealable(String),
}

/// Cloned (a few reference counts) to prepare a batch on another task.
#[derive(Clone)]
pub struct Dispatcher {
    db: Db,
    /// Held while this dispatcher may claim rows.
    _claimant: Arc<storage::outbox::Claimant>,
    mailer: Arc<Mailer>,
    composer: Arc<Composer>,
    settings: Arc<Settings>,
    clock: Clock,
    relay: Arc<std::sync::Mutex<Relay>>,
    metrics: Arc<Metrics>,
}

/// What this process knows of the relay.
#[derive(Debug, Default)]
struct Relay {
    away: Option<Away>,
}

#[derive(Debug, Clone, Copy)]
struct Away {
    since: DateTime<Utc>,
    /// When one email may try again.
    probe_at: DateTime<Utc>,
    probes: i32,
}

/// Probes of an away relay: 5 s, 10 s, … doubling up to 5 minutes, so a
/// relay back from a lunch break is noticed within minutes.
fn probe_delay(probes: i32) -> Duration {
    let exponent = probes.clamp(1, 20) - 1;
    Duration::seconds((5_i64 << exponent).min(300))
}

/// What a batch of rows refers to, loaded in a few queries.
struct Batch {
    events: HashMap<Uuid, Event>,
    organisers: HashMap<Uuid, Organiser>,
    guests: HashMap<Uuid, Guest>,
    unsubscribed: HashSet<(Uuid, String)>,
    /// (series, address) of those who left a series: its dates' mail stops.
    left_series: HashSet<(Uuid, String)>,
    /// (series, address) of those still in its community: their membership.
    members: HashMap<(Uuid, String), Uuid>,
    series_names: HashMap<Uuid, String>,
    /// Events where anyone was checked in: there, check-in says who came.
    /// Only asked for the events of the batch's follow-ups.
    checked_in: HashSet<Uuid>,
}

impl Batch {
    /// The series `event` is a date of, as its emails to `recipient` name it.
    fn series_mention(&self, event: &Event, recipient: &str) -> Option<SeriesMention> {
        let series_id = event.series_id?;
        self.series_names.get(&series_id).map(|name| SeriesMention {
            name: name.clone(),
            member_id: self.members.get(&(series_id, recipient.to_owned())).copied(),
        })
    }
}

impl Dispatcher {
    /// A dispatcher claiming as `claimant` (`storage::outbox::become_claimant`).
    ///
    /// # Errors
    /// When `mail_from` is not an address.
    pub fn new(
        db: Db,
        claimant: storage::outbox::Claimant,
        mailer: Mailer,
        settings: Arc<Settings>,
        key: SecretKey,
        clock: Clock,
        metrics: Arc<Metrics>,
    ) -> anyhow::Result<Self> {
        let composer = Composer::new(Arc::clone(&settings), key, clock.clone())?;
        Ok(Self {
            db,
            _claimant: Arc::new(claimant),
            mailer: Arc::new(mailer),
            composer: Arc::new(composer),
            settings,
            clock,
            relay: Arc::default(),
            metrics,
        })
    }

    async fn load(&self, rows: &[OutboxRow]) -> anyhow::Result<Batch> {
        let event_ids: HashSet<Uuid> = rows.iter().filter_map(|r| r.event_id).collect();
        let organiser_ids: HashSet<Uuid> = rows.iter().map(|r| r.organiser_id).collect();
        let guest_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.guest_id).collect();
        let mut events = HashMap::new();
        for id in event_ids {
            match storage::events::find_by_id(&*self.db, id).await {
                Ok(event) => {
                    events.insert(id, event);
                }
                // Deleted meanwhile: its rows are skipped. Any other error
                // aborts the batch, whose leases return it to the queue.
                Err(storage::StorageError::NotFound(_)) => {}
                Err(err) => return Err(anyhow::Error::new(err).context("cannot load an event")),
            }
        }
        let organisers: HashMap<Uuid, Organiser> =
            storage::organisers::find_many(&*self.db, organiser_ids.iter().copied())
                .await?
                .into_iter()
                .map(|o| (o.id, o))
                .collect();
        let guests: HashMap<Uuid, Guest> =
            storage::guests::find_many(&self.db, &guest_ids).await?.into_iter().map(|g| (g.id, g)).collect();
        let mut unsubscribed = HashSet::new();
        for organiser_id in organiser_ids {
            let emails: Vec<String> = rows
                .iter()
                .filter(|r| r.organiser_id == organiser_id && r.guest_id.is_some())
                .map(|r| r.recipient.clone())
                .collect();
            for email in storage::unsubscribes::among(&*self.db, organiser_id, &emails).await? {
                unsubscribed.insert((organiser_id, email));
            }
        }
        let series_ids: Vec<Uuid> = events.values().filter_map(|e| e.series_id).collect();
        let recipients: Vec<String> =
            rows.iter().filter(|r| r.guest_id.is_some()).map(|r| r.recipient.clone()).collect();
        let mut left_series = HashSet::new();
        let mut members = HashMap::new();
        for (series_id, email, member_id, status) in
            storage::community::among(&*self.db, &series_ids, &recipients).await?
        {
            if status == MemberStatus::Left {
                left_series.insert((series_id, email));
            } else {
                members.insert((series_id, email), member_id);
            }
        }
        let series_names = storage::series::names(&*self.db, &series_ids).await?.into_iter().collect();
        // Only the follow-ups go by who came: a batch of invitations or
        // reminders skips the question (on PostgreSQL, a read of every
        // guest of the event, 5 ms a batch of 500 in bench/mail.sh).
        let follow_up_events: Vec<Uuid> = rows
            .iter()
            .filter(|r| MailKind::parse(&r.kind).is_some_and(MailKind::goes_by_who_came))
            .filter_map(|r| r.event_id)
            .filter(|id| events.contains_key(id))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let checked_in = storage::check_in::events_with_check_ins(&*self.db, &follow_up_events).await?;
        Ok(Batch { events, organisers, guests, unsubscribed, left_series, members, series_names, checked_in })
    }

    /// The row's email written and sealed, ready to go, or why not.
    async fn ready(&self, row: &OutboxRow, batch: &Batch) -> Ready {
        match self.prepare(row, batch).await {
            Err(err) => Ready::Unprepared(err),
            Ok(Prepared::Skip(why)) => Ready::Skip(why),
            Ok(Prepared::Send(message)) => match self.mailer.seal(&message) {
                Ok(sealed) => Ready::Send(sealed),
                Err(SendError::Permanent(error) | SendError::Temporary(error) | SendError::RelayUnavailable(error)) => {
                    Ready::Unsealable(error)
                }
            },
        }
    }

    async fn deliver(&self, row: &OutboxRow, ready: &Ready) -> Outcome {
        // A claim about to expire is left alone: another process may take the
        // row over any moment, and sending now could send it twice.
        let margin = Duration::seconds(self.settings.dispatch_lease_seconds as i64 / 10).min(Duration::seconds(5));
        if row.lease_until.is_none_or(|until| until - self.clock.now() < margin) {
            return Outcome::Retried;
        }
        // A sibling found the relay away: do not knock again before the probe.
        if let Some(away) = self.relay_away()
            && self.clock.now() < away.probe_at
        {
            return self.wait_for_relay(row, away, "the SMTP relay is unreachable").await;
        }
        match ready {
            Ready::Unprepared(err) => {
                // Usually the database: worth retrying. A rendering bug ends
                // up failed once the email is too old, with its cause shown.
                tracing::error!(outbox_id = row.id, kind = %row.kind, error = format!("{err:#}"), "cannot prepare email");
                self.retry_or_give_up(row, &format!("{err:#}")).await
            }
            Ready::Skip(why) => Self::record(storage::outbox::mark_skipped(&self.db, row, why).await, Outcome::Skipped),
            Ready::Unsealable(error) => {
                tracing::error!(outbox_id = row.id, %error, "email cannot be signed");
                Self::record(storage::outbox::mark_failed(&self.db, row, error).await, Outcome::Failed)
            }
            Ready::Send(sealed) => match self.mailer.send_sealed(sealed).await {
                Ok(()) => {
                    self.relay_reached();
                    Outcome::Sent(row.id)
                }
                Err(SendError::Permanent(error)) => {
                    self.relay_reached();
                    tracing::warn!(outbox_id = row.id, recipient = %row.recipient, %error, "email refused for good");
                    Self::record(storage::outbox::mark_failed(&self.db, row, &error).await, Outcome::Failed)
                }
                Err(SendError::Temporary(error)) => {
                    self.relay_reached();
                    self.retry_or_give_up(row, &error).await
                }
                Err(SendError::RelayUnavailable(error)) => {
                    let away = self.relay_lost(&error);
                    self.wait_for_relay(row, away, &error).await
                }
            },
        }
    }

    /// A temporary failure of this email: again after a backoff, or failed
    /// once it has waited longer than `dispatch_max_age_hours`.
    async fn retry_or_give_up(&self, row: &OutboxRow, error: &str) -> Outcome {
        let now = self.clock.now();
        if self.too_old(row, now) {
            tracing::warn!(outbox_id = row.id, %error, attempts = row.attempts, "email given up: too old to send");
            return Self::record(storage::outbox::mark_failed(&self.db, row, error).await, Outcome::Failed);
        }
        let retry_at = now + backoff(row.attempts, row.id);
        tracing::debug!(outbox_id = row.id, %error, %retry_at, "email will be retried");
        Self::record(storage::outbox::mark_retry(&self.db, row, error, retry_at).await, Outcome::Retried)
    }

    /// Back to the queue untried, due when the relay is next probed; failed
    /// only if it is too old by now.
    async fn wait_for_relay(&self, row: &OutboxRow, away: Away, error: &str) -> Outcome {
        if self.too_old(row, self.clock.now()) {
            tracing::warn!(outbox_id = row.id, %error, "email given up: the relay stayed away too long");
            return Self::record(storage::outbox::mark_failed(&self.db, row, error).await, Outcome::Failed);
        }
        Self::record(storage::outbox::mark_waiting(&self.db, row, error, away.probe_at).await, Outcome::Waiting)
    }

    fn too_old(&self, row: &OutboxRow, now: DateTime<Utc>) -> bool {
        now - row.created_at > Duration::hours(i64::from(self.settings.dispatch_max_age_hours))
    }

    fn relay_away(&self) -> Option<Away> {
        self.relay.lock().ok().and_then(|relay| relay.away)
    }

    /// The relay could not be reached: the queue pauses until the next
    /// probe. Logged when it goes away, not for every email.
    fn relay_lost(&self, error: &str) -> Away {
        let now = self.clock.now();
        let Ok(mut relay) = self.relay.lock() else {
            return Away { since: now, probe_at: now + probe_delay(1), probes: 1 };
        };
        let away = match relay.away {
            // Several emails of one batch may find out at once: one probe counts.
            Some(away) if away.probe_at > now => away,
            Some(away) => Away { probe_at: now + probe_delay(away.probes + 1), probes: away.probes + 1, ..away },
            None => {
                tracing::warn!(%error, "the SMTP relay cannot be reached; the queue waits and probes it");
                Away { since: now, probe_at: now + probe_delay(1), probes: 1 }
            }
        };
        relay.away = Some(away);
        away
    }

    /// The relay answered: the queue drains again.
    fn relay_reached(&self) {
        if let Ok(mut relay) = self.relay.lock()
            && let Some(away) = relay.away.take()
        {
            let minutes = (self.clock.now() - away.since).num_minutes();
            tracing::warn!(minutes, "the SMTP relay is reachable again; the queue drains");
        }
    }

    /// Recording an outcome can fail too (the database went away): the lease
    /// then returns the row to the queue, so log and carry on.
    fn record(result: storage::Result<bool>, outcome: Outcome) -> Outcome {
        match result {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!("an email's lease ran out before its outcome was recorded; it is back in the queue");
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot record an email's outcome; its lease will return it to the queue");
            }
        }
        outcome
    }

    /// An organiser's sign-in link, from its row. Not re-checked at send
    /// time: a used or expired link fails on its own, and the email says
    /// how long it works.
    fn login_link(
        &self,
        row: &OutboxRow,
        organiser: &Organiser,
        message_id: String,
    ) -> anyhow::Result<lettre::Message> {
        #[derive(serde::Deserialize)]
        struct Payload {
            lang: String,
        }
        let payload: Payload = serde_json::from_str(&row.payload).context("bad sign-in payload")?;
        let language = Language::parse(&payload.lang).unwrap_or(Language::En);
        self.composer.login_link(message_id, organiser, language, row.subject_id)
    }

    /// The mail health check's test message, from its row.
    fn mail_test(&self, row: &OutboxRow, organiser: &Organiser, message_id: String) -> anyhow::Result<lettre::Message> {
        #[derive(serde::Deserialize)]
        struct Payload {
            lang: String,
            domain: String,
        }
        let payload: Payload = serde_json::from_str(&row.payload).context("bad test payload")?;
        let language = Language::parse(&payload.lang).unwrap_or(Language::En);
        self.composer.mail_test(message_id, organiser, language, &payload.domain)
    }

    /// Decides whether the row's email still goes, loads what it needs
    /// beyond the batch, and has it composed.
    /// The venue's summary, to an organiser or to the venue's contact, with
    /// who is expected when it leaves, not when it was queued.
    async fn venue_summary(
        &self,
        row: &OutboxRow,
        message_id: String,
        event: &Event,
        organiser: &Organiser,
    ) -> anyhow::Result<Prepared> {
        #[derive(serde::Deserialize)]
        struct Payload {
            #[serde(default)]
            venue: bool,
        }
        let payload: Payload = serde_json::from_str(&row.payload).context("bad summary payload")?;
        let to = if payload.venue {
            // Changed or taken off since it was queued: not for this address any more.
            if event.details.venue_contact.as_ref().is_none_or(|c| c.as_str() != row.recipient) {
                return Ok(Prepared::Skip("no longer the venue's contact"));
            }
            SummaryFor::Venue(&row.recipient)
        } else {
            SummaryFor::Organiser
        };
        let guests = storage::guests::list(&self.db, event.id).await.context("cannot list the guests")?;
        send(self.composer.venue_summary(message_id, event, organiser, to, &guests))
    }

    /// An invitation to an event's or a series' team, unless she was
    /// removed or accepted meanwhile (the link would lead nowhere).
    async fn team_invitation(
        &self,
        row: &OutboxRow,
        organiser: &Organiser,
        message_id: String,
        batch: &Batch,
    ) -> anyhow::Result<Prepared> {
        #[derive(serde::Deserialize)]
        struct Payload {
            lang: String,
        }
        let payload: Payload = serde_json::from_str(&row.payload).context("bad team payload")?;
        let language = Language::parse(&payload.lang).unwrap_or(Language::En);
        let member = match storage::team::find(&*self.db, row.subject_id).await {
            Ok(member) if member.accepted_at.is_none() => member,
            Ok(_) => return Ok(Prepared::Skip("already accepted")),
            Err(storage::StorageError::NotFound(_)) => return Ok(Prepared::Skip("no longer on the team")),
            Err(err) => return Err(anyhow::Error::new(err).context("cannot load the team member")),
        };
        match member.team {
            TeamOf::Event(id) => {
                let Some(event) = batch.events.get(&id) else { return Ok(Prepared::Skip("the event is gone")) };
                send(self.composer.team_invitation(message_id, TeamFor::Event(event), organiser, &member, language))
            }
            TeamOf::Series(id) => {
                let series = match storage::series::find(&*self.db, id).await {
                    Ok(series) => series,
                    Err(storage::StorageError::NotFound(_)) => return Ok(Prepared::Skip("the series is gone")),
                    Err(err) => return Err(anyhow::Error::new(err).context("cannot load the series")),
                };
                send(self.composer.team_invitation(message_id, TeamFor::Series(&series), organiser, &member, language))
            }
        }
    }

    async fn prepare(&self, row: &OutboxRow, batch: &Batch) -> anyhow::Result<Prepared> {
        let kind = MailKind::parse(&row.kind).with_context(|| format!("unknown email kind {:?}", row.kind))?;
        let organiser = batch.organisers.get(&row.organiser_id).context("the organiser is gone")?;
        let message_id = self.message_id(row);
        if kind == MailKind::LoginLink {
            return send(self.login_link(row, organiser, message_id));
        }
        if kind == MailKind::MailTest {
            return send(self.mail_test(row, organiser, message_id));
        }
        if kind == MailKind::WebhookDisabled {
            #[derive(serde::Deserialize)]
            struct Payload {
                lang: String,
                url: String,
                reason: String,
            }
            let payload: Payload = serde_json::from_str(&row.payload).context("bad webhook payload")?;
            let language = Language::parse(&payload.lang).unwrap_or(Language::En);
            return send(self.composer.webhook_disabled(
                message_id,
                organiser,
                language,
                &payload.url,
                &payload.reason,
            ));
        }
        if kind == MailKind::TeamInvitation {
            return self.team_invitation(row, organiser, message_id, batch).await;
        }
        let Some(event) = row.event_id.and_then(|id| batch.events.get(&id)) else {
            return Ok(Prepared::Skip("the event is gone"));
        };
        match kind {
            MailKind::VenueSummary => return self.venue_summary(row, message_id, event, organiser).await,
            MailKind::OrganiserNote => {
                let note = serde_json::from_str::<NoteContext>(&row.payload).context("bad note payload")?;
                return send(self.composer.organiser_note(message_id, event, organiser, note));
            }
            MailKind::OrganiserDigest => {
                let digest = digest::load(&self.db, event, row.due_at).await?;
                if digest.is_empty() {
                    return Ok(Prepared::Skip("nothing happened"));
                }
                return send(self.composer.organiser_digest(message_id, event, organiser, digest));
            }
            MailKind::RegistrationConfirm => {
                let registration = match storage::registrations::find(&*self.db, row.subject_id).await {
                    Ok(registration) => registration,
                    Err(storage::StorageError::NotFound(_)) => return Ok(Prepared::Skip("the registration is gone")),
                    Err(err) => return Err(anyhow::Error::new(err).context("cannot load the registration")),
                };
                if registration.confirmed_at.is_some() {
                    return Ok(Prepared::Skip("already confirmed"));
                }
                return send(self.composer.registration_confirm(message_id, event, organiser, &registration));
            }
            _ => {}
        }
        let Some(guest) = row.guest_id.and_then(|id| batch.guests.get(&id)) else {
            return Ok(Prepared::Skip("the guest was removed"));
        };
        if batch.unsubscribed.contains(&(row.organiser_id, row.recipient.clone())) {
            return Ok(Prepared::Skip("unsubscribed"));
        }
        if event.series_id.is_some_and(|series| batch.left_series.contains(&(series, row.recipient.clone()))) {
            return Ok(Prepared::Skip("left the series"));
        }
        if !kind.still_relevant(event, guest, batch.checked_in.contains(&event.id)) {
            return Ok(Prepared::Skip("no longer relevant"));
        }
        let extra = self.guest_extra(row, kind, guest, batch.series_mention(event, &row.recipient)).await?;
        send(self.composer.guest(message_id, kind, event, guest, organiser, &extra))
    }

    /// What some kinds of guest email need beyond the event and the guest.
    async fn guest_extra(
        &self,
        row: &OutboxRow,
        kind: MailKind,
        guest: &Guest,
        series: Option<SeriesMention>,
    ) -> anyhow::Result<GuestExtra> {
        let mut extra = GuestExtra { series, ..GuestExtra::default() };
        if kind == MailKind::Waitlisted {
            extra.waitlist_position = storage::guests::waitlist_position(&*self.db, guest).await?;
        }
        if kind == MailKind::Update {
            let payload: UpdatePayload = serde_json::from_str(&row.payload).context("bad update payload")?;
            extra.previous = payload.previous;
        }
        if kind == MailKind::LateReply {
            extra.late = Some(serde_json::from_str(&row.payload).context("bad late reply payload")?);
        }
        Ok(extra)
    }

    /// Stable for the row: a retry or a resend after a crash carries the same
    /// Message-ID, so receiving servers and clients can drop the duplicate.
    fn message_id(&self, row: &OutboxRow) -> String {
        let domain = self.composer.sender().email.domain();
        let digest = Sha256::digest(format!("{}:{}:{}:{}", row.id, row.subject_id, row.kind, row.slot));
        format!("<convive.{}.{}@{domain}>", row.id, &hex::encode(digest)[..16])
    }
}

fn send(message: anyhow::Result<lettre::Message>) -> anyhow::Result<Prepared> {
    Ok(Prepared::Send(Box::new(message?)))
}

/// 5 s, 10 s, 20 s, … doubling up to an hour, stretched by up to 30 % by
/// the row's id: emails that failed together do not all come back at the
/// same second.
fn backoff(attempts: i32, id: i64) -> Duration {
    let exponent = attempts.clamp(1, 20) - 1;
    let base = (5_i64 << exponent).min(3600);
    Duration::seconds(base + base * id.rem_euclid(31) / 100)
}

#[cfg(test)]
mod tests {
    use super::{backoff, probe_delay};

    #[test]
    fn backoff_doubles_up_to_an_hour_with_jitter() {
        let seconds: Vec<i64> = (1..=12).map(|a| backoff(a, 0).num_seconds()).collect();
        assert_eq!(seconds, [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]);
        assert_eq!(backoff(12, 30).num_seconds(), 3600 + 1080);
        assert_ne!(backoff(4, 10), backoff(4, 20), "rows that failed together spread out");
    }

    #[test]
    fn an_away_relay_is_probed_at_least_every_five_minutes() {
        let seconds: Vec<i64> = (1..=9).map(|p| probe_delay(p).num_seconds()).collect();
        assert_eq!(seconds, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
    }
}
