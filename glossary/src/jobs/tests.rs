//! Jobs against real stores: concurrent imports, records, the background
//! bound, all-or-nothing imports, interruption on reopen.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::formats::{Format, ImportOptions, MAX_ATOMIC_ENTRIES};
use crate::mining::Document;
use crate::Glossary;
use crate::OpenOptions;

fn open_with(dir: &std::path::Path, max_background_jobs: usize) -> Arc<Glossary> {
    let options = OpenOptions { max_background_jobs, ..OpenOptions::default() };
    Arc::new(Glossary::open(dir, &options).unwrap())
}

/// A TSV file of `n` distinct Vietnamese–English pairs.
fn tsv(n: usize) -> Vec<u8> {
    (0..n).map(|i| format!("điều khoản số {i}\tarticle number {i}\n")).collect::<String>().into_bytes()
}

fn import(g: &Glossary, doc: &[u8], options: &ImportOptions) -> Result<ImportReport> {
    g.import(Format::Tsv, options, || Ok(Cursor::new(doc)))
}

/// A TSV file of `n` pairs, each with a 3,000-character comment: over
/// [`SYNC_IMPORT_BYTES`] with few entries.
fn bulky_tsv(n: usize) -> Vec<u8> {
    let comment = "ghi chú ".repeat(375);
    (0..n).map(|i| format!("hiệp định số {i}\tagreement number {i}\t{comment}\n")).collect::<String>().into_bytes()
}

/// Polls a job until it is final.
fn wait(g: &Glossary, id: u64) -> Job {
    for _ in 0..6000 {
        let job = g.job(id).unwrap();
        if job.state.is_final() {
            return job;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("job {id} did not finish");
}

#[test]
fn concurrent_imports_of_one_file_create_each_concept_once() {
    let dir = tempfile::tempdir().unwrap();
    let g = open_with(dir.path(), MAX_BACKGROUND_JOBS);
    let doc = Arc::new(tsv(2_600));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (g, doc) = (g.clone(), doc.clone());
            std::thread::spawn(move || import(&g, &doc, &ImportOptions::default()).unwrap())
        })
        .collect();
    let reports: Vec<ImportReport> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let created: u64 = reports.iter().map(|r| r.created).sum();
    assert_eq!(created, 2_600, "{reports:?}");
    assert_eq!(g.stats().unwrap().concepts, 2_600);
    let mut unchanged: Vec<u64> = reports.iter().map(|r| r.unchanged).collect();
    unchanged.sort_unstable();
    assert_eq!(unchanged, vec![0, 2_600], "the second import found everything there");
    // Both were recorded as finished jobs with their counts.
    let mut ids: Vec<u64> = reports.iter().map(|r| r.job.unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![1, 2]);
    for r in &reports {
        let job = g.job(r.job.unwrap()).unwrap();
        assert_eq!((job.kind, job.state, job.background), (JobKind::Import, JobState::Done, false));
        assert_eq!(job.counts.created, r.created);
        assert_eq!(job.counts.unchanged, r.unchanged);
        assert_eq!(job.counts.batches, 6);
        assert_eq!(job.format.as_deref(), Some("tsv"));
    }
}

#[test]
fn jobs_are_listed_newest_first_and_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let g = open_with(dir.path(), MAX_BACKGROUND_JOBS);
    import(&g, &tsv(3), &ImportOptions::default()).unwrap();
    let bad = import(&g, b"\xff\xfe not utf-8", &ImportOptions::default());
    assert!(bad.is_err());
    let docs = vec![Document {
        id: None, title: None, text: "Hợp tác kinh tế. Hợp tác kinh tế và văn hóa.".into()
    }];
    let run = match g.submit_mining_run(docs, MiningOptions::default()).unwrap() {
        Submitted::Finished(run) => run,
        Submitted::Background(_) => panic!("a small corpus is mined at once"),
    };
    assert_eq!(run.job, Some(3));

    let page = g.jobs(&JobQuery::default()).unwrap();
    let seen: Vec<(u64, JobKind, JobState)> = page.items.iter().map(|j| (j.id, j.kind, j.state)).collect();
    assert_eq!(
        seen,
        vec![
            (3, JobKind::Mining, JobState::Done),
            (2, JobKind::Import, JobState::Failed),
            (1, JobKind::Import, JobState::Done)
        ]
    );
    assert_eq!(page.items[0].mining_run, Some(run.id));
    assert!(page.items[1].error.as_deref().unwrap().contains("UTF"), "{:?}", page.items[1].error);

    let cases: Vec<(JobQuery, Vec<u64>, Option<u64>)> = vec![
        (JobQuery { limit: 2, ..JobQuery::default() }, vec![3, 2], Some(2)),
        (JobQuery { limit: 2, before: Some(2), ..JobQuery::default() }, vec![1], None),
        (JobQuery { kind: Some(JobKind::Import), ..JobQuery::default() }, vec![2, 1], None),
        (JobQuery { state: Some(JobState::Failed), ..JobQuery::default() }, vec![2], None),
    ];
    for (query, ids, next) in cases {
        let page = g.jobs(&query).unwrap();
        assert_eq!(page.items.iter().map(|j| j.id).collect::<Vec<_>>(), ids, "{query:?}");
        assert_eq!(page.next_cursor, next, "{query:?}");
    }
    assert!(g.jobs(&JobQuery { limit: 0, ..JobQuery::default() }).is_err());
    assert!(matches!(g.job(99), Err(Error::NotFound { kind: RecordKind::Job, .. })));

    // Ids stay sequential across a reopen.
    drop(run);
    drop(g);
    let g = open_with(dir.path(), MAX_BACKGROUND_JOBS);
    let r = import(&g, &tsv(3), &ImportOptions::default()).unwrap();
    assert_eq!(r.job, Some(4));
}

#[test]
fn background_jobs_are_bounded_and_queue_behind_the_import_lock() {
    let dir = tempfile::tempdir().unwrap();
    let g = open_with(dir.path(), 1);
    let big = bulky_tsv(400);
    assert!(big.len() > SYNC_IMPORT_BYTES);
    let held = lock(&g.jobs.import);
    let job = match g.submit_import(Format::Tsv, ImportOptions::default(), big.clone()).unwrap() {
        Submitted::Background(job) => job,
        Submitted::Finished(_) => panic!("a large file goes to the background"),
    };
    assert!(job.background);
    // It waits for the lock.
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(g.job(job.id).unwrap().state, JobState::Queued);
    // The one slot is taken: more background work is refused, small work is not.
    let refused = g.submit_import(Format::Tsv, ImportOptions::default(), big.clone());
    assert!(matches!(refused, Err(Error::Busy { retry_after_secs: RETRY_AFTER_SECS, .. })), "{refused:?}");
    let corpus = vec![Document { id: None, title: None, text: "Hợp tác kinh tế. ".repeat(70_000) }];
    let refused = g.submit_mining_run(corpus, MiningOptions::default());
    assert!(matches!(refused, Err(Error::Busy { .. })), "{refused:?}");
    assert_eq!(g.jobs(&JobQuery::default()).unwrap().items.len(), 1, "a refused submission records nothing");
    drop(held);

    let done = wait(&g, job.id);
    assert_eq!(done.state, JobState::Done, "{done:?}");
    assert_eq!(done.counts.created, 400);
    assert_eq!(g.stats().unwrap().concepts, 400);
    // The slot came back.
    let again = g.submit_import(Format::Tsv, ImportOptions::default(), big).unwrap();
    let Submitted::Background(again) = again else { panic!("background") };
    let again = wait(&g, again.id);
    assert_eq!((again.counts.created, again.counts.unchanged), (0, 400));
}

#[test]
fn atomic_imports_use_one_transaction_up_to_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let g = open_with(dir.path(), MAX_BACKGROUND_JOBS);
    let atomic = ImportOptions { atomic: true, ..ImportOptions::default() };
    let r = import(&g, &tsv(1_200), &atomic).unwrap();
    assert_eq!((r.created, r.batches), (1_200, 1));
    assert!(g.job(r.job.unwrap()).unwrap().atomic);

    let over = tsv(MAX_ATOMIC_ENTRIES as usize + 1);
    match import(&g, &over, &atomic) {
        Err(Error::InvalidInput { field, reason }) => {
            assert_eq!(field, "atomic");
            assert!(reason.contains("at most 20000 entries"), "{reason}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(g.stats().unwrap().concepts, 1_200, "nothing of the refused file is stored");
}

#[test]
fn unfinished_jobs_read_interrupted_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let g = open_with(dir.path(), MAX_BACKGROUND_JOBS);
        // What a killed process leaves: a running import with the counts of
        // its committed batches, a queued one, and a running mining job.
        let mut running = g.jobs.begin_job(JobKind::Import, true, Some(Format::Tbx), false).unwrap();
        running.state = JobState::Running;
        running.counts = JobCounts { entries: 1_000, created: 700, updated: 300, batches: 2, ..JobCounts::default() };
        g.jobs.save_job(&running).unwrap();
        g.jobs.begin_job(JobKind::Import, true, Some(Format::Tsv), true).unwrap();
        let docs = vec![Document { id: None, title: None, text: "Hợp tác kinh tế.".into() }];
        g.jobs.begin_mining_job(&g.mining, &docs, &MiningOptions::default(), true).unwrap();
    }
    let g = open_with(dir.path(), MAX_BACKGROUND_JOBS);
    let jobs = g.jobs(&JobQuery::default()).unwrap().items;
    assert!(jobs.iter().all(|j| j.state == JobState::Interrupted && j.finished.is_some()), "{jobs:#?}");
    let message = |id: u64| jobs.iter().find(|j| j.id == id).unwrap().error.clone().unwrap();
    assert!(message(1).contains("700 concepts created and 300 updated in 2 committed batches"), "{}", message(1));
    assert!(message(2).contains("nothing of the file is stored"), "{}", message(2));
    assert!(message(3).starts_with("interrupted"), "{}", message(3));
    let run = g.mining_run(jobs[0].mining_run.unwrap()).unwrap();
    assert_eq!(run.status, crate::mining::RunStatus::Failed);
}

/// Several servers on one PostgreSQL store: a server that starts leaves
/// the unfinished jobs (and mining runs) of a live server alone, marks
/// them once that server is gone, and two servers never hand out the same
/// job id.
#[test]
fn on_a_shared_store_only_jobs_of_gone_servers_are_interrupted() {
    let Some(cluster) = crate::testing::PgCluster::shared() else { return };
    let location = crate::store::StoreLocation::Postgres(cluster.new_database());
    let open = || Glossary::open_at(&location, &OpenOptions::default()).unwrap();
    let a = open();
    let mut running = a.jobs.begin_job(JobKind::Import, true, Some(Format::Tsv), false).unwrap();
    running.state = JobState::Running;
    a.jobs.save_job(&running).unwrap();
    let docs = vec![Document { id: None, title: None, text: "Hợp tác kinh tế.".into() }];
    a.jobs.begin_mining_job(&a.mining, &docs, &MiningOptions::default(), true).unwrap();
    let jobs_of = |g: &Glossary| g.jobs(&JobQuery::default()).unwrap().items;

    let b = open();
    assert!(jobs_of(&b).iter().all(|j| !j.state.is_final()), "{:#?}", jobs_of(&b));
    let mining = jobs_of(&b).iter().find_map(|j| j.mining_run).unwrap();
    assert_eq!(b.mining_run(mining).unwrap().status, crate::mining::RunStatus::Running);
    // Ids are checked in the store: A, which last handed out 2, does not
    // take the 3 that B just took.
    let own = b.jobs.begin_job(JobKind::Import, true, Some(Format::Tsv), false).unwrap();
    let later = a.jobs.begin_job(JobKind::Import, true, Some(Format::Tsv), false).unwrap();
    assert_eq!((own.id, later.id), (3, 4));

    // A goes (its lease connection closes); the next server to start
    // interrupts A's jobs, not B's.
    let owner = running.owner.unwrap();
    drop(a);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while b.lease_live(owner).unwrap() {
        assert!(std::time::Instant::now() < deadline, "A's lease outlived it");
        std::thread::sleep(Duration::from_millis(20));
    }
    let c = open();
    let state = |id: u64| jobs_of(&c).into_iter().find(|j| j.id == id).unwrap().state;
    assert_eq!(
        [state(1), state(2), state(3), state(4)],
        [JobState::Interrupted, JobState::Interrupted, JobState::Queued, JobState::Interrupted]
    );
    assert_eq!(c.mining_run(mining).unwrap().status, crate::mining::RunStatus::Failed);
}
