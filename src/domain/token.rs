//! Secrets handed to people (invitation tokens, API keys). Only their SHA-256
//! hash is stored, so the database alone cannot be used to answer for a guest
//! or to act as an organiser.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 bits of randomness, URL-safe.
fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Hex SHA-256, the form stored in the database. A plain hash is enough
/// because the secrets are 256-bit random values, not passwords.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The secret part of a guest's personal link.
#[derive(Debug, Clone)]
pub struct InvitationToken(String);

impl InvitationToken {
    pub fn generate() -> Self {
        Self(random_secret())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hash_secret(&self.0)
    }

    /// Hash of a token received from outside, or `None` when it cannot be one
    /// of ours (saves a database round trip on garbage).
    pub fn hash_of_presented(raw: &str) -> Option<String> {
        (raw.len() == 43 && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
            .then(|| hash_secret(raw))
    }
}

/// An organiser's API key, shown once when created.
#[derive(Debug, Clone)]
pub struct ApiKey(String);

impl ApiKey {
    const PREFIX: &'static str = "cvk_";

    pub fn generate() -> Self {
        Self(format!("{}{}", Self::PREFIX, random_secret()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hash_secret(&self.0)
    }

    pub fn hash_of_presented(raw: &str) -> Option<String> {
        raw.strip_prefix(Self::PREFIX).and_then(InvitationToken::hash_of_presented).map(|_| hash_secret(raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_distinct_and_recognised() {
        let a = InvitationToken::generate();
        let b = InvitationToken::generate();
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(InvitationToken::hash_of_presented(a.as_str()), Some(a.hash()));
        assert_eq!(InvitationToken::hash_of_presented("short"), None);
        assert_eq!(InvitationToken::hash_of_presented(&"!".repeat(43)), None);
    }

    #[test]
    fn api_keys_carry_their_prefix() {
        let key = ApiKey::generate();
        assert!(key.as_str().starts_with("cvk_"));
        assert_eq!(ApiKey::hash_of_presented(key.as_str()), Some(key.hash()));
        assert_eq!(ApiKey::hash_of_presented(&key.as_str()[4..]), None);
    }
}
