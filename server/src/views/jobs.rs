//! Wire types of `/api/v1/jobs`: recorded imports and mining runs.

use glossary::jobs::{Job, JobCounts, JobKind, JobPage, JobState};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What a job does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobKindJson {
    /// An import of a glossary or TMX file.
    Import,
    /// A mining run (see `mining_run_id`).
    Mining,
}

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStateJson {
    /// Recorded, waiting (an import waits for the one before it).
    Queued,
    /// Working.
    Running,
    /// Finished; `counts` say what it did.
    Done,
    /// Stopped with an error (see `error`).
    Failed,
    /// Cut short by a stop of the server; `error` says what was stored.
    Interrupted,
}

/// What a job did: for an import, entries read and concepts (TMX: units)
/// created, updated, unchanged, skipped; for a mining run, candidates
/// found (`entries`), new to the queue (`created`), already queued
/// (`updated`) and rejected before (`skipped`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct JobCountsJson {
    /// Entries read, or candidates found.
    pub entries: u64,
    /// Concepts (units) created, or candidates new to the queue.
    pub created: u64,
    /// Concepts (units) changed, or candidates already queued.
    pub updated: u64,
    /// Entries the glossary already had.
    pub unchanged: u64,
    /// Entries not applied, or candidates rejected before.
    pub skipped: u64,
    /// Store transactions committed (each flushed).
    pub batches: u64,
}

/// How far a running job is.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct JobProgressJson {
    /// Units done: entries applied (import) or bytes of text processed (mining).
    pub done: u64,
    /// Units in all (0 while not yet known).
    pub total: u64,
    /// `done / total`, 0–100.
    pub percent: f64,
}

/// A recorded job: an import or a mining run.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 7, "kind": "import", "state": "interrupted", "background": true,
    "created": "2026-02-05T09:00:00Z", "started": "2026-02-05T09:00:00Z", "finished": "2026-02-05T09:01:10Z",
    "format": "tbx", "atomic": false,
    "counts": {"entries": 21000, "created": 21000, "updated": 0, "unchanged": 0, "skipped": 0, "batches": 42},
    "error": "interrupted: the server stopped during the import; 21000 concepts created and 0 updated in 42 committed batches are stored, the rest of the file is not; import the file again to finish (entries already stored count as unchanged)"}))]
pub struct JobJson {
    /// Job id (1, 2, ...).
    pub id: u64,
    /// What it does.
    pub kind: JobKindJson,
    /// Where it is.
    pub state: JobStateJson,
    /// Whether it runs in the background (else within the request or command that started it).
    pub background: bool,
    /// Recorded, RFC 3339.
    pub created: String,
    /// Started working, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// Finished (or found interrupted), RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished: Option<String>,
    /// Import: the format (for TBX, the dialect found once read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Import: all or nothing (one transaction).
    pub atomic: bool,
    /// Mining: the run (`GET /api/v1/mining/runs/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mining_run_id: Option<u64>,
    /// Counts so far; once interrupted, what is stored.
    pub counts: JobCountsJson,
    /// How far a running job is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<JobProgressJson>,
    /// Import: the first skipped entries and warnings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why it failed, or what an interruption left stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One page of jobs, newest first.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct JobPageJson {
    /// The jobs.
    pub items: Vec<JobJson>,
    /// Pass as `before` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<u64>,
}

impl From<JobKindJson> for JobKind {
    fn from(k: JobKindJson) -> Self {
        match k {
            JobKindJson::Import => JobKind::Import,
            JobKindJson::Mining => JobKind::Mining,
        }
    }
}

impl From<JobStateJson> for JobState {
    fn from(s: JobStateJson) -> Self {
        match s {
            JobStateJson::Queued => JobState::Queued,
            JobStateJson::Running => JobState::Running,
            JobStateJson::Done => JobState::Done,
            JobStateJson::Failed => JobState::Failed,
            JobStateJson::Interrupted => JobState::Interrupted,
        }
    }
}

impl From<&Job> for JobJson {
    fn from(j: &Job) -> Self {
        let JobCounts { entries, created, updated, unchanged, skipped, batches } = j.counts;
        JobJson {
            id: j.id,
            kind: match j.kind {
                JobKind::Import => JobKindJson::Import,
                JobKind::Mining => JobKindJson::Mining,
            },
            state: match j.state {
                JobState::Queued => JobStateJson::Queued,
                JobState::Running => JobStateJson::Running,
                JobState::Done => JobStateJson::Done,
                JobState::Failed => JobStateJson::Failed,
                JobState::Interrupted => JobStateJson::Interrupted,
            },
            background: j.background,
            created: j.created.to_rfc3339(),
            started: j.started.map(|t| t.to_rfc3339()),
            finished: j.finished.map(|t| t.to_rfc3339()),
            format: j.format.clone(),
            atomic: j.atomic,
            mining_run_id: j.mining_run,
            counts: JobCountsJson { entries, created, updated, unchanged, skipped, batches },
            progress: j.progress.map(|p| {
                let percent = if p.total == 0 { 0.0 } else { (p.done as f64 * 1000.0 / p.total as f64).round() / 10.0 };
                JobProgressJson { done: p.done, total: p.total, percent: percent.min(100.0) }
            }),
            notes: j.notes.clone(),
            error: j.error.clone(),
        }
    }
}

impl From<&JobPage> for JobPageJson {
    fn from(p: &JobPage) -> Self {
        JobPageJson { items: p.items.iter().map(JobJson::from).collect(), next_cursor: p.next_cursor }
    }
}

/// Listing parameters of the jobs.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JobParams {
    /// Only jobs of this kind.
    pub kind: Option<JobKindJson>,
    /// Only jobs in this state.
    pub state: Option<JobStateJson>,
    /// Only jobs older than this id (`next_cursor` of the previous page).
    #[param(minimum = 1)]
    pub before: Option<u64>,
    /// Page size, 1–200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
}
