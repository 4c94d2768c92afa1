//! A guest's page at her personal link: the event, her answer, and a form to
//! answer or change it until the deadline. Links in emails may carry
//! `?answer=yes`: the page shows it ticked and one tap confirms. The answer
//! is a POST that redirects back (303) to the page with a confirmation.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Serialize;

use super::questions::{self, QuestionField};
use super::{PageError, PageEvent, check_same_site, render, word};
use crate::app::answers::{AnswerInput, Answerer, QuestionAnswers};
use crate::app::{self, AppError};
use crate::domain::FieldErrors;
use crate::domain::answer::Answer;
use crate::domain::event::{AnswersClosed, Event, Language};
use crate::domain::guest::Guest;
use crate::domain::question::Answers;
use crate::domain::token::{InvitationToken, form_token, guest_feed_token, verify_form_token};
use crate::http::AppState;
use crate::http::render_cache::Cacheable;
use crate::links::{self, path, webcal};

pub fn router() -> Router<AppState> {
    Router::new().route("/i/{token}", get(show).post(answer))
}

const FORM_PURPOSE: &str = "answer";

/// What the form sends. Everything is text: a bad value is the guest's typo
/// and gets a message on the page, not a rejection. Read from the body's
/// pairs, as several choices repeat their field.
#[derive(Debug, Default)]
pub struct AnswerForm {
    answer: Option<String>,
    companions: Option<String>,
    comment: String,
    csrf: String,
    pairs: Vec<(String, String)>,
}

impl AnswerForm {
    fn parse(body: &[u8]) -> Self {
        let pairs = questions::pairs(body);
        let text = |name| questions::value(&pairs, name).map(str::to_owned);
        Self {
            answer: text("answer"),
            companions: text("companions"),
            comment: text("comment").unwrap_or_default(),
            csrf: text("csrf").unwrap_or_default(),
            pairs,
        }
    }
}

struct FormValues {
    companions: String,
    comment: String,
    /// Her answers to the questions, as kept or as she just typed them.
    answers: Answers,
    errors: FieldErrors,
}

#[derive(Serialize)]
struct ShownValues {
    companions: String,
    comment: String,
}

#[derive(Serialize)]
struct CalendarLinks {
    ics: String,
    webcal: String,
    feed: String,
    google: String,
    /// Her data as JSON, and the page to erase it.
    my_data: String,
    forget: String,
}

#[derive(Serialize)]
struct ReplyValues {
    answer: &'static str,
    companions: u32,
    comment: String,
}

#[derive(Serialize)]
struct InvitationPage {
    event: PageEvent,
    guest_name: String,
    /// Who invites her: the organiser's name.
    host: String,
    reply: Option<ReplyValues>,
    selected: Option<&'static str>,
    waitlist_position: Option<u32>,
    answers_open: bool,
    closed_reason: Option<&'static str>,
    saved: bool,
    error: Option<String>,
    form: ShownValues,
    questions: Vec<QuestionField>,
    /// When a required question binds, in words.
    required_words: String,
    /// Whether a required question is unanswered: the form then opens whole.
    questions_pending: bool,
    csrf: String,
    form_action: String,
    links: CalendarLinks,
}

/// What a page needs besides the guest and her event.
struct Shown {
    host: String,
    selected: Option<Answer>,
    saved: bool,
    error: Option<String>,
    form: Option<FormValues>,
}

fn language_of(guest: &Guest, event: &Event) -> Language {
    guest.language.unwrap_or(event.details.language)
}

fn page(
    state: &AppState,
    token: &str,
    token_hash: &str,
    guest: Guest,
    event: &Event,
    position: Option<u32>,
    shown: Shown,
) -> InvitationPage {
    let language = language_of(&guest, event);
    let closed = event.guest_may_answer(state.clock.now()).err();
    let feed = state.links().guest_feed(&guest_feed_token(&state.link_key, guest.id));
    // From an email button for another answer than hers, the form starts
    // afresh: her old comment was written for her old answer.
    let same_answer = guest.reply.as_ref().is_some_and(|r| shown.selected.is_none_or(|s| s == r.answer));
    let form = shown.form.unwrap_or_else(|| FormValues {
        companions: guest.reply.as_ref().map_or(0, |r| r.companions).to_string(),
        comment: guest.reply.as_ref().filter(|_| same_answer).map(|r| r.comment.clone()).unwrap_or_default(),
        answers: guest.reply.as_ref().map(|r| r.questions.clone()).unwrap_or_default(),
        errors: FieldErrors::new(),
    });
    let asked = &event.details.questions;
    let questions_pending = asked.iter().any(|q| q.required && !form.answers.contains_key(&q.key));
    InvitationPage {
        questions: questions::fields(asked, language, &form.answers, &form.errors),
        required_words: word(language, "question_required_if_coming"),
        questions_pending,
        event: PageEvent::new(event, language),
        // Greeted as her emails greet her: by her first name when known.
        guest_name: if guest.first_name.is_empty() { guest.name } else { guest.first_name },
        host: shown.host,
        selected: shown.selected.or(guest.reply.as_ref().map(|r| r.answer)).map(Answer::as_str),
        reply: guest.reply.map(|r| ReplyValues {
            answer: r.answer.as_str(),
            companions: r.companions,
            comment: r.comment,
        }),
        waitlist_position: position,
        answers_open: closed.is_none(),
        closed_reason: closed.map(|closed| match closed {
            AnswersClosed::NotPublished => "draft",
            AnswersClosed::Cancelled => "cancelled",
            AnswersClosed::DeadlinePassed(_) => "deadline",
        }),
        saved: shown.saved,
        error: shown.error,
        form: ShownValues { companions: form.companions, comment: form.comment },
        csrf: form_token(&state.link_key, FORM_PURPOSE, token_hash),
        form_action: path::invitation(token),
        links: CalendarLinks {
            ics: path::guest_calendar(token),
            webcal: webcal(&feed),
            feed,
            google: links::google_calendar(event),
            my_data: format!("{}/data.json", path::invitation(token)),
            forget: format!("{}/forget", path::invitation(token)),
        },
    }
}

/// The token's hash, the guest, her event and its organiser's name.
async fn find(state: &AppState, token: &str, headers: &HeaderMap) -> Result<(String, Guest, Event, String), PageError> {
    let not_found = || PageError::not_found().in_language(super::browser_language(headers));
    // The hash signs the form; the token itself never goes into a page.
    let hash = InvitationToken::hash_of_presented(token).ok_or_else(not_found)?;
    let failed = |err| PageError::from(err).in_language(super::browser_language(headers));
    let (guest, event, host) = app::answers::invitation_with_host(state, token).await.map_err(failed)?;
    let host = host.name;
    Ok((hash, guest, event, host))
}

/// Her page. Changes nothing, whatever the query says.
async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (hash, guest, event, host) = find(&state, &token, &headers).await?;
    let mut selected = None;
    let mut saved = false;
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "answer" => selected = Answer::parse(&value),
            "saved" => saved = guest.reply.is_some(),
            _ => {}
        }
    }
    let language = language_of(&guest, &event);
    let position =
        app::answers::waitlist_position(&state, &guest).await.map_err(|e| PageError::from(e).in_language(language))?;
    let cacheable = Cacheable::until_next(state.now(), event.turning_points());
    let context =
        page(&state, &token, &hash, guest, &event, position, Shown { host, selected, saved, error: None, form: None });
    Ok((Extension(cacheable), render("invitation.html", language, StatusCode::OK, &context)).into_response())
}

/// Records her answer, then sends her back to her page (303), so reloading
/// it does not post again. A mistake shows the form again with a message.
async fn answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let (hash, guest, event, host) = find(&state, &token, &headers).await?;
    let language = language_of(&guest, &event);
    check_same_site(&headers).map_err(|e| e.in_language(language))?;
    let form = AnswerForm::parse(&body);
    let given = questions::posted(&event.details.questions, &form.pairs);
    if !verify_form_token(&state.link_key, FORM_PURPOSE, &hash, &form.csrf) {
        return Err(PageError::forbidden().in_language(language));
    }
    let again_with = |status: StatusCode,
                      key: &str,
                      selected: Option<Answer>,
                      guest: Guest,
                      position: Option<u32>,
                      errors: FieldErrors| {
        let message = word(language, key).replace("{n}", &event.details.companions_allowed.to_string());
        let values = FormValues {
            companions: form.companions.clone().unwrap_or_default(),
            comment: form.comment.clone(),
            answers: given.clone(),
            errors,
        };
        let context = page(
            &state,
            &token,
            &hash,
            guest,
            &event,
            position,
            Shown { host: host.clone(), selected, saved: false, error: Some(message), form: Some(values) },
        );
        Ok(render("invitation.html", language, status, &context))
    };
    let again = |status, key: &str, selected, guest, position| {
        again_with(status, key, selected, guest, position, FieldErrors::new())
    };
    let Some(answer) = form.answer.as_deref().and_then(Answer::parse) else {
        return again(StatusCode::UNPROCESSABLE_ENTITY, "error_answer_required", None, guest, None);
    };
    let companions = match form.companions.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                return again(StatusCode::UNPROCESSABLE_ENTITY, "error_too_many_companions", Some(answer), guest, None);
            }
        },
    };
    // Companions come with a "yes" or a "maybe"; a "no" brings nobody.
    let companions = if answer == Answer::No { 0 } else { companions };
    let input = AnswerInput {
        answer,
        companions,
        comment: Some(form.comment.clone()),
        questions: QuestionAnswers::Given(given.clone()),
    };
    match app::answers::answer(&state, Answerer::Guest { token: &token }, &input).await {
        Ok(_) => Ok((StatusCode::SEE_OTHER, [(header::LOCATION, path::invitation_saved(&token))]).into_response()),
        Err(AppError::Invalid(fields)) => {
            let key = if fields.contains_key("comment") {
                "error_comment_too_long"
            } else if fields.contains_key("companions") {
                "error_too_many_companions"
            } else {
                "error_questions"
            };
            again_with(StatusCode::UNPROCESSABLE_ENTITY, key, Some(answer), guest, None, fields)
        }
        Err(AppError::NotEnoughSeats { .. }) => {
            let position = app::answers::waitlist_position(&state, &guest).await?;
            again(StatusCode::CONFLICT, "error_not_enough_seats", Some(answer), guest, position)
        }
        Err(AppError::AnswersClosed { closed: AnswersClosed::NotPublished, .. }) => {
            again(StatusCode::CONFLICT, "error_not_open_yet", Some(answer), guest, None)
        }
        Err(AppError::AnswersClosed { .. }) => {
            let position = app::answers::waitlist_position(&state, &guest).await?;
            again(StatusCode::GONE, "error_answers_closed", None, guest, position)
        }
        Err(err) => Err(PageError::from(err).in_language(language)),
    }
}
