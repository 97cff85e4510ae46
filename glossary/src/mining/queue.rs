//! The review queue: mined candidates, rejections and mining runs (stored
//! next to the concepts by `store/mining.rs`).
//!
//! A candidate is keyed by its normalised key, so mining the same text
//! again updates the record (counts, score, evidence of the latest run that
//! found it) instead of adding a second one, and its review status is kept.
//! Candidate ids are derived from the key ([`candidate_id`]), so they are
//! stable across runs and restarts.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Collection, ConceptId, TermStatus, Timestamp};

use super::{Candidate, CorpusStats};

/// Largest page of [`crate::Glossary::candidates`].
pub const MAX_CANDIDATE_PAGE: usize = 200;

/// The stable, URL-safe id of the candidate with normalised key `key`:
/// `k` and 16 hex digits of the key's 64-bit FNV-1a hash.
pub fn candidate_id(key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("k{h:016x}")
}

/// Where a candidate is in review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateStatus {
    /// Waiting for a reviewer.
    Pending,
    /// Accepted: a concept was created from it.
    Accepted,
    /// Rejected: hidden, and not proposed again by later runs.
    Rejected,
    /// Added to an existing concept as a variant term.
    Merged,
    /// Already a term of a glossary concept when a run found it: not
    /// offered for review.
    Known,
}

impl CandidateStatus {
    /// Stable lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateStatus::Pending => "pending",
            CandidateStatus::Accepted => "accepted",
            CandidateStatus::Rejected => "rejected",
            CandidateStatus::Merged => "merged",
            CandidateStatus::Known => "known",
        }
    }
}

/// A candidate in the review queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueuedCandidate {
    /// Stable id ([`candidate_id`] of `key`).
    pub id: String,
    /// Review status.
    pub status: CandidateStatus,
    /// The candidate as the latest run that found it saw it.
    pub candidate: Candidate,
    /// Runs that found it.
    pub runs: u32,
    /// The latest of those runs.
    pub last_run: u64,
    /// When it was first proposed.
    pub first_seen: Timestamp,
    /// When a run last found it.
    pub last_seen: Timestamp,
    /// When it was reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Timestamp>,
    /// The concept it was accepted as or merged into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<ConceptId>,
    /// The reviewer's reason for a rejection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A remembered rejection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// The term as displayed when it was rejected.
    pub term: String,
    /// When.
    pub at: Timestamp,
    /// Why, if the reviewer said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// State of a mining run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Accepted, not finished.
    Running,
    /// Finished; its candidates are in the queue.
    Completed,
    /// Stopped with an error (see `error`).
    Failed,
}

impl RunStatus {
    /// Stable lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Completed => "completed",
            RunStatus::Failed => "failed",
        }
    }
}

/// A mining run and its outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MiningRun {
    /// Run id (1, 2, ...).
    pub id: u64,
    /// State.
    pub status: RunStatus,
    /// When it was submitted.
    pub created: Timestamp,
    /// When it finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished: Option<Timestamp>,
    /// Documents submitted.
    pub documents: usize,
    /// Bytes submitted.
    pub bytes: usize,
    /// Candidates requested.
    pub top: usize,
    /// Corpus counts, once finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<CorpusStats>,
    /// Candidates the run found (rejected ones included).
    pub candidates: usize,
    /// Of those, new to the queue.
    pub new: usize,
    /// Of those, already in the queue (counts updated).
    pub updated: usize,
    /// Of those, previously rejected (kept out of the pending list).
    pub rejected: usize,
    /// Ids of the candidates found, best first.
    #[serde(default)]
    pub results: Vec<String>,
    /// What went wrong, for a failed run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The job executing it ([`crate::jobs`]); none for runs recorded
    /// before jobs existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<u64>,
}

/// Order of a candidate listing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CandidateSort {
    /// Highest score first.
    #[default]
    Score,
    /// Most frequent first.
    Frequency,
    /// Alphabetical by normalised key.
    Term,
    /// Most recently found first.
    Recent,
}

impl std::str::FromStr for CandidateSort {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "score" => Ok(CandidateSort::Score),
            "frequency" => Ok(CandidateSort::Frequency),
            "term" => Ok(CandidateSort::Term),
            "recent" => Ok(CandidateSort::Recent),
            other => Err(Error::invalid("sort", format!("{other:?} is not one of score, frequency, term, recent"))),
        }
    }
}

impl std::str::FromStr for CandidateStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "pending" => Ok(CandidateStatus::Pending),
            "accepted" => Ok(CandidateStatus::Accepted),
            "rejected" => Ok(CandidateStatus::Rejected),
            "merged" => Ok(CandidateStatus::Merged),
            "known" => Ok(CandidateStatus::Known),
            other => Err(Error::invalid(
                "status",
                format!("{other:?} is not one of pending, accepted, rejected, merged, known"),
            )),
        }
    }
}

/// A candidate listing request.
#[derive(Clone, Debug)]
pub struct CandidateQuery {
    /// Only this status (`None`: all).
    pub status: Option<CandidateStatus>,
    /// Only candidates seen at least this often.
    pub min_frequency: u32,
    /// Order.
    pub sort: CandidateSort,
    /// Position to continue from (a previous page's `next_cursor`).
    pub cursor: Option<String>,
    /// Page size, 1..=[`MAX_CANDIDATE_PAGE`].
    pub limit: usize,
}

impl Default for CandidateQuery {
    fn default() -> Self {
        CandidateQuery {
            status: Some(CandidateStatus::Pending),
            min_frequency: 1,
            sort: CandidateSort::Score,
            cursor: None,
            limit: 20,
        }
    }
}

/// One page of candidates.
#[derive(Clone, Debug)]
pub struct CandidatePage {
    /// The candidates.
    pub items: Vec<QueuedCandidate>,
    /// Matching candidates in all pages.
    pub total: usize,
    /// Pass as `cursor` for the next page; `None` on the last.
    pub next_cursor: Option<String>,
}

/// What a reviewer sends to accept a candidate.
#[derive(Clone, Debug, Default)]
pub struct AcceptRequest {
    /// The Vietnamese term to record, if not the candidate's display form
    /// (it must have the same normalised key, e.g. a different case).
    pub term: Option<String>,
    /// English equivalent, if known.
    pub english: Option<String>,
    /// Status of the new terms (default preferred).
    pub status: Option<TermStatus>,
    /// Subject field of the new concept.
    pub subject_field: Option<String>,
    /// Note on the new concept.
    pub note: Option<String>,
    /// Collection of the new concept (`default` when `None`).
    pub collection: Option<Collection>,
}

/// What a reviewer sends to merge a candidate into an existing concept.
#[derive(Clone, Debug)]
pub struct MergeRequest {
    /// The concept to add the term to.
    pub concept: ConceptId,
    /// Only if the concept is still at this version.
    pub version: Option<u64>,
    /// Status of the added term (default admitted).
    pub status: Option<TermStatus>,
}

/// The order of the last candidate listing, so that the following pages
/// decode only their own records. Valid while the queue's generation is
/// unchanged.
#[derive(Default)]
pub(crate) struct ListingCache {
    pub generation: u64,
    pub status: Option<CandidateStatus>,
    pub min_frequency: u32,
    pub sort: CandidateSort,
    /// Keys of the matching candidates, in listing order.
    pub keys: Vec<Vec<u8>>,
}

/// Sorts a listing of items that each hold a candidate.
pub(crate) fn sort_by_candidate<T>(items: &mut [T], order: CandidateSort, get: impl Fn(&T) -> &QueuedCandidate) {
    let by_key = |a: &QueuedCandidate, b: &QueuedCandidate| a.candidate.key.cmp(&b.candidate.key);
    let by_score = |a: &QueuedCandidate, b: &QueuedCandidate| {
        b.candidate.score.total_cmp(&a.candidate.score).then_with(|| by_key(a, b))
    };
    items.sort_by(|x, y| {
        let (a, b) = (get(x), get(y));
        match order {
            CandidateSort::Score => by_score(a, b),
            CandidateSort::Frequency => b.candidate.frequency.cmp(&a.candidate.frequency).then_with(|| by_key(a, b)),
            CandidateSort::Term => by_key(a, b),
            CandidateSort::Recent => b.last_run.cmp(&a.last_run).then_with(|| by_score(a, b)),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_url_safe() {
        let id = candidate_id("hữu nghị vĩ đại");
        assert_eq!(id, candidate_id("hữu nghị vĩ đại"));
        assert_ne!(id, candidate_id("hữu nghị"));
        assert_eq!(id.len(), 17);
        assert!(id.starts_with('k') && id[1..].chars().all(|c| c.is_ascii_hexdigit()));
        // FNV-1a test vector: the empty string hashes to the offset basis.
        assert_eq!(candidate_id(""), "kcbf29ce484222325");
    }

    #[test]
    fn sort_and_status_names() {
        for (s, ok) in [("score", true), ("frequency", true), ("term", true), ("recent", true), ("best", false)] {
            assert_eq!(s.parse::<CandidateSort>().is_ok(), ok, "{s}");
        }
        for st in [
            CandidateStatus::Pending,
            CandidateStatus::Accepted,
            CandidateStatus::Rejected,
            CandidateStatus::Merged,
            CandidateStatus::Known,
        ] {
            assert_eq!(st.as_str().parse::<CandidateStatus>().unwrap(), st);
        }
    }
}
