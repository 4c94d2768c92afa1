//! Mail authentication against the DNS, through mail-auth and its hickory
//! resolver: DKIM and DMARC on an inbound reply, and the TXT records the
//! mail health check reads. The resolver is `dns_server` when set (the
//! tests' own DNS server, or a resolver the operator trusts), else the
//! system's; it is built on first use, so a machine without DNS still
//! starts, and keeps its cache for the life of the process.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::Context as _;
use mail_auth::SpfOutput;
use mail_auth::dmarc::Policy;
use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts};
use mail_auth::{AuthenticatedMessage, DkimResult, DmarcResult, MessageAuthenticator};

use crate::config::Settings;
use crate::domain::mail_auth::{Outcome, SignatureCheck, Verdict, aligned};

/// The process's resolver, built once.
#[derive(Default)]
pub struct Resolver(OnceLock<MessageAuthenticator>);

impl Resolver {
    /// # Errors
    /// The system's resolver configuration cannot be read.
    pub fn get(&self, settings: &Settings) -> anyhow::Result<&MessageAuthenticator> {
        if let Some(authenticator) = self.0.get() {
            return Ok(authenticator);
        }
        let authenticator = build(settings.dns_server)?;
        Ok(self.0.get_or_init(|| authenticator))
    }
}

fn build(server: Option<SocketAddr>) -> anyhow::Result<MessageAuthenticator> {
    let Some(server) = server else {
        return MessageAuthenticator::new_system_conf().context("cannot read the system's DNS configuration");
    };
    let connections = [ConnectionConfig::udp(), ConnectionConfig::tcp()]
        .into_iter()
        .map(|mut connection| {
            connection.port = server.port();
            connection
        })
        .collect();
    let config = ResolverConfig::from_name_servers(vec![NameServerConfig::new(server.ip(), true, connections)]);
    let mut options = ResolverOpts::default();
    // A reply waits for these lookups: fail soon, and let the retry come.
    options.timeout = Duration::from_secs(3);
    options.attempts = 1;
    MessageAuthenticator::new(config, options).context("cannot set up the DNS resolver")
}

/// Checks a raw message's DKIM signatures and its From domain's DMARC
/// policy. SPF is not evaluated (the sending address is not known here),
/// so DMARC can pass only through an aligned DKIM signature.
pub async fn verify(authenticator: &MessageAuthenticator, raw: &[u8]) -> Verdict {
    let Some(message) = AuthenticatedMessage::parse(raw) else {
        return Verdict::default();
    };
    let from_domain = message.from().rsplit_once('@').map(|(_, domain)| domain.trim().to_ascii_lowercase());
    let dkim = authenticator.verify_dkim(&message).await;
    let signatures = dkim
        .iter()
        .filter_map(|output| {
            let domain = output.signature()?.d.to_ascii_lowercase();
            let outcome = match output.result() {
                DkimResult::Pass => Outcome::Pass,
                DkimResult::TempError(_) => Outcome::TempError,
                DkimResult::None => Outcome::None,
                DkimResult::Neutral(_) | DkimResult::Fail(_) | DkimResult::PermError(_) => Outcome::Fail,
            };
            let aligned = from_domain.as_deref().is_some_and(|from| aligned(&domain, from));
            Some(SignatureCheck { domain, outcome, aligned })
        })
        .collect();
    let mail_from = from_domain.clone().unwrap_or_default();
    let spf = SpfOutput::new(mail_from.clone());
    let dmarc = authenticator.verify_dmarc(DmarcParameters::new(&message, &dkim, &mail_from, &spf)).await;
    let (outcome, policy) = if dmarc.dmarc_record().is_none() && matches!(dmarc.dkim_result(), DmarcResult::None) {
        (Outcome::None, None)
    } else {
        let outcome = match dmarc.dkim_result() {
            DmarcResult::Pass => Outcome::Pass,
            DmarcResult::TempError(_) => Outcome::TempError,
            DmarcResult::PermError(_) => Outcome::PermError,
            DmarcResult::Fail(_) | DmarcResult::None => Outcome::Fail,
        };
        let policy = match dmarc.policy() {
            Policy::None | Policy::Unspecified => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        };
        (outcome, Some(policy.to_owned()))
    };
    Verdict { from_domain, signatures, dmarc: outcome, dmarc_policy: policy }
}

/// What a TXT lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Txt {
    /// The records at that name, each as one string.
    Found(Vec<String>),
    /// The name has no TXT record (or does not exist).
    Missing,
    /// The DNS could not answer.
    Unreachable(String),
}

/// The TXT records at `name`.
pub async fn txt(authenticator: &MessageAuthenticator, name: &str) -> Txt {
    let fqdn = format!("{}.", name.trim_end_matches('.'));
    match authenticator.resolver().txt_lookup(fqdn.as_str()).await {
        Ok(lookup) => {
            let records: Vec<String> = lookup
                .answers()
                .iter()
                .filter_map(|record| match &record.data {
                    mail_auth::hickory_resolver::proto::rr::RData::TXT(txt) => {
                        Some(txt.txt_data.iter().map(|part| String::from_utf8_lossy(part)).collect::<String>())
                    }
                    _ => None,
                })
                .collect();
            if records.is_empty() { Txt::Missing } else { Txt::Found(records) }
        }
        Err(err) => match mail_auth::Error::from(err) {
            mail_auth::Error::Dns(mail_auth::DnsError::RecordNotFound(_)) => Txt::Missing,
            other => Txt::Unreachable(other.to_string()),
        },
    }
}
