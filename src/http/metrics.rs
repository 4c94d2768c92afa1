//! `/metrics` for Prometheus. Requests are counted and timed by
//! [`super::request_scope`].

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use super::AppState;
use crate::app::monitoring;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", axum::routing::get(metrics))
}

/// The OpenMetrics text, behind the bearer token when one is set.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = &state.settings.metrics_token
        && !bearer_is(&headers, token.expose_secret())
    {
        return Err(ApiError::Unauthorized);
    }
    let text = monitoring::metrics_text(&state).await?;
    Ok(([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text).into_response())
}

/// Whether the request carries `Authorization: Bearer <expected>`. The
/// digests are compared, so the time taken says nothing about the token.
fn bearer_is(headers: &HeaderMap, expected: &str) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    Sha256::digest(given.as_bytes()) == Sha256::digest(expected.as_bytes())
}
