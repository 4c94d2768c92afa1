//! What surrounds every request, in one layer: its id (the client's, or a
//! new one), its log span, its deadline and its metrics.
//!
//! One layer rather than tower-http's request-id, trace and timeout layers
//! beside a metrics layer: each of those is cloned for every request, wraps
//! the route's future in one more of its own, and the timeout arms a timer
//! with a clock read of its own. Here the clock is read once on the way in
//! and once on the way out, the timer is armed only for a route that does
//! not answer at its first poll (most answer at once), and each route keeps
//! the metric series of its usual answer rather than looking them up.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use pin_project_lite::pin_project;
use tokio::time::{Instant, Sleep};
use uuid::Uuid;

use crate::metrics::{Metrics, RequestSeries, method_label};

pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

#[derive(Clone)]
pub struct RequestScopeLayer {
    metrics: Arc<Metrics>,
    timeout: Duration,
}

impl RequestScopeLayer {
    /// Requests are counted and timed into `metrics`, and answered
    /// `408 Request Timeout` once they have taken `timeout`.
    pub fn new(metrics: Arc<Metrics>, timeout: Duration) -> Self {
        Self { metrics, timeout }
    }
}

impl<S> tower::Layer<S> for RequestScopeLayer {
    type Service = RequestScope<S>;

    /// Called once for each route (the router layers each on its own).
    fn layer(&self, inner: S) -> Self::Service {
        let route = Route { metrics: Arc::clone(&self.metrics), usual: OnceLock::new() };
        RequestScope { inner, route: Arc::new(route), timeout: self.timeout }
    }
}

#[derive(Clone)]
pub struct RequestScope<S> {
    inner: S,
    route: Arc<Route>,
    timeout: Duration,
}

/// What one route's requests share.
struct Route {
    metrics: Arc<Metrics>,
    /// The series of the route's first answer (its method and status),
    /// which is nearly always its usual one.
    usual: OnceLock<RequestSeries>,
}

impl<S, E> tower::Service<Request> for RequestScope<S>
where
    S: tower::Service<Request, Response = Response, Error = E>,
{
    type Response = Response;
    type Error = E;
    type Future = ScopeFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), E>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let started = Instant::now();
        let request_id = if let Some(given) = request.headers().get(&X_REQUEST_ID) {
            given.clone()
        } else {
            let made = new_request_id();
            request.headers_mut().insert(X_REQUEST_ID.clone(), made.clone());
            made
        };
        // The route pattern, not the path: invitation tokens must reach
        // neither the logs nor the metrics' labels. Cloning it is a
        // reference count.
        let route = request.extensions().get::<MatchedPath>().cloned();
        // The fields are only evaluated when the span is enabled.
        let span = tracing::info_span!(
            "request",
            method = %request.method(),
            route = route.as_ref().map_or("(unmatched)", MatchedPath::as_str),
            request_id = request_id.to_str().unwrap_or(""),
        );
        let seen = Seen { shared: Arc::clone(&self.route), route, method: method_label(request.method()), started };
        let inner = span.in_scope(|| self.inner.call(request));
        ScopeFuture { inner, timer: None, deadline: started + self.timeout, span, request_id, seen: Some(seen) }
    }
}

/// A new request id: a random UUID, as tower-http's `MakeRequestUuid`.
fn new_request_id() -> HeaderValue {
    let mut text = [0_u8; uuid::fmt::Hyphenated::LENGTH];
    let text = Uuid::new_v4().hyphenated().encode_lower(&mut text);
    HeaderValue::from_str(text).expect("a UUID is a valid header value")
}

pin_project! {
    pub struct ScopeFuture<F> {
        #[pin]
        inner: F,
        #[pin]
        timer: Option<Sleep>,
        deadline: Instant,
        span: tracing::Span,
        request_id: HeaderValue,
        seen: Option<Seen>,
    }
}

impl<F, E> Future for ScopeFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let _entered = this.span.enter();
        let mut response = match this.inner.poll(cx) {
            Poll::Ready(answered) => answered?,
            Poll::Pending => {
                if this.timer.is_none() {
                    this.timer.set(Some(tokio::time::sleep_until(*this.deadline)));
                }
                if let Some(timer) = this.timer.as_pin_mut() {
                    ready!(timer.poll(cx));
                }
                // Browsers get an error page for it (`pages::ErrorPagesLayer`).
                let mut timed_out = Response::new(Body::empty());
                *timed_out.status_mut() = StatusCode::REQUEST_TIMEOUT;
                timed_out
            }
        };
        if !response.headers().contains_key(&X_REQUEST_ID) {
            response.headers_mut().insert(X_REQUEST_ID.clone(), this.request_id.clone());
        }
        if let Some(seen) = this.seen.take() {
            seen.record(&response);
        }
        Poll::Ready(Ok(response))
    }
}

/// What is kept of the request to count and log it once it is answered.
struct Seen {
    shared: Arc<Route>,
    route: Option<MatchedPath>,
    method: &'static str,
    started: Instant,
}

impl Seen {
    fn record(self, response: &Response) {
        let took = self.started.elapsed();
        let status = response.status();
        let route = self.route.as_ref().map_or("(unmatched)", MatchedPath::as_str);
        match self.shared.usual.get() {
            Some(usual) if usual.is_for(route, self.method, status.as_u16()) => usual.observe(took),
            _ => {
                let series = self.shared.metrics.request_series(route, self.method, status.as_u16());
                series.observe(took);
                let _ = self.shared.usual.set(series);
            }
        }
        let latency_ms = took.as_millis();
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), latency_ms, "request failed");
        } else {
            tracing::debug!(status = status.as_u16(), latency_ms, "request answered");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use tower::{Layer as _, ServiceExt as _};

    use super::*;

    fn scoped<S>(route: S) -> RequestScope<S> {
        RequestScopeLayer::new(Arc::new(Metrics::default()), Duration::from_secs(30)).layer(route)
    }

    #[tokio::test]
    async fn a_response_carries_the_clients_request_id_or_a_new_one() {
        let echo = tower::service_fn(|request: Request| async move {
            let seen = request.headers().get(&X_REQUEST_ID).cloned();
            Ok::<_, Infallible>(Response::new(Body::from(seen.map(|id| id.as_bytes().to_vec()).unwrap_or_default())))
        });
        let given = Request::builder().header("x-request-id", "from-the-proxy").body(Body::empty()).unwrap();
        let response = scoped(echo).oneshot(given).await.unwrap();
        assert_eq!(response.headers()[&X_REQUEST_ID], "from-the-proxy");

        let response = scoped(echo).oneshot(Request::new(Body::empty())).await.unwrap();
        let made = response.headers()[&X_REQUEST_ID].to_str().unwrap().to_owned();
        assert!(Uuid::parse_str(&made).is_ok(), "{made}");
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        assert_eq!(body, made.as_bytes(), "the route sees the id the client gets");
    }

    #[tokio::test(start_paused = true)]
    async fn a_route_that_does_not_answer_in_time_is_answered_408_with_its_request_id() {
        let stuck = tower::service_fn(|_: Request| std::future::pending::<Result<Response, Infallible>>());
        let response = scoped(stuck).oneshot(Request::new(Body::empty())).await.unwrap();
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
        assert!(response.headers().contains_key(&X_REQUEST_ID));
    }
}
