//! Where messages go: an SMTP relay through lettre's pooled async transport,
//! or, by default, `.eml` files in a folder a person can open. Every message
//! is DKIM-signed on its way out when a key is configured.

use std::time::Duration;

use anyhow::Context;
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use super::dkim::Dkim;
use crate::config::{Settings, SmtpSecurity};

/// Where messages go, and the DKIM key they are signed with on the way.
pub struct Mailer {
    transport: Transport,
    dkim: Option<Dkim>,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Plain SMTP to a relay on a trusted network (typically the local MTA),
    /// on our own pool of `TCP_NODELAY` connections: lettre writes the final
    /// `.` of each message in a packet of its own, which Nagle's algorithm
    /// holds until the server's delayed ACK, about 40 ms per message.
    Plain(PlainSmtp),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// Why a message did not leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// The relay could not be reached at all (refused, unreachable, no
    /// greeting in time): nothing about this message; the queue waits.
    RelayUnavailable(String),
    /// Worth retrying later: a 4xx reply, a connection dropped mid-way.
    Temporary(String),
    /// Not worth retrying: a 5xx reply (unknown mailbox, rejected content).
    Permanent(String),
}

impl Mailer {
    /// # Errors
    /// An unusable SMTP host name, mail folder or DKIM key.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let dkim = Dkim::from_settings(settings)?;
        if dkim.is_none() {
            tracing::warn!("no DKIM key configured: emails are not signed, and Gmail or Outlook may refuse them");
        }
        Ok(Self { transport: Transport::from_settings(settings)?, dkim })
    }

    /// The message as it leaves: formatted and signed. Work for the CPU
    /// alone, so it can be done ahead, away from the connections.
    ///
    /// # Errors
    /// A message the key cannot sign (permanent).
    pub fn seal(&self, message: &Message) -> Result<Sealed, SendError> {
        let mut bytes = message.formatted();
        if let Some(dkim) = &self.dkim {
            bytes = dkim.sign(&bytes).map_err(|e| SendError::Permanent(format!("{e:#}")))?;
        }
        Ok(Sealed { envelope: message.envelope().clone(), bytes })
    }

    /// Hands a sealed message over; `Ok` means the server (or the disk)
    /// accepted it.
    pub async fn send_sealed(&self, sealed: &Sealed) -> Result<(), SendError> {
        self.transport.send(&sealed.envelope, &sealed.bytes).await
    }
}

/// A message formatted and signed, with the envelope it goes in.
pub struct Sealed {
    envelope: lettre::address::Envelope,
    bytes: Vec<u8>,
}

impl Transport {
    fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let Some(host) = &settings.smtp_host else {
            std::fs::create_dir_all(&settings.mail_dir)
                .with_context(|| format!("cannot create the mail folder {}", settings.mail_dir.display()))?;
            tracing::info!(folder = %settings.mail_dir.display(), "no SMTP host configured: emails are written as .eml files");
            return Ok(Self::Files(AsyncFileTransport::new(&settings.mail_dir)));
        };
        if settings.smtp_security == SmtpSecurity::None {
            tracing::info!(host = %host, "emails go through SMTP, unencrypted");
            return Ok(Self::Plain(PlainSmtp::new(settings, host)));
        }
        let mut builder = match settings.smtp_security {
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        };
        let default_port = match settings.smtp_security {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        };
        builder = builder
            .port(settings.smtp_port.unwrap_or(default_port))
            .timeout(Some(Duration::from_secs(settings.smtp_timeout_seconds)))
            .pool_config(PoolConfig::new().max_size(settings.smtp_pool_size).idle_timeout(MAX_IDLE));
        if let Some(helo) = &settings.smtp_helo {
            builder = builder.hello_name(ClientId::Domain(helo.clone()));
        }
        if let (Some(user), Some(password)) = (&settings.smtp_username, &settings.smtp_password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.expose_secret().to_owned()));
        }
        tracing::info!(host = %host, "emails go through SMTP");
        Ok(Self::Smtp(builder.build()))
    }

    async fn send(&self, envelope: &lettre::address::Envelope, bytes: &[u8]) -> Result<(), SendError> {
        match self {
            Self::Smtp(smtp) => smtp.send_raw(envelope, bytes).await.map(|_| ()).map_err(|e| classify(&e)),
            Self::Plain(plain) => plain.send(envelope, bytes).await,
            Self::Files(files) => {
                files.send_raw(envelope, bytes).await.map(|_| ()).map_err(|err| SendError::Temporary(err.to_string()))
            }
        }
    }
}

/// How long a pooled connection may sit idle before it is closed rather than
/// reused: servers close idle connections on their side (postfix and
/// aiosmtpd after 300 s, some relays much sooner), and a connection closed
/// by the server looks healthy until it is written to.
const MAX_IDLE: Duration = Duration::from_secs(30);

/// A small pool of plain SMTP connections with `TCP_NODELAY`, for
/// `smtp_security = "none"`; lettre still speaks the protocol.
pub struct PlainSmtp {
    address: (String, u16),
    hello: ClientId,
    timeout: Duration,
    credentials: Option<Credentials>,
    /// Idle connections, with when each was last used.
    idle: std::sync::Mutex<Vec<(AsyncSmtpConnection, std::time::Instant)>>,
    slots: tokio::sync::Semaphore,
}

impl PlainSmtp {
    fn new(settings: &Settings, host: &str) -> Self {
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

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let temporary = |e: &dyn std::fmt::Display| SendError::RelayUnavailable(format!("Connection error: {e}"));
        let stream = tokio::time::timeout(
            self.timeout,
            tokio::net::TcpStream::connect((self.address.0.as_str(), self.address.1)),
        )
        .await
        .map_err(|e| temporary(&e))?
        .map_err(|e| temporary(&e))?;
        stream.set_nodelay(true).map_err(|e| temporary(&e))?;
        let mut connection = AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello)
            .await
            .map_err(|e| if e.is_permanent() { classify(&e) } else { SendError::RelayUnavailable(e.to_string()) })?;
        if let Some(credentials) = &self.credentials {
            connection.auth(&[Mechanism::Plain, Mechanism::Login], credentials).await.map_err(|e| classify(&e))?;
        }
        Ok(connection)
    }

    /// A pooled connection young enough to trust, if there is one.
    fn reuse(&self) -> Result<Option<AsyncSmtpConnection>, SendError> {
        let mut idle = self.idle.lock().map_err(|_| SendError::Temporary("pool poisoned".to_owned()))?;
        while let Some((connection, since)) = idle.pop() {
            if since.elapsed() < MAX_IDLE && !connection.has_broken() {
                return Ok(Some(connection));
            }
            // Too old to trust: dropped (its socket closes with it).
        }
        Ok(None)
    }

    async fn send(&self, envelope: &lettre::address::Envelope, bytes: &[u8]) -> Result<(), SendError> {
        let _slot = self.slots.acquire().await.map_err(|e| SendError::Temporary(e.to_string()))?;
        let reused = self.reuse()?;
        let was_pooled = reused.is_some();
        let mut connection = match reused {
            Some(connection) => connection,
            None => self.connect().await?,
        };
        let mut result = tokio::time::timeout(self.timeout * 4, connection.send(envelope, bytes)).await;
        // A pooled connection the server has closed meanwhile fails on first
        // use, often as an "incomplete response" (a response-kind error):
        // whatever the temporary failure, send again at once on a new
        // connection, so that a stale socket never costs the email an attempt.
        if was_pooled && matches!(&result, Ok(Err(err)) if !err.is_permanent()) {
            tracing::debug!("a pooled SMTP connection had gone stale; sending again on a new one");
            connection.abort().await;
            connection = self.connect().await?;
            result = tokio::time::timeout(self.timeout * 4, connection.send(envelope, bytes)).await;
        }
        match result {
            Ok(Ok(_)) => {
                if let Ok(mut idle) = self.idle.lock() {
                    idle.push((connection, std::time::Instant::now()));
                }
                Ok(())
            }
            Ok(Err(err)) => {
                connection.abort().await;
                Err(classify(&err))
            }
            Err(_) => {
                connection.abort().await;
                Err(SendError::Temporary("the SMTP server did not answer in time".to_owned()))
            }
        }
    }
}

fn classify(err: &lettre::transport::smtp::Error) -> SendError {
    let text = err.to_string();
    if err.is_permanent() {
        SendError::Permanent(text)
    } else if !err.is_response() && text.contains("Connection error") {
        // lettre's pool could not open a connection at all.
        SendError::RelayUnavailable(text)
    } else {
        SendError::Temporary(text)
    }
}
