//! `POST /api/v1/equivalents`: English equivalents of a term, proposed from
//! aligned sentence pairs.

use super::blocking;
use crate::auth::KeyScope;
use crate::error::{ApiError, ErrorCode};
use crate::views::equivalents::{
    equivalents_response, EquivalentsRequest, EquivalentsResponse, MeasureJson, SegmentPairJson,
};
use crate::views::parse_lang;
use crate::AppState;
use actix_web::{post, web};
use glossary::align::equivalents::{self, EquivalentsOptions, Measure};

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
        (status = 403, description = "The API key is limited to collections and no `pairs` were sent (`collection_forbidden`)", body = ApiError),
        (status = 413, description = "Body over 1 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/equivalents")]
pub async fn propose_equivalents(
    state: web::Data<AppState>,
    body: super::Json<EquivalentsRequest>,
    scope: KeyScope,
) -> Result<web::Json<EquivalentsResponse>, ApiError> {
    let req = body.into_inner();
    let src = parse_lang(&req.src, "src")?;
    let tgt = parse_lang(&req.tgt, "tgt")?;
    let sent = req.pairs.unwrap_or_default();
    let from_tm = sent.is_empty();
    if from_tm && !scope.0.is_all() {
        // The TM evidence is drawn from every collection and returned.
        return Err(ApiError::new(
            ErrorCode::CollectionForbidden,
            "this API key is limited to collections and TM evidence is drawn from all of them: send `pairs`",
        )
        .with_field("pairs"));
    }
    equivalents::check_input(&req.term, sent.iter().map(|p| (p.source.as_str(), p.target.as_str())))?;
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
