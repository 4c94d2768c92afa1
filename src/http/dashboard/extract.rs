//! What every dashboard handler starts with, done once: the signed-in
//! organiser's own event named in the path, and a form whose anti-forgery
//! token and origin were checked.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::{Form, FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::OrganiserSession;
use crate::app;
use crate::domain::event::Event;
use crate::domain::role::{Action, Role};
use crate::http::AppState;
use crate::http::pages::PageError;

/// The signed-in organiser and her event named by `{event_id}` in the path,
/// if her role lets her run it (owner or co-organiser). Another organiser's
/// event, or an id that is not one, is a 404 page.
pub struct OwnedEvent {
    pub session: OrganiserSession,
    pub event: Event,
}

impl FromRequestParts<AppState> for OwnedEvent {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let (session, event, _) = event_in_path(parts, state, Action::Manage).await?;
        Ok(Self { session, event })
    }
}

/// The signed-in organiser and the event named in the path, if her role lets
/// her keep its door (a door helper on the day, and those who run it).
pub struct DoorEvent {
    pub session: OrganiserSession,
    pub event: Event,
    pub role: Role,
}

impl FromRequestParts<AppState> for DoorEvent {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let (session, event, role) = event_in_path(parts, state, Action::CheckIn).await?;
        Ok(Self { session, event, role })
    }
}

async fn event_in_path(
    parts: &mut Parts,
    state: &AppState,
    action: Action,
) -> Result<(OrganiserSession, Event, Role), Response> {
    let session = OrganiserSession::from_request_parts(parts, state).await?;
    let not_found = || PageError::not_found().in_language(session.language).into_response();
    let Path(params) =
        Path::<HashMap<String, String>>::from_request_parts(parts, state).await.map_err(|_| not_found())?;
    let id = params.get("event_id").and_then(|raw| uuid::Uuid::parse_str(raw).ok()).ok_or_else(not_found)?;
    let (event, role) = app::access::event(state, session.organiser.id, id, action)
        .await
        .map_err(|err| PageError::from(err).in_language(session.language).into_response())?;
    Ok((session, event, role))
}

/// A form posted from one of her dashboard pages: same site, with her
/// session's anti-forgery token in its `csrf` field. Anything else is
/// refused with a page saying the form expired.
pub struct CheckedForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CheckedForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let session = OrganiserSession::from_request_parts(&mut parts, state).await?;
        let refused = |err: PageError| err.in_language(session.language).into_response();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|_| refused(PageError::bad_request()))?;
        let token = url::form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == "csrf")
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        session.check_form(&parts.headers, &token).map_err(IntoResponse::into_response)?;
        let Form(form) = Form::<T>::from_request(Request::from_parts(parts, Body::from(bytes)), state)
            .await
            .map_err(|_| refused(PageError::bad_request()))?;
        Ok(Self(form))
    }
}
