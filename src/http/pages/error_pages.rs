//! The layer that answers a browser's error with a page: an error in the
//! API's JSON shape (or with no body, as a timeout) becomes an error page in
//! her language when a browser asked. Headers that tell what to do next
//! (`Allow`, `Retry-After`, `WWW-Authenticate`) are kept, and so is the
//! request id.
//!
//! Written as a plain tower layer rather than `axum::middleware::from_fn`,
//! which boxes and clones the route on every request: this runs around every
//! route, and a request that succeeds should cost it nothing but a look at
//! whether it sent `Accept`.

use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

use super::{PageError, browser_language, prefers_html};
use crate::http::on_response::{OnResponse, OnResponseFuture};
use crate::http::request_scope::X_REQUEST_ID;

#[derive(Clone, Copy, Debug, Default)]
pub struct ErrorPagesLayer;

impl<S> tower::Layer<S> for ErrorPagesLayer {
    type Service = ErrorPages<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ErrorPages { inner }
    }
}

#[derive(Clone, Debug)]
pub struct ErrorPages<S> {
    inner: S,
}

impl<S> tower::Service<Request> for ErrorPages<S>
where
    S: tower::Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = OnResponseFuture<S::Future, Asked>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // Only a client that sent `Accept` can prefer HTML. Its two headers
        // are kept (the values are shared, not copied) and read only if an
        // error comes back.
        let asked = request.headers().contains_key(header::ACCEPT).then(|| {
            let mut asked = HeaderMap::with_capacity(2);
            for name in [header::ACCEPT, header::ACCEPT_LANGUAGE] {
                for value in request.headers().get_all(&name) {
                    asked.append(name.clone(), value.clone());
                }
            }
            Asked(asked)
        });
        OnResponseFuture::new(self.inner.call(request), asked)
    }
}

/// The two headers that choose an error page, kept from the request.
pub struct Asked(HeaderMap);

impl OnResponse for Asked {
    fn on_response(self, response: Response) -> Response {
        page_for(response, &self.0)
    }
}

/// The page a browser gets instead of `response`, or `response` itself.
fn page_for(response: Response, asked: &HeaderMap) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || !prefers_html(asked) {
        return response;
    }
    let json_or_empty = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|content_type| content_type.starts_with("application/json"));
    if !json_or_empty {
        return response;
    }
    let mut page = PageError::for_status(status).in_language(browser_language(asked)).into_response();
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE, X_REQUEST_ID.clone()] {
        if let Some(value) = response.headers().get(&name) {
            page.headers_mut().insert(name, value.clone());
        }
    }
    page
}
