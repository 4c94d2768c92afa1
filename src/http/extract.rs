//! Extractors that turn every rejection into the one JSON error shape.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::AppState;
use crate::domain::FieldErrors;
use crate::error::ApiError;
use crate::storage::organisers::Organiser;

/// A JSON body; malformed or mistyped bodies become 400/415/422 errors that
/// name the offending field.
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(err) => {
                // axum wraps serde_path_to_error's error a level or two down.
                let source = std::iter::successors(std::error::Error::source(&err), |e| e.source())
                    .find_map(|e| e.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>());
                match source {
                    Some(err) => Self::validation(field_error(&err.path().to_string(), &err.inner().to_string())),
                    None => Self::BadRequest(err.body_text()),
                }
            }
            JsonRejection::JsonSyntaxError(err) => Self::BadRequest(format!(
                "the body is not valid JSON: {}",
                std::error::Error::source(&err).map_or_else(|| err.body_text(), ToString::to_string)
            )),
            JsonRejection::MissingJsonContentType(_) => {
                Self::UnsupportedMediaType("send the body as JSON with `Content-Type: application/json`".to_owned())
            }
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            other => Self::BadRequest(other.body_text()),
        }
    }
}

/// serde reports a missing field at the parent's path ("."), naming it only
/// in the message; report it under its own name instead.
fn field_error(path: &str, message: &str) -> FieldErrors {
    let message = message.split(" at line ").next().unwrap_or(message).to_owned();
    if let Some(name) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        let field = if path == "." { name.to_owned() } else { format!("{path}.{name}") };
        return FieldErrors::from([(field, "is required".to_owned())]);
    }
    let field = if path == "." { "body".to_owned() } else { path.to_owned() };
    FieldErrors::from([(field, message)])
}

/// A body taken as it is (a CSV file, a pasted list). Too large a body gets
/// the JSON 413 like everywhere else, not axum's plain-text one.
#[derive(Debug, Clone)]
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        Bytes::from_request(request, state).await.map(Self).map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest(rejection.body_text())
            }
        })
    }
}

/// Path parameters. A malformed id cannot name anything, so it is a 404.
#[derive(Debug, Clone, Copy, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        Self::NotFound("resource")
    }
}

/// Query-string parameters.
#[derive(Debug, Clone, Copy, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

/// The organiser behind `Authorization: Bearer <API key>`.
#[derive(Debug, Clone)]
pub struct AuthenticatedOrganiser(pub Organiser);

impl FromRequestParts<AppState> for AuthenticatedOrganiser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let presented = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or(ApiError::Unauthorized)?;
        crate::app::organisers::authenticate(state, presented)
            .await?
            .map(AuthenticatedOrganiser)
            .ok_or(ApiError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::field_error;

    #[test]
    fn missing_fields_are_reported_under_their_name() {
        let errors = field_error(".", "missing field `title` at line 1 column 2");
        assert_eq!(errors.get("title").map(String::as_str), Some("is required"));
        let errors = field_error("capacity", "invalid type: string \"x\", expected i64 at line 1 column 20");
        assert_eq!(errors.get("capacity").map(String::as_str), Some("invalid type: string \"x\", expected i64"));
    }
}
