//! The IMAP door: reads the mailbox that the reply address delivers to,
//! hands each new message to the inbound pipeline, and only then marks it
//! (`\Seen` and `$ConviveProcessed`, or moved to the processed folder).
//! A crash between storing and marking only delivers the message again,
//! which the pipeline's Message-ID idempotence absorbs.
//!
//! TLS is implicit (993) or negotiated with STARTTLS (143, refused if the
//! server cannot); a private CA or a self-signed server is trusted through
//! `imap_ca_file`. A server without MOVE (RFC 6851) gets COPY, `\Deleted`
//! and UID EXPUNGE (RFC 4315) instead; without UIDPLUS either, the message
//! stays, flagged: a bare EXPUNGE would also remove what someone else
//! marked deleted.
//!
//! `serve` keeps one connection open and waits with IDLE (RFC 2177),
//! renewed every `imap_poll_seconds`; a server without IDLE is read at that
//! interval. A failed connection is retried after the same interval.

use std::fmt::Debug;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use async_imap::Session;
use futures::TryStreamExt as _;
use secrecy::{ExposeSecret as _, SecretString};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::watch;

use crate::app::App;
use crate::app::inbound::{Door, MAX_MESSAGE_BYTES, Received, receive};
use crate::config::{ImapSecurity, Settings};

/// The keyword set on a message once taken in.
pub const PROCESSED_KEYWORD: &str = "$ConviveProcessed";

/// How many messages are fetched at once.
const BATCH: usize = 20;

/// How long connecting and logging in may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Where and how to read the mailbox.
#[derive(Debug, Clone)]
pub struct ImapSettings {
    pub host: String,
    pub port: u16,
    pub security: ImapSecurity,
    pub ca_file: Option<PathBuf>,
    pub username: String,
    pub password: SecretString,
    pub folder: String,
    pub processed_folder: Option<String>,
    pub poll: Duration,
}

impl ImapSettings {
    /// The IMAP door's settings, if it is configured (validated at start).
    pub fn from_settings(settings: &Settings) -> Option<Self> {
        let host = settings.imap_host.clone()?;
        let port = settings.imap_port.unwrap_or(match settings.imap_security {
            ImapSecurity::Tls => 993,
            ImapSecurity::Starttls | ImapSecurity::None => 143,
        });
        Some(Self {
            host,
            port,
            security: settings.imap_security,
            ca_file: settings.imap_ca_file.clone(),
            username: settings.imap_username.clone()?,
            password: settings.imap_password.clone()?,
            folder: settings.imap_folder.clone(),
            processed_folder: settings.imap_processed_folder.clone().filter(|f| !f.trim().is_empty()),
            poll: Duration::from_secs(settings.imap_poll_seconds),
        })
    }
}

/// A connection, plain or TLS.
trait Connection: AsyncRead + AsyncWrite + Unpin + Send + Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Debug> Connection for T {}

type ImapSession = Session<Box<dyn Connection>>;

/// What the server can do that filing a message depends on.
#[derive(Debug, Clone, Copy)]
struct Abilities {
    moves: bool,
    uid_expunge: bool,
}

async fn abilities(session: &mut ImapSession) -> anyhow::Result<Abilities> {
    let capabilities = session.capabilities().await.context("CAPABILITY")?;
    Ok(Abilities { moves: capabilities.has_str("MOVE"), uid_expunge: capabilities.has_str("UIDPLUS") })
}

/// Connects, reads the folder once, hands every new message to the
/// pipeline and marks it. Returns how many messages were taken in (a
/// message received before counts as taken in, not twice).
///
/// # Errors
/// The server cannot be reached, refuses the login or the folder, or the
/// database fails (the message then stays unmarked, for the next poll).
pub async fn poll_once(app: &App, imap: &ImapSettings) -> anyhow::Result<usize> {
    let mut session = connect(imap).await?;
    let can = abilities(&mut session).await?;
    let taken = take_new(app, imap, can, &mut session).await;
    // The work is done (or not) whatever the goodbye says.
    let _ = session.logout().await;
    taken
}

/// The long-running door: IDLE, read, IDLE again, until `stopping`.
pub async fn run(app: App, imap: Arc<ImapSettings>, mut stopping: watch::Receiver<bool>) {
    tracing::info!(host = %imap.host, folder = %imap.folder, "reading calendar replies over IMAP");
    loop {
        match watch_folder(&app, &imap, &mut stopping).await {
            Ok(()) => return,
            Err(err) => {
                tracing::warn!(error = format!("{err:#}"), "the IMAP mailbox cannot be read; trying again later");
            }
        }
        tokio::select! {
            () = tokio::time::sleep(imap.poll) => {}
            _ = stopping.wait_for(|stopping| *stopping) => return,
        }
    }
}

/// One connection's life: read what is new, wait for more, until stopped
/// (`Ok`) or the connection fails (`Err`).
async fn watch_folder(app: &App, imap: &ImapSettings, stopping: &mut watch::Receiver<bool>) -> anyhow::Result<()> {
    let mut session = connect(imap).await?;
    let can_idle = session.capabilities().await.context("CAPABILITY")?.has_str("IDLE");
    let can = abilities(&mut session).await?;
    loop {
        take_new(app, imap, can, &mut session).await?;
        if !can_idle {
            tokio::select! {
                () = tokio::time::sleep(imap.poll) => continue,
                _ = stopping.wait_for(|stopping| *stopping) => break,
            }
        }
        let mut idle = session.idle();
        idle.init().await.context("IDLE")?;
        let stop = {
            let (wait, _interrupt) = idle.wait_with_timeout(imap.poll);
            tokio::select! {
                waited = wait => { waited.context("waiting in IDLE")?; false }
                _ = stopping.wait_for(|stopping| *stopping) => true,
            }
        };
        session = idle.done().await.context("ending IDLE")?;
        if stop {
            break;
        }
    }
    let _ = session.logout().await;
    Ok(())
}

async fn connect(imap: &ImapSettings) -> anyhow::Result<ImapSession> {
    let login = async {
        let tcp = TcpStream::connect((imap.host.as_str(), imap.port))
            .await
            .with_context(|| format!("cannot reach the IMAP server {}:{}", imap.host, imap.port))?;
        let (stream, greeted): (Box<dyn Connection>, bool) = match imap.security {
            ImapSecurity::None => (Box::new(tcp), false),
            ImapSecurity::Tls => (Box::new(tls(imap, tcp).await?), false),
            ImapSecurity::Starttls => {
                let mut plain = async_imap::Client::new(tcp);
                plain.read_response().await.context("reading the IMAP greeting")?.context("no IMAP greeting")?;
                // A server that refuses is not read in plain text instead.
                plain.run_command_and_check_ok("STARTTLS", None).await.context("the IMAP server refused STARTTLS")?;
                (Box::new(tls(imap, plain.into_inner()).await?), true)
            }
        };
        let mut client = async_imap::Client::new(stream);
        if !greeted {
            client.read_response().await.context("reading the IMAP greeting")?.context("no IMAP greeting")?;
        }
        let session = client
            .login(&imap.username, imap.password.expose_secret())
            .await
            .map_err(|(err, _)| err)
            .context("the IMAP server refused the login")?;
        anyhow::Ok(session)
    };
    tokio::time::timeout(CONNECT_TIMEOUT, login).await.context("the IMAP server did not answer in time")?
}

async fn tls(imap: &ImapSettings, tcp: TcpStream) -> anyhow::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject as _;
    use tokio_rustls::rustls;
    let host = &imap.host;
    let mut roots: rustls::RootCertStore = webpki_roots::TLS_SERVER_ROOTS.iter().cloned().collect();
    if let Some(file) = &imap.ca_file {
        let read = || format!("cannot read the certificates in imap_ca_file {}", file.display());
        let certificates: Vec<_> =
            CertificateDer::pem_file_iter(file).with_context(read)?.collect::<Result<_, _>>().with_context(read)?;
        anyhow::ensure!(!certificates.is_empty(), "imap_ca_file {} holds no certificate", file.display());
        for certificate in certificates {
            roots.add(certificate).with_context(read)?;
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .context("TLS versions")?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_owned()).context("imap_host is not a host name")?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    connector.connect(name, tcp).await.context("the TLS handshake with the IMAP server failed")
}

/// Selects the folder and takes in every message not marked yet.
async fn take_new(app: &App, imap: &ImapSettings, can: Abilities, session: &mut ImapSession) -> anyhow::Result<usize> {
    session.select(&imap.folder).await.with_context(|| format!("cannot open the IMAP folder {}", imap.folder))?;
    let mut uids: Vec<u32> =
        session.uid_search(format!("UNKEYWORD {PROCESSED_KEYWORD}")).await.context("SEARCH")?.into_iter().collect();
    uids.sort_unstable();
    let mut taken = 0;
    for batch in uids.chunks(BATCH) {
        let set = batch.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        // Sizes first: a message too large for the pipeline is not downloaded.
        let sizes: Vec<_> = session.uid_fetch(&set, "RFC822.SIZE").await?.try_collect().await.context("FETCH size")?;
        let (small, large): (Vec<_>, Vec<_>) = sizes
            .iter()
            .filter_map(|f| Some((f.uid?, f.size?)))
            .partition(|(_, size)| *size as usize <= MAX_MESSAGE_BYTES);
        for (uid, size) in large {
            tracing::warn!(uid, size, "an IMAP message is too large to be a calendar reply; marked and left");
            mark(imap, can, session, uid).await?;
        }
        for (uid, _) in small {
            let fetched: Vec<_> =
                session.uid_fetch(uid.to_string(), "BODY.PEEK[]").await?.try_collect().await.context("FETCH body")?;
            let Some(raw) = fetched.iter().find(|f| f.uid == Some(uid)).and_then(|f| f.body()) else {
                continue;
            };
            let recipient = envelope_recipient(raw);
            // Stored before marked: an error here leaves it for the next poll.
            let received =
                receive(app, Door::Imap, recipient.as_deref(), raw).await.context("storing an IMAP message")?;
            if matches!(received, Received::Stored(_)) {
                taken += 1;
            }
            mark(imap, can, session, uid).await?;
        }
    }
    Ok(taken)
}

/// Marks a message as taken in: flagged, then moved if a folder is set
/// (copied and expunged by its UID where the server has no MOVE).
async fn mark(imap: &ImapSettings, can: Abilities, session: &mut ImapSession, uid: u32) -> anyhow::Result<()> {
    let uid = uid.to_string();
    let _: Vec<_> = session
        .uid_store(&uid, format!("+FLAGS.SILENT (\\Seen {PROCESSED_KEYWORD})"))
        .await?
        .try_collect()
        .await
        .context("STORE")?;
    let Some(folder) = &imap.processed_folder else { return Ok(()) };
    if can.moves {
        session.uid_mv(&uid, folder).await.with_context(|| format!("cannot move a message to {folder}"))?;
    } else if can.uid_expunge {
        session.uid_copy(&uid, folder).await.with_context(|| format!("cannot copy a message to {folder}"))?;
        let _: Vec<_> =
            session.uid_store(&uid, "+FLAGS.SILENT (\\Deleted)").await?.try_collect().await.context("STORE")?;
        let _: Vec<_> = session.uid_expunge(&uid).await?.try_collect().await.context("UID EXPUNGE")?;
    }
    // Neither: it stays, flagged, which is how the next read knows it.
    Ok(())
}

/// The address the server delivered the message to, which carries the
/// guest's token even when the headers name someone else.
fn envelope_recipient(raw: &[u8]) -> Option<String> {
    let message = mail_parser::MessageParser::default().parse_headers(raw)?;
    ["Delivered-To", "X-Original-To"].into_iter().find_map(|name| {
        message
            .header_values(name)
            .find_map(|value| value.as_text().map(|t| t.trim().to_owned()))
            .filter(|t| !t.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_recipient_is_what_the_server_delivered_to() {
        let raw = b"Delivered-To: rsvp+abc@convive.test\r\nTo: someone@example.org\r\nSubject: x\r\n\r\nbody\r\n";
        assert_eq!(envelope_recipient(raw).as_deref(), Some("rsvp+abc@convive.test"));
        let raw = b"X-Original-To: rsvp+def@convive.test\r\nTo: someone@example.org\r\n\r\nbody\r\n";
        assert_eq!(envelope_recipient(raw).as_deref(), Some("rsvp+def@convive.test"));
        assert_eq!(envelope_recipient(b"To: someone@example.org\r\n\r\nbody\r\n"), None);
    }
}
