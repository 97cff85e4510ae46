//! Moving a whole store between backends (`glossary-server copy-store`),
//! and the fingerprint that proves a copy complete.
//!
//! [`copy_store`] reads the source with one [`Backend::visit_all`] (one
//! point in time) and writes the records, bytes unchanged, into an empty
//! target in batched transactions. It then fingerprints the target the
//! same way the source stream was fingerprinted while copying: the record
//! count of every tree and a SHA-256 over the stream. The hash is framed
//! like the trees part of a snapshot file (every tree in [`Tree::ALL`]
//! order, empty ones included: `u32` name length, name; per record byte
//! `1`, `u32` key length, key, `u32` value length, value; then byte `0`),
//! so it equals [`super::snapshot::content_hash`] of the same content and
//! the hash a backup of either store carries.

use std::fmt;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::backend::{Backend, Tree};
use super::postgres::PgBackend;
use super::{Store, StoreLocation, StoreOptions};
use crate::error::{Error, Result};

/// Records (and at most this many bytes) written per target transaction.
const BATCH_RECORDS: usize = 1000;
const BATCH_BYTES: usize = 4 << 20;

/// Record counts per tree and a content hash of a whole store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// Every tree's name with its record count, in [`Tree::ALL`] order.
    pub trees: Vec<(&'static str, u64)>,
    /// SHA-256 over the records (framing in the module documentation).
    pub hash: [u8; 32],
}

impl Fingerprint {
    /// Records in all trees.
    pub fn records(&self) -> u64 {
        self.trees.iter().map(|(_, n)| n).sum()
    }

    /// The hash in lowercase hex.
    pub fn hash_hex(&self) -> String {
        self.hash.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} records, sha256 {}", self.records(), self.hash_hex())
    }
}

/// What [`copy_store`] did.
#[derive(Clone, Debug)]
pub struct CopyReport {
    /// The source, as read (one point in time).
    pub source: Fingerprint,
    /// The target, read back after the copy.
    pub target: Fingerprint,
}

/// Fingerprints every record of `store` from one consistent visit.
pub fn fingerprint(store: &Store) -> Result<Fingerprint> {
    fingerprint_backend(store.backend())
}

/// Copies every record of the store at `from` into the empty store at `to`
/// (a missing or empty data directory, or a database without records),
/// then fingerprints the target. Fails, with nothing verified, when the
/// target holds anything; fails after copying when the fingerprints differ
/// (the source changed during the copy, or the target did).
pub fn copy_store(from: &StoreLocation, to: &StoreLocation, options: &StoreOptions) -> Result<CopyReport> {
    if from == to {
        return Err(Error::invalid("to", "the source and the target are the same store"));
    }
    if let StoreLocation::Dir(dir) = from {
        if !dir.join("store").is_dir() {
            return Err(Error::invalid("from", format!("{} holds no glossary store", dir.display())));
        }
    }
    // Opening the source as a store brings an older layout up to date first.
    let source = from.open(options)?;
    let target = open_empty_target(to, options)?;
    let mut fp = Fingerprinter::new();
    let mut batch: Vec<(Tree, Vec<u8>, Vec<u8>)> = Vec::with_capacity(BATCH_RECORDS);
    let mut batch_bytes = 0;
    source.backend().visit_all(&mut |tree, k, v| {
        fp.record(tree, k, v);
        batch.push((tree, k.to_vec(), v.to_vec()));
        batch_bytes += k.len() + v.len();
        if batch.len() >= BATCH_RECORDS || batch_bytes >= BATCH_BYTES {
            write_batch(&*target, &batch)?;
            batch.clear();
            batch_bytes = 0;
        }
        Ok(())
    })?;
    write_batch(&*target, &batch)?;
    let report = CopyReport { source: fp.finish(), target: fingerprint_backend(&*target)? };
    if report.source != report.target {
        return Err(Error::Storage(format!(
            "the copy differs from its source (source: {}; target: {}); was a server writing to either?",
            report.source, report.target
        )));
    }
    Ok(report)
}

/// The target's backend, refused unless it holds no record.
fn open_empty_target(to: &StoreLocation, options: &StoreOptions) -> Result<Arc<dyn Backend>> {
    let backend: Arc<dyn Backend> = match to {
        StoreLocation::Dir(dir) => {
            if !super::snapshot::is_empty_dir(dir)? {
                return Err(Error::invalid(
                    "to",
                    format!("{} is not empty; copy-store fills only a new or empty data directory", dir.display()),
                ));
            }
            Arc::new(super::SledBackend::open(dir, options.cache_capacity)?)
        }
        StoreLocation::Postgres(url) => Arc::new(PgBackend::connect(url)?),
    };
    let mut held = 0;
    for tree in Tree::ALL {
        held += backend.len(tree)?;
    }
    if held > 0 {
        return Err(Error::invalid(
            "to",
            format!("{to} already holds {held} records; copy-store fills only an empty store"),
        ));
    }
    Ok(backend)
}

fn write_batch(target: &dyn Backend, batch: &[(Tree, Vec<u8>, Vec<u8>)]) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    target.transact_dyn(&Tree::ALL, &mut |txn| {
        for (tree, k, v) in batch {
            txn.insert(*tree, k, v)?;
        }
        Ok(())
    })
}

fn fingerprint_backend(backend: &dyn Backend) -> Result<Fingerprint> {
    let mut fp = Fingerprinter::new();
    backend.visit_all(&mut |tree, k, v| {
        fp.record(tree, k, v);
        Ok(())
    })?;
    Ok(fp.finish())
}

/// Hashes a visit's stream of records (trees in [`Tree::ALL`] order).
struct Fingerprinter {
    hasher: Sha256,
    counts: [u64; Tree::ALL.len()],
    /// Index in [`Tree::ALL`] of the next tree to open.
    next: usize,
}

impl Fingerprinter {
    fn new() -> Fingerprinter {
        Fingerprinter { hasher: Sha256::new(), counts: [0; Tree::ALL.len()], next: 0 }
    }

    /// Opens (and closes, empty) every tree up to and including `upto`.
    fn open_through(&mut self, upto: usize) {
        while self.next <= upto {
            if self.next > 0 {
                self.hasher.update([0u8]);
            }
            let name = Tree::ALL[self.next].name().as_bytes();
            self.hasher.update((name.len() as u32).to_be_bytes());
            self.hasher.update(name);
            self.next += 1;
        }
    }

    fn record(&mut self, tree: Tree, k: &[u8], v: &[u8]) {
        let i = Tree::ALL.iter().position(|t| *t == tree).unwrap_or(0);
        self.open_through(i);
        self.counts[i] += 1;
        self.hasher.update([1u8]);
        self.hasher.update((k.len() as u32).to_be_bytes());
        self.hasher.update(k);
        self.hasher.update((v.len() as u32).to_be_bytes());
        self.hasher.update(v);
    }

    fn finish(mut self) -> Fingerprint {
        self.open_through(Tree::ALL.len() - 1);
        self.hasher.update([0u8]);
        Fingerprint {
            trees: Tree::ALL.iter().zip(self.counts).map(|(t, n)| (t.name(), n)).collect(),
            hash: self.hasher.finalize().into(),
        }
    }
}
