//! Fills a data directory with N synthetic concepts, for measuring bulk
//! export (see README, "Exchange formats"):
//!
//! ```sh
//! cargo run --release -p glossary --example generate_store -- /tmp/g1m 1000000
//! /usr/bin/time -v target/release/glossary-server export --data-dir /tmp/g1m --no-seed out.tbx
//! ```
//!
//! Each concept has a subject field, a definition, a note and four terms
//! (two Vietnamese, two English) with context sentences, about the size of
//! a curated diplomatic entry. Writes go in batches of 10,000 concepts per
//! transaction and flush.

use glossary::store::{Store, StoreOptions};
use glossary::{ConceptDraft, Lang, PartOfSpeech, Term, TermStatus, TermType};

const BATCH: u64 = 10_000;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(n)) = (args.next(), args.next().and_then(|n| n.parse::<u64>().ok())) else {
        eprintln!("usage: generate_store DIR N");
        std::process::exit(2);
    };
    let store = Store::open(std::path::Path::new(&dir), &StoreOptions::default()).expect("open the store");
    let (vi, en) = (Lang::new("vi").unwrap(), Lang::new("en").unwrap());
    let syllables =
        ["hợp", "tác", "phát", "triển", "bền", "vững", "đối", "thoại", "chiến", "lược", "an", "ninh", "hữu", "nghị"];
    let words =
        ["cooperation", "development", "sustainable", "dialogue", "strategic", "security", "friendship", "trade"];
    let term = |lang: &Lang, text: String, status, context: String| Term {
        lang: lang.clone(),
        text,
        status,
        part_of_speech: Some(PartOfSpeech::Noun),
        term_type: Some(TermType::Phrase),
        context: Some(context),
        source: Some("synthetic".into()),
        note: None,
    };
    let started = std::time::Instant::now();
    let mut done = 0;
    while done < n {
        let size = BATCH.min(n - done);
        let drafts: Vec<ConceptDraft> = (done..done + size)
            .map(|i| {
                let pick = |k: u64, list: &[&str]| list[((i / k.max(1)) % list.len() as u64) as usize].to_string();
                let vi_text = format!("{} {} {} {i}", pick(1, &syllables), pick(7, &syllables), pick(49, &syllables));
                let en_text = format!("{} {} {i}", pick(1, &words), pick(5, &words));
                ConceptDraft {
                    id: None,
                    subject_field: Some(pick(3, &["diplomacy", "economy", "security"])),
                    definition: Some(format!("Synthetic concept number {i}, used to measure bulk export.")),
                    note: Some("Generated; not a real term.".into()),
                    source: None,
                    collection: None,
                    terms: vec![
                        term(
                            &vi,
                            vi_text.clone(),
                            TermStatus::Preferred,
                            format!("Hai bên nhấn mạnh {vi_text} trong hội đàm."),
                        ),
                        term(&vi, format!("{vi_text} (biến thể)"), TermStatus::Admitted, "Cách viết khác.".into()),
                        term(
                            &en,
                            en_text.clone(),
                            TermStatus::Preferred,
                            format!("Both sides stressed {en_text} in the talks."),
                        ),
                        term(&en, format!("{en_text} (variant)"), TermStatus::Deprecated, "Older wording.".into()),
                    ],
                }
            })
            .collect();
        store.create_many(drafts, true, "generate_store").expect("write a batch");
        done += size;
        if done % 100_000 == 0 || done == n {
            eprintln!("{done} concepts ({:.0?})", started.elapsed());
        }
    }
}
