//! Wire types of the compatibility protocols: tmserver (Weblate, amaGama clients) and MyMemory (MateCat).

use crate::error::{ApiError, ErrorCode};
use glossary::tm::suggest::Suggestion;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
    /// Only these collections, in search order (one name or a comma list,
    /// as `collection` of `GET /api/v1/tm/matches`, with the default
    /// collection penalty); every collection when omitted.
    pub collection: Option<String>,
}

/// MyMemory query parameters. Other parameters MateCat sends (`mt`,
/// `onlyprivate`, ...) are accepted and ignored.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyMemoryParams {
    /// The text to translate.
    pub q: Option<String>,
    /// `src|tgt`, e.g. `vi|en` or `vi-VN|en-GB`.
    pub langpair: Option<String>,
    /// Contact e-mail (ignored).
    pub de: Option<String>,
    /// The API key (on a server started with keys), when no
    /// `Authorization` or `X-API-Key` header carries one.
    pub key: Option<String>,
    /// Only these collections, in search order (one name or a comma list,
    /// as `collection` of `GET /api/v1/tm/matches`, with the default
    /// collection penalty); every collection when omitted.
    pub collection: Option<String>,
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

/// A timestamp the way MyMemory writes dates (`YYYY-MM-DD HH:MM:SS`).
pub fn mymemory_date(t: glossary::Timestamp) -> String {
    let s = t.to_rfc3339();
    // 2026-02-06T08:30:00.000Z -> 2026-02-06 08:30:00
    format!("{} {}", &s[..10], &s[11..19])
}

/// A suggestion in MyMemory's `/get` shape (matches with MateCat's keys and types).
pub fn mymemory(s: &Suggestion) -> MyMemoryResponse {
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
    /// The API key, when the server has keys and the client sends it
    /// neither as a header nor as `?key=`.
    #[serde(default)]
    pub key: Option<String>,
    /// Only concepts of these collections (one name or a comma list);
    /// every collection when omitted.
    #[serde(default)]
    pub collection: Option<String>,
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
