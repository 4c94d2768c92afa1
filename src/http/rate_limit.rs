//! Rate limiting of the routes that take a secret token (guest pages, links
//! and feeds): guessing tokens is hopeless at 128 bits, but a client hammering
//! them still costs database reads. One limiter per process, keyed by client
//! address, through `tower_governor`: a maintained governor (GCRA) binding
//! for tower, so no bucket bookkeeping of our own.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response};
use axum::response::IntoResponse;
use governor::middleware::NoOpMiddleware;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::{GovernorConfig, GovernorConfigBuilder};
use tower_governor::key_extractor::{KeyExtractor, PeerIpKeyExtractor};

use super::pages::PageError;
use crate::config::Settings;
use crate::error::ApiError;

/// The client's address: the connection's peer, or behind a reverse proxy
/// the last address in `X-Forwarded-For`, the one our proxy appended (the
/// ones before it are whatever the client wrote). Trusted only when told.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress {
    trust_forwarded_for: bool,
}

impl KeyExtractor for ClientAddress {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        let forwarded = self
            .trust_forwarded_for
            .then(|| request.headers().get("x-forwarded-for"))
            .flatten()
            .and_then(|value| value.to_str().ok())
            .and_then(|list| list.rsplit(',').next())
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        match forwarded {
            Some(address) => Ok(address),
            None => PeerIpKeyExtractor.extract(request),
        }
    }
}

type Config = GovernorConfig<ClientAddress, NoOpMiddleware>;

/// The shared limiter, or `None` when limiting is off.
#[derive(Clone)]
pub struct RateLimit {
    config: Option<Arc<Config>>,
}

impl RateLimit {
    pub fn new(settings: &Settings) -> Self {
        if settings.rate_limit_per_minute == 0 {
            return Self { config: None };
        }
        let period = Duration::from_mins(1) / settings.rate_limit_per_minute;
        let config = GovernorConfigBuilder::default()
            .key_extractor(ClientAddress { trust_forwarded_for: settings.trust_forwarded_for })
            .period(period)
            .burst_size(settings.rate_limit_burst)
            .finish()
            .map(Arc::new);
        Self { config }
    }

    /// No limit: for building the OpenAPI document.
    pub fn off() -> Self {
        Self { config: None }
    }

    /// Forgets clients not seen lately, so the table does not grow forever.
    pub fn spawn_cleanup(&self) {
        if let Some(config) = &self.config {
            let limiter = Arc::clone(config.limiter());
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_mins(1));
                loop {
                    tick.tick().await;
                    limiter.retain_recent();
                }
            });
        }
    }

    /// Pages answer a refused request with a page.
    pub fn pages<S: Clone + Send + Sync + 'static>(&self, router: axum::Router<S>) -> axum::Router<S> {
        match &self.config {
            None => router,
            Some(config) => router.layer(
                GovernorLayer::new(Arc::clone(config))
                    .error_handler(|error| with_retry_after(PageError::too_many_requests().into_response(), &error)),
            ),
        }
    }

    /// API routes and feeds answer with the JSON error shape, and their
    /// documentation says they may.
    pub fn api<S: Clone + Send + Sync + 'static>(
        &self,
        mut router: utoipa_axum::router::OpenApiRouter<S>,
    ) -> utoipa_axum::router::OpenApiRouter<S> {
        super::openapi::rate_limited(router.get_openapi_mut());
        match &self.config {
            None => router,
            Some(config) => router.layer(
                GovernorLayer::new(Arc::clone(config))
                    .error_handler(|error| with_retry_after(ApiError::TooManyRequests.into_response(), &error)),
            ),
        }
    }
}

fn with_retry_after(mut response: Response<Body>, error: &GovernorError) -> Response<Body> {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            if let Ok(value) = wait_time.max(&1).to_string().parse() {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
            }
            response
        }
        // No client address: a server misconfiguration, not the client's doing.
        other => {
            tracing::error!(error = %other, "rate limiting cannot tell the client's address");
            ApiError::Internal(anyhow::anyhow!("rate limiting: {other}")).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(forwarded: Option<&str>) -> Request<()> {
        let mut request = Request::new(());
        if let Some(value) = forwarded {
            request.headers_mut().insert("x-forwarded-for", value.parse().unwrap());
        }
        let peer: std::net::SocketAddr = "10.0.0.1:5000".parse().unwrap();
        request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        request
    }

    #[test]
    fn behind_a_proxy_the_address_it_appended_counts_not_the_clients_own() {
        let trusted = ClientAddress { trust_forwarded_for: true };
        let forged = request(Some("1.2.3.4, 203.0.113.7"));
        assert_eq!(trusted.extract(&forged).unwrap(), "203.0.113.7".parse::<IpAddr>().unwrap());
        assert_eq!(trusted.extract(&request(None)).unwrap(), "10.0.0.1".parse::<IpAddr>().unwrap());
        let direct = ClientAddress { trust_forwarded_for: false };
        assert_eq!(direct.extract(&forged).unwrap(), "10.0.0.1".parse::<IpAddr>().unwrap(), "the header is ignored");
    }
}
