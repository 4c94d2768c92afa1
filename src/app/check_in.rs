//! Check-in at the door: tapping guests in (and out again), and walk-ins,
//! who become guests of the event with no invitation sent (they are here).

use std::collections::BinaryHeap;

use uuid::Uuid;

use super::{App, AppError, Happening, Result};
use crate::domain::FieldErrors;
use crate::domain::answer::{Answer, MAX_COMPANIONS_BY_ORGANISER};
use crate::domain::community::JoinedHow;
use crate::domain::event::{Event, EventStatus};
use crate::domain::guest::{Guest, ListPosition, NewGuest};
use crate::domain::problem::{Problem, code};
use crate::domain::role::{Action, Role};
use crate::domain::text::folded;
use crate::storage::activity::Deed;
use crate::storage::check_in::Arrival;
use crate::storage::{self};

/// Guests read per query while the door's list is drawn up.
const DOOR_CHUNK_ROWS: u64 = 1000;

/// The door's list: the event's guests whose name or address holds
/// `search` (any case, any accent), those expected first (a "yes"), then by
/// name; the first `shown` of them, and how many more match. Reads the
/// list a chunk at a time, so its memory is the same for 30 guests or
/// 100,000.
pub async fn door_list(app: &App, event: &Event, search: &str, shown: usize) -> Result<(Vec<Guest>, usize)> {
    let needle = folded(search.trim());
    // The best `shown` so far, worst on top, so that each better one
    // replaces it.
    let mut best: BinaryHeap<DoorOrder> = BinaryHeap::with_capacity(shown + 1);
    let mut matching = 0;
    let mut after = None;
    loop {
        let chunk = storage::guests::after(&app.db, event.id, after, DOOR_CHUNK_ROWS).await?;
        let full = chunk.len() as u64 == DOOR_CHUNK_ROWS;
        after = chunk.last().map(|(guest, _)| ListPosition::after(guest));
        for (guest, _) in chunk {
            let name = folded(&guest.name);
            if !needle.is_empty() && !name.contains(&needle) && !guest.email.as_str().contains(&needle) {
                continue;
            }
            matching += 1;
            best.push(DoorOrder {
                expected: guest.reply.as_ref().is_some_and(|r| r.answer == Answer::Yes),
                name,
                guest,
            });
            if best.len() > shown {
                best.pop();
            }
        }
        if !full {
            break;
        }
    }
    let not_shown = matching - best.len();
    Ok((best.into_sorted_vec().into_iter().map(|entry| entry.guest).collect(), not_shown))
}

/// A guest's place in the door's list.
struct DoorOrder {
    expected: bool,
    name: String,
    guest: Guest,
}

impl DoorOrder {
    fn key(&self) -> (bool, &str, Uuid) {
        (!self.expected, &self.name, self.guest.id)
    }
}

impl PartialEq for DoorOrder {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for DoorOrder {}

impl PartialOrd for DoorOrder {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DoorOrder {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

/// Companions who came in with a guest, as a door received them: `None`
/// means those she announced (none for a walk-in).
fn companions(raw: Option<i64>) -> Result<Option<u32>, FieldErrors> {
    match raw {
        None => Ok(None),
        Some(n) if (0..=MAX_COMPANIONS_BY_ORGANISER).contains(&n) => Ok(Some(n as u32)),
        Some(_) => {
            let message = format!("must be between 0 and {MAX_COMPANIONS_BY_ORGANISER}");
            let problem = Problem::new(code::COMPANIONS_RANGE, message).with("max", MAX_COMPANIONS_BY_ORGANISER);
            Err(FieldErrors::from([("companions".to_owned(), problem)]))
        }
    }
}

/// Her event's door (the check-in page, the printable list), if her role
/// lets her keep it: for a door helper, on the day only.
pub async fn door_event(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<(Event, Role)> {
    super::access::event(app, organiser_id, event_id, Action::CheckIn).await
}

/// The list to print for the door: those expected (a seated "yes"), by
/// name, and the waiting list in its order.
pub struct DoorSheet {
    pub expected: Vec<Guest>,
    pub waiting: Vec<Guest>,
}

/// The door's printed list of an event already reached through [`door_event`].
pub async fn door_sheet(app: &App, event: &Event) -> Result<DoorSheet> {
    let guests = storage::guests::list(&app.db, event.id).await?;
    let mut expected: Vec<Guest> = Vec::new();
    let mut waiting: Vec<(u32, Guest)> = Vec::new();
    for (guest, position) in guests {
        if guest.is_seated() {
            expected.push(guest);
        } else if let Some(position) = position {
            waiting.push((position, guest));
        }
    }
    expected.sort_by_cached_key(|g| (folded(if g.name.is_empty() { g.email.as_str() } else { &g.name }), g.id));
    waiting.sort_by_key(|(position, _)| *position);
    Ok(DoorSheet { expected, waiting: waiting.into_iter().map(|(_, g)| g).collect() })
}

/// Checks a guest in, keeping the time of her first check-in; `companions`
/// defaults to those she announced with a "yes".
pub async fn check_in(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    guest_id: Uuid,
    companions: Option<i64>,
) -> Result<Guest> {
    let companions = self::companions(companions).map_err(AppError::Invalid)?;
    let (event, _) = super::access::event(app, organiser_id, event_id, Action::CheckIn).await?;
    // Only a guest of this event: the id alone could be another's.
    let guest = storage::guests::find_in_event(&*app.db, event.id, guest_id).await?;
    let companions = companions
        .unwrap_or_else(|| guest.reply.as_ref().filter(|r| r.answer == Answer::Yes).map_or(0, |r| r.companions));
    let mut work = app.begin().await?;
    storage::check_in::mark_arrived(&*work, event.id, Arrival::ById(guest.id), companions, app.now()).await?;
    let guest = storage::guests::find_in_event(&*work, event.id, guest.id).await?;
    super::team::record(
        &work,
        event.id,
        organiser_id,
        Deed::CheckedIn,
        (Some(guest.id), guest.email.as_str()),
        app.now(),
    )
    .await?;
    work.happened(Happening::CheckedIn { event: event.id, guest: guest.id });
    work.commit(app).await?;
    Ok(guest)
}

/// Undoes a check-in (a wrong tap).
pub async fn undo(app: &App, organiser_id: Uuid, event_id: Uuid, guest_id: Uuid) -> Result<Guest> {
    let (event, _) = super::access::event(app, organiser_id, event_id, Action::CheckIn).await?;
    let mut work = app.begin().await?;
    storage::check_in::clear(&*work, event.id, guest_id).await?;
    let guest = storage::guests::find_in_event(&*work, event.id, guest_id).await?;
    let about = (Some(guest.id), guest.email.as_str());
    super::team::record(&work, event.id, organiser_id, Deed::CheckInUndone, about, app.now()).await?;
    work.happened(Happening::CheckInUndone { event: event.id, guest: guest.id });
    work.commit(app).await?;
    Ok(guest)
}

/// Someone at the door who was not on the list, as a door received her.
#[derive(Debug, Clone, Default)]
pub struct WalkInInput {
    pub name: String,
    pub email: String,
    pub companions: Option<i64>,
    pub language: Option<String>,
}

/// Whether a walk-in was added, or turned out to be invited after all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkIn {
    Added,
    AlreadyInvited,
}

/// Adds a walk-in to the event and checks her in at once, with no invitation
/// sent. If her address was invited after all, that guest is checked in.
pub async fn walk_in(app: &App, organiser_id: Uuid, event_id: Uuid, input: &WalkInInput) -> Result<(Guest, WalkIn)> {
    let parsed = NewGuest::parse(&input.email, Some(input.name.trim()), input.language.as_deref());
    let companions = self::companions(input.companions);
    let mut errors = FieldErrors::new();
    if input.name.trim().is_empty() {
        errors.insert("name".to_owned(), Problem::new(code::REQUIRED, "is required for a walk-in"));
    }
    let person = match parsed {
        Ok(person) => Some(person),
        Err(fields) => {
            errors.extend(fields);
            None
        }
    };
    if let Err(fields) = &companions {
        errors.extend(fields.clone());
    }
    let (Some(person), Ok(companions), true) = (person, companions, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let now = app.now();
    let mut work = app.begin().await?;
    let event = super::access::lock_event(&*work, now, organiser_id, event_id, Action::CheckIn).await?;
    // A cancelled event is read-only: nobody joins its list at the door.
    if event.status == EventStatus::Cancelled {
        return Err(AppError::EventCancelled);
    }
    let added = storage::guests::insert_unless_invited(&*work, event.id, &person, &app.link_key, now).await?;
    let arrival = Arrival::ByAddress(&person.email);
    storage::check_in::mark_arrived(&*work, event.id, arrival, companions.unwrap_or(0), now).await?;
    let outcome = if added.is_some() {
        storage::check_in::mark_walk_in(&*work, event.id, &person.email).await?;
        // Met at the door: invited to the series' next date.
        super::community::join_from_date(&work, &event, &person, JoinedHow::WalkIn, now).await?;
        WalkIn::Added
    } else {
        WalkIn::AlreadyInvited
    };
    let guest = storage::guests::find_by_address(&*work, event.id, &person.email).await?;
    let deed = if outcome == WalkIn::Added { Deed::WalkIn } else { Deed::CheckedIn };
    super::team::record(&work, event.id, organiser_id, deed, (Some(guest.id), guest.email.as_str()), now).await?;
    work.happened(match outcome {
        WalkIn::Added => Happening::WalkIn { event: event.id, guest: guest.id },
        WalkIn::AlreadyInvited => Happening::CheckedIn { event: event.id, guest: guest.id },
    });
    work.commit(app).await?;
    Ok((guest, outcome))
}
