//! The guest list to print for the door: one A4 page for thirty names, a
//! box to tick for each arrival, the party's size and her comment; then the
//! waiting list. For whoever keeps the door (a door helper too), and the
//! caterer: the first one-choice questions (a dietary need) get a column
//! each, read down at a glance; her other short answers go with her comment
//! (a yes/no question only when she said yes).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;

use super::answers_view::{AnswerLine, answer_lines, short};
use super::event_page::label;
use super::extract::DoorEvent;
use crate::app;
use crate::domain::answer::Answer;
use crate::domain::event::Language;
use crate::domain::guest::Guest;
use crate::domain::question::{Answers, Given, Question, QuestionKind};
use crate::http::AppState;
use crate::http::pages::PageError;
use crate::links::path;
use crate::mail::context::{local_date, local_time};

pub fn router() -> Router<AppState> {
    Router::new().route("/dashboard/events/{event_id}/door-list", get(page))
}

/// One-choice questions that get a column of their own: more would not fit
/// the width of a page.
const CHOICE_COLUMNS: usize = 2;

#[derive(Serialize)]
struct Row {
    name: String,
    email: String,
    /// She and her companions.
    party: u32,
    comment: String,
    /// Her answer to each question with a column, or "".
    choices: Vec<String>,
    /// Her other answers, long texts left out (they are for the results page).
    answers: Vec<AnswerLine>,
    checked_in: bool,
}

/// Which questions have a column, and which go under the name.
struct Layout<'a> {
    columns: Vec<&'a Question>,
    under_name: Vec<&'a Question>,
    language: Language,
}

impl<'a> Layout<'a> {
    fn new(questions: &'a [Question], columns: usize, language: Language) -> Self {
        let columns: Vec<&Question> =
            questions.iter().filter(|q| q.kind == QuestionKind::OneChoice).take(columns).collect();
        let under_name = questions
            .iter()
            .filter(|q| q.kind != QuestionKind::LongText && !columns.iter().any(|c| c.key == q.key))
            .collect();
        Self { columns, under_name, language }
    }

    fn row(&self, guest: &Guest) -> Row {
        let reply = guest.reply.as_ref().filter(|r| r.answer == Answer::Yes);
        let empty = Answers::new();
        let answers = reply.map_or(&empty, |r| &r.questions);
        Row {
            name: label(guest),
            email: guest.email.to_string(),
            party: 1 + reply.map_or(0, |r| r.companions),
            comment: reply.map(|r| short(r.comment.trim())).unwrap_or_default(),
            choices: self
                .columns
                .iter()
                .map(|q| answer_lines([*q], answers, self.language).pop().map(|a| a.value).unwrap_or_default())
                .collect(),
            answers: answer_lines(self.under_name.iter().copied(), &worth_printing(answers), self.language),
            checked_in: guest.checked_in_at.is_some(),
        }
    }
}

/// Her answers less the yes/no questions she said no to: on paper, only a
/// "yes" (she speaks, she needs a parking space) asks something of the door.
fn worth_printing(answers: &Answers) -> Answers {
    answers.iter().filter(|(_, given)| **given != Given::Flag(false)).map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[derive(Serialize)]
struct DoorListPage {
    title: String,
    date_local: String,
    start_time_local: String,
    venue: String,
    people: u32,
    /// The labels of the questions with a column.
    columns: Vec<String>,
    expected: Vec<Row>,
    waiting: Vec<Row>,
    back: String,
}

async fn page(
    State(state): State<AppState>,
    DoorEvent { session, event, .. }: DoorEvent,
) -> Result<Response, PageError> {
    let sheet = app::check_in::door_sheet(&state, &event)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let questions = &event.details.questions;
    let layout = Layout::new(questions, CHOICE_COLUMNS, session.language);
    // The waiting list has no columns: everything goes under the name.
    let waiting_layout = Layout::new(questions, 0, session.language);
    let expected: Vec<Row> = sheet.expected.iter().map(|g| layout.row(g)).collect();
    let page = DoorListPage {
        title: event.details.title.clone(),
        date_local: local_date(event.details.schedule.starts_at, &event, session.language),
        start_time_local: local_time(event.details.schedule.starts_at, &event),
        venue: event.details.venue.name.clone(),
        people: expected.iter().map(|r| r.party).sum(),
        columns: layout.columns.iter().map(|q| q.label.get(session.language).to_owned()).collect(),
        expected,
        waiting: sheet.waiting.iter().map(|g| waiting_layout.row(g)).collect(),
        back: path::dashboard_check_in(event.id),
    };
    Ok(session.page("dashboard/door_list.html", StatusCode::OK, &page))
}
