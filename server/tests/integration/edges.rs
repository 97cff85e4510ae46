//! The edges every route shares: strict UTF-8 query strings, declared
//! charsets, the auth scheme's case, 405 for other methods; the OpenAPI
//! document's security and constraints; and schemathesis against the real
//! binary.

use std::process::Command;

use actix_web::test as atest;
use serde_json::{json, Value};
use server::Auth;

use crate::common::*;

/// One request and the status and error code (or `ok`) expected.
struct Case {
    what: &'static str,
    req: fn() -> atest::TestRequest,
    status: u16,
    code: &'static str,
}

async fn check(cases: &[Case], auth: Auth) {
    let (_dir, state) = state_with_auth(true, auth);
    let app = atest::init_service(server::app(state)).await;
    let mut failures = Vec::new();
    for case in cases {
        let (status, body) = send(&app, (case.req)()).await;
        let code = if status < 400 { "ok" } else { body["code"].as_str().unwrap_or("(no code)") };
        if status != case.status || code != case.code {
            failures.push(format!("{}: got {status} {code}, want {} {} ({body})", case.what, case.status, case.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn concept() -> Value {
    json!({"terms": [{"lang": "vi", "text": "đối tác chiến lược"}, {"lang": "en", "text": "strategic partner"}]})
}

#[actix_web::test]
async fn query_strings_charsets_and_methods() {
    check(
        &[
            Case {
                what: "invalid UTF-8 in q",
                req: || get("/api/v1/lookup?q=%FF%FE&src=vi"),
                status: 400,
                code: "invalid_query",
            },
            Case {
                what: "invalid UTF-8 in a name",
                req: || get("/api/v1/lookup?q=a&src=vi&%C3=1"),
                status: 400,
                code: "invalid_query",
            },
            Case {
                what: "truncated sequence",
                req: || get("/api/v1/tm/matches?q=h%E1%BB&src=vi&tgt=en"),
                status: 400,
                code: "invalid_query",
            },
            Case {
                what: "UTF-8 encoded",
                req: || get("/api/v1/lookup?q=h%E1%BB%AFu+ngh%E1%BB%8B&src=vi"),
                status: 200,
                code: "ok",
            },
            Case { what: "a lone % is literal", req: || get("/api/v1/lookup?q=50%&src=vi"), status: 200, code: "ok" },
            Case {
                what: "latin-1 charset",
                req: || {
                    post_json("/api/v1/concepts", concept())
                        .insert_header(("content-type", "application/json; charset=iso-8859-1"))
                },
                status: 415,
                code: "unsupported_media_type",
            },
            Case {
                what: "utf-8 charset",
                req: || {
                    post_json("/api/v1/concepts", concept())
                        .insert_header(("content-type", "application/json; charset=UTF-8"))
                },
                status: 201,
                code: "ok",
            },
            Case {
                what: "latin-1 import",
                req: || {
                    atest::TestRequest::post()
                        .uri("/api/v1/import?format=tsv")
                        .insert_header(("content-type", "text/tab-separated-values; charset=latin1"))
                        .set_payload("a\tb\n")
                },
                status: 415,
                code: "unsupported_media_type",
            },
            Case {
                what: "PUT on a listing",
                req: || put_json("/api/v1/lookup", json!({})),
                status: 405,
                code: "method_not_allowed",
            },
            Case {
                what: "DELETE on a TM match",
                req: || atest::TestRequest::delete().uri("/api/v1/tm/matches"),
                status: 405,
                code: "method_not_allowed",
            },
            Case { what: "unknown path", req: || get("/api/v1/nothing-here"), status: 404, code: "not_found" },
        ],
        Auth::default(),
    )
    .await;
}

fn with(value: &'static str) -> atest::TestRequest {
    post_json("/api/v1/concepts", concept()).insert_header(("authorization", value))
}

#[actix_web::test]
async fn auth_scheme_is_case_insensitive() {
    check(
        &[
            Case { what: "Bearer", req: || with("Bearer k1"), status: 201, code: "ok" },
            Case {
                what: "BEARER",
                req: || {
                    post_json("/api/v1/concepts", json!({"terms": [{"lang": "vi", "text": "a"}]}))
                        .insert_header(("authorization", "BEARER k1"))
                },
                status: 201,
                code: "ok",
            },
            Case {
                what: "bEaReR",
                req: || {
                    post_json("/api/v1/concepts", json!({"terms": [{"lang": "vi", "text": "b"}]}))
                        .insert_header(("authorization", "bEaReR k1"))
                },
                status: 201,
                code: "ok",
            },
            Case { what: "other scheme", req: || with("Basic k1"), status: 401, code: "unauthorized" },
            Case { what: "wrong key", req: || with("BEARER k2"), status: 401, code: "unauthorized" },
            Case {
                what: "no key on suggest",
                req: || post_json("/api/v1/suggest", json!({"text": "a", "src": "vi", "tgt": "en"})),
                status: 401,
                code: "unauthorized",
            },
        ],
        Auth::new(vec!["k1".into()], false),
    )
    .await;
    let (status, allow) = {
        let (_dir, state) = state(false);
        let app = atest::init_service(server::app(state)).await;
        let resp = atest::call_service(&app, put_json("/api/v1/lookup", json!({})).to_request()).await;
        (resp.status().as_u16(), resp.headers().get("allow").map(|v| v.to_str().unwrap().to_string()))
    };
    assert_eq!((status, allow.as_deref()), (405, Some("GET")));
}

#[test]
fn spec_declares_security_statuses_and_constraints() {
    let spec: Value = serde_json::from_str(&server::openapi_json()).unwrap();
    let mut failures = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let has = |s: &str| op["responses"][s].is_object();
            let open = path == "/api/v1/health";
            if open == has("401") || open == op["security"].is_array() {
                failures.push(format!("{method} {path}: 401/security"));
            }
            if op["requestBody"].is_object() && !(has("413") && has("415")) {
                failures.push(format!("{method} {path}: 413/415"));
            }
            if !(has("400") && has("503")) {
                failures.push(format!("{method} {path}: 400/503"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let param = |path: &str, name: &str| -> Value {
        let params = spec["paths"][path]["get"]["parameters"].as_array().unwrap();
        params.iter().find(|p| p["name"] == name).unwrap()["schema"].clone()
    };
    assert_eq!(param("/api/v1/lookup", "limit")["minimum"], 1);
    assert_eq!(param("/api/v1/lookup", "limit")["maximum"], glossary::lookup::MAX_LIMIT);
    assert_eq!(param("/api/v1/tm/matches", "threshold")["minimum"], glossary::tm::MIN_THRESHOLD);
    assert_eq!(param("/api/v1/tm/units", "limit")["minimum"], 1);
    assert_eq!(param("/api/v1/lookup", "src")["pattern"], server::spec::lang_pattern("-"));
    let schemas = &spec["components"]["schemas"];
    assert_eq!(schemas["NewConcept"]["properties"]["terms"]["minItems"], 1);
    assert_eq!(schemas["NewConcept"]["properties"]["id"]["pattern"], server::spec::CONCEPT_ID_PATTERN);
    assert_eq!(
        schemas["SuggestBatchRequest"]["properties"]["sentences"]["maxItems"],
        server::views::suggest::MAX_BATCH
    );
}

#[test]
fn the_language_pattern_agrees_with_the_validator() {
    // The pattern is for clients and fuzzers; this keeps it honest on the
    // tags that separate the grammar's branches.
    let pattern = server::spec::lang_pattern("-");
    let re = regex_lite(&pattern);
    for tag in [
        "vi",
        "en-GB",
        "zh-Hant-TW",
        "sr-Latn-RS",
        "qq",
        "x-klingon",
        "de-CH-1901",
        "en-a-bbb-x-a",
        "zh-yue-HK",
        "es-419",
        "english",
        "e",
        "en-",
        "-en",
        "vi-VN-",
        "en-a",
        "x",
        "en-x",
        "abcd",
        "en-12",
        "a1",
        "zh-abc-def-ghi-jkl",
        "en-GB-oed",
        "i-klingon",
        "en_GB",
        "toolongtag",
    ] {
        let by_validator = glossary::Lang::new(tag).is_ok();
        assert_eq!(re(tag), by_validator, "{tag}: pattern and validator disagree");
    }
    // The one thing a pattern cannot say: no repeated variant or singleton.
    for tag in ["en-a-bb-a-cc", "de-1901-1901"] {
        assert!(re(tag) && glossary::Lang::new(tag).is_err(), "{tag}: the documented gap");
    }
    let vi = server::spec::vietnamese_pattern();
    let vi = regex_lite(&vi);
    for (tag, ok) in [("vi", true), ("VI-VN", true), ("vi-Latn", true), ("en", false), ("vie", false), ("x-vi", false)]
    {
        assert_eq!(vi(tag), ok, "{tag}: Vietnamese pattern");
    }
    for name in server::spec::CANDIDATE_SORT_NAMES {
        assert!(name.parse::<glossary::mining::CandidateSort>().is_ok(), "sort {name}");
    }
    for name in server::spec::CANDIDATE_STATUS_NAMES.iter().filter(|n| **n != "all") {
        assert!(name.parse::<glossary::mining::CandidateStatus>().is_ok(), "status {name}");
    }
}

/// Matches with Python's `re` (the fuzzers' dialect), through python3.
fn regex_lite(pattern: &str) -> impl Fn(&str) -> bool + '_ {
    move |s: &str| {
        let out = Command::new("python3")
            .args(["-c", "import re,sys; sys.exit(0 if re.search(sys.argv[1], sys.argv[2]) else 1)", pattern, s])
            .status()
            .expect("python3 runs");
        out.success()
    }
}

/// schemathesis (pinned in `.ci/run`) against the real binary with an API
/// key: every check, a bounded number of examples per operation.
#[test]
fn schemathesis_finds_no_failure() {
    let installed = Command::new("schemathesis").arg("--version").output().is_ok_and(|o| o.status.success());
    if !installed {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI: schemathesis is missing (.ci/run installs it)");
        eprintln!("skipped: schemathesis is not installed (pip install schemathesis, see .ci/run)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &["--api-key", "st-key"]);
    let report = dir.path().join("schemathesis.xml");
    let config = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/schemathesis.toml");
    let out = Command::new("schemathesis")
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(format!("{}/api-docs/openapi.json", server.base))
        .args(["--url", &server.base, "-H", "Authorization: Bearer st-key"])
        .args(["--max-examples", "25", "--workers", "2", "--seed", "1", "--no-color"])
        .args(["--generation-database", "none", "--phases", "examples,fuzzing", "--request-timeout", "30"])
        // Its caches go to the temporary directory, not the repository.
        .current_dir(dir.path())
        .arg("--report-junit-path")
        .arg(&report)
        .output()
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "schemathesis found failures:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("Tested:"), "no summary in:\n{stdout}");
}

/// docs/api.md says which requests actix-http answers itself, with an
/// empty body, before the application sees them; this keeps that page true
/// (if an actix upgrade starts sending bodies or moves a limit, it fails).
#[test]
fn oversized_heads_are_answered_by_the_http_layer_as_documented() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    let raw = |request: Vec<u8>| {
        let mut s = std::net::TcpStream::connect(server.addr()).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
        // The server may close while we still write: that is its answer.
        let _ = s.write_all(&request);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).to_string()
    };
    let headers: String = (0..100).map(|i| format!("X-Flood-{i}: 1\r\n")).collect();
    let flood = raw(format!("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n{headers}\r\n").into_bytes());
    assert!(flood.starts_with("HTTP/1.1 431 ") && flood.contains("content-length: 0"), "{flood}");
    let url = format!("GET /api/v1/lookup?src=vi&q={} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    let long = raw(url.into_bytes());
    assert!(long.starts_with("HTTP/1.1 400 ") && long.contains("content-length: 0"), "{long}");
    // Just under the limits, the application answers, in JSON.
    let (status, body) = server.request("GET", &format!("/api/v1/lookup?src=vi&q={}", "a".repeat(600)), None);
    assert_eq!(status, 400);
    assert!(body.contains("\"code\":\"invalid_input\""), "{body}");
}
