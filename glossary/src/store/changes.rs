//! The concept change log: a write sequence bumped by every concept write
//! and, per write, the id of the concept it changed, so a reader holding
//! derived data as of one position (the persisted index snapshot) can
//! catch up with what was written after it.
//!
//! Both live in the `meta` tree, so every backend carries them with no
//! layout of its own: `write_seq` (big-endian `u64`, the position of the
//! latest concept write), `change.` + big-endian `u64` sequence number →
//! concept id, and `changes_trimmed` (the position up to which entries were
//! removed, once the snapshot covering them was written).
//!
//! Only the embedded (sled) backend keeps the log
//! ([`super::backend::Txn::keeps_change_log`]): PostgreSQL servers never
//! write an index snapshot, so there the log would be a row every concept
//! write updates (serialization conflicts between all concurrent writers)
//! and entries nothing trims. PostgreSQL has its own ordered `changes`
//! table and feed; there `write_seq` stays 0.

use std::collections::BTreeSet;

use super::{be_u64, read_counter, Store, Tree, TxError, Txn};
use crate::error::Result;
use crate::model::ConceptId;

const META_WRITE_SEQ: &[u8] = b"write_seq";
const META_TRIMMED: &[u8] = b"changes_trimmed";
const CHANGE_PREFIX: &[u8] = b"change.";
/// Entries removed per transaction when trimming.
const TRIM_BATCH: usize = 1024;

fn change_key(seq: u64) -> Vec<u8> {
    let mut k = CHANGE_PREFIX.to_vec();
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// Records that concept `id` changed, in the caller's transaction (which
/// covers `meta`): bumps the write sequence and logs the id under it. A
/// no-op on backends that keep no change log (PostgreSQL).
pub(crate) fn record(txn: &mut dyn Txn, id: &ConceptId) -> Result<(), TxError> {
    if !txn.keeps_change_log() {
        return Ok(());
    }
    let seq = read_counter(txn, META_WRITE_SEQ)? + 1;
    txn.insert(Tree::Meta, META_WRITE_SEQ, &seq.to_be_bytes())?;
    txn.insert(Tree::Meta, &change_key(seq), id.as_str().as_bytes())?;
    Ok(())
}

impl Store {
    /// The position of the latest concept write (0: none yet).
    pub fn write_seq(&self) -> Result<u64> {
        self.counter(META_WRITE_SEQ)
    }

    /// The position up to which the change log was trimmed: changes after
    /// an earlier position cannot be listed any more.
    pub fn changes_trimmed(&self) -> Result<u64> {
        self.counter(META_TRIMMED)
    }

    /// The distinct concepts written after position `after`, or `None`
    /// when the log no longer reaches back that far (trimmed past it) or
    /// `after` lies beyond the latest write (a position of another store).
    pub fn changed_since(&self, after: u64) -> Result<Option<BTreeSet<ConceptId>>> {
        if after < self.changes_trimmed()? || after > self.write_seq()? {
            return Ok(None);
        }
        let mut ids = BTreeSet::new();
        for item in self.iter(Tree::Meta, CHANGE_PREFIX.to_vec(), Some(change_key(after))) {
            let (_, v) = item?;
            let id = std::str::from_utf8(&v)
                .ok()
                .and_then(|s| ConceptId::new(s).ok())
                .ok_or_else(|| crate::error::Error::Corrupt("a change log entry does not hold a concept id".into()))?;
            ids.insert(id);
        }
        Ok(Some(ids))
    }

    /// Removes the change log entries up to position `upto` (a snapshot
    /// covering them was written), a batch per transaction.
    pub fn trim_changes(&self, upto: u64) -> Result<()> {
        loop {
            let keys: Vec<Vec<u8>> = self
                .backend
                .scan(Tree::Meta, CHANGE_PREFIX, None, TRIM_BATCH)?
                .into_iter()
                .map(|(k, _)| k)
                .filter(|k| be_u64(&k[CHANGE_PREFIX.len()..], "change log key").is_ok_and(|s| s <= upto))
                .collect();
            let last = keys.len() < TRIM_BATCH;
            self.transact(&[Tree::Meta], |txn| {
                for k in &keys {
                    txn.remove(Tree::Meta, k)?;
                }
                if read_counter(txn, META_TRIMMED)? < upto {
                    txn.insert(Tree::Meta, META_TRIMMED, &upto.to_be_bytes())?;
                }
                Ok(())
            })?;
            if last {
                return Ok(());
            }
        }
    }
}
