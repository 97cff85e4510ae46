//! Wire types of equivalent proposals (`POST /api/v1/equivalents` and the `equivalents` command).

use glossary::align::equivalents::EquivalentsReport;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A sentence and its translation.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentPairJson {
    /// Source-language sentence.
    pub source: String,
    /// Its translation.
    pub target: String,
}

/// Association measure used for ranking.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeasureJson {
    /// Dice coefficient `2k / (a + f)`.
    #[default]
    Dice,
    /// Dunning's log-likelihood ratio G².
    LogLikelihood,
}

/// A request for equivalents.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "term": "gắn kết chiến lược",
    "src": "vi",
    "tgt": "en",
    "pairs": [
        {"source": "Hai bên nhất trí thúc đẩy hợp tác toàn diện và gắn kết chiến lược.", "target": "The two sides agreed to promote comprehensive cooperation and strategic cohesion."},
        {"source": "Gắn kết chiến lược giữa hai nền kinh tế ngày càng chặt chẽ.", "target": "The strategic cohesion between the two economies is growing ever closer."},
        {"source": "Hai bên nhất trí tăng cường hợp tác kinh tế.", "target": "The two sides agreed to strengthen economic cooperation."}
    ]
}))]
pub struct EquivalentsRequest {
    /// The source term lacking an equivalent (at most 500 characters).
    /// Matched on syllables: with diacritics when it has any, without
    /// otherwise; tone placement (hoà/hòa) and case do not matter.
    pub term: String,
    /// Language of the term and of the pairs' sources (BCP 47).
    #[schema(example = "vi")]
    pub src: String,
    /// Language of the pairs' targets.
    #[schema(example = "en")]
    pub tgt: String,
    /// Aligned pairs (at most 5,000, each side at most 5,000 characters),
    /// e.g. the links of `POST /api/v1/align`. When omitted, the pairs come
    /// from the translation memory: every unit of the language pair whose
    /// source contains the term (up to 5,000) plus up to 5,000 others as
    /// background.
    #[serde(default)]
    pub pairs: Option<Vec<SegmentPairJson>>,
    /// Longest candidate in words, 1–5 (default 5).
    pub max_words: Option<usize>,
    /// Minimum number of pairs where term and candidate co-occur (default 1).
    pub min_support: Option<usize>,
    /// Most proposals, 1–100 (default 10).
    pub limit: Option<usize>,
    /// Ranking measure (default `dice`).
    pub measure: Option<MeasureJson>,
    /// Remove the English equivalents of other glossary terms before
    /// counting (default true).
    pub use_glossary: Option<bool>,
}

/// A pair supporting a proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportJson {
    /// Position of the pair in the request.
    pub index: usize,
    /// The source sentence.
    pub source: String,
    /// The target sentence.
    pub target: String,
}

/// One proposed equivalent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalJson {
    /// The candidate (lowercase).
    #[schema(example = "strategic cohesion")]
    pub text: String,
    /// Words in it.
    pub words: usize,
    /// Dice coefficient `2k / (a + f)` (0–1).
    pub dice: f64,
    /// Log-likelihood ratio G² (≥ 0; above 10.8 is significant at p < 0.001).
    pub log_likelihood: f64,
    /// `k`: pairs containing both the term and the candidate.
    pub joint: usize,
    /// `f`: pairs whose target contains the candidate.
    pub candidate_pairs: usize,
    /// Up to 5 supporting pairs.
    pub support: Vec<SupportJson>,
}

/// Ranked proposals with the counts behind them.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquivalentsResponse {
    /// The term as sent.
    pub term: String,
    /// `N`: pairs read.
    pub pairs: usize,
    /// `a`: pairs whose source contains the term.
    pub term_pairs: usize,
    /// Occurrences of known glossary equivalents removed before counting.
    pub anchors_removed: usize,
    /// Best first.
    pub proposals: Vec<ProposalJson>,
}

/// Builds the response body (shared by the HTTP route and the CLI).
pub fn equivalents_response(term: String, pairs: &[SegmentPairJson], report: EquivalentsReport) -> EquivalentsResponse {
    EquivalentsResponse {
        term,
        pairs: report.pairs,
        term_pairs: report.term_pairs,
        anchors_removed: report.anchors_removed,
        proposals: report
            .proposals
            .into_iter()
            .map(|p| ProposalJson {
                support: p
                    .support
                    .iter()
                    .filter_map(|&i| {
                        pairs.get(i).map(|pair| SupportJson {
                            index: i,
                            source: pair.source.clone(),
                            target: pair.target.clone(),
                        })
                    })
                    .collect(),
                text: p.text,
                words: p.words,
                dice: p.dice,
                log_likelihood: p.log_likelihood,
                joint: p.joint,
                candidate_pairs: p.candidate_pairs,
            })
            .collect(),
    }
}
