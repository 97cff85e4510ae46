//! `GET /api/v1/lookup` on the starter glossary and on crafted entries.

use actix_web::test;
use serde_json::{json, Value};

use crate::common::*;

async fn lookup<S, B>(app: &S, q: &str, extra: &str) -> Value
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let (status, body) = send(app, get(&format!("/api/v1/lookup?q={}&src=vi&tgt=en{extra}", enc(q)))).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn first_term(body: &Value) -> &str {
    body["hits"][0]["term"]["text"].as_str().unwrap_or_else(|| panic!("no hit in {body}"))
}

#[actix_web::test]
async fn acceptance_queries_on_the_starter_glossary() {
    let (_dir, state) = state(true);
    let app = test::init_service(server::app(state)).await;

    let body = lookup(&app, "huu nghi vi dai", "").await;
    assert_eq!(first_term(&body), "hữu nghị vĩ đại");
    assert_eq!(body["hits"][0]["match_kind"], "diacritic_insensitive");
    assert_eq!(body["hits"][0]["targets"][0]["text"], "great friendship");
    assert_eq!(body["hits"][0]["targets"][0]["status"], "preferred");
    assert_eq!(body["folded"], "huu nghi vi dai");
    // The four-part formula containing it comes later, as a partial match.
    let kinds: Vec<&str> = body["hits"].as_array().unwrap().iter().map(|h| h["match_kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"partial"), "{kinds:?}");

    let body = lookup(&app, "hoà bình", "").await;
    assert_eq!(first_term(&body), "hòa bình");
    assert_eq!(body["hits"][0]["match_kind"], "normalized");
    assert_eq!(body["hits"][0]["targets"][0]["text"], "peace");

    let body = lookup(&app, "Viet Nam – Lao", "").await;
    assert_eq!(first_term(&body), "Việt Nam - Lào");

    let body = lookup(&app, "thăm cấp Nhà nước", "&limit=1").await;
    assert_eq!(body["hits"].as_array().unwrap().len(), 1);
    assert_eq!(body["hits"][0]["match_kind"], "exact");
    assert_eq!(body["hits"][0]["score"], 1.0);
    assert_eq!(body["hits"][0]["targets"][0]["text"], "state visit");

    // Typo and missing diacritics at once.
    let body = lookup(&app, "gan ket chien luoc", "").await;
    assert_eq!(first_term(&body), "gắn kết chiến lược");
    let body = lookup(&app, "gan ket chien luok", "").await;
    assert_eq!(first_term(&body), "gắn kết chiến lược");
    assert_eq!(body["hits"][0]["match_kind"], "fuzzy");
    // Admitted renderings follow the preferred one.
    let targets: Vec<&str> =
        body["hits"][0]["targets"].as_array().unwrap().iter().map(|t| t["text"].as_str().unwrap()).collect();
    assert_eq!(targets[0], "strategic cohesion");
    assert!(targets.len() >= 3, "{targets:?}");

    // Without tgt, equivalents in every other language.
    let (_, body) = send(&app, get(&format!("/api/v1/lookup?q={}&src=vi", enc("hòa bình")))).await;
    assert!(body["hits"][0]["targets"].as_array().unwrap().iter().all(|t| t["lang"] != "vi"));
}

#[actix_web::test]
async fn matching_diacritics_rank_first_and_scores_are_ordered() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    for (vi, en) in [("dương", "positive"), ("đường", "road"), ("đương", "current"), ("dường", "seem")] {
        let body = json!({"terms": [{"lang": "vi", "text": vi}, {"lang": "en", "text": en}]});
        assert_eq!(send(&app, post_json("/api/v1/concepts", body)).await.0, 201);
    }
    let body = lookup(&app, "đường", "").await;
    let order: Vec<&str> =
        body["hits"].as_array().unwrap().iter().map(|h| h["term"]["text"].as_str().unwrap()).collect();
    assert_eq!(order[0], "đường");
    let pos = |t: &str| order.iter().position(|x| *x == t).unwrap();
    assert!(pos("đường") < pos("dương"), "{order:?}");
    let scores: Vec<f64> = body["hits"].as_array().unwrap().iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));

    // Typed without any accent, all four match the same way.
    let body = lookup(&app, "duong", "").await;
    assert_eq!(body["hits"].as_array().unwrap().len(), 4);
    assert!(body["hits"].as_array().unwrap().iter().all(|h| h["match_kind"] == "diacritic_insensitive"));
}

#[actix_web::test]
async fn lookup_follows_writes() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    let body = json!({"id": "k", "terms": [{"lang": "vi", "text": "tin cậy chính trị"}, {"lang": "en", "text": "political trust"}]});
    send(&app, post_json("/api/v1/concepts", body)).await;
    assert_eq!(first_term(&lookup(&app, "tin cay chinh tri", "").await), "tin cậy chính trị");

    let update =
        json!({"terms": [{"lang": "vi", "text": "tài sản vô giá"}, {"lang": "en", "text": "priceless asset"}]});
    assert_eq!(send(&app, put_json("/api/v1/concepts/k", update)).await.0, 200);
    assert_eq!(lookup(&app, "tin cay chinh tri", "").await["hits"], json!([]));
    assert_eq!(first_term(&lookup(&app, "tai san vo gia", "").await), "tài sản vô giá");

    send(&app, test::TestRequest::delete().uri("/api/v1/concepts/k")).await;
    assert_eq!(lookup(&app, "tai san vo gia", "").await["hits"], json!([]));
}

#[actix_web::test]
async fn bad_lookup_parameters() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("/api/v1/lookup?src=vi", "invalid_query", None),
        ("/api/v1/lookup?q=x", "invalid_query", None),
        ("/api/v1/lookup?q=&src=vi", "invalid_query", Some("q")),
        ("/api/v1/lookup?q=%20%20&src=vi", "invalid_query", Some("q")),
        ("/api/v1/lookup?q=x&src=vi_VN", "invalid_language_tag", Some("src")),
        ("/api/v1/lookup?q=x&src=vi&tgt=e", "invalid_language_tag", Some("tgt")),
        ("/api/v1/lookup?q=x&src=vi&limit=0", "invalid_input", Some("limit")),
        ("/api/v1/lookup?q=x&src=vi&limit=51", "invalid_input", Some("limit")),
        ("/api/v1/lookup?q=x&src=vi&limit=-1", "invalid_query", None),
        ("/api/v1/lookup?q=x&src=vi&tgr=en", "invalid_query", None),
    ];
    for (uri, code, field) in cases {
        let got = send(&app, get(uri)).await;
        assert_error(&got, 400, code);
        if let Some(f) = field {
            assert_eq!(got.1["field"], *f, "{uri}");
        }
    }
    let long = "a".repeat(501);
    let got = send(&app, get(&format!("/api/v1/lookup?q={long}&src=vi"))).await;
    assert_error(&got, 400, "invalid_input");
    assert_eq!(got.1["field"], "q");
    // Pathological but legal: a long query of one repeated syllable answers.
    let rep = vec!["nghị"; 90].join(" ");
    assert_eq!(send(&app, get(&format!("/api/v1/lookup?q={}&src=vi", enc(&rep)))).await.0, 200);
}
