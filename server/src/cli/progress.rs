//! A progress line for long imports on a terminal.
//!
//! The import itself runs on a scoped thread; this thread reads the job's
//! in-memory progress (`Glossary::job`, the counters every batch updates,
//! the same ones `GET /api/v1/jobs/{id}` shows) ten times a second and
//! redraws one line on stderr: entries done of all, entries per second,
//! percentage, time left. Nothing is drawn when stderr is not a terminal
//! (a pipe, a log file, a test).

use std::io::IsTerminal;
use std::time::Duration;

use glossary::jobs::{JobKind, JobQuery};
use glossary::Glossary;

/// How often the job's counters are read.
const POLL: Duration = Duration::from_millis(100);

/// Runs `work` (an import on `glossary`), showing its progress on stderr
/// when that is a terminal.
pub(crate) fn with_import_progress<T: Send>(glossary: &Glossary, work: impl FnOnce() -> T + Send) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let previous = latest_import(glossary);
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message("checking the file");
    bar.tick();
    let counting = indicatif::ProgressStyle::with_template(
        "importing [{bar:24}] {human_pos}/{human_len} entries {percent}% {rate} eta {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(w, "{:.0}/s", state.per_sec());
    })
    .progress_chars("=> ");
    std::thread::scope(|s| {
        let handle = s.spawn(work);
        let mut job = None;
        let mut counting_started = false;
        while !handle.is_finished() {
            std::thread::sleep(POLL);
            if job.is_none() {
                job = latest_import(glossary).filter(|id| Some(*id) != previous);
            }
            let progress = job.and_then(|id| glossary.job(id).ok()).and_then(|j| j.progress);
            match progress {
                Some(p) if p.total > 0 => {
                    if !counting_started {
                        bar.set_style(counting.clone());
                        bar.reset_eta();
                        counting_started = true;
                    }
                    bar.set_length(p.total);
                    bar.set_position(p.done);
                }
                _ => bar.tick(),
            }
        }
        bar.finish_and_clear();
        handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The id of the newest import job.
fn latest_import(glossary: &Glossary) -> Option<u64> {
    let query = JobQuery { kind: Some(JobKind::Import), limit: 1, ..JobQuery::default() };
    glossary.jobs(&query).ok()?.items.first().map(|j| j.id)
}
