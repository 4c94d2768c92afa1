//! The report of an import: what became of each row, and why.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ListRow;
use super::csv::{Columns, CsvLayout, TextEncoding};
use crate::domain::FieldErrors;
use crate::domain::guest::NewGuest;
use crate::domain::problem::{self, Problem, ProblemCode, code};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    Added,
    /// Already invited, or listed earlier in the same file.
    Duplicate,
    Invalid,
}

/// What became of one row of an imported list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportedRow {
    /// 1-based line in the file.
    pub line: usize,
    /// Normalised if valid, else as written.
    pub email: String,
    pub name: String,
    pub status: ImportStatus,
    /// Why a row was not added, per field, in English; empty for added rows.
    #[schema(value_type = BTreeMap<String, String>)]
    pub reasons: FieldErrors,
    /// The same reasons as stable codes with their parameters, for a reader's
    /// own words. Absent from reports stored before codes existed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reason_codes: BTreeMap<String, ProblemCode>,
}

impl ImportedRow {
    fn new(row: &ListRow, email: String, name: String, status: ImportStatus, reasons: FieldErrors) -> Self {
        let reason_codes = problem::codes(&reasons);
        Self { line: row.line, email, name, status, reasons, reason_codes }
    }

    /// Each reason with its code, as recorded (a stored report keeps the two apart).
    pub fn problems(&self) -> FieldErrors {
        self.reasons
            .iter()
            .map(|(field, reason)| {
                let coded = self.reason_codes.get(field).cloned();
                (field.clone(), Problem::joined(reason.message().to_owned(), coded))
            })
            .collect()
    }
}

/// The outcome of importing a guest list, row by row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    pub added: usize,
    pub duplicates: usize,
    pub invalid: usize,
    pub encoding: TextEncoding,
    /// For a CSV file: the separator found (`,`, `;` or a tab).
    #[schema(example = ";")]
    pub separator: Option<String>,
    /// For a CSV file: whether its first line named the columns.
    pub header: Option<bool>,
    /// For a CSV file: where each field was found.
    pub columns: Option<Columns>,
    /// For a CSV file: the column of each of the event's questions it
    /// holds, by the question's key (0-based, as `columns`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub questions: BTreeMap<String, usize>,
    pub rows: Vec<ImportedRow>,
}

impl ImportReport {
    pub fn for_csv(layout: &CsvLayout) -> Self {
        Self {
            separator: Some(layout.separator.to_string()),
            header: Some(layout.header),
            columns: Some(layout.columns),
            ..Self::for_pasted(layout.encoding)
        }
    }

    pub fn for_pasted(encoding: TextEncoding) -> Self {
        Self {
            added: 0,
            duplicates: 0,
            invalid: 0,
            encoding,
            separator: None,
            header: None,
            columns: None,
            questions: BTreeMap::new(),
            rows: Vec::new(),
        }
    }

    pub fn record_added(&mut self, row: &ListRow, guest: &NewGuest) {
        self.added += 1;
        self.push(row, guest, ImportStatus::Added, FieldErrors::new());
    }

    /// `earlier_line` is the line that listed the same address before, if
    /// the file did; otherwise she was already invited.
    pub fn record_duplicate(&mut self, row: &ListRow, guest: &NewGuest, earlier_line: Option<usize>) {
        self.duplicates += 1;
        let reason = match earlier_line {
            Some(line) => {
                let message = format!("is listed earlier in this file (line {line})");
                Problem::new(code::LISTED_EARLIER, message).with("line", line)
            }
            None => Problem::new(code::ALREADY_INVITED, "is already invited to this event")
                .with("email", guest.email.as_str()),
        };
        self.push(row, guest, ImportStatus::Duplicate, FieldErrors::from([("email".to_owned(), reason)]));
    }

    /// Already a member of the community (a community's import).
    pub fn record_known_member(&mut self, row: &ListRow, guest: &NewGuest) {
        self.duplicates += 1;
        let reason =
            Problem::new(code::ALREADY_MEMBER, "is already in the community").with("email", guest.email.as_str());
        self.push(row, guest, ImportStatus::Duplicate, FieldErrors::from([("email".to_owned(), reason)]));
    }

    pub fn record_invalid(&mut self, row: &ListRow, reasons: FieldErrors) {
        self.invalid += 1;
        self.rows.push(ImportedRow::new(row, row.email.clone(), row.name.clone(), ImportStatus::Invalid, reasons));
    }

    fn push(&mut self, row: &ListRow, guest: &NewGuest, status: ImportStatus, reasons: FieldErrors) {
        self.rows.push(ImportedRow::new(row, guest.email.to_string(), guest.name.clone(), status, reasons));
    }
}
