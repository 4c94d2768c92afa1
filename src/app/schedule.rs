//! What the scheduler does when it wakes. Jobs only queue outbox rows (and
//! return expired leases); sending is the dispatcher's. Each takes `now`, so
//! tests can run them at a chosen time.

use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};

use crate::domain::event::EventStatus;
use crate::domain::mail::{MailKind, OutboxSlot};
use crate::domain::plan::SlotKind;
use crate::storage::outbox::Audience;
use crate::storage::{self, Db};

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobReport {
    pub slots: usize,
    pub queued: u64,
    pub leases_returned: u64,
    /// Guest rows erased under their organiser's retention setting.
    pub erased: u64,
}

/// Queues every reminder whose time has come and returns expired leases.
pub async fn run_due(db: &Db, now: DateTime<Utc>, digest_hour_utc: u32) -> anyhow::Result<JobReport> {
    let leases_returned = storage::outbox::reclaim_expired_leases(db, now).await?
        + storage::webhooks::reclaim_expired_leases(&**db, now).await?;
    let mut report = JobReport { leases_returned, ..JobReport::default() };
    // The webhook log is kept 30 days.
    storage::webhooks::purge_before(&**db, now - chrono::Duration::days(crate::app::webhooks::LOG_DAYS)).await?;
    // One pass per run: a slot that fails (logged) is tried again next
    // tick, and cannot hold back the others.
    for slot in storage::plan_slots::due(db, now, 500).await? {
        match materialise_slot(db, &slot, now).await {
            Ok(queued) => {
                report.queued += queued;
                report.slots += 1;
            }
            Err(err) => tracing::error!(slot = slot.id, error = format!("{err:#}"), "cannot queue a plan slot"),
        }
    }
    report.queued += queue_digests(db, now, digest_hour_utc).await?;
    // Organisers who keep guests' data a set time: erase what is past it.
    report.erased = crate::app::guest_data::apply_retention(db, now).await?;
    Ok(report)
}

/// Turns one due slot into outbox rows for the guests it concerns *now*:
/// who is unanswered or coming is decided at the slot's time, not when the
/// plan was laid out. Taking the slot and queueing commit together.
async fn materialise_slot(
    db: &Db,
    slot: &storage::entities::plan_slots::Model,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let tx = storage::begin_write(db).await?;
    if !storage::plan_slots::take(&*tx, slot.id, now).await? {
        return Ok(0);
    }
    let event = storage::events::find_by_id(&*tx, slot.event_id).await?;
    let mut queued = 0;
    if event.status == EventStatus::Published {
        let queue = async |kind: MailKind, audience: Audience| {
            storage::outbox::enqueue_for_guests(
                &*tx,
                &event,
                kind,
                &OutboxSlot::Plan(slot.key.clone()),
                audience,
                now,
                now,
            )
            .await
        };
        match SlotKind::parse(&slot.kind) {
            Some(SlotKind::Nudge) => {
                queued += queue(MailKind::Nudge, Audience::Unanswered).await?;
                if event.details.plan.nudge_maybes {
                    queued += queue(MailKind::NudgeMaybe, Audience::Maybe).await?;
                }
            }
            Some(SlotKind::Reminder) => {
                queued += queue(MailKind::Reminder, Audience::Seated).await?;
            }
            Some(SlotKind::VenueSummary) => {
                // Those who run the event, each in a row of her own, and the venue's contact.
                for organiser in storage::team::running(&*tx, &event).await? {
                    queued += storage::outbox::enqueue_venue_summary(&*tx, &event, &organiser, now).await?;
                }
                if let Some(contact) = &event.details.venue_contact {
                    queued += storage::outbox::enqueue_venue_contact_summary(&*tx, &event, contact, now).await?;
                }
            }
            Some(SlotKind::FollowUp) => {
                // Who came and who did not is the `attended` rule's to say,
                // applied again when each email is sent.
                queued += queue(MailKind::ThankYou, Audience::SeatedOrCheckedIn).await?;
                queued += queue(MailKind::MissedYou, Audience::Seated).await?;
            }
            None => tracing::warn!(slot = slot.id, kind = %slot.kind, "unknown plan slot kind"),
        }
    }
    tx.commit().await?;
    Ok(queued)
}

/// Once a day, after `digest_hour_utc`, a digest for each event whose
/// organiser chose one and whose answers changed in the last day.
async fn queue_digests(db: &Db, now: DateTime<Utc>, digest_hour_utc: u32) -> anyhow::Result<u64> {
    if now.hour() < digest_hour_utc {
        return Ok(0);
    }
    let due_at =
        Utc.with_ymd_and_hms(now.year(), now.month(), now.day(), digest_hour_utc, 0, 0).single().unwrap_or(now);

    let mut queued = 0;
    for (event, organiser) in
        storage::organisers::events_wanting_digest(db, due_at - chrono::Duration::days(1), due_at).await?
    {
        let tx = storage::begin_write(db).await?;
        queued += storage::outbox::enqueue_for_organiser(
            &*tx,
            &event,
            MailKind::OrganiserDigest,
            &OutboxSlot::Digest { day: due_at.date_naive(), event: event.id },
            organiser.email.as_str(),
            &serde_json::json!({}),
            due_at,
            now,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(queued)
}
