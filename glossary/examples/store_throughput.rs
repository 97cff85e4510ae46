//! Write and read figures of the two store backends through the
//! `Glossary` API on this machine: sled in a temporary directory, and
//! PostgreSQL on a private cluster of its own with fsync on (a production
//! setting; the test suite's shared cluster runs without fsync). Prints one
//! table; docs/scale-out.md quotes it.
//!
//! ```sh
//! cargo run --release -p glossary --features testing --example store_throughput -- 2000
//! ```

use std::sync::Arc;
use std::time::Instant;

use glossary::store::copy::copy_store;
use glossary::store::{StoreLocation, StoreOptions};
use glossary::testing::PgCluster;
use glossary::{ConceptDraft, ConceptId, Glossary, OpenOptions};

fn draft(i: usize) -> ConceptDraft {
    serde_json::from_value(serde_json::json!({
        "id": format!("b{i}"),
        "subject_field": "diplomacy",
        "terms": [
            {"lang": "vi", "text": format!("hiệp định thương mại số {i}")},
            {"lang": "en", "text": format!("trade agreement number {i}")}
        ]
    }))
    .expect("a valid draft")
}

/// Rate in operations per second.
fn rate(n: usize, since: Instant) -> f64 {
    n as f64 / since.elapsed().as_secs_f64()
}

fn measure(name: &str, location: &StoreLocation, n: usize) {
    let g = Arc::new(Glossary::open_at(location, &OpenOptions::default()).expect("open"));
    let t = Instant::now();
    for i in 0..n {
        g.create(draft(i), "bench").expect("create");
    }
    let sequential = rate(n, t);
    let threads = 4;
    let t = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|k| {
            let g = g.clone();
            std::thread::spawn(move || {
                for i in (n + k..2 * n).step_by(threads) {
                    g.create(draft(i), "bench").expect("create");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("writer thread");
    }
    let concurrent = rate(n, t);
    let t = Instant::now();
    for i in 0..n {
        g.get(&ConceptId::new(&format!("b{i}")).expect("id")).expect("get");
    }
    let get_us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    drop(g);
    let t = Instant::now();
    let g = Glossary::open_at(location, &OpenOptions::default()).expect("reopen");
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(g.stats().expect("stats").concepts as usize, 2 * n);
    println!("| {name:<10} | {sequential:>10.0} | {concurrent:>14.0} | {get_us:>10.1} | {open_ms:>12.0} |");
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let cluster = PgCluster::start(true).expect("start PostgreSQL").expect("PostgreSQL is not installed");
    let tmp = std::env::temp_dir().join(format!("store-throughput-{}", std::process::id()));
    let sled_dir = tmp.join("sled");
    println!("{n} sequential creates, then {n} more from 4 threads; {n} reads by id; reopen with {} concepts", 2 * n);
    println!("| backend    | creates/s  | creates/s (4t) | get (µs)   | reopen (ms)  |");
    println!("|------------|------------|----------------|------------|--------------|");
    measure("sled", &StoreLocation::Dir(sled_dir.clone()), n);
    measure("postgres", &StoreLocation::Postgres(cluster.new_database()), n);
    let copy = StoreLocation::Postgres(cluster.new_database());
    let back = StoreLocation::Dir(tmp.join("back"));
    for (from, to) in [(StoreLocation::Dir(sled_dir), copy.clone()), (copy, back)] {
        let t = Instant::now();
        let report = copy_store(&from, &to, &StoreOptions::default()).expect("copy");
        println!(
            "copy-store {} → {}: {} records in {:.2} s ({:.0} records/s)",
            kind(&from),
            kind(&to),
            report.target.records(),
            t.elapsed().as_secs_f64(),
            rate(report.target.records() as usize, t)
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

fn kind(l: &StoreLocation) -> &'static str {
    match l {
        StoreLocation::Dir(_) => "sled",
        StoreLocation::Postgres(_) => "postgres",
    }
}
