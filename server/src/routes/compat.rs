//! Compatibility routes for tools that already speak other TM protocols:
//!
//! - **tmserver / amaGama** (Weblate's "tmserver" machine-translation
//!   backend): `GET /tmserver/languages/` and
//!   `GET /tmserver/{src}/{tgt}/unit/{text}`.
//! - **MyMemory** (`GET /get?q=&langpair=vi|en`), the shape MateCat and
//!   Weblate's MyMemory backend read, and its glossary lookup
//!   (`POST /v2/glossary/get`) as MateCat's glossary panel calls it.
//!
//! Language codes arrive as `vi`, `en_GB`, `en-us` ...: underscores become
//! hyphens and matching uses the primary language (`en_GB` finds units
//! stored as `en` or `en-US`), since these clients send region variants the
//! TM rarely distinguishes.

use std::collections::BTreeSet;

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use glossary::tm::suggest::Suggestion;
use glossary::tm::{TmQuery, MIN_THRESHOLD};
use glossary::Lang;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::blocking;
use crate::error::{ApiError, ErrorCode};
use crate::AppState;

/// Registers the compatibility routes (outside `/api/v1`).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(tmserver_languages).service(tmserver_unit).service(mymemory_get).service(mymemory_glossary_get);
}

/// Languages present in the TM, as tmserver clients expect them.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TmserverLanguages {
    /// Source languages, lower case with underscores (`vi`, `en_gb`).
    pub source_languages: Vec<String>,
    /// Target languages, same form.
    pub target_languages: Vec<String>,
}

/// One tmserver suggestion.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TmserverUnit {
    /// Stored source segment.
    pub source: String,
    /// Its translation (adapted to the query when only placeables differ).
    pub target: String,
    /// Match percentage, 0–100.
    pub quality: f64,
    /// Position in the list, 1 = best.
    pub rank: usize,
}

/// tmserver query parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TmserverParams {
    /// The text, when not given in the path.
    pub source: Option<String>,
    /// Minimum quality, 0–100 (default 70; values below 30 count as 30).
    pub min_similarity: Option<f64>,
    /// Most suggestions, 1–50 (default 5).
    pub max_candidates: Option<usize>,
}

/// MyMemory query parameters. Other parameters MateCat sends (`key`, `de`,
/// `mt`, `onlyprivate`, ...) are accepted and ignored.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyMemoryParams {
    /// The text to translate.
    pub q: Option<String>,
    /// `src|tgt`, e.g. `vi|en` or `vi-VN|en-GB`.
    pub langpair: Option<String>,
    /// Contact e-mail (ignored).
    pub de: Option<String>,
    /// Private TM key (ignored: this server has one TM).
    pub key: Option<String>,
}

/// The best translation.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyMemoryResponseData {
    /// Best target (adapted when only placeables differ); empty when nothing matched.
    pub translated_text: String,
    /// Its match, 0–1.
    #[serde(rename = "match")]
    pub match_: f64,
}

/// One MyMemory match. Every key MateCat's MyMemory client reads is always
/// present, with MyMemory's JSON type.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct MyMemoryMatch {
    /// Unit id.
    pub id: String,
    /// Stored source segment.
    pub segment: String,
    /// Its translation (adapted when only placeables differ).
    pub translation: String,
    /// Source language of the unit.
    pub source: String,
    /// Target language of the unit.
    pub target: String,
    /// Match percentage, 0–100, as a string of digits (MyMemory's type).
    pub quality: String,
    /// Provenance (document, title or URL).
    pub reference: Option<String>,
    /// How often the pair was added.
    #[serde(rename = "usage-count")]
    pub usage_count: u64,
    /// Subject; not recorded on units, so always empty.
    pub subject: String,
    /// Who created the unit (empty when unknown).
    #[serde(rename = "created-by")]
    pub created_by: String,
    /// Who changed it last (the creator: edits are not attributed).
    #[serde(rename = "last-updated-by")]
    pub last_updated_by: String,
    /// Creation time, `YYYY-MM-DD HH:MM:SS` UTC.
    #[serde(rename = "create-date")]
    pub create_date: String,
    /// Last change, same form.
    #[serde(rename = "last-update-date")]
    pub last_update_date: String,
    /// Match, 0–1.
    #[serde(rename = "match")]
    pub match_: f64,
    /// Penalty applied for the key the match came from, 0–1 (always 0:
    /// this server has one TM and no per-key penalty).
    pub penalty: f64,
    /// The unit's provenance as a JSON string of `{"type", "value"}` objects
    /// (`x-document`, `x-title`, `x-url`, `x-date`), as MyMemory sends TMX
    /// properties; null when it has none.
    pub tm_properties: Option<String>,
    /// The private key the match came from (empty: one shared TM).
    pub key: String,
    /// In-context exact match (always false: units carry no context).
    #[serde(rename = "ICE")]
    pub ice: bool,
    /// Note on the source segment (null: units have one note, on the target side).
    pub source_note: Option<String>,
    /// The unit's note (empty when none).
    pub target_note: String,
    /// Properties set with MyMemory's `/set` (always empty: not supported).
    pub prop: Vec<String>,
}

/// MyMemory-shaped answer.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyMemoryResponse {
    /// The best translation.
    pub response_data: MyMemoryResponseData,
    /// Empty on success.
    pub response_details: String,
    /// 200 on success.
    pub response_status: u16,
    /// Always null (no upstream responder).
    pub responder_id: Option<String>,
    /// Always false: this server has no quota.
    pub quota_finished: bool,
    /// Always null (no machine translation).
    pub mt_lang_supported: Option<String>,
    /// Always null on success.
    #[serde(rename = "exception_code")]
    pub exception_code: Option<String>,
    /// All matches, best first.
    pub matches: Vec<MyMemoryMatch>,
}

/// `en_GB` / `EN-gb` → a language range on the primary subtag (`en`).
fn compat_lang(code: &str, field: &str) -> Result<Lang, ApiError> {
    let tag = code.replace('_', "-");
    let lang = crate::views::parse_lang(&tag, field)?;
    // A private-use tag (`x-...`) has no primary language to widen to.
    Ok(Lang::new(lang.primary()).unwrap_or(lang))
}

fn tmserver_code(l: &Lang) -> String {
    l.as_str().to_ascii_lowercase().replace('-', "_")
}

fn percent_decode(raw: &str) -> Result<String, ApiError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(b) => {
                    out.push(b);
                    i += 3;
                    continue;
                }
                None => return Err(ApiError::new(ErrorCode::InvalidPath, "malformed percent-encoding in the text")),
            }
        }
        // A path keeps '+' literal (clients encode it as %2B anyway).
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ApiError::new(ErrorCode::InvalidPath, "the text is not UTF-8 once decoded"))
}

/// Languages in the TM (tmserver protocol).
///
/// For Weblate: add a "tmserver" machine-translation service with URL
/// `http://HOST:PORT/tmserver/`; Weblate calls this first.
#[utoipa::path(
    tag = "compatibility",
    responses((status = 200, description = "Languages with at least one unit", body = TmserverLanguages))
)]
#[get("/tmserver/languages/")]
pub async fn tmserver_languages(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let pairs = blocking(&state, |g| Ok(g.tm_language_pairs())).await?;
    let mut src = BTreeSet::new();
    let mut tgt = BTreeSet::new();
    // Offer both the full tag and its primary language: clients send either.
    for (s, t) in &pairs {
        src.insert(tmserver_code(s));
        src.insert(s.primary().to_string());
        tgt.insert(tmserver_code(t));
        tgt.insert(t.primary().to_string());
    }
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "max-age=3600")).json(TmserverLanguages {
        source_languages: src.into_iter().collect(),
        target_languages: tgt.into_iter().collect(),
    }))
}

/// TM suggestions for a text (tmserver protocol).
///
/// The text is the rest of the path, fully percent-encoded (`/` as `%2F`),
/// or the `source` parameter. Answers a JSON array sorted by quality.
#[utoipa::path(
    tag = "compatibility",
    params(
        ("src" = String, Path, description = "Source language (`vi`, `en_GB`, ...)"),
        ("tgt" = String, Path, description = "Target language"),
        ("text" = String, Path, description = "The text, percent-encoded; may be empty when `source` is given"),
        TmserverParams
    ),
    responses(
        (status = 200, description = "Suggestions, best first (possibly none)", body = Vec<TmserverUnit>),
        (status = 400, description = "Bad language, text or parameter (`invalid_language_tag`, `invalid_path`, `invalid_query`, `invalid_input`)", body = ApiError),
    )
)]
#[get("/tmserver/{src}/{tgt}/unit/{text:.*}")]
pub async fn tmserver_unit(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<TmserverParams>,
) -> Result<HttpResponse, ApiError> {
    // Decode the raw tail ourselves: the router leaves %2F encoded and a
    // text may legitimately contain "/".
    let raw = req.uri().path();
    let parts: Vec<&str> = raw.splitn(6, '/').collect();
    let (src, tgt, tail) = match parts.as_slice() {
        ["", "tmserver", src, tgt, "unit", tail] => (*src, *tgt, *tail),
        _ => return Err(ApiError::new(ErrorCode::InvalidPath, "expected /tmserver/{src}/{tgt}/unit/{text}")),
    };
    let p = params.into_inner();
    let text = match p.source {
        Some(s) if tail.is_empty() => s,
        _ => percent_decode(tail)?,
    };
    if text.trim().is_empty() {
        return Err(
            ApiError::new(ErrorCode::InvalidQuery, "no text: put it in the path or in `source`").with_field("source")
        );
    }
    let query = TmQuery {
        src: compat_lang(&percent_decode(src)?, "src")?,
        tgt: compat_lang(&percent_decode(tgt)?, "tgt")?,
        threshold: p.min_similarity.unwrap_or(glossary::tm::DEFAULT_THRESHOLD).clamp(MIN_THRESHOLD, 100.0),
        limit: p.max_candidates.unwrap_or(glossary::tm::DEFAULT_MATCHES).clamp(1, glossary::tm::MAX_MATCHES),
        text,
    };
    let s = blocking(&state, move |g| g.suggest(&query)).await?;
    let units: Vec<TmserverUnit> = s
        .matches
        .iter()
        .enumerate()
        .map(|(i, m)| TmserverUnit {
            source: m.tm.unit.source.clone(),
            target: m.adapted.as_ref().map_or_else(|| m.tm.unit.target.clone(), |a| a.target.clone()),
            quality: m.tm.comparison.score,
            rank: i + 1,
        })
        .collect();
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "max-age=3600")).json(units))
}

fn mymemory_date(t: glossary::Timestamp) -> String {
    let s = t.to_rfc3339();
    // 2026-02-06T08:30:00.000Z -> 2026-02-06 08:30:00
    format!("{} {}", &s[..10], &s[11..19])
}

fn mymemory(s: &Suggestion) -> MyMemoryResponse {
    let matches: Vec<MyMemoryMatch> = s
        .matches
        .iter()
        .map(|m| {
            let u = &m.tm.unit;
            let p = &u.provenance;
            let props: Vec<serde_json::Value> =
                [("x-document", &p.document), ("x-title", &p.title), ("x-url", &p.url), ("x-date", &p.date)]
                    .into_iter()
                    .filter_map(|(kind, v)| v.as_ref().map(|v| serde_json::json!({"type": kind, "value": v})))
                    .collect();
            MyMemoryMatch {
                id: u.id.to_string(),
                segment: u.source.clone(),
                translation: m.adapted.as_ref().map_or_else(|| u.target.clone(), |a| a.target.clone()),
                source: u.src_lang.to_string(),
                target: u.tgt_lang.to_string(),
                quality: format!("{}", m.tm.comparison.score.round() as i64),
                reference: p.title.clone().or_else(|| p.document.clone()).or_else(|| p.url.clone()),
                usage_count: u.usage_count,
                subject: String::new(),
                created_by: u.created_by.clone().unwrap_or_default(),
                last_updated_by: u.created_by.clone().unwrap_or_default(),
                create_date: mymemory_date(u.created),
                last_update_date: mymemory_date(u.updated),
                match_: (m.tm.comparison.score / 100.0 * 1000.0).round() / 1000.0,
                penalty: 0.0,
                tm_properties: (!props.is_empty()).then(|| serde_json::Value::Array(props).to_string()),
                key: String::new(),
                ice: false,
                source_note: None,
                target_note: u.note.clone().unwrap_or_default(),
                prop: Vec::new(),
            }
        })
        .collect();
    let response_data = match matches.first() {
        Some(best) => MyMemoryResponseData { translated_text: best.translation.clone(), match_: best.match_ },
        None => MyMemoryResponseData { translated_text: String::new(), match_: 0.0 },
    };
    MyMemoryResponse {
        response_data,
        response_details: String::new(),
        response_status: 200,
        responder_id: None,
        quota_finished: false,
        mt_lang_supported: None,
        exception_code: None,
        matches,
    }
}

/// Translation memory lookup in MyMemory's shape.
///
/// For MateCat or any MyMemory client: `GET /get?q=TEXT&langpair=vi|en`.
/// Returns matches of at least 50%, best first; `responseData` holds the
/// best one. Errors keep MyMemory's shape too (`responseStatus`,
/// `responseDetails`, the message in `responseData.translatedText`), with
/// this API's stable `code` beside them and in `exception_code`.
#[utoipa::path(
    tag = "compatibility",
    params(MyMemoryParams),
    responses(
        (status = 200, description = "Matches (possibly none)", body = MyMemoryResponse),
        (status = 400, description = "Missing `q` or bad `langpair` (`invalid_query`, `invalid_language_tag`, `invalid_input`), in MyMemory's shape", body = MyMemoryError),
    )
)]
#[get("/get")]
pub async fn mymemory_get(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    match mymemory_lookup(&state, &req).await {
        Ok(body) => HttpResponse::Ok().json(body),
        Err(e) => HttpResponse::build(e.code.status()).json(MyMemoryError::from(e)),
    }
}

async fn mymemory_lookup(state: &web::Data<AppState>, req: &HttpRequest) -> Result<MyMemoryResponse, ApiError> {
    let p = web::Query::<MyMemoryParams>::from_query(req.query_string())
        .map_err(|e| ApiError::new(ErrorCode::InvalidQuery, format!("bad query string: {e}")))?
        .into_inner();
    let q = p.q.filter(|q| !q.trim().is_empty()).ok_or_else(|| {
        ApiError::new(ErrorCode::InvalidQuery, "`q` (the text to translate) is required").with_field("q")
    })?;
    let pair = p.langpair.unwrap_or_default();
    let Some((src, tgt)) = pair.split_once('|') else {
        return Err(ApiError::new(ErrorCode::InvalidQuery, "`langpair` must look like `vi|en`").with_field("langpair"));
    };
    let query = TmQuery {
        src: compat_lang(src, "langpair")?,
        tgt: compat_lang(tgt, "langpair")?,
        threshold: 50.0,
        limit: 5,
        text: q,
    };
    let s = blocking(state, move |g| g.suggest(&query)).await?;
    Ok(mymemory(&s))
}

/// A `/get` error in MyMemory's shape, plus this API's code and field.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyMemoryError {
    /// The message as `translatedText` (what MyMemory does), match 0.
    pub response_data: MyMemoryResponseData,
    /// The message.
    pub response_details: String,
    /// The HTTP status, repeated.
    pub response_status: u16,
    /// Always null.
    pub responder_id: Option<String>,
    /// Always false.
    pub quota_finished: bool,
    /// Always null.
    pub mt_lang_supported: Option<String>,
    /// The stable error code, as a string.
    #[serde(rename = "exception_code")]
    pub exception_code: String,
    /// Always empty.
    pub matches: Vec<MyMemoryMatch>,
    /// The stable error code (as in every error of this API).
    pub code: ErrorCode,
    /// What went wrong and how to fix it (as in every error of this API).
    pub message: String,
    /// The parameter at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl From<ApiError> for MyMemoryError {
    fn from(e: ApiError) -> Self {
        let code = serde_json::to_value(e.code).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        MyMemoryError {
            response_data: MyMemoryResponseData { translated_text: e.message.clone(), match_: 0.0 },
            response_details: e.message.clone(),
            message: e.message,
            response_status: e.code.status().as_u16(),
            responder_id: None,
            quota_finished: false,
            mt_lang_supported: None,
            exception_code: code,
            matches: Vec::new(),
            code: e.code,
            field: e.field,
        }
    }
}

/// Body of MyMemory's glossary lookup, as MateCat sends it (JSON). Other
/// keys (`de`, `id_job`, `keys`, ...) are accepted and ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MyMemoryGlossaryRequest {
    /// The segment's source text.
    pub source: String,
    /// Its language (`vi`, `vi-VN`).
    pub source_language: String,
    /// The target language.
    pub target_language: String,
    /// Echoed back in `matches.id_segment`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub id_segment: Option<serde_json::Value>,
}

/// One side of a MyMemory glossary term.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct MyMemoryTermSide {
    /// The term.
    pub term: String,
    /// Its note.
    pub note: Option<String>,
    /// Its context sentence.
    pub sentence: Option<String>,
}

/// Concept-level data of a glossary term.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct MyMemoryTermMetadata {
    /// Always null (recognition does not carry definitions).
    pub definition: Option<String>,
    /// Keys the term belongs to (none: one shared glossary).
    pub keys: Vec<String>,
    /// The concept's subject field (empty when none).
    pub domain: String,
    /// Always empty.
    pub subdomain: String,
    /// Always null (not tracked per pair).
    pub create_date: Option<String>,
    /// Always null.
    pub last_update: Option<String>,
}

/// One glossary hit in MyMemory's shape: a source term found in the
/// segment and one target term of its concept.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct MyMemoryTerm {
    /// `concept-id:target-term-index`.
    pub term_id: String,
    /// Source language.
    pub source_language: String,
    /// Target language.
    pub target_language: String,
    /// The source term.
    pub source: MyMemoryTermSide,
    /// The target term.
    pub target: MyMemoryTermSide,
    /// The segment's words where the term occurs.
    pub matching_words: Vec<String>,
    /// Concept data.
    pub metadata: MyMemoryTermMetadata,
}

/// The hits of a glossary lookup.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct MyMemoryGlossaryMatches {
    /// As sent.
    #[schema(value_type = Option<String>)]
    pub id_segment: Option<serde_json::Value>,
    /// Usable equivalents (preferred and admitted target terms).
    pub terms: Vec<MyMemoryTerm>,
    /// Target terms not to use (deprecated or superseded): MateCat flags
    /// them as forbidden translations.
    pub blacklisted_terms: Vec<MyMemoryTerm>,
}

/// MyMemory's glossary answer.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyMemoryGlossaryResponse {
    /// 200.
    pub response_status: u16,
    /// Empty.
    pub response_details: String,
    /// The hits.
    pub matches: MyMemoryGlossaryMatches,
}

/// Glossary terms of a segment, the way MyMemory's `v2/glossary/get` returns them.
///
/// What MateCat's glossary panel calls (POST, JSON body): the glossary
/// terms recognised in `source` (whole words, diacritics and tone
/// placement as in `POST /api/v1/suggest`), one entry per target term of
/// their concept; deprecated and superseded targets come as
/// `blacklisted_terms`.
#[utoipa::path(
    tag = "compatibility",
    request_body = MyMemoryGlossaryRequest,
    responses(
        (status = 200, description = "Terms (possibly none)", body = MyMemoryGlossaryResponse),
        (status = 400, description = "Bad body or language (`invalid_json`, `invalid_body`, `invalid_language_tag`, `invalid_input`)", body = ApiError),
    )
)]
#[post("/v2/glossary/get")]
pub async fn mymemory_glossary_get(
    state: web::Data<AppState>,
    body: super::Json<MyMemoryGlossaryRequest>,
) -> Result<web::Json<MyMemoryGlossaryResponse>, ApiError> {
    let body = body.into_inner();
    let src = compat_lang(&body.source_language, "source_language")?;
    let tgt = compat_lang(&body.target_language, "target_language")?;
    if body.source.trim().is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidInput, "`source` must not be empty").with_field("source"));
    }
    let n = body.source.chars().count();
    if n > glossary::tm::MAX_QUERY_CHARS {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("`source` is {n} characters long; the limit is {}", glossary::tm::MAX_QUERY_CHARS),
        )
        .with_field("source"));
    }
    let sentence = body.source;
    let (s, t) = (src.to_string(), tgt.to_string());
    let found = blocking(&state, move |g| g.recognize(&sentence, &src, &tgt)).await?;
    let (mut terms, mut blacklisted_terms) = (Vec::new(), Vec::new());
    for r in &found {
        for c in &r.concepts {
            for (i, target) in c.targets.iter().enumerate() {
                let side = |t: &glossary::Term| MyMemoryTermSide {
                    term: t.text.clone(),
                    note: t.note.clone(),
                    sentence: t.context.clone(),
                };
                let term = MyMemoryTerm {
                    term_id: format!("{}:{i}", c.concept),
                    source_language: s.clone(),
                    target_language: t.clone(),
                    source: side(&c.term),
                    target: side(target),
                    matching_words: vec![r.text.clone()],
                    metadata: MyMemoryTermMetadata {
                        definition: None,
                        keys: Vec::new(),
                        domain: c.subject_field.clone().unwrap_or_default(),
                        subdomain: String::new(),
                        create_date: None,
                        last_update: None,
                    },
                };
                match target.status {
                    glossary::TermStatus::Preferred | glossary::TermStatus::Admitted => terms.push(term),
                    glossary::TermStatus::Deprecated | glossary::TermStatus::Superseded => blacklisted_terms.push(term),
                }
            }
        }
    }
    Ok(web::Json(MyMemoryGlossaryResponse {
        response_status: 200,
        response_details: String::new(),
        matches: MyMemoryGlossaryMatches { id_segment: body.id_segment, terms, blacklisted_terms },
    }))
}
