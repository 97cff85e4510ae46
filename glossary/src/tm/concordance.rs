//! Concordance: the stored units whose source (or target) contains a phrase
//! as whole words, with where it occurs on both sides.
//!
//! # What a hit is
//! The phrase and the searched side are cut with [`text::tokenize`];
//! punctuation is not part of the phrase. A unit is a hit when the phrase's
//! words occur as a run of consecutive tokens (no punctuation between them)
//! that
//! - matches with diacritics folded away ("hop tac" finds "hợp tác"; tone
//!   placement and case never matter), and
//! - starts and ends on word edges. For Vietnamese, words are the output of
//!   [`text::segment`] on the unit's text, so "tiếp" does not hit inside
//!   the word "tiếp tục", while the phrase "tiếp tục" or "hợp tác toàn
//!   diện" (two words) hits wherever those syllables form whole words. A
//!   phrase may therefore span several words, but never part of one. Other
//!   languages use the tokens themselves as words.
//!
//! # Order and pages
//! Hits whose matched run carries exactly the phrase's diacritics come
//! first (*exact* hits), then the others (*folded* hits); each group is in
//! unit id order. The cursor names the group and the last unit id
//! returned, so pages stay stable while units are added.
//!
//! # The index
//! [`ConcordanceIndex`] keeps, per side, a posting list (unit ids,
//! ascending) per folded word, and per unit the form ids of its tokens
//! (the exact form, from which the folded word follows). A query reads the
//! rarest word's list, skips units missing the second rarest word with a
//! merge pointer, and checks the run on the stored form ids in memory; only
//! units that pass are read from the store to check word edges and compute
//! character spans. Nothing is scanned.
//!
//! # The other side
//! Where the glossary knows the phrase (term recognition finds one term
//! covering the whole phrase), each hit also reports where that concept's
//! terms occur on the other side (`aligned`); without a glossary entry no
//! aligned span is given.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use super::{TmUnit, TranslationMemory};
use crate::collections::CollectionSelection;
use crate::error::{Error, Result};
use crate::indexes::ConceptIndexes;
use crate::model::{ConceptId, Lang};
use crate::text::{self, TokenKind};

/// Longest phrase, in characters.
pub const MAX_PHRASE_CHARS: usize = 200;
/// Most hits per page.
pub const MAX_CONCORDANCE_LIMIT: usize = 100;
/// Hits per page when the client does not say.
pub const DEFAULT_CONCORDANCE_LIMIT: usize = 20;

/// Which side of the units is searched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Side {
    /// The source segments.
    #[default]
    Source,
    /// The target segments.
    Target,
}

impl Side {
    fn index(self) -> usize {
        match self {
            Side::Source => 0,
            Side::Target => 1,
        }
    }
}

/// Where the next page starts: the group and the last unit id returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConcordanceCursor {
    /// Whether the page ended in the exact group.
    pub exact: bool,
    /// Last unit id returned.
    pub after: u64,
}

impl fmt::Display for ConcordanceCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", if self.exact { 'e' } else { 'f' }, self.after)
    }
}

impl FromStr for ConcordanceCursor {
    type Err = Error;

    /// `e<id>` or `f<id>`, as returned in `next_cursor`.
    fn from_str(s: &str) -> Result<ConcordanceCursor> {
        let bad = || Error::invalid("cursor", "must be a next_cursor value returned by a previous page (e.g. e42)");
        let exact = match s.as_bytes().first() {
            Some(b'e') => true,
            Some(b'f') => false,
            _ => return Err(bad()),
        };
        let after = s[1..].parse().map_err(|_| bad())?;
        Ok(ConcordanceCursor { exact, after })
    }
}

/// A concordance request.
#[derive(Clone, Debug)]
pub struct ConcordanceQuery {
    /// The phrase (one or more words).
    pub phrase: String,
    /// Source language of the units.
    pub src: Lang,
    /// Target language of the units.
    pub tgt: Lang,
    /// Which side contains the phrase.
    pub side: Side,
    /// Hits per page, 1–[`MAX_CONCORDANCE_LIMIT`].
    pub limit: usize,
    /// Where to continue.
    pub cursor: Option<ConcordanceCursor>,
    /// Only units of these collections (and, for the aligned spans, only
    /// concepts of these collections).
    pub collections: CollectionSelection,
}

impl ConcordanceQuery {
    /// Checks the phrase and the limit. A phrase of punctuation only is
    /// valid and matches nothing.
    pub fn validate(&self) -> Result<()> {
        let n = self.phrase.chars().count();
        if n > MAX_PHRASE_CHARS {
            return Err(Error::invalid("q", format!("is {n} characters long; the limit is {MAX_PHRASE_CHARS}")));
        }
        if text::clean(&self.phrase).is_empty() {
            return Err(Error::invalid("q", "must not be empty"));
        }
        if self.limit == 0 || self.limit > MAX_CONCORDANCE_LIMIT {
            return Err(Error::invalid("limit", format!("must be between 1 and {MAX_CONCORDANCE_LIMIT}")));
        }
        Ok(())
    }
}

/// Where a glossary equivalent of the phrase occurs on the other side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlignedSpan {
    /// Character offsets in the other side.
    pub chars: Range<usize>,
    /// The concept whose term occurs there.
    pub concept: ConceptId,
}

/// One unit containing the phrase.
#[derive(Clone, Debug, PartialEq)]
pub struct ConcordanceHit {
    /// The unit.
    pub unit: TmUnit,
    /// True when a matched run carries exactly the phrase's diacritics.
    pub exact: bool,
    /// Character offsets of every occurrence in the searched side.
    pub spans: Vec<Range<usize>>,
    /// Occurrences of the phrase's glossary equivalents in the other side.
    pub aligned: Vec<AlignedSpan>,
}

/// A page of hits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConcordancePage {
    /// Exact hits first, then folded ones; unit id order within each.
    pub hits: Vec<ConcordanceHit>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<ConcordanceCursor>,
}

/// A phrase cut into the index's terms.
#[derive(Clone, Debug)]
pub struct Phrase {
    /// Folded word id per token; `None` when the index has never seen it.
    words: Vec<Option<u32>>,
    /// Form id per token; `None` when the index has never seen the form.
    forms: Vec<Option<u32>>,
}

/// One unit as the index holds it.
#[derive(Clone, Debug)]
struct Indexed {
    pair: u16,
    /// Form ids of the non-punctuation tokens, per side.
    forms: [Box<[u32]>; 2],
}

/// The concordance index (see the module docs).
#[derive(Default)]
pub struct ConcordanceIndex {
    /// Exact form (lowercase, canonical tones) → form id.
    forms: HashMap<String, u32>,
    /// Form id → folded word id.
    form_word: Vec<u32>,
    /// Folded word → word id.
    words: HashMap<String, u32>,
    pairs: Vec<(Lang, Lang)>,
    units: HashMap<u64, Indexed>,
    /// Per side: word id → unit ids containing it, ascending.
    postings: [HashMap<u32, Vec<u64>>; 2],
}

/// The forms of a text's non-punctuation tokens: (exact form, folded word).
fn token_keys(s: &str) -> Vec<(String, String)> {
    text::tokenize(s)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .map(|t| {
            let form = text::normalized_key(t.text);
            let mut folded = String::with_capacity(form.len());
            text::push_folded(&form, &mut folded);
            (form, folded)
        })
        .collect()
}

impl ConcordanceIndex {
    /// An empty index.
    pub fn new() -> ConcordanceIndex {
        ConcordanceIndex::default()
    }

    /// Number of indexed units.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Adds or replaces a unit.
    pub fn upsert(&mut self, unit: &TmUnit) {
        self.remove(unit.id);
        let pair = match self.pairs.iter().position(|(s, t)| *s == unit.src_lang && *t == unit.tgt_lang) {
            Some(p) => p as u16,
            None => {
                self.pairs.push((unit.src_lang.clone(), unit.tgt_lang.clone()));
                (self.pairs.len() - 1) as u16
            }
        };
        let source = self.intern(&unit.source);
        let target = self.intern(&unit.target);
        for (side, forms) in [&source, &target].into_iter().enumerate() {
            let mut words: Vec<u32> = forms.iter().map(|&f| self.form_word[f as usize]).collect();
            words.sort_unstable();
            words.dedup();
            for w in words {
                let list = self.postings[side].entry(w).or_default();
                // Ids are mostly added in increasing order; a replaced unit
                // goes back to its place.
                match list.last() {
                    Some(&last) if last > unit.id => {
                        let at = list.partition_point(|&x| x < unit.id);
                        list.insert(at, unit.id);
                    }
                    _ => list.push(unit.id),
                }
            }
        }
        self.units.insert(unit.id, Indexed { pair, forms: [source, target] });
    }

    /// Removes a unit if present.
    pub fn remove(&mut self, id: u64) {
        let Some(old) = self.units.remove(&id) else { return };
        for (side, forms) in old.forms.iter().enumerate() {
            for &f in forms.iter() {
                let w = self.form_word[f as usize];
                if let Some(list) = self.postings[side].get_mut(&w) {
                    if let Ok(p) = list.binary_search(&id) {
                        list.remove(p);
                    }
                    if list.is_empty() {
                        self.postings[side].remove(&w);
                    }
                }
            }
        }
    }

    fn intern(&mut self, s: &str) -> Box<[u32]> {
        token_keys(s)
            .into_iter()
            .map(|(form, folded)| {
                if let Some(&f) = self.forms.get(&form) {
                    return f;
                }
                let n = self.words.len() as u32;
                let w = *self.words.entry(folded).or_insert(n);
                let f = self.form_word.len() as u32;
                self.form_word.push(w);
                self.forms.insert(form, f);
                f
            })
            .collect()
    }

    /// Cuts a phrase into the index's terms.
    pub fn phrase(&self, phrase: &str) -> Phrase {
        let (words, forms) = token_keys(phrase)
            .into_iter()
            .map(|(form, folded)| (self.words.get(&folded).copied(), self.forms.get(&form).copied()))
            .unzip();
        Phrase { words, forms }
    }

    /// Units (in the language pair under `query.src`/`query.tgt`) whose
    /// `query.side` holds the phrase's words as a folded run, with ids
    /// above `after`, in id order; `exact_only` keeps those where some run
    /// also matches the exact forms. `visit` returns false to stop.
    pub fn runs(
        &self,
        phrase: &Phrase,
        query: &ConcordanceQuery,
        exact_only: bool,
        after: Option<u64>,
        mut visit: impl FnMut(u64) -> Result<bool>,
    ) -> Result<()> {
        let (src, tgt, side) = (&query.src, &query.tgt, query.side);
        let Some(words) = phrase.words.iter().copied().collect::<Option<Vec<u32>>>() else {
            return Ok(());
        };
        if words.is_empty() || (exact_only && phrase.forms.iter().any(Option::is_none)) {
            return Ok(());
        }
        let postings = &self.postings[side.index()];
        let mut lists: Vec<&[u64]> = Vec::with_capacity(words.len());
        for w in &words {
            match postings.get(w) {
                Some(l) => lists.push(l),
                None => return Ok(()),
            }
        }
        lists.sort_by_key(|l| l.len());
        let pairs: Vec<bool> = self.pairs.iter().map(|(s, g)| s.matches(src) && g.matches(tgt)).collect();
        let rarest = lists[0];
        let start = after.map_or(0, |a| rarest.partition_point(|&x| x <= a));
        let second = lists.get(1).copied().unwrap_or(&[]);
        let mut j = 0;
        let forms: Vec<u32> = phrase.forms.iter().map(|f| f.unwrap_or(u32::MAX)).collect();
        for &id in &rarest[start..] {
            if lists.len() > 1 {
                j += second[j..].partition_point(|&x| x < id);
                if second.get(j) != Some(&id) {
                    continue;
                }
            }
            let Some(unit) = self.units.get(&id) else { continue };
            if !pairs[unit.pair as usize] {
                continue;
            }
            let stored = &unit.forms[side.index()];
            let hit = stored.windows(words.len()).any(|w| {
                if exact_only {
                    w == forms.as_slice()
                } else {
                    w.iter().zip(&words).all(|(&f, &word)| self.form_word[f as usize] == word)
                }
            });
            if hit && !visit(id)? {
                break;
            }
        }
        Ok(())
    }
}

/// The occurrences of `phrase` in `s` that are runs of consecutive tokens on
/// word edges, as (character span, exact diacritics).
pub fn occurrences(phrase: &str, s: &str, lang: &Lang) -> Vec<(Range<usize>, bool)> {
    let want = token_keys(phrase);
    if want.is_empty() {
        return Vec::new();
    }
    let tokens = text::tokenize(s);
    let (mut starts, mut ends) = (vec![true; tokens.len()], vec![true; tokens.len()]);
    if lang.primary() == "vi" {
        starts.fill(false);
        ends.fill(false);
        for w in text::segment(s, &tokens) {
            starts[w.tokens.start] = true;
            ends[w.tokens.end - 1] = true;
        }
    }
    let keys: Vec<Option<(String, String)>> = tokens
        .iter()
        .map(|t| {
            (t.kind != TokenKind::Punct).then(|| {
                let form = text::normalized_key(t.text);
                let mut folded = String::new();
                text::push_folded(&form, &mut folded);
                (form, folded)
            })
        })
        .collect();
    let mut out = Vec::new();
    let k = want.len();
    for i in 0..tokens.len().saturating_sub(k - 1) {
        let run = &keys[i..i + k];
        if !starts[i] || !ends[i + k - 1] {
            continue;
        }
        let folded = run.iter().zip(&want).all(|(t, w)| t.as_ref().is_some_and(|t| t.1 == w.1));
        if !folded {
            continue;
        }
        let exact = run.iter().zip(&want).all(|(t, w)| t.as_ref().is_some_and(|t| t.0 == w.0));
        let from = s[..tokens[i].start].chars().count();
        let to = from + s[tokens[i].start..tokens[i + k - 1].end].chars().count();
        out.push((from..to, exact));
    }
    out
}

/// One page of hits for `query`, reading units through `fetch` (the store,
/// or anything holding the indexed units); `aligned` is left empty.
pub fn search(
    index: &ConcordanceIndex,
    query: &ConcordanceQuery,
    mut fetch: impl FnMut(u64) -> Result<Option<TmUnit>>,
) -> Result<ConcordancePage> {
    query.validate()?;
    let side_lang = match query.side {
        Side::Source => &query.src,
        Side::Target => &query.tgt,
    };
    let mut page = ConcordancePage::default();
    let phrase = index.phrase(&query.phrase);
    let groups: &[bool] = match query.cursor {
        Some(ConcordanceCursor { exact: false, .. }) => &[false],
        _ => &[true, false],
    };
    for &exact_group in groups {
        let after = query.cursor.filter(|c| c.exact == exact_group).map(|c| c.after);
        let mut full = false;
        index.runs(&phrase, query, exact_group, after, |id| {
            let Some(unit) = fetch(id)? else { return Ok(true) };
            if !query.collections.contains(&unit.collection) {
                return Ok(true);
            }
            let text = match query.side {
                Side::Source => &unit.source,
                Side::Target => &unit.target,
            };
            let found = occurrences(&query.phrase, text, side_lang);
            let exact = found.iter().any(|o| o.1);
            if found.is_empty() || exact != exact_group {
                return Ok(true);
            }
            if page.hits.len() == query.limit {
                full = true;
                return Ok(false);
            }
            page.hits.push(ConcordanceHit {
                unit,
                exact,
                spans: found.into_iter().map(|o| o.0).collect(),
                aligned: Vec::new(),
            });
            Ok(true)
        })?;
        if full {
            let last = page.hits.last().expect("a full page has hits");
            page.next_cursor = Some(ConcordanceCursor { exact: last.exact, after: last.unit.id });
            break;
        }
    }
    Ok(page)
}

/// Units of `tm` containing a phrase as whole words (see the module docs),
/// with the aligned spans of the concepts `indexes` recognises in it.
pub(crate) fn concordance(
    tm: &TranslationMemory,
    indexes: &ConceptIndexes,
    query: &ConcordanceQuery,
) -> Result<ConcordancePage> {
    query.validate()?;
    let mut page = {
        let index = tm.read_index();
        // Units of other collections are skipped on their in-memory
        // collection id, before any store read.
        let keep = query.collections.filter();
        search(index.concordance(), query, |id| match index.collection_of(id) {
            Some(c) if !keep.allows(c) => Ok(None),
            _ => tm.get(id),
        })?
    };
    let (side_lang, other_lang) = match query.side {
        Side::Source => (&query.src, &query.tgt),
        Side::Target => (&query.tgt, &query.src),
    };
    // The concepts whose terms cover the whole phrase give the aligned spans.
    let phrase_tokens = text::tokenize(&query.phrase).iter().filter(|t| t.kind != TokenKind::Punct).count();
    let concepts: Vec<ConceptId> = indexes
        .find_terms(&query.phrase, side_lang)
        .into_iter()
        .filter(|o| o.tokens.len() >= phrase_tokens)
        .flat_map(|o| o.terms.into_iter().map(|t| t.0))
        .collect();
    let concepts = if query.collections.is_all() {
        concepts
    } else {
        let keep = query.collections.filter();
        let of = indexes.collections.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        concepts.into_iter().filter(|id| of.of(id).is_some_and(|c| keep.allows(c))).collect()
    };
    if concepts.is_empty() {
        return Ok(page);
    }
    for hit in &mut page.hits {
        let other = match query.side {
            Side::Source => &hit.unit.target,
            Side::Target => &hit.unit.source,
        };
        hit.aligned = indexes
            .find_terms(other, other_lang)
            .into_iter()
            .flat_map(|o| {
                let chars = o.chars.clone();
                o.terms
                    .into_iter()
                    .filter(|t| concepts.contains(&t.0))
                    .map(move |t| AlignedSpan { chars: chars.clone(), concept: t.0 })
            })
            .collect();
    }
    Ok(page)
}

#[cfg(test)]
#[path = "concordance_tests.rs"]
mod tests;
