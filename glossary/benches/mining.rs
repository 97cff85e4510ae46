//! Mining throughput and memory: `cargo bench -p glossary --bench mining`.
//!
//! Two corpora, mined on one thread:
//!
//! 1. **Replicated seeds** (about 4 MB): the seed documents
//!    (`../shared/seeds`) copied with light perturbations (case, dash and
//!    tone-mark spellings, numbers, document order). Reported against the
//!    baseline of sentence splitting and tokenising the same text with
//!    `glossary::text`, in the same run.
//! 2. **Generated text** of 4, 8, 16 and 32 MB: a random walk over the
//!    seeds' word bigrams, with one word in seven drawn from the bundled
//!    general-Vietnamese syllable list by frequency. Unlike copies, it keeps
//!    producing new n-grams as it grows, as real text does, so it shows how
//!    the working memory of a run grows with the corpus. Memory is measured
//!    by a counting allocator: the peak heap during `mine` above what the
//!    input documents already hold, and that minus the corpus size (the
//!    run keeps one cleaned copy of the text, which offsets refer to).
//!
//! Without the seeds, a small built-in text stands in for them.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use glossary::mining::{mine, Document, MiningOptions};

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const REPLICATED_BYTES: usize = 4 * 1024 * 1024;
const GENERATED_MB: &[usize] = &[4, 8, 16, 32];

fn base_texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds");
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .collect()
        })
        .unwrap_or_default();
    texts.sort();
    if texts.is_empty() {
        eprintln!("(seeds not found at {}; using a built-in text)", dir.display());
        texts.push(
            "Hai bên nhất trí tăng cường hợp tác toàn diện, thúc đẩy quan hệ đối tác chiến lược toàn diện. \
             Bộ trưởng Ngoại giao hai nước ký kết thỏa thuận về hành lang kinh tế xuyên biên giới.\n"
                .repeat(40),
        );
    }
    texts
}

/// A perturbed copy: every few lines changes case, dash style or tone
/// placement, and numbers change, so the copies are not byte-identical.
fn perturb(text: &str, n: usize) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in text.lines().enumerate() {
        let line = match (i + n) % 4 {
            0 => line.replace(" - ", " – ").replace("hòa", "hoà"),
            1 => line.replace("2025", &format!("{}", 2000 + n % 50)),
            2 => line.replace("Việt Nam-Lào", "Việt Nam - Lào"),
            _ => line.to_string(),
        };
        out.push_str(&line);
        // A number keeps every copy of a line distinct, so the repeated-line
        // boilerplate rule does not drop the replicated text.
        out.push_str(&format!(" {n}\n"));
    }
    out
}

fn replicated(bases: &[String]) -> Vec<Document> {
    let mut docs = Vec::new();
    let (mut bytes, mut n) = (0, 0);
    while bytes < REPLICATED_BYTES {
        let text = perturb(&bases[n % bases.len()], n);
        bytes += text.len();
        docs.push(Document { id: Some(format!("d{n}")), title: None, text });
        n += 1;
    }
    docs
}

/// splitmix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Generates text from the seeds' bigrams mixed with general syllables.
struct Generator {
    words: Vec<String>,
    next: HashMap<usize, Vec<usize>>,
    general: Vec<String>,
    cumulative: Vec<f64>,
}

impl Generator {
    fn new(bases: &[String]) -> Generator {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut words = Vec::new();
        let mut next: HashMap<usize, Vec<usize>> = HashMap::new();
        for line in bases.iter().flat_map(|t| t.lines()) {
            let mut prev: Option<usize> = None;
            for w in line.split_whitespace() {
                let id = *index.entry(w.to_string()).or_insert_with(|| {
                    words.push(w.to_string());
                    words.len() - 1
                });
                if let Some(p) = prev {
                    next.entry(p).or_default().push(id);
                }
                prev = Some(id);
            }
        }
        let list = include_str!("../data/vi-syllable-freq.tsv");
        let (mut general, mut cumulative, mut total) = (Vec::new(), Vec::new(), 0.0);
        for line in list.lines().filter(|l| !l.starts_with('#')) {
            if let Some((w, z)) = line.split_once('\t') {
                total += 10f64.powf(z.trim().parse::<f64>().unwrap_or(300.0) / 100.0);
                general.push(w.to_string());
                cumulative.push(total);
            }
        }
        Generator { words, next, general, cumulative }
    }

    fn general_word(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().expect("non-empty list");
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let i = self.cumulative.partition_point(|&c| c < x).min(self.general.len() - 1);
        &self.general[i]
    }

    fn document(&self, rng: &mut Rng, bytes: usize) -> String {
        let mut out = String::with_capacity(bytes + 256);
        let mut cur = rng.below(self.words.len());
        while out.len() < bytes {
            let len = 12 + rng.below(30);
            for i in 0..len {
                if i > 0 {
                    out.push(' ');
                }
                if rng.below(7) == 0 {
                    out.push_str(self.general_word(rng));
                } else {
                    out.push_str(&self.words[cur]);
                }
                cur = match self.next.get(&cur) {
                    Some(v) => v[rng.below(v.len())],
                    None => rng.below(self.words.len()),
                };
            }
            out.push_str(".\n");
        }
        out
    }

    fn corpus(&self, seed: u64, bytes: usize) -> Vec<Document> {
        let mut rng = Rng(seed);
        let mut docs = Vec::new();
        let mut total = 0;
        while total < bytes {
            let text = self.document(&mut rng, 20_000);
            total += text.len();
            docs.push(Document { id: Some(format!("g{}", docs.len())), title: None, text });
        }
        docs
    }
}

struct Measured {
    seconds: f64,
    /// CPU time of the mining thread (best run), when the system reports it.
    cpu_seconds: Option<f64>,
    peak_bytes: usize,
    candidates: usize,
    ngrams: usize,
    passes: u32,
    /// SHA-256 (first 16 hex digits) of the ranked candidates as JSON, to
    /// check that a speed change leaves the results as they were.
    digest: String,
}

fn measure(docs: &[Document], runs: usize) -> Measured {
    let mut best = Measured {
        seconds: f64::MAX,
        cpu_seconds: None,
        peak_bytes: 0,
        candidates: 0,
        ngrams: 0,
        passes: 0,
        digest: String::new(),
    };
    for _ in 0..runs {
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let t = Instant::now();
        let cpu = cpu_seconds();
        let outcome = mine(docs, &MiningOptions { top: 200, ..MiningOptions::default() }, &mut |_| {}).unwrap();
        let seconds = t.elapsed().as_secs_f64();
        if let (Some(before), Some(after)) = (cpu, cpu_seconds()) {
            best.cpu_seconds = Some(best.cpu_seconds.map_or(after - before, |b: f64| b.min(after - before)));
        }
        let peak = PEAK.load(Ordering::Relaxed) - before;
        best.seconds = best.seconds.min(seconds);
        best.peak_bytes = best.peak_bytes.max(peak);
        best.candidates = outcome.candidates.len();
        best.ngrams = outcome.stats.distinct_ngrams;
        best.passes = outcome.stats.passes;
        best.digest = digest(&outcome.candidates);
        std::hint::black_box(outcome);
    }
    best
}

/// First 16 hex digits of the SHA-256 of the candidates as JSON.
fn digest(candidates: &[glossary::mining::Candidate]) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(candidates).expect("candidates serialise");
    Sha256::digest(&json).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Time this thread has spent on a CPU (Linux: `/proc/thread-self/schedstat`),
/// so that throughput per core can be read on a machine shared with other
/// work, where wall-clock time also counts the waits for a core.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// "x.x MB/s per CPU-second" when CPU time is known.
fn per_cpu(mb: f64, m: &Measured) -> String {
    m.cpu_seconds.map_or_else(|| "-".to_string(), |c| format!("{:.1}", mb / c))
}

fn baseline(docs: &[Document]) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let mut tokens = 0usize;
        for d in docs {
            for s in glossary::text::split_sentences(&d.text, glossary::text::SentenceLang::Vietnamese) {
                tokens += glossary::text::tokenize(s.text).len();
            }
        }
        std::hint::black_box(tokens);
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

fn bytes_of(docs: &[Document]) -> usize {
    docs.iter().map(|d| d.text.len()).sum()
}

fn main() {
    let bases = base_texts();

    // The seeds themselves, mined as a user would (default options): the
    // digest identifies the ranked output.
    let seeds: Vec<Document> = bases
        .iter()
        .enumerate()
        .map(|(i, t)| Document { id: Some(format!("s{i}")), title: None, text: t.clone() })
        .collect();
    let outcome = mine(&seeds, &MiningOptions::default(), &mut |_| {}).unwrap();
    println!("seeds: {} candidates, output digest {}", outcome.candidates.len(), digest(&outcome.candidates));

    let docs = replicated(&bases);
    let mb = bytes_of(&docs) as f64 / 1e6;
    println!("replicated seeds: {} documents, {:.2} MB", docs.len(), mb);
    let base = baseline(&docs);
    let m = measure(&docs, 3);
    println!("  baseline (split + tokenise): {:.3} s = {:.1} MB/s", base, mb / base);
    println!(
        "  mining ({} candidates, {} passes): {:.3} s = {:.1} MB/s",
        m.candidates,
        m.passes,
        m.seconds,
        mb / m.seconds
    );
    println!("  mining CPU time: {} MB per CPU-second", per_cpu(mb, &m));
    println!("  output digest {}", m.digest);
    println!("  mining / baseline time: {:.1}x", m.seconds / base);
    drop(docs);

    println!("generated text (seed bigrams + general syllables):");
    println!(
        "  {:>6} {:>9} {:>8} {:>9} {:>11} {:>13} {:>12} {:>13} {:>7} {:>16}",
        "MB",
        "mining s",
        "MB/s",
        "MB/cpu-s",
        "vs baseline",
        "peak heap MB",
        "minus text",
        "n-grams kept",
        "passes",
        "output digest"
    );
    let generator = Generator::new(&bases);
    let mut first: Option<(f64, f64, f64)> = None;
    // `MINING_BENCH_MB=4,8` picks other sizes.
    let sizes: Vec<usize> = std::env::var("MINING_BENCH_MB")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| GENERATED_MB.to_vec());
    // `MINING_BENCH_RUNS=3` keeps the best of three runs of each size.
    let runs = std::env::var("MINING_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    for size in sizes {
        let docs = generator.corpus(size as u64, size * 1_000_000);
        let mb = bytes_of(&docs) as f64 / 1e6;
        let base = baseline(&docs);
        let m = measure(&docs, runs);
        let peak_mb = m.peak_bytes as f64 / 1e6;
        println!(
            "  {:>6.1} {:>9.3} {:>8.1} {:>9} {:>10.1}x {:>13.1} {:>12.1} {:>13} {:>7} {:>16}",
            mb,
            m.seconds,
            mb / m.seconds,
            per_cpu(mb, &m),
            m.seconds / base,
            peak_mb,
            peak_mb - mb,
            m.ngrams,
            m.passes,
            m.digest
        );
        // The run keeps one cleaned copy of the text (contexts' offsets
        // refer to it); the rest is counting structures, bounded by
        // `max_ngrams`.
        let beyond_text = peak_mb - mb;
        match first {
            None => first = Some((mb, peak_mb, beyond_text)),
            Some((mb0, peak0, beyond0)) => println!(
                "         corpus x{:.1} -> peak heap x{:.2}, minus the text x{:.2}",
                mb / mb0,
                peak_mb / peak0,
                beyond_text / beyond0
            ),
        }
    }
}
