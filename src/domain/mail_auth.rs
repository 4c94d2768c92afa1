//! Mail authentication, judged: whether an inbound reply proves who sent it
//! (a DKIM signature aligned with its From domain, as DMARC reads it), and
//! what a sender domain should publish for receivers to trust its mail.
//! Pure: the DNS lookups and the signature checks are the app's.

use serde::{Deserialize, Serialize};

/// The result of one check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    /// The DNS could not be asked (try later); not a proof either way.
    TempError,
    /// A broken record or signature.
    PermError,
    /// Nothing to check (no signature, no policy published).
    #[default]
    None,
}

/// One DKIM signature of the message, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureCheck {
    /// Its signing domain (`d=`), lower-cased.
    pub domain: String,
    pub outcome: Outcome,
    /// Whether `d=` is the From domain or shares it (relaxed alignment).
    pub aligned: bool,
}

/// What the checks found for one inbound message, kept with it for the
/// organiser to read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The From address's domain.
    pub from_domain: Option<String>,
    pub signatures: Vec<SignatureCheck>,
    /// DMARC's result for the From domain (`None`: it publishes no policy).
    pub dmarc: Outcome,
    /// The policy that domain asks for: `none`, `quarantine` or `reject`.
    pub dmarc_policy: Option<String>,
}

impl Verdict {
    /// The rule for applying a reply on its own: one DKIM signature that
    /// verifies and is aligned with the From domain, and no DMARC failure
    /// (a domain asking for strict alignment fails DMARC on a subdomain's
    /// signature). SPF is not counted: the message reached Convive through
    /// a mailbox or a provider, so the address that sent it is not ours to
    /// see, and DKIM survives the forwarding that breaks SPF.
    pub fn trusted(&self) -> bool {
        self.dmarc != Outcome::Fail && self.signatures.iter().any(|s| s.outcome == Outcome::Pass && s.aligned)
    }

    /// The verdict in sentences for the organiser: each a catalogue message
    /// id with its `domain` and `policy` arguments.
    pub fn findings(&self) -> Vec<(&'static str, String, String)> {
        let from = self.from_domain.clone().unwrap_or_default();
        let mut findings = Vec::new();
        if self.signatures.is_empty() {
            findings.push(("auth_no_signature", from.clone(), String::new()));
        }
        for signature in &self.signatures {
            let id = match (signature.outcome, signature.aligned) {
                (Outcome::Pass, true) => "auth_signature_pass",
                (Outcome::Pass, false) => "auth_signature_unaligned",
                (Outcome::TempError, _) => "auth_signature_temperror",
                _ => "auth_signature_fail",
            };
            findings.push((id, signature.domain.clone(), String::new()));
        }
        let policy = self.dmarc_policy.clone().unwrap_or_default();
        let id = match self.dmarc {
            Outcome::Pass => "auth_dmarc_pass",
            Outcome::Fail => "auth_dmarc_fail",
            Outcome::TempError | Outcome::PermError => "auth_dmarc_temperror",
            Outcome::None => "auth_dmarc_none",
        };
        if !from.is_empty() {
            findings.push((id, from, policy));
        }
        findings
    }
}

/// Relaxed alignment (RFC 7489 §3.1.1, without the public suffix list): the
/// signing domain is the From domain, or one is a subdomain of the other.
pub fn aligned(signing_domain: &str, from_domain: &str) -> bool {
    let signing = signing_domain.trim_end_matches('.').to_ascii_lowercase();
    let from = from_domain.trim_end_matches('.').to_ascii_lowercase();
    // A bare top-level domain never aligns: nobody signs as `com`.
    if signing.is_empty() || from.is_empty() || !signing.contains('.') || !from.contains('.') {
        return false;
    }
    signing == from || from.ends_with(&format!(".{signing}")) || signing.ends_with(&format!(".{from}"))
}

/// The SPF record to suggest for a domain that has none: the relay's name
/// when Convive sends through one, else the domain's own mail servers.
pub fn spf_suggestion(relay: Option<&str>) -> String {
    match relay.filter(|host| host.contains('.') && host.parse::<std::net::IpAddr>().is_err()) {
        Some(host) => format!("v=spf1 a:{host} mx ~all"),
        None => "v=spf1 mx ~all".to_owned(),
    }
}

/// The DMARC record to start with: watch (`p=none`) and get the reports.
pub fn dmarc_suggestion(report_to: &str) -> String {
    format!("v=DMARC1; p=none; rua=mailto:{report_to}")
}

/// The `p=` of a DKIM key record, without spaces.
pub fn dkim_public_key(record: &str) -> Option<String> {
    record.split(';').find_map(|tag| {
        let (name, value) = tag.split_once('=')?;
        (name.trim() == "p").then(|| value.split_whitespace().collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(domain: &str, outcome: Outcome) -> Verdict {
        Verdict {
            from_domain: Some("example.org".into()),
            signatures: vec![SignatureCheck {
                domain: domain.into(),
                outcome,
                aligned: aligned(domain, "example.org"),
            }],
            dmarc: Outcome::None,
            dmarc_policy: None,
        }
    }

    #[test]
    fn only_a_passing_signature_aligned_with_from_is_trusted() {
        assert!(signed("example.org", Outcome::Pass).trusted());
        assert!(signed("mail.example.org", Outcome::Pass).trusted());
        assert!(!signed("example.org", Outcome::Fail).trusted());
        assert!(!signed("example.org", Outcome::TempError).trusted());
        assert!(!signed("evil.test", Outcome::Pass).trusted());
        assert!(!Verdict::default().trusted());
        let mut strict = signed("mail.example.org", Outcome::Pass);
        strict.dmarc = Outcome::Fail;
        assert!(!strict.trusted(), "a DMARC failure is never trusted");
    }

    #[test]
    fn alignment_is_relaxed_but_never_by_a_bare_top_level_domain() {
        assert!(aligned("Example.org.", "example.org"));
        assert!(aligned("example.org", "eu.example.org"));
        assert!(!aligned("org", "example.org"));
        assert!(!aligned("notexample.org", "example.org"));
    }

    #[test]
    fn the_suggested_records_are_ready_to_publish() {
        assert_eq!(spf_suggestion(Some("smtp.relay.example")), "v=spf1 a:smtp.relay.example mx ~all");
        assert_eq!(spf_suggestion(Some("127.0.0.1")), "v=spf1 mx ~all");
        assert_eq!(dmarc_suggestion("anne@example.org"), "v=DMARC1; p=none; rua=mailto:anne@example.org");
        assert_eq!(dkim_public_key("v=DKIM1; k=rsa; p=MIIB Ij ").as_deref(), Some("MIIBIj"));
    }

    #[test]
    fn an_unsigned_message_says_so_in_its_findings() {
        let findings = Verdict { from_domain: Some("example.org".into()), ..Verdict::default() }.findings();
        let ids: Vec<&str> = findings.iter().map(|f| f.0).collect();
        assert_eq!(ids, ["auth_no_signature", "auth_dmarc_none"]);
    }
}
