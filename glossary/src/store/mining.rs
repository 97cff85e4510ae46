//! The mining review queue: candidates, their ids, rejections and runs.
//!
//! | tree                 | key                            | value                       |
//! |----------------------|--------------------------------|-----------------------------|
//! | `mining_candidates`  | normalised key of the term     | JSON of `QueuedCandidate`   |
//! | `mining_ids`         | candidate id                   | normalised key              |
//! | `mining_rejections`  | normalised key                 | JSON of `Rejection`         |
//! | `mining_runs`        | run id, big-endian `u64`       | JSON of `MiningRun`         |
//!
//! Accept and merge write the concept through the one concept-write path
//! (`concepts.rs`) in the same transaction as the candidate.

use super::concepts::{write_concept, Change, Expect, CONCEPT_TREES};
use super::{from_json, next_id, to_json, IdKind, Store, Tree, TxError, Txn};
use crate::error::{Error, RecordKind, Result};
use crate::mining::queue::{MiningRun, QueuedCandidate, Rejection};
use crate::model::Concept;

const RECORD: &str = "mining record";

/// The mining-queue records of a store.
#[derive(Clone)]
pub(crate) struct QueueStore {
    store: Store,
}

/// Aborts the transaction if the candidate changed since it was read (a
/// concurrent review).
fn guard_unchanged(txn: &mut dyn Txn, key: &str, read: &QueuedCandidate) -> Result<(), TxError> {
    let now: Option<QueuedCandidate> = match txn.get(Tree::MiningCandidates, key.as_bytes())? {
        Some(v) => Some(from_json(&v, RECORD)?),
        None => None,
    };
    match now {
        Some(c) if c.status == read.status && c.last_run == read.last_run => Ok(()),
        _ => Err(Error::Conflict {
            kind: RecordKind::Candidate,
            id: read.id.clone(),
            reason: "changed while this review was being applied; reload it".into(),
        }
        .into()),
    }
}

impl QueueStore {
    pub(crate) fn open(store: &Store) -> QueueStore {
        QueueStore { store: store.clone() }
    }

    /// A concept id for an accepted candidate (see `Store::fresh_id`).
    pub(crate) fn fresh_concept_id(&self) -> Result<crate::model::ConceptId> {
        self.store.fresh_id()
    }

    /// Stores a new run record under the next run number (issued in the
    /// same transaction).
    pub(crate) fn create_run(&self, draft: &MiningRun) -> Result<MiningRun> {
        self.store.transact(&[Tree::Meta, Tree::MiningRuns], |txn| {
            let run = MiningRun { id: next_id(txn, IdKind::MiningRun)?, ..draft.clone() };
            txn.insert(Tree::MiningRuns, &run.id.to_be_bytes(), &to_json(&run, RECORD)?)?;
            Ok(run)
        })
    }

    /// Replaces a run record.
    pub(crate) fn save_run(&self, run: &MiningRun) -> Result<()> {
        let json = to_json(run, RECORD)?;
        self.store.transact(&[Tree::MiningRuns], |txn| txn.insert(Tree::MiningRuns, &run.id.to_be_bytes(), &json))
    }

    /// A run by id.
    pub(crate) fn run(&self, id: u64) -> Result<Option<MiningRun>> {
        self.store.backend().get(Tree::MiningRuns, &id.to_be_bytes())?.map(|v| from_json(&v, RECORD)).transpose()
    }

    /// Every run, in id order.
    pub(crate) fn runs(&self) -> impl Iterator<Item = Result<MiningRun>> + '_ {
        self.store.iter(Tree::MiningRuns, Vec::new(), None).map(|r| r.and_then(|(_, v)| from_json(&v, RECORD)))
    }

    /// The candidate with normalised key `key`.
    pub(crate) fn candidate(&self, key: &[u8]) -> Result<Option<QueuedCandidate>> {
        self.store.backend().get(Tree::MiningCandidates, key)?.map(|v| from_json(&v, RECORD)).transpose()
    }

    /// The normalised key of the candidate with id `id`.
    pub(crate) fn key_of_id(&self, id: &str) -> Result<Option<Vec<u8>>> {
        self.store.backend().get(Tree::MiningIds, id.as_bytes())
    }

    /// Whether the key was rejected before.
    pub(crate) fn is_rejected(&self, key: &[u8]) -> Result<bool> {
        Ok(self.store.backend().get(Tree::MiningRejections, key)?.is_some())
    }

    /// Every candidate with its key, in key order.
    pub(crate) fn candidates(&self) -> impl Iterator<Item = Result<(Vec<u8>, QueuedCandidate)>> + '_ {
        self.store
            .iter(Tree::MiningCandidates, Vec::new(), None)
            .map(|r| r.and_then(|(k, v)| Ok((k, from_json(&v, RECORD)?))))
    }

    /// Stores a run's candidates and its final record in one transaction.
    pub(crate) fn store_run_results(&self, candidates: &[(String, QueuedCandidate)], run: &MiningRun) -> Result<()> {
        let encoded: Vec<(&str, &str, Vec<u8>)> = candidates
            .iter()
            .map(|(k, c)| Ok((k.as_str(), c.id.as_str(), to_json(c, RECORD)?)))
            .collect::<Result<_>>()?;
        let run_json = to_json(run, RECORD)?;
        self.store.transact(&[Tree::MiningCandidates, Tree::MiningIds, Tree::MiningRuns], |txn| {
            for (key, id, json) in &encoded {
                txn.insert(Tree::MiningCandidates, key.as_bytes(), json)?;
                txn.insert(Tree::MiningIds, id.as_bytes(), key.as_bytes())?;
            }
            txn.insert(Tree::MiningRuns, &run.id.to_be_bytes(), &run_json)
        })
    }

    /// Records a rejection: the candidate `read` (as read) becomes `updated`.
    pub(crate) fn reject(
        &self,
        read: &QueuedCandidate,
        updated: &QueuedCandidate,
        rejection: &Rejection,
    ) -> Result<()> {
        let key = read.candidate.key.as_str();
        let json = to_json(updated, RECORD)?;
        let rejection = to_json(rejection, RECORD)?;
        self.store.transact(&[Tree::MiningCandidates, Tree::MiningRejections], |txn| {
            guard_unchanged(txn, key, read)?;
            txn.insert(Tree::MiningCandidates, key.as_bytes(), &json)?;
            txn.insert(Tree::MiningRejections, key.as_bytes(), &rejection)
        })
    }

    /// Accepts or merges: writes `concept` (new when `expected_version` is
    /// None, else replacing that version) and the candidate `read` as
    /// `updated`, forgetting any rejection, in one transaction.
    pub(crate) fn review_into_concept(
        &self,
        read: &QueuedCandidate,
        updated: &QueuedCandidate,
        concept: &Concept,
        expected_version: Option<u64>,
        change: Change<'_>,
    ) -> Result<()> {
        let key = read.candidate.key.as_str();
        let json = to_json(updated, RECORD)?;
        let mut trees = CONCEPT_TREES.to_vec();
        trees.extend([Tree::MiningCandidates, Tree::MiningRejections]);
        let expect = match expected_version {
            None => Expect::Absent,
            Some(v) => Expect::Present(Some(v)),
        };
        self.store.transact(&trees, |txn| {
            guard_unchanged(txn, key, read)?;
            write_concept(txn, &concept.id, expect, change, |_| Ok(Some(concept.clone())))?;
            txn.insert(Tree::MiningCandidates, key.as_bytes(), &json)?;
            txn.remove(Tree::MiningRejections, key.as_bytes())?;
            Ok(())
        })
    }
}
