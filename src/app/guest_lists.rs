//! Guest lists in bulk: reading a spreadsheet or a pasted list, inviting
//! its rows with a report per row, and writing the list back out. Every door
//! (the API, the dashboard, the command line) reads a list the same way.

use std::collections::HashSet;
use std::collections::hash_map::{Entry, HashMap};

use uuid::Uuid;

use chrono::{DateTime, Utc};

use super::{App, AppError, Result, Work};
use crate::domain::event::Event;
use crate::domain::guest::NewGuest;
use crate::domain::guest_list::{self, ExportRow, ImportReport, ListRow};
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

/// The rows of a list, and a report ready to take their outcomes. A list
/// with no rows at all is refused.
pub fn read(source: ListSource<'_>) -> Result<(Vec<ListRow>, ImportReport)> {
    let (rows, report) = match source {
        ListSource::Csv(bytes) => {
            let parsed = guest_list::parse_csv(bytes).map_err(|err| AppError::field("body", err.to_string()))?;
            let report = ImportReport::for_csv(&parsed.layout);
            (parsed.rows, report)
        }
        ListSource::Pasted(bytes) => {
            let (text, encoding) = guest_list::decode(bytes);
            (guest_list::parse_pasted(&text), ImportReport::for_pasted(encoding))
        }
    };
    if rows.is_empty() {
        return Err(AppError::field("body", "the list holds no guests"));
    }
    Ok((rows, report))
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
    storage::events::find_owned(&*app.db, organiser_id, event_id).await?;
    let (rows, mut report) = read(source)?;
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(AppError::field(
            "body",
            format!("the list holds {} guests; import at most {MAX_IMPORT_ROWS} at a time", rows.len()),
        ));
    }
    let now = app.now();
    let mut work = app.begin().await?;
    // Under the event's lock, as every writer of guests: a publish
    // committing meanwhile sees all of these guests, or none.
    let event = storage::events::lock_owned(&*work, organiser_id, event_id).await?;
    import_rows(&mut work, app, &event, &rows, &mut report, now, on_chunk).await?;
    work.commit(app).await?;
    Ok(report)
}

/// Invites the valid `rows` and records what became of each in `report`.
/// `on_chunk` hears (rows done, rows in all) after each chunk.
async fn import_rows(
    work: &mut Work,
    app: &App,
    event: &Event,
    rows: &[ListRow],
    report: &mut ImportReport,
    now: DateTime<Utc>,
    mut on_chunk: impl FnMut(usize, usize),
) -> Result<()> {
    // Address -> the line that first listed it.
    let mut first_listed: HashMap<String, usize> = HashMap::new();
    let mut done = 0;
    for chunk in rows.chunks(IMPORT_CHUNK_ROWS) {
        let parsed: Vec<Result<NewGuest, _>> = chunk.iter().map(ListRow::to_new_guest).collect();
        let mut repeated_from: Vec<Option<usize>> = Vec::with_capacity(chunk.len());
        let mut to_add: Vec<NewGuest> = Vec::new();
        for (row, guest) in chunk.iter().zip(&parsed) {
            let earlier = match guest {
                Ok(guest) => match first_listed.entry(guest.email.to_string()) {
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
        let mut added = super::guests::insert_guests(work, event, &to_add, app, now).await?.into_iter();
        for ((row, guest), earlier) in chunk.iter().zip(parsed).zip(repeated_from) {
            match guest {
                Err(reasons) => report.record_invalid(row, reasons),
                Ok(guest) if earlier.is_some() => report.record_duplicate(row, &guest, earlier),
                Ok(guest) => match added.next().flatten() {
                    Some(_) => report.record_added(row, &guest),
                    None => report.record_duplicate(row, &guest, None),
                },
            }
        }
        done += chunk.len();
        on_chunk(done, rows.len());
    }
    Ok(())
}

/// Every guest of the organiser's event, in the order they were invited,
/// with her waiting-list place and whether she unsubscribed from the
/// organiser's mail: the rows of an export.
pub async fn export(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<(Event, Vec<ExportRow>)> {
    let event = storage::events::find_owned(&*app.db, organiser_id, event_id).await?;
    let guests = storage::guests::list(&app.db, event.id).await?;
    let unsubscribed: HashSet<String> =
        storage::unsubscribes::among_guests_of(&*app.db, organiser_id, event.id).await?.into_iter().collect();
    let rows = guests
        .into_iter()
        .map(|(guest, waitlist_position)| {
            let unsubscribed = unsubscribed.contains(guest.email.as_str());
            ExportRow { guest, waitlist_position, unsubscribed }
        })
        .collect();
    Ok((event, rows))
}
