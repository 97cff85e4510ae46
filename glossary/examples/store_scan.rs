//! Opens a data directory's store and, with `scan`, reads every concept
//! without writing anything: the baseline for the export memory
//! measurement in README ("Streaming"), which separates what opening and
//! reading the store costs from what the export itself adds.
//!
//! ```sh
//! /usr/bin/time -v target/release/examples/store_scan /tmp/g1m open
//! /usr/bin/time -v target/release/examples/store_scan /tmp/g1m scan
//! ```

use glossary::store::{Store, StoreOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: store_scan DIR [open|scan]");
        std::process::exit(2);
    };
    let scan = args.next().as_deref() == Some("scan");
    // The same page cache as `export --cache-mb 16`.
    let store = Store::open(std::path::Path::new(&dir), &StoreOptions { cache_capacity: 16 << 20 }).expect("open");
    let mut read = 0u64;
    if scan {
        for concept in store.iter_from(None) {
            concept.expect("read a concept");
            read += 1;
        }
    }
    println!("{} concepts stored, {read} read", store.concept_count().expect("count"));
}
