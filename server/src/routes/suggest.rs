//! `POST /api/v1/suggest` (and its batch form) and
//! `POST /api/v1/terms/recognize`: what a translator gets for a sentence.

use actix_web::{post, web, HttpRequest};
use glossary::recognize::RecognitionKind;
use glossary::tm::suggest::{RecognizedTerm, SuggestedMatch, Suggestion};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::tm::{tm_query, CharSpan, TmMatchJson};
use super::{blocking, json_body};
use crate::error::{ApiError, ErrorCode};
use crate::views::{parse_lang, TermJson};
use crate::AppState;

/// Most sentences in one batch.
pub const MAX_BATCH: usize = 500;
/// Largest batch body, in bytes.
pub const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;

/// Registers the suggestion routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(suggest).service(suggest_batch).service(recognize);
}

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

/// Suggestions for a sentence.
///
/// Returns the TM matches at or above `threshold` (score, penalties,
/// word diff), each with an adapted target when only placeables differ, and
/// the glossary terms in the sentence with their approved equivalents and
/// warnings for deprecated terms.
#[utoipa::path(
    tag = "suggestions",
    request_body = SuggestRequest,
    responses(
        (status = 200, description = "Suggestions (possibly no match)", body = SuggestionJson),
        (status = 400, description = "Invalid body (`invalid_json`, `invalid_body`, `invalid_language_tag`, `invalid_input`)", body = ApiError),
        (status = 413, description = "Body over 1 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
    )
)]
#[post("/suggest")]
pub async fn suggest(
    state: web::Data<AppState>,
    body: super::Json<SuggestRequest>,
) -> Result<web::Json<SuggestionJson>, ApiError> {
    let b = body.into_inner();
    let query = tm_query(b.text, &b.src, &b.tgt, b.threshold, b.limit)?;
    let s = blocking(&state, move |g| g.suggest(&query)).await?;
    Ok(web::Json(SuggestionJson::from(&s)))
}

/// Suggestions for many sentences.
///
/// Up to 500 sentences (4 MiB); same parameters for all. Results come in
/// request order. An invalid sentence (empty, too long) fails the whole
/// request and `field` names it.
#[utoipa::path(
    tag = "suggestions",
    request_body = SuggestBatchRequest,
    responses(
        (status = 200, description = "One result per sentence", body = SuggestBatchResponse),
        (status = 400, description = "Invalid body or sentence", body = ApiError),
        (status = 413, description = "Body over 4 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
    )
)]
#[post("/suggest/batch")]
pub async fn suggest_batch(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<web::Json<SuggestBatchResponse>, ApiError> {
    let b: SuggestBatchRequest = json_body(&req, payload, MAX_BATCH_BYTES).await?;
    if b.sentences.len() > MAX_BATCH {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("{} sentences; the limit is {MAX_BATCH} per request", b.sentences.len()),
        )
        .with_field("sentences"));
    }
    // The options are checked once, before any sentence (also when there is none).
    tm_query(String::new(), &b.src, &b.tgt, b.threshold, b.limit)?.check_options()?;
    let queries = b
        .sentences
        .into_iter()
        .map(|text| tm_query(text, &b.src, &b.tgt, b.threshold, b.limit))
        .collect::<Result<Vec<_>, _>>()?;
    let results = blocking(&state, move |g| {
        queries
            .iter()
            .enumerate()
            .map(|(i, q)| {
                g.suggest(q).map_err(|e| match e {
                    glossary::Error::InvalidInput { field, reason } => {
                        glossary::Error::InvalidInput { field: format!("sentences[{i}].{field}"), reason }
                    }
                    other => other,
                })
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await?;
    Ok(web::Json(SuggestBatchResponse { results: results.iter().map(SuggestionJson::from).collect() }))
}

/// Glossary terms in a sentence.
///
/// Every glossary term of the source language occurring in the sentence as
/// whole words, longest first with overlaps removed, with character spans,
/// the target-language equivalents and deprecation warnings.
#[utoipa::path(
    tag = "suggestions",
    request_body = RecognizeRequest,
    responses(
        (status = 200, description = "Terms found (possibly none)", body = RecognizeResponse),
        (status = 400, description = "Invalid body (`invalid_json`, `invalid_body`, `invalid_language_tag`, `invalid_input`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
    )
)]
#[post("/terms/recognize")]
pub async fn recognize(
    state: web::Data<AppState>,
    body: super::Json<RecognizeRequest>,
) -> Result<web::Json<RecognizeResponse>, ApiError> {
    let b = body.into_inner();
    let (src, tgt) = (parse_lang(&b.src, "src")?, parse_lang(&b.tgt, "tgt")?);
    let n = b.text.chars().count();
    if n > glossary::tm::MAX_QUERY_CHARS {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("is {n} characters long; the limit is {}", glossary::tm::MAX_QUERY_CHARS),
        )
        .with_field("text"));
    }
    let text = b.text.clone();
    let terms = blocking(&state, move |g| g.recognize(&b.text, &src, &tgt)).await?;
    Ok(web::Json(RecognizeResponse { text, terms: terms.iter().map(RecognizedTermJson::from).collect() }))
}
