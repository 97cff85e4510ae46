//! Wire types of suggestions and term recognition (HTTP and the `suggest` command).

use crate::views::tm::{CharSpan, TmMatchJson};
use crate::views::TermJson;
use glossary::recognize::RecognitionKind;
use glossary::tm::suggest::{RecognizedTerm, SuggestedMatch, Suggestion};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most sentences in one batch.
pub const MAX_BATCH: usize = 500;
/// A sentence to get suggestions for.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text": "Kim ngạch thương mại giữa Việt Nam và Lào đạt 3 tỷ USD.", "src": "vi", "tgt": "en"}))]
pub struct SuggestRequest {
    /// The source sentence (up to 2,000 characters).
    pub text: String,
    /// Source language.
    pub src: String,
    /// Target language.
    pub tgt: String,
    /// Minimum TM match percentage, 30–100 (default 70).
    #[serde(default)]
    pub threshold: Option<f64>,
    /// Most TM matches, 1–50 (default 5).
    #[serde(default)]
    pub limit: Option<usize>,
    /// Only these collections: one name or a comma list (`project,shared`),
    /// which is also the search order: a match from the n-th listed
    /// collection (0-based) loses n × `collection_penalty` points. Every
    /// collection (no penalty) when omitted; unknown names match nothing.
    #[serde(default)]
    pub collection: Option<String>,
    /// Points per position in the `collection` order, 0–30 (default 1).
    #[serde(default)]
    pub collection_penalty: Option<f64>,
}

/// Many sentences at once.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestBatchRequest {
    /// Up to 500 sentences.
    pub sentences: Vec<String>,
    /// Source language.
    pub src: String,
    /// Target language.
    pub tgt: String,
    /// Minimum TM match percentage, 30–100 (default 70).
    #[serde(default)]
    pub threshold: Option<f64>,
    /// Most TM matches per sentence, 1–50 (default 5).
    #[serde(default)]
    pub limit: Option<usize>,
    /// Only these collections: one name or a comma list (`project,shared`),
    /// which is also the search order: a match from the n-th listed
    /// collection (0-based) loses n × `collection_penalty` points. Every
    /// collection (no penalty) when omitted; unknown names match nothing.
    #[serde(default)]
    pub collection: Option<String>,
    /// Points per position in the `collection` order, 0–30 (default 1).
    #[serde(default)]
    pub collection_penalty: Option<f64>,
}

/// A sentence whose glossary terms are wanted.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecognizeRequest {
    /// The sentence (up to 2,000 characters).
    pub text: String,
    /// Its language.
    pub src: String,
    /// Language of the equivalents.
    pub tgt: String,
    /// Only concepts of these collections: one name or a comma list; every
    /// collection when omitted.
    #[serde(default)]
    pub collection: Option<String>,
}

/// One concept a recognised span belongs to.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecognizedConceptJson {
    /// Concept id.
    pub concept_id: String,
    /// Subject field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_field: Option<String>,
    /// The glossary term that matched.
    pub term: TermJson,
    /// Its target-language equivalents, preferred first.
    pub targets: Vec<TermJson>,
    /// Present when the sentence uses a deprecated or superseded term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// A glossary term found in the sentence.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecognizedTermJson {
    /// Characters of the sentence (Unicode scalar values, end exclusive).
    pub span: CharSpan,
    /// The sentence's text there.
    pub text: String,
    /// `normalized` (same words and diacritics; case and tone placement
    /// aside) or `diacritic_insensitive` (the sentence has no diacritics there).
    pub match_kind: String,
    /// Concepts with this term (usually one).
    pub concepts: Vec<RecognizedConceptJson>,
}

/// A placeable replaced in an adapted target.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SubstitutionJson {
    /// `number` (numbers, percentages, amounts, dates) or `term` (glossary term).
    pub kind: String,
    /// In the stored source.
    pub source: String,
    /// In the query.
    pub query: String,
    /// What the stored target had.
    pub target_from: String,
    /// What the adapted target has.
    pub target_to: String,
}

/// A stored target rewritten for the query.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AdaptationJson {
    /// The adapted target.
    pub target: String,
    /// Every substitution made.
    pub substitutions: Vec<SubstitutionJson>,
}

/// Why a match has no adapted target.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct NotAdaptedJson {
    /// `no_change_needed` (only case, diacritics or the writing of equal
    /// values differ), `wording_differs` (a difference that is neither a
    /// placeable nor a glossary term), `term_not_replaceable`,
    /// `placeables_differ` (more, fewer or other kinds of numbers and
    /// dates), `placeable_not_found` (a changed number or date is not in the
    /// target in a recognised form), `ambiguous_placeable` (it cannot be
    /// located unambiguously) or `overlapping_substitutions`.
    pub reason: String,
    /// What blocked the adaptation, for the translator.
    pub message: String,
}

/// A TM match with its adapted target.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SuggestedMatchJson {
    /// The match, its score, penalties and diff.
    #[serde(flatten)]
    pub tm: TmMatchJson,
    /// Present when the stored source differs from the query only in
    /// placeables (numbers, dates, amounts, glossary terms with known
    /// equivalents): the target with them substituted. All changed
    /// placeables must be substituted for it to be offered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adapted: Option<AdaptationJson>,
    /// Present exactly when `adapted` is absent: why the target could not
    /// be adapted (a target keeping a number or date the query changed is
    /// never offered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_adapted: Option<NotAdaptedJson>,
    /// Deprecated or superseded glossary terms used in the stored target.
    pub warnings: Vec<String>,
}

/// Suggestions for one sentence.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SuggestionJson {
    /// The sentence.
    pub text: String,
    /// TM matches, best first.
    pub matches: Vec<SuggestedMatchJson>,
    /// Glossary terms in the sentence, in order, non-overlapping (longest first).
    pub terms: Vec<RecognizedTermJson>,
    /// Deprecated or superseded terms used in the sentence.
    pub warnings: Vec<String>,
}

/// Suggestions for many sentences, in request order.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SuggestBatchResponse {
    /// One entry per sentence.
    pub results: Vec<SuggestionJson>,
}

/// Glossary terms of a sentence.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecognizeResponse {
    /// The sentence.
    pub text: String,
    /// Terms found, in order.
    pub terms: Vec<RecognizedTermJson>,
}

impl From<&RecognizedTerm> for RecognizedTermJson {
    fn from(t: &RecognizedTerm) -> Self {
        RecognizedTermJson {
            span: CharSpan { start: t.chars.start, end: t.chars.end },
            text: t.text.clone(),
            match_kind: match t.kind {
                RecognitionKind::Normalized => "normalized",
                RecognitionKind::DiacriticInsensitive => "diacritic_insensitive",
            }
            .into(),
            concepts: t
                .concepts
                .iter()
                .map(|c| RecognizedConceptJson {
                    concept_id: c.concept.to_string(),
                    subject_field: c.subject_field.clone(),
                    term: TermJson::from(&c.term),
                    targets: c.targets.iter().map(TermJson::from).collect(),
                    warning: c.warning.clone(),
                })
                .collect(),
        }
    }
}

impl From<&SuggestedMatch> for SuggestedMatchJson {
    fn from(m: &SuggestedMatch) -> Self {
        SuggestedMatchJson {
            tm: TmMatchJson::from(&m.tm),
            adapted: m.adapted.as_ref().map(|a| AdaptationJson {
                target: a.target.clone(),
                substitutions: a
                    .substitutions
                    .iter()
                    .map(|s| SubstitutionJson {
                        kind: s.kind.as_str().into(),
                        source: s.source.clone(),
                        query: s.query.clone(),
                        target_from: s.target_from.clone(),
                        target_to: s.target_to.clone(),
                    })
                    .collect(),
            }),
            not_adapted: m
                .not_adapted
                .as_ref()
                .map(|n| NotAdaptedJson { reason: n.reason.as_str().into(), message: n.detail.clone() }),
            warnings: m.warnings.clone(),
        }
    }
}

impl From<&Suggestion> for SuggestionJson {
    fn from(s: &Suggestion) -> Self {
        SuggestionJson {
            text: s.text.clone(),
            matches: s.matches.iter().map(SuggestedMatchJson::from).collect(),
            terms: s.terms.iter().map(RecognizedTermJson::from).collect(),
            warnings: s.warnings.clone(),
        }
    }
}
