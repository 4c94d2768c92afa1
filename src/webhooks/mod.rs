//! Webhook delivery, the HTTP door outwards: [`dispatch`] claims queued
//! deliveries, builds and signs each body, and sends it under the rules of
//! [`address`] (no private addresses, no redirects, a 10 s timeout).
pub mod address;
pub mod dispatch;
