//! Ranks English equivalents for a list of checked terms over sentence
//! pairs that nobody here wrote, and counts how often an accepted English
//! comes first (`tools/equivalents_eval.sh` runs it on NTREX-128).
//!
//! ```text
//! cargo run --release -p glossary --example equivalents_eval -- PAIRS.tsv TERMS.tsv
//! ```
//!
//! `PAIRS.tsv`: one pair per line, Vietnamese, a tab, English.
//! `TERMS.tsv`: a term, a tab, its accepted English forms separated by `|`
//! (inflections and an abbreviation of one rendering); `#` starts a comment.
//! For each term the report gives in how many pairs it occurs, the share of
//! those whose English contains an accepted form (the selection rule of the
//! list: at least 8 pairs and half of them), the rank of the first accepted
//! proposal and the top three. The starter glossary gives the known terms.

use std::path::Path;
use std::time::Instant;

use glossary::align::equivalents::{propose_equivalents, EquivalentsOptions};
use glossary::align::starter_lexicon;
use glossary::text;
use glossary::Lang;

type Res = Result<(), Box<dyn std::error::Error>>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [pairs, terms] => run(Path::new(pairs), Path::new(terms)),
        _ => Err("usage: equivalents_eval PAIRS.tsv TERMS.tsv".into()),
    };
    if let Err(e) = result {
        eprintln!("equivalents_eval: {e}");
        std::process::exit(1);
    }
}

/// Whether `phrase` occurs in `hay` between non-alphanumeric characters
/// (both lowercase).
fn contains_words(hay: &str, phrase: &str) -> bool {
    hay.match_indices(phrase).any(|(i, m)| {
        let before = hay[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = hay[i + m.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

/// The normalised keys of a sentence's tokens, joined by spaces.
fn token_keys(s: &str) -> String {
    text::tokenize(s).iter().map(|t| text::normalized_key(t.text)).collect::<Vec<_>>().join(" ")
}

fn run(pairs_file: &Path, terms_file: &Path) -> Res {
    let pairs: Vec<(String, String)> = std::fs::read_to_string(pairs_file)?
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(v, e)| (v.trim().to_string(), e.trim().to_string()))
        .filter(|(v, e)| !v.is_empty() && !e.is_empty())
        .collect();
    let mut terms: Vec<(String, Vec<String>)> = Vec::new();
    for (n, line) in std::fs::read_to_string(terms_file)?.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let (term, forms) =
            line.split_once('\t').ok_or(format!("line {}: needs a term, a tab and its English", n + 1))?;
        terms.push((term.trim().to_string(), forms.split('|').map(|f| f.trim().to_lowercase()).collect()));
    }
    let (vi, en) = (Lang::new("vi")?, Lang::new("en")?);
    let known = starter_lexicon(&vi, &en)?;
    let keys: Vec<String> = pairs.iter().map(|(v, _)| format!(" {} ", token_keys(v))).collect();
    let start = Instant::now();
    let (mut first, mut top3) = (0, 0);
    for (term, forms) in &terms {
        let key = format!(" {} ", token_keys(term));
        let with_term: Vec<usize> = (0..pairs.len()).filter(|&i| keys[i].contains(&key)).collect();
        let covered = with_term
            .iter()
            .filter(|&&i| {
                let english = pairs[i].1.to_lowercase();
                forms.iter().any(|f| contains_words(&english, f))
            })
            .count();
        let report = propose_equivalents(term, &pairs, &known, &EquivalentsOptions::default())?;
        let rank = report.proposals.iter().position(|p| forms.contains(&p.text));
        first += usize::from(rank == Some(0));
        top3 += usize::from(rank.is_some_and(|r| r < 3));
        let shown = rank.map_or("-".to_string(), |r| (r + 1).to_string());
        println!(
            "{term:<22} {:<28} {:>3} pairs {:>4.0}%  rank {shown:>2}   {}",
            forms.join("|"),
            with_term.len(),
            100.0 * covered as f64 / with_term.len().max(1) as f64,
            report.top(3)
        );
    }
    println!(
        "right English first for {first} of {} terms (top 3: {top3}), over {} pairs ({:.1} ms)",
        terms.len(),
        pairs.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
