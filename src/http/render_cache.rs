//! Rendered answers kept in memory: a guest's page, her `.ics`, the public
//! event page, the calendar feeds and the API's event read are asked for
//! far more often than what they show changes. A handler opts in by putting
//! [`Cacheable`] on its `200`; the next identical GET is answered from here
//! while the data's generation ([`crate::storage::changes`]) has not moved
//! and the answer's time has not run out, and a conditional GET whose `ETag`
//! matches gets a `304` without rendering or reading anything.
//!
//! The key is the whole request as far as an answer can depend on it: the
//! path with its query, the languages asked for, and the credentials (the
//! bearer key, the cookies). Nothing else is read by the handlers that opt in.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::{Ready, ready};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use futures::future::{BoxFuture, Either};
use sha2::{Digest, Sha256};

use super::AppState;

/// The longest an answer is kept, whatever it says: text that depends on
/// the time ("answers close tomorrow") is at most this late.
const LONGEST: Duration = Duration::seconds(60);

/// The largest answer kept: a feed of many events is rendered each time.
const LARGEST_BODY: usize = 256 * 1024;

/// Put on a `200` response by a handler whose answer depends only on the
/// request's key, the data and the time: kept until `until` at most (the
/// next deadline, start or end that changes what it says).
#[derive(Clone, Copy, Debug)]
pub struct Cacheable {
    pub until: Option<DateTime<Utc>>,
}

impl Cacheable {
    /// Kept for as long as the data does not change (and [`LONGEST`]).
    pub const WHILE_UNCHANGED: Self = Self { until: None };

    /// Kept no later than the first of `instants` still to come.
    pub fn until_next(now: DateTime<Utc>, instants: impl IntoIterator<Item = DateTime<Utc>>) -> Self {
        Self { until: instants.into_iter().filter(|at| *at > now).min() }
    }
}

struct Kept {
    generation: u64,
    until: DateTime<Utc>,
    etag: HeaderValue,
    headers: HeaderMap,
    body: Bytes,
}

/// A request's key, digested.
type Key = [u8; 32];

/// The kept answers, within a budget of bytes.
#[derive(Default)]
pub struct RenderCache {
    /// By the SHA-256 of the request's key: no token or API key is kept.
    entries: RwLock<HashMap<Key, Arc<Kept>>>,
    bytes: AtomicUsize,
    budget: usize,
}

impl RenderCache {
    /// A cache of at most `budget` bytes of bodies; 0 keeps nothing.
    pub fn new(budget: usize) -> Self {
        Self { budget, ..Self::default() }
    }

    fn get(&self, key: &Key, generation: u64, now: DateTime<Utc>) -> Option<Arc<Kept>> {
        let entries = self.entries.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.get(key).filter(|kept| kept.generation == generation && now < kept.until).cloned()
    }

    fn keep(&self, key: Key, kept: Kept, generation: u64, now: DateTime<Utc>) {
        let size = kept.body.len() + key.len();
        let mut entries = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.bytes.load(Ordering::Relaxed) + size > self.budget {
            // Out of room: the stale go first, then a quarter of the budget's
            // worth, taken in the map's own (arbitrary) order.
            entries.retain(|_, kept| kept.generation == generation && now < kept.until);
            let mut total: usize = entries.iter().map(|(key, kept)| key.len() + kept.body.len()).sum();
            let room = self.budget / 4 * 3;
            entries.retain(|key, kept| {
                if total + size <= room {
                    return true;
                }
                total -= key.len() + kept.body.len();
                false
            });
            self.bytes.store(total, Ordering::Relaxed);
        }
        if size > self.budget {
            return;
        }
        if let Some(old) = entries.insert(key, Arc::new(kept)) {
            self.bytes.fetch_sub(old.body.len() + key.len(), Ordering::Relaxed);
        }
        self.bytes.fetch_add(size, Ordering::Relaxed);
    }
}

/// The middleware's state: the app (its clock and data generation) and
/// the cache; none where nothing is kept (the OpenAPI document's routes).
#[derive(Clone, Default)]
pub struct Layer(Option<Arc<(AppState, RenderCache)>>);

impl Layer {
    /// The cache of `app`, with the budget from its settings.
    pub fn new(app: &AppState) -> Self {
        let megabytes = usize::try_from(app.settings.render_cache_megabytes).unwrap_or(usize::MAX);
        Self(Some(Arc::new((app.clone(), RenderCache::new(megabytes.saturating_mul(1 << 20))))))
    }

    /// Put around a router whose handlers may opt in: inside its rate
    /// limit, so that an answer from memory still counts.
    pub fn around<S: Clone + Send + Sync + 'static>(&self, router: axum::Router<S>) -> axum::Router<S> {
        router.layer(self.clone())
    }

    /// The same, for a documented router.
    pub fn around_documented<S: Clone + Send + Sync + 'static>(
        &self,
        router: utoipa_axum::router::OpenApiRouter<S>,
    ) -> utoipa_axum::router::OpenApiRouter<S> {
        router.layer(self.clone())
    }
}

impl<S> tower::Layer<S> for Layer {
    type Service = Cached<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Cached { inner, shared: self.0.clone() }
    }
}

/// A route behind the cache. A plain tower service rather than
/// `axum::middleware::from_fn`, which boxes and clones the route on every
/// request: an answer from memory is ready at once, with no future boxed.
#[derive(Clone)]
pub struct Cached<S> {
    inner: S,
    shared: Option<Arc<(AppState, RenderCache)>>,
}

type Answered = Result<Response, Infallible>;

impl<S> tower::Service<Request> for Cached<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Ready<Answered>, Either<S::Future, BoxFuture<'static, Answered>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let shared = match &self.shared {
            Some(shared) if shared.1.budget > 0 && request.method() == Method::GET => Arc::clone(shared),
            _ => return Either::Right(Either::Left(self.inner.call(request))),
        };
        let key = key_of(&request);
        // Taken before anything is read: a write committed while the handler
        // reads leaves what it rendered already stale.
        let (app, cache) = &*shared;
        let generation = app.db.generation();
        let now = app.now();
        if let Some(kept) = cache.get(&key, generation, now) {
            return Either::Left(ready(Ok(answer(&kept, request.headers()))));
        }
        let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
        let rendering = self.inner.call(request);
        Either::Right(Either::Right(Box::pin(async move {
            let response = rendering.await?;
            Ok(keep(&shared.1, Seen { key, generation, now, if_none_match }, response).await)
        })))
    }
}

/// What was seen of a request the cache could not answer.
struct Seen {
    key: Key,
    generation: u64,
    now: DateTime<Utc>,
    if_none_match: Option<HeaderValue>,
}

/// Keeps what the handler rendered if it opted in, and answers with it.
async fn keep(cache: &RenderCache, seen: Seen, response: Response) -> Response {
    let Some(cacheable) = response.extensions().get::<Cacheable>().copied() else {
        return response;
    };
    let size = response.body().size_hint().exact();
    if response.status() != StatusCode::OK
        || response.headers().contains_key(header::SET_COOKIE)
        || size.is_none_or(|size| size > LARGEST_BODY as u64)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, LARGEST_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = parts.headers.get(header::ETAG).cloned().unwrap_or_else(|| etag_of(&body));
    parts.headers.insert(header::ETAG, etag.clone());
    let Seen { key, generation, now, if_none_match } = seen;
    let until = cacheable.until.map_or(now + LONGEST, |until| until.min(now + LONGEST));
    let kept = Kept { generation, until, etag, headers: parts.headers.clone(), body: body.clone() };
    cache.keep(key, kept, generation, now);
    if if_none_match.is_some_and(|tags| matches(&tags, &parts.headers[header::ETAG])) {
        return not_modified(&parts.headers);
    }
    Response::from_parts(parts, Body::from(body))
}

/// What identifies an answer: everything in the request a handler that
/// opts in may read.
fn key_of(request: &Request) -> Key {
    let headers = request.headers();
    let mut digest = Sha256::new();
    digest.update(request.uri().path_and_query().map_or("", |p| p.as_str()));
    for name in [header::ACCEPT_LANGUAGE, header::AUTHORIZATION, header::COOKIE] {
        digest.update(b"\n");
        digest.update(headers.get(name).map_or(&[][..], HeaderValue::as_bytes));
    }
    digest.finalize().into()
}

fn answer(kept: &Kept, request_headers: &HeaderMap) -> Response {
    if request_headers.get(header::IF_NONE_MATCH).is_some_and(|tags| matches(tags, &kept.etag)) {
        return not_modified(&kept.headers);
    }
    let mut response = Response::new(Body::from(kept.body.clone()));
    *response.headers_mut() = kept.headers.clone();
    response
}

/// A `304` carries the validators and caching headers of the `200`.
fn not_modified(headers: &HeaderMap) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    for name in [header::ETAG, header::LAST_MODIFIED, header::CACHE_CONTROL, header::VARY] {
        if let Some(value) = headers.get(&name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    response
}

fn matches(tags: &HeaderValue, etag: &HeaderValue) -> bool {
    let (Ok(tags), Ok(etag)) = (tags.to_str(), etag.to_str()) else {
        return false;
    };
    tags.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

fn etag_of(body: &[u8]) -> HeaderValue {
    let digest = hex::encode(Sha256::digest(body));
    HeaderValue::from_str(&format!("\"{}\"", &digest[..32])).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Key {
        Sha256::digest(text).into()
    }

    fn kept(generation: u64, until: DateTime<Utc>, body: &'static str) -> Kept {
        Kept {
            generation,
            until,
            etag: etag_of(body.as_bytes()),
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn an_answer_is_kept_for_its_generation_and_until_its_time() {
        let cache = RenderCache::new(1024);
        let now = Utc::now();
        cache.keep(key("a"), kept(1, now + Duration::seconds(10), "page"), 1, now);
        assert!(cache.get(&key("a"), 1, now).is_some());
        assert!(cache.get(&key("a"), 2, now).is_none(), "the data changed");
        assert!(cache.get(&key("a"), 1, now + Duration::seconds(10)).is_none(), "its time ran out");
        assert!(cache.get(&key("b"), 1, now).is_none());
    }

    #[test]
    fn the_budget_is_kept_by_dropping_the_stale_first() {
        let cache = RenderCache::new(80);
        let now = Utc::now();
        let later = now + Duration::seconds(30);
        cache.keep(key("old"), kept(1, later, "0123456789"), 1, now);
        cache.keep(key("new"), kept(2, later, "0123456789"), 2, now);
        assert!(cache.get(&key("new"), 2, now).is_some());
        assert!(cache.entries.read().unwrap().get(&key("old")).is_none());
        cache.keep(key("huge"), kept(2, later, "012345678901234567890123456789012345678901234567890123456789"), 2, now);
        assert!(cache.get(&key("huge"), 2, now).is_none(), "larger than the whole budget");
        assert!(cache.bytes.load(Ordering::Relaxed) <= 80);
    }

    #[test]
    fn an_etag_matches_as_http_says() {
        let etag = HeaderValue::from_static("\"abc\"");
        assert!(matches(&HeaderValue::from_static("\"abc\""), &etag));
        assert!(matches(&HeaderValue::from_static("W/\"abc\", \"x\""), &etag));
        assert!(matches(&HeaderValue::from_static("*"), &etag));
        assert!(!matches(&HeaderValue::from_static("\"abd\""), &etag));
    }
}
