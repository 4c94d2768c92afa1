//! Where messages go: an SMTP relay through lettre's pooled async transport,
//! or, by default, `.eml` files in a folder a person can open.

use std::time::Duration;

use anyhow::Context;
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::{Settings, SmtpSecurity};

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// Why a message did not leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth retrying: a 4xx reply, a refused or dropped connection, a timeout.
    Temporary(String),
    /// Not worth retrying: a 5xx reply (unknown mailbox, rejected content).
    Permanent(String),
}

impl Mailer {
    /// # Errors
    /// An unusable SMTP host name or mail folder.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let Some(host) = &settings.smtp_host else {
            std::fs::create_dir_all(&settings.mail_dir)
                .with_context(|| format!("cannot create the mail folder {}", settings.mail_dir.display()))?;
            tracing::info!(folder = %settings.mail_dir.display(), "no SMTP host configured: emails are written as .eml files");
            return Ok(Self::Files(AsyncFileTransport::new(&settings.mail_dir)));
        };
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
            .pool_config(PoolConfig::new().max_size(settings.smtp_pool_size));
        if let Some(helo) = &settings.smtp_helo {
            builder = builder.hello_name(ClientId::Domain(helo.clone()));
        }
        if let (Some(user), Some(password)) = (&settings.smtp_username, &settings.smtp_password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.expose_secret().to_owned()));
        }
        tracing::info!(host = %host, "emails go through SMTP");
        Ok(Self::Smtp(builder.build()))
    }

    /// Hands the message over; `Ok` means the server (or the disk) accepted it.
    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Self::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|err| {
                let text = err.to_string();
                if err.is_permanent() { SendError::Permanent(text) } else { SendError::Temporary(text) }
            }),
            Self::Files(files) => {
                files.send(message).await.map(|_| ()).map_err(|err| SendError::Temporary(err.to_string()))
            }
        }
    }
}
