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
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::Client;

use super::backend::Tree;
use super::postgres::PgBackend;
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
