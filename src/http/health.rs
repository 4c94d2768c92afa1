//! Liveness and readiness probes for load balancers and orchestrators.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz)).routes(routes!(readyz))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    status: &'static str,
}

/// The process is up. Touches nothing else, so it stays cheap: its answer
/// (a `Health`) is written once, here.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
async fn healthz() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], r#"{"status":"ok"}"#)
}

/// How long readiness waits for the database: a load balancer asks often and
/// wants an answer, not a request that hangs with the database.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

/// The process can serve: its database answers, within two seconds.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Health), (status = 503, description = "The database is unreachable", body = Health)))]
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    match tokio::time::timeout(READY_WITHIN, state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, Json(Health { status: "ok" })),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(Health { status: "database unreachable" }))
        }
        Err(_) => {
            tracing::warn!("readiness check failed: the database did not answer in time");
            (StatusCode::SERVICE_UNAVAILABLE, Json(Health { status: "database unreachable" }))
        }
    }
}
