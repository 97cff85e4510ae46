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
//! One Aho–Corasick automaton holds the keys of all terms of all languages;
//! it finds every occurrence (overlaps included) in one pass. Each
//! occurrence is then checked with diacritics: if the sentence has the marks
//! of the term (tone placement and case aside), it is a `normalized` match;
//! if the sentence's words there carry no marks at all (typed without
//! accents), a `diacritic_insensitive` one; if the marks disagree
//! ("dương" vs the term "đường"), no match. Overlaps are resolved longest
//! first, then leftmost.
//!
//! The automaton is rebuilt lazily after glossary writes, from an in-memory
//! table of terms that every write keeps current.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind as AcMatchKind};

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

/// The terms of every concept, kept current by every glossary write, and the
/// automaton built from them on demand.
#[derive(Default)]
pub(crate) struct TermTable {
    by_concept: HashMap<ConceptId, Vec<(String, RecTerm)>>,
    generation: u64,
}

impl TermTable {
    pub(crate) fn upsert(&mut self, concept: &Concept) {
        let entries = concept
            .terms
            .iter()
            .enumerate()
            .map(|(n, t)| {
                let mut key = String::new();
                let toks = tokens(&t.text, &mut key);
                let norms = toks.iter().map(|tok| text::normalized_key(&t.text[tok.bytes.clone()])).collect();
                (
                    key,
                    RecTerm {
                        concept: concept.id.clone(),
                        term: n as u32,
                        lang: t.lang.clone(),
                        status: t.status,
                        norms,
                    },
                )
            })
            .collect();
        self.by_concept.insert(concept.id.clone(), entries);
        self.generation += 1;
    }

    pub(crate) fn remove(&mut self, id: &ConceptId) {
        if self.by_concept.remove(id).is_some() {
            self.generation += 1;
        }
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    pub(crate) fn build(&self) -> Recognizer {
        let mut keys: HashMap<&str, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut terms: Vec<Vec<RecTerm>> = Vec::new();
        for entries in self.by_concept.values() {
            for (key, term) in entries {
                if key.trim().is_empty() {
                    continue;
                }
                let slot = *keys.entry(key.as_str()).or_insert_with(|| {
                    patterns.push(key.clone());
                    terms.push(Vec::new());
                    patterns.len() - 1
                });
                terms[slot].push(term.clone());
            }
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(AcMatchKind::Standard)
            .build(&patterns)
            .expect("term keys are plain strings of bounded length");
        Recognizer { ac, terms, generation: self.generation }
    }
}

/// A built automaton over all term keys.
pub(crate) struct Recognizer {
    ac: AhoCorasick,
    terms: Vec<Vec<RecTerm>>,
    pub(crate) generation: u64,
}

impl Recognizer {
    /// Occurrences of terms in languages under `lang`, non-overlapping,
    /// chosen longest first, in sentence order.
    pub(crate) fn find(&self, sentence: &str, lang: &Lang) -> Vec<Occurrence> {
        let mut hay = String::with_capacity(sentence.len() + 2);
        let toks = tokens(sentence, &mut hay);
        let mut found: Vec<Occurrence> = Vec::new();
        for m in self.ac.find_overlapping_iter(&hay) {
            // Patterns carry their boundary spaces (" key "): map the match
            // back to the tokens whose keys it starts and ends with.
            let (Ok(first), Ok(last)) = (
                toks.binary_search_by_key(&(m.start() + 1), |t| t.key.start),
                toks.binary_search_by_key(&(m.end() - 1), |t| t.key.end),
            ) else {
                continue;
            };
            let span = &toks[first..=last];
            let words: Vec<&str> = span.iter().map(|t| &sentence[t.bytes.clone()]).collect();
            let marks = words.iter().any(|w| text::has_diacritics(w));

            let mut kind = None;
            let mut hits = Vec::new();
            for term in &self.terms[m.pattern().as_usize()] {
                if !term.lang.matches(lang) {
                    continue;
                }
                let same_marks = term.norms.len() == words.len()
                    && term.norms.iter().zip(&words).all(|(n, w)| text::normalizes_to(w, n));
                let k = if same_marks {
                    RecognitionKind::Normalized
                } else if !marks {
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
            let Some(kind) = kind else { continue };
            // Where the marks match some terms exactly, drop the folded-only ones.
            let terms = hits.into_iter().filter(|h| h.3 == kind).map(|(c, n, s, _)| (c, n, s)).collect();
            found.push(Occurrence {
                chars: span[0].chars.start..span[span.len() - 1].chars.end,
                bytes: span[0].bytes.start..span[span.len() - 1].bytes.end,
                tokens: first..last + 1,
                kind,
                terms,
            });
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
        taken
    }
}

/// Shared handle type for a built recogniser.
pub(crate) type SharedRecognizer = Arc<Recognizer>;

/// The tokens of `s`; appends " k1 k2 ... kn " (folded token keys, a
/// space at both ends) to `keys`.
fn tokens(s: &str, keys: &mut String) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars_before = 0usize;
    let mut last = 0usize;
    keys.push(' ');
    for t in text::tokenize(s) {
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

impl crate::Glossary {
    /// The glossary terms occurring in a sentence, as spans with concept
    /// ids, without reading the concepts from the store (what highlighting
    /// needs); [`crate::Glossary::recognize`] adds equivalents and warnings.
    pub fn find_terms(&self, sentence: &str, src: &Lang) -> Vec<Occurrence> {
        self.recognizer().find(sentence, src)
    }
}
