//! `/metrics` for Prometheus, and the layer that counts and times every
//! request by its route pattern.

use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
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

/// Counts and times the request under its route pattern (never its path:
/// invitation tokens must not become label values).
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    // Cloning the pattern is a reference count, not a copy.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let method = request.method().clone();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("(unmatched)", MatchedPath::as_str);
    state.metrics.request(route, &method, response.status().as_u16(), started.elapsed());
    response
}
