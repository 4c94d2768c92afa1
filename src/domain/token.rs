//! Secrets handed to people (invitation tokens, API keys). Only their SHA-256
//! hash is stored, so the database alone cannot be used to answer for a guest
//! or to act as an organiser.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The instance's secret: invitation and unsubscribe links are derived from
/// it, so they can be rebuilt for every email while the database keeps only
/// hashes. 256 random bits.
#[derive(Clone)]
pub struct SecretKey {
    bytes: [u8; 32],
    /// HMAC-SHA256 with the key already taken in: each signature starts
    /// from a copy, rather than hashing the key's two padded blocks again
    /// (four tokens an email, one a guest's visit).
    keyed: Hmac<Sha256>,
}

impl SecretKey {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self::from_bytes(bytes)
    }

    fn from_bytes(bytes: [u8; 32]) -> Self {
        let keyed = Hmac::<Sha256>::new_from_slice(&bytes).expect("HMAC takes keys of any length");
        Self { bytes, keyed }
    }

    /// # Errors
    /// When `encoded` is not 32 bytes of URL-safe base64.
    pub fn from_base64(encoded: &str) -> Result<Self, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded.trim().trim_end_matches('='))
            .map_err(|_| "the secret key must be URL-safe base64".to_owned())?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| "the secret key must be 32 bytes".to_owned())?;
        Ok(Self::from_bytes(bytes))
    }

    pub fn to_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.bytes)
    }

    /// HMAC-SHA256 of the parts, separated so that no two part lists collide.
    fn sign(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.keyed.clone();
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

/// A fresh random salt for a guest's token (128 bits).
pub fn new_salt() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

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

    /// The token of one guest's invitation: keyed by the instance secret and
    /// her random salt, so it is unguessable, can be rebuilt for each email,
    /// and changes (invalidating old links) when her salt does.
    pub fn derive(key: &SecretKey, guest_id: Uuid, salt: &str) -> Self {
        Self(URL_SAFE_NO_PAD.encode(key.sign(&[b"invitation", guest_id.as_bytes(), salt.as_bytes()])))
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

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(expected: &str, presented: &str) -> bool {
    expected.len() == presented.len()
        && expected.bytes().zip(presented.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// A link token naming an id for one purpose (`label`): the id and a MAC
/// over both, so such links need no storage and cannot be forged.
fn signed_id_token(key: &SecretKey, label: &[u8], id: Uuid) -> String {
    let mac = key.sign(&[label, id.as_bytes()]);
    format!("{}.{}", URL_SAFE_NO_PAD.encode(id.as_bytes()), URL_SAFE_NO_PAD.encode(&mac[..16]))
}

fn verify_signed_id_token(key: &SecretKey, label: &[u8], token: &str) -> Option<Uuid> {
    let (id, _) = token.split_once('.')?;
    let bytes: [u8; 16] = URL_SAFE_NO_PAD.decode(id).ok()?.try_into().ok()?;
    let id = Uuid::from_bytes(bytes);
    // Compare the whole expected token in constant time.
    let expected = signed_id_token(key, label, id);
    same_secret(&expected, token).then_some(id)
}

/// The token in a guest's calendar reply address (`reply+<token>@…`): her
/// id and an 80-bit MAC in lower-case hex, 52 characters, since mail systems
/// may change the case of an address and a local part holds 64 at most.
pub fn calendar_reply_token(key: &SecretKey, guest_id: Uuid) -> String {
    let mac = key.sign(&[b"calendar-reply", guest_id.as_bytes()]);
    format!("{}{}", hex::encode(guest_id.as_bytes()), hex::encode(&mac[..10]))
}

/// The guest a calendar reply token names, if it is genuine.
pub fn verify_calendar_reply_token(key: &SecretKey, token: &str) -> Option<Uuid> {
    let token = token.to_ascii_lowercase();
    let id: [u8; 16] = hex::decode(token.get(..32)?).ok()?.try_into().ok()?;
    let id = Uuid::from_bytes(id);
    same_secret(&calendar_reply_token(key, id), &token).then_some(id)
}

/// The token in a guest's one-click unsubscribe link.
pub fn unsubscribe_token(key: &SecretKey, guest_id: Uuid) -> String {
    signed_id_token(key, b"unsubscribe", guest_id)
}

/// The guest id an unsubscribe token vouches for, if it is genuine.
pub fn verify_unsubscribe_token(key: &SecretKey, token: &str) -> Option<Uuid> {
    verify_signed_id_token(key, b"unsubscribe", token)
}

/// The secret in a guest's feed of the events she said yes to. It names one
/// guest row; the feed covers every event to which her address said yes.
pub fn guest_feed_token(key: &SecretKey, guest_id: Uuid) -> String {
    signed_id_token(key, b"guest-feed", guest_id)
}

pub fn verify_guest_feed_token(key: &SecretKey, token: &str) -> Option<Uuid> {
    verify_signed_id_token(key, b"guest-feed", token)
}

/// The secret in a member's feed of her series' dates. It names her
/// membership, so it works as long as she is in the community.
pub fn series_feed_token(key: &SecretKey, member_id: Uuid) -> String {
    signed_id_token(key, b"series-feed", member_id)
}

pub fn verify_series_feed_token(key: &SecretKey, token: &str) -> Option<Uuid> {
    verify_signed_id_token(key, b"series-feed", token)
}

/// The token in the link that confirms an open registration.
pub fn registration_token(key: &SecretKey, registration_id: Uuid) -> String {
    signed_id_token(key, b"registration", registration_id)
}

pub fn verify_registration_token(key: &SecretKey, token: &str) -> Option<Uuid> {
    verify_signed_id_token(key, b"registration", token)
}

/// The token in an organiser's one-time sign-in link.
pub fn login_token(key: &SecretKey, link_id: Uuid) -> String {
    signed_id_token(key, b"login", link_id)
}

pub fn verify_login_token(key: &SecretKey, token: &str) -> Option<Uuid> {
    verify_signed_id_token(key, b"login", token)
}

/// The token in the link that accepts an invitation to an event's team.
pub fn team_token(key: &SecretKey, member_id: Uuid) -> String {
    signed_id_token(key, b"team", member_id)
}

pub fn verify_team_token(key: &SecretKey, token: &str) -> Option<Uuid> {
    verify_signed_id_token(key, b"team", token)
}

/// A session's cookie value: random, stored only as a hash.
pub fn new_session_token() -> String {
    random_secret()
}

/// A form's anti-forgery token: a MAC over what the form acts on (an
/// invitation, an event, a session), so a page of ours can embed it and
/// another site cannot make one. Checked with [`verify_form_token`].
pub fn form_token(key: &SecretKey, purpose: &str, subject: &str) -> String {
    let mac = key.sign(&[b"form", purpose.as_bytes(), subject.as_bytes()]);
    URL_SAFE_NO_PAD.encode(&mac[..16])
}

pub fn verify_form_token(key: &SecretKey, purpose: &str, subject: &str, presented: &str) -> bool {
    let expected = form_token(key, purpose, subject);
    same_secret(&expected, presented)
}

/// The secret in an organiser's calendar feed URL.
pub fn feed_token(key: &SecretKey, organiser_id: Uuid) -> String {
    signed_id_token(key, b"organiser-feed", organiser_id)
}

/// The organiser a feed token belongs to, if it is genuine. An unsubscribe
/// token for the same id does not pass: the label is part of the MAC.
pub fn verify_feed_token(key: &SecretKey, token: &str) -> Option<Uuid> {
    verify_signed_id_token(key, b"organiser-feed", token)
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

/// The one-time code that guards the first-run setup page, printed in the
/// server's log while no organiser exists. Twelve characters from an
/// alphabet without look-alikes (no 0/O, 1/I/L, U), shown in groups of four
/// (`ABCD-EFGH-JKMN`): about 59 bits, typed by hand from a terminal.
#[derive(Clone)]
pub struct SetupCode(String);

impl SetupCode {
    const ALPHABET: &'static [u8] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";
    const LENGTH: usize = 12;

    pub fn generate() -> Self {
        use rand::Rng;
        let mut rng = rand::rng();
        let mut code = String::with_capacity(Self::LENGTH + 2);
        for i in 0..Self::LENGTH {
            if i > 0 && i % 4 == 0 {
                code.push('-');
            }
            code.push(char::from(Self::ALPHABET[rng.random_range(0..Self::ALPHABET.len())]));
        }
        Self(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        Self::hash_of_presented(&self.0)
    }

    /// The hash of a code as typed: case, spaces and dashes do not matter.
    pub fn hash_of_presented(raw: &str) -> String {
        let normalised: String =
            raw.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect();
        hash_secret(&normalised)
    }
}

impl std::fmt::Debug for SetupCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SetupCode(***)")
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

    /// Links already sent must keep working: a signature is the plain
    /// HMAC-SHA256 under the key, however the keyed state is kept, and
    /// signing leaves that state as it was.
    #[test]
    fn signatures_are_hmac_sha256_under_the_key() {
        let key = SecretKey::from_base64(&SecretKey::generate().to_base64()).unwrap();
        let mut fresh = Hmac::<Sha256>::new_from_slice(&key.bytes).unwrap();
        fresh.update(&3u64.to_be_bytes());
        fresh.update(b"abc");
        let expected: [u8; 32] = fresh.finalize().into_bytes().into();
        assert_eq!(key.sign(&[b"abc"]), expected);
        assert_eq!(key.sign(&[b"abc"]), expected);
    }

    #[test]
    fn derived_tokens_depend_on_key_guest_and_salt() {
        let key = SecretKey::generate();
        let guest = Uuid::new_v4();
        let a = InvitationToken::derive(&key, guest, "salt-1");
        assert_eq!(a.as_str(), InvitationToken::derive(&key, guest, "salt-1").as_str());
        assert_ne!(a.as_str(), InvitationToken::derive(&key, guest, "salt-2").as_str());
        assert_ne!(a.as_str(), InvitationToken::derive(&SecretKey::generate(), guest, "salt-1").as_str());
        assert_eq!(
            InvitationToken::hash_of_presented(a.as_str()),
            Some(a.hash()),
            "derived tokens look like any other"
        );
    }

    #[test]
    fn unsubscribe_tokens_verify_only_for_their_guest_and_key() {
        let key = SecretKey::generate();
        let guest = Uuid::new_v4();
        let token = unsubscribe_token(&key, guest);
        assert_eq!(verify_unsubscribe_token(&key, &token), Some(guest));
        assert_eq!(verify_unsubscribe_token(&SecretKey::generate(), &token), None);
        let forged =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(Uuid::new_v4().as_bytes()), token.split_once('.').unwrap().1);
        assert_eq!(verify_unsubscribe_token(&key, &forged), None);
        assert_eq!(verify_unsubscribe_token(&key, "garbage"), None);
    }

    #[test]
    fn secret_keys_round_trip_through_base64() {
        let key = SecretKey::generate();
        assert_eq!(SecretKey::from_base64(&key.to_base64()).unwrap().bytes, key.bytes);
        assert!(SecretKey::from_base64("short").is_err());
    }

    #[test]
    fn api_keys_carry_their_prefix() {
        let key = ApiKey::generate();
        assert!(key.as_str().starts_with("cvk_"));
        assert_eq!(ApiKey::hash_of_presented(key.as_str()), Some(key.hash()));
        assert_eq!(ApiKey::hash_of_presented(&key.as_str()[4..]), None);
    }

    #[test]
    fn a_setup_code_is_recognised_however_it_is_typed() {
        let code = SetupCode::generate();
        assert_eq!(code.as_str().len(), 14, "{}", code.as_str());
        assert_eq!(code.as_str().matches('-').count(), 2);
        let typed = format!(" {} ", code.as_str().to_lowercase().replace('-', " "));
        assert_eq!(SetupCode::hash_of_presented(&typed), code.hash());
        assert_ne!(SetupCode::hash_of_presented("ABCD-EFGH-JKMN"), SetupCode::generate().hash());
        assert_ne!(code.as_str(), SetupCode::generate().as_str());
    }
}
