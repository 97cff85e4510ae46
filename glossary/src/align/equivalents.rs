//! English equivalents from evidence: for a Vietnamese term that has no
//! English yet (say, a freshly accepted mining candidate), rank the English
//! phrases that keep appearing in the translations of the sentences that
//! contain it.
//!
//! Over `N` aligned pairs, let `a` be the pairs whose source contains the
//! term, `f` those whose target contains the candidate n-gram, and `k` those
//! with both. Two association measures:
//!
//! * **Dice** `2k / (a + f)`: 1 when the candidate occurs in exactly the
//!   translations of the term's sentences;
//! * **log-likelihood** G² (Dunning 1993) of the 2×2 table `k, a−k, f−k,
//!   N−a−f+k`: how surprising the co-occurrence is under independence,
//!   which rewards evidence from many pairs.
//!
//! Candidates are English n-grams of 1 to 5 words that contain no
//! punctuation, neither start nor end with a function word ("the",
//! "of", "and", ...), and are not only digits. Before counting, the English
//! equivalents of *other* glossary terms found in the Vietnamese side are
//! removed from the English side (**anchors**): in "hợp tác toàn diện và
//! gắn kết chiến lược" / "comprehensive cooperation and strategic
//! cohesion", knowing "comprehensive cooperation" leaves "strategic
//! cohesion" as the candidate for "gắn kết chiến lược". An n-gram that only
//! ever occurs inside a longer candidate with the same counts is dropped in
//! favour of the longer one ("cohesion" inside "strategic cohesion").
//!
//! The function is pure and streams over any iterator of pairs, so the same
//! code serves explicit pairs from a request and pairs read from a
//! translation memory.

use std::collections::{HashMap, HashSet};

use super::lexicon::{token_keys, AnchorLexicon};
use crate::error::{Error, Result};
use crate::model::MAX_TERM_CHARS;
use crate::text;

/// Stands for the term's tokens while known terms are looked up; no
/// lexicon key contains it.
const MASK: &str = "\u{1}";

/// A phrase beats its own part when it co-occurs with the term in at
/// least this share of the pairs where the part does.
pub const NEAR_SUPPORT: f64 = 0.8;

/// Longest candidate, in words.
pub const MAX_NGRAM_WORDS: usize = 5;
/// Most proposals returned.
pub const MAX_PROPOSALS: usize = 100;
/// Most pairs one caller may give [`check_input`].
pub const MAX_PAIRS: usize = 5_000;
/// Longest sentence of a given pair, in characters.
pub const MAX_PAIR_CHARS: usize = 5_000;
/// When pairs come from aligning two documents, links below this
/// confidence are not used (the `equivalents` command's default).
pub const DEFAULT_MIN_LINK_CONFIDENCE: f64 = 0.5;
/// Proposals returned when the caller gives no limit.
pub const DEFAULT_PROPOSALS: usize = 10;

/// A source sentence with its translation.
pub trait SegmentPair {
    /// The source-language sentence.
    fn source(&self) -> &str;
    /// Its translation.
    fn target(&self) -> &str;
}

impl SegmentPair for (&str, &str) {
    fn source(&self) -> &str {
        self.0
    }
    fn target(&self) -> &str {
        self.1
    }
}

impl SegmentPair for (String, String) {
    fn source(&self) -> &str {
        &self.0
    }
    fn target(&self) -> &str {
        &self.1
    }
}

impl SegmentPair for super::Link {
    fn source(&self) -> &str {
        &self.src_text
    }
    fn target(&self) -> &str {
        &self.tgt_text
    }
}

impl<P: SegmentPair + ?Sized> SegmentPair for &P {
    fn source(&self) -> &str {
        (**self).source()
    }
    fn target(&self) -> &str {
        (**self).target()
    }
}

/// Which measure ranks the proposals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Measure {
    /// Dice coefficient (default): robust with few pairs.
    #[default]
    Dice,
    /// Log-likelihood ratio G²: favours well-attested candidates.
    LogLikelihood,
}

/// Options of [`propose_equivalents`].
#[derive(Clone, Debug)]
pub struct EquivalentsOptions {
    /// Longest candidate in words, 1..=[`MAX_NGRAM_WORDS`] (5).
    pub max_words: usize,
    /// A candidate must co-occur with the term in at least this many pairs (1).
    pub min_support: usize,
    /// Most proposals, 1..=[`MAX_PROPOSALS`] (10).
    pub limit: usize,
    /// Supporting pair indices kept per proposal (5).
    pub max_examples: usize,
    /// Ranking measure (Dice).
    pub measure: Measure,
}

impl Default for EquivalentsOptions {
    fn default() -> Self {
        EquivalentsOptions {
            max_words: MAX_NGRAM_WORDS,
            min_support: 1,
            limit: DEFAULT_PROPOSALS,
            max_examples: 5,
            measure: Measure::Dice,
        }
    }
}

/// One proposed equivalent.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    /// The English n-gram, lowercase.
    pub text: String,
    /// Its length in words.
    pub words: usize,
    /// Dice coefficient `2k / (a + f)`.
    pub dice: f64,
    /// Log-likelihood ratio G².
    pub log_likelihood: f64,
    /// `k`: pairs where both the term and the candidate occur.
    pub joint: usize,
    /// `f`: pairs whose target contains the candidate.
    pub candidate_pairs: usize,
    /// Indices (in iteration order) of up to `max_examples` supporting pairs.
    pub support: Vec<usize>,
}

/// The answer of [`propose_equivalents`].
#[derive(Clone, Debug, PartialEq)]
pub struct EquivalentsReport {
    /// Ranked proposals, best first.
    pub proposals: Vec<Proposal>,
    /// `N`: pairs read.
    pub pairs: usize,
    /// `a`: pairs whose source contains the term.
    pub term_pairs: usize,
    /// English anchor occurrences removed before counting.
    pub anchors_removed: usize,
}

/// English words that may not start or end a candidate: function words and
/// the small cardinals ("two" alone is never a term). Sorted, for binary search.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before",
    "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "during", "each", "eight", "five",
    "for", "four", "from", "had", "has", "have", "he", "her", "his", "however", "i", "if", "in", "into", "is", "it",
    "its", "may", "more", "most", "nine", "not", "of", "on", "one", "or", "other", "our", "over", "said", "seven",
    "she", "should", "six", "so", "such", "ten", "than", "that", "the", "their", "them", "these", "they", "this",
    "those", "three", "through", "to", "two", "under", "up", "was", "we", "were", "what", "when", "which", "while",
    "who", "whom", "will", "with", "would", "you", "your",
];

/// Checks a term and the pairs a caller gives for it (HTTP body or CLI
/// file): the term non-empty and at most [`MAX_TERM_CHARS`] characters, at
/// most [`MAX_PAIRS`] pairs, each side at most [`MAX_PAIR_CHARS`]
/// characters (sentences, not documents). Fails with
/// [`Error::InvalidInput`] naming the field (`term`, `pairs`,
/// `pairs[3].target`).
pub fn check_input<I>(term: &str, pairs: I) -> Result<()>
where
    I: IntoIterator,
    I::Item: SegmentPair,
{
    if term.trim().is_empty() {
        return Err(Error::invalid("term", "the term is empty"));
    }
    if term.chars().count() > MAX_TERM_CHARS {
        return Err(Error::invalid("term", format!("the term is longer than {MAX_TERM_CHARS} characters")));
    }
    let mut count = 0;
    for (i, pair) in pairs.into_iter().enumerate() {
        count += 1;
        if count > MAX_PAIRS {
            return Err(Error::invalid("pairs", format!("more than {MAX_PAIRS} pairs; the limit is {MAX_PAIRS}")));
        }
        for (side, text) in [("source", pair.source()), ("target", pair.target())] {
            if text.chars().count() > MAX_PAIR_CHARS {
                return Err(Error::invalid(
                    format!("pairs[{i}].{side}"),
                    format!("longer than {MAX_PAIR_CHARS} characters; give sentences, not documents"),
                ));
            }
        }
    }
    Ok(())
}

/// Ranks English equivalents of `term` over aligned `pairs`.
///
/// `known` holds the glossary's term pairs; entries for `term` itself are
/// ignored, and known terms are looked up with the term's occurrences
/// masked, so none overlaps it ("hợp tác" → "cooperation" does not erase
/// half of the answer for "hợp tác kinh tế"). Every known term is used,
/// nested ones too, so the parts of a known formula are removed even when
/// the translation words the whole formula differently. The term is matched on syllable keys:
/// with diacritics when `term` has any, without otherwise.
///
/// Fails with [`Error::InvalidInput`] on an empty term or options out of
/// range.
pub fn propose_equivalents<I>(
    term: &str,
    pairs: I,
    known: &AnchorLexicon,
    options: &EquivalentsOptions,
) -> Result<EquivalentsReport>
where
    I: IntoIterator,
    I::Item: SegmentPair,
{
    if !(1..=MAX_NGRAM_WORDS).contains(&options.max_words) {
        return Err(Error::invalid("max_words", format!("must be between 1 and {MAX_NGRAM_WORDS}")));
    }
    if !(1..=MAX_PROPOSALS).contains(&options.limit) {
        return Err(Error::invalid("limit", format!("must be between 1 and {MAX_PROPOSALS}")));
    }
    if options.min_support == 0 {
        return Err(Error::invalid("min_support", "must be at least 1"));
    }
    let with_marks = text::has_diacritics(term);
    let term_keys = keys(term, with_marks);
    if !term_keys.iter().any(|k| k.chars().any(char::is_alphanumeric)) {
        return Err(Error::invalid("term", "has no words"));
    }
    let own_key = token_keys(term).join(" ");

    let mut stats: HashMap<String, Counts> = HashMap::new();
    // Candidates seen with every content word capitalised next to the term.
    let mut capitalised: HashSet<String> = HashSet::new();
    let (mut n, mut a, mut anchors_removed) = (0usize, 0usize, 0usize);
    for (index, pair) in pairs.into_iter().enumerate() {
        n += 1;
        // One token list, keyed two ways, so positions agree.
        let src_keys = keys(pair.source(), with_marks);
        let occurrences = find_all(&src_keys, &term_keys);
        let has_term = !occurrences.is_empty();
        a += usize::from(has_term);

        // Known terms of the source sentence (all of them, nested ones too:
        // a known formula is often rendered with a different connective, so
        // its parts must be removable on their own), found with the term's
        // own tokens masked so that none is or overlaps the term.
        let mut masked: Vec<String> =
            if with_marks { src_keys.iter().map(|k| text::strip_diacritics(k)).collect() } else { src_keys };
        for &(s, e) in &occurrences {
            masked[s..e].iter_mut().for_each(|k| *k = MASK.to_string());
        }
        let mut anchor_phrases: Vec<Vec<String>> = Vec::new();
        for hit in known.find_source_all(&masked) {
            for &id in &hit.entries {
                if token_keys(&known.entry(id).source).join(" ") != own_key {
                    anchor_phrases.extend(known.target_keys(id));
                }
            }
        }

        let words = english_words(pair.target());
        let mut removed = vec![false; words.len()];
        // How many known terms of the source each English phrase stands for.
        anchor_phrases.sort();
        for group in anchor_phrases.chunk_by(|a, b| a == b) {
            let found = find_all_words(&words, &group[0]);
            // More occurrences in the English than known terms in the
            // source: some belong to something else ("Minister" in "Prime
            // Minister" when the source has one "bộ trưởng"), and removing
            // them would cut a longer candidate in two. Nothing is removed.
            if found.len() > group.len() {
                continue;
            }
            for (s, e) in found {
                if removed[s..e].iter().all(|r| !r) {
                    anchors_removed += 1;
                }
                removed[s..e].iter_mut().for_each(|r| *r = true);
            }
        }

        let mut seen: HashSet<String> = HashSet::new();
        for (gram, capital) in ngrams(&words, &removed, options.max_words) {
            if capital && has_term {
                capitalised.insert(gram.clone());
            }
            if !seen.insert(gram.clone()) {
                continue;
            }
            let c = stats.entry(gram).or_default();
            c.pairs += 1;
            if has_term {
                c.joint += 1;
                if c.support.len() < options.max_examples {
                    c.support.push(index);
                }
            }
        }
    }

    // Candidates, then the parts of longer candidates with nearly the same
    // support: when a phrase co-occurs with the term in at least
    // `NEAR_SUPPORT` of the pairs where its part does, the phrase is the
    // answer and the part only a piece of it ("prime minister" over
    // "prime", "ministry of health" over "ministry"). With a single
    // supporting pair every n-gram of the sentence has the same counts,
    // which proves nothing, so a phrase needs two pairs to win.
    let candidates: HashMap<&str, &Counts> =
        stats.iter().filter(|(_, c)| c.joint >= options.min_support).map(|(g, c)| (g.as_str(), c)).collect();
    let mut subsumed: HashSet<&str> = HashSet::new();
    for (gram, c) in candidates.iter().filter(|(_, c)| c.joint >= 2) {
        let words: Vec<&str> = gram.split(' ').collect();
        for len in 1..words.len() {
            for start in 0..=words.len() - len {
                let part = words[start..start + len].join(" ");
                if let Some((&key, p)) = candidates.get_key_value(part.as_str()) {
                    if c.joint as f64 >= NEAR_SUPPORT * p.joint as f64 {
                        subsumed.insert(key);
                    }
                }
            }
        }
    }
    let mut proposals: Vec<Proposal> = candidates
        .iter()
        .filter(|(gram, _)| !subsumed.contains(*gram))
        .map(|(gram, c)| Proposal {
            words: gram.split(' ').count(),
            text: gram.to_string(),
            dice: round(2.0 * c.joint as f64 / (a + c.pairs) as f64),
            log_likelihood: round(log_likelihood(c.joint, a, c.pairs, n)),
            joint: c.joint,
            candidate_pairs: c.pairs,
            support: c.support.clone(),
        })
        .collect();
    let expected_words = term_keys.len().div_ceil(2);
    // A capitalised term (a name: "Biển Đông") is rendered by a capitalised
    // phrase ("East Sea"): on equal scores, the candidates whose case agrees
    // with the term's come first.
    let term_capital = is_title_case(term);
    let agrees = |p: &Proposal| capitalised.contains(p.text.as_str()) == term_capital;
    proposals.sort_by(|x, y| {
        let (px, py) = match options.measure {
            Measure::Dice => ((x.dice, x.log_likelihood), (y.dice, y.log_likelihood)),
            Measure::LogLikelihood => ((x.log_likelihood, x.dice), (y.log_likelihood, y.dice)),
        };
        py.0.total_cmp(&px.0)
            .then(agrees(y).cmp(&agrees(x)))
            .then(py.1.total_cmp(&px.1))
            .then(x.words.abs_diff(expected_words).cmp(&y.words.abs_diff(expected_words)))
            .then(x.text.cmp(&y.text))
    });
    proposals.truncate(options.limit);
    Ok(EquivalentsReport { proposals, pairs: n, term_pairs: a, anchors_removed })
}

#[derive(Default, Debug)]
struct Counts {
    /// Pairs whose target has the n-gram.
    pairs: usize,
    /// ... and whose source has the term.
    joint: usize,
    support: Vec<usize>,
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Dunning's G² for the 2×2 table of `k` joint, `a` term, `f` candidate
/// occurrences among `n` pairs.
fn log_likelihood(k: usize, a: usize, f: usize, n: usize) -> f64 {
    let cells = [
        (k, a, f),
        (a.saturating_sub(k), a, n.saturating_sub(f)),
        (f.saturating_sub(k), n.saturating_sub(a), f),
        ((n + k).saturating_sub(a + f), n.saturating_sub(a), n.saturating_sub(f)),
    ];
    let n = n as f64;
    let mut g = 0.0;
    for (obs, row, col) in cells {
        if obs > 0 && row > 0 && col > 0 {
            let obs = obs as f64;
            g += obs * (obs * n / (row as f64 * col as f64)).ln();
        }
    }
    (2.0 * g).max(0.0)
}

/// The key of every token of `s` (punctuation included, so positions
/// agree with [`AnchorLexicon`] matching): normalised, keeping diacritics,
/// or folded.
fn keys(s: &str, with_marks: bool) -> Vec<String> {
    text::tokenize(s)
        .iter()
        .map(|t| if with_marks { text::normalized_key(t.text) } else { text::folded_key(t.text) })
        .collect()
}

/// Start and end of every occurrence of `needle` in `hay`.
fn find_all(hay: &[String], needle: &[String]) -> Vec<(usize, usize)> {
    if needle.is_empty() || hay.len() < needle.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i..i + needle.len()] == *needle)
        .map(|i| (i, i + needle.len()))
        .collect()
}

/// An English word with whether punctuation separates it from the next one.
#[derive(Debug)]
struct Word {
    key: String,
    breaks_after: bool,
    /// Starts with a capital letter in the sentence.
    capital: bool,
}

/// Lowercase words of an English sentence. A word keeps inner hyphens and
/// apostrophes ("people-to-people", "people's"); other punctuation ends a
/// run of words.
fn english_words(s: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    for chunk in s.split_whitespace() {
        let is_inner = |c: char| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '‐');
        let lead = chunk.len() - chunk.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let core = chunk.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() {
            if let Some(last) = out.last_mut() {
                last.breaks_after = true;
            }
            continue;
        }
        if lead > 0 {
            if let Some(last) = out.last_mut() {
                last.breaks_after = true;
            }
        }
        // Punctuation inside the chunk other than hyphens and apostrophes
        // ("2.5", "U.S.") stays; a word like "aid/grants" is split.
        let mut pieces = core.split(|c: char| !is_inner(c)).filter(|p| !p.is_empty()).peekable();
        while let Some(piece) = pieces.next() {
            // `normalized_key` spaces dashes out; a word keeps its hyphens.
            let key = text::normalized_key(piece).replace('’', "'").replace(" - ", "-");
            let capital = piece.chars().next().is_some_and(char::is_uppercase);
            out.push(Word { key, breaks_after: pieces.peek().is_some(), capital });
        }
        let trailing = chunk.len() > lead + core.len();
        if trailing {
            if let Some(last) = out.last_mut() {
                last.breaks_after = true;
            }
        }
    }
    out
}

/// Occurrences of a known English phrase (given as token keys, which split
/// hyphens and apostrophes) among the words.
fn find_all_words(words: &[Word], phrase: &[String]) -> Vec<(usize, usize)> {
    let phrase_words: Vec<String> = english_words(&rebuild(phrase)).into_iter().map(|w| w.key).collect();
    let keys: Vec<String> = words.iter().map(|w| text::folded_key(&w.key)).collect();
    let needle: Vec<String> = phrase_words.iter().map(|w| text::folded_key(w)).collect();
    find_all(&keys, &needle)
}

/// Joins token keys back into text, without spaces around hyphens and
/// apostrophes.
fn rebuild(tokens: &[String]) -> String {
    let mut s = String::new();
    let mut glue = false;
    for t in tokens {
        let joiner = matches!(t.as_str(), "-" | "'");
        if !s.is_empty() && !glue && !joiner {
            s.push(' ');
        }
        s.push_str(t);
        glue = joiner;
    }
    s
}

#[cfg(test)]
pub(crate) fn function_words() -> &'static [&'static str] {
    FUNCTION_WORDS
}

/// Whether `w` (lowercase) is an English function word or small cardinal.
pub(crate) fn is_function_word(w: &str) -> bool {
    FUNCTION_WORDS.binary_search(&w).is_ok()
}

/// Whether every word of `s` that has letters starts with a capital.
fn is_title_case(s: &str) -> bool {
    let mut words = s.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).peekable();
    words.peek().is_some() && words.all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// Candidate n-grams of the words, within runs not broken by punctuation or
/// removed anchors, each with whether all its content words are capitalised.
fn ngrams(words: &[Word], removed: &[bool], max_words: usize) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for start in 0..words.len() {
        if removed[start] || is_function_word(&words[start].key) {
            continue;
        }
        let mut gram = String::new();
        let mut capital = true;
        for end in start..words.len().min(start + max_words) {
            if removed[end] {
                break;
            }
            if end > start {
                gram.push(' ');
            }
            gram.push_str(&words[end].key);
            let last = &words[end].key;
            capital &= words[end].capital || is_function_word(last);
            let only_digits = gram.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '.' || c == ',');
            if !is_function_word(last) && !only_digits {
                out.push((gram.clone(), capital));
            }
            if words[end].breaks_after {
                break;
            }
        }
    }
    out
}
