//! `POST /api/v1/align`: sentence alignment of a document with its
//! translation.

use super::blocking;
use crate::auth::KeyScope;
use crate::error::{ApiError, ErrorCode};
use crate::views::align::{align_response, AlignRequest, AlignResponse, StoredJson};
use crate::views::parse_lang;
use crate::AppState;
use actix_web::{post, web};
use glossary::align::{self, AlignOptions, Document};

/// Largest body of an alignment request: two documents of
/// [`align::MAX_DOCUMENT_BYTES`] each, plus room for JSON escapes.
pub const MAX_ALIGN_JSON_BYTES: usize = 5 * 1024 * 1024;

/// Registers the route with its own body limit.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/align").app_data(super::BodyLimit(MAX_ALIGN_JSON_BYTES)).service(align_documents),
    );
}

/// Align a document with its translation.
///
/// Splits both texts into sentences and links them: 1-1, 2-1 and 1-2
/// (sentences merged or split in translation), 2-2, and 1-0 / 0-1 (a
/// sentence left out of, or added to, the translation). The method is
/// Gale–Church (sentence lengths in characters) combined with anchors found
/// on both sides: numbers (Vietnamese "2,5" = English "2.5", "1.000" =
/// "1,000"), percentages, dates ("5/2/2026" = "5 February 2026"), names and
/// acronyms, the glossary's term pairs, and `?` `!` `()` quotations. Each
/// link's `confidence` is its posterior probability given both documents.
///
/// Each text may have up to 2 MiB; the body up to 5 MiB. Long documents are
/// searched in a band around the diagonal (at most 4 million cells), so a
/// pair of 1 MiB documents takes a few seconds.
#[utoipa::path(
    tag = "alignment",
    request_body = AlignRequest,
    responses(
        (status = 200, description = "The links, in document order", body = AlignResponse),
        (status = 400, description = "Bad body (`invalid_json`, `invalid_body`), bad language tag (`invalid_language_tag`, field `source.lang` or `target.lang`), a text over 2 MiB or `min_confidence` outside 0–1 (`invalid_input`)", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 413, description = "Body over 5 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("")]
pub async fn align_documents(
    state: web::Data<AppState>,
    body: super::Json<AlignRequest>,
    scope: KeyScope,
) -> Result<web::Json<AlignResponse>, ApiError> {
    let req = body.into_inner();
    let store_collection = match &req.store {
        Some(s) => {
            let c = s.collection.as_deref().map(glossary::Collection::new).transpose()?;
            scope.check_write(&c.clone().unwrap_or_default())?;
            c
        }
        None => None,
    };
    let src = parse_lang(&req.source.lang, "source.lang")?;
    let tgt = parse_lang(&req.target.lang, "target.lang")?;
    let min_confidence = req.min_confidence.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(ApiError::new(ErrorCode::InvalidInput, "min_confidence must be between 0 and 1")
            .with_field("min_confidence"));
    }
    let use_glossary = req.use_glossary.unwrap_or(true);
    let store = req.store;
    let store_min = store.as_ref().and_then(|s| s.min_confidence).unwrap_or(align::DEFAULT_STORE_MIN_CONFIDENCE);
    if !(0.0..=1.0).contains(&store_min) {
        return Err(ApiError::new(ErrorCode::InvalidInput, "store.min_confidence must be between 0 and 1")
            .with_field("store.min_confidence"));
    }
    let (src_text, tgt_text) = (req.source.text, req.target.text);
    let (alignment, stored) = blocking(&state, move |g| {
        let lexicon = if use_glossary { g.anchor_lexicon(&src, &tgt)? } else { Default::default() };
        let alignment = align::align(
            &Document::new(src.clone(), &src_text),
            &Document::new(tgt.clone(), &tgt_text),
            &lexicon,
            &AlignOptions::default(),
        )?;
        let stored = match store {
            Some(s) => {
                let provenance =
                    glossary::tm::Provenance { document: s.document, title: s.title, url: s.url, date: s.date };
                Some(g.store_alignment(&alignment, &src, &tgt, store_min, &provenance, store_collection.as_ref())?)
            }
            None => None,
        };
        Ok((alignment, stored))
    })
    .await?;
    let mut response = align_response(&alignment, min_confidence);
    response.stored = stored.map(|s| StoredJson { created: s.created, merged: s.merged, skipped: s.skipped });
    Ok(web::Json(response))
}
