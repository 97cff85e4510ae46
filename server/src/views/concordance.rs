//! Wire types of `GET /api/v1/tm/concordance` and `glossary-server concordance`.

use glossary::tm::concordance::{
    ConcordanceCursor, ConcordanceHit, ConcordancePage, ConcordanceQuery, Side, DEFAULT_CONCORDANCE_LIMIT,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::parse_lang;
use super::tm::{CharSpan, TmUnitJson};
use crate::error::ApiError;

/// Which side of the units holds the phrase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SideJson {
    /// The source segments (default).
    #[default]
    Source,
    /// The target segments.
    Target,
}

/// Query of a concordance search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConcordanceParams {
    /// The phrase, one or more whole words (up to 200 characters);
    /// diacritics, tone placement and case are ignored for matching.
    #[param(example = "hợp tác toàn diện")]
    pub q: String,
    /// Source language of the units.
    #[param(example = "vi")]
    pub src: String,
    /// Target language of the units.
    #[param(example = "en")]
    pub tgt: String,
    /// Side searched: `source` (default) or `target`.
    pub side: Option<SideJson>,
    /// Hits per page, 1–100 (default 20).
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only these collections: one name or a comma list (`project,shared`);
    /// every collection when omitted. Unknown names match nothing.
    pub collection: Option<String>,
}

/// Where a glossary equivalent of the phrase occurs on the other side.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AlignedSpanJson {
    /// Character range in the other side (the target when searching the source).
    pub span: CharSpan,
    /// The concept whose term occurs there.
    pub concept_id: String,
}

/// One unit containing the phrase.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ConcordanceHitJson {
    /// The unit.
    pub unit: TmUnitJson,
    /// True when the phrase occurs with exactly the diacritics typed
    /// (such hits come first).
    pub exact: bool,
    /// Every occurrence in the searched side, as character ranges.
    pub spans: Vec<CharSpan>,
    /// Occurrences, in the other side, of the glossary terms that translate
    /// the phrase (empty when the glossary has no entry for it).
    pub aligned: Vec<AlignedSpanJson>,
}

/// A page of concordance hits.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ConcordanceResponse {
    /// The phrase as asked.
    pub query: String,
    /// Side searched.
    pub side: SideJson,
    /// Exact hits first, then hits differing in diacritics; unit id order within each.
    pub hits: Vec<ConcordanceHitJson>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl ConcordanceParams {
    /// Converts to a domain query.
    pub fn into_query(self) -> Result<ConcordanceQuery, ApiError> {
        Ok(ConcordanceQuery {
            src: parse_lang(&self.src, "src")?,
            tgt: parse_lang(&self.tgt, "tgt")?,
            side: match self.side.unwrap_or_default() {
                SideJson::Source => Side::Source,
                SideJson::Target => Side::Target,
            },
            limit: self.limit.unwrap_or(DEFAULT_CONCORDANCE_LIMIT),
            cursor: self.cursor.as_deref().map(str::parse::<ConcordanceCursor>).transpose()?,
            collections: crate::views::collections::selection(self.collection.as_deref())?,
            phrase: self.q,
        })
    }
}

impl From<&ConcordanceHit> for ConcordanceHitJson {
    fn from(h: &ConcordanceHit) -> Self {
        ConcordanceHitJson {
            unit: TmUnitJson::from(&h.unit),
            exact: h.exact,
            spans: h.spans.iter().map(|r| CharSpan { start: r.start, end: r.end }).collect(),
            aligned: h
                .aligned
                .iter()
                .map(|a| AlignedSpanJson {
                    span: CharSpan { start: a.chars.start, end: a.chars.end },
                    concept_id: a.concept.to_string(),
                })
                .collect(),
        }
    }
}

impl ConcordanceResponse {
    /// The response for a page of `query`.
    pub fn new(query: &ConcordanceQuery, page: &ConcordancePage) -> Self {
        ConcordanceResponse {
            query: query.phrase.clone(),
            side: match query.side {
                Side::Source => SideJson::Source,
                Side::Target => SideJson::Target,
            },
            hits: page.hits.iter().map(ConcordanceHitJson::from).collect(),
            next_cursor: page.next_cursor.map(|c| c.to_string()),
        }
    }
}
