//! Adding guests from the event page: a pasted list, or a CSV file from a
//! spreadsheet (separator, columns and encoding detected), with the report
//! of what became of each row shown on the page that answers.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;

use super::event_page::{ImportReportView, ImportRowView, event_page};
use super::extract::OwnedEvent;
use crate::app::guest_lists::ListSource;
use crate::app::{self, AppError};
use crate::domain::guest_list::ImportStatus;
use crate::http::AppState;
use crate::http::pages::{PageError, word};

/// Largest upload: 10,000 rows of a spreadsheet fit with room to spare.
const UPLOAD_LIMIT_BYTES: usize = 8 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard/events/{event_id}/guests/import", post(import))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT_BYTES))
}

/// The form's parts: its token, the pasted list, the file.
#[derive(Default)]
struct Upload {
    csrf: String,
    /// Pasted text, as bytes: text copied from an old document may not be UTF-8.
    list: Vec<u8>,
    file: Vec<u8>,
}

async fn read(mut multipart: Multipart) -> Result<Upload, axum::extract::multipart::MultipartError> {
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
    let report = match app::guest_lists::import(&state, session.organiser.id, event.id, source, |_, _| {}).await {
        Ok(report) => report,
        Err(AppError::Invalid(fields)) => {
            // A list with no guests, or a file that is no spreadsheet.
            let nothing = upload.file.is_empty() && upload.list.iter().all(u8::is_ascii_whitespace);
            let message = if nothing {
                word(session.language, "d_error_import_empty")
            } else {
                fields.into_values().next().unwrap_or_default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return event_page(&state, &session, &event, status, None, Some(message)).await;
        }
        Err(err) => return Err(PageError::from(err).in_language(session.language)),
    };
    let view = ImportReportView {
        added: report.added as u64,
        duplicates: report.duplicates as u64,
        invalid: report.invalid as u64,
        rows: report
            .rows
            .into_iter()
            .map(|row| ImportRowView {
                line: row.line,
                email: row.email,
                name: row.name,
                status: match row.status {
                    ImportStatus::Added => "added",
                    ImportStatus::Duplicate => "duplicate",
                    ImportStatus::Invalid => "invalid",
                },
                reason: row
                    .reasons
                    .into_iter()
                    .map(|(field, reason)| format!("{field}: {reason}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect(),
    };
    event_page(&state, &session, &event, StatusCode::OK, Some(view), None).await
}
