//! `/api/v1/tm`: translation-memory units (create, bulk add, read, replace,
//! delete, list) and fuzzy matching.

use super::{blocking, json_body};
use crate::auth::KeyScope;
use crate::error::{ApiError, ErrorCode};
use crate::views::tm::{
    tm_query, BulkReport, BulkUnits, NewTmUnit, TmAddResult, TmListParams, TmMatchJson, TmMatchParams,
    TmMatchesResponse, TmPageJson, TmUnitJson, MAX_BULK_UNITS,
};
use crate::views::{parse_lang, require_nonempty};
use crate::AppState;
use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use glossary::tm::AddOutcome;

/// Largest bulk request body, in bytes.
pub const MAX_BULK_BYTES: usize = 32 * 1024 * 1024;

/// Registers the TM routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_units)
        .service(add_unit)
        .service(add_units_bulk)
        .service(get_unit)
        .service(replace_unit)
        .service(delete_unit)
        .service(matches);
}

/// List TM units.
#[utoipa::path(
    tag = "translation memory",
    params(TmListParams),
    responses(
        (status = 200, description = "One page of units", body = TmPageJson),
        (status = 400, description = "Bad parameter (`invalid_query`, `invalid_language_tag`, `invalid_input`)", body = ApiError),
    )
)]
#[get("/tm/units")]
pub async fn list_units(
    state: web::Data<AppState>,
    params: web::Query<TmListParams>,
    scope: KeyScope,
) -> Result<web::Json<TmPageJson>, ApiError> {
    let p = params.into_inner();
    let collections = scope.read_param(p.collection.as_deref())?;
    let src = p.src.as_deref().map(|l| parse_lang(l, "src")).transpose()?;
    let tgt = p.tgt.as_deref().map(|l| parse_lang(l, "tgt")).transpose()?;
    let page = blocking(&state, move |g| {
        let limit = p.limit.unwrap_or(glossary::DEFAULT_PAGE_SIZE);
        g.list_tm_units(src.as_ref(), tgt.as_ref(), &collections, p.cursor, limit)
    })
    .await?;
    Ok(web::Json(TmPageJson {
        items: page.items.iter().map(TmUnitJson::from).collect(),
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

/// Add a unit.
///
/// Texts are cleaned (NFC, single spaces). Adding a pair identical to a
/// stored one (same languages and texts) does not duplicate it: the stored
/// unit's usage count goes up and its provenance is replaced (`200`,
/// outcome `merged`). Durable when answered.
#[utoipa::path(
    tag = "translation memory",
    request_body = NewTmUnit,
    responses(
        (status = 201, description = "Stored as a new unit", body = TmAddResult),
        (status = 200, description = "Merged into an identical stored pair", body = TmAddResult),
        (status = 400, description = "Invalid body (`invalid_json`, `invalid_body`, `invalid_language_tag`, `invalid_input`)", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 413, description = "Body over 1 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
        (status = 503, description = "Not stored (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/tm/units")]
pub async fn add_unit(
    state: web::Data<AppState>,
    body: super::Json<NewTmUnit>,
    scope: KeyScope,
) -> Result<HttpResponse, ApiError> {
    let draft = body.into_inner().into_draft(None)?;
    scope.check_write(&draft.collection.clone().unwrap_or_default())?;
    let mut added = blocking(&state, move |g| g.add_tm_units(vec![draft])).await?;
    let (unit, outcome) = added.pop().ok_or_else(|| ApiError::new(ErrorCode::Internal, "nothing was stored"))?;
    let body = TmAddResult {
        outcome: if outcome == AddOutcome::Created { "created" } else { "merged" }.into(),
        unit: TmUnitJson::from(&unit),
    };
    Ok(match outcome {
        AddOutcome::Created => {
            HttpResponse::Created().insert_header(("Location", format!("/api/v1/tm/units/{}", unit.id))).json(body)
        }
        AddOutcome::Merged => HttpResponse::Ok().json(body),
    })
}

/// Add many units.
///
/// Up to 10,000 units (32 MiB) in one transaction: either all are stored
/// (new or merged) or, on any invalid unit, none is and the error names it
/// (`field` = `units[i].source`, ...).
#[utoipa::path(
    tag = "translation memory",
    request_body = BulkUnits,
    responses(
        (status = 200, description = "All units stored", body = BulkReport),
        (status = 400, description = "Invalid body or unit; nothing stored", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 413, description = "Body over 32 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
        (status = 503, description = "Not stored (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/tm/units/bulk")]
pub async fn add_units_bulk(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
    scope: KeyScope,
) -> Result<web::Json<BulkReport>, ApiError> {
    let units = json_body::<BulkUnits, _, _>(&req, payload, MAX_BULK_BYTES).await?.units;
    if units.len() > MAX_BULK_UNITS {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("{} units in one request; the limit is {MAX_BULK_UNITS}: split the request", units.len()),
        )
        .with_field("units"));
    }
    let drafts = units.into_iter().enumerate().map(|(i, u)| u.into_draft(Some(i))).collect::<Result<Vec<_>, _>>()?;
    for (i, d) in drafts.iter().enumerate() {
        scope
            .check_write(&d.collection.clone().unwrap_or_default())
            .map_err(|e| e.with_field(format!("units[{i}].collection")))?;
    }
    let added = blocking(&state, move |g| g.add_tm_units(drafts)).await?;
    Ok(web::Json(BulkReport {
        created: added.iter().filter(|(_, o)| *o == AddOutcome::Created).count(),
        merged: added.iter().filter(|(_, o)| *o == AddOutcome::Merged).count(),
        ids: added.iter().map(|(u, _)| u.id).collect(),
    }))
}

/// Get a unit.
#[utoipa::path(
    tag = "translation memory",
    params(("id" = u64, Path, description = "Unit id")),
    responses(
        (status = 200, description = "The unit", body = TmUnitJson),
        (status = 400, description = "Malformed id (`invalid_path`)", body = ApiError),
        (status = 404, description = "No such unit (`tm_unit_not_found`)", body = ApiError),
    )
)]
#[get("/tm/units/{id}")]
pub async fn get_unit(
    state: web::Data<AppState>,
    id: web::Path<u64>,
    scope: KeyScope,
) -> Result<web::Json<TmUnitJson>, ApiError> {
    let id = id.into_inner();
    let unit = blocking(&state, move |g| g.tm_unit(id)).await?;
    // A unit outside the key's collections is not there for it.
    if !scope.sees(&unit.collection) {
        return Err(glossary::Error::NotFound { kind: glossary::RecordKind::TmUnit, id: id.to_string() }.into());
    }
    Ok(web::Json(TmUnitJson::from(&unit)))
}

/// Replace a unit's content.
///
/// Keeps the id, creation time and usage count. Refused with
/// `tm_unit_exists` if the new pair is identical to another stored unit.
#[utoipa::path(
    tag = "translation memory",
    params(("id" = u64, Path, description = "Unit id")),
    request_body = NewTmUnit,
    responses(
        (status = 200, description = "The updated unit", body = TmUnitJson),
        (status = 400, description = "Invalid body or id", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 404, description = "No such unit (`tm_unit_not_found`)", body = ApiError),
        (status = 409, description = "Identical to another unit (`tm_unit_exists`)", body = ApiError),
        (status = 503, description = "Not stored (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[put("/tm/units/{id}")]
pub async fn replace_unit(
    state: web::Data<AppState>,
    id: web::Path<u64>,
    body: super::Json<NewTmUnit>,
    scope: KeyScope,
) -> Result<web::Json<TmUnitJson>, ApiError> {
    let id = id.into_inner();
    let draft = body.into_inner().into_draft(None)?;
    if let Some(to) = &draft.collection {
        scope.check_write(to)?;
    }
    super::unit_write_scope(&state, &scope, id).await?;
    let unit = blocking(&state, move |g| g.replace_tm_unit(id, draft)).await?;
    Ok(web::Json(TmUnitJson::from(&unit)))
}

/// Delete a unit.
#[utoipa::path(
    tag = "translation memory",
    params(("id" = u64, Path, description = "Unit id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed id (`invalid_path`)", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 404, description = "No such unit (`tm_unit_not_found`)", body = ApiError),
        (status = 503, description = "Not deleted (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[delete("/tm/units/{id}")]
pub async fn delete_unit(
    state: web::Data<AppState>,
    id: web::Path<u64>,
    scope: KeyScope,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    super::unit_write_scope(&state, &scope, id).await?;
    blocking(&state, move |g| g.delete_tm_unit(id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Fuzzy TM matches for a sentence.
///
/// Every stored unit of the language pair whose match percentage reaches
/// `threshold` is considered (none is missed), ranked by score, then usage
/// count, then recency. Each match explains its score (penalties) and
/// carries a word-level diff with character offsets in both strings.
#[utoipa::path(
    tag = "translation memory",
    params(TmMatchParams),
    responses(
        (status = 200, description = "Matches, best first (possibly none)", body = TmMatchesResponse),
        (status = 400, description = "Bad parameter (`invalid_query`, `invalid_language_tag`, `invalid_input`)", body = ApiError),
    )
)]
#[get("/tm/matches")]
pub async fn matches(
    state: web::Data<AppState>,
    params: web::Query<TmMatchParams>,
    scope: KeyScope,
) -> Result<web::Json<TmMatchesResponse>, ApiError> {
    let p = params.into_inner();
    require_nonempty(&p.q, "q")?;
    let collections = scope.read_param(p.collection.as_deref())?;
    let query = tm_query(p.q, &p.src, &p.tgt, p.threshold, p.limit, collections, p.collection_penalty)?;
    let text = query.text.clone();
    let found = blocking(&state, move |g| g.tm_matches(&query)).await?;
    Ok(web::Json(TmMatchesResponse { query: text, matches: found.iter().map(TmMatchJson::from).collect() }))
}
