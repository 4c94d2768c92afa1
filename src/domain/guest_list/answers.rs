//! A guest's answer read back from a CSV file: the answer, companions and
//! comment columns, and one column per question of the event, as the export
//! writes them (so that an exported list imports into another event with
//! the same questions and comes back as it was).
//!
//! Decisions, so they hold in one place:
//! - Answers to questions mean something only with an answer: a row whose
//!   answer cell is empty invites the guest and sets nothing else, and one
//!   that gives companions, a comment or answers to questions without an
//!   answer is refused (the answer cell is `required`). An export never
//!   writes such a row.
//! - A row's answers follow the rules a guest's own answers follow: the
//!   options offered, the lengths, and the required questions for a yes or
//!   a maybe. A file stands for what guests said elsewhere, and an
//!   organiser importing it wants to hear of a required question left blank
//!   rather than find it missing at the door.
//! - A row with any bad cell is not added at all, like a row with a bad
//!   address: fixed and imported again, it is added then (a guest added
//!   without her answer would come back as "already invited").
//! - A guest already on the list keeps her answers: an import adds guests,
//!   it does not change anyone's answer.

use super::ListRow;
use super::csv::Columns;
use crate::domain::FieldErrors;
use crate::domain::Validator;
use crate::domain::answer::{Answer, MAX_COMPANIONS_BY_ORGANISER, Reply};
use crate::domain::problem::{Problem, code};
use crate::domain::question::{self, Answers, Choice, Given, Question, QuestionKind};

/// A row's answer, checked: what the organiser's operation records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowAnswer {
    pub answer: Answer,
    pub companions: i64,
    pub comment: String,
    pub questions: Answers,
}

/// The column of each question a header names, by the question's label in
/// either language or its key, ignoring case and spaces; columns already
/// holding another field are passed over. Pairs (column, question's index).
pub fn question_columns(questions: &[Question], headings: &[String], columns: &Columns) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (index, question) in questions.iter().enumerate() {
        let names = [question.label.fr.as_str(), question.label.en.as_str(), question.key.as_str()].map(loose);
        let column = headings
            .iter()
            .enumerate()
            .filter(|(column, _)| !columns.claims(*column) && !found.iter().any(|(c, _)| c == column))
            .find(|(_, heading)| names.contains(&loose(heading)))
            .map(|(column, _)| column);
        if let Some(column) = column {
            found.push((column, index));
        }
    }
    found
}

/// Lower case without any spaces: `Régime  alimentaire ?` and
/// `régime alimentaire?` are one heading.
fn loose(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// The row's answer, `None` when it gives none; or what is wrong, under
/// `answer`, `companions`, `comment` and `questions.<key>`.
///
/// # Errors
/// Every problem of the row's answer cells at once.
pub fn row_answer(
    row: &ListRow,
    questions: &[Question],
    columns: &[(usize, usize)],
) -> Result<Option<RowAnswer>, FieldErrors> {
    let cells = &row.reply;
    let given: Answers = columns
        .iter()
        .filter_map(|(column, index)| {
            let cell = cells.others.iter().find(|(c, _)| c == column).map(|(_, cell)| cell.as_str())?;
            let question = &questions[*index];
            Some((question.key.clone(), read_cell(question, cell)))
        })
        .collect();
    let raw_answer = cells.answer.trim();
    if raw_answer.is_empty() {
        let said_more = !cells.companions.trim().is_empty() || !cells.comment.is_empty() || !given.is_empty();
        return if said_more {
            let problem = Problem::new(code::REQUIRED, "must be given with the answers beside it");
            Err(FieldErrors::from([("answer".to_owned(), problem)]))
        } else {
            Ok(None)
        };
    }
    let mut v = Validator::default();
    let answer = v.check("answer", read_answer(raw_answer));
    let companions = v.check("companions", read_companions(cells.companions.trim()));
    if let (Some(answer), Some(companions)) = (answer, companions)
        && let Err(errors) = Reply::parse(answer, companions, &cells.comment, MAX_COMPANIONS_BY_ORGANISER as u32)
    {
        for (field, problem) in errors {
            v.add(&field, problem);
        }
    }
    let required = answer.is_some_and(question::required_binds);
    let checked = match question::check_answers(questions, &given, required) {
        Ok(checked) => checked,
        Err(errors) => {
            for (field, problem) in errors {
                v.add(&field, problem);
            }
            Answers::new()
        }
    };
    v.finish()?;
    let (Some(answer), Some(companions)) = (answer, companions) else {
        unreachable!("a row without problems has its answer and companions")
    };
    Ok(Some(RowAnswer { answer, companions, comment: cells.comment.clone(), questions: checked }))
}

/// `oui`, `non`, `peut-être` or `yes`, `no`, `maybe`, in any case.
fn read_answer(raw: &str) -> Result<Answer, Problem> {
    match raw.to_lowercase().as_str() {
        "oui" | "yes" => Ok(Answer::Yes),
        "non" | "no" => Ok(Answer::No),
        "peut-être" | "peut-etre" | "peut être" | "maybe" => Ok(Answer::Maybe),
        _ => Err(Problem::new(code::INVALID_ANSWER, "must be yes, no or maybe").with("value", raw)),
    }
}

/// A whole number; an empty cell is none.
fn read_companions(raw: &str) -> Result<i64, Problem> {
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse::<i64>().ok().filter(|n| (0..=MAX_COMPANIONS_BY_ORGANISER).contains(n)).ok_or_else(|| {
        let message = format!("must be a whole number from 0 to {MAX_COMPANIONS_BY_ORGANISER}");
        Problem::new(code::OUT_OF_RANGE, message).with("min", 0).with("max", MAX_COMPANIONS_BY_ORGANISER)
    })
}

/// A cell as the answer the question's rules then check: options by their
/// label in either language or their key (several joined with `;`), yes/no
/// in either language; what matches nothing is passed on as written, for
/// the rules to name it.
fn read_cell(question: &Question, cell: &str) -> Given {
    let option_key = |part: &str| {
        let wanted = loose(part);
        let names = |o: &Choice| [loose(&o.label.fr), loose(&o.label.en), loose(&o.key)];
        question.options.iter().find(|o| names(o).contains(&wanted)).map(|o| o.key.clone())
    };
    match question.kind {
        QuestionKind::YesNo => match cell.trim().to_lowercase().as_str() {
            "oui" | "yes" | "true" => Given::Flag(true),
            "non" | "no" | "false" => Given::Flag(false),
            _ => Given::Text(cell.to_owned()),
        },
        QuestionKind::OneChoice | QuestionKind::SeveralChoices => {
            // A label may itself hold a `;`: the longest run of parts that
            // names an option is taken first.
            let parts: Vec<&str> = cell.split(';').collect();
            let mut keys = Vec::new();
            let mut start = 0;
            while start < parts.len() {
                let found = (start + 1..=parts.len())
                    .rev()
                    .find_map(|end| option_key(&parts[start..end].join(";")).map(|key| (key, end)));
                let (key, end) = found.unwrap_or_else(|| (parts[start].trim().to_owned(), start + 1));
                if !key.is_empty() {
                    keys.push(key);
                }
                start = end;
            }
            match (question.kind, keys.as_slice()) {
                (QuestionKind::OneChoice, [one]) => Given::Text(one.clone()),
                _ => Given::List(keys),
            }
        }
        QuestionKind::ShortText | QuestionKind::LongText => Given::Text(cell.to_owned()),
    }
}

#[cfg(test)]
mod tests;
