//! Wire types of sentence alignment (`POST /api/v1/align` and the `align` command).

use std::collections::BTreeMap;

use glossary::align::{Alignment, BeadKind, Link, TextSpan};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A document: language and plain text.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = AlignDocumentJson)]
#[serde(deny_unknown_fields)]
pub struct DocumentJson {
    /// BCP 47 language tag.
    #[schema(example = "vi")]
    pub lang: String,
    /// Plain text, at most 2 MiB (UTF-8). Every line break ends a sentence;
    /// within a line, sentences are split at `.`, `!`, `?` and `…` the way
    /// the glossary's splitter does (numbers, abbreviations and list numbers
    /// are respected).
    #[schema(example = "Kim ngạch thương mại đạt 2,5 tỷ USD. Hai bên nhất trí tăng cường hợp tác.")]
    pub text: String,
}

/// An alignment request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "source": {"lang": "vi", "text": "Kim ngạch thương mại đạt 2,5 tỷ USD. (Ảnh: TTXVN)\nHai bên nhất trí tăng cường hợp tác."},
    "target": {"lang": "en", "text": "Trade reached 2.5 billion USD. The two sides agreed to step up cooperation."},
    "min_confidence": 0.0
}))]
pub struct AlignRequest {
    /// The original.
    pub source: DocumentJson,
    /// Its translation.
    pub target: DocumentJson,
    /// Leave out links whose confidence is below this (0–1, default 0:
    /// every link, so the links cover both documents).
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub min_confidence: Option<f64>,
    /// Use the glossary's term pairs as anchors (default true).
    pub use_glossary: Option<bool>,
    /// Also store the sentence pairs (not 1-0 / 0-1) at or above
    /// `store.min_confidence` in the translation memory, with the document
    /// as provenance. Identical pairs already stored are merged.
    #[serde(default)]
    pub store: Option<StoreAlignment>,
}

/// Storing aligned pairs in the translation memory.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"min_confidence": 0.8, "document": "joint-statement-2025-12", "title": "Joint Statement Vietnam - Laos", "date": "2025-12-03"}))]
pub struct StoreAlignment {
    /// Lowest confidence stored (0–1, default 0.8: on the test documents,
    /// links at 0.8 or above are right 97% of the time).
    #[serde(default)]
    pub min_confidence: Option<f64>,
    /// Document identifier recorded on every unit.
    #[serde(default)]
    pub document: Option<String>,
    /// Document title.
    #[serde(default)]
    pub title: Option<String>,
    /// Where it was published.
    #[serde(default)]
    pub url: Option<String>,
    /// Its date.
    #[serde(default)]
    pub date: Option<String>,
    /// Collection (named TM) the units go to: 1-64 of `a-z 0-9 . _ -`,
    /// starting with a letter or digit; `default` when omitted.
    #[serde(default)]
    pub collection: Option<String>,
}

/// What storing the alignment did.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StoredJson {
    /// Pairs stored as new TM units.
    pub created: usize,
    /// Pairs already in the TM (usage count increased).
    pub merged: usize,
    /// Links not stored: below the confidence, or not a pair.
    pub skipped: usize,
}

/// The shape of a link.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub enum LinkKindJson {
    /// One sentence for one.
    #[serde(rename = "1-1")]
    OneOne,
    /// Source sentence not translated.
    #[serde(rename = "1-0")]
    OneZero,
    /// Target sentence without source.
    #[serde(rename = "0-1")]
    ZeroOne,
    /// Two source sentences merged in translation.
    #[serde(rename = "2-1")]
    TwoOne,
    /// One source sentence split in two.
    #[serde(rename = "1-2")]
    OneTwo,
    /// Two and two (content moved across the sentence boundary).
    #[serde(rename = "2-2")]
    TwoTwo,
}

/// Sentence indices `[start, end)` (0-based, in split order).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SentenceRangeJson {
    /// First sentence.
    pub start: usize,
    /// One past the last sentence (`start == end` for the empty side of 1-0 / 0-1).
    pub end: usize,
}

/// Where linked text is in a document.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SpanJson {
    /// Byte offset of the first byte (UTF-8).
    pub byte_start: usize,
    /// Byte offset past the last byte.
    pub byte_end: usize,
    /// Character (Unicode scalar value) offset of the first character.
    pub char_start: usize,
    /// Character offset past the last character.
    pub char_end: usize,
}

/// One link.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LinkJson {
    /// Source sentences.
    pub src: SentenceRangeJson,
    /// Target sentences.
    pub tgt: SentenceRangeJson,
    /// Shape.
    pub kind: LinkKindJson,
    /// Posterior probability of the link (0–1) given both documents.
    #[schema(example = 0.987)]
    pub confidence: f64,
    /// Source text of the link (sentences joined by a space); empty for 0-1.
    pub src_text: String,
    /// Target text; empty for 1-0.
    pub tgt_text: String,
    /// Position of the source text; absent for 0-1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub src_span: Option<SpanJson>,
    /// Position of the target text; absent for 1-0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tgt_span: Option<SpanJson>,
    /// Anchors found on both sides (`number:2.5`, `date:5/2`,
    /// `name:asean`, `term:hợp tác`, `punct:?`).
    pub anchors: Vec<String>,
}

/// Counts and parameters of the run.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AlignStatsJson {
    /// Sentences in the source.
    pub src_sentences: usize,
    /// Sentences in the target.
    pub tgt_sentences: usize,
    /// Links returned.
    pub links: usize,
    /// Links left out by `min_confidence`.
    pub below_min_confidence: usize,
    /// Links returned, by kind ("1-1": 12, ...).
    pub by_kind: BTreeMap<String, usize>,
    /// Mean confidence of the links returned.
    pub mean_confidence: f64,
    /// Expected target/source length ratio used.
    pub length_ratio: f64,
    /// Band half-width of the search (absent: no band, whole matrix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<usize>,
    /// Search cells visited.
    pub cells: usize,
    /// Glossary term pairs used as anchors.
    pub lexicon_entries: usize,
}

/// The alignment.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AlignResponse {
    /// Present when `store` was requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored: Option<StoredJson>,
    /// Links in document order.
    pub links: Vec<LinkJson>,
    /// Counts and parameters.
    pub stats: AlignStatsJson,
}

/// Builds the response body (shared by the HTTP route and the CLI).
pub fn align_response(alignment: &Alignment, min_confidence: f64) -> AlignResponse {
    let links: Vec<LinkJson> =
        alignment.links.iter().filter(|l| l.confidence >= min_confidence).map(LinkJson::from).collect();
    let mut by_kind = BTreeMap::new();
    for l in alignment.links.iter().filter(|l| l.confidence >= min_confidence) {
        *by_kind.entry(l.kind.as_str().to_string()).or_insert(0) += 1;
    }
    let mean =
        if links.is_empty() { 0.0 } else { links.iter().map(|l| l.confidence).sum::<f64>() / links.len() as f64 };
    let s = &alignment.stats;
    AlignResponse {
        stored: None,
        stats: AlignStatsJson {
            src_sentences: s.src_sentences,
            tgt_sentences: s.tgt_sentences,
            links: links.len(),
            below_min_confidence: alignment.links.len() - links.len(),
            by_kind,
            mean_confidence: (mean * 1000.0).round() / 1000.0,
            length_ratio: s.length_ratio,
            band: s.band,
            cells: s.cells,
            lexicon_entries: s.lexicon_entries,
        },
        links,
    }
}

impl From<&Link> for LinkJson {
    fn from(l: &Link) -> Self {
        let span = |s: &Option<TextSpan>| {
            s.as_ref().map(|s| SpanJson {
                byte_start: s.bytes.start,
                byte_end: s.bytes.end,
                char_start: s.chars.start,
                char_end: s.chars.end,
            })
        };
        LinkJson {
            src: SentenceRangeJson { start: l.src.start, end: l.src.end },
            tgt: SentenceRangeJson { start: l.tgt.start, end: l.tgt.end },
            kind: match l.kind {
                BeadKind::OneOne => LinkKindJson::OneOne,
                BeadKind::OneZero => LinkKindJson::OneZero,
                BeadKind::ZeroOne => LinkKindJson::ZeroOne,
                BeadKind::TwoOne => LinkKindJson::TwoOne,
                BeadKind::OneTwo => LinkKindJson::OneTwo,
                BeadKind::TwoTwo => LinkKindJson::TwoTwo,
            },
            confidence: l.confidence,
            src_text: l.src_text.clone(),
            tgt_text: l.tgt_text.clone(),
            src_span: span(&l.src_span),
            tgt_span: span(&l.tgt_span),
            anchors: l.anchors.clone(),
        }
    }
}
