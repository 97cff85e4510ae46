//! Throughput of the sentence splitter, per language, on the mining seeds
//! (Vietnamese) and the English gold documents, replicated to about 8 MB.
//!
//! ```sh
//! cargo run --release -p glossary --example split_speed
//! ```

use std::path::Path;
use std::time::Instant;

use glossary::text::{split_sentences, SentenceLang};

fn read_all(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> String {
    let mut paths: Vec<_> =
        std::fs::read_dir(dir).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    paths.sort();
    let mut text = String::new();
    for p in paths {
        if p.is_dir() {
            text.push_str(&read_all(&p, keep));
        } else if keep(&p) {
            text.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
            text.push('\n');
        }
    }
    text
}

fn measure(name: &str, sample: &str, lang: SentenceLang) {
    if sample.is_empty() {
        println!("{name}: no text found");
        return;
    }
    let text = sample.repeat((8 << 20) / sample.len() + 1);
    let mut best = f64::MAX;
    let mut count = 0;
    for _ in 0..5 {
        let t = Instant::now();
        count = std::hint::black_box(split_sentences(&text, lang)).len();
        best = best.min(t.elapsed().as_secs_f64());
    }
    let mb = text.len() as f64 / 1e6;
    println!("{name}: {mb:.1} MB, {count} sentences, {:.0} MB/s (best of 5)", mb / best);
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let vi = read_all(&root.join("../../shared/seeds"), &|p| p.extension().is_some_and(|e| e == "txt"));
    let vi = if vi.is_empty() { read_all(&root.join("tests/data/align"), &|p| p.ends_with("vi.txt")) } else { vi };
    let en = read_all(&root.join("tests/data/align"), &|p| p.ends_with("en.txt"));
    measure("Vietnamese", &vi, SentenceLang::Vietnamese);
    measure("English", &en, SentenceLang::English);
}
