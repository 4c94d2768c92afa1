//! Adding guests from the event page: a pasted list, or a CSV file from a
//! spreadsheet (separator, columns and encoding detected), with the report
//! of what became of each row shown on the page that answers.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;

use super::OrganiserSession;
use super::events::{ImportReportView, ImportRowView, event_page, owned};
use crate::domain::guest_list::{self, ImportReport, ImportStatus};
use crate::http::AppState;
use crate::http::pages::PageError;
use crate::storage;

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
    list: String,
    file: Vec<u8>,
}

async fn read(mut multipart: Multipart) -> Result<Upload, axum::extract::multipart::MultipartError> {
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await? {
        match field.name() {
            Some("csrf") => upload.csrf = field.text().await?,
            Some("list") => upload.list = field.text().await?,
            Some("file") => upload.file = field.bytes().await?.to_vec(),
            _ => {}
        }
    }
    Ok(upload)
}

async fn import(
    State(state): State<AppState>,
    session: OrganiserSession,
    headers: HeaderMap,
    Path(event_id): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let upload = read(multipart).await.map_err(|_| PageError::bad_request().in_language(session.language))?;
    session.check_form(&headers, &upload.csrf)?;
    let event = owned(&state, &session, &event_id).await?;
    let (rows, mut report) = if upload.file.is_empty() {
        let rows = guest_list::parse_pasted(&upload.list);
        (rows, ImportReport::for_pasted(guest_list::TextEncoding::Utf8))
    } else {
        match guest_list::parse_csv(&upload.file) {
            Ok(parsed) => {
                let report = ImportReport::for_csv(&parsed.layout);
                (parsed.rows, report)
            }
            Err(error) => {
                return event_page(
                    &state,
                    &session,
                    &event,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    None,
                    Some(error.to_string()),
                )
                .await;
            }
        }
    };
    storage::guest_lists::import(&state.db, &event, &rows, &mut report, &state.link_key, state.clock.now(), |_| {})
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    state.wake_mail();
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
