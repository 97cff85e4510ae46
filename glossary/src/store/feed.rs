//! Reading the change feed of a PostgreSQL store (several servers on one
//! database keep their in-memory indexes in step with it).
//!
//! Every writing transaction adds one row per changed key to `changes` and
//! notifies `store::postgres::FEED_CHANNEL`, both at its commit (see `store::postgres`).
//! A [`FeedReader`] keeps a position (the last `seq` it handed out), waits
//! on a dedicated LISTEN connection for a notification (or a timeout, as a
//! safety net for a lost connection), then reads the rows after its
//! position in pages. No polling storm: an idle server does one cheap query
//! per timeout.

use std::sync::Arc;
use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use postgres::Client;

use super::backend::Tree;
use super::postgres::{report_applied, PgBackend};
use crate::error::Result;

/// A reader of the change feed, from a position on.
pub(crate) struct FeedReader {
    backend: Arc<PgBackend>,
    position: i64,
    /// The LISTEN connection; opened on first wait, dropped on failure.
    listener: Option<Client>,
}

impl Drop for FeedReader {
    /// Closes the LISTEN connection on a thread of its own (see the pool's
    /// `Drop` in `store::postgres`).
    fn drop(&mut self) {
        if let Some(client) = self.listener.take() {
            let _ = std::thread::Builder::new().name("pg-close".into()).spawn(move || drop(client));
        }
    }
}

impl FeedReader {
    /// A reader that hands out the changes after `position`.
    pub(crate) fn new(backend: Arc<PgBackend>, position: i64) -> FeedReader {
        FeedReader { backend, position, listener: None }
    }

    /// The last position handed out.
    pub(crate) fn position(&self) -> i64 {
        self.position
    }

    /// Waits until a change may have been committed since the last call,
    /// or `timeout` has passed. Pending notifications are all consumed.
    pub(crate) fn wait(&mut self, timeout: Duration) -> Result<()> {
        if self.listener.is_none() {
            // LISTEN before the caller reads, so no commit falls between.
            self.listener = Some(self.backend.listener()?);
            return Ok(());
        }
        let Some(client) = self.listener.as_mut() else { return Ok(()) };
        let failed = {
            let mut notes = client.notifications();
            let first = notes.timeout_iter(timeout).next().map(|_| ());
            first.is_err() || notes.iter().count().is_err()
        };
        if failed || client.is_closed() {
            self.listener = None;
            std::thread::sleep(timeout.min(Duration::from_millis(200)));
        }
        Ok(())
    }

    /// Up to `limit` changes after the position, in commit order, moving
    /// the position past them: (tree, key); a key may come more than once.
    pub(crate) fn next_batch(&mut self, limit: i64) -> Result<Vec<(Tree, Vec<u8>)>> {
        let rows = self.backend.changes_after(self.position, limit)?;
        if let Some(last) = rows.last() {
            self.position = last.0;
        }
        Ok(rows.into_iter().filter_map(|(_, tree, key)| Some((tree?, key))).collect())
    }
}

/// How often a server records the feed position it has applied.
const REPORT_EVERY: Duration = Duration::from_secs(5);
/// How often a server tries to prune `changes` (one prunes at a time).
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// A server's lease on a shared store: a connection holding an advisory
/// lock that marks the server live for as long as its session lasts
/// (`kill -9` ends it), and a `replicas` row with the feed position the
/// server has applied. Liveness scopes the start-up sweep of unfinished
/// jobs to jobs of servers that are gone; the applied positions bound the
/// pruning of `changes`.
pub(crate) struct Lease {
    backend: Arc<PgBackend>,
    id: i32,
    /// The lease connection; `None` after it was lost, until reopened.
    client: Option<Client>,
    reported: Instant,
    pruned: Instant,
}

impl Drop for Lease {
    /// Closes the lease connection on a thread of its own (see
    /// [`FeedReader`]'s `Drop`).
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = std::thread::Builder::new().name("pg-close".into()).spawn(move || drop(client));
        }
    }
}

impl Lease {
    /// Takes a new lease; returns it with the feed position the caller's
    /// indexes start from: `from` (an index snapshot's position) when the
    /// feed still holds every change after it (then `true`), else the
    /// position as of now, the one a rebuild from the store starts from.
    pub(crate) fn open(backend: Arc<PgBackend>, from: Option<i64>) -> Result<(Lease, i64, bool)> {
        let (client, id, position, from_snapshot) = backend.open_lease(None, from)?;
        let now = Instant::now();
        Ok((Lease { backend, id, client: Some(client), reported: now, pruned: now }, position, from_snapshot))
    }

    /// The lease id (recorded as the owner of this server's jobs).
    pub(crate) fn id(&self) -> i32 {
        self.id
    }

    /// Records `applied` when the last report is older than
    /// `REPORT_EVERY`, and prunes `changes` every `PRUNE_EVERY`. A lost
    /// lease connection is reopened with the same id (while it was lost,
    /// a server starting could have taken this server's running jobs for
    /// interrupted ones).
    pub(crate) fn tick(&mut self, applied: i64) -> Result<()> {
        if self.reported.elapsed() < REPORT_EVERY {
            return Ok(());
        }
        self.reported = Instant::now();
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = None;
            let (client, _, _, _) = self.backend.open_lease(Some(self.id), Some(applied))?;
            self.client = Some(client);
        }
        if let Some(client) = self.client.as_mut() {
            if let Err(e) = report_applied(client, self.id, applied) {
                self.client = None;
                return Err(e);
            }
        }
        if self.pruned.elapsed() >= PRUNE_EVERY {
            self.pruned = Instant::now();
            let pruned = self.backend.prune_changes()?;
            if pruned > 0 {
                log::info!("change feed: pruned {pruned} rows every live server has applied");
            }
        }
        Ok(())
    }
}
