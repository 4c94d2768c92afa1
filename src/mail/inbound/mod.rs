//! Doors through which inbound mail arrives, other than the HTTP endpoint
//! (`http::inbound`): each hands raw messages to `app::inbound::receive`.
pub mod imap;
