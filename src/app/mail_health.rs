//! The mail health check: what the sender domain publishes in the DNS for
//! receivers to trust Convive's mail (SPF, DKIM at the configured selector,
//! DMARC), looked up through mail-auth's resolver, with the exact record to
//! publish where one is missing or wrong; and a signed test message to the
//! organiser, sent through the outbox like every other email. One report for
//! `convive doctor mail` and the dashboard page alike.

use uuid::Uuid;

use super::mail_trust::{self, Txt};
use super::{App, AppError, Result};
use crate::domain::event::Language;
use crate::domain::mail_auth::{dkim_public_key, dmarc_suggestion, spf_suggestion};
use crate::storage;

/// What one check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Missing,
    /// A DKIM record that is not the configured key's.
    Mismatch,
    /// No DKIM key configured: nothing to look up.
    NoKey,
    Unreachable,
}

impl Status {
    /// Its name, as the catalogue's `d_health_status_<name>` says it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Missing => "missing",
            Self::Mismatch => "mismatch",
            Self::NoKey => "no_key",
            Self::Unreachable => "unreachable",
        }
    }
}

/// One record: where it is looked up, what was found, what to publish.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Check {
    pub status: Status,
    /// The DNS name looked up.
    pub name: String,
    pub found: Option<String>,
    /// The TXT value to publish at `name`, when something is to be done.
    pub publish: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// The sender domain: DKIM's signing domain, which is `mail_from`'s
    /// unless `dkim_domain` says otherwise.
    pub domain: String,
    pub spf: Check,
    pub dkim: Check,
    pub dmarc: Check,
}

impl Report {
    /// How many records are to be published or fixed.
    pub fn to_fix(&self) -> usize {
        [&self.spf, &self.dkim, &self.dmarc].iter().filter(|c| c.status != Status::Ok).count()
    }
}

/// Looks the sender domain's records up; `expected_dkim` is the record of
/// the configured key (`None`: no key). The suggested DMARC record sends
/// its reports to `dmarc@<domain>`, an address of the domain itself (a
/// report address elsewhere needs that other domain's consent in its DNS).
///
/// # Errors
/// Settings that name no sender domain (refused at start already), or no
/// DNS resolver to ask.
pub async fn check(app: &App, expected_dkim: Option<String>) -> Result<Report> {
    let settings = &app.settings;
    let domain = settings.dkim_signing_domain()?;
    let authenticator = app.resolver.get(settings)?;

    let spf_found = mail_trust::txt(authenticator, &domain).await;
    let spf = judge(
        domain.clone(),
        spf_found,
        |r| r.to_ascii_lowercase().starts_with("v=spf1"),
        |_| true,
        || spf_suggestion(settings.smtp_host.as_deref()),
    );

    let dmarc_name = format!("_dmarc.{domain}");
    let dmarc_found = mail_trust::txt(authenticator, &dmarc_name).await;
    let dmarc = judge(
        dmarc_name,
        dmarc_found,
        |r| r.to_ascii_uppercase().starts_with("V=DMARC1"),
        |_| true,
        || dmarc_suggestion(&format!("dmarc@{domain}")),
    );

    let dkim = match (&settings.dkim_selector, expected_dkim) {
        (Some(selector), Some(expected)) => {
            let name = format!("{selector}._domainkey.{domain}");
            let found = mail_trust::txt(authenticator, &name).await;
            let key = dkim_public_key(&expected);
            judge(
                name,
                found,
                |r| r.contains("p=") && (r.contains("DKIM1") || r.starts_with("k=") || r.starts_with("p=")),
                |r| dkim_public_key(r) == key,
                || expected.clone(),
            )
        }
        _ => Check { status: Status::NoKey, name: String::new(), found: None, publish: None },
    };
    Ok(Report { domain, spf, dkim, dmarc })
}

/// The record of its kind among those found (`is_kind`), judged by
/// `is_right`; what to publish otherwise.
fn judge(
    name: String,
    found: Txt,
    is_kind: impl Fn(&str) -> bool,
    is_right: impl Fn(&str) -> bool,
    suggestion: impl FnOnce() -> String,
) -> Check {
    match found {
        Txt::Unreachable(_) => Check { status: Status::Unreachable, name, found: None, publish: None },
        Txt::Missing => Check { status: Status::Missing, name, found: None, publish: Some(suggestion()) },
        Txt::Found(records) => match records.into_iter().find(|r| is_kind(r.trim())) {
            None => Check { status: Status::Missing, name, found: None, publish: Some(suggestion()) },
            Some(record) if is_right(record.trim()) => {
                Check { status: Status::Ok, name, found: Some(record), publish: None }
            }
            Some(record) => Check { status: Status::Mismatch, name, found: Some(record), publish: Some(suggestion()) },
        },
    }
}

/// Queues a test message to an organiser (found by id), in `language`;
/// returns her address.
///
/// # Errors
/// An organiser that does not exist.
pub async fn send_test(app: &App, organiser_id: Uuid, language: Language) -> Result<String> {
    let organiser = storage::organisers::find_many(&*app.db, [organiser_id])
        .await?
        .pop()
        .ok_or(AppError::NotFound(storage::Missing::Organiser))?;
    let domain = app.settings.dkim_signing_domain()?;
    let mut work = app.begin().await?;
    let queued = storage::outbox::enqueue_mail_test(
        &*work.tx,
        organiser.id,
        organiser.email.as_str(),
        language.as_str(),
        &domain,
        app.now(),
    )
    .await?;
    work.queued(queued);
    work.commit(app).await?;
    Ok(organiser.email.to_string())
}
