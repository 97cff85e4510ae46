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
//! Words the source carries over unchanged (names, acronyms) are not
//! candidates, an acronym counts for the name it abbreviates, and a
//! candidate found only where the term stands inside one longer phrase is
//! ranked at half its score (see `docs/alignment.md`).
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

/// A candidate that is found (nearly) only where the term stands inside
/// one longer phrase, when the term mostly stands elsewhere, is ranked by
/// this share of its score: it likely renders that phrase.
pub const BOUND_WEIGHT: f64 = 0.5;

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

impl EquivalentsReport {
    /// The first `n` proposals as "text (k/f)", comma-separated: each with
    /// its joint pairs and the pairs whose target holds it.
    #[must_use]
    pub fn top(&self, n: usize) -> String {
        let shown: Vec<String> =
            self.proposals.iter().take(n).map(|p| format!("{} ({}/{})", p.text, p.joint, p.candidate_pairs)).collect();
        shown.join(", ")
    }
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
    let term_tokens = text::tokenize(term);
    let term_keys = keys(&term_tokens, with_marks);
    if !term_keys.iter().any(|k| k.chars().any(char::is_alphanumeric)) {
        return Err(Error::invalid("term", "has no words"));
    }
    let own_key = token_keys(term).join(" ");

    let mut stats: HashMap<String, Counts> = HashMap::new();
    // Candidates seen with every content word capitalised next to the term.
    let mut capitalised: HashSet<String> = HashSet::new();
    // Words written as acronyms ("EU", "U.N.") in some English sentence.
    let mut acronyms: HashSet<String> = HashSet::new();
    let (mut n, mut a, mut anchors_removed) = (0usize, 0usize, 0usize);
    // Words of the term, folded: a transferred word of the term's own
    // ("NATO") stays a candidate.
    let term_folded: HashSet<String> = term_tokens.iter().map(|t| text::folded_key(t.text)).collect();
    // The syllables on each side of the term's first occurrence, per pair
    // that has the term.
    let mut neighbours: HashMap<usize, [Option<String>; 2]> = HashMap::new();
    for (index, pair) in pairs.into_iter().enumerate() {
        n += 1;
        // One token list, keyed two ways, so positions agree.
        let tokens = text::tokenize(pair.source());
        let src_keys = keys(&tokens, with_marks);
        let occurrences = find_all(&src_keys, &term_keys);
        let has_term = !occurrences.is_empty();
        a += usize::from(has_term);
        if let Some(&(s, e)) = occurrences.first() {
            let word = |i: usize| Some(&src_keys[i]).filter(|k| k.chars().any(char::is_alphanumeric)).cloned();
            neighbours
                .insert(index, [s.checked_sub(1).and_then(word), (e < src_keys.len()).then_some(e).and_then(word)]);
        }
        // Names, acronyms and other words the source carries over unchanged
        // ("Pompeo", "Kavanaugh", "FBI") stand for themselves in the
        // English, not for the term.
        let transferred: HashSet<String> = tokens
            .iter()
            .filter(|t| is_transferred(t.text))
            .map(|t| text::folded_key(t.text))
            .filter(|k| !term_folded.contains(k))
            .collect();

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
        if !transferred.is_empty() {
            for (w, r) in words.iter().zip(removed.iter_mut()) {
                // Transferred words are plain ASCII, and so is any key
                // that could equal one.
                let hit =
                    if w.key.contains('.') { transferred.contains(&w.letters()) } else { transferred.contains(&w.key) };
                if hit {
                    *r = true;
                }
            }
        }

        for (w, _) in words.iter().zip(&removed).filter(|(w, r)| w.acronym && !**r) {
            acronyms.insert(w.key.clone());
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
                c.joint_pairs.push(index);
            }
        }
    }
    merge_acronyms(&mut stats, &acronyms, &capitalised);

    // Candidates, then the parts of longer candidates with nearly the same
    // support: when a phrase co-occurs with the term in at least
    // `NEAR_SUPPORT` of the pairs where its part does, the phrase is the
    // answer and the part only a piece of it ("prime minister" over
    // "prime", "ministry of health" over "ministry"). With a single
    // supporting pair every n-gram of the sentence has the same counts,
    // which proves nothing, so a phrase needs two pairs to win.
    let candidates: HashMap<&str, &Counts> =
        stats.iter().filter(|(_, c)| c.joint() >= options.min_support).map(|(g, c)| (g.as_str(), c)).collect();
    let mut subsumed: HashSet<&str> = HashSet::new();
    for (gram, c) in candidates.iter().filter(|(_, c)| c.joint() >= 2) {
        let words: Vec<&str> = gram.split(' ').collect();
        for len in 1..words.len() {
            for start in 0..=words.len() - len {
                let part = words[start..start + len].join(" ");
                if let Some((&key, p)) = candidates.get_key_value(part.as_str()) {
                    if c.joint() as f64 >= NEAR_SUPPORT * p.joint() as f64 {
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
            dice: round(2.0 * c.joint() as f64 / (a + c.pairs) as f64),
            log_likelihood: round(log_likelihood(c.joint(), a, c.pairs, n)),
            joint: c.joint(),
            candidate_pairs: c.pairs,
            support: c.joint_pairs.iter().copied().take(options.max_examples).collect(),
        })
        .collect();
    // A candidate found (nearly) only where the term stands inside the same
    // longer phrase, when the term mostly does not, translates that phrase
    // ("general assembly" for "Liên Hợp Quốc", from "Đại hội đồng Liên Hợp
    // Quốc"): it is ranked by [`BOUND_WEIGHT`] times its score (the
    // scores reported stay as measured).
    let mut usual: [HashMap<&str, usize>; 2] = Default::default();
    for sides in neighbours.values() {
        for (side, key) in sides.iter().enumerate() {
            if let Some(key) = key {
                *usual[side].entry(key.as_str()).or_default() += 1;
            }
        }
    }
    let bound: HashSet<String> = proposals
        .iter()
        .filter(|p| p.joint >= 2 && context_bound(&stats[&p.text].joint_pairs, &neighbours, &usual, a))
        .map(|p| p.text.clone())
        .collect();
    let expected_words = term_keys.len().div_ceil(2);
    // A capitalised term (a name: "Biển Đông") is rendered by a capitalised
    // phrase ("East Sea"): on equal scores, the candidates whose case agrees
    // with the term's come first.
    let term_capital = is_title_case(term);
    let agrees = |p: &Proposal| capitalised.contains(p.text.as_str()) == term_capital;
    proposals.sort_by(|x, y| {
        let weight = |p: &Proposal| if bound.contains(&p.text) { BOUND_WEIGHT } else { 1.0 };
        let (px, py) = match options.measure {
            Measure::Dice => ((x.dice * weight(x), x.log_likelihood), (y.dice * weight(y), y.log_likelihood)),
            Measure::LogLikelihood => ((x.log_likelihood * weight(x), x.dice), (y.log_likelihood * weight(y), y.dice)),
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

#[derive(Default, Debug, Clone)]
struct Counts {
    /// Pairs whose target has the n-gram.
    pairs: usize,
    /// Those whose source has the term too, ascending.
    joint_pairs: Vec<usize>,
}

impl Counts {
    fn joint(&self) -> usize {
        self.joint_pairs.len()
    }
}

/// Folds an acronym into the phrase it abbreviates ("eu" into "european
/// union", "u.n." into "united nations"; the initials of every word, or of
/// every word but function words) when the phrase is a capitalised name
/// seen next to the term: the phrase takes the pairs of both
/// (pairs with both counted once among the term's pairs; elsewhere they
/// are assumed distinct, which can only lower the phrase's scores) and
/// the acronym is no longer a candidate of its own.
fn merge_acronyms(stats: &mut HashMap<String, Counts>, acronyms: &HashSet<String>, capitalised: &HashSet<String>) {
    // The acronyms counted with the term, by their letters ("un" for both
    // "un" and "u.n.").
    let mut by_letters: HashMap<String, Vec<&String>> = HashMap::new();
    for acronym in acronyms.iter().filter(|a| stats.get(*a).is_some_and(|c| c.joint() > 0)) {
        by_letters.entry(acronym.replace('.', "")).or_default().push(acronym);
    }
    if by_letters.is_empty() {
        return;
    }
    let mut merges: Vec<(String, String)> = Vec::new();
    // A name written with capitals ("United Nations", "Food and Agriculture
    // Organization"), with no acronym inside and no function word but the
    // few that names hold.
    let expandable = |gram: &str| {
        capitalised.contains(gram)
            && gram.split(' ').all(|w| {
                !w.contains('.')
                    && !acronyms.contains(w)
                    && (!is_function_word(w) || matches!(w, "of" | "and" | "for" | "the"))
            })
    };
    for gram in stats.iter().filter(|(g, c)| c.joint() > 0 && g.contains(' ') && expandable(g)).map(|(g, _)| g) {
        let words: Vec<&str> = gram.split(' ').collect();
        let all: String = words.iter().filter_map(|w| w.chars().next()).collect();
        let content: String = words.iter().filter(|w| !is_function_word(w)).filter_map(|w| w.chars().next()).collect();
        let mut keys = vec![all];
        if content != keys[0] {
            keys.push(content);
        }
        for list in keys.iter().filter_map(|k| by_letters.get(k)) {
            merges.extend(list.iter().map(|a| (gram.clone(), (*a).clone())));
        }
    }
    let mut folded: HashSet<String> = HashSet::new();
    for (gram, acronym) in merges {
        let short = stats[&acronym].clone();
        let long = stats.get_mut(&gram).expect("merge of a counted phrase");
        let both = long.joint_pairs.iter().filter(|i| short.joint_pairs.binary_search(i).is_ok()).count();
        long.pairs += short.pairs - both;
        long.joint_pairs.extend(short.joint_pairs.iter().copied());
        long.joint_pairs.sort_unstable();
        long.joint_pairs.dedup();
        folded.insert(acronym);
    }
    for acronym in folded {
        stats.remove(&acronym);
    }
}

/// Whether at least [`NEAR_SUPPORT`] of a candidate's pairs (and at least
/// two) have the same syllable next to the term on one side, while fewer
/// than half of all the term's pairs do.
/// `usual` counts, per side, the term's pairs with each neighbour.
fn context_bound(
    joint_pairs: &[usize],
    neighbours: &HashMap<usize, [Option<String>; 2]>,
    usual: &[HashMap<&str, usize>; 2],
    term_pairs: usize,
) -> bool {
    if joint_pairs.len() < 2 {
        return false;
    }
    (0..2).any(|side| {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for i in joint_pairs {
            if let Some(Some(k)) = neighbours.get(i).map(|n| &n[side]) {
                *counts.entry(k.as_str()).or_default() += 1;
            }
        }
        counts.into_iter().any(|(key, count)| {
            let overall = usual[side].get(key).copied().unwrap_or(0);
            count as f64 >= NEAR_SUPPORT * joint_pairs.len() as f64 && (overall as f64) < 0.5 * term_pairs as f64
        })
    })
}

/// Whether a source token was carried over from another language rather
/// than written in Vietnamese: plain ASCII letters forming either an
/// acronym ("FBI", "EU") or a word no Vietnamese syllable could be
/// ("Pompeo", "Trump", "Kavanaugh"; but "May", "Long" could).
fn is_transferred(raw: &str) -> bool {
    if raw.chars().count() < 2 || !raw.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    raw.chars().all(|c| c.is_ascii_uppercase()) || !vietnamese_shaped(&raw.to_ascii_lowercase())
}

/// Whether a lowercase ASCII word has the shape of a Vietnamese syllable
/// written without diacritics: an onset, a vowel group that Vietnamese
/// spelling has, and one of its final consonants.
fn vietnamese_shaped(s: &str) -> bool {
    const ONSETS: &[&str] = &[
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h", "k", "l", "m", "n",
        "p", "r", "s", "t", "v", "x", "",
    ];
    const VOWELS: &[&str] = &[
        "a", "e", "i", "o", "u", "y", "ai", "ao", "au", "ay", "eo", "eu", "ia", "ie", "iu", "oa", "oe", "oi", "oo",
        "ua", "ue", "ui", "uo", "uu", "uy", "ye", "oai", "oao", "oay", "oeo", "ieu", "yeu", "uay", "uoi", "uou", "uya",
        "uye", "uyu",
    ];
    const FINALS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
    ONSETS.iter().any(|onset| {
        s.strip_prefix(onset).is_some_and(|rest| {
            let split = rest.find(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')).unwrap_or(rest.len());
            let (vowels, last) = rest.split_at(split);
            VOWELS.contains(&vowels) && FINALS.contains(&last)
        })
    })
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
fn keys(tokens: &[text::Token<'_>], with_marks: bool) -> Vec<String> {
    tokens.iter().map(|t| if with_marks { text::normalized_key(t.text) } else { text::folded_key(t.text) }).collect()
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
    /// Written as an acronym: two or more capitals ("EU", "NATO") or
    /// single letters with periods ("U.N.", key `u.n.`).
    acronym: bool,
}

impl Word {
    /// The key without periods ("u.n." → "un").
    fn letters(&self) -> String {
        self.key.replace('.', "")
    }
}

/// Whether `s` is single letters each followed by a period, the last
/// period optional ("U.N", "U.S.", "e.g").
fn is_dotted_acronym(s: &str) -> bool {
    let parts: Vec<&str> = s.trim_end_matches('.').split('.').collect();
    parts.len() >= 2 && parts.iter().all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
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
        // An acronym with periods is one word, its last period included
        // ("U.N. General Assembly" is one run).
        if is_dotted_acronym(core) {
            let dotted = chunk[lead..].starts_with(core) && chunk[lead + core.len()..].starts_with('.');
            let key = format!("{}.", core.to_lowercase());
            let rest = &chunk[lead + core.len() + usize::from(dotted)..];
            out.push(Word { key, breaks_after: !rest.is_empty(), capital: true, acronym: true });
            continue;
        }
        // Other punctuation inside the chunk than hyphens and apostrophes
        // splits it ("aid/grants").
        let mut pieces = core.split(|c: char| !is_inner(c)).filter(|p| !p.is_empty()).peekable();
        while let Some(piece) = pieces.next() {
            // `normalized_key` spaces dashes out; a word keeps its hyphens.
            let key = text::normalized_key(piece).replace('’', "'").replace(" - ", "-");
            let capital = piece.chars().next().is_some_and(char::is_uppercase);
            let acronym = piece.chars().count() >= 2 && piece.chars().all(|c| c.is_uppercase());
            out.push(Word { key, breaks_after: pieces.peek().is_some(), capital, acronym });
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

#[cfg(test)]
mod tests {
    use super::*;

    fn first_proposals(term: &str, pairs: &[(&str, &str)]) -> Vec<(String, usize)> {
        let report = propose_equivalents(term, pairs, &AnchorLexicon::new(), &EquivalentsOptions::default()).unwrap();
        report.proposals.iter().map(|p| (p.text.clone(), p.joint)).collect()
    }

    #[test]
    fn syllable_shapes() {
        for (word, vietnamese) in [
            ("nguyen", true),
            ("truong", true),
            ("quoc", true),
            ("khuyen", true),
            ("boong", true),
            ("gia", true),
            ("may", true),
            ("long", true),
            ("oanh", true),
            ("trump", false),
            ("thomas", false),
            ("lee", false),
            ("sims", false),
            ("pompeo", false),
            ("brett", false),
            ("kavanaugh", false),
        ] {
            assert_eq!(vietnamese_shaped(word), vietnamese, "{word}");
        }
        for (raw, transferred) in
            [("Pompeo", true), ("FBI", true), ("EU", true), ("May", false), ("Hà", false), ("a", false)]
        {
            assert_eq!(is_transferred(raw), transferred, "{raw}");
        }
    }

    #[test]
    fn names_carried_over_from_the_source_are_not_proposed() {
        // Without the rule, "pompeo" is in every pair with the term and
        // would come first.
        let pairs = [
            ("Ngoại trưởng Pompeo tới Seoul.", "Foreign Secretary Pompeo arrived in Seoul."),
            ("Ông Pompeo là ngoại trưởng.", "Mr Pompeo is the foreign secretary."),
            ("Ngoại trưởng Pompeo phát biểu.", "Pompeo, the foreign secretary, spoke."),
            ("Pompeo nói.", "Pompeo said."),
            ("Ngoại trưởng Anh lên tiếng.", "The British foreign secretary spoke up."),
        ];
        let got = first_proposals("ngoại trưởng", &pairs);
        assert_eq!(got[0].0, "foreign secretary", "{got:?}");
        assert!(got.iter().all(|(t, _)| !t.contains("pompeo") && !t.contains("seoul")), "{got:?}");
        // A carried-over word of the term itself stays.
        let nato = [("NATO họp.", "NATO met."), ("Khối NATO mở rộng.", "NATO expanded.")];
        assert_eq!(first_proposals("NATO", &nato)[0].0, "nato");
    }

    #[test]
    fn acronyms_fold_into_the_names_they_abbreviate() {
        let pairs = [
            ("Liên minh châu Âu họp.", "The European Union met."),
            ("Liên minh châu Âu phản đối.", "The EU objected."),
            ("Liên minh châu Âu đồng ý.", "The EU agreed."),
            ("Liên minh châu Âu và Anh.", "The EU and Britain."),
            ("Anh rời Liên minh châu Âu.", "Britain leaves the European Union."),
        ];
        let got = first_proposals("Liên minh châu Âu", &pairs);
        assert_eq!(got[0], ("european union".to_string(), 5), "{got:?}");
        assert!(got.iter().all(|(t, _)| t != "eu"), "{got:?}");
        // An acronym with periods is one word and does not end the run.
        let words: Vec<String> = english_words("at the U.N. General Assembly.").into_iter().map(|w| w.key).collect();
        assert_eq!(words, ["at", "the", "u.n.", "general", "assembly"]);
        let un = [
            ("Liên Hợp Quốc họp.", "The United Nations met."),
            ("Liên Hợp Quốc lên tiếng.", "The U.N. spoke."),
            ("Mỹ và Liên Hợp Quốc.", "The U.S. and the U.N."),
        ];
        let got = first_proposals("Liên Hợp Quốc", &un);
        assert_eq!(got[0], ("united nations".to_string(), 3), "{got:?}");
        // Lowercase words with the same initials are not a name.
        let until =
            [("Liên Hợp Quốc chờ.", "The UN waits until noon."), ("Liên Hợp Quốc.", "The UN waits until noon.")];
        assert!(first_proposals("Liên Hợp Quốc", &until).iter().all(|(t, _)| t != "until noon"));
    }

    #[test]
    fn a_candidate_bound_to_a_longer_phrase_comes_after_the_term_s_own() {
        // "general assembly" follows "Đại hội đồng Liên Hợp Quốc" only
        // (3 of the term's 7 pairs); "united nations" is also written where
        // the source abbreviates, so its Dice is lower (8/15 < 6/10).
        let mut pairs = vec![
            ("Đại hội đồng Liên Hợp Quốc họp.", "The General Assembly met."),
            ("Đại hội đồng Liên Hợp Quốc bỏ phiếu.", "The General Assembly voted."),
            ("Ông phát biểu tại Đại hội đồng Liên Hợp Quốc.", "He spoke at the General Assembly."),
            ("Liên Hợp Quốc cảnh báo.", "The United Nations warned."),
            ("Liên Hợp Quốc kêu gọi.", "The United Nations called."),
            ("Mỹ và Liên Hợp Quốc.", "America and the United Nations."),
            ("Liên Hợp Quốc lo ngại.", "The United Nations is worried."),
        ];
        for _ in 0..4 {
            pairs.push(("LHQ ra tuyên bố.", "The United Nations issued a statement."));
        }
        let got = first_proposals("Liên Hợp Quốc", &pairs);
        assert_eq!(got[0].0, "united nations", "{got:?}");
        assert!(got.iter().any(|(t, _)| t == "general assembly"), "{got:?}");
        // When the term mostly stands in that phrase, the phrase's rendering
        // is not demoted.
        let got = first_proposals("Liên Hợp Quốc", &pairs[..4]);
        assert_eq!(got[0].0, "general assembly", "{got:?}");
    }
}
