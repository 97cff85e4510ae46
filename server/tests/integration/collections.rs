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

/// Two collections holding the same entries: `mofa` and `default`.
async fn two_collections<S, B>(app: &S)
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    for (en, coll) in [("peace", None), ("peace (mofa)", Some("mofa"))] {
        let (status, body) = send(app, post_json("/api/v1/concepts", concept("hòa bình", en, coll))).await;
        assert_eq!(status, 201, "{body}");
    }
    let sentence = "Hai bên cam kết hòa bình.";
    for coll in [None, Some("mofa")] {
        let (status, body) = send(app, post_json("/api/v1/tm/units", unit(sentence, coll))).await;
        assert_eq!(status, 201, "{body}");
    }
}

fn collections_of(items: &Value, path: &[&str]) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| path.iter().fold(i, |v, k| &v[*k]).as_str().unwrap_or("?").to_string())
        .collect()
}

#[actix_web::test]
async fn reads_select_collections_and_unknown_names_match_nothing() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    two_collections(&app).await;
    let q = enc("hoa binh");

    // Lookup: every collection by default, one when named, none when unknown.
    let hits = |body: &Value| body["hits"].as_array().unwrap().len();
    let (status, all) = send(&app, get(&format!("/api/v1/lookup?q={q}&src=vi&tgt=en"))).await;
    assert_eq!((status, hits(&all)), (200, 2), "{all}");
    let (_, mofa) = send(&app, get(&format!("/api/v1/lookup?q={q}&src=vi&tgt=en&collection=mofa"))).await;
    assert_eq!(hits(&mofa), 1, "{mofa}");
    assert_eq!(mofa["hits"][0]["targets"][0]["text"], "peace (mofa)");
    let (status, none) = send(&app, get(&format!("/api/v1/lookup?q={q}&src=vi&collection=nosuch"))).await;
    assert_eq!((status, hits(&none)), (200, 0), "{none}");
    let bad = send(&app, get(&format!("/api/v1/lookup?q={q}&src=vi&collection=Bad!"))).await;
    assert_error(&bad, 400, "invalid_input");
    assert_eq!(bad.1["field"], "collection");

    // Concept listing, with and without a search.
    let (_, page) = send(&app, get("/api/v1/concepts?collection=mofa")).await;
    assert_eq!(collections_of(&page["items"], &["collection"]), ["mofa"]);
    let (_, page) = send(&app, get(&format!("/api/v1/concepts?q={q}&collection=default"))).await;
    assert_eq!(collections_of(&page["items"], &["collection"]), ["default"]);
    let (_, page) = send(&app, get("/api/v1/concepts?collection=default,mofa")).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);

    // Concordance.
    let (status, conc) =
        send(&app, get(&format!("/api/v1/tm/concordance?q={}&src=vi&tgt=en&collection=mofa", enc("cam kết")))).await;
    assert_eq!(status, 200, "{conc}");
    assert_eq!(collections_of(&conc["hits"], &["unit", "collection"]), ["mofa"]);
    let (_, conc) =
        send(&app, get(&format!("/api/v1/tm/concordance?q={}&src=vi&tgt=en&collection=x", enc("cam kết")))).await;
    assert_eq!(conc["hits"].as_array().unwrap().len(), 0);

    // Suggestions: TM matches and recognised terms of the collection only.
    let body = json!({"text": "Hai bên cam kết hòa bình.", "src": "vi", "tgt": "en", "collection": "mofa"});
    let (status, s) = send(&app, post_json("/api/v1/suggest", body)).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(collections_of(&s["matches"], &["unit", "collection"]), ["mofa"]);
    let concepts = s["terms"][0]["concepts"].as_array().unwrap();
    assert_eq!(concepts.len(), 1, "{s}");
    assert_eq!(concepts[0]["targets"][0]["text"], "peace (mofa)");
    let batch = json!({"sentences": ["Hai bên cam kết hòa bình."], "src": "vi", "tgt": "en", "collection": "nosuch"});
    let (status, b) = send(&app, post_json("/api/v1/suggest/batch", batch)).await;
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["results"][0]["matches"].as_array().unwrap().len(), 0, "{b}");
    assert_eq!(b["results"][0]["terms"].as_array().unwrap().len(), 0, "{b}");

    // Exports: TSV of the glossary, TMX of the TM.
    let (status, _, tsv) = raw(&app, get("/api/v1/export?format=tsv&collection=mofa")).await;
    assert_eq!(status, 200);
    assert!(tsv.contains("peace (mofa)") && !tsv.contains("peace\t") && !tsv.contains("peace\n"), "{tsv}");
    let (_, _, tmx) = raw(&app, get("/api/v1/export?format=tmx&collection=default")).await;
    assert_eq!(tmx.matches("<tu ").count() + tmx.matches("<tu>").count(), 1, "{tmx}");

    // The compatibility endpoints take `collection` too.
    let text = enc("Hai bên cam kết hòa bình.");
    let (status, w) = send(&app, get(&format!("/tmserver/vi/en/unit/{text}?collection=nosuch"))).await;
    assert_eq!((status, w.as_array().map(Vec::len)), (200, Some(0)), "{w}");
    let (status, w) = send(&app, get(&format!("/tmserver/vi/en/unit/{text}?collection=mofa"))).await;
    assert_eq!((status, w.as_array().map(Vec::len)), (200, Some(1)), "{w}");
    let (status, m) = send(&app, get(&format!("/get?q={text}&langpair=vi|en&collection=nosuch"))).await;
    assert_eq!((status, m["matches"].as_array().map(Vec::len)), (200, Some(0)), "{m}");
}

#[actix_web::test]
async fn collection_order_penalises_later_collections() {
    let (_dir, state) = state(false);
    let app = test::init_service(server::app(state)).await;
    two_collections(&app).await;
    let q = enc("Hai bên cam kết hòa bình.");
    let ranked = |body: &Value| -> Vec<(String, f64)> {
        body["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["unit"]["collection"].as_str().unwrap().to_string(), m["score"].as_f64().unwrap()))
            .collect()
    };
    // Both units are exact; the order decides, with 1 point per position.
    let (status, body) =
        send(&app, get(&format!("/api/v1/tm/matches?q={q}&src=vi&tgt=en&collection=mofa,default"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ranked(&body), [("mofa".to_string(), 100.0), ("default".to_string(), 99.0)]);
    assert_eq!(body["matches"][0]["penalties"], json!([]));
    assert_eq!(body["matches"][1]["penalties"], json!([{"kind": "collection", "points": 1.0, "count": 1}]));
    let uri = format!("/api/v1/tm/matches?q={q}&src=vi&tgt=en&collection=default,mofa&collection_penalty=5");
    let (_, body) = send(&app, get(&uri)).await;
    assert_eq!(ranked(&body), [("default".to_string(), 100.0), ("mofa".to_string(), 95.0)]);
    // Without a list there is no order and no penalty.
    let (_, body) = send(&app, get(&format!("/api/v1/tm/matches?q={q}&src=vi&tgt=en"))).await;
    assert!(ranked(&body).iter().all(|(_, s)| *s == 100.0), "{body}");
    // Suggestions follow the same order.
    let req = json!({"text": "Hai bên cam kết hòa bình.", "src": "vi", "tgt": "en", "collection": "default,mofa"});
    let (_, s) = send(&app, post_json("/api/v1/suggest", req)).await;
    assert_eq!(collections_of(&s["matches"], &["unit", "collection"]), ["default", "mofa"]);
    assert_eq!(s["matches"][1]["score"], 99.0);
    for bad in ["31", "-1", "x"] {
        let uri = format!("/api/v1/tm/matches?q={q}&src=vi&tgt=en&collection=mofa&collection_penalty={bad}");
        let got = send(&app, get(&uri)).await;
        assert_eq!(got.0, 400, "{bad}: {}", got.1);
    }
}

fn as_key(req: test::TestRequest, key: &str) -> test::TestRequest {
    req.insert_header(("x-api-key", key.to_string()))
}

fn tsv_import(uri: &str) -> test::TestRequest {
    test::TestRequest::post()
        .uri(uri)
        .insert_header(("content-type", "text/tab-separated-values"))
        .set_payload("an ninh\tsecurity\n")
}

#[actix_web::test]
async fn keys_limited_to_collections_read_and_write_only_there() {
    let auth = server::Auth::new(vec!["proj:p-secret@mofa+news".into(), "all:a-secret".into()], false);
    let (_dir, state) = state_with_auth(false, auth);
    let app = test::init_service(server::app(state)).await;
    let (all, proj) = ("a-secret", "p-secret");
    let (_, d) = send(&app, as_key(post_json("/api/v1/concepts", concept("hòa bình", "peace", None)), all)).await;
    let default_id = d["id"].as_str().unwrap().to_string();
    let (_, du) = send(&app, as_key(post_json("/api/v1/tm/units", unit("Hai bên hội đàm.", None)), all)).await;
    let default_unit = du["unit"]["id"].as_u64().unwrap();

    // Writes outside the key's collections: 403 collection_forbidden.
    let forbidden = |got: &(u16, Value)| assert_error(got, 403, "collection_forbidden");
    forbidden(&send(&app, as_key(post_json("/api/v1/concepts", concept("an ninh", "security", None)), proj)).await);
    let uri = format!("/api/v1/concepts/{default_id}");
    forbidden(&send(&app, as_key(put_json(&uri, concept("hòa bình", "peace", Some("mofa"))), proj)).await);
    forbidden(&send(&app, as_key(test::TestRequest::delete().uri(&uri), proj)).await);
    let restore = post_json(&format!("{uri}/restore"), json!({"version": 1}));
    forbidden(&send(&app, as_key(restore, proj)).await);
    forbidden(&send(&app, as_key(post_json("/api/v1/tm/units", unit("Một câu.", None)), proj)).await);
    let bulk = json!({"units": [unit("Câu một.", Some("mofa")), unit("Câu hai.", Some("x"))]});
    let got = send(&app, as_key(post_json("/api/v1/tm/units/bulk", bulk), proj)).await;
    forbidden(&got);
    assert_eq!(got.1["field"], "units[1].collection");
    let unit_uri = format!("/api/v1/tm/units/{default_unit}");
    forbidden(&send(&app, as_key(test::TestRequest::delete().uri(&unit_uri), proj)).await);
    forbidden(&send(&app, as_key(put_json(&unit_uri, unit("Hai bên hội đàm.", Some("mofa"))), proj)).await);
    forbidden(&send(&app, as_key(tsv_import("/api/v1/import?format=tsv&collection=default"), proj)).await);
    forbidden(&send(&app, as_key(post_json("/api/v1/candidates/x/accept", json!({})), proj)).await);
    forbidden(
        &send(
            &app,
            as_key(post_json("/api/v1/equivalents", json!({"term": "hòa bình", "src": "vi", "tgt": "en"})), proj),
        )
        .await,
    );

    // Writes inside them work; a move inside them too.
    let (status, m) =
        send(&app, as_key(post_json("/api/v1/concepts", concept("hợp tác", "cooperation", Some("mofa"))), proj)).await;
    assert_eq!(status, 201, "{m}");
    let moved = put_json(
        &format!("/api/v1/concepts/{}", m["id"].as_str().unwrap()),
        concept("hợp tác", "cooperation", Some("news")),
    );
    let (status, body) = send(&app, as_key(moved, proj)).await;
    assert_eq!((status, body["collection"].as_str()), (200, Some("news")), "{body}");
    let (status, report) = send(&app, as_key(tsv_import("/api/v1/import?format=tsv&collection=mofa"), proj)).await;
    assert_eq!(status, 200, "{report}");
    let (status, u) =
        send(&app, as_key(post_json("/api/v1/tm/units", unit("Hai bên hội đàm.", Some("mofa"))), proj)).await;
    assert_eq!(status, 201, "{u}");

    // Reads see only the key's collections, intersected with the request's.
    let get_as = |uri: &str, key: &str| as_key(get(uri), key);
    let (status, _) = send(&app, get_as(&uri, proj)).await;
    assert_eq!(status, 404);
    assert_eq!(send(&app, get_as(&uri, all)).await.0, 200);
    assert_eq!(send(&app, get_as(&format!("{uri}/history"), proj)).await.0, 404);
    assert_eq!(send(&app, get_as(&unit_uri, proj)).await.0, 404);
    let (_, page) = send(&app, get_as("/api/v1/concepts", proj)).await;
    let mut seen = collections_of(&page["items"], &["collection"]);
    seen.sort();
    assert_eq!(seen, ["mofa", "news"]);
    let (_, page) = send(&app, get_as("/api/v1/concepts?collection=default,news", proj)).await;
    assert_eq!(collections_of(&page["items"], &["collection"]), ["news"]);
    let (_, page) = send(&app, get_as("/api/v1/tm/units", proj)).await;
    assert_eq!(
        (collections_of(&page["items"], &["collection"]), page["total"].as_u64()),
        (vec!["mofa".to_string()], Some(1))
    );
    let (_, page) = send(&app, get_as("/api/v1/tm/units", all)).await;
    assert_eq!(page["total"], 2);
    let (_, hits) = send(&app, get_as(&format!("/api/v1/lookup?q={}&src=vi", enc("hoa binh")), proj)).await;
    assert_eq!(hits["hits"].as_array().unwrap().len(), 0, "{hits}");
    let (_, hits) = send(&app, get_as(&format!("/api/v1/lookup?q={}&src=vi", enc("hoa binh")), all)).await;
    assert_eq!(hits["hits"].as_array().unwrap().len(), 1, "{hits}");
    let q = enc("Hai bên hội đàm.");
    let (_, found) = send(&app, get_as(&format!("/api/v1/tm/matches?q={q}&src=vi&tgt=en"), proj)).await;
    assert_eq!(collections_of(&found["matches"], &["unit", "collection"]), ["mofa"]);
    let (_, found) =
        send(&app, get_as(&format!("/api/v1/tm/matches?q={q}&src=vi&tgt=en&collection=default"), proj)).await;
    assert_eq!(found["matches"].as_array().unwrap().len(), 0);
    let (_, list) = send(&app, get_as("/api/v1/collections", proj)).await;
    assert_eq!(collections_of(&list["items"], &["name"]), ["mofa", "news"]);
    let (_, _, tsv) = raw(&app, get_as("/api/v1/export?format=tsv", proj)).await;
    assert!(!tsv.contains("peace"), "{tsv}");
    // Anonymous reads (no --protect-reads) and the unlimited key see everything.
    let (_, list) = send(&app, get("/api/v1/collections")).await;
    assert_eq!(collections_of(&list["items"], &["name"]), ["default", "mofa", "news"]);
}

#[actix_web::test]
async fn key_collections_follow_the_last_at_only_when_they_are_names() {
    let auth =
        server::Auth::new(vec!["a:s1@mofa+news".into(), "b:p@ss@Bad!".into(), "c:plain".into(), "@only".into()], false);
    let names = |key: &str| {
        let (actor, scope) = auth.identify(key).unwrap_or_else(|| panic!("{key} is not a key"));
        (actor.0, scope.0.names().map(|n| n.iter().map(|c| c.to_string()).collect::<Vec<_>>()))
    };
    assert_eq!(names("s1"), ("a".to_string(), Some(vec!["mofa".to_string(), "news".to_string()])));
    assert_eq!(names("p@ss@Bad!"), ("b".to_string(), None));
    assert_eq!(names("plain"), ("c".to_string(), None));
    assert_eq!(names("@only"), ("key-1".to_string(), None));
    assert!(auth.identify("s1@mofa+news").is_none());
}

#[actix_web::test]
async fn mymemory_clients_may_send_the_key_as_a_parameter() {
    let auth = server::Auth::new(vec!["matecat:mm-key@mofa".into()], true);
    let (_dir, state) = state_with_auth(false, auth);
    let app = test::init_service(server::app(state)).await;
    for (vi, en, coll) in [("Tổng Bí thư", "General Secretary", Some("mofa")), ("Tổng Bí thư", "Party chief", None)]
    {
        let c = concept(vi, en, coll);
        let (status, body) = send(&app, as_key(post_json("/api/v1/concepts", c), "mm-key")).await;
        // The key may not write into default: that concept is refused.
        assert_eq!(status, if coll.is_some() { 201 } else { 403 }, "{body}");
    }
    let q = enc("Tổng Bí thư tiếp Đại sứ.");
    let (status, _) = send(&app, get(&format!("/get?q={q}&langpair=vi|en"))).await;
    assert_eq!(status, 401);
    let (status, body) = send(&app, get(&format!("/get?q={q}&langpair=vi|en&key=mm-key"))).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = send(&app, get(&format!("/get?q={q}&langpair=vi|en&key=wrong"))).await;
    assert_eq!(status, 401);

    let req = |key: Option<&str>| {
        let mut b = json!({"source": "Tổng Bí thư tiếp Đại sứ.", "source_language": "vi", "target_language": "en"});
        if let Some(k) = key {
            b["key"] = json!(k);
        }
        b
    };
    assert_error(&send(&app, post_json("/v2/glossary/get", req(None))).await, 401, "unauthorized");
    assert_error(&send(&app, post_json("/v2/glossary/get", req(Some("wrong")))).await, 401, "unauthorized");
    let (status, body) = send(&app, post_json("/v2/glossary/get", req(Some("mm-key")))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["matches"]["terms"][0]["target"]["term"], "General Secretary");
    let (status, body) = send(&app, post_json("/v2/glossary/get?key=mm-key", req(None))).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = send(&app, as_key(post_json("/v2/glossary/get", req(None)), "mm-key")).await;
    assert_eq!(status, 200);
}

fn upload(uri: &str, body: String) -> test::TestRequest {
    test::TestRequest::post().uri(uri).insert_header(("content-type", "application/octet-stream")).set_payload(body)
}

#[actix_web::test]
async fn exports_carry_collections_back_into_an_empty_store() {
    let (_dir, first) = state(false);
    let app = test::init_service(server::app(first)).await;
    for (vi, en, coll) in
        [("hòa bình", "peace", None), ("hợp tác", "cooperation", Some("mofa")), ("an ninh", "security", Some("news"))]
    {
        let (status, body) = send(&app, post_json("/api/v1/concepts", concept(vi, en, coll))).await;
        assert_eq!(status, 201, "{body}");
    }
    for (source, coll) in [("Hai bên hội đàm.", None), ("Hai bên ký kết.", Some("mofa")), ("Tin vắn.", Some("news"))]
    {
        let (status, body) = send(&app, post_json("/api/v1/tm/units", unit(source, coll))).await;
        assert_eq!(status, 201, "{body}");
    }
    let two = [("default".to_string(), 1, 0), ("mofa".to_string(), 1, 0)];
    for (format, extra) in [("tbx", ""), ("tbx-martif", "&src=vi&tgt=en"), ("csv", ""), ("tsv", "")] {
        let (status, _, file) =
            raw(&app, get(&format!("/api/v1/export?format={format}&collection=default,mofa{extra}"))).await;
        assert_eq!(status, 200, "{format}");
        let (_d2, fresh) = state(false);
        let fresh = test::init_service(server::app(fresh)).await;
        let (status, report) = send(&fresh, upload(&format!("/api/v1/import?format={format}"), file.clone())).await;
        assert_eq!((status, report["created"].as_u64()), (200, Some(2)), "{format}: {report}\n{file}");
        let (_, list) = send(&fresh, get("/api/v1/collections")).await;
        assert_eq!(listed(&list), two, "{format}:\n{file}");
        // A collection named by the import wins over the file's.
        let (_d3, other) = state(false);
        let other = test::init_service(server::app(other)).await;
        send(&other, upload(&format!("/api/v1/import?format={format}&collection=archive"), file)).await;
        let (_, list) = send(&other, get("/api/v1/collections")).await;
        assert_eq!(listed(&list), [("archive".to_string(), 2, 0), ("default".to_string(), 0, 0)], "{format}");
    }
    let (_, _, tmx) = raw(&app, get("/api/v1/export?format=tmx&collection=default,mofa")).await;
    let (_d4, fresh) = state(false);
    let fresh = test::init_service(server::app(fresh)).await;
    let (status, report) = send(&fresh, upload("/api/v1/import?format=tmx", tmx.clone())).await;
    assert_eq!((status, report["created"].as_u64()), (200, Some(2)), "{report}");
    let (_, list) = send(&fresh, get("/api/v1/collections")).await;
    assert_eq!(listed(&list), [("default".to_string(), 0, 1), ("mofa".to_string(), 0, 1)], "{tmx}");

    // The collection column appears only when several collections are exported.
    let (_, _, one) = raw(&app, get("/api/v1/export?format=tsv&collection=mofa")).await;
    assert_eq!(one, "hợp tác\tcooperation\n");
    let (_, _, csv) = raw(&app, get("/api/v1/export?format=csv&collection=mofa")).await;
    assert!(!csv.lines().next().unwrap().contains("collection"), "{csv}");
    let (_, _, all) = raw(&app, get("/api/v1/export?format=tsv")).await;
    assert!(all.contains("hợp tác\tcooperation\t\tmofa\n") && all.contains("hòa bình\tpeace\t\tdefault\n"), "{all}");
}

#[actix_web::test]
async fn a_limited_key_imports_only_into_its_collections() {
    let auth = server::Auth::new(vec!["proj:p-secret@mofa".into()], false);
    let (_dir, state) = state_with_auth(false, auth);
    let app = test::init_service(server::app(state)).await;
    let file = "hòa bình\tpeace\t\tdefault\nhợp tác\tcooperation\t\tmofa\nan ninh\tsecurity\n".to_string();
    let (status, report) = send(&app, as_key(upload("/api/v1/import?format=tsv", file), "p-secret")).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["created"].as_u64(), report["skipped_count"].as_u64()), (Some(1), Some(2)), "{report}");
    assert!(report["skipped"][0]["reason"].as_str().unwrap().contains("collection default"), "{report}");
    let (_, list) = send(&app, get("/api/v1/collections")).await;
    assert_eq!(listed(&list), [("default".to_string(), 0, 0), ("mofa".to_string(), 1, 0)]);
}

#[actix_web::test]
async fn pretranslation_fills_from_the_selected_collections() {
    let auth = server::Auth::new(vec!["all:a-secret".into(), "news:n-secret@news".into()], false);
    let (_dir, state) = state_with_auth(false, auth);
    let app = test::init_service(server::app(state)).await;
    for (target, coll) in [("The two sides held talks.", None), ("Both sides met for talks.", Some("mofa"))] {
        let u = json!({"src": "vi", "tgt": "en", "source": "Hai bên hội đàm.", "target": target, "collection": coll});
        let (status, body) = send(&app, as_key(post_json("/api/v1/tm/units", u), "a-secret")).await;
        assert_eq!(status, 201, "{body}");
    }
    let xliff = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a.txt" source-language="vi" target-language="en" datatype="plaintext"><body>
<trans-unit id="1"><source>Hai bên hội đàm.</source></trans-unit>
</body></file></xliff>"#;
    let run = |uri: &str, key: &str| {
        test::TestRequest::post()
            .uri(uri)
            .insert_header(("content-type", "application/xliff+xml"))
            .insert_header(("x-api-key", key.to_string()))
            .set_payload(xliff)
    };
    let (status, _, out) = raw(&app, run("/api/v1/pretranslate?collection=mofa,default", "a-secret")).await;
    assert_eq!(status, 200, "{out}");
    assert!(out.contains("state-qualifier=\"exact-match\">Both sides met for talks.</target>"), "{out}");
    let (_, _, out) = raw(&app, run("/api/v1/pretranslate?collection=default", "a-secret")).await;
    assert!(out.contains("The two sides held talks.") && !out.contains("Both sides met"), "{out}");
    // A key limited to a collection without the sentence fills nothing.
    let (status, _, out) = raw(&app, run("/api/v1/pretranslate", "n-secret")).await;
    assert_eq!(status, 200, "{out}");
    assert!(!out.contains("talks."), "{out}");
}

#[actix_web::test]
async fn accepted_candidates_and_stored_alignments_go_to_the_named_collection() {
    let auth = server::Auth::new(vec!["proj:p-secret@mofa".into(), "all:a-secret".into()], false);
    let (_dir, state) = state_with_auth(false, auth);
    let app = test::init_service(server::app(state)).await;
    let (all, proj) = ("a-secret", "p-secret");
    let text = "Hai nước nâng quan hệ lên đối tác chiến lược toàn diện. \
        Quan hệ đối tác chiến lược toàn diện phát triển tốt đẹp. \
        Hai bên thúc đẩy hành lang kinh tế. Dự án hành lang kinh tế được khởi công.";
    let run = json!({"lang": "vi", "top": 20, "documents": [{"id": "a", "text": text}]});
    let (status, body) = send(&app, as_key(post_json("/api/v1/mining/runs", run), all)).await;
    assert_eq!(status, 201, "{body}");
    let (_, page) = send(&app, get("/api/v1/candidates?limit=50")).await;
    let id_of = |term: &str| {
        page["items"].as_array().unwrap().iter().find(|c| c["term"] == term).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (partner, corridor) = (id_of("đối tác chiến lược toàn diện"), id_of("hành lang kinh tế"));

    // The limited key may accept into its collection, not into `default`.
    let accept = |id: &str, body: Value| post_json(&format!("/api/v1/candidates/{id}/accept"), body);
    let got = send(&app, as_key(accept(&partner, json!({"english": "partner"})), proj)).await;
    assert_error(&got, 403, "collection_forbidden");
    let (status, body) = send(&app, as_key(accept(&partner, json!({"collection": "mofa"})), proj)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["concept"]["collection"], "mofa");
    assert_error(
        &send(&app, as_key(accept(&corridor, json!({"collection": "Mofa"})), all)).await,
        400,
        "invalid_input",
    );
    let (status, body) = send(&app, as_key(accept(&corridor, json!({})), all)).await;
    assert_eq!((status, body["concept"]["collection"].as_str()), (201, Some("default")), "{body}");
    let (_, mofa) = send(&app, get("/api/v1/concepts?collection=mofa")).await;
    assert_eq!(mofa["items"].as_array().map(Vec::len), Some(1), "{mofa}");
    assert_eq!(mofa["items"][0]["terms"][0]["text"], "đối tác chiến lược toàn diện");

    // Aligned pairs stored into a named TM.
    let align = |collection: &str| {
        json!({
            "source": {"lang": "vi", "text": "Hai bên ký 14 văn kiện hợp tác. Kim ngạch thương mại đạt 2,5 tỷ USD."},
            "target": {"lang": "en", "text": "The two sides signed 14 cooperation documents. Trade reached 2.5 billion USD."},
            "store": {"min_confidence": 0.0, "document": "d1", "collection": collection}
        })
    };
    assert_error(
        &send(&app, as_key(post_json("/api/v1/align", align("news")), proj)).await,
        403,
        "collection_forbidden",
    );
    let (status, body) = send(&app, as_key(post_json("/api/v1/align", align("news")), all)).await;
    assert_eq!(status, 200, "{body}");
    let created = body["stored"]["created"].as_u64().unwrap();
    assert_eq!(created, 2, "{body}");
    let (_, news) = send(&app, get("/api/v1/tm/units?collection=news")).await;
    assert_eq!(news["total"].as_u64(), Some(created), "{news}");
    let (_, default) = send(&app, get("/api/v1/tm/units?collection=default")).await;
    assert_eq!(default["total"], 0, "{default}");
}
