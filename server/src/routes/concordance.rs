//! `GET /api/v1/tm/concordance`: units containing a phrase as whole words.

use actix_web::{get, web};

use super::blocking;
use crate::error::ApiError;
use crate::views::concordance::{ConcordanceParams, ConcordanceResponse};
use crate::views::require_nonempty;
use crate::AppState;

/// Concordance search in the TM.
///
/// Finds the units whose source (or target, with `side=target`) contains
/// the phrase as whole words: in Vietnamese, "tiếp" does not hit inside the
/// word "tiếp tục", while a phrase of several words ("hợp tác toàn diện")
/// hits wherever its syllables form whole words. Matching ignores
/// diacritics, tone placement and case; hits with exactly the typed
/// diacritics come first. Each hit gives the character ranges of the
/// phrase, and where the glossary has a term for the phrase, where that
/// concept's terms occur on the other side. Served from an index, not a scan.
#[utoipa::path(
    tag = "translation memory",
    params(ConcordanceParams),
    responses(
        (status = 200, description = "One page of hits (possibly none)", body = ConcordanceResponse),
        (status = 400, description = "Bad parameter (`invalid_query`: no phrase or a malformed parameter; `invalid_language_tag`; `invalid_input`: phrase over 200 characters, limit out of 1–100, unknown cursor)", body = ApiError),
    )
)]
#[get("/tm/concordance")]
pub async fn concordance(
    state: web::Data<AppState>,
    params: web::Query<ConcordanceParams>,
    scope: crate::auth::KeyScope,
) -> Result<web::Json<ConcordanceResponse>, ApiError> {
    let p = params.into_inner();
    require_nonempty(&p.q, "q")?;
    let mut query = p.into_query()?;
    query.collections = scope.read(std::mem::take(&mut query.collections));
    let (query, page) = blocking(&state, move |g| g.tm_concordance(&query).map(|page| (query, page))).await?;
    Ok(web::Json(ConcordanceResponse::new(&query, &page)))
}
