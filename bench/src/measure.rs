//! CPU time and memory of this process, without a dependency.
//!
//! The peers report CPU time (Python's `time.process_time`, PostgreSQL's
//! backend utime + stime) because the benchmark machines are shared and
//! wall-clock time varies much more than CPU time. We do the same with
//! `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`: every measured loop runs on
//! one thread, so its CPU time is the cost of the queries it runs.

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    // From the C library every Rust program on Linux links against.
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}

const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
const CLOCK_THREAD_CPUTIME_ID: i32 = 3;

fn read(clock: i32) -> u64 {
    let mut ts = Timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec with the C layout on
    // 64-bit Linux; clock_gettime writes nothing else.
    let rc = unsafe { clock_gettime(clock, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime failed");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// CPU time of the calling thread, in nanoseconds.
pub fn thread_cpu_ns() -> u64 {
    read(CLOCK_THREAD_CPUTIME_ID)
}

/// CPU time of the whole process (all threads), in nanoseconds.
pub fn process_cpu_ns() -> u64 {
    read(CLOCK_PROCESS_CPUTIME_ID)
}

/// Resident set size of this process, in bytes (from /proc/self/status).
pub fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Per-operation CPU times and their summary.
#[derive(Default)]
pub struct Samples {
    ns: Vec<u64>,
}

impl Samples {
    /// Runs `f` and records the thread CPU time it took.
    pub fn time<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let start = thread_cpu_ns();
        let out = f();
        self.ns.push(thread_cpu_ns() - start);
        out
    }

    /// Records a time measured elsewhere.
    pub fn push_ns(&mut self, ns: u64) {
        self.ns.push(ns);
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.ns.len()
    }

    /// Mean in milliseconds.
    pub fn mean_ms(&self) -> f64 {
        if self.ns.is_empty() {
            return 0.0;
        }
        self.ns.iter().sum::<u64>() as f64 / self.ns.len() as f64 / 1e6
    }

    /// The `p`-th percentile (0–100) in milliseconds (nearest rank).
    pub fn percentile_ms(&self, p: f64) -> f64 {
        if self.ns.is_empty() {
            return 0.0;
        }
        let mut v = self.ns.clone();
        v.sort_unstable();
        let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
        v[rank.min(v.len()) - 1] as f64 / 1e6
    }

    /// Mean, p50 and p99 as JSON.
    pub fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "n": self.len(),
            "cpu_ms_mean": round3(self.mean_ms()),
            "cpu_ms_p50": round3(self.percentile_ms(50.0)),
            "cpu_ms_p99": round3(self.percentile_ms(99.0)),
        })
    }
}

/// Rounds to three decimals for reports.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
