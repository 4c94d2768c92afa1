//! SQLite's one writer, and the turn every writing transaction of this
//! process waits for. SQLite has one writer at a time anyway; queueing
//! them here, in order, beats letting them collide inside SQLite, whose
//! busy handler backs off with sleeps of up to 100 ms.
//!
//! Group commit. A transaction begun with [`begin_grouped_write`] does not
//! commit alone once its writes are done: it leaves itself open for the
//! next writer in the queue, who adds its own writes, and so on. The first
//! of them to get the turn back finds the group still open and commits it,
//! and each member then learns that its writes are in. One `BEGIN`, one
//! `COMMIT` and one return of the connection to the pool (which sqlx
//! follows with a round trip to the connection's thread) serve the whole
//! group, where every answer paid for all three while the others waited.
//!
//! A member that gives up with `rollback` before writing anything leaves
//! the group as it found it. One that fails after writing, or is dropped
//! (its request gone, perhaps in the middle of a statement, which then
//! runs all the same), undoes the whole group (a savepoint per member would
//! cost two more round trips each): the others are told with
//! [`GroupUndone`], and run again alone.
//!
//! PostgreSQL locks rows instead: its transactions neither queue nor group.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

use super::{Db, Generation, StorageError};

/// The most members one group gathers before it commits: each of them
/// waits for that commit to answer.
const MOST_MEMBERS: usize = 64;

/// This process's turn to write on SQLite, holding the open group's
/// transaction when one is left for the next writer.
#[derive(Default)]
pub(super) struct WriterTurn {
    open: Arc<Mutex<Option<OpenGroup>>>,
    /// Writing statements run on the writer's connection so far: how a
    /// member that fails knows whether it wrote. Counted by sea-orm's
    /// metric callback, which sees every statement but those sent with
    /// `execute_unprepared` (never used for that reason).
    writes: Arc<AtomicU64>,
    groups: AtomicU64,
}

impl fmt::Debug for WriterTurn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriterTurn").field("writes", &self.writes).finish_non_exhaustive()
    }
}

impl WriterTurn {
    /// The counter the writer's connection moves at each writing statement.
    pub(super) fn write_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.writes)
    }
}

/// A group's transaction, left open for the next writer.
struct OpenGroup {
    id: u64,
    tx: DatabaseTransaction,
    /// Members whose writes are done, waiting for the commit.
    done: usize,
    /// Set once the group ends: `true` committed, `false` undone.
    outcome: watch::Sender<Option<bool>>,
}

/// What a transaction knows of the group it belongs to.
struct Member {
    turn: OwnedMutexGuard<Option<OpenGroup>>,
    group: u64,
    done_before: usize,
    outcome: watch::Sender<Option<bool>>,
    writes: Arc<AtomicU64>,
    writes_before: u64,
}

/// A member's writes were undone with its group, by another member that
/// failed after writing: run them again, alone.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("another write of its group failed, and the group was undone")]
pub struct GroupUndone;

impl GroupUndone {
    fn into_error(self) -> StorageError {
        StorageError::Database(anyhow::Error::new(self))
    }
}

/// A transaction that writes; derefs to the sea-orm transaction.
pub struct WriteTransaction {
    /// Open until `commit` or `rollback` takes it.
    tx: Option<DatabaseTransaction>,
    /// The writer's turn, on SQLite, when not a group's member.
    turn: Option<OwnedMutexGuard<Option<OpenGroup>>>,
    /// What a member of a group knows of it, its turn included.
    member: Option<Member>,
    generation: Generation,
}

impl Deref for WriteTransaction {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        self.tx.as_ref().expect("a write transaction is open until it ends")
    }
}

/// Starts a transaction that will write. On SQLite it waits for this
/// process's writer turn (committing the group left open, if any), then
/// runs `BEGIN IMMEDIATE`, so the write lock is taken up front: another
/// process's writer waits out the busy timeout instead of failing with
/// `SQLITE_BUSY` when a read upgrades to a write.
pub async fn begin_write(db: &Db) -> Result<WriteTransaction, DbErr> {
    let Some(turn) = &db.writer_turn else {
        return Ok(WriteTransaction::alone(begin_immediate(&db.conn).await?, None, &db.generation));
    };
    let mut guard = Arc::clone(&turn.open).lock_owned().await;
    if let Some(group) = guard.take() {
        finish(group, &db.generation).await;
    }
    let tx = begin_immediate(db.writer()).await?;
    Ok(WriteTransaction::alone(tx, Some(guard), &db.generation))
}

/// Starts a transaction that will write, as a member of a group commit on
/// SQLite (joining the group left open, if any); as [`begin_write`]
/// elsewhere. Its `commit` returns once the whole group is committed.
///
/// A member refused before writing should end with `rollback`, which
/// passes the group on; dropped, it undoes the group.
pub async fn begin_grouped_write(db: &Db) -> Result<WriteTransaction, DbErr> {
    let Some(turn) = &db.writer_turn else {
        return begin_write(db).await;
    };
    let mut guard = Arc::clone(&turn.open).lock_owned().await;
    let group = match guard.take() {
        Some(group) if group.done < MOST_MEMBERS => group,
        full => {
            if let Some(full) = full {
                finish(full, &db.generation).await;
            }
            let (outcome, _) = watch::channel(None);
            let id = turn.groups.fetch_add(1, Ordering::Relaxed);
            OpenGroup { id, tx: begin_immediate(db.writer()).await?, done: 0, outcome }
        }
    };
    let member = Member {
        turn: guard,
        group: group.id,
        done_before: group.done,
        outcome: group.outcome,
        writes: Arc::clone(&turn.writes),
        writes_before: turn.writes.load(Ordering::Relaxed),
    };
    Ok(WriteTransaction { tx: Some(group.tx), turn: None, member: Some(member), generation: db.generation.clone() })
}

async fn begin_immediate(conn: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    conn.begin_with_options(options).await
}

/// Commits a group and tells its members. The commit runs on a task of its
/// own: a request dropped while it waits must not leave the others unsure
/// whether their writes are in.
async fn finish(group: OpenGroup, generation: &Generation) -> bool {
    let OpenGroup { tx, outcome, .. } = group;
    let generation = generation.clone();
    let committing = tokio::spawn(async move {
        let committed = match tx.commit().await {
            Ok(()) => true,
            Err(error) => {
                tracing::error!(%error, "a group of writes could not be committed");
                false
            }
        };
        if committed {
            generation.bump();
        }
        outcome.send_replace(Some(committed));
        committed
    });
    committing.await.unwrap_or(false)
}

/// Waits until a later writer commits the group, or until the turn comes
/// back with the group still open: nobody is left to join it, so it is
/// committed here. Returns how the group ended.
async fn wait_for_commit(
    mut outcome: watch::Receiver<Option<bool>>,
    open: Arc<Mutex<Option<OpenGroup>>>,
    group: u64,
    generation: Generation,
) -> Option<bool> {
    let turn = tokio::select! {
        biased;
        _ = outcome.wait_for(Option::is_some) => None,
        guard = open.lock_owned() => Some(guard),
    };
    if let Some(mut guard) = turn
        && let Some(group) = guard.take_if(|open| open.id == group)
    {
        return Some(finish(group, &generation).await);
    }
    // Taken by another writer, who ends it: most often already told, but a
    // writer dropped while its `finish` commits gives the turn back before
    // the commit's task says how it went.
    match outcome.wait_for(Option::is_some).await {
        Ok(ended) => *ended,
        // Never told (the process is stopping): not known to be in.
        Err(_) => None,
    }
}

impl WriteTransaction {
    fn alone(
        tx: DatabaseTransaction,
        turn: Option<OwnedMutexGuard<Option<OpenGroup>>>,
        generation: &Generation,
    ) -> Self {
        Self { tx: Some(tx), turn, member: None, generation: generation.clone() }
    }

    /// Commits; a member of a group returns once its group is committed,
    /// or fails with [`GroupUndone`].
    pub async fn commit(mut self) -> Result<(), StorageError> {
        // Taken only here and by `rollback`, both of which end it.
        let Some(tx) = self.tx.take() else {
            return Ok(());
        };
        let Some(member) = self.member.take() else {
            tx.commit().await?;
            drop(self.turn.take());
            self.generation.bump();
            return Ok(());
        };
        let mut guard = member.turn;
        let open = Arc::clone(OwnedMutexGuard::mutex(&guard));
        let outcome = member.outcome.subscribe();
        let group = OpenGroup { id: member.group, tx, done: member.done_before + 1, outcome: member.outcome };
        if group.done >= MOST_MEMBERS {
            let committed = finish(group, &self.generation).await;
            drop(guard);
            return if committed { Ok(()) } else { Err(GroupUndone.into_error()) };
        }
        *guard = Some(group);
        drop(guard);
        // Waits on a task of its own: should this request be dropped (its
        // client gone), the group must still be committed, not left open
        // with SQLite's write lock.
        let generation = self.generation.clone();
        let committed = tokio::spawn(wait_for_commit(outcome, open, member.group, generation)).await.unwrap_or(None);
        if committed == Some(true) { Ok(()) } else { Err(GroupUndone.into_error()) }
    }

    /// Undoes the transaction and gives back the writer's turn. A group's
    /// member passes its group on if it wrote nothing and others wait for
    /// it (none of its statements runs any more: they were all awaited);
    /// otherwise the group is undone.
    pub async fn rollback(mut self) -> Result<(), DbErr> {
        let Some(tx) = self.tx.take() else {
            return Ok(());
        };
        let Some(member) = self.member.take() else {
            return tx.rollback().await;
        };
        let wrote = member.writes.load(Ordering::Relaxed) != member.writes_before;
        if wrote || member.done_before == 0 {
            member.undo(tx);
        } else {
            let Member { mut turn, group, done_before, outcome, .. } = member;
            *turn = Some(OpenGroup { id: group, tx, done: done_before, outcome });
        }
        Ok(())
    }
}

impl Member {
    /// Ends the group undone: a dropped sea-orm transaction rolls back,
    /// before the turn (given back last) lets anyone begin.
    fn undo(self, tx: DatabaseTransaction) {
        self.outcome.send_replace(Some(false));
        drop(tx);
        drop(self.turn);
    }
}

impl Drop for WriteTransaction {
    /// A member dropped without its commit or rollback undoes its group: it
    /// may have been dropped while a statement of its was running, which
    /// SQLite's thread carries out all the same, and which the count of
    /// writes does not show yet.
    fn drop(&mut self) {
        if let (Some(member), Some(tx)) = (self.member.take(), self.tx.take()) {
            member.undo(tx);
        }
    }
}
