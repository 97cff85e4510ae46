//! Query-size guard rails over HTTP: an overlong query is a 400 with a
//! stable code; a pathological one within the limits is answered.

use actix_web::test;
use serde_json::json;

use crate::common::*;

#[actix_web::test]
async fn overlong_and_pathological_queries() {
    let (_dir, state) = state(true);
    let app = test::init_service(server::app(state)).await;

    // Lookup: 10,000 characters is over the 500-character limit.
    let long = "a".repeat(10_000);
    let got = send(&app, get(&format!("/api/v1/lookup?q={long}&src=vi&tgt=en"))).await;
    assert_error(&got, 400, "invalid_input");
    assert_eq!(got.1["field"], "q");

    // One syllable repeated up to the limit is answered (no exact or fuzzy hit).
    let repeated = enc("hòa ".repeat(125).trim_end());
    let (status, body) = send(&app, get(&format!("/api/v1/lookup?q={repeated}&src=vi&tgt=en"))).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["hits"].as_array().unwrap().iter().all(|h| h["match_kind"] == "partial"), "{body}");

    // Suggest: 10,000 characters is over the 2,000-character limit.
    let req = test::TestRequest::post()
        .uri("/api/v1/suggest")
        .set_json(json!({"text": "hợp tác ".repeat(1250), "src": "vi", "tgt": "en"}));
    let got = send(&app, req).await;
    assert_error(&got, 400, "invalid_input");

    // A repeated syllable just under it is answered, with the glossary term found each time.
    let req = test::TestRequest::post()
        .uri("/api/v1/suggest")
        .set_json(json!({"text": "hòa bình ".repeat(200).trim_end(), "src": "vi", "tgt": "en"}));
    let (status, body) = send(&app, req).await;
    assert_eq!(status, 200, "{body}");
    let terms = body["terms"].as_array().unwrap();
    assert_eq!(terms.len(), 200, "{body}");
    assert_eq!(terms[0]["text"], "hòa bình");
}
