//! Storage: sea-orm on SQLite (the embedded default) or PostgreSQL. Rows become
//! domain values here and nowhere else.
pub mod activity;
pub mod answers;
pub mod attendance;
mod built_once;
pub mod changes;
pub mod check_in;
pub mod community;
pub mod entities;
pub mod error;
pub mod events;
pub mod guest_data;
pub mod guests;
pub mod imports;
pub mod inbound;
pub mod instance;
pub mod invitations;
pub mod organisers;
pub mod outbox;
pub mod plan_slots;
pub mod registrations;
pub mod secrets;
pub mod series;
pub mod sessions;
pub mod team;
pub mod unsubscribes;
pub mod webhooks;
mod writer;

use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DbErr};

pub use changes::Generation;
pub use error::{Constraint, Missing, Result, StorageError};
pub use writer::{GroupUndone, WriteTransaction, begin_grouped_write, begin_write};

/// The connection pool, plus, on SQLite, the one connection that writes and
/// the turn every writer of this process waits for ([`writer`]). Reads go
/// straight to the pool (through `Deref`), which on SQLite stays small:
/// sqlx runs each SQLite connection on its own thread, and more threads
/// than cores spend the CPU handing work between them.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
    /// SQLite's writing connection; PostgreSQL writes through the pool.
    writer: Option<DatabaseConnection>,
    writer_turn: Option<Arc<writer::WriterTurn>>,
    statements: Arc<AtomicU64>,
    generation: Generation,
}

impl Deref for Db {
    type Target = DatabaseConnection;

    fn deref(&self) -> &DatabaseConnection {
        &self.conn
    }
}

impl Db {
    /// Statements run through this pool since it opened (transaction
    /// control not included): what the hot paths' budgets are counted in.
    pub fn statements_run(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// The data's generation: it moves whenever the database may have
    /// changed, here or in another process ([`changes`]).
    pub fn generation(&self) -> u64 {
        self.generation.current()
    }

    /// Starts watching other processes' writes (see [`changes`]); the
    /// task runs until aborted.
    pub fn watch_other_processes(&self) -> tokio::task::JoinHandle<()> {
        changes::watch_other_processes(&self.conn, self.generation.clone())
    }

    /// Whether a write transaction ([`begin_write`]) holds the whole
    /// database from its first statement (SQLite), so what it reads cannot
    /// change under it; PostgreSQL locks rows instead.
    pub fn writes_are_serialised(&self) -> bool {
        self.writer_turn.is_some()
    }

    /// The reading pool's connections: (in use, idle).
    pub fn pool_connections(&self) -> (u32, u32) {
        let (size, idle) = if self.conn.get_database_backend() == DatabaseBackend::Sqlite {
            let pool = self.conn.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        } else {
            let pool = self.conn.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        };
        let idle = u32::try_from(idle).unwrap_or(u32::MAX);
        (size.saturating_sub(idle), idle)
    }

    /// The connection writes go through.
    fn writer(&self) -> &DatabaseConnection {
        self.writer.as_ref().unwrap_or(&self.conn)
    }

    /// Closes the pool, waiting for connections in use to come back.
    pub async fn close(self) -> Result<(), DbErr> {
        if let Some(writer) = self.writer {
            writer.close().await?;
        }
        self.conn.close().await
    }
}

/// Opens the pool. On SQLite: WAL so readers never wait for the writer,
/// `synchronous=NORMAL` (durable across process crashes, which is what WAL
/// promises), a busy timeout so writers queue instead of failing, a pool of
/// `pool_size` readers and one more connection for the writer.
pub async fn connect(url: &str, pool_size: u32) -> anyhow::Result<Db> {
    let statements = Arc::new(AtomicU64::new(0));
    let generation = Generation::default();
    let conn = open(url, pool_size, &statements, &generation, None).await?;
    let (writer, writer_turn) = if conn.get_database_backend() == DatabaseBackend::Sqlite {
        let turn = writer::WriterTurn::default();
        let writer = open(url, 1, &statements, &generation, Some(turn.write_counter())).await?;
        (Some(writer), Some(Arc::new(turn)))
    } else {
        (None, None)
    };
    Ok(Db { conn, writer, writer_turn, statements, generation })
}

/// One pool of up to `size` connections, counting its statements (and its
/// writes, in `writes`) and moving the generation after each write.
async fn open(
    url: &str,
    size: u32,
    statements: &Arc<AtomicU64>,
    generation: &Generation,
    writes: Option<Arc<AtomicU64>>,
) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(size)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        // Shorter than the 30 s request timeout, so that a request finds out
        // the database is gone and answers, rather than timing out itself.
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // A connection to a file cannot be dropped by a server or a
        // firewall: pinging it at every checkout (sqlx's default) was a
        // round trip to its thread before every statement, for nothing.
        options.test_before_acquire(false);
    } else {
        // A PostgreSQL connection can be: ping only one idle long enough to
        // have been cut, not the hot ones.
        options.test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    options.map_sqlx_sqlite_opts(|opts| {
        opts.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .create_if_missing(true)
    });
    let mut conn =
        Database::connect(options).await.with_context(|| format!("cannot open the database at {}", redact(url)))?;
    let counter = Arc::clone(statements);
    let generation = generation.clone();
    conn.set_metric_callback(move |info| {
        counter.fetch_add(1, Ordering::Relaxed);
        // A write outside a transaction is committed by now; one inside is
        // bumped again at its commit.
        if changes::may_write(&info.statement.sql) {
            generation.bump();
            if let Some(writes) = &writes {
                writes.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    Ok(conn)
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("database migration failed")
}

/// The URL without its password, for logs and error messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// True when `err` is a unique-constraint violation.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
