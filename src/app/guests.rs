//! Inviting guests, one or many, and removing them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{App, AppError, Happening, Result, Work};
use crate::domain::FieldErrors;
use crate::domain::answer::Reply;
use crate::domain::event::{Event, EventStatus, Language};
use crate::domain::guest::{AnswerFilter, Guest, ListPosition, NewGuest};
use crate::domain::mail::{MailKind, OutboxSlot};
use crate::domain::role::Action;
use crate::domain::token::InvitationToken;
use crate::storage::activity::Deed;
use crate::storage::entities::outbox as outbox_rows;
use crate::storage::outbox::Audience;
use crate::storage::{self};

/// Most rows accepted in one bulk request; larger lists go in several.
pub const MAX_BULK_GUESTS: usize = 1000;

/// The organiser's event; someone else's is reported as not found.
pub async fn owned_event(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<Event> {
    Ok(super::access::event(app, organiser_id, event_id, Action::Manage).await?.0)
}

/// Invites one guest; a guest of a published event gets her invitation at
/// once. The token is returned in clear here and nowhere else.
pub async fn invite(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    guest: &NewGuest,
) -> Result<(Guest, InvitationToken)> {
    let mut added = invite_many(app, organiser_id, event_id, std::slice::from_ref(guest)).await?;
    added.pop().flatten().ok_or_else(|| AppError::AlreadyInvited { email: guest.email.to_string() })
}

/// What became of one row of a list of guests to invite.
#[derive(Debug)]
pub enum RowOutcome {
    /// Boxed: a guest is large beside the other outcomes.
    Added(Box<Guest>, InvitationToken),
    /// Already invited, or listed earlier in the same batch.
    Duplicate,
    Invalid(FieldErrors),
}

/// Invites every valid row, in one transaction, and says what became of each.
/// The list must hold between 1 and [`MAX_BULK_GUESTS`] rows.
pub async fn invite_rows(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    rows: Vec<Result<NewGuest, FieldErrors>>,
) -> Result<Vec<RowOutcome>> {
    if rows.is_empty() || rows.len() > MAX_BULK_GUESTS {
        return Err(AppError::field("guests", format!("must hold between 1 and {MAX_BULK_GUESTS} guests")));
    }
    let valid: Vec<NewGuest> = rows.iter().filter_map(|row| row.as_ref().ok().cloned()).collect();
    let mut added = invite_many(app, organiser_id, event_id, &valid).await?.into_iter();
    Ok(rows
        .into_iter()
        .map(|row| match row {
            Err(errors) => RowOutcome::Invalid(errors),
            Ok(_) => match added.next().flatten() {
                Some((guest, token)) => RowOutcome::Added(Box::new(guest), token),
                None => RowOutcome::Duplicate,
            },
        })
        .collect())
}

/// Invites many guests in one transaction; `None` marks an address that was
/// already invited (or appeared earlier in the same batch). Invitations of a
/// published event are queued with them.
pub async fn invite_many(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    new_guests: &[NewGuest],
) -> Result<Vec<Option<(Guest, InvitationToken)>>> {
    let now = app.now();
    let mut work = app.begin().await?;
    // Read the status under the event's lock: a publish committing meanwhile
    // either sees these guests or is seen here, so nobody is left uninvited.
    let event = super::access::lock_event(&*work, app.now(), organiser_id, event_id, Action::Manage).await?;
    let added = insert_guests(&mut work, &event, new_guests, app, now).await?;
    work.commit(app).await?;
    Ok(added)
}

/// Inserts guests under the event's lock and queues their invitations if
/// the event is published.
pub(crate) async fn insert_guests(
    work: &mut Work,
    event: &Event,
    new_guests: &[NewGuest],
    app: &App,
    now: DateTime<Utc>,
) -> Result<Vec<Option<(Guest, InvitationToken)>>> {
    // A cancelled event is read-only: nobody joins its list any more.
    if event.status == EventStatus::Cancelled {
        return Err(AppError::EventCancelled);
    }
    let results =
        storage::guests::insert_many_unless_invited(&**work, event.id, new_guests, &app.link_key, now).await?;
    let ids: Vec<Uuid> = results.iter().flatten().map(|(g, _)| g.id).collect();
    if !ids.is_empty() {
        work.happened(Happening::GuestsInvited { event: event.id, count: ids.len() });
        if event.status == EventStatus::Published {
            let queued = storage::outbox::enqueue_for_guests(
                &**work,
                event,
                MailKind::Invitation,
                &OutboxSlot::Once,
                Audience::Only(ids),
                now,
                now,
            )
            .await?;
            work.queued(queued);
        }
    }
    Ok(results)
}

/// Removes a guest, then seats whoever her departure makes room for (and
/// tells them at once). The list of a cancelled event stays as it was.
pub async fn remove(app: &App, organiser_id: Uuid, event_id: Uuid, guest_id: Uuid) -> Result<Guest> {
    let now = app.now();
    let mut work = app.begin().await?;
    let event = super::access::lock_event(&*work, app.now(), organiser_id, event_id, Action::Manage).await?;
    if event.status == EventStatus::Cancelled {
        return Err(AppError::EventCancelled);
    }
    let guest = storage::guests::find_in_event(&*work, event.id, guest_id).await?;
    storage::guests::delete(&*work, event.id, guest.id).await?;
    if let Some(held) = seats_held(&event, &guest) {
        super::answers::settle_seats(&mut work, &event, event.seats_taken.saturating_sub(held), now).await?;
    }
    let about = (Some(guest.id), guest.email.as_str());
    super::team::record(&work, event.id, organiser_id, Deed::GuestRemoved, about, now).await?;
    work.happened(Happening::GuestRemoved { event: event.id, guest: guest.id });
    work.commit(app).await?;
    Ok(guest)
}

/// The seats a guest holds, when her leaving settles the seats again: the
/// seat counter is kept only while the event has a capacity.
fn seats_held(event: &Event, guest: &Guest) -> Option<u32> {
    (event.details.capacity.is_some() && (guest.is_seated() || guest.is_waiting()))
        .then(|| if guest.is_seated() { guest.reply.as_ref().map_or(0, Reply::party_size) } else { 0 })
}

/// Who would get a seat from the waiting list if this guest were removed,
/// in the list's order: to say so before she confirms.
pub async fn promoted_if_removed(app: &App, event: &Event, guest: &Guest) -> Result<Vec<Guest>> {
    let Some(held) = seats_held(event, guest).filter(|held| *held > 0) else { return Ok(Vec::new()) };
    let waiting = storage::answers::waiting_list(&*app.db, event.id).await?;
    let promoted = super::answers::promotable(event, event.seats_taken.saturating_sub(held), &waiting);
    Ok(waiting.into_iter().filter(|g| promoted.contains(&g.id)).collect())
}

/// A guest's personal invitation link, rebuilt as her emails carry it:
/// her token is derived from the instance key and her salt, never stored.
pub fn invitation_link(app: &App, guest: &Guest) -> String {
    app.links().invitation(guest.invitation_token(&app.link_key).as_str())
}

/// One guest of an event already found (hers): to name her before acting.
pub async fn one(app: &App, event: &Event, guest_id: Uuid) -> Result<Guest> {
    Ok(storage::guests::find_in_event(&*app.db, event.id, guest_id).await?)
}

/// Sends a guest her invitation again (a lost email, a corrected address).
/// Only a published event sends invitations; each resend is an email of
/// its own, however many came before.
pub async fn resend_invitation(app: &App, organiser_id: Uuid, event_id: Uuid, guest_id: Uuid) -> Result<Guest> {
    let now = app.now();
    let mut work = app.begin().await?;
    let event = super::access::lock_event(&*work, app.now(), organiser_id, event_id, Action::Manage).await?;
    let guest = storage::guests::find_in_event(&*work, event.id, guest_id).await?;
    if event.status != EventStatus::Published {
        return Err(AppError::NotPublished);
    }
    // The slot is the time of the resend, so it never merges with an earlier one.
    let slot = OutboxSlot::Resend(now);
    let queued = storage::outbox::enqueue_for_guests(
        &*work,
        &event,
        MailKind::Invitation,
        &slot,
        Audience::Only(vec![guest.id]),
        now,
        now,
    )
    .await?;
    work.queued(queued);
    work.commit(app).await?;
    Ok(guest)
}

/// The languages her guests will read the event's emails in: theirs, else
/// the event's, each once, in a stable order.
pub async fn languages(app: &App, event: &Event) -> Result<Vec<Language>> {
    let mut languages: Vec<Language> = storage::guests::languages(&app.db, event.id)
        .await?
        .into_iter()
        .map(|chosen| chosen.unwrap_or(event.details.language))
        .chain([event.details.language])
        .collect();
    languages.sort_by_key(|l| l.as_str());
    languages.dedup();
    Ok(languages)
}

/// Guests shown on one page of the organiser's list.
pub const PAGE_SIZE: u64 = 100;

/// One page of her guest list, with how many match and how many of the
/// event's emails failed.
#[derive(Debug, Clone)]
pub struct GuestPage {
    pub records: Vec<GuestRecord>,
    /// Guests matching the search, on every page.
    pub matching: u64,
    /// 1-based, within 1..=pages.
    pub page: u64,
    pub pages: u64,
    pub failed_emails: u64,
}

/// Page `page` (1-based; beyond the last gives the last) of her event's
/// guests whose name or address holds `search`. Whatever the list's size,
/// each query binds a bounded number of parameters.
pub async fn page(
    app: &App,
    event: &Event,
    search: Option<&str>,
    filter: AnswerFilter,
    page: u64,
) -> Result<GuestPage> {
    let fetch = |page: u64| storage::guests::page(&app.db, event.id, search, filter, (page - 1) * PAGE_SIZE, PAGE_SIZE);
    let mut page = page.max(1);
    let (mut guests, matching) = fetch(page).await?;
    let pages = matching.div_ceil(PAGE_SIZE).max(1);
    // A page past the end (the list shrank, or a hand-typed link): the last one.
    if page > pages {
        page = pages;
        guests = fetch(page).await?.0;
    }
    let records = records(app, event.organiser_id, guests).await?;
    let failed_emails = storage::outbox::count_failed(&app.db, event.id).await?;
    Ok(GuestPage { records, matching, page, pages, failed_emails })
}

/// A guest as her organiser sees her: answer, waiting-list place, whether
/// she unsubscribed, and her emails.
#[derive(Debug, Clone)]
pub struct GuestRecord {
    pub guest: Guest,
    pub waitlist_position: Option<u32>,
    pub unsubscribed: bool,
    pub emails: Vec<outbox_rows::Model>,
}

/// The most guests one page of the API's list holds.
pub const MAX_LIST_PAGE: u64 = 1000;

/// Up to `limit` guests of the organiser's event invited after `after`, in
/// the order they were invited, and where the next page starts if there may
/// be one.
pub async fn list(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    after: Option<ListPosition>,
    limit: u64,
) -> Result<(Vec<GuestRecord>, Option<ListPosition>)> {
    if !(1..=MAX_LIST_PAGE).contains(&limit) {
        return Err(AppError::field("limit", format!("must be between 1 and {MAX_LIST_PAGE}")));
    }
    let event = owned_event(app, organiser_id, event_id).await?;
    let guests = storage::guests::after(&app.db, event.id, after, limit).await?;
    let next = match guests.last() {
        Some((last, _)) if guests.len() as u64 == limit => Some(ListPosition::after(last)),
        _ => None,
    };
    Ok((records(app, organiser_id, guests).await?, next))
}

/// A page of guests with what her organiser sees of each: whether she
/// unsubscribed, and her emails (two queries, bounded by the page).
async fn records(app: &App, organiser_id: Uuid, guests: Vec<(Guest, Option<u32>)>) -> Result<Vec<GuestRecord>> {
    let ids: Vec<Uuid> = guests.iter().map(|(g, _)| g.id).collect();
    let emails: Vec<String> = guests.iter().map(|(g, _)| g.email.to_string()).collect();
    let unsubscribed: HashSet<String> =
        storage::unsubscribes::among(&*app.db, organiser_id, &emails).await?.into_iter().collect();
    let mut mail: HashMap<Uuid, Vec<outbox_rows::Model>> = HashMap::new();
    for row in storage::outbox::for_guests(&app.db, &ids).await? {
        if let Some(guest_id) = row.guest_id {
            mail.entry(guest_id).or_default().push(row);
        }
    }
    Ok(guests
        .into_iter()
        .map(|(guest, waitlist_position)| GuestRecord {
            unsubscribed: unsubscribed.contains(guest.email.as_str()),
            emails: mail.remove(&guest.id).unwrap_or_default(),
            guest,
            waitlist_position,
        })
        .collect())
}
