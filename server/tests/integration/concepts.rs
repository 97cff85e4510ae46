//! Concept CRUD, pagination and search over HTTP.

use actix_web::test;
use serde_json::{json, Value};

use crate::common::*;

fn concept(vi: &str, en: &str) -> Value {
    json!({"subject_field": "diplomacy", "terms": [
        {"lang": "vi", "text": vi, "status": "preferred"},
        {"lang": "en", "text": en, "status": "preferred", "part_of_speech": "noun"}
    ]})
}

#[actix_web::test]
async fn create_read_update_delete() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;

    let req = test::TestRequest::post().uri("/api/v1/concepts").set_json(json!({
        "id": "state-visit",
        "definition": "  A visit by a head of state.  ",
        "terms": [
            {"lang": "vi", "text": "thăm\u{a0}cấp  Nhà nước", "term_type": "phrase"},
            {"lang": "EN", "text": "state visit", "context": "The state visit opened a new chapter."}
        ]
    }));
    let resp = test::call_service(&app, req.to_request()).await;
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(resp.headers().get("location").unwrap(), "/api/v1/concepts/state-visit");
    let created: Value = test::read_body_json(resp).await;
    assert_eq!(created["id"], "state-visit");
    assert_eq!(created["version"], 1);
    assert_eq!(created["definition"], "A visit by a head of state.", "fields are cleaned");
    assert_eq!(created["terms"][0]["text"], "thăm cấp Nhà nước", "NBSP and double spaces cleaned");
    assert_eq!(created["terms"][0]["status"], "preferred", "status defaults to preferred");
    assert_eq!(created["terms"][1]["lang"], "en", "language tags are canonicalised");
    assert!(created["created"].as_str().unwrap().ends_with('Z'));

    let (status, got) = send(&app, get("/api/v1/concepts/state-visit")).await;
    assert_eq!(status, 200);
    assert_eq!(got, created);

    let mut update = concept("thăm cấp Nhà nước", "state visit");
    update["version"] = json!(1);
    update["note"] = json!("Not 'official visit'.");
    let (status, updated) = send(&app, put_json("/api/v1/concepts/state-visit", update.clone())).await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["note"], "Not 'official visit'.");
    assert_eq!(updated["created"], created["created"]);
    assert!(updated.get("definition").is_none(), "PUT replaces the whole concept");

    // Someone else's stale copy is refused, not silently applied.
    assert_error(&send(&app, put_json("/api/v1/concepts/state-visit", update)).await, 409, "version_conflict");
    let stale = test::TestRequest::delete().uri("/api/v1/concepts/state-visit?version=1");
    assert_error(&send(&app, stale).await, 409, "version_conflict");

    let (status, body) = send(&app, test::TestRequest::delete().uri("/api/v1/concepts/state-visit?version=2")).await;
    assert_eq!((status, body), (204, Value::Null));
    assert_error(&send(&app, get("/api/v1/concepts/state-visit")).await, 404, "concept_not_found");
    assert_error(
        &send(&app, test::TestRequest::delete().uri("/api/v1/concepts/state-visit")).await,
        404,
        "concept_not_found",
    );
    let put_missing = put_json("/api/v1/concepts/state-visit", concept("a", "b"));
    assert_error(&send(&app, put_missing).await, 404, "concept_not_found");
}

#[actix_web::test]
async fn ids_are_generated_or_checked() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    let (status, a) = send(&app, post_json("/api/v1/concepts", concept("hòa bình", "peace"))).await;
    assert_eq!(status, 201);
    let (_, b) = send(&app, post_json("/api/v1/concepts", concept("hợp tác", "cooperation"))).await;
    assert_ne!(a["id"], b["id"]);
    assert!(a["id"].as_str().unwrap().starts_with('c'));

    let mut dup = concept("x", "y");
    dup["id"] = a["id"].clone();
    let got = send(&app, post_json("/api/v1/concepts", dup)).await;
    assert_error(&got, 409, "concept_exists");
    assert_eq!(got.1["field"], "id");

    let mut bad = concept("x", "y");
    bad["id"] = json!("1 bad id");
    assert_error(&send(&app, post_json("/api/v1/concepts", bad)).await, 400, "invalid_input");
    assert_error(&send(&app, get("/api/v1/concepts/bad%20id")).await, 400, "invalid_input");
}

#[actix_web::test]
async fn invalid_concepts_are_rejected_with_the_field() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({"terms": []}), "invalid_input", "terms"),
        (json!({"terms": [{"lang": "vi", "text": "  "}]}), "invalid_input", "terms[0].text"),
        (
            json!({"terms": [{"lang": "vi", "text": "a"}, {"lang": "vi_VN", "text": "b"}]}),
            "invalid_language_tag",
            "terms[1].lang",
        ),
        (json!({"terms": [{"lang": "en", "text": "peace"}, {"lang": "en", "text": "calm"}]}), "invalid_input", "terms"),
        (
            json!({"terms": [{"lang": "vi", "text": "hòa bình"}, {"lang": "vi", "text": "Hoà bình", "status": "admitted"}]}),
            "invalid_input",
            "terms[1].text",
        ),
        (json!({"terms": [{"lang": "vi", "text": "x".repeat(501)}]}), "invalid_input", "terms[0].text"),
    ];
    for (body, code, field) in cases {
        let got = send(&app, post_json("/api/v1/concepts", body.clone())).await;
        assert_error(&got, 400, code);
        assert_eq!(got.1["field"], field, "for {body}");
    }
    let (_, page) = send(&app, get("/api/v1/concepts")).await;
    assert_eq!(page["total"], 0, "nothing was stored");
}

#[actix_web::test]
async fn pagination_visits_every_concept_once() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    for i in 0..25 {
        let (status, _) =
            send(&app, post_json("/api/v1/concepts", concept(&format!("từ {i}"), &format!("word {i}")))).await;
        assert_eq!(status, 201);
    }
    let mut seen = Vec::new();
    let mut uri = "/api/v1/concepts?limit=10".to_string();
    let mut pages = 0;
    loop {
        let (status, page) = send(&app, get(&uri)).await;
        assert_eq!(status, 200);
        assert_eq!(page["total"], 25);
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 10);
        seen.extend(items.iter().map(|c| c["id"].as_str().unwrap().to_string()));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/concepts?limit=10&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, seen, "ids come in order, each once");
    assert_eq!(seen.len(), 25);

    assert_error(&send(&app, get("/api/v1/concepts?limit=0")).await, 400, "invalid_input");
    assert_error(&send(&app, get("/api/v1/concepts?limit=201")).await, 400, "invalid_input");
    assert_error(&send(&app, get("/api/v1/concepts?limit=ten")).await, 400, "invalid_query");
    assert_error(&send(&app, get("/api/v1/concepts?cursor=a%20b")).await, 400, "invalid_input");
}

#[actix_web::test]
async fn search_is_diacritic_insensitive_and_syllable_aligned() {
    let (_dir, state) = state(true);
    let app = test::init_service(server::app(state)).await;
    let (status, page) = send(&app, get(&format!("/api/v1/concepts?q={}", enc("gan ket")))).await;
    assert_eq!(status, 200);
    let texts: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["terms"].as_array().unwrap().iter().map(|t| t["text"].as_str().unwrap().to_string()))
        .collect();
    assert!(texts.iter().any(|t| t == "gắn kết chiến lược"), "{texts:?}");
    assert!(page["total"].as_u64().unwrap() >= 2, "term and formula: {page}");

    // A syllable prefix matches ("chien l" -> "chiến lược"), a mid-syllable fragment does not.
    let (_, prefix) = send(&app, get(&format!("/api/v1/concepts?q={}&lang=vi", enc("chiến l")))).await;
    assert!(prefix["total"].as_u64().unwrap() >= 1);
    let (_, inner) = send(&app, get(&format!("/api/v1/concepts?q={}", enc("iến lư")))).await;
    assert_eq!(inner["total"], 0);

    // Language restriction: English "cohesion" is not found among Vietnamese terms.
    let (_, en) = send(&app, get("/api/v1/concepts?q=cohesion&lang=en")).await;
    assert!(en["total"].as_u64().unwrap() >= 1);
    let (_, vi) = send(&app, get("/api/v1/concepts?q=cohesion&lang=vi")).await;
    assert_eq!(vi["total"], 0);

    let (_, by_subject) = send(&app, get("/api/v1/concepts?subject_field=DIPLOMACY&limit=200")).await;
    let items = by_subject["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|c| c["subject_field"] == "diplomacy"));
}

/// The browse filters a terminologist uses: concepts with no English yet,
/// with deprecated terms, changed since a time; bad values are refused.
#[actix_web::test]
async fn list_filters_missing_language_status_and_updated_since() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    let make = |id: &str, terms: Value| json!({"id": id, "terms": terms});
    for body in [
        make("full", json!([{"lang": "vi", "text": "hội đàm"}, {"lang": "en", "text": "talks"}])),
        make("vi-only", json!([{"lang": "vi", "text": "hội kiến"}])),
        make(
            "old-title",
            json!([
                {"lang": "vi", "text": "Tổng Bí thư"},
                {"lang": "en", "text": "General Secretary"},
                {"lang": "en", "text": "Secretary General", "status": "deprecated"}
            ]),
        ),
    ] {
        let (status, body) = send(&app, post_json("/api/v1/concepts", body)).await;
        assert_eq!(status, 201, "{body}");
    }
    let ids = |page: &Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
    };
    let cases: &[(&str, &[&str])] = &[
        ("missing_lang=en", &["vi-only"]),
        ("missing_lang=vi", &[]),
        ("status=deprecated", &["old-title"]),
        ("status=deprecated&lang=vi", &[]),
        ("status=deprecated&lang=en", &["old-title"]),
        ("status=preferred&missing_lang=en", &["vi-only"]),
        ("updated_since=2000-01-01T00:00:00Z", &["full", "old-title", "vi-only"]),
        ("updated_since=2999-01-01T00:00:00Z", &[]),
        ("q=hoi&missing_lang=en", &["vi-only"]),
    ];
    for (query, want) in cases {
        let (status, page) = send(&app, get(&format!("/api/v1/concepts?{query}"))).await;
        assert_eq!(status, 200, "{query}: {page}");
        assert_eq!(ids(&page), *want, "{query}");
        assert!(page["total"].is_null(), "{query}: no total without a full scan: {page}");
    }
    let bad = send(&app, get("/api/v1/concepts?updated_since=yesterday")).await;
    assert_error(&bad, 400, "invalid_input");
    assert_eq!(bad.1["field"], "updated_since");
    let bad = send(&app, get("/api/v1/concepts?missing_lang=english_US")).await;
    assert_error(&bad, 400, "invalid_language_tag");
    let bad = send(&app, get("/api/v1/concepts?status=approved")).await;
    assert_eq!(bad.0, 400, "{}", bad.1);
}
