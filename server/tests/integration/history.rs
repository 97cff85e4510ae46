//! Concept history over HTTP: who changed what and when, and restoring an
//! old version, with named API keys.

use actix_web::test;
use serde_json::{json, Value};

use crate::common::*;

fn with_key(req: test::TestRequest, key: &str) -> test::TestRequest {
    req.insert_header(("Authorization", format!("Bearer {key}")))
}

fn concept(en: &str) -> Value {
    json!({"subject_field": "diplomacy", "terms": [
        {"lang": "vi", "text": "hiệp định thương mại", "status": "preferred"},
        {"lang": "en", "text": en, "status": "preferred"}
    ]})
}

#[actix_web::test]
async fn history_records_who_when_and_what_and_restore_writes_a_new_version() {
    // A named key and a bare one (named key-1).
    let auth = server::Auth::new(vec!["ann:secret-a".into(), "secret-b".into()], false);
    let (_dir, state) = state_with_auth(false, auth);
    let app = test::init_service(server::app(state)).await;

    let (status, v1) =
        send(&app, with_key(post_json("/api/v1/concepts", concept("trade agreement")), "secret-a")).await;
    assert_eq!(status, 201, "{v1}");
    let id = v1["id"].as_str().unwrap().to_string();
    let mut update = concept("trade pact");
    update["version"] = json!(1);
    let (status, v2) = send(&app, with_key(put_json(&format!("/api/v1/concepts/{id}"), update), "secret-b")).await;
    assert_eq!(status, 200, "{v2}");
    let mut update = concept("trade pact");
    update["note"] = json!("checked by the legal department");
    update["version"] = json!(2);
    let (status, v3) = send(&app, with_key(put_json(&format!("/api/v1/concepts/{id}"), update), "secret-a")).await;
    assert_eq!((status, v3["version"].as_u64()), (200, Some(3)), "{v3}");

    let (status, h) = send(&app, get(&format!("/api/v1/concepts/{id}/history"))).await;
    assert_eq!(status, 200, "{h}");
    let items = h["items"].as_array().unwrap();
    let summary: Vec<(u64, &str, &str)> = items
        .iter()
        .map(|e| (e["version"].as_u64().unwrap(), e["actor"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .collect();
    assert_eq!(summary, vec![(3, "ann", "updated"), (2, "key-1", "updated"), (1, "ann", "created")], "newest first");
    for e in items {
        assert!(e["at"].as_str().is_some_and(|t| t.ends_with('Z') && t.len() >= 20), "when: {e}");
    }
    // v1 → v2: the English term replaced.
    assert_eq!(
        items[1]["diff"]["terms"],
        json!([
            {"lang": "en", "change": "added", "text": "trade pact"},
            {"lang": "en", "change": "removed", "text": "trade agreement"}
        ])
    );
    assert_eq!(items[1]["diff"]["fields"], json!([]));
    // v2 → v3: a field only.
    assert_eq!(items[0]["diff"]["terms"], json!([]));
    assert_eq!(items[0]["diff"]["fields"], json!([{"field": "note", "after": "checked by the legal department"}]));
    assert_eq!(items[2]["diff"]["terms"].as_array().unwrap().len(), 2, "a create adds every term");

    // Restore version 1: its content, as version 4, recorded in the history.
    let restore = json!({"version": 1, "expected_version": 3});
    let uri = format!("/api/v1/concepts/{id}/restore");
    let (status, v4) = send(&app, with_key(post_json(&uri, restore.clone()), "secret-b")).await;
    assert_eq!(status, 200, "{v4}");
    assert_eq!(v4["version"], 4);
    for field in ["terms", "subject_field", "note", "definition", "created"] {
        assert_eq!(v4[field], v1[field], "{field} as in version 1");
    }
    let (_, now) = send(&app, get(&format!("/api/v1/concepts/{id}"))).await;
    assert_eq!(now, v4);
    let (_, h) = send(&app, get(&format!("/api/v1/concepts/{id}/history"))).await;
    assert_eq!(h["items"][0]["version"], 4);
    assert_eq!(h["items"][0]["actor"], "key-1");
    assert_eq!(
        h["items"][0]["diff"]["fields"],
        json!([{"field": "note", "before": "checked by the legal department"}])
    );

    // The same restore again is stale now; a write without a key is refused.
    assert_error(&send(&app, with_key(post_json(&uri, restore.clone()), "secret-a")).await, 409, "version_conflict");
    assert_error(&send(&app, post_json(&uri, json!({"version": 1}))).await, 401, "unauthorized");
    assert_error(
        &send(&app, with_key(post_json(&uri, json!({"version": 9})), "secret-a")).await,
        404,
        "concept_not_found",
    );
    assert_error(&send(&app, get("/api/v1/concepts/never/history")).await, 404, "concept_not_found");
}

#[actix_web::test]
async fn a_deleted_concept_keeps_its_history_and_comes_back() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    let (_, v1) = send(&app, post_json("/api/v1/concepts", concept("trade agreement"))).await;
    let id = v1["id"].as_str().unwrap().to_string();
    let req = test::TestRequest::delete().uri(&format!("/api/v1/concepts/{id}?version=1"));
    assert_eq!(send(&app, req).await.0, 204);
    let (status, h) = send(&app, get(&format!("/api/v1/concepts/{id}/history"))).await;
    assert_eq!(status, 200, "{h}");
    assert_eq!(h["items"][0]["action"], "deleted");
    assert_eq!(h["items"][0]["actor"], "anonymous", "a server without keys");
    assert!(h["items"][0].get("concept").is_none());
    let uri = format!("/api/v1/concepts/{id}/restore");
    let (status, back) = send(&app, post_json(&uri, json!({"version": 1, "expected_version": 1}))).await;
    assert_eq!((status, back["version"].as_u64()), (200, Some(2)), "{back}");
    assert_eq!(back["terms"], v1["terms"]);
    let (status, _) = send(&app, get(&format!("/api/v1/concepts/{id}"))).await;
    assert_eq!(status, 200);
}
