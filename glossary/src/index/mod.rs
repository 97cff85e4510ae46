//! In-memory term index: the seam where fuzzy candidates come from.
//!
//! Lookup works in two steps. Exact, normalised and diacritic-insensitive
//! hits come from [`CandidateIndex::same_fold`]. For
//! typos, [`CandidateIndex::fuzzy_candidates`] proposes a short list of
//! terms that *might* be close, which lookup then scores exactly. Only this
//! trait is used by lookup, so a faster structure replaces
//! [`TrigramIndex`] without touching scoring or storage.

pub mod distance;
#[cfg(test)]
mod guard_tests;
pub mod snapshot;
#[cfg(test)]
mod snapshot_tests;
mod trigram;

pub(crate) use trigram::TermsCopy;
pub use trigram::{TrigramIndex, NEIGHBOURHOOD_MAX_CHARS, POSTINGS_BUDGET};

use crate::collections::CollectionFilter;
use crate::model::{Concept, ConceptId, Lang, TermStatus};
use crate::text;

/// One term as the index sees it: where it lives and its matching keys.
/// The index keeps its terms in a compact form and builds these values for
/// the terms a query returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedTerm {
    /// Concept holding the term.
    pub concept: ConceptId,
    /// Position of the term in the concept.
    pub term: u32,
    /// Language of the term.
    pub lang: Lang,
    /// Display text.
    pub text: String,
    /// Usage status.
    pub status: TermStatus,
    /// [`text::normalized_key`] of the text.
    pub norm: String,
    /// [`text::folded_key`] of the text.
    pub fold: String,
    /// The concept's collection, as its process-wide id
    /// ([`crate::collections::intern`]).
    pub collection: crate::collections::CollectionId,
}

impl IndexedTerm {
    /// The index entries for every term of a concept.
    pub fn from_concept(concept: &Concept) -> Vec<IndexedTerm> {
        let collection = crate::collections::intern(&concept.collection);
        concept
            .terms
            .iter()
            .enumerate()
            .map(|(n, t)| {
                let norm = text::normalized_key(&t.text);
                let fold = text::strip_diacritics(&norm);
                IndexedTerm {
                    concept: concept.id.clone(),
                    term: n as u32,
                    lang: t.lang.clone(),
                    text: t.text.clone(),
                    status: t.status,
                    norm,
                    fold,
                    collection,
                }
            })
            .collect()
    }
}

/// Does `needle` occur in `hay` starting at a syllable boundary (start of
/// text or after a non-alphanumeric character)? With `whole_end`, it must
/// also end at one; otherwise its last syllable may be a prefix (what a user
/// typing a search gets).
pub fn contains_at_boundary(hay: &str, needle: &str, whole_end: bool) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    !needle.is_empty()
        && hay.match_indices(needle).any(|(i, m)| {
            boundary(hay[..i].chars().next_back()) && (!whole_end || boundary(hay[i + m.len()..].chars().next()))
        })
}

/// Which key of a term to match exactly (see [`crate::Glossary`]'s
/// `find_by_key`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// [`text::normalized_key`]: keeps diacritics.
    Normalized,
    /// [`text::folded_key`]: diacritics removed.
    Folded,
}

/// A reference to one term of one concept.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TermRef {
    /// The concept holding the term.
    pub concept: ConceptId,
    /// Position of the term in [`Concept::terms`].
    pub term: u32,
}

/// Candidate generation over all terms, kept in step with the store.
pub trait CandidateIndex: Send + Sync {
    /// Replaces every entry of `concept` with its current terms.
    fn upsert(&mut self, concept: &Concept);
    /// Removes every entry of concept `id`.
    fn remove(&mut self, id: &ConceptId);
    /// Number of indexed terms.
    fn len(&self) -> usize;
    /// True when nothing is indexed.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Terms in languages under `lang` (any language if `None`) whose folded
    /// key equals `fold`.
    fn same_fold(&self, fold: &str, lang: Option<&Lang>) -> Vec<IndexedTerm>;
    /// Terms in languages under `lang` that may be close to the folded
    /// query (other than those of [`CandidateIndex::same_fold`]): what an
    /// implementation guarantees to include is on the implementation
    /// ([`TrigramIndex`]: every term one edit away, every term with the same
    /// syllables reordered, and up to `max` more by trigram similarity). The
    /// caller scores each candidate.
    fn fuzzy_candidates(&self, fold: &str, lang: &Lang, max: usize) -> Vec<IndexedTerm> {
        self.fuzzy_candidates_in(fold, lang, max, &CollectionFilter::all())
    }
    /// [`CandidateIndex::fuzzy_candidates`] among the terms of the
    /// collections `keep` lets through (filtered before the `max` cut).
    fn fuzzy_candidates_in(&self, fold: &str, lang: &Lang, max: usize, keep: &CollectionFilter) -> Vec<IndexedTerm>;
    /// Terms in languages under `lang` (any language if `None`) whose folded
    /// key contains `fold` starting at a syllable boundary, in the collections
    /// `keep` lets through: the first `max` of them in (concept id, term
    /// position) order (filtered before the `max` cut).
    fn containing(&self, fold: &str, lang: Option<&Lang>, max: usize, keep: &CollectionFilter) -> Vec<IndexedTerm>;
}
