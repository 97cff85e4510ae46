//! Following a shared store: a glossary on PostgreSQL keeps a
//! [`Follower`] of the store's change feed and applies every key other
//! servers (or this one) changed to its in-memory state: the concept
//! indexes, the TM index and the mining queue's listing order. What it
//! updates comes as arguments; it owns only the feed reader and the
//! position reached.
//!
//! # Locks
//! The reader's mutex is held for a whole [`Follower::apply_changes`];
//! under it each change takes the locks of the one feature it touches
//! (the concept indexes, the TM index, the mining listing), one at a time.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::indexes::ConceptIndexes;
use crate::mining::MiningQueue;
use crate::model::ConceptId;
use crate::store::feed::{FeedReader, Lease};
use crate::store::postgres::PgBackend;
use crate::store::{Store, StoreLocation, StoreOptions, Tree};
use crate::tm::TranslationMemory;

/// Changes read from the feed per query.
const FEED_BATCH: i64 = 1000;

/// Where [`crate::Glossary::apply_changes`] got to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedPosition {
    /// The last change applied to the in-memory indexes.
    pub applied: i64,
}

/// The change feed as one server sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedStatus {
    /// The last change applied to this server's in-memory indexes.
    pub applied: i64,
    /// The last change committed to the store by any server.
    pub latest: i64,
}

/// A shared store's change feed and how far this glossary has applied it.
pub(crate) struct Follower {
    backend: Arc<PgBackend>,
    reader: Mutex<FeedReader>,
    /// The reader's position after the last [`Follower::apply_changes`]
    /// (readable while a call waits).
    applied: AtomicI64,
    /// This server's lease: liveness for the job sweep, applied position
    /// for pruning `changes`.
    lease: Mutex<Lease>,
    /// The lease id (recorded as the owner of this server's jobs).
    owner: i32,
}

impl Follower {
    /// Opens the store at `location`, with a follower of its change feed
    /// when other servers may write to it (PostgreSQL). The feed position
    /// is taken (with the lease) before the caller builds its indexes, so
    /// whatever other servers commit meanwhile is replayed, and not pruned.
    pub(crate) fn open(location: &StoreLocation, options: &StoreOptions) -> Result<(Store, Option<Follower>)> {
        Ok(match location {
            StoreLocation::Dir(_) => (location.open(options)?, None),
            StoreLocation::Postgres(url) => {
                let backend = Arc::new(PgBackend::connect(url)?);
                let (lease, position) = Lease::open(backend.clone())?;
                let owner = lease.id();
                let store = Store::with_backend(backend.clone(), options)?;
                let reader = Mutex::new(FeedReader::new(backend.clone(), position));
                let (applied, lease) = (AtomicI64::new(position), Mutex::new(lease));
                (store, Some(Follower { backend, reader, applied, lease, owner }))
            }
        })
    }

    /// Waits up to `timeout` for writes committed through the shared
    /// store, then brings the concept indexes, the TM index and the mining
    /// listing in line with every change after the last position applied.
    /// One caller at a time does the work; others wait for it.
    pub(crate) fn apply_changes(
        &self,
        timeout: Duration,
        store: &Store,
        indexes: &ConceptIndexes,
        tm: &TranslationMemory,
        mining: &MiningQueue,
    ) -> Result<FeedPosition> {
        let mut reader = self.reader.lock().unwrap_or_else(PoisonError::into_inner);
        reader.wait(timeout)?;
        loop {
            let batch = reader.next_batch(FEED_BATCH)?;
            for (tree, key) in &batch {
                apply_change(*tree, key, store, indexes, tm, mining)?;
            }
            if (batch.len() as i64) < FEED_BATCH {
                break;
            }
        }
        self.applied.store(reader.position(), Ordering::Release);
        self.lease.lock().unwrap_or_else(PoisonError::into_inner).tick(reader.position())?;
        Ok(FeedPosition { applied: reader.position() })
    }

    /// This server's lease id, recorded as the owner of its jobs.
    pub(crate) fn owner(&self) -> i32 {
        self.owner
    }

    /// Whether lease `owner` (a server sharing this store) is live.
    pub(crate) fn lease_live(&self, owner: i32) -> Result<bool> {
        self.backend.lease_live(owner)
    }

    /// The position the indexes have caught up to and the latest one in
    /// the store.
    pub(crate) fn status(&self) -> Result<FeedStatus> {
        let applied = self.applied.load(Ordering::Acquire);
        Ok(FeedStatus { applied, latest: self.backend.feed_position()? })
    }
}

/// Brings the in-memory state touched by one changed key in line with the
/// store.
fn apply_change(
    tree: Tree,
    key: &[u8],
    store: &Store,
    indexes: &ConceptIndexes,
    tm: &TranslationMemory,
    mining: &MiningQueue,
) -> Result<()> {
    match tree {
        Tree::Concepts => {
            let id = std::str::from_utf8(key)
                .ok()
                .and_then(|k| ConceptId::new(k).ok())
                .ok_or_else(|| Error::Corrupt(format!("the change feed names a malformed concept id {key:?}")))?;
            indexes.refresh(store, &id)
        }
        Tree::TmUnits => tm.refresh(crate::store::be_u64(key, "tm unit key")?),
        Tree::MiningCandidates | Tree::MiningIds | Tree::MiningRejections => {
            mining.queue_changed_elsewhere();
            Ok(())
        }
        Tree::Meta | Tree::TmPairs | Tree::MiningRuns | Tree::Jobs | Tree::History => Ok(()),
    }
}
