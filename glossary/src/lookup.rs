//! Ranked term lookup: what a translator gets when typing a term, with or
//! without diacritics, in either tone-mark spelling, with typos.
//!
//! # Match kinds and scores
//! Every hit carries a [`MatchKind`] and a score in `[0, 1]`. The score
//! bands do not overlap, so sorting by score also sorts by kind:
//!
//! | kind | when | score |
//! |---|---|---|
//! | `exact` | same text after whitespace/NFC clean-up | 1.0 |
//! | `normalized` | same [`normalized_key`](crate::text::normalized_key): case, tone placement (hoà/hòa), dashes, quotes | 0.97 |
//! | `diacritic_insensitive` | same [`folded_key`](crate::text::folded_key) | 0.90 if the query has no diacritics; else 0.80 + 0.10 × agreement of the marks |
//! | `fuzzy` | folded keys close by edit distance (or by syllable order) | 0.78 × similarity (+ up to 0.02 for agreeing marks) |
//! | `partial` | the query is a run of whole syllables inside a longer term | 0.30 – 0.45 by the share of the term covered |
//!
//! "Agreement of the marks" is the normalised Levenshtein similarity of the
//! two normalised keys; since the folded keys are equal, it measures only
//! diacritics. So for the query "đường", "đường" (exact) ranks above
//! "đương" (one mark differs) above "dương" (two differ).

use std::collections::HashMap;

use crate::collections::{CollectionFilter, CollectionSelection};
use crate::index::{contains_at_boundary, distance, CandidateIndex, IndexedTerm};
use crate::model::{ConceptId, Lang, Term};
use crate::text;

/// Longest lookup query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most hits one lookup returns.
pub const MAX_LIMIT: usize = 50;
/// Hits returned when the caller gives no limit.
pub const DEFAULT_LIMIT: usize = 10;
/// Fuzzy hits below this similarity of folded keys are dropped.
pub const MIN_FUZZY_SIMILARITY: f64 = 0.6;

/// Weight of the similarity of sorted syllables (swapped-syllable typos).
const REORDERED_WEIGHT: f64 = 0.95;

/// How a hit matched the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// Identical text.
    Exact,
    /// Identical after normalisation (case, tone placement, dashes, quotes).
    Normalized,
    /// Identical once diacritics are removed.
    DiacriticInsensitive,
    /// Close by edit distance.
    Fuzzy,
    /// The query is part of the term.
    Partial,
}

impl MatchKind {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Normalized => "normalized",
            MatchKind::DiacriticInsensitive => "diacritic_insensitive",
            MatchKind::Fuzzy => "fuzzy",
            MatchKind::Partial => "partial",
        }
    }
}

/// A lookup request.
#[derive(Clone, Debug)]
pub struct LookupQuery {
    /// What the user typed.
    pub text: String,
    /// Language of the query (matches terms under this range).
    pub src: Lang,
    /// Language of the equivalents to return; all other languages if `None`.
    pub tgt: Option<Lang>,
    /// Most hits to return, 1..=[`MAX_LIMIT`].
    pub limit: usize,
    /// Only concepts of these collections.
    pub collections: CollectionSelection,
}

/// One ranked hit: the best-matching term of one concept.
#[derive(Clone, Debug, PartialEq)]
pub struct LookupHit {
    /// The concept.
    pub concept: ConceptId,
    /// Subject field of the concept.
    pub subject_field: Option<String>,
    /// The source-language term that matched.
    pub term: Term,
    /// How it matched.
    pub kind: MatchKind,
    /// Score in `[0, 1]`.
    pub score: f64,
    /// The concept's terms in the target language(s), preferred first.
    pub targets: Vec<Term>,
}

/// The query in the forms scoring needs, computed once.
#[derive(Clone, Debug)]
pub struct QueryKeys {
    /// [`text::clean`]ed query.
    pub clean: String,
    /// [`text::normalized_key`].
    pub norm: String,
    /// [`text::folded_key`].
    pub fold: String,
    /// Whether the user typed any diacritic.
    pub has_marks: bool,
    /// The syllables of `fold` in sorted order, joined by spaces.
    pub sorted: String,
}

impl QueryKeys {
    /// Computes the keys of a query.
    pub fn new(q: &str) -> QueryKeys {
        let clean = text::clean(q);
        let norm = text::normalized_key(&clean);
        let fold = text::strip_diacritics(&norm);
        let has_marks = text::has_diacritics(&clean);
        let sorted = sorted_syllables(&fold);
        QueryKeys { clean, norm, fold, has_marks, sorted }
    }
}

/// Scores one term against the query; `None` if it is not a hit at all.
pub fn score(q: &QueryKeys, t: &IndexedTerm) -> Option<(MatchKind, f64)> {
    if t.text == q.clean {
        return Some((MatchKind::Exact, 1.0));
    }
    if t.norm == q.norm {
        return Some((MatchKind::Normalized, 0.97));
    }
    if t.fold == q.fold {
        let s = if q.has_marks { 0.80 + 0.10 * distance::normalized_levenshtein(&q.norm, &t.norm) } else { 0.90 };
        return Some((MatchKind::DiacriticInsensitive, s.min(0.94)));
    }
    let direct = distance::normalized_damerau_levenshtein(&q.fold, &t.fold);
    // The reordered similarity is at most 0.95, and for two single
    // syllables it cannot beat the direct one (Levenshtein ≥ Damerau): skip
    // it when it cannot change the maximum.
    let single = !q.fold.contains(' ') && !t.fold.contains(' ');
    let sim = if direct >= REORDERED_WEIGHT || single {
        direct
    } else {
        direct.max(REORDERED_WEIGHT * distance::normalized_levenshtein(&q.sorted, &sorted_syllables(&t.fold)))
    };
    if sim >= MIN_FUZZY_SIMILARITY {
        let marks = if q.has_marks { 0.02 * distance::normalized_levenshtein(&q.norm, &t.norm) } else { 0.0 };
        return Some((MatchKind::Fuzzy, (0.78 * sim + marks).min(0.79)));
    }
    if contains_at_boundary(&t.fold, &q.fold, true) {
        let covered = q.fold.chars().count() as f64 / t.fold.chars().count().max(1) as f64;
        return Some((MatchKind::Partial, 0.30 + 0.15 * covered.min(1.0)));
    }
    None
}

/// One ranked term, before the store is read.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedTerm {
    /// The concept.
    pub concept: ConceptId,
    /// How it matched.
    pub kind: MatchKind,
    /// Score in `[0, 1]` (not rounded).
    pub score: f64,
    /// Position of the matching term in the concept.
    pub term: u32,
}

/// Candidates from trigram similarity (and partial matches) scored per
/// lookup, on top of the exact neighbourhoods the index always returns.
pub const FUZZY_CANDIDATES: usize = 64;

/// Finds, scores and ranks the terms of `index` in languages under `src`
/// and in the collections `keep` lets through, for a query: the best term of each concept, best first (score, then
/// status, then shorter text, then concept id). Returns every concept that
/// scored, so a caller can skip concepts that vanished from the store and
/// still fill `limit`.
///
/// Stage 1 takes the terms sharing the query's folded key; stage 2, only
/// when stage 1 found fewer than `limit` concepts, the index's fuzzy
/// candidates, then (if still short) terms containing the query.
pub fn rank(
    index: &dyn CandidateIndex,
    q: &QueryKeys,
    src: &Lang,
    limit: usize,
    keep: &CollectionFilter,
) -> Vec<RankedTerm> {
    fn offer(q: &QueryKeys, t: IndexedTerm, best: &mut HashMap<ConceptId, (MatchKind, f64, IndexedTerm)>) {
        if let Some((kind, score)) = score(q, &t) {
            match best.get_mut(&t.concept) {
                Some(slot) => {
                    if score > slot.1 {
                        *slot = (kind, score, t);
                    }
                }
                None => {
                    best.insert(t.concept.clone(), (kind, score, t));
                }
            }
        }
    }
    let mut best: HashMap<ConceptId, (MatchKind, f64, IndexedTerm)> = HashMap::new();
    for t in index.same_fold(&q.fold, Some(src)).into_iter().filter(|t| keep.allows(t.collection)) {
        offer(q, t, &mut best);
    }
    if best.len() < limit {
        for t in index.fuzzy_candidates_in(&q.fold, src, FUZZY_CANDIDATES, keep) {
            offer(q, t, &mut best);
        }
        if best.len() < limit {
            for t in index.containing(&q.fold, Some(src), FUZZY_CANDIDATES, keep) {
                offer(q, t, &mut best);
            }
        }
    }
    let mut ranked: Vec<(ConceptId, (MatchKind, f64, IndexedTerm))> = best.into_iter().collect();
    ranked.sort_by(|(ia, a), (ib, b)| {
        b.1.total_cmp(&a.1)
            .then(a.2.status.rank().cmp(&b.2.status.rank()))
            .then(a.2.text.chars().count().cmp(&b.2.text.chars().count()))
            .then(ia.cmp(ib))
    });
    ranked.into_iter().map(|(id, (kind, score, t))| RankedTerm { concept: id, kind, score, term: t.term }).collect()
}

fn sorted_syllables(s: &str) -> String {
    let mut v: Vec<&str> = s.split(' ').collect();
    v.sort_unstable();
    v.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TermStatus;

    fn term(text: &str) -> IndexedTerm {
        let norm = text::normalized_key(text);
        IndexedTerm {
            concept: ConceptId::new("c1").unwrap(),
            term: 0,
            lang: Lang::new("vi").unwrap(),
            text: text::clean(text),
            status: TermStatus::Preferred,
            fold: text::strip_diacritics(&norm),
            norm,
            collection: 0,
        }
    }

    fn check(query: &str, term_text: &str, kind: Option<MatchKind>) -> f64 {
        let got = score(&QueryKeys::new(query), &term(term_text));
        assert_eq!(got.map(|g| g.0), kind, "{query:?} vs {term_text:?}: {got:?}");
        let s = got.map_or(0.0, |g| g.1);
        assert!((0.0..=1.0).contains(&s));
        s
    }

    #[test]
    fn kinds() {
        use MatchKind::*;
        let cases: &[(&str, &str, Option<MatchKind>)] = &[
            ("hữu nghị vĩ đại", "hữu nghị vĩ đại", Some(Exact)),
            ("hữu  nghị\u{a0}vĩ đại", "hữu nghị vĩ đại", Some(Exact)),
            ("Hữu nghị vĩ đại", "hữu nghị vĩ đại", Some(Normalized)),
            ("hoà bình", "hòa bình", Some(Normalized)),
            ("Uỷ ban", "Ủy ban", Some(Normalized)),
            ("Việt Nam – Lào", "Việt Nam - Lào", Some(Normalized)),
            ("huu nghi vi dai", "hữu nghị vĩ đại", Some(DiacriticInsensitive)),
            ("Viet Nam – Lao", "Việt Nam - Lào", Some(DiacriticInsensitive)),
            ("dương", "đường", Some(DiacriticInsensitive)),
            ("huu ngi vi dai", "hữu nghị vĩ đại", Some(Fuzzy)),
            ("nghi huu vi dai", "hữu nghị vĩ đại", Some(Fuzzy)),
            ("gan ket", "gắn kết chiến lược", Some(Partial)),
            ("chien luoc", "gắn kết chiến lược", Some(Partial)),
            ("ket chi", "gắn kết chiến lược", None),
            ("hợp tác", "đoàn kết đặc biệt", None),
        ];
        for (q, t, k) in cases {
            check(q, t, *k);
        }
    }

    #[test]
    fn matching_diacritics_rank_first() {
        let exact = check("đường", "đường", Some(MatchKind::Exact));
        let one = check("đường", "đương", Some(MatchKind::DiacriticInsensitive));
        let two = check("đường", "dương", Some(MatchKind::DiacriticInsensitive));
        assert!(exact > one && one > two, "{exact} {one} {two}");
        let bare = check("duong", "đường", Some(MatchKind::DiacriticInsensitive));
        assert!(bare < 0.97 && bare > 0.79);
    }

    #[test]
    fn bands_do_not_overlap() {
        let fuzzy = check("huu ngi vi dai", "hữu nghị vĩ đại", Some(MatchKind::Fuzzy));
        let folded = check("huu nghi vi dai", "hữu nghị vĩ đại", Some(MatchKind::DiacriticInsensitive));
        let partial = check("hữu nghị", "hữu nghị vĩ đại", Some(MatchKind::Partial));
        assert!(folded > fuzzy && fuzzy > partial, "{folded} {fuzzy} {partial}");
    }
}
