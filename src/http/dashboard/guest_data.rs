//! A guest's data, from her row's menu on the event page: download what is
//! held about her address across the organiser's events, or erase it after
//! a page that says what erasure keeps and what it removes.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::confirm::{self, Confirmation};
use super::event_page::{guests_of, label};
use super::extract::{CheckedForm, OwnedEvent};
use super::{ActionForm, id_of, see_other_saying};
use crate::app::{self, AppError};
use crate::http::AppState;
use crate::http::pages::{PageError, word};
use crate::storage::guest_data::Cause;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard/events/{event_id}/guests/{guest_id}/data.json", get(download))
        .route("/dashboard/events/{event_id}/guests/{guest_id}/erase", get(confirm_erase).post(erase))
}

/// What is held about her, as the file she would get herself.
async fn download(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    Path((_, guest_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let guest_id = id_of(&guest_id, session.language)?;
    let failed = |e| PageError::from(e).in_language(session.language);
    let subject =
        app::guest_data::subject_of_guest(&state, session.organiser.id, event.id, guest_id).await.map_err(failed)?;
    let data = app::guest_data::export(&state, &subject).await.map_err(failed)?;
    let body = serde_json::to_string_pretty(&data).map_err(|e| failed(AppError::Internal(e.into())))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"convive-guest-data.json\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

async fn confirm_erase(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    Path((_, guest_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let guest_id = id_of(&guest_id, session.language)?;
    let guest = app::guests::one(&state, &event, guest_id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let name = label(&guest);
    let say = |key: &str| word(session.language, key).replace("{name}", &name);
    Ok(confirm::page(
        &session,
        &Confirmation {
            question: say("d_confirm_erase_question"),
            reach: say("d_confirm_erase_reach"),
            details: vec![say("d_confirm_erase_kept"), say("d_confirm_erase_final")],
            action: format!("/dashboard/events/{}/guests/{}/erase", event.id, guest.id),
            fields: Vec::new(),
            button: say("d_confirm_erase_button"),
            danger: true,
            back_url: guests_of(&event),
            back_label: word(session.language, "d_back_to_event"),
            back_top: None,
            back_to_form: None,
        },
    ))
}

async fn erase(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    Path((_, guest_id)): Path<(String, String)>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let guest_id = id_of(&guest_id, session.language)?;
    let failed = |e| PageError::from(e).in_language(session.language);
    let subject =
        app::guest_data::subject_of_guest(&state, session.organiser.id, event.id, guest_id).await.map_err(failed)?;
    app::guest_data::erase(&state, &subject, Cause::Organiser).await.map_err(failed)?;
    Ok(see_other_saying(&state, &guests_of(&event), &word(session.language, "d_flash_erased")))
}
