//! Building and running the application: one place wires settings, database,
//! router, scheduler and mail dispatcher, so `convive serve` and the tests
//! start the very same thing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

use crate::app::App;
use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::token::{SecretKey, SetupCode};
use crate::http;
use crate::mail::dispatch::{DispatchReport, Dispatcher};
use crate::mail::transport::Mailer;
use crate::scheduler;
use crate::storage::{self, Db, outbox};
use crate::webhooks::dispatch::{WebhookDispatcher, WebhookReport};

/// Which parts a process runs. `serve` runs all three; several processes on
/// one PostgreSQL may split them (`--no-scheduler`, `--no-dispatcher`,
/// `--workers-only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    pub http: bool,
    pub scheduler: bool,
    pub dispatcher: bool,
}

impl Default for Parts {
    fn default() -> Self {
        Self { http: true, scheduler: true, dispatcher: true }
    }
}

pub struct Application {
    listener: Option<TcpListener>,
    state: App,
    parts: Parts,
    /// This process's standing as a dispatcher, when it runs one.
    claimant: Option<outbox::Claimant>,
    /// The code this process printed for the first-run setup page, if the
    /// instance had no organiser when it started.
    setup_code: Option<SetupCode>,
}

impl Application {
    /// Opens the database, applies migrations and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with(settings, Clock::system(), Parts::default()).await
    }

    pub async fn build_with(settings: Settings, clock: Clock, parts: Parts) -> anyhow::Result<Self> {
        let db = connect_and_migrate(&settings).await?;
        let link_key = link_key(&settings, &db).await?;
        // Before serving: mail a crashed run left half-sent is back in the
        // queue by the time this process says it is ready.
        let claimant = if parts.dispatcher {
            let (claimant, returned) = outbox::become_claimant(&db).await.context("cannot register the dispatcher")?;
            if returned > 0 {
                tracing::info!(returned, "emails a previous run was sending when it stopped are back in the queue");
            }
            Some(claimant)
        } else {
            None
        };
        let listener = if parts.http {
            Some(
                TcpListener::bind(settings.bind)
                    .await
                    .with_context(|| format!("cannot listen on {}", settings.bind))?,
            )
        } else {
            None
        };
        let state = App::new(db, Arc::new(settings), clock, link_key, Arc::new(Notify::new()));
        let setup_code = if parts.http { announce(&state).await? } else { None };
        Ok(Self { listener, state, parts, claimant, setup_code })
    }

    /// The setup code this process printed, while the instance has no organiser.
    pub fn setup_code(&self) -> Option<&str> {
        self.setup_code.as_ref().map(SetupCode::as_str)
    }

    /// # Panics
    /// When the application was built without HTTP.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.as_ref().and_then(|l| l.local_addr().ok()).expect("a bound listener has an address")
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// What this application's `/metrics` exports (the test harness runs
    /// its dispatcher and scheduler against the same registry).
    pub fn metrics(&self) -> Arc<crate::metrics::Metrics> {
        Arc::clone(&self.state.metrics)
    }

    /// Serves until SIGTERM or Ctrl-C, then lets in-flight requests and
    /// emails finish within the configured grace period.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    pub async fn run_until(self, stop: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let state = self.state;
        let grace = Duration::from_secs(state.settings.shutdown_grace_seconds);
        let (stopping_tx, stopping_rx) = watch::channel(false);

        let dispatcher = if let Some(claimant) = self.claimant {
            let mailer = Mailer::from_settings(&state.settings)?;
            let dispatcher = Dispatcher::new(
                state.db.clone(),
                claimant,
                mailer,
                Arc::clone(&state.settings),
                state.link_key.clone(),
                state.clock.clone(),
                Arc::clone(&state.metrics),
            )?;
            let interval = Duration::from_secs(state.settings.scheduler_interval_seconds);
            Some(tokio::spawn(run_dispatcher(dispatcher, state.mail_waker(), interval, stopping_rx.clone())))
        } else {
            None
        };
        // Webhooks go out from every process that sends mail, in a loop of
        // their own: an endpoint that takes its 10 s holds no email back.
        let hooks = if dispatcher.is_some() {
            let webhooks = WebhookDispatcher::new(
                state.db.clone(),
                Arc::clone(&state.settings),
                state.clock.clone(),
                Arc::clone(&state.metrics),
            )?;
            let interval = Duration::from_secs(state.settings.scheduler_interval_seconds);
            // Inbound mail not processed on arrival is tried again here too.
            let inbound = tokio::spawn(run_inbound(state.clone(), interval, stopping_rx.clone()));
            Some((tokio::spawn(run_webhooks(webhooks, state.hook_waker(), interval, stopping_rx.clone())), inbound))
        } else {
            None
        };
        let imap = dispatcher.as_ref().and_then(|_| spawn_imap(&state, stopping_rx.clone()));
        let mut scheduler = if self.parts.scheduler {
            Some(
                scheduler::start(
                    state.db.clone(),
                    state.clock.clone(),
                    Duration::from_secs(state.settings.scheduler_interval_seconds),
                    state.settings.digest_hour_utc,
                    state.mail_waker(),
                    Arc::clone(&state.metrics),
                )
                .await?,
            )
        } else {
            None
        };

        let db = state.db.clone();
        // The pages kept rendered must see other processes' writes too.
        let watcher = self.listener.as_ref().map(|_| db.watch_other_processes());
        let server = match self.listener {
            Some(listener) => {
                tracing::info!(address = %listener.local_addr()?, "convive is listening");
                let header_timeout = Duration::from_secs(state.settings.http_header_timeout_seconds);
                let router = http::router(state);
                Some(tokio::spawn(serve(listener, router, header_timeout, stopping_rx.clone())))
            }
            None => None,
        };

        stop.await;
        tracing::info!("shutting down: finishing in-flight requests and emails");
        let _ = stopping_tx.send(true);
        if let Some(scheduler) = scheduler.as_mut() {
            let _ = scheduler.shutdown().await;
        }
        let mut server = server;
        let mut dispatcher = dispatcher;
        let (mut hooks, mut imap) = (hooks, imap);
        let finish = async {
            if let Some(server) = server.as_mut() {
                server.await.context("the server task failed")?;
            }
            if let Some(dispatcher) = dispatcher.as_mut() {
                dispatcher.await.context("the dispatcher task failed")?;
            }
            if let Some((hooks, inbound)) = hooks.as_mut() {
                hooks.await.context("the webhook task failed")?;
                inbound.await.context("the inbound mail task failed")?;
            }
            if let Some(imap) = imap.as_mut() {
                imap.await.context("the IMAP task failed")?;
            }
            anyhow::Ok(())
        };
        let outcome = if let Ok(outcome) = tokio::time::timeout(grace, finish).await {
            outcome
        } else {
            // Stop the tasks before closing the pool under them; emails they
            // held return to the queue when their leases run out.
            tracing::warn!("work did not finish within {grace:?}; stopping anyway (leases return unsent mail)");
            let hooks = hooks.iter().flat_map(|(hooks, inbound)| [hooks, inbound]);
            for task in server.iter().chain(dispatcher.iter()).chain(hooks).chain(imap.iter()) {
                task.abort();
            }
            Ok(())
        };
        watcher.iter().for_each(tokio::task::JoinHandle::abort);
        db.close().await.context("cannot close the database")?;
        tracing::info!("stopped");
        outcome
    }
}

/// Serves HTTP/1.1 on `listener` until `stopping`, then stops accepting and
/// waits for the connections: idle ones close at once, requests in flight
/// finish (as `axum::serve` with graceful shutdown, which this replaces
/// because it sets no timer and so no header-read timeout).
///
/// A client must send each request's headers within `header_timeout` of
/// the connection opening or of the previous response; hyper closes the
/// connection otherwise. That bounds both a slowloris client and an idle
/// keep-alive connection. Reading the body and answering are bounded by
/// the router's request timeout.
async fn serve(
    mut listener: TcpListener,
    router: axum::Router,
    header_timeout: Duration,
    mut stopping: watch::Receiver<bool>,
) {
    use axum::extract::ConnectInfo;
    use axum::serve::Listener;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt as _;

    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(header_timeout).keep_alive(true);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        let (stream, peer) = tokio::select! {
            // `accept` retries (and logs) failures itself, as `axum::serve`.
            accepted = Listener::accept(&mut listener) => accepted,
            _ = stopping.wait_for(|stopping| *stopping) => break,
        };
        // What `into_make_service_with_connect_info` did: the peer address,
        // for the rate limiter.
        let service = router.clone().map_request(move |mut request: axum::http::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request.map(axum::body::Body::new)
        });
        let connection =
            graceful.watch(builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                // A header timeout, a client gone mid-request…: the client's doing.
                tracing::debug!(%peer, error = %err, "connection closed");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Drains the outbox whenever woken (mail queued by this process, or the
/// scheduler's tick) and at least every `interval`. A batch in progress is
/// always finished before stopping.
async fn run_dispatcher(
    dispatcher: Dispatcher,
    waker: Arc<Notify>,
    interval: Duration,
    mut stopping: watch::Receiver<bool>,
) {
    loop {
        let flag = stopping.clone();
        let keep_going = move || !*flag.borrow();
        match dispatcher.dispatch_due(&keep_going).await {
            Ok(report) if report != DispatchReport::default() => tracing::info!(?report, "outbox drained"),
            Ok(_) => {}
            Err(err) => tracing::error!(error = format!("{err:#}"), "dispatch failed; retrying at the next tick"),
        }
        tokio::select! {
            () = waker.notified() => {}
            () = tokio::time::sleep(interval) => {}
            _ = stopping.wait_for(|stopping| *stopping) => return,
        }
    }
}

/// Sends due webhooks whenever woken (webhooks queued by this process) and
/// at least every `interval` (retries, other processes' rows). A batch in
/// progress is finished before stopping.
async fn run_webhooks(
    webhooks: WebhookDispatcher,
    waker: Arc<Notify>,
    interval: Duration,
    mut stopping: watch::Receiver<bool>,
) {
    loop {
        let flag = stopping.clone();
        let keep_going = move || !*flag.borrow();
        match webhooks.dispatch_due(&keep_going).await {
            Ok(report) if report != WebhookReport::default() => tracing::info!(?report, "webhooks sent"),
            Ok(_) => {}
            Err(err) => {
                tracing::error!(error = format!("{err:#}"), "webhook dispatch failed; retrying at the next tick");
            }
        }
        tokio::select! {
            () = waker.notified() => {}
            () = tokio::time::sleep(interval) => {}
            _ = stopping.wait_for(|stopping| *stopping) => return,
        }
    }
}

/// The IMAP door, if configured, in a process that sends mail (several
/// such processes only race to mark the same messages, harmlessly).
fn spawn_imap(state: &App, stopping: watch::Receiver<bool>) -> Option<tokio::task::JoinHandle<()>> {
    let imap = crate::mail::inbound::imap::ImapSettings::from_settings(&state.settings)?;
    Some(tokio::spawn(crate::mail::inbound::imap::run(state.clone(), Arc::new(imap), stopping)))
}

async fn run_inbound(app: crate::app::App, interval: Duration, mut stopping: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stopping.wait_for(|stopping| *stopping) => return,
        }
        if let Err(err) = crate::app::inbound::process_due(&app).await {
            tracing::error!(error = format!("{err:#}"), "inbound mail processing failed; retrying at the next tick");
        }
    }
}

/// What a serving process tells the others and the operator: it records its
/// public URL (for the command line's links) and, while no organiser
/// exists, prints a setup code for the first-run page.
async fn announce(state: &App) -> anyhow::Result<Option<SetupCode>> {
    let public_url = state.settings.public_url.as_str().trim_end_matches('/');
    storage::instance::record_public_url(&*state.db, public_url).await?;
    if !state.settings.public_url_configured && state.settings.bind.ip().is_unspecified() {
        tracing::warn!(
            public_url,
            "listening on every address, but CONVIVE_PUBLIC_URL is not set: links in emails point to this machine alone"
        );
    }
    let code = crate::app::setup::issue_code(state).await.context("cannot issue a setup code")?;
    if let Some(code) = &code {
        let code = code.as_str();
        tracing::warn!(
            setup_code = code,
            "no organiser yet: open {public_url}/setup?code={code} to create the first one (setup code {code}; \
             it works once, until an organiser exists)"
        );
    }
    Ok(code)
}

/// The configured secret key, or the one kept in the database.
pub async fn link_key(settings: &Settings, db: &Db) -> anyhow::Result<SecretKey> {
    match &settings.secret_key {
        Some(key) => SecretKey::from_base64(key.expose_secret()).map_err(|e| anyhow::anyhow!("secret_key: {e}")),
        None => storage::secrets::link_key(db).await,
    }
}

/// Connects to the configured database and brings its schema up to date.
pub async fn connect_and_migrate(settings: &Settings) -> anyhow::Result<Db> {
    let url = settings.database_url.expose_secret();
    let db = storage::connect(url, settings.database_pool_size).await?;
    storage::migrate(&db).await?;
    tracing::info!(database = %storage::redact(url), "database ready");
    Ok(db)
}

/// SIGTERM or Ctrl-C. The handlers are installed when this is called, not
/// when the future is first polled: a SIGTERM sent right after the server
/// says it listens must stop it gracefully, not kill it.
fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
            (Ok(terminate), Ok(interrupt)) => Some((terminate, interrupt)),
            (Err(err), _) | (_, Err(err)) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM or Ctrl-C");
                None
            }
        }
    };
    async move {
        #[cfg(unix)]
        match signals {
            Some((mut terminate, mut interrupt)) => {
                tokio::select! {
                    _ = terminate.recv() => {},
                    _ = interrupt.recv() => {},
                }
            }
            None => std::future::pending::<()>().await,
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
