//! `/api/v1/concepts/{id}/history` and `/restore`: the recorded versions of
//! a concept, with who changed what and when, and writing an old version
//! again.

use actix_web::{get, post, web};
use glossary::ConceptId;

use super::blocking;
use crate::auth::{Actor, KeyScope};
use crate::error::ApiError;
use crate::views::history::{ConceptHistoryJson, HistoryEntryJson, RestoreRequest};
use crate::views::ConceptJson;
use crate::AppState;

/// Registers the history routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(concept_history).service(restore_concept);
}

/// The change history of a concept.
///
/// Every recorded version, newest first, with who made it (the API key's
/// name), when, and what changed from the version before. Deleted concepts
/// keep their history.
#[utoipa::path(
    tag = "concepts",
    params(("id" = String, Path, description = "Concept id")),
    responses(
        (status = 200, description = "The history, newest first", body = ConceptHistoryJson),
        (status = 400, description = "Malformed id (`invalid_input`)", body = ApiError),
        (status = 404, description = "No concept ever had this id (`concept_not_found`)", body = ApiError),
    )
)]
#[get("/concepts/{id}/history")]
pub async fn concept_history(
    state: web::Data<AppState>,
    id: web::Path<String>,
    scope: KeyScope,
) -> Result<web::Json<ConceptHistoryJson>, ApiError> {
    let id = ConceptId::new(&id)?;
    let key = id.clone();
    let entries = blocking(&state, move |g| g.history(&key)).await?;
    // The history of a concept last seen outside the key's collections is
    // not there for it.
    if latest(&entries).is_some_and(|c| !scope.sees(&c.collection)) {
        return Err(glossary::Error::NotFound { kind: glossary::RecordKind::Concept, id: id.to_string() }.into());
    }
    Ok(web::Json(ConceptHistoryJson {
        id: id.to_string(),
        items: entries.iter().map(HistoryEntryJson::from).collect(),
    }))
}

/// Restore an old version of a concept.
///
/// Writes the content of `version` (from the history) as a new version,
/// which the history records like any change; a deleted concept comes
/// back. Send `expected_version` (the version you last saw) to be told
/// instead of overwriting someone else's change.
#[utoipa::path(
    tag = "concepts",
    params(("id" = String, Path, description = "Concept id")),
    request_body = RestoreRequest,
    responses(
        (status = 200, description = "The concept as restored (a new version)", body = ConceptJson),
        (status = 400, description = "Malformed id or body (`invalid_input`, `invalid_json`, `invalid_body`)", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 404, description = "No concept ever had this id, or its history has no such version (`concept_not_found`)", body = ApiError),
        (status = 409, description = "Changed since `expected_version` (`version_conflict`), or while restoring (`state_conflict`)", body = ApiError),
        (status = 413, description = "Body over 1 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
        (status = 503, description = "Not stored (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/concepts/{id}/restore")]
pub async fn restore_concept(
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: super::Json<RestoreRequest>,
    actor: Actor,
    scope: KeyScope,
) -> Result<web::Json<ConceptJson>, ApiError> {
    let id = ConceptId::new(&id)?;
    let r = body.into_inner();
    if !scope.0.is_all() {
        // Both where the concept is and where the restored version puts it
        // must be the key's.
        let key = id.clone();
        let entries = blocking(&state, move |g| g.history(&key)).await?;
        let target = entries.iter().rev().find_map(|e| e.after.as_ref().filter(|c| c.version == r.version));
        for c in [latest(&entries), target].into_iter().flatten() {
            scope.check_write(&c.collection)?;
        }
    }
    let concept = blocking(&state, move |g| g.restore(&id, r.version, r.expected_version, &actor.0)).await?;
    Ok(web::Json(ConceptJson::from(&concept)))
}

/// The concept as its last history entry left it (before a deletion).
fn latest(entries: &[glossary::history::HistoryEntry]) -> Option<&glossary::Concept> {
    entries.last().and_then(|e| e.after.as_ref().or(e.before.as_ref()))
}
