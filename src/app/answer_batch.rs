//! Guests' own answers, written several to a statement.
//!
//! On SQLite, answers wait for the one writer in turn however they are
//! sent; on PostgreSQL, those that move seats wait for their event's lock.
//! Sent one by one, each paid for its own reads and its own writes, every
//! one a round trip (on SQLite a hand-off to the connection's thread and
//! back). Here the answers that arrive while a batch is being written wait
//! together; the first of them to get the turn takes them all and writes
//! them as one: their events read once (on PostgreSQL locked, in the order
//! of their ids, as a single answer locks hers), their guests read once,
//! the rules applied to each in turn (the seats one answer takes are gone
//! for the next), one list of statements writing them all, and one commit.
//! Each answer is told its outcome only once that commit is done.
//!
//! An answer whose rules reach beyond her own row (a waiting list to keep,
//! a seat counter to recount, the same guest twice in one batch) is sent
//! back to run alone, after the batch, through [`super::answers::answer`]'s
//! usual path, as is every answer of a batch that could not be written and,
//! on PostgreSQL, an answer with no other in its batch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;
use uuid::Uuid;

use super::answers::{self, AnswerInput, AnswerOutcome, Known, Note, Seating};
use super::{App, AppError, Result};
use crate::domain::answer::{Channel, Reply};
use crate::domain::event::Event;
use crate::domain::guest::Guest;
use crate::domain::token::InvitationToken;
use crate::storage::{self, Missing};

/// The most answers one batch takes: each waits for its commit.
const MOST_ANSWERS: usize = 64;

/// Answers waiting for a batch, and the turn to write one.
#[derive(Default)]
pub(crate) struct AnswerBatches {
    waiting: Mutex<Vec<Waiting>>,
    /// Held while a batch is written, by the task writing it.
    turn: Arc<tokio::sync::Mutex<()>>,
}

/// An answer waiting for its batch.
struct Waiting {
    token: String,
    input: AnswerInput,
    told: oneshot::Sender<Told>,
}

/// What became of an answer sent in a batch.
#[allow(clippy::large_enum_variant, reason = "one per answer, moved once")]
enum Told {
    Done(Result<AnswerOutcome>),
    /// Not written: to be run alone.
    Alone,
}

/// Records her answer in the next batch; `None` if it is to be run alone.
pub(super) async fn answer(app: &App, token: &str, input: &AnswerInput) -> Option<Result<AnswerOutcome>> {
    let batches = &app.answer_batches;
    let (told, hear) = oneshot::channel();
    let waiting = Waiting { token: token.to_owned(), input: input.clone(), told };
    let queued = {
        let mut queue = batches.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        queue.push(waiting);
        queue.len()
    };
    app.metrics.set_answers_waiting(queued);
    let mut hearing = Hearing { hear, heard: false, app };
    loop {
        tokio::select! {
            biased;
            heard = &mut hearing.hear => {
                hearing.heard = true;
                return match heard {
                    Ok(Told::Done(outcome)) => Some(outcome),
                    // The writing task stopped without a word (it panicked):
                    // run alone, as if the batch had not been written.
                    Ok(Told::Alone) | Err(_) => None,
                };
            }
            turn = Arc::clone(&batches.turn).lock_owned() => {
                let batch = take_batch(app);
                if batch.is_empty() {
                    // Hers went in the batch before, whose outcome is on its way.
                    continue;
                }
                // Written on a task of its own, which holds the turn: should
                // this request be dropped, the others must still be told.
                let app = app.clone();
                tokio::spawn(async move {
                    write_batch(&app, batch).await;
                    drop(turn);
                });
            }
        }
    }
}

/// Where an answer hears what became of it. Dropped before (her request
/// gone while it waited), it takes her answer out of the queue: a later
/// batch would otherwise write it, perhaps over a newer one.
struct Hearing<'a> {
    hear: oneshot::Receiver<Told>,
    heard: bool,
    app: &'a App,
}

impl Drop for Hearing<'_> {
    fn drop(&mut self) {
        if self.heard {
            return;
        }
        self.hear.close();
        let mut queue = self.app.answer_batches.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        queue.retain(|waiting| !waiting.told.is_closed());
        self.app.metrics.set_answers_waiting(queue.len());
    }
}

/// The answers waiting, up to a batch's worth, oldest first.
fn take_batch(app: &App) -> Vec<Waiting> {
    let mut queue = app.answer_batches.waiting.lock().unwrap_or_else(PoisonError::into_inner);
    let taken = queue.len().min(MOST_ANSWERS);
    let batch: Vec<Waiting> = queue.drain(..taken).collect();
    app.metrics.set_answers_waiting(queue.len());
    batch
}

/// Writes a batch and tells each answer what became of it.
async fn write_batch(app: &App, batch: Vec<Waiting>) {
    if batch.len() == 1 && !app.db.writes_are_serialised() {
        // Alone on PostgreSQL, her usual path takes fewer round trips.
        for waiting in batch {
            let _ = waiting.told.send(Told::Alone);
        }
        return;
    }
    app.metrics.answer_batch(batch.len());
    let (tokens, inputs): (Vec<&str>, Vec<&AnswerInput>) = batch.iter().map(|w| (w.token.as_str(), &w.input)).unzip();
    let outcomes = match record(app, &tokens, &inputs).await {
        Ok(outcomes) => outcomes,
        Err(error) => {
            tracing::warn!(%error, answers = batch.len(), "a batch of answers could not be written; each runs alone");
            Vec::new()
        }
    };
    let mut outcomes = outcomes.into_iter();
    for waiting in batch {
        let told = outcomes.next().flatten().map_or(Told::Alone, Told::Done);
        // Her request may be gone; her answer is in all the same.
        let _ = waiting.told.send(told);
    }
}

/// An answer of the batch, once the rules have been applied to it.
#[allow(clippy::large_enum_variant, reason = "one per answer of a batch, moved once")]
enum Decided {
    /// Refused before writing (or sent back to run alone, `None`).
    Settled(Option<Result<AnswerOutcome>>),
    Written(Written),
}

/// An answer to write, with what telling her and the organiser needs.
struct Written {
    before: Guest,
    reply: Reply,
    outcome: AnswerOutcome,
    known: Known,
    /// Whether it changed her event's seat count.
    moved_seats: bool,
}

/// Records the batch in one transaction; the outcome of each answer, in
/// order (`None`: to run alone).
async fn record(app: &App, tokens: &[&str], inputs: &[&AnswerInput]) -> Result<Vec<Option<Result<AnswerOutcome>>>> {
    let mut work = app.begin().await?;
    let now = app.now();
    let hashes: Vec<Option<String>> = tokens.iter().map(|token| InvitationToken::hash_of_presented(token)).collect();
    let presented: Vec<String> = hashes.iter().flatten().cloned().collect();
    let mut found: HashMap<String, storage::invitations::Invitation> = match presented.as_slice() {
        // One invitation alone is one statement where the writer's turn
        // keeps her event's seats still; on PostgreSQL by_tokens locks them.
        [hash] if app.db.writes_are_serialised() => match storage::invitations::by_token(&*work, hash).await {
            Ok(invitation) => HashMap::from([(hash.clone(), invitation)]),
            Err(storage::StorageError::NotFound(_)) => HashMap::new(),
            Err(other) => return Err(other.into()),
        },
        several => storage::invitations::by_tokens(&*work, several).await?.into_iter().collect(),
    };
    // Events as this batch leaves them: the seats one answer takes are gone for the next.
    let mut events: HashMap<Uuid, Event> = HashMap::new();
    let mut decided = Vec::with_capacity(tokens.len());
    for (hash, input) in hashes.iter().zip(inputs) {
        let invitation = hash.as_ref().and_then(|hash| found.remove(hash));
        let Some(invitation) = invitation else {
            // An unknown token, or the same guest twice: the second runs alone.
            let seen = hash.is_some() && presented.iter().filter(|h| Some(*h) == hash.as_ref()).count() > 1;
            let missing = Err(AppError::NotFound(Missing::Invitation));
            decided.push(Decided::Settled(if seen { None } else { Some(missing) }));
            continue;
        };
        let known = Known::of(&invitation);
        let event = events.entry(invitation.event.id).or_insert(invitation.event);
        decided.push(decide(event, invitation.guest, input, known, now));
    }

    let written: Vec<&Written> =
        decided.iter().filter_map(|d| if let Decided::Written(w) = d { Some(w) } else { None }).collect();
    let answered: Vec<(&Guest, Channel)> = written.iter().map(|w| (&w.outcome.guest, Channel::Guest)).collect();
    let counts: Vec<(Uuid, u32)> = seat_counts(&written, &events);
    let changes = storage::answers::write_answers(&*work, &answered, &counts, now).await?;
    for (written, change) in written.iter().zip(changes) {
        let Written { before, reply, outcome, known, .. } = written;
        answers::record_answered(&mut work, known, &outcome.event, before, reply);
        let note = Note { waitlisted: false, channel: Channel::Guest, change, to: known.note_to.clone() };
        answers::note_for_organiser(&mut work, &outcome.event, before, reply, note, now).await?;
    }
    work.commit(app).await?;
    Ok(decided
        .into_iter()
        .map(|decided| match decided {
            Decided::Settled(outcome) => outcome,
            Decided::Written(written) => Some(Ok(written.outcome)),
        })
        .collect())
}

/// Applies the rules to one answer, against her event as the batch has
/// left it so far.
fn decide(event: &mut Event, guest: Guest, input: &AnswerInput, known: Known, now: DateTime<Utc>) -> Decided {
    let reply = match answers::check(input, Channel::Guest, &guest, event, now) {
        Ok(reply) => reply,
        Err(refused) => return Decided::Settled(Some(Err(refused))),
    };
    // A waiting list to keep in order, or a counter below her own seats
    // (to count again): her own path knows how.
    let lagging = event.details.capacity.is_some() && event.seats_taken < answers::held_by(&guest);
    if known.others_waiting != Some(false) || lagging {
        return Decided::Settled(None);
    }
    let Seating { updated, waitlisted_at, new_count, settle } =
        match answers::seating(&guest, event, &reply, false, true, now) {
            Ok(seating) => seating,
            Err(refused) => return Decided::Settled(Some(Err(refused))),
        };
    if waitlisted_at.is_some() || settle.is_some() {
        return Decided::Settled(None);
    }
    event.seats_taken = new_count.unwrap_or(event.seats_taken);
    let outcome = AnswerOutcome { event: event.clone(), guest: updated, waitlist_position: None, promoted: Vec::new() };
    Decided::Written(Written { before: guest, reply, outcome, known, moved_seats: new_count.is_some() })
}

/// The seat count of each event whose seats the batch moved, as it leaves it.
fn seat_counts(written: &[&Written], events: &HashMap<Uuid, Event>) -> Vec<(Uuid, u32)> {
    let mut moved: Vec<Uuid> = written.iter().filter(|w| w.moved_seats).map(|w| w.outcome.event.id).collect();
    moved.sort_unstable();
    moved.dedup();
    moved.into_iter().filter_map(|id| events.get(&id).map(|event| (id, event.seats_taken))).collect()
}
