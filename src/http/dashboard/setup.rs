//! The first run in the browser: `/` sends a fresh install to the setup
//! page, which creates the first organiser with the one-time code printed
//! in the server's log and signs her in. Once an organiser exists the page
//! is gone, and `/` leads to the dashboard or the sign-in page.

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::{Frame, see_other, session_cookie, set_session_cookie, verify_open_form};
use crate::app::setup::FirstOrganiser;
use crate::app::{self, AppError};
use crate::domain::event::Language;
use crate::domain::token::form_token;
use crate::http::AppState;
use crate::http::pages::{PageError, browser_language, check_same_site, render, stated_language, word};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/setup", get(setup_page).post(set_up))
}

const SETUP_PURPOSE: &str = "setup";

/// `/`: her dashboard when she is signed in; else the setup page while the
/// instance has no organiser; else the sign-in page.
async fn home(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, PageError> {
    let language = browser_language(&headers);
    let failed = |err: AppError| PageError::from(err).in_language(language);
    if let Some(token) = session_cookie(&headers)
        && app::sign_in::session(&state, &token).await.map_err(failed)?.is_some()
    {
        return Ok(see_other("/dashboard"));
    }
    if app::setup::needed(&state).await.map_err(failed)? { Ok(see_other("/setup")) } else { Ok(see_other("/login")) }
}

#[derive(Serialize, Default)]
struct SetupPage {
    code: String,
    name: String,
    email: String,
    /// What is wrong with each field, in her language.
    errors: std::collections::BTreeMap<&'static str, String>,
    form_action: &'static str,
}

#[derive(Debug, Default, Deserialize)]
pub struct SetupQuery {
    /// The code, when she followed the link printed in the log.
    #[serde(default)]
    code: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf: String,
}

fn page(state: &AppState, language: Language, status: StatusCode, page: &SetupPage) -> Response {
    let csrf = form_token(&state.link_key, SETUP_PURPOSE, "");
    render("dashboard/setup.html", language, status, &Frame::new(None, &csrf, page))
}

/// The form; once set up, the sign-in page instead.
async fn setup_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<SetupQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let language = browser_language(&headers);
    if !app::setup::needed(&state).await.map_err(|e| PageError::from(e).in_language(language))? {
        return Ok(see_other("/login"));
    }
    let code = query.map(|Query(q)| q.code).unwrap_or_default();
    let content = SetupPage { code, form_action: "/setup", ..SetupPage::default() };
    Ok(page(&state, language, StatusCode::OK, &content))
}

/// Creates the first organiser and signs her in; a wrong code or field
/// shows the form again, saying what is wrong.
async fn set_up(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<SetupForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let language = browser_language(&headers);
    check_same_site(&headers).map_err(|e| e.in_language(language))?;
    let Ok(Form(form)) = form else { return Err(PageError::bad_request().in_language(language)) };
    if !verify_open_form(&state, SETUP_PURPOSE, "", &form.csrf) {
        return Err(PageError::forbidden().in_language(language));
    }
    let first =
        FirstOrganiser { code: form.code, name: form.name, email: form.email, language: stated_language(&headers) };
    match app::setup::create_first_organiser(&state, &first).await {
        Ok((_, session)) => {
            let mut response = see_other("/dashboard");
            response.headers_mut().insert(header::SET_COOKIE, set_session_cookie(&state, &session));
            Ok(response)
        }
        Err(AppError::WrongSetupCode) => {
            let errors = [("code", word(language, "d_setup_error_code"))].into();
            Ok(again(&state, language, first, errors))
        }
        Err(AppError::Invalid(fields)) => {
            let mut errors = std::collections::BTreeMap::new();
            if fields.contains_key("name") {
                errors.insert("name", word(language, "d_setup_error_name"));
            }
            if fields.contains_key("email") {
                errors.insert("email", word(language, "error_email_invalid"));
            }
            Ok(again(&state, language, first, errors))
        }
        Err(err) => Err(PageError::from(err).in_language(language)),
    }
}

/// The form again, as she filled it, with what is wrong.
fn again(
    state: &AppState,
    language: Language,
    first: FirstOrganiser,
    errors: std::collections::BTreeMap<&'static str, String>,
) -> Response {
    let content = SetupPage { code: first.code, name: first.name, email: first.email, errors, form_action: "/setup" };
    page(state, language, StatusCode::UNPROCESSABLE_ENTITY, &content)
}
