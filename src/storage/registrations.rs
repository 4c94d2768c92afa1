//! Open registrations: requested from an event's public page, counted only
//! once confirmed from the emailed link (double opt-in). A request queues the
//! confirmation email in its own transaction; a confirmation adds the guest,
//! or finds her if her address is already invited, so nobody is listed twice.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};
use uuid::Uuid;

use super::entities::{guests, registrations};
use super::outbox;
use super::{Db, begin_write};
use crate::domain::email_address::EmailAddress;
use crate::domain::event::{Event, EventStatus, Language};
use crate::domain::guest::{Guest, NewGuest};
use crate::domain::mail::MailKind;
use crate::domain::token::{InvitationToken, SecretKey};
use crate::error::{ApiError, Result};

/// How long a confirmation link works.
pub const CONFIRMATION_VALIDITY: Duration = Duration::hours(48);

/// Confirmation emails one address can ask for, per event: enough for a lost
/// email or two, too few to turn the form into a way to flood an inbox.
pub const MAX_REQUESTS: i32 = 3;

/// A registration awaiting (or past) confirmation.
#[derive(Debug, Clone)]
pub struct Registration {
    pub id: Uuid,
    pub event_id: Uuid,
    pub email: EmailAddress,
    pub name: String,
    pub language: Option<Language>,
    pub requested_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

fn to_domain(row: registrations::Model) -> anyhow::Result<Registration> {
    let language = row.language.as_deref().map(Language::parse).transpose().map_err(|e| anyhow::anyhow!(e))?;
    Ok(Registration {
        id: row.id,
        event_id: row.event_id,
        email: EmailAddress::from_stored(row.email),
        name: row.name,
        language,
        requested_at: row.requested_at,
        confirmed_at: row.confirmed_at,
    })
}

/// Whether anyone may register for `event` now.
pub fn accepts_registrations(event: &Event, now: DateTime<Utc>) -> bool {
    event.details.open_registration && event.guest_may_answer(now).is_ok()
}

/// Records a request to register and queues its confirmation email. Asking
/// again refreshes the name and sends a new email, up to [`MAX_REQUESTS`];
/// beyond that nothing is sent. The caller answers the same in every case,
/// so the form tells nobody who is registered.
pub async fn request(db: &Db, event_id: Uuid, person: &NewGuest, now: DateTime<Utc>) -> Result<()> {
    let tx = begin_write(db).await?;
    let event = super::events::lock_shared(&*tx, event_id).await?;
    if !accepts_registrations(&event, now) {
        return Err(ApiError::gone("registration_closed", "registration for this event is closed"));
    }
    let existing = registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .filter(registrations::Column::Email.eq(person.email.as_str()))
        .one(&*tx)
        .await?;
    let language = person.language.map(|l| l.as_str().to_owned());
    let (id, requests) = match existing {
        None => {
            let id = Uuid::now_v7();
            registrations::ActiveModel {
                id: Set(id),
                event_id: Set(event_id),
                email: Set(person.email.as_str().to_owned()),
                name: Set(person.name.clone()),
                language: Set(language),
                requests: Set(1),
                created_at: Set(now),
                requested_at: Set(now),
                confirmed_at: Set(None),
            }
            .insert(&*tx)
            .await?;
            (id, 1)
        }
        Some(row) if row.requests >= MAX_REQUESTS => {
            tracing::info!(registration_id = %row.id, "registration asked again too often; no email sent");
            return Ok(());
        }
        Some(row) => {
            let (id, requests) = (row.id, row.requests + 1);
            let mut active = row.into_active_model();
            active.name = Set(person.name.clone());
            active.language = Set(language);
            active.requests = Set(requests);
            active.requested_at = Set(now);
            // A new request makes a new link valid, even after a confirmation.
            active.confirmed_at = Set(None);
            active.update(&*tx).await?;
            (id, requests)
        }
    };
    outbox::enqueue_for_registration(&*tx, &event, id, person.email.as_str(), &requests.to_string(), now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> Result<Registration> {
    let row = registrations::Entity::find_by_id(id).one(conn).await?.ok_or(ApiError::NotFound("registration"))?;
    Ok(to_domain(row)?)
}

/// Whether the confirmation link of `registration` still works.
pub fn link_usable(registration: &Registration, now: DateTime<Utc>) -> Result<()> {
    if registration.confirmed_at.is_some() {
        return Err(ApiError::gone("registration_link_used", "this confirmation link was already used"));
    }
    if now - registration.requested_at > CONFIRMATION_VALIDITY {
        return Err(ApiError::gone("registration_link_expired", "this confirmation link has expired"));
    }
    Ok(())
}

/// Confirms a registration, once: the person becomes a guest of the event
/// (and is invited, as any guest added to a published event), or, if her
/// address was already invited, stays the one guest she was.
pub async fn confirm(db: &Db, id: Uuid, key: &SecretKey, now: DateTime<Utc>) -> Result<(Guest, InvitationToken)> {
    let tx = begin_write(db).await?;
    let event_id = find(&*tx, id).await?.event_id;
    // The event's lock first, as every writer of guests takes it.
    let event = super::events::lock(&*tx, event_id).await?;
    let registration = find(&*tx, id).await?;
    link_usable(&registration, now)?;
    if !accepts_registrations(&event, now) {
        return Err(ApiError::gone("registration_closed", "registration for this event is closed"));
    }
    let updated = registrations::Entity::update_many()
        .col_expr(registrations::Column::ConfirmedAt, sea_orm::sea_query::Expr::val(now))
        .filter(registrations::Column::Id.eq(id))
        .filter(registrations::Column::ConfirmedAt.is_null())
        .exec(&*tx)
        .await?;
    if updated.rows_affected == 0 {
        return Err(ApiError::gone("registration_link_used", "this confirmation link was already used"));
    }
    let person = NewGuest {
        email: registration.email.clone(),
        name: registration.name.clone(),
        language: registration.language,
    };
    let added = super::guests::insert_unless_invited(&*tx, event.id, &person, key, now).await?;
    let (guest, token) = if let Some((guest, token)) = added {
        if event.status == EventStatus::Published {
            outbox::enqueue_for_guests(
                &*tx,
                &event,
                MailKind::Invitation,
                "",
                outbox::Audience::Only(vec![guest.id]),
                now,
                now,
            )
            .await?;
        }
        (guest, token)
    } else {
        let row = guests::Entity::find()
            .filter(guests::Column::EventId.eq(event.id))
            .filter(guests::Column::Email.eq(registration.email.as_str()))
            .one(&*tx)
            .await?
            .ok_or_else(|| anyhow::anyhow!("registration {id}: the invited guest vanished"))?;
        let guest = super::guests::to_domain(row)?;
        let token = InvitationToken::derive(key, guest.id, &guest.token_salt);
        (guest, token)
    };
    tx.commit().await?;
    Ok((guest, token))
}
