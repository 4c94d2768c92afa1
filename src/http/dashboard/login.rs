//! Signing in with a one-time link: ask for it with an address, receive it
//! by email (or from `convive organiser login-link`), open it, press the
//! button (a GET alone signs nobody in: mail scanners open links), and the
//! browser gets a session cookie.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::extract::CheckedForm;
use super::{ActionForm, Frame, clear_session_cookie, see_other, session_cookie, set_session_cookie, verify_open_form};
use crate::app;
use crate::domain::email_address::EmailAddress;
use crate::domain::token::{form_token, verify_login_token};
use crate::http::AppState;
use crate::http::pages::{PageError, browser_language, check_same_site, render, stated_language, word};
use crate::links::path;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(request_link))
        .route("/login/{token}", get(confirm_page).post(sign_in))
        .route("/logout", post(sign_out))
}

const LOGIN_PURPOSE: &str = "login";

#[derive(Serialize)]
struct LoginPage {
    sent: bool,
    email: String,
    error: Option<String>,
    form_action: &'static str,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf: String,
}

async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let csrf = form_token(&state.link_key, LOGIN_PURPOSE, "");
    let page = LoginPage { sent: false, email: String::new(), error: None, form_action: "/login" };
    render("dashboard/login.html", browser_language(&headers), StatusCode::OK, &Frame::new(None, &csrf, &page))
}

/// Sends a link if the address is an organiser's; says the same either way.
async fn request_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let language = browser_language(&headers);
    check_same_site(&headers).map_err(|e| e.in_language(language))?;
    let Ok(Form(form)) = form else { return Err(PageError::bad_request().in_language(language)) };
    if !verify_open_form(&state, LOGIN_PURPOSE, "", &form.csrf) {
        return Err(PageError::forbidden().in_language(language));
    }
    let csrf = form_token(&state.link_key, LOGIN_PURPOSE, "");
    let Ok(email) = EmailAddress::parse(&form.email) else {
        let page = LoginPage {
            sent: false,
            email: form.email,
            error: Some(word(language, "error_email_invalid")),
            form_action: "/login",
        };
        let frame = Frame::new(None, &csrf, &page);
        return Ok(render("dashboard/login.html", language, StatusCode::UNPROCESSABLE_ENTITY, &frame));
    };
    app::sign_in::request_link(&state, &email, language).await.map_err(|e| PageError::from(e).in_language(language))?;
    let page = LoginPage { sent: true, email: email.to_string(), error: None, form_action: "/login" };
    Ok(render("dashboard/login.html", language, StatusCode::OK, &Frame::new(None, &csrf, &page)))
}

#[derive(Serialize)]
struct ConfirmPage {
    form_action: String,
}

/// The link's page: a button, so that opening the link signs nobody in.
async fn confirm_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let language = browser_language(&headers);
    let id = verify_login_token(&state.link_key, &token).ok_or_else(|| PageError::not_found().in_language(language))?;
    if !app::sign_in::link_usable(&state, id).await.map_err(|e| PageError::from(e).in_language(language))? {
        return Err(PageError::gone().in_language(language));
    }
    let csrf = form_token(&state.link_key, LOGIN_PURPOSE, &id.to_string());
    let page = ConfirmPage { form_action: path::login(&token) };
    Ok(render("dashboard/login_confirm.html", language, StatusCode::OK, &Frame::new(None, &csrf, &page)))
}

#[derive(Debug, Default, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    csrf: String,
}

/// Uses the link (once) and opens a session.
async fn sign_in(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    form: Result<Form<SignInForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let language = browser_language(&headers);
    check_same_site(&headers).map_err(|e| e.in_language(language))?;
    let id = verify_login_token(&state.link_key, &token).ok_or_else(|| PageError::not_found().in_language(language))?;
    let Ok(Form(form)) = form else { return Err(PageError::bad_request().in_language(language)) };
    if !verify_open_form(&state, LOGIN_PURPOSE, &id.to_string(), &form.csrf) {
        return Err(PageError::forbidden().in_language(language));
    }
    let session = app::sign_in::sign_in(&state, id, stated_language(&headers))
        .await
        .map_err(|e| PageError::from(e).in_language(language))?;
    let mut response = see_other("/dashboard");
    response.headers_mut().insert(header::SET_COOKIE, set_session_cookie(&state, &session));
    Ok(response)
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    if let Some(token) = session_cookie(&headers) {
        app::sign_in::sign_out(&state, &token).await?;
    }
    let mut response = see_other("/login");
    response.headers_mut().insert(header::SET_COOKIE, clear_session_cookie());
    Ok(response.into_response())
}
