//! Translation memory: stored segment pairs and fuzzy matching against them.
//!
//! A [`TmUnit`] is one source sentence with its translation and where it
//! came from. Lookups compare a query sentence with every stored source that
//! can reach the threshold (see [`index`] for why none is missed) and score
//! them CAT-style (see [`matching`]).

pub mod concordance;
pub mod index;
pub mod matching;
pub mod placeables;
pub mod suggest;

use serde::{Deserialize, Serialize};

use crate::collections::{CollectionSelection, MAX_COLLECTION_PENALTY};
use crate::error::{Error, RecordKind, Result};
use crate::model::{Collection, Lang, Timestamp, MAX_FIELD_CHARS};
use crate::store::tm::TmStore;
use crate::store::Store;
use crate::text;
use matching::{compare, Comparison, Segment};
use std::sync::RwLock;

/// Longest TM segment (source or target), in characters.
pub const MAX_SEGMENT_CHARS: usize = 4_000;
/// Most matches one TM query returns.
pub const MAX_MATCHES: usize = 50;
/// Longest query sentence, in characters.
pub const MAX_QUERY_CHARS: usize = 2_000;
/// Lowest threshold accepted, in percent: below it almost everything matches.
pub const MIN_THRESHOLD: f64 = 30.0;
/// Match threshold (percent) when the caller gives none.
pub const DEFAULT_THRESHOLD: f64 = 70.0;
/// Matches returned when the caller gives no limit.
pub const DEFAULT_MATCHES: usize = 5;

/// Where a unit comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Document identifier (file name, ticket, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Document title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where the document was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date or any date the user gives (free text, e.g. `2026-02-06`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Provenance {
    /// True if no field is set.
    pub fn is_empty(&self) -> bool {
        self.document.is_none() && self.title.is_none() && self.url.is_none() && self.date.is_none()
    }
}

/// A stored translation unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TmUnit {
    /// Identifier.
    pub id: u64,
    /// Source language.
    pub src_lang: Lang,
    /// Target language.
    pub tgt_lang: Lang,
    /// Source segment (cleaned: NFC, single spaces).
    pub source: String,
    /// Target segment (cleaned).
    pub target: String,
    /// Where it comes from.
    #[serde(default)]
    pub provenance: Provenance,
    /// Free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// The collection the unit belongs to (absent in the stored record
    /// means `default`).
    #[serde(default, skip_serializing_if = "Collection::is_default")]
    pub collection: Collection,
    /// How many times this pair was added (imports, API, alignment).
    pub usage_count: u64,
    /// Creation time.
    pub created: Timestamp,
    /// Last change.
    pub updated: Timestamp,
}

/// What a client supplies to add or replace a unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TmUnitDraft {
    /// Source language.
    pub src_lang: Lang,
    /// Target language.
    pub tgt_lang: Lang,
    /// Source segment.
    pub source: String,
    /// Target segment.
    pub target: String,
    /// Where it comes from.
    pub provenance: Provenance,
    /// Free note.
    pub note: Option<String>,
    /// Who created it.
    pub created_by: Option<String>,
    /// The collection: on add, `None` means `default`; on replace, `None`
    /// keeps the unit's collection.
    pub collection: Option<Collection>,
}

impl TmUnitDraft {
    /// Cleans the texts and checks lengths; `index` names the unit in errors
    /// of a batch.
    pub fn validate(mut self, index: Option<usize>) -> Result<TmUnitDraft> {
        let at = |f: &str| match index {
            Some(i) => format!("units[{i}].{f}"),
            None => f.to_string(),
        };
        for (field, value) in [("source", &mut self.source), ("target", &mut self.target)] {
            if value.chars().any(|c| c.is_control() && !c.is_whitespace()) {
                return Err(Error::invalid(at(field), "contains control characters"));
            }
            *value = text::clean(value);
            if value.is_empty() {
                return Err(Error::invalid(at(field), "must not be empty"));
            }
            let n = value.chars().count();
            if n > MAX_SEGMENT_CHARS {
                return Err(Error::invalid(
                    at(field),
                    format!("is {n} characters long; the limit is {MAX_SEGMENT_CHARS}"),
                ));
            }
        }
        let p = &mut self.provenance;
        for (field, value) in [
            ("provenance.document", &mut p.document),
            ("provenance.title", &mut p.title),
            ("provenance.url", &mut p.url),
            ("provenance.date", &mut p.date),
            ("note", &mut self.note),
            ("created_by", &mut self.created_by),
        ] {
            if let Some(v) = value.take() {
                let v = text::clean(&v);
                if v.chars().count() > MAX_FIELD_CHARS {
                    return Err(Error::invalid(at(field), format!("is longer than {MAX_FIELD_CHARS} characters")));
                }
                *value = (!v.is_empty()).then_some(v);
            }
        }
        Ok(self)
    }

    pub(crate) fn into_unit(self, id: u64, now: Timestamp) -> TmUnit {
        TmUnit {
            id,
            src_lang: self.src_lang,
            tgt_lang: self.tgt_lang,
            source: self.source,
            target: self.target,
            provenance: self.provenance,
            note: self.note,
            created_by: self.created_by,
            collection: self.collection.unwrap_or_default(),
            usage_count: 1,
            created: now,
            updated: now,
        }
    }
}

/// Whether an added unit was new or merged into an identical stored pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// Stored as a new unit.
    Created,
    /// An identical pair existed; its count and provenance were updated.
    Merged,
}

/// A TM query.
#[derive(Clone, Debug)]
pub struct TmQuery {
    /// The sentence to translate.
    pub text: String,
    /// Its language.
    pub src: Lang,
    /// The language wanted.
    pub tgt: Lang,
    /// Minimum match percentage, [`MIN_THRESHOLD`]–100 (CAT tools default to 70).
    pub threshold: f64,
    /// Most matches, 1–[`MAX_MATCHES`].
    pub limit: usize,
    /// Only units of these collections; a list is also the search order
    /// that `collection_penalty` counts.
    pub collections: CollectionSelection,
    /// Points taken off a match per position of its collection in
    /// `collections` (0 to [`MAX_COLLECTION_PENALTY`]; default
    /// [`crate::collections::DEFAULT_COLLECTION_PENALTY`]).
    pub collection_penalty: f64,
}

impl TmQuery {
    pub(crate) fn check(&self) -> Result<()> {
        let n = self.text.chars().count();
        if n > MAX_QUERY_CHARS {
            return Err(Error::invalid("text", format!("is {n} characters long; the limit is {MAX_QUERY_CHARS}")));
        }
        if text::clean(&self.text).is_empty() {
            return Err(Error::invalid("text", "must not be empty"));
        }
        self.check_options()
    }

    /// Checks `threshold` and `limit` alone (a batch checks them even when
    /// it has no sentence).
    pub fn check_options(&self) -> Result<()> {
        if !(MIN_THRESHOLD..=100.0).contains(&self.threshold) {
            return Err(Error::invalid("threshold", format!("must be between {MIN_THRESHOLD} and 100")));
        }
        if self.limit == 0 || self.limit > MAX_MATCHES {
            return Err(Error::invalid("limit", format!("must be between 1 and {MAX_MATCHES}")));
        }
        if !(0.0..=MAX_COLLECTION_PENALTY).contains(&self.collection_penalty) {
            return Err(Error::invalid(
                "collection_penalty",
                format!("must be between 0 and {MAX_COLLECTION_PENALTY}"),
            ));
        }
        Ok(())
    }
}

/// One TM match with its explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct TmMatch {
    /// The stored unit.
    pub unit: TmUnit,
    /// Score, penalties and diff against the query.
    pub comparison: Comparison,
}

/// A page of TM units.
#[derive(Clone, Debug)]
pub struct TmPage {
    /// Units in id order.
    pub items: Vec<TmUnit>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<u64>,
    /// Number of units in the TM (all language pairs).
    pub total: u64,
}

/// The translation memory's state: its records in the store and the
/// in-memory candidate index, kept in step by every write here. Owned by
/// [`crate::Glossary`], whose TM methods call these.
pub(crate) struct TranslationMemory {
    records: TmStore,
    index: RwLock<index::TmIndex>,
}

impl TranslationMemory {
    /// Opens the TM of `store`, building its index from every unit.
    pub(crate) fn open(store: &Store) -> Result<TranslationMemory> {
        let records = TmStore::open(store);
        let mut index = index::TmIndex::new();
        for unit in records.iter_from(None) {
            index_unit(&mut index, &unit?);
        }
        Ok(TranslationMemory { records, index: RwLock::new(index) })
    }

    /// Adds units (validated here) in one transaction; identical pairs are
    /// merged, not duplicated.
    pub(crate) fn add(&self, drafts: Vec<TmUnitDraft>) -> Result<Vec<(TmUnit, AddOutcome)>> {
        let batch = drafts.len() > 1;
        let drafts =
            drafts.into_iter().enumerate().map(|(i, d)| d.validate(batch.then_some(i))).collect::<Result<Vec<_>>>()?;
        let added = self.records.add(drafts)?;
        let mut index = self.write_index();
        for (unit, _) in &added {
            self.refresh_locked(&mut index, unit.id)?;
        }
        Ok(added)
    }

    /// Fetches a unit.
    pub(crate) fn unit(&self, id: u64) -> Result<TmUnit> {
        self.records.get(id)?.ok_or_else(|| Error::NotFound { kind: RecordKind::TmUnit, id: id.to_string() })
    }

    /// A unit, if stored.
    pub(crate) fn get(&self, id: u64) -> Result<Option<TmUnit>> {
        self.records.get(id)
    }

    /// Units in id order after `after`.
    pub(crate) fn iter_from(&self, after: Option<u64>) -> impl Iterator<Item = Result<TmUnit>> + '_ {
        self.records.iter_from(after)
    }

    /// Replaces a unit's content (keeps id, created, usage count).
    pub(crate) fn replace(&self, id: u64, draft: TmUnitDraft) -> Result<TmUnit> {
        let unit = self.records.replace(id, draft.validate(None)?)?;
        self.refresh(id)?;
        Ok(unit)
    }

    /// Brings the index entry of unit `id` in line with the store (after a
    /// write here, or another server's, read from a shared store's change
    /// feed). Reads the store under the index lock, so concurrent
    /// refreshes converge on the latest committed state whatever order
    /// they run in (a write here never puts back an older version that a
    /// feed refresh has already replaced).
    pub(crate) fn refresh(&self, id: u64) -> Result<()> {
        self.refresh_locked(&mut self.write_index(), id)
    }

    /// [`TranslationMemory::refresh`] with the index lock already held.
    fn refresh_locked(&self, index: &mut index::TmIndex, id: u64) -> Result<()> {
        match self.records.get(id)? {
            Some(unit) => index_unit(index, &unit),
            None => index.remove(id),
        }
        Ok(())
    }

    /// Deletes a unit.
    pub(crate) fn delete(&self, id: u64) -> Result<TmUnit> {
        let old = self.records.delete(id)?;
        self.refresh(id)?;
        Ok(old)
    }

    /// Lists units in id order, optionally for one language pair.
    pub(crate) fn list(
        &self,
        src: Option<&Lang>,
        tgt: Option<&Lang>,
        collections: &CollectionSelection,
        cursor: Option<u64>,
        limit: usize,
    ) -> Result<TmPage> {
        if limit == 0 || limit > crate::MAX_PAGE_SIZE {
            return Err(Error::invalid("limit", format!("must be between 1 and {}", crate::MAX_PAGE_SIZE)));
        }
        let mut items = Vec::with_capacity(limit);
        let mut more = false;
        for u in self.records.iter_from(cursor) {
            let u = u?;
            if src.is_some_and(|l| !u.src_lang.matches(l))
                || tgt.is_some_and(|l| !u.tgt_lang.matches(l))
                || !collections.contains(&u.collection)
            {
                continue;
            }
            if items.len() == limit {
                more = true;
                break;
            }
            items.push(u);
        }
        let next_cursor = if more { items.last().map(|u| u.id) } else { None };
        let total = match collections.names() {
            None => self.records.count()?,
            // From the index's counts per collection: no scan.
            Some(names) => {
                self.read_index().collections().counts().filter(|(c, _)| names.contains(c)).map(|(_, n)| n).sum()
            }
        };
        Ok(TmPage { items, next_cursor, total })
    }

    /// Number of TM units.
    pub(crate) fn count(&self) -> Result<u64> {
        self.records.count()
    }

    /// Fuzzy TM matches for a sentence, best first.
    pub(crate) fn matches(&self, query: &TmQuery) -> Result<Vec<TmMatch>> {
        query.check()?;
        let q = Segment::new(&query.text);
        let candidates = {
            let index = self.read_index();
            index.search_in(&q.keys(), &query.src, &query.tgt, query.threshold, &query.collections.filter())
        };
        let mut matches = Vec::new();
        for c in candidates {
            let Some(unit) = self.records.get(c.id)? else { continue };
            // A unit moved since the index was read is checked again here.
            let Some(position) = query.collections.position(&unit.collection) else { continue };
            let mut comparison = compare(&q, &Segment::new(&unit.source));
            comparison.penalise_collection(position, query.collection_penalty);
            if comparison.score + 1e-9 >= query.threshold {
                matches.push(TmMatch { unit, comparison });
            }
        }
        matches.sort_by(|a, b| {
            b.comparison
                .score
                .total_cmp(&a.comparison.score)
                .then(b.unit.usage_count.cmp(&a.unit.usage_count))
                .then(b.unit.updated.cmp(&a.unit.updated))
                .then(a.unit.id.cmp(&b.unit.id))
        });
        matches.truncate(query.limit);
        Ok(matches)
    }

    /// Language pairs present in the TM.
    pub(crate) fn language_pairs(&self) -> Vec<(Lang, Lang)> {
        self.read_index().language_pairs()
    }

    /// The candidate index, for readers outside this module (alignment's
    /// TM-backed pairs).
    pub(crate) fn read_index(&self) -> std::sync::RwLockReadGuard<'_, index::TmIndex> {
        self.index.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_index(&self) -> std::sync::RwLockWriteGuard<'_, index::TmIndex> {
        self.index.write().unwrap_or_else(|e| e.into_inner())
    }
}

fn index_unit(index: &mut index::TmIndex, unit: &TmUnit) {
    index.upsert_unit(unit);
}

#[cfg(test)]
mod tests;
