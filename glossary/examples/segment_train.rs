//! Trains the boundary model of the word segmenter (`glossary::text::segment`):
//! an averaged perceptron that decides, for each gap between two
//! syllables, whether they belong to one word. Run by
//! `tools/train_segment_model.sh`, which prepares the inputs.
//!
//! ```sh
//! segment_train [--pairs PAIRS.tsv] --fold LEXICON.tsv GOLD.conllu [--fold ...]
//!               [--eval LEXICON.tsv GOLD.conllu] [--epochs N] [--out glossary/data/vi-segment-model.bin]
//! ```
//!
//! `--pairs` (before the lexicons) replaces the bundled table of syllable
//! pairs, to measure a new one with `--eval` before bundling it.
//!
//! Each `--fold` pairs gold-segmented sentences with a lexicon built
//! *without* them (jackknifing), so that the lexicon features look at
//! training sentences as they will look at new text. `--eval` reports
//! word-level F1 after each epoch on held-out sentences, segmented with
//! its lexicon (the lattice alone first, for comparison).

use std::collections::HashSet;

use glossary::text::segment::training::{self, TrainingLexicon, FEATURES};
use glossary::text::tokenize;

type Res<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// The sentences of a CoNLL-U file, as lists of gold word FORMs.
fn read_conllu(path: &str) -> Res<Vec<Vec<String>>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut sentences = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if !line.starts_with('#') && cols.len() == 10 && cols[0].bytes().all(|b| b.is_ascii_digit()) {
            current.push(cols[1].to_string());
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    Ok(sentences)
}

/// The sentence's text (gold words joined by spaces) and the byte offsets
/// where gold words end.
fn text_and_ends(sentence: &[String]) -> (String, HashSet<usize>) {
    let text = sentence.join(" ");
    let mut ends = HashSet::new();
    let mut pos = 0;
    for w in sentence {
        pos += w.len();
        ends.insert(pos);
        pos += 1;
    }
    (text, ends)
}

/// Word-level F1 of the segmentation with `weights` on `sentences`.
fn f1(sentences: &[Vec<String>], lexicon: &TrainingLexicon, weights: Option<&[i16]>) -> f64 {
    let (mut matched, mut predicted, mut gold) = (0usize, 0usize, 0usize);
    for sentence in sentences {
        let (text, _) = text_and_ends(sentence);
        let mut gold_spans = HashSet::new();
        let mut pos = 0;
        for w in sentence {
            gold_spans.insert((pos, pos + w.len()));
            pos += w.len() + 1;
        }
        let words = training::segment(&tokenize(&text), lexicon, weights);
        matched += words.iter().filter(|w| gold_spans.contains(&(w.bytes.start, w.bytes.end))).count();
        predicted += words.len();
        gold += gold_spans.len();
    }
    let p = matched as f64 / predicted.max(1) as f64;
    let r = matched as f64 / gold.max(1) as f64;
    2.0 * p * r / (p + r).max(f64::MIN_POSITIVE)
}

struct Example {
    features: Vec<u32>,
    join: bool,
}

fn main() -> Res {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut examples = Vec::new();
    let mut eval = None;
    let mut epochs = 8;
    let mut out = None;
    let mut pairs: Option<String> = None;
    let lexicon_of = |path: &str, pairs: &Option<String>| -> Res<TrainingLexicon> {
        let tsv = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        Ok(match pairs {
            Some(table) => TrainingLexicon::parse_with_pairs(&tsv, table),
            None => TrainingLexicon::parse(&tsv),
        })
    };
    let mut rest = &args[..];
    while let Some(option) = rest.first() {
        match (option.as_str(), rest.get(1), rest.get(2)) {
            ("--pairs", Some(path), _) => {
                pairs = Some(std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?);
                rest = &rest[2..];
            }
            ("--fold", Some(lexicon), Some(gold)) => {
                let lexicon = lexicon_of(lexicon, &pairs)?;
                for sentence in read_conllu(gold)? {
                    let (text, ends) = text_and_ends(&sentence);
                    training::gaps(&tokenize(&text), &lexicon, |features, byte| {
                        examples.push(Example { features: features.to_vec(), join: !ends.contains(&byte) });
                    });
                }
                rest = &rest[3..];
            }
            ("--eval", Some(lexicon), Some(gold)) => {
                eval = Some((lexicon_of(lexicon, &pairs)?, read_conllu(gold)?));
                rest = &rest[3..];
            }
            ("--epochs", Some(n), _) => {
                epochs = n.parse()?;
                rest = &rest[2..];
            }
            ("--out", Some(path), _) => {
                out = Some(path.clone());
                rest = &rest[2..];
            }
            _ => return Err(format!("unknown or incomplete option {option:?}").into()),
        }
    }
    if examples.is_empty() {
        return Err("no training gaps: give at least one --fold LEXICON GOLD".into());
    }
    let joins = examples.iter().filter(|e| e.join).count();
    println!("{} gaps ({joins} inside words)", examples.len());
    if let Some((lexicon, sentences)) = &eval {
        println!("held-out F1, lattice alone: {:.4}", f1(sentences, lexicon, None));
    }
    // Averaged perceptron: `weights` are the current weights, `sums` the
    // sums of updates weighted by the step they happened at, so that the
    // average over all steps is weights - sums / steps.
    let mut weights = vec![0f32; FEATURES];
    let mut sums = vec![0f32; FEATURES];
    let mut step = 1f32;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    // SEGMENT_TRAIN_SEED varies the shuffles, to tell a change's effect
    // from the spread between training runs.
    let mut seed = 0x2545_f491_4f6c_dd1du64
        ^ std::env::var("SEGMENT_TRAIN_SEED")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut averaged = Vec::new();
    for epoch in 1..=epochs {
        // Fisher-Yates with a fixed xorshift sequence: reproducible runs.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let mut mistakes = 0;
        for &k in &order {
            let e = &examples[k];
            let score: f32 = e.features.iter().map(|&f| weights[f as usize]).sum();
            let y = if e.join { 1.0 } else { -1.0 };
            if y * score <= 0.0 {
                mistakes += 1;
                for &f in &e.features {
                    weights[f as usize] += y;
                    sums[f as usize] += y * step;
                }
            }
            step += 1.0;
        }
        averaged = weights.iter().zip(&sums).map(|(w, s)| w - s / step).collect();
        print!("epoch {epoch}: {mistakes} mistakes");
        if let Some((lexicon, sentences)) = &eval {
            let quantised = training::decode(&training::encode(&averaged)).ok_or("encoding failed")?;
            print!(", held-out F1 {:.4}", f1(sentences, lexicon, Some(&quantised)));
        }
        println!();
    }
    if let Some(path) = out {
        std::fs::write(&path, training::encode(&averaged))?;
        println!("wrote {path}");
    }
    Ok(())
}
