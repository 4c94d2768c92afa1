//! The webhook dispatcher: claims due deliveries with a lease (as the mail
//! dispatcher does), builds each body once and keeps it, signs it (Standard
//! Webhooks v1) and POSTs it outside any transaction. At-least-once: a
//! delivery is marked delivered only after a 2xx. Failures follow the spec's
//! schedule with jitter; a 410 disables the endpoint; so does a day of
//! failures, and the organiser is told by email either way.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;
use serde_json::{Value, json};
use uuid::Uuid;

use super::address::{self, Network};
use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::webhook::{self, RESPONSE_BODY_LIMIT, WebhookType};
use crate::metrics::{HookOutcome, Metrics};
use crate::storage::entities::webhook_deliveries::{DeliveryStatus, Model as Delivery};
use crate::storage::entities::webhook_endpoints::Model as Endpoint;
use crate::storage::webhooks::Attempt;
use crate::storage::{self, Db};

/// How long an endpoint has to answer.
pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// After a day of failures without a success, an endpoint is disabled.
const FAILING_DAY: i64 = 24;
const BATCH: u64 = 50;
const IN_PARALLEL: usize = 8;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebhookReport {
    pub delivered: usize,
    pub retried: usize,
    pub failed: usize,
    pub skipped: usize,
}

pub struct WebhookDispatcher {
    db: Db,
    settings: Arc<Settings>,
    clock: Clock,
    allowed: Vec<Network>,
    metrics: Arc<Metrics>,
}

/// What the endpoint did with one attempt.
struct Response {
    status: u16,
    body: String,
    duration_ms: i32,
}

impl WebhookDispatcher {
    /// # Errors
    /// When `webhook_allowed_networks` cannot be read.
    pub fn new(db: Db, settings: Arc<Settings>, clock: Clock, metrics: Arc<Metrics>) -> anyhow::Result<Self> {
        let allowed = address::parse_networks(&settings.webhook_allowed_networks).map_err(anyhow::Error::msg)?;
        Ok(Self { db, settings, clock, allowed, metrics })
    }

    /// Sends everything due now, batch after batch, until nothing is left or
    /// `keep_going` says to stop.
    pub async fn dispatch_due(&self, keep_going: &(dyn Fn() -> bool + Sync)) -> anyhow::Result<WebhookReport> {
        let mut report = WebhookReport::default();
        let lease = Duration::seconds(self.settings.dispatch_lease_seconds.max(30) as i64);
        while keep_going() {
            let rows = storage::webhooks::claim_due(&self.db, self.clock.now(), lease, BATCH)
                .await
                .context("cannot claim due webhooks")?;
            if rows.is_empty() {
                break;
            }
            let ids: Vec<Uuid> = rows.iter().map(|r| r.endpoint_id).collect();
            let endpoints: HashMap<Uuid, Endpoint> =
                storage::webhooks::endpoints_by_id(&*self.db, &ids).await?.into_iter().map(|e| (e.id, e)).collect();
            let endpoints = &endpoints;
            let outcomes: Vec<(DeliveryStatus, String)> = futures::stream::iter(rows)
                .map(|row| async move { (self.deliver(&row, endpoints.get(&row.endpoint_id)).await, row.event_type) })
                .buffer_unordered(IN_PARALLEL)
                .collect()
                .await;
            for (outcome, event_type) in outcomes {
                let counted = match outcome {
                    DeliveryStatus::Delivered => {
                        report.delivered += 1;
                        HookOutcome::delivered
                    }
                    DeliveryStatus::Pending | DeliveryStatus::Sending => {
                        report.retried += 1;
                        HookOutcome::retried
                    }
                    DeliveryStatus::Failed => {
                        report.failed += 1;
                        HookOutcome::failed
                    }
                    DeliveryStatus::Skipped => {
                        report.skipped += 1;
                        HookOutcome::skipped
                    }
                };
                self.metrics.webhook(&event_type, counted);
            }
        }
        Ok(report)
    }

    async fn deliver(&self, row: &Delivery, endpoint: Option<&Endpoint>) -> DeliveryStatus {
        let now = self.clock.now();
        let Some(endpoint) = endpoint.filter(|e| e.enabled) else {
            let attempt = blank(DeliveryStatus::Skipped, now, "the endpoint is disabled");
            return self.record(row, &attempt).await;
        };
        let body = match self.body(row).await {
            Ok(body) => body,
            Err(err) => {
                // The database, usually: the lease returns it to the queue.
                tracing::error!(delivery = row.id, error = format!("{err:#}"), "cannot build a webhook body");
                return DeliveryStatus::Pending;
            }
        };
        match self.send(endpoint, row, &body).await {
            Ok(response) if (200..300).contains(&response.status) => {
                if let Err(err) = storage::webhooks::note_success(&*self.db, endpoint.id).await {
                    tracing::warn!(error = %err, "cannot record an endpoint's success");
                }
                let attempt = answered(DeliveryStatus::Delivered, None, &response, now, None);
                self.record(row, &attempt).await
            }
            Ok(response) if response.status == 410 => {
                let attempt =
                    answered(DeliveryStatus::Failed, None, &response, now, Some("the endpoint is gone (410)"));
                let status = self.record(row, &attempt).await;
                self.disable(endpoint, "gone").await;
                status
            }
            Ok(response) => {
                let error = format!("the endpoint answered {}", response.status);
                self.failed(row, endpoint, Some(&response), &error).await
            }
            Err(error) => self.failed(row, endpoint, None, &format!("{error:#}")).await,
        }
    }

    /// A failed attempt: again on the schedule, or failed for good when the
    /// attempts are spent or the endpoint has failed for a day.
    async fn failed(
        &self,
        row: &Delivery,
        endpoint: &Endpoint,
        response: Option<&Response>,
        error: &str,
    ) -> DeliveryStatus {
        let now = self.clock.now();
        tracing::debug!(delivery = row.id, attempts = row.attempts, %error, "webhook attempt failed");
        let failing_since = match storage::webhooks::note_failure(&*self.db, endpoint.id, now).await {
            Ok(since) => since,
            Err(err) => {
                tracing::error!(error = %err, "cannot record an endpoint's failure");
                now
            }
        };
        let a_day_of_failures = now - failing_since >= Duration::hours(FAILING_DAY);
        let retry_at = webhook::retry_delay(row.attempts, rand::random_range(0..=1000)).map(|delay| now + delay);
        let (status, retry_at) = match retry_at {
            Some(at) if !a_day_of_failures => (DeliveryStatus::Pending, Some(at)),
            _ => (DeliveryStatus::Failed, None),
        };
        let attempt = match response {
            Some(response) => answered(status, retry_at, response, now, Some(error)),
            None => Attempt { retry_at, ..blank(status, now, error) },
        };
        let recorded = self.record(row, &attempt).await;
        if a_day_of_failures {
            self.disable(endpoint, "failing").await;
        }
        recorded
    }

    /// Disables the endpoint and queues the email telling its organiser, in
    /// one transaction; once, however many deliveries find out together.
    async fn disable(&self, endpoint: &Endpoint, reason: &str) {
        let outcome = async {
            let tx = storage::begin_write(&self.db).await?;
            if storage::webhooks::disable(&*tx, endpoint.id, reason).await? {
                let queued =
                    storage::outbox::enqueue_webhook_disabled(&*tx, endpoint, reason, self.clock.now()).await?;
                tx.commit().await?;
                tracing::warn!(endpoint = %endpoint.id, reason, queued, "webhook endpoint disabled");
            }
            anyhow::Ok(())
        };
        if let Err(err) = outcome.await {
            tracing::error!(error = format!("{err:#}"), "cannot disable a webhook endpoint");
        }
    }

    async fn record(&self, row: &Delivery, attempt: &Attempt) -> DeliveryStatus {
        match storage::webhooks::record(&*self.db, row, attempt).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(delivery = row.id, "a webhook's lease ran out before its outcome was recorded"),
            Err(err) => tracing::error!(error = %err, "cannot record a webhook attempt; its lease will return it"),
        }
        attempt.status
    }

    /// The body as first built, so that every attempt signs the same bytes.
    async fn body(&self, row: &Delivery) -> anyhow::Result<String> {
        if let Some(payload) = &row.payload {
            return Ok(payload.clone());
        }
        let payload = self.build(row).await?.to_string();
        storage::webhooks::keep_payload(&self.db, row.id, &payload).await?;
        Ok(payload)
    }

    /// `{ type, timestamp, data }`: ids, the event's and the guest's
    /// essentials, and what changed. Never a token.
    async fn build(&self, row: &Delivery) -> anyhow::Result<Value> {
        let mut data = serde_json::from_str::<Value>(&row.data).unwrap_or_else(|_| json!({}));
        let object = data.as_object_mut().context("webhook data is not an object")?;
        if row.event_type == WebhookType::Test.as_str() {
            object.insert("endpoint_id".into(), json!(row.endpoint_id));
            object.insert("message".into(), json!("A test event from Convive: your endpoint is reachable."));
        }
        if let Some(event_id) = row.event_id {
            match storage::events::find_by_id(&*self.db, event_id).await {
                Ok(event) => {
                    object.insert(
                        "event".into(),
                        json!({
                            "id": event.id,
                            "title": event.details.title,
                            "status": event.status.as_str(),
                            "starts_at": event.details.schedule.starts_at,
                            "ends_at": event.details.schedule.ends_at,
                            "time_zone": event.details.schedule.time_zone.name(),
                            "venue_name": event.details.venue.name,
                            "capacity": event.details.capacity,
                            "seats_taken": event.seats_taken,
                        }),
                    );
                }
                Err(storage::StorageError::NotFound(_)) => {
                    object.insert("event".into(), json!({ "id": event_id }));
                }
                Err(err) => return Err(anyhow::Error::new(err).context("cannot load the event")),
            }
        }
        if let Some(guest_id) = row.guest_id {
            let guest = match storage::guests::find_many(&self.db, &[guest_id]).await?.pop() {
                Some(guest) => json!({
                    "id": guest.id,
                    "name": guest.name,
                    "email": guest.email.as_str(),
                    "answer": guest.reply.as_ref().map(|r| r.answer.as_str()),
                    "companions": guest.reply.as_ref().map_or(0, |r| r.companions),
                    "waitlisted": guest.waitlisted_at.is_some(),
                    "checked_in_at": guest.checked_in_at,
                    "walk_in": guest.walk_in,
                }),
                None => json!({ "id": guest_id }),
            };
            object.insert("guest".into(), guest);
        }
        Ok(json!({ "type": row.event_type, "timestamp": row.occurred_at, "data": data }))
    }

    /// One POST under the safety rules: the scheme allowed, every address
    /// the name resolves to checked now (not when the URL was saved), the
    /// connection pinned to the checked addresses, no redirect followed,
    /// [`TIMEOUT`] in all, at most [`RESPONSE_BODY_LIMIT`] of the answer kept.
    async fn send(&self, endpoint: &Endpoint, row: &Delivery, body: &str) -> anyhow::Result<Response> {
        let url = webhook::parse_url(&endpoint.url, self.settings.webhook_allow_http)
            .map_err(|_| anyhow::anyhow!("the URL is not allowed (https only)"))?;
        let host = url.host_str().context("the URL has no host")?.to_owned();
        let port = url.port_or_known_default().context("the URL has no port")?;
        let addresses = self.resolve(&host, port).await?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A proxy from the environment would connect on its own terms,
            // past the addresses checked here.
            .no_proxy()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .user_agent(concat!("Convive-Webhooks/", env!("CARGO_PKG_VERSION")))
            .resolve_to_addrs(host.trim_start_matches('[').trim_end_matches(']'), &addresses)
            .build()
            .context("cannot build the HTTP client")?;
        let message_id = format!("msg_{}", row.message_id.simple());
        let timestamp = self.clock.now().timestamp();
        let signature =
            webhook::sign(&endpoint.secret, &message_id, timestamp, body.as_bytes()).map_err(anyhow::Error::msg)?;
        let started = Instant::now();
        let exchange = async {
            let mut response = client
                .post(url)
                .header("content-type", "application/json")
                .header("webhook-id", &message_id)
                .header("webhook-timestamp", timestamp.to_string())
                .header("webhook-signature", signature)
                .body(body.to_owned())
                .send()
                .await?;
            let status = response.status().as_u16();
            let mut kept = Vec::new();
            while kept.len() < RESPONSE_BODY_LIMIT {
                match response.chunk().await? {
                    Some(chunk) => kept.extend_from_slice(&chunk),
                    None => break,
                }
            }
            kept.truncate(RESPONSE_BODY_LIMIT);
            Ok::<_, reqwest::Error>((status, String::from_utf8_lossy(&kept).into_owned()))
        };
        let (status, body) = exchange.await.map_err(|err| anyhow::anyhow!(describe(&err)))?;
        let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        Ok(Response { status, body, duration_ms })
    }

    /// The addresses of `host`, all of which must be permitted: a name that
    /// also points inside is refused rather than half-trusted.
    async fn resolve(&self, host: &str, port: u16) -> anyhow::Result<Vec<SocketAddr>> {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let addresses: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => {
                tokio::net::lookup_host((bare, port)).await.with_context(|| format!("cannot resolve {bare}"))?.collect()
            }
        };
        if addresses.is_empty() {
            anyhow::bail!("{bare} has no address");
        }
        if let Some(refused) = addresses.iter().find(|a| !address::permitted(a.ip(), &self.allowed)) {
            anyhow::bail!(
                "{} is a loopback, private, link-local or metadata address, which webhooks may not reach",
                refused.ip()
            );
        }
        Ok(addresses)
    }
}

/// What went wrong, in words for the log a person reads.
fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        format!("no answer within {} seconds", TIMEOUT.as_secs())
    } else if err.is_connect() {
        "cannot connect to the endpoint".to_owned()
    } else {
        format!("the exchange failed: {err}")
    }
}

fn blank(status: DeliveryStatus, at: DateTime<Utc>, error: &str) -> Attempt {
    Attempt {
        status,
        retry_at: None,
        response_status: None,
        response_body: None,
        duration_ms: None,
        error: Some(error.to_owned()),
        at,
    }
}

fn answered(
    status: DeliveryStatus,
    retry_at: Option<DateTime<Utc>>,
    response: &Response,
    at: DateTime<Utc>,
    error: Option<&str>,
) -> Attempt {
    Attempt {
        status,
        retry_at,
        response_status: Some(i32::from(response.status)),
        response_body: Some(response.body.clone()),
        duration_ms: Some(response.duration_ms),
        error: error.map(str::to_owned),
        at,
    }
}
