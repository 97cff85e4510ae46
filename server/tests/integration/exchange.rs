//! `/api/v1/export` and `/api/v1/import`, the `export`/`import`
//! subcommands, hostile uploads, and validation of what we write with the
//! official schemas and translate-toolkit.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use actix_web::test as atest;
use serde_json::{json, Value};

use crate::common::*;

fn post_file(uri: &str, body: impl Into<Vec<u8>>) -> atest::TestRequest {
    atest::TestRequest::post()
        .uri(uri)
        .insert_header(("content-type", "application/octet-stream"))
        .set_payload(body.into())
}

fn without_dates(doc: &str) -> String {
    doc.lines().filter(|l| !l.contains("<date>")).collect::<Vec<_>>().join("\n")
}

/// Concepts exercising every data category, with Vietnamese text, quotes,
/// ampersands and angle brackets.
fn fixture_concepts() -> Vec<Value> {
    vec![
        json!({
            "id": "state-visit",
            "subject_field": "diplomacy & protocol",
            "definition": "A visit by a head of state at another state's invitation, with \"full\" honours <formal>.",
            "note": "Write “state visit”; never 'official trip' & never <visit>.",
            "source": "Bộ Ngoại giao & MOFA style sheet",
            "terms": [
                {"lang": "vi", "text": "thăm cấp Nhà nước", "status": "preferred", "part_of_speech": "noun",
                 "term_type": "phrase", "context": "Chủ tịch nước thăm cấp Nhà nước tới Lào từ 5/2/2026.",
                 "source": "Báo Nhân Dân", "note": "Viết hoa \"Nhà nước\" & giữ <nguyên>."},
                {"lang": "vi", "text": "chuyến thăm cấp nhà nước", "status": "admitted", "term_type": "variant"},
                {"lang": "en", "text": "state visit", "status": "preferred", "part_of_speech": "noun",
                 "term_type": "full_form", "context": "The \"state visit\" ran from 5 to 7 February & ended in Vientiane.",
                 "source": "VNA & MOFA <english>"},
                {"lang": "en", "text": "official state trip", "status": "deprecated", "part_of_speech": "other"},
                {"lang": "en", "text": "state-level trip", "status": "superseded", "term_type": "short_form"}
            ]
        }),
        json!({
            "id": "asean",
            "subject_field": "organisations",
            "terms": [
                {"lang": "en", "text": "ASEAN", "status": "preferred", "term_type": "acronym", "part_of_speech": "adjective"},
                {"lang": "vi", "text": "ASEAN", "status": "preferred", "term_type": "acronym"},
                {"lang": "vi", "text": "Hiệp hội các quốc gia Đông Nam Á", "status": "admitted", "term_type": "full_form", "part_of_speech": "verb"},
                {"lang": "en", "text": "Assoc. of SE Asian Nations", "status": "admitted", "term_type": "abbreviation", "part_of_speech": "adverb"}
            ]
        }),
    ]
}

/// The (source, target) pairs a TBX 2008 export of the fixture gives a
/// reader that takes the first term of the first two language sets.
fn fixture_pairs() -> Vec<(String, String)> {
    vec![("ASEAN".into(), "ASEAN".into()), ("thăm cấp Nhà nước".into(), "state visit".into())]
}

async fn fixture_app() -> (
    tempfile::TempDir,
    impl actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
    >,
) {
    let (dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    for c in fixture_concepts() {
        let (status, body) = send(&app, post_json("/api/v1/concepts", c)).await;
        assert_eq!(status, 201, "{body}");
    }
    (dir, app)
}

#[actix_web::test]
async fn exports_stream_every_format_with_type_and_file_name() {
    let (_dir, app) = fixture_app().await;
    let cases = [
        ("tbx", "application/xml; charset=utf-8", "glossary.tbx", "<conceptEntry id=\"state-visit\">"),
        ("tbx-martif", "application/xml; charset=utf-8", "glossary-tbx2008.tbx", "<termEntry id=\"state-visit\">"),
        ("tsv", "text/tab-separated-values; charset=utf-8", "glossary.utf8", "thăm cấp Nhà nước\tstate visit\t"),
        ("csv", "text/csv; charset=utf-8", "glossary.csv", "state-visit,diplomacy & protocol,"),
    ];
    for (format, media, file, needle) in cases {
        let (status, headers, body) = raw(&app, get(&format!("/api/v1/export?format={format}"))).await;
        assert_eq!(status, 200, "{format}: {body}");
        assert_eq!(header(&headers, "content-type"), media);
        assert_eq!(header(&headers, "content-disposition"), format!("attachment; filename=\"{file}\""));
        assert!(body.contains(needle), "{format}: {needle:?} not in\n{body}");
    }
    // Default format is TBX v3; filters narrow the content.
    let (_, _, default) = raw(&app, get("/api/v1/export")).await;
    assert!(default.contains("<tbx xmlns=\"urn:iso:std:iso:30042:ed-2\"") && !default.contains("official state trip"));
    assert!(!default.contains("deprecatedTerm-admn-sts") && !default.contains("supersededTerm-admn-sts"));
    let (_, _, all) = raw(&app, get("/api/v1/export?include_deprecated=true")).await;
    assert!(all.contains("deprecatedTerm-admn-sts") && all.contains("official state trip"), "{all}");
    let (_, _, preferred) = raw(&app, get("/api/v1/export?format=tbx&src=vi&tgt=en&status=preferred")).await;
    assert!(!preferred.contains("deprecatedTerm-admn-sts") && !preferred.contains("admittedTerm-admn-sts"));
    assert_eq!(preferred.matches("<conceptEntry").count(), 2);
    let (_, _, orgs) = raw(&app, get("/api/v1/export?format=csv&subject_field=Organisations")).await;
    assert_eq!(orgs.lines().count(), 5, "header + 4 terms of asean:\n{orgs}");
    let (_, _, future) = raw(&app, get("/api/v1/export?format=tbx&updated_since=2999-01-01T00:00:00Z")).await;
    assert!(!future.contains("<body>") && future.contains("</tbx>"), "empty but valid: {future}");
    // TBX 2008 cannot be empty (its body needs a termEntry): refused before streaming.
    let got = send(&app, get("/api/v1/export?format=tbx-martif&updated_since=2999-01-01T00:00:00Z")).await;
    assert_error(&got, 400, "invalid_input");
    assert_eq!(got.1["field"], "format", "{}", got.1);
    assert!(got.1["message"].as_str().unwrap().contains("format=tbx"), "{}", got.1);

    for (uri, code) in [
        ("/api/v1/export?format=docx", "unsupported_format"),
        ("/api/v1/export?format=tmx&status=preferred", "invalid_input"),
        ("/api/v1/export?src=english_US", "invalid_language_tag"),
        ("/api/v1/export?updated_since=yesterday", "invalid_input"),
        ("/api/v1/export?status=approved", "invalid_query"),
        ("/api/v1/export?colour=red", "invalid_query"),
    ] {
        let got = send(&app, get(uri)).await;
        assert_error(&got, 400, code);
    }
}

#[actix_web::test]
async fn import_over_http_round_trips_and_is_idempotent() {
    let (_dir, app) = fixture_app().await;
    let (_, _, tbx) = raw(&app, get("/api/v1/export?format=tbx")).await;

    let (_dir2, state2) = state(false);
    let app2 = atest::init_service(server::app(state2)).await;
    let (status, report) = send(&app2, post_file("/api/v1/import", tbx.clone())).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["format"], "tbx");
    assert_eq!((report["entries"].as_u64(), report["created"].as_u64()), (Some(2), Some(2)), "{report}");
    let (_, _, again) = raw(&app2, get("/api/v1/export?format=tbx")).await;
    assert_eq!(without_dates(&again), without_dates(&tbx));
    let (_, concept) = send(&app2, get("/api/v1/concepts/state-visit")).await;
    assert_eq!(concept["terms"][0]["context"], "Chủ tịch nước thăm cấp Nhà nước tới Lào từ 5/2/2026.");
    assert_eq!(concept["source"], "Bộ Ngoại giao & MOFA style sheet");

    let (_, report) = send(&app2, post_file("/api/v1/import?format=tbx", tbx)).await;
    assert_eq!((report["created"].as_u64(), report["unchanged"].as_u64()), (Some(0), Some(2)), "{report}");

    // TSV needs the format named; its languages come from src/tgt.
    let tsv = "hòa bình\tpeace\tFrom the joint statement & the press release\nhợp tác\tcooperation\n";
    let got = send(&app2, post_file("/api/v1/import", tsv)).await;
    assert_error(&got, 400, "unsupported_format");
    let (status, report) = send(&app2, post_file("/api/v1/import?format=tsv&src=vi&tgt=en-GB", tsv)).await;
    assert_eq!((status, report["created"].as_u64()), (200, Some(2)), "{report}");
    let (_, hits) = send(&app2, get(&format!("/api/v1/lookup?q={}&src=vi&tgt=en-GB", enc("hoa binh")))).await;
    assert_eq!(hits["hits"][0]["targets"][0]["text"], "peace", "the lookup index sees imported terms");

    // TMX goes to the translation memory; importing it twice merges.
    let tmx = "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"vi\" datatype=\"plaintext\"/><body>\
<tu><tuv xml:lang=\"vi\"><seg>Nhấn <bpt i=\"1\">&lt;b&gt;</bpt>Lưu<ept i=\"1\">&lt;/b&gt;</ept>.</seg></tuv><tuv xml:lang=\"en\"><seg>Press Save.</seg></tuv></tu></body></tmx>";
    let got = send(&app2, post_file("/api/v1/import", tmx)).await;
    assert_error(&got, 400, "invalid_document"); // an XML body without ?format= is read as TBX
    let got = send(&app2, post_file("/api/v1/import?format=tmx", tmx)).await;
    assert_eq!((got.0, got.1["created"].as_u64()), (200, Some(1)), "{}", got.1);
    assert!(got.1["warnings"][0].as_str().unwrap().contains("inline codes"), "{}", got.1);
    let (_, again) = send(&app2, post_file("/api/v1/import?format=tmx", tmx)).await;
    assert_eq!((again["created"].as_u64(), again["updated"].as_u64()), (Some(0), Some(1)), "{again}");
    let (_, units) = send(&app2, get("/api/v1/tm/units?src=vi&tgt=en")).await;
    assert_eq!(units["items"][0]["source"], "Nhấn Lưu.");

    let csv =
        "concept_id,lang,term,status,colour\nnew-1,vi,kinh tế số,preferred,blue\nnew-1,en,digital economy,preferred,\n";
    let (_, report) = send(&app2, post_file("/api/v1/import?format=csv", csv)).await;
    assert_eq!(report["created"], 1, "{report}");
    assert_eq!(report["kept_as_notes"]["column colour"], 1, "{report}");
    let (_, c) = send(&app2, get("/api/v1/concepts/new-1")).await;
    assert_eq!(c["terms"][0]["note"], "colour: blue");
}

#[actix_web::test]
async fn hostile_uploads_get_their_codes_and_store_nothing() {
    let (_dir, state) = state(true);
    let app = atest::init_service(server::app(state)).await;
    let (_, health) = send(&app, get("/api/v1/health")).await;
    let (_, concept) = send(&app, get("/api/v1/concepts?limit=1")).await;
    let spot = concept["items"][0].clone();

    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n<lolz>&lol3;</lolz>";
    let xxe = "<?xml version=\"1.0\"?><!DOCTYPE tbx [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><tbx>&xxe;</tbx>";
    let quadratic =
        format!("<!DOCTYPE tbx [<!ENTITY a \"{}\">]><tbx>{}</tbx>", "a".repeat(10_000), "&a;".repeat(10_000));
    let good_head = "<tbx xmlns=\"urn:iso:std:iso:30042:ed-2\" type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\"><tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>";
    let entry = "<conceptEntry id=\"z\"><langSec xml:lang=\"vi\"><termSec><term>hàng hóa</term></termSec></langSec></conceptEntry>";
    let truncated = format!("{good_head}{entry}<conceptEntry id=\"y\"><langSec xml:la");
    let utf16: Vec<u8> =
        format!("{good_head}{entry}</body></text></tbx>").encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let latin1 = [good_head.as_bytes(), b"<conceptEntry id=\"l\"><langSec xml:lang=\"vi\"><termSec><term>h\xe0ng</term></termSec></langSec></conceptEntry></body></text></tbx>"].concat();
    let deep = format!("{good_head}{}", "<note>".repeat(200));
    let huge_attr = format!("{good_head}<conceptEntry id=\"{}\"/></body></text></tbx>", "a".repeat(3 * 1024 * 1024));
    let cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
        ("billion laughs", "", laughs.into(), 400, "unsafe_xml"),
        ("external entity", "?format=tbx", xxe.into(), 400, "unsafe_xml"),
        ("quadratic blowup", "?format=tbx", quadratic.into_bytes(), 400, "unsafe_xml"),
        ("truncated", "?format=tbx", truncated.into_bytes(), 400, "invalid_xml"),
        ("UTF-16 without BOM", "?format=tbx", utf16, 400, "invalid_encoding"),
        ("Latin-1", "?format=tbx", latin1, 400, "invalid_encoding"),
        ("not XML", "?format=tbx", b"%PDF-1.7 binary".to_vec(), 400, "invalid_xml"),
        ("TMX as TBX", "?format=tbx", b"<tmx version=\"1.4\"><header/><body/></tmx>".to_vec(), 400, "invalid_document"),
        ("deeply nested", "?format=tbx", deep.into_bytes(), 400, "import_limit_exceeded"),
        ("huge attribute", "?format=tbx", huge_attr.into_bytes(), 400, "import_limit_exceeded"),
        ("TMX without header", "?format=tmx", b"<tmx version=\"1.4\"><body/></tmx>".to_vec(), 400, "invalid_document"),
        ("bad TSV language", "?format=tsv&src=vietnamese_VN", b"a\tb\n".to_vec(), 400, "invalid_language_tag"),
    ];
    for (name, query, body, status, code) in cases {
        let got = send(&app, post_file(&format!("/api/v1/import{query}"), body)).await;
        assert_eq!(got.0, status, "{name}: {}", got.1);
        assert_error(&got, status, code);
        assert!(got.1["message"].as_str().unwrap().len() > 20, "{name}: {}", got.1);
    }
    let big = atest::TestRequest::post()
        .uri("/api/v1/import?format=tsv")
        .set_payload("a\tb\n")
        .insert_header(("content-length", (server::routes::exchange::MAX_IMPORT_BYTES + 1).to_string()));
    let got = send(&app, big).await;
    assert_error(&got, 413, "import_too_large");
    let streamed = post_file("/api/v1/import?format=tsv", vec![b'x'; server::routes::exchange::MAX_IMPORT_BYTES + 1]);
    assert_error(&send(&app, streamed).await, 413, "import_too_large");

    let (_, after) = send(&app, get("/api/v1/health")).await;
    assert_eq!(after["concepts"], health["concepts"], "nothing stored");
    let (_, same) = send(&app, get(&format!("/api/v1/concepts/{}", spot["id"].as_str().unwrap()))).await;
    assert_eq!(same, spot);
    assert_error(&send(&app, get("/api/v1/concepts/z")).await, 404, "concept_not_found");
}

/// POSTs raw bytes to a running server.
fn post_raw(addr: &str, path: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/xml\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap();
    (status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

#[test]
fn the_real_server_survives_hostile_uploads_and_streams_exports() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &[]);
    let laughs = format!(
        "<!DOCTYPE l [<!ENTITY a \"{}\">{}]><l>&j;</l>",
        "x".repeat(100),
        ('b'..='j')
            .map(|c| format!("<!ENTITY {c} \"{}\">", format!("&{};", (c as u8 - 1) as char).repeat(10)))
            .collect::<String>()
    );
    let (status, body) = post_raw(&server.addr(), "/api/v1/import", laughs.as_bytes());
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("\"code\":\"unsafe_xml\""), "{body}");
    let (status, body) = post_raw(&server.addr(), "/api/v1/import?format=tbx", b"<tbx><text><body><conceptEntry");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("\"code\":\"invalid_xml\""), "{body}");
    let (status, health) = server.request("GET", "/api/v1/health", None);
    assert_eq!(status, 200, "the server keeps answering");
    let health: Value = serde_json::from_str(&health).unwrap();
    assert!(health["concepts"].as_u64().unwrap() > 50);

    // A chunked TBX download of the starter glossary that validates.
    let (status, tbx) = server.request("GET", "/api/v1/export?format=tbx", None);
    assert_eq!(status, 200);
    assert_eq!(tbx.matches("<conceptEntry ").count() as u64, health["concepts"].as_u64().unwrap());
    assert!(tbx.trim_end().ends_with("</tbx>"), "complete document");
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_glossary-server"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn cli_export_and_import_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (from, to) = (dir.path().join("from"), dir.path().join("to"));
    let tbx = dir.path().join("glossary.tbx");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    // A mistyped data directory is refused: nothing is created, seeded or written.
    let (code, _, err) = run(&["export", "--data-dir", &s(&from), &s(&tbx)]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("does not exist") && err.contains("--create"), "{err}");
    assert!(!from.exists() && !tbx.exists());
    let (code, _, err) = run(&["import", "--data-dir", &s(&to), &s(&tbx)]);
    assert_eq!(code, 1, "{err}");
    assert!(!to.exists());
    // Seeding is explicit (or done by `serve`).
    let (code, _, err) = run(&["seed", "--data-dir", &s(&from)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("loaded the starter glossary"), "{err}");
    let (code, _, err) = run(&["export", "--data-dir", &s(&from), &s(&tbx)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("as tbx to"), "{err}");
    let first = std::fs::read_to_string(&tbx).unwrap();
    assert!(!dir.path().join("glossary.tbx.partial").exists());

    // --create starts an empty store: the import is all there is in it.
    let (code, out, err) = run(&["import", "--data-dir", &s(&to), "--create", "--json", &s(&tbx)]);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let n = first.matches("<conceptEntry ").count() as u64;
    assert!(n > 50);
    assert_eq!((report["created"].as_u64(), report["skipped_count"].as_u64()), (Some(n), Some(0)), "{report}");
    let (code, again, err) = run(&["export", "--data-dir", &s(&to), "--format", "tbx"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(without_dates(&again), without_dates(&first), "stdout export of the imported store");

    let (code, out, _) = run(&["import", "--data-dir", &s(&to), &s(&tbx)]);
    assert_eq!(code, 0);
    assert!(out.contains(&format!("{n} entries: 0 created, 0 updated, {n} unchanged, 0 skipped")), "{out}");

    let (code, tsv, _) = run(&[
        "export",
        "--data-dir",
        &s(&to),
        "--format",
        "tsv",
        "--lang",
        "vi",
        "--tgt",
        "en",
        "--status",
        "preferred",
    ]);
    assert_eq!(code, 0);
    assert!(tsv.lines().any(|l| l.starts_with("hữu nghị vĩ đại\tgreat friendship")), "{tsv}");

    // A TMX export counts what it wrote: translation-memory units.
    let tmx = dir.path().join("tm.tmx");
    std::fs::write(
        &tmx,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="vi" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="vi"><seg>Hai bên ký bản ghi nhớ.</seg></tuv><tuv xml:lang="en"><seg>The two sides signed a memorandum.</seg></tuv></tu>
<tu><tuv xml:lang="vi"><seg>Thủ tướng tiếp Đại sứ Lào.</seg></tuv><tuv xml:lang="en"><seg>The Prime Minister received the Lao Ambassador.</seg></tuv></tu>
</body></tmx>"#,
    )
    .unwrap();
    let (code, _, err) = run(&["import", "--data-dir", &s(&to), &s(&tmx)]);
    assert_eq!(code, 0, "{err}");
    let out_tmx = dir.path().join("out.tmx");
    let (code, _, err) = run(&["export", "--data-dir", &s(&to), &s(&out_tmx)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("exported 2 TM units as tmx"), "{err}");

    for (args, needle) in [
        (vec!["export", "--data-dir", &s(&to), "out.docx"], "cannot tell the format"),
        (vec!["export", "--data-dir", &s(&to), "--status", "approved"], "unknown status"),
        (vec!["import", "--data-dir", &s(&to), "glossary.docx"], "cannot tell the format"),
        (vec!["import", "--data-dir", &s(&to), "missing.tbx"], "cannot open"),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 1, "{args:?}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let hostile = dir.path().join("laughs.tbx");
    std::fs::write(&hostile, "<!DOCTYPE t [<!ENTITY a \"aa\">]><tbx>&a;</tbx>").unwrap();
    let (code, _, err) = run(&["import", "--data-dir", &s(&to), &s(&hostile)]);
    assert_eq!(code, 1);
    assert!(err.contains("internal subset"), "{err}");
}

// ---- validation with the official schemas and third-party readers ----

#[actix_web::test]
async fn exports_validate_against_the_official_schemas_and_readers() {
    let Some(std_dir) = standards() else { return };
    let (_dir, app) = fixture_app().await;
    // One concept outside `default`, so the files carry a collection
    // (TBX `customerSubset`, TMX `x-collection`) through the validators.
    let mut moved = fixture_concepts().remove(0);
    let id = moved.as_object_mut().unwrap().remove("id").unwrap();
    moved["collection"] = json!("mofa");
    let (status, body) = send(&app, put_json(&format!("/api/v1/concepts/{}", id.as_str().unwrap()), moved)).await;
    assert_eq!(status, 200, "{body}");
    let work = tempfile::tempdir().unwrap();
    let v3 = work.path().join("glossary.tbx");
    let martif = work.path().join("glossary-2008.tbx");
    let (_, _, doc) = raw(&app, get("/api/v1/export?format=tbx")).await;
    assert!(doc.contains("<admin type=\"customerSubset\">mofa</admin>"), "{doc}");
    std::fs::write(&v3, doc).unwrap();
    let (_, _, doc) = raw(&app, get("/api/v1/export?format=tbx-martif&src=vi&tgt=en")).await;
    std::fs::write(&martif, doc).unwrap();

    // TMX written by our writer: the sample read and written back, and the
    // fixture's pairs.
    let sample_tmx = std_dir.join("samples/tmx14b-vi-en.tmx");
    let reader = glossary::formats::tmx::TmxReader::new(
        std::io::BufReader::new(std::fs::File::open(&sample_tmx).unwrap()),
        1 << 20,
    )
    .unwrap();
    let tmx_header = reader.header().clone();
    let mut units: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
    let pair_unit = |vi: &str, en: &str| glossary::formats::tmx::TmxUnit {
        tuid: Some(format!("p-{}", vi.len())),
        variants: vec![
            glossary::formats::tmx::TmxVariant {
                lang: glossary::Lang::new("vi").unwrap(),
                attrs: vec![],
                props: vec![],
                notes: vec![],
                segment: glossary::formats::tmx::Segment::from_text(vi),
            },
            glossary::formats::tmx::TmxVariant {
                lang: glossary::Lang::new("en").unwrap(),
                attrs: vec![],
                props: vec![],
                notes: vec![],
                segment: glossary::formats::tmx::Segment::from_text(en),
            },
        ],
        ..Default::default()
    };
    units.push(pair_unit(
        "Hai bên nhất trí tăng cường \"hợp tác\" & <đối thoại>.",
        "Both sides agreed to step up \"cooperation\" & <dialogue>.",
    ));
    let tmx_path = work.path().join("memory.tmx");
    let mut w = glossary::formats::tmx::TmxWriter::new(std::fs::File::create(&tmx_path).unwrap(), &tmx_header).unwrap();
    for u in &units {
        w.write_unit(u).unwrap();
    }
    w.finish().unwrap();

    // And the translation memory exported as TMX over HTTP.
    let units = json!({"units": [
        {"src": "vi", "tgt": "en", "source": "Hai bên ký kết “bản ghi nhớ” về hợp tác & đầu tư.", "target": "The two sides signed a \"memorandum\" on cooperation & investment <MoU>.",
         "provenance": {"document": "joint-statement", "url": "https://example.org/a?x=1&y=2"}, "note": "checked", "created_by": "desk"},
        {"src": "vi", "tgt": "en", "source": "Kim ngạch thương mại đạt 2,5 tỷ USD.", "target": "Trade reached 2.5 billion USD.", "collection": "mofa"}
    ]});
    let (status, body) = send(&app, post_json("/api/v1/tm/units/bulk", units)).await;
    assert_eq!(status, 200, "{body}");
    let tm_path = work.path().join("tm.tmx");
    let (status, headers, doc) = raw(&app, get("/api/v1/export?format=tmx&src=vi&tgt=en")).await;
    assert_eq!((status, header(&headers, "content-disposition")), (200, "attachment; filename=\"memory.tmx\""));
    assert!(doc.contains("<prop type=\"x-collection\">mofa</prop>"), "{doc}");
    std::fs::write(&tm_path, doc).unwrap();

    let rng = std_dir.join("schemas/tbx/core_rng/TBXcoreStructV03.rng");
    let sch = std_dir.join("schemas/tbx/derived/TBX-Basic_DCA.elementctx.sch");
    let xsd = std_dir.join("schemas/tbx2008-omegat/tbx.xsd");
    let dtd = std_dir.join("schemas/tmx/tmx14.dtd");
    let samples = std_dir.join("samples");
    if have("xmllint") {
        let relaxng =
            |f: &Path| passes(Command::new("xmllint").args(["--noout", "--nonet", "--relaxng"]).arg(&rng).arg(f));
        let schema =
            |f: &Path| passes(Command::new("xmllint").args(["--noout", "--nonet", "--schema"]).arg(&xsd).arg(f));
        let dtdvalid = |f: &Path| {
            passes(
                Command::new("xmllint")
                    .args(["--noout", "--nonet", "--path"])
                    .arg(dtd.parent().unwrap())
                    .arg("--dtdvalid")
                    .arg(&dtd)
                    .arg(f),
            )
        };
        for (what, (ok, log)) in [
            ("v3 RNG", relaxng(&v3)),
            ("martif XSD", schema(&martif)),
            ("TMX DTD", dtdvalid(&tmx_path)),
            ("TM export DTD", dtdvalid(&tm_path)),
        ] {
            assert!(ok, "{what}: {log}");
        }
        assert!(relaxng(&samples.join("tbx-basic-v3-vi-en.tbx")).0, "the valid sample passes");
        assert!(!relaxng(&samples.join("tbx-basic-v3-invalid-rng.tbx")).0, "the invalid RNG sample fails");
        assert!(!dtdvalid(&samples.join("tmx14b-invalid.tmx")).0, "the invalid TMX sample fails");
        assert!(schema(&samples.join("tbx2008-martif-vi-en.tbx")).0);
        assert!(!schema(&v3).0, "a v3 file is not TBX 2008");
    }
    if have("jing") {
        let jing = |f: &Path| passes(Command::new("jing").arg(&sch).arg(f));
        let (ok, log) = jing(&v3);
        assert!(ok, "TBX-Basic schematron: {log}");
        assert!(jing(&samples.join("tbx-basic-v3-vi-en.tbx")).0);
        assert!(!jing(&samples.join("tbx-basic-v3-invalid-schematron.tbx")).0, "the invalid schematron sample fails");
    }
    let has_toolkit =
        Command::new("python3").args(["-c", "import translate.storage.tbx"]).output().is_ok_and(|o| o.status.success());
    if !has_toolkit {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI: translate-toolkit is missing (.ci/run installs it)"
        );
        eprintln!("skipped: translate-toolkit (PyPI) is not installed");
        return;
    }
    let spec = json!({
        "tbx": [{"path": martif, "pairs": fixture_pairs()}],
        "tmx": [{"path": tmx_path, "pairs": [
            ["Tình hữu nghị vĩ đại giữa hai dân tộc.", "The great friendship between the two peoples."],
            ["Nhấn <b>Lưu</b> để tiếp tục.", "Press <b>Save</b> to continue."],
            ["Hai bên nhất trí tăng cường \"hợp tác\" & <đối thoại>.", "Both sides agreed to step up \"cooperation\" & <dialogue>."]
        ]}, {"path": tm_path, "pairs": [
            ["Hai bên ký kết “bản ghi nhớ” về hợp tác & đầu tư.", "The two sides signed a \"memorandum\" on cooperation & investment <MoU>."],
            ["Kim ngạch thương mại đạt 2,5 tỷ USD.", "Trade reached 2.5 billion USD."]
        ]}]
    });
    let spec_path = work.path().join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/check_exchange.py");
    let (ok, log) = passes(Command::new("python3").arg(script).arg(&spec_path));
    assert!(ok, "translate-toolkit: {log}");
    assert!(log.contains("ok tbx") && log.contains("ok tmx"), "{log}");
}

#[actix_web::test]
async fn import_needs_a_key_when_writes_are_protected_and_export_does_not() {
    let (_dir, state) = state_with_auth(false, server::Auth::new(vec!["s3cret".into()], false));
    let app = atest::init_service(server::app(state)).await;
    let tsv = "hòa bình\tpeace\n";
    assert_error(&send(&app, post_file("/api/v1/import?format=tsv", tsv)).await, 401, "unauthorized");
    let (status, report) =
        send(&app, post_file("/api/v1/import?format=tsv", tsv).insert_header(("Authorization", "Bearer s3cret"))).await;
    assert_eq!((status, report["created"].as_u64()), (200, Some(1)), "{report}");
    let (status, _, body) = raw(&app, get("/api/v1/export?format=tsv")).await;
    assert_eq!((status, body.as_str()), (200, "hòa bình\tpeace\n"));
}

fn multipart(uri: &str, parts: &[(&str, Option<&str>, &str, &[u8])]) -> atest::TestRequest {
    let boundary = "----glossary-test-boundary";
    let mut body = Vec::new();
    for (name, file_name, content_type, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(f) = file_name {
            body.extend_from_slice(format!("; filename=\"{f}\"").as_bytes());
        }
        body.extend_from_slice(format!("\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    atest::TestRequest::post()
        .uri(uri)
        .insert_header(("content-type", format!("multipart/form-data; boundary={boundary}")))
        .set_payload(body)
}

#[actix_web::test]
async fn multipart_uploads_import_and_form_encoded_bodies_are_refused() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    let tsv: &[u8] = b"h\xe1\xbb\xa3p t\xc3\xa1c to\xc3\xa0n di\xe1\xbb\x87n\tcomprehensive cooperation\n";
    // The file name says TSV; no MIME header line becomes an entry.
    let (status, report) =
        send(&app, multipart("/api/v1/import", &[("file", Some("omegat.txt"), "application/octet-stream", tsv)])).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["format"].as_str(), report["entries"].as_u64()), (Some("tsv"), Some(1)), "{report}");
    assert_eq!(report["skipped"], json!([]), "{report}");
    // The content type says CSV when the name says nothing; other parts are ignored.
    let csv = b"lang,term,status\r\nvi,h\xc3\xb2a b\xc3\xacnh,preferred\r\nen,peace,preferred\r\n";
    let (status, report) = send(
        &app,
        multipart(
            "/api/v1/import",
            &[("note", None, "text/plain", b"ignored"), ("upload", Some("blob"), "text/csv", csv)],
        ),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["format"], "csv", "{report}");
    // TBX is sniffed as before, and ?format= still wins over the part.
    let (_, _, tbx) = raw(&app, get("/api/v1/export?format=tbx")).await;
    let (status, report) =
        send(&app, multipart("/api/v1/import", &[("file", Some("x.tsv"), "text/plain", tbx.as_bytes())])).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["skipped_count"].as_u64().map(|n| n > 0), Some(true), "a TBX read as TSV skips lines: {report}");
    let (status, report) =
        send(&app, multipart("/api/v1/import?format=tbx", &[("file", Some("x.tsv"), "text/plain", tbx.as_bytes())]))
            .await;
    assert_eq!((status, report["format"].as_str()), (200, Some("tbx")), "{report}");

    let got = send(&app, multipart("/api/v1/import", &[("note", None, "text/plain", b"no file")])).await;
    assert_error(&got, 400, "invalid_body");
    let two = [("file", Some("a.tsv"), "text/plain", tsv), ("file", Some("b.tsv"), "text/plain", tsv)];
    assert_error(&send(&app, multipart("/api/v1/import", &two)).await, 400, "invalid_body");
    let form = atest::TestRequest::post()
        .uri("/api/v1/import?format=tsv")
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .set_payload("a\tb");
    let got = send(&app, form).await;
    assert_error(&got, 415, "unsupported_media_type");
    let message = got.1["message"].as_str().unwrap();
    assert!(message.contains("--data-binary @") && message.contains("-F file=@"), "{message}");
}

#[test]
fn curl_multipart_uploads_reach_the_real_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    let files = tempfile::tempdir().unwrap();
    let tsv = files.path().join("glossary.utf8");
    std::fs::write(&tsv, "hợp tác toàn diện\tcomprehensive cooperation\nđối tác chiến lược\tstrategic partner\n")
        .unwrap();
    let curl = |args: &[&str]| {
        let out = Command::new("curl").args(["-sS", "-w", "\n%{http_code}"]).args(args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let (body, status) = text.rsplit_once('\n').unwrap();
        (status.to_string(), body.to_string())
    };
    let url = format!("{}/api/v1/import", server.base);
    let (status, body) = curl(&["-F", &format!("file=@{}", tsv.display()), &url]);
    assert_eq!(status, "200", "{body}");
    let report: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((report["format"].as_str(), report["created"].as_u64()), (Some("tsv"), Some(2)), "{report}");
    // `curl -d` sends the file form-encoded, line breaks stripped: refused.
    let (status, body) = curl(&["-d", &format!("@{}", tsv.display()), &format!("{url}?format=tsv")]);
    assert_eq!(status, "415", "{body}");
    assert!(body.contains("\"code\":\"unsupported_media_type\"") && body.contains("-F file=@"), "{body}");
    let (_, health) = server.request("GET", "/api/v1/health", None);
    assert_eq!(serde_json::from_str::<Value>(&health).unwrap()["concepts"], 2, "{health}");
}

/// OmegaT's own glossary readers never see the deprecated term of a
/// default export (tools/omegat_glossary_check.sh; it skips without OmegaT
/// outside CI).
#[test]
fn omegat_does_not_offer_deprecated_terms_from_default_exports() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/omegat_glossary_check.sh");
    let out = Command::new("bash").arg(script).arg(env!("CARGO_BIN_EXE_glossary-server")).output().unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{log}");
    if log.contains("skip:") {
        eprintln!("{log}");
        return;
    }
    assert!(log.contains("ok: the deprecated term is not offered by default"), "{log}");
    assert!(log.contains("glossary.utf8\tTổng Bí thư\tGeneral Secretary"), "{log}");
}
