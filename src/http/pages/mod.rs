//! Guest pages: server-rendered HTML that works without JavaScript, in the
//! guest's language. A GET never changes anything (mail scanners follow every
//! link); every form POSTs with an anti-forgery token and is refused when a
//! browser says it comes from another site.
//!
//! Templates live in `page-templates/`, compiled in like the emails and
//! rendered by minijinja in strict mode with HTML autoescaping. Their words
//! come from the message catalogue (`locales/`, see [`crate::i18n`]), so a
//! template is written once.

mod error_pages;
pub mod invitation;
pub mod my_data;
pub mod open_event;
pub mod questions;

pub use error_pages::ErrorPagesLayer;

use std::sync::LazyLock;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::app::AppError;
use crate::domain::event::{Event, Language};
use crate::error::ApiError;
use crate::i18n;
use crate::mail::context::EventContext;
use crate::storage::StorageError;

/// The page templates. Built once: they are compiled into the binary and
/// never change while it runs, so a shared static is as good as state, and
/// lets an error become a page anywhere (`PageError`).
static PAGES: LazyLock<Pages> = LazyLock::new(Pages::embedded);

struct Pages {
    env: Environment<'static>,
    /// Each language's words as one template value, built once: made for
    /// every page, this map of hundreds of words was most of a page's cost.
    words_fr: Value,
    words_en: Value,
}

impl Pages {
    fn embedded() -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        crate::template_files::load(&mut env, crate::template_files::PAGES);
        i18n::add_to(&mut env);
        env.add_global("assets", super::assets::urls());
        let words = |language| Value::from(Serde(i18n::words(language)));
        Self { env, words_fr: words(Language::Fr), words_en: words(Language::En) }
    }

    fn render(&self, template: &str, language: Language, context: &impl Serialize) -> anyhow::Result<String> {
        let words = match language {
            Language::Fr => self.words_fr.clone(),
            Language::En => self.words_en.clone(),
        };
        let context = minijinja::context! { lang => language.as_str(), t => words, ..Value::from(Serde(context)) };
        Ok(self.env.get_template(template)?.render(context)?)
    }
}

/// A page in `language`, with headers that keep secret URLs and personal
/// pages out of caches, referrers and other sites' frames.
pub fn render(template: &str, language: Language, status: StatusCode, context: &impl Serialize) -> Response {
    match PAGES.render(template, language, context) {
        // The dashboard's check-in page runs our own script and polls the counts.
        Ok(html) if template.starts_with("dashboard/") => {
            let mut response = (status, page_headers(), Html(html)).into_response();
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                header::HeaderValue::from_static(
                    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                ),
            );
            response
        }
        Ok(html) => (status, page_headers(), Html(html)).into_response(),
        Err(err) => PageError::from(ApiError::Internal(err.context(format!("cannot render {template}"))))
            .in_language(language)
            .into_response(),
    }
}

/// One of the catalogue's sentences, for messages built by handlers; its
/// variables are left as `{name}` (see [`i18n::word`]).
pub fn word(language: Language, key: &str) -> String {
    i18n::word(language, key)
}

fn page_headers() -> [(header::HeaderName, &'static str); 5] {
    [
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // No script at all; our own stylesheet only; forms post to us.
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    ]
}

/// The language a visitor's browser asks for, for pages that know nothing
/// else about her (an unknown link): French if she prefers it, else English.
pub fn browser_language(headers: &HeaderMap) -> Language {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let first = accept.split(',').next().unwrap_or("").trim().to_ascii_lowercase();
    if first.starts_with("fr") { Language::Fr } else { Language::En }
}

/// The language her browser states, if it states one we write in (a
/// request without `Accept-Language` states none: nothing to keep).
pub fn stated_language(headers: &HeaderMap) -> Option<Language> {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())?;
    let first = accept.split(',').next().unwrap_or("").trim().to_ascii_lowercase();
    if first.starts_with("fr") {
        Some(Language::Fr)
    } else if first.starts_with("en") {
        Some(Language::En)
    } else {
        None
    }
}

/// Refuses a form that a browser says was sent from another site. Browsers
/// send `Sec-Fetch-Site` on every request; tools that do not are judged by
/// the form token alone.
pub fn check_same_site(headers: &HeaderMap) -> Result<(), PageError> {
    let header = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    match header("sec-fetch-site") {
        Some("cross-site") => Err(PageError::forbidden()),
        Some(_) => Ok(()),
        // Browsers without Fetch Metadata still send Origin on a POST: it
        // must name this host.
        None => match (header("origin"), header("host")) {
            (Some(origin), Some(host)) if origin != "null" => {
                let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
                if authority.eq_ignore_ascii_case(host) { Ok(()) } else { Err(PageError::forbidden()) }
            }
            _ => Ok(()),
        },
    }
}

/// Whether the client would rather read HTML than JSON: a browser that
/// navigates asks for `text/html` first; `curl` (`*/*`), scripts and the
/// API's clients do not, and keep the JSON shape.
pub fn prefers_html(headers: &HeaderMap) -> bool {
    let accept = headers.get_all(header::ACCEPT).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    let quality = |wanted: &[&str]| {
        accept
            .split(',')
            .filter_map(|range| {
                let mut parts = range.split(';');
                let media = parts.next()?.trim().to_ascii_lowercase();
                let q = parts
                    .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                    .unwrap_or(1.0);
                wanted.contains(&media.as_str()).then_some(q)
            })
            .fold(0.0_f32, f32::max)
    };
    let html = quality(&["text/html", "application/xhtml+xml"]);
    html > 0.0 && html >= quality(&["application/json"])
}

/// What a page shows of an event.
#[derive(Debug, Serialize)]
pub struct PageEvent {
    #[serde(flatten)]
    details: EventContext,
    status: &'static str,
}

impl PageEvent {
    pub fn new(event: &Event, language: Language) -> Self {
        Self { details: EventContext::new(event, language), status: event.status.as_str() }
    }
}

/// Why a page could not be shown: rendered as a friendly page in the
/// visitor's language, never as a stack trace or JSON.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    kind: &'static str,
    language: Language,
}

impl PageError {
    pub fn not_found() -> Self {
        Self { status: StatusCode::NOT_FOUND, kind: "not_found", language: Language::En }
    }

    pub fn forbidden() -> Self {
        Self { status: StatusCode::FORBIDDEN, kind: "forbidden", language: Language::En }
    }

    pub fn gone() -> Self {
        Self { status: StatusCode::GONE, kind: "gone", language: Language::En }
    }

    pub fn bad_request() -> Self {
        Self { status: StatusCode::BAD_REQUEST, kind: "forbidden", language: Language::En }
    }

    pub fn too_many_requests() -> Self {
        Self { status: StatusCode::TOO_MANY_REQUESTS, kind: "too_many", language: Language::En }
    }

    /// The page a browser gets for a response of the API's with this status
    /// (see [`ErrorPagesLayer`]): the status is kept, the words are the page's.
    pub fn for_status(status: StatusCode) -> Self {
        let kind = match status {
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => "not_found",
            StatusCode::UNAUTHORIZED => "unauthorized",
            StatusCode::FORBIDDEN => "forbidden",
            StatusCode::GONE => "gone",
            StatusCode::TOO_MANY_REQUESTS => "too_many",
            status if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT => "internal",
            _ => "bad_request",
        };
        Self { status, kind, language: Language::En }
    }

    #[must_use]
    pub fn in_language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }
}

impl From<ApiError> for PageError {
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::NotFound(_) => Self::not_found(),
            ApiError::Gone { .. } => Self::gone(),
            ApiError::Internal(err) => {
                tracing::error!(error = format!("{err:#}"), "page failed");
                Self { status: StatusCode::INTERNAL_SERVER_ERROR, kind: "internal", language: Language::En }
            }
            other => {
                tracing::warn!(error = %other, "page request refused");
                Self::bad_request()
            }
        }
    }
}

impl From<AppError> for PageError {
    fn from(err: AppError) -> Self {
        match err {
            AppError::NotFound(_) | AppError::SetupDone => Self::not_found(),
            AppError::AnswersClosed { .. }
            | AppError::EventCancelled
            | AppError::RegistrationClosed
            | AppError::LinkSpent { .. } => Self::gone(),
            AppError::Internal(err) => {
                tracing::error!(error = format!("{err:#}"), "page failed");
                Self { status: StatusCode::INTERNAL_SERVER_ERROR, kind: "internal", language: Language::En }
            }
            other => {
                tracing::warn!(error = %other, "page request refused");
                Self::bad_request()
            }
        }
    }
}

impl From<StorageError> for PageError {
    fn from(err: StorageError) -> Self {
        AppError::from(err).into()
    }
}

impl From<sea_orm::DbErr> for PageError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::from(err).into()
    }
}

#[derive(Serialize)]
struct ErrorPage {
    status: u16,
    heading: String,
    message: String,
    /// Where to go instead, when there is somewhere: (path, label).
    next: Option<(&'static str, String)>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            status: self.status.as_u16(),
            heading: i18n::word(self.language, &format!("error_{}_heading", self.kind)),
            message: i18n::word(self.language, &format!("error_{}_message", self.kind)),
            // An organiser who opened an API address in her browser wants the dashboard.
            next: (self.kind == "unauthorized").then(|| ("/", i18n::word(self.language, "error_unauthorized_next"))),
        };
        match PAGES.render("error.html", self.language, &page) {
            Ok(html) => (self.status, page_headers(), Html(html)).into_response(),
            // The error page itself failed: plain text, still no detail.
            Err(err) => {
                tracing::error!(error = format!("{err:#}"), "cannot render the error page");
                (self.status, page.heading).into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_language_picks_french_only_when_preferred() {
        let mut headers = HeaderMap::new();
        assert_eq!(browser_language(&headers), Language::En);
        headers.insert(header::ACCEPT_LANGUAGE, "fr-FR,fr;q=0.9,en;q=0.8".parse().unwrap());
        assert_eq!(browser_language(&headers), Language::Fr);
        headers.insert(header::ACCEPT_LANGUAGE, "de,fr;q=0.5".parse().unwrap());
        assert_eq!(browser_language(&headers), Language::En);
    }

    #[test]
    fn browsers_get_html_and_api_clients_json() {
        let wants = |accept: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, accept.parse().unwrap());
            prefers_html(&headers)
        };
        assert!(wants("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), "Chromium");
        assert!(wants("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"), "Firefox");
        assert!(!wants("*/*"), "curl");
        assert!(!wants("application/json"));
        assert!(!wants("application/json, text/html;q=0.5"));
        assert!(!wants("text/html;q=0"));
        assert!(!prefers_html(&HeaderMap::new()), "no Accept at all");
    }

    #[test]
    fn every_error_page_renders_in_both_languages() {
        for language in [Language::Fr, Language::En] {
            let statuses = [400, 401, 403, 404, 405, 408, 409, 410, 413, 415, 422, 429, 500, 503];
            for error in
                [PageError::not_found(), PageError::forbidden(), PageError::gone(), PageError::too_many_requests()]
                    .into_iter()
                    .chain(statuses.map(|s| PageError::for_status(StatusCode::from_u16(s).unwrap())))
            {
                let kind = error.kind;
                let response = error.in_language(language).into_response();
                assert_ne!(response.status(), StatusCode::OK, "{kind}");
                assert!(i18n::has(language, &format!("error_{kind}_heading")), "{kind}");
            }
        }
    }
}
