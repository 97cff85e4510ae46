//! Job records: `jobs` tree, key the job id as a big-endian `u64`, value
//! JSON of [`Job`].

use super::{be_u64, from_json, to_json, Store, Tree, TxError, Txn};
use crate::error::Result;
use crate::jobs::Job;

const RECORD: &str = "job";

/// The job records of a store.
#[derive(Clone)]
pub(crate) struct JobStore {
    store: Store,
}

/// Writes a job record in the caller's transaction (which must cover
/// [`Tree::Jobs`]).
pub(crate) fn put_job(txn: &mut dyn Txn, job: &Job) -> Result<(), TxError> {
    txn.insert(Tree::Jobs, &job.id.to_be_bytes(), &to_json(job, RECORD)?)
}

impl JobStore {
    pub(crate) fn open(store: &Store) -> JobStore {
        JobStore { store: store.clone() }
    }

    /// The largest job id stored (0: none).
    pub(crate) fn last_id(&self) -> Result<u64> {
        self.store.backend().last(Tree::Jobs)?.map_or(Ok(0), |(k, _)| be_u64(&k, "job key"))
    }

    /// A job by id.
    pub(crate) fn get(&self, id: u64) -> Result<Option<Job>> {
        self.store.backend().get(Tree::Jobs, &id.to_be_bytes())?.map(|v| from_json(&v, RECORD)).transpose()
    }

    /// Stores (or replaces) a job record.
    pub(crate) fn save(&self, job: &Job) -> Result<()> {
        self.store.transact(&[Tree::Jobs], |txn| put_job(txn, job))
    }

    /// Stores a new job record under `job.id` unless that id is taken
    /// (servers sharing a store allocate ids independently); `false` when
    /// it is.
    pub(crate) fn create(&self, job: &Job) -> Result<bool> {
        self.store.transact(&[Tree::Jobs], |txn| {
            if txn.get(Tree::Jobs, &job.id.to_be_bytes())?.is_some() {
                return Ok(false);
            }
            put_job(txn, job)?;
            Ok(true)
        })
    }

    /// Every job in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Result<Job>> + '_ {
        self.store.iter(Tree::Jobs, Vec::new(), None).map(|r| r.and_then(|(_, v)| from_json(&v, RECORD)))
    }

    /// The jobs with an id below `end`, newest first. Reads every record
    /// up to `end` (the backends scan forwards only; job records number in
    /// the hundreds, not millions).
    pub(crate) fn newest_before(&self, end: u64) -> Result<Vec<Job>> {
        let mut out = Vec::new();
        for item in self.store.iter(Tree::Jobs, Vec::new(), None) {
            let (k, v) = item?;
            if be_u64(&k, "job key")? >= end {
                break;
            }
            out.push(from_json(&v, RECORD)?);
        }
        out.reverse();
        Ok(out)
    }
}
