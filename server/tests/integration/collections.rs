//! Collections (named glossaries and TMs) over HTTP.

use actix_web::test;
use serde_json::{json, Value};

use crate::common::*;

fn concept(vi: &str, en: &str, collection: Option<&str>) -> Value {
    let mut c = json!({"terms": [{"lang": "vi", "text": vi}, {"lang": "en", "text": en}]});
    if let Some(name) = collection {
        c["collection"] = json!(name);
    }
    c
}

fn unit(source: &str, collection: Option<&str>) -> Value {
    let mut u = json!({"src": "vi", "tgt": "en", "source": source, "target": format!("EN {source}")});
    if let Some(name) = collection {
        u["collection"] = json!(name);
    }
    u
}

fn listed(body: &Value) -> Vec<(String, u64, u64)> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["name"].as_str().unwrap().to_string(), c["concepts"].as_u64().unwrap(), c["tm_units"].as_u64().unwrap())
        })
        .collect()
}

#[actix_web::test]
async fn records_carry_their_collection_and_are_listed_with_counts() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    let (status, body) = send(&app, get("/api/v1/collections")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(listed(&body), [("default".to_string(), 0, 0)]);

    let (status, a) = send(&app, post_json("/api/v1/concepts", concept("hòa bình", "peace", None))).await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["collection"], "default");
    let (_, b) = send(&app, post_json("/api/v1/concepts", concept("hợp tác", "cooperation", Some("mofa")))).await;
    assert_eq!(b["collection"], "mofa");
    // An update without `collection` keeps it.
    let id = b["id"].as_str().unwrap();
    let (status, kept) =
        send(&app, put_json(&format!("/api/v1/concepts/{id}"), concept("hợp tác", "co-operation", None))).await;
    assert_eq!((status, kept["collection"].as_str()), (200, Some("mofa")), "{kept}");
    let bad = send(&app, post_json("/api/v1/concepts", concept("an ninh", "security", Some("Bad Name")))).await;
    assert_error(&bad, 400, "invalid_input");

    let (_, u) = send(&app, post_json("/api/v1/tm/units", unit("Hai bên hội đàm.", Some("news-desk")))).await;
    assert_eq!(u["unit"]["collection"], "news-desk");
    let (_, d) = send(&app, post_json("/api/v1/tm/units", unit("Hai bên hội đàm.", None))).await;
    assert_eq!((d["outcome"].as_str(), d["unit"]["collection"].as_str()), (Some("created"), Some("default")));

    let import = test::TestRequest::post()
        .uri("/api/v1/import?format=tsv&collection=mofa")
        .insert_header(("content-type", "text/tab-separated-values"))
        .set_payload("an ninh\tsecurity\n");
    let (status, report) = send(&app, import).await;
    assert_eq!((status, report["created"].as_u64()), (200, Some(1)), "{report}");
    let bad = test::TestRequest::post()
        .uri("/api/v1/import?format=tsv&collection=-x")
        .insert_header(("content-type", "text/tab-separated-values"))
        .set_payload("an ninh\tsecurity\n");
    let got = send(&app, bad).await;
    assert_error(&got, 400, "invalid_input");
    assert_eq!(got.1["field"], "collection");

    let (_, body) = send(&app, get("/api/v1/collections")).await;
    assert_eq!(
        listed(&body),
        [("default".to_string(), 1, 1), ("mofa".to_string(), 2, 0), ("news-desk".to_string(), 0, 1)]
    );
}
