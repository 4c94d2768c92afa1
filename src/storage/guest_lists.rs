//! Guest lists in bulk: importing rows in chunks, and reading the whole list
//! back for an export. Shared by the HTTP API and the command line.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::domain::event::Event;
use crate::domain::guest::NewGuest;
use crate::domain::guest_list::{ExportRow, ImportReport, ListRow};
use crate::domain::token::SecretKey;
use crate::error::Result;

/// Rows written per transaction. On SQLite a write transaction blocks every
/// other writer (guests answering meanwhile), so a large list is added in
/// short transactions rather than one long one; a failure part-way leaves
/// the chunks before it added, and importing again reports them as
/// duplicates.
pub const IMPORT_CHUNK_ROWS: usize = 1000;

/// Invites the valid rows, [`IMPORT_CHUNK_ROWS`] at a time, and records
/// what became of each row in `report`. An address listed twice is added
/// once; `on_chunk` hears how many rows each finished chunk held.
pub async fn import(
    db: &super::Db,
    event: &Event,
    rows: &[ListRow],
    report: &mut ImportReport,
    key: &SecretKey,
    now: DateTime<Utc>,
    mut on_chunk: impl FnMut(usize),
) -> Result<()> {
    // Address -> the line that first listed it.
    let mut first_listed: HashMap<String, usize> = HashMap::new();
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
        let mut added = super::guests::add_many(db, event, &to_add, key, now).await?.into_iter();
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
        on_chunk(chunk.len());
    }
    Ok(())
}

/// Every guest of the organiser's event, in the order they were invited,
/// with her waiting-list place and whether she unsubscribed from the
/// organiser's mail.
pub async fn export_rows(db: &super::Db, organiser_id: uuid::Uuid, event_id: uuid::Uuid) -> Result<Vec<ExportRow>> {
    let guests = super::guests::list(db, event_id).await?;
    let emails: Vec<String> = guests.iter().map(|(g, _)| g.email.to_string()).collect();
    let mut unsubscribed: HashSet<String> = HashSet::new();
    // Bounded lookups: one `IN (…)` per chunk stays under SQLite's variable limit.
    for chunk in emails.chunks(IMPORT_CHUNK_ROWS) {
        unsubscribed.extend(super::unsubscribes::among(&**db, organiser_id, chunk).await?);
    }
    Ok(guests
        .into_iter()
        .map(|(guest, waitlist_position)| {
            let unsubscribed = unsubscribed.contains(guest.email.as_str());
            ExportRow { guest, waitlist_position, unsubscribed }
        })
        .collect())
}
