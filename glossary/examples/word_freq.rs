//! Counts the words of more than one syllable in Vietnamese text read from
//! standard input, segmented by `glossary::text::segment` (the segmenter the
//! miner uses), and prints the word-level reference list the miner bundles
//! (`glossary/data/vi-word-freq.tsv`): a header, then `key<TAB>count` per
//! word with at least `MIN_COUNT` occurrences, most frequent first.
//!
//! ```sh
//! cargo run --release -p glossary --example word_freq -- MIN_COUNT < TEXT
//! ```
//!
//! Keys are normalised (`text::normalized_key`: lowercase, canonical tone
//! placement), so "hoà bình" and "Hòa Bình" are one entry. Only words made
//! of letters count (no number, punctuation or code with digits); the
//! header gives the number of syllables read, the denominator of every
//! probability. `tools/build_vi_word_freq.sh` runs this on Vietnamese
//! Wikipedia.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use glossary::text::{self, TokenKind};

fn main() -> std::io::Result<()> {
    let min_count: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2);
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut syllables: u64 = 0;
    for line in std::io::stdin().lock().lines() {
        let line = text::clean(&line?);
        for sentence in text::split_sentences(&line, text::SentenceLang::Vietnamese) {
            let sentence = sentence.text;
            let tokens = text::tokenize(sentence);
            syllables += tokens.iter().filter(|t| t.kind == TokenKind::Word).count() as u64;
            for word in text::segment(sentence, &tokens) {
                let parts = &tokens[word.tokens];
                if parts.len() < 2
                    || !parts.iter().all(|t| t.kind == TokenKind::Word && t.text.chars().all(char::is_alphabetic))
                {
                    continue;
                }
                // The syllables are letters between single spaces (the
                // line is cleaned): the key of the span is theirs, joined.
                *counts.entry(text::normalized_key(&sentence[word.bytes])).or_insert(0) += 1;
            }
        }
    }
    let mut rows: Vec<(String, u64)> = counts.into_iter().filter(|&(_, c)| c >= min_count).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "# syllables\t{syllables}")?;
    writeln!(out, "# min_count\t{min_count}")?;
    for (word, count) in rows {
        writeln!(out, "{word}\t{count}")?;
    }
    Ok(())
}
