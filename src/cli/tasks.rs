//! The organiser's tasks from the terminal: listing events, importing and
//! exporting guest lists. Results go to stdout (for scripts); the progress
//! bar and notes go to stderr.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use uuid::Uuid;

use super::target::{EventLine, Target};
use crate::domain::guest_list::{ImportReport, ImportStatus};

pub async fn list_events(target: &Target) -> anyhow::Result<()> {
    let events = target.events().await?;
    let mut out = std::io::stdout().lock();
    write_events(&mut out, &events)?;
    out.flush()?;
    Ok(())
}

fn write_events(out: &mut impl Write, events: &[EventLine]) -> std::io::Result<()> {
    let title_width = events.iter().map(|e| e.title.chars().count()).max().unwrap_or(0).clamp(5, 50);
    writeln!(out, "{:<36}  {:<16}  {:<title_width$}  {:<9}  INVITED/YES", "ID", "DATE", "TITLE", "STATUS")?;
    for event in events {
        let title: String = event.title.chars().take(title_width).collect();
        writeln!(
            out,
            "{}  {:<16}  {:<title_width$}  {:<9}  {}/{}",
            event.id, event.starts, title, event.status, event.invited, event.yes
        )?;
    }
    Ok(())
}

pub async fn import_guests(target: &Target, event_id: Uuid, file: &Path) -> anyhow::Result<()> {
    let csv = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let progress = progress_bar(target);
    let report = target.import(event_id, csv, &progress).await;
    progress.finish_and_clear();
    let mut out = std::io::stdout().lock();
    write_report(&mut out, &report?)?;
    out.flush()?;
    Ok(())
}

/// A bar of rows for the local database, where chunks are seen to finish;
/// a spinner for a server, which answers once at the end. Drawn on stderr,
/// and only when it is a terminal.
fn progress_bar(target: &Target) -> ProgressBar {
    match target {
        Target::Local(_) => ProgressBar::new(0).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} rows  {elapsed_precise} (about {eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        Target::Remote(_) => ProgressBar::new_spinner(),
    }
}

/// Counts, how the file was read, then one line per row not added.
fn write_report(out: &mut impl Write, report: &ImportReport) -> std::io::Result<()> {
    writeln!(out, "added: {}", report.added)?;
    writeln!(out, "duplicates: {}", report.duplicates)?;
    writeln!(out, "invalid: {}", report.invalid)?;
    if let Some(separator) = &report.separator {
        let separator = if separator == "\t" { "tab".to_owned() } else { format!("'{separator}'") };
        let header = if report.header == Some(true) { "a header row" } else { "no header row" };
        writeln!(out, "read as: {}, separator {separator}, {header}", report.encoding.as_str())?;
    }
    let skipped: Vec<_> = report.rows.iter().filter(|row| row.status != ImportStatus::Added).collect();
    if skipped.is_empty() {
        return Ok(());
    }
    let email_width = skipped.iter().map(|row| row.email.chars().count()).max().unwrap_or(0).clamp(5, 40);
    writeln!(out)?;
    writeln!(out, "{:>6}  {:<9}  {:<email_width$}  REASON", "LINE", "STATUS", "EMAIL")?;
    for row in skipped {
        let status = match row.status {
            ImportStatus::Added => "added",
            ImportStatus::Duplicate => "duplicate",
            ImportStatus::Invalid => "invalid",
        };
        let reasons: Vec<String> = row.reasons.iter().map(|(field, reason)| format!("{field} {reason}")).collect();
        writeln!(out, "{:>6}  {status:<9}  {:<email_width$}  {}", row.line, row.email, reasons.join("; "))?;
    }
    Ok(())
}

pub async fn export_guests(target: &Target, event_id: Uuid, output: Option<&Path>) -> anyhow::Result<()> {
    let csv = target.export(event_id).await?;
    if let Some(path) = output {
        std::fs::write(path, &csv).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("Wrote the guest list to {}.", path.display());
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(&csv).context("cannot write the guest list to standard output")?;
        out.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    use crate::domain::FieldErrors;
    use crate::domain::guest_list::{ImportedRow, TextEncoding};

    #[test]
    fn the_report_lists_counts_then_each_row_not_added() {
        let mut report = ImportReport::for_pasted(TextEncoding::Utf8);
        report.added = 1;
        report.invalid = 1;
        report.separator = Some(";".to_owned());
        report.header = Some(true);
        report.rows = vec![
            ImportedRow {
                line: 2,
                email: "anne@example.org".to_owned(),
                name: "Anne".to_owned(),
                status: ImportStatus::Added,
                reasons: FieldErrors::new(),
                reason_codes: BTreeMap::new(),
            },
            ImportedRow {
                line: 3,
                email: "nope".to_owned(),
                name: String::new(),
                status: ImportStatus::Invalid,
                reasons: FieldErrors::from([("email".to_owned(), "'nope' is not a valid email address".into())]),
                reason_codes: BTreeMap::new(),
            },
        ];
        let mut out = Vec::new();
        write_report(&mut out, &report).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "added: 1\nduplicates: 0\ninvalid: 1\nread as: utf-8, separator ';', a header row\n\n\
             \x20 LINE  STATUS     EMAIL  REASON\n\
             \x20    3  invalid    nope   email 'nope' is not a valid email address\n"
        );
    }
}
