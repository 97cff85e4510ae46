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

use super::blocking;
use crate::auth::{key_required, KeyScope, MyMemoryBodyKey};
use crate::error::{ApiError, ErrorCode};
use crate::views::compat::{
    mymemory, MyMemoryError, MyMemoryGlossaryMatches, MyMemoryGlossaryRequest, MyMemoryGlossaryResponse,
    MyMemoryParams, MyMemoryResponse, MyMemoryTerm, MyMemoryTermMetadata, MyMemoryTermSide, TmserverLanguages,
    TmserverParams, TmserverUnit,
};
use crate::AppState;
use actix_web::http::header;
use actix_web::HttpMessage;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use glossary::tm::{TmQuery, MIN_THRESHOLD};
use glossary::Lang;
use std::collections::BTreeSet;

/// Registers the compatibility routes (outside `/api/v1`).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(tmserver_languages).service(tmserver_unit).service(mymemory_get).service(mymemory_glossary_get);
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
    scope: KeyScope,
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
        collections: scope.read_param(p.collection.as_deref())?,
        collection_penalty: glossary::collections::DEFAULT_COLLECTION_PENALTY,
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
    let scope = req.extensions().get::<KeyScope>().cloned().unwrap_or_default();
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
        collections: scope.read_param(p.collection.as_deref())?,
        collection_penalty: glossary::collections::DEFAULT_COLLECTION_PENALTY,
    };
    let s = blocking(state, move |g| g.suggest(&query)).await?;
    Ok(mymemory(&s))
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
    req: HttpRequest,
    scope: KeyScope,
) -> Result<web::Json<MyMemoryGlossaryResponse>, ApiError> {
    let body = body.into_inner();
    // No valid key in a header or the query: the body's `key` must be one.
    let scope = if req.extensions().get::<MyMemoryBodyKey>().is_some() {
        let found = body.key.as_deref().and_then(|k| state.auth.identify(k.trim()));
        let (actor, scope) = found.ok_or_else(key_required)?;
        log::debug!("glossary lookup by {}", actor.0);
        scope
    } else {
        scope
    };
    let collections = scope.read_param(body.collection.as_deref())?;
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
    let found = blocking(&state, move |g| g.recognize_in(&sentence, &src, &tgt, &collections)).await?;
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
