//! Guest lists as organisers keep them: pasted from a mail client, or saved
//! from a spreadsheet as CSV; the per-row report of an import; and the guest
//! list written back as CSV for a spreadsheet. Pure: bytes in, rows out.
//!
//! One file per concern: [`pasted`] lists, [`csv`] files, the [`report`] of
//! an import (and the [`job`] of one in the background), and the [`export`]
//! back to a spreadsheet.

mod answers;
mod community_export;
mod csv;
mod export;
mod job;
mod pasted;
mod report;

pub use self::answers::{RowAnswer, question_columns, row_answer};
pub use self::community_export::community_file;
pub use self::csv::{Columns, CsvError, CsvLayout, ParsedCsv, TextEncoding, decode, parse_csv};
pub use self::export::{CsvStyle, ExportRow, export_file_name};
pub use self::job::{ImportJob, ImportJobState};
pub use self::pasted::parse_pasted;
pub use self::report::{ImportReport, ImportStatus, ImportedRow};

use super::FieldErrors;
use super::guest::NewGuest;

/// One guest as read from a list, before validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    /// 1-based line in the text; for a CSV record spanning lines, its first.
    pub line: usize,
    pub email: String,
    pub name: String,
    /// From a "Prénom" / "First name" column; empty when there is none.
    pub first_name: String,
    pub language: Option<String>,
    /// A community's columns, read when a community is imported: tags,
    /// comma-separated, and when she consented (empty when there are none).
    pub tags: String,
    pub consented: String,
    /// Her answer as a CSV file gives it (an export read back): empty
    /// from a pasted list, or a file without those columns.
    pub reply: ReplyCells,
}

/// The cells of a row that say how a guest answered: the answer, the
/// companions and the comment by their columns, and every cell of a column
/// the reader does not know (the event's questions, told by their headings
/// once the event is known), with its 0-based column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplyCells {
    pub answer: String,
    pub companions: String,
    pub comment: String,
    /// Non-empty cells only.
    pub others: Vec<(usize, String)>,
}

impl ListRow {
    /// The guest this row describes, or what is wrong with each field.
    pub fn to_new_guest(&self) -> Result<NewGuest, FieldErrors> {
        NewGuest::parse_with_first_name(&self.email, Some(&self.name), Some(&self.first_name), self.language.as_deref())
    }
}

#[cfg(test)]
pub(crate) fn test_row(line: usize, email: &str, name: &str, language: Option<&str>) -> ListRow {
    ListRow {
        line,
        email: email.to_owned(),
        name: name.to_owned(),
        first_name: String::new(),
        language: language.map(str::to_owned),
        tags: String::new(),
        consented: String::new(),
        reply: ReplyCells::default(),
    }
}
