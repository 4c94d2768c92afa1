//! Spreadsheets saved as CSV: the encoding, the separator, a header row
//! and which columns hold what, found out rather than asked.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use utoipa::ToSchema;

use super::export::unneutralise;
use super::pasted::join_nonempty;
use super::{ListRow, ReplyCells};
use crate::domain::email_address::EmailAddress;

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
    /// A community's tags ("voisins, orateurs") and when she consented;
    /// absent from a guest list's report, which does not read them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consented: Option<usize>,
    /// An answer (yes, no, maybe), its companions and its comment, as an
    /// export writes them; absent when the file has no such column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub companions: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<usize>,
}

impl Columns {
    fn only_email(email: usize) -> Self {
        Self {
            email,
            name: None,
            first_name: None,
            last_name: None,
            language: None,
            tags: None,
            consented: None,
            answer: None,
            companions: None,
            comment: None,
        }
    }

    /// Whether a column holds one of these fields (and so no question's answers).
    pub fn claims(&self, column: usize) -> bool {
        [
            Some(self.email),
            self.name,
            self.first_name,
            self.last_name,
            self.language,
            self.tags,
            self.consented,
            self.answer,
            self.companions,
            self.comment,
        ]
        .contains(&Some(column))
    }
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
    /// The header row's cells as written; empty when there is none.
    pub headings: Vec<String>,
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
    let headings = if is_header { first.cells.clone() } else { Vec::new() };
    let layout = CsvLayout { encoding, separator: char::from(separator), header: is_header, columns };
    Ok(ParsedCsv { layout, headings, rows })
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
    let first_name = cell(columns.first_name).trim().to_owned();
    let reply = ReplyCells {
        answer: cell(columns.answer).to_owned(),
        companions: cell(columns.companions).to_owned(),
        comment: cell(columns.comment).to_owned(),
        others: record
            .cells
            .iter()
            .enumerate()
            .filter(|(column, cell)| !cell.is_empty() && !columns.claims(*column))
            .map(|(column, cell)| (column, cell.clone()))
            .collect(),
    };
    ListRow {
        line: record.line,
        email: cell(Some(columns.email)).to_owned(),
        name,
        first_name,
        language,
        tags: cell(columns.tags).to_owned(),
        consented: cell(columns.consented).trim().to_owned(),
        reply,
    }
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
const TAGS_HEADINGS: &[&str] = &["tags", "tag", "etiquettes", "etiquette", "labels", "groupes", "groups"];
const ANSWER_HEADINGS: &[&str] = &["reponse", "answer", "rsvp", "votrereponse"];
const COMPANIONS_HEADINGS: &[&str] = &["accompagnants", "accompagnant", "companions", "companion", "plusones"];
const COMMENT_HEADINGS: &[&str] = &["commentaire", "commentaires", "comment", "comments"];
const CONSENT_HEADINGS: &[&str] =
    &["consented", "consent", "consentement", "consentedat", "dateduconsentement", "dateconsentement", "optin"];

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
        tags: find(TAGS_HEADINGS),
        consented: find(CONSENT_HEADINGS),
        answer: find(ANSWER_HEADINGS),
        companions: find(COMPANIONS_HEADINGS),
        comment: find(COMMENT_HEADINGS),
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
    let by_content = Columns { email, name, language, ..Columns::only_email(email) };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FieldErrors;
    use crate::domain::guest_list::test_row;

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
                test_row(2, "anne@example.org", "Martin, Anne \"Nanou\"", None),
                test_row(3, "bob@example.org", "Bob\nRoy", None),
                test_row(5, "carla@example.org", "Carla", None),
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let parsed = parse_csv(b"\xEF\xBB\xBFemail,name\nanne@example.org,Anne\n").unwrap();
        assert_eq!(parsed.layout.encoding, TextEncoding::Utf8);
        assert!(parsed.layout.header);
        assert_eq!(parsed.rows, vec![test_row(2, "anne@example.org", "Anne", None)]);
    }

    #[test]
    fn windows_1252_from_excel_is_read_and_said() {
        // "Zoé" as Excel on Windows writes it: é is the single byte 0xE9.
        let parsed = parse_csv(b"Nom;Courriel\nZo\xE9 Durand;zoe@example.org\n").unwrap();
        assert_eq!(parsed.layout.encoding, TextEncoding::Windows1252);
        assert_eq!(parsed.rows, vec![test_row(2, "zoe@example.org", "Zoé Durand", None)]);
    }

    #[test]
    fn utf_16_with_its_mark_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("email\tname\nzoe@example.org\tZoé\n".encode_utf16().flat_map(u16::to_le_bytes));
        let parsed = parse_csv(&bytes).unwrap();
        assert_eq!(parsed.layout.encoding, TextEncoding::Utf16);
        assert_eq!(parsed.rows, vec![test_row(2, "zoe@example.org", "Zoé", None)]);
    }

    #[test]
    fn french_headings_are_understood() {
        let parsed =
            csv("Prénom;Nom;Adresse e-mail;Langue\nAnne;Martin;anne@example.org;fr\n;Roy;bob@example.org;EN\n");
        assert!(parsed.layout.header);
        assert_eq!(
            parsed.layout.columns,
            Columns { first_name: Some(0), last_name: Some(1), language: Some(3), ..Columns::only_email(2) }
        );
        assert_eq!(
            parsed.rows,
            vec![
                // The first name is kept apart too, for the greeting.
                ListRow { first_name: "Anne".to_owned(), ..test_row(2, "anne@example.org", "Anne Martin", Some("fr")) },
                test_row(3, "bob@example.org", "Roy", Some("EN"))
            ]
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
        assert_eq!(parsed.layout.columns, Columns { name: Some(1), language: Some(0), ..Columns::only_email(2) });
        assert_eq!(parsed.rows[0], test_row(1, "anne@example.org", "Anne Martin", Some("fr")));
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
        assert_eq!(parsed.rows, vec![test_row(2, "anne@example.org", "Anne", None)]);
    }

    #[test]
    fn bad_rows_are_kept_to_be_reported() {
        let parsed = csv("name,email,language\nAnne,anne@example.org,de\nBob,not-an-address\n,,\nCarla\n");
        assert_eq!(
            parsed.rows,
            vec![
                test_row(2, "anne@example.org", "Anne", Some("de")),
                test_row(3, "not-an-address", "Bob", None),
                test_row(5, "", "Carla", None),
            ]
        );
        let errors: Vec<FieldErrors> = parsed.rows.iter().filter_map(|r| r.to_new_guest().err()).collect();
        assert_eq!(errors.len(), 3);
        assert!(errors[0]["language"].message().contains("'de' is not a supported language"), "{errors:?}");
        assert!(errors[1]["email"].message().contains("is not a valid email address"), "{errors:?}");
        assert_eq!(errors[2]["email"].message(), "must not be empty");
    }

    #[test]
    fn a_file_without_addresses_is_refused() {
        assert_eq!(parse_csv(b""), Err(CsvError::Empty));
        assert_eq!(parse_csv(b"\n;;\n"), Err(CsvError::Empty));
        assert!(matches!(parse_csv(b"name;phone\nAnne;0102030405\n"), Err(CsvError::NoEmailColumn(_))));
        assert!(matches!(parse_csv(b"Anne;0102030405\n"), Err(CsvError::NoEmailColumn(_))));
    }
}
