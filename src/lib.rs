//! Convive: event invitations and RSVPs that do the chasing for organisers
//! of small recurring events.

/// The application layer: every operation, one module per use case.
pub mod app;
/// The command line (`serve`, `migrate`, organiser tasks).
pub mod cli;
/// The injectable clock.
pub mod clock;
/// Settings from defaults, a file and `CONVIVE_*` variables.
pub mod config;
/// Pure types and rules: events, guests, answers, seating.
pub mod domain;
/// The one JSON error shape.
pub mod error;
/// Axum routers: organiser API, guest API, probes, OpenAPI.
pub mod http;
/// The message catalogue: every word a person reads, in French and English.
pub mod i18n;
/// Calendar output (VCALENDAR text).
pub mod ics;
/// Every URL the service gives out.
pub mod links;
/// Templates, transports and the outbox dispatcher.
pub mod mail;
/// Prometheus metrics: one registry per application.
pub mod metrics;
/// The in-process clock that wakes due work.
pub mod scheduler;
/// Building and running the application.
pub mod startup;
/// sea-orm storage on SQLite or PostgreSQL.
pub mod storage;
/// Structured logging.
pub mod telemetry;
/// The email and page templates compiled into the binary.
pub mod template_files;
/// Webhook delivery: the dispatcher that signs and sends, and which addresses it may reach.
pub mod webhooks;
