//! A series' community on the dashboard: importing it from a spreadsheet or
//! a pasted list (with the report of each row), adding someone by hand, and
//! one member's page: her history date by date, and leaving or coming back.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::events::event_url;
use super::extract::CheckedForm;
use super::import::{read, report_view};
use super::series::{Answered, series_page, series_url};
use super::{OrganiserSession, see_other_saying};
use crate::app::guest_lists::ListSource;
use crate::app::{self, AppError};
use crate::domain::community::{JoinedHow, MemberStatus, NewMember};
use crate::domain::event::Language;
use crate::domain::guest::NewGuest;
use crate::http::AppState;
use crate::http::extract::Path;
use crate::http::pages::{PageError, word};
use crate::i18n::{self, Arg, text};
use crate::mail::context::{local_date, local_date_in, local_time};

/// Largest upload, as for a guest list.
const UPLOAD_LIMIT_BYTES: usize = 8 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard/series/{series_id}/community/import", post(import))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT_BYTES))
        .route("/dashboard/series/{series_id}/members", post(add))
        .route("/dashboard/series/{series_id}/members/{member_id}", get(member_page))
        .route("/dashboard/series/{series_id}/members/{member_id}/status", post(set_status))
}

/// What she meant, in her words: each problem of the rules, joined.
fn said(errors: &crate::domain::FieldErrors, language: Language) -> String {
    errors.values().map(|p| i18n::problem(language, p)).collect::<Vec<_>>().join(" ")
}

async fn import(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(series_id): Path<Uuid>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let language = session.language;
    // A file upload, so the token is one of the parts: checked by hand.
    let upload = read(multipart).await.map_err(|_| PageError::bad_request().in_language(language))?;
    session.check_form(&headers, &upload.csrf)?;
    let source = if upload.file.is_empty() { ListSource::Pasted(&upload.list) } else { ListSource::Csv(&upload.file) };
    let answered = match app::community::import(&state, session.organiser.id, series_id, source).await {
        Ok(report) => Answered { import_report: Some(report_view(report, language, &[])), ..Answered::default() },
        Err(AppError::Invalid(errors)) => {
            let nothing = upload.file.is_empty() && upload.list.iter().all(u8::is_ascii_whitespace);
            let error = if nothing { word(language, "d_error_import_empty") } else { said(&errors, language) };
            Answered { error: Some(error), status: Some(StatusCode::UNPROCESSABLE_ENTITY), ..Answered::default() }
        }
        Err(err) => return Err(PageError::from(err).in_language(language)),
    };
    series_page(&state, &session, series_id, "name", answered).await
}

#[derive(Debug, Deserialize)]
struct NewMemberForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    tags: String,
}

async fn add(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(series_id): Path<Uuid>,
    CheckedForm(form): CheckedForm<NewMemberForm>,
) -> Result<Response, PageError> {
    let language = session.language;
    let person = NewGuest::parse_with_first_name(&form.email, Some(&form.name), None, None);
    let refused = |error: String| Answered {
        error: Some(error),
        status: Some(StatusCode::UNPROCESSABLE_ENTITY),
        ..Answered::default()
    };
    let member = match NewMember::parse(person, &form.tags, JoinedHow::Added, None) {
        Ok(member) => member,
        Err(errors) => return series_page(&state, &session, series_id, "name", refused(said(&errors, language))).await,
    };
    match app::community::add(&state, session.organiser.id, series_id, &member).await {
        Ok(added) => {
            let done = text(language, "d_flash_member_added", &[("email", Arg::Text(added.email.to_string()))]);
            Ok(see_other_saying(&state, &format!("{}#community", series_url(series_id)), &done))
        }
        Err(AppError::AlreadyMember { email }) => {
            let error = text(language, "d_member_already", &[("email", Arg::Text(email))]);
            series_page(&state, &session, series_id, "name", refused(error)).await
        }
        Err(AppError::Invalid(errors)) => {
            series_page(&state, &session, series_id, "name", refused(said(&errors, language))).await
        }
        Err(err) => Err(PageError::from(err).in_language(language)),
    }
}

#[derive(Serialize)]
struct DateRow {
    url: String,
    title: String,
    when: String,
    /// How she was on the list: invited, or at the door.
    how: String,
    answer: String,
    came: bool,
    no_show: bool,
    late: bool,
}

#[derive(Serialize)]
struct MemberPage {
    flash: Option<String>,
    series_name: String,
    back_url: String,
    name: String,
    email: String,
    left: bool,
    joined: String,
    consented: Option<String>,
    tags: Vec<String>,
    counts: String,
    no_shows: u32,
    late: u32,
    dates: Vec<DateRow>,
    status_url: String,
}

async fn member_page(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path((series_id, member_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let language = session.language;
    let refused = |e: AppError| PageError::from(e).in_language(language);
    let series = app::series::get(&state, session.organiser.id, series_id).await.map_err(refused)?;
    let (member, tally, history) =
        app::community::member(&state, session.organiser.id, series_id, member_id).await.map_err(refused)?;
    let late_hours = series.settings.late_cancellation_hours;
    // Her own days on the wall clock of the series' dates.
    let zone = match app::series::defaults(&state, session.organiser.id, series.id).await {
        Ok((_, defaults)) => defaults.schedule.time_zone,
        Err(AppError::NotFound(_)) => {
            history.last().map_or(chrono_tz::UTC, |(event, _)| event.details.schedule.time_zone)
        }
        Err(err) => return Err(refused(err)),
    };
    let base = series_url(series.id);
    let dates = history
        .iter()
        .map(|(event, at)| DateRow {
            url: event_url(event.id),
            title: event.details.title.clone(),
            when: format!(
                "{}, {}",
                local_date(event.details.schedule.starts_at, event, language),
                local_time(event.details.schedule.starts_at, event)
            ),
            how: word(language, if at.walk_in { "d_member_at_door" } else { "d_member_invited" }),
            answer: at.answer.map_or_else(
                || word(language, "d_member_no_answer"),
                |answer| word(language, &format!("d_answer_{}", answer.as_str())),
            ),
            came: at.came(),
            no_show: at.no_show(),
            late: at.late_cancellation(late_hours),
        })
        .collect();
    let page = MemberPage {
        flash: session.flash.clone(),
        series_name: series.settings.name.clone(),
        status_url: format!("{base}/members/{}/status", member.id),
        back_url: format!("{base}#community"),
        name: member.name.clone(),
        email: member.email.to_string(),
        left: member.status == MemberStatus::Left,
        joined: format!(
            "{} · {}",
            word(language, &format!("d_joined_{}", member.joined_how.as_str())),
            local_date_in(member.joined_at, zone, language)
        ),
        consented: member.consented_at.map(|at| local_date_in(at, zone, language)),
        tags: member.tags.clone(),
        counts: text(
            language,
            "d_series_came_of",
            &[("came", Arg::from(tally.came)), ("dates", Arg::from(tally.dates))],
        ),
        no_shows: tally.no_shows,
        late: tally.late_cancellations,
        dates,
    };
    Ok(session.page("dashboard/series_member.html", StatusCode::OK, &page))
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    status: String,
}

async fn set_status(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path((series_id, member_id)): Path<(Uuid, Uuid)>,
    CheckedForm(form): CheckedForm<StatusForm>,
) -> Result<Response, PageError> {
    let language = session.language;
    let status = MemberStatus::parse(&form.status).ok_or_else(|| PageError::bad_request().in_language(language))?;
    app::community::set_status(&state, session.organiser.id, series_id, member_id, status)
        .await
        .map_err(|e| PageError::from(e).in_language(language))?;
    let key = if status == MemberStatus::Left { "d_flash_member_left" } else { "d_flash_member_back" };
    let url = format!("{}/members/{member_id}", series_url(series_id));
    Ok(see_other_saying(&state, &url, &word(language, key)))
}
