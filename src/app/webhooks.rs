//! Webhooks for an organiser: registering endpoints (the secret shown once),
//! their delivery log, "send again" and "send a test event"; and turning what
//! happened in a unit of work into deliveries queued in its transaction.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::{App, AppError, Happening, Result};
use crate::domain::FieldErrors;
use crate::domain::answer::Answer;
use crate::domain::event::Language;
use crate::domain::webhook::{self, WebhookType};
use crate::storage::entities::webhook_deliveries::Model as Delivery;
use crate::storage::webhooks::{Endpoint, EndpointChange, NewEndpoint, Owner, Queued};
use crate::storage::{self, Missing};

/// How long the delivery log is kept.
pub const LOG_DAYS: i64 = 30;

/// An endpoint as a door received it, before validation.
#[derive(Debug, Clone, Default)]
pub struct EndpointInput {
    pub url: Option<String>,
    pub types: Option<Vec<String>>,
    pub enabled: Option<bool>,
    pub language: Option<String>,
}

/// A new endpoint and its secret, which is never shown again.
#[derive(Debug, Clone)]
pub struct Created {
    pub endpoint: Endpoint,
    pub secret: String,
}

fn validate(app: &App, input: &EndpointInput, creating: bool) -> Result<(Option<String>, Option<Vec<WebhookType>>)> {
    let mut errors = FieldErrors::new();
    let url = match &input.url {
        Some(raw) => match webhook::parse_url(raw, app.settings.webhook_allow_http) {
            Ok(url) => Some(url.to_string()),
            Err(problem) => {
                errors.insert("url".to_owned(), problem);
                None
            }
        },
        None if creating => {
            errors.insert(
                "url".to_owned(),
                crate::domain::Problem::new(crate::domain::problem::code::REQUIRED, "required"),
            );
            None
        }
        None => None,
    };
    let types = match &input.types {
        Some(raw) => match webhook::parse_types(raw) {
            Ok(types) => Some(types),
            Err(problem) => {
                errors.insert("event_types".to_owned(), problem);
                None
            }
        },
        None if creating => Some(WebhookType::subscribable().collect()),
        None => None,
    };
    if errors.is_empty() { Ok((url, types)) } else { Err(AppError::Invalid(errors)) }
}

pub async fn create(app: &App, organiser_id: Uuid, input: &EndpointInput) -> Result<Created> {
    let (url, types) = validate(app, input, true)?;
    let (Some(url), Some(types)) = (url, types) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated endpoint without url or types")));
    };
    let language = match input.language.as_deref() {
        Some(raw) => Language::parse(raw).map_err(|problem| AppError::field("language", problem))?,
        None => Language::Fr,
    };
    let secret = webhook::generate_secret();
    let work = app.begin().await?;
    let new = NewEndpoint { organiser_id, url: &url, types: &types, secret: &secret, language: language.as_str() };
    let endpoint = storage::webhooks::create(&*work, &new, app.now()).await?;
    work.commit(app).await?;
    Ok(Created { endpoint, secret })
}

pub async fn list(app: &App, organiser_id: Uuid) -> Result<Vec<Endpoint>> {
    Ok(storage::webhooks::list(&*app.db, organiser_id).await?)
}

pub async fn find(app: &App, organiser_id: Uuid, id: Uuid) -> Result<Endpoint> {
    Ok(storage::webhooks::find(&*app.db, organiser_id, id).await?.into())
}

pub async fn update(app: &App, organiser_id: Uuid, id: Uuid, input: &EndpointInput) -> Result<Endpoint> {
    let (url, types) = validate(app, input, false)?;
    let work = app.begin().await?;
    let change = EndpointChange { url, types, enabled: input.enabled };
    let endpoint = storage::webhooks::update(&*work, organiser_id, id, change).await?;
    work.commit(app).await?;
    Ok(endpoint)
}

pub async fn delete(app: &App, organiser_id: Uuid, id: Uuid) -> Result<()> {
    let work = app.begin().await?;
    storage::webhooks::delete(&*work, organiser_id, id).await?;
    work.commit(app).await
}

/// The endpoint's deliveries of the last 30 days, newest first (at most 200).
pub async fn log(app: &App, organiser_id: Uuid, id: Uuid) -> Result<Vec<Delivery>> {
    let endpoint = storage::webhooks::find(&*app.db, organiser_id, id).await?;
    let since = app.now() - Duration::days(LOG_DAYS);
    Ok(storage::webhooks::log(&*app.db, endpoint.id, since, 200).await?)
}

/// "Send a test event": a `webhook.test` delivery, due at once.
pub async fn send_test(app: &App, organiser_id: Uuid, id: Uuid) -> Result<Uuid> {
    let work = app.begin().await?;
    let endpoint = storage::webhooks::find(&*work, organiser_id, id).await?;
    if !endpoint.enabled {
        return Err(AppError::EndpointDisabled);
    }
    let message_id = storage::webhooks::enqueue_test(&*work, &endpoint, app.now()).await?;
    work.commit(app).await?;
    app.hook_waker.notify_one();
    Ok(message_id)
}

/// "Send again": the delivery goes back to the queue with fresh attempts.
pub async fn resend(app: &App, organiser_id: Uuid, id: Uuid, message_id: Uuid) -> Result<Delivery> {
    let work = app.begin().await?;
    let endpoint = storage::webhooks::find(&*work, organiser_id, id).await?;
    if !endpoint.enabled {
        return Err(AppError::EndpointDisabled);
    }
    let delivery = storage::webhooks::resend(&*work, endpoint.id, message_id, app.now()).await?;
    if delivery.payload.is_none() && delivery.data == "{}" && delivery.event_type != WebhookType::Test.as_str() {
        // Its guest was erased: nothing left worth sending.
        return Err(AppError::NotFound(Missing::WebhookDelivery));
    }
    work.commit(app).await?;
    app.hook_waker.notify_one();
    Ok(delivery)
}

/// The deliveries of what happened, queued in the unit of work's
/// transaction: one statement per happening that has a webhook type,
/// inserting a row for each endpoint that listens. Returns how many.
pub(crate) async fn queue_happenings(
    conn: &impl ConnectionTrait,
    happened: &[Happening],
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut queued = 0;
    for happening in happened {
        for delivery in deliveries_of(happening, now) {
            queued += storage::webhooks::enqueue(conn, &delivery).await?;
        }
    }
    Ok(queued)
}

/// What endpoints are told of a happening: ids and what changed; the
/// event's and guest's essentials are added when the body is built.
fn deliveries_of(happening: &Happening, now: DateTime<Utc>) -> Vec<Queued> {
    let about = |kind, event: Uuid, guest: Option<Uuid>, data| Queued {
        message_id: Uuid::new_v4(),
        kind,
        owner: Owner::OfEvent(event),
        event_id: Some(event),
        guest_id: guest,
        data,
        occurred_at: now,
    };
    match happening {
        Happening::Answered { event, guest, before, after } => vec![about(
            WebhookType::GuestAnswered,
            *event,
            Some(*guest),
            json!({ "previous_answer": before.map(Answer::as_str), "answer": after.as_str() }),
        )],
        Happening::Promoted { event, guests } => {
            guests.iter().map(|g| about(WebhookType::GuestPromoted, *event, Some(*g), json!({}))).collect()
        }
        Happening::CheckedIn { event, guest } => {
            vec![about(WebhookType::GuestCheckedIn, *event, Some(*guest), json!({}))]
        }
        Happening::WalkIn { event, guest } => vec![about(WebhookType::GuestWalkedIn, *event, Some(*guest), json!({}))],
        Happening::RegistrationConfirmed { event, guest } => {
            vec![about(WebhookType::RegistrationConfirmed, *event, Some(*guest), json!({}))]
        }
        Happening::EventPublished { event } => vec![about(WebhookType::EventPublished, *event, None, json!({}))],
        Happening::EventChanged { event, calendar_changed } => {
            vec![about(WebhookType::EventChanged, *event, None, json!({ "time_or_place_changed": calendar_changed }))]
        }
        Happening::EventCancelled { event } => vec![about(WebhookType::EventCancelled, *event, None, json!({}))],
        Happening::Unsubscribed { organiser, guest, email } => vec![Queued {
            message_id: Uuid::new_v4(),
            kind: WebhookType::GuestUnsubscribed,
            owner: Owner::Organiser(*organiser),
            event_id: None,
            guest_id: Some(*guest),
            data: json!({ "email": email }),
            occurred_at: now,
        }],
        _ => Vec::new(),
    }
}
