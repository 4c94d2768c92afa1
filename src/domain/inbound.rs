//! Inbound mail, read: who it was delivered to and who sent it, and the
//! calendar reply it carries (iMIP METHOD:REPLY, or COUNTER), whatever the
//! client: Gmail, Outlook/Exchange (no ORGANIZER in its replies), Apple
//! Calendar (often from another address), Thunderbird. Pure: bytes in,
//! values out; what to do with them is the application layer's.

use mail_parser::{MessageParser, MimeHeaders};

use uuid::Uuid;

use crate::domain::answer::Answer;
use crate::domain::token::{SecretKey, calendar_reply_token};

/// What Convive reads of one inbound message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboundMail {
    /// The Message-ID, without angle brackets.
    pub message_id: Option<String>,
    /// The From address, lower-cased.
    pub from: Option<String>,
    /// Every address it may have been delivered to (To, Cc, Delivered-To,
    /// X-Original-To), lower-cased.
    pub recipients: Vec<String>,
    pub subject: String,
    pub calendar: Option<CalendarReply>,
}

/// A calendar object sent back by a guest's calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarReply {
    /// REPLY, COUNTER, REFRESH…, upper-cased.
    pub method: String,
    pub uid: Option<String>,
    pub attendees: Vec<ReplyAttendee>,
    /// What she wrote with her answer (Outlook's COMMENT), unescaped.
    pub comment: Option<String>,
    /// A COUNTER's proposed start, as written.
    pub proposed_start: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplyAttendee {
    /// The address, lower-cased, without `mailto:`.
    pub email: String,
    pub name: Option<String>,
    /// ACCEPTED, TENTATIVE, DECLINED, DELEGATED…, upper-cased.
    pub partstat: Option<String>,
    pub delegated_to: Option<String>,
}

impl ReplyAttendee {
    /// The answer her PARTSTAT means, if it means one.
    pub fn answer(&self) -> Option<Answer> {
        match self.partstat.as_deref() {
            Some("ACCEPTED") => Some(Answer::Yes),
            Some("TENTATIVE") => Some(Answer::Maybe),
            Some("DECLINED") => Some(Answer::No),
            _ => None,
        }
    }
}

/// Reads a raw RFC 5322 message; `None` if it is not one.
pub fn read(raw: &[u8]) -> Option<InboundMail> {
    let message = MessageParser::default().parse(raw)?;
    let mut recipients = Vec::new();
    for list in [message.to(), message.cc()].into_iter().flatten() {
        recipients.extend(list.iter().filter_map(|a| a.address()).map(str::to_ascii_lowercase));
    }
    for name in ["Delivered-To", "X-Original-To", "Envelope-To"] {
        for value in message.header_values(name) {
            if let Some(text) = value.as_text() {
                recipients.push(text.trim().trim_matches(['<', '>']).to_ascii_lowercase());
            }
        }
    }
    // A reply carries one object, often twice (inline and attached).
    let calendar = message
        .parts
        .iter()
        .filter(|part| is_calendar(part))
        .filter_map(|part| part.text_contents())
        .find_map(read_calendar);
    Some(InboundMail {
        message_id: message.message_id().map(|id| id.trim().trim_matches(['<', '>']).to_owned()),
        from: message.from().and_then(|f| f.first()).and_then(|a| a.address()).map(str::to_ascii_lowercase),
        recipients,
        subject: message.subject().unwrap_or_default().to_owned(),
        calendar,
    })
}

/// `text/calendar`, or an attached `.ics` (some clients say
/// `application/ics` or `application/octet-stream`).
fn is_calendar(part: &mail_parser::MessagePart<'_>) -> bool {
    let by_type = part.content_type().is_some_and(|ct| {
        let subtype = ct.subtype().unwrap_or_default().to_ascii_lowercase();
        subtype == "calendar" || subtype == "ics"
    });
    let by_name = part.attachment_name().is_some_and(|name| name.to_ascii_lowercase().ends_with(".ics"));
    by_type || by_name
}

fn read_calendar(text: &str) -> Option<CalendarReply> {
    // Apple writes each line's CR as `=0D` in quoted-printable before the
    // line break, which decodes to CR CR LF: line ends are normalised first.
    let text = text.replace("\r\n", "\n").replace('\r', "");
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).ok()?;
    let method = calendar
        .properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case("METHOD"))
        .map(|p| p.val.as_str().trim().to_ascii_uppercase())?;
    let event = calendar.components.iter().find(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"))?;
    let value = |name: &str| {
        event.properties.iter().find(|p| p.name.as_str().eq_ignore_ascii_case(name)).map(|p| p.val.as_str().to_owned())
    };
    let attendees = event
        .properties
        .iter()
        .filter(|p| p.name.as_str().eq_ignore_ascii_case("ATTENDEE"))
        .map(|p| {
            let param = |key: &str| {
                p.params
                    .iter()
                    .find(|param| param.key.as_str().eq_ignore_ascii_case(key))
                    .and_then(|param| param.val.as_ref())
                    .map(|v| v.as_str().trim_matches('"').to_owned())
            };
            ReplyAttendee {
                email: mailto(p.val.as_str()),
                name: param("CN"),
                partstat: param("PARTSTAT").map(|s| s.to_ascii_uppercase()),
                delegated_to: param("DELEGATED-TO").map(|s| mailto(&s)),
            }
        })
        .collect();
    Some(CalendarReply {
        method,
        uid: value("UID").map(|u| u.trim().to_owned()),
        attendees,
        comment: value("COMMENT").map(|c| unescape(&c)).filter(|c| !c.trim().is_empty()),
        proposed_start: value("DTSTART"),
    })
}

fn mailto(value: &str) -> String {
    let value = value.trim().trim_matches('"');
    let address = if value.len() > 7 && value[..7].eq_ignore_ascii_case("mailto:") { &value[7..] } else { value };
    address.trim().to_ascii_lowercase()
}

/// RFC 5545 TEXT unescaping: `\n`, `\,`, `\;`, `\\`.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The token in an address `local+token@domain` delivered to the reply
/// address `local@domain`, if `address` is one.
pub fn reply_token<'a>(reply_address: &str, address: &'a str) -> Option<&'a str> {
    let (local, domain) = reply_address.rsplit_once('@')?;
    let (their_local, their_domain) = address.rsplit_once('@')?;
    if !their_domain.eq_ignore_ascii_case(domain) {
        return None;
    }
    let (prefix, token) = their_local.split_once('+')?;
    (prefix.eq_ignore_ascii_case(local) && !token.is_empty()).then_some(token)
}

/// The address with `token` for the reply address `local@domain`.
pub fn tokened_address(reply_address: &str, token: &str) -> String {
    match reply_address.rsplit_once('@') {
        Some((local, domain)) => format!("{local}+{token}@{domain}"),
        None => reply_address.to_owned(),
    }
}

/// The ORGANIZER address of a calendar object: where her calendar's reply
/// goes. With a guest's ATTENDEE line, her own `reply+<token>` address, so
/// the reply is read as hers; without one (a public event's file, the
/// organiser's feed) nobody could be matched, so the organiser's own
/// address, which a person reads (RFC 6047 expects no reply to a PUBLISH).
pub fn organizer_address(reply_address: Option<&str>, key: &SecretKey, guest: Option<Uuid>, organiser: &str) -> String {
    match (reply_address, guest) {
        (Some(address), Some(guest)) => tokened_address(address, &calendar_reply_token(key, guest)),
        _ => organiser.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTLOOK: &str = "From: Jane <jane@example.org>\r\nTo: <rsvp+abc@convive.test>\r\nSubject: Accepted: Breakfast\r\nMessage-ID: <x1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/calendar; charset=\"utf-8\"; method=REPLY\r\nContent-Transfer-Encoding: base64\r\n\r\nQkVHSU46VkNBTEVOREFSDQpNRVRIT0Q6UkVQTFkNClBST0RJRDpNaWNyb3NvZnQgRXhjaGFuZ2Ug\r\nU2VydmVyIDIwMTANClZFUlNJT046Mi4wDQpCRUdJTjpWRVZFTlQNCkFUVEVOREVFO1BBUlRTVEFU\r\nPUFDQ0VQVEVEO0NOPUphbmUgRG9lOm1haWx0bzpKYW5lQGV4YW1wbGUub3JnDQpDT01NRU5UO0xB\r\nTkdVQUdFPWZyLUZSOkF2ZWMgcGxhaXNpclwsIMOgIGRlbWFpbg0KVUlEOmUxQGNvbnZpdmUNCkRU\r\nU1RBTVA6MjAyNjEyMDFUMTAwMDAwWg0KRU5EOlZFVkVOVA0KRU5EOlZDQUxFTkRBUg0K\r\n";

    #[test]
    fn an_exchange_reply_without_organizer_is_read() {
        let mail = read(OUTLOOK.as_bytes()).unwrap();
        assert_eq!(mail.message_id.as_deref(), Some("x1@example.org"));
        assert_eq!(mail.from.as_deref(), Some("jane@example.org"));
        assert_eq!(mail.recipients, vec!["rsvp+abc@convive.test"]);
        let reply = mail.calendar.unwrap();
        assert_eq!(reply.method, "REPLY");
        assert_eq!(reply.uid.as_deref(), Some("e1@convive"));
        assert_eq!(reply.attendees[0].email, "jane@example.org");
        assert_eq!(reply.attendees[0].answer(), Some(Answer::Yes));
        assert_eq!(reply.comment.as_deref(), Some("Avec plaisir, à demain"));
    }

    #[test]
    fn the_token_comes_from_the_address_it_was_delivered_to() {
        assert_eq!(reply_token("rsvp@convive.test", "rsvp+t0k3n@Convive.Test"), Some("t0k3n"));
        assert_eq!(reply_token("rsvp@convive.test", "other+t0k3n@convive.test"), None);
        assert_eq!(reply_token("rsvp@convive.test", "rsvp+t@evil.test"), None);
        assert_eq!(reply_token("rsvp@convive.test", "rsvp@convive.test"), None);
        assert_eq!(tokened_address("rsvp@convive.test", "t"), "rsvp+t@convive.test");
    }

    #[test]
    fn garbage_is_no_calendar_reply() {
        let mail = read(b"Subject: hi\r\n\r\nBEGIN:VCALENDAR\r\n").unwrap();
        assert!(mail.calendar.is_none());
    }
}
