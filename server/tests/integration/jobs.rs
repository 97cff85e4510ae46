//! Jobs over HTTP and on the command line: recorded imports, background
//! imports and their bound (429), one import at a time, kill -9 during an
//! import, and every import limit on both paths.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use actix_web::test as atest;
use serde_json::Value;
use server::{AppState, Auth};

use crate::common::*;

fn post_file(uri: &str, body: impl Into<Vec<u8>>) -> atest::TestRequest {
    atest::TestRequest::post()
        .uri(uri)
        .insert_header(("content-type", "application/octet-stream"))
        .set_payload(body.into())
}

/// A TSV file of `n` distinct pairs.
fn tsv(n: usize) -> Vec<u8> {
    (0..n).map(|i| format!("điều khoản số {i}\tarticle number {i}\n")).collect::<String>().into_bytes()
}

/// A TSV file over the 1 MiB foreground limit with few entries (each has
/// a 3,000-character comment).
fn bulky_tsv(n: usize) -> Vec<u8> {
    let comment = "ghi chú ".repeat(375);
    (0..n).map(|i| format!("hiệp định số {i}\tagreement number {i}\t{comment}\n")).collect::<String>().into_bytes()
}

#[actix_web::test]
async fn imports_are_recorded_jobs() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    assert_error(&send(&app, get("/api/v1/jobs/1")).await, 404, "job_not_found");

    let (status, report) = send(&app, post_file("/api/v1/import?format=tsv", tsv(3))).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["job_id"], 1);
    let (status, job) = send(&app, get("/api/v1/jobs/1")).await;
    assert_eq!(status, 200, "{job}");
    assert_eq!(job["kind"], "import");
    assert_eq!(job["state"], "done");
    assert_eq!(job["background"], false);
    assert_eq!(job["format"], "tsv");
    assert_eq!(job["counts"]["created"], 3);
    assert!(job["finished"].is_string());

    // A refused file is a failed job; an all-or-nothing import says so.
    let got = send(&app, post_file("/api/v1/import?format=tbx", "<tbx><text><body>")).await;
    assert_error(&got, 400, "invalid_xml");
    let (status, report) = send(&app, post_file("/api/v1/import?format=tsv&atomic=true", tsv(600))).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["batches"].as_u64(), report["created"].as_u64()), (Some(1), Some(597)));

    let (status, page) = send(&app, get("/api/v1/jobs")).await;
    assert_eq!(status, 200, "{page}");
    let states: Vec<(u64, &str, bool)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| (j["id"].as_u64().unwrap(), j["state"].as_str().unwrap(), j["atomic"].as_bool().unwrap()))
        .collect();
    assert_eq!(states, vec![(3, "done", true), (2, "failed", false), (1, "done", false)]);
    assert!(page["items"][1]["error"].as_str().unwrap().contains("truncated"), "{page}");

    let (_, page) = send(&app, get("/api/v1/jobs?state=failed")).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let (_, page) = send(&app, get("/api/v1/jobs?limit=1&before=3")).await;
    assert_eq!(page["items"][0]["id"], 2);
    assert_eq!(page["next_cursor"], 2);
    assert_error(&send(&app, get("/api/v1/jobs?limit=0")).await, 400, "invalid_input");
    assert_error(&send(&app, get("/api/v1/jobs?state=sleeping")).await, 400, "invalid_query");
    assert_error(&send(&app, get("/api/v1/jobs/x")).await, 400, "invalid_path");

    // A mining run is a job too, linked both ways.
    let body = serde_json::json!({"documents": [{"text": "Hợp tác kinh tế. Hợp tác kinh tế và văn hóa."}]});
    let (status, run) = send(&app, post_json("/api/v1/mining/runs", body)).await;
    assert_eq!(status, 201, "{run}");
    let (_, job) = send(&app, get(&format!("/api/v1/jobs/{}", run["job_id"]))).await;
    assert_eq!((job["kind"].as_str(), job["state"].as_str()), (Some("mining"), Some("done")));
    assert_eq!(job["mining_run_id"], run["id"]);
}

/// Polls a job over the in-process app until it is final.
async fn wait<S, B>(app: &S, id: u64) -> Value
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    for _ in 0..3000 {
        let (_, job) = send(app, get(&format!("/api/v1/jobs/{id}"))).await;
        if ["done", "failed", "interrupted"].contains(&job["state"].as_str().unwrap()) {
            return job;
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("job {id} did not finish");
}

#[actix_web::test]
async fn large_imports_run_in_the_background_and_a_full_runner_answers_429() {
    let dir = tempfile::tempdir().unwrap();
    let options = glossary::OpenOptions { max_background_jobs: 1, ..glossary::OpenOptions::default() };
    let g = glossary::Glossary::open(dir.path(), &options).unwrap();
    let app = atest::init_service(server::app(AppState { glossary: Arc::new(g), auth: Auth::default() })).await;

    // A corpus of several MiB keeps the one background slot busy for a while.
    let text = "Hai bên nhất trí tăng cường hợp tác kinh tế, thương mại và đầu tư. ".repeat(60_000);
    let (status, run) =
        send(&app, post_json("/api/v1/mining/runs", serde_json::json!({"documents": [{"text": text}]}))).await;
    assert_eq!(status, 202, "{run}");

    let resp = atest::call_service(&app, post_file("/api/v1/import?format=tsv", bulky_tsv(400)).to_request()).await;
    assert_eq!(resp.status().as_u16(), 429);
    let retry = resp.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    assert_eq!(retry.as_deref(), Some("5"));
    let body: Value = serde_json::from_slice(&atest::read_body(resp).await).unwrap();
    assert_eq!(body["code"], "too_many_jobs", "{body}");
    let (_, page) = send(&app, get("/api/v1/jobs?kind=import")).await;
    assert_eq!(page["items"], serde_json::json!([]), "a refused import records nothing");

    // Once the run is done, the import goes to the background.
    let mining = wait(&app, run["job_id"].as_u64().unwrap()).await;
    assert_eq!(mining["state"], "done", "{mining}");
    let resp = atest::call_service(&app, post_file("/api/v1/import?format=tsv", bulky_tsv(400)).to_request()).await;
    assert_eq!(resp.status().as_u16(), 202);
    let location = resp.headers().get("location").unwrap().to_str().unwrap().to_string();
    let job: Value = serde_json::from_slice(&atest::read_body(resp).await).unwrap();
    assert_eq!(location, format!("/api/v1/jobs/{}", job["id"]));
    assert_eq!(job["background"], true);
    let done = wait(&app, job["id"].as_u64().unwrap()).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["counts"]["created"], 400);
    let (_, health) = send(&app, get("/api/v1/health")).await;
    assert_eq!(health["concepts"], 400);
}

/// Every documented import limit, as (name, format, body, code); the same
/// table runs over HTTP (the body in memory) and through `import` (a file).
fn limit_cases() -> Vec<(&'static str, &'static str, Vec<u8>, &'static str)> {
    let head = "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\"><tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>";
    let tag_attrs: String = (0..700_000).map(|i| format!(" a{i}=\"x\"")).collect();
    vec![
        (
            "start tag over 1 MiB",
            "tbx",
            format!("{head}<conceptEntry{tag_attrs}/></body></text></tbx>").into_bytes(),
            "import_limit_exceeded",
        ),
        (
            "text run over 1 MiB",
            "tbx",
            format!(
                "{head}<conceptEntry id=\"a\"><note>{}</note></conceptEntry></body></text></tbx>",
                "n".repeat(1_100_000)
            )
            .into_bytes(),
            "import_limit_exceeded",
        ),
        (
            "attribute over 64 Ki characters",
            "tbx",
            format!("{head}<conceptEntry id=\"{}\"/></body></text></tbx>", "a".repeat(70_000)).into_bytes(),
            "import_limit_exceeded",
        ),
        ("nesting over 64", "tbx", format!("{head}{}", "<note>".repeat(70)).into_bytes(), "import_limit_exceeded"),
        (
            "TMX tag over 1 MiB",
            "tmx",
            format!("<tmx version=\"1.4\"><header srclang=\"vi\"{tag_attrs}/><body/></tmx>").into_bytes(),
            "import_limit_exceeded",
        ),
        (
            "TSV line over 1 MiB",
            "tsv",
            format!("hợp tác\t{}\n", "c".repeat(1_100_000)).into_bytes(),
            "import_limit_exceeded",
        ),
        (
            "CSV line over 1 MiB",
            "csv",
            format!("lang,term\nvi,{}\n", "c".repeat(1_100_000)).into_bytes(),
            "import_limit_exceeded",
        ),
    ]
}

#[actix_web::test]
async fn every_import_limit_holds_over_http() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    for (name, format, body, code) in limit_cases() {
        let got = send(&app, post_file(&format!("/api/v1/import?format={format}"), body)).await;
        assert_eq!(got.1["code"], code, "{name}: {}", got.1);
        assert_error(&got, 400, code);
    }
    let over = send(&app, post_file("/api/v1/import?format=tsv&atomic=true", tsv(20_001))).await;
    assert_error(&over, 400, "invalid_input");
    assert_eq!(over.1["field"], "atomic");
    let (_, health) = send(&app, get("/api/v1/health")).await;
    assert_eq!(health["concepts"], 0, "nothing stored");
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_glossary-server"))
}

#[test]
fn every_import_limit_holds_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("input");
    let import = |format: &str, extra: &[&str]| {
        let out = bin()
            .args(["import", "--create", "--format", format, "--data-dir"])
            .arg(&data)
            .args(extra)
            .arg(&file)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let messages = [
        ("start tag over 1 MiB", "longer than 1048576 bytes"),
        ("text run over 1 MiB", "longer than 1048576 bytes"),
        ("attribute over 64 Ki characters", "longer than 65536 characters"),
        ("nesting over 64", "nested more than 64 deep"),
        ("TMX tag over 1 MiB", "longer than 1048576 bytes"),
        ("TSV line over 1 MiB", "longer than 1048576 bytes"),
        ("CSV line over 1 MiB", "longer than 1048576 bytes"),
    ];
    for ((name, format, body, _), (same, needle)) in limit_cases().into_iter().zip(messages) {
        assert_eq!(name, same);
        std::fs::write(&file, body).unwrap();
        let (code, _, err) = import(format, &[]);
        assert_eq!(code, Some(1), "{name}: {err}");
        assert!(err.contains(needle), "{name}: {err}");
    }
    std::fs::write(&file, tsv(20_001)).unwrap();
    let (code, _, err) = import("tsv", &["--atomic"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("at most 20000 entries"), "{err}");
    std::fs::write(&file, bulky_tsv(400)).unwrap();
    let (code, _, err) = import("tsv", &["--max-mb", "1"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("larger than"), "{err}");

    // What was refused left jobs saying so; a good file is reported with its job.
    std::fs::write(&file, tsv(5)).unwrap();
    let (code, out, err) = import("tsv", &["--json"]);
    assert_eq!(code, Some(0), "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["created"], 5);
    assert_eq!(report["job_id"], 10, "nine refused imports were recorded before it");
}

/// POSTs raw bytes to a running server; returns status and body.
fn post_raw(addr: &str, path: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
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

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[test]
fn concurrent_http_imports_of_one_file_add_each_concept_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    let file = Arc::new(tsv(20_000));
    let imports: Vec<_> = (0..2)
        .map(|_| {
            let (addr, file) = (server.addr(), file.clone());
            std::thread::spawn(move || post_raw(&addr, "/api/v1/import?format=tsv", &file))
        })
        .collect();
    let reports: Vec<Value> = imports
        .into_iter()
        .map(|t| {
            let (status, body) = t.join().unwrap();
            assert_eq!(status, 200, "{body}");
            json(&body)
        })
        .collect();
    let created: u64 = reports.iter().map(|r| r["created"].as_u64().unwrap()).sum();
    assert_eq!(created, 20_000, "{reports:?}");
    let (_, health) = server.request("GET", "/api/v1/health", None);
    assert_eq!(json(&health)["concepts"], 20_000);
}

#[test]
fn a_kill_during_an_import_leaves_an_interrupted_job_saying_what_was_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    let (status, body) = post_raw(&server.addr(), "/api/v1/import?format=tsv", &tsv(200_000));
    assert_eq!(status, 202, "{body}");
    let id = json(&body)["id"].as_u64().unwrap();
    // Kill it once a few batches are committed.
    let mut seen = Value::Null;
    for _ in 0..3000 {
        let (_, job) = server.request("GET", &format!("/api/v1/jobs/{id}"), None);
        seen = json(&job);
        if seen["counts"]["batches"].as_u64().unwrap_or(0) >= 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(seen["state"], "running", "{seen}");
    assert!(seen["progress"]["total"].as_u64() == Some(200_000), "{seen}");
    server.kill9();

    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    let (_, job) = server.request("GET", &format!("/api/v1/jobs/{id}"), None);
    let job = json(&job);
    assert_eq!(job["state"], "interrupted", "{job}");
    let (_, health) = server.request("GET", "/api/v1/health", None);
    let stored = json(&health)["concepts"].as_u64().unwrap();
    // Seeing batch 3 committed means batch 2 was flushed; batch 3 itself
    // may have been lost with its unflushed job record.
    assert!((1_000..200_000).contains(&stored), "{stored}");
    assert_eq!(job["counts"]["created"].as_u64(), Some(stored), "the job counts exactly what is stored: {job}");
    let message = job["error"].as_str().unwrap();
    assert!(message.contains(&format!("{stored} concepts created")), "{message}");
}
