//! Durable storage: every persistent record of the crate, behind one seam.
//!
//! # The seam
//! [`Store`] holds an `Arc<dyn Backend>` ([`backend::Backend`]): point
//! reads, ordered prefix scans, one atomic transaction type
//! ([`backend::Txn`]) and a consistent visit of everything. The sled
//! implementation is `store/sled.rs` (the only file that names a sled
//! type); a PostgreSQL one plugs in through [`Store::with_backend`]. On top
//! of it, the typed operations of each kind of record live here and only
//! here, with their encoding (JSON values, big-endian numbers):
//! `concepts.rs` (the one concept-write path), `changes.rs` (the
//! change log derived data catches up from), `history.rs` (concept
//! change history), `tm.rs`, `mining.rs`, `jobs.rs`; `snapshot.rs` copies
//! and restores whole stores through the trait.
//!
//! # Layout
//! One keyspace per [`Tree`] (a sled tree, or rows of one PostgreSQL
//! table):
//!
//! | tree        | key                                               | value                  |
//! |-------------|---------------------------------------------------|------------------------|
//! | `meta`      | `schema_version`, `concept_count`, `tm_count`, `seeded_at`, `last_id.*`, `write_seq`, `changes_trimmed` | big-endian integers |
//! | `meta`      | `change.` + big-endian `u64` write sequence (the concept change log, `changes.rs`) | concept id |
//! | `concepts`  | concept id (UTF-8)                                 | JSON of [`Concept`]    |
//! | `history`   | concept id `0x00` (the entry counter) / concept id `0x00` big-endian `u64` entry number | `u64` / JSON of a history entry |
//! | `tm_units`  | unit id, big-endian `u64`                          | JSON of a TM unit      |
//! | `tm_pairs`  | FNV-1a 64 of the pair                              | unit ids (`u64` BE, concatenated) |
//! | `mining_candidates` | normalised key of a mined term             | JSON of `QueuedCandidate` |
//! | `mining_ids`        | candidate id (`k` + 16 hex digits)         | normalised key         |
//! | `mining_rejections` | normalised key                             | JSON of `Rejection`    |
//! | `mining_runs`       | run id, big-endian `u64`                   | JSON of `MiningRun`    |
//! | `jobs`              | job id, big-endian `u64`                   | JSON of `Job`          |
//!
//! # Migrations
//! [`SCHEMA_VERSION`] is the layout this build reads and writes. Version 1
//! had a `term_keys` tree (secondary keys of every term) that only import
//! matching read; version 2 answers that from the in-memory index and
//! drops the tree when a version-1 store is opened (then records version 2).
//!
//! # Ids
//! Concepts (`c1`, `c2`, ...), translation-memory units and mining runs get
//! small sequential numbers, one counter per kind ([`IdKind`]) in `meta`
//! under `last_id.<kind>` (the highest number issued). A counter is read
//! and bumped in the same transaction that stores the record, so a crash
//! or restart never makes ids jump; a transaction that aborts issues
//! nothing. When a counter is missing (a store written before counters
//! existed), opening the store starts it after the largest id already
//! stored. A counter or count record of the wrong size is reported as
//! [`Error::Corrupt`], never read as 0.
//!
//! # Durability
//! Every write is one transaction ([`Store::transact`]) over the trees it
//! touches, and returns only once the backend has made it durable. A write
//! that returned `Ok` survives `kill -9`; one that returned `Err` may or may
//! not have happened.

use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::model::{ConceptId, Timestamp};

pub(crate) mod backend;
pub(crate) mod changes;
pub(crate) mod concepts;
pub mod copy;
pub(crate) mod feed;
pub(crate) mod history;
pub(crate) mod jobs;
mod location;
pub(crate) mod mining;
pub mod postgres;
mod sled;
use self::sled::SledBackend;
pub mod snapshot;
pub(crate) mod tm;

pub(crate) use backend::{Backend, Tree, TxError, Txn};
pub use location::StoreLocation;

/// Version of the on-disk layout this build reads and writes.
pub const SCHEMA_VERSION: u32 = 2;

const META_SCHEMA: &[u8] = b"schema_version";
const META_SEEDED: &[u8] = b"seeded_at";

/// Records read per backend call when iterating a tree.
const PAGE: usize = 256;

/// Kinds of record numbered by their own counter (see "Ids" above).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdKind {
    /// Concepts created without an id of their own (`c` + number).
    Concept,
    /// Translation-memory units.
    TmUnit,
    /// Mining runs.
    MiningRun,
}

impl IdKind {
    const ALL: [IdKind; 3] = [IdKind::Concept, IdKind::TmUnit, IdKind::MiningRun];

    fn counter_key(self) -> &'static [u8] {
        match self {
            IdKind::Concept => b"last_id.concept",
            IdKind::TmUnit => b"last_id.tm_unit",
            IdKind::MiningRun => b"last_id.mining_run",
        }
    }

    /// The largest id of this kind already stored (0: none), read once when
    /// a store has no counter yet.
    fn largest_stored(self, store: &Store) -> Result<u64> {
        match self {
            IdKind::Concept => {
                let mut max = 0;
                for item in store.iter(Tree::Concepts, Vec::new(), None) {
                    let (key, _) = item?;
                    if let Some(n) = key.strip_prefix(b"c").and_then(|d| std::str::from_utf8(d).ok()) {
                        if let Ok(n) = n.parse::<u64>() {
                            max = max.max(n);
                        }
                    }
                }
                Ok(max)
            }
            IdKind::TmUnit => store.backend.last(Tree::TmUnits)?.map_or(Ok(0), |(k, _)| be_u64(&k, "tm unit key")),
            IdKind::MiningRun => {
                store.backend.last(Tree::MiningRuns)?.map_or(Ok(0), |(k, _)| be_u64(&k, "mining run key"))
            }
        }
    }
}

/// Issues the next id of `kind` inside the transaction that stores the
/// record (the counter and the record commit together).
pub(crate) fn next_id(txn: &mut dyn Txn, kind: IdKind) -> Result<u64, TxError> {
    let last = read_counter(txn, kind.counter_key())?;
    let id = last + 1;
    txn.insert(Tree::Meta, kind.counter_key(), &id.to_be_bytes())?;
    Ok(id)
}

/// Reads a `u64` counter of `meta` in a transaction (0 when absent; an
/// error when it has the wrong size).
pub(crate) fn read_counter(txn: &mut dyn Txn, key: &[u8]) -> Result<u64, TxError> {
    match txn.get(Tree::Meta, key)? {
        Some(v) => Ok(be_u64(&v, &String::from_utf8_lossy(key))?),
        None => Ok(0),
    }
}

/// Adds `delta` to a count record of `meta` (never below 0).
pub(crate) fn add_to_count(txn: &mut dyn Txn, key: &[u8], delta: i64) -> Result<(), TxError> {
    if delta == 0 {
        return Ok(());
    }
    let current = read_counter(txn, key)?;
    let next = (current as i64 + delta).max(0) as u64;
    txn.insert(Tree::Meta, key, &next.to_be_bytes())?;
    Ok(())
}

/// Tuning knobs for [`Store::open`].
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// Page cache size in bytes (sled's `cache_capacity`).
    pub cache_capacity: u64,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions { cache_capacity: 128 * 1024 * 1024 }
    }
}

/// The store. Cheap to clone (shares the backend).
#[derive(Clone)]
pub struct Store {
    backend: Arc<dyn Backend>,
    /// The data directory of an embedded store (snapshots are staged in
    /// it); None for a server backend.
    dir: Option<Arc<Path>>,
}

impl Store {
    /// Opens (creating if needed) the embedded (sled) store in `dir`,
    /// checking its schema version and migrating an older layout.
    pub fn open(dir: &Path, options: &StoreOptions) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Storage(format!("cannot create data directory {}: {e}", dir.display())))?;
        let backend = SledBackend::open(dir, options.cache_capacity)?;
        backend.drop_retired_trees()?;
        let mut store = Store::with_backend(Arc::new(backend), options)?;
        store.dir = Some(Arc::from(dir));
        Ok(store)
    }

    /// A store over any backend: checks the schema version (recording it in
    /// a new store, migrating an older one) and starts missing id counters.
    pub(crate) fn with_backend(backend: Arc<dyn Backend>, _options: &StoreOptions) -> Result<Store> {
        let store = Store { backend, dir: None };
        let found = match store.backend.get(Tree::Meta, META_SCHEMA)? {
            None => None,
            Some(v) => Some(u32::from_be_bytes(
                v.as_slice()
                    .try_into()
                    .map_err(|_| Error::Corrupt("schema_version record has the wrong size".into()))?,
            )),
        };
        match found {
            Some(SCHEMA_VERSION) => {}
            // Version 1 differs only by the retired `term_keys` tree, which
            // the backend has removed (sled) or never had.
            None | Some(1) => store
                .transact(&[Tree::Meta], |txn| txn.insert(Tree::Meta, META_SCHEMA, &SCHEMA_VERSION.to_be_bytes()))?,
            Some(other) => {
                return Err(Error::Corrupt(format!(
                    "the store has schema version {other}; this build reads version {SCHEMA_VERSION}"
                )))
            }
        }
        store.init_id_counters()?;
        Ok(store)
    }

    /// Which backend holds the data (`"sled"` or `"postgres"`).
    pub fn backend_kind(&self) -> &'static str {
        self.backend.kind()
    }

    pub(crate) fn backend(&self) -> &dyn Backend {
        &*self.backend
    }

    /// The data directory of an embedded store.
    pub(crate) fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Starts each missing id counter after the largest id of its kind
    /// already stored (once per store; later opens find the counters).
    fn init_id_counters(&self) -> Result<()> {
        for kind in IdKind::ALL {
            if self.backend.get(Tree::Meta, kind.counter_key())?.is_none() {
                let last = kind.largest_stored(self)?;
                self.transact(&[Tree::Meta], |txn| {
                    if txn.get(Tree::Meta, kind.counter_key())?.is_none() {
                        txn.insert(Tree::Meta, kind.counter_key(), &last.to_be_bytes())?;
                    }
                    Ok(())
                })?;
            }
        }
        Ok(())
    }

    /// Every write is durable when it returns; kept for callers that want
    /// an explicit sync point (shutdown).
    pub fn flush(&self) -> Result<()> {
        Ok(())
    }

    /// Runs one write: a transaction over `trees`, durable when this
    /// returns. Returns the closure's value, or its abort error. The
    /// closure may run more than once (the backend retries on conflict), so
    /// it must not have side effects outside the transaction.
    pub(crate) fn transact<A>(
        &self,
        trees: &[Tree],
        mut f: impl FnMut(&mut dyn Txn) -> Result<A, TxError>,
    ) -> Result<A> {
        let mut out = None;
        self.backend.transact_dyn(trees, &mut |txn| {
            out = Some(f(txn)?);
            Ok(())
        })?;
        out.ok_or_else(|| Error::Storage("internal error: a committed transaction returned no value".into()))
    }

    /// The records of `tree` whose key starts with `prefix`, after `after`
    /// (exclusive), in key order, read a page at a time.
    pub(crate) fn iter(
        &self,
        tree: Tree,
        prefix: Vec<u8>,
        after: Option<Vec<u8>>,
    ) -> impl Iterator<Item = Result<(Vec<u8>, Vec<u8>)>> + '_ {
        let mut after = after;
        let mut page: std::vec::IntoIter<(Vec<u8>, Vec<u8>)> = Vec::new().into_iter();
        let mut done = false;
        std::iter::from_fn(move || loop {
            if let Some(item) = page.next() {
                after = Some(item.0.clone());
                return Some(Ok(item));
            }
            if done {
                return None;
            }
            match self.backend.scan(tree, &prefix, after.as_deref(), PAGE) {
                Ok(items) => {
                    done = items.len() < PAGE;
                    if items.is_empty() {
                        return None;
                    }
                    page = items.into_iter();
                }
                Err(e) => {
                    done = true;
                    return Some(Err(e));
                }
            }
        })
    }

    /// A `u64` counter of `meta` (0 when absent; corruption when malformed).
    pub(crate) fn counter(&self, key: &[u8]) -> Result<u64> {
        self.backend.get(Tree::Meta, key)?.map_or(Ok(0), |v| be_u64(&v, &String::from_utf8_lossy(key)))
    }

    /// When the starter glossary was loaded, if ever.
    pub fn seeded_at(&self) -> Result<Option<Timestamp>> {
        self.backend
            .get(Tree::Meta, META_SEEDED)?
            .map(|v| be_u64(&v, "seeded_at").map(|n| Timestamp(n as i64)))
            .transpose()
    }

    /// Reserves a concept id ahead of the transaction that will store the
    /// concept (import plans and mining accepts name the concept before
    /// writing it). Takes the number from the same counter as the ids
    /// issued inside transactions; if that transaction then fails, the
    /// number is left unused.
    pub(crate) fn fresh_id(&self) -> Result<ConceptId> {
        self.transact(&[Tree::Meta, Tree::Concepts], concepts::next_concept_id)
    }
}

/// A big-endian `u64` record; [`Error::Corrupt`] naming `what` otherwise.
pub(crate) fn be_u64(v: &[u8], what: &str) -> Result<u64> {
    Ok(u64::from_be_bytes(
        v.try_into()
            .map_err(|_| Error::Corrupt(format!("the {what} record has the wrong size ({} bytes)", v.len())))?,
    ))
}

/// JSON of a record.
pub(crate) fn to_json<T: serde::Serialize>(v: &T, what: &str) -> Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(|e| Error::Corrupt(format!("cannot encode a {what}: {e}")))
}

/// A record from its JSON.
pub(crate) fn from_json<T: for<'de> serde::Deserialize<'de>>(v: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(v).map_err(|e| Error::Corrupt(format!("cannot decode a stored {what}: {e}")))
}

#[cfg(test)]
pub(crate) mod tests;
