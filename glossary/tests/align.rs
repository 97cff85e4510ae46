//! Sentence alignment measured against the hand-made gold alignments in
//! `tests/data/align/` (Vietnamese and English texts written for this
//! project, with merged, split, dropped and added sentences).
//!
//! The floors are what the aligner reaches today, rounded down (see the
//! README's alignment section for the full table); they guard against
//! regressions, not against a trivial baseline.

use std::path::Path;

use glossary::align::eval::{self, GoldDocument, Scores};
use glossary::align::{align, starter_lexicon, AlignOptions, AnchorLexicon, Document};
use glossary::Lang;

fn docs() -> Vec<GoldDocument> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/align");
    let docs = eval::load_gold_dir(&dir).expect("gold documents load and their gold files cover every sentence");
    assert!(docs.len() >= 5, "{} documents", docs.len());
    docs
}

fn langs() -> (Lang, Lang) {
    (Lang::new("vi").unwrap(), Lang::new("en").unwrap())
}

fn evaluate(docs: &[GoldDocument], lexicon: &AnchorLexicon, options: &AlignOptions) -> (Scores, Vec<(String, Scores)>) {
    let (vi, en) = langs();
    let mut total = Scores::default();
    let mut per_doc = Vec::new();
    for d in docs {
        let a = align(&Document::new(vi.clone(), &d.source), &Document::new(en.clone(), &d.target), lexicon, options)
            .unwrap();
        let links = eval::link_ranges(&a);
        eval::check_coverage(&links, a.stats.src_sentences, a.stats.tgt_sentences).unwrap();
        let s = eval::score(&links, &d.gold);
        total.add(&s);
        per_doc.push((d.name.clone(), s));
    }
    (total, per_doc)
}

#[test]
fn alignment_reaches_its_measured_precision_and_recall() {
    let docs = docs();
    let (vi, en) = langs();
    let lexicon = starter_lexicon(&vi, &en).unwrap();
    let (total, per_doc) = evaluate(&docs, &lexicon, &AlignOptions::default());
    for (name, s) in &per_doc {
        eprintln!(
            "{name}: links P {:.3} R {:.3} F1 {:.3}; pairs F1 {:.3}",
            s.links.precision(),
            s.links.recall(),
            s.links.f1(),
            s.pairs.f1()
        );
        assert!(s.links.f1() >= 0.80, "{name}: link F1 {:.3}", s.links.f1());
    }
    assert!(total.links.precision() >= 0.93, "link precision {:.3}", total.links.precision());
    assert!(total.links.recall() >= 0.91, "link recall {:.3}", total.links.recall());
    assert!(total.pairs.f1() >= 0.96, "pair F1 {:.3}", total.pairs.f1());
}

#[test]
fn anchors_beat_length_alone() {
    let docs = docs();
    let none = AnchorLexicon::new();
    let (with, _) = evaluate(&docs, &none, &AlignOptions::default());
    let (without, _) = evaluate(&docs, &none, &AlignOptions { anchor_weight: 0.0, ..AlignOptions::default() });
    eprintln!("link F1: length only {:.3}, with anchors {:.3}", without.links.f1(), with.links.f1());
    assert!(with.links.f1() >= without.links.f1() + 0.1, "{:.3} vs {:.3}", with.links.f1(), without.links.f1());
}

#[test]
fn a_narrow_band_widens_until_it_finds_the_unbanded_alignment() {
    let docs = docs();
    let (vi, en) = langs();
    let (mut src, mut tgt) = (String::new(), String::new());
    for d in &docs {
        src.push_str(&d.source);
        src.push('\n');
        tgt.push_str(&d.target);
        tgt.push('\n');
    }
    let lexicon = AnchorLexicon::new();
    let full =
        align(&Document::new(vi.clone(), &src), &Document::new(en.clone(), &tgt), &lexicon, &AlignOptions::default())
            .unwrap();
    assert_eq!(full.stats.band, None);
    let banded = align(
        &Document::new(vi, &src),
        &Document::new(en, &tgt),
        &lexicon,
        &AlignOptions { band: Some(2), ..AlignOptions::default() },
    )
    .unwrap();
    assert!(banded.stats.band.is_some());
    assert!(banded.stats.cells < full.stats.cells, "{} vs {}", banded.stats.cells, full.stats.cells);
    assert_eq!(eval::link_ranges(&banded), eval::link_ranges(&full), "band {:?}", banded.stats.band);
}
