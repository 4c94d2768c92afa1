//! The guest list written back as CSV for a spreadsheet.

use std::borrow::Cow;

use chrono::SecondsFormat;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::domain::guest::Guest;

/// One guest of the exported list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub guest: Guest,
    pub waitlist_position: Option<u32>,
    pub unsubscribed: bool,
}

pub const EXPORT_HEADER: [&str; 10] = [
    "name",
    "email",
    "language",
    "answer",
    "companions",
    "comment",
    "waitlist_position",
    "checked_in",
    "walk_in",
    "unsubscribed",
];

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The guest list as CSV for a spreadsheet: UTF-8 with a byte-order mark (so
/// Excel does not take it for Windows-1252), `,` and CRLF, and cells that a
/// spreadsheet would run as formulas defused. `checked_in` is the UTC time
/// she was checked in at the door; `walk_in` and `unsubscribed` are yes/no.
pub fn export_csv(rows: &[ExportRow]) -> Vec<u8> {
    let mut out = UTF8_BOM.to_vec();
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
    let records = std::iter::once(EXPORT_HEADER.map(str::to_owned).to_vec()).chain(rows.iter().map(export_cells));
    let written: Result<(), csv::Error> = records
        .map(|cells| cells.iter().map(|cell| neutralise(cell).into_owned()).collect::<Vec<_>>())
        .try_for_each(|cells| writer.write_record(&cells))
        .and_then(|()| writer.flush().map_err(csv::Error::from));
    // Only I/O can fail here, and writing to memory does not.
    debug_assert!(written.is_ok(), "writing CSV to memory failed: {written:?}");
    drop(writer);
    out
}

fn export_cells(row: &ExportRow) -> Vec<String> {
    let guest = &row.guest;
    let yes_no = |flag: bool| if flag { "yes" } else { "no" }.to_owned();
    vec![
        guest.name.clone(),
        guest.email.to_string(),
        guest.language.map(|l| l.as_str().to_owned()).unwrap_or_default(),
        guest.reply.as_ref().map(|r| r.answer.as_str().to_owned()).unwrap_or_default(),
        guest.reply.as_ref().map(|r| r.companions.to_string()).unwrap_or_default(),
        guest.reply.as_ref().map(|r| r.comment.clone()).unwrap_or_default(),
        row.waitlist_position.map(|p| p.to_string()).unwrap_or_default(),
        guest.checked_in_at.map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true)).unwrap_or_default(),
        yes_no(guest.walk_in),
        yes_no(row.unsubscribed),
    ]
}

/// Characters that make a spreadsheet read a cell as a formula (OWASP "CSV
/// injection"); such a cell gets a leading `'`, which spreadsheets hide.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A formula, or a cell that already looks defused (`'=…`, which gets
/// another `'` so that import, taking one off, gives back what was exported).
fn starts_like_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

fn neutralise(cell: &str) -> Cow<'_, str> {
    if starts_like_formula(cell) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// Undoes [`neutralise`] on import, so an exported list comes back as it was.
pub(super) fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_like_formula(rest) => rest,
        _ => cell,
    }
}

/// `cafe-des-victoires-guests.csv` for "Café des Victoires".
pub fn export_file_name(event_title: &str) -> String {
    let mut slug = String::new();
    for c in event_title.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() { "guests.csv".to_owned() } else { format!("{slug}-guests.csv") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::answer::{Answer, Reply};
    use crate::domain::email_address::EmailAddress;
    use crate::domain::event::Language;
    use crate::domain::guest_list::parse_csv;
    use proptest::prelude::*;

    fn guest(name: &str, email: &str) -> Guest {
        Guest {
            id: uuid::Uuid::nil(),
            event_id: uuid::Uuid::nil(),
            email: EmailAddress::from_stored(email.to_owned()),
            name: name.to_owned(),
            language: None,
            reply: None,
            answered_at: None,
            waitlisted_at: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
            token_salt: String::new(),
            checked_in_at: None,
            checked_in_companions: 0,
            walk_in: false,
        }
    }

    #[test]
    fn the_export_opens_cleanly_in_a_spreadsheet() {
        let mut anne = guest("=HYPERLINK(\"http://evil.example\",\"click\")", "anne@example.org");
        anne.language = Some(Language::Fr);
        anne.reply =
            Some(Reply { answer: Answer::Yes, companions: 1, comment: "Gluten-free, please\nmerci".to_owned() });
        anne.checked_in_at = chrono::DateTime::from_timestamp(1_800_000_000, 0);
        let rows = [
            ExportRow { guest: anne, waitlist_position: Some(2), unsubscribed: false },
            ExportRow { guest: guest("-1+1", "bob@example.org"), waitlist_position: None, unsubscribed: true },
        ];
        let bytes = export_csv(&rows);
        let text = std::str::from_utf8(&bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}name,email,language,answer,companions,comment,waitlist_position,checked_in,walk_in,unsubscribed\r\n\
             \"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",anne@example.org,fr,yes,1,\"Gluten-free, please\nmerci\",2,2027-01-15T08:00:00Z,no,no\r\n\
             '-1+1,bob@example.org,,,,,,,no,yes\r\n"
        );
    }

    #[test]
    fn formula_cells_are_defused_and_restored() {
        for cell in ["=1+1", "+33 6", "-x", "@SUM(A1)", "\tx", "\rx"] {
            let defused = neutralise(cell);
            assert_eq!(defused, format!("'{cell}"));
            assert_eq!(unneutralise(&defused), cell);
        }
        assert_eq!(neutralise("Anne"), "Anne");
        assert_eq!(unneutralise("'Anne'"), "'Anne'");
        for cell in ["'=x", "''-x", "'Anne"] {
            assert_eq!(unneutralise(&neutralise(cell)), cell);
        }
    }

    #[test]
    fn export_file_names_are_slugs() {
        assert_eq!(export_file_name("Café des Victoires"), "cafe-des-victoires-guests.csv");
        assert_eq!(export_file_name("  Réunion n°3 — été 2026!  "), "reunion-n-3-ete-2026-guests.csv");
        assert_eq!(export_file_name("日本"), "guests.csv");
        assert!(export_file_name(&"a".repeat(300)).len() < 80);
    }

    proptest! {
        #[test]
        fn exported_names_and_addresses_come_back_on_import(
            people in proptest::collection::vec(
                ("\\PC{0,30}", "[a-z0-9._+-]{1,12}@[a-z]{1,10}\\.(org|fr)"),
                0..20,
            )
        ) {
            let people: Vec<(String, String)> = people
                .into_iter()
                .map(|(name, email)| (name.trim().to_owned(), email))
                .filter(|(_, email)| EmailAddress::parse(email).is_ok())
                .collect();
            let rows: Vec<ExportRow> = people
                .iter()
                .map(|(name, email)| ExportRow { guest: guest(name, email), waitlist_position: None, unsubscribed: false })
                .collect();
            let parsed = parse_csv(&export_csv(&rows)).unwrap();
            let back: Vec<(String, String)> = parsed.rows.into_iter().map(|r| (r.name, r.email)).collect();
            prop_assert_eq!(back, people);
        }
    }
}
