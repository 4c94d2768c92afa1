//! Plain SMTP to a relay on a trusted network (typically the local MTA), on
//! our own pool of `TCP_NODELAY` connections. lettre speaks the protocol; we
//! hand it each message already in the form DATA carries it, and send a
//! message's commands in one write where the relay offers PIPELINING.

use std::fmt;
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::commands::{Data, Ehlo, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use secrecy::ExposeSecret;

use super::{Form, SendError, classify};
use crate::config::Settings;

/// How long a pooled connection may sit idle before it is closed rather than
/// reused: servers close idle connections on their side (postfix and
/// aiosmtpd after 300 s, some relays much sooner), and a connection closed
/// by the server looks healthy until it is written to.
pub(super) const MAX_IDLE: Duration = Duration::from_secs(30);

/// A message as the DATA command carries it (RFC 5321 §4.5.2): every line
/// that starts with a dot gets a second one, and a line holding a lone dot
/// ends it. lettre would copy the message byte by byte to add them, on the
/// task that talks to the relay; this is built once, ahead, where the
/// message is sealed, and sent as one write.
pub struct DataPayload {
    /// Text, for lettre sends a command as its `Display`.
    text: String,
    /// Holds bytes beyond ASCII, so the relay must take 8BITMIME.
    eight_bit: bool,
}

impl DataPayload {
    /// The payload of a formatted message; the message back if it is not
    /// UTF-8 (lettre builds only UTF-8, but a caller could hand in any bytes).
    pub fn of(message: Vec<u8>) -> Result<Self, Vec<u8>> {
        let eight_bit = !message.is_ascii();
        let text = String::from_utf8(message).map_err(std::string::FromUtf8Error::into_bytes)?;
        Ok(Self { text: dot_stuffed(&text), eight_bit })
    }
}

impl fmt::Display for DataPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `message` with a dot doubled at the start of each line, then the line
/// that ends DATA, exactly as lettre writes it (`\r\n.\r\n`).
fn dot_stuffed(message: &str) -> String {
    let bytes = message.as_bytes();
    let mut out = String::with_capacity(message.len() + 8);
    if message.starts_with('.') {
        out.push('.');
    }
    let mut copied = 0;
    for line_break in memchr::memmem::find_iter(bytes, b"\r\n.") {
        let dot = line_break + 2;
        out.push_str(&message[copied..dot]);
        out.push('.');
        copied = dot;
    }
    out.push_str(&message[copied..]);
    out.push_str("\r\n.\r\n");
    out
}

/// A small pool of plain SMTP connections with `TCP_NODELAY`: lettre writes
/// the final `.` of a message in a packet of its own, which Nagle's
/// algorithm would hold until the server's delayed ACK, about 40 ms.
pub struct PlainSmtp {
    address: (String, u16),
    hello: ClientId,
    timeout: Duration,
    credentials: Option<Credentials>,
    /// Idle connections, with when each was last used.
    idle: std::sync::Mutex<Vec<(Connection, Instant)>>,
    slots: tokio::sync::Semaphore,
}

impl PlainSmtp {
    pub fn new(settings: &Settings, host: &str) -> Self {
        let hello = settings.smtp_helo.clone().map_or_else(ClientId::default, ClientId::Domain);
        Self {
            address: (host.to_owned(), settings.smtp_port.unwrap_or(25)),
            hello,
            timeout: Duration::from_secs(settings.smtp_timeout_seconds),
            credentials: match (&settings.smtp_username, &settings.smtp_password) {
                (Some(user), Some(password)) => {
                    Some(Credentials::new(user.clone(), password.expose_secret().to_owned()))
                }
                _ => None,
            },
            idle: std::sync::Mutex::new(Vec::new()),
            slots: tokio::sync::Semaphore::new(settings.smtp_pool_size as usize),
        }
    }

    async fn connect(&self) -> Result<Connection, SendError> {
        let temporary = |e: &dyn std::fmt::Display| SendError::RelayUnavailable(format!("Connection error: {e}"));
        let stream = tokio::time::timeout(
            self.timeout,
            tokio::net::TcpStream::connect((self.address.0.as_str(), self.address.1)),
        )
        .await
        .map_err(|e| temporary(&e))?
        .map_err(|e| temporary(&e))?;
        stream.set_nodelay(true).map_err(|e| temporary(&e))?;
        let unavailable = |e: lettre::transport::smtp::Error| {
            if e.is_permanent() { classify(&e) } else { SendError::RelayUnavailable(e.to_string()) }
        };
        let mut connection =
            AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello).await.map_err(unavailable)?;
        // lettre keeps only the extensions it uses from the greeting: asked
        // again (RFC 5321 §4.1.4 allows it), the relay says whether it takes
        // a message's commands in one go.
        let extensions = connection.command(Ehlo::new(self.hello.clone())).await.map_err(unavailable)?;
        let pipelining = extensions.message().any(|line| {
            line.split_ascii_whitespace().next().is_some_and(|keyword| keyword.eq_ignore_ascii_case("PIPELINING"))
        });
        if let Some(credentials) = &self.credentials {
            connection.auth(&[Mechanism::Plain, Mechanism::Login], credentials).await.map_err(|e| classify(&e))?;
        }
        Ok(Connection { smtp: connection, pipelining })
    }

    /// A pooled connection young enough to trust, if there is one.
    fn reuse(&self) -> Result<Option<Connection>, SendError> {
        let mut idle = self.idle.lock().map_err(|_| SendError::Temporary("pool poisoned".to_owned()))?;
        while let Some((connection, since)) = idle.pop() {
            if since.elapsed() < MAX_IDLE && !connection.smtp.has_broken() {
                return Ok(Some(connection));
            }
            // Too old to trust: dropped (its socket closes with it).
        }
        Ok(None)
    }

    pub async fn send(&self, envelope: &Envelope, form: &Form) -> Result<(), SendError> {
        let _slot = self.slots.acquire().await.map_err(|e| SendError::Temporary(e.to_string()))?;
        let reused = self.reuse()?;
        let was_pooled = reused.is_some();
        let mut connection = match reused {
            Some(connection) => connection,
            None => self.connect().await?,
        };
        let mut result = tokio::time::timeout(self.timeout * 4, transmit(&mut connection, envelope, form)).await;
        // A pooled connection the server has closed meanwhile fails on first
        // use, often as an "incomplete response" (a response-kind error):
        // whatever the temporary failure, send again at once on a new
        // connection, so that a stale socket never costs the email an attempt.
        if was_pooled && matches!(&result, Ok(Err(refusal)) if refusal.is_temporary()) {
            tracing::debug!("a pooled SMTP connection had gone stale; sending again on a new one");
            connection.smtp.abort().await;
            connection = self.connect().await?;
            result = tokio::time::timeout(self.timeout * 4, transmit(&mut connection, envelope, form)).await;
        }
        match result {
            Ok(Ok(())) => {
                if let Ok(mut idle) = self.idle.lock() {
                    idle.push((connection, Instant::now()));
                }
                Ok(())
            }
            Ok(Err(refusal)) => {
                // With commands pipelined, replies may still be on their way.
                connection.smtp.abort().await;
                Err(match refusal {
                    Refusal::Smtp(err) => classify(&err),
                    // As lettre's own check: worth another try, by then the relay may offer it.
                    Refusal::Unsupported(why) => SendError::Temporary(why.to_owned()),
                })
            }
            Err(_) => {
                connection.smtp.abort().await;
                Err(SendError::Temporary("the SMTP server did not answer in time".to_owned()))
            }
        }
    }
}

/// Why a transaction did not go through.
enum Refusal {
    Smtp(lettre::transport::smtp::Error),
    /// The message needs an extension the relay does not offer.
    Unsupported(&'static str),
}

impl Refusal {
    /// A failure a new connection may not have.
    fn is_temporary(&self) -> bool {
        matches!(self, Self::Smtp(err) if !err.is_permanent())
    }
}

impl From<lettre::transport::smtp::Error> for Refusal {
    fn from(err: lettre::transport::smtp::Error) -> Self {
        Self::Smtp(err)
    }
}

/// A pooled connection, and whether its relay offers PIPELINING (RFC 2920).
struct Connection {
    smtp: AsyncSmtpConnection,
    pipelining: bool,
}

/// A message's commands up to DATA, written at once: DATA ends the group,
/// as its reply says whether the message may follow.
struct Envelopes<'a> {
    mail: &'a Mail,
    rcpts: &'a [Rcpt],
}

impl fmt::Display for Envelopes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.mail)?;
        self.rcpts.iter().try_for_each(|rcpt| write!(f, "{rcpt}"))?;
        write!(f, "{Data}")
    }
}

/// One message's transaction, as lettre's own `send` runs it, but with the
/// payload stuffed ahead and, where the relay allows, two round trips
/// instead of three plus one per recipient: on a relay across a network,
/// each is a wait of its own.
async fn transmit(connection: &mut Connection, envelope: &Envelope, form: &Form) -> Result<(), Refusal> {
    let smtp = &mut connection.smtp;
    let payload = match form {
        Form::Payload(payload) => payload,
        // Not UTF-8: lettre stuffs it while sending.
        Form::Formatted(bytes) => return Ok(smtp.send(envelope, bytes).await.map(|_| ())?),
    };
    let mut parameters = Vec::new();
    let server = smtp.server_info();
    let addresses = envelope.from().into_iter().chain(envelope.to());
    if addresses.map(AsRef::<str>::as_ref).any(|address| !address.is_ascii()) {
        if !server.supports_feature(Extension::SmtpUtfEight) {
            return Err(Refusal::Unsupported("the address is not ASCII and the relay does not offer SMTPUTF8"));
        }
        parameters.push(MailParameter::SmtpUtfEight);
    }
    if payload.eight_bit {
        if !server.supports_feature(Extension::EightBitMime) {
            return Err(Refusal::Unsupported("the message is not ASCII and the relay does not offer 8BITMIME"));
        }
        parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let mail = Mail::new(envelope.from().cloned(), parameters);
    let rcpts: Vec<Rcpt> = envelope.to().iter().map(|to| Rcpt::new(to.clone(), Vec::new())).collect();
    if connection.pipelining {
        // The replies come in the commands' order; the first refusal is the
        // one to report (a refused MAIL makes the rest refused too).
        smtp.command(Envelopes { mail: &mail, rcpts: &rcpts }).await?;
        for _ in 0..=rcpts.len() {
            smtp.read_response().await?;
        }
    } else {
        smtp.command(mail).await?;
        for rcpt in rcpts {
            smtp.command(rcpt).await?;
        }
        smtp.command(Data).await?;
    }
    smtp.command(payload).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_starting_a_line_are_doubled_and_the_payload_ends_with_a_lone_dot() {
        let stuffed = dot_stuffed(".first\r\nmid.dle\r\n.\r\n..two\r\nlast");
        assert_eq!(stuffed, "..first\r\nmid.dle\r\n..\r\n...two\r\nlast\r\n.\r\n");
        assert_eq!(dot_stuffed("plain\r\n"), "plain\r\n\r\n.\r\n");
    }

    #[test]
    fn a_payload_knows_whether_it_needs_8bitmime() {
        assert!(!DataPayload::of(b"Subject: hi\r\n\r\nbonjour".to_vec()).unwrap().eight_bit);
        assert!(DataPayload::of("Subject: hi\r\n\r\ncaf\u{e9}".as_bytes().to_vec()).unwrap().eight_bit);
        assert!(DataPayload::of(vec![0xff, b'\r', b'\n']).is_err());
    }
}
