//! Answering an invitation, by the guest herself or by her organiser, under
//! the deadline and the seating rules; promoting from the waiting list.
//!
//! Only answers that can move seats (a "yes", or leaving a seat or the
//! waiting list, on an event with a capacity) lock the event row; the others
//! touch only the guest's own row, so they never queue behind each other.
//! A batch of guests' answers (`answer_batch`) locks the events of all its
//! answers, whatever they are, before reading their guests.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{App, AppError, Happening, Result, Work};
use crate::domain::answer::{Answer, Channel, MAX_COMPANIONS_BY_ORGANISER, Reply};
use crate::domain::event::{Event, EventStatus};
use crate::domain::guest::Guest;
use crate::domain::mail::{AnswerNote, MailKind, OutboxSlot};
use crate::domain::question::{self, Answers};
use crate::domain::role::Action;
use crate::domain::seating::{self, Placement, SeatContext};
use crate::domain::token::InvitationToken;
use crate::storage::activity::Deed;
pub use crate::storage::invitations::Host;
use crate::storage::organisers::Notifications;
use crate::storage::outbox::Audience;
use crate::storage::{self, Missing};

/// Whose answer is being recorded, and how the guest is found.
#[derive(Debug, Clone, Copy)]
pub enum Answerer<'a> {
    /// The guest herself, by the token she presented. Bound by the event's
    /// status, deadline and companion limit.
    Guest { token: &'a str },
    /// The organiser, for one of her guests. Bound by none of them.
    Organiser { organiser_id: Uuid, event_id: Uuid, guest_id: Uuid },
    /// The guest, through her calendar's reply, read from the address it
    /// was delivered to. Bound as she is on her page.
    Calendar { event_id: Uuid, guest_id: Uuid },
}

/// An answer as a door received it, before validation.
#[derive(Debug, Clone)]
pub struct AnswerInput {
    pub answer: Answer,
    pub companions: i64,
    /// Her comment; `None` from a door that does not ask it (the dashboard's
    /// quick answer, a calendar's reply without one): hers stays as it is.
    pub comment: Option<String>,
    pub questions: QuestionAnswers,
}

/// What a door says of her answers to the event's questions.
#[derive(Debug, Clone)]
pub enum QuestionAnswers {
    /// A door that does not ask them (a calendar's reply, a registration,
    /// the dashboard's quick answer): hers stay as they are, unchecked.
    NotAsked,
    /// Left out by a door that could have sent them (an API client): hers
    /// stay, and must still satisfy the questions, required ones included
    /// (those to a question or a choice since removed are left out).
    Unchanged,
    Given(Answers),
}

/// What recording an answer did.
#[derive(Debug, Clone)]
pub struct AnswerOutcome {
    pub event: Event,
    pub guest: Guest,
    /// Her 1-based place if her "yes" is waiting for a seat.
    pub waitlist_position: Option<u32>,
    /// Guests seated from the waiting list because of this change.
    pub promoted: Vec<Uuid>,
}

/// A guest's invitation, by the token she presented.
pub async fn invitation(app: &App, token: &str) -> Result<(Guest, Event)> {
    let hash = InvitationToken::hash_of_presented(token).ok_or(AppError::NotFound(Missing::Invitation))?;
    Ok(storage::guests::find_by_token(&*app.db, &hash).await?)
}

/// A guest's invitation, by the token she presented, with the organiser
/// who invites her, as her pages and her calendar copy name her: one
/// statement.
pub async fn invitation_with_host(app: &App, token: &str) -> Result<(Guest, Event, Host)> {
    let hash = InvitationToken::hash_of_presented(token).ok_or(AppError::NotFound(Missing::Invitation))?;
    let found = storage::invitations::by_token(&*app.db, &hash).await?;
    Ok((found.guest, found.event, found.host))
}

/// Her 1-based place on the waiting list, if she is on it.
pub async fn waitlist_position(app: &App, guest: &Guest) -> Result<Option<u32>> {
    Ok(storage::guests::waitlist_position(&*app.db, guest).await?)
}

/// What the first read of an answer learnt besides her and her event,
/// so that it need not be read again; `None` where that read did not look.
#[derive(Debug, Clone, Default)]
pub(super) struct Known {
    pub note_to: NoteTo,
    /// Whether anyone else of the event is on the waiting list.
    pub others_waiting: Option<bool>,
    /// Whether a webhook endpoint listens to answers.
    pub answers_heard: Option<bool>,
}

impl Known {
    /// What her invitation's read learnt besides her and her event.
    pub(super) fn of(found: &storage::invitations::Invitation) -> Self {
        Self {
            note_to: found.note_to.clone().map_or(NoteTo::Nobody, NoteTo::Address),
            others_waiting: Some(found.others_waiting),
            answers_heard: Some(found.answers_heard),
        }
    }
}

/// Where a note to the organiser about an answer goes.
#[derive(Debug, Clone, Default)]
pub(super) enum NoteTo {
    /// Not read yet: read it from her settings.
    #[default]
    Unknown,
    /// Nowhere: she wants no note for each answer.
    Nobody,
    Address(String),
}

async fn find(work: &Work, answerer: Answerer<'_>, now: DateTime<Utc>) -> Result<(Channel, Guest, Event, Known)> {
    match answerer {
        Answerer::Guest { token } => {
            // The hot path: one statement reads all an answer needs.
            let hash = InvitationToken::hash_of_presented(token).ok_or(AppError::NotFound(Missing::Invitation))?;
            let found = storage::invitations::by_token(&**work, &hash).await?;
            let known = Known::of(&found);
            Ok((Channel::Guest, found.guest, found.event, known))
        }
        Answerer::Organiser { organiser_id, event_id, guest_id } => {
            let (guest, event) =
                super::access::guest(&**work, now, organiser_id, (event_id, guest_id), Action::Manage).await?;
            Ok((Channel::Organiser, guest, event, Known::default()))
        }
        Answerer::Calendar { event_id, guest_id } => {
            let event = storage::events::find_by_id(&**work, event_id).await?;
            let guest = storage::guests::find_in_event(&**work, event_id, guest_id).await?;
            Ok((Channel::Calendar, guest, event, Known::default()))
        }
    }
}

/// An answer set by an organiser goes into the event's audit history, with her name.
async fn record_by_hand(work: &Work, answerer: Answerer<'_>, guest: &Guest, now: DateTime<Utc>) -> Result<()> {
    if let Answerer::Organiser { organiser_id, .. } = answerer {
        let about = (Some(guest.id), guest.email.as_str());
        super::team::record(work, guest.event_id, organiser_id, Deed::AnswerSet, about, now).await?;
    }
    Ok(())
}

fn may_answer(channel: Channel, event: &Event, now: DateTime<Utc>) -> Result<()> {
    if channel.is_the_guest() {
        event
            .guest_may_answer(now)
            .map_err(|closed| AppError::AnswersClosed { closed, time_zone: event.details.schedule.time_zone })?;
    } else if event.status == EventStatus::Cancelled {
        // A cancelled event is read-only, for the organiser too.
        return Err(AppError::EventCancelled);
    }
    Ok(())
}

/// Her reply checked, with her answers to the questions: all the problems
/// with both at once.
fn reply_of(
    input: &AnswerInput,
    channel: Channel,
    guest: &Guest,
    event: &Event,
    companion_limit: u32,
) -> Result<Reply> {
    let kept_comment = guest.reply.as_ref().map(|r| r.comment.as_str()).unwrap_or_default();
    let comment = input.comment.as_deref().unwrap_or(kept_comment);
    let parsed = Reply::parse(input.answer, input.companions, comment, companion_limit);
    let kept = guest.reply.as_ref().map(|r| r.questions.clone()).unwrap_or_default();
    // The organiser types what she knows: no question binds her.
    let required = channel == Channel::Guest && question::required_binds(input.answer);
    let questions = match &input.questions {
        QuestionAnswers::Given(given) => question::check_answers(&event.details.questions, given, required),
        QuestionAnswers::Unchanged => {
            let questions = &event.details.questions;
            question::check_answers(questions, &question::still_asked(questions, &kept), required)
        }
        QuestionAnswers::NotAsked => Ok(kept),
    };
    match (parsed, questions) {
        (Ok(reply), Ok(questions)) => Ok(Reply { questions, ..reply }),
        (Err(mut errors), Err(more)) => {
            errors.extend(more);
            Err(AppError::Invalid(errors))
        }
        (Err(errors), _) | (_, Err(errors)) => Err(AppError::Invalid(errors)),
    }
}

/// Records an answer in one transaction, with what follows from it: seats,
/// the waiting list, the emails it causes and the organiser's note.
///
/// A guest's own answers arriving together are written together
/// (`answer_batch`). On SQLite the others commit together (group commit):
/// should another answer of the group fail after writing, the group is
/// undone and this one runs again alone.
pub async fn answer(app: &App, answerer: Answerer<'_>, input: &AnswerInput) -> Result<AnswerOutcome> {
    if let Answerer::Guest { token } = answerer
        && let Some(outcome) = super::answer_batch::answer(app, token, input).await
    {
        return outcome;
    }
    match answer_in(app, app.begin_grouped().await?, answerer, input).await {
        Err(err) if err.is_group_undone() => answer_in(app, app.begin().await?, answerer, input).await,
        outcome => outcome,
    }
}

/// Finds her and her event, and checks her reply against them: whatever
/// refuses an answer before anything is written.
async fn checked(
    work: &Work,
    answerer: Answerer<'_>,
    input: &AnswerInput,
    now: DateTime<Utc>,
) -> Result<(Channel, Guest, Event, Known, Reply)> {
    let (channel, guest, event, known) = find(work, answerer, now).await?;
    let reply = check(input, channel, &guest, &event, now)?;
    Ok((channel, guest, event, known, reply))
}

/// Her reply, checked against her and her event as read: the companion
/// limit, the questions, the deadline and the event's status.
pub(super) fn check(
    input: &AnswerInput,
    channel: Channel,
    guest: &Guest,
    event: &Event,
    now: DateTime<Utc>,
) -> Result<Reply> {
    let companion_limit =
        if channel.is_the_guest() { event.details.companions_allowed } else { MAX_COMPANIONS_BY_ORGANISER as u32 };
    let mut reply = reply_of(input, channel, guest, event, companion_limit)?;
    // Her page keeps her comment in the box: sent back unchanged with
    // another answer, it was written for the old one ("Avec plaisir, je
    // viens" on a decline), so the change starts without it.
    if let Some(before) = &guest.reply
        && input.comment.is_some()
        && before.answer != reply.answer
        && before.comment == reply.comment
    {
        reply.comment.clear();
    }
    may_answer(channel, event, now)?;
    Ok(reply)
}

async fn answer_in(app: &App, mut work: Work, answerer: Answerer<'_>, input: &AnswerInput) -> Result<AnswerOutcome> {
    let now = app.now();
    let (channel, mut guest, mut event, mut known, reply) = match checked(&work, answerer, input, now).await {
        Ok(checked) => checked,
        // Refused before writing anything: her group commits without her.
        Err(refused) => {
            work.rollback().await?;
            return Err(refused);
        }
    };

    let mut moves_seats =
        event.details.capacity.is_some() && (reply.answer == Answer::Yes || guest.is_seated() || guest.is_waiting());
    // On SQLite the transaction took the database's write lock before
    // reading her and her event: both are current, and nothing can change
    // them until it ends. Elsewhere they are read again under the event's lock.
    let mut read_under_lock = app.db.writes_are_serialised();
    if !moves_seats && reply.answer == Answer::Yes && !read_under_lock {
        // A "yes" on an event without a capacity: make sure none is being set
        // right now, or the recount that comes with it would miss this seat.
        event = storage::events::lock_shared(&*work, event.id).await?;
        moves_seats = event.details.capacity.is_some();
    }
    if !moves_seats {
        // Her answer held no seat when we read it. Write the new one only if
        // that is still so: a concurrent "yes" may have seated her since, and
        // then this change moves seats after all. (Read under the write
        // lock, it is still so.)
        let updated =
            Guest { reply: Some(reply.clone()), answered_at: Some(now), waitlisted_at: None, ..guest.clone() };
        let change = if read_under_lock {
            Some(storage::answers::write_answer(&*work, &updated, channel, None, now).await?)
        } else {
            storage::answers::write_reply_and_log_if_seatless(&*work, event.id, guest.id, &reply, channel, now).await?
        };
        if let Some(change) = change {
            record_by_hand(&work, answerer, &guest, now).await?;
            record_answered(&mut work, &known, &event, &guest, &reply);
            let note = Note { waitlisted: false, channel, change, to: known.note_to };
            note_for_organiser(&mut work, &event, &guest, &reply, note, now).await?;
            work.commit(app).await?;
            return Ok(AnswerOutcome { event, guest: updated, waitlist_position: None, promoted: Vec::new() });
        }
        // Start over in a new transaction: on PostgreSQL, an UPDATE whose
        // row changed under it keeps that row locked even when it no longer
        // matches, and holding a guest's row while waiting for the event's
        // lock deadlocks with a change that holds the event and promotes her.
        work.rollback().await?;
        work = app.begin().await?;
        read_under_lock = false;
    }

    if !read_under_lock {
        // Serialise seat changes for this event, then re-read the guest: a
        // concurrent change of her own answer may have committed meanwhile.
        event = storage::events::lock(&*work, event.id).await?;
        // Read again under the lock: the event may have closed or been cancelled since.
        may_answer(channel, &event, now)?;
        // With whether anyone else waits: the waiting list may have changed
        // before the lock was taken, and only changes under it.
        let (current, others_waiting) =
            storage::guests::find_in_event_with_others_waiting(&*work, event.id, guest.id).await?;
        guest = current;
        known.others_waiting = Some(others_waiting);
    }
    let outcome = seat_and_write(&mut work, answerer, channel, guest, event, reply, &known, now).await?;
    work.commit(app).await?;
    Ok(outcome)
}

/// An answer the organiser's import gives one of the guests it just added,
/// in the import's transaction, which holds `event`'s lock: recorded as
/// any answer she sets by hand, in the history with her name.
pub(crate) async fn record_imported(
    work: &mut Work,
    organiser_id: Uuid,
    event: Event,
    guest: Guest,
    input: &AnswerInput,
    now: DateTime<Utc>,
) -> Result<AnswerOutcome> {
    let answerer = Answerer::Organiser { organiser_id, event_id: event.id, guest_id: guest.id };
    let reply = reply_of(input, Channel::Organiser, &guest, &event, MAX_COMPANIONS_BY_ORGANISER as u32)?;
    may_answer(Channel::Organiser, &event, now)?;
    seat_and_write(work, answerer, Channel::Organiser, guest, event, reply, &Known::default(), now).await
}

/// Seats her (or puts her on the waiting list), writes her reply with its
/// history, and seats whoever her change makes room for. Runs in a unit of
/// work holding the event's lock, with `guest`, `event` and `known` read
/// under it.
#[allow(clippy::too_many_arguments)]
async fn seat_and_write(
    work: &mut Work,
    answerer: Answerer<'_>,
    channel: Channel,
    guest: Guest,
    mut event: Event,
    reply: Reply,
    known: &Known,
    now: DateTime<Utc>,
) -> Result<AnswerOutcome> {
    // Nobody else waits: no one can be ahead of her, nor be promoted.
    let nobody_else_waits = known.others_waiting == Some(false);
    let held_before = held_by(&guest);
    // The counter is kept only while there is a capacity; without one it
    // may lag (and is not used). With one it should never be below her own
    // seats: should it be, count again rather than go wrong.
    if event.details.capacity.is_some() && event.seats_taken < held_before {
        tracing::warn!(event = %event.id, counter = event.seats_taken, "the seat counter lagged; counting again");
        event.seats_taken = storage::guests::recount_seats(&**work, event.id).await?;
    }

    let someone_waiting_ahead = reply.answer == Answer::Yes
        && !nobody_else_waits
        && storage::answers::someone_waiting_ahead(&**work, &guest).await?;
    let Seating { updated, waitlisted_at, new_count, settle } =
        seating(&guest, &event, &reply, someone_waiting_ahead, nobody_else_waits, now)?;
    let waitlisted = waitlisted_at.is_some();
    let change = storage::answers::write_answer(&**work, &updated, channel, new_count, now).await?;
    event.seats_taken = new_count.unwrap_or(event.seats_taken);
    record_by_hand(work, answerer, &guest, now).await?;
    let note = Note { waitlisted, channel, change, to: known.note_to.clone() };
    note_for_organiser(work, &event, &guest, &reply, note, now).await?;
    record_answered(work, known, &event, &guest, &reply);
    if let Some(since) = waitlisted_at.filter(|_| !guest.is_waiting() && event.status == EventStatus::Published) {
        let slot = OutboxSlot::Moment(since);
        let only = Audience::Only(vec![guest.id]);
        let queued =
            storage::outbox::enqueue_for_guests(&**work, &event, MailKind::Waitlisted, &slot, only, now, now).await?;
        work.queued(queued);
    }

    let mut promoted = Vec::new();
    if let Some(seats_taken) = settle {
        let settled = settle_seats(work, &event, seats_taken, now).await?;
        promoted = settled.promoted;
        event.seats_taken = settled.seats_taken;
    }
    let waitlist_position = storage::guests::waitlist_position(&**work, &updated).await?;
    Ok(AnswerOutcome { event, guest: updated, waitlist_position, promoted })
}

/// Where her reply puts her, and what it does to her event's seats.
pub(super) struct Seating {
    /// She, with her reply written in.
    pub updated: Guest,
    /// Since when her "yes" waits for a seat, if it does.
    pub waitlisted_at: Option<DateTime<Utc>>,
    /// The event's seat count to store with her reply, when it changes and
    /// nobody is to be let in from the waiting list.
    pub new_count: Option<u32>,
    /// The seat count before promotions, when her change may let someone
    /// in from the waiting list (the seats are then settled).
    pub settle: Option<u32>,
}

/// Decides where her reply puts her, from her and her event as read under
/// the event's lock (SQLite's write lock), with her seats counted in the
/// event's counter: seated, waiting, or refused for want of seats.
pub(super) fn seating(
    guest: &Guest,
    event: &Event,
    reply: &Reply,
    someone_waiting_ahead: bool,
    nobody_else_waits: bool,
    now: DateTime<Utc>,
) -> Result<Seating> {
    let held_before = held_by(guest);
    let placement = if reply.answer == Answer::Yes {
        let context = SeatContext {
            capacity: event.details.capacity,
            taken_by_others: event.seats_taken.saturating_sub(held_before),
            currently_seated: guest.is_seated(),
            someone_waiting_ahead,
        };
        context.place(reply.party_size()).map_err(|short| AppError::NotEnoughSeats { seats_left: short.seats_left })?
    } else {
        Placement::Seated
    };
    let waitlisted_at = match (reply.answer, placement) {
        // A guest already waiting keeps her place in the queue.
        (Answer::Yes, Placement::Waitlisted) => Some(guest.waitlisted_at.unwrap_or(now)),
        _ => None,
    };
    let updated = Guest { reply: Some(reply.clone()), answered_at: Some(now), waitlisted_at, ..guest.clone() };

    // The counter is kept while there is a capacity (and recounted when one is set).
    let mut settle = None;
    let mut new_count = None;
    if event.details.capacity.is_some() {
        let held_after = if updated.is_seated() { reply.party_size() } else { 0 };
        let seats_taken = event.seats_taken.saturating_sub(held_before) + held_after;
        // Only freed seats, or a place freed at the head of the queue, can
        // let someone in from the waiting list.
        let room_made = held_after < held_before || (guest.is_waiting() && !updated.is_waiting());
        if room_made && !nobody_else_waits {
            settle = Some(seats_taken);
        } else if seats_taken != event.seats_taken {
            new_count = Some(seats_taken);
        }
    }
    Ok(Seating { updated, waitlisted_at, new_count, settle })
}

/// The seats her stored answer holds.
pub(super) fn held_by(guest: &Guest) -> u32 {
    if guest.is_seated() { party_of(guest) } else { 0 }
}

/// Records that she answered; as unheard when her first read found no
/// webhook endpoint listening, so that nothing is queued for nobody. (On
/// PostgreSQL an endpoint added while this transaction runs misses this
/// answer, as it would had she answered a moment earlier.)
pub(super) fn record_answered(work: &mut Work, known: &Known, event: &Event, before: &Guest, reply: &Reply) {
    let answered = Happening::Answered {
        event: event.id,
        guest: before.id,
        before: before.reply.as_ref().map(|r| r.answer),
        after: reply.answer,
    };
    if known.answers_heard == Some(false) {
        work.happened_unheard(answered);
    } else {
        work.happened(answered);
    }
}

fn party_of(guest: &Guest) -> u32 {
    guest.reply.as_ref().map_or(0, Reply::party_size)
}

/// The guests of the waiting list (in its order) that `seats_taken` leaves
/// room for: those promoted when the seats are settled.
pub(crate) fn promotable(event: &Event, seats_taken: u32, waiting: &[Guest]) -> Vec<Uuid> {
    let parties: Vec<(Uuid, u32)> = waiting.iter().map(|g| (g.id, party_of(g).max(1))).collect();
    seating::promotions(event.details.capacity, seats_taken, &parties)
}

/// What settling the seats did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Settled {
    /// Guests seated from the waiting list, in order.
    pub promoted: Vec<Uuid>,
    /// The event's seat count afterwards.
    pub seats_taken: u32,
}

/// Seats waiting parties, first come first served, while the head of the
/// list fits, stores the event's resulting seat count and tells those
/// promoted. `seats_taken` is the count before promotions. Must run in a
/// unit of work holding the event's lock (`storage::events::lock`).
pub(crate) async fn settle_seats(
    work: &mut Work,
    event: &Event,
    seats_taken: u32,
    now: DateTime<Utc>,
) -> Result<Settled> {
    let waiting = storage::answers::waiting_list(&**work, event.id).await?;
    let promoted = promotable(event, seats_taken, &waiting);
    let mut seats_taken = seats_taken;
    for guest in waiting.iter().filter(|g| promoted.contains(&g.id)) {
        storage::answers::seat(&**work, guest.id, now).await?;
        if let Some(reply) = &guest.reply {
            seats_taken += reply.party_size();
            let change =
                storage::answers::log_change(&**work, event.id, guest.id, reply, false, Channel::WaitingList, now)
                    .await?;
            if event.status == EventStatus::Published {
                let note = AnswerNote {
                    guest_name: guest.name.clone(),
                    guest_email: guest.email.to_string(),
                    answer: reply.answer.as_str().to_owned(),
                    previous_answer: None,
                    companions: reply.companions,
                    comment: String::new(),
                    waitlisted: false,
                    promoted: true,
                    from_calendar: false,
                };
                queue_note(work, event, &note, change, NoteTo::Unknown, now).await?;
            }
        }
    }
    storage::answers::store_seats_taken(&**work, event, seats_taken).await?;
    if !promoted.is_empty() {
        work.happened(Happening::Promoted { event: event.id, guests: promoted.clone() });
        if event.status == EventStatus::Published {
            let slot = OutboxSlot::Moment(now);
            let only = Audience::Only(promoted.clone());
            let queued =
                storage::outbox::enqueue_for_guests(&**work, event, MailKind::Promoted, &slot, only, now, now).await?;
            work.queued(queued);
        }
    }
    Ok(Settled { promoted, seats_taken })
}

/// What a note to the organiser about one answer needs besides the answer.
pub(super) struct Note {
    pub waitlisted: bool,
    pub channel: Channel,
    /// The answer history's entry the note is about.
    pub change: Uuid,
    pub to: NoteTo,
}

/// Tells the organiser about a guest's own answer that carries a comment or
/// changes her mind, if she wants a note for each (a digest collects the
/// rest later from the history).
pub(super) async fn note_for_organiser(
    work: &mut Work,
    event: &Event,
    before: &Guest,
    reply: &Reply,
    Note { waitlisted, channel, change, to }: Note,
    now: DateTime<Utc>,
) -> Result<()> {
    let previous = before.reply.as_ref().map(|r| r.answer);
    let changed_mind = previous.is_some_and(|p| p != reply.answer);
    let new_comment = !reply.comment.is_empty() && before.reply.as_ref().is_none_or(|r| r.comment != reply.comment);
    if !channel.is_the_guest() || !(changed_mind || new_comment || channel == Channel::Calendar) {
        return Ok(());
    }
    let note = AnswerNote {
        guest_name: before.name.clone(),
        guest_email: before.email.to_string(),
        answer: reply.answer.as_str().to_owned(),
        previous_answer: previous.map(|a| a.as_str().to_owned()),
        companions: reply.companions,
        comment: reply.comment.clone(),
        waitlisted,
        promoted: false,
        from_calendar: channel == Channel::Calendar,
    };
    queue_note(work, event, &note, change, to, now).await
}

/// Queues a note to the organiser about one change, if she wants a note
/// for each: to `to` when that is already known, else read.
async fn queue_note(
    work: &mut Work,
    event: &Event,
    note: &AnswerNote,
    change: Uuid,
    to: NoteTo,
    now: DateTime<Utc>,
) -> Result<()> {
    let to = match to {
        NoteTo::Address(address) => Some(address),
        NoteTo::Nobody => None,
        NoteTo::Unknown => storage::organisers::find_many(&**work, [event.organiser_id])
            .await?
            .pop()
            .filter(|organiser| organiser.notifications == Notifications::Each)
            .map(|organiser| organiser.email.to_string()),
    };
    let Some(recipient) = to else {
        return Ok(());
    };
    let payload = serde_json::to_value(note).map_err(anyhow::Error::from)?;
    let queued = storage::outbox::enqueue_for_organiser(
        &**work,
        event,
        MailKind::OrganiserNote,
        &OutboxSlot::AnswerChange(change),
        &recipient,
        &payload,
        now,
        now,
    )
    .await?;
    work.queued(queued);
    Ok(())
}

/// Every answer change of the organiser's event, oldest first.
pub async fn history(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<Vec<storage::answers::AnswerChange>> {
    let (event, _) = super::access::event(app, organiser_id, event_id, Action::Manage).await?;
    Ok(storage::answers::history(&app.db, event.id).await?)
}
