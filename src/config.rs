//! Settings: defaults in code, then an optional TOML file, then `CONVIVE_*`
//! environment variables, then command-line flags. A bare start needs none.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Every setting, with its environment variable in the doc comment.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// `CONVIVE_BIND`: address and port to listen on.
    pub bind: SocketAddr,
    /// `CONVIVE_DATABASE_URL`: `sqlite://FILE?mode=rwc` or `postgres://user:pass@host/db`.
    pub database_url: SecretString,
    /// `CONVIVE_DATABASE_POOL_SIZE`: connections kept open for reading (and,
    /// on PostgreSQL, writing); SQLite adds one connection for the writer.
    pub database_pool_size: u32,
    /// `CONVIVE_RENDER_CACHE_MEGABYTES`: memory for guest pages, calendar
    /// files, feeds and event reads kept rendered until their data changes
    /// (0 turns the cache off).
    pub render_cache_megabytes: u32,
    /// `CONVIVE_PUBLIC_URL`: the address guests reach, used to build links.
    /// When unset, the address the server listens on (`bind`), as a browser
    /// on the same machine reaches it.
    pub public_url: url::Url,
    /// Whether `public_url` was set (file, environment or flag) rather than
    /// derived from `bind`. A command that prints links and was not told
    /// the URL uses the one the server recorded in the database instead.
    #[serde(skip)]
    pub public_url_configured: bool,
    /// `CONVIVE_LOG_FORMAT`: `pretty` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// `CONVIVE_LOG`: a `tracing` filter such as `info` or `convive=debug,info`.
    pub log: String,
    /// `CONVIVE_SHUTDOWN_GRACE_SECONDS`: how long in-flight requests and
    /// emails may take to finish after SIGTERM or Ctrl-C.
    pub shutdown_grace_seconds: u64,
    /// `CONVIVE_HTTP_HEADER_TIMEOUT_SECONDS`: how long a client may take to
    /// send a request's headers, counted from when its connection opens or
    /// its previous response was sent; the connection is closed after that.
    /// So it also bounds how long an idle keep-alive connection stays open,
    /// and a client trickling its headers (slowloris) cannot hold one.
    pub http_header_timeout_seconds: u64,
    /// `CONVIVE_SECRET_KEY`: 32 bytes, URL-safe base64, from which invitation
    /// and unsubscribe links are derived. When unset, one is generated and
    /// kept in the database.
    pub secret_key: Option<SecretString>,
    /// `CONVIVE_MAIL_FROM`: the sender of every email.
    pub mail_from: String,
    /// `CONVIVE_REPLY_ADDRESS`: the ORGANIZER address in calendar invitations,
    /// where calendar replies go; defaults to the organiser's own address.
    pub reply_address: Option<String>,
    /// `CONVIVE_DKIM_PRIVATE_KEY`: a PEM private key (RSA, PKCS#1 or PKCS#8;
    /// or Ed25519, PKCS#8) with which every outgoing email is DKIM-signed.
    /// `convive dkim generate` makes one. Unset: emails are not signed.
    pub dkim_private_key: Option<SecretString>,
    /// `CONVIVE_DKIM_PRIVATE_KEY_FILE`: the same key, read from a file.
    pub dkim_private_key_file: Option<PathBuf>,
    /// `CONVIVE_DKIM_SELECTOR`: the selector (`s=`) under which the public
    /// key is published, at `<selector>._domainkey.<domain>`.
    pub dkim_selector: Option<String>,
    /// `CONVIVE_DKIM_DOMAIN`: the signing domain (`d=`); defaults to the
    /// domain of `mail_from`, which DMARC alignment wants.
    pub dkim_domain: Option<String>,
    /// `CONVIVE_INBOUND_AUTH`: what a calendar reply must prove before it
    /// is applied. `require` (the default): a DKIM signature that verifies
    /// and is aligned with its From domain (DMARC's alignment; a DMARC
    /// pass); a reply without one waits in « replies to check ». `off`: no
    /// check, for a provider that verified the message before passing it on.
    pub inbound_auth: InboundAuth,
    /// `CONVIVE_DNS_SERVER`: the DNS server (`ip:port`) asked for DKIM,
    /// DMARC and SPF records; unset: the system's resolver.
    pub dns_server: Option<SocketAddr>,
    /// `CONVIVE_INBOUND_SECRET`: the secret a mail provider's inbound
    /// webhook presents to `POST /api/v1/inbound/messages` (as a bearer
    /// token or the basic-auth password). Unset: that door is closed.
    pub inbound_secret: Option<SecretString>,
    /// `CONVIVE_IMAP_HOST`: a mailbox to read calendar replies from (the
    /// mailbox `reply_address` delivers to). Unset: no IMAP door.
    pub imap_host: Option<String>,
    /// `CONVIVE_IMAP_PORT`: defaults to 993 (tls) or 143 (none).
    pub imap_port: Option<u16>,
    /// `CONVIVE_IMAP_SECURITY`: `tls` (implicit TLS), `starttls` (plain,
    /// then upgraded; refused if the server cannot) or `none` (for a server
    /// on the same machine only).
    pub imap_security: ImapSecurity,
    /// `CONVIVE_IMAP_CA_FILE`: PEM certificates trusted for the IMAP server
    /// besides the public roots (a private CA, or a self-signed server).
    pub imap_ca_file: Option<PathBuf>,
    /// `CONVIVE_IMAP_USERNAME` and `CONVIVE_IMAP_PASSWORD`: the mailbox's login.
    pub imap_username: Option<String>,
    pub imap_password: Option<SecretString>,
    /// `CONVIVE_IMAP_FOLDER`: the folder read.
    pub imap_folder: String,
    /// `CONVIVE_IMAP_PROCESSED_FOLDER`: where a message goes once taken in;
    /// unset, it stays and is flagged `\Seen` and `$ConviveProcessed`.
    pub imap_processed_folder: Option<String>,
    /// `CONVIVE_IMAP_POLL_SECONDS`: how long one IDLE lasts before it is
    /// renewed, and how often the folder is read when the server has no IDLE.
    pub imap_poll_seconds: u64,
    /// `CONVIVE_SMTP_HOST`: the SMTP relay; when unset, emails are written as
    /// `.eml` files into `mail_dir` instead.
    pub smtp_host: Option<String>,
    /// `CONVIVE_SMTP_PORT`: defaults to 587 (starttls), 465 (tls) or 25 (none).
    pub smtp_port: Option<u16>,
    /// `CONVIVE_SMTP_SECURITY`: `starttls`, `tls` or `none`.
    pub smtp_security: SmtpSecurity,
    /// `CONVIVE_SMTP_USERNAME` and `CONVIVE_SMTP_PASSWORD`: credentials, if the relay wants them.
    pub smtp_username: Option<String>,
    pub smtp_password: Option<SecretString>,
    /// `CONVIVE_SMTP_HELO`: the name given in HELO/EHLO (default: the host name).
    pub smtp_helo: Option<String>,
    /// `CONVIVE_SMTP_TIMEOUT_SECONDS`: per SMTP command.
    pub smtp_timeout_seconds: u64,
    /// `CONVIVE_SMTP_POOL_SIZE`: SMTP connections kept open and used in parallel.
    pub smtp_pool_size: u32,
    /// `CONVIVE_MAIL_DIR`: where `.eml` files go when no SMTP host is set.
    pub mail_dir: PathBuf,
    /// `CONVIVE_SCHEDULER_INTERVAL_SECONDS`: how often the scheduler wakes to
    /// queue due reminders, return expired leases and drain the outbox.
    pub scheduler_interval_seconds: u64,
    /// `CONVIVE_DISPATCH_BATCH_SIZE`: emails claimed at once. A batch is
    /// claimed, loaded and recorded as a whole, and must be sent within the
    /// lease.
    pub dispatch_batch_size: u64,
    /// `CONVIVE_DISPATCH_LEASE_SECONDS`: how long a claimed email is held
    /// before another process may take it over. On SQLite, a process started
    /// when no other sends mail takes back at once what a dead one held.
    pub dispatch_lease_seconds: u64,
    /// `CONVIVE_DISPATCH_MAX_AGE_HOURS`: how long an email that fails for a
    /// temporary reason (or waits for an unreachable relay) keeps being
    /// retried before it is marked failed, as an MTA's queue lifetime.
    pub dispatch_max_age_hours: u32,
    /// `CONVIVE_DIGEST_HOUR_UTC`: when organisers who chose a daily digest get it.
    pub digest_hour_utc: u32,
    /// `CONVIVE_RATE_LIMIT_PER_MINUTE`: requests one client address may make
    /// to the guest pages, links and feeds (which carry secret tokens), on
    /// average; 0 turns the limit off.
    pub rate_limit_per_minute: u32,
    /// `CONVIVE_RATE_LIMIT_BURST`: how many of those may come at once.
    pub rate_limit_burst: u32,
    /// `CONVIVE_TRUST_FORWARDED_FOR`: take the client address from
    /// `X-Forwarded-For` (behind a reverse proxy) rather than the connection.
    pub trust_forwarded_for: bool,
    /// `CONVIVE_METRICS_TOKEN`: when set, `/metrics` answers only requests
    /// that carry `Authorization: Bearer <token>`; when unset, anyone who
    /// reaches the server may read it (it holds counts, never personal data).
    pub metrics_token: Option<SecretString>,
    /// `CONVIVE_WEBHOOK_ALLOW_HTTP`: accept `http://` webhook URLs (for a
    /// receiver on a private network, or tests); HTTPS only by default.
    pub webhook_allow_http: bool,
    /// `CONVIVE_WEBHOOK_ALLOWED_NETWORKS`: comma-separated addresses or
    /// CIDR ranges (`10.0.0.0/8, 127.0.0.1`) webhooks may reach although
    /// they are loopback, private, link-local or metadata addresses, which
    /// are refused otherwise. Empty by default.
    pub webhook_allowed_networks: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImapSecurity {
    Tls,
    Starttls,
    None,
}

/// Whether inbound replies must be authenticated (`inbound_auth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InboundAuth {
    Require,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The defaults, in the serialisable shape figment layers over.
#[derive(Debug, Serialize)]
struct Defaults {
    bind: &'static str,
    database_url: &'static str,
    database_pool_size: u32,
    render_cache_megabytes: u32,
    log_format: LogFormat,
    log: &'static str,
    shutdown_grace_seconds: u64,
    http_header_timeout_seconds: u64,
    mail_from: &'static str,
    inbound_auth: InboundAuth,
    smtp_security: SmtpSecurity,
    imap_security: ImapSecurity,
    imap_folder: &'static str,
    imap_poll_seconds: u64,
    smtp_timeout_seconds: u64,
    smtp_pool_size: u32,
    mail_dir: &'static str,
    scheduler_interval_seconds: u64,
    dispatch_batch_size: u64,
    dispatch_lease_seconds: u64,
    dispatch_max_age_hours: u32,
    digest_hour_utc: u32,
    rate_limit_per_minute: u32,
    rate_limit_burst: u32,
    trust_forwarded_for: bool,
    webhook_allow_http: bool,
    webhook_allowed_networks: &'static str,
}

const DEFAULTS: Defaults = Defaults {
    bind: "127.0.0.1:8080",
    database_url: "sqlite://convive.db?mode=rwc",
    database_pool_size: 4,
    // About 3,000 guest pages: a large event's worth.
    render_cache_megabytes: 32,
    log_format: LogFormat::Pretty,
    log: "info",
    shutdown_grace_seconds: 20,
    // Enough for a slow mobile link to send a request's headers, and for a
    // browser to reuse its connection for the next click; apache waits 5 s
    // for the next request, nginx 60 s for a request's headers.
    http_header_timeout_seconds: 10,
    mail_from: "Convive <convive@localhost>",
    inbound_auth: InboundAuth::Require,
    smtp_security: SmtpSecurity::Starttls,
    imap_security: ImapSecurity::Tls,
    imap_folder: "INBOX",
    // Servers end an IDLE after 30 minutes at the earliest (RFC 2177); a
    // few minutes also notices a dropped connection soon enough.
    imap_poll_seconds: 300,
    smtp_timeout_seconds: 30,
    smtp_pool_size: 16,
    mail_dir: "mail",
    scheduler_interval_seconds: 10,
    dispatch_batch_size: 500,
    dispatch_lease_seconds: 120,
    // postfix keeps a message five days.
    dispatch_max_age_hours: 120,
    digest_hour_utc: 7,
    rate_limit_per_minute: 60,
    rate_limit_burst: 30,
    trust_forwarded_for: false,
    webhook_allow_http: false,
    webhook_allowed_networks: "",
};

/// `figment` with a public URL: the configured one, else the one derived
/// from the address the server listens on.
fn with_public_url(figment: Figment) -> Figment {
    if figment.contains("public_url") {
        return figment;
    }
    match figment.extract_inner::<SocketAddr>("bind") {
        Ok(bind) => figment.merge(("public_url", public_url_for(bind))),
        // An invalid `bind` is reported by the extraction that follows.
        Err(_) => figment,
    }
}

/// Where a browser on this machine reaches a server bound to `bind`: an
/// unspecified address (`0.0.0.0`) is reached at the loopback one.
pub fn public_url_for(bind: SocketAddr) -> String {
    let host = match bind.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => Ipv4Addr::LOCALHOST.to_string(),
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[{}]", Ipv6Addr::LOCALHOST),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    format!("http://{host}:{}", bind.port())
}

/// The file read when `--config` is not given, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "convive.toml";

impl Settings {
    /// The DKIM signing domain: the configured one, else `mail_from`'s.
    ///
    /// # Errors
    /// A `mail_from` that is not an address (refused at start already).
    pub fn dkim_signing_domain(&self) -> anyhow::Result<String> {
        if let Some(domain) = &self.dkim_domain {
            return Ok(domain.trim().to_ascii_lowercase());
        }
        let from: lettre::message::Mailbox = self.mail_from.parse().map_err(|e| anyhow::anyhow!("mail_from: {e}"))?;
        Ok(from.email.domain().to_ascii_lowercase())
    }

    /// Loads defaults <- `file` (or `convive.toml` if present) <- environment
    /// <- `overrides` (the command-line flags that were given).
    pub fn load(file: Option<&Path>, overrides: &[(&str, String)]) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(DEFAULTS));
        match file {
            Some(path) if !path.exists() => {
                anyhow::bail!("configuration file {} does not exist", path.display())
            }
            Some(path) => figment = figment.merge(Toml::file(path)),
            None => figment = figment.merge(Toml::file(PathBuf::from(DEFAULT_CONFIG_FILE))),
        }
        figment = figment.merge(Env::prefixed("CONVIVE_").ignore(&["config"]));
        for (key, value) in overrides {
            figment = figment.merge((*key, value.as_str()));
        }
        let public_url_configured = figment.contains("public_url");
        let mut settings: Self =
            with_public_url(figment).extract().map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        settings.public_url_configured = public_url_configured;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> anyhow::Result<()> {
        let url = self.database_url.expose_secret();
        if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            anyhow::bail!("database_url must start with sqlite:, postgres:// or postgresql://");
        }
        if self.database_pool_size == 0 {
            anyhow::bail!("database_pool_size must be at least 1");
        }
        if let Some(key) = &self.secret_key {
            crate::domain::token::SecretKey::from_base64(key.expose_secret())
                .map_err(|e| anyhow::anyhow!("secret_key: {e}"))?;
        }
        self.mail_from.parse::<lettre::message::Mailbox>().map_err(|e| anyhow::anyhow!("mail_from: {e}"))?;
        if self.scheduler_interval_seconds == 0 || self.scheduler_interval_seconds > 3600 {
            anyhow::bail!("scheduler_interval_seconds must be between 1 and 3600");
        }
        if self.http_header_timeout_seconds == 0 || self.http_header_timeout_seconds > 3600 {
            anyhow::bail!("http_header_timeout_seconds must be between 1 and 3600");
        }
        if self.digest_hour_utc > 23 {
            anyhow::bail!("digest_hour_utc must be between 0 and 23");
        }
        if self.rate_limit_per_minute > 0 && self.rate_limit_burst == 0 {
            anyhow::bail!("rate_limit_burst must be at least 1 when rate_limit_per_minute is set");
        }
        crate::webhooks::address::parse_networks(&self.webhook_allowed_networks)
            .map_err(|e| anyhow::anyhow!("webhook_allowed_networks: {e}"))?;
        if let Some(address) = &self.reply_address {
            let mailbox: lettre::Address =
                address.parse().map_err(|e| anyhow::anyhow!("reply_address must be a bare address: {e}"))?;
            if mailbox.user().contains('+') {
                anyhow::bail!("reply_address must not hold a '+': Convive adds +<token> for each guest");
            }
        }
        if let Some(selector) = &self.dkim_selector
            && (selector.is_empty() || !selector.split('.').all(is_dns_label))
        {
            anyhow::bail!("dkim_selector must be a DNS name such as convive or s2026");
        }
        if self.imap_host.is_some() {
            if self.imap_username.is_none() || self.imap_password.is_none() {
                anyhow::bail!("imap_username and imap_password are needed with imap_host");
            }
            if let Some(file) = &self.imap_ca_file
                && !file.is_file()
            {
                anyhow::bail!("imap_ca_file {} is not a readable file", file.display());
            }
            if self.imap_folder.trim().is_empty() {
                anyhow::bail!("imap_folder must name a folder, such as INBOX");
            }
            if self.imap_poll_seconds == 0 || self.imap_poll_seconds > 1740 {
                anyhow::bail!("imap_poll_seconds must be between 1 and 1740 (29 minutes, as RFC 2177 advises)");
            }
        }
        if self.smtp_pool_size == 0 || self.dispatch_batch_size == 0 {
            anyhow::bail!("smtp_pool_size and dispatch_batch_size must be at least 1");
        }
        Ok(())
    }

    /// Defaults only, ignoring files and the environment: for tests.
    pub fn defaults() -> anyhow::Result<Self> {
        with_public_url(Figment::from(Serialized::defaults(DEFAULTS)))
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid defaults: {e}"))
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.expose_secret().starts_with("postgres")
    }
}

/// A DNS label: letters, digits and inner hyphens, at most 63 characters.
fn is_dns_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_url_follows_the_bound_address_unless_configured() {
        let settings = Settings::defaults().unwrap();
        assert_eq!(settings.public_url.as_str(), "http://127.0.0.1:8080/");
        assert!(!settings.public_url_configured);

        let settings = Settings::load(None, &[("bind", "0.0.0.0:9000".to_owned())]).unwrap();
        assert_eq!(settings.public_url.as_str(), "http://127.0.0.1:9000/");
        assert!(!settings.public_url_configured);

        let overrides = [("bind", "[::]:9000".to_owned()), ("public_url", "https://rsvp.example.org".to_owned())];
        let settings = Settings::load(None, &overrides).unwrap();
        assert_eq!(settings.public_url.as_str(), "https://rsvp.example.org/");
        assert!(settings.public_url_configured);
    }

    #[test]
    fn an_imap_mailbox_needs_its_login_and_a_sane_idle() {
        let host = ("imap_host", "imap.example.org".to_owned());
        let user = ("imap_username", "rsvp".to_owned());
        let password = ("imap_password", "secret".to_owned());
        assert!(Settings::load(None, &[host.clone(), user.clone()]).is_err());
        let settings = Settings::load(None, &[host.clone(), user.clone(), password.clone()]).unwrap();
        assert_eq!((settings.imap_folder.as_str(), settings.imap_poll_seconds), ("INBOX", 300));
        assert_eq!(settings.imap_security, ImapSecurity::Tls);
        let starttls = ("imap_security", "starttls".to_owned());
        let login = [host.clone(), user.clone(), password.clone()];
        let settings = Settings::load(None, &[&login[..], &[starttls]].concat()).unwrap();
        assert_eq!(settings.imap_security, ImapSecurity::Starttls);
        let missing_ca = ("imap_ca_file", "/nonexistent/ca.pem".to_owned());
        assert!(Settings::load(None, &[&login[..], &[missing_ca]].concat()).is_err());
        let too_long = ("imap_poll_seconds", "3600".to_owned());
        assert!(Settings::load(None, &[host, user, password, too_long]).is_err());
    }

    #[test]
    fn a_public_url_in_the_file_counts_as_configured() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("convive.toml");
        std::fs::write(&file, "public_url = \"https://rsvp.example.org\"\nbind = \"127.0.0.1:9001\"\n").unwrap();
        let settings = Settings::load(Some(&file), &[]).unwrap();
        assert_eq!(settings.public_url.as_str(), "https://rsvp.example.org/");
        assert!(settings.public_url_configured);
        assert_eq!(public_url_for("[::1]:80".parse().unwrap()), "http://[::1]:80");
    }
}
