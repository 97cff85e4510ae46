//! `/api/v1/mining/runs` and `/api/v1/candidates`: mine documents for
//! candidate terms and review them (accept, reject, merge).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use glossary::jobs::Submitted;
use glossary::mining::{
    AcceptRequest, CandidateQuery, CandidateSort, CandidateStatus, Document, MergeRequest, MiningOptions, RunStatus,
};
use glossary::ConceptId;

use super::{blocking, blocking_shared, read_limited};
use crate::auth::{Actor, KeyScope};
use crate::error::{ApiError, ErrorCode};
use crate::views::mining::CandidateParams;
use crate::views::mining::{
    term_status, AcceptJson, CandidateJson, CandidatePageJson, MergeJson, MiningRequest, MiningRunJson, RejectJson,
    ReviewJson, RunProgressJson,
};
use crate::views::ConceptJson;
use crate::{AppState, MAX_JSON_BYTES};

/// Largest body of `POST /mining/runs`, in bytes.
pub const MAX_MINING_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Parses an optional JSON body: empty means all defaults.
fn optional_json<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    super::parse_json(body)
}

/// Registers the mining and candidate routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/mining")
            .app_data(super::BodyLimit(MAX_MINING_BODY_BYTES))
            .service(create_run)
            .service(get_run),
    )
    .service(list_candidates)
    .service(get_candidate)
    .service(accept_candidate)
    .service(reject_candidate)
    .service(merge_candidate);
}

/// Submit documents for term mining.
///
/// Mines the documents for candidate terms (phrases, names, acronyms and
/// formulas), ranks them and stores them in the review queue. Corpora of up
/// to 1 MiB of text are mined within the request (`201`, status
/// `completed`); larger ones run in the background (`202`, status
/// `running`): poll `GET /api/v1/mining/runs/{id}` (or the job named by
/// `job_id`). At most 8 background jobs (mining runs and imports) exist at
/// once; beyond, `429` with `Retry-After`. Candidates already in
/// the queue get the new counts and keep their review status; rejected ones
/// stay rejected. The body may be up to 16 MiB.
#[utoipa::path(
    tag = "mining",
    request_body = MiningRequest,
    responses(
        (status = 201, description = "Mined; the candidates are in the queue", body = MiningRunJson),
        (status = 202, description = "Accepted; mining in the background (`Location` names the run)", body = MiningRunJson),
        (status = 400, description = "Invalid body or limits (`invalid_json`, `invalid_body`, `invalid_input`, `invalid_language_tag`)", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 413, description = "Body over 16 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
        (status = 429, description = "The background jobs are all taken (`too_many_jobs`); nothing was recorded",
            body = ApiError, headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
        (status = 503, description = "Not stored (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/runs")]
pub async fn create_run(
    state: web::Data<AppState>,
    body: super::Json<MiningRequest>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    if let Some(lang) = &req.lang {
        let lang = crate::views::parse_lang(lang, "lang")?;
        if lang.primary() != "vi" {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("mining supports Vietnamese (`vi`) only, not {lang}"),
            )
            .with_field("lang"));
        }
    }
    let defaults = MiningOptions::default();
    let options = MiningOptions {
        top: req.top.unwrap_or(defaults.top),
        min_frequency: req.min_frequency.unwrap_or(defaults.min_frequency),
        max_contexts: req.max_contexts.unwrap_or(defaults.max_contexts),
        max_ngrams: defaults.max_ngrams,
    };
    let documents: Vec<Document> =
        req.documents.into_iter().map(|d| Document { id: d.id, title: d.title, text: d.text }).collect();
    let submitted = blocking_shared(&state, move |g| g.submit_mining_run(documents, options)).await?;
    let (mut response, run) = match &submitted {
        Submitted::Finished(run) => (HttpResponse::Created(), run),
        Submitted::Background(run) => (HttpResponse::Accepted(), run),
    };
    Ok(response.insert_header(("Location", format!("/api/v1/mining/runs/{}", run.id))).json(MiningRunJson::from(run)))
}

/// Get a mining run.
///
/// Its status (`running`, `completed`, `failed`), corpus counts and the ids
/// of the candidates it found, best first. A run working in the background
/// reports its `progress`; one cut short by a server restart reads `failed`
/// with an error starting `interrupted`.
#[utoipa::path(
    tag = "mining",
    params(("id" = u64, Path, description = "Run id")),
    responses(
        (status = 200, description = "The run", body = MiningRunJson),
        (status = 400, description = "Malformed id (`invalid_path`)", body = ApiError),
        (status = 404, description = "No such run (`mining_run_not_found`)", body = ApiError),
    )
)]
#[get("/runs/{id}")]
pub async fn get_run(state: web::Data<AppState>, id: web::Path<u64>) -> Result<web::Json<MiningRunJson>, ApiError> {
    let id = id.into_inner();
    let (run, progress) = blocking(&state, move |g| {
        let run = g.mining_run(id)?;
        let progress = if run.status == RunStatus::Running { g.mining_run_progress(&run) } else { None };
        Ok((run, progress))
    })
    .await?;
    let mut json = MiningRunJson::from(&run);
    json.progress = progress.map(|p| RunProgressJson::new(p.done, p.total));
    Ok(web::Json(json))
}

/// List the review queue.
///
/// Candidates with their evidence, filtered by status and frequency,
/// sorted, one page at a time.
#[utoipa::path(
    tag = "mining",
    params(CandidateParams),
    responses(
        (status = 200, description = "One page of candidates", body = CandidatePageJson),
        (status = 400, description = "Bad parameter (`invalid_query`, `invalid_input`)", body = ApiError),
    )
)]
#[get("/candidates")]
pub async fn list_candidates(
    state: web::Data<AppState>,
    params: web::Query<CandidateParams>,
) -> Result<web::Json<CandidatePageJson>, ApiError> {
    let p = params.into_inner();
    let status = match p.status.as_deref() {
        None => Some(CandidateStatus::Pending),
        Some("all") => None,
        Some(s) => Some(s.parse::<CandidateStatus>()?),
    };
    let query = CandidateQuery {
        status,
        min_frequency: p.min_frequency.unwrap_or(1),
        sort: p.sort.as_deref().map(str::parse::<CandidateSort>).transpose()?.unwrap_or_default(),
        cursor: p.cursor,
        limit: p.limit.unwrap_or(glossary::DEFAULT_PAGE_SIZE),
    };
    let page = blocking(&state, move |g| g.candidates(&query)).await?;
    Ok(web::Json(CandidatePageJson {
        items: page.items.iter().map(CandidateJson::from).collect(),
        total: page.total,
        next_cursor: page.next_cursor,
    }))
}

/// Get one candidate.
///
/// By id, or by the term itself in any spelling that has the same
/// normalised key (URL-encoded), e.g. `/candidates/th%C4%83m%20c%E1%BA%A5p%20nh%C3%A0%20n%C6%B0%E1%BB%9Bc`.
#[utoipa::path(
    tag = "mining",
    params(("id" = String, Path, description = "Candidate id or term")),
    responses(
        (status = 200, description = "The candidate", body = CandidateJson),
        (status = 404, description = "Not in the queue (`candidate_not_found`)", body = ApiError),
    )
)]
#[get("/candidates/{id}")]
pub async fn get_candidate(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<CandidateJson>, ApiError> {
    let id = id.into_inner();
    if id.chars().count() > glossary::model::MAX_TERM_CHARS {
        return Err(ApiError::new(ErrorCode::InvalidPath, "the candidate id or term is too long"));
    }
    let c = blocking(&state, move |g| g.candidate(&id)).await?;
    Ok(web::Json(CandidateJson::from(&c)))
}

/// Accept a candidate.
///
/// Creates a concept with the candidate as its Vietnamese term (context:
/// the first example; source: the mining run) and, if given, an English
/// term, and marks the candidate `accepted` — in one transaction. The new
/// term is found by lookup at once. A rejected candidate may still be
/// accepted; an accepted or merged one may not.
#[utoipa::path(
    tag = "mining",
    params(("id" = String, Path, description = "Candidate id")),
    request_body = AcceptJson,
    responses(
        (status = 201, description = "Concept created; `Location` names it", body = ReviewJson),
        (status = 400, description = "Invalid body (`invalid_json`, `invalid_body`, `invalid_input`)", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 404, description = "No such candidate (`candidate_not_found`)", body = ApiError),
        (status = 409, description = "Already accepted or merged (`candidate_already_reviewed`)", body = ApiError),
        (status = 413, description = "Body over 1 MiB (`payload_too_large`)", body = ApiError),
        (status = 503, description = "Not stored (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/candidates/{id}/accept")]
pub async fn accept_candidate(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
    actor: Actor,
    scope: KeyScope,
) -> Result<HttpResponse, ApiError> {
    let b: AcceptJson = optional_json(&read_limited(&req, payload, MAX_JSON_BYTES).await?)?;
    let collection = b.collection.as_deref().map(glossary::Collection::new).transpose()?;
    scope.check_write(&collection.clone().unwrap_or_default())?;
    let request = AcceptRequest {
        term: b.term,
        english: b.english,
        status: b.status.map(term_status),
        subject_field: b.subject_field,
        note: b.note,
        collection,
    };
    let id = id.into_inner();
    let (candidate, concept) = blocking(&state, move |g| g.accept_candidate(&id, request, &actor.0)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/concepts/{}", concept.id)))
        .json(ReviewJson { candidate: CandidateJson::from(&candidate), concept: ConceptJson::from(&concept) }))
}

/// Reject a candidate.
///
/// The rejection is remembered by the candidate's normalised key: later
/// mining runs do not put it back in the pending list.
#[utoipa::path(
    tag = "mining",
    params(("id" = String, Path, description = "Candidate id")),
    request_body = RejectJson,
    responses(
        (status = 200, description = "Rejected", body = CandidateJson),
        (status = 400, description = "Invalid body (`invalid_json`, `invalid_body`, `invalid_input`)", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 404, description = "No such candidate (`candidate_not_found`)", body = ApiError),
        (status = 409, description = "Already accepted or merged (`candidate_already_reviewed`)", body = ApiError),
        (status = 503, description = "Not stored (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/candidates/{id}/reject")]
pub async fn reject_candidate(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<web::Json<CandidateJson>, ApiError> {
    let reason = optional_json::<RejectJson>(&read_limited(&req, payload, MAX_JSON_BYTES).await?)?.reason;
    let id = id.into_inner();
    let c = blocking(&state, move |g| g.reject_candidate(&id, reason)).await?;
    Ok(web::Json(CandidateJson::from(&c)))
}

/// Merge a candidate into a concept.
///
/// Adds the candidate to an existing concept as a Vietnamese variant term
/// (status `admitted` unless given) and marks it `merged`, in one
/// transaction. Send the concept's `version` to be told about concurrent
/// edits.
#[utoipa::path(
    tag = "mining",
    params(("id" = String, Path, description = "Candidate id")),
    request_body = MergeJson,
    responses(
        (status = 200, description = "Merged", body = ReviewJson),
        (status = 400, description = "Invalid body, or the term duplicates one of the concept (`invalid_json`, `invalid_body`, `invalid_input`)", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 404, description = "No such candidate or concept (`candidate_not_found`, `concept_not_found`)", body = ApiError),
        (status = 409, description = "Already reviewed, or the concept changed (`candidate_already_reviewed`, `version_conflict`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
        (status = 503, description = "Not stored (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/candidates/{id}/merge")]
pub async fn merge_candidate(
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: super::Json<MergeJson>,
    actor: Actor,
    scope: KeyScope,
) -> Result<web::Json<ReviewJson>, ApiError> {
    let b = body.into_inner();
    let concept = ConceptId::new(&b.concept_id).map_err(|e| ApiError::from(e).with_field("concept_id"))?;
    let version = b.version.or(super::concept_write_scope(&state, &scope, &concept).await?);
    let request = MergeRequest { concept, version, status: b.status.map(term_status) };
    let id = id.into_inner();
    let (candidate, concept) = blocking(&state, move |g| g.merge_candidate(&id, request, &actor.0)).await?;
    Ok(web::Json(ReviewJson { candidate: CandidateJson::from(&candidate), concept: ConceptJson::from(&concept) }))
}
