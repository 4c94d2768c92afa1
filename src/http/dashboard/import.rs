//! Adding guests from the event page: a pasted list, or a CSV file from a
//! spreadsheet (separator, columns and encoding detected), with the report
//! of what became of each row shown on the page that answers; a long list
//! is imported in the background, with a page that follows it.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Serialize;
use uuid::Uuid;

use super::event_page::{ImportReportView, ImportRowView, event_page};
use super::events::event_url;
use super::extract::OwnedEvent;
use super::see_other;
use crate::app::guest_lists::{ImportStart, ListSource};
use crate::app::{self, AppError};
use crate::domain::event::Language;
use crate::domain::guest_list::{ImportJobState, ImportReport, ImportStatus};
use crate::domain::question::Question;
use crate::http::AppState;
use crate::http::pages::{PageError, word};
use crate::i18n;

/// Largest upload: 10,000 rows of a spreadsheet fit with room to spare.
const UPLOAD_LIMIT_BYTES: usize = 8 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard/events/{event_id}/guests/import", post(import))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT_BYTES))
        .route("/dashboard/events/{event_id}/imports/{job_id}", get(job_page))
}

/// The form's parts: its token, the pasted list, the file.
#[derive(Default)]
pub(super) struct Upload {
    pub csrf: String,
    /// Pasted text, as bytes: text copied from an old document may not be UTF-8.
    pub list: Vec<u8>,
    pub file: Vec<u8>,
}

pub(super) async fn read(mut multipart: Multipart) -> Result<Upload, axum::extract::multipart::MultipartError> {
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await? {
        match field.name() {
            Some("csrf") => upload.csrf = field.text().await?,
            Some("list") => upload.list = field.bytes().await?.to_vec(),
            Some("file") => upload.file = field.bytes().await?.to_vec(),
            _ => {}
        }
    }
    Ok(upload)
}

async fn import(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    // A file upload, so the token is one of the parts: checked by hand.
    let upload = read(multipart).await.map_err(|_| PageError::bad_request().in_language(session.language))?;
    session.check_form(&headers, &upload.csrf)?;
    let source = if upload.file.is_empty() { ListSource::Pasted(&upload.list) } else { ListSource::Csv(&upload.file) };
    match app::guest_lists::start_import(&state, session.organiser.id, event.id, source).await {
        Ok(ImportStart::Done(report)) => show_report(&state, &session, &event, *report).await,
        Ok(ImportStart::Started(job)) => Ok(see_other(&job_url(event.id, job))),
        Err(AppError::Invalid(fields)) => {
            // A list with no guests, or a file that is no spreadsheet.
            let nothing = upload.file.is_empty() && upload.list.iter().all(u8::is_ascii_whitespace);
            let message = if nothing {
                word(session.language, "d_error_import_empty")
            } else {
                fields.values().next().map(|problem| i18n::problem(session.language, problem)).unwrap_or_default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            event_page(&state, &session, &event, status, None, Some(message)).await
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

/// The event's page with the report of an import done, at once or by its job.
async fn show_report(
    state: &AppState,
    session: &super::OrganiserSession,
    event: &crate::domain::event::Event,
    report: ImportReport,
) -> Result<Response, PageError> {
    let view = report_view(report, session.language, &event.details.questions);
    event_page(state, session, event, StatusCode::OK, Some(view), None).await
}

fn job_url(event_id: Uuid, job: Uuid) -> String {
    format!("{}/imports/{job}", event_url(event_id))
}

#[derive(Serialize)]
struct ProgressPage {
    title: String,
    rows: usize,
    /// Rows written so far, when this process runs the import.
    done: Option<usize>,
    percent: usize,
    back: String,
}

/// A background import as it stands: its progress while it runs (the page
/// refreshes itself), then the event page with its report, or why nothing
/// was added.
async fn job_page(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    Path((_, job_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let job_id = job_id.parse::<Uuid>().map_err(|_| PageError::not_found().in_language(session.language))?;
    let (job, done) = app::guest_lists::import_job(&state, session.organiser.id, event.id, job_id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    match job.state {
        ImportJobState::Running { .. } => {
            let page = ProgressPage {
                title: event.details.title.clone(),
                rows: job.rows,
                done,
                percent: done.map_or(0, |done| done * 100 / job.rows.max(1)),
                back: event_url(event.id),
            };
            Ok(session.page("dashboard/import_progress.html", StatusCode::OK, &page))
        }
        ImportJobState::Done(report) => show_report(&state, &session, &event, *report).await,
        ImportJobState::Failed(why) => {
            tracing::info!(job = %job.id, %why, "showing a failed import");
            let message = word(session.language, "d_import_failed");
            event_page(&state, &session, &event, StatusCode::OK, None, Some(message)).await
        }
    }
}

pub(super) fn report_view(report: ImportReport, language: Language, questions: &[Question]) -> ImportReportView {
    ImportReportView {
        added: report.added as u64,
        duplicates: report.duplicates as u64,
        invalid: report.invalid as u64,
        // Only what needs her eye: the rows added are counted, not listed.
        rows: report
            .rows
            .into_iter()
            .filter(|row| row.status != ImportStatus::Added)
            .map(|row| ImportRowView {
                line: row.line,
                email: row.email.clone(),
                name: row.name.clone(),
                status: match row.status {
                    ImportStatus::Added => "added",
                    ImportStatus::Duplicate => "duplicate",
                    ImportStatus::Invalid => "invalid",
                },
                // Her words for each reason; the address's own problems need no label.
                reason: row
                    .problems()
                    .iter()
                    .map(|(field, problem)| {
                        let said = i18n::problem(language, problem);
                        if field == "email" {
                            return said;
                        }
                        // A question's column is headed by its label.
                        let question = field
                            .strip_prefix("questions.")
                            .and_then(|key| questions.iter().find(|q| q.key == key))
                            .map(|q| {
                                i18n::text(language, "d_import_question", &[("label", q.label.get(language).into())])
                            });
                        let label = question.unwrap_or_else(|| {
                            i18n::text(language, "d_import_field", &[("field", field.as_str().into())])
                        });
                        format!("{label}{}{said}", i18n::word(language, "d_colon"))
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            })
            .collect(),
    }
}
