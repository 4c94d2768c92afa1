//! Guest lists in bulk: reading a spreadsheet or a pasted list, inviting
//! its rows with a report per row, and writing the list back out. Every door
//! (the API, the dashboard, the command line) reads a list the same way.

use std::collections::HashSet;
use std::collections::hash_map::{Entry, HashMap};
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use chrono::{DateTime, Utc};

use super::answers::{AnswerInput, QuestionAnswers};
use super::{App, AppError, Result, Work};
use crate::domain::FieldErrors;
use crate::domain::event::{Event, EventStatus};
use crate::domain::guest::{ListPosition, NewGuest};
use crate::domain::guest_list::{self, ExportRow, ImportJob, ImportJobState, ImportReport, ListRow, RowAnswer};
use crate::domain::role::Action;
use crate::storage;

/// Rows written between two reports of progress.
pub const IMPORT_CHUNK_ROWS: usize = 1000;

/// The most rows one import takes. The whole list is written in one
/// transaction, so that a failure, a timeout or a crash part-way leaves
/// nothing of it; on SQLite that transaction holds the only writer's place
/// (guests answering wait for it), which this bound keeps to seconds.
pub const MAX_IMPORT_ROWS: usize = 100_000;

/// A list as it arrived.
#[derive(Debug, Clone, Copy)]
pub enum ListSource<'a> {
    /// A CSV file, in any of the separators and encodings spreadsheets write.
    Csv(&'a [u8]),
    /// Text pasted from a mail client or a document, one guest per line.
    Pasted(&'a [u8]),
}

/// A list read, before it is written.
#[derive(Debug)]
pub struct ReadList {
    pub rows: Vec<ListRow>,
    /// Ready to take the rows' outcomes.
    pub report: ImportReport,
    /// A CSV file's header row, which may name the event's questions.
    pub headings: Vec<String>,
}

/// The rows of a list, and a report ready to take their outcomes. A list
/// with no rows at all is refused.
pub fn read(source: ListSource<'_>) -> Result<ReadList> {
    let list = match source {
        ListSource::Csv(bytes) => {
            let parsed = guest_list::parse_csv(bytes).map_err(|err| AppError::field("body", err.to_string()))?;
            let report = ImportReport::for_csv(&parsed.layout);
            ReadList { rows: parsed.rows, report, headings: parsed.headings }
        }
        ListSource::Pasted(bytes) => {
            let (text, encoding) = guest_list::decode(bytes);
            let rows = guest_list::parse_pasted(&text);
            ReadList { rows, report: ImportReport::for_pasted(encoding), headings: Vec::new() }
        }
    };
    if list.rows.is_empty() {
        return Err(AppError::field("body", "the list holds no guests"));
    }
    Ok(list)
}

/// Reads the list and invites its valid rows into the organiser's event,
/// all or nothing: in one transaction, committed once every row is written.
/// `on_chunk` hears (rows done, rows in all) every [`IMPORT_CHUNK_ROWS`]
/// rows. An address listed twice is added once.
pub async fn import(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    source: ListSource<'_>,
    on_chunk: impl FnMut(usize, usize),
) -> Result<ImportReport> {
    refuse_cancelled(&super::access::event(app, organiser_id, event_id, Action::Manage).await?.0)?;
    let list = read_within_bounds(source)?;
    write_list(app, organiser_id, event_id, &list, None, on_chunk).await
}

/// A cancelled event's list is read-only: refused before the file is read
/// (the write refuses it too, should the event be cancelled meanwhile).
fn refuse_cancelled(event: &Event) -> Result<()> {
    if event.status == EventStatus::Cancelled { Err(AppError::EventCancelled) } else { Ok(()) }
}

/// Lists longer than this are imported in the background from the
/// dashboard: the page follows the import instead of waiting for it.
pub const BACKGROUND_IMPORT_ROWS: usize = 2_000;

/// How long a background import can take at most (the row cap bounds it):
/// one still marked running after this died with its process.
const IMPORT_JOB_LIFETIME_MINUTES: i64 = 15;

/// A short list, imported at once; or a long one, started in the background.
#[derive(Debug)]
pub enum ImportStart {
    Done(Box<ImportReport>),
    Started(Uuid),
}

/// As [`import`], but a list longer than [`BACKGROUND_IMPORT_ROWS`] is
/// written by a background task: its job (see [`import_job`]) says how far
/// it got and, in the end, what became of each row. Still all or nothing:
/// the job is marked done in the transaction that writes its guests.
pub async fn start_import(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    source: ListSource<'_>,
) -> Result<ImportStart> {
    refuse_cancelled(&super::access::event(app, organiser_id, event_id, Action::Manage).await?.0)?;
    let list = read_within_bounds(source)?;
    if list.rows.len() <= BACKGROUND_IMPORT_ROWS {
        let report = write_list(app, organiser_id, event_id, &list, None, |_, _| {}).await?;
        return Ok(ImportStart::Done(Box::new(report)));
    }
    let job = storage::imports::start(&*app.db, organiser_id, event_id, list.rows.len(), app.now()).await?;
    app.imports.set(job, 0);
    let app = app.clone();
    tokio::spawn(async move {
        let progress = app.imports.clone();
        let written =
            write_list(&app, organiser_id, event_id, &list, Some(job), |done, _| progress.set(job, done)).await;
        if let Err(err) = written {
            tracing::warn!(%job, error = %err, "a background import failed; none of its guests were added");
            if let Err(err) = storage::imports::fail(&*app.db, job, &err.to_string(), app.now()).await {
                tracing::error!(%job, error = %err, "cannot record that an import failed");
            }
        }
        app.imports.forget(job);
    });
    Ok(ImportStart::Started(job))
}

/// The organiser's background import, and the rows written so far when this
/// process runs it.
pub async fn import_job(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    job_id: Uuid,
) -> Result<(ImportJob, Option<usize>)> {
    super::access::event(app, organiser_id, event_id, Action::Manage).await?;
    // Progress before the job: the task forgets its progress only after the
    // job is marked done, so a job still running here has its progress, if
    // this process runs it.
    let done = app.imports.get(job_id);
    let mut job = storage::imports::find(&*app.db, organiser_id, event_id, job_id).await?;
    if let ImportJobState::Running { started_at } = job.state
        && done.is_none()
        && app.now() - started_at > chrono::Duration::minutes(IMPORT_JOB_LIFETIME_MINUTES)
    {
        job.state = ImportJobState::Failed("interrupted: its process stopped before it finished".to_owned());
    }
    Ok((job, done))
}

/// Rows written so far by each background import of this process.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Mutex<HashMap<Uuid, usize>>>);

impl Progress {
    fn set(&self, job: Uuid, done: usize) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(job, done);
    }

    fn get(&self, job: Uuid) -> Option<usize> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&job).copied()
    }

    fn forget(&self, job: Uuid) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&job);
    }
}

/// [`read`], refusing a list longer than [`MAX_IMPORT_ROWS`].
fn read_within_bounds(source: ListSource<'_>) -> Result<ReadList> {
    let list = read(source)?;
    if list.rows.len() > MAX_IMPORT_ROWS {
        return Err(AppError::field(
            "body",
            format!("the list holds {} guests; import at most {MAX_IMPORT_ROWS} at a time", list.rows.len()),
        ));
    }
    Ok(list)
}

/// Writes the rows in one transaction, with the job's end if there is one.
async fn write_list(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    list: &ReadList,
    job: Option<Uuid>,
    on_chunk: impl FnMut(usize, usize),
) -> Result<ImportReport> {
    let now = app.now();
    let mut work = app.begin().await?;
    // Under the event's lock, as every writer of guests: a publish
    // committing meanwhile sees all of these guests, or none.
    let event = super::access::lock_event(&*work, now, organiser_id, event_id, Action::Manage).await?;
    let mut report = list.report.clone();
    let questions = &event.details.questions;
    let columns = report
        .columns
        .map(|columns| guest_list::question_columns(questions, &list.headings, &columns))
        .unwrap_or_default();
    report.questions = columns.iter().map(|(column, index)| (questions[*index].key.clone(), *column)).collect();
    let context = RowContext { organiser_id, columns: &columns, now };
    import_rows(&mut work, app, event, &list.rows, &mut report, &context, on_chunk).await?;
    if let Some(job) = job {
        storage::imports::finish(&*work, job, &report, app.now()).await?;
    }
    work.commit(app).await?;
    Ok(report)
}

/// What each row of an import is read and answered with.
struct RowContext<'a> {
    organiser_id: Uuid,
    /// The column of each question (by its index) the file has.
    columns: &'a [(usize, usize)],
    now: DateTime<Utc>,
}

/// Invites the valid `rows`, records the answers they give (see
/// [`guest_list::row_answer`]), and records what became of each in `report`.
/// `on_chunk` hears (rows done, rows in all) after each chunk.
async fn import_rows(
    work: &mut Work,
    app: &App,
    mut event: Event,
    rows: &[ListRow],
    report: &mut ImportReport,
    context: &RowContext<'_>,
    mut on_chunk: impl FnMut(usize, usize),
) -> Result<()> {
    // Address -> the line that first listed it.
    let mut first_listed: HashMap<String, usize> = HashMap::new();
    let mut done = 0;
    for chunk in rows.chunks(IMPORT_CHUNK_ROWS) {
        let parsed: Vec<Result<(NewGuest, Option<RowAnswer>), FieldErrors>> =
            chunk.iter().map(|row| read_row(row, &event, context.columns)).collect();
        let mut repeated_from: Vec<Option<usize>> = Vec::with_capacity(chunk.len());
        let mut to_add: Vec<NewGuest> = Vec::new();
        for (row, guest) in chunk.iter().zip(&parsed) {
            let earlier = match guest {
                Ok((guest, _)) => match first_listed.entry(guest.email.to_string()) {
                    Entry::Occupied(first) => Some(*first.get()),
                    Entry::Vacant(slot) => {
                        slot.insert(row.line);
                        to_add.push(guest.clone());
                        None
                    }
                },
                Err(_) => None,
            };
            repeated_from.push(earlier);
        }
        let mut added = super::guests::insert_guests(work, &event, &to_add, app, context.now).await?.into_iter();
        for ((row, guest), earlier) in chunk.iter().zip(parsed).zip(repeated_from) {
            match guest {
                Err(reasons) => report.record_invalid(row, reasons),
                Ok((guest, _)) if earlier.is_some() => report.record_duplicate(row, &guest, earlier),
                Ok((guest, answer)) => match added.next().flatten() {
                    Some((added, _)) => {
                        if let Some(answer) = answer {
                            let input = AnswerInput {
                                answer: answer.answer,
                                companions: answer.companions,
                                comment: Some(answer.comment),
                                questions: QuestionAnswers::Given(answer.questions),
                            };
                            let outcome = super::answers::record_imported(
                                work,
                                context.organiser_id,
                                event,
                                added,
                                &input,
                                context.now,
                            )
                            .await?;
                            event = outcome.event;
                        }
                        report.record_added(row, &guest);
                    }
                    None => report.record_duplicate(row, &guest, None),
                },
            }
        }
        done += chunk.len();
        on_chunk(done, rows.len());
    }
    Ok(())
}

/// The guest a row invites and the answer it gives, or every problem of both.
fn read_row(
    row: &ListRow,
    event: &Event,
    columns: &[(usize, usize)],
) -> std::result::Result<(NewGuest, Option<RowAnswer>), FieldErrors> {
    match (row.to_new_guest(), guest_list::row_answer(row, &event.details.questions, columns)) {
        (Ok(guest), Ok(answer)) => Ok((guest, answer)),
        (Err(mut errors), Err(more)) => {
            errors.extend(more);
            Err(errors)
        }
        (Err(errors), _) | (_, Err(errors)) => Err(errors),
    }
}

/// Guests read per query while an export is written: its memory stays the
/// same whatever the list's size.
pub const EXPORT_CHUNK_ROWS: u64 = 1000;

/// The organiser's event and its guests, in the order they were invited,
/// each with her waiting-list place and whether she unsubscribed from the
/// organiser's mail: the rows of an export, read a chunk at a time as the
/// stream is polled.
pub async fn export(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
) -> Result<(Event, impl futures::Stream<Item = Result<Vec<ExportRow>>> + Send + 'static)> {
    let (event, _) = super::access::event(app, organiser_id, event_id, Action::Manage).await?;
    let (app, event_id) = (app.clone(), event.id);
    // `None` once the last chunk is out; `Some(None)` before the first.
    let chunks = futures::stream::try_unfold(Some(None), move |after| {
        let app = app.clone();
        async move {
            let Some(after) = after else { return Ok(None) };
            let guests = storage::guests::after(&app.db, event_id, after, EXPORT_CHUNK_ROWS).await?;
            let Some((last, _)) = guests.last() else { return Ok(None) };
            let next = (guests.len() as u64 == EXPORT_CHUNK_ROWS).then_some(Some(ListPosition::after(last)));
            let emails: Vec<String> = guests.iter().map(|(g, _)| g.email.to_string()).collect();
            let unsubscribed: HashSet<String> =
                storage::unsubscribes::among(&*app.db, organiser_id, &emails).await?.into_iter().collect();
            let rows = guests
                .into_iter()
                .map(|(guest, waitlist_position)| {
                    let unsubscribed = unsubscribed.contains(guest.email.as_str());
                    ExportRow { guest, waitlist_position, unsubscribed }
                })
                .collect();
            Ok(Some((rows, next)))
        }
    });
    Ok((event, chunks))
}
