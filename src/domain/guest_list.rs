//! Guest lists as organisers keep them: pasted from a mail client, or saved
//! from a spreadsheet as CSV; the per-row report of an import; and the guest
//! list written back as CSV for a spreadsheet. Pure: bytes in, rows out.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use utoipa::ToSchema;

use super::FieldErrors;
use super::email_address::EmailAddress;
use super::guest::{Guest, NewGuest};

/// One guest as read from a list, before validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    /// 1-based line in the text; for a CSV record spanning lines, its first.
    pub line: usize,
    pub email: String,
    pub name: String,
    pub language: Option<String>,
}

impl ListRow {
    /// The guest this row describes, or what is wrong with each field.
    pub fn to_new_guest(&self) -> Result<NewGuest, FieldErrors> {
        NewGuest::parse(&self.email, Some(&self.name), self.language.as_deref())
    }
}

// ---------------------------------------------------------------------------
// Pasted lists
// ---------------------------------------------------------------------------

/// One guest per line: `Name <email>`, `"Name" <email>`, a bare `email`,
/// `Name, email` or `email;Name`. A line holding several addresses (as copied
/// from a mail client's To: field) gives one guest each. Blank lines are
/// skipped; a line with no address is kept, to be reported as invalid.
pub fn parse_pasted(text: &str) -> Vec<ListRow> {
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        for (name, email) in guests_on_line(line) {
            rows.push(ListRow { line: index + 1, email, name, language: None });
        }
    }
    rows
}

/// `(name, email)` pairs on one pasted line.
fn guests_on_line(line: &str) -> Vec<(String, String)> {
    let parts = split_outside_quotes(line);
    if parts.iter().filter(|part| part.contains('@')).count() >= 2 {
        // Several addresses: a name without one (`Martin, Anne <a@x.org>`
        // unquoted) belongs to the address after it.
        let mut guests = Vec::new();
        let mut pending_name: Vec<String> = Vec::new();
        for part in parts {
            if part.contains('@') {
                let (name, email) = address(part);
                pending_name.push(name);
                guests.push((join_nonempty(std::mem::take(&mut pending_name), ", "), email));
            } else {
                pending_name.push(unquote(part));
            }
        }
        return guests;
    }
    if line.contains('<') || parts.len() < 2 {
        return vec![address(line)];
    }
    // `Name, email` or `email;Name`: the part with an `@` is the address.
    let email_at = parts.iter().position(|part| part.contains('@')).unwrap_or(parts.len() - 1);
    let name = parts.iter().enumerate().filter(|(i, _)| *i != email_at).map(|(_, part)| unquote(part)).collect();
    vec![(join_nonempty(name, ", "), strip_mailto(parts[email_at]).to_owned())]
}

/// One address as mail clients write it: `Name <email>`, `"Name" <email>`,
/// `<email>`, `Name email` or `email`.
fn address(text: &str) -> (String, String) {
    let text = text.trim();
    if let Some(open) = text.rfind('<')
        && let Some(email) = text[open + 1..].strip_suffix('>')
    {
        return (unquote(&text[..open]), strip_mailto(email).to_owned());
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 1
        && let Some(at) = words.iter().rposition(|word| word.contains('@'))
    {
        let name = words.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, w)| *w).collect::<Vec<_>>();
        return (unquote(&name.join(" ")), strip_mailto(words[at]).to_owned());
    }
    (String::new(), strip_mailto(text).to_owned())
}

/// Splits on `,`, `;` and tabs, except inside double quotes or `<…>`.
fn split_outside_quotes(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut in_quotes, mut in_angle, mut start) = (false, false, 0);
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '<' if !in_quotes => in_angle = true,
            '>' if !in_quotes => in_angle = false,
            ',' | ';' | '\t' if !in_quotes && !in_angle => {
                parts.push(line[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(line[start..].trim());
    parts.retain(|part| !part.is_empty());
    parts
}

fn unquote(text: &str) -> String {
    let text = text.trim();
    let inner =
        ['"', '\''].iter().find_map(|q| text.strip_prefix(*q).and_then(|rest| rest.strip_suffix(*q))).unwrap_or(text);
    inner.replace("\\\"", "\"").trim().to_owned()
}

fn strip_mailto(email: &str) -> &str {
    let email = email.trim().trim_start_matches('<').trim_end_matches('>');
    email.strip_prefix("mailto:").unwrap_or(email).trim()
}

fn join_nonempty(parts: Vec<String>, separator: &str) -> String {
    parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(separator)
}

// ---------------------------------------------------------------------------
// CSV files
// ---------------------------------------------------------------------------

/// How the bytes of a file were read as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum TextEncoding {
    #[serde(rename = "utf-8")]
    Utf8,
    /// Excel's "Unicode text"; only recognised by its byte-order mark.
    #[serde(rename = "utf-16")]
    Utf16,
    /// What Excel on Windows writes for "CSV (separated by…)": the file was
    /// not valid UTF-8, so it was read as this instead.
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl TextEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Utf16 => "utf-16",
            Self::Windows1252 => "windows-1252",
        }
    }
}

/// Reads bytes as text: a byte-order mark decides (and is dropped); else
/// UTF-8 if valid; else Windows-1252, which maps every byte to a character.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding) {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        let read_as = if encoding == encoding_rs::UTF_8 { TextEncoding::Utf8 } else { TextEncoding::Utf16 };
        return (text, read_as);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), TextEncoding::Utf8),
        Err(_) => (encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0, TextEncoding::Windows1252),
    }
}

/// Where each field is, as 0-based column numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Columns {
    pub email: usize,
    /// A full name, if one column holds it.
    pub name: Option<usize>,
    /// First and last names kept apart, joined as "First Last".
    pub first_name: Option<usize>,
    pub last_name: Option<usize>,
    pub language: Option<usize>,
}

/// What was found out about a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvLayout {
    pub encoding: TextEncoding,
    pub separator: char,
    /// Whether the first record names the columns (and is not a guest).
    pub header: bool,
    pub columns: Columns,
}

/// A CSV file read into rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCsv {
    pub layout: CsvLayout,
    pub rows: Vec<ListRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("the file holds no rows")]
    Empty,
    /// With the first line of the file, to show what was found instead.
    #[error(
        "no column holds email addresses (the first line reads: {0}); add a header row naming the address column \"email\""
    )]
    NoEmailColumn(String),
    #[error("the file cannot be read as CSV: {0}")]
    Malformed(String),
}

/// Separators tried, in order of preference when they score the same.
const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];
/// Records looked at to find the separator, the header and the columns.
const SAMPLE_RECORDS: usize = 20;

/// Reads a spreadsheet saved as CSV: detects the encoding, the separator
/// (`,`, `;` or tab), a header row and which columns hold the email, the
/// name (or first and last names) and the language. Rows with every cell
/// empty are skipped.
pub fn parse_csv(bytes: &[u8]) -> Result<ParsedCsv, CsvError> {
    let (text, encoding) = decode(bytes);
    // The csv crate counts a record after `\r\n` as starting on the line
    // before; with plain `\n` its line numbers are the file's.
    let text = if text.contains("\r\n") { Cow::Owned(text.replace("\r\n", "\n")) } else { text };
    let (text, hinted, lines_before) = strip_separator_hint(&text);
    let separator = match hinted {
        Some(separator) => separator,
        None => detect_separator(text)?,
    };
    let sample = read_records(text, separator).take(SAMPLE_RECORDS).collect::<Result<Vec<_>, _>>()?;
    let Some(first) = sample.first() else {
        return Err(CsvError::Empty);
    };
    let header = header_columns(&first.cells);
    let is_header = !first.cells.iter().any(|cell| cell.contains('@'))
        && (header.is_some() || sample[1..].iter().any(|record| record.cells.iter().any(|c| looks_like_email(c))));
    let data = if is_header { &sample[1..] } else { &sample[..] };
    let columns = match header.filter(|_| is_header) {
        Some(columns) => columns,
        None => columns_by_content(data, is_header.then_some(&first.cells))
            .ok_or_else(|| CsvError::NoEmailColumn(first.cells.join(", ")))?,
    };
    let mut rows = Vec::new();
    for record in read_records(text, separator).skip(usize::from(is_header)) {
        let mut row = row_of(&record?, &columns);
        row.line += lines_before;
        rows.push(row);
    }
    Ok(ParsedCsv { layout: CsvLayout { encoding, separator: char::from(separator), header: is_header, columns }, rows })
}

/// Excel honours (and some exports write) a first line `sep=;`. Returns the
/// rest of the text, the separator, and how many lines were taken off.
fn strip_separator_hint(text: &str) -> (&str, Option<u8>, usize) {
    let (first_line, rest) = text.split_once('\n').unwrap_or((text, ""));
    match first_line.trim_end_matches('\r').strip_prefix("sep=").map(str::as_bytes) {
        Some([separator]) if SEPARATORS.contains(separator) => (rest, Some(*separator), 1),
        _ => (text, None, 0),
    }
}

/// The separator under which the sample has the most email-looking cells
/// in one column, then the most records agreeing on their number of fields,
/// then the most fields.
fn detect_separator(text: &str) -> Result<u8, CsvError> {
    let mut best = (SEPARATORS[0], (0, 0, 0));
    for separator in SEPARATORS {
        let sample = read_records(text, separator).take(SAMPLE_RECORDS).collect::<Result<Vec<_>, _>>()?;
        let widest = sample.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        let email_cells = (0..widest)
            .map(|column| sample.iter().filter(|r| r.cells.get(column).is_some_and(|c| looks_like_email(c))).count())
            .max()
            .unwrap_or(0);
        let mut widths: BTreeMap<usize, usize> = BTreeMap::new();
        for record in &sample {
            *widths.entry(record.cells.len()).or_default() += 1;
        }
        let (fields, agreeing) = widths.into_iter().max_by_key(|(width, count)| (*count, *width)).unwrap_or((0, 0));
        let score = (email_cells, agreeing, fields);
        if score > best.1 {
            best = (separator, score);
        }
    }
    Ok(best.0)
}

/// A record with its cells trimmed and un-neutralised, and where it starts.
struct Record {
    line: usize,
    cells: Vec<String>,
}

/// The records of `text`, skipping those with every cell empty (a spreadsheet's
/// trailing `;;;` lines).
fn read_records(text: &str, separator: u8) -> impl Iterator<Item = Result<Record, CsvError>> + '_ {
    csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .into_records()
        .filter_map(|record| match record {
            Err(err) => Some(Err(CsvError::Malformed(err.to_string()))),
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                let cells: Vec<String> =
                    record.iter().map(|cell| unneutralise(cell.trim()).trim().to_owned()).collect();
                // Under the wrong separator a blank `;;;` line is one cell of separators.
                let blank =
                    cells.iter().all(|c| c.trim_matches(|ch: char| ch.is_whitespace() || ",;".contains(ch)).is_empty());
                (!blank).then_some(Ok(Record { line, cells }))
            }
        })
}

fn row_of(record: &Record, columns: &Columns) -> ListRow {
    let cell = |column: Option<usize>| column.and_then(|c| record.cells.get(c)).map_or("", String::as_str);
    let name = match columns.name {
        Some(column) => cell(Some(column)).to_owned(),
        None => join_nonempty(vec![cell(columns.first_name).to_owned(), cell(columns.last_name).to_owned()], " "),
    };
    let language = Some(cell(columns.language)).filter(|l| !l.is_empty()).map(str::to_owned);
    ListRow { line: record.line, email: cell(Some(columns.email)).to_owned(), name, language }
}

fn looks_like_email(cell: &str) -> bool {
    cell.contains('@') && EmailAddress::parse(cell).is_ok()
}

/// A heading reduced to lowercase ASCII letters and digits: `Adresse e-mail`
/// becomes `adresseemail`, `Prénom` `prenom`.
fn normalise_heading(heading: &str) -> String {
    heading
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

const EMAIL_HEADINGS: &[&str] = &[
    "email",
    "mail",
    "courriel",
    "emailaddress",
    "mailaddress",
    "adresseemail",
    "adressemail",
    "adressecourriel",
    "adresseelectronique",
    "mel",
];
const NAME_HEADINGS: &[&str] = &[
    "name",
    "nom",
    "fullname",
    "nomcomplet",
    "displayname",
    "nomprenom",
    "nometprenom",
    "prenomnom",
    "prenometnom",
    "guest",
    "invite",
    "participant",
];
const FIRST_NAME_HEADINGS: &[&str] = &["firstname", "first", "givenname", "forename", "prenom"];
const LAST_NAME_HEADINGS: &[&str] = &["lastname", "last", "surname", "familyname", "nomdefamille", "nomfamille"];
const LANGUAGE_HEADINGS: &[&str] = &["language", "langue", "lang", "locale", "langage", "preferredlanguage"];

/// The columns a header row names, if it names an email column.
fn header_columns(headings: &[String]) -> Option<Columns> {
    let normalised: Vec<String> = headings.iter().map(|h| normalise_heading(h)).collect();
    let find = |names: &[&str]| normalised.iter().position(|h| names.contains(&h.as_str()));
    let email = find(EMAIL_HEADINGS)
        .or_else(|| normalised.iter().position(|h| h.contains("email") || h.contains("courriel")))?;
    let mut columns = Columns {
        email,
        name: find(NAME_HEADINGS),
        first_name: find(FIRST_NAME_HEADINGS),
        last_name: find(LAST_NAME_HEADINGS),
        language: find(LANGUAGE_HEADINGS),
    };
    // Beside a first-name column, a plain "Nom" or "Name" is the last name.
    if columns.first_name.is_some()
        && columns.last_name.is_none()
        && let Some(name) = columns.name
        && matches!(normalised[name].as_str(), "nom" | "name")
    {
        columns.last_name = columns.name.take();
    }
    if columns.name.is_some() {
        columns.first_name = None;
        columns.last_name = None;
    }
    Some(columns)
}

/// Columns told by their cells: the address column is the one with the most
/// addresses; a column of only `fr`/`en` is the language; the first other
/// column with text is the name. Headings, when there are some, still name
/// the other columns where they can.
fn columns_by_content(data: &[Record], headings: Option<&Vec<String>>) -> Option<Columns> {
    let width = data.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let cells = |column: usize| data.iter().filter_map(move |r| r.cells.get(column)).filter(|c| !c.is_empty());
    let email = (0..width)
        .map(|column| {
            let valid = cells(column).filter(|c| looks_like_email(c)).count();
            (valid, cells(column).filter(|c| c.contains('@')).count(), column)
        })
        .filter(|(_, with_at, _)| *with_at > 0)
        .max_by_key(|(valid, with_at, column)| (*valid, *with_at, std::cmp::Reverse(*column)))
        .map(|(_, _, column)| column)?;
    let is_language = |column: usize| {
        cells(column).next().is_some() && cells(column).all(|c| matches!(c.to_ascii_lowercase().as_str(), "fr" | "en"))
    };
    let language = (0..width).find(|&column| column != email && is_language(column));
    let name = (0..width).find(|&column| column != email && Some(column) != language && cells(column).next().is_some());
    let by_content = Columns { email, name, first_name: None, last_name: None, language };
    let Some(headings) = headings else {
        return Some(by_content);
    };
    let mut named: Vec<String> = headings.clone();
    // Data rows may be wider than the header.
    named.resize(named.len().max(email + 1), String::new());
    "email".clone_into(&mut named[email]);
    let mut columns = header_columns(&named)?;
    if columns.name.is_none() && columns.first_name.is_none() && columns.last_name.is_none() {
        columns.name = by_content.name.filter(|&column| Some(column) != columns.language);
    }
    columns.language = columns.language.or(by_content.language.filter(|&column| Some(column) != columns.name));
    Some(columns)
}

// ---------------------------------------------------------------------------
// The report of an import
// ---------------------------------------------------------------------------

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
    /// Why a row was not added, per field; empty for added rows.
    pub reasons: FieldErrors,
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
            Some(line) => format!("is listed earlier in this file (line {line})"),
            None => "is already invited to this event".to_owned(),
        };
        self.push(row, guest, ImportStatus::Duplicate, FieldErrors::from([("email".to_owned(), reason)]));
    }

    pub fn record_invalid(&mut self, row: &ListRow, reasons: FieldErrors) {
        self.invalid += 1;
        self.rows.push(ImportedRow {
            line: row.line,
            email: row.email.clone(),
            name: row.name.clone(),
            status: ImportStatus::Invalid,
            reasons,
        });
    }

    fn push(&mut self, row: &ListRow, guest: &NewGuest, status: ImportStatus, reasons: FieldErrors) {
        self.rows.push(ImportedRow {
            line: row.line,
            email: guest.email.to_string(),
            name: guest.name.clone(),
            status,
            reasons,
        });
    }
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

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
fn unneutralise(cell: &str) -> &str {
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
    use crate::domain::event::Language;
    use proptest::prelude::*;

    fn row(line: usize, email: &str, name: &str, language: Option<&str>) -> ListRow {
        ListRow { line, email: email.to_owned(), name: name.to_owned(), language: language.map(str::to_owned) }
    }

    #[test]
    fn pasted_lines_in_every_usual_shape() {
        let text = "Anne Martin <anne@example.org>\n\
                    \"Martin, Bob\" <bob@example.org>\r\n\
                    \n\
                    carla@example.org\n\
                    Dan Brun, dan@example.org\n\
                    eve@example.org;Ève Durand\n\
                    <fred@example.org>\n\
                    Gus Roy gus@example.org\n\
                    \t  \n\
                    not an address\n";
        assert_eq!(
            parse_pasted(text),
            vec![
                row(1, "anne@example.org", "Anne Martin", None),
                row(2, "bob@example.org", "Martin, Bob", None),
                row(4, "carla@example.org", "", None),
                row(5, "dan@example.org", "Dan Brun", None),
                row(6, "eve@example.org", "Ève Durand", None),
                row(7, "fred@example.org", "", None),
                row(8, "gus@example.org", "Gus Roy", None),
                row(10, "not an address", "", None),
            ]
        );
    }

    #[test]
    fn a_pasted_to_field_gives_one_guest_per_address() {
        let rows = parse_pasted("\"Martin, Anne\" <anne@example.org>, Bob <bob@example.org>; carla@example.org");
        assert_eq!(
            rows,
            vec![
                row(1, "anne@example.org", "Martin, Anne", None),
                row(1, "bob@example.org", "Bob", None),
                row(1, "carla@example.org", "", None),
            ]
        );
    }

    fn csv(text: &str) -> ParsedCsv {
        parse_csv(text.as_bytes()).unwrap_or_else(|err| panic!("{err}: {text:?}"))
    }

    #[test]
    fn the_separator_is_the_one_that_splits_out_addresses() {
        for (text, separator) in [
            ("name,email\nAnne,anne@example.org\nBob,bob@example.org\n", ','),
            ("name;email\nAnne;anne@example.org\nBob;bob@example.org\n", ';'),
            ("name\temail\nAnne\tanne@example.org\nBob\tbob@example.org\n", '\t'),
            // Commas inside names do not fool it.
            ("Martin, Anne;anne@example.org\nRoy, Bob;bob@example.org\n", ';'),
            ("sep=;\nname;email\nAnne;anne@example.org\n", ';'),
        ] {
            let parsed = csv(text);
            assert_eq!(parsed.layout.separator, separator, "{text:?}");
            let first = &parsed.rows[0];
            assert_eq!(first.email, "anne@example.org", "{text:?}");
            // Lines are the file's, whatever was skipped before.
            assert_eq!(first.line, text.lines().position(|l| l.contains("anne@")).unwrap() + 1, "{text:?}");
        }
    }

    #[test]
    fn quoted_fields_keep_their_commas_quotes_and_newlines() {
        let parsed = csv(
            "name,email\r\n\"Martin, Anne \"\"Nanou\"\"\",anne@example.org\r\n\"Bob\nRoy\",bob@example.org\r\nCarla,carla@example.org\r\n",
        );
        assert_eq!(
            parsed.rows,
            vec![
                row(2, "anne@example.org", "Martin, Anne \"Nanou\"", None),
                row(3, "bob@example.org", "Bob\nRoy", None),
                row(5, "carla@example.org", "Carla", None),
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let parsed = parse_csv(b"\xEF\xBB\xBFemail,name\nanne@example.org,Anne\n").unwrap();
        assert_eq!(parsed.layout.encoding, TextEncoding::Utf8);
        assert!(parsed.layout.header);
        assert_eq!(parsed.rows, vec![row(2, "anne@example.org", "Anne", None)]);
    }

    #[test]
    fn windows_1252_from_excel_is_read_and_said() {
        // "Zoé" as Excel on Windows writes it: é is the single byte 0xE9.
        let parsed = parse_csv(b"Nom;Courriel\nZo\xE9 Durand;zoe@example.org\n").unwrap();
        assert_eq!(parsed.layout.encoding, TextEncoding::Windows1252);
        assert_eq!(parsed.rows, vec![row(2, "zoe@example.org", "Zoé Durand", None)]);
    }

    #[test]
    fn utf_16_with_its_mark_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("email\tname\nzoe@example.org\tZoé\n".encode_utf16().flat_map(u16::to_le_bytes));
        let parsed = parse_csv(&bytes).unwrap();
        assert_eq!(parsed.layout.encoding, TextEncoding::Utf16);
        assert_eq!(parsed.rows, vec![row(2, "zoe@example.org", "Zoé", None)]);
    }

    #[test]
    fn french_headings_are_understood() {
        let parsed =
            csv("Prénom;Nom;Adresse e-mail;Langue\nAnne;Martin;anne@example.org;fr\n;Roy;bob@example.org;EN\n");
        assert!(parsed.layout.header);
        assert_eq!(
            parsed.layout.columns,
            Columns { email: 2, name: None, first_name: Some(0), last_name: Some(1), language: Some(3) }
        );
        assert_eq!(
            parsed.rows,
            vec![row(2, "anne@example.org", "Anne Martin", Some("fr")), row(3, "bob@example.org", "Roy", Some("EN"))]
        );
    }

    #[test]
    fn headings_in_many_spellings() {
        for (heading, role) in [
            ("E-mail", "email"),
            ("Mail", "email"),
            ("Courriel", "email"),
            ("E-mail Address", "email"),
            ("Email (work)", "email"),
            ("Full name", "name"),
            ("Nom complet", "name"),
            ("First Name", "first"),
            ("Last Name", "last"),
            ("Lang", "language"),
        ] {
            let third = if role == "email" { "phone" } else { "mail" };
            let headings = vec!["x".to_owned(), heading.to_owned(), third.to_owned()];
            let columns = header_columns(&headings).unwrap();
            let found = match role {
                "email" => Some(columns.email),
                "name" => columns.name,
                "first" => columns.first_name,
                "last" => columns.last_name,
                _ => columns.language,
            };
            assert_eq!(found, Some(1), "{heading}");
        }
    }

    #[test]
    fn without_a_header_the_addresses_tell_the_email_column() {
        let parsed = csv("fr,Anne Martin,anne@example.org\nen,,bob@example.org\n,Carla,carla@example.org\n");
        assert!(!parsed.layout.header);
        assert_eq!(
            parsed.layout.columns,
            Columns { email: 2, name: Some(1), first_name: None, last_name: None, language: Some(0) }
        );
        assert_eq!(parsed.rows[0], row(1, "anne@example.org", "Anne Martin", Some("fr")));
        assert_eq!(parsed.rows.len(), 3);

        let only_addresses = csv("anne@example.org\nbob@example.org\n");
        assert_eq!(only_addresses.layout.columns.email, 0);
        assert_eq!(only_addresses.rows.len(), 2);
    }

    #[test]
    fn a_header_with_unknown_names_is_still_a_header() {
        let parsed = csv("Who;Contact\nAnne;anne@example.org\n");
        assert!(parsed.layout.header);
        assert_eq!(parsed.layout.columns.email, 1);
        assert_eq!(parsed.rows, vec![row(2, "anne@example.org", "Anne", None)]);
    }

    #[test]
    fn bad_rows_are_kept_to_be_reported() {
        let parsed = csv("name,email,language\nAnne,anne@example.org,de\nBob,not-an-address\n,,\nCarla\n");
        assert_eq!(
            parsed.rows,
            vec![
                row(2, "anne@example.org", "Anne", Some("de")),
                row(3, "not-an-address", "Bob", None),
                row(5, "", "Carla", None),
            ]
        );
        let errors: Vec<FieldErrors> = parsed.rows.iter().filter_map(|r| r.to_new_guest().err()).collect();
        assert_eq!(errors.len(), 3);
        assert!(errors[0]["language"].contains("'de' is not a supported language"), "{errors:?}");
        assert!(errors[1]["email"].contains("is not a valid email address"), "{errors:?}");
        assert_eq!(errors[2]["email"], "must not be empty");
    }

    #[test]
    fn a_file_without_addresses_is_refused() {
        assert_eq!(parse_csv(b""), Err(CsvError::Empty));
        assert_eq!(parse_csv(b"\n;;\n"), Err(CsvError::Empty));
        assert!(matches!(parse_csv(b"name;phone\nAnne;0102030405\n"), Err(CsvError::NoEmailColumn(_))));
        assert!(matches!(parse_csv(b"Anne;0102030405\n"), Err(CsvError::NoEmailColumn(_))));
    }

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
