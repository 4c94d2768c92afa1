//! `/metrics` for Prometheus, and the layer that counts and times every
//! request by its route pattern.

use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use super::AppState;
use super::on_response::{OnResponse, OnResponseFuture};
use crate::app::monitoring;
use crate::error::ApiError;
use crate::metrics::{Metrics, method_label};

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

/// The layer that counts and times every request under its route pattern
/// (never its path: invitation tokens must not become label values).
///
/// A plain tower layer rather than `axum::middleware::from_fn`, which boxes
/// and clones the route on every request.
#[derive(Clone)]
pub struct RecordLayer {
    metrics: Arc<Metrics>,
}

impl RecordLayer {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self { metrics }
    }
}

impl<S> tower::Layer<S> for RecordLayer {
    type Service = Record<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Record { inner, metrics: Arc::clone(&self.metrics) }
    }
}

#[derive(Clone)]
pub struct Record<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S> tower::Service<Request> for Record<S>
where
    S: tower::Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = OnResponseFuture<S::Future, Seen>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let started = Instant::now();
        // Cloning the pattern is a reference count, not a copy.
        let route = request.extensions().get::<MatchedPath>().cloned();
        let method = method_label(request.method());
        let seen = Seen { metrics: Arc::clone(&self.metrics), route, method, started };
        OnResponseFuture::new(self.inner.call(request), Some(seen))
    }
}

/// What the future keeps to record the request once it is answered.
pub struct Seen {
    metrics: Arc<Metrics>,
    route: Option<MatchedPath>,
    method: &'static str,
    started: Instant,
}

impl OnResponse for Seen {
    fn on_response(self, response: Response) -> Response {
        let route = self.route.as_ref().map_or("(unmatched)", MatchedPath::as_str);
        self.metrics.request(route, self.method, response.status().as_u16(), self.started.elapsed());
        response
    }
}
