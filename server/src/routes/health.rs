//! `GET /api/v1/health`.

use actix_web::{get, web};

use super::blocking;
use crate::error::ApiError;
use crate::views::Health;
use crate::AppState;

/// Health check and glossary size.
///
/// Answers `200` with counts while the store is readable. Never needs an
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
    let stats = blocking(&state, |g| g.stats()).await?;
    Ok(web::Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        concepts: stats.concepts,
        terms: stats.terms,
        tm_units: stats.tm_units,
        seeded_at: stats.seeded_at.map(|t| t.to_rfc3339()),
    }))
}
