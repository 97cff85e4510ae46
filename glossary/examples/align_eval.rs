//! Evaluation of the sentence aligner on the gold documents, and helpers for
//! comparing it with other aligners (see `tools/compare_hunalign.sh`).
//!
//! ```sh
//! cargo run --release -p glossary --example align_eval -- report [DIR] [--no-anchors] [--no-lexicon] [--ratio C]
//! cargo run --release -p glossary --example align_eval -- sentences FILE [--tokens]  # one sentence per line (English if FILE is en*)
//! cargo run --release -p glossary --example align_eval -- score GOLD LINKS    # scores a link file
//! cargo run --release -p glossary --example align_eval -- dictionary          # starter glossary, hunalign format
//! cargo run --release -p glossary --example align_eval -- bench               # timing of a long document pair
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use glossary::align::eval::{self, Scores};
use glossary::align::{align, starter_lexicon, AlignOptions, AnchorLexicon, Document};
use glossary::text::SentenceLang;
use glossary::Lang;

type Res = Result<(), Box<dyn std::error::Error>>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("report") => report(&args[1..]),
        Some("sentences") if args.len() == 2 => sentences(Path::new(&args[1]), false),
        Some("sentences") if args.len() == 3 && args[2] == "--tokens" => sentences(Path::new(&args[1]), true),
        Some("score") if args.len() == 3 => score(Path::new(&args[1]), Path::new(&args[2])),
        Some("dictionary") => dictionary(),
        Some("bench") => bench(),
        _ => Err("usage: align_eval report [DIR] [--no-anchors] [--no-lexicon] [--ratio C] | sentences FILE [--tokens] | score GOLD LINKS | dictionary | bench".into()),
    };
    if let Err(e) = result {
        eprintln!("align_eval: {e}");
        std::process::exit(1);
    }
}

fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/align")
}

fn langs() -> (Lang, Lang) {
    (Lang::new("vi").expect("vi"), Lang::new("en").expect("en"))
}

fn report(args: &[String]) -> Res {
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--ratio"))
        .map(|(_, a)| PathBuf::from(a))
        .unwrap_or_else(default_dir);
    let no_anchors = args.iter().any(|a| a == "--no-anchors");
    let no_lexicon = args.iter().any(|a| a == "--no-lexicon");
    let docs = eval::load_gold_dir(&dir)?;
    let (vi, en) = langs();
    let lexicon = if no_lexicon { AnchorLexicon::new() } else { starter_lexicon(&vi, &en)? };
    let ratio =
        args.iter().position(|a| a == "--ratio").and_then(|i| args.get(i + 1)).map(|r| r.parse::<f64>()).transpose()?;
    let options = AlignOptions {
        anchor_weight: if no_anchors { 0.0 } else { 1.0 },
        length_ratio: ratio,
        ..AlignOptions::default()
    };

    let (c, var, used) = eval::estimate_length_params(&docs);
    println!("length model from {used} gold 1-1 links: ratio en/vi = {c:.3}, variance s² = {var:.2}");
    println!(
        "{:<28} {:>5} {:>5}  {:>6} {:>6} {:>6}  {:>6} {:>6} {:>6}",
        "document", "vi", "en", "P", "R", "F1", "pairP", "pairR", "pairF1"
    );
    let mut total = Scores::default();
    // Calibration: (confidence bucket) -> (links, correct).
    let mut buckets = [(0usize, 0usize); 5];
    for d in &docs {
        let a =
            align(&Document::new(vi.clone(), &d.source), &Document::new(en.clone(), &d.target), &lexicon, &options)?;
        let links = eval::link_ranges(&a);
        let s = eval::score(&links, &d.gold);
        total.add(&s);
        print_row(&d.name, a.stats.src_sentences, a.stats.tgt_sentences, &s);
        for l in &a.links {
            let correct = is_gold(&d.gold, l);
            let b = ((l.confidence * 5.0) as usize).min(4);
            buckets[b].0 += 1;
            buckets[b].1 += usize::from(correct);
        }
        if std::env::var_os("ALIGN_EVAL_VERBOSE").is_some() {
            for l in &a.links {
                let ok = is_gold(&d.gold, l);
                println!(
                    "   {} {:?}->{:?} {} {:.3} {:?}",
                    if ok { " " } else { "✗" },
                    l.src,
                    l.tgt,
                    l.kind.as_str(),
                    l.confidence,
                    l.anchors
                );
            }
        }
    }
    print_row("all (micro-average)", 0, 0, &total);
    println!("calibration (confidence bucket: links, share correct):");
    for (b, (n, ok)) in buckets.iter().enumerate() {
        if *n > 0 {
            println!(
                "  [{:.1}, {:.1}): {n:>4} links, {:.3} correct",
                b as f64 / 5.0,
                (b + 1) as f64 / 5.0,
                *ok as f64 / *n as f64
            );
        }
    }
    Ok(())
}

/// Whether a link is in the gold standard (a null link by its one side).
fn is_gold(gold: &[eval::LinkRanges], l: &glossary::align::Link) -> bool {
    eval::score(&[(l.src.clone(), l.tgt.clone())], gold).links.correct == 1
}

fn print_row(name: &str, n: usize, m: usize, s: &Scores) {
    let count = |x: usize| if x > 0 { x.to_string() } else { String::new() };
    println!("{name:<28} {:>5} {:>5}  {}", count(n), count(m), columns(s));
}

/// Link P, R, F1, then pair P, R, F1, as fixed-width columns.
fn columns(s: &Scores) -> String {
    let [a, b, c, d, e, f] =
        [s.links.precision(), s.links.recall(), s.links.f1(), s.pairs.precision(), s.pairs.recall(), s.pairs.f1()];
    format!("{a:>6.3} {b:>6.3} {c:>6.3}  {d:>6.3} {e:>6.3} {f:>6.3}")
}

fn sentences(file: &Path, tokens: bool) -> Res {
    let text = std::fs::read_to_string(file)?;
    // The gold documents are vi.txt and en.txt: the file name gives the language.
    let english = file.file_stem().is_some_and(|s| s.to_string_lossy().starts_with("en"));
    let lang = if english { SentenceLang::English } else { SentenceLang::Vietnamese };
    for s in glossary::text::split_sentences(&text, lang) {
        if tokens {
            println!("{}", tokenized(s.text));
        } else {
            println!("{}", glossary::text::clean(s.text));
        }
    }
    Ok(())
}

fn tokenized(s: &str) -> String {
    glossary::text::tokenize(s)
        .iter()
        .map(|t| glossary::text::clean(t.text).to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

fn score(gold: &Path, links: &Path) -> Res {
    let gold = eval::parse_links(&std::fs::read_to_string(gold)?)?;
    let links = eval::parse_links(&std::fs::read_to_string(links)?)?;
    let s = eval::score(&links, &gold);
    let (l, p) = (&s.links, &s.pairs);
    // Counts first (for summing over documents), then the ratios.
    println!("{} {} {} {} {} {} {}", l.correct, l.predicted, l.gold, p.correct, p.predicted, p.gold, columns(&s));
    Ok(())
}

/// The starter glossary as a hunalign dictionary: `english @ vietnamese`,
/// lowercase, tokens separated by spaces (hunalign matches whole tokens).
fn dictionary() -> Res {
    let (vi, en) = langs();
    let lexicon = starter_lexicon(&vi, &en)?;
    let tok = |s: &str| glossary::text::tokenize(s).iter().map(|t| t.text.to_lowercase()).collect::<Vec<_>>().join(" ");
    for e in lexicon.entries() {
        for t in &e.targets {
            println!("{} @ {}", tok(t), tok(&e.source));
        }
    }
    Ok(())
}

/// Times the aligner on a long pair built by repeating the gold documents,
/// against plain Gale–Church (no anchors) in the same process.
fn bench() -> Res {
    let docs = eval::load_gold_dir(&default_dir())?;
    let (vi, en) = langs();
    let lexicon = starter_lexicon(&vi, &en)?;
    let (mut src, mut tgt) = (String::new(), String::new());
    // The gold links of the concatenation, shifted by the sentences before.
    let mut gold = Vec::new();
    let (mut n, mut m) = (0, 0);
    while src.len() < 1024 * 1024 {
        for d in &docs {
            src.push_str(&d.source);
            src.push('\n');
            tgt.push_str(&d.target);
            tgt.push('\n');
            for (s, t) in &d.gold {
                let shift =
                    |r: &std::ops::Range<usize>, by: usize| if r.is_empty() { 0..0 } else { r.start + by..r.end + by };
                gold.push((shift(s, n), shift(t, m)));
            }
            n += glossary::text::split_sentences(&d.source, SentenceLang::Vietnamese).len();
            m += glossary::text::split_sentences(&d.target, SentenceLang::English).len();
        }
    }
    for (label, weight) in [("length only (λ = 0)", 0.0), ("length + anchors", 1.0)] {
        let options = AlignOptions { anchor_weight: weight, ..AlignOptions::default() };
        let start = Instant::now();
        let a = align(&Document::new(vi.clone(), &src), &Document::new(en.clone(), &tgt), &lexicon, &options)?;
        let secs = start.elapsed().as_secs_f64();
        let f1 = eval::score(&eval::link_ranges(&a), &gold).links.f1();
        println!(
            "{label}: {} KiB / {} KiB, {} / {} sentences, band {:?}, {} cells, {} runs: {secs:.2} s, link F1 {f1:.3}",
            src.len() / 1024,
            tgt.len() / 1024,
            a.stats.src_sentences,
            a.stats.tgt_sentences,
            a.stats.band,
            a.stats.cells,
            a.stats.attempts
        );
    }
    Ok(())
}
