//! `GET /api/v1/lookup`: ranked fuzzy term lookup.

use actix_web::{get, web};

use super::blocking;
use crate::error::ApiError;
use crate::views::LookupParams;
use crate::views::{lookup_response, parse_lang, require_nonempty, LookupResponse};
use crate::AppState;

/// Look up a term.
///
/// Returns the best-matching term of each concept, ranked: exact, then
/// normalised (case, tone placement hoà/hòa, dashes, quotes), then
/// diacritic-insensitive (a query typed without accents; when the query has
/// accents, terms whose accents agree rank first, so "đường" comes before
/// "dương"), then fuzzy (typos, swapped syllables), then partial (the query
/// is part of a longer term). Each hit carries the concept's equivalents in
/// the target language, preferred first.
#[utoipa::path(
    tag = "lookup",
    params(LookupParams),
    responses(
        (status = 200, description = "Ranked hits (possibly none)", body = LookupResponse),
        (status = 400, description = "Missing or bad parameter (`invalid_query`, `invalid_language_tag`, `invalid_input` for an over-long query or a limit out of range)", body = ApiError),
    )
)]
#[get("/lookup")]
pub async fn lookup(
    state: web::Data<AppState>,
    params: web::Query<LookupParams>,
    scope: crate::auth::KeyScope,
) -> Result<web::Json<LookupResponse>, ApiError> {
    let p = params.into_inner();
    require_nonempty(&p.q, "q")?;
    let query = glossary::LookupQuery {
        src: parse_lang(&p.src, "src")?,
        tgt: p.tgt.as_deref().map(|t| parse_lang(t, "tgt")).transpose()?,
        limit: p.limit.unwrap_or(glossary::lookup::DEFAULT_LIMIT),
        collections: scope.read_param(p.collection.as_deref())?,
        text: p.q,
    };
    let text = query.text.clone();
    let hits = blocking(&state, move |g| g.lookup(&query)).await?;
    Ok(web::Json(lookup_response(&text, &hits)))
}
