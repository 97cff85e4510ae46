//! `/api/v1/jobs`: the recorded imports and mining runs (see
//! `glossary::jobs`), to poll background work and to learn what an
//! interrupted import left stored.

use actix_web::{get, web};

use super::blocking;
use crate::error::ApiError;
use crate::views::jobs::JobParams;
use crate::views::jobs::{JobJson, JobPageJson};
use crate::AppState;

/// Registers the job routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_jobs).service(get_job);
}

/// List jobs.
///
/// Imports and mining runs, newest first, one page at a time.
#[utoipa::path(
    tag = "jobs",
    params(JobParams),
    responses(
        (status = 200, description = "One page of jobs", body = JobPageJson),
        (status = 400, description = "Bad parameter (`invalid_query`, `invalid_input`)", body = ApiError),
    )
)]
#[get("/jobs")]
pub async fn list_jobs(
    state: web::Data<AppState>,
    params: web::Query<JobParams>,
) -> Result<web::Json<JobPageJson>, ApiError> {
    let p = params.into_inner();
    let query = glossary::jobs::JobQuery {
        kind: p.kind.map(Into::into),
        state: p.state.map(Into::into),
        before: p.before,
        limit: p.limit.unwrap_or(glossary::jobs::JobQuery::default().limit),
    };
    let page = blocking(&state, move |g| g.jobs(&query)).await?;
    Ok(web::Json(JobPageJson::from(&page)))
}

/// Get a job.
///
/// Its state (`queued`, `running`, `done`, `failed`, `interrupted`),
/// counts, and progress while it runs. A job cut short by a server stop
/// reads `interrupted`, and its `error` says how many concepts were stored.
#[utoipa::path(
    tag = "jobs",
    params(("id" = u64, Path, description = "Job id", minimum = 1)),
    responses(
        (status = 200, description = "The job", body = JobJson),
        (status = 400, description = "Malformed id (`invalid_path`)", body = ApiError),
        (status = 404, description = "No such job (`job_not_found`)", body = ApiError),
    )
)]
#[get("/jobs/{id}")]
pub async fn get_job(state: web::Data<AppState>, id: web::Path<u64>) -> Result<web::Json<JobJson>, ApiError> {
    let id = id.into_inner();
    let job = blocking(&state, move |g| g.job(id)).await?;
    Ok(web::Json(JobJson::from(&job)))
}
