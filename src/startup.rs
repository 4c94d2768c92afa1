//! Building and running the application: one place wires settings, database
//! and router, so `convive serve` and the tests start the very same thing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use crate::clock::Clock;
use crate::config::Settings;
use crate::http::{self, AppState};
use crate::storage::{self, Db};

pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Opens the database, applies migrations and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Clock::system()).await
    }

    pub async fn build_with_clock(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let db = connect_and_migrate(&settings).await?;
        let listener =
            TcpListener::bind(settings.bind).await.with_context(|| format!("cannot listen on {}", settings.bind))?;
        Ok(Self { listener, state: AppState { db, settings: Arc::new(settings), clock } })
    }

    /// # Panics
    /// Never in practice: a bound TCP listener always has a local address.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// Serves until SIGTERM or Ctrl-C, then lets in-flight requests finish
    /// within the configured grace period.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    pub async fn run_until(self, stop: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let grace = Duration::from_secs(self.state.settings.shutdown_grace_seconds);
        let db = self.state.db.clone();
        tracing::info!(address = %self.local_addr(), "convive is listening");
        let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(self.listener, http::router(self.state)).with_graceful_shutdown(async move {
            stop.await;
            tracing::info!("shutting down: finishing in-flight requests");
            let _ = stopping_tx.send(());
        });
        let server = tokio::spawn(async move { server.await });
        // Once the stop is signalled, the grace period starts.
        let outcome = tokio::select! {
            result = server => result.context("the server task failed")?.context("the server failed"),
            () = async { let _ = stopping_rx.await; tokio::time::sleep(grace).await } => {
                tracing::warn!("in-flight requests did not finish within {grace:?}; stopping anyway");
                Ok(())
            }
        };
        db.close().await.context("cannot close the database")?;
        tracing::info!("stopped");
        outcome
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

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
