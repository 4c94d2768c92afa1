//! A guest's answers to the event's questions, as the dashboard's lists show
//! them under her name: each question's label and her answer, short.

use serde::Serialize;

use crate::domain::event::Language;
use crate::domain::question::{self, Answers, Question};
use crate::http::pages::word;

/// One answer: the question's label in the organiser's language, and hers.
#[derive(Debug, Serialize)]
pub(super) struct AnswerLine {
    pub label: String,
    pub value: String,
}

/// Her answers to `questions` that `shown` keeps, in the questions' order,
/// each cut to what a line of a list holds; unanswered ones left out.
pub(super) fn answer_lines<'a>(
    questions: impl IntoIterator<Item = &'a Question>,
    answers: &Answers,
    language: Language,
) -> Vec<AnswerLine> {
    let yes_no = (word(language, "d_answer_yes"), word(language, "d_answer_no"));
    questions
        .into_iter()
        .filter_map(|q| {
            let given = answers.get(&q.key)?;
            let value = question::shown(q, given, language, (&yes_no.0, &yes_no.1));
            Some(AnswerLine { label: q.label.get(language).to_owned(), value: short(&value) })
        })
        .collect()
}

/// A text on one line, cut to what one line of a list holds.
pub(super) fn short(text: &str) -> String {
    const MOST: usize = 80;
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= MOST { line } else { format!("{}…", line.chars().take(MOST - 1).collect::<String>()) }
}
