//! The organiser's dashboard: server-rendered pages behind a session cookie,
//! opened with a one-time sign-in link. Every form carries an anti-forgery
//! token tied to the session and is refused cross-site. The pages work
//! without JavaScript; the check-in page adds a little (filtering as you
//! type, live counts) from `/static/check-in.js`.

mod answers_view;
pub mod check_in;
pub mod community;
pub mod confirm;
pub mod door_list;
pub mod event_form;
pub mod event_page;
pub mod events;
pub mod extract;
pub mod guest_data;
pub mod import;
pub mod keys;
pub mod language;
pub mod login;
pub mod mail_health;
pub mod preview;
pub mod question_editor;
pub mod replies;
pub mod results;
pub mod retention;
pub mod series;
pub mod series_settings;
pub mod setup;
pub mod team;
pub mod time_zones;
pub mod webhooks;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use uuid::Uuid;

use super::AppState;
use super::pages::{PageError, browser_language, check_same_site, render};
use crate::app;
use crate::domain::event::Language;
use crate::domain::token::{form_token, same_secret, verify_form_token};
use crate::storage;
use crate::storage::organisers::Organiser;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(events::router())
        .merge(event_page::router())
        .merge(preview::router())
        .merge(import::router())
        .merge(check_in::router())
        .merge(results::router())
        .merge(series::router())
        .merge(community::router())
        .merge(series_settings::router())
        .merge(keys::router())
        .merge(webhooks::router())
        .merge(guest_data::router())
        .merge(retention::router())
        .merge(language::router())
        .merge(team::router())
        .merge(door_list::router())
        .merge(replies::router())
        .merge(mail_health::router())
        .route("/static/check-in.js", axum::routing::get(check_in_script))
        .route("/static/dashboard.js", axum::routing::get(dashboard_script))
}

/// The form of the buttons that only act: nothing but the anti-forgery
/// token, which [`extract::CheckedForm`] checks.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ActionForm {}

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "convive_session";

/// A signed-in organiser, from her session cookie. Without one, pages send
/// her to the sign-in page.
#[derive(Clone)]
pub struct OrganiserSession {
    pub organiser: Organiser,
    /// The anti-forgery token of her session's forms.
    pub csrf: String,
    pub language: Language,
    /// The message the action before left for this page (see [`see_other_saying`]).
    pub flash: Option<String>,
    /// She only keeps doors: her menu offers her events, not series, keys or webhooks.
    pub door_only: bool,
}

impl OrganiserSession {
    /// Refuses a form without this session's token, or sent from another site.
    pub fn check_form(&self, headers: &HeaderMap, presented: &str) -> Result<(), PageError> {
        check_same_site(headers).map_err(|e| e.in_language(self.language))?;
        if same_secret(&self.csrf, presented) { Ok(()) } else { Err(PageError::forbidden().in_language(self.language)) }
    }

    /// A dashboard page, with what every page needs around `content`. A
    /// message left by the action before is spent: shown once, then gone.
    pub fn page(&self, template: &str, status: StatusCode, content: &impl Serialize) -> Response {
        let mut frame = Frame::new(Some(&self.organiser.name), &self.csrf, content);
        frame.nav.full = !self.door_only;
        let mut response = render(template, self.language, status, &frame);
        if self.flash.is_some() {
            response.headers_mut().append(header::SET_COOKIE, HeaderValue::from_static(CLEAR_FLASH_COOKIE));
        }
        response
    }
}

/// The navigation and session bits every dashboard page shows.
#[derive(Serialize)]
pub struct Frame<'a, T: Serialize> {
    organiser_name: Option<&'a str>,
    csrf: &'a str,
    nav: Nav,
    #[serde(flatten)]
    content: &'a T,
}

#[derive(Serialize)]
struct Nav {
    events: &'static str,
    series: &'static str,
    keys: &'static str,
    webhooks: &'static str,
    logout: &'static str,
    /// Series, keys and webhooks too (not for one who only keeps doors).
    full: bool,
}

impl<'a, T: Serialize> Frame<'a, T> {
    pub fn new(organiser_name: Option<&'a str>, csrf: &'a str, content: &'a T) -> Self {
        Self {
            organiser_name,
            csrf,
            nav: Nav {
                events: "/dashboard",
                series: "/dashboard/series",
                keys: "/dashboard/keys",
                webhooks: "/dashboard/webhooks",
                logout: "/logout",
                full: true,
            },
            content,
        }
    }
}

pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE).map(str::to_owned)
}

/// The `Set-Cookie` value for a session: HTTP-only, `SameSite=Lax` (so the
/// link from an email, a top-level navigation, still finds her signed in),
/// and `Secure` whenever the service is served over HTTPS.
pub fn set_session_cookie(state: &AppState, token: &str) -> HeaderValue {
    let secure = if state.settings.public_url.scheme() == "https" { "; Secure" } else { "" };
    let max_age = storage::sessions::SESSION_VALIDITY.num_seconds();
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("convive_session=; Path=/"))
}

pub fn clear_session_cookie() -> HeaderValue {
    HeaderValue::from_static("convive_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0")
}

/// A 303 to `to`: after a POST, the browser GETs the result.
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

/// The cookie that carries what an action did to the page after it.
const FLASH_COOKIE: &str = "convive_flash";
const CLEAR_FLASH_COOKIE: &str = "convive_flash=; HttpOnly; SameSite=Lax; Path=/dashboard; Max-Age=0";

/// A 303 to `to` that leaves `message` ("The event is published: 8
/// invitations are on their way") for the page there to show once. The
/// message is written here, from what the action did, never from the
/// request: a link cannot make the dashboard say something else.
pub fn see_other_saying(state: &AppState, to: &str, message: &str) -> Response {
    let mut response = see_other(to);
    let secure = if state.settings.public_url.scheme() == "https" { "; Secure" } else { "" };
    let value: String = url::form_urlencoded::byte_serialize(message.as_bytes()).collect();
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{FLASH_COOKIE}={value}; HttpOnly; SameSite=Lax; Path=/dashboard; Max-Age=120{secure}"
    )) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value)
}

/// The message an action left, if any.
fn flash_of(headers: &HeaderMap) -> Option<String> {
    let raw = cookie(headers, FLASH_COOKIE).filter(|raw| !raw.is_empty())?;
    let message: String =
        url::form_urlencoded::parse(format!("m={raw}").as_bytes()).map(|(_, value)| value.into_owned()).collect();
    (!message.trim().is_empty()).then_some(message)
}

impl FromRequestParts<AppState> for OrganiserSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        // Several extractors of one request ask: the session is looked up once.
        if let Some(session) = parts.extensions.get::<Self>() {
            return Ok(session.clone());
        }
        let language = browser_language(&parts.headers);
        let Some(token) = session_cookie(&parts.headers) else { return Err(see_other("/login")) };
        match app::sign_in::session(state, &token).await {
            Ok(Some((session_id, organiser))) => {
                // Her own choice (the « Langue » page) wins over her browser's.
                let language = organiser.language.unwrap_or(language);
                let csrf = form_token(&state.link_key, "session", &session_id.to_string());
                let door_only = match app::access::door_only(state, organiser.id).await {
                    Ok(door_only) => door_only,
                    Err(err) => return Err(PageError::from(err).in_language(language).into_response()),
                };
                let session = Self { organiser, csrf, language, flash: flash_of(&parts.headers), door_only };
                parts.extensions.insert(session.clone());
                Ok(session)
            }
            Ok(None) => Err(see_other("/login")),
            Err(err) => Err(PageError::from(err).in_language(language).into_response()),
        }
    }
}

/// Whether `presented` is this instance's token for a form with no session
/// (sign-in): it proves the form came from one of our pages.
pub fn verify_open_form(state: &AppState, purpose: &str, subject: &str, presented: &str) -> bool {
    verify_form_token(&state.link_key, purpose, subject, presented)
}

/// Parses a path id; anything else is an unknown page.
pub fn id_of(raw: &str, language: Language) -> Result<Uuid, PageError> {
    Uuid::parse_str(raw).map_err(|_| PageError::not_found().in_language(language))
}

async fn dashboard_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../../static/dashboard.js"),
    )
        .into_response()
}

async fn check_in_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../../static/check-in.js"),
    )
        .into_response()
}
