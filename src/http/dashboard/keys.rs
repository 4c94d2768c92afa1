//! API keys, for scripts and the CLI against a server: create one (shown
//! once), see them, revoke one.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::ActionForm;
use super::extract::CheckedForm;
use super::{OrganiserSession, id_of, see_other};
use crate::app;
use crate::http::AppState;
use crate::http::pages::PageError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard/keys", get(page).post(create))
        .route("/dashboard/keys/{key_id}/revoke", post(revoke))
}

#[derive(Serialize)]
struct KeyRow {
    id: uuid::Uuid,
    label: String,
    created_local: String,
    revoked: bool,
    revoke_url: String,
}

#[derive(Serialize)]
struct KeysPage {
    keys: Vec<KeyRow>,
    new_key: Option<String>,
    create_action: &'static str,
}

async fn render(state: &AppState, session: &OrganiserSession, new_key: Option<String>) -> Result<Response, PageError> {
    let keys = app::organisers::api_keys(state, session.organiser.id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?
        .into_iter()
        .map(|key| KeyRow {
            id: key.id,
            label: key.label,
            created_local: key.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            revoked: key.revoked_at.is_some(),
            revoke_url: format!("/dashboard/keys/{}/revoke", key.id),
        })
        .collect();
    Ok(session.page(
        "dashboard/keys.html",
        StatusCode::OK,
        &KeysPage { keys, new_key, create_action: "/dashboard/keys" },
    ))
}

async fn page(State(state): State<AppState>, session: OrganiserSession) -> Result<Response, PageError> {
    render(&state, &session, None).await
}

#[derive(Debug, Default, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    label: String,
}

/// A new key, shown on the page that answers this POST and never again.
async fn create(
    State(state): State<AppState>,
    session: OrganiserSession,
    CheckedForm(form): CheckedForm<CreateForm>,
) -> Result<Response, PageError> {
    // A label too long is cut rather than refused: it is only a reminder.
    let label: String = form.label.trim().chars().take(app::organisers::MAX_KEY_LABEL).collect();
    let key = app::organisers::create_api_key(
        &state,
        session.organiser.id,
        &label,
        &crate::i18n::word(session.language, "d_key_label_dashboard"),
    )
    .await
    .map_err(|e| PageError::from(e).in_language(session.language))?;
    render(&state, &session, Some(key.as_str().to_owned())).await
}

async fn revoke(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(key_id): Path<String>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let key_id = id_of(&key_id, session.language)?;
    app::organisers::revoke_api_key(&state, session.organiser.id, key_id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(see_other("/dashboard/keys"))
}
