//! Inbound mail over HTTP: a raw RFC 5322 message posted by a mail
//! provider's inbound webhook (Mailgun, Postmark, SES…) or a local MTA's
//! pipe, authenticated by `inbound_secret`; and the organiser's "replies to
//! check", applied or discarded in one call.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine;
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Json, Path};
use crate::app;
use crate::app::inbound::{Door, HeldReply, MAX_MESSAGE_BYTES, Received};
use crate::domain::answer::Answer;
use crate::error::{ApiError, ErrorBody, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(receive))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_MESSAGE_BYTES * 2))
        .routes(routes!(list_held))
        .routes(routes!(apply_held))
        .routes(routes!(discard_held))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceiveParams {
    /// The address the message was delivered to (the envelope recipient),
    /// when the provider gives it apart from the message.
    #[param(max_length = 254)]
    recipient: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboundReceipt {
    /// `stored` (and processed), or `duplicate`: the same Message-ID came before.
    #[schema(example = "stored")]
    status: &'static str,
    /// The stored message, absent for a duplicate.
    id: Option<Uuid>,
}

/// Receive one raw message (RFC 5322, as `message/rfc822`) for the inbound
/// pipeline: calendar replies and unsubscribe requests. Also accepted:
/// Mailgun's `multipart/form-data` (`body-mime`, `recipient`) and
/// Postmark's JSON (`RawEmail`, `OriginalRecipient`). The secret is
/// `inbound_secret`, as a bearer token or the password of basic auth; while
/// none is set, the door is closed and every request is refused (401). The
/// body is the raw message, sent as `text/plain`, `message/rfc822` or
/// `application/octet-stream`. The message is stored before the answer; the
/// same Message-ID twice is stored once.
#[utoipa::path(post, path = "/inbound/messages", tag = "inbound mail", security(("inbound_secret" = [])),
    params(ReceiveParams),
    request_body(description = "The message as it was delivered, headers included (up to 2 MiB)", content(
        ("text/plain", example = "From: zoe@example.org\r\nTo: rsvp+0123@rsvp.example.org\r\nSubject: Accepted\r\n\r\n..."),
        ("application/octet-stream"),
    )),
    responses(
        (status = 202, description = "Stored and processed", body = InboundReceipt),
        (status = 200, description = "Received before: nothing more to do", body = InboundReceipt),
    ))]
async fn receive(
    State(state): State<AppState>,
    Query(params): Query<ReceiveParams>,
    request: Request,
) -> Result<(StatusCode, Json<InboundReceipt>)> {
    let secret = state.settings.inbound_secret.as_ref().map(ExposeSecret::expose_secret);
    if !secret.is_some_and(|secret| presents_secret(request.headers(), secret)) {
        return Err(ApiError::Unauthorized);
    }
    if params.recipient.as_ref().is_some_and(|r| r.chars().count() > 254) {
        return Err(ApiError::BadRequest("recipient: an address has at most 254 characters".to_owned()));
    }
    let (raw, recipient) = read_body(&state, request).await?;
    // An over-long recipient from a form or JSON names nobody: ignored.
    let recipient = recipient.filter(|r| r.chars().count() <= 254).or(params.recipient);
    if raw.is_empty() {
        return Err(ApiError::BadRequest("the body must be the raw message".to_owned()));
    }
    if raw.len() > MAX_MESSAGE_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    match app::inbound::receive(&state, Door::Http, recipient.as_deref(), &raw).await? {
        Received::Stored(id) => Ok((StatusCode::ACCEPTED, Json(InboundReceipt { status: "stored", id: Some(id) }))),
        Received::Duplicate => Ok((StatusCode::OK, Json(InboundReceipt { status: "duplicate", id: None }))),
    }
}

/// The raw message and, if the format carries it, the envelope recipient.
async fn read_body(state: &AppState, request: Request) -> Result<(Vec<u8>, Option<String>)> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mut form = Multipart::from_request(request, state)
            .await
            .map_err(|e| ApiError::BadRequest(format!("unreadable form: {e}")))?;
        let (mut raw, mut recipient) = (Vec::new(), None);
        while let Some(field) = form.next_field().await.map_err(|e| ApiError::BadRequest(e.to_string()))? {
            match field.name() {
                Some("body-mime") => {
                    raw = field.bytes().await.map_err(|e| ApiError::BadRequest(e.to_string()))?.to_vec();
                }
                Some("recipient") => recipient = field.text().await.ok(),
                _ => {}
            }
        }
        return Ok((raw, recipient));
    }
    let body = Bytes::from_request(request, state).await.map_err(|_| ApiError::PayloadTooLarge)?;
    if content_type.starts_with("application/json") {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Postmark {
            raw_email: Option<String>,
            original_recipient: Option<String>,
        }
        let postmark: Postmark =
            serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(format!("unreadable JSON: {e}")))?;
        let raw = postmark.raw_email.ok_or_else(|| ApiError::BadRequest("RawEmail is missing".to_owned()))?;
        return Ok((raw.into_bytes(), postmark.original_recipient));
    }
    Ok((body.to_vec(), None))
}

/// `Authorization: Bearer <secret>`, or basic auth with the secret as the
/// password (how Mailgun and Postmark call a URL with credentials). The
/// digests are compared, so the time taken says nothing about the secret.
fn presents_secret(headers: &HeaderMap, secret: &str) -> bool {
    let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let given = if let Some(token) = value.strip_prefix("Bearer ") {
        token.trim().to_owned()
    } else if let Some(basic) = value.strip_prefix("Basic ") {
        let decoded = base64::engine::general_purpose::STANDARD.decode(basic.trim()).unwrap_or_default();
        let text = String::from_utf8(decoded).unwrap_or_default();
        text.split_once(':').map(|(_, password)| password.to_owned()).unwrap_or_default()
    } else {
        return false;
    };
    Sha256::digest(given.as_bytes()) == Sha256::digest(secret.as_bytes())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeldReplyView {
    id: Uuid,
    event_id: Option<Uuid>,
    /// The guest the reply was delivered for (her reply address), if any.
    guest_id: Option<Uuid>,
    guest_name: Option<String>,
    guest_email: Option<String>,
    /// Why it waits for you: `someone_else` (another person answered a
    /// forwarded invitation: she wants to come), `other_sender` (sent from
    /// another address than the guest's), `auth_failed` (no DKIM signature
    /// aligned with its From verifies, or DMARC fails: `inbound_auth`),
    /// `unknown_guest` (no genuine reply
    /// address), `counter` (proposes another time), `delegated`,
    /// `too_late` (after the deadline), `full` (no seat left),
    /// `other_event`, `no_attendee`.
    #[schema(example = "other_sender")]
    reason: String,
    /// Who sent it (From).
    from: Option<String>,
    /// Who the reply says answers (its ATTENDEE).
    attendee: Option<String>,
    attendee_name: Option<String>,
    answer: Option<Answer>,
    comment: Option<String>,
    delegated_to: Option<String>,
    /// A counter-proposal's start, as the calendar wrote it.
    proposed_start: Option<String>,
    subject: String,
    received_at: DateTime<Utc>,
}

impl From<HeldReply> for HeldReplyView {
    fn from(held: HeldReply) -> Self {
        Self {
            id: held.id,
            event_id: held.event_id,
            guest_id: held.guest_id,
            guest_name: held.guest_name,
            guest_email: held.guest_email,
            reason: held.reason,
            from: held.detail.from,
            attendee: held.detail.attendee,
            attendee_name: held.detail.attendee_name,
            answer: held.detail.answer,
            comment: held.detail.comment,
            delegated_to: held.detail.delegated_to,
            proposed_start: held.detail.proposed_start,
            subject: held.detail.subject,
            received_at: held.received_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeldReplyList {
    replies: Vec<HeldReplyView>,
}

/// Calendar replies waiting for you: applied by nobody until you say so.
#[utoipa::path(get, path = "/replies-to-check", tag = "inbound mail", security(("api_key" = [])),
    responses((status = 200, description = "Oldest first", body = HeldReplyList)))]
async fn list_held(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
) -> Result<Json<HeldReplyList>> {
    let replies = app::inbound::held_replies(&state, organiser.id).await?;
    Ok(Json(HeldReplyList { replies: replies.into_iter().map(HeldReplyView::from).collect() }))
}

/// Apply a held reply: its answer becomes the guest's.
#[utoipa::path(post, path = "/replies-to-check/{reply_id}/apply", tag = "inbound mail", security(("api_key" = [])),
    params(("reply_id" = Uuid, Path, description = "The held reply")),
    responses(
        (status = 204, description = "Applied"),
        (status = 404, description = "No such reply of yours waiting, or nothing in it to apply", body = ErrorBody),
    ))]
async fn apply_held(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(reply_id): Path<Uuid>,
) -> Result<StatusCode> {
    app::inbound::apply_held(&state, organiser.id, reply_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Discard a held reply: it changes nothing.
#[utoipa::path(post, path = "/replies-to-check/{reply_id}/discard", tag = "inbound mail", security(("api_key" = [])),
    params(("reply_id" = Uuid, Path, description = "The held reply")),
    responses(
        (status = 204, description = "Discarded"),
        (status = 404, description = "No such reply of yours waiting", body = ErrorBody),
    ))]
async fn discard_held(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(reply_id): Path<Uuid>,
) -> Result<StatusCode> {
    app::inbound::discard_held(&state, organiser.id, reply_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
