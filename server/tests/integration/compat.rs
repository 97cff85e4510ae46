//! The tmserver (Weblate) and MyMemory (MateCat) protocols, replaying the
//! requests those clients send.

use actix_web::test;
use serde_json::{json, Value};

use crate::common::*;

async fn app_with_units() -> (
    tempfile::TempDir,
    impl actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
    >,
) {
    let (dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    let units = json!({"units": [
        {"src": "vi", "tgt": "en", "source": "Kim ngạch thương mại đạt 2,5 tỷ USD/năm.", "target": "Trade reached 2.5 billion USD/year.", "provenance": {"title": "Trade report"}, "created_by": "terminologist"},
        {"src": "vi", "tgt": "en-GB", "source": "Hai bên ký kết bản ghi nhớ.", "target": "The two sides signed a memorandum of understanding."}
    ]});
    let (status, _) = send(&app, post_json("/api/v1/tm/units/bulk", units)).await;
    assert_eq!(status, 200);
    (dir, app)
}

#[actix_web::test]
async fn weblate_tmserver_requests() {
    let (_dir, app) = app_with_units().await;
    let resp = test::call_service(&app, get("/tmserver/languages/").to_request()).await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers().get("cache-control").unwrap(), "max-age=3600");
    let langs: Value = test::read_body_json(resp).await;
    assert_eq!(langs["sourceLanguages"], json!(["vi"]));
    assert_eq!(langs["targetLanguages"], json!(["en", "en_gb"]));

    // Weblate quotes the whole text, "/" included (%2F).
    let text = "Kim ngạch thương mại đạt 3 tỷ USD/năm.";
    let uri = format!("/tmserver/vi/en_GB/unit/{}", enc(text));
    assert!(uri.contains("%2F"));
    let resp = test::call_service(&app, get(&uri).to_request()).await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers().get("cache-control").unwrap(), "max-age=3600");
    let units: Value = test::read_body_json(resp).await;
    let first = &units[0];
    assert_eq!(first["source"], "Kim ngạch thương mại đạt 2,5 tỷ USD/năm.");
    assert_eq!(first["target"], "Trade reached 3 billion USD/year.", "adapted to the query's number");
    assert_eq!(first["quality"], 99.0);
    assert_eq!(first["rank"], 1);

    // The `source` parameter form, with amaGama's knobs.
    let uri = format!(
        "/tmserver/vi/en/unit/?source={}&min_similarity=95&max_candidates=3",
        enc("Hai bên ký kết bản ghi nhớ.")
    );
    let (status, units) = send(&app, get(&uri)).await;
    assert_eq!(status, 200);
    assert_eq!(units.as_array().unwrap().len(), 1);
    assert_eq!(units[0]["quality"], 100.0);
    let uri = format!("/tmserver/vi/en/unit/{}?min_similarity=99", enc("Hai bên ký kết hiệp định."));
    assert_eq!(send(&app, get(&uri)).await.1, json!([]));
    assert_error(&send(&app, get("/tmserver/vi/en/unit/")).await, 400, "invalid_query");
    assert_error(&send(&app, get("/tmserver/xx_1/en/unit/abc")).await, 400, "invalid_language_tag");
    assert_error(&send(&app, get("/tmserver/vi/en/unit/%E0%A4")).await, 400, "invalid_path");
}

#[actix_web::test]
async fn matecat_mymemory_requests() {
    let (_dir, app) = app_with_units().await;
    // MateCat sends langpair with regions, a contact e-mail and a key.
    let uri = format!(
        "/get?q={}&langpair=vi-VN%7Cen-US&de=translator%40example.org&key=abc123&mt=1&onlyprivate=0",
        enc("Kim ngạch thương mại đạt 2,5 tỷ USD/năm.")
    );
    let (status, body) = send(&app, get(&uri)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["responseStatus"], 200);
    assert_eq!(body["responseDetails"], "");
    for key in ["responderId", "quotaFinished", "mtLangSupported", "exception_code"] {
        assert!(body.as_object().unwrap().contains_key(key), "missing {key}");
    }
    assert_eq!(body["responseData"]["translatedText"], "Trade reached 2.5 billion USD/year.");
    assert_eq!(body["responseData"]["match"], 1.0);
    // Every key MateCat's client (lib/Utils/Engines/Results/MyMemory/
    // GetMemoryResponse.php and Matches.php) reads, with the JSON type a
    // real MyMemory answer gives it ("null" where MyMemory may send null).
    let shape: &[(&str, &[&str])] = &[
        ("id", &["string"]),
        ("segment", &["string"]),
        ("translation", &["string"]),
        ("source", &["string"]),
        ("target", &["string"]),
        ("quality", &["string"]),
        ("reference", &["string", "null"]),
        ("usage-count", &["number"]),
        ("subject", &["string"]),
        ("created-by", &["string"]),
        ("last-updated-by", &["string"]),
        ("create-date", &["string"]),
        ("last-update-date", &["string"]),
        ("match", &["number"]),
        ("penalty", &["number"]),
        ("tm_properties", &["string", "null"]),
        ("key", &["string"]),
        ("ICE", &["boolean"]),
        ("source_note", &["string", "null"]),
        ("target_note", &["string"]),
        ("prop", &["array"]),
    ];
    let type_of = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let m = body["matches"][0].as_object().unwrap();
    let wrong: Vec<String> = shape
        .iter()
        .filter(|(key, types)| !m.get(*key).is_some_and(|v| types.contains(&type_of(v))))
        .map(|(key, types)| format!("{key}: {:?}, want {types:?}", m.get(*key)))
        .collect();
    assert!(wrong.is_empty(), "{wrong:?}");
    assert_eq!(m["quality"], "100");
    assert_eq!(m["reference"], "Trade report");
    assert_eq!(m["created-by"], "terminologist");
    assert_eq!(m["subject"], "");
    assert_eq!(m["create-date"].as_str().unwrap().len(), 19);
    let props: Value = serde_json::from_str(m["tm_properties"].as_str().unwrap()).unwrap();
    assert!(
        props.as_array().unwrap().iter().any(|p| p["type"] == "x-title" && p["value"] == "Trade report"),
        "{props}"
    );
    for (key, types) in [
        ("responseStatus", "number"),
        ("responseDetails", "string"),
        ("responseData", "object"),
        ("quotaFinished", "boolean"),
        ("matches", "array"),
    ] {
        assert_eq!(type_of(&body[key]), types, "{key}");
    }

    let (_, none) = send(&app, get(&format!("/get?q={}&langpair=vi|en", enc("Một câu khác hẳn.")))).await;
    assert_eq!(none["responseData"]["translatedText"], "");
    assert_eq!(none["matches"], json!([]));
    // Errors in MyMemory's shape, with the stable code beside it.
    for (uri, code) in [
        ("/get?langpair=vi|en", "invalid_query"),
        ("/get?q=abc&langpair=vi-en", "invalid_query"),
        ("/get?q=abc&langpair=vi|xx_1", "invalid_language_tag"),
    ] {
        let got = send(&app, get(uri)).await;
        assert_error(&got, 400, code);
        let body = &got.1;
        assert_eq!(body["responseStatus"], 400, "{body}");
        assert_eq!(body["exception_code"], code);
        assert!(!body["responseDetails"].as_str().unwrap().is_empty());
        assert_eq!(body["responseData"]["translatedText"], body["responseDetails"]);
        assert_eq!(body["matches"], json!([]));
    }
}

#[actix_web::test]
async fn matecat_glossary_get_returns_terms_and_blacklisted_terms() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    let concept = json!({"subject_field": "titles", "terms": [
        {"lang": "vi", "text": "Tổng Bí thư", "status": "preferred"},
        {"lang": "en", "text": "General Secretary", "status": "preferred", "context": "General Secretary To Lam"},
        {"lang": "en", "text": "Secretary General", "status": "deprecated"}
    ]});
    let (status, body) = send(&app, post_json("/api/v1/concepts", concept)).await;
    assert_eq!(status, 201, "{body}");
    let req = json!({"de": "x@example.org", "id_job": "7", "id_segment": "42", "keys": [],
        "source": "Tổng Bí thư tiếp Đại sứ Lào.", "source_language": "vi-VN", "target_language": "en-US"});
    let (status, body) = send(&app, post_json("/v2/glossary/get", req)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["responseStatus"], 200);
    let m = &body["matches"];
    assert_eq!(m["id_segment"], "42");
    assert_eq!(m["terms"].as_array().unwrap().len(), 1, "{m}");
    let t = &m["terms"][0];
    assert_eq!(t["source"]["term"], "Tổng Bí thư");
    assert_eq!(t["target"]["term"], "General Secretary");
    assert_eq!(t["target"]["sentence"], "General Secretary To Lam");
    assert_eq!(t["matching_words"], json!(["Tổng Bí thư"]));
    assert_eq!(t["metadata"]["domain"], "titles");
    assert!(t["term_id"].is_string() && t["metadata"]["keys"].is_array());
    assert_eq!(m["blacklisted_terms"][0]["target"]["term"], "Secretary General");

    let bad = json!({"source": "x", "source_language": "xx_1", "target_language": "en"});
    assert_error(&send(&app, post_json("/v2/glossary/get", bad)).await, 400, "invalid_language_tag");
}
