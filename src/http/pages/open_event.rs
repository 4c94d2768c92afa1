//! Open events: a public page where anyone with the link registers with a
//! name and an address. The registration counts only once confirmed from the
//! email sent to that address (double opt-in); confirming makes her an
//! ordinary guest and takes her to her own invitation page.

use axum::{Extension, Router};
use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::questions::{self, QuestionField};
use super::{PageError, PageEvent, browser_language, check_same_site, render, word};
use crate::app::{self, AppError};
use crate::domain::FieldErrors;
use crate::domain::event::{Event, Language};
use crate::domain::guest::NewGuest;
use crate::domain::question::{self, Answers};
use crate::domain::token::{form_token, registration_token, verify_form_token, verify_registration_token};
use crate::http::AppState;
use crate::http::render_cache::Cacheable;
use crate::links::{self, path};
use crate::storage::registrations::Registration;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/e/{event_id}", get(show).post(register))
        .route("/e/{event_id}/confirm/{token}", get(confirm_page).post(confirm))
}

const REGISTER_PURPOSE: &str = "register";
const CONFIRM_PURPOSE: &str = "confirm-registration";

/// What the form sends, read from the body's pairs, as several choices
/// repeat their field.
#[derive(Debug, Default)]
pub struct RegisterForm {
    name: String,
    email: String,
    /// A field people do not see and bots fill in.
    website: String,
    csrf: String,
    pairs: Vec<(String, String)>,
}

impl RegisterForm {
    fn parse(body: &[u8]) -> Self {
        let pairs = questions::pairs(body);
        let text = |name| questions::value(&pairs, name).unwrap_or_default().to_owned();
        Self { name: text("name"), email: text("email"), website: text("website"), csrf: text("csrf"), pairs }
    }
}

#[derive(Serialize, Default)]
struct FormValues {
    name: String,
    email: String,
    /// Her answers to the questions as she typed them.
    #[serde(skip)]
    answers: Answers,
}

#[derive(Serialize)]
struct EventLinks {
    ics: String,
    google: String,
}

#[derive(Serialize)]
struct EventPage {
    event: PageEvent,
    registration_open: bool,
    registered: Option<String>,
    form: FormValues,
    field_errors: BTreeMap<String, String>,
    questions: Vec<QuestionField>,
    required_words: String,
    csrf: String,
    form_action: String,
    links: EventLinks,
}

/// The public event, if it is public: open to registration, and published
/// (or cancelled, so that a shared link says so). Anything else is unknown.
pub async fn find_public(state: &AppState, event_id: &str, headers: &HeaderMap) -> Result<Event, PageError> {
    let not_found = || PageError::not_found().in_language(browser_language(headers));
    let id = Uuid::parse_str(event_id).map_err(|_| not_found())?;
    app::registrations::open_event(state, id)
        .await
        .map_err(|err| PageError::from(err).in_language(browser_language(headers)))
}

fn event_page(
    state: &AppState,
    event: &Event,
    registered: Option<String>,
    form: FormValues,
    errors: BTreeMap<String, String>,
    problems: &FieldErrors,
) -> EventPage {
    let language = event.details.language;
    EventPage {
        questions: questions::fields(&event.details.questions, language, &form.answers, problems),
        required_words: word(language, "question_required"),
        event: PageEvent::new(event, language),
        registration_open: event.accepts_registrations(state.now()),
        registered,
        form,
        field_errors: errors,
        csrf: form_token(&state.link_key, REGISTER_PURPOSE, &event.id.to_string()),
        form_action: path::public_event(event.id),
        links: EventLinks { ics: path::public_event_calendar(event.id), google: links::google_calendar(event) },
    }
}

async fn show(
    State(state): State<AppState>,
    Path(event_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let event = find_public(&state, &event_id, &headers).await?;
    let context = event_page(&state, &event, None, FormValues::default(), BTreeMap::default(), &FieldErrors::new());
    let cacheable = Cacheable::until_next(state.now(), event.turning_points());
    Ok((Extension(cacheable), render("event.html", event.details.language, StatusCode::OK, &context)).into_response())
}

/// Records the request and queues the confirmation email. The page says the
/// same whether the address was new, already registered or already a guest.
async fn register(
    State(state): State<AppState>,
    Path(event_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let event = find_public(&state, &event_id, &headers).await?;
    let language = event.details.language;
    check_same_site(&headers).map_err(|e| e.in_language(language))?;
    let form = RegisterForm::parse(&body);
    if !verify_form_token(&state.link_key, REGISTER_PURPOSE, &event.id.to_string(), &form.csrf) {
        return Err(PageError::forbidden().in_language(language));
    }
    let given = questions::posted(&event.details.questions, &form.pairs);
    let values = FormValues { name: form.name.clone(), email: form.email.clone(), answers: given.clone() };
    let mut errors = BTreeMap::new();
    // The questions' problems at once with the name's and the address's
    // (the application checks them again, by the same rule).
    let problems = question::check_answers(&event.details.questions, &given, true).err().unwrap_or_default();
    if !problems.is_empty() {
        errors.insert("questions".to_owned(), word(language, "error_questions"));
    }
    if form.name.trim().is_empty() {
        errors.insert("name".to_owned(), word(language, "error_name_required"));
    }
    let person = match NewGuest::parse(&form.email, Some(&form.name), None) {
        Ok(person) => Some(person),
        Err(fields) => {
            if fields.contains_key("email") {
                errors.insert("email".to_owned(), word(language, "error_email_invalid"));
            }
            if fields.contains_key("name") {
                errors.insert("name".to_owned(), word(language, "error_name_required"));
            }
            None
        }
    };
    let person = match person {
        Some(person) if errors.is_empty() => person,
        _ => {
            let context = event_page(&state, &event, None, values, errors, &problems);
            return Ok(render("event.html", language, StatusCode::UNPROCESSABLE_ENTITY, &context));
        }
    };
    if form.website.is_empty() {
        match app::registrations::request(&state, event.id, &person, &given).await {
            Ok(()) => {}
            Err(AppError::RegistrationClosed) => {
                let context = event_page(&state, &event, None, values, BTreeMap::default(), &FieldErrors::new());
                return Ok(render("event.html", language, StatusCode::GONE, &context));
            }
            Err(AppError::Invalid(problems)) => {
                let errors = BTreeMap::from([("questions".to_owned(), word(language, "error_questions"))]);
                let context = event_page(&state, &event, None, values, errors, &problems);
                return Ok(render("event.html", language, StatusCode::UNPROCESSABLE_ENTITY, &context));
            }
            Err(err) => return Err(PageError::from(err).in_language(language)),
        }
    } else {
        tracing::info!(event_id = %event.id, "a registration filled the hidden field; ignored");
    }
    let context = event_page(
        &state,
        &event,
        Some(person.email.to_string()),
        FormValues::default(),
        BTreeMap::default(),
        &FieldErrors::new(),
    );
    Ok(render("event.html", language, StatusCode::OK, &context))
}

#[derive(Serialize)]
struct ConfirmPage {
    event: PageEvent,
    name: String,
    email: String,
    csrf: String,
    form_action: String,
}

/// The registration a confirmation link names, if the link is genuine, for
/// this event, and still usable.
async fn find_registration(
    state: &AppState,
    event: &Event,
    token: &str,
    language: Language,
) -> Result<Registration, PageError> {
    let id = verify_registration_token(&state.link_key, token)
        .ok_or_else(|| PageError::not_found().in_language(language))?;
    match app::registrations::pending(state, id).await {
        Ok((registration, _)) if registration.event_id == event.id => Ok(registration),
        Ok(_) => Err(PageError::not_found().in_language(language)),
        Err(err) => Err(PageError::from(err).in_language(language)),
    }
}

/// The emailed link shows a button: mail scanners open links, and must not
/// confirm for her.
async fn confirm_page(
    State(state): State<AppState>,
    Path((event_id, token)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let event = find_public(&state, &event_id, &headers).await?;
    let registration = find_registration(&state, &event, &token, event.details.language).await?;
    let language = registration.language.unwrap_or(event.details.language);
    let context = ConfirmPage {
        event: PageEvent::new(&event, language),
        name: registration.name,
        email: registration.email.to_string(),
        csrf: form_token(&state.link_key, CONFIRM_PURPOSE, &registration.id.to_string()),
        form_action: path::confirm_registration(event.id, &registration_token(&state.link_key, registration.id)),
    };
    Ok(render("confirm.html", language, StatusCode::OK, &context))
}

#[derive(Debug, Default, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
}

/// Confirms, once, and takes her to her invitation page.
async fn confirm(
    State(state): State<AppState>,
    Path((event_id, token)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Form<ConfirmForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let event = find_public(&state, &event_id, &headers).await?;
    let language = event.details.language;
    check_same_site(&headers).map_err(|e| e.in_language(language))?;
    let registration = find_registration(&state, &event, &token, language).await?;
    let Ok(Form(form)) = form else { return Err(PageError::bad_request().in_language(language)) };
    if !verify_form_token(&state.link_key, CONFIRM_PURPOSE, &registration.id.to_string(), &form.csrf) {
        return Err(PageError::forbidden().in_language(language));
    }
    let (guest, invitation) = app::registrations::confirm(&state, registration.id)
        .await
        .map_err(|e| PageError::from(e).in_language(language))?;
    tracing::info!(event_id = %event.id, guest_id = %guest.id, "an open registration was confirmed");
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, path::invitation(invitation.as_str()))]).into_response())
}
