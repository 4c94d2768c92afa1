//! The data's generation: a number that moves whenever the database may
//! have changed, so that what was read or rendered under an older one is
//! known to be stale (the render caches of the guest pages, calendars and
//! feeds are keyed by it).
//!
//! It moves after every write transaction of this process commits, after
//! every write statement run outside one, and, for writes by other
//! processes, when SQLite's `PRAGMA data_version` moves (polled on a
//! connection of its own) or when PostgreSQL's triggers notify
//! `convive_changed` (migration `m20261208_000050`). A reader takes the
//! generation *before* it reads, so a write that commits while it reads
//! leaves its result already stale.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::sqlx::{self, Connection};
use sea_orm::{DatabaseBackend, DatabaseConnection};
use tokio::task::JoinHandle;

/// How often another process's writes to an SQLite file are looked for.
const SQLITE_POLL: Duration = Duration::from_millis(250);

/// The channel PostgreSQL's triggers notify on.
pub const CHANNEL: &str = "convive_changed";

/// A shared, ever-increasing generation number.
#[derive(Clone, Debug, Default)]
pub struct Generation(Arc<AtomicU64>);

impl Generation {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Something may have changed: everything read before is stale.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

/// Whether a statement may write: anything but a plain read, and a `WITH`
/// that holds an `INSERT`, `UPDATE` or `DELETE` (a needless bump costs a
/// cache miss, a missed one a stale page).
pub fn may_write(sql: &str) -> bool {
    let head = sql.trim_start().get(..6).unwrap_or("");
    if head.eq_ignore_ascii_case("SELECT") || head.eq_ignore_ascii_case("PRAGMA") {
        return false;
    }
    if !head.get(..4).unwrap_or("").eq_ignore_ascii_case("WITH") {
        return true;
    }
    sql.split(|c: char| !c.is_ascii_alphabetic())
        .any(|word| ["INSERT", "UPDATE", "DELETE", "REPLACE"].iter().any(|verb| word.eq_ignore_ascii_case(verb)))
}

/// Watches for other processes' writes until the task is aborted; with
/// the connection lost, it bumps the generation (it cannot know what it
/// missed) and connects again.
pub fn watch_other_processes(conn: &DatabaseConnection, generation: Generation) -> JoinHandle<()> {
    let conn = conn.clone();
    tokio::spawn(async move {
        loop {
            let stopped = match conn.get_database_backend() {
                DatabaseBackend::Sqlite => poll_sqlite(&conn, &generation).await,
                _ => listen_postgres(&conn, &generation).await,
            };
            if let Err(err) = stopped {
                tracing::warn!(error = %err, "lost sight of other processes' writes; trying again");
            }
            generation.bump();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
}

async fn poll_sqlite(conn: &DatabaseConnection, generation: &Generation) -> Result<(), sqlx::Error> {
    let options = conn.get_sqlite_connection_pool().connect_options();
    let mut own = sqlx::SqliteConnection::connect_with(&options).await?;
    let mut seen: i64 = sqlx::query_scalar("PRAGMA data_version").fetch_one(&mut own).await?;
    let mut every = tokio::time::interval(SQLITE_POLL);
    loop {
        every.tick().await;
        let now: i64 = sqlx::query_scalar("PRAGMA data_version").fetch_one(&mut own).await?;
        if now != seen {
            seen = now;
            generation.bump();
        }
    }
}

async fn listen_postgres(conn: &DatabaseConnection, generation: &Generation) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(conn.get_postgres_connection_pool()).await?;
    listener.listen(CHANNEL).await?;
    // What changed while nobody listened is unknown.
    generation.bump();
    loop {
        listener.recv().await?;
        generation.bump();
    }
}

#[cfg(test)]
mod tests {
    use super::may_write;

    #[test]
    fn reads_are_told_from_writes() {
        assert!(!may_write("SELECT 1"));
        assert!(!may_write("  select * from events"));
        assert!(!may_write("PRAGMA data_version"));
        assert!(!may_write(r#"WITH seen AS (SELECT "updated_at" FROM events) SELECT * FROM seen"#));
        for sql in ["INSERT INTO t", "UPDATE t SET", "DELETE FROM t", "WITH x AS (UPDATE t) SELECT 1", ""] {
            assert!(may_write(sql), "{sql}");
        }
    }
}
