//! Durable storage of concepts on sled, behind this crate's own API.
//!
//! # Layout
//! One sled database per data directory, with these trees:
//!
//! | tree        | key                                               | value                  |
//! |-------------|---------------------------------------------------|------------------------|
//! | `meta`      | `schema_version`, `concept_count`, `seeded_at`, `last_id.*` | big-endian integers |
//! | `concepts`  | concept id (UTF-8)                                 | JSON of [`Concept`]    |
//! | `term_keys` | `kind 0x00 key 0x00 lang 0x00 concept-id 0x00 n`   | empty                  |
//! | `mining_candidates` | normalised key of a mined term             | JSON of `QueuedCandidate` |
//! | `mining_ids`        | candidate id (`k` + 16 hex digits)         | normalised key         |
//! | `mining_rejections` | normalised key                             | JSON of `Rejection`    |
//! | `mining_runs`       | run id, big-endian `u64`                   | JSON of `MiningRun`    |
//! | `jobs`              | job id, big-endian `u64`                   | JSON of `Job`          |
//!
//! `kind` is `n` (normalised key: tone placement, case, dashes and quotes
//! unified) or `f` (diacritic-folded key); `n` is the term's position in the
//! concept as a big-endian `u32`. Keys are ordered, so "every term whose
//! folded form starts with *x*" is a range scan.
//!
//! The mining trees belong to [`crate::mining::queue`]. Later features add
//! their own trees next to these (translation-memory units and their keys) and
//! bump [`SCHEMA_VERSION`] with a migration when an existing layout changes.
//!
//! # Ids
//! Concepts (`c1`, `c2`, ...), translation-memory units and mining runs get
//! small sequential numbers, one counter per kind ([`IdKind`]) in `meta`
//! under `last_id.<kind>` (the highest number issued). A counter is read
//! and bumped in the same transaction that stores the record, so a crash
//! or restart never makes ids jump; a transaction that aborts issues
//! nothing. When a counter is missing (a store written before counters
//! existed, whose ids came from sled's `generate_id`), [`Store::open`]
//! starts it after the largest id already stored, so issued ids stay valid.
//!
//! # Durability
//! Every public write runs in one sled transaction over all the trees it
//! touches and returns only after [`::sled::Db::flush`] has synced the log
//! (one flush covers every tree of the database). A write that returned `Ok`
//! survives `kill -9`; one that returned `Err` may or may not have happened.
//!
//! # The write gate
//! sled has no snapshots, so the store has a store-wide write gate (a
//! `RwLock<()>`). **Every write takes the gate**: it goes through
//! [`Store::transact`] (a transaction over any trees) or [`Store::put`] (one
//! plain insert), which hold the gate shared for the duration of the write
//! and flush after releasing it. Writes never wait for each other on the
//! gate; only [`snapshot`] takes it exclusively, for as long as it copies
//! the trees into a temporary file, so a snapshot sees every write that
//! returned before it started and none that is half applied. A new tree
//! needs nothing more than using these two helpers for its writes: the
//! snapshot covers every tree of the database by name. Never call
//! `transaction`, `insert` or `remove` on a `::sled::Tree` directly, and never
//! call one helper from inside another's closure (the gate is not
//! re-entrant while a snapshot waits).

use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use ::sled::transaction::{
    ConflictableTransactionError, ConflictableTransactionResult, TransactionError, TransactionalTree,
};
use ::sled::Transactional;

use crate::error::{Error, RecordKind, Result};
use crate::model::{Concept, ConceptDraft, ConceptId, Lang, Timestamp};
use crate::text;

/// Version of the on-disk layout this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

const META_SCHEMA: &[u8] = b"schema_version";
const META_COUNT: &[u8] = b"concept_count";
const META_SEEDED: &[u8] = b"seeded_at";

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
    fn largest_stored(self, db: &::sled::Db) -> Result<u64> {
        match self {
            IdKind::Concept => {
                let mut max = 0;
                for key in db.open_tree("concepts")?.iter().keys() {
                    let key = key?;
                    if let Some(n) = key.strip_prefix(b"c").and_then(|d| std::str::from_utf8(d).ok()) {
                        if let Ok(n) = n.parse::<u64>() {
                            max = max.max(n);
                        }
                    }
                }
                Ok(max)
            }
            IdKind::TmUnit => last_be_key(&db.open_tree(crate::tm::store::UNITS_TREE)?),
            IdKind::MiningRun => last_be_key(&db.open_tree(crate::mining::queue::RUNS)?),
        }
    }
}

fn last_be_key(tree: &::sled::Tree) -> Result<u64> {
    match tree.last()? {
        Some((k, _)) => be_u64(&k),
        None => Ok(0),
    }
}

/// Issues the next id of `kind` inside the transaction that stores the
/// record (the counter and the record commit together).
pub(crate) fn next_id(meta: &TransactionalTree, kind: IdKind) -> Result<u64, ConflictableTransactionError<Error>> {
    let last = match meta.get(kind.counter_key())? {
        Some(v) => be_u64(&v).map_err(ConflictableTransactionError::Abort)?,
        None => 0,
    };
    let id = last + 1;
    meta.insert(kind.counter_key(), &id.to_be_bytes())?;
    Ok(id)
}

/// A fresh concept id inside a transaction: the next number whose `c` id no
/// client has chosen already.
pub(crate) fn next_concept_id(
    concepts: &TransactionalTree,
    meta: &TransactionalTree,
) -> Result<ConceptId, ConflictableTransactionError<Error>> {
    loop {
        let id = ConceptId::generated(next_id(meta, IdKind::Concept)?);
        if concepts.get(id.as_str())?.is_none() {
            return Ok(id);
        }
    }
}

/// Which secondary key of a term to search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// [`text::normalized_key`]: keeps diacritics.
    Normalized,
    /// [`text::folded_key`]: diacritics removed.
    Folded,
}

impl KeyKind {
    fn tag(self) -> u8 {
        match self {
            KeyKind::Normalized => b'n',
            KeyKind::Folded => b'f',
        }
    }
}

/// A reference to one term of one concept, as found in a secondary index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TermRef {
    /// The concept holding the term.
    pub concept: ConceptId,
    /// Position of the term in [`Concept::terms`].
    pub term: u32,
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

/// The concept store. Cheap to clone (shares the database).
#[derive(Clone)]
pub struct Store {
    // Crate-visible so feature modules (mining, translation memory) can open
    // their own trees and join concept trees in one transaction.
    pub(crate) db: ::sled::Db,
    pub(crate) meta: ::sled::Tree,
    pub(crate) concepts: ::sled::Tree,
    pub(crate) term_keys: ::sled::Tree,
    /// The write gate (see the module documentation).
    gate: Arc<RwLock<()>>,
    /// The data directory (snapshots are staged in it).
    pub(crate) dir: Arc<Path>,
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, checking its schema version.
    pub fn open(dir: &Path, options: &StoreOptions) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Storage(format!("cannot create data directory {}: {e}", dir.display())))?;
        let db = open_db(dir, options.cache_capacity)?;
        let store = Store {
            meta: db.open_tree("meta")?,
            concepts: db.open_tree("concepts")?,
            term_keys: db.open_tree("term_keys")?,
            db,
            gate: Arc::new(RwLock::new(())),
            dir: Arc::from(dir),
        };
        match store.meta.get(META_SCHEMA)? {
            None => store.put(&store.meta, META_SCHEMA, SCHEMA_VERSION.to_be_bytes())?,
            Some(v) => {
                let found = u32::from_be_bytes(
                    v.as_ref()
                        .try_into()
                        .map_err(|_| Error::Corrupt("schema_version record has the wrong size".into()))?,
                );
                if found != SCHEMA_VERSION {
                    return Err(Error::Corrupt(format!(
                        "the store in {} has schema version {found}; this build reads version {SCHEMA_VERSION}",
                        dir.display()
                    )));
                }
            }
        }
        store.init_id_counters()?;
        Ok(store)
    }

    /// Starts each missing id counter after the largest id of its kind
    /// already stored (once per store; later opens find the counters).
    fn init_id_counters(&self) -> Result<()> {
        let mut added = false;
        for kind in IdKind::ALL {
            if self.meta.get(kind.counter_key())?.is_none() {
                let last = kind.largest_stored(&self.db)?;
                self.meta.insert(kind.counter_key(), &last.to_be_bytes())?;
                added = true;
            }
        }
        if added {
            self.flush()?;
        }
        Ok(())
    }

    /// Syncs everything written so far to disk.
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    /// Runs one write: a sled transaction over `trees` with the write gate
    /// held shared, then a flush (after the gate is released). Returns the
    /// closure's value, or its abort error. The closure may run more than
    /// once (sled retries on conflict), so it must not have side effects
    /// outside the transaction.
    pub(crate) fn transact<S, A>(
        &self,
        trees: S,
        f: impl Fn(&S::View) -> ConflictableTransactionResult<A, Error>,
    ) -> Result<A>
    where
        S: Transactional<Error>,
    {
        let gate = self.gate_shared();
        let res = trees.transaction(f);
        drop(gate);
        let out = finish(res)?;
        self.flush()?;
        Ok(out)
    }

    /// Inserts one record outside a transaction, with the write gate held
    /// shared, then flushes.
    pub(crate) fn put(&self, tree: &::sled::Tree, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> Result<()> {
        let gate = self.gate_shared();
        tree.insert(key.as_ref(), value.as_ref())?;
        drop(gate);
        self.flush()
    }

    fn gate_shared(&self) -> RwLockReadGuard<'_, ()> {
        // The gate guards no data, so a panic while it was held leaves
        // nothing inconsistent: ignore poisoning.
        self.gate.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Holds the write gate exclusively: no write is in flight while the
    /// guard lives. For [`snapshot`] only.
    pub(crate) fn gate_exclusive(&self) -> RwLockWriteGuard<'_, ()> {
        self.gate.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Number of concepts.
    pub fn concept_count(&self) -> Result<u64> {
        Ok(self.meta.get(META_COUNT)?.map(|v| be_u64(&v)).transpose()?.unwrap_or(0))
    }

    /// When the starter glossary was loaded, if ever.
    pub fn seeded_at(&self) -> Result<Option<Timestamp>> {
        self.meta.get(META_SEEDED)?.map(|v| be_u64(&v).map(|n| Timestamp(n as i64))).transpose()
    }

    /// Fetches one concept.
    pub fn get(&self, id: &ConceptId) -> Result<Option<Concept>> {
        self.concepts.get(id.as_str())?.map(|v| decode(&v)).transpose()
    }

    /// Creates concepts from validated drafts in one transaction and one
    /// flush. With `mark_seeded`, also records that the starter glossary
    /// was loaded (so it is loaded once only, even if the user empties the
    /// glossary later).
    pub fn create_many(&self, drafts: Vec<ConceptDraft>, mark_seeded: bool) -> Result<Vec<Concept>> {
        let now = Timestamp::now();
        // Ids are issued inside the transaction, with the records; the
        // closure may run more than once, so it starts from the drafts each time.
        let chosen: std::collections::HashSet<&ConceptId> = drafts.iter().filter_map(|d| d.id.as_ref()).collect();
        self.transact((&self.concepts, &self.term_keys, &self.meta), |(c, k, m)| {
            let mut concepts = Vec::with_capacity(drafts.len());
            for draft in &drafts {
                let id = match draft.id.clone() {
                    Some(id) => id,
                    // Skip numbers that a later draft of the batch asks for.
                    None => loop {
                        let id = next_concept_id(c, m)?;
                        if !chosen.contains(&id) {
                            break id;
                        }
                    },
                };
                let concept = draft.clone().into_new_concept(id, now);
                if c.get(concept.id.as_str())?.is_some() {
                    return abort(Error::AlreadyExists { kind: RecordKind::Concept, id: concept.id.to_string() });
                }
                c.insert(concept.id.as_str(), encode(&concept)?)?;
                for key in term_keys(&concept) {
                    k.insert(key, &[][..])?;
                }
                concepts.push(concept);
            }
            add_count(m, concepts.len() as i64)?;
            if mark_seeded {
                m.insert(META_SEEDED, &(now.0 as u64).to_be_bytes())?;
            }
            Ok(concepts)
        })
    }

    /// Replaces the editable fields and terms of concept `id`. With
    /// `expected_version`, fails with [`Error::VersionConflict`] if the
    /// concept changed since the caller read it.
    pub fn replace(&self, id: &ConceptId, draft: ConceptDraft, expected_version: Option<u64>) -> Result<Concept> {
        let now = Timestamp::now();
        self.transact((&self.concepts, &self.term_keys), |(c, k)| {
            let old: Concept = match c.get(id.as_str())? {
                Some(v) => decode(&v).map_err(ConflictableTransactionError::Abort)?,
                None => return abort(Error::NotFound { kind: RecordKind::Concept, id: id.to_string() }),
            };
            check_version(&old, expected_version).map_err(ConflictableTransactionError::Abort)?;
            let new = Concept {
                id: old.id.clone(),
                subject_field: draft.subject_field.clone(),
                definition: draft.definition.clone(),
                note: draft.note.clone(),
                source: draft.source.clone(),
                terms: draft.terms.clone(),
                created: old.created,
                updated: now.max(old.updated),
                version: old.version + 1,
            };
            for key in term_keys(&old) {
                k.remove(key)?;
            }
            for key in term_keys(&new) {
                k.insert(key, &[][..])?;
            }
            c.insert(id.as_str(), encode(&new)?)?;
            Ok(new)
        })
    }

    /// Deletes concept `id` and its index entries; returns what was deleted.
    pub fn delete(&self, id: &ConceptId, expected_version: Option<u64>) -> Result<Concept> {
        self.transact((&self.concepts, &self.term_keys, &self.meta), |(c, k, m)| {
            let old: Concept = match c.remove(id.as_str())? {
                Some(v) => decode(&v).map_err(ConflictableTransactionError::Abort)?,
                None => return abort(Error::NotFound { kind: RecordKind::Concept, id: id.to_string() }),
            };
            check_version(&old, expected_version).map_err(ConflictableTransactionError::Abort)?;
            for key in term_keys(&old) {
                k.remove(key)?;
            }
            add_count(m, -1)?;
            Ok(old)
        })
    }

    /// Concepts in id order, starting after `after` (exclusive).
    pub fn iter_from(&self, after: Option<&ConceptId>) -> impl Iterator<Item = Result<Concept>> + '_ {
        let iter = match after {
            // 0x00 is the smallest byte and cannot appear in an id.
            Some(id) => self.concepts.range(format!("{id}\0").into_bytes()..),
            None => self.concepts.iter(),
        };
        iter.map(|r| r.map_err(Error::from).and_then(|(_, v)| decode(&v)))
    }

    /// Terms whose `kind` key equals `key`, optionally restricted to languages
    /// under `lang` (RFC 4647 basic filtering).
    pub fn find_by_key(&self, kind: KeyKind, key: &str, lang: Option<&Lang>) -> Result<Vec<TermRef>> {
        let mut prefix = vec![kind.tag(), 0];
        prefix.extend_from_slice(key.as_bytes());
        prefix.push(0);
        let mut out = Vec::new();
        for item in self.term_keys.scan_prefix(&prefix) {
            let (k, _) = item?;
            let rest = &k[prefix.len()..];
            let (term_lang, concept, n) = split_key_tail(rest)?;
            if let Some(range) = lang {
                let term_lang = Lang::new(term_lang).map_err(|e| Error::Corrupt(e.to_string()))?;
                if !term_lang.matches(range) {
                    continue;
                }
            }
            out.push(TermRef { concept: ConceptId::new(concept).map_err(|e| Error::Corrupt(e.to_string()))?, term: n });
        }
        Ok(out)
    }

    /// Reserves a concept id ahead of the transaction that will store the
    /// concept (import plans and mining accepts name the concept before
    /// writing it). Takes the number from the same counter as
    /// [`next_concept_id`]; if that transaction then fails, the number is
    /// left unused.
    pub(crate) fn fresh_id(&self) -> Result<ConceptId> {
        // A write like any other (the gate), but not flushed: the record
        // that uses the number is, and an unused number costs nothing.
        let _gate = self.gate_shared();
        loop {
            let res = self.meta.transaction(|m| next_id(m, IdKind::Concept));
            let id = ConceptId::generated(finish(res)?);
            // A client may have chosen this id itself: skip it.
            if !self.concepts.contains_key(id.as_str())? {
                return Ok(id);
            }
        }
    }
}

/// Opens (creating if needed) the sled database of data directory `dir`.
pub(crate) fn open_db(dir: &Path, cache_capacity: u64) -> Result<::sled::Db> {
    let config = ::sled::Config::new().path(dir.join("store")).cache_capacity(cache_capacity);
    // sled releases its directory lock when the last handle's background
    // thread exits, a moment after the handle is dropped: a reopen in the
    // same process can race it, so retry briefly before giving up.
    let mut attempt = 0;
    loop {
        match config.open() {
            Ok(db) => return Ok(db),
            Err(::sled::Error::Io(io)) if io.to_string().contains("lock") && attempt < 20 => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(::sled::Error::Io(io)) if io.to_string().contains("lock") => {
                return Err(Error::Storage(format!(
                    "the data directory {} is in use by another process (a running glossary-server keeps it \
                     until it stops); use that server's HTTP API, or stop it first",
                    dir.display()
                )))
            }
            Err(::sled::Error::Io(io)) => {
                return Err(Error::Storage(format!("cannot open store in {}: {io}", dir.display())))
            }
            Err(other) => return Err(Error::from(other)),
        }
    }
}

/// The secondary-index keys of every term of `concept`.
pub(crate) fn term_keys(concept: &Concept) -> Vec<Vec<u8>> {
    let mut keys = Vec::with_capacity(concept.terms.len() * 2);
    for (n, term) in concept.terms.iter().enumerate() {
        let norm = text::normalized_key(&term.text);
        let fold = text::strip_diacritics(&norm);
        for (kind, key) in [(KeyKind::Normalized, &norm), (KeyKind::Folded, &fold)] {
            let mut k = Vec::with_capacity(key.len() + 32);
            k.push(kind.tag());
            k.push(0);
            k.extend_from_slice(key.as_bytes());
            k.push(0);
            k.extend_from_slice(term.lang.as_str().as_bytes());
            k.push(0);
            k.extend_from_slice(concept.id.as_str().as_bytes());
            k.push(0);
            k.extend_from_slice(&(n as u32).to_be_bytes());
            keys.push(k);
        }
    }
    keys
}

fn split_key_tail(rest: &[u8]) -> Result<(&str, &str, u32)> {
    let bad = || Error::Corrupt("malformed term_keys entry".into());
    let i = rest.iter().position(|&b| b == 0).ok_or_else(bad)?;
    let lang = std::str::from_utf8(&rest[..i]).map_err(|_| bad())?;
    let rest = &rest[i + 1..];
    if rest.len() < 5 || rest[rest.len() - 5] != 0 {
        return Err(bad());
    }
    let concept = std::str::from_utf8(&rest[..rest.len() - 5]).map_err(|_| bad())?;
    let n = u32::from_be_bytes(rest[rest.len() - 4..].try_into().map_err(|_| bad())?);
    Ok((lang, concept, n))
}

pub(crate) fn check_version(old: &Concept, expected: Option<u64>) -> Result<()> {
    match expected {
        Some(v) if v != old.version => Err(Error::VersionConflict {
            kind: RecordKind::Concept,
            id: old.id.to_string(),
            expected: v,
            actual: old.version,
        }),
        _ => Ok(()),
    }
}

pub(crate) fn add_count(meta: &TransactionalTree, delta: i64) -> Result<(), ConflictableTransactionError<Error>> {
    let current = match meta.get(META_COUNT)? {
        Some(v) => be_u64(&v).map_err(ConflictableTransactionError::Abort)?,
        None => 0,
    };
    let next = (current as i64 + delta).max(0) as u64;
    meta.insert(META_COUNT, &next.to_be_bytes())?;
    Ok(())
}

fn be_u64(v: &[u8]) -> Result<u64> {
    Ok(u64::from_be_bytes(v.try_into().map_err(|_| Error::Corrupt("counter record has the wrong size".into()))?))
}

pub(crate) fn encode(c: &Concept) -> Result<Vec<u8>, ConflictableTransactionError<Error>> {
    serde_json::to_vec(c).map_err(|e| ConflictableTransactionError::Abort(Error::Corrupt(e.to_string())))
}

pub(crate) fn decode(v: &[u8]) -> Result<Concept> {
    serde_json::from_slice(v).map_err(|e| Error::Corrupt(format!("cannot decode a stored concept: {e}")))
}

pub(crate) fn abort<T>(e: Error) -> Result<T, ConflictableTransactionError<Error>> {
    Err(ConflictableTransactionError::Abort(e))
}

pub(crate) fn finish<T>(res: std::result::Result<T, TransactionError<Error>>) -> Result<T> {
    res.map_err(|e| match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => Error::from(e),
    })
}

pub(crate) mod backend;
pub mod copy;
pub(crate) mod feed;
mod location;
pub mod postgres;
mod sled;
pub mod snapshot;

pub use location::StoreLocation;

#[cfg(test)]
mod tests;
