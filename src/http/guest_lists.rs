//! Organiser API: guest lists in and out of spreadsheets. Import a CSV file
//! or a pasted list with a report per row; export the guest list as CSV.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Json, Path, Query, RawBody};
use crate::app;
use crate::app::guest_lists::ListSource;
use crate::domain::event::{Event, Language};
use crate::domain::guest_list::{self, CsvStyle, ExportRow, ImportReport};
use crate::error::{ApiError, ErrorBody, Result};

/// Largest import: 10,000 rows of a typical spreadsheet fit with room to
/// spare. Other routes keep the general 1 MiB limit.
pub const IMPORT_BODY_LIMIT_BYTES: usize = 8 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_guests))
        // Only the routes above get the larger limit.
        .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT_BYTES))
        .routes(routes!(export_guests))
}

/// The list an import's body holds, read by its `Content-Type`: a CSV file
/// or a pasted list. Guest lists and communities are imported alike.
pub(super) fn list_source<'a>(headers: &HeaderMap, body: &'a [u8]) -> Result<ListSource<'a>> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "text/csv" | "application/csv" => Ok(ListSource::Csv(body)),
        "text/plain" => Ok(ListSource::Pasted(body)),
        _ => Err(ApiError::UnsupportedMediaType(
            "send a CSV file as `text/csv`, or a pasted list (one person per line) as `text/plain`".to_owned(),
        )),
    }
}

/// Invite the guests of a spreadsheet or a pasted list. A CSV file may use
/// `,`, `;` or tabs, UTF-8 or Windows-1252 (as Excel writes), with or
/// without a header row; headings in English or French name the email,
/// name (or first and last names) and language columns. A file exported
/// from an event imports back with its answers: a row whose answer column
/// (`Réponse` / `Answer`: yes, no or maybe, in either language) is filled
/// gets that answer, its companions, its comment and its answers to the
/// event's questions (a column each, headed by the question's label in
/// either language or its key; options by label or key, several joined
/// with `;`), checked as a guest's own and recorded as set by you. A
/// guest already invited keeps her answers. A pasted list has one guest
/// per line: `Name <email>`, `email`, `Name, email`… Valid rows are added
/// even when others are not; each row gets its own result, with the
/// problems of each of its cells.
#[utoipa::path(post, path = "/events/{event_id}/guests/import", tag = "guests", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event")),
    request_body(description = "Up to 8 MiB", content(
        ("text/csv", example = "Prénom;Nom;Adresse e-mail;Langue\nAnne;Martin;anne@example.org;fr\n"),
        ("text/plain", example = "Anne Martin <anne@example.org>\nbob@example.org\n"),
    )),
    responses(
        (status = 200, description = "One result per row", body = ImportReport),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 409, description = "The event is cancelled", body = ErrorBody),
        (status = 413, description = "Larger than 8 MiB", body = ErrorBody),
        (status = 415, description = "Neither `text/csv` nor `text/plain`", body = ErrorBody),
        (status = 422, description = "No email column, or no rows", body = ErrorBody),
    ))]
async fn import_guests(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Json<ImportReport>> {
    let source = list_source(&headers, &body)?;
    let report = app::guest_lists::import(&state, organiser.id, event_id, source, |_, _| {}).await?;
    Ok(Json(report))
}

#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `fr`: `;`-separated, French headings and values, as French Excel
    /// opens it; `en` (the default): commas.
    #[param(value_type = Option<Language>)]
    language: Option<String>,
}

/// The guest list as CSV for a spreadsheet: UTF-8 with a byte-order mark,
/// with the columns name, email, language, answer, companions, comment,
/// waiting-list place, check-in time (local to the event), walk-in and
/// unsubscribed, headed in the chosen language. Cells that a spreadsheet
/// would run as formulas start with `'`. Streamed: any size of list.
#[utoipa::path(get, path = "/events/{event_id}/guests.csv", tag = "guests", security(("api_key" = [])),
    params(("event_id" = Uuid, Path, description = "The event"), ExportQuery),
    responses(
        (status = 200, description = "The guests, in the order they were invited", content_type = "text/csv", body = String),
        (status = 404, description = "No such event of yours", body = ErrorBody),
        (status = 422, description = "`language` is neither `fr` nor `en`", body = ErrorBody),
    ))]
async fn export_guests(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(event_id): Path<Uuid>,
    Query(query): Query<ExportQuery>,
) -> Result<Response> {
    let language = match query.language.as_deref() {
        Some(raw) => Language::parse(raw).map_err(|message| ApiError::field("language", message))?,
        None => Language::En,
    };
    let (event, chunks) = app::guest_lists::export(&state, organiser.id, event_id).await?;
    Ok(csv_download(&event, chunks, language))
}

/// The file download of an export, written as its chunks are read. A
/// failure part-way ends the body early, which the client sees as a broken
/// download rather than a short list.
pub(crate) fn csv_download(
    event: &Event,
    chunks: impl Stream<Item = std::result::Result<Vec<ExportRow>, app::AppError>> + Send + 'static,
    language: Language,
) -> Response {
    let style = CsvStyle::new(language, event.details.schedule.time_zone).with_questions(&event.details.questions);
    let head = futures::stream::once(std::future::ready(Ok(style.head())));
    let lines = chunks.map(move |rows| {
        rows.map(|rows| style.lines(&rows)).inspect_err(|err| tracing::error!(error = %err, "export stopped part-way"))
    });
    let disposition = format!("attachment; filename=\"{}\"", guest_list::export_file_name(&event.details.title));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            // Names and addresses: no shared cache keeps a copy.
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        Body::from_stream(head.chain(lines)),
    )
        .into_response()
}
