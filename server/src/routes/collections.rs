//! `GET /api/v1/collections`.

use actix_web::{get, web};

use super::blocking;
use crate::error::ApiError;
use crate::views::collections::{CollectionJson, CollectionList};
use crate::AppState;

/// List the collections (named glossaries and TMs).
///
/// Every collection holding at least one concept or TM unit, by name, with
/// its counts; `default` (where records without a collection live) is
/// always listed. The counts come from the in-memory indexes, so the call
/// costs no store scan. A key limited to collections sees only its own.
#[utoipa::path(
    tag = "collections",
    responses(
        (status = 200, description = "The collections", body = CollectionList),
    )
)]
#[get("/collections")]
pub async fn list_collections(
    state: web::Data<AppState>,
    scope: crate::auth::KeyScope,
) -> Result<web::Json<CollectionList>, ApiError> {
    let items = blocking(&state, |g| Ok(g.collections())).await?;
    let items = items.iter().filter(|c| scope.sees(&c.name)).map(CollectionJson::from).collect();
    Ok(web::Json(CollectionList { items }))
}
