//! The OpenAPI document: generated from code, committed, served, and
//! rendered by the vendored Swagger UI.

use actix_web::test as atest;
use serde_json::Value;

use crate::common::*;

fn committed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json")
}

#[test]
fn committed_spec_matches_the_code() {
    let generated = server::openapi_json();
    let committed = std::fs::read_to_string(committed_path()).expect("openapi/openapi.json is committed");
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: regenerate it with `cargo run -p server -- openapi --output openapi/openapi.json`"
    );
}

#[test]
fn spec_documents_every_operation_and_error() {
    let spec: Value = serde_json::from_str(&server::openapi_json()).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/health",
        "/api/v1/concepts",
        "/api/v1/concepts/{id}",
        "/api/v1/lookup",
        "/api/v1/tm/units",
        "/api/v1/tm/matches",
        "/api/v1/suggest",
        "/api/v1/terms/recognize",
        "/tmserver/languages/",
        "/get",
        "/api/v1/mining/runs",
        "/api/v1/mining/runs/{id}",
        "/api/v1/candidates",
        "/api/v1/candidates/{id}",
        "/api/v1/candidates/{id}/accept",
        "/api/v1/candidates/{id}/reject",
        "/api/v1/candidates/{id}/merge",
        "/api/v1/align",
        "/api/v1/equivalents",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} missing");
    }
    for path in ["/api/v1/export", "/api/v1/import", "/api/v1/admin/backup", "/api/v1/pretranslate"] {
        assert!(spec["paths"][path].is_object(), "{path} missing");
    }
    let codes: Vec<&str> = spec["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for code in [
        "invalid_json",
        "invalid_body",
        "invalid_language_tag",
        "concept_not_found",
        "payload_too_large",
        "version_conflict",
        "invalid_xml",
        "unsafe_xml",
        "invalid_encoding",
        "import_too_large",
        "unsupported_format",
        "admin_key_required",
        "job_not_found",
        "too_many_jobs",
    ] {
        assert!(codes.contains(&code), "{code} not in {codes:?}");
    }
    let mut operations = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{method} {path} has no summary");
            assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{method} {path} has no tag");
            let responses = op["responses"].as_object().unwrap();
            if path != "/api/v1/health" && path != "/tmserver/languages/" {
                let documented_error = responses.iter().any(|(status, r)| {
                    status.starts_with('4')
                        && r["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ApiError"
                });
                assert!(documented_error, "{method} {path} documents no 4xx ApiError");
            }
            if method != "get" && !path.starts_with("/api/v1/suggest") && path != "/api/v1/terms/recognize" {
                assert!(op["security"].is_array(), "{method} {path}: writes list their security");
            }
        }
    }
    assert_eq!(operations, 40);
    // The routes that start background work declare their 429 and its header.
    for path in ["/api/v1/import", "/api/v1/mining/runs"] {
        let busy = &spec["paths"][path]["post"]["responses"]["429"];
        assert!(busy["description"].as_str().unwrap().contains("too_many_jobs"), "{path}: {busy}");
        assert!(busy["headers"]["Retry-After"].is_object(), "{path}: {busy}");
    }
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
}

#[actix_web::test]
async fn swagger_ui_and_spec_are_served_offline() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    let (status, spec) = send(&app, get("/api-docs/openapi.json")).await;
    assert_eq!(status, 200);
    assert_eq!(spec, serde_json::to_value(server::openapi()).unwrap());

    let resp = atest::call_service(&app, get("/swagger-ui/").to_request()).await;
    assert_eq!(resp.status().as_u16(), 200);
    let html = String::from_utf8(atest::read_body(resp).await.to_vec()).unwrap();
    assert!(html.contains("swagger-ui"), "index page: {html}");
    assert!(!html.contains("unpkg.com") && !html.contains("cdn."), "no CDN: {html}");

    for asset in
        ["/swagger-ui/swagger-ui-bundle.js", "/swagger-ui/swagger-ui.css", "/swagger-ui/swagger-initializer.js"]
    {
        let resp = atest::call_service(&app, get(asset).to_request()).await;
        assert_eq!(resp.status().as_u16(), 200, "{asset}");
        let body = atest::read_body(resp).await;
        assert!(body.len() > 50, "{asset} is served from the binary");
        if asset.ends_with("initializer.js") {
            assert!(String::from_utf8_lossy(&body).contains("/api-docs/openapi.json"));
        }
    }
    let resp = atest::call_service(&app, get("/swagger-ui").to_request()).await;
    assert!(resp.status().is_redirection());
    assert_eq!(resp.headers().get("location").unwrap(), "/swagger-ui/");
}
