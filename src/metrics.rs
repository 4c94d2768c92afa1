//! Prometheus metrics: what operators watch, in one registry per running
//! application (never a global, so two apps in one test process keep their
//! own counts). Doors and workers record into it; `/metrics` encodes it in
//! the OpenMetrics text format, after refreshing the gauges that are read
//! from the database at scrape time (see `app::monitoring`).
//!
//! `prometheus-client` rather than `metrics` + `metrics-exporter-prometheus`:
//! the latter installs a process-wide recorder, the former gives a registry
//! per value.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// A method as a label: the standard ones by name, any other as "OTHER"
/// (a client must not be able to grow the label set).
pub fn method_label(method: &axum::http::Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    }
}

/// One HTTP request's labels: the route pattern (never the path, which may
/// carry an invitation token), the method and the status code.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: &'static str,
    pub method: &'static str,
    pub status: u16,
}

/// A route pattern and method, for the latency histogram.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: &'static str,
    pub method: &'static str,
}

/// An email kind (`invitation`, `nudge`…) and what happened to it.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct MailLabels {
    pub kind: String,
    pub outcome: MailOutcome,
}

#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, prometheus_client::encoding::EncodeLabelValue)]
#[allow(non_camel_case_types)]
pub enum MailOutcome {
    /// Accepted by the SMTP server.
    sent,
    /// Failed for good (a permanent error, or retried past the maximum age).
    failed,
    /// Failed for now; tried again later.
    retried,
    /// Not sent because it no longer applies (the guest left, the event is over).
    skipped,
}

/// A webhook event type (`guest.answered`…) and what one attempt did.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HookLabels {
    pub event_type: String,
    pub outcome: HookOutcome,
}

#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, prometheus_client::encoding::EncodeLabelValue)]
#[allow(non_camel_case_types)]
pub enum HookOutcome {
    /// The endpoint answered 2xx.
    delivered,
    /// It failed this time; tried again on the schedule.
    retried,
    /// Given up: attempts spent, or the endpoint answered 410.
    failed,
    /// Not sent: the endpoint was disabled meanwhile.
    skipped,
}

/// Outbox rows still to be sent, by kind and status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutboxLabels {
    pub kind: String,
    pub status: String,
}

/// The connection pool's connections, by state.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PoolLabels {
    pub state: &'static str,
}

/// Latency buckets, in seconds: from a cached read (under a millisecond) to
/// the request timeout (30 s).
fn latency_histogram() -> Histogram {
    Histogram::new([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0])
}

/// Scheduler ticks take milliseconds unless much is due.
fn tick_histogram() -> Histogram {
    Histogram::new([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0])
}

/// The histogram and counter of one route, method and status: handles on
/// the registry's own series (a clone shares the values).
#[derive(Clone, Debug)]
pub struct RequestSeries {
    route: &'static str,
    method: &'static str,
    status: u16,
    duration: Histogram,
    count: Counter,
}

impl RequestSeries {
    pub fn is_for(&self, route: &str, method: &str, status: u16) -> bool {
        self.status == status && self.method == method && self.route == route
    }

    /// One request answered, after `took`.
    pub fn observe(&self, took: Duration) {
        self.duration.observe(took.as_secs_f64());
        self.count.inc();
    }
}

/// Every metric Convive exports. Cheap to record into from any task.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_duration: Family<RouteLabels, Histogram, fn() -> Histogram>,
    emails: Family<MailLabels, Counter>,
    webhooks: Family<HookLabels, Counter>,
    tick_duration: Histogram,
    claim_duration: Histogram,
    reminders_queued: Counter,
    leases_returned: Counter,
    /// Refreshed at scrape time.
    outbox_rows: Family<OutboxLabels, Gauge>,
    pool_connections: Family<PoolLabels, Gauge>,
    answers_waiting: Gauge,
    answer_batch_size: Histogram,
    scrape: std::sync::Mutex<()>,
    /// Every route pattern seen, kept for the life of the process, so a
    /// request's labels borrow them instead of allocating (the router's
    /// patterns are a fixed, small set).
    routes: std::sync::RwLock<std::collections::HashSet<&'static str>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("convive");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern, method and status",
            requests.clone(),
        );
        let request_duration = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        registry.register_with_unit(
            "http_request_duration",
            "Time to answer an HTTP request, by route pattern and method",
            prometheus_client::registry::Unit::Seconds,
            request_duration.clone(),
        );
        let emails = Family::<MailLabels, Counter>::default();
        registry.register("emails", "Emails handled by the dispatcher, by kind and outcome", emails.clone());
        let webhooks = Family::<HookLabels, Counter>::default();
        registry.register(
            "webhook_deliveries",
            "Webhook delivery attempts, by event type and outcome",
            webhooks.clone(),
        );
        let tick_duration = tick_histogram();
        registry.register_with_unit(
            "scheduler_tick_duration",
            "Time the scheduler took to queue what was due",
            prometheus_client::registry::Unit::Seconds,
            tick_duration.clone(),
        );
        let claim_duration = tick_histogram();
        registry.register_with_unit(
            "dispatch_claim_duration",
            "Time the dispatcher took to claim a batch of due emails",
            prometheus_client::registry::Unit::Seconds,
            claim_duration.clone(),
        );
        let reminders_queued = Counter::default();
        registry.register(
            "scheduler_emails_queued",
            "Emails the scheduler queued because their time had come",
            reminders_queued.clone(),
        );
        let leases_returned = Counter::default();
        registry.register(
            "scheduler_leases_returned",
            "Claimed emails given back to the queue because their sender stopped",
            leases_returned.clone(),
        );
        let outbox_rows = Family::<OutboxLabels, Gauge>::default();
        registry.register("outbox_rows", "Emails waiting in the outbox, by kind and status", outbox_rows.clone());
        let pool_connections = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "database_connections",
            "Database connections of the reading pool, by state (in_use, idle)",
            pool_connections.clone(),
        );
        let answers_waiting = Gauge::default();
        registry.register(
            "answers_waiting",
            "Guests' answers waiting for a batch to be written in",
            answers_waiting.clone(),
        );
        let answer_batch_size = Histogram::new([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0]);
        registry.register(
            "answer_batch_size",
            "Guests' answers written together in one transaction",
            answer_batch_size.clone(),
        );
        Self {
            registry,
            requests,
            request_duration,
            emails,
            webhooks,
            tick_duration,
            claim_duration,
            reminders_queued,
            leases_returned,
            outbox_rows,
            pool_connections,
            answers_waiting,
            answer_batch_size,
            scrape: std::sync::Mutex::new(()),
            routes: std::sync::RwLock::default(),
        }
    }

    /// The series one kind of request is counted and timed in, taken out of
    /// their families (a lock and a hash each) once, to be kept and reused.
    pub fn request_series(&self, route: &str, method: &'static str, status: u16) -> RequestSeries {
        let route = self.route(route);
        RequestSeries {
            route,
            method,
            status,
            duration: self.request_duration.get_or_create(&RouteLabels { route, method }).clone(),
            count: self.requests.get_or_create(&RequestLabels { route, method, status }).clone(),
        }
    }

    /// The route pattern, as kept in `routes`.
    fn route(&self, route: &str) -> &'static str {
        let known = self.routes.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(route).copied();
        known.unwrap_or_else(|| {
            let mut routes = self.routes.write().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(kept) = routes.get(route) {
                return *kept;
            }
            let kept: &'static str = Box::leak(route.to_owned().into_boxed_str());
            routes.insert(kept);
            kept
        })
    }

    /// One email handled by the dispatcher.
    pub fn email(&self, kind: &str, outcome: MailOutcome) {
        self.emails.get_or_create(&MailLabels { kind: kind.to_owned(), outcome }).inc();
    }

    /// One webhook delivery attempt.
    pub fn webhook(&self, event_type: &str, outcome: HookOutcome) {
        self.webhooks.get_or_create(&HookLabels { event_type: event_type.to_owned(), outcome }).inc();
    }

    /// One scheduler tick.
    pub fn tick(&self, took: Duration, queued: u64, leases_returned: u64) {
        self.tick_duration.observe(took.as_secs_f64());
        self.reminders_queued.inc_by(queued);
        self.leases_returned.inc_by(leases_returned);
    }

    /// One claim of due emails by the dispatcher.
    pub fn claim(&self, took: Duration) {
        self.claim_duration.observe(took.as_secs_f64());
    }

    /// How many guests' answers wait for a batch.
    pub fn set_answers_waiting(&self, answers: usize) {
        self.answers_waiting.set(i64::try_from(answers).unwrap_or(i64::MAX));
    }

    /// How many guests' answers wait for a batch now.
    pub fn answers_waiting(&self) -> i64 {
        self.answers_waiting.get()
    }

    /// One batch of guests' answers, written together.
    pub fn answer_batch(&self, answers: usize) {
        self.answer_batch_size.observe(u32::try_from(answers).map_or(f64::MAX, f64::from));
    }

    /// The registry in the OpenMetrics text format, with the gauges read
    /// from the database just before: the outbox rows waiting, by kind and
    /// status, and the pool's connections (in use, idle).
    pub fn encode(&self, outbox_waiting: &[(String, String, i64)], pool: (u32, u32)) -> String {
        // Two scrapes at once must not interleave clearing and setting.
        let _scrape = self.scrape.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // A kind with nothing left waiting must read 0, not its last count.
        self.outbox_rows.clear();
        for (kind, status, rows) in outbox_waiting {
            self.outbox_rows.get_or_create(&OutboxLabels { kind: kind.clone(), status: status.clone() }).set(*rows);
        }
        self.pool_connections.get_or_create(&PoolLabels { state: "in_use" }).set(i64::from(pool.0));
        self.pool_connections.get_or_create(&PoolLabels { state: "idle" }).set(i64::from(pool.1));
        let mut text = String::with_capacity(16 * 1024);
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}
