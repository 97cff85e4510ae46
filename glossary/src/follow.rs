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
//!
//! # Index cache
//! A server given an index cache directory keeps there a snapshot of its
//! lookup index ([`crate::index::snapshot`], the format sled servers keep
//! in their data directory) whose position is the change-feed position
//! the index reflects. The snapshot is filed under the database's store
//! id ([`PgBackend::store_id`]): `<cache>/pg-<store id>/index.snapshot`,
//! so a cache of another database is never found, and one cache directory
//! can serve several databases; the directory also holds the id in a file
//! (`store-id`), so a directory copied or renamed under another store's
//! name is refused. At open the snapshot is decoded first,
//! then the lease registers its position (which holds back pruning) if
//! the feed still holds every change after it; the glossary then replays
//! the feed from there before it opens. Anything else (no snapshot, a
//! decode error, a feed pruned past it) rebuilds from the store.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::index::snapshot as index_snapshot;
use crate::indexes::ConceptIndexes;
use crate::mining::MiningQueue;
use crate::model::ConceptId;
use crate::store::feed::{FeedReader, Lease};
use crate::store::postgres::PgBackend;
use crate::store::{Store, StoreLocation, StoreOptions, Tree};
use crate::tm::TranslationMemory;

/// File of an index cache directory naming the store it belongs to.
pub(crate) const STORE_ID_FILE: &str = "store-id";

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
    /// With `index_cache` (PostgreSQL only; see the module docs), also
    /// returns the cached snapshot to start from, or why there is none:
    /// the follower then starts at the snapshot's position.
    pub(crate) fn open(
        location: &StoreLocation,
        options: &StoreOptions,
        index_cache: Option<&Path>,
    ) -> Result<(Store, Option<Follower>, Option<IndexCache>)> {
        Ok(match location {
            StoreLocation::Dir(_) => (location.open(options)?, None, None),
            StoreLocation::Postgres(url) => {
                let backend = Arc::new(PgBackend::connect(url)?);
                let mut cache = index_cache.map(|root| IndexCache::load(root, &backend)).transpose()?;
                let from = cache.as_ref().and_then(|c| c.loaded.as_ref().ok()).map(|d| d.position);
                let from = from.map(|p| i64::try_from(p).unwrap_or(i64::MAX));
                let (lease, position, from_snapshot) = Lease::open(backend.clone(), from)?;
                if let (Some(cache), Some(from), false) = (cache.as_mut(), from, from_snapshot) {
                    cache.loaded = Err(format!(
                        "the change feed no longer holds every change after the index cache's position {from} \
                         (pruned past it, or the position is beyond the feed's newest, {position})"
                    ));
                }
                let owner = lease.id();
                let store = Store::with_backend(backend.clone(), options)?;
                let reader = Mutex::new(FeedReader::new(backend.clone(), position));
                let (applied, lease) = (AtomicI64::new(position), Mutex::new(lease));
                (store, Some(Follower { backend, reader, applied, lease, owner }), cache)
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
        Ok(self.apply_counting(timeout, store, indexes, tm, mining)?.0)
    }

    /// [`Follower::apply_changes`], also returning how many change rows
    /// were applied.
    pub(crate) fn apply_counting(
        &self,
        timeout: Duration,
        store: &Store,
        indexes: &ConceptIndexes,
        tm: &TranslationMemory,
        mining: &MiningQueue,
    ) -> Result<(FeedPosition, usize)> {
        let mut reader = self.reader.lock().unwrap_or_else(PoisonError::into_inner);
        reader.wait(timeout)?;
        let mut count = 0;
        loop {
            let batch = reader.next_batch(FEED_BATCH)?;
            for (tree, key) in &batch {
                apply_change(*tree, key, store, indexes, tm, mining)?;
            }
            count += batch.len();
            if (batch.len() as i64) < FEED_BATCH {
                break;
            }
        }
        self.applied.store(reader.position(), Ordering::Release);
        self.lease.lock().unwrap_or_else(PoisonError::into_inner).tick(reader.position())?;
        Ok((FeedPosition { applied: reader.position() }, count))
    }

    /// The last position applied to the in-memory indexes: every change
    /// up to it is reflected in them.
    pub(crate) fn applied(&self) -> i64 {
        self.applied.load(Ordering::Acquire)
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

/// The index cache of a PostgreSQL store, as found at open.
pub(crate) struct IndexCache {
    /// Where this store's snapshot lives: `<cache>/pg-<store id>`.
    pub(crate) dir: PathBuf,
    /// The snapshot to start from, or why there is none to use.
    pub(crate) loaded: std::result::Result<index_snapshot::Decoded, String>,
}

impl IndexCache {
    /// Finds (creating the directory and its `store-id` file) and decodes
    /// the snapshot of `backend`'s store under cache root `root`.
    fn load(root: &Path, backend: &PgBackend) -> Result<IndexCache> {
        let id = backend.store_id()?;
        let dir = root.join(format!("pg-{id}"));
        let io = |e: std::io::Error| Error::Storage(format!("index cache {}: {e}", dir.display()));
        std::fs::create_dir_all(&dir).map_err(io)?;
        let tag = dir.join(STORE_ID_FILE);
        let found = match std::fs::read_to_string(&tag) {
            Ok(found) => Some(found.trim().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(e)),
        };
        let loaded = if found.as_deref() != Some(id.as_str()) {
            // A new directory, or one of another store copied or renamed
            // here: its snapshot (derived data) goes, and the directory is
            // tagged as this store's (temporary file, synced, renamed).
            match std::fs::remove_file(index_snapshot::path_in(&dir)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
                _ => {}
            }
            let tmp = dir.join(format!("{STORE_ID_FILE}.tmp"));
            std::fs::write(&tmp, &id).map_err(io)?;
            std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(io)?;
            std::fs::rename(&tmp, &tag).map_err(io)?;
            Err(match found {
                None => format!("no index snapshot in the cache {}", dir.display()),
                Some(other) => {
                    format!("the index cache {} belonged to store {other:?}, not to this one", dir.display())
                }
            })
        } else {
            match index_snapshot::load(&dir) {
                Ok(Some(decoded)) => Ok(decoded),
                Ok(None) => Err(format!("no index snapshot in the cache {}", dir.display())),
                Err(e) => Err(format!("the cached index snapshot cannot be used: {e}")),
            }
        };
        Ok(IndexCache { dir, loaded })
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

#[cfg(test)]
mod tests;
