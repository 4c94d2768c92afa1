//! The organiser's digest: the answers that changed in the day before it is
//! due, each with the answer it replaced, and where the event stands now.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::context::{DigestChange, DigestTotals, local_time};
use crate::domain::answer::Answer;
use crate::domain::event::Event;
use crate::domain::guest::Guest;
use crate::storage::{self, Db};

/// What a digest tells: the changes in its window, and the totals.
#[derive(Debug, Clone)]
pub struct Digest {
    pub changes: Vec<DigestChange>,
    pub totals: DigestTotals,
}

impl Digest {
    /// Nothing changed: no digest is sent.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// The digest of `event` due at `due_at`: it covers the day before.
///
/// # Errors
/// When the database cannot be read.
pub async fn load(db: &Db, event: &Event, due_at: DateTime<Utc>) -> anyhow::Result<Digest> {
    let since = due_at - Duration::days(1);
    let history = storage::answers::history(db, event.id).await?;
    let guests: HashMap<Uuid, Guest> =
        storage::guests::list(db, event.id).await?.into_iter().map(|(g, _)| (g.id, g)).collect();
    let mut previous: HashMap<Uuid, Answer> = HashMap::new();
    let mut changes = Vec::new();
    for change in history {
        let before = previous.insert(change.guest_id, change.reply.answer);
        if change.changed_at <= since || change.changed_at > due_at {
            continue;
        }
        let guest = guests.get(&change.guest_id);
        changes.push(DigestChange {
            guest_name: guest.map(|g| g.name.clone()).unwrap_or_default(),
            guest_email: guest.map(|g| g.email.to_string()).unwrap_or_default(),
            answer: change.reply.answer.as_str().to_owned(),
            previous_answer: before.map(|a| a.as_str().to_owned()),
            companions: change.reply.companions,
            comment: change.reply.comment.clone(),
            changed_at_local: local_time(change.changed_at, event),
        });
    }
    let counts = storage::events::counts(&**db, &[event.id]).await?.remove(&event.id).unwrap_or_default();
    let totals = DigestTotals {
        yes: counts.yes,
        no: counts.no,
        maybe: counts.maybe,
        not_answered: counts.invited - counts.answered,
        seats_left: event.details.capacity.map(|c| u64::from(c).saturating_sub(counts.seats_taken)),
    };
    Ok(Digest { changes, totals })
}
