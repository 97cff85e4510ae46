//! `POST /api/v1/suggest` (and its batch form) and
//! `POST /api/v1/terms/recognize`: what a translator gets for a sentence.

use super::{blocking, json_body};
use crate::auth::KeyScope;
use crate::error::{ApiError, ErrorCode};
use crate::views::parse_lang;
use crate::views::suggest::{
    RecognizeRequest, RecognizeResponse, RecognizedTermJson, SuggestBatchRequest, SuggestBatchResponse, SuggestRequest,
    SuggestionJson, MAX_BATCH,
};
use crate::views::tm::tm_query;
use crate::AppState;
use actix_web::{post, web, HttpRequest};

/// Largest batch body, in bytes.
pub const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;

/// Registers the suggestion routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(suggest).service(suggest_batch).service(recognize);
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
    scope: KeyScope,
) -> Result<web::Json<SuggestionJson>, ApiError> {
    let b = body.into_inner();
    let collections = scope.read_param(b.collection.as_deref())?;
    let query = tm_query(b.text, &b.src, &b.tgt, b.threshold, b.limit, collections, b.collection_penalty)?;
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
    scope: KeyScope,
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
    let collections = scope.read_param(b.collection.as_deref())?;
    let options =
        |text| tm_query(text, &b.src, &b.tgt, b.threshold, b.limit, collections.clone(), b.collection_penalty);
    options(String::new())?.check_options()?;
    let queries = b.sentences.into_iter().map(options).collect::<Result<Vec<_>, _>>()?;
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
    scope: KeyScope,
) -> Result<web::Json<RecognizeResponse>, ApiError> {
    let b = body.into_inner();
    let collections = scope.read_param(b.collection.as_deref())?;
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
    let terms = blocking(&state, move |g| g.recognize_in(&b.text, &src, &tgt, &collections)).await?;
    Ok(web::Json(RecognizeResponse { text, terms: terms.iter().map(RecognizedTermJson::from).collect() }))
}
