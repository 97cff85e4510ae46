//! The server on a PostgreSQL store (`--store postgres://`), on a private
//! cluster (`glossary::testing`): the real binary through the core API
//! (concepts with version conflicts, lookup, TM and suggestions, import and
//! export), acknowledged writes across `kill -9`, and `copy-store` round
//! trips. Skipped when PostgreSQL is not installed (fails under CI=true).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;

use glossary::testing::PgCluster;
use serde_json::{json, Value};

use crate::common::*;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_glossary-server"))
}

/// Runs the binary; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// POSTs a file body (the import route reads raw bytes).
fn post_bytes(addr: &str, path: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let status = raw.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status line");
    (status, raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

#[test]
fn serve_on_postgres_keeps_the_api_promises_across_kill_9() {
    let Some(cluster) = PgCluster::shared() else { return };
    let url = cluster.new_database();
    let server = RunningServer::start_store(&["--store", &url], &["--no-seed"]);

    let concept = json!({"id": "state-visit", "terms": [
        {"lang": "vi", "text": "thăm cấp Nhà nước"}, {"lang": "en", "text": "state visit"}]});
    let (status, body) = server.request("POST", "/api/v1/concepts", Some(&concept));
    assert_eq!(status, 201, "{body}");
    assert_eq!(json_of(&body)["version"], 1);
    let (status, body) = server.request("POST", "/api/v1/concepts", Some(&concept));
    assert_eq!((status, json_of(&body)["code"].as_str()), (409, Some("concept_exists")), "{body}");

    let (status, body) =
        server.request("GET", &format!("/api/v1/lookup?q={}&src=vi&tgt=en", enc("tham cap nha nuoc")), None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(json_of(&body)["hits"][0]["targets"][0]["text"], "state visit");

    // Optimistic concurrency: the second writer holding version 1 loses.
    let mut update = json!({"terms": concept["terms"].clone()});
    update["version"] = json!(1);
    update["note"] = json!("Not 'official visit'.");
    let (status, body) = server.request("PUT", "/api/v1/concepts/state-visit", Some(&update));
    assert_eq!((status, json_of(&body)["version"].as_u64()), (200, Some(2)), "{body}");
    let (status, body) = server.request("PUT", "/api/v1/concepts/state-visit", Some(&update));
    assert_eq!((status, json_of(&body)["code"].as_str()), (409, Some("version_conflict")), "{body}");

    // Translation memory and suggestions.
    let unit = json!({"src": "vi", "tgt": "en",
        "source": "Hai bên nhất trí tăng cường hợp tác kinh tế.",
        "target": "The two sides agreed to strengthen economic cooperation."});
    let (status, body) = server.request("POST", "/api/v1/tm/units", Some(&unit));
    assert_eq!(status, 201, "{body}");
    let (status, body) = server.request("POST", "/api/v1/tm/units", Some(&unit));
    assert_eq!((status, json_of(&body)["outcome"].as_str()), (200, Some("merged")), "{body}");
    let query = json!({"text": "Hai bên nhất trí tăng cường hợp tác kinh tế.", "src": "vi", "tgt": "en"});
    let (status, body) = server.request("POST", "/api/v1/suggest", Some(&query));
    assert_eq!(status, 200, "{body}");
    let s = json_of(&body);
    assert_eq!(s["matches"][0]["score"], 100.0, "{s}");
    assert_eq!(s["matches"][0]["unit"]["target"], "The two sides agreed to strengthen economic cooperation.", "{s}");

    // Import (check pass, then batches) and export.
    let tsv = "hòa bình\tpeace\nhợp tác\tcooperation\n";
    let (status, body) = post_bytes(&server.addr(), "/api/v1/import?format=tsv&src=vi&tgt=en", tsv.as_bytes());
    assert_eq!((status, json_of(&body)["created"].as_u64()), (200, Some(2)), "{body}");
    let (status, body) = post_bytes(&server.addr(), "/api/v1/import?format=tsv&src=vi&tgt=en", tsv.as_bytes());
    assert_eq!((status, json_of(&body)["unchanged"].as_u64()), (200, Some(2)), "{body}");
    let (status, body) = server.request("GET", &format!("/api/v1/lookup?q={}&src=vi&tgt=en", enc("hoa binh")), None);
    assert_eq!((status, json_of(&body)["hits"][0]["targets"][0]["text"].as_str()), (200, Some("peace")), "{body}");
    let (status, export) = server.request("GET", "/api/v1/export?format=tsv", None);
    assert_eq!(status, 200);
    for term in ["thăm cấp Nhà nước", "state visit", "hòa bình", "cooperation"] {
        assert!(export.contains(term), "{term} missing from the export: {export}");
    }

    // Every acknowledged write is in PostgreSQL: a restarted server (after
    // kill -9) serves them, with its indexes rebuilt from the database.
    server.kill9();
    let server = RunningServer::start_store(&["--store", &url], &["--no-seed"]);
    let (status, body) = server.request("GET", "/api/v1/concepts/state-visit", None);
    assert_eq!((status, json_of(&body)["version"].as_u64()), (200, Some(2)), "{body}");
    let (_, body) = server.request("GET", "/api/v1/health", None);
    assert_eq!(json_of(&body)["concepts"], 3, "{body}");
    let (_, body) = server.request("POST", "/api/v1/suggest", Some(&query));
    assert_eq!(json_of(&body)["matches"][0]["score"], 100.0, "{body}");
}

#[test]
fn store_selection_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, _, err) = run(&["seed", "--data-dir", d, "--store", "postgres://nobody@127.0.0.1:1/none"]);
    assert_eq!(code, 1);
    assert!(err.contains("both --data-dir"), "{err}");
    let (code, _, err) = run(&["seed", "--store", d]);
    assert_eq!(code, 1);
    assert!(err.contains("--store takes a postgres:// URL"), "{err}");
    let (code, _, err) = run(&["seed", "--store", "postgres://nobody:secret@127.0.0.1:1/none"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot connect to PostgreSQL"), "{err}");
    assert!(!err.contains("secret"), "the password stays out of messages: {err}");
}

/// Prints the `source:`/`target:` lines of a copy-store run.
fn hashes(out: &str) -> (String, String) {
    let line =
        |p: &str| out.lines().find_map(|l| l.strip_prefix(p)).unwrap_or_else(|| panic!("no {p} in {out}")).to_string();
    (line("source: "), line("target: "))
}

#[test]
fn copy_store_round_trips_sled_postgres_sled_with_the_same_hash() {
    let Some(cluster) = PgCluster::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    let back = dir.path().join("back");
    let (code, _, err) = run(&["seed", "--data-dir", first.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(dir.path().join("terms.tsv"), "hòa bình\tpeace\n").unwrap();
    let (code, _, err) = run(&[
        "import",
        "--data-dir",
        first.to_str().unwrap(),
        "--format",
        "tsv",
        "--src",
        "vi",
        "--tgt",
        "en",
        dir.path().join("terms.tsv").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");

    let url = cluster.new_database();
    let (code, out, err) = run(&["copy-store", "--from", first.to_str().unwrap(), "--to", &url]);
    assert_eq!(code, 0, "{err}");
    let (source, target) = hashes(&out);
    assert_eq!(source, target);
    assert!(out.lines().any(|l| l.starts_with("concepts ") && !l.contains(" 0 ")), "{out}");

    // The PostgreSQL copy serves like the original.
    let mut child = bin()
        .args(["lookup", "--store", &url, "--src", "vi", "--tgt", "en"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("huu nghi vi dai\n".as_bytes()).unwrap();
    let out_lookup = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    assert!(out_lookup.contains("great friendship"), "{out_lookup}");

    // A non-empty target is refused, and left as it was.
    let (code, _, err) = run(&["copy-store", "--from", first.to_str().unwrap(), "--to", &url]);
    assert_eq!(code, 1);
    assert!(err.contains("already holds"), "{err}");

    let (code, out2, err) = run(&["copy-store", "--from", &url, "--to", back.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (source2, target2) = hashes(&out2);
    assert_eq!((source2.as_str(), target2.as_str()), (source.as_str(), source.as_str()), "sled → PostgreSQL → sled");
    assert!(Path::new(&back).join("store").is_dir());
    let (code, _, err) = run(&["copy-store", "--from", &url, "--to", back.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("not empty"), "{err}");
}

/// Two servers on one database: a concept created on A is found by lookup
/// on B (through B's change feed), an update through B is seen by A, and
/// of two updates carrying the same `version`, one on each, exactly one
/// wins. The time to visibility is printed (the figure docs/scale-out.md
/// quotes is measured by `examples/store_throughput`-style runs, not
/// asserted here: the machine may be loaded).
#[test]
fn two_servers_on_one_database_stay_in_step() {
    let Some(cluster) = PgCluster::shared() else { return };
    let url = cluster.new_database();
    let a = RunningServer::start_store(&["--store", &url], &["--no-seed"]);
    let b = RunningServer::start_store(&["--store", &url], &["--no-seed"]);
    let lookup = format!("/api/v1/lookup?q={}&src=vi&tgt=en", enc("hanh lang kinh te"));
    let (_, body) = b.request("GET", &lookup, None);
    assert_eq!(json_of(&body)["hits"], json!([]), "{body}");

    let concept = json!({"id": "corridor", "terms": [
        {"lang": "vi", "text": "hành lang kinh tế"}, {"lang": "en", "text": "economic corridor"}]});
    let start = std::time::Instant::now();
    let (status, body) = a.request("POST", "/api/v1/concepts", Some(&concept));
    assert_eq!(status, 201, "{body}");
    let seen = wait_for(&b, &lookup, |hits| hits["hits"][0]["targets"][0]["text"] == "economic corridor");
    eprintln!("created on A, found by lookup on B after {:?}", start.elapsed());
    assert!(seen, "B never saw the concept created on A");

    // Optimistic concurrency across servers: both hold version 1.
    let mut update = json!({"terms": concept["terms"].clone()});
    update["version"] = json!(1);
    update["terms"][1]["text"] = json!("economic corridor (EC)");
    let (first, _) = b.request("PUT", "/api/v1/concepts/corridor", Some(&update));
    update["terms"][1]["text"] = json!("trade corridor");
    let (second, body) = a.request("PUT", "/api/v1/concepts/corridor", Some(&update));
    assert_eq!((first, second), (200, 409), "{body}");
    assert_eq!(json_of(&body)["code"], "version_conflict");
    let seen = wait_for(&a, &lookup, |hits| hits["hits"][0]["targets"][0]["text"] == "economic corridor (EC)");
    assert!(seen, "A never saw B's update in its lookup index");

    // TM units written on B reach A's TM index.
    let unit = json!({"src": "vi", "tgt": "en", "source": "Hai bên ký hiệp định thương mại tự do.",
        "target": "The two sides signed a free trade agreement."});
    let (status, body) = b.request("POST", "/api/v1/tm/units", Some(&unit));
    assert_eq!(status, 201, "{body}");
    let matches = format!("/api/v1/tm/matches?q={}&src=vi&tgt=en", enc("Hai bên ký hiệp định thương mại tự do."));
    assert!(wait_for(&a, &matches, |m| m["matches"].as_array().is_some_and(|a| !a.is_empty())), "A never saw the unit");

    let (_, body) = a.request("GET", "/api/v1/health", None);
    let health = json_of(&body);
    assert_eq!(health["store"], "postgres");
    assert!(health["feed"]["latest"].as_i64().unwrap() > 0, "{health}");
    assert!(health["feed"]["lag"].as_i64().unwrap() >= 0, "{health}");
}

/// Polls `path` on `server` until `ok` holds for its JSON (at most 10 s).
fn wait_for(server: &RunningServer, path: &str, ok: impl Fn(&Value) -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        let (status, body) = server.request("GET", path, None);
        if status == 200 && ok(&json_of(&body)) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    false
}

/// `backup --store` reads a PostgreSQL store; `restore --store` fills an
/// empty database; both print the same content hash.
#[test]
fn backup_and_restore_work_on_postgres_stores() {
    let Some(cluster) = PgCluster::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let url = cluster.new_database();
    let (code, _, err) = run(&["seed", "--store", &url]);
    assert_eq!(code, 0, "{err}");
    let file = dir.path().join("g.glsnap");
    let (code, out, err) = run(&["backup", "--store", &url, file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let sha = |out: &str| out.lines().find(|l| l.starts_with("sha256: ")).map(str::to_string);
    let taken = sha(&out).unwrap_or_else(|| panic!("no hash in {out}"));
    let other = cluster.new_database();
    let (code, out, err) = run(&["restore", "--store", &other, file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(sha(&out), Some(taken));
    let (code, _, err) = run(&["restore", "--store", &other, file.to_str().unwrap()]);
    assert_eq!(code, 1, "a database with records is refused");
    assert!(err.contains("was not restored"), "{err}");
}

/// One HTTP exchange that reports failure instead of panicking (the server
/// may die mid-request): `None` when no full answer came back.
fn try_request(addr: &str, method: &str, path: &str, body: &Value) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).ok()?;
    let payload = body.to_string();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        payload.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(payload.as_bytes()).ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).ok()?;
    let status = raw.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()))
}

/// A replica killed with `kill -9` in the middle of a stream of writes:
/// every create it acknowledged (2xx received) is readable from the other
/// replica, by id and by lookup; reads on the other replica keep working
/// while it is down; restarted, it catches up with a concept created on
/// the other replica while it was down.
#[test]
fn a_replica_killed_mid_stream_loses_nothing_acknowledged() {
    let Some(cluster) = PgCluster::shared() else { return };
    let url = cluster.new_database();
    let a = RunningServer::start_store(&["--store", &url], &["--no-seed"]);
    let b = RunningServer::start_store(&["--store", &url], &["--no-seed"]);
    let a_addr = a.addr();
    let pid = a.child.id();

    // Distinct words per concept, so each is found by a lookup of its own.
    let term = |i: u32| format!("hiệp ước số {i} về biên giới");
    // How many creates A has acknowledged so far.
    let acked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let writer = {
        let addr = a_addr.clone();
        let acked = acked.clone();
        std::thread::spawn(move || {
            let mut acknowledged = Vec::new();
            for i in 0..10_000u32 {
                let concept = json!({"id": format!("treaty-{i}"), "terms": [
                    {"lang": "vi", "text": term(i)}, {"lang": "en", "text": format!("border treaty no. {i}")}]});
                match try_request(&addr, "POST", "/api/v1/concepts", &concept) {
                    Some((201, _)) => {
                        acknowledged.push(i);
                        acked.store(acknowledged.len(), std::sync::atomic::Ordering::SeqCst);
                    }
                    Some((status, body)) => panic!("create {i} answered {status}: {body}"),
                    None => break, // A is gone
                }
            }
            acknowledged
        })
    };
    // Let the stream run until A has acknowledged 20 creates and B has
    // seen some of them, then kill A while writes are in flight.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (_, body) = b.request("GET", "/api/v1/health", None);
        let seen = json_of(&body)["concepts"].as_u64().unwrap_or(0);
        let enough = acked.load(std::sync::atomic::Ordering::SeqCst) >= 20 && seen >= 1;
        if enough || std::time::Instant::now() > deadline {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
    assert!(killed.success());
    let acknowledged = writer.join().unwrap();
    a.kill9(); // reaps the process
    assert!(acknowledged.len() >= 20, "the stream was too short to be cut mid-way: {}", acknowledged.len());

    // Every acknowledged write is on B, by id (the database) and by lookup
    // (B's index, fed by the change feed); B serves while A is down.
    for &i in &acknowledged {
        let (status, body) = b.request("GET", &format!("/api/v1/concepts/treaty-{i}"), None);
        assert_eq!(status, 200, "acknowledged create {i} is missing: {body}");
    }
    for &i in acknowledged.iter().rev().take(5) {
        let lookup = format!("/api/v1/lookup?q={}&src=vi&tgt=en", enc(&term(i)));
        let want = format!("border treaty no. {i}");
        assert!(wait_for(&b, &lookup, |h| h["hits"][0]["targets"][0]["text"] == want.as_str()), "B cannot look up {i}");
    }

    // A concept created on B while A is down is found on A once restarted.
    let concept = json!({"id": "while-down", "terms": [
        {"lang": "vi", "text": "đường ống dẫn khí"}, {"lang": "en", "text": "gas pipeline"}]});
    let (status, body) = b.request("POST", "/api/v1/concepts", Some(&concept));
    assert_eq!(status, 201, "{body}");
    let a = RunningServer::start_store(&["--store", &url], &["--no-seed"]);
    let lookup = format!("/api/v1/lookup?q={}&src=vi&tgt=en", enc("duong ong dan khi"));
    assert!(wait_for(&a, &lookup, |h| h["hits"][0]["targets"][0]["text"] == "gas pipeline"), "A did not catch up");
    let last = acknowledged.last().unwrap();
    let (status, _) = a.request("GET", &format!("/api/v1/concepts/treaty-{last}"), None);
    assert_eq!(status, 200);
}
