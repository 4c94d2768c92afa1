//! Webhooks in the dashboard: register an endpoint (its secret shown once),
//! see each one's state, disable or enable it, send a test event, remove it;
//! and its delivery log, with "send again". The same operations as the API.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Serialize;

use super::extract::CheckedForm;
use super::{ActionForm, OrganiserSession, id_of, see_other_saying};
use crate::app::webhooks::EndpointInput;
use crate::app::{self, AppError};
use crate::domain::webhook::WebhookType;
use crate::http::AppState;
use crate::http::pages::PageError;
use crate::i18n;
use crate::storage::webhooks::Endpoint;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard/webhooks", get(page).post(create))
        .route("/dashboard/webhooks/{endpoint_id}", get(log))
        .route("/dashboard/webhooks/{endpoint_id}/enable", post(enable))
        .route("/dashboard/webhooks/{endpoint_id}/disable", post(disable))
        .route("/dashboard/webhooks/{endpoint_id}/test", post(test))
        .route("/dashboard/webhooks/{endpoint_id}/delete", get(confirm_delete).post(delete))
        .route("/dashboard/webhooks/{endpoint_id}/deliveries/{message_id}/resend", post(resend))
}

const LIST: &str = "/dashboard/webhooks";

#[derive(Serialize)]
struct TypeChoice {
    value: &'static str,
    label: String,
    checked: bool,
}

#[derive(Serialize)]
struct EndpointRow {
    id: uuid::Uuid,
    url: String,
    types: Vec<String>,
    enabled: bool,
    /// Why it is off, in words.
    disabled_reason: Option<String>,
    failing_since: Option<String>,
    log_url: String,
    action_url: String,
}

#[derive(Serialize)]
struct WebhooksPage {
    endpoints: Vec<EndpointRow>,
    types: Vec<TypeChoice>,
    url: String,
    error: Option<String>,
    new_secret: Option<String>,
    create_action: &'static str,
    /// What the action before said.
    flash: Option<String>,
}

fn type_label(session: &OrganiserSession, kind: WebhookType) -> String {
    i18n::word(session.language, &format!("d_hook_type_{}", kind.as_str().replace('.', "_")))
}

fn row(session: &OrganiserSession, endpoint: Endpoint) -> EndpointRow {
    EndpointRow {
        id: endpoint.id,
        types: endpoint.types.iter().map(|t| type_label(session, *t)).collect(),
        enabled: endpoint.enabled,
        disabled_reason: endpoint
            .disabled_reason
            .as_deref()
            .filter(|_| !endpoint.enabled)
            .map(|reason| i18n::word(session.language, &format!("d_hook_off_{reason}"))),
        failing_since: endpoint.failing_since.map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string()),
        log_url: format!("{LIST}/{}", endpoint.id),
        action_url: format!("{LIST}/{}", endpoint.id),
        url: endpoint.url,
    }
}

async fn render(
    state: &AppState,
    session: &OrganiserSession,
    status: StatusCode,
    form: (String, Vec<WebhookType>, Option<String>),
    new_secret: Option<String>,
) -> Result<Response, PageError> {
    let (url, chosen, error) = form;
    let endpoints = app::webhooks::list(state, session.organiser.id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?
        .into_iter()
        .map(|e| row(session, e))
        .collect();
    let types = WebhookType::subscribable()
        .map(|t| TypeChoice { value: t.as_str(), label: type_label(session, t), checked: chosen.contains(&t) })
        .collect();
    let page =
        WebhooksPage { endpoints, types, url, error, new_secret, create_action: LIST, flash: session.flash.clone() };
    Ok(session.page("dashboard/webhooks.html", status, &page))
}

async fn page(State(state): State<AppState>, session: OrganiserSession) -> Result<Response, PageError> {
    let all = WebhookType::subscribable().collect();
    render(&state, &session, StatusCode::OK, (String::new(), all, None), None).await
}

/// A new endpoint; its secret is shown on the page that answers, never again.
async fn create(
    State(state): State<AppState>,
    session: OrganiserSession,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let url = form.iter().find(|(k, _)| k == "url").map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let types: Vec<String> = form.iter().filter(|(k, _)| k == "types").map(|(_, v)| v.clone()).collect();
    let chosen: Vec<WebhookType> = types.iter().filter_map(|t| WebhookType::parse(t)).collect();
    let input = EndpointInput {
        url: Some(url.clone()),
        types: Some(types),
        enabled: None,
        language: Some(session.language.as_str().to_owned()),
    };
    match app::webhooks::create(&state, session.organiser.id, &input).await {
        Ok(created) => {
            let all = WebhookType::subscribable().collect();
            render(&state, &session, StatusCode::OK, (String::new(), all, None), Some(created.secret)).await
        }
        Err(AppError::Invalid(fields)) => {
            let said = fields.values().map(|p| i18n::problem(session.language, p)).collect::<Vec<_>>().join(" ");
            render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, (url, chosen, Some(said)), None).await
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

async fn switch(
    state: &AppState,
    session: &OrganiserSession,
    raw_id: &str,
    enabled: bool,
) -> Result<Response, PageError> {
    let id = id_of(raw_id, session.language)?;
    let input = EndpointInput { enabled: Some(enabled), ..EndpointInput::default() };
    app::webhooks::update(state, session.organiser.id, id, &input)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let said = if enabled { "d_hook_enabled" } else { "d_hook_disabled" };
    Ok(see_other_saying(state, LIST, &i18n::word(session.language, said)))
}

async fn enable(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(endpoint_id): Path<String>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    switch(&state, &session, &endpoint_id, true).await
}

async fn disable(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(endpoint_id): Path<String>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    switch(&state, &session, &endpoint_id, false).await
}

async fn test(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(endpoint_id): Path<String>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let id = id_of(&endpoint_id, session.language)?;
    match app::webhooks::send_test(&state, session.organiser.id, id).await {
        Ok(_) => {
            Ok(see_other_saying(&state, &format!("{LIST}/{id}"), &i18n::word(session.language, "d_hook_test_sent")))
        }
        Err(AppError::EndpointDisabled) => {
            Ok(see_other_saying(&state, LIST, &i18n::word(session.language, "d_hook_enable_first")))
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

/// Asks before removing an endpoint and its log, naming its address.
async fn confirm_delete(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(endpoint_id): Path<String>,
) -> Result<Response, PageError> {
    let id = id_of(&endpoint_id, session.language)?;
    let endpoint = app::webhooks::find(&state, session.organiser.id, id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let say = |key: &str| i18n::word(session.language, key).replace("{url}", &endpoint.url);
    Ok(super::confirm::page(
        &session,
        &super::confirm::Confirmation {
            question: say("d_confirm_hook_delete_question"),
            reach: say("d_confirm_hook_delete_reach"),
            details: vec![say("d_confirm_hook_delete_instead")],
            action: format!("{LIST}/{id}/delete"),
            fields: Vec::new(),
            button: say("d_confirm_hook_delete_button"),
            danger: true,
            back_url: LIST.to_owned(),
            back_label: i18n::word(session.language, "d_hook_back"),
            back_top: Some(i18n::word(session.language, "d_hook_back")),
            back_to_form: None,
        },
    ))
}

async fn delete(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(endpoint_id): Path<String>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let id = id_of(&endpoint_id, session.language)?;
    app::webhooks::delete(&state, session.organiser.id, id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(see_other_saying(&state, LIST, &i18n::word(session.language, "d_hook_deleted")))
}

#[derive(Serialize)]
struct DeliveryRow {
    at: String,
    kind: String,
    status: &'static str,
    status_label: String,
    response_status: Option<i32>,
    duration_ms: Option<i32>,
    attempts: i32,
    error: Option<String>,
    resend_url: Option<String>,
}

#[derive(Serialize)]
struct LogPage {
    endpoint: EndpointRow,
    deliveries: Vec<DeliveryRow>,
    back: &'static str,
    flash: Option<String>,
}

/// The endpoint's deliveries of the last 30 days, newest first.
async fn log(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(endpoint_id): Path<String>,
) -> Result<Response, PageError> {
    let id = id_of(&endpoint_id, session.language)?;
    let failed = |e| PageError::from(e).in_language(session.language);
    let endpoint = app::webhooks::find(&state, session.organiser.id, id).await.map_err(failed)?;
    let deliveries = app::webhooks::log(&state, session.organiser.id, id).await.map_err(failed)?;
    let deliveries = deliveries
        .into_iter()
        .map(|d| {
            let status = d.status.as_str();
            let kind = WebhookType::parse(&d.event_type).map_or(d.event_type.clone(), |t| type_label(&session, t));
            DeliveryRow {
                at: d.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                kind,
                status,
                status_label: i18n::word(session.language, &format!("d_hook_status_{status}")),
                response_status: d.response_status,
                duration_ms: d.duration_ms,
                attempts: d.attempts,
                error: d.last_error,
                resend_url: (status != "pending" && status != "sending")
                    .then(|| format!("{LIST}/{id}/deliveries/{}/resend", d.message_id)),
            }
        })
        .collect();
    let page = LogPage { endpoint: row(&session, endpoint), deliveries, back: LIST, flash: session.flash.clone() };
    Ok(session.page("dashboard/webhook_log.html", StatusCode::OK, &page))
}

async fn resend(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path((endpoint_id, message_id)): Path<(String, String)>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let id = id_of(&endpoint_id, session.language)?;
    let message = id_of(&message_id, session.language)?;
    match app::webhooks::resend(&state, session.organiser.id, id, message).await {
        Ok(_) => Ok(see_other_saying(&state, &format!("{LIST}/{id}"), &i18n::word(session.language, "d_hook_resent"))),
        Err(AppError::EndpointDisabled) => {
            Ok(see_other_saying(&state, LIST, &i18n::word(session.language, "d_hook_enable_first")))
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}
