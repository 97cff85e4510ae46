//! Quality harness: mines `../shared/seeds/*.txt` (or the files given) and
//! prints the top candidates with their score factors, so anyone can judge
//! the ranking.
//!
//! ```sh
//! cargo run -p glossary --example mine_seeds            # top 50 of the seeds
//! cargo run -p glossary --example mine_seeds -- 100 a.txt b.txt
//! ```

use std::path::{Path, PathBuf};

use glossary::mining::{mine, Document, MiningOptions};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let top = args.first().and_then(|a| a.parse().ok()).inspect(|_| {
        args.remove(0);
    });
    let files: Vec<PathBuf> = if args.is_empty() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds");
        let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        v.sort();
        v
    } else {
        args.iter().map(PathBuf::from).collect()
    };
    let docs: Vec<Document> = files
        .iter()
        .map(|p| Document {
            id: p.file_stem().map(|s| s.to_string_lossy().chars().take(3).collect()),
            title: None,
            text: std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display())),
        })
        .collect();
    let options = MiningOptions { top: top.unwrap_or(50), ..MiningOptions::default() };
    let outcome = mine(&docs, &options, &mut |_| {}).expect("mining");
    println!(
        "{:>3} {:>7} {:>4} {:>2}  {:<8} {:<60} {:>6} {:>5} {:>5} {:>5} {:>5} {:>5}",
        "#", "score", "f", "df", "kind", "term", "C", "bound", "unit", "spec", "sprd", "shape"
    );
    for (i, c) in outcome.candidates.iter().enumerate() {
        let p = &c.parts;
        println!(
            "{:>3} {:>7.2} {:>4} {:>2}  {:<8} {:<60} {:>6.1} {:>5.2} {:>5.2} {:>5.2} {:>5.2} {:>5.2}",
            i + 1,
            c.score,
            c.frequency,
            c.document_frequency,
            c.kind.as_str(),
            c.term,
            p.termhood,
            p.boundary,
            p.unithood,
            p.specificity,
            p.spread,
            p.shape
        );
        if c.kind == glossary::mining::CandidateKind::Formula {
            println!("      members: {}", c.members.join(" | "));
            for v in &c.variants {
                println!("      variant {}× {}", v.count, v.text);
            }
        }
    }
    // Where some expected terms rank (set WATCH="a|b|c").
    if let Ok(watch) = std::env::var("WATCH") {
        let all = mine(&docs, &MiningOptions { top: 5000, ..MiningOptions::default() }, &mut |_| {}).expect("mining");
        for w in watch.split('|') {
            let key = glossary::text::normalized_key(w);
            match all.candidates.iter().position(|c| c.key == key) {
                Some(i) => {
                    let c = &all.candidates[i];
                    println!("watch #{:<4} {:<40} {:.2} f={} {:?}", i + 1, w, c.score, c.frequency, c.parts);
                }
                None => println!("watch  --   {w} (not a candidate)"),
            }
        }
    }
    eprintln!("{:?}", outcome.stats);
}
