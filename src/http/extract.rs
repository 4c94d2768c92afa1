//! Extractors that turn every rejection into the one JSON error shape.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::AppState;
use crate::domain::FieldErrors;
use crate::domain::problem::{self, Problem};
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

/// An integer in a JSON body, as JSON Schema (and so the OpenAPI document)
/// reads one: any number without a fractional part, `3.0` as well as `3`.
/// serde alone refuses `3.0` for an `i64`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Integer(pub i64);

impl From<Integer> for i64 {
    fn from(value: Integer) -> Self {
        value.0
    }
}

impl<'de> serde::Deserialize<'de> for Integer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{Error, Unexpected};

        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = Integer;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer")
            }

            fn visit_i64<E: Error>(self, value: i64) -> Result<Integer, E> {
                Ok(Integer(value))
            }

            fn visit_u64<E: Error>(self, value: u64) -> Result<Integer, E> {
                i64::try_from(value).map(Integer).map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
            }

            // serde_json hands over as a float only what it could not read
            // as a 64-bit integer: `2.0`, `1e3`, or a literal out of range.
            // Beyond 2^53 a float no longer holds every integer, so such a
            // literal (`-9223372036854775809`) may have been rounded into
            // range: refuse it rather than read another number.
            #[allow(clippy::float_cmp)]
            fn visit_f64<E: Error>(self, value: f64) -> Result<Integer, E> {
                const LIMIT: f64 = 9_007_199_254_740_992.0;
                if value.fract() == 0.0 && (-LIMIT..=LIMIT).contains(&value) {
                    Ok(Integer(value as i64))
                } else {
                    Err(E::invalid_value(Unexpected::Float(value), &self))
                }
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

/// serde reports a missing field at the parent's path ("."), naming it only
/// in the message; report it under its own name instead.
fn field_error(path: &str, message: &str) -> FieldErrors {
    let message = message.split(" at line ").next().unwrap_or(message).to_owned();
    if let Some(name) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        let field = if path == "." { name.to_owned() } else { format!("{path}.{name}") };
        return FieldErrors::from([(field, Problem::new(problem::code::REQUIRED, "is required"))]);
    }
    let field = if path == "." { "body".to_owned() } else { path.to_owned() };
    FieldErrors::from([(field, message.into())])
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
    fn integers_are_read_as_json_schema_reads_them() {
        let read = |json: &str| serde_json::from_str::<super::Integer>(json).map(|n| n.0).ok();
        assert_eq!(read("3"), Some(3));
        assert_eq!(read("-3"), Some(-3));
        assert_eq!(read("3.0"), Some(3));
        assert_eq!(read("1e2"), Some(100));
        assert_eq!(read("-9223372036854775808"), Some(i64::MIN));
        // Out of range, though a float would round it into range.
        let below_min = "-9223372036854775809";
        for refused in ["3.5", "\"3\"", "null", "true", "9223372036854775808", "1e19", "[]", below_min] {
            assert_eq!(read(refused), None, "{refused}");
        }
    }

    #[test]
    fn missing_fields_are_reported_under_their_name() {
        let errors = field_error(".", "missing field `title` at line 1 column 2");
        assert_eq!(errors.get("title").map(crate::domain::Problem::message), Some("is required"));
        let errors = field_error("capacity", "invalid type: string \"x\", expected i64 at line 1 column 20");
        assert_eq!(
            errors.get("capacity").map(crate::domain::Problem::message),
            Some("invalid type: string \"x\", expected i64")
        );
    }
}
