//! `GET /api/v1/health`.

use actix_web::{get, web};

use super::blocking;
use crate::error::ApiError;
use crate::views::{FeedJson, Health};
use crate::AppState;

/// Health check and glossary size.
///
/// Answers `200` with counts while the store is readable, the store kind,
/// and for a PostgreSQL store the change-feed position and lag; `warming`
/// while the recognition term table is built after a start from the index
/// snapshot (lookups are served meanwhile). Never needs an
/// API key, so load balancers and scripts can poll it.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "The server is up", body = Health),
        (status = 503, description = "The store cannot be read (`storage_unavailable`)", body = ApiError),
    )
)]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    let (stats, feed, store, warming) =
        blocking(&state, |g| Ok((g.stats()?, g.feed_status()?, g.store_kind(), g.warming()))).await?;
    Ok(web::Json(Health {
        store: store.into(),
        feed: feed.map(|f| FeedJson { applied: f.applied, latest: f.latest, lag: (f.latest - f.applied).max(0) }),
        status: "ok".into(),
        warming,
        version: env!("CARGO_PKG_VERSION").into(),
        concepts: stats.concepts,
        terms: stats.terms,
        tm_units: stats.tm_units,
        seeded_at: stats.seeded_at.map(|t| t.to_rfc3339()),
    }))
}
