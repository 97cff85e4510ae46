//! CAT-style fuzzy match percentage between a query sentence and a stored
//! source segment, with the penalties and the word-level diff that explain it.
//!
//! # The score
//! Both sentences are cut into word tokens ([`crate::text::tokenize`]:
//! syllables and numbers; punctuation is handled apart). Each word is
//! compared by its diacritic-folded form, every number by the placeholder
//! `#`. With `ed` the word-level edit distance (insert, delete, substitute
//! cost 1) and `n`, `m` the word counts:
//!
//! ```text
//! base  = 100 × (1 − ed / max(n, m))
//! score = base − penalties
//! ```
//!
//! Penalties, each reported with the words it concerns:
//!
//! | kind | when | points |
//! |---|---|---|
//! | `diacritics` | a word differs only in its marks (dương / đường) | 2 per word, at most 10 |
//! | `number` | a number differs (2,5 / 3) | 1 per number, at most 5 |
//! | `case` | words differ only in letter case | 1 |
//! | `punctuation` | the punctuation differs | 1 |
//! | `collection` | the unit is in the n-th collection (0-based) of the request's search order | n × the request's `collection_penalty` (default [`crate::collections::DEFAULT_COLLECTION_PENALTY`]) |
//!
//! So an identical sentence scores 100, one differing only in punctuation
//! 99, and one changed word in twenty 95. Penalties only ever lower the
//! base, which is what lets the index filter on the base score without
//! missing a match (see [`super::index`]).

use std::ops::Range;

use crate::text;

/// Points taken off per word differing only in diacritics, and the cap.
const DIACRITIC_POINTS: (f64, f64) = (2.0, 10.0);
/// Points per differing number, and the cap.
const NUMBER_POINTS: (f64, f64) = (1.0, 5.0);
const CASE_POINTS: f64 = 1.0;
const PUNCT_POINTS: f64 = 1.0;

/// The key a word is compared by: folded text, or `#` for any number.
pub(crate) fn word_key(text: &str, number: bool) -> String {
    if number {
        "#".to_string()
    } else {
        // Same as `text::folded_key`, without its allocations for plain words.
        let mut key = String::with_capacity(text.len());
        text::push_folded(text, &mut key);
        key
    }
}

/// One word of a segment.
#[derive(Clone, Debug)]
pub struct Word {
    /// Comparison key ([`word_key`]).
    pub key: String,
    /// Original text of the word.
    pub text: String,
    /// Whether it is a number.
    pub number: bool,
    /// Character offsets in the segment.
    pub chars: Range<usize>,
}

/// A segment cut into words and punctuation.
#[derive(Clone, Debug, Default)]
pub struct Segment {
    /// Word tokens in order.
    pub words: Vec<Word>,
    /// Punctuation tokens in order, unified (dashes, quotes).
    pub punct: Vec<String>,
}

impl Segment {
    /// Tokenises a segment.
    pub fn new(s: &str) -> Segment {
        let mut seg = Segment::default();
        let mut chars_before = 0usize;
        let mut last_byte = 0usize;
        for tok in text::tokenize(s) {
            chars_before += s[last_byte..tok.start].chars().count();
            let len = tok.text.chars().count();
            let span = chars_before..chars_before + len;
            chars_before += len;
            last_byte = tok.end;
            match tok.kind {
                text::TokenKind::Punct => seg.punct.push(text::unify_punctuation(tok.text)),
                kind => {
                    let number = kind == text::TokenKind::Number;
                    seg.words.push(Word {
                        key: word_key(tok.text, number),
                        text: tok.text.to_string(),
                        number,
                        chars: span,
                    })
                }
            }
        }
        seg
    }

    /// The comparison keys of the words.
    pub fn keys(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.key.as_str()).collect()
    }
}

/// Word-level Levenshtein distance between two key sequences, or `None`
/// when it exceeds `max` (computation stops early).
pub fn edit_distance<T: PartialEq>(a: &[T], b: &[T], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, y) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(x != y);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// The base percentage for an edit distance between sequences of `n` and `m` words.
pub fn base_score(ed: usize, n: usize, m: usize) -> f64 {
    let longest = n.max(m);
    if longest == 0 {
        return 100.0;
    }
    100.0 * (1.0 - ed as f64 / longest as f64)
}

/// What a diff span does to turn the stored source into the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiffKind {
    /// Words in the query that the source lacks.
    Insert,
    /// Words in the source that the query lacks.
    Delete,
    /// Different words.
    Replace,
    /// Same words, different diacritics.
    Diacritics,
    /// Same words, different letter case.
    Case,
    /// Different numbers in the same place.
    Number,
}

impl DiffKind {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DiffKind::Insert => "insert",
            DiffKind::Delete => "delete",
            DiffKind::Replace => "replace",
            DiffKind::Diacritics => "diacritics",
            DiffKind::Case => "case",
            DiffKind::Number => "number",
        }
    }
}

/// One difference, with character ranges in the query and in the source
/// (an empty range marks the insertion point).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffSpan {
    /// What differs.
    pub kind: DiffKind,
    /// Characters of the query.
    pub query: Range<usize>,
    /// Characters of the stored source.
    pub source: Range<usize>,
    /// Word indices in the query.
    pub query_words: Range<usize>,
    /// Word indices in the source.
    pub source_words: Range<usize>,
}

/// Why points were taken off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PenaltyKind {
    /// Words differing only in diacritics.
    Diacritics,
    /// Differing numbers.
    Number,
    /// Letter case.
    Case,
    /// Punctuation.
    Punctuation,
    /// The unit's collection comes later in the request's search order
    /// (`count` is its 0-based position).
    Collection,
}

impl PenaltyKind {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            PenaltyKind::Diacritics => "diacritics",
            PenaltyKind::Number => "number",
            PenaltyKind::Case => "case",
            PenaltyKind::Punctuation => "punctuation",
            PenaltyKind::Collection => "collection",
        }
    }
}

/// Points taken off the base score, with the reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Penalty {
    /// Kind of difference.
    pub kind: PenaltyKind,
    /// Points deducted.
    pub points: f64,
    /// How many words (or marks) it concerns.
    pub count: usize,
}

/// A scored comparison of a query with a stored source.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Final percentage, 0–100, one decimal.
    pub score: f64,
    /// Percentage before penalties.
    pub base: f64,
    /// Word edit distance.
    pub edits: usize,
    /// Penalties applied.
    pub penalties: Vec<Penalty>,
    /// Differences, in order of the source.
    pub diff: Vec<DiffSpan>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Equal(usize, usize),
    Sub(usize, usize),
    Ins(usize),
    Del(usize),
}

/// Compares a query with a stored source: score, penalties, diff.
pub fn compare(query: &Segment, source: &Segment) -> Comparison {
    let (q, s) = (&query.words, &source.words);
    let ops = align(q, s);
    let edits = ops.iter().filter(|o| !matches!(o, Op::Equal(..))).count();
    let base = base_score(edits, q.len(), s.len());

    let (mut diacritics, mut numbers, mut case) = (0usize, 0usize, 0usize);
    // Word ranges of each difference; insertions and deletions get an empty
    // range on the other side, at the current position there.
    let mut raw: Vec<(DiffKind, Range<usize>, Range<usize>)> = Vec::new();
    let (mut qpos, mut spos) = (0usize, 0usize);
    for op in &ops {
        match *op {
            Op::Equal(i, j) => {
                let (a, b) = (&q[i], &s[j]);
                let kind = if a.number {
                    (text::clean(&a.text) != text::clean(&b.text)).then(|| {
                        numbers += 1;
                        DiffKind::Number
                    })
                } else if text::normalized_key(&a.text) != text::normalized_key(&b.text) {
                    diacritics += 1;
                    Some(DiffKind::Diacritics)
                } else if text::canonical_tones(&a.text) != text::canonical_tones(&b.text) {
                    case += 1;
                    Some(DiffKind::Case)
                } else {
                    None
                };
                if let Some(kind) = kind {
                    raw.push((kind, i..i + 1, j..j + 1));
                }
                (qpos, spos) = (i + 1, j + 1);
            }
            Op::Sub(i, j) => {
                raw.push((DiffKind::Replace, i..i + 1, j..j + 1));
                (qpos, spos) = (i + 1, j + 1);
            }
            Op::Ins(i) => {
                raw.push((DiffKind::Insert, i..i + 1, spos..spos));
                qpos = i + 1;
            }
            Op::Del(j) => {
                raw.push((DiffKind::Delete, qpos..qpos, j..j + 1));
                spos = j + 1;
            }
        }
    }
    let mut penalties = Vec::new();
    if diacritics > 0 {
        let points = (DIACRITIC_POINTS.0 * diacritics as f64).min(DIACRITIC_POINTS.1);
        penalties.push(Penalty { kind: PenaltyKind::Diacritics, points, count: diacritics });
    }
    if numbers > 0 {
        let points = (NUMBER_POINTS.0 * numbers as f64).min(NUMBER_POINTS.1);
        penalties.push(Penalty { kind: PenaltyKind::Number, points, count: numbers });
    }
    if case > 0 {
        penalties.push(Penalty { kind: PenaltyKind::Case, points: CASE_POINTS, count: case });
    }
    if query.punct != source.punct {
        let count = edit_distance(&query.punct, &source.punct, usize::MAX).unwrap_or(1);
        penalties.push(Penalty { kind: PenaltyKind::Punctuation, points: PUNCT_POINTS, count });
    }
    let deducted: f64 = penalties.iter().map(|p| p.points).sum();
    let score = ((base - deducted).max(0.0) * 10.0).round() / 10.0;
    Comparison { score, base: (base * 10.0).round() / 10.0, edits, penalties, diff: spans(&raw, q, s) }
}

impl Comparison {
    /// Takes `position × per_position` points off for a unit in the
    /// `position`-th collection of a search order (nothing for the first).
    pub fn penalise_collection(&mut self, position: usize, per_position: f64) {
        let points = position as f64 * per_position;
        if points <= 0.0 {
            return;
        }
        self.penalties.push(Penalty { kind: PenaltyKind::Collection, points, count: position });
        self.score = ((self.score - points).max(0.0) * 10.0).round() / 10.0;
    }
}

/// Merges runs of adjacent word-level differences of one kind into spans.
fn spans(raw: &[(DiffKind, Range<usize>, Range<usize>)], q: &[Word], s: &[Word]) -> Vec<DiffSpan> {
    let mut out: Vec<DiffSpan> = Vec::new();
    for (kind, qw, sw) in raw {
        if let Some(last) = out.last_mut() {
            if last.kind == *kind && last.query_words.end == qw.start && last.source_words.end == sw.start {
                last.query_words.end = qw.end;
                last.source_words.end = sw.end;
                last.query = char_range(q, &last.query_words);
                last.source = char_range(s, &last.source_words);
                continue;
            }
        }
        out.push(DiffSpan {
            kind: *kind,
            query: char_range(q, qw),
            source: char_range(s, sw),
            query_words: qw.clone(),
            source_words: sw.clone(),
        });
    }
    out
}

fn char_range(words: &[Word], r: &Range<usize>) -> Range<usize> {
    if r.is_empty() {
        let at = if r.start == 0 { 0 } else { words.get(r.start - 1).map_or(0, |w| w.chars.end) };
        return at..at;
    }
    words[r.start].chars.start..words[r.end - 1].chars.end
}

/// Levenshtein alignment with backtrace: a minimal edit script.
fn align(q: &[Word], s: &[Word]) -> Vec<Op> {
    let (n, m) = (q.len(), s.len());
    let mut d = vec![vec![0u32; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i as u32;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j as u32;
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = d[i - 1][j - 1] + u32::from(q[i - 1].key != s[j - 1].key);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    let mut ops = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && q[i - 1].key == s[j - 1].key && d[i][j] == d[i - 1][j - 1] {
            ops.push(Op::Equal(i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if i > 0 && d[i][j] == d[i - 1][j] + 1 {
            // Walking backwards, prefer insertions and deletions over
            // substitutions on ties, so "USD" vs "đô la" reads as
            // USD→đô plus "la" deleted, not "đô" deleted plus USD→la.
            ops.push(Op::Ins(i - 1));
            i -= 1;
        } else if j > 0 && d[i][j] == d[i][j - 1] + 1 {
            ops.push(Op::Del(j - 1));
            j -= 1;
        } else {
            ops.push(Op::Sub(i - 1, j - 1));
            i -= 1;
            j -= 1;
        }
    }
    ops.reverse();
    ops
}
