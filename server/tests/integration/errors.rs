//! The error table: every kind of bad input gets its documented status and
//! stable code, as JSON; API keys guard writes.

use actix_web::test;
use serde_json::json;
use server::Auth;

use crate::common::*;

#[actix_web::test]
async fn malformed_requests_get_json_errors() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    let raw = |body: &'static str| {
        test::TestRequest::post()
            .uri("/api/v1/concepts")
            .insert_header(("content-type", "application/json"))
            .set_payload(body)
    };
    let cases: Vec<(test::TestRequest, u16, &str)> = vec![
        (raw("{\"terms\": [ {\"lang\": \"vi\""), 400, "invalid_json"),
        (raw("not json"), 400, "invalid_json"),
        (raw(""), 400, "invalid_json"),
        (raw("{\"terms\": \"hòa bình\"}"), 400, "invalid_body"),
        (raw("{\"terms\": [{\"lang\": \"vi\", \"text\": 5}]}"), 400, "invalid_body"),
        (raw("{\"terms\": [{\"lang\": \"vi\", \"text\": \"a\", \"staus\": \"preferred\"}]}"), 400, "invalid_body"),
        (raw("{\"terms\": [{\"lang\": \"vi\", \"text\": \"a\", \"status\": \"approved\"}]}"), 400, "invalid_body"),
        (raw("{\"subject\": \"x\", \"terms\": []}"), 400, "invalid_body"),
        (raw("[]"), 400, "invalid_body"),
        (
            test::TestRequest::post()
                .uri("/api/v1/concepts")
                .insert_header(("content-type", "text/plain"))
                .set_payload("{\"terms\": []}"),
            415,
            "unsupported_media_type",
        ),
        (
            test::TestRequest::post().uri("/api/v1/concepts").set_json(json!({
                "terms": [{"lang": "vi", "text": "x", "note": "n".repeat(server::MAX_JSON_BYTES)}]
            })),
            413,
            "payload_too_large",
        ),
        (test::TestRequest::get().uri("/api/v2/lookup"), 404, "not_found"),
        (test::TestRequest::patch().uri("/api/v1/concepts/c1"), 405, "method_not_allowed"),
        (test::TestRequest::put().uri("/api/v1/concepts/c1").set_payload("{}"), 415, "unsupported_media_type"),
    ];
    for (req, status, code) in cases {
        let got = send(&app, req).await;
        assert_error(&got, status, code);
    }
    // The unknown-field message names the field, so the user can fix it.
    let got = send(&app, raw("{\"terms\": [{\"lang\": \"vi\", \"text\": \"a\", \"staus\": \"preferred\"}]}")).await;
    assert!(got.1["message"].as_str().unwrap().contains("staus"), "{}", got.1);
    // Nothing above was stored.
    let (_, page) = send(&app, get("/api/v1/concepts")).await;
    assert_eq!(page["total"], 0);
}

#[actix_web::test]
async fn api_keys_guard_writes() {
    let (_dir, state) = state_with_auth(false, Auth::new(vec!["s3cret".into(), "other".into()], false));
    let app = test::init_service(server::app(state)).await;
    let body = json!({"terms": [{"lang": "vi", "text": "hữu nghị"}]});
    assert_error(&send(&app, post_json("/api/v1/concepts", body.clone())).await, 401, "unauthorized");
    let wrong = post_json("/api/v1/concepts", body.clone()).insert_header(("authorization", "Bearer s3cre"));
    assert_error(&send(&app, wrong).await, 401, "unauthorized");
    let bearer = post_json("/api/v1/concepts", body.clone()).insert_header(("authorization", "Bearer s3cret"));
    assert_eq!(send(&app, bearer).await.0, 201);
    let header = post_json("/api/v1/concepts", json!({"terms": [{"lang": "vi", "text": "hợp tác"}]}))
        .insert_header(("x-api-key", "other"));
    assert_eq!(send(&app, header).await.0, 201);
    assert_error(&send(&app, test::TestRequest::delete().uri("/api/v1/concepts/c1")).await, 401, "unauthorized");
    // Reads stay open.
    let (status, page) = send(&app, get("/api/v1/concepts")).await;
    assert_eq!((status, page["total"].as_u64()), (200, Some(2)));
}

#[actix_web::test]
async fn protected_reads_keep_health_and_docs_open() {
    let (_dir, state) = state_with_auth(false, Auth::new(vec!["k".into()], true));
    let app = test::init_service(server::app(state)).await;
    assert_error(&send(&app, get("/api/v1/concepts")).await, 401, "unauthorized");
    assert_error(&send(&app, get("/api/v1/lookup?q=a&src=vi")).await, 401, "unauthorized");
    let (status, page) = send(&app, get("/api/v1/concepts").insert_header(("x-api-key", "k"))).await;
    assert_eq!((status, page["total"].as_u64()), (200, Some(0)));
    let (status, health) = send(&app, get("/api/v1/health")).await;
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
    // Built from its store at open: the term table is complete.
    assert_eq!(health["warming"].as_bool(), Some(false));
    let resp = test::call_service(&app, get("/api-docs/openapi.json").to_request()).await;
    assert_eq!(resp.status().as_u16(), 200);
}
