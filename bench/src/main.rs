//! `glossary-bench`: measures lookup, TM matching and term recognition on
//! the synthetic data of `../shared/bench` (see `tools/bench/run.sh`, which
//! generates the data, runs this binary and the peers, and prints the
//! comparison table).
//!
//! Every figure is CPU time of the measuring thread, per operation, like the
//! peers' `time.process_time()`; results go to a JSON file.
#![deny(missing_docs)]

mod measure;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Parser;
use glossary::index::{CandidateIndex, TrigramIndex};
use glossary::lookup::{self, QueryKeys};
use glossary::store::{Store, StoreOptions};
use glossary::tm::concordance::{self, ConcordanceIndex, ConcordanceQuery, Side};
use glossary::tm::index::TmIndex;
use glossary::tm::matching::Segment;
use glossary::tm::{Provenance, TmQuery, TmUnit, TmUnitDraft};
use glossary::{
    Concept, ConceptDraft, ConceptId, Glossary, Lang, LookupQuery, OpenOptions, Term, TermStatus, Timestamp,
};
use measure::{process_cpu_ns, round3, rss_bytes, thread_cpu_ns, Samples};
use serde_json::{json, Value};

/// Command line.
#[derive(Parser)]
#[command(about = "Benchmarks lookup, TM matching and term recognition on the shared synthetic data")]
struct Args {
    /// Directory with terms.txt, queries.tsv and tm/ (gen_data.py, gen_tm.py).
    #[arg(long)]
    data: PathBuf,
    /// Directory with the 1M-term data (gen_data.py --terms 1000000); that part is skipped without it.
    #[arg(long)]
    data_1m: Option<PathBuf>,
    /// Where the store with the 200k concepts and the TM is built (reused when complete).
    #[arg(long)]
    store: PathBuf,
    /// Also build a store with the 1M concepts here and measure `Glossary::open` on it (slow).
    #[arg(long)]
    store_1m: Option<PathBuf>,
    /// JSON results file.
    #[arg(long)]
    out: PathBuf,
    /// TM queries also answered by brute force (the baseline; about 0.1 s each).
    #[arg(long, default_value_t = 100)]
    brute_queries: usize,
    /// Sentences for the recognition benchmark.
    #[arg(long, default_value_t = 20_000)]
    sentences: usize,
    /// Generated TM units for the concordance benchmark.
    #[arg(long, default_value_t = 1_000_000)]
    concordance_units: usize,
    /// Run only these parts: index, tm, concordance, suggest, recognition (on an existing store), startup-1m (with --data-1m and --store-1m:
    /// cold rebuild, index snapshot written, snapshot load), startup-1m-snapshot (the snapshot load alone, first in the process, for its RSS),
    /// or build (only build the store, e.g. for the HTTP benchmarks).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

fn main() {
    let args = Args::parse();
    let terms = read_lines(&args.data.join("terms.txt"));
    let queries = read_queries(&args.data.join("queries.tsv"));
    let segments = read_lines(&args.data.join("tm/segments.txt"));
    let tm_queries = read_queries(&args.data.join("tm/queries.tsv"));
    let mut out = serde_json::Map::new();
    let run = |part: &str| args.only.is_empty() || args.only.iter().any(|p| p == part);
    if args.only.iter().any(|p| p == "build") {
        eprintln!("store: {} concepts, {} TM units in {}", terms.len(), segments.len(), args.store.display());
        println!("{}", build_store(&args.store, &terms, &segments, true));
        return;
    }
    if !run("store") {
        if run("index") {
            out.insert("index_200k".into(), bench_lookup_index(&terms, &queries));
        }
        if run("tm") {
            out.insert("tm_100k".into(), bench_tm(&segments, &tm_queries, args.brute_queries));
        }
        if run("concordance") {
            out.insert("concordance_1m".into(), bench_concordance(&args.data, args.concordance_units));
        }
        if run("suggest") {
            let (glossary, _) = open_glossary(&args.store, terms.len());
            out.insert("suggest_100k".into(), bench_suggest(&glossary, &tm_queries));
        }
        if run("recognition") {
            let (glossary, _) = open_glossary(&args.store, terms.len());
            out.insert("recognition_200k".into(), bench_recognition(&glossary, &terms, args.sentences));
        }
        if let (true, Some(dir), Some(store)) = (run("startup-1m"), &args.data_1m, &args.store_1m) {
            out.extend(bench_startup_1m(dir, store));
        }
        if let (true, Some(dir), Some(store)) = (run("startup-1m-snapshot"), &args.data_1m, &args.store_1m) {
            let terms = read_lines(&dir.join("terms.txt"));
            let queries = read_queries(&dir.join("queries.tsv"));
            let (_, report) = open_to_first_lookup(store, terms.len(), &queries[0].0);
            out.insert("startup_1m_snapshot_alone".into(), report);
        }
        let text = serde_json::to_string_pretty(&Value::Object(out)).expect("JSON");
        fs::write(&args.out, &text).unwrap_or_else(|e| panic!("cannot write {}: {e}", args.out.display()));
        println!("{text}");
        return;
    }

    eprintln!("store: {} concepts, {} TM units in {}", terms.len(), segments.len(), args.store.display());
    out.insert("store_200k".into(), build_store(&args.store, &terms, &segments, true));
    let (glossary, startup) = open_glossary(&args.store, terms.len());
    out.insert("startup_200k".into(), startup);

    eprintln!("lookup, {} terms, through Glossary::lookup", terms.len());
    out.insert("lookup_200k".into(), bench_lookup_glossary(&glossary, &queries));
    eprintln!("lookup index alone, {} terms", terms.len());
    out.insert("index_200k".into(), bench_lookup_index(&terms, &queries));

    eprintln!("TM: {} segments, {} queries", segments.len(), tm_queries.len());
    out.insert("tm_100k".into(), bench_tm(&segments, &tm_queries, args.brute_queries));
    out.insert("tm_matches_100k".into(), bench_tm_matches(&glossary, &tm_queries));
    eprintln!("concordance: {} generated units", args.concordance_units);
    out.insert("concordance_1m".into(), bench_concordance(&args.data, args.concordance_units));

    // Recognition first: its first call is measured apart there.
    eprintln!("recognition: {} sentences", args.sentences);
    out.insert("recognition_200k".into(), bench_recognition(&glossary, &terms, args.sentences));
    out.insert("suggest_100k".into(), bench_suggest(&glossary, &tm_queries));
    drop(glossary);

    if let Some(dir) = &args.data_1m {
        let terms = read_lines(&dir.join("terms.txt"));
        let queries = read_queries(&dir.join("queries.tsv"));
        eprintln!("lookup index alone, {} terms", terms.len());
        out.insert("index_1m".into(), bench_lookup_index(&terms, &queries));
        if let Some(store) = &args.store_1m {
            out.extend(bench_startup_1m(dir, store));
        }
    }
    let report = Value::Object(out);
    let text = serde_json::to_string_pretty(&report).expect("JSON");
    fs::write(&args.out, &text).unwrap_or_else(|e| panic!("cannot write {}: {e}", args.out.display()));
    println!("{text}");
}

fn vi() -> Lang {
    Lang::new("vi").expect("valid tag")
}

fn en() -> Lang {
    Lang::new("en").expect("valid tag")
}

fn read_lines(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines().map(str::to_string).collect()
}

/// `query \t target id \t class` lines.
fn read_queries(path: &Path) -> Vec<(String, i64, String)> {
    read_lines(path)
        .into_iter()
        .map(|l| {
            let mut f = l.split('\t');
            let q = f.next().unwrap_or_default().to_string();
            let id = f.next().and_then(|x| x.parse().ok()).unwrap_or(-1);
            (q, id, f.next().unwrap_or_default().to_string())
        })
        .collect()
}

fn concept_id(line: usize) -> ConceptId {
    ConceptId::new(&format!("t{line}")).expect("valid id")
}

fn line_of(id: &ConceptId) -> i64 {
    id.as_str().strip_prefix('t').and_then(|n| n.parse().ok()).unwrap_or(-1)
}

fn term(lang: Lang, text: &str) -> Term {
    Term {
        lang,
        text: text.to_string(),
        status: TermStatus::Preferred,
        part_of_speech: None,
        term_type: None,
        context: None,
        source: None,
        note: None,
    }
}

/// One concept per line of terms.txt: the Vietnamese term and an English target.
fn draft(line: usize, text: &str) -> ConceptDraft {
    ConceptDraft {
        id: Some(concept_id(line)),
        terms: vec![term(vi(), text), term(en(), &format!("term {line}"))],
        ..Default::default()
    }
}

fn concept(line: usize, text: &str) -> Concept {
    let d = draft(line, text);
    Concept {
        id: concept_id(line),
        subject_field: None,
        definition: None,
        note: None,
        source: None,
        terms: d.terms,
        collection: Default::default(),
        created: Timestamp(0),
        updated: Timestamp(0),
        version: 1,
    }
}

/// Builds the store once (a marker file records that it is complete).
fn build_store(dir: &Path, terms: &[String], segments: &[String], with_tm: bool) -> Value {
    let marker = dir.join("bench-complete");
    let expect = format!("terms={} tm={}", terms.len(), if with_tm { segments.len() } else { 0 });
    if fs::read_to_string(&marker).is_ok_and(|m| m == expect) {
        return json!({"reused": true});
    }
    let _ = fs::remove_dir_all(dir);
    let wall = Instant::now();
    {
        let store = Store::open(dir, &StoreOptions::default()).expect("open store");
        for (n, chunk) in terms.chunks(20_000).enumerate() {
            let drafts = chunk
                .iter()
                .enumerate()
                .map(|(i, t)| draft(n * 20_000 + i, t).validate().expect("valid draft"))
                .collect();
            store.create_many(drafts, false, "bench").expect("create concepts");
        }
    }
    if with_tm {
        let g = Glossary::open(dir, &OpenOptions::default()).expect("open glossary");
        for (n, chunk) in segments.chunks(10_000).enumerate() {
            let drafts = chunk
                .iter()
                .enumerate()
                .map(|(i, s)| TmUnitDraft {
                    src_lang: vi(),
                    tgt_lang: en(),
                    source: s.clone(),
                    target: format!("translation of segment {}", n * 10_000 + i),
                    provenance: Default::default(),
                    note: None,
                    created_by: None,
                    collection: None,
                })
                .collect();
            g.add_tm_units(drafts).expect("add TM units");
        }
    }
    fs::write(&marker, &expect).expect("write marker");
    json!({"reused": false, "wall_s": round3(wall.elapsed().as_secs_f64())})
}

/// Builds (once) a store with the 1M concepts, then measures start-up to
/// the first lookup twice in one run: a cold rebuild (index snapshot
/// removed), then, after writing the snapshot, a load of it; and
/// `Glossary::lookup` through the store; last, the lookup index alone on
/// the 1M terms (build, memory, lookups).
fn bench_startup_1m(dir: &Path, store: &Path) -> serde_json::Map<String, Value> {
    let terms = read_lines(&dir.join("terms.txt"));
    let queries = read_queries(&dir.join("queries.tsv"));
    let mut out = serde_json::Map::new();
    eprintln!("start-up with {} concepts in {}", terms.len(), store.display());
    out.insert("store_1m".into(), build_store(store, &terms, &[], false));
    let _ = fs::remove_file(glossary::index::snapshot::path_in(store));
    let (glossary, cold) = open_to_first_lookup(store, terms.len(), &queries[0].0);
    eprintln!("lookup, {} terms, through Glossary::lookup", terms.len());
    out.insert("lookup_1m".into(), bench_lookup_glossary(&glossary, &queries));
    let before = all_hits(&glossary, &queries);
    let (wall, cpu) = (Instant::now(), process_cpu_ns());
    let position = glossary.save_index_snapshot().expect("write the index snapshot");
    let snapshot_bytes = fs::metadata(glossary::index::snapshot::path_in(store)).map_or(0, |m| m.len());
    out.insert(
        "index_snapshot_write_1m".into(),
        json!({
            "position": position,
            "bytes": snapshot_bytes,
            "mb_per_million_terms": round3(snapshot_bytes as f64 / 1048576.0 / (glossary.stats().expect("stats").terms as f64 / 1e6)),
            "wall_s": round3(wall.elapsed().as_secs_f64()),
            "cpu_s": round3((process_cpu_ns() - cpu) as f64 / 1e9),
        }),
    );
    drop(glossary);
    let (glossary_after, warm) = open_to_first_lookup(store, terms.len(), &queries[0].0);
    let after = all_hits(&glossary_after, &queries);
    let differing = before.iter().zip(&after).filter(|(a, b)| a != b).count();
    out.insert(
        "snapshot_lookups_vs_rebuild".into(),
        json!({"queries": queries.len(), "differing": differing, "equal": differing == 0 && before.len() == after.len()}),
    );
    let ratio =
        cold["first_lookup_wall_s"].as_f64().unwrap_or(0.0) / warm["first_lookup_wall_s"].as_f64().unwrap_or(1.0);
    let cpu_ratio =
        cold["first_lookup_cpu_s"].as_f64().unwrap_or(0.0) / warm["first_lookup_cpu_s"].as_f64().unwrap_or(1.0);
    out.insert("startup_1m_cold".into(), cold);
    out.insert("startup_1m_snapshot".into(), warm);
    drop(glossary_after);
    // Last, so the glossaries above do not sit in its RSS figure (they are
    // dropped; the allocator may reuse their memory, which makes this a
    // lower bound).
    eprintln!("lookup index alone, {} terms", terms.len());
    out.insert("index_1m".into(), bench_lookup_index(&terms, &queries));
    out.insert("startup_1m_speedup".into(), json!(round3(ratio)));
    out.insert("startup_1m_speedup_cpu".into(), json!(round3(cpu_ratio)));
    out
}

/// The hits of every query (concept, term, kind, score), to compare two
/// glossaries over the same store.
fn all_hits(g: &Glossary, queries: &[(String, i64, String)]) -> Vec<String> {
    queries
        .iter()
        .map(|(q, _, _)| {
            let hits = g
                .lookup(&LookupQuery {
                    text: q.clone(),
                    src: vi(),
                    tgt: Some(en()),
                    limit: 5,
                    collections: Default::default(),
                })
                .expect("lookup");
            format!("{hits:?}")
        })
        .collect()
}

/// Opens the glossary: reads every concept and TM unit and builds the indexes.
fn open_glossary(dir: &Path, n_terms: usize) -> (Glossary, Value) {
    let rss = rss_bytes();
    let (wall, cpu) = (Instant::now(), process_cpu_ns());
    let g = Glossary::open(dir, &OpenOptions::default()).expect("open glossary");
    let report = json!({
        "concepts": n_terms,
        "open_wall_s": round3(wall.elapsed().as_secs_f64()),
        "open_cpu_s": round3((process_cpu_ns() - cpu) as f64 / 1e9),
        "rss_growth_mb": round3((rss_bytes().saturating_sub(rss)) as f64 / 1048576.0),
    });
    (g, report)
}

/// Opens the glossary and answers one lookup: the time a server needs
/// before it can serve, with how the index was built and the memory it
/// took (RSS growth; after an earlier glossary of the same process was
/// dropped, the allocator may reuse its memory, so the figure can be low).
fn open_to_first_lookup(dir: &Path, n_terms: usize, query: &str) -> (Glossary, Value) {
    let rss = rss_bytes();
    let (wall, cpu) = (Instant::now(), process_cpu_ns());
    let (g, start) = Glossary::open_reporting(dir, &OpenOptions::default()).expect("open glossary");
    let open_wall = wall.elapsed().as_secs_f64();
    let hits = g
        .lookup(&LookupQuery {
            text: query.to_string(),
            src: vi(),
            tgt: Some(en()),
            limit: 5,
            collections: Default::default(),
        })
        .expect("lookup");
    let first_lookup_wall = wall.elapsed().as_secs_f64();
    let first_lookup_cpu = (process_cpu_ns() - cpu) as f64 / 1e9;
    // After a start from the snapshot the term table is built on a thread
    // while lookups are served: wait for it, for the whole start-up cost.
    while g.warming() {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let warm_wall = wall.elapsed().as_secs_f64();
    let warm_cpu = (process_cpu_ns() - cpu) as f64 / 1e9;
    let rss_growth = rss_bytes().saturating_sub(rss) as f64 / 1048576.0;
    let indexed = g.stats().expect("stats").terms as f64;
    let heap = g.index_heap_bytes() as f64 / 1048576.0;
    let report = json!({
        "concepts": n_terms,
        "index_start": format!("{start:?}"),
        "open_wall_s": round3(open_wall),
        "first_lookup_wall_s": round3(first_lookup_wall),
        "first_lookup_cpu_s": round3(first_lookup_cpu),
        "first_lookup_hits": hits.len(),
        "term_table_ready_wall_s": round3(warm_wall),
        "term_table_ready_cpu_s": round3(warm_cpu),
        "index_heap_mb": round3(heap),
        "index_heap_mb_per_million_terms": round3(heap / (indexed / 1e6)),
        "rss_growth_mb": round3(rss_growth),
        "rss_mb_per_million_terms": round3(rss_growth / (indexed / 1e6)),
    });
    (g, report)
}

/// Recall@5 per query class.
#[derive(Default)]
struct Recall {
    classes: Vec<(String, usize, usize)>,
}

impl Recall {
    fn add(&mut self, class: &str, hit: bool) {
        if !self.classes.iter().any(|c| c.0 == class) {
            self.classes.push((class.to_string(), 0, 0));
        }
        let c = self.classes.iter_mut().find(|c| c.0 == class).expect("just added");
        c.1 += usize::from(hit);
        c.2 += 1;
    }

    fn summary(&self) -> Value {
        let mut m = serde_json::Map::new();
        let mut sorted = self.classes.clone();
        sorted.sort();
        for (c, hit, n) in &sorted {
            m.insert(c.clone(), json!(round3(*hit as f64 / *n as f64)));
        }
        let (hit, n) = self.classes.iter().fold((0, 0), |a, c| (a.0 + c.1, a.1 + c.2));
        m.insert("all".into(), json!(round3(hit as f64 / n.max(1) as f64)));
        Value::Object(m)
    }
}

fn bench_lookup_glossary(g: &Glossary, queries: &[(String, i64, String)]) -> Value {
    let requests: Vec<LookupQuery> = queries
        .iter()
        .map(|(q, _, _)| LookupQuery {
            text: q.clone(),
            src: vi(),
            tgt: Some(en()),
            limit: 5,
            collections: Default::default(),
        })
        .collect();
    for r in requests.iter().take(50) {
        let _ = g.lookup(r);
    }
    let mut samples = Samples::default();
    let mut recall = Recall::default();
    for (r, (_, target, class)) in requests.iter().zip(queries) {
        let hits = samples.time(|| g.lookup(r)).expect("lookup");
        recall.add(class, hits.iter().any(|h| line_of(&h.concept) == *target));
    }
    let mut v = samples.summary();
    v["engine"] = json!("Glossary::lookup (index + scoring + 5 concepts read from the store)");
    v["recall@5"] = recall.summary();
    v
}

/// Builds a standalone index from the terms (timed, memory measured) and
/// runs the queries through `lookup::rank` on it: the engine's ranking
/// without the store reads.
fn bench_lookup_index(terms: &[String], queries: &[(String, i64, String)]) -> Value {
    let concepts: Vec<Concept> = terms.iter().enumerate().map(|(i, t)| concept(i, t)).collect();
    let rss = rss_bytes();
    let (wall, cpu) = (Instant::now(), thread_cpu_ns());
    let mut index = TrigramIndex::new();
    for c in &concepts {
        index.upsert(c);
    }
    let build_cpu = (thread_cpu_ns() - cpu) as f64 / 1e9;
    let build_wall = wall.elapsed().as_secs_f64();
    let rss_growth = rss_bytes().saturating_sub(rss);
    drop(concepts);
    let src = vi();
    let mut samples = Samples::default();
    let mut recall = Recall::default();
    let warm = std::env::var("BENCH_WARMUP_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(0usize);
    for (q, _, _) in queries.iter().take(50).chain(queries.iter().cycle().take(warm * queries.len())) {
        let _ = lookup::rank(&index, &QueryKeys::new(q), &src, 5, &Default::default());
    }
    for (q, target, class) in queries {
        let ranked = samples.time(|| lookup::rank(&index, &QueryKeys::new(q), &src, 5, &Default::default()));
        recall.add(class, ranked.iter().take(5).any(|r| line_of(&r.concept) == *target));
    }
    let indexed = index.len();
    let mut v = samples.summary();
    v["engine"] = json!("lookup::rank on a TrigramIndex (candidates + scoring + ranking, no store)");
    v["recall@5"] = recall.summary();
    v["indexed_terms"] = json!(indexed);
    v["build_cpu_s"] = json!(round3(build_cpu));
    v["build_wall_s"] = json!(round3(build_wall));
    v["heap_mb_estimate"] = json!(round3(index.approx_heap_bytes() as f64 / 1048576.0));
    v["rss_growth_mb"] = json!(round3(rss_growth as f64 / 1048576.0));
    v["mb_per_million_terms"] = json!(round3(rss_growth as f64 / 1048576.0 / (indexed as f64 / 1e6)));
    v
}

fn bench_tm(segments: &[String], queries: &[(String, i64, String)], brute: usize) -> Value {
    let (src, tgt) = (vi(), en());
    let cpu = thread_cpu_ns();
    let mut index = TmIndex::new();
    for (i, s) in segments.iter().enumerate() {
        index.upsert(i as u64, &src, &tgt, &Segment::new(s).keys());
    }
    let build_cpu = (thread_cpu_ns() - cpu) as f64 / 1e9;
    let threshold = 70.0;
    let segs: Vec<Segment> = queries.iter().map(|(q, _, _)| Segment::new(q)).collect();
    let mut fast = Samples::default();
    let mut fast_first = Samples::default();
    let mut results: Vec<Vec<u64>> = Vec::new();
    let (mut near, mut near_hit, mut novel_hits) = (0usize, 0usize, 0usize);
    for (i, (seg, (_, target, class))) in segs.iter().zip(queries).enumerate() {
        let keys = seg.keys();
        let start = thread_cpu_ns();
        let found = index.search(&keys, &src, &tgt, threshold);
        let took = thread_cpu_ns() - start;
        fast.push_ns(took);
        if i < brute {
            fast_first.push_ns(took);
        }
        let ids: Vec<u64> = found.iter().map(|c| c.id).collect();
        if class == "near" {
            near += 1;
            near_hit += usize::from(ids.contains(&(*target as u64)));
        } else {
            novel_hits += ids.len();
        }
        results.push(ids);
    }
    let mut slow = Samples::default();
    let (mut missed, mut missed80, mut brute_matches) = (0usize, 0usize, 0usize);
    for (seg, got) in segs.iter().zip(&results).take(brute) {
        let keys = seg.keys();
        let expected = slow.time(|| index.search_brute_force(&keys, &src, &tgt, threshold));
        brute_matches += expected.len();
        let got: HashSet<u64> = got.iter().copied().collect();
        for c in expected {
            if !got.contains(&c.id) {
                missed += 1;
                missed80 += usize::from(c.base >= 80.0);
            }
        }
    }
    let novel = queries.len() - near;
    json!({
        "engine": "TmIndex::search (word-level count and prefix filter, bounded edit distance)",
        "segments": segments.len(),
        "threshold": threshold,
        "build_cpu_s": round3(build_cpu),
        "index": fast.summary(),
        "index_on_brute_queries": fast_first.summary(),
        "brute_force": slow.summary(),
        "brute_force_queries": slow.len(),
        "brute_force_matches": brute_matches,
        "missed": missed,
        "missed_ge_80": missed80,
        "speedup": round3(slow.mean_ms() / fast_first.mean_ms().max(1e-9)),
        "recall_near": round3(near_hit as f64 / near.max(1) as f64),
        "avg_hits_novel": round3(novel_hits as f64 / novel.max(1) as f64),
    })
}

/// The whole TM path of the API: candidates, units read from the store,
/// CAT score with penalties and diff.
fn bench_tm_matches(g: &Glossary, queries: &[(String, i64, String)]) -> Value {
    let mut samples = Samples::default();
    for (q, _, _) in queries {
        let query = TmQuery {
            text: q.clone(),
            src: vi(),
            tgt: en(),
            threshold: 70.0,
            limit: 5,
            collections: Default::default(),
            collection_penalty: 1.0,
        };
        samples.time(|| g.tm_matches(&query)).expect("tm matches");
    }
    let mut v = samples.summary();
    v["engine"] = json!("Glossary::tm_matches (index + store reads + scoring with diff), threshold 70, limit 5");
    v
}

/// What `POST /api/v1/suggest` runs: TM matches, adapted targets, glossary terms.
fn bench_suggest(g: &Glossary, queries: &[(String, i64, String)]) -> Value {
    let mut samples = Samples::default();
    // The first call is measured apart, in recognition_200k.
    let _ = g.find_terms("khởi động", &vi());
    for (q, _, _) in queries {
        let query = TmQuery {
            text: q.clone(),
            src: vi(),
            tgt: en(),
            threshold: 70.0,
            limit: 5,
            collections: Default::default(),
            collection_penalty: 1.0,
        };
        samples.time(|| g.suggest(&query)).expect("suggest");
    }
    let mut v = samples.summary();
    v["engine"] = json!("Glossary::suggest (TM matches + adaptation + recognised terms), threshold 70, limit 5");
    v
}

/// Filler phrases (our own) that terms are embedded in.
const FILLERS: [&str; 8] = [
    "Hai bên nhất trí tiếp tục",
    "trong bối cảnh tình hình khu vực,",
    "đồng thời cam kết thúc đẩy",
    "nhằm góp phần vào",
    "tại cuộc hội đàm chiều nay, lãnh đạo hai nước nhấn mạnh",
    "và khẳng định sẽ phối hợp chặt chẽ về",
    "theo đánh giá của các chuyên gia,",
    "trên cơ sở tôn trọng lẫn nhau",
];

fn bench_recognition(g: &Glossary, terms: &[String], n: usize) -> Value {
    let (src, tgt) = (vi(), en());
    // Deterministic choice of terms and fillers.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % m
    };
    let sentences: Vec<(String, [usize; 2])> = (0..n)
        .map(|_| {
            let (a, b) = (next(terms.len()), next(terms.len()));
            let s = format!(
                "{} {} {} {} {}.",
                FILLERS[next(FILLERS.len())],
                terms[a],
                FILLERS[next(FILLERS.len())],
                terms[b],
                FILLERS[next(FILLERS.len())]
            );
            (s, [a, b])
        })
        .collect();
    let build = Instant::now();
    let build_cpu = thread_cpu_ns();
    let _ = g.recognize("khởi động", &src, &tgt).expect("recognize");
    let first_cpu = (thread_cpu_ns() - build_cpu) as f64 / 1e9;
    let first_wall = build.elapsed().as_secs_f64();
    let mut samples = Samples::default();
    let (mut embedded, mut found) = (0usize, 0usize);
    for (s, ids) in &sentences {
        let got = samples.time(|| g.recognize(s, &src, &tgt)).expect("recognize");
        for id in ids {
            embedded += 1;
            let want = concept_id(*id);
            found += usize::from(got.iter().any(|r| r.concepts.iter().any(|c| c.concept == want)));
        }
    }
    let mut spans = Samples::default();
    for (s, _) in &sentences {
        spans.time(|| g.find_terms(s, &src));
    }
    let total_s = samples.mean_ms() * samples.len() as f64 / 1000.0;
    let spans_s = spans.mean_ms() * spans.len() as f64 / 1000.0;
    let mut v = samples.summary();
    v["find_terms"] = spans.summary();
    v["find_terms_sentences_per_cpu_second"] = json!((spans.len() as f64 / spans_s.max(1e-9)).round());
    v["engine"] = json!("Glossary::recognize (tokens, term-key probes, word segmentation where a key matches, marks check, concepts read from the store)");
    v["sentences_per_cpu_second"] = json!((samples.len() as f64 / total_s.max(1e-9)).round());
    v["embedded_terms_found"] = json!(round3(found as f64 / embedded.max(1) as f64));
    v["first_call_cpu_s"] = json!(round3(first_cpu));
    v["first_call_wall_s"] = json!(round3(first_wall));
    v
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Index drawn with Zipf weights from a cumulative table.
    fn zipf(&mut self, cum: &[f64]) -> usize {
        let x = (self.next() >> 11) as f64 / (1u64 << 53) as f64 * cum[cum.len() - 1];
        cum.partition_point(|&c| c < x).min(cum.len() - 1)
    }
}

fn zipf_table(n: usize, s: f64) -> Vec<f64> {
    let mut acc = 0.0;
    (0..n)
        .map(|r| {
            acc += 1.0 / ((r + 1) as f64).powf(s);
            acc
        })
        .collect()
}

/// Concordance on `n` generated units (sources: 10-40 syllables of the
/// shared inventory with Zipf frequencies; targets: 8-30 English words):
/// `concordance::search` on the index against a linear scan over the
/// units' pre-folded texts (substring test, then the same whole-word
/// check), both stopping once the page is full. Queries are 1-3 syllable
/// runs (a quarter typed without diacritics) and 1-2 word target runs cut
/// from random units, so every query has at least one hit.
fn bench_concordance(data: &Path, n: usize) -> Value {
    let syllables: Vec<String> = fs::read_to_string(data.join("syllables.txt"))
        .expect("syllables.txt")
        .split_whitespace()
        .map(String::from)
        .collect();
    let english: Vec<&str> = "the of and to in a on for with two sides countries cooperation comprehensive \
        partnership strategic agreed continue promote relations development visit state minister prime president \
        general secretary foreign affairs trade investment economic security defence friendship traditional \
        people leaders talks joint statement signed agreement region peace stability international forum \
        delegation ambassador national assembly party central committee vice chairman welcomed praised"
        .split_whitespace()
        .collect();
    let (src, tgt) = (vi(), en());
    let (cum_vi, cum_en) = (zipf_table(syllables.len(), 0.8), zipf_table(english.len(), 0.9));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let now = Timestamp::now();
    let mut units = Vec::with_capacity(n);
    for id in 1..=n as u64 {
        let k = 10 + rng.below(31);
        let source: Vec<&str> = (0..k).map(|_| syllables[rng.zipf(&cum_vi)].as_str()).collect();
        let k = 8 + rng.below(23);
        let target: Vec<&str> = (0..k).map(|_| english[rng.zipf(&cum_en)]).collect();
        units.push(TmUnit {
            id,
            src_lang: src.clone(),
            tgt_lang: tgt.clone(),
            source: source.join(" "),
            target: target.join(" "),
            provenance: Provenance::default(),
            note: None,
            created_by: None,
            collection: Default::default(),
            usage_count: 1,
            created: now,
            updated: now,
        });
    }
    let cpu = thread_cpu_ns();
    let mut index = ConcordanceIndex::new();
    for u in &units {
        index.upsert(u);
    }
    let build_cpu = (thread_cpu_ns() - cpu) as f64 / 1e9;
    let rss_after_index = rss_bytes();
    let folded = |s: &str| format!(" {} ", glossary::text::folded_key(s));
    let folded_units: Vec<[String; 2]> = units.iter().map(|u| [folded(&u.source), folded(&u.target)]).collect();

    let mut queries = Vec::new();
    for i in 0..400 {
        let u = &units[rng.below(units.len())];
        let (side, text) = if i % 5 == 4 { (Side::Target, &u.target) } else { (Side::Source, &u.source) };
        let words: Vec<&str> = text.split(' ').collect();
        let len = if side == Side::Target { 1 + rng.below(2) } else { [1, 2, 2, 3][rng.below(4)] };
        let start = rng.below(words.len() - len + 1);
        let mut phrase = words[start..start + len].join(" ");
        if side == Side::Source && i % 4 == 1 {
            phrase = glossary::text::strip_diacritics(&phrase);
        }
        queries.push(ConcordanceQuery {
            phrase,
            src: src.clone(),
            tgt: tgt.clone(),
            side,
            limit: 20,
            cursor: None,
            collections: Default::default(),
        });
    }
    let mut fast = Samples::default();
    let mut slow = Samples::default();
    let (mut hits, mut mismatches, mut empty) = (0usize, 0usize, 0usize);
    for q in &queries {
        let page = fast
            .time(|| concordance::search(&index, q, |id| Ok(units.get(id as usize - 1).cloned())))
            .expect("concordance");
        let scanned = slow.time(|| scan(&units, &folded_units, q));
        let got: Vec<(u64, bool)> = page.hits.iter().map(|h| (h.unit.id, h.exact)).collect();
        mismatches += usize::from(got != scanned);
        empty += usize::from(got.is_empty());
        hits += got.len();
    }
    json!({
        "engine": "concordance::search (postings of the rarest word, runs checked on stored form ids, whole words checked on the unit), limit 20",
        "baseline": "linear scan of pre-folded texts (substring test, then the same whole-word check), stopping when the page is full",
        "units": n,
        "build_cpu_s": round3(build_cpu),
        "rss_mb_after_index": rss_after_index / (1024 * 1024),
        "index": fast.summary(),
        "scan": slow.summary(),
        "speedup_p50": round3(slow.percentile_ms(50.0) / fast.percentile_ms(50.0).max(1e-9)),
        "avg_hits": round3(hits as f64 / queries.len() as f64),
        "queries_without_hits": empty,
        "pages_differing_from_scan": mismatches,
    })
}

/// The baseline: the first page of a concordance query by reading every unit.
fn scan(units: &[TmUnit], folded: &[[String; 2]], q: &ConcordanceQuery) -> Vec<(u64, bool)> {
    let needle = format!(" {} ", glossary::text::folded_key(&q.phrase));
    let side = usize::from(q.side == Side::Target);
    let (mut exact, mut other) = (Vec::new(), Vec::new());
    for (u, f) in units.iter().zip(folded) {
        if !f[side].contains(&needle) {
            continue;
        }
        let (text, lang) = if side == 0 { (&u.source, &u.src_lang) } else { (&u.target, &u.tgt_lang) };
        let found = concordance::occurrences(&q.phrase, text, lang);
        if found.is_empty() {
            continue;
        }
        if found.iter().any(|o| o.1) {
            exact.push((u.id, true));
            if exact.len() == q.limit {
                break;
            }
        } else if other.len() < q.limit {
            other.push((u.id, false));
        }
    }
    exact.extend(other);
    exact.truncate(q.limit);
    exact
}
