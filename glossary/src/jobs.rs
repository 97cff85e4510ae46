//! The job runner: every import and every mining run is a recorded job,
//! and the runner owns the background threads that execute the large ones.
//!
//! # Records
//! A [`Job`] is stored in the tree `jobs` (key: the id as a big-endian
//! `u64`, value: JSON), next to the data it describes. Ids are small and
//! sequential (the last stored id + 1). A job goes
//! `queued` → `running` → `done` | `failed`; an import waiting for the
//! import lock is `queued`. When the glossary is opened, every job still
//! `queued` or `running` belongs to a process that stopped without
//! finishing it: it is marked `interrupted`, with a message saying what
//! was stored. Import jobs record their counts in the same transaction as
//! each batch of concepts, so after a `kill -9` the job says exactly how
//! many concepts were created and updated (translation-memory imports save
//! the counts right after each batch, so theirs may lag by one batch).
//!
//! # Imports, one at a time
//! [`crate::Glossary::import`] holds the store's import lock while it applies a
//! file, whoever calls it (HTTP, command line, a background job): two
//! imports of one file run one after the other, and the second finds every
//! concept already there (`unchanged`), so nothing is created twice.
//!
//! # Background work
//! [`crate::Glossary::submit_import`] and [`crate::Glossary::submit_mining_run`] run
//! small inputs at once and hand larger ones ([`SYNC_IMPORT_BYTES`],
//! [`SYNC_MINING_BYTES`]) to a thread of their own, returning the job to
//! poll. At most `max_background_jobs` ([`MAX_BACKGROUND_JOBS`] by default)
//! background jobs exist at once, queued ones included; beyond, submitting
//! fails with [`Error::Busy`] and nothing is recorded. Progress of running
//! jobs is kept in memory and read with [`crate::Glossary::job`].

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};

use crate::error::{Error, RecordKind, Result};
use crate::formats::service::check_file;
use crate::formats::service::Importer;
use crate::formats::{Format, ImportOptions, ImportReport};
use crate::mining::{Candidate, Document, MiningOptions, MiningQueue, MiningRun};
use crate::model::Timestamp;
use crate::store::jobs::JobStore;
use crate::store::Store;

/// Background jobs (imports and mining runs) that may exist at once.
pub const MAX_BACKGROUND_JOBS: usize = 8;
/// Seconds a client is told to wait when the background jobs are full.
pub const RETRY_AFTER_SECS: u64 = 5;
/// Files up to this many bytes are imported within the request; larger
/// ones in the background.
pub const SYNC_IMPORT_BYTES: usize = 1024 * 1024;
/// Corpora up to this many bytes of text are mined within the request;
/// larger ones in the background.
pub const SYNC_MINING_BYTES: usize = 1024 * 1024;
/// Largest page of [`crate::Glossary::jobs`].
pub const MAX_JOB_PAGE: usize = 200;
/// Skipped entries and warnings an import job keeps (the report of a
/// foreground import has up to [`crate::formats::MAX_LISTED`]).
const MAX_JOB_NOTES: usize = 20;

/// What a job does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// An import of a glossary or TMX file.
    Import,
    /// A mining run (see `mining_run`).
    Mining,
}

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
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

impl JobState {
    /// Stable lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Interrupted => "interrupted",
        }
    }

    /// Whether the job will not change any more.
    pub fn is_final(self) -> bool {
        matches!(self, JobState::Done | JobState::Failed | JobState::Interrupted)
    }
}

impl std::str::FromStr for JobState {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        [JobState::Queued, JobState::Running, JobState::Done, JobState::Failed, JobState::Interrupted]
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                Error::invalid("state", format!("{s:?} is not one of queued, running, done, failed, interrupted"))
            })
    }
}

/// How far a running job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobProgress {
    /// Units done: entries applied (import) or bytes of text processed (mining).
    pub done: u64,
    /// Units in all.
    pub total: u64,
}

/// What a job did (so far, while it runs; what was stored, once
/// interrupted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobCounts {
    /// Entries read (import) or candidates found (mining).
    pub entries: u64,
    /// Concepts (TMX: units) created, or candidates new to the queue.
    pub created: u64,
    /// Concepts (TMX: units) changed, or candidates already queued.
    pub updated: u64,
    /// Entries the glossary already had (import).
    pub unchanged: u64,
    /// Entries not applied (import), or candidates rejected before (mining).
    pub skipped: u64,
    /// Store transactions committed.
    pub batches: u64,
}

/// A recorded job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Id (1, 2, ...).
    pub id: u64,
    /// What it does.
    pub kind: JobKind,
    /// Where it is.
    pub state: JobState,
    /// Whether it runs on a background thread (else within the request or
    /// command that started it).
    pub background: bool,
    /// When it was recorded.
    pub created: Timestamp,
    /// When it started working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Timestamp>,
    /// When it finished (or was found interrupted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished: Option<Timestamp>,
    /// Import: the format asked for (for TBX, the dialect found once read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Import: whether it was all-or-nothing.
    #[serde(default)]
    pub atomic: bool,
    /// Mining: the run it executes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mining_run: Option<u64>,
    /// On a shared (PostgreSQL) store: the lease id of the server running
    /// it (see `store::feed::Lease`); a starting server leaves the
    /// unfinished jobs of live servers alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<i32>,
    /// Counts so far.
    #[serde(default)]
    pub counts: JobCounts,
    /// Progress of a running job (not stored: kept in memory while it runs).
    #[serde(default, skip_serializing)]
    pub progress: Option<JobProgress>,
    /// Import: the first skipped entries and warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why it failed, or what an interruption left stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A job listing request: newest first.
#[derive(Clone, Debug)]
pub struct JobQuery {
    /// Only jobs of this kind.
    pub kind: Option<JobKind>,
    /// Only jobs in this state.
    pub state: Option<JobState>,
    /// Only jobs older than this id (a previous page's `next_cursor`).
    pub before: Option<u64>,
    /// Page size, 1..=[`MAX_JOB_PAGE`].
    pub limit: usize,
}

impl Default for JobQuery {
    fn default() -> Self {
        JobQuery { kind: None, state: None, before: None, limit: 20 }
    }
}

/// One page of jobs, newest first.
#[derive(Clone, Debug)]
pub struct JobPage {
    /// The jobs.
    pub items: Vec<Job>,
    /// Pass as `before` for the next page; `None` on the last.
    pub next_cursor: Option<u64>,
}

/// The outcome of submitting work: finished within the call, or handed to
/// a background job to poll.
#[derive(Debug)]
pub enum Submitted<F, B = F> {
    /// Done; the result.
    Finished(F),
    /// Working in the background.
    Background(B),
}

/// What the background threads of [`JobRunner::submit_import`] and
/// [`JobRunner::submit_mining_run`] hold (shared with them through an
/// `Arc`): the runner itself and the features a job writes through. The
/// glossary facade implements it with one-line accessors.
pub(crate) trait JobHost: Send + Sync + 'static {
    /// The job runner.
    fn runner(&self) -> &JobRunner;
    /// The handles an import writes through.
    fn importer(&self) -> Importer<'_>;
    /// The mining review queue.
    fn mining_queue(&self) -> &MiningQueue;
    /// Marks the candidates the glossary already holds (see
    /// [`crate::mining::mark_known`]).
    fn mark_known(&self, candidates: &mut [Candidate]) -> Result<()>;
}

/// The runner's state inside [`crate::Glossary`].
pub(crate) struct JobRunner {
    records: JobStore,
    /// The last id handed out; taken to allocate the next.
    last_id: Mutex<u64>,
    background: Arc<AtomicUsize>,
    max_background: usize,
    progress: Mutex<HashMap<u64, JobProgress>>,
    /// Held by every import while it applies a file.
    import: Mutex<()>,
    /// This server's lease id on a shared store, recorded in its jobs.
    owner: Option<i32>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A background slot, given back when dropped.
pub(crate) struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl JobRunner {
    pub(crate) fn open(store: &Store, max_background: usize, owner: Option<i32>) -> Result<JobRunner> {
        let records = JobStore::open(store);
        let last = records.last_id()?;
        Ok(JobRunner {
            records,
            last_id: Mutex::new(last),
            background: Arc::new(AtomicUsize::new(0)),
            max_background: max_background.max(1),
            progress: Mutex::new(HashMap::new()),
            import: Mutex::new(()),
            owner,
        })
    }

    /// Takes a background slot, or fails with [`Error::Busy`].
    fn reserve(&self) -> Result<Slot> {
        let max = self.max_background;
        match self.background.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1)) {
            Ok(_) => Ok(Slot(self.background.clone())),
            Err(_) => Err(Error::Busy {
                reason: format!(
                    "{max} background jobs (imports and mining runs) are already queued or running; \
                     try again in a few seconds"
                ),
                retry_after_secs: RETRY_AFTER_SECS,
            }),
        }
    }

    pub(crate) fn set_progress(&self, id: u64, done: u64, total: u64) {
        lock(&self.progress).insert(id, JobProgress { done, total });
    }

    fn forget_progress(&self, id: u64) {
        lock(&self.progress).remove(&id);
    }

    fn progress_of(&self, id: u64) -> Option<JobProgress> {
        lock(&self.progress).get(&id).copied()
    }
}

impl JobRunner {
    /// A job by id, with its progress if it is running.
    pub(crate) fn job(&self, id: u64) -> Result<Job> {
        match self.records.get(id)? {
            Some(mut job) => {
                if job.state == JobState::Running {
                    job.progress = self.progress_of(id);
                }
                Ok(job)
            }
            None => Err(Error::NotFound { kind: RecordKind::Job, id: id.to_string() }),
        }
    }

    /// Jobs, newest first, one page at a time.
    pub(crate) fn jobs(&self, query: &JobQuery) -> Result<JobPage> {
        if query.limit == 0 || query.limit > MAX_JOB_PAGE {
            return Err(Error::invalid("limit", format!("must be between 1 and {MAX_JOB_PAGE}")));
        }
        let end = query.before.unwrap_or(u64::MAX);
        let mut items = Vec::with_capacity(query.limit);
        let mut next_cursor = None;
        for mut job in self.records.newest_before(end)? {
            if query.kind.is_some_and(|k| k != job.kind) || query.state.is_some_and(|s| s != job.state) {
                continue;
            }
            if items.len() == query.limit {
                next_cursor = items.last().map(|j: &Job| j.id);
                break;
            }
            if job.state == JobState::Running {
                job.progress = self.progress_of(job.id);
            }
            items.push(job);
        }
        Ok(JobPage { items, next_cursor })
    }

    /// Progress of a mining run working in the background.
    pub(crate) fn mining_run_progress(&self, run: &MiningRun) -> Option<JobProgress> {
        run.job.and_then(|id| self.progress_of(id))
    }

    /// Imports a file (see [`crate::Glossary::import`]) within the call when it
    /// is at most [`SYNC_IMPORT_BYTES`], else on a background thread:
    /// then the job to poll is returned at once, or [`Error::Busy`] when
    /// the background jobs are full.
    pub(crate) fn submit_import<H: JobHost, D>(
        host: &Arc<H>,
        format: Format,
        options: ImportOptions,
        data: D,
    ) -> Result<Submitted<ImportReport, Job>>
    where
        D: AsRef<[u8]> + Send + 'static,
    {
        if data.as_ref().len() <= SYNC_IMPORT_BYTES {
            let open = || Ok(Cursor::new(data.as_ref()));
            return host.importer().import(format, &options, open).map(Submitted::Finished);
        }
        let runner = host.runner();
        let slot = runner.reserve()?;
        // The check pass runs here, so that a refused file is answered at
        // once (and recorded as a failed job), like a small one.
        let checked = match check_file(format, &options, &mut || Ok(Cursor::new(data.as_ref()))) {
            Ok(n) => n,
            Err(e) => {
                let mut job = runner.begin_job(JobKind::Import, false, Some(format), options.atomic)?;
                job.state = JobState::Failed;
                job.finished = Some(Timestamp::now());
                job.error = Some(e.to_string());
                runner.save_job(&job)?;
                return Err(e);
            }
        };
        let job = runner.begin_job(JobKind::Import, true, Some(format), options.atomic)?;
        let shared = Arc::clone(host);
        let queued = job.clone();
        let id = job.id;
        std::thread::Builder::new()
            .name(format!("import-job-{id}"))
            .spawn(move || {
                let open = || Ok(Cursor::new(data.as_ref()));
                let importer = shared.importer();
                match JobRunner::run_import_job(&importer, job, Some(slot), format, &options, open, Some(checked)) {
                    Ok(r) => log::info!("import job {id}: {} created, {} updated", r.created, r.updated),
                    Err(e) => log::warn!("import job {id} failed: {e}"),
                }
            })
            .map_err(|e| runner.fail_unstarted(queued.clone(), e))?;
        Ok(Submitted::Background(queued))
    }

    /// Mines documents into the review queue (see
    /// [`crate::Glossary::execute_mining_run`]) within the call when their text
    /// is at most [`SYNC_MINING_BYTES`], else on a background thread: then
    /// the run (status `running`) is returned at once, or [`Error::Busy`]
    /// when the background jobs are full. Either way the run is a job.
    pub(crate) fn submit_mining_run<H: JobHost>(
        host: &Arc<H>,
        documents: Vec<Document>,
        options: MiningOptions,
    ) -> Result<Submitted<MiningRun>> {
        crate::mining::check(&documents, &options)?;
        let (runner, queue) = (host.runner(), host.mining_queue());
        let bytes: usize = documents.iter().map(|d| d.text.len()).sum();
        if bytes <= SYNC_MINING_BYTES {
            let (job, run) = runner.begin_mining_job(queue, &documents, &options, false)?;
            let known = |c: &mut [Candidate]| host.mark_known(c);
            let result = queue.execute_mining_run(run.id, &documents, &options, &mut |_| {}, &known);
            runner.finish_mining_job(job, None, &result)?;
            return result.map(Submitted::Finished);
        }
        let slot = runner.reserve()?;
        let (job, run) = runner.begin_mining_job(queue, &documents, &options, true)?;
        let shared = Arc::clone(host);
        let id = job.id;
        let unstarted = job.clone();
        runner.set_progress(id, 0, 0);
        std::thread::Builder::new()
            .name(format!("mining-job-{id}"))
            .spawn(move || {
                let runner = shared.runner();
                let mut report = |p: crate::mining::Progress| runner.set_progress(id, p.done, p.total);
                let known = |c: &mut [Candidate]| shared.mark_known(c);
                let result =
                    shared.mining_queue().execute_mining_run(run.id, &documents, &options, &mut report, &known);
                if let Err(e) = runner.finish_mining_job(job, Some(slot), &result) {
                    log::warn!("mining job {id}: cannot record the end: {e}");
                }
            })
            .map_err(|e| runner.fail_unstarted(unstarted, e))?;
        queue.mining_run(run.id).map(Submitted::Background)
    }

    /// Records a new job (state `queued`).
    pub(crate) fn begin_job(
        &self,
        kind: JobKind,
        background: bool,
        format: Option<Format>,
        atomic: bool,
    ) -> Result<Job> {
        let mut last = lock(&self.last_id);
        let mut job = Job {
            id: *last + 1,
            kind,
            state: JobState::Queued,
            background,
            created: Timestamp::now(),
            started: None,
            finished: None,
            format: format.map(|f| f.name().to_string()),
            atomic,
            mining_run: None,
            owner: self.owner,
            counts: JobCounts::default(),
            progress: None,
            notes: Vec::new(),
            error: None,
        };
        // Another server sharing the store may have taken the id.
        while !self.records.create(&job)? {
            job.id = self.records.last_id()?.max(job.id) + 1;
        }
        *last = job.id;
        Ok(job)
    }

    /// Stores a job record and flushes.
    pub(crate) fn save_job(&self, job: &Job) -> Result<()> {
        self.records.save(job)
    }

    /// A background thread could not be started: the job failed.
    fn fail_unstarted(&self, mut job: Job, e: std::io::Error) -> Error {
        job.state = JobState::Failed;
        job.finished = Some(Timestamp::now());
        job.error = Some(format!("cannot start a background thread: {e}"));
        if let Err(e) = self.save_job(&job) {
            log::warn!("job {}: cannot record the failure: {e}", job.id);
        }
        Error::Busy {
            reason: format!("cannot start a background thread ({e}); try again later"),
            retry_after_secs: RETRY_AFTER_SECS,
        }
    }

    /// Runs an import as job `job`: the check pass (unless `checked`
    /// gives the entry count of one already done), then, under the import
    /// lock, the apply pass: `queued` until the lock is free, `running`,
    /// then `done` or `failed`. A background job's `slot` is given back
    /// before the final state is stored, so a client that sees the job
    /// finished may submit the next one. The runner is the importer's
    /// (`importer.jobs`).
    pub(crate) fn run_import_job<F, R>(
        importer: &Importer<'_>,
        mut job: Job,
        slot: Option<Slot>,
        format: Format,
        options: &ImportOptions,
        mut open: F,
        checked: Option<u64>,
    ) -> Result<ImportReport>
    where
        F: FnMut() -> std::io::Result<R>,
        R: std::io::BufRead,
    {
        let runner = importer.jobs;
        let result = (|| {
            let total = match checked {
                Some(n) => n,
                None => check_file(format, options, &mut open)?,
            };
            let _one_at_a_time = lock(&runner.import);
            job.state = JobState::Running;
            job.started = Some(Timestamp::now());
            runner.save_job(&job)?;
            importer.apply(format, options, open, &mut job, total)
        })();
        runner.forget_progress(job.id);
        drop(slot);
        job.finished = Some(Timestamp::now());
        match result {
            Ok(mut report) => {
                job.state = JobState::Done;
                job.format = Some(report.format.name().to_string());
                job.counts = counts_of(&report);
                job.notes = report
                    .skipped
                    .iter()
                    .map(|s| format!("skipped entry {} (line {}): {}", s.entry, s.line, s.reason))
                    .chain(report.warnings.iter().cloned())
                    .take(MAX_JOB_NOTES)
                    .collect();
                runner.save_job(&job)?;
                report.job = Some(job.id);
                Ok(report)
            }
            Err(e) => {
                job.state = JobState::Failed;
                job.error = Some(e.to_string());
                if let Err(save) = runner.save_job(&job) {
                    log::warn!("import job {}: cannot record the failure: {save}", job.id);
                }
                Err(e)
            }
        }
    }

    /// Records a mining job and its run (both `running`).
    fn begin_mining_job(
        &self,
        queue: &MiningQueue,
        documents: &[Document],
        options: &MiningOptions,
        background: bool,
    ) -> Result<(Job, MiningRun)> {
        let mut job = self.begin_job(JobKind::Mining, background, None, false)?;
        let run = queue.create_mining_run_for(documents, options, Some(job.id))?;
        job.state = JobState::Running;
        job.started = Some(Timestamp::now());
        job.mining_run = Some(run.id);
        self.save_job(&job)?;
        Ok((job, run))
    }

    /// Records the end of a mining job (giving back its background slot
    /// first, as [`JobRunner::run_import_job`] does).
    fn finish_mining_job(&self, mut job: Job, slot: Option<Slot>, result: &Result<MiningRun>) -> Result<()> {
        self.forget_progress(job.id);
        drop(slot);
        job.finished = Some(Timestamp::now());
        match result {
            Ok(run) => {
                job.state = JobState::Done;
                job.counts = JobCounts {
                    entries: run.candidates as u64,
                    created: run.new as u64,
                    updated: run.updated as u64,
                    unchanged: 0,
                    skipped: run.rejected as u64,
                    batches: 1,
                };
            }
            Err(e) => {
                job.state = JobState::Failed;
                job.error = Some(e.to_string());
            }
        }
        self.save_job(&job)
    }

    /// Marks the jobs a previous process left `queued` or `running` as
    /// `interrupted`, saying what was stored. Called when the glossary is
    /// opened. A data directory belongs to one process at a time, so none
    /// of its jobs can still be working; on a shared store, the jobs of
    /// servers that are still live (their lease is held) are left alone.
    /// `lease_live` says whether a lease (a server) is live. Returns how
    /// many were marked.
    pub(crate) fn interrupt_unfinished_jobs(&self, lease_live: &dyn Fn(i32) -> Result<bool>) -> Result<usize> {
        let mut marked = 0;
        let unfinished: Vec<Job> =
            self.records.iter().filter(|j| j.as_ref().map_or(true, |j| !j.state.is_final())).collect::<Result<_>>()?;
        for mut job in unfinished {
            if self.owner_live(job.owner, lease_live)? {
                continue;
            }
            job.state = JobState::Interrupted;
            job.finished = Some(Timestamp::now());
            job.error = Some(match job.kind {
                JobKind::Import if job.atomic => "interrupted: the server stopped during an all-or-nothing import; \
                                                  nothing of the file is stored; import it again"
                    .to_string(),
                JobKind::Import => {
                    let c = job.counts;
                    format!(
                        "interrupted: the server stopped during the import; {} concepts created and {} updated \
                         in {} committed batches are stored, the rest of the file is not; import the file again \
                         to finish (entries already stored count as unchanged)",
                        c.created, c.updated, c.batches
                    )
                }
                JobKind::Mining => crate::mining::INTERRUPTED.to_string(),
            });
            self.records.save(&job)?;
            marked += 1;
        }
        Ok(marked)
    }

    /// Whether job `id` belongs to another server that is still live (on a
    /// shared store; `lease_live` says whether a lease is held); `false`
    /// for a job that is not recorded or has no owner.
    pub(crate) fn job_owner_live(&self, id: u64, lease_live: &dyn Fn(i32) -> Result<bool>) -> Result<bool> {
        self.owner_live(self.records.get(id)?.and_then(|j| j.owner), lease_live)
    }

    /// Whether `owner` is another server whose lease is live.
    fn owner_live(&self, owner: Option<i32>, lease_live: &dyn Fn(i32) -> Result<bool>) -> Result<bool> {
        match owner {
            Some(owner) if Some(owner) != self.owner => lease_live(owner),
            _ => Ok(false),
        }
    }

    /// Records the counts of an import so far in memory and as progress
    /// (the stored record gets them with each batch).
    pub(crate) fn note_import_progress(&self, job: &mut Job, report: &ImportReport, total: u64) {
        job.counts = counts_of(report);
        self.set_progress(job.id, report.entries, total);
    }
}

/// The counts of an import report.
pub(crate) fn counts_of(r: &ImportReport) -> JobCounts {
    JobCounts {
        entries: r.entries,
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        skipped: r.skipped_count,
        batches: r.batches,
    }
}

#[cfg(test)]
mod tests;
