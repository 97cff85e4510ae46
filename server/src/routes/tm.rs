//! `/api/v1/tm`: translation-memory units (create, bulk add, read, replace,
//! delete, list) and fuzzy matching.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use glossary::tm::matching::Comparison;
use glossary::tm::{AddOutcome, Provenance, TmMatch, TmQuery, TmUnit, TmUnitDraft};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{blocking, json_body};
use crate::error::{ApiError, ErrorCode};
use crate::views::{parse_lang, require_nonempty};
use crate::AppState;

/// Most units in one bulk request.
pub const MAX_BULK_UNITS: usize = 10_000;
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

/// Where a unit comes from.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceJson {
    /// Document identifier (file name, reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Document title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where the document was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Date of the document (free text, e.g. `2026-02-06`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// A translation unit as stored.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TmUnitJson {
    /// Unit id.
    pub id: u64,
    /// Source language (BCP 47).
    pub src: String,
    /// Target language (BCP 47).
    pub tgt: String,
    /// Source segment.
    pub source: String,
    /// Target segment.
    pub target: String,
    /// Where it comes from.
    pub provenance: ProvenanceJson,
    /// Note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// How many times this pair was added.
    pub usage_count: u64,
    /// Creation time, RFC 3339.
    pub created: String,
    /// Last change, RFC 3339.
    pub updated: String,
}

/// A unit to add (or the new content of one).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "src": "vi", "tgt": "en",
    "source": "Kim ngạch thương mại song phương đạt 2,5 tỷ USD.",
    "target": "Bilateral trade reached 2.5 billion USD.",
    "provenance": {"document": "trade-report-2026", "date": "2026-02-06"}
}))]
pub struct NewTmUnit {
    /// Source language (BCP 47).
    pub src: String,
    /// Target language (BCP 47).
    pub tgt: String,
    /// Source segment, up to 4,000 characters.
    pub source: String,
    /// Target segment, up to 4,000 characters.
    pub target: String,
    /// Where it comes from.
    #[serde(default)]
    pub provenance: ProvenanceJson,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
    /// Who created it.
    #[serde(default)]
    pub created_by: Option<String>,
}

/// Result of adding one unit.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TmAddResult {
    /// `created`, or `merged` when an identical pair was already stored (its
    /// usage count and provenance were updated instead).
    pub outcome: String,
    /// The stored unit.
    pub unit: TmUnitJson,
}

/// Body of a bulk add.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkUnits {
    /// Up to 10,000 units, stored in one transaction (all or nothing).
    pub units: Vec<NewTmUnit>,
}

/// Report of a bulk add.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct BulkReport {
    /// Units stored as new.
    pub created: usize,
    /// Units merged into identical stored pairs.
    pub merged: usize,
    /// Ids of the stored units, in request order.
    pub ids: Vec<u64>,
}

/// A page of units.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TmPageJson {
    /// Units in id order.
    pub items: Vec<TmUnitJson>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<u64>,
    /// Units in the TM (all language pairs).
    pub total: u64,
}

/// Character range (Unicode scalar values), end exclusive.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CharSpan {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// A word-level difference between the query and the stored source.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct DiffSpanJson {
    /// `insert` (in the query, not the source), `delete` (in the source, not
    /// the query), `replace`, `diacritics`, `case`, `number`.
    pub kind: String,
    /// Characters of the query (empty: insertion point).
    pub query: CharSpan,
    /// Characters of the stored source (empty: insertion point).
    pub source: CharSpan,
}

/// Points taken off the base percentage.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct PenaltyJson {
    /// `diacritics` (2 per word, at most 10), `number` (1 each, at most 5),
    /// `case` (1), `punctuation` (1).
    pub kind: String,
    /// Points deducted.
    pub points: f64,
    /// Words or marks concerned.
    pub count: usize,
}

/// A TM match.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TmMatchJson {
    /// The stored unit.
    pub unit: TmUnitJson,
    /// Match percentage, 0–100: `100 × (1 − word edits / max(words))` minus penalties.
    pub score: f64,
    /// Percentage before penalties.
    pub base_score: f64,
    /// Word (syllable) edit distance.
    pub edits: usize,
    /// Penalties applied.
    pub penalties: Vec<PenaltyJson>,
    /// Differences, to highlight in a CAT tool.
    pub diff: Vec<DiffSpanJson>,
}

/// Matches for one query.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TmMatchesResponse {
    /// The query.
    pub query: String,
    /// Matches, best first.
    pub matches: Vec<TmMatchJson>,
}

/// Listing parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TmListParams {
    /// Only units with this source language (and its subtags).
    pub src: Option<String>,
    /// Only units with this target language.
    pub tgt: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<u64>,
    /// Page size, 1–200 (default 20).
    pub limit: Option<usize>,
}

/// Matching parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TmMatchParams {
    /// The sentence to translate (up to 2,000 characters).
    #[param(example = "Kim ngạch thương mại song phương đạt 3 tỷ USD.")]
    pub q: String,
    /// Source language.
    #[param(example = "vi")]
    pub src: String,
    /// Target language.
    #[param(example = "en")]
    pub tgt: String,
    /// Minimum match percentage, 30–100 (default 70).
    pub threshold: Option<f64>,
    /// Most matches, 1–50 (default 5).
    pub limit: Option<usize>,
}

impl NewTmUnit {
    /// Converts to a domain draft.
    pub fn into_draft(self, i: Option<usize>) -> Result<TmUnitDraft, ApiError> {
        let field = |f: &str| i.map_or_else(|| f.to_string(), |i| format!("units[{i}].{f}"));
        let p = self.provenance;
        Ok(TmUnitDraft {
            src_lang: parse_lang(&self.src, &field("src"))?,
            tgt_lang: parse_lang(&self.tgt, &field("tgt"))?,
            source: self.source,
            target: self.target,
            provenance: Provenance { document: p.document, title: p.title, url: p.url, date: p.date },
            note: self.note,
            created_by: self.created_by,
        })
    }
}

impl From<&TmUnit> for TmUnitJson {
    fn from(u: &TmUnit) -> Self {
        let p = &u.provenance;
        TmUnitJson {
            id: u.id,
            src: u.src_lang.to_string(),
            tgt: u.tgt_lang.to_string(),
            source: u.source.clone(),
            target: u.target.clone(),
            provenance: ProvenanceJson {
                document: p.document.clone(),
                title: p.title.clone(),
                url: p.url.clone(),
                date: p.date.clone(),
            },
            note: u.note.clone(),
            created_by: u.created_by.clone(),
            usage_count: u.usage_count,
            created: u.created.to_rfc3339(),
            updated: u.updated.to_rfc3339(),
        }
    }
}

/// Converts a comparison's explanation to wire form.
pub fn explain(c: &Comparison) -> (Vec<PenaltyJson>, Vec<DiffSpanJson>) {
    let penalties = c
        .penalties
        .iter()
        .map(|p| PenaltyJson { kind: p.kind.as_str().into(), points: p.points, count: p.count })
        .collect();
    let diff = c
        .diff
        .iter()
        .map(|d| DiffSpanJson {
            kind: d.kind.as_str().into(),
            query: CharSpan { start: d.query.start, end: d.query.end },
            source: CharSpan { start: d.source.start, end: d.source.end },
        })
        .collect();
    (penalties, diff)
}

impl From<&TmMatch> for TmMatchJson {
    fn from(m: &TmMatch) -> Self {
        let (penalties, diff) = explain(&m.comparison);
        TmMatchJson {
            unit: TmUnitJson::from(&m.unit),
            score: m.comparison.score,
            base_score: m.comparison.base,
            edits: m.comparison.edits,
            penalties,
            diff,
        }
    }
}

/// Builds a domain TM query from request parts.
pub fn tm_query(
    text: String,
    src: &str,
    tgt: &str,
    threshold: Option<f64>,
    limit: Option<usize>,
) -> Result<TmQuery, ApiError> {
    Ok(TmQuery {
        src: parse_lang(src, "src")?,
        tgt: parse_lang(tgt, "tgt")?,
        threshold: threshold.unwrap_or(70.0),
        limit: limit.unwrap_or(5),
        text,
    })
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
) -> Result<web::Json<TmPageJson>, ApiError> {
    let p = params.into_inner();
    let src = p.src.as_deref().map(|l| parse_lang(l, "src")).transpose()?;
    let tgt = p.tgt.as_deref().map(|l| parse_lang(l, "tgt")).transpose()?;
    let page =
        blocking(&state, move |g| g.list_tm_units(src.as_ref(), tgt.as_ref(), p.cursor, p.limit.unwrap_or(20))).await?;
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
        (status = 413, description = "Body over 1 MiB (`payload_too_large`)", body = ApiError),
        (status = 415, description = "Body is not JSON (`unsupported_media_type`)", body = ApiError),
        (status = 503, description = "Not stored (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/tm/units")]
pub async fn add_unit(state: web::Data<AppState>, body: super::Json<NewTmUnit>) -> Result<HttpResponse, ApiError> {
    let draft = body.into_inner().into_draft(None)?;
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
pub async fn get_unit(state: web::Data<AppState>, id: web::Path<u64>) -> Result<web::Json<TmUnitJson>, ApiError> {
    let id = id.into_inner();
    let unit = blocking(&state, move |g| g.tm_unit(id)).await?;
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
) -> Result<web::Json<TmUnitJson>, ApiError> {
    let id = id.into_inner();
    let draft = body.into_inner().into_draft(None)?;
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
        (status = 404, description = "No such unit (`tm_unit_not_found`)", body = ApiError),
        (status = 503, description = "Not deleted (`storage_unavailable`)", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[delete("/tm/units/{id}")]
pub async fn delete_unit(state: web::Data<AppState>, id: web::Path<u64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
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
) -> Result<web::Json<TmMatchesResponse>, ApiError> {
    let p = params.into_inner();
    require_nonempty(&p.q, "q")?;
    let query = tm_query(p.q, &p.src, &p.tgt, p.threshold, p.limit)?;
    let text = query.text.clone();
    let found = blocking(&state, move |g| g.tm_matches(&query)).await?;
    Ok(web::Json(TmMatchesResponse { query: text, matches: found.iter().map(TmMatchJson::from).collect() }))
}
