//! `/api/v1/concepts`: create, read, update, delete, list and search
//! concept entries.

use actix_web::{delete, get, post, put, web, HttpResponse};
use glossary::{ConceptId, ConceptQuery, Timestamp};

use super::blocking;
use crate::auth::{Actor, KeyScope};
use crate::error::ApiError;
use crate::views::{parse_lang, ConceptJson, ConceptPageJson, ConceptUpdate, NewConcept};
use crate::views::{DeleteParams, ListParams};
use crate::AppState;

/// Registers the concept routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_concepts)
        .service(create_concept)
        .service(get_concept)
        .service(replace_concept)
        .service(delete_concept);
}

/// List or search concepts.
///
/// Pages through concepts in id order. With `q`, returns the concepts that
/// have a term containing the query's syllables (diacritic-insensitive).
/// Use `next_cursor` to get the following page.
#[utoipa::path(
    tag = "concepts",
    params(ListParams),
    responses(
        (status = 200, description = "One page of concepts", body = ConceptPageJson),
        (status = 400, description = "Bad parameter (`invalid_query`, `invalid_language_tag`, `invalid_input`)", body = ApiError),
    )
)]
#[get("/concepts")]
pub async fn list_concepts(
    state: web::Data<AppState>,
    params: web::Query<ListParams>,
    scope: KeyScope,
) -> Result<web::Json<ConceptPageJson>, ApiError> {
    let p = params.into_inner();
    let query = ConceptQuery {
        q: p.q,
        lang: p.lang.as_deref().map(|l| parse_lang(l, "lang")).transpose()?,
        subject_field: p.subject_field,
        status: p.status.map(crate::views::mining::term_status),
        missing_lang: p.missing_lang.as_deref().map(|l| parse_lang(l, "missing_lang")).transpose()?,
        updated_since: p
            .updated_since
            .as_deref()
            .map(Timestamp::parse_rfc3339)
            .transpose()
            .map_err(|e| ApiError::from(e).with_field("updated_since"))?,
        cursor: p
            .cursor
            .as_deref()
            .map(ConceptId::new)
            .transpose()
            .map_err(|e| ApiError::from(e).with_field("cursor"))?,
        limit: p.limit.unwrap_or(glossary::DEFAULT_PAGE_SIZE),
        collections: scope.read_param(p.collection.as_deref())?,
    };
    let page = blocking(&state, move |g| g.list(&query)).await?;
    Ok(web::Json(ConceptPageJson {
        items: page.items.iter().map(ConceptJson::from).collect(),
        next_cursor: page.next_cursor.map(|c| c.to_string()),
        total: page.total,
    }))
}

/// Create a concept.
///
/// The concept is durable when this returns `201`. Term texts are cleaned
/// (Unicode NFC, single spaces); two terms of one language may not be the
/// same after normalisation, and each language has at most one preferred term.
#[utoipa::path(
    tag = "concepts",
    request_body = NewConcept,
    responses(
        (status = 201, description = "Created; `Location` names the new concept", body = ConceptJson),
        (status = 400, description = "Invalid body (`invalid_json`, `invalid_body`, `invalid_language_tag`, `invalid_input`)", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 409, description = "The requested id is taken (`concept_exists`)", body = ApiError),
        (status = 413, description = "Body over 1 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
        (status = 503, description = "Not stored (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/concepts")]
pub async fn create_concept(
    state: web::Data<AppState>,
    body: super::Json<NewConcept>,
    actor: Actor,
    scope: KeyScope,
) -> Result<HttpResponse, ApiError> {
    let draft = body.into_inner().into_draft()?;
    scope.check_write(&draft.collection.clone().unwrap_or_default())?;
    let concept = blocking(&state, move |g| g.create(draft, &actor.0)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/concepts/{}", concept.id)))
        .json(ConceptJson::from(&concept)))
}

/// Get one concept.
#[utoipa::path(
    tag = "concepts",
    params(("id" = String, Path, description = "Concept id")),
    responses(
        (status = 200, description = "The concept", body = ConceptJson),
        (status = 400, description = "Malformed id (`invalid_input`)", body = ApiError),
        (status = 404, description = "No such concept (`concept_not_found`)", body = ApiError),
    )
)]
#[get("/concepts/{id}")]
pub async fn get_concept(
    state: web::Data<AppState>,
    id: web::Path<String>,
    scope: KeyScope,
) -> Result<web::Json<ConceptJson>, ApiError> {
    let id = ConceptId::new(&id)?;
    let concept = blocking(&state, move |g| g.get(&id)).await?;
    // A concept outside the key's collections is not there for it.
    if !scope.sees(&concept.collection) {
        return Err(
            glossary::Error::NotFound { kind: glossary::RecordKind::Concept, id: concept.id.to_string() }.into()
        );
    }
    Ok(web::Json(ConceptJson::from(&concept)))
}

/// Replace a concept.
///
/// Replaces every editable field and the whole term list; `created` is kept
/// and `version` increases by one. Send the `version` you read to be told
/// (`409 version_conflict`) instead of overwriting someone else's change.
#[utoipa::path(
    tag = "concepts",
    params(("id" = String, Path, description = "Concept id")),
    request_body = ConceptUpdate,
    responses(
        (status = 200, description = "The updated concept", body = ConceptJson),
        (status = 400, description = "Invalid body or id", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 404, description = "No such concept (`concept_not_found`)", body = ApiError),
        (status = 409, description = "Changed since `version` (`version_conflict`)", body = ApiError),
        (status = 413, description = "Body over 1 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
        (status = 503, description = "Not stored (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[put("/concepts/{id}")]
pub async fn replace_concept(
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: super::Json<ConceptUpdate>,
    actor: Actor,
    scope: KeyScope,
) -> Result<web::Json<ConceptJson>, ApiError> {
    let id = ConceptId::new(&id)?;
    let (draft, version) = body.into_inner().into_draft()?;
    if let Some(to) = &draft.collection {
        scope.check_write(to)?;
    }
    let version = version.or(super::concept_write_scope(&state, &scope, &id).await?);
    let concept = blocking(&state, move |g| g.replace(&id, draft, version, &actor.0)).await?;
    Ok(web::Json(ConceptJson::from(&concept)))
}

/// Delete a concept.
#[utoipa::path(
    tag = "concepts",
    params(("id" = String, Path, description = "Concept id"), DeleteParams),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed id or version", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 404, description = "No such concept (`concept_not_found`)", body = ApiError),
        (status = 409, description = "Changed since `version` (`version_conflict`)", body = ApiError),
        (status = 503, description = "Not deleted (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[delete("/concepts/{id}")]
pub async fn delete_concept(
    state: web::Data<AppState>,
    id: web::Path<String>,
    params: web::Query<DeleteParams>,
    actor: Actor,
    scope: KeyScope,
) -> Result<HttpResponse, ApiError> {
    let id = ConceptId::new(&id)?;
    let version = params.version.or(super::concept_write_scope(&state, &scope, &id).await?);
    blocking(&state, move |g| g.delete(&id, version, &actor.0)).await?;
    Ok(HttpResponse::NoContent().finish())
}
