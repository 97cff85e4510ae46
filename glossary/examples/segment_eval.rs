//! Evaluation of word segmentation (`glossary::text::segment`) on a
//! gold-segmented CoNLL-U file, e.g. the test split of the Universal
//! Dependencies Vietnamese VTB treebank (see `tools/segment_eval.sh`).
//!
//! ```sh
//! cargo run --release -p glossary --example segment_eval -- GOLD.conllu [--other NAME FILE]... [--data NAME DIR]... [--speed] [--errors]
//! cargo run --release -p glossary --example segment_eval -- sentences GOLD.conllu   # one sentence per line
//! ```
//!
//! Each sentence is given to the segmenters as its gold words' FORMs joined
//! by spaces (so a multi-syllable word is its syllables separated by
//! spaces, as in running text). A word is scored by its span of
//! non-whitespace characters in the sentence, so the score is word-level
//! precision, recall and F1 of matching spans whatever each segmenter does
//! with punctuation. `--other NAME FILE` scores another segmenter's output
//! on the same sentences: one line per sentence, words separated by
//! spaces, syllables of a word joined by `_` (pyvi's format). `--data
//! NAME DIR` scores our segmenter with the lexicon and model in DIR
//! (`vi-words.tsv`, `vi-segment-model.bin`) instead of the bundled ones,
//! e.g. a model trained without the test file's sentences. `--speed`
//! also times tokenising alone and tokenising plus segmenting the
//! sentences, repeated to about 8 MB. After each `--other`, a line per
//! segmenter of ours scored before it gives the F1 difference with a 95%
//! paired bootstrap interval over the sentences. `--errors` prints the
//! sentences where our words differ from gold (gold first, then ours).

use std::collections::HashSet;
use std::time::Instant;

use glossary::text::segment::training::Segmenter;
use glossary::text::{tokenize, words};

type Res = Result<(), Box<dyn std::error::Error>>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("sentences") if args.len() == 2 => print_sentences(&args[1]),
        Some(gold) if !gold.starts_with('-') => report(gold, &args[1..]),
        _ => Err(
            "usage: segment_eval GOLD.conllu [--other NAME FILE]... [--data NAME DIR]... [--speed] | sentences GOLD.conllu"
                .into(),
        ),
    };
    if let Err(e) = result {
        eprintln!("segment_eval: {e}");
        std::process::exit(1);
    }
}

/// The sentences of a CoNLL-U file, as lists of gold word FORMs.
fn read_conllu(path: &str) -> Result<Vec<Vec<String>>, Box<dyn std::error::Error>> {
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
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        // Skip multiword-token ranges ("3-4") and empty nodes ("3.1").
        if cols.len() == 10 && cols[0].bytes().all(|b| b.is_ascii_digit()) {
            current.push(cols[1].to_string());
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    Ok(sentences)
}

fn print_sentences(path: &str) -> Res {
    for sentence in read_conllu(path)? {
        println!("{}", sentence.join(" "));
    }
    Ok(())
}

/// Word spans in non-whitespace characters (underscores joining syllables
/// do not count either).
fn spans<'a>(words: impl IntoIterator<Item = &'a str>) -> (HashSet<(usize, usize)>, usize) {
    let mut set = HashSet::new();
    let mut pos = 0;
    for w in words {
        let len = w.chars().filter(|c| !c.is_whitespace() && *c != '_').count();
        if len > 0 {
            set.insert((pos, pos + len));
            pos += len;
        }
    }
    (set, pos)
}

/// Counts of matching, predicted and gold words of each sentence, and how
/// many sentences changed their characters.
#[derive(Default, Clone)]
struct Counts {
    misaligned: usize,
    /// (matched, predicted, gold) of each sentence.
    sentences: Vec<[usize; 3]>,
}

/// The (matched, predicted, gold) counts of the sentences `picked`, summed.
fn sum_of(sentences: &[[usize; 3]], picked: impl IntoIterator<Item = usize>) -> [usize; 3] {
    picked.into_iter().fold([0usize; 3], |acc, i| {
        let c = sentences[i];
        [acc[0] + c[0], acc[1] + c[1], acc[2] + c[2]]
    })
}

/// Precision, recall and F1 of summed (matched, predicted, gold) counts.
fn scores([m, p, g]: [usize; 3]) -> (f64, f64, f64) {
    let (p, r) = (m as f64 / p.max(1) as f64, m as f64 / g.max(1) as f64);
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

/// F1 of the summed per-sentence counts of the sentences `picked`.
fn f1_of(sentences: &[[usize; 3]], picked: &[usize]) -> f64 {
    scores(sum_of(sentences, picked.iter().copied())).2
}

/// Prints the F1 difference of `a` minus `b` on the same sentences with a
/// 95% paired bootstrap interval: 10,000 resamples of the sentences (with
/// replacement, a fixed xorshift sequence, so runs repeat), each scored by
/// both segmenters, and the 2.5th and 97.5th percentiles of the
/// differences. On 100 sentences an interval that holds 0 says the test
/// set cannot tell the two apart.
fn print_difference(a: (&str, &Counts), b: (&str, &Counts)) {
    let n = a.1.sentences.len();
    if n == 0 || n != b.1.sentences.len() {
        return;
    }
    let all: Vec<usize> = (0..n).collect();
    let observed = f1_of(&a.1.sentences, &all) - f1_of(&b.1.sentences, &all);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut picked = vec![0; n];
    let mut diffs: Vec<f64> = (0..10_000)
        .map(|_| {
            for slot in &mut picked {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *slot = (state % n as u64) as usize;
            }
            f1_of(&a.1.sentences, &picked) - f1_of(&b.1.sentences, &picked)
        })
        .collect();
    diffs.sort_by(f64::total_cmp);
    let at_least = diffs.iter().filter(|&&d| d >= 0.0).count() as f64 / diffs.len() as f64;
    println!(
        "  F1 {} - {}: {observed:+.4}, 95% paired bootstrap interval [{:+.4}, {:+.4}]; {} ahead or level in {:.0}% of resamples",
        a.0,
        b.0,
        diffs[250],
        diffs[9_749],
        a.0,
        at_least * 100.0
    );
}

impl Counts {
    fn add(&mut self, gold: &[String], predicted: &[&str]) {
        let (g, g_len) = spans(gold.iter().map(String::as_str));
        let (p, p_len) = spans(predicted.iter().copied());
        if g_len != p_len {
            self.misaligned += 1;
        }
        self.sentences.push([g.intersection(&p).count(), p.len(), g.len()]);
    }

    fn print(&self, name: &str) {
        let totals = sum_of(&self.sentences, 0..self.sentences.len());
        let (p, r, f) = scores(totals);
        print!(
            "{name:<10} precision {p:.4}  recall {r:.4}  F1 {f:.4}  ({} gold words, {} predicted)",
            totals[2], totals[1]
        );
        if self.misaligned > 0 {
            print!("  [{} sentences changed their characters]", self.misaligned);
        }
        println!();
    }
}

fn report(gold_path: &str, options: &[String]) -> Res {
    let gold = read_conllu(gold_path)?;
    let texts: Vec<String> = gold.iter().map(|s| s.join(" ")).collect();
    let mut ours = Counts::default();
    for (sentence, text) in gold.iter().zip(&texts) {
        let predicted: Vec<&str> = words(text).into_iter().map(|w| &text[w.bytes]).collect();
        ours.add(sentence, &predicted);
    }
    println!("{} sentences from {gold_path}", gold.len());
    ours.print("glossary");
    let mut rest = options;
    let mut speed = false;
    let mut last_data: Option<Segmenter> = None;
    // Our segmenters scored so far, for the differences with each --other.
    let mut scored: Vec<(String, Counts)> = vec![("glossary".to_string(), ours)];
    while let Some(option) = rest.first() {
        match (option.as_str(), rest.get(1), rest.get(2)) {
            ("--errors", _, _) => {
                print_errors(&gold, &texts, last_data.as_ref());
                rest = &rest[1..];
            }
            ("--other", Some(name), Some(path)) => {
                let output = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
                let lines: Vec<&str> = output.lines().collect();
                if lines.len() != gold.len() {
                    return Err(format!("{path}: {} lines for {} sentences", lines.len(), gold.len()).into());
                }
                let mut counts = Counts::default();
                for (sentence, line) in gold.iter().zip(lines) {
                    counts.add(sentence, &line.split_whitespace().collect::<Vec<_>>());
                }
                counts.print(name);
                for (ours_name, ours) in &scored {
                    print_difference((ours_name, ours), (name, &counts));
                }
                rest = &rest[3..];
            }
            ("--data", Some(name), Some(dir)) => {
                let lexicon = std::fs::read_to_string(format!("{dir}/vi-words.tsv"))
                    .map_err(|e| format!("{dir}/vi-words.tsv: {e}"))?;
                let model = std::fs::read(format!("{dir}/vi-segment-model.bin"))
                    .map_err(|e| format!("{dir}/vi-segment-model.bin: {e}"))?;
                let segmenter = Segmenter::new(&lexicon, &model).ok_or(format!("{dir}: not a valid model file"))?;
                let mut counts = Counts::default();
                for (sentence, text) in gold.iter().zip(&texts) {
                    let predicted: Vec<&str> =
                        segmenter.segment(&tokenize(text)).into_iter().map(|w| &text[w.bytes]).collect();
                    counts.add(sentence, &predicted);
                }
                counts.print(name);
                scored.push((name.clone(), counts));
                last_data = Some(segmenter);
                rest = &rest[3..];
            }
            ("--speed", _, _) => {
                speed = true;
                rest = &rest[1..];
            }
            _ => return Err(format!("unknown option {option:?}").into()),
        }
    }
    if speed {
        measure_speed(&texts);
    }
    Ok(())
}

/// Prints gold and predicted words (syllables joined by `_`) of every
/// sentence where they differ; predicted by `segmenter` (the last `--data`
/// before `--errors`) or else by the bundled segmenter.
fn print_errors(gold: &[Vec<String>], texts: &[String], segmenter: Option<&Segmenter>) {
    let join = |w: &str| w.split_whitespace().collect::<Vec<_>>().join("_");
    for (sentence, text) in gold.iter().zip(texts) {
        let predicted = match segmenter {
            Some(segmenter) => segmenter.segment(&tokenize(text)),
            None => words(text),
        };
        let ours: Vec<String> = predicted.into_iter().map(|w| join(&text[w.bytes])).collect();
        let gold: Vec<String> = sentence.iter().map(|w| join(w)).collect();
        if ours != gold {
            println!(
                "gold {}
ours {}
",
                gold.join(" "),
                ours.join(" ")
            );
        }
    }
}

/// Prints MB/s of tokenising alone and of tokenising plus segmenting.
fn measure_speed(texts: &[String]) {
    const TARGET: usize = 8 << 20;
    let one: usize = texts.iter().map(String::len).sum();
    let copies = (TARGET / one.max(1)).max(1);
    let corpus: Vec<&str> = (0..copies).flat_map(|_| texts.iter().map(String::as_str)).collect();
    let bytes = one * copies;
    let mb = bytes as f64 / 1e6;
    // Warm-up: loads the lexicon.
    let _ = words("khởi động");
    let mut best = [f64::MAX; 2];
    for _ in 0..3 {
        let start = Instant::now();
        let n: usize = corpus.iter().map(|s| tokenize(s).len()).sum();
        best[0] = best[0].min(start.elapsed().as_secs_f64());
        let start = Instant::now();
        let m: usize = corpus.iter().map(|s| words(s).len()).sum();
        best[1] = best[1].min(start.elapsed().as_secs_f64());
        assert!(m <= n, "more words than tokens");
    }
    println!(
        "speed on {mb:.1} MB (best of 3, one thread): tokenize {:.1} MB/s, tokenize + segment {:.1} MB/s",
        mb / best[0],
        mb / best[1]
    );
}
