//! The guest list written back as CSV for a spreadsheet.

use std::borrow::Cow;
use std::sync::Arc;

use chrono_tz::Tz;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::domain::answer::Answer;
use crate::domain::event::Language;
use crate::domain::guest::Guest;
use crate::domain::question::{Given, Question, QuestionKind};

/// One guest of the exported list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub guest: Guest,
    pub waitlist_position: Option<u32>,
    pub unsubscribed: bool,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How the list is written for the organiser's spreadsheet: in French,
/// `;`-separated (what French Excel splits on) with French headings and
/// values; in English, commas. Times are local to the event. The event's
/// questions follow, one column each, headed by their label.
#[derive(Debug, Clone)]
pub struct CsvStyle {
    pub language: Language,
    pub time_zone: Tz,
    /// Shared with the streamed export's chunks.
    questions: Arc<[Question]>,
}

impl CsvStyle {
    pub fn new(language: Language, time_zone: Tz) -> Self {
        Self { language, time_zone, questions: Arc::from(Vec::new()) }
    }

    /// With a column for each of these questions.
    #[must_use]
    pub fn with_questions(mut self, questions: &[Question]) -> Self {
        self.questions = Arc::from(questions.to_vec());
        self
    }

    /// The headings, in this style's language.
    pub fn headings(&self) -> [&'static str; 10] {
        match self.language {
            Language::Fr => [
                "Nom",
                "E-mail",
                "Langue",
                "Réponse",
                "Accompagnants",
                "Commentaire",
                "Liste d'attente",
                "Arrivée",
                "Sans invitation",
                "Désinscrit",
            ],
            Language::En => [
                "Name",
                "Email",
                "Language",
                "Answer",
                "Companions",
                "Comment",
                "Waiting list",
                "Checked in",
                "Walk-in",
                "Unsubscribed",
            ],
        }
    }

    fn delimiter(&self) -> u8 {
        match self.language {
            Language::Fr => b';',
            Language::En => b',',
        }
    }

    /// The start of the file: a byte-order mark (so that Excel does not take
    /// it for Windows-1252) and the headings.
    pub fn head(&self) -> Vec<u8> {
        let mut out = UTF8_BOM.to_vec();
        let mut headings = self.headings().map(str::to_owned).to_vec();
        headings.extend(self.questions.iter().map(|q| q.label.get(self.language).to_owned()));
        self.write(&mut out, std::iter::once(headings));
        out
    }

    /// These guests' lines, to follow the head or earlier lines.
    pub fn lines(&self, rows: &[ExportRow]) -> Vec<u8> {
        let mut out = Vec::with_capacity(rows.len() * 96);
        self.write(&mut out, rows.iter().map(|row| self.cells(row)));
        out
    }

    /// The whole file for these guests.
    pub fn file(&self, rows: &[ExportRow]) -> Vec<u8> {
        let mut out = self.head();
        out.extend(self.lines(rows));
        out
    }

    pub(super) fn write(&self, out: &mut Vec<u8>, records: impl Iterator<Item = Vec<String>>) {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(self.delimiter())
            .terminator(csv::Terminator::CRLF)
            .has_headers(false)
            .from_writer(out);
        let written: Result<(), csv::Error> = records
            .map(|cells| cells.iter().map(|cell| neutralise(cell).into_owned()).collect::<Vec<_>>())
            .try_for_each(|cells| writer.write_record(&cells))
            .and_then(|()| writer.flush().map_err(csv::Error::from));
        // Only I/O can fail here, and writing to memory does not.
        debug_assert!(written.is_ok(), "writing CSV to memory failed: {written:?}");
    }

    fn cells(&self, row: &ExportRow) -> Vec<String> {
        let guest = &row.guest;
        let french = self.language == Language::Fr;
        let yes_no = |flag: bool| {
            match (flag, french) {
                (true, true) => "oui",
                (false, true) => "non",
                (true, false) => "yes",
                (false, false) => "no",
            }
            .to_owned()
        };
        let answer = |answer: Answer| {
            match (answer, french) {
                (Answer::Yes, true) => "oui",
                (Answer::No, true) => "non",
                (Answer::Maybe, true) => "peut-être",
                (other, false) => other.as_str(),
            }
            .to_owned()
        };
        // A date and time each spreadsheet reads as one in its own locale.
        let time_format = if french { "%d/%m/%Y %H:%M" } else { "%Y-%m-%d %H:%M" };
        let answers = guest.reply.as_ref().map(|r| &r.questions);
        let questions = self.questions.iter().map(|q| {
            answers.and_then(|a| a.get(&q.key)).map(|given| self.answer_cell(q, given, yes_no)).unwrap_or_default()
        });
        let mut cells = vec![
            guest.name.clone(),
            guest.email.to_string(),
            guest.language.map(|l| l.as_str().to_owned()).unwrap_or_default(),
            guest.reply.as_ref().map(|r| answer(r.answer)).unwrap_or_default(),
            guest.reply.as_ref().map(|r| r.companions.to_string()).unwrap_or_default(),
            guest.reply.as_ref().map(|r| r.comment.clone()).unwrap_or_default(),
            row.waitlist_position.map(|p| p.to_string()).unwrap_or_default(),
            guest
                .checked_in_at
                .map(|at| at.with_timezone(&self.time_zone).format(time_format).to_string())
                .unwrap_or_default(),
            yes_no(guest.walk_in),
            yes_no(row.unsubscribed),
        ];
        cells.extend(questions);
        cells
    }

    /// An answer as the organiser reads it: choices by their labels (several
    /// joined with « ; »), yes/no in words; an option since removed by its key.
    fn answer_cell(&self, question: &Question, given: &Given, yes_no: impl Fn(bool) -> String) -> String {
        let label = |key: &str| question.option(key).map_or(key, |o| o.label.get(self.language)).to_owned();
        match (question.kind, given) {
            (_, Given::Flag(flag)) => yes_no(*flag),
            (QuestionKind::OneChoice | QuestionKind::SeveralChoices, Given::Text(key)) => label(key),
            (_, Given::Text(text)) => text.clone(),
            (_, Given::List(keys)) => keys.iter().map(|k| label(k)).collect::<Vec<_>>().join(" ; "),
        }
    }
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
pub(super) mod tests {
    use super::*;
    use crate::domain::answer::{Answer, Reply};
    use crate::domain::email_address::EmailAddress;
    use crate::domain::event::Language;
    use crate::domain::guest_list::parse_csv;
    use proptest::prelude::*;

    pub(in crate::domain::guest_list) fn guest(name: &str, email: &str) -> Guest {
        Guest {
            id: uuid::Uuid::nil(),
            event_id: uuid::Uuid::nil(),
            email: EmailAddress::from_stored(email.to_owned()),
            name: name.to_owned(),
            first_name: String::new(),
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
        anne.reply = Some(Reply {
            answer: Answer::Yes,
            companions: 1,
            comment: "Gluten-free, please\nmerci".to_owned(),
            questions: crate::domain::question::Answers::new(),
        });
        anne.checked_in_at = chrono::DateTime::from_timestamp(1_800_000_000, 0);
        let rows = [
            ExportRow { guest: anne, waitlist_position: Some(2), unsubscribed: false },
            ExportRow { guest: guest("-1+1", "bob@example.org"), waitlist_position: None, unsubscribed: true },
        ];
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let french = CsvStyle::new(Language::Fr, paris).file(&rows);
        assert_eq!(
            std::str::from_utf8(&french).unwrap(),
            "\u{feff}Nom;E-mail;Langue;Réponse;Accompagnants;Commentaire;Liste d'attente;Arrivée;Sans invitation;Désinscrit\r\n\
             \"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\";anne@example.org;fr;oui;1;\"Gluten-free, please\nmerci\";2;15/01/2027 09:00;non;non\r\n\
             '-1+1;bob@example.org;;;;;;;non;oui\r\n"
        );
        let english = CsvStyle::new(Language::En, paris).file(&rows);
        assert_eq!(
            std::str::from_utf8(&english).unwrap(),
            "\u{feff}Name,Email,Language,Answer,Companions,Comment,Waiting list,Checked in,Walk-in,Unsubscribed\r\n\
             \"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",anne@example.org,fr,yes,1,\"Gluten-free, please\nmerci\",2,2027-01-15 09:00,no,no\r\n\
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
            for language in [Language::Fr, Language::En] {
                let parsed = parse_csv(&CsvStyle::new(language, Tz::UTC).file(&rows)).unwrap();
                let back: Vec<(String, String)> = parsed.rows.into_iter().map(|r| (r.name, r.email)).collect();
                prop_assert_eq!(back, people.clone());
            }
        }
    }
}
