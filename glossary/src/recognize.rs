//! Term recognition: every glossary term that occurs in a sentence.
//!
//! Terms and sentences are compared in *token-key form*: the sentence is
//! tokenised ([`text::tokenize`]), each token folded (no diacritics, lower
//! case, unified dashes and quotes) and the keys joined with single spaces,
//! with a space at both ends. A term matches only as a whole run of tokens,
//! so "hợp tác" is found in "hợp tác toàn diện" but "tác toàn" is never
//! found inside "hợp tác toàn diện" unless it is itself a term, and never
//! in the middle of a syllable.
//!
//! All terms of all languages sit in one hash map from key to terms and to
//! a count of the longer keys that extend it. A scan
//! starts at each token and extends the key one token at a time while some
//! term key continues it, so every occurrence (overlaps included) is found
//! with a few hash probes per token. Each occurrence is then checked with
//! diacritics: if the sentence has the marks
//! of the term (tone placement and case aside), it is a `normalized` match;
//! if the sentence's words there carry no marks at all (typed without
//! accents), a `diacritic_insensitive` one; if the marks disagree
//! ("dương" vs the term "đường"), no match. Overlaps are resolved longest
//! first, then leftmost.
//!
//! Every glossary write updates the maps for the one concept it changed
//! (a few map operations under a short write lock), so recognition never
//! waits for a rebuild and a write never waits for one either.

use std::collections::HashMap;
use std::ops::Range;

use crate::mining::candidates::{FxMap, EVENT_CLASSIFIERS, FUNCTION_WORDS, QUANTIFIERS};
use crate::model::{Concept, ConceptId, Lang, TermStatus};
use crate::text;

/// How a recognised term matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecognitionKind {
    /// Same words with the same diacritics (case and tone placement aside).
    Normalized,
    /// The sentence has no diacritics there; the words match once folded.
    DiacriticInsensitive,
}

impl RecognitionKind {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RecognitionKind::Normalized => "normalized",
            RecognitionKind::DiacriticInsensitive => "diacritic_insensitive",
        }
    }
}

/// A term in the recogniser's table.
#[derive(Clone, Debug)]
pub(crate) struct RecTerm {
    pub(crate) concept: ConceptId,
    pub(crate) term: u32,
    pub(crate) lang: Lang,
    pub(crate) status: TermStatus,
    norms: Vec<String>,
    /// The term is written without capitals (a common noun such as "hòa
    /// bình"), so a capitalised name in a sentence is not this term.
    lowercase: bool,
}

/// One token of a sentence: where it is, and where its folded key is in
/// the key string. Its normalised key and marks are computed only for the
/// tokens of a match.
struct Tok {
    chars: Range<usize>,
    bytes: Range<usize>,
    /// Byte range of the folded key in the key string.
    key: Range<usize>,
}

/// An occurrence of a term in a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// Character offsets in the sentence.
    pub chars: Range<usize>,
    /// Byte offsets in the sentence.
    pub bytes: Range<usize>,
    /// Token indices in the sentence.
    pub tokens: Range<usize>,
    /// How it matched.
    pub kind: RecognitionKind,
    /// The concepts and term positions it matches (one text can belong to
    /// several concepts).
    pub terms: Vec<(ConceptId, u32, TermStatus)>,
}

/// The terms of every concept, kept current by every glossary write, in
/// the form recognition reads directly: no automaton to rebuild, so a write
/// costs a few map updates and a reader never waits for a rebuild.
///
/// `keys` maps a text of folded token keys joined by single spaces to a
/// [`KeyEntry`]: the terms written that way, and how many longer term keys
/// extend it, so one probe per sentence position tells both whether a term
/// ends there and whether the scan should go on.
#[derive(Default)]
pub(crate) struct TermTable {
    /// The keys each concept added, with the byte ends of their proper
    /// token prefixes (to undo the prefix counts on removal).
    by_concept: HashMap<ConceptId, Vec<(Box<str>, Vec<usize>)>>,
    keys: FxMap<Box<str>, KeyEntry>,
    generation: u64,
}

/// One term as [`TermTable::upsert_terms`] takes it.
pub(crate) struct TermInput<'a> {
    /// Position of the term in its concept.
    pub(crate) term: u32,
    /// Its language.
    pub(crate) lang: &'a Lang,
    /// Its display text.
    pub(crate) text: &'a str,
    /// Its usage status.
    pub(crate) status: TermStatus,
}

/// What the term table knows about one key.
#[derive(Default, Debug)]
struct KeyEntry {
    /// The terms whose key this is (empty for a key that is only a prefix).
    terms: Vec<RecTerm>,
    /// How many distinct term keys have this key as a proper token prefix.
    extended_by: u32,
}

impl TermTable {
    pub(crate) fn upsert(&mut self, concept: &Concept) {
        let terms: Vec<TermInput<'_>> = concept
            .terms
            .iter()
            .enumerate()
            .map(|(n, t)| TermInput { term: n as u32, lang: &t.lang, text: &t.text, status: t.status })
            .collect();
        self.upsert_terms(&concept.id, &terms);
    }

    /// Replaces the terms of concept `id` with `terms` (what
    /// [`TermTable::upsert`] takes from a concept; also fed from a
    /// persisted index snapshot).
    pub(crate) fn upsert_terms(&mut self, id: &ConceptId, terms: &[TermInput<'_>]) {
        self.remove_keys(id);
        let mut keys = Vec::with_capacity(terms.len());
        for t in terms {
            let n = t.term;
            let mut key = String::new();
            let toks = tokens(t.text, &text::tokenize(t.text), &mut key);
            // `tokens` writes " k1 k2 ... kn "; the pattern drops exactly the
            // outer spaces, as a sentence's key slice from token i to j does.
            if key.trim().is_empty() {
                continue;
            }
            let pattern: Box<str> = key[1..key.len() - 1].into();
            // Prefix ends in `pattern` (one byte less than in `key`).
            let ends: Vec<usize> = toks[..toks.len() - 1].iter().map(|tok| tok.key.end - 1).collect();
            let norms = toks.iter().map(|tok| text::normalized_key(&t.text[tok.bytes.clone()])).collect();
            let term = RecTerm {
                concept: id.clone(),
                term: n,
                lang: t.lang.clone(),
                status: t.status,
                norms,
                lowercase: !t.text.chars().any(char::is_uppercase),
            };
            let slot = self.keys.entry(pattern.clone()).or_default();
            let new_key = slot.terms.is_empty();
            slot.terms.push(term);
            if new_key {
                for &end in &ends {
                    self.keys.entry(pattern[..end].into()).or_default().extended_by += 1;
                }
            }
            keys.push((pattern, ends));
        }
        self.by_concept.insert(id.clone(), keys);
        self.generation += 1;
    }

    pub(crate) fn remove(&mut self, id: &ConceptId) {
        if self.remove_keys(id) {
            self.generation += 1;
        }
    }

    /// Takes the terms of `id` out of the maps; whether it had any entry.
    fn remove_keys(&mut self, id: &ConceptId) -> bool {
        let Some(keys) = self.by_concept.remove(id) else { return false };
        for (key, ends) in keys {
            let Some(slot) = self.keys.get_mut(&key) else { continue };
            if slot.terms.is_empty() {
                continue; // an earlier term of this concept had the same key
            }
            slot.terms.retain(|t| &t.concept != id);
            if !slot.terms.is_empty() {
                continue;
            }
            self.drop_if_unused(&key);
            for end in ends {
                if let Some(prefix) = self.keys.get_mut(&key[..end]) {
                    prefix.extended_by -= 1;
                    self.drop_if_unused(&key[..end]);
                }
            }
        }
        true
    }

    /// Removes the entry of `key` once no term has it and no term key
    /// extends it.
    fn drop_if_unused(&mut self, key: &str) {
        if self.keys.get(key).is_some_and(|e| e.terms.is_empty() && e.extended_by == 0) {
            self.keys.remove(key);
        }
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Distinct term keys held (for tests and statistics).
    #[cfg(test)]
    pub(crate) fn pattern_count(&self) -> usize {
        self.keys.values().filter(|e| !e.terms.is_empty()).count()
    }

    /// Occurrences of terms in languages under `lang`, non-overlapping,
    /// chosen longest first, in sentence order.
    pub(crate) fn find(&self, sentence: &str, lang: &Lang) -> Vec<Occurrence> {
        let mut hay = String::with_capacity(sentence.len() + 2);
        let raw = text::tokenize(sentence);
        let toks = tokens(sentence, &raw, &mut hay);
        let mut accented = None;
        // Where term keys are found (tokens `first..=last`).
        let mut hits: Vec<(usize, usize, &KeyEntry)> = Vec::new();
        for first in 0..toks.len() {
            for last in first..toks.len() {
                let key = &hay[toks[first].key.start..toks[last].key.end];
                let Some(entry) = self.keys.get(key) else { break };
                if !entry.terms.is_empty() {
                    hits.push((first, last, entry));
                }
                if entry.extended_by == 0 {
                    break;
                }
            }
        }
        // Vietnamese words are segmented only where a term key is found:
        // the runs of syllables that hold one (tokens of `toks` and `raw`
        // correspond one to one).
        let edges = (lang.primary() == "vi" && !hits.is_empty()).then(|| {
            WordEdges::new(&raw, &|run: Range<usize>| {
                hits.iter().any(|&(first, last, _)| first < run.end && last >= run.start)
            })
        });
        let mut found: Vec<Occurrence> = Vec::new();
        for &(first, last, entry) in &hits {
            if edges.as_ref().is_some_and(|e| !e.spans(first, last)) {
                continue;
            }
            let span = Span { sentence, toks: &toks, first, last };
            if let Some(o) = occurrence(&span, &entry.terms, lang, &mut accented) {
                found.push(o);
            }
        }
        // Longest first (in tokens), then leftmost; drop overlaps.
        found.sort_by(|a, b| b.tokens.len().cmp(&a.tokens.len()).then(a.tokens.start.cmp(&b.tokens.start)));
        let mut taken: Vec<Occurrence> = Vec::new();
        for o in found {
            if taken.iter().all(|t| o.tokens.end <= t.tokens.start || o.tokens.start >= t.tokens.end) {
                taken.push(o);
            }
        }
        taken.sort_by_key(|o| o.tokens.start);
        // A one-syllable term must stand apart from its neighbours (see
        // [`WordEdges::stands_apart`]); a neighbour inside another term
        // found here stands apart ("Chủ tịch nước" + "tiếp").
        if let Some(edges) = edges.as_ref().filter(|_| taken.iter().any(|o| o.tokens.len() == 1)) {
            let longer: Vec<Range<usize>> =
                taken.iter().filter(|o| o.tokens.len() > 1).map(|o| o.tokens.clone()).collect();
            let covered = |j: usize| longer.iter().any(|r| r.contains(&j));
            taken.retain(|o| o.tokens.len() > 1 || edges.stands_apart(&raw, o.tokens.start, &covered));
        }
        taken
    }
}

/// Classifiers of things and animals, which stand before a one-syllable
/// noun ("con đường", "chiếc xe").
const NOUN_CLASSIFIERS: &[&str] = &["con", "cái", "chiếc", "quyển", "cuốn", "tấm", "bức", "ngôi", "căn", "trái", "quả"];

/// Where the words of a segmented sentence start and end, by token index.
struct WordEdges {
    starts: Vec<bool>,
    ends: Vec<bool>,
}

impl WordEdges {
    /// The edges of the words of `tokens` in the runs of syllables that
    /// `wanted` accepts (and of every fixed unit); tokens of other runs are
    /// no word's edge.
    fn new(tokens: &[text::Token<'_>], wanted: &dyn Fn(Range<usize>) -> bool) -> WordEdges {
        let mut edges = WordEdges { starts: vec![false; tokens.len()], ends: vec![false; tokens.len()] };
        for w in text::segment_runs(tokens, wanted) {
            edges.starts[w.tokens.start] = true;
            edges.ends[w.tokens.end - 1] = true;
        }
        edges
    }

    /// Whether tokens `first..=last` are whole words: a term never starts
    /// or ends inside a word ("tiếp" in "tiếp tục", "lao" in "lao động").
    fn spans(&self, first: usize, last: usize) -> bool {
        self.starts[first] && self.ends[last]
    }

    /// Whether the one-token word at `i`, when it is a lowercase syllable,
    /// stands apart from its neighbours, as a one-syllable term must: the
    /// segmenter only knows the words of its lexicon, and beside another
    /// lone lowercase syllable the term is often half of a word it does not
    /// know or another sense of the syllable ("giao tiếp", "tiếp sức",
    /// "nói tiếp", "tiếp đó"; a one-syllable term gives up those uses
    /// rather than be offered inside other words). Before it: the sentence
    /// start, punctuation, a number, a capitalised word, a word of several
    /// syllables, a function word ("đã tiếp"), a quantifier or a classifier
    /// ("con đường", "cuộc họp") or a noun that stands before names. After
    /// it: the sentence end, punctuation, a number, a capitalised word, a
    /// word of several syllables, a plural marker ("tiếp các đại biểu") or
    /// a noun that stands before names ("tiếp đoàn", "tiếp ông").
    /// `covered(j)`: token `j` is inside a longer term found in the
    /// sentence, which stands apart.
    fn stands_apart(&self, raw: &[text::Token<'_>], i: usize, covered: &dyn Fn(usize) -> bool) -> bool {
        let lowercase = |t: &text::Token<'_>| t.text.chars().next().is_some_and(char::is_lowercase);
        if !lowercase(&raw[i]) {
            return true;
        }
        // A lone lowercase syllable: a one-token word that is a word token.
        let lone = |j: usize| {
            raw[j].kind == text::TokenKind::Word && lowercase(&raw[j]) && self.starts[j] && self.ends[j] && !covered(j)
        };
        let key = |j: usize| text::normalized_key(raw[j].text);
        let before = i == 0 || !lone(i - 1) || {
            let k = key(i - 1);
            FUNCTION_WORDS.contains(&k.as_str())
                || QUANTIFIERS.contains(&k.as_str())
                || EVENT_CLASSIFIERS.contains(&k.as_str())
                || NOUN_CLASSIFIERS.contains(&k.as_str())
                || text::stands_before_names(raw[i - 1].text)
        };
        let after = i + 1 == raw.len()
            || !lone(i + 1)
            || matches!(key(i + 1).as_str(), "các" | "những")
            || text::stands_before_names(raw[i + 1].text);
        before && after
    }
}

/// Tokens `first..=last` of a sentence: where a term key was found.
struct Span<'a> {
    sentence: &'a str,
    toks: &'a [Tok],
    first: usize,
    last: usize,
}

/// Share of a sentence's letter tokens that carry diacritics above which it
/// counts as written with them (Vietnamese news has marks on about three
/// syllables in four; text typed without accents has none).
const ACCENTED_SHARE: f64 = 0.3;

/// Whether the sentence is written with diacritics. In such a sentence an
/// unmarked syllable is that syllable ("lao" in "người lao động"), not a
/// marked one typed without accents ("Lào"), so folded-only matches are
/// not offered there.
fn is_accented(sentence: &str, toks: &[Tok]) -> bool {
    let mut letters = 0usize;
    let mut marked = 0usize;
    for t in toks {
        let w = &sentence[t.bytes.clone()];
        if w.chars().next().is_some_and(text::is_letter) {
            letters += 1;
            marked += usize::from(text::has_diacritics(w));
        }
    }
    letters > 0 && marked as f64 > ACCENTED_SHARE * letters as f64
}

/// Whether the span is written as a name: every word capitalised and not
/// in capitals throughout ("Hòa Bình" in "Tỉnh Hòa Bình"), where a
/// lowercase term ("hòa bình", peace) is not meant. One capitalised word
/// that opens the sentence is ordinary sentence case, not a name.
fn is_name(at: &Span<'_>, words: &[&str]) -> bool {
    let title = |w: &&&str| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase) && cs.clone().next().is_some() && cs.all(|c| !c.is_uppercase())
    };
    let letters: Vec<&&str> = words.iter().filter(|w| w.chars().next().is_some_and(text::is_letter)).collect();
    if letters.is_empty() || !letters.iter().all(title) {
        return false;
    }
    if letters.len() > 1 {
        return true;
    }
    // One word: a name unless it opens the sentence (nothing but
    // punctuation before it, or a sentence end right before it).
    let before = &at.sentence[..at.toks[at.first].bytes.start];
    let opens = before
        .trim_end()
        .chars()
        .last()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | ':' | '"' | '“' | '«' | '(' | '-' | '–' | '—' | '•'));
    !opens
}

/// The occurrence of the terms of one key at tokens `first..=last`, with
/// the diacritics check, or `None` when no term of `lang` matches there.
fn occurrence(at: &Span<'_>, candidates: &[RecTerm], lang: &Lang, accented: &mut Option<bool>) -> Option<Occurrence> {
    let (sentence, first, last) = (at.sentence, at.first, at.last);
    let span = &at.toks[first..=last];
    let words: Vec<&str> = span.iter().map(|t| &sentence[t.bytes.clone()]).collect();
    let marks = words.iter().any(|w| text::has_diacritics(w));
    // Capitalisation tells names from common nouns in Vietnamese; English
    // capitalises titles ("Prime Minister") that are no names.
    let name = lang.primary() == "vi" && is_name(at, &words);
    let mut kind = None;
    let mut hits = Vec::new();
    for term in candidates {
        if !term.lang.matches(lang) || (name && term.lowercase) {
            continue;
        }
        let same_marks =
            term.norms.len() == words.len() && term.norms.iter().zip(&words).all(|(n, w)| text::normalizes_to(w, n));
        let k = if same_marks {
            RecognitionKind::Normalized
        } else if !marks && !*accented.get_or_insert_with(|| is_accented(sentence, at.toks)) {
            RecognitionKind::DiacriticInsensitive
        } else {
            continue;
        };
        kind = Some(match kind {
            Some(RecognitionKind::Normalized) => RecognitionKind::Normalized,
            _ => k,
        });
        hits.push((term.concept.clone(), term.term, term.status, k));
    }
    let kind = kind?;
    // Where the marks match some terms exactly, drop the folded-only ones.
    let terms = hits.into_iter().filter(|h| h.3 == kind).map(|(c, n, s, _)| (c, n, s)).collect();
    Some(Occurrence {
        chars: span[0].chars.start..span[span.len() - 1].chars.end,
        bytes: span[0].bytes.start..span[span.len() - 1].bytes.end,
        tokens: first..last + 1,
        kind,
        terms,
    })
}

/// The tokens of `s` (`raw` is `tokenize(s)`); appends " k1 k2 ... kn " (folded token keys, a
/// space at both ends) to `keys`.
fn tokens(s: &str, raw: &[text::Token<'_>], keys: &mut String) -> Vec<Tok> {
    let mut out = Vec::with_capacity(raw.len());
    let mut chars_before = 0usize;
    let mut last = 0usize;
    keys.push(' ');
    for t in raw {
        chars_before += s[last..t.start].chars().count();
        let len = t.text.chars().count();
        let key_start = keys.len();
        text::push_folded(t.text, keys);
        out.push(Tok { chars: chars_before..chars_before + len, bytes: t.start..t.end, key: key_start..keys.len() });
        keys.push(' ');
        chars_before += len;
        last = t.end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::{term, Rng};
    use crate::model::{ConceptDraft, Timestamp};

    fn concept(id: u64, texts: &[&str]) -> Concept {
        let draft = ConceptDraft {
            terms: texts.iter().map(|t| term("vi", t, TermStatus::Preferred)).collect(),
            ..ConceptDraft::default()
        };
        draft.into_new_concept(ConceptId::generated(id), Timestamp::now())
    }

    fn spans(table: &TermTable, sentence: &str) -> Vec<(std::ops::Range<usize>, Vec<ConceptId>)> {
        let vi = Lang::new("vi").unwrap();
        table.find(sentence, &vi).into_iter().map(|o| (o.tokens, o.terms.into_iter().map(|t| t.0).collect())).collect()
    }

    /// Random upserts and removals leave the table finding exactly what a
    /// table built from scratch with the surviving concepts finds, and
    /// removing everything leaves no pattern or prefix behind.
    #[test]
    fn incremental_updates_equal_a_fresh_table() {
        const WORDS: &[&str] =
            &["hợp", "tác", "toàn", "diện", "hữu", "nghị", "Việt", "Nam", "-", "Lào", "đường", "dương"];
        let mut rng = Rng(0x5eed_1234_abcd_0001);
        let mut live: HashMap<u64, Concept> = HashMap::new();
        let mut table = TermTable::default();
        let sentences: Vec<String> =
            (0..40).map(|_| (0..8).map(|_| WORDS[rng.below(WORDS.len())]).collect::<Vec<_>>().join(" ")).collect();
        for step in 0..400 {
            let id = rng.below(30) as u64 + 1;
            if rng.below(4) == 0 {
                live.remove(&id);
                table.remove(&ConceptId::generated(id));
            } else {
                let texts: Vec<String> = (0..1 + rng.below(3))
                    .map(|_| (0..1 + rng.below(3)).map(|_| WORDS[rng.below(WORDS.len())]).collect::<Vec<_>>().join(" "))
                    .collect();
                let mut seen = std::collections::HashSet::new();
                let texts: Vec<&str> =
                    texts.iter().map(String::as_str).filter(|t| seen.insert(text::normalized_key(t))).collect();
                let c = concept(id, &texts);
                table.upsert(&c);
                live.insert(id, c);
            }
            if step % 50 == 49 {
                let mut fresh = TermTable::default();
                for c in live.values() {
                    fresh.upsert(c);
                }
                assert_eq!(table.pattern_count(), fresh.pattern_count(), "step {step}");
                let extended = |t: &TermTable| -> Vec<(String, u32)> {
                    let mut v: Vec<_> = t.keys.iter().map(|(k, e)| (k.to_string(), e.extended_by)).collect();
                    v.sort();
                    v
                };
                assert_eq!(extended(&table), extended(&fresh), "step {step}");
                for s in &sentences {
                    let mut a = spans(&table, s);
                    let mut b = spans(&fresh, s);
                    for x in a.iter_mut().chain(b.iter_mut()) {
                        x.1.sort();
                    }
                    assert_eq!(a, b, "step {step}, sentence {s:?}");
                }
            }
        }
        for id in live.keys() {
            table.remove(&ConceptId::generated(*id));
        }
        assert_eq!(table.pattern_count(), 0);
        assert!(table.keys.is_empty(), "keys left: {:?}", table.keys.len());
    }
}
