//! Rendered email -> a MIME message: `multipart/alternative` (text, HTML and,
//! for calendar emails, the `text/calendar; method=…` part iMIP readers look
//! for) inside `multipart/mixed` with the same object attached as
//! `invite.ics`; a stable Message-ID; and one-click unsubscribe headers
//! (RFC 8058).

use anyhow::Context;
use lettre::Message;
use lettre::message::header::{ContentDisposition, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};

use super::templates::Rendered;
use crate::ics::Method;

/// Everything a message is made of.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub from: Mailbox,
    pub to: Mailbox,
    pub reply_to: Option<Mailbox>,
    pub message_id: String,
    /// The email's kind, as an `X-Convive-Kind` header for filters and tests.
    pub kind: &'static str,
    /// (mailto URI, HTTPS one-click URI), for guest emails.
    pub unsubscribe: Option<(String, String)>,
}

/// # Errors
/// Only on a malformed header value, which validated inputs never produce.
pub fn build(envelope: &Envelope, rendered: &Rendered, calendar: Option<(Method, &str)>) -> anyhow::Result<Message> {
    let mut builder = Message::builder()
        .from(envelope.from.clone())
        .to(envelope.to.clone())
        .subject(rendered.subject.clone())
        .message_id(Some(envelope.message_id.clone()))
        .raw_header(HeaderValue::new(header("X-Convive-Kind")?, envelope.kind.to_owned()));
    if let Some(reply_to) = &envelope.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    if let Some((mailto, https)) = &envelope.unsubscribe {
        builder = builder
            .raw_header(HeaderValue::new(header("List-Unsubscribe")?, format!("<{https}>, <{mailto}>")))
            .raw_header(HeaderValue::new(header("List-Unsubscribe-Post")?, "List-Unsubscribe=One-Click".to_owned()));
    }
    let mut alternative = MultiPart::alternative()
        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(rendered.text.clone()))
        .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(rendered.html.clone()));
    let message = match calendar {
        None => builder.multipart(alternative),
        Some((method, ics)) => {
            let calendar_type = |extra: &str| {
                ContentType::parse(&format!("text/calendar; method={}; charset=UTF-8{extra}", method.as_str()))
            };
            alternative = alternative.singlepart(SinglePart::builder().header(calendar_type("")?).body(ics.to_owned()));
            let attachment = SinglePart::builder()
                .header(calendar_type("; name=\"invite.ics\"")?)
                .header(ContentDisposition::attachment("invite.ics"))
                .body(ics.to_owned());
            builder.multipart(MultiPart::mixed().multipart(alternative).singlepart(attachment))
        }
    };
    message.context("cannot assemble the message")
}

fn header(name: &'static str) -> anyhow::Result<HeaderName> {
    HeaderName::new_from_ascii(name.to_owned()).map_err(|e| anyhow::anyhow!("bad header name {name}: {e}"))
}
