//! Webhooks in the Standard Webhooks v1 format: the event types an organiser
//! may subscribe to, the secret she is shown once, the signature of each
//! message, the retry schedule, and which URLs are acceptable at all.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Duration;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use super::problem::{Problem, code};

/// What a webhook can tell; the name is the payload's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub enum WebhookType {
    /// A guest answered or changed her answer (`previous_answer` is null the first time).
    #[serde(rename = "guest.answered")]
    GuestAnswered,
    /// A guest was seated from the waiting list.
    #[serde(rename = "guest.promoted")]
    GuestPromoted,
    #[serde(rename = "guest.checked_in")]
    GuestCheckedIn,
    /// Someone not on the list was added at the door.
    #[serde(rename = "guest.walked_in")]
    GuestWalkedIn,
    /// Someone who registered for an open event confirmed her address.
    #[serde(rename = "registration.confirmed")]
    RegistrationConfirmed,
    #[serde(rename = "event.published")]
    EventPublished,
    #[serde(rename = "event.changed")]
    EventChanged,
    #[serde(rename = "event.cancelled")]
    EventCancelled,
    /// Someone asked for no more emails from the organiser.
    #[serde(rename = "guest.unsubscribed")]
    GuestUnsubscribed,
    /// Sent by hand from the endpoint's page; every endpoint gets it.
    #[serde(rename = "webhook.test")]
    Test,
}

impl WebhookType {
    pub const ALL: [Self; 10] = [
        Self::GuestAnswered,
        Self::GuestPromoted,
        Self::GuestCheckedIn,
        Self::GuestWalkedIn,
        Self::RegistrationConfirmed,
        Self::EventPublished,
        Self::EventChanged,
        Self::EventCancelled,
        Self::GuestUnsubscribed,
        Self::Test,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::GuestAnswered => "guest.answered",
            Self::GuestPromoted => "guest.promoted",
            Self::GuestCheckedIn => "guest.checked_in",
            Self::GuestWalkedIn => "guest.walked_in",
            Self::RegistrationConfirmed => "registration.confirmed",
            Self::EventPublished => "event.published",
            Self::EventChanged => "event.changed",
            Self::EventCancelled => "event.cancelled",
            Self::GuestUnsubscribed => "guest.unsubscribed",
            Self::Test => "webhook.test",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }

    /// The types she may choose (the test event goes to every endpoint).
    pub fn subscribable() -> impl Iterator<Item = Self> {
        Self::ALL.into_iter().filter(|t| *t != Self::Test)
    }
}

/// The types an endpoint listens to, in their stored form `,a,b,` (so one
/// `LIKE '%,a,%'` finds the subscribers of `a`).
pub fn stored_types(types: &[WebhookType]) -> String {
    let mut stored = String::from(",");
    for t in types {
        stored.push_str(t.as_str());
        stored.push(',');
    }
    stored
}

/// The stored form read back; unknown names (a type since retired) are dropped.
pub fn parse_stored_types(stored: &str) -> Vec<WebhookType> {
    stored.split(',').filter_map(WebhookType::parse).collect()
}

/// Validates the chosen types: at least one, each known, none twice.
pub fn parse_types(raw: &[String]) -> Result<Vec<WebhookType>, Problem> {
    let mut types = Vec::new();
    for name in raw {
        let t = WebhookType::parse(name.trim()).filter(|t| *t != WebhookType::Test).ok_or_else(|| {
            Problem::new(code::INVALID_WEBHOOK_TYPE, format!("unknown event type {name:?}")).with("value", name)
        })?;
        if !types.contains(&t) {
            types.push(t);
        }
    }
    if types.is_empty() {
        return Err(Problem::new(code::REQUIRED, "choose at least one event type"));
    }
    Ok(types)
}

/// A signing secret, `whsec_` and 32 random bytes in base64, as the spec
/// and its libraries expect.
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("whsec_{}", STANDARD.encode(bytes))
}

/// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the secret's bytes.
///
/// # Errors
/// When the secret is not `whsec_` and base64 (never for one we generated).
pub fn sign(secret: &str, message_id: &str, timestamp: i64, body: &[u8]) -> Result<String, String> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|_| "the webhook secret is not base64".to_owned())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|_| "the webhook secret is empty".to_owned())?;
    mac.update(format!("{message_id}.{timestamp}.").as_bytes());
    mac.update(body);
    Ok(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The spec's schedule: the first attempt at once, then after 5 s, 5 min,
/// 30 min, 2 h, 5 h, 10 h and 10 h. Eight attempts in all.
const RETRY_DELAYS_SECONDS: [i64; 7] = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];

/// How many attempts a delivery gets.
pub const MAX_ATTEMPTS: i32 = RETRY_DELAYS_SECONDS.len() as i32 + 1;

/// When to try again after `attempts` failed attempts, stretched by
/// `jitter_permille` thousandths of a tenth of the delay (so at most a
/// tenth more) so that deliveries that failed together do not all come
/// back at the same second; `None` when the attempts are spent.
pub fn retry_delay(attempts: i32, jitter_permille: u32) -> Option<Duration> {
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    let base = *RETRY_DELAYS_SECONDS.get(index)?;
    let extra_ms = base * i64::from(jitter_permille.min(1000)) / 10;
    Some(Duration::seconds(base) + Duration::milliseconds(extra_ms))
}

/// Longest a response body is kept in the log.
pub const RESPONSE_BODY_LIMIT: usize = 1024;

/// A URL an endpoint may have: absolute, `https` (or `http` when the
/// operator allows it), with a host, no credentials.
pub fn parse_url(raw: &str, allow_http: bool) -> Result<url::Url, Problem> {
    let invalid = || Problem::new(code::INVALID_URL, "must be an absolute https:// URL");
    let url = url::Url::parse(raw.trim()).map_err(|_| invalid())?;
    let scheme_ok = url.scheme() == "https" || (allow_http && url.scheme() == "http");
    if !scheme_ok || url.host().is_none() || !url.username().is_empty() || url.password().is_some() || raw.len() > 2000
    {
        return Err(invalid());
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_one_of_the_spec() {
        // The example of the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        let signature = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, body).unwrap();
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn the_schedule_is_the_one_of_the_spec_with_at_most_a_tenth_more() {
        let seconds: Vec<i64> = (1..MAX_ATTEMPTS).map(|a| retry_delay(a, 0).unwrap().num_seconds()).collect();
        assert_eq!(seconds, [5, 300, 1800, 7200, 18000, 36000, 36000]);
        assert_eq!(retry_delay(2, 1000).unwrap().num_seconds(), 330);
        assert_eq!(retry_delay(MAX_ATTEMPTS, 500), None, "eight attempts in all");
        assert_eq!(retry_delay(0, 500), None);
    }

    #[test]
    fn types_are_stored_so_that_one_like_finds_them() {
        let types = parse_types(&["guest.answered".into(), "event.cancelled".into(), "guest.answered".into()]).unwrap();
        assert_eq!(stored_types(&types), ",guest.answered,event.cancelled,");
        assert_eq!(parse_stored_types(&stored_types(&types)), types);
        assert!(parse_types(&[]).is_err());
        assert!(parse_types(&["webhook.test".into()]).is_err(), "the test event is not a choice");
        assert!(parse_types(&["guest.sneezed".into()]).is_err());
    }

    #[test]
    fn only_https_urls_unless_http_is_allowed() {
        assert!(parse_url("https://hooks.example.org/convive", false).is_ok());
        assert!(parse_url("http://hooks.example.org/convive", false).is_err());
        assert!(parse_url("http://hooks.example.org/convive", true).is_ok());
        assert!(parse_url("https://user:pw@hooks.example.org/", false).is_err());
        assert!(parse_url("ftp://hooks.example.org/", true).is_err());
        assert!(parse_url("/relative", true).is_err());
    }
}
