//! Vietnamese word segmentation: syllables in, words out.
//!
//! Vietnamese puts a space between syllables, and a word is one or more
//! syllables ("họp báo", "Bộ trưởng", "lao động"). [`segment`] groups the
//! tokens of [`tokenize`] into words and reports each word's token range and
//! byte span in the original text; every token belongs to exactly one word,
//! in order, so callers can test word boundaries on token indices.
//!
//! # Method
//!
//! 1. **Fixed units.** Punctuation is a word of its own. A chain of words and
//!    numbers glued by hyphens without spaces is one word when a part holds a
//!    digit or every part is an acronym ("COVID-19", "Sars-CoV-2", "ASEAN-EU",
//!    but "Việt Nam-Lào" stays apart); acronyms glued by a period ("TP.HCM")
//!    are one word; a number ("5/2/2026", "1.000", "15%") is one word.
//! 2. **Lattice.** Between fixed units, every span of syllables that is in
//!    the lexicon (case-insensitive, canonical tone placement, so "hoà" is
//!    "hòa") is a candidate word; every single syllable is one too. A pair of
//!    syllables that the lexicon lacks as a word is a candidate whose score
//!    adds how often (in the treebank) its first syllable starts a longer
//!    word and its second continues one, so compounds of bound syllables
//!    missing from the lexicon still come out whole; a run of two or more
//!    capitalised syllables is a candidate name unless it starts where a
//!    title or class noun of the lexicon starts ("Chủ tịch", "Tỉnh"), so
//!    "Tỉnh Hòa Bình" is "Tỉnh" + "Hòa Bình".
//! 3. **Viterbi.** The segmentation maximising the sum of the words' log
//!    unigram probabilities (counted on a gold-segmented treebank) wins.
//!
//! The lexicon (`glossary/data/vi-words.tsv`) is derived from the train
//! split of the Universal Dependencies Vietnamese VTB treebank (CC BY-SA
//! 4.0) plus a hand-written supplement; `tools/build_segment_lexicon.py`
//! regenerates it and `docs/segmentation.md` gives the method's figures.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::LazyLock;

use super::normalize::normalized_key;
use super::tokenize::{tokenize, Token, TokenKind};

/// A word: one or more tokens of `text::tokenize(s)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Indices of the word's tokens in the token slice.
    pub tokens: Range<usize>,
    /// Byte span of the word in the text, from its first token's start to
    /// its last token's end.
    pub bytes: Range<usize>,
}

/// Words of `s`, covering every token of `tokenize(s)` in order
/// (punctuation tokens are one-token words).
///
/// `tokens` must be `tokenize(s)` (or a contiguous slice of it, with
/// offsets into `s`).
#[must_use]
pub fn segment(_s: &str, tokens: &[Token<'_>]) -> Vec<Word> {
    let lexicon = &*LEXICON;
    let units = units(tokens, lexicon);
    let mut words = Vec::with_capacity(tokens.len());
    let mut scratch = Scratch::default();
    let mut i = 0;
    while i < units.len() {
        if units[i].syllable.is_none() {
            push_word(&mut words, tokens, units[i].tokens.clone());
            i += 1;
            continue;
        }
        let end = units[i..].iter().position(|u| u.syllable.is_none()).map_or(units.len(), |p| i + p);
        viterbi(&units[i..end], lexicon, &mut scratch);
        for span in &scratch.spans {
            let first = &units[i + span.start];
            let last = &units[i + span.end - 1];
            push_word(&mut words, tokens, first.tokens.start..last.tokens.end);
        }
        i = end;
    }
    words
}

/// Shortcut: [`tokenize`] + [`segment`].
#[must_use]
pub fn words(s: &str) -> Vec<Word> {
    segment(s, &tokenize(s))
}

fn push_word(words: &mut Vec<Word>, tokens: &[Token<'_>], range: Range<usize>) {
    let bytes = tokens[range.start].start..tokens[range.end - 1].end;
    words.push(Word { tokens: range, bytes });
}

// ---------------------------------------------------------------------------
// Lexicon
// ---------------------------------------------------------------------------

/// A fast multiplicative hasher for the lexicon's small keys (the standard
/// SipHash dominated segmentation profiles); keys are not attacker-chosen
/// in a way that matters, since the tables are built from bundled data.
#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.write_u64(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Longest lexicon word considered, in syllables.
const MAX_SYLLABLES: usize = 6;
/// Bits per syllable id in a packed word key.
const ID_BITS: u32 = 20;

/// What the lexicon knows about one syllable.
#[derive(Debug, Clone, Copy, Default)]
struct SyllableInfo {
    /// Log probability of the syllable as a word on its own, if seen so.
    alone: Option<f32>,
    /// Occurrences as a word on its own, as the first syllable of a longer
    /// word, and as a later syllable of one.
    counts: [u32; 3],
    /// Log probability that an occurrence starts a longer word.
    starts: f32,
    /// Log probability that an occurrence continues a longer word.
    continues: f32,
}

/// A multi-syllable key of the lexicon: a word, a prefix of longer words,
/// or both.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    /// Log probability as a word, if the key is a word.
    score: Option<f32>,
    /// The word is a title or class noun that stands before names.
    title: bool,
    /// Some longer word starts with this key.
    prefix: bool,
}

struct Lexicon {
    /// Normalised syllable → id (index into `syllables`).
    ids: FxMap<Box<str>, u32>,
    syllables: Vec<SyllableInfo>,
    /// Single-syllable titles, by syllable id.
    titles: Vec<bool>,
    /// Packed syllable ids (two or more) → entry.
    words: FxMap<u128, Entry>,
    /// Score of a syllable the lexicon does not know as a word.
    unknown: f32,
    /// Score of a name candidate.
    name: f32,
    /// Base score of a pair of syllables missing from the lexicon, before
    /// the syllables' tendencies to start and continue words are added.
    pair: f32,
    /// Those tendencies for a syllable the lexicon lacks.
    unknown_info: SyllableInfo,
}

/// The bundled lexicon (see the module documentation).
const LEXICON_DATA: &str = include_str!("../../data/vi-words.tsv");

// Scores, in natural-log units relative to a word seen once in the lexicon,
// tuned by hand on the VTB dev split (never on test).

/// A syllable the lexicon never saw as a word on its own.
const UNKNOWN_SYLLABLE: f32 = -0.7;
/// A run of capitalised syllables read as a name.
const NAME: f32 = 0.0;
/// A pair of syllables the lexicon lacks, before adding the tendencies of
/// its first syllable to start and of its second to continue longer words.
const UNKNOWN_PAIR: f32 = -6.0;
/// Those tendencies for a syllable the lexicon lacks altogether.
const UNKNOWN_TENDENCY: f32 = -3.0;
/// Additive smoothing of the tendencies.
const TENDENCY_SMOOTHING: f32 = 0.5;

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(LEXICON_DATA));

fn pack(ids: &[u32]) -> u128 {
    ids.iter().fold(0u128, |acc, &id| (acc << ID_BITS) | u128::from(id + 1))
}

impl Lexicon {
    fn parse(data: &str) -> Self {
        let rows: Vec<(Vec<String>, u32, &str)> = data
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let word = cols.next()?;
                let count = cols.next()?.trim().parse().ok()?;
                let flag = cols.next().unwrap_or("").trim();
                let syllables: Vec<String> = word.split_whitespace().map(normalized_key).collect();
                (!syllables.is_empty() && syllables.len() <= MAX_SYLLABLES).then_some((syllables, count, flag))
            })
            .collect();
        let total: f64 = rows.iter().map(|r| f64::from(r.1)).sum::<f64>().max(1.0);
        let log_p = |count: f64| (count / total).ln() as f32;
        let mut lexicon = Lexicon {
            ids: FxMap::default(),
            syllables: Vec::new(),
            titles: Vec::new(),
            words: FxMap::default(),
            unknown: log_p(1.0) + UNKNOWN_SYLLABLE,
            name: log_p(1.0) + NAME,
            pair: log_p(1.0) + UNKNOWN_PAIR,
            unknown_info: SyllableInfo {
                starts: UNKNOWN_TENDENCY,
                continues: UNKNOWN_TENDENCY,
                ..SyllableInfo::default()
            },
        };
        for (syllables, count, flag) in rows {
            let ids: Vec<u32> = syllables.iter().map(|s| lexicon.intern(s)).collect();
            let score = log_p(f64::from(count));
            let title = flag == "T";
            if let [id] = ids[..] {
                let info = &mut lexicon.syllables[id as usize];
                info.alone = Some(info.alone.map_or(score, |s| s.max(score)));
                info.counts[0] += count;
                lexicon.titles[id as usize] |= title;
                continue;
            }
            for (k, &id) in ids.iter().enumerate() {
                lexicon.syllables[id as usize].counts[if k == 0 { 1 } else { 2 }] += count;
            }
            for len in 2..ids.len() {
                lexicon.words.entry(pack(&ids[..len])).or_default().prefix = true;
            }
            let entry = lexicon.words.entry(pack(&ids)).or_default();
            entry.score = Some(entry.score.map_or(score, |s| s.max(score)));
            entry.title |= title;
        }
        let tendency = |part: u32, total: u32| {
            ((part as f32 + TENDENCY_SMOOTHING) / (total as f32 + 3.0 * TENDENCY_SMOOTHING)).ln()
        };
        for info in &mut lexicon.syllables {
            let total = info.counts.iter().sum();
            info.starts = tendency(info.counts[1], total);
            info.continues = tendency(info.counts[2], total);
        }
        lexicon
    }

    fn intern(&mut self, syllable: &str) -> u32 {
        if let Some(&id) = self.ids.get(syllable) {
            return id;
        }
        let id = u32::try_from(self.syllables.len()).expect("fewer than 2^20 syllables");
        assert!(id < (1 << ID_BITS) - 1, "too many syllables for the packed keys");
        self.ids.insert(syllable.into(), id);
        self.syllables.push(SyllableInfo::default());
        self.titles.push(false);
        id
    }

    /// The id of a token's syllable, looked up by its lowercase form first
    /// and by its full normalised key when that misses.
    fn lookup(&self, text: &str, buffer: &mut String) -> Option<u32> {
        buffer.clear();
        buffer.extend(text.chars().flat_map(char::to_lowercase));
        if let Some(&id) = self.ids.get(buffer.as_str()) {
            return Some(id);
        }
        if text.is_ascii() {
            return None;
        }
        self.ids.get(normalized_key(text).as_str()).copied()
    }
}

// ---------------------------------------------------------------------------
// Units: syllables and fixed words
// ---------------------------------------------------------------------------

/// A syllable that may join its neighbours, or a fixed word.
#[derive(Debug, Clone)]
struct Unit {
    tokens: Range<usize>,
    /// `Some` for a syllable: its lexicon id, if known.
    syllable: Option<Option<u32>>,
    /// Starts with an uppercase letter.
    capitalised: bool,
    /// First unit of the text or after sentence punctuation, where a
    /// capital letter says nothing about names.
    sentence_start: bool,
}

fn is_hyphen(t: &Token<'_>) -> bool {
    matches!(t.text, "-" | "\u{2010}" | "\u{2011}")
}

fn is_acronym(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !text.chars().any(char::is_lowercase)
}

/// End (exclusive) of the chain of tokens glued to `tokens[i]` by `glue`
/// tokens without any space, or `i + 1`.
fn glued_chain(tokens: &[Token<'_>], i: usize, glue: fn(&Token<'_>) -> bool) -> usize {
    let mut end = i + 1;
    while end + 1 < tokens.len()
        && glue(&tokens[end])
        && tokens[end - 1].end == tokens[end].start
        && tokens[end].end == tokens[end + 1].start
        && tokens[end + 1].kind != TokenKind::Punct
    {
        end += 2;
    }
    end
}

/// Whether a punctuation token can end a sentence or open a quotation, so
/// that the next word is capitalised whatever it is.
fn starts_sentence_after(t: &Token<'_>) -> bool {
    !matches!(t.text, "," | ";" | "(" | "-" | "\u{2013}" | "\u{2014}" | "/" | "&")
}

fn units(tokens: &[Token<'_>], lexicon: &Lexicon) -> Vec<Unit> {
    let mut units = Vec::with_capacity(tokens.len());
    let mut buffer = String::new();
    let mut i = 0;
    let fixed = |tokens: Range<usize>| Unit { tokens, syllable: None, capitalised: false, sentence_start: false };
    while i < tokens.len() {
        let t = &tokens[i];
        if t.kind == TokenKind::Punct {
            units.push(fixed(i..i + 1));
            i += 1;
            continue;
        }
        let hyphen_end = glued_chain(tokens, i, is_hyphen);
        if hyphen_end > i + 1 {
            let parts = || tokens[i..hyphen_end].iter().step_by(2);
            if parts().any(|p| p.text.chars().any(|c| c.is_ascii_digit())) || parts().all(|p| is_acronym(p.text)) {
                units.push(fixed(i..hyphen_end));
                i = hyphen_end;
                continue;
            }
        }
        let dot_end = glued_chain(tokens, i, |t| t.text == ".");
        if dot_end > i + 1
            && tokens[i..dot_end].iter().step_by(2).all(|p| p.kind == TokenKind::Word && is_acronym(p.text))
        {
            units.push(fixed(i..dot_end));
            i = dot_end;
            continue;
        }
        if t.kind == TokenKind::Number || t.text.chars().any(|c| c.is_ascii_digit()) {
            units.push(fixed(i..i + 1));
        } else {
            // An acronym ("LHQ", "WTO") is a word of its own, not part of a name.
            let capitalised = t.text.chars().next().is_some_and(char::is_uppercase) && !is_acronym(t.text);
            let sentence_start =
                i == 0 || (tokens[i - 1].kind == TokenKind::Punct && starts_sentence_after(&tokens[i - 1]));
            let syllable = Some(lexicon.lookup(t.text, &mut buffer));
            units.push(Unit { tokens: i..i + 1, syllable, capitalised, sentence_start });
        }
        i += 1;
    }
    units
}

// ---------------------------------------------------------------------------
// Viterbi over the lattice of candidate words
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Scratch {
    best: Vec<f32>,
    back: Vec<usize>,
    /// The winning words, as unit ranges relative to the run.
    spans: Vec<Range<usize>>,
}

/// Segments a run of syllable units into `scratch.spans`.
fn viterbi(run: &[Unit], lexicon: &Lexicon, scratch: &mut Scratch) {
    let n = run.len();
    let Scratch { best, back, spans } = scratch;
    best.clear();
    best.resize(n + 1, f32::NEG_INFINITY);
    back.clear();
    back.resize(n + 1, 0);
    best[0] = 0.0;
    let id = |k: usize| run[k].syllable.flatten();
    let mut relax = |best: &mut Vec<f32>, from: usize, to: usize, score: f32| {
        let total = best[from] + score;
        if total > best[to] {
            best[to] = total;
            back[to] = from;
        }
    };
    for i in 0..n {
        let here = best[i];
        if here == f32::NEG_INFINITY {
            continue;
        }
        let info = id(i).map_or(lexicon.unknown_info, |k| lexicon.syllables[k as usize]);
        relax(best, i, i + 1, info.alone.unwrap_or(lexicon.unknown));
        // Lexicon words starting here.
        let mut title_here = id(i).is_some_and(|k| lexicon.titles[k as usize]);
        let mut ids = [0u32; MAX_SYLLABLES];
        if let Some(k) = id(i) {
            ids[0] = k;
            let mut len = 1;
            while i + len < n && len < MAX_SYLLABLES {
                let Some(next) = id(i + len) else { break };
                ids[len] = next;
                len += 1;
                let Some(entry) = lexicon.words.get(&pack(&ids[..len])) else { break };
                if let Some(score) = entry.score {
                    relax(best, i, i + len, score);
                    title_here |= entry.title;
                }
                if !entry.prefix {
                    break;
                }
            }
        }
        // Two syllables the lexicon lacks as a word, scored by how often
        // the first starts and the second continues longer words.
        if i + 1 < n && !run[i + 1].capitalised {
            let next = id(i + 1).map_or(lexicon.unknown_info, |k| lexicon.syllables[k as usize]);
            let known_pair = id(i)
                .zip(id(i + 1))
                .is_some_and(|(a, b)| lexicon.words.get(&pack(&[a, b])).is_some_and(|e| e.score.is_some()));
            if !known_pair {
                relax(best, i, i + 2, lexicon.pair + info.starts + next.continues);
            }
        }
        // Names: runs of capitalised syllables not starting with a title,
        // nor with a common word capitalised only because a sentence starts.
        let common_start = run[i].sentence_start && info.alone.is_some();
        if run[i].capitalised && !title_here && !common_start {
            let mut j = i + 1;
            while j < n && run[j].capitalised {
                j += 1;
                relax(best, i, j, lexicon.name);
            }
        }
    }
    spans.clear();
    let mut j = n;
    while j > 0 {
        let i = back[j];
        spans.push(i..j);
        j = i;
    }
    spans.reverse();
}

#[cfg(test)]
#[path = "segment_tests.rs"]
mod tests;
