//! "My data" and "forget me", from a guest's invitation page: her data at
//! this organiser as a JSON file, and its erasure after a confirmation page.
//! The GETs change nothing; the erasure is a POST with an anti-forgery token.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::{PageError, check_same_site, render};
use crate::app;
use crate::app::guest_data::Subject;
use crate::domain::event::Language;
use crate::domain::token::{InvitationToken, form_token, verify_form_token};
use crate::http::AppState;
use crate::links::path;
use crate::storage::guest_data::Cause;

pub fn router() -> Router<AppState> {
    Router::new().route("/i/{token}/data.json", get(download)).route("/i/{token}/forget", get(confirm).post(forget))
}

const FORM_PURPOSE: &str = "forget";

#[derive(Serialize)]
struct ForgetPage {
    host: String,
    done: bool,
    csrf: String,
    form_action: String,
    back: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ForgetForm {
    #[serde(default)]
    csrf: String,
}

/// Her subject, the token's hash, her language and her organiser's name.
async fn find(
    state: &AppState,
    token: &str,
    headers: &HeaderMap,
) -> Result<(Subject, String, Language, String), PageError> {
    let not_found = || PageError::not_found().in_language(super::browser_language(headers));
    let hash = InvitationToken::hash_of_presented(token).ok_or_else(not_found)?;
    let failed = |err| PageError::from(err).in_language(super::browser_language(headers));
    let (guest, event, host) = app::answers::invitation_with_host(state, token).await.map_err(failed)?;
    let host = host.name;
    let language = guest.language.unwrap_or(event.details.language);
    let subject = Subject { organiser_id: event.organiser_id, email: guest.email.to_string() };
    Ok((subject, hash, language, host))
}

/// Her data as a file to keep.
async fn download(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (subject, _, language, _) = find(&state, &token, &headers).await?;
    let data = app::guest_data::export(&state, &subject).await.map_err(|e| PageError::from(e).in_language(language))?;
    let body = serde_json::to_string_pretty(&data).map_err(|e| PageError::from(app::AppError::Internal(e.into())))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"convive-my-data.json\""),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        body,
    )
        .into_response())
}

/// The confirmation page: what erasure does, and the button.
async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (_, hash, language, host) = find(&state, &token, &headers).await?;
    let page = ForgetPage {
        host,
        done: false,
        csrf: form_token(&state.link_key, FORM_PURPOSE, &hash),
        form_action: format!("{}/forget", path::invitation(&token)),
        back: path::invitation(&token),
    };
    Ok(render("forget.html", language, StatusCode::OK, &page))
}

/// Erases her at this organiser. Her link stops working with it, so the
/// page that follows is rendered here rather than redirected to.
async fn forget(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    form: Result<Form<ForgetForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let (subject, hash, language, host) = find(&state, &token, &headers).await?;
    check_same_site(&headers).map_err(|e| e.in_language(language))?;
    let Ok(Form(form)) = form else { return Err(PageError::bad_request().in_language(language)) };
    if !verify_form_token(&state.link_key, FORM_PURPOSE, &hash, &form.csrf) {
        return Err(PageError::forbidden().in_language(language));
    }
    app::guest_data::erase(&state, &subject, Cause::Guest)
        .await
        .map_err(|e| PageError::from(e).in_language(language))?;
    let page = ForgetPage { host, done: true, csrf: String::new(), form_action: String::new(), back: String::new() };
    Ok(render("forget.html", language, StatusCode::OK, &page))
}
