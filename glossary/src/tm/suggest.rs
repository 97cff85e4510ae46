//! Aligned suggestions: TM matches, the glossary terms in the sentence, and
//! targets adapted where the match differs only in placeables.
//!
//! A match is *adapted* when every difference between its source and the
//! query is one of:
//! - a number, percentage, amount or date (replaced in the target in the
//!   target's notation, see [`super::placeables`]);
//! - a glossary term replaced by another glossary term, where the target
//!   contains an equivalent of the old term (replaced by the preferred
//!   equivalent of the new one);
//! - diacritics or letter case only (nothing to change in the target).
//!
//! Adaptation is all or nothing: every changed placeable and term is
//! substituted, or the target is left as stored, `adapted` is absent and
//! [`SuggestedMatch::not_adapted`] says why. A target that still carries
//! a number the query changed is never offered.

use std::collections::HashMap;
use std::ops::Range;

use super::matching::{DiffKind, DiffSpan};
use super::placeables::{self, Replacement};
use super::{TmMatch, TmQuery};
use crate::collections::CollectionSelection;
use crate::error::Result;
use crate::indexes::ConceptIndexes;
use crate::model::{Concept, ConceptId, Lang, Term};
use crate::recognize::{Occurrence, RecognitionKind};
use crate::store::Store;

/// A glossary term found in a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct RecognizedTerm {
    /// Character offsets in the sentence.
    pub chars: Range<usize>,
    /// The sentence's text there.
    pub text: String,
    /// How it matched.
    pub kind: RecognitionKind,
    /// The concepts whose term this is (usually one).
    pub concepts: Vec<RecognizedConcept>,
}

/// One concept a recognised span belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct RecognizedConcept {
    /// Concept id.
    pub concept: ConceptId,
    /// Subject field.
    pub subject_field: Option<String>,
    /// The source-language term that matched.
    pub term: Term,
    /// Target-language terms, preferred first.
    pub targets: Vec<Term>,
    /// Set when the matched term is deprecated or superseded.
    pub warning: Option<String>,
}

/// What was substituted in an adapted target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Substitution {
    /// `number` or `term`.
    pub kind: SubstitutionKind,
    /// The placeable in the stored source.
    pub source: String,
    /// The placeable in the query.
    pub query: String,
    /// What the target had.
    pub target_from: String,
    /// What the target has now.
    pub target_to: String,
}

/// Kinds of placeable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubstitutionKind {
    /// Number, percentage, amount or date.
    Number,
    /// Glossary term.
    Term,
}

impl SubstitutionKind {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubstitutionKind::Number => "number",
            SubstitutionKind::Term => "term",
        }
    }
}

/// A target rewritten for the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adaptation {
    /// The adapted target.
    pub target: String,
    /// What was replaced.
    pub substitutions: Vec<Substitution>,
}

/// Why a match's target was not adapted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotAdaptedReason {
    /// Source and query differ only where the target needs no change
    /// (identical, case, diacritics, or placeables written differently with
    /// the same value).
    NoChangeNeeded,
    /// A difference that is neither a placeable nor a glossary term.
    WordingDiffers,
    /// A glossary term differs, but the target has no equivalent of the old
    /// term or the new term has no usable equivalent.
    TermNotReplaceable,
    /// The query has more, fewer or other kinds of placeables than the source.
    PlaceablesDiffer,
    /// A changed placeable is not in the target in any form recognised.
    PlaceableNotFound,
    /// A changed placeable cannot be located unambiguously in the target.
    AmbiguousPlaceable,
    /// Two substitutions would overlap in the target.
    OverlappingSubstitutions,
}

impl NotAdaptedReason {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            NotAdaptedReason::NoChangeNeeded => "no_change_needed",
            NotAdaptedReason::WordingDiffers => "wording_differs",
            NotAdaptedReason::TermNotReplaceable => "term_not_replaceable",
            NotAdaptedReason::PlaceablesDiffer => "placeables_differ",
            NotAdaptedReason::PlaceableNotFound => "placeable_not_found",
            NotAdaptedReason::AmbiguousPlaceable => "ambiguous_placeable",
            NotAdaptedReason::OverlappingSubstitutions => "overlapping_substitutions",
        }
    }
}

/// Why no adapted target is offered, for the translator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotAdapted {
    /// The kind of reason.
    pub reason: NotAdaptedReason,
    /// A sentence naming what blocked the adaptation.
    pub detail: String,
}

impl NotAdapted {
    /// A reason with its explanation.
    pub fn new(reason: NotAdaptedReason, detail: impl Into<String>) -> NotAdapted {
        NotAdapted { reason, detail: detail.into() }
    }
}

/// One suggested match.
#[derive(Clone, Debug, PartialEq)]
pub struct SuggestedMatch {
    /// The TM match with score, penalties and diff.
    pub tm: TmMatch,
    /// The target adapted to the query, when only placeables differ and
    /// every one of them could be substituted.
    pub adapted: Option<Adaptation>,
    /// Why `adapted` is absent (always set when it is).
    pub not_adapted: Option<NotAdapted>,
    /// Deprecated or superseded glossary terms used in the stored target.
    pub warnings: Vec<String>,
}

/// Everything suggested for one sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The sentence.
    pub text: String,
    /// TM matches, best first.
    pub matches: Vec<SuggestedMatch>,
    /// Glossary terms in the sentence, in order.
    pub terms: Vec<RecognizedTerm>,
    /// Deprecated or superseded terms used in the sentence.
    pub warnings: Vec<String>,
}

/// What suggestions and recognition read: the translation memory, the
/// term table and the stored concepts (lent by [`crate::Glossary`]).
pub(crate) struct Suggester<'a> {
    /// The translation memory.
    pub(crate) tm: &'a super::TranslationMemory,
    /// The concept indexes, for their recognition table.
    pub(crate) terms: &'a ConceptIndexes,
    /// The concepts.
    pub(crate) store: &'a Store,
}

impl Suggester<'_> {
    fn find_terms(&self, sentence: &str, src: &Lang) -> Vec<Occurrence> {
        self.terms.find_terms(sentence, src)
    }

    fn concept(&self, id: &ConceptId) -> Result<Concept> {
        self.store
            .get(id)?
            .ok_or_else(|| crate::Error::NotFound { kind: crate::RecordKind::Concept, id: id.to_string() })
    }

    /// The glossary terms occurring in a sentence, with their equivalents in `tgt`.
    pub(crate) fn recognize(
        &self,
        sentence: &str,
        src: &Lang,
        tgt: &Lang,
        collections: &CollectionSelection,
    ) -> Result<Vec<RecognizedTerm>> {
        let mut concepts = ConceptCache::default();
        let found = self.select(self.find_terms(sentence, src), collections, &mut concepts)?;
        self.describe(&found, sentence, tgt, &mut concepts)
    }

    /// Suggestions for one sentence.
    pub(crate) fn suggest(&self, query: &TmQuery) -> Result<Suggestion> {
        let matches = self.tm.matches(query)?;
        let mut concepts = ConceptCache::default();
        // Tokenised once for every match's adaptation.
        let q = super::matching::Segment::new(&query.text);
        let sel = &query.collections;
        let query_occ = self.select(self.find_terms(&query.text, &query.src), sel, &mut concepts)?;
        let terms = self.describe(&query_occ, &query.text, &query.tgt, &mut concepts)?;
        let warnings = terms.iter().flat_map(|t| t.concepts.iter().filter_map(|c| c.warning.clone())).collect();
        let mut out = Vec::with_capacity(matches.len());
        for m in matches {
            let source_occ = self.select(self.find_terms(&m.unit.source, &query.src), sel, &mut concepts)?;
            let target_occ = self.select(self.find_terms(&m.unit.target, &query.tgt), sel, &mut concepts)?;
            let mut warnings = Vec::new();
            for o in &target_occ {
                for (id, n, status) in &o.terms {
                    if status.is_discouraged() {
                        let c = concepts.get(self, id)?;
                        let used = &m.unit.target[o.bytes.clone()];
                        warnings.push(discouraged_warning(c, *n as usize, used, &query.tgt));
                    }
                }
            }
            let (adapted, not_adapted) = match self.adapt(
                &m,
                &query.text,
                &q,
                &query_occ,
                &source_occ,
                &target_occ,
                &query.tgt,
                &mut concepts,
            )? {
                Ok(a) => (Some(a), None),
                Err(why) => (None, Some(why)),
            };
            out.push(SuggestedMatch { tm: m, adapted, not_adapted, warnings });
        }
        Ok(Suggestion { text: query.text.clone(), matches: out, terms, warnings })
    }

    /// The occurrences reduced to the concepts of the selected collections.
    fn select(
        &self,
        mut occurrences: Vec<Occurrence>,
        sel: &CollectionSelection,
        concepts: &mut ConceptCache,
    ) -> Result<Vec<Occurrence>> {
        if sel.is_all() {
            return Ok(occurrences);
        }
        for o in &mut occurrences {
            let mut kept = Vec::with_capacity(o.terms.len());
            for t in std::mem::take(&mut o.terms) {
                if sel.contains(&concepts.get(self, &t.0)?.collection) {
                    kept.push(t);
                }
            }
            o.terms = kept;
        }
        occurrences.retain(|o| !o.terms.is_empty());
        Ok(occurrences)
    }

    fn describe(
        &self,
        occurrences: &[Occurrence],
        sentence: &str,
        tgt: &Lang,
        concepts: &mut ConceptCache,
    ) -> Result<Vec<RecognizedTerm>> {
        let mut out = Vec::with_capacity(occurrences.len());
        for o in occurrences {
            let mut described = Vec::new();
            for (id, n, status) in &o.terms {
                let c = concepts.get(self, id)?;
                let Some(term) = c.terms.get(*n as usize) else { continue };
                let warning = status
                    .is_discouraged()
                    .then(|| discouraged_warning(c, *n as usize, &sentence[o.bytes.clone()], &term.lang));
                described.push(RecognizedConcept {
                    concept: id.clone(),
                    subject_field: c.subject_field.clone(),
                    term: term.clone(),
                    targets: c.terms_in(tgt).into_iter().cloned().collect(),
                    warning,
                });
            }
            if !described.is_empty() {
                out.push(RecognizedTerm {
                    chars: o.chars.clone(),
                    text: sentence[o.bytes.clone()].to_string(),
                    kind: o.kind,
                    concepts: described,
                });
            }
        }
        Ok(out)
    }

    /// The adapted target, or why there is none (see the module docs).
    #[allow(clippy::too_many_arguments)]
    fn adapt(
        &self,
        m: &TmMatch,
        query: &str,
        q: &super::matching::Segment,
        query_occ: &[Occurrence],
        source_occ: &[Occurrence],
        target_occ: &[Occurrence],
        tgt: &Lang,
        concepts: &mut ConceptCache,
    ) -> Result<std::result::Result<Adaptation, NotAdapted>> {
        let s = super::matching::Segment::new(&m.unit.source);
        let target = &m.unit.target;
        let (source_places, query_places) = (placeables::find_vi(&s.words), placeables::find_vi(&q.words));
        let mut reps: Vec<Replacement> = Vec::new();
        let mut subs = Vec::new();
        // A term replacement can cover several word-level spans: remember the
        // (query, source) term occurrences already handled.
        let mut handled: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        let mut spans: Vec<&DiffSpan> = m.comparison.diff.iter().collect();
        spans.sort_by_key(|d| d.source_words.start);
        for d in spans {
            if matches!(d.kind, DiffKind::Diacritics | DiffKind::Case)
                || (placeables::covers(&source_places, &d.source_words)
                    && placeables::covers(&query_places, &d.query_words))
            {
                // Placeables are substituted together below.
                continue;
            }
            let (qc, sc) = (char_span(q, &d.query_words), char_span(&s, &d.source_words));
            let inside = |o: &Range<usize>, c: &Range<usize>| o.start <= c.start && c.end <= o.end;
            if handled.iter().any(|(hq, hs)| inside(hq, &qc) && inside(hs, &sc)) {
                continue;
            }
            // The difference must sit inside a term on both sides.
            let (Some(qo), Some(so)) =
                (query_occ.iter().find(|o| inside(&o.chars, &qc)), source_occ.iter().find(|o| inside(&o.chars, &sc)))
            else {
                let words = |seg: &super::matching::Segment, r: &Range<usize>| {
                    seg.words[r.clone()].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
                };
                let detail = match (words(&s, &d.source_words), words(q, &d.query_words)) {
                    (from, to) if from.is_empty() => format!("the query adds \"{to}\""),
                    (from, to) if to.is_empty() => format!("the query leaves out \"{from}\""),
                    (from, to) => format!("the query has \"{to}\" where the source has \"{from}\""),
                };
                return Ok(Err(NotAdapted::new(NotAdaptedReason::WordingDiffers, detail)));
            };
            let Some(r) = self.replace_term(so, qo, target, target_occ, tgt, concepts)? else {
                let from: String = m.unit.source.chars().skip(so.chars.start).take(so.chars.len()).collect();
                return Ok(Err(NotAdapted::new(
                    NotAdaptedReason::TermNotReplaceable,
                    format!("the target has no equivalent of the glossary term \"{from}\" to replace, or the new term has none"),
                )));
            };
            handled.push((qo.chars.clone(), so.chars.clone()));
            subs.push(Substitution {
                kind: SubstitutionKind::Term,
                source: m.unit.source.chars().skip(so.chars.start).take(so.chars.len()).collect(),
                query: query.chars().skip(qo.chars.start).take(qo.chars.len()).collect(),
                target_from: r.from.clone(),
                target_to: r.with.clone(),
            });
            reps.push(r);
        }
        let changes = match placeables::substitute(&source_places, &query_places, target) {
            Ok(changes) => changes,
            Err(why) => return Ok(Err(why)),
        };
        for c in changes {
            subs.push(Substitution {
                kind: SubstitutionKind::Number,
                source: words_text(&m.unit.source, &s, &source_places[c.source].words),
                query: words_text(query, q, &query_places[c.query].words),
                target_from: c.replacement.from.clone(),
                target_to: c.replacement.with.clone(),
            });
            reps.push(c.replacement);
        }
        if reps.is_empty() {
            return Ok(Err(NotAdapted::new(
                NotAdaptedReason::NoChangeNeeded,
                "the differences need no change in the target",
            )));
        }
        Ok(match placeables::apply(target, reps) {
            Some(target) => Ok(Adaptation { target, substitutions: subs }),
            None => Err(NotAdapted::new(
                NotAdaptedReason::OverlappingSubstitutions,
                "two substitutions would overlap in the target",
            )),
        })
    }

    /// Replacement in the target of the source term's equivalent by the
    /// query term's preferred equivalent.
    fn replace_term(
        &self,
        source: &Occurrence,
        query: &Occurrence,
        target: &str,
        target_occ: &[Occurrence],
        tgt: &Lang,
        concepts: &mut ConceptCache,
    ) -> Result<Option<Replacement>> {
        let source_ids: Vec<&ConceptId> = source.terms.iter().map(|t| &t.0).collect();
        let Some(found) = target_occ.iter().find(|o| o.terms.iter().any(|t| source_ids.contains(&&t.0))) else {
            return Ok(None);
        };
        let Some((qid, _, _)) = query.terms.first() else { return Ok(None) };
        let qc = concepts.get(self, qid)?;
        let Some(preferred) = qc.terms_in(tgt).into_iter().find(|t| !t.status.is_discouraged()) else {
            return Ok(None);
        };
        Ok(Some(Replacement {
            range: found.bytes.clone(),
            from: target[found.bytes.clone()].to_string(),
            with: preferred.text.clone(),
        }))
    }
}

fn discouraged_warning(c: &Concept, n: usize, used: &str, lang: &Lang) -> String {
    let status = c.terms.get(n).map_or("deprecated", |t| match t.status {
        crate::model::TermStatus::Superseded => "superseded",
        _ => "deprecated",
    });
    match c.terms_in(lang).into_iter().find(|t| t.status == crate::model::TermStatus::Preferred) {
        Some(p) => format!("\"{used}\" is a {status} term (concept {}); use \"{}\"", c.id, p.text),
        None => format!("\"{used}\" is a {status} term (concept {})", c.id),
    }
}

/// The text of the words `r` of `seg`, taken from its string `s`.
fn words_text(s: &str, seg: &super::matching::Segment, r: &Range<usize>) -> String {
    let chars = char_span(seg, r);
    s.chars().skip(chars.start).take(chars.len()).collect()
}

fn char_span(seg: &super::matching::Segment, words: &Range<usize>) -> Range<usize> {
    if words.is_empty() {
        let at = if words.start == 0 { 0 } else { seg.words[words.start - 1].chars.end };
        return at..at;
    }
    seg.words[words.start].chars.start..seg.words[words.end - 1].chars.end
}

/// Concepts fetched during one request.
#[derive(Default)]
struct ConceptCache(HashMap<ConceptId, Concept>);

impl ConceptCache {
    fn get(&mut self, g: &Suggester<'_>, id: &ConceptId) -> Result<&Concept> {
        if !self.0.contains_key(id) {
            let c = g.concept(id)?;
            self.0.insert(id.clone(), c);
        }
        Ok(&self.0[id])
    }
}
