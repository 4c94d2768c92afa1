//! HTTP: the organiser API, the guest API and pages, calendar files and
//! feeds, probes and the OpenAPI document.
pub mod assets;
pub mod calendar;
pub mod check_in;
pub mod dashboard;
pub mod events;
pub mod extract;
pub mod guest_data;
pub mod guest_lists;
pub mod guests;
pub mod health;
pub mod inbound;
pub mod invitations;
pub mod metrics;
pub mod on_response;
pub mod openapi;
pub mod organiser;
pub mod pages;
pub mod rate_limit;
pub mod render_cache;
pub mod request_scope;
pub mod series;
pub mod series_defaults;
pub mod series_team;
pub mod team;
pub mod unsubscribe;
pub mod views;
pub mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower::ServiceBuilder;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::error::ApiError;
use rate_limit::RateLimit;

/// What every handler can reach: the application layer's context.
pub type AppState = crate::app::App;

/// The whole OpenAPI document, as served at `/api/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented_api(&RateLimit::off(), &render_cache::Layer::default()).1
}

/// The documented routes, and their document with the answers they share.
fn documented_api(limit: &RateLimit, cached: &render_cache::Layer) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut document) = api_router(limit, cached).split_for_parts();
    openapi::SharedResponses.modify(&mut document);
    (router, document)
}

/// The documented routes. Those reached with a secret token (a guest's
/// invitation, an unsubscribe link, a feed) go through the rate limit.
/// Event reads and feeds may be answered from memory (`cached`).
fn api_router(limit: &RateLimit, cached: &render_cache::Layer) -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(cached.around_documented(events::router()))
        .merge(guests::router())
        .merge(guest_lists::router())
        .merge(series::router())
        .merge(series_defaults::router())
        .merge(series_team::router())
        .merge(check_in::router())
        .merge(team::router())
        .merge(limit.api(invitations::router()))
        .merge(limit.api(guest_data::guest_router()))
        .merge(guest_data::organiser_router())
        .merge(organiser::router())
        .merge(calendar::api_router())
        .merge(webhooks::router())
        .merge(inbound::router());
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .nest("/api/v1", v1)
        .merge(health::router())
        .merge(limit.api(unsubscribe::router()))
        .merge(limit.api(cached.around_documented(calendar::router())))
}

/// The guest pages and calendar files, rate-limited too, and answered
/// from memory when read again (`cached`).
fn pages_router(limit: &RateLimit, cached: &render_cache::Layer) -> Router<AppState> {
    limit
        .pages(
            cached.around(
                Router::new()
                    .merge(pages::invitation::router())
                    .merge(pages::my_data::router())
                    .merge(pages::open_event::router())
                    .merge(calendar::files_router()),
            ),
        )
        // The dashboard's sign-in pages take an address or a one-time link,
        // and the first run's setup page a code.
        .merge(limit.pages(dashboard::login::router()))
        .merge(limit.pages(dashboard::team::accept_router()))
        .merge(limit.pages(dashboard::setup::router()))
}

/// Largest request body: a bulk guest list of 1000 rows fits with room to spare.
const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// How long a request may take, body read and answer included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// # Panics
/// Never: the OpenAPI document is made of strings, numbers and maps with
/// string keys, which always serialise.
pub fn router(state: AppState) -> Router {
    let limit = RateLimit::new(&state.settings);
    limit.spawn_cleanup();
    let cached = render_cache::Layer::new(&state);
    let (router, openapi) = documented_api(&limit, &cached);
    // Written once: the JSON is a few hundred kilobytes, the structure behind
    // it several megabytes that nothing reads after this.
    let document = axum::body::Bytes::from(serde_json::to_vec(&openapi).expect("the OpenAPI document is JSON"));
    drop(openapi);
    let document = move || {
        let document = document.clone();
        async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], document) }
    };
    router
        .route("/api/openapi.json", axum::routing::get(document))
        // The API reference, served from the binary: it works offline.
        .merge(SwaggerUi::new("/api/docs").config(
            Config::new(["/api/openapi.json"]).use_base_layout().validator_url("none").try_it_out_enabled(true),
        ))
        .merge(pages_router(&limit, &cached))
        .merge(dashboard::router())
        .merge(assets::router())
        .merge(metrics::router())
        .fallback(|| async { ApiError::NotFound("route") })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        // One stack around each route (and the fallback), where the matched
        // route pattern is known: each `Router::layer` call wraps every route
        // in a boxed service of its own, cloned for every request.
        .layer(
            ServiceBuilder::new()
                // Browsers get error pages, API clients the JSON shape
                // (a timeout's too: it is answered by the scope inside).
                .layer(pages::ErrorPagesLayer)
                .layer(request_scope::RequestScopeLayer::new(Arc::clone(&state.metrics), REQUEST_TIMEOUT))
                // Enforced by the extractors, so an oversized body gets the JSON error shape.
                .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES)),
        )
        .with_state(state)
}
