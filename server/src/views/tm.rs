//! Wire types of the translation memory: units, pages, matches.

use crate::error::ApiError;
use crate::views::parse_lang;
use glossary::tm::matching::Comparison;
use glossary::tm::{Provenance, TmMatch, TmQuery, TmUnit, TmUnitDraft};
use glossary::CollectionSelection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Most units in one bulk request.
pub const MAX_BULK_UNITS: usize = 10_000;
/// Where a unit comes from.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceJson {
    /// Document identifier (file name, reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Document title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where the document was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Date of the document (free text, e.g. `2026-02-06`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// A translation unit as stored.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TmUnitJson {
    /// Unit id.
    pub id: u64,
    /// Source language (BCP 47).
    pub src: String,
    /// Target language (BCP 47).
    pub tgt: String,
    /// Source segment.
    pub source: String,
    /// Target segment.
    pub target: String,
    /// Where it comes from.
    pub provenance: ProvenanceJson,
    /// Note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// The collection (named TM) the unit belongs to.
    pub collection: String,
    /// How many times this pair was added.
    pub usage_count: u64,
    /// Creation time, RFC 3339.
    pub created: String,
    /// Last change, RFC 3339.
    pub updated: String,
}

/// A unit to add (or the new content of one).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "src": "vi", "tgt": "en",
    "source": "Kim ngạch thương mại song phương đạt 2,5 tỷ USD.",
    "target": "Bilateral trade reached 2.5 billion USD.",
    "provenance": {"document": "trade-report-2026", "date": "2026-02-06"}
}))]
pub struct NewTmUnit {
    /// Source language (BCP 47).
    pub src: String,
    /// Target language (BCP 47).
    pub tgt: String,
    /// Source segment, up to 4,000 characters.
    pub source: String,
    /// Target segment, up to 4,000 characters.
    pub target: String,
    /// Where it comes from.
    #[serde(default)]
    pub provenance: ProvenanceJson,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
    /// Who created it.
    #[serde(default)]
    pub created_by: Option<String>,
    /// Collection (named TM), e.g. `news-desk`: `default` when a new unit
    /// omits it; a replaced unit without it stays in its collection.
    #[serde(default)]
    pub collection: Option<String>,
}

/// Result of adding one unit.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TmAddResult {
    /// `created`, or `merged` when an identical pair was already stored (its
    /// usage count and provenance were updated instead).
    pub outcome: String,
    /// The stored unit.
    pub unit: TmUnitJson,
}

/// Body of a bulk add.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkUnits {
    /// Up to 10,000 units, stored in one transaction (all or nothing).
    pub units: Vec<NewTmUnit>,
}

/// Report of a bulk add.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct BulkReport {
    /// Units stored as new.
    pub created: usize,
    /// Units merged into identical stored pairs.
    pub merged: usize,
    /// Ids of the stored units, in request order.
    pub ids: Vec<u64>,
}

/// A page of units.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TmPageJson {
    /// Units in id order.
    pub items: Vec<TmUnitJson>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<u64>,
    /// Units in the TM (all language pairs) of the selected collections.
    pub total: u64,
}

/// Character range (Unicode scalar values), end exclusive.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CharSpan {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// A word-level difference between the query and the stored source.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct DiffSpanJson {
    /// `insert` (in the query, not the source), `delete` (in the source, not
    /// the query), `replace`, `diacritics`, `case`, `number`.
    pub kind: String,
    /// Characters of the query (empty: insertion point).
    pub query: CharSpan,
    /// Characters of the stored source (empty: insertion point).
    pub source: CharSpan,
}

/// Points taken off the base percentage.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct PenaltyJson {
    /// `diacritics` (2 per word, at most 10), `number` (1 each, at most 5),
    /// `case` (1), `punctuation` (1), `collection` (the unit's position in
    /// the request's `collection` order × `collection_penalty`).
    pub kind: String,
    /// Points deducted.
    pub points: f64,
    /// Words or marks concerned (for `collection`: the 0-based position).
    pub count: usize,
}

/// A TM match.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TmMatchJson {
    /// The stored unit.
    pub unit: TmUnitJson,
    /// Match percentage, 0–100: `100 × (1 − word edits / max(words))` minus penalties.
    pub score: f64,
    /// Percentage before penalties.
    pub base_score: f64,
    /// Word (syllable) edit distance.
    pub edits: usize,
    /// Penalties applied.
    pub penalties: Vec<PenaltyJson>,
    /// Differences, to highlight in a CAT tool.
    pub diff: Vec<DiffSpanJson>,
}

/// Matches for one query.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TmMatchesResponse {
    /// The query.
    pub query: String,
    /// Matches, best first.
    pub matches: Vec<TmMatchJson>,
}

/// Listing parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TmListParams {
    /// Only units with this source language (and its subtags).
    pub src: Option<String>,
    /// Only units with this target language.
    pub tgt: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<u64>,
    /// Page size, 1–200 (default 20).
    pub limit: Option<usize>,
    /// Only units of these collections: one name or a comma list; every
    /// collection when omitted. Unknown names match nothing.
    pub collection: Option<String>,
}

/// Matching parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TmMatchParams {
    /// The sentence to translate (up to 2,000 characters).
    #[param(example = "Kim ngạch thương mại song phương đạt 3 tỷ USD.")]
    pub q: String,
    /// Source language.
    #[param(example = "vi")]
    pub src: String,
    /// Target language.
    #[param(example = "en")]
    pub tgt: String,
    /// Minimum match percentage, 30–100 (default 70).
    pub threshold: Option<f64>,
    /// Most matches, 1–50 (default 5).
    pub limit: Option<usize>,
    /// Only these collections: one name or a comma list (`project,shared`),
    /// which is also the search order: a match from the n-th listed
    /// collection (0-based) loses n × `collection_penalty` points. Every
    /// collection (no penalty) when omitted; unknown names match nothing.
    pub collection: Option<String>,
    /// Points per position in the `collection` order, 0–30 (default 1).
    pub collection_penalty: Option<f64>,
}

impl NewTmUnit {
    /// Converts to a domain draft.
    pub fn into_draft(self, i: Option<usize>) -> Result<TmUnitDraft, ApiError> {
        let field = |f: &str| i.map_or_else(|| f.to_string(), |i| format!("units[{i}].{f}"));
        let p = self.provenance;
        Ok(TmUnitDraft {
            src_lang: parse_lang(&self.src, &field("src"))?,
            tgt_lang: parse_lang(&self.tgt, &field("tgt"))?,
            source: self.source,
            target: self.target,
            provenance: Provenance { document: p.document, title: p.title, url: p.url, date: p.date },
            note: self.note,
            created_by: self.created_by,
            collection: self
                .collection
                .as_deref()
                .map(|c| glossary::Collection::new(c).map_err(|e| ApiError::from(e).with_field(field("collection"))))
                .transpose()?,
        })
    }
}

impl From<&TmUnit> for TmUnitJson {
    fn from(u: &TmUnit) -> Self {
        let p = &u.provenance;
        TmUnitJson {
            id: u.id,
            src: u.src_lang.to_string(),
            tgt: u.tgt_lang.to_string(),
            source: u.source.clone(),
            target: u.target.clone(),
            provenance: ProvenanceJson {
                document: p.document.clone(),
                title: p.title.clone(),
                url: p.url.clone(),
                date: p.date.clone(),
            },
            note: u.note.clone(),
            created_by: u.created_by.clone(),
            collection: u.collection.to_string(),
            usage_count: u.usage_count,
            created: u.created.to_rfc3339(),
            updated: u.updated.to_rfc3339(),
        }
    }
}

/// Converts a comparison's explanation to wire form.
pub fn explain(c: &Comparison) -> (Vec<PenaltyJson>, Vec<DiffSpanJson>) {
    let penalties = c
        .penalties
        .iter()
        .map(|p| PenaltyJson { kind: p.kind.as_str().into(), points: p.points, count: p.count })
        .collect();
    let diff = c
        .diff
        .iter()
        .map(|d| DiffSpanJson {
            kind: d.kind.as_str().into(),
            query: CharSpan { start: d.query.start, end: d.query.end },
            source: CharSpan { start: d.source.start, end: d.source.end },
        })
        .collect();
    (penalties, diff)
}

impl From<&TmMatch> for TmMatchJson {
    fn from(m: &TmMatch) -> Self {
        let (penalties, diff) = explain(&m.comparison);
        TmMatchJson {
            unit: TmUnitJson::from(&m.unit),
            score: m.comparison.score,
            base_score: m.comparison.base,
            edits: m.comparison.edits,
            penalties,
            diff,
        }
    }
}

/// Builds a domain TM query from request parts.
pub fn tm_query(
    text: String,
    src: &str,
    tgt: &str,
    threshold: Option<f64>,
    limit: Option<usize>,
    collections: CollectionSelection,
    collection_penalty: Option<f64>,
) -> Result<TmQuery, ApiError> {
    Ok(TmQuery {
        collections,
        collection_penalty: collection_penalty.unwrap_or(glossary::collections::DEFAULT_COLLECTION_PENALTY),
        src: parse_lang(src, "src")?,
        tgt: parse_lang(tgt, "tgt")?,
        threshold: threshold.unwrap_or(glossary::tm::DEFAULT_THRESHOLD),
        limit: limit.unwrap_or(glossary::tm::DEFAULT_MATCHES),
        text,
    })
}
