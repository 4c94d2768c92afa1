//! Open registrations: requested from an event's public page, counted only
//! once confirmed from the emailed link (double opt-in). A confirmation adds
//! the guest, or finds her if her address is already invited, so nobody is
//! listed twice.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::answers::{AnswerInput, Answerer, QuestionAnswers};
use super::{App, AppError, Happening, OneTimeLink, Result};
use crate::domain::answer::Answer;
use crate::domain::community::JoinedHow;
use crate::domain::event::{Event, EventStatus};
use crate::domain::guest::{Guest, NewGuest};
use crate::domain::mail::OutboxSlot;
use crate::domain::question::{self, Answers};
use crate::domain::token::InvitationToken;
use crate::storage::registrations::Registration;
use crate::storage::{self, Missing};

/// How long a confirmation link works.
pub const CONFIRMATION_VALIDITY: Duration = Duration::hours(48);

/// Confirmation emails one address can ask for, per event: enough for a lost
/// email or two, too few to turn the form into a way to flood an inbox.
pub const MAX_REQUESTS: u32 = 3;

/// An event's public page, if it has one: open to registration, and
/// published (or cancelled, so that a shared link says so). A draft, or an
/// event by invitation only, is not found.
pub async fn open_event(app: &App, event_id: Uuid) -> Result<Event> {
    let event = storage::events::find_by_id(&*app.db, event_id).await?;
    if event.details.open_registration && event.status != EventStatus::Draft {
        Ok(event)
    } else {
        Err(AppError::NotFound(Missing::Event))
    }
}

/// Records a request to register and queues its confirmation email. Asking
/// again refreshes the name and sends a new email, up to [`MAX_REQUESTS`];
/// beyond that nothing is sent. The door answers the same in every case, so
/// the form tells nobody who is registered. Her answers to the event's
/// questions are checked now, as from a guest who comes (registering is
/// saying "I'm coming"), and become hers when she confirms.
pub async fn request(app: &App, event_id: Uuid, person: &NewGuest, given: &Answers) -> Result<()> {
    let now = app.now();
    let mut work = app.begin().await?;
    let event = storage::events::lock_shared(&*work, event_id).await?;
    if !event.accepts_registrations(now) {
        return Err(AppError::RegistrationClosed);
    }
    let questions = question::check_answers(&event.details.questions, given, true).map_err(AppError::Invalid)?;
    let (id, requests) = match storage::registrations::find_by_address(&*work, event_id, &person.email).await? {
        None => (storage::registrations::insert(&*work, event_id, person, &questions, now).await?, 1),
        Some(existing) if existing.requests >= MAX_REQUESTS => {
            tracing::info!(registration_id = %existing.id, "registration asked again too often; no email sent");
            return Ok(());
        }
        Some(existing) => {
            (existing.id, storage::registrations::renew(&*work, existing.id, person, &questions, now).await?)
        }
    };
    let queued = storage::outbox::enqueue_for_registration(
        &*work,
        &event,
        id,
        person.email.as_str(),
        &OutboxSlot::Request(requests),
        now,
    )
    .await?;
    work.queued(queued);
    work.happened(Happening::RegistrationRequested { event: event.id });
    work.commit(app).await
}

/// Whether the confirmation link of `registration` still works.
pub fn link_usable(registration: &Registration, now: DateTime<Utc>) -> Result<()> {
    if registration.confirmed_at.is_some() {
        return Err(AppError::LinkSpent { link: OneTimeLink::Registration, expired: false });
    }
    if now - registration.requested_at > CONFIRMATION_VALIDITY {
        return Err(AppError::LinkSpent { link: OneTimeLink::Registration, expired: true });
    }
    Ok(())
}

/// A registration whose confirmation link still works, with its event.
pub async fn pending(app: &App, id: Uuid) -> Result<(Registration, Event)> {
    let registration = storage::registrations::find(&*app.db, id).await?;
    link_usable(&registration, app.now())?;
    let event = storage::events::find_by_id(&*app.db, registration.event_id).await?;
    Ok((registration, event))
}

/// Confirms a registration, once: the person becomes a guest of the event
/// (and is invited, as any guest added to a published event), or, if her
/// address was already invited, stays the one guest she was.
pub async fn confirm(app: &App, id: Uuid) -> Result<(Guest, InvitationToken)> {
    let now = app.now();
    let mut work = app.begin().await?;
    let event_id = storage::registrations::find(&*work, id).await?.event_id;
    // The event's lock first, as every writer of guests takes it.
    let event = storage::events::lock(&*work, event_id).await?;
    let registration = storage::registrations::find(&*work, id).await?;
    link_usable(&registration, now)?;
    if !event.accepts_registrations(now) {
        return Err(AppError::RegistrationClosed);
    }
    if !storage::registrations::mark_confirmed(&*work, id, now).await? {
        return Err(AppError::LinkSpent { link: OneTimeLink::Registration, expired: false });
    }
    let person = NewGuest {
        email: registration.email.clone(),
        name: registration.name.clone(),
        first_name: String::new(),
        language: registration.language,
    };
    let added = super::guests::insert_guests(&mut work, &event, std::slice::from_ref(&person), app, now).await?;
    let (guest, token, newly_added) = if let Some((guest, token)) = added.into_iter().next().flatten() {
        (guest, token, true)
    } else {
        let guest = storage::guests::find_by_address(&*work, event.id, &registration.email).await?;
        let token = guest.invitation_token(&app.link_key);
        (guest, token, false)
    };
    // Confirming her address is joining the series' community, if it has one.
    super::community::join_from_date(&work, &event, &person, JoinedHow::Registered, now).await?;
    work.happened(Happening::RegistrationConfirmed { event: event.id, guest: guest.id });
    work.commit(app).await?;
    if !newly_added {
        // Already a guest (invited, or confirmed twice): her answer is hers.
        return Ok((guest, token));
    }
    // Registering is saying "I'm coming": recorded by the same rules as an
    // answer from her page, so that a full event puts her on the waiting
    // list. Should it fail, she is a guest who can still answer herself.
    let mut coming = AnswerInput {
        answer: Answer::Yes,
        companions: 0,
        comment: Some(String::new()),
        // Checked when she asked; checked again, as the questions may have changed since.
        questions: QuestionAnswers::Given(registration.questions.clone()),
    };
    let answerer = Answerer::Guest { token: token.as_str() };
    let mut recorded = super::answers::answer(app, answerer, &coming).await;
    if matches!(recorded, Err(AppError::Invalid(_))) {
        // The questions changed since she asked: her "yes" counts all the
        // same; her page shows what is left to answer.
        coming.questions = QuestionAnswers::NotAsked;
        recorded = super::answers::answer(app, answerer, &coming).await;
    }
    match recorded {
        Ok(outcome) => Ok((outcome.guest, token)),
        Err(err) => {
            tracing::warn!(guest_id = %guest.id, error = %err, "a confirmed registration could not be recorded as a yes");
            Ok((guest, token))
        }
    }
}
