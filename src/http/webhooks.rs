//! Organiser API: webhook endpoints (the secret shown once, at creation),
//! their delivery log, "send again" and "send a test event".

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Json, Path};
use crate::app;
use crate::app::webhooks::EndpointInput;
use crate::domain::webhook::WebhookType;
use crate::error::{ErrorBody, Result};
use crate::storage::entities::webhook_deliveries::{DeliveryStatus, Model as Delivery};
use crate::storage::webhooks::Endpoint;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_endpoints, create_endpoint))
        .routes(routes!(get_endpoint, update_endpoint, delete_endpoint))
        .routes(routes!(list_deliveries))
        .routes(routes!(send_test))
        .routes(routes!(resend))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointView {
    id: Uuid,
    url: String,
    event_types: Vec<WebhookType>,
    enabled: bool,
    /// Why it is disabled: `organiser` (by you), `gone` (it answered 410) or
    /// `failing` (a day of failures).
    disabled_reason: Option<String>,
    /// Since when it has been failing, if it is.
    failing_since: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl From<Endpoint> for EndpointView {
    fn from(e: Endpoint) -> Self {
        Self {
            id: e.id,
            url: e.url,
            event_types: e.types,
            enabled: e.enabled,
            disabled_reason: e.disabled_reason,
            failing_since: e.failing_since,
            created_at: e.created_at,
        }
    }
}

/// A new endpoint, with the secret its receiver verifies signatures with.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedEndpointView {
    #[serde(flatten)]
    endpoint: EndpointView,
    /// `whsec_…`: shown this once; keep it in your receiver.
    secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointList {
    endpoints: Vec<EndpointView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEndpointRequest {
    /// Where to POST: `https://` (`http://` only if the operator allows it).
    url: String,
    /// The event types to send; default: all of them.
    event_types: Option<Vec<String>>,
    /// The language of the email telling you if it gets disabled (`fr` or `en`; default `fr`).
    language: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEndpointRequest {
    url: Option<String>,
    event_types: Option<Vec<String>>,
    /// `false` stops deliveries; `true` starts them again (with a fresh day before a failing one is disabled).
    enabled: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// The `webhook-id` header, without its `msg_` prefix.
    message_id: Uuid,
    event_type: String,
    status: DeliveryStatus,
    attempts: i32,
    /// The endpoint's last answer, if it answered.
    response_status: Option<i32>,
    /// Its first kilobyte.
    response_body: Option<String>,
    duration_ms: Option<i32>,
    last_error: Option<String>,
    last_attempt_at: Option<DateTime<Utc>>,
    /// When it is (or was) due next.
    due_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        Self {
            message_id: d.message_id,
            event_type: d.event_type,
            status: d.status,
            attempts: d.attempts,
            response_status: d.response_status,
            response_body: d.response_body,
            duration_ms: d.duration_ms,
            last_error: d.last_error,
            last_attempt_at: d.last_attempt_at,
            due_at: d.due_at,
            created_at: d.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    deliveries: Vec<DeliveryView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TestSent {
    message_id: Uuid,
}

/// Your webhook endpoints.
#[utoipa::path(get, path = "/webhooks", tag = "webhooks", security(("api_key" = [])),
    responses((status = 200, description = "Your endpoints, oldest first", body = EndpointList)))]
async fn list_endpoints(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
) -> Result<Json<EndpointList>> {
    let endpoints = app::webhooks::list(&state, organiser.id).await?;
    Ok(Json(EndpointList { endpoints: endpoints.into_iter().map(EndpointView::from).collect() }))
}

/// Register an endpoint. The answer carries its signing secret, shown only this once.
#[utoipa::path(post, path = "/webhooks", tag = "webhooks", security(("api_key" = [])),
    request_body = CreateEndpointRequest,
    responses(
        (status = 201, description = "Registered; keep the secret", body = CreatedEndpointView),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn create_endpoint(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Json(request): Json<CreateEndpointRequest>,
) -> Result<(StatusCode, Json<CreatedEndpointView>)> {
    let input =
        EndpointInput { url: Some(request.url), types: request.event_types, enabled: None, language: request.language };
    let created = app::webhooks::create(&state, organiser.id, &input).await?;
    Ok((StatusCode::CREATED, Json(CreatedEndpointView { endpoint: created.endpoint.into(), secret: created.secret })))
}

/// One endpoint.
#[utoipa::path(get, path = "/webhooks/{endpoint_id}", tag = "webhooks", security(("api_key" = [])),
    params(("endpoint_id" = Uuid, Path, description = "The endpoint")),
    responses(
        (status = 200, description = "The endpoint", body = EndpointView),
        (status = 404, description = "No such endpoint of yours", body = ErrorBody),
    ))]
async fn get_endpoint(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(endpoint_id): Path<Uuid>,
) -> Result<Json<EndpointView>> {
    Ok(Json(app::webhooks::find(&state, organiser.id, endpoint_id).await?.into()))
}

/// Change an endpoint's URL or event types, or disable and enable it.
#[utoipa::path(patch, path = "/webhooks/{endpoint_id}", tag = "webhooks", security(("api_key" = [])),
    params(("endpoint_id" = Uuid, Path, description = "The endpoint")),
    request_body = UpdateEndpointRequest,
    responses(
        (status = 200, description = "The endpoint, changed", body = EndpointView),
        (status = 404, description = "No such endpoint of yours", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
async fn update_endpoint(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(endpoint_id): Path<Uuid>,
    Json(request): Json<UpdateEndpointRequest>,
) -> Result<Json<EndpointView>> {
    let input =
        EndpointInput { url: request.url, types: request.event_types, enabled: request.enabled, language: None };
    Ok(Json(app::webhooks::update(&state, organiser.id, endpoint_id, &input).await?.into()))
}

/// Remove an endpoint and its delivery log.
#[utoipa::path(delete, path = "/webhooks/{endpoint_id}", tag = "webhooks", security(("api_key" = [])),
    params(("endpoint_id" = Uuid, Path, description = "The endpoint")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such endpoint of yours", body = ErrorBody),
    ))]
async fn delete_endpoint(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(endpoint_id): Path<Uuid>,
) -> Result<StatusCode> {
    app::webhooks::delete(&state, organiser.id, endpoint_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The endpoint's deliveries of the last 30 days, newest first.
#[utoipa::path(get, path = "/webhooks/{endpoint_id}/deliveries", tag = "webhooks", security(("api_key" = [])),
    params(("endpoint_id" = Uuid, Path, description = "The endpoint")),
    responses(
        (status = 200, description = "The delivery log", body = DeliveryList),
        (status = 404, description = "No such endpoint of yours", body = ErrorBody),
    ))]
async fn list_deliveries(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(endpoint_id): Path<Uuid>,
) -> Result<Json<DeliveryList>> {
    let deliveries = app::webhooks::log(&state, organiser.id, endpoint_id).await?;
    Ok(Json(DeliveryList { deliveries: deliveries.into_iter().map(DeliveryView::from).collect() }))
}

/// Send a `webhook.test` event to the endpoint now.
#[utoipa::path(post, path = "/webhooks/{endpoint_id}/test", tag = "webhooks", security(("api_key" = [])),
    params(("endpoint_id" = Uuid, Path, description = "The endpoint")),
    responses(
        (status = 202, description = "Queued; see the delivery log", body = TestSent),
        (status = 404, description = "No such endpoint of yours", body = ErrorBody),
        (status = 409, description = "The endpoint is disabled", body = ErrorBody),
    ))]
async fn send_test(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path(endpoint_id): Path<Uuid>,
) -> Result<(StatusCode, Json<TestSent>)> {
    let message_id = app::webhooks::send_test(&state, organiser.id, endpoint_id).await?;
    Ok((StatusCode::ACCEPTED, Json(TestSent { message_id })))
}

/// Send a delivery again, with the same id and body and a fresh set of attempts.
#[utoipa::path(post, path = "/webhooks/{endpoint_id}/deliveries/{message_id}/resend", tag = "webhooks",
    security(("api_key" = [])),
    params(("endpoint_id" = Uuid, Path, description = "The endpoint"),
           ("message_id" = Uuid, Path, description = "The delivery's message id")),
    responses(
        (status = 202, description = "Queued again", body = DeliveryView),
        (status = 404, description = "No such delivery of yours", body = ErrorBody),
        (status = 409, description = "The endpoint is disabled", body = ErrorBody),
    ))]
async fn resend(
    State(state): State<AppState>,
    AuthenticatedOrganiser(organiser): AuthenticatedOrganiser,
    Path((endpoint_id, message_id)): Path<(Uuid, Uuid)>,
) -> Result<(StatusCode, Json<DeliveryView>)> {
    let delivery = app::webhooks::resend(&state, organiser.id, endpoint_id, message_id).await?;
    Ok((StatusCode::ACCEPTED, Json(delivery.into())))
}
