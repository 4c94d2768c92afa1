//! Rendered email -> a MIME message: `multipart/alternative` (text, HTML and,
//! for calendar emails, the `text/calendar; method=…` part iMIP readers look
//! for) inside `multipart/mixed` with the same object attached as
//! `invite.ics`; a stable Message-ID; and one-click unsubscribe headers
//! (RFC 8058). Text from organisers and guests (titles, names) reaches the
//! headers encoded so that no client can read it as header syntax.

use std::fmt::Write as _;

use anyhow::Context;
use email_encoding::headers::writer::EmailWriter;
use email_encoding::headers::{quoted_string, rfc2047};
use lettre::Message;
use lettre::message::header::{ContentDisposition, ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};

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
        // The From name carries the organiser's name ("Anne via Convive").
        .raw_header(mailbox_header("From", &envelope.from)?)
        .raw_header(mailbox_header("To", &envelope.to)?)
        .raw_header(text_header("Subject", &rendered.subject)?)
        .message_id(Some(envelope.message_id.clone()))
        // Given, or lettre would parse it back out of the headers.
        .envelope(lettre::address::Envelope::new(Some(envelope.from.email.clone()), vec![envelope.to.email.clone()])?)
        .raw_header(HeaderValue::new(header("X-Convive-Kind")?, envelope.kind.to_owned()));
    if let Some(reply_to) = &envelope.reply_to {
        builder = builder.raw_header(mailbox_header("Reply-To", reply_to)?);
    }
    if let Some((mailto, https)) = &envelope.unsubscribe {
        builder = builder
            .raw_header(HeaderValue::new(header("List-Unsubscribe")?, format!("<{https}>, <{mailto}>")))
            .raw_header(HeaderValue::new(header("List-Unsubscribe-Post")?, "List-Unsubscribe=One-Click".to_owned()));
    }
    // The HTML and calendar parts are base64, encoded here: given the text,
    // lettre would weigh each encoding and most often write quoted-printable,
    // byte by byte, for parts no one reads raw. The text part keeps lettre's
    // choice, so that it stays readable in the raw message.
    let html = SinglePart::builder().header(ContentType::TEXT_HTML).body(base64_body(&rendered.html));
    let mut alternative = MultiPart::alternative()
        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(rendered.text.clone()))
        .singlepart(html);
    let message = match calendar {
        None => builder.multipart(alternative),
        Some((method, ics)) => {
            let calendar_type = |extra: &str| {
                ContentType::parse(&format!("text/calendar; method={}; charset=UTF-8{extra}", method.as_str()))
            };
            // Encoded once for both parts, in base64 as Outlook writes its own.
            let calendar = base64_body(ics);
            alternative =
                alternative.singlepart(SinglePart::builder().header(calendar_type("")?).body(calendar.clone()));
            let attachment = SinglePart::builder()
                .header(calendar_type("; name=\"invite.ics\"")?)
                .header(ContentDisposition::attachment("invite.ics"))
                .body(calendar);
            builder.multipart(MultiPart::mixed().multipart(alternative).singlepart(attachment))
        }
    };
    message.context("cannot assemble the message")
}

/// `text` with CRLF line breaks (MIME's canonical form of text), as base64.
fn base64_body(text: &str) -> Body {
    let mut canonical = String::with_capacity(text.len() + text.len() / 32);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            canonical.push_str("\r\n");
        }
        canonical.push_str(line.strip_suffix('\r').unwrap_or(line));
    }
    Body::dangerous_pre_encoded(base64_lines(canonical.as_bytes()), ContentTransferEncoding::Base64)
}

/// The longest line of a base64 body (RFC 2045).
const BASE64_LINE: usize = 76;

/// `bytes` in base64, in lines of 76 characters joined by CRLF, as
/// `email_encoding` writes them, but encoded in one pass and cut
/// afterwards: line by line, each line's 57 bytes mostly took the engine's
/// path for a block's tail, and each line went through `fmt::Write`.
fn base64_lines(bytes: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let flat = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut lines = Vec::with_capacity(flat.len() + flat.len() / BASE64_LINE * 2);
    for (i, line) in flat.as_bytes().chunks(BASE64_LINE).enumerate() {
        if i > 0 {
            lines.extend_from_slice(b"\r\n");
        }
        lines.extend_from_slice(line);
    }
    lines
}

fn header(name: &'static str) -> anyhow::Result<HeaderName> {
    HeaderName::new_from_ascii(name.to_owned()).map_err(|e| anyhow::anyhow!("bad header name {name}: {e}"))
}

/// Whether a word of user text must be written as an RFC 2047 encoded-word.
/// lettre encodes only what is not ASCII; but ASCII text holding `=?` (say a
/// title `=?utf-8?b?QmNjOiBldmls…?=`) would then be an encoded-word itself,
/// which mail clients decode and display as whatever it says ("Bcc: evil…").
/// Encoding such a word keeps it text: what clients decode is the literal.
fn must_encode(word: &str) -> bool {
    word.contains("=?") || !word.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
}

/// An unstructured header (Subject) as lettre writes it, words of plain
/// ASCII as they are and runs of others encoded, folded, except that
/// `must_encode` decides which words need it.
fn text_header(name: &'static str, value: &str) -> anyhow::Result<HeaderValue> {
    let name = header(name)?;
    let mut encoded = String::with_capacity(value.len());
    {
        let mut writer = EmailWriter::new(&mut encoded, name.len() + ": ".len(), 0, false);
        let mut pending = String::new();
        for word in value.split_inclusive(' ') {
            if must_encode(word) {
                pending.push_str(word);
            } else {
                fold_before(&mut writer, &pending)?;
                write_encoded(&mut writer, &pending)?;
                pending.clear();
                writer.folding().write_str(word)?;
            }
        }
        fold_before(&mut writer, &pending)?;
        write_encoded(&mut writer, &pending)?;
    }
    Ok(HeaderValue::dangerous_new_pre_encoded(name, value.to_owned(), encoded))
}

/// Writes `words` as encoded-words, keeping the spaces that end them as
/// folding white space (between an encoded-word and a plain word a space
/// is text; between two encoded-words it would be dropped, so a run of
/// words to encode is encoded as one).
fn write_encoded(writer: &mut EmailWriter<'_>, words: &str) -> std::fmt::Result {
    let text = words.trim_end_matches(' ');
    if !text.is_empty() {
        rfc2047::encode(text, writer)?;
    }
    for _ in text.len()..words.len() {
        writer.space();
    }
    Ok(())
}

/// A one-mailbox address header (To, Reply-To) as lettre writes it, except
/// for a display name holding `=?`. Quoting would not do for that one: an
/// encoded-word in a quoted string should not be decoded, but Thunderbird
/// and Python's `email` decode it anyway. It is written word by word as
/// the Subject is (`write_phrase`). The raw value is lettre's, which lettre
/// parses back for the envelope.
fn mailbox_header(name: &'static str, mailbox: &Mailbox) -> anyhow::Result<HeaderValue> {
    let name = header(name)?;
    let mut encoded = String::new();
    {
        let mut writer = EmailWriter::new(&mut encoded, name.len() + ": ".len(), 0, false);
        if let Some(display) = &mailbox.name {
            if display.contains("=?") {
                write_phrase(&mut writer, display)?;
            } else {
                quoted_string::encode(display, &mut writer)?;
            }
            writer.space();
            // Folded before the address if the line is full.
            writer.folding().write_str(&format!("<{}>", mailbox.email))?;
        } else {
            writer.write_str(mailbox.email.as_ref())?;
        }
    }
    Ok(HeaderValue::dangerous_new_pre_encoded(name, mailbox.to_string(), encoded))
}

/// A display name word by word: atoms as they are, runs of other words
/// (holding `=?`, not ASCII, or with characters an atom cannot hold) as
/// encoded-words. No quoted strings: decoders disagree on the space between
/// a quoted string and an encoded-word, not on atoms.
fn write_phrase(writer: &mut EmailWriter<'_>, display: &str) -> std::fmt::Result {
    let is_atom = |word: &str| {
        let bare = word.trim_end_matches(' ');
        !bare.is_empty() && bare.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b))
    };
    let mut pending = String::new();
    for word in display.split_inclusive(' ') {
        if must_encode(word) || !is_atom(word) {
            pending.push_str(word);
        } else {
            fold_before(writer, &pending)?;
            write_encoded(writer, &pending)?;
            pending.clear();
            writer.folding().write_str(word)?;
        }
    }
    fold_before(writer, &pending)?;
    write_encoded(writer, &pending)
}

/// Folds the line before `words` are encoded if they would then fit in one
/// encoded-word but do not on this line: decoders should join adjacent
/// encoded-words, but some do not (Python's modern parser puts a space
/// between them in a display name). Only where a space is pending, which
/// becomes the folding white space.
fn fold_before(writer: &mut EmailWriter<'_>, words: &str) -> std::fmt::Result {
    // Lines of at most 76 characters, as lettre's encoder keeps them.
    const MAX_LINE: usize = 76;
    let text = words.trim_end_matches(' ');
    let one_word_from = |column: usize| column + "=?utf-8?b??=".len() + text.len().div_ceil(3) * 4 + "\r\n".len();
    let spaces = writer.projected_line_len() - writer.line_len();
    if !text.is_empty()
        && spaces > 0
        && one_word_from(writer.projected_line_len()) > MAX_LINE
        && one_word_from(spaces) <= MAX_LINE
    {
        writer.new_line()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use lettre::message::header::{Header, Subject, To};

    use super::*;

    /// (Subject, To display name) as mail-parser decodes them.
    fn decoded(subject: &str, name: &str) -> (String, String) {
        let message = Message::builder()
            .from("Convive <convive@example.org>".parse().unwrap())
            .raw_header(
                mailbox_header("To", &Mailbox::new(Some(name.to_owned()), "jane@example.org".parse().unwrap()))
                    .unwrap(),
            )
            .raw_header(text_header("Subject", subject).unwrap())
            .body(String::from("body"))
            .unwrap();
        let raw = message.formatted();
        assert!(raw.split(|b| *b == b'\n').all(|line| line.len() <= 998), "{}", String::from_utf8_lossy(&raw));
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let to = parsed.to().and_then(|to| to.first()).and_then(|to| to.name()).unwrap_or_default().to_owned();
        (parsed.subject().unwrap_or_default().to_owned(), to)
    }

    #[test]
    fn user_text_comes_back_literally_from_a_decoder() {
        let hostile = "=?utf-8?b?QmNjOiBldmlsQGV4YW1wbGUub3Jn?=";
        for text in [
            hostile.to_owned(),
            format!("Invitation: {hostile}, Friday"),
            format!("{hostile} {hostile}"),
            "Before=?x?q?y?=after and =?".to_owned(),
            format!("Café {hostile} déjà vu, \"quoted\" <b>"),
            format!("A long title that goes on and on, {}", hostile.repeat(4)),
            "Doe, Jane =?".to_owned(),
        ] {
            assert_eq!(decoded(&text, &text), (text.clone(), text.clone()));
        }
    }

    #[test]
    fn text_without_an_encoded_word_is_written_as_lettre_writes_it() {
        for text in ["Invitation: Café des Victoires, 3 December", "Plain ASCII, with \"quotes\" <b>", "Doe, Jane"] {
            assert_eq!(text_header("Subject", text).unwrap(), Subject::from(text.to_owned()).display());
            let mailbox = Mailbox::new(Some(text.to_owned()), "jane@example.org".parse().unwrap());
            assert_eq!(
                mailbox_header("To", &mailbox).unwrap(),
                To::from(lettre::message::Mailboxes::from(mailbox)).display()
            );
        }
    }

    #[test]
    fn base64_lines_are_the_lines_email_encoding_writes() {
        let bytes: Vec<u8> = (0..400_u32).map(|i| (i * 37 % 256) as u8).collect();
        for len in 0..bytes.len() {
            let mut expected = String::new();
            email_encoding::body::base64::encode(&bytes[..len], &mut expected).unwrap();
            assert_eq!(String::from_utf8(base64_lines(&bytes[..len])).unwrap(), expected, "{len} bytes");
        }
    }

    #[test]
    fn the_html_part_is_base64_of_the_page_with_crlf_line_breaks() {
        let mailbox = |address: &str| Mailbox::new(None, address.parse().unwrap());
        let envelope = Envelope {
            from: mailbox("convive@example.org"),
            to: mailbox("jane@example.org"),
            reply_to: None,
            message_id: "<1@example.org>".to_owned(),
            kind: "invitation",
            unsubscribe: None,
        };
        let html = format!("<p>Café « des Victoires »</p>\n{}\r\n<p>fin</p>\n", "x".repeat(2000));
        let rendered = Rendered { subject: "Invitation".to_owned(), text: "Bonjour".to_owned(), html: html.clone() };
        let raw = build(&envelope, &rendered, None).unwrap().formatted();
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        assert_eq!(parsed.body_html(0).unwrap(), html.replace("\r\n", "\n").replace('\n', "\r\n"));
        let raw = String::from_utf8(raw).unwrap();
        let (_, part) = raw
            .split_once("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .unwrap();
        let encoded = part.split("\r\n--").next().unwrap();
        assert!(encoded.lines().count() > 20 && encoded.lines().all(|line| line.len() <= 76), "{raw}");
    }
}
