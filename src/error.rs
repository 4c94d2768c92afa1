//! The outcomes a client can get, and the one JSON shape they all share:
//! `{ "error": code, "message": text, "fields": { name: problem } }`.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::error::{AppError, OneTimeLink};
use crate::domain::event::AnswersClosed;
use crate::domain::problem::{self, ProblemCode};
use crate::domain::{FieldErrors, Problem};
use crate::storage::{Missing, StorageError};

pub type Result<T, E = ApiError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is not well-formed (unparseable JSON, wrong content type).
    #[error("{0}")]
    BadRequest(String),
    #[error("missing or invalid API key")]
    Unauthorized,
    /// Unknown, or belonging to someone else: the two are indistinguishable
    /// on purpose, so ids of other organisers' resources leak nothing.
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Something that was possible is no longer (answers closed, event cancelled).
    #[error("{message}")]
    Gone { code: &'static str, message: String },
    #[error("the request has invalid fields")]
    Validation { fields: FieldErrors },
    #[error("this route does not accept that method")]
    MethodNotAllowed,
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("too many requests; wait a moment and try again")]
    TooManyRequests,
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("an internal error occurred")]
    Internal(#[from] anyhow::Error),
}

/// The public error body. `fields` is present only for validation errors.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable, machine-readable code such as `validation_failed`.
    #[schema(example = "validation_failed")]
    pub error: String,
    /// A sentence for a person.
    pub message: String,
    /// What is wrong with each field, in English.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<BTreeMap<String, String>>)]
    pub fields: Option<FieldErrors>,
    /// The same problems as stable codes with their parameters, for a
    /// client that words them itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_codes: Option<BTreeMap<String, ProblemCode>>,
}

impl ApiError {
    pub fn validation(fields: FieldErrors) -> Self {
        Self::Validation { fields }
    }

    pub fn field(name: &str, problem: impl Into<Problem>) -> Self {
        Self::Validation { fields: FieldErrors::from([(name.to_owned(), problem.into())]) }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict { code, message: message.into() }
    }

    pub fn gone(code: &'static str, message: impl Into<String>) -> Self {
        Self::Gone { code, message: message.into() }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Conflict { code, .. } => (StatusCode::CONFLICT, code),
            Self::Gone { code, .. } => (StatusCode::GONE, code),
            Self::Validation { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Self::UnsupportedMediaType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
            Self::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Internal(anyhow::Error::new(err).context("database error"))
    }
}

/// The name a client sees for something not found.
fn resource_name(missing: Missing) -> &'static str {
    match missing {
        Missing::Event => "event",
        Missing::Guest => "guest",
        Missing::Invitation => "invitation",
        Missing::Registration => "registration",
        Missing::LoginLink => "sign-in link",
        Missing::Organiser => "organiser",
        Missing::ApiKey => "API key",
        Missing::UnsubscribeLink => "unsubscribe link",
        Missing::Feed => "feed",
        Missing::ImportJob => "import",
        Missing::Series => "series",
        Missing::SeriesDefaults => "series defaults",
        Missing::Member => "member",
        Missing::WebhookEndpoint => "webhook endpoint",
        Missing::WebhookDelivery => "webhook delivery",
        Missing::TeamMember => "team member",
        Missing::InboundMessage => "reply to check",
    }
}

impl From<StorageError> for ApiError {
    fn from(err: StorageError) -> Self {
        AppError::from(err).into()
    }
}

/// The API's words for each refusal of the rules: a status, a stable code and
/// an English sentence (the API's clients are programs and their authors).
impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        match err {
            AppError::NotFound(missing) => Self::NotFound(resource_name(missing)),
            AppError::Invalid(fields) => Self::Validation { fields },
            AppError::AlreadyInvited { email } => {
                Self::conflict("guest_already_invited", format!("{email} is already invited to this event"))
            }
            AppError::AlreadyMember { email } => {
                Self::conflict("member_already_in_community", format!("{email} is already in the community"))
            }
            AppError::AnswersClosed { closed, time_zone } => match closed {
                AnswersClosed::NotPublished => {
                    Self::conflict("event_not_published", "this event is not open for answers yet")
                }
                AnswersClosed::Cancelled => Self::gone("event_cancelled", "this event has been cancelled"),
                AnswersClosed::DeadlinePassed(at) => Self::gone(
                    "answers_closed",
                    format!(
                        "answers closed on {} ({time_zone}); contact the organiser to change your answer",
                        at.with_timezone(&time_zone).format("%Y-%m-%d %H:%M"),
                    ),
                ),
            },
            AppError::NotEnoughSeats { seats_left } => Self::conflict(
                "not_enough_seats",
                format!(
                    "only {seats_left} seat(s) remain for you and your companions; your current answer is unchanged"
                ),
            ),
            AppError::NotPublished => {
                Self::conflict("event_not_published", "publish the event first; its invitations go out then")
            }
            AppError::EventCancelled => Self::conflict("event_cancelled", "a cancelled event cannot be changed"),
            AppError::RegistrationClosed => Self::gone("registration_closed", "registration for this event is closed"),
            AppError::LinkSpent { link: OneTimeLink::Registration, expired: false } => {
                Self::gone("registration_link_used", "this confirmation link was already used")
            }
            AppError::LinkSpent { link: OneTimeLink::Registration, expired: true } => {
                Self::gone("registration_link_expired", "this confirmation link has expired")
            }
            AppError::LinkSpent { link: OneTimeLink::SignIn, .. } => {
                Self::gone("login_link_used", "this sign-in link was already used or has expired")
            }
            AppError::LinkSpent { link: OneTimeLink::Team, .. } => {
                Self::gone("team_link_used", "this invitation to the team was already accepted or has expired")
            }
            AppError::WrongSetupCode => Self::field("code", "this is not the setup code printed in the server's log"),
            AppError::SetupDone => Self::NotFound("setup"),
            AppError::EndpointDisabled => {
                Self::conflict("webhook_endpoint_disabled", "enable the endpoint first; a disabled one sends nothing")
            }
            AppError::Internal(err) => Self::Internal(err),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let Self::Internal(err) = &self {
            // `{:#}` prints the whole cause chain; the client sees none of it.
            tracing::error!(error = format!("{err:#}"), "request failed");
        }
        let mut response = (
            status,
            Json(ErrorBody {
                error: code.to_owned(),
                message: self.to_string(),
                field_codes: match &self {
                    Self::Validation { fields } => Some(problem::codes(fields)),
                    _ => None,
                },
                fields: match self {
                    Self::Validation { fields } => Some(fields),
                    _ => None,
                },
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
