//! Where messages go: an SMTP relay through lettre's pooled async transport,
//! or, by default, `.eml` files in a folder a person can open. Every message
//! is DKIM-signed on its way out when a key is configured.

mod plain;

use std::time::Duration;

use anyhow::Context;
use lettre::address::Envelope;
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use self::plain::{DataPayload, MAX_IDLE, PlainSmtp};
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
    /// on our own pool (see `plain`).
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
        let form = match &self.transport {
            Transport::Plain(_) => DataPayload::of(bytes).map_or_else(Form::Formatted, Form::Payload),
            Transport::Smtp(_) | Transport::Files(_) => Form::Formatted(bytes),
        };
        Ok(Sealed { envelope: message.envelope().clone(), form })
    }

    /// Hands a sealed message over; `Ok` means the server (or the disk)
    /// accepted it.
    pub async fn send_sealed(&self, sealed: &Sealed) -> Result<(), SendError> {
        self.transport.send(sealed).await
    }
}

/// A message formatted and signed, with the envelope it goes in.
pub struct Sealed {
    envelope: Envelope,
    form: Form,
}

/// A sealed message in the form its transport takes.
enum Form {
    Formatted(Vec<u8>),
    /// Ready for plain SMTP's DATA.
    Payload(DataPayload),
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

    async fn send(&self, sealed: &Sealed) -> Result<(), SendError> {
        let envelope = &sealed.envelope;
        match (self, &sealed.form) {
            (Self::Plain(plain), form) => plain.send(envelope, form).await,
            (Self::Smtp(smtp), Form::Formatted(bytes)) => {
                smtp.send_raw(envelope, bytes).await.map(|_| ()).map_err(|e| classify(&e))
            }
            (Self::Files(files), Form::Formatted(bytes)) => {
                files.send_raw(envelope, bytes).await.map(|_| ()).map_err(|err| SendError::Temporary(err.to_string()))
            }
            // Sealed by another mailer: cannot happen within one process.
            (Self::Smtp(_) | Self::Files(_), Form::Payload(_)) => {
                Err(SendError::Permanent("sealed for plain SMTP, not for this transport".to_owned()))
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
