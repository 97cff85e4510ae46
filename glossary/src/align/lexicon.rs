//! The anchor lexicon: known term pairs (a source term and its target
//! equivalents) that tell the aligner, and the equivalents miner, which
//! phrases translate each other.
//!
//! Matching works on token keys: every token of a term or sentence is
//! reduced with [`text::folded_key`] (lowercase, no diacritics, dashes and
//! quotes unified), so "Viêng Chăn", "Viêng chăn" and "vieng chan" are the
//! same key, and "People's" with a straight or a curly apostrophe too.
//! Lookups take the longest term starting at each position (greedy,
//! left to right), so "hợp tác toàn diện" wins over "hợp tác" inside it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::model::{Concept, Lang, Term};
use crate::store::Store;
use crate::text;
use crate::Result;

/// Longest term, in tokens, the lexicon indexes; longer ones are skipped
/// (they are whole formulas that never help to anchor a sentence pair more
/// than their parts do).
pub const MAX_TERM_TOKENS: usize = 16;

/// One source term with its target-language equivalents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexiconEntry {
    /// The source term as given (display form).
    pub source: String,
    /// The target equivalents as given (display form).
    pub targets: Vec<String>,
}

/// Known term pairs, indexed for matching inside sentences on both sides.
#[derive(Clone, Debug, Default)]
pub struct AnchorLexicon {
    entries: Vec<LexiconEntry>,
    /// Source token keys joined by a space → entries with that source term.
    src: HashMap<String, Vec<u32>>,
    /// Target token keys joined by a space → entries listing that equivalent.
    tgt: HashMap<String, Vec<u32>>,
    src_max: usize,
    tgt_max: usize,
}

/// An occurrence of a lexicon term in a token sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TermHit {
    /// Entries whose term (or equivalent) this is.
    pub entries: Vec<u32>,
    /// Token range `[start, end)` of the occurrence.
    pub start: usize,
    /// See `start`.
    pub end: usize,
}

impl AnchorLexicon {
    /// An empty lexicon (alignment then relies on lengths, numbers, names
    /// and punctuation only).
    pub fn new() -> AnchorLexicon {
        AnchorLexicon::default()
    }

    /// Builds a lexicon from `(source term, [target equivalents])` pairs.
    /// Terms that are empty after keying, or longer than
    /// [`MAX_TERM_TOKENS`] tokens, are skipped; pairs without any usable
    /// equivalent too.
    pub fn from_pairs<I, S, T>(pairs: I) -> AnchorLexicon
    where
        I: IntoIterator<Item = (S, Vec<T>)>,
        S: AsRef<str>,
        T: AsRef<str>,
    {
        let mut lex = AnchorLexicon::default();
        for (source, targets) in pairs {
            lex.add(source.as_ref(), targets.iter().map(AsRef::as_ref));
        }
        lex
    }

    /// Adds one source term with its equivalents.
    pub fn add<'a>(&mut self, source: &str, targets: impl IntoIterator<Item = &'a str>) {
        let src_key = phrase_key(source);
        let n_src = src_key.split(' ').count();
        if src_key.is_empty() || n_src > MAX_TERM_TOKENS {
            return;
        }
        let mut kept = Vec::new();
        let mut tgt_keys = Vec::new();
        for t in targets {
            let key = phrase_key(t);
            let n = key.split(' ').count();
            if key.is_empty() || n > MAX_TERM_TOKENS || tgt_keys.contains(&key) {
                continue;
            }
            self.tgt_max = self.tgt_max.max(n);
            tgt_keys.push(key);
            kept.push(t.to_string());
        }
        if kept.is_empty() {
            return;
        }
        let id = self.entries.len() as u32;
        self.entries.push(LexiconEntry { source: source.to_string(), targets: kept });
        self.src_max = self.src_max.max(n_src);
        self.src.entry(src_key).or_default().push(id);
        for key in tgt_keys {
            self.tgt.entry(key).or_default().push(id);
        }
    }

    /// Number of entries (source terms with at least one equivalent).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the lexicon has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in insertion order.
    pub fn entries(&self) -> &[LexiconEntry] {
        &self.entries
    }

    /// Entry `id`.
    pub(crate) fn entry(&self, id: u32) -> &LexiconEntry {
        &self.entries[id as usize]
    }

    /// Target equivalents of a source term (matched on token keys), if the
    /// lexicon has it.
    pub fn equivalents(&self, source: &str) -> Vec<&str> {
        let key = phrase_key(source);
        let mut out = Vec::new();
        for &id in self.src.get(&key).into_iter().flatten() {
            for t in &self.entries[id as usize].targets {
                if !out.contains(&t.as_str()) {
                    out.push(t.as_str());
                }
            }
        }
        out
    }

    /// Source terms occurring in `keys` (token keys of a sentence), longest
    /// first, without overlaps.
    pub(crate) fn find_source(&self, keys: &[String]) -> Vec<TermHit> {
        find_longest(&self.src, self.src_max, keys)
    }

    /// Every source term occurring in `keys`, overlapping ones included
    /// ("hợp tác" inside "hợp tác toàn diện" too).
    pub(crate) fn find_source_all(&self, keys: &[String]) -> Vec<TermHit> {
        let mut hits = Vec::new();
        let mut probe = String::new();
        for i in 0..keys.len() {
            probe.clear();
            for (n, key) in keys[i..].iter().take(self.src_max).enumerate() {
                if n > 0 {
                    probe.push(' ');
                }
                probe.push_str(key);
                if let Some(ids) = self.src.get(probe.as_str()) {
                    hits.push(TermHit { entries: ids.clone(), start: i, end: i + n + 1 });
                }
            }
        }
        hits
    }

    /// Target equivalents occurring in `keys`, longest first, without overlaps.
    pub(crate) fn find_target(&self, keys: &[String]) -> Vec<TermHit> {
        find_longest(&self.tgt, self.tgt_max, keys)
    }

    /// Token keys of every target equivalent of entry `id`.
    pub(crate) fn target_keys(&self, id: u32) -> Vec<Vec<String>> {
        self.entries[id as usize].targets.iter().map(|t| token_keys(t)).collect()
    }
}

/// The anchor lexicon of the last language pair asked for, kept until the
/// glossary changes; and the word tables learned from the translation
/// memory, per language pair (the engine's alignment caches).
#[derive(Default)]
pub(crate) struct AnchorLexicons {
    cache: Mutex<Option<AnchorCache>>,
    /// Word translation tables from the TM (see `tm_table.rs`).
    pub(crate) word_tables: super::TmWordTables,
}

impl AnchorLexicons {
    /// The anchor lexicon of the glossary for a language pair: every term in
    /// `src` (or its sublanguages) of every concept, with all the concept's
    /// terms in `tgt` as equivalents, whatever their status (a deprecated
    /// rendering found in a translation is still evidence that the two
    /// sentences correspond). Concepts without a `tgt` term contribute
    /// nothing. Built by reading every concept once (O(glossary size)),
    /// then kept for the pair until the glossary changes, so a series of
    /// align or equivalents requests reads the store once. `generation` is
    /// the term table's, read by the caller before this reads `store`: a
    /// write that lands during the build leaves a newer generation, and the
    /// next call builds again.
    pub(crate) fn lexicon(&self, generation: u64, store: &Store, src: &Lang, tgt: &Lang) -> Result<Arc<AnchorLexicon>> {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = cache.as_ref().filter(|c| c.generation == generation && &c.src == src && &c.tgt == tgt) {
            return Ok(c.lexicon.clone());
        }
        let mut lex = AnchorLexicon::new();
        for concept in store.iter_from(None) {
            add_concept(&mut lex, &concept?, src, tgt);
        }
        let lexicon = Arc::new(lex);
        *cache = Some(AnchorCache { generation, src: src.clone(), tgt: tgt.clone(), lexicon: lexicon.clone() });
        Ok(lexicon)
    }
}

/// The anchor lexicon of the last language pair asked for, with the
/// glossary generation it was built at.
pub(crate) struct AnchorCache {
    generation: u64,
    src: Lang,
    tgt: Lang,
    lexicon: Arc<AnchorLexicon>,
}

/// Adds the `src` terms of `concept` with its `tgt` terms as equivalents.
pub fn add_concept(lex: &mut AnchorLexicon, concept: &Concept, src: &Lang, tgt: &Lang) {
    add_terms(lex, &concept.terms, src, tgt);
}

/// Adds the `src` terms among `terms` (those of one concept) with the `tgt`
/// terms as equivalents, preferred first.
pub fn add_terms(lex: &mut AnchorLexicon, terms: &[Term], src: &Lang, tgt: &Lang) {
    let mut targets: Vec<&Term> = terms.iter().filter(|t| t.lang.matches(tgt)).collect();
    targets.sort_by_key(|t| t.status.rank());
    if targets.is_empty() {
        return;
    }
    for term in terms.iter().filter(|t| t.lang.matches(src)) {
        lex.add(&term.text, targets.iter().map(|t| t.text.as_str()));
    }
}

/// The anchor lexicon of the bundled starter glossary (what a new data
/// directory holds), for aligning without opening a store.
pub fn starter_lexicon(src: &Lang, tgt: &Lang) -> Result<AnchorLexicon> {
    let mut lex = AnchorLexicon::new();
    for draft in crate::starter::starter_drafts()? {
        add_terms(&mut lex, &draft.terms, src, tgt);
    }
    Ok(lex)
}

/// The matching key of each token of `s`.
pub(crate) fn token_keys(s: &str) -> Vec<String> {
    text::tokenize(s).iter().map(|t| text::folded_key(t.text)).filter(|k| !k.is_empty()).collect()
}

/// The token keys of a phrase joined by single spaces.
fn phrase_key(s: &str) -> String {
    token_keys(s).join(" ")
}

fn find_longest(map: &HashMap<String, Vec<u32>>, max_len: usize, keys: &[String]) -> Vec<TermHit> {
    let mut hits = Vec::new();
    if map.is_empty() {
        return hits;
    }
    let mut i = 0;
    let mut probe = String::new();
    while i < keys.len() {
        let mut best: Option<(usize, &Vec<u32>)> = None;
        probe.clear();
        for (n, key) in keys[i..].iter().take(max_len).enumerate() {
            if n > 0 {
                probe.push(' ');
            }
            probe.push_str(key);
            if let Some(ids) = map.get(probe.as_str()) {
                best = Some((n + 1, ids));
            }
        }
        match best {
            Some((n, ids)) => {
                hits.push(TermHit { entries: ids.clone(), start: i, end: i + n });
                i += n;
            }
            None => i += 1,
        }
    }
    hits
}

#[cfg(test)]
mod cache_tests {
    use crate::model::test_support::term;
    use crate::model::{ConceptDraft, Lang, TermStatus};
    use crate::{Glossary, OpenOptions};

    #[test]
    fn the_lexicon_is_reused_until_the_glossary_changes() {
        let dir = tempfile::tempdir().unwrap();
        let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
        let (vi, en) = (Lang::new("vi").unwrap(), Lang::new("en").unwrap());
        let draft = |v: &str, e: &str| ConceptDraft {
            terms: vec![term("vi", v, TermStatus::Preferred), term("en", e, TermStatus::Preferred)],
            ..ConceptDraft::default()
        };
        g.create(draft("thăm cấp Nhà nước", "state visit"), "test").unwrap();
        let first = g.anchor_lexicon(&vi, &en).unwrap();
        assert_eq!(first.equivalents("thăm cấp Nhà nước"), ["state visit"]);
        assert!(std::sync::Arc::ptr_eq(&first, &g.anchor_lexicon(&vi, &en).unwrap()), "reused");
        // Another pair is built for itself; a write makes the next call rebuild.
        assert!(g.anchor_lexicon(&en, &vi).unwrap().equivalents("state visit") == ["thăm cấp Nhà nước"]);
        g.create(draft("hữu nghị vĩ đại", "great friendship"), "test").unwrap();
        let after = g.anchor_lexicon(&vi, &en).unwrap();
        assert!(!std::sync::Arc::ptr_eq(&first, &after));
        assert_eq!(after.equivalents("hữu nghị vĩ đại"), ["great friendship"]);
        assert_eq!(first.len() + 1, after.len());
    }
}
