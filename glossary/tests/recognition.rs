//! Term recognition on real-style sentences against the bundled starter
//! glossary: the table in `tests/data/recognition.tsv` lists, per sentence,
//! the spans that must be recognised and those that must not (a one-syllable
//! term inside a longer word, a name written like a common noun, an
//! unmarked syllable in an accented sentence). Every failing row is
//! reported at once.

use glossary::{Glossary, Lang, OpenOptions};

#[test]
fn recognition_table() {
    let dir = tempfile::tempdir().unwrap();
    let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
    assert!(g.seed_starter_if_new().unwrap() > 100, "the starter glossary should load");
    let vi = Lang::new("vi").unwrap();
    let table = include_str!("data/recognition.tsv");
    let split = |cell: Option<&str>| -> Vec<String> {
        cell.unwrap_or("").split(" | ").map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
    };
    let mut rows = 0;
    let mut failures = Vec::new();
    for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut cols = line.split('\t');
        let sentence = cols.next().unwrap();
        let (must, must_not) = (split(cols.next()), split(cols.next()));
        assert!(!must.is_empty() || !must_not.is_empty(), "row asserts nothing: {sentence}");
        rows += 1;
        let found: Vec<&str> = g.find_terms(sentence, &vi).iter().map(|o| &sentence[o.bytes.clone()]).collect();
        let missing: Vec<&String> = must.iter().filter(|m| !found.contains(&m.as_str())).collect();
        let wrong: Vec<&String> = must_not.iter().filter(|m| found.contains(&m.as_str())).collect();
        if !missing.is_empty() || !wrong.is_empty() {
            failures.push(format!("{sentence}\n    found {found:?}; missing {missing:?}; must not have {wrong:?}"));
        }
    }
    assert!(rows >= 100, "the table should hold at least 100 sentences, has {rows}");
    assert!(failures.is_empty(), "{} of {rows} rows failed:\n{}", failures.len(), failures.join("\n"));
}
