//! The stylesheets every page links to, served from the binary. Each URL
//! carries a hash of the file's content, so a browser keeps it for a year
//! (a guest opening three pages downloads it once) and a new release, whose
//! file has another hash, is fetched at once. Pages stay small: the guest
//! page was two thirds stylesheet when it was inline.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::AppState;
use crate::error::ApiError;

struct Asset {
    /// Its URL path: `/static/<stem>.<hash>.css`.
    url: String,
    body: &'static str,
}

impl Asset {
    fn new(stem: &str, body: &'static str) -> Self {
        let hash = hex::encode(&Sha256::digest(body.as_bytes())[..6]);
        Self { url: format!("/static/{stem}.{hash}.css"), body }
    }
}

struct Assets {
    pages: Asset,
    dashboard: Asset,
}

static ASSETS: LazyLock<Assets> = LazyLock::new(|| Assets {
    pages: Asset::new("pages", include_str!("../../static/pages.css")),
    dashboard: Asset::new("dashboard", include_str!("../../static/dashboard.css")),
});

/// The URLs templates link to, as `assets.pages_css` and `assets.dashboard_css`:
/// our own paths, marked safe so they are not written as `&#x2f;static…`.
pub fn urls() -> minijinja::Value {
    [("pages_css", &ASSETS.pages.url), ("dashboard_css", &ASSETS.dashboard.url)]
        .into_iter()
        .map(|(name, url)| (name, minijinja::Value::from_safe_string(url.clone())))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into()
}

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{file}", axum::routing::get(stylesheet))
}

/// A stylesheet by its hashed name; an old hash is unknown, never another
/// version under the same name.
async fn stylesheet(Path(file): Path<String>) -> Response {
    let path = format!("/static/{file}");
    let Some(asset) = [&ASSETS.pages, &ASSETS.dashboard].into_iter().find(|asset| asset.url == path) else {
        return ApiError::NotFound("route").into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        asset.body,
    )
        .into_response()
}
