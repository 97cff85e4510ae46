//! `POST /api/v1/equivalents`: English equivalents of a term, proposed from
//! aligned sentence pairs.

use super::blocking;
use crate::error::{ApiError, ErrorCode};
use crate::views::equivalents::{
    equivalents_response, EquivalentsRequest, EquivalentsResponse, MeasureJson, SegmentPairJson, MAX_PAIRS,
    MAX_SEGMENT_CHARS,
};
use crate::views::parse_lang;
use crate::AppState;
use actix_web::{post, web};
use glossary::align::equivalents::{self, EquivalentsOptions, Measure};
use glossary::model::MAX_TERM_CHARS;

/// Propose equivalents of a term from aligned pairs.
///
/// For a term that has no equivalent yet (say, a freshly accepted mining
/// candidate), ranks the target-language n-grams (1–5 words, no
/// punctuation, not starting or ending with a function word such as "the"
/// or "of") that co-occur with the term across the pairs, by Dice or
/// log-likelihood. Before counting, the equivalents of *other* glossary terms
/// found in a pair's source are removed from its target, so that known
/// neighbours ("comprehensive cooperation") do not compete with the answer
/// ("strategic cohesion"). Each proposal comes with its counts and the pairs
/// that support it.
#[utoipa::path(
    tag = "alignment",
    request_body = EquivalentsRequest,
    responses(
        (status = 200, description = "Ranked proposals (possibly none)", body = EquivalentsResponse),
        (status = 400, description = "Bad body (`invalid_json`, `invalid_body`), bad language tag (`invalid_language_tag`), or a value out of range: empty or over-long term, too many or too long pairs, `max_words`, `min_support` or `limit` out of range (`invalid_input`, with `field`)", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 413, description = "Body over 1 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/equivalents")]
pub async fn propose_equivalents(
    state: web::Data<AppState>,
    body: super::Json<EquivalentsRequest>,
) -> Result<web::Json<EquivalentsResponse>, ApiError> {
    let req = body.into_inner();
    let src = parse_lang(&req.src, "src")?;
    let tgt = parse_lang(&req.tgt, "tgt")?;
    let invalid = |field: &str, msg: String| ApiError::new(ErrorCode::InvalidInput, msg).with_field(field);
    if req.term.trim().is_empty() {
        return Err(invalid("term", "the term is empty".into()));
    }
    if req.term.chars().count() > MAX_TERM_CHARS {
        return Err(invalid("term", format!("the term is longer than {MAX_TERM_CHARS} characters")));
    }
    let sent = req.pairs.unwrap_or_default();
    let from_tm = sent.is_empty();
    if sent.len() > MAX_PAIRS {
        return Err(invalid("pairs", format!("{} pairs sent; the limit is {MAX_PAIRS}", sent.len())));
    }
    for (i, p) in sent.iter().enumerate() {
        for (side, text) in [("source", &p.source), ("target", &p.target)] {
            if text.chars().count() > MAX_SEGMENT_CHARS {
                return Err(invalid(
                    &format!("pairs[{i}].{side}"),
                    format!("longer than {MAX_SEGMENT_CHARS} characters; send sentences, not documents"),
                ));
            }
        }
    }
    let defaults = EquivalentsOptions::default();
    let options = EquivalentsOptions {
        max_words: req.max_words.unwrap_or(defaults.max_words),
        min_support: req.min_support.unwrap_or(defaults.min_support),
        limit: req.limit.unwrap_or(defaults.limit),
        measure: match req.measure.unwrap_or_default() {
            MeasureJson::Dice => Measure::Dice,
            MeasureJson::LogLikelihood => Measure::LogLikelihood,
        },
        ..defaults
    };
    let use_glossary = req.use_glossary.unwrap_or(true);
    let term = req.term;
    let (term, pairs, report) = blocking(&state, move |g| {
        let known = if use_glossary { g.anchor_lexicon(&src, &tgt)? } else { Default::default() };
        let pairs = if from_tm {
            g.equivalence_pairs_from_tm(&term, &src, &tgt)?
                .into_iter()
                .map(|p| SegmentPairJson { source: p.source, target: p.target })
                .collect()
        } else {
            sent
        };
        let report = equivalents::propose_equivalents(
            &term,
            pairs.iter().map(|p| (p.source.as_str(), p.target.as_str())),
            &known,
            &options,
        )?;
        Ok((term, pairs, report))
    })
    .await?;
    Ok(web::Json(equivalents_response(term, &pairs, report)))
}
