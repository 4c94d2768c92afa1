//! DKIM: every outgoing message signed with the operator's key (mail-auth,
//! relaxed/relaxed), and new keys with the DNS record to publish for them.
//!
//! Signed over the bytes that leave, after lettre has formatted the message,
//! so nothing can change between signing and sending. Not lettre's own
//! signer: it fails verification on multipart `Content-Type` and with its
//! default canonicalisation (see DESIGN.md).

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mail_auth::common::crypto::{DkimKey, Ed25519Key, RsaKey, Sha256};
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::generate::DkimKeyPair;
use mail_auth::dkim::{Canonicalization, DkimSigner, Done};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;
use secrecy::ExposeSecret;

use crate::config::Settings;

/// The headers signed. `From` is listed twice so that it is over-signed: a
/// second `From` added on the way breaks the signature. Headers a message
/// lacks (Reply-To, List-Unsubscribe on an organiser's email) are signed as
/// absent, so nobody can add them either. Both `List-Unsubscribe` headers
/// are covered, as RFC 8058 requires for one-click unsubscribe.
const SIGNED_HEADERS: [&str; 14] = [
    "From",
    "From",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "Reply-To",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "X-Convive-Kind",
];

/// A configured signer: the domain (`d=`), the selector (`s=`) and the key.
pub struct Dkim {
    signer: DkimSigner<DkimKey, Done>,
}

impl Dkim {
    /// The signer the settings describe, or `None` when no key is set.
    ///
    /// # Errors
    /// A key that cannot be read, or a key without a selector.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Option<Self>> {
        let Some(pem) = configured_pem(settings)? else {
            return Ok(None);
        };
        let selector = settings.dkim_selector.as_deref().context("dkim_selector must be set with a DKIM key")?;
        let domain = settings.dkim_signing_domain()?;
        Ok(Some(Self::new(&pem, &domain, selector)?))
    }

    /// # Errors
    /// A key that is neither an RSA key (PKCS#1 or PKCS#8 PEM) nor an
    /// Ed25519 key (PKCS#8 PEM).
    pub fn new(pem: &str, domain: &str, selector: &str) -> anyhow::Result<Self> {
        let key = read_key(pem)?;
        let signer = DkimSigner::from_key(key)
            .domain(domain)
            .selector(selector)
            .headers(SIGNED_HEADERS)
            .header_canonicalization(Canonicalization::Relaxed)
            .body_canonicalization(Canonicalization::Relaxed);
        Ok(Self { signer })
    }

    /// The message with its `DKIM-Signature` header in front.
    ///
    /// # Errors
    /// Only if the key refuses to sign, which a key read at start does not.
    pub fn sign(&self, message: &[u8]) -> anyhow::Result<Vec<u8>> {
        let signature = self.signer.sign(message).context("cannot DKIM-sign the message")?;
        let mut signed = signature.to_header().into_bytes();
        signed.extend_from_slice(message);
        Ok(signed)
    }
}

fn configured_pem(settings: &Settings) -> anyhow::Result<Option<String>> {
    Ok(Some(match (&settings.dkim_private_key, &settings.dkim_private_key_file) {
        (Some(pem), _) => pem.expose_secret().to_owned(),
        (None, Some(file)) => std::fs::read_to_string(file)
            .with_context(|| format!("dkim_private_key_file: cannot read {}", file.display()))?,
        (None, None) => return Ok(None),
    }))
}

/// The TXT value that publishes the configured key's public half (what the
/// mail health check expects at `<selector>._domainkey.<domain>`), or
/// `None` when no key is set.
///
/// # Errors
/// A key that cannot be read.
pub fn configured_record(settings: &Settings) -> anyhow::Result<Option<String>> {
    let Some(pem) = configured_pem(settings)? else {
        return Ok(None);
    };
    let der = PrivateKeyDer::from_pem_slice(pem.trim().as_bytes())
        .map_err(|e| anyhow::anyhow!("the DKIM key is not a PEM private key: {e}"))?;
    if let PrivateKeyDer::Pkcs8(pkcs8) = &der
        && let Ok(key) = Ed25519Key::from_pkcs8_maybe_unchecked_der(pkcs8.secret_pkcs8_der())
    {
        return Ok(Some(format!("v=DKIM1; k=ed25519; p={}", STANDARD.encode(key.public_key()))));
    }
    let key = RsaKey::<Sha256>::from_key_der(der)
        .map_err(|e| anyhow::anyhow!("the DKIM key is neither RSA nor Ed25519: {e}"))?;
    Ok(Some(format!("v=DKIM1; k=rsa; p={}", rsa_spki(&key.public_key())?)))
}

fn read_key(pem: &str) -> anyhow::Result<DkimKey> {
    let der = PrivateKeyDer::from_pem_slice(pem.trim().as_bytes())
        .map_err(|e| anyhow::anyhow!("the DKIM key is not a PEM private key: {e}"))?;
    if let PrivateKeyDer::Pkcs8(pkcs8) = &der
        && let Ok(key) = Ed25519Key::from_pkcs8_maybe_unchecked_der(pkcs8.secret_pkcs8_der())
    {
        return Ok(DkimKey::Ed25519(key));
    }
    let key = RsaKey::<Sha256>::from_key_der(der)
        .map_err(|e| anyhow::anyhow!("the DKIM key is neither RSA nor Ed25519: {e}"))?;
    Ok(DkimKey::Rsa(key))
}

/// The kind of key `convive dkim generate` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// RSA-2048: what every receiver verifies.
    Rsa,
    /// Ed25519 (RFC 8463): short, but Gmail and Outlook do not yet count it.
    Ed25519,
}

/// A new key: the private key as PEM (for the settings), and the TXT record
/// to publish at `<selector>._domainkey.<domain>`.
pub struct NewKey {
    pub private_pem: String,
    pub dns_name: String,
    pub dns_value: String,
}

/// # Errors
/// Only if the system's random source fails.
pub fn generate(algorithm: Algorithm, domain: &str, selector: &str) -> anyhow::Result<NewKey> {
    let (private_pem, dns_value) = match algorithm {
        Algorithm::Rsa => {
            let pair = DkimKeyPair::generate_rsa(2048).map_err(|e| anyhow::anyhow!("cannot generate a key: {e}"))?;
            (pem("RSA PRIVATE KEY", pair.private_key()), format!("v=DKIM1; k=rsa; p={}", rsa_spki(pair.public_key())?))
        }
        Algorithm::Ed25519 => {
            let pair = DkimKeyPair::generate_ed25519().map_err(|e| anyhow::anyhow!("cannot generate a key: {e}"))?;
            (
                pem("PRIVATE KEY", pair.private_key()),
                format!("v=DKIM1; k=ed25519; p={}", STANDARD.encode(pair.public_key())),
            )
        }
    };
    Ok(NewKey { private_pem, dns_name: format!("{selector}._domainkey.{domain}"), dns_value })
}

/// The RSA public key as DNS publishes it (base64 `SubjectPublicKeyInfo`, as
/// `openssl rsa -pubout` writes it), from the PKCS#1 form mail-auth gives.
fn rsa_spki(pkcs1: &[u8]) -> anyhow::Result<String> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::pkcs8::EncodePublicKey;
    let key = rsa::RsaPublicKey::from_pkcs1_der(pkcs1).context("cannot read the new public key")?;
    let der = key.to_public_key_der().context("cannot encode the new public key")?;
    Ok(STANDARD.encode(der.as_bytes()))
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut text = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        text.push_str(&String::from_utf8_lossy(line));
        text.push('\n');
    }
    text + "-----END " + label + "-----\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &[u8] = b"From: Anne <anne@example.org>\r\nTo: jane@example.net\r\nSubject: Hi\r\n\r\nHello\r\n";

    fn signed_with(algorithm: Algorithm) -> String {
        let key = generate(algorithm, "example.org", "convive").unwrap();
        let dkim = Dkim::new(&key.private_pem, "example.org", "convive").unwrap();
        String::from_utf8(dkim.sign(MESSAGE).unwrap()).unwrap()
    }

    #[test]
    fn both_kinds_of_key_sign_relaxed_with_from_over_signed() {
        for algorithm in [Algorithm::Rsa, Algorithm::Ed25519] {
            let signed = signed_with(algorithm);
            let header = signed.split("\r\nFrom:").next().unwrap().replace("\r\n", "").replace(['\t', ' '], "");
            assert!(header.starts_with("DKIM-Signature:"), "{signed}");
            assert!(header.contains("c=relaxed/relaxed"), "{header}");
            assert!(header.contains("d=example.org") && header.contains("s=convive"), "{header}");
            assert!(header.to_ascii_lowercase().contains("h=from:from:") || header.contains("From:From"), "{header}");
            assert!(signed.ends_with(std::str::from_utf8(MESSAGE).unwrap()));
        }
    }

    #[test]
    fn a_key_that_is_not_one_is_refused_clearly() {
        let err = Dkim::new("not a key", "example.org", "s").err().unwrap();
        assert!(err.to_string().contains("PEM"), "{err}");
    }

    #[test]
    fn the_dns_record_names_the_selector_and_the_kind_of_key() {
        let key = generate(Algorithm::Ed25519, "example.org", "s1").unwrap();
        assert_eq!(key.dns_name, "s1._domainkey.example.org");
        assert!(key.dns_value.starts_with("v=DKIM1; k=ed25519; p="));
        let key = generate(Algorithm::Rsa, "example.org", "s1").unwrap();
        // A 2048-bit SubjectPublicKeyInfo: 294 bytes, 392 base64 characters.
        assert!(key.dns_value.starts_with("v=DKIM1; k=rsa; p=MIIBIjAN"), "{}", key.dns_value);
    }
}
