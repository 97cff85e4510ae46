//! What the OpenAPI document says beyond each handler's own annotations,
//! written once here and applied to every operation the routes register,
//! so the document cannot disagree with the layers every request passes:
//!
//! - **Security and 401** on every operation the API-key middleware can
//!   refuse ([`crate::auth::can_need_key`]): writes whenever keys are
//!   configured, reads too under `--protect-reads`.
//! - **Responses of the shared layers**: `400` (a query string that is not
//!   UTF-8 once percent-decoded, see [`crate::edges`]); for operations with
//!   a body, `413` (over the body limit) and `415` (not JSON, or a charset
//!   other than UTF-8); `500` and `503` (storage failures) everywhere.
//! - **Constraints read from the validators' constants**: lengths, ranges,
//!   item counts and the patterns of language tags and concept ids, so a
//!   limit is written once, in the code that enforces it.
//!
//! The document is edited as JSON after utoipa builds it: the annotations
//! only take literals, and a constant must not be retyped as one.

use serde_json::{json, Map, Value};

use glossary::model::{MAX_FIELD_CHARS, MAX_SUBJECT_FIELD_CHARS, MAX_TERMS_PER_CONCEPT, MAX_TERM_CHARS};

/// Longest language tag accepted (`glossary::Lang`).
const MAX_LANG_CHARS: usize = 64;

/// RFC 5646 well-formed tags as `glossary::Lang` reads them (language with
/// up to three extlangs, script, region, variants, extensions, private use;
/// or a private-use tag alone), any letter case, subtags separated by
/// `sep` (a regex class). The validator also refuses a repeated variant or
/// extension singleton, which a pattern cannot say.
pub fn lang_pattern(sep: &str) -> String {
    tag_pattern("(?:[A-Za-z]{2,3}(?:S[A-Za-z]{3}){0,3}|[A-Za-z]{5,8})", true).replace('S', sep)
}

/// One side of `langpair` (`vi|en_GB`): the tag grammar with `-` or `_`,
/// its repetitions bounded so that no match is longer than the 64
/// characters a tag may have (a pattern cannot bound each side of the `|`
/// otherwise).
fn bounded_compat_tag() -> String {
    let p = lang_pattern("[-_]");
    let p = p.trim_start_matches('^').trim_end_matches('$');
    p.replacen(
        "(?:[-_](?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*",
        "(?:[-_](?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))?",
        1,
    )
    .replacen("(?:[-_][0-9A-WYZa-wyz](?:[-_][A-Za-z0-9]{2,8})+)*", "(?:[-_][0-9A-WYZa-wyz][-_][A-Za-z0-9]{2,8})?", 1)
    .replacen("(?:[-_][Xx](?:[-_][A-Za-z0-9]{1,8})+)?", "(?:[-_][Xx][-_][A-Za-z0-9]{1,8})?", 1)
    .replacen("|[Xx](?:[-_][A-Za-z0-9]{1,8})+)", "|[Xx](?:[-_][A-Za-z0-9]{1,8}){1,6})", 1)
}

/// Tags whose primary language is Vietnamese (mining reads only `vi`).
pub fn vietnamese_pattern() -> String {
    tag_pattern("[Vv][Ii](?:S[A-Za-z]{3}){0,3}", false).replace('S', "-")
}

/// The tag grammar after the primary language (`S` stands for the separator).
fn tag_pattern(language: &str, private_use: bool) -> String {
    let mut p = format!("^(?:{language}");
    p.push_str("(?:S[A-Za-z]{4})?");
    p.push_str("(?:S(?:[A-Za-z]{2}|[0-9]{3}))?");
    p.push_str("(?:S(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*");
    p.push_str("(?:S[0-9A-WYZa-wyz](?:S[A-Za-z0-9]{2,8})+)*");
    p.push_str("(?:S[Xx](?:S[A-Za-z0-9]{1,8})+)?");
    if private_use {
        p.push_str("|[Xx](?:S[A-Za-z0-9]{1,8})+");
    }
    p.push_str(")$");
    p
}

/// Concept ids (`glossary::ConceptId`): 1–64 characters from
/// `A–Z a–z 0–9 _ . -`, starting with a letter or `_`.
pub const CONCEPT_ID_PATTERN: &str = "^[A-Za-z_][A-Za-z0-9_.-]{0,63}$";

/// A collection name (`glossary::Collection`): 1–64 characters from
/// `a–z 0–9 . _ -`, starting with a letter or a digit.
const COLLECTION_NAME: &str = "[a-z0-9][a-z0-9._-]{0,63}";

/// Control characters the validators refuse in text (`char::is_control`
/// but not whitespace), as the inside of a regex class.
const CONTROL: &str = "\\u0000-\\u0008\\u000E-\\u001F\\u007F-\\u0084\\u0086-\\u009F";
/// Whitespace and the invisible characters `glossary::text::clean` deletes.
const BLANK: &str = "\\s\\u00AD\\u061C\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF";

/// Text without control characters.
pub fn plain_text_pattern() -> String {
    format!("^[^{CONTROL}]*$")
}

/// Text without control characters and with at least one visible one
/// (what is left after clean-up is not empty).
pub fn required_text_pattern() -> String {
    format!("^[^{CONTROL}]*[^{CONTROL}{BLANK}][^{CONTROL}]*$")
}

/// Text with at least one visible character (control characters allowed:
/// queries are not stored).
pub fn query_text_pattern() -> String {
    format!("[^{BLANK}]")
}

/// Adds the cross-cutting parts to a generated document (see the module
/// documentation).
pub fn complete(doc: &mut Value) {
    for (path, item) in doc["paths"].as_object_mut().into_iter().flatten() {
        for (method, op) in item.as_object_mut().into_iter().flatten() {
            complete_operation(path, method, op);
        }
    }
    apply_constraints(doc);
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    })
}

fn complete_operation(path: &str, method: &str, op: &mut Value) {
    let has_body = op.get("requestBody").is_some();
    let responses = op["responses"].as_object_mut().expect("every operation has responses");
    let mut add = |status: &str, description: &str| {
        responses.entry(status.to_string()).or_insert_with(|| error_response(description));
    };
    add("400", "Malformed request: a query string that is not UTF-8 once percent-decoded (`invalid_query`)");
    if has_body {
        add("413", "Body over this operation's limit (`payload_too_large`)");
        add("415", "Body is not JSON, or declares a charset other than UTF-8 (`unsupported_media_type`)");
    }
    add("500", "Unexpected failure; nothing was applied (`internal`, `data_corrupt`)");
    add("503", "The store failed; nothing was acknowledged, retry later (`storage_unavailable`)");
    if crate::auth::can_need_key(&method.to_ascii_uppercase(), path) {
        add(
            "401",
            "API key required: writes need one whenever the server has keys, reads too under `--protect-reads` \
(`unauthorized`)",
        );
        // Anonymous (`{}`) first: without configured keys nothing is needed.
        op["security"] = json!([{}, {"bearer": []}, {"api_key": []}]);
    }
}

/// A constraint target: a parameter of the operations under a path prefix,
/// or a property of a component schema.
enum At {
    Param { prefix: &'static str, name: &'static str },
    Field { schema: &'static str, name: &'static str },
}

/// Every constraint, each read from the constant the validator uses.
fn constraints() -> Vec<(At, Value)> {
    use glossary::{align, lookup, mining, tm};
    use At::{Field, Param};
    let lang = json!({"pattern": lang_pattern("-"), "maxLength": MAX_LANG_CHARS});
    // Compatibility routes take `en_GB` as well as `en-GB`.
    let compat_lang = json!({"pattern": lang_pattern("[-_]"), "maxLength": MAX_LANG_CHARS});
    let langpair = {
        let one = bounded_compat_tag();
        json!({"pattern": format!("^{one}[|]{one}$"), "maxLength": 2 * MAX_LANG_CHARS + 1})
    };
    let concept_id = json!({"pattern": CONCEPT_ID_PATTERN});
    let query = |max: usize| json!({"pattern": query_text_pattern(), "maxLength": max});
    let text = |max: usize| json!({"pattern": required_text_pattern(), "maxLength": max});
    let plain = |max: usize| json!({"pattern": plain_text_pattern(), "maxLength": max});
    let names = |list: &[&str]| json!({"enum": list});
    let range = |min: f64, max: f64| json!({"minimum": min, "maximum": max});
    let matches = json!({"minimum": 1, "maximum": tm::MAX_MATCHES, "default": tm::DEFAULT_MATCHES});
    let threshold = json!({"minimum": tm::MIN_THRESHOLD, "maximum": 100.0, "default": tm::DEFAULT_THRESHOLD});
    let page = json!({"minimum": 1, "maximum": glossary::MAX_PAGE_SIZE, "default": glossary::DEFAULT_PAGE_SIZE});
    let collection = json!({"pattern": format!("^{COLLECTION_NAME}$")});
    let selection = json!({"pattern": format!("^{COLLECTION_NAME}(?:,{COLLECTION_NAME})*$")});
    let penalty = json!({"minimum": 0.0, "maximum": glossary::collections::MAX_COLLECTION_PENALTY,
        "default": glossary::collections::DEFAULT_COLLECTION_PENALTY});
    let mut out = Vec::new();
    for name in ["src", "tgt", "lang"] {
        out.push((Param { prefix: "/api/v1/", name }, lang.clone()));
    }
    // Reads take a list; the import one name (applied after, so it wins).
    for prefix in ["/api/v1/", "/get", "/tmserver/{src}"] {
        out.push((Param { prefix, name: "collection" }, selection.clone()));
    }
    out.push((Param { prefix: "/api/v1/import", name: "collection" }, collection.clone()));
    for schema in ["SuggestRequest", "SuggestBatchRequest", "RecognizeRequest", "MyMemoryGlossaryRequest"] {
        out.push((Field { schema, name: "collection" }, selection.clone()));
    }
    for schema in ["NewConcept", "ConceptUpdate", "NewTmUnit", "AcceptJson", "StoreAlignment"] {
        out.push((Field { schema, name: "collection" }, collection.clone()));
    }
    out.push((Param { prefix: "/api/v1/tm/matches", name: "collection_penalty" }, penalty.clone()));
    for schema in ["SuggestRequest", "SuggestBatchRequest"] {
        out.push((Field { schema, name: "collection_penalty" }, penalty.clone()));
    }
    for (schema, name) in [
        ("NewTmUnit", "src"),
        ("NewTmUnit", "tgt"),
        ("SuggestRequest", "src"),
        ("SuggestRequest", "tgt"),
        ("SuggestBatchRequest", "src"),
        ("SuggestBatchRequest", "tgt"),
        ("RecognizeRequest", "src"),
        ("RecognizeRequest", "tgt"),
        ("EquivalentsRequest", "src"),
        ("EquivalentsRequest", "tgt"),
        ("AlignDocumentJson", "lang"),
        ("TermJson", "lang"),
    ] {
        out.push((Field { schema, name }, lang.clone()));
    }
    out.extend([
        (Param { prefix: "/api/v1/concepts", name: "id" }, concept_id.clone()),
        (Param { prefix: "/api/v1/concepts", name: "cursor" }, concept_id.clone()),
        (Field { schema: "NewConcept", name: "id" }, concept_id.clone()),
        (Field { schema: "MergeJson", name: "concept_id" }, concept_id),
        (Param { prefix: "/api/v1/lookup", name: "q" }, query(lookup::MAX_QUERY_CHARS)),
        (Param { prefix: "/api/v1/lookup", name: "limit" }, json!({"minimum": 1, "maximum": lookup::MAX_LIMIT, "default": lookup::DEFAULT_LIMIT})),
        (Param { prefix: "/api/v1/concepts", name: "limit" }, page.clone()),
        (Param { prefix: "/api/v1/tm/units", name: "limit" }, page.clone()),
        (
            Param { prefix: "/api/v1/candidates", name: "limit" },
            json!({"minimum": 1, "maximum": mining::queue::MAX_CANDIDATE_PAGE, "default": glossary::DEFAULT_PAGE_SIZE}),
        ),
        (Param { prefix: "/api/v1/tm/matches", name: "q" }, query(tm::MAX_QUERY_CHARS)),
        (Param { prefix: "/api/v1/tm/concordance", name: "q" }, query(tm::concordance::MAX_PHRASE_CHARS)),
        (
            Param { prefix: "/api/v1/tm/concordance", name: "limit" },
            json!({"minimum": 1, "maximum": tm::concordance::MAX_CONCORDANCE_LIMIT, "default": tm::concordance::DEFAULT_CONCORDANCE_LIMIT}),
        ),
        (Param { prefix: "/api/v1/tm/concordance", name: "cursor" }, json!({"pattern": "^[ef][0-9]{1,19}$"})),
        (Field { schema: "MyMemoryGlossaryRequest", name: "source" }, query(tm::MAX_QUERY_CHARS)),
        (Field { schema: "MyMemoryGlossaryRequest", name: "source_language" }, compat_lang.clone()),
        (Field { schema: "MyMemoryGlossaryRequest", name: "target_language" }, compat_lang.clone()),
        (
            Param { prefix: "/get", name: "q" },
            json!({"required": true, "pattern": query_text_pattern(), "maxLength": tm::MAX_QUERY_CHARS}),
        ),
        (Param { prefix: "/get", name: "langpair" }, json!({"required": true, "pattern": langpair["pattern"]})),
        (Param { prefix: "/tmserver/{src}", name: "src" }, compat_lang.clone()),
        (Param { prefix: "/tmserver/{src}", name: "tgt" }, compat_lang),
        (Param { prefix: "/tmserver/{src}", name: "text" }, query(tm::MAX_QUERY_CHARS)),
        (Param { prefix: "/api/v1/candidates", name: "sort" }, names(&CANDIDATE_SORT_NAMES)),
        (Param { prefix: "/api/v1/candidates", name: "status" }, names(&CANDIDATE_STATUS_NAMES)),
        (Param { prefix: "/api/v1/export", name: "format" }, names(&format_names())),
        (Param { prefix: "/api/v1/import", name: "format" }, names(&format_names())),
        (Param { prefix: "/api/v1/tm/matches", name: "limit" }, matches.clone()),
        (Param { prefix: "/api/v1/tm/matches", name: "threshold" }, threshold.clone()),
        (
            Param { prefix: "/api/v1/pretranslate", name: "threshold" },
            json!({"minimum": tm::MIN_THRESHOLD, "maximum": 100.0, "default": glossary::formats::xliff::DEFAULT_FILL_THRESHOLD}),
        ),
        (Param { prefix: "/api/v1/pretranslate", name: "report" }, names(&["header", "json"])),
        (
            Field { schema: "NewConcept", name: "terms" },
            json!({"minItems": 1, "maxItems": MAX_TERMS_PER_CONCEPT, "uniqueItems": true}),
        ),
        (
            Field { schema: "ConceptUpdate", name: "terms" },
            json!({"minItems": 1, "maxItems": MAX_TERMS_PER_CONCEPT, "uniqueItems": true}),
        ),
        (Field { schema: "TermJson", name: "text" }, text(MAX_TERM_CHARS)),
        (Field { schema: "SegmentPairJson", name: "source" }, json!({"maxLength": align::equivalents::MAX_PAIR_CHARS})),
        (Field { schema: "SegmentPairJson", name: "target" }, json!({"maxLength": align::equivalents::MAX_PAIR_CHARS})),
        (Field { schema: "NewTmUnit", name: "source" }, text(tm::MAX_SEGMENT_CHARS)),
        (Field { schema: "NewTmUnit", name: "target" }, text(tm::MAX_SEGMENT_CHARS)),
        (Field { schema: "BulkUnits", name: "units" }, json!({"maxItems": crate::views::tm::MAX_BULK_UNITS})),
        (Field { schema: "SuggestRequest", name: "text" }, query(tm::MAX_QUERY_CHARS)),
        (Field { schema: "SuggestRequest", name: "threshold" }, threshold.clone()),
        (Field { schema: "SuggestRequest", name: "limit" }, matches.clone()),
        (
            Field { schema: "SuggestBatchRequest", name: "sentences" },
            json!({"maxItems": crate::views::suggest::MAX_BATCH, "items": query(tm::MAX_QUERY_CHARS)}),
        ),
        (Field { schema: "SuggestBatchRequest", name: "threshold" }, threshold.clone()),
        (Field { schema: "SuggestBatchRequest", name: "limit" }, matches.clone()),
        (Field { schema: "RecognizeRequest", name: "text" }, json!({"maxLength": tm::MAX_QUERY_CHARS})),
        (Field { schema: "EquivalentsRequest", name: "term" }, query(MAX_TERM_CHARS)),
        (
            Field { schema: "EquivalentsRequest", name: "pairs" },
            json!({"maxItems": align::equivalents::MAX_PAIRS}),
        ),
        (
            Field { schema: "EquivalentsRequest", name: "max_words" },
            json!({"minimum": 1, "maximum": align::equivalents::MAX_NGRAM_WORDS}),
        ),
        (
            Field { schema: "EquivalentsRequest", name: "limit" },
            json!({"minimum": 1, "maximum": align::equivalents::MAX_PROPOSALS, "default": align::equivalents::DEFAULT_PROPOSALS}),
        ),
        (Field { schema: "EquivalentsRequest", name: "min_support" }, json!({"minimum": 1})),
        (
            Field { schema: "MiningRequest", name: "documents" },
            json!({"minItems": 1, "maxItems": mining::corpus::MAX_DOCUMENTS}),
        ),
        (Field { schema: "MiningRequest", name: "top" }, json!({"minimum": 1, "maximum": mining::MAX_TOP})),
        (
            Field { schema: "MiningRequest", name: "max_contexts" },
            json!({"minimum": 0, "maximum": mining::MAX_CONTEXTS}),
        ),
        (
            Field { schema: "MiningDocumentJson", name: "id" },
            json!({"minLength": 1, "maxLength": mining::corpus::MAX_ID_CHARS}),
        ),
        (Field { schema: "NewConcept", name: "subject_field" }, plain(MAX_SUBJECT_FIELD_CHARS)),
        (Field { schema: "ConceptUpdate", name: "subject_field" }, plain(MAX_SUBJECT_FIELD_CHARS)),
        (Field { schema: "NewConcept", name: "definition" }, plain(MAX_FIELD_CHARS)),
        (Field { schema: "NewConcept", name: "note" }, plain(MAX_FIELD_CHARS)),
        (Field { schema: "NewConcept", name: "source" }, plain(MAX_FIELD_CHARS)),
        (Field { schema: "ConceptUpdate", name: "definition" }, plain(MAX_FIELD_CHARS)),
        (Field { schema: "ConceptUpdate", name: "note" }, plain(MAX_FIELD_CHARS)),
        (Field { schema: "ConceptUpdate", name: "source" }, plain(MAX_FIELD_CHARS)),
        (Field { schema: "TermJson", name: "context" }, plain(MAX_FIELD_CHARS)),
        (Field { schema: "TermJson", name: "source" }, plain(MAX_FIELD_CHARS)),
        (Field { schema: "TermJson", name: "note" }, plain(MAX_FIELD_CHARS)),
        (Field { schema: "StoreAlignment", name: "min_confidence" }, range(0.0, 1.0)),
        (
            Field { schema: "MiningRequest", name: "lang" },
            json!({"pattern": vietnamese_pattern(), "maxLength": MAX_LANG_CHARS}),
        ),
        (Param { prefix: "/api/v1/candidates", name: "cursor" }, json!({"pattern": "^[0-9]{1,19}$"})),
        (Param { prefix: "/api/v1/export", name: "updated_since" }, json!({"format": "date-time"})),
        (Param { prefix: "/api/v1/concepts", name: "updated_since" }, json!({"format": "date-time"})),
        (Param { prefix: "/api/v1/concepts", name: "missing_lang" }, lang.clone()),
        (Field { schema: "MiningDocumentJson", name: "text" }, json!({"pattern": plain_text_pattern()})),
    ]);
    out
}

/// Orders of the review queue (`glossary::mining::CandidateSort`).
pub const CANDIDATE_SORT_NAMES: [&str; 4] = ["score", "frequency", "term", "recent"];

/// Mining review states a listing can filter on, plus `all`.
pub const CANDIDATE_STATUS_NAMES: [&str; 5] = ["pending", "accepted", "rejected", "merged", "all"];

fn format_names() -> Vec<&'static str> {
    glossary::Format::ALL.iter().map(|f| f.name()).collect()
}

/// Every unsigned integer gets its type's range: utoipa writes `u64` as
/// `int64` (whose range ends at 2^63 - 1) and `usize` with no bound at all.
fn unsigned_ranges(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let unsigned = map.get("minimum").and_then(Value::as_u64) == Some(0)
                && map.get("maximum").is_none()
                && map
                    .get("type")
                    .is_some_and(|t| t == "integer" || t.as_array().is_some_and(|a| a.iter().any(|x| x == "integer")));
            if unsigned {
                let max = if map.get("format").is_some_and(|f| f == "int32") { u64::from(u32::MAX) } else { u64::MAX };
                map.remove("format");
                map.insert("maximum".into(), Value::from(max));
            }
            map.values_mut().for_each(unsigned_ranges);
        }
        Value::Array(items) => items.iter_mut().for_each(unsigned_ranges),
        _ => {}
    }
}

/// Merges `extra` into a schema; for a property typed `[T, "null"]` the
/// constraints still apply to the non-null value, as JSON Schema says.
fn merge(schema: &mut Value, extra: &Value) {
    let (Some(target), Some(extra)) = (schema.as_object_mut(), extra.as_object()) else { return };
    for (k, v) in extra {
        if k == "items" {
            let items = target.entry("items").or_insert_with(|| Value::Object(Map::new()));
            merge(items, v);
        } else {
            target.insert(k.clone(), v.clone());
        }
    }
}

fn apply_constraints(doc: &mut Value) {
    unsigned_ranges(doc);
    for (at, mut extra) in constraints() {
        let required = extra.as_object_mut().and_then(|o| o.remove("required"));
        let mut applied = 0;
        match at {
            At::Param { prefix, name } => {
                for (path, item) in doc["paths"].as_object_mut().into_iter().flatten() {
                    if !path.starts_with(prefix) {
                        continue;
                    }
                    for op in item.as_object_mut().into_iter().flatten().map(|(_, op)| op) {
                        for p in op["parameters"].as_array_mut().into_iter().flatten() {
                            if p["name"] == name {
                                merge(&mut p["schema"], &extra);
                                if let Some(r) = &required {
                                    p["required"] = r.clone();
                                }
                                applied += 1;
                            }
                        }
                    }
                }
                assert!(applied > 0, "no parameter {name} under {prefix}");
            }
            At::Field { schema, name } => {
                let prop = &mut doc["components"]["schemas"][schema]["properties"][name];
                assert!(prop.is_object(), "no property {schema}.{name}");
                merge(prop, &extra);
            }
        }
    }
}
