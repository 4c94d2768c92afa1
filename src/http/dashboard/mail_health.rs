//! « Santé de vos envois »: the mail health check for the organiser (the
//! sender domain's SPF, DKIM and DMARC records, in plain words, with the
//! exact record to publish), and a button that sends her a signed test
//! message through the outbox.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Serialize;

use super::extract::CheckedForm;
use super::{ActionForm, OrganiserSession, see_other_saying};
use crate::app::mail_health::{self, Check, Status};
use crate::http::AppState;
use crate::http::pages::PageError;
use crate::i18n::{self, Arg};

pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(page)).route(TEST, post(send_test))
}

const PATH: &str = "/dashboard/mail-health";
const TEST: &str = "/dashboard/mail-health/test";

#[derive(Serialize)]
struct Row {
    id: &'static str,
    title: String,
    status: String,
    /// The badge's look: `yes` (in place), `failed`, `pending`.
    tone: &'static str,
    name: String,
    found: Option<String>,
    publish: Option<String>,
    no_key: bool,
}

#[derive(Serialize)]
struct HealthPage {
    intro: String,
    summary: String,
    all_good: bool,
    checks: Vec<Row>,
    flash: Option<String>,
    test_action: &'static str,
}

async fn page(State(state): State<AppState>, session: OrganiserSession) -> Result<Response, PageError> {
    let language = session.language;
    let failed = |e: anyhow::Error| PageError::from(crate::app::AppError::from(e)).in_language(language);
    let expected = crate::mail::dkim::configured_record(&state.settings).map_err(failed)?;
    let report = mail_health::check(&state, expected).await.map_err(|e| PageError::from(e).in_language(language))?;
    let row = |id: &'static str, check: &Check| Row {
        id,
        title: i18n::word(language, &format!("d_health_{id}")),
        status: i18n::word(language, &format!("d_health_status_{}", check.status.as_str())),
        tone: match check.status {
            Status::Ok => "yes",
            Status::Missing | Status::Mismatch => "failed",
            Status::NoKey | Status::Unreachable => "pending",
        },
        name: check.name.clone(),
        found: check.found.clone(),
        publish: check.publish.clone(),
        no_key: check.status == Status::NoKey,
    };
    let to_fix = report.to_fix();
    let body = HealthPage {
        intro: i18n::text(language, "d_health_intro", &[("domain", Arg::from(report.domain.clone()))]),
        summary: if to_fix == 0 {
            i18n::word(language, "d_health_all_good")
        } else {
            i18n::text(language, "d_health_to_fix", &[("count", Arg::from(to_fix))])
        },
        all_good: to_fix == 0,
        checks: vec![row("spf", &report.spf), row("dkim", &report.dkim), row("dmarc", &report.dmarc)],
        flash: session.flash.clone(),
        test_action: TEST,
    };
    Ok(session.page("dashboard/mail_health.html", StatusCode::OK, &body))
}

async fn send_test(
    State(state): State<AppState>,
    session: OrganiserSession,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let language = session.language;
    let email = mail_health::send_test(&state, session.organiser.id, language)
        .await
        .map_err(|e| PageError::from(e).in_language(language))?;
    Ok(see_other_saying(&state, PATH, &i18n::text(language, "d_health_test_sent", &[("email", Arg::from(email))])))
}
