//! Concept change history in [`Tree::History`].
//!
//! Per concept id: a counter under `id 0x00` (the number of entries), and
//! one entry per change under `id 0x00` + the entry number as a big-endian
//! `u64`, JSON of [`HistoryEntry`]. Entries are numbered per concept rather
//! than by the concept's version, so a concept deleted and created again
//! under the same id keeps the history of both. An entry never changes
//! once written. Only the concept-write path (`concepts.rs`) appends.

use super::concepts::Change;
use super::{from_json, to_json, Store, Tree, TxError, Txn};
use crate::error::Result;
use crate::history::{ChangeAction, HistoryEntry};
use crate::model::{Concept, ConceptId};

/// The key of the entry counter of concept `id` (also the prefix of its entries).
pub(crate) fn counter_key(id: &ConceptId) -> Vec<u8> {
    let mut k = id.as_str().as_bytes().to_vec();
    k.push(0);
    k
}

/// Records one change of concept `id` in the caller's transaction.
pub(crate) fn append(
    txn: &mut dyn Txn,
    id: &ConceptId,
    change: Change<'_>,
    before: Option<&Concept>,
    after: Option<&Concept>,
) -> Result<(), TxError> {
    let counter = counter_key(id);
    // The counter lives in the history tree itself, so read it from there.
    let seq = match txn.get(Tree::History, &counter)? {
        Some(v) => super::be_u64(&v, "history counter")? + 1,
        None => 1,
    };
    let (action, version) = match (before, after) {
        (_, Some(a)) if before.is_none() => (ChangeAction::Created, a.version),
        (_, Some(a)) => (ChangeAction::Updated, a.version),
        (Some(b), None) => (ChangeAction::Deleted, b.version),
        (None, None) => return Ok(()),
    };
    let entry = HistoryEntry {
        seq,
        version,
        actor: change.actor.to_string(),
        at: change.at,
        action,
        before: before.cloned(),
        after: after.cloned(),
    };
    let mut key = counter.clone();
    key.extend_from_slice(&seq.to_be_bytes());
    txn.insert(Tree::History, &key, &to_json(&entry, "history entry")?)?;
    txn.insert(Tree::History, &counter, &seq.to_be_bytes())?;
    Ok(())
}

/// The number of history entries of concept `id`, in a transaction.
pub(crate) fn entry_count(txn: &mut dyn Txn, id: &ConceptId) -> Result<u64, TxError> {
    match txn.get(Tree::History, &counter_key(id))? {
        Some(v) => Ok(super::be_u64(&v, "history counter")?),
        None => Ok(0),
    }
}

impl Store {
    /// Every recorded change of concept `id`, oldest first (empty if it
    /// never existed).
    pub fn history(&self, id: &ConceptId) -> Result<Vec<HistoryEntry>> {
        let prefix = counter_key(id);
        let mut out = Vec::new();
        for item in self.iter(Tree::History, prefix.clone(), None) {
            let (k, v) = item?;
            if k.len() == prefix.len() {
                continue; // the counter
            }
            out.push(from_json(&v, "history entry")?);
        }
        Ok(out)
    }
}
