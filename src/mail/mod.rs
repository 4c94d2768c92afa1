//! Email: templates, messages, transports, and the dispatcher that drains the
//! outbox. Handlers and jobs never send; they queue outbox rows.
pub mod compose;
pub mod context;
pub mod digest;
pub mod dispatch;
pub mod dkim;
pub mod inbound;
pub mod message;
pub mod preview;
pub mod templates;
pub mod transport;
