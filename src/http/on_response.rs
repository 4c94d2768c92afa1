//! The future shared by the layers that act on a route's response once it
//! is ready (request metrics, browser error pages): each says what it does
//! through [`OnResponse`], without boxing the route or its future.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::response::Response;
use pin_project_lite::pin_project;

/// What a layer does with the response, from what it kept of the request.
pub trait OnResponse {
    fn on_response(self, response: Response) -> Response;
}

pin_project! {
    /// The route's future, then `then` applied to its response (if any:
    /// a layer with nothing to do keeps `None`).
    pub struct OnResponseFuture<F, T> {
        #[pin]
        inner: F,
        then: Option<T>,
    }
}

impl<F, T> OnResponseFuture<F, T> {
    pub fn new(inner: F, then: Option<T>) -> Self {
        Self { inner, then }
    }
}

impl<F, E, T> Future for OnResponseFuture<F, T>
where
    F: Future<Output = Result<Response, E>>,
    T: OnResponse,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let response = ready!(this.inner.poll(cx))?;
        Poll::Ready(Ok(match this.then.take() {
            Some(then) => then.on_response(response),
            None => response,
        }))
    }
}
