//! Online backup and restore with the real binary: a snapshot taken through
//! `POST /api/v1/admin/backup` while clients write, restored into a new data
//! directory and served again; and the refusals (no admin key, locked or
//! missing directory, non-empty target, damaged file).

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::*;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_glossary-server"))
}

/// Runs the binary; returns exit code, stdout, stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// The value after `label` on its own line of a backup/restore report.
fn field<'a>(report: &'a str, label: &str) -> &'a str {
    report
        .lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {label:?} in {report}"))
}

fn records_in(report: &str, tree: &str) -> u64 {
    report
        .lines()
        .find_map(|l| {
            let mut parts = l.split_whitespace();
            (parts.next() == Some(tree)).then(|| parts.next().unwrap().parse().unwrap())
        })
        .unwrap_or(0)
}

fn health(server: &RunningServer) -> Value {
    let (status, body) = server.request("GET", "/api/v1/health", None);
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn backup_from_a_running_server_under_load_restores_and_serves_the_same_content() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = RunningServer::start(&data, &["--no-seed", "--admin-key", "adm1,adm2"]);
    let addr = server.addr();
    let stop = Arc::new(AtomicBool::new(false));
    let concepts = Arc::new(Mutex::new(Vec::<String>::new()));
    let units = Arc::new(Mutex::new(Vec::<u64>::new()));
    let mut writers = Vec::new();
    {
        let (addr, stop, acked) = (addr.clone(), stop.clone(), concepts.clone());
        writers.push(std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let body = json!({"id": format!("b{i}"), "terms": [{"lang": "vi", "text": format!("điều ước {i}")}, {"lang": "en", "text": format!("treaty {i}")}]});
                let (status, reply) = http(&addr, "POST", "/api/v1/concepts", Some(&body));
                assert_eq!(status, 201, "{reply}");
                acked.lock().unwrap().push(format!("b{i}"));
                i += 1;
            }
        }));
    }
    {
        let (addr, stop, acked) = (addr.clone(), stop.clone(), units.clone());
        writers.push(std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let body = json!({"src": "vi", "tgt": "en", "source": format!("Hai bên ký điều ước số {i}."), "target": format!("The two sides signed treaty number {i}.")});
                let (status, reply) = http(&addr, "POST", "/api/v1/tm/units", Some(&body));
                assert_eq!(status, 201, "{reply}");
                let reply: Value = serde_json::from_str(&reply).unwrap();
                acked.lock().unwrap().push(reply["unit"]["id"].as_u64().unwrap());
                i += 1;
            }
        }));
    }
    while concepts.lock().unwrap().len() < 40 || units.lock().unwrap().len() < 20 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let concepts_before = concepts.lock().unwrap().clone();
    let units_before = units.lock().unwrap().clone();

    // A wrong key is refused before anything is copied.
    let out = dir.path().join("wrong.glsnap");
    let (code, _, err) = run(&["backup", "--from-server", &server.base, "--admin-key", "nope", s(&out)]);
    assert_eq!(code, 1);
    assert!(err.contains("HTTP 401") && err.contains("unauthorized"), "{err}");
    assert!(!out.exists() && !dir.path().join("wrong.glsnap.partial").exists());

    let file = dir.path().join("live.glsnap");
    let (code, report, err) = run(&["backup", "--from-server", &server.base, "--admin-key", "adm2", s(&file)]);
    assert_eq!(code, 0, "{err}");
    // Writers were running during and after the snapshot.
    let after = concepts.lock().unwrap().len();
    while concepts.lock().unwrap().len() < after + 10 {
        std::thread::sleep(Duration::from_millis(5));
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let hash = field(&report, "sha256:").to_string();
    assert_eq!(hash.len(), 64, "{report}");
    let snap_concepts = records_in(&report, "concepts");
    let snap_units = records_in(&report, "tm_units");
    assert!(snap_concepts >= concepts_before.len() as u64, "{report}");
    assert!(health(&server)["concepts"].as_u64().unwrap() > snap_concepts, "writes went on after the snapshot");
    drop(server);

    let restored = dir.path().join("restored");
    let (code, out, err) = run(&["restore", "--data-dir", s(&restored), s(&file)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(field(&out, "sha256:"), hash);
    assert_eq!(field(&out, "records:"), field(&report, "records:"));

    let server = RunningServer::start(&restored, &["--no-seed"]);
    let h = health(&server);
    assert_eq!(h["concepts"].as_u64().unwrap(), snap_concepts, "counter = concept records");
    assert_eq!(h["tm_units"].as_u64().unwrap(), snap_units, "counter = TM records");
    for id in &concepts_before {
        let (status, body) = server.request("GET", &format!("/api/v1/concepts/{id}"), None);
        assert_eq!(status, 200, "{id} acknowledged before the backup is missing: {body}");
    }
    for id in &units_before {
        let (status, body) = server.request("GET", &format!("/api/v1/tm/units/{id}"), None);
        assert_eq!(status, 200, "TM unit {id} acknowledged before the backup is missing: {body}");
    }
    drop(server);

    // The restored directory, backed up offline, has the same content hash.
    let again = dir.path().join("again.glsnap");
    let (code, out, err) = run(&["backup", "--data-dir", s(&restored), s(&again)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(field(&out, "sha256:"), hash);
}

#[test]
fn backup_and_restore_refuse_what_they_cannot_do_safely() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = RunningServer::start(&data, &[]);
    // No admin key configured: the route is closed, even with API keys off.
    let (status, body) = server.request("POST", "/api/v1/admin/backup", None);
    assert_eq!(status, 403, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["code"], "admin_key_required");
    let out = dir.path().join("x.glsnap");
    let (code, _, err) = run(&["backup", "--from-server", &server.base, "--admin-key", "k", s(&out)]);
    assert_eq!(code, 1);
    assert!(err.contains("HTTP 403") && err.contains("admin_key_required"), "{err}");
    // The store is locked by the server: the message says so and what to do.
    let (code, _, err) = run(&["backup", "--data-dir", s(&data), s(&out)]);
    assert_eq!(code, 1);
    assert!(err.contains("running glossary-server") && err.contains("--from-server"), "{err}");
    assert!(!out.exists());
    drop(server);

    let (code, _, err) = run(&["backup", "--data-dir", s(&dir.path().join("nowhere")), s(&out)]);
    assert_eq!(code, 1);
    assert!(err.contains("not a glossary data directory"), "{err}");
    assert!(!dir.path().join("nowhere").exists(), "a missing directory is not created");

    let (code, report, err) = run(&["backup", "--data-dir", s(&data), s(&out)]);
    assert_eq!(code, 0, "{err}");
    assert!(records_in(&report, "concepts") > 50, "the starter glossary is in: {report}");
    let (code, _, err) = run(&["backup", "--data-dir", s(&data), s(&out)]);
    assert_eq!(code, 1, "an existing file is not overwritten");
    assert!(err.contains("already exists"), "{err}");

    // Restoring over data is refused and changes nothing.
    let (code, _, err) = run(&["restore", "--data-dir", s(&data), s(&out)]);
    assert_eq!(code, 1);
    assert!(err.contains("not empty"), "{err}");

    // A truncated or damaged file is refused and leaves the target empty.
    let bytes = std::fs::read(&out).unwrap();
    let cut = dir.path().join("cut.glsnap");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let target = dir.path().join("target");
    let (code, _, err) = run(&["restore", "--data-dir", s(&target), s(&cut)]);
    assert_eq!(code, 1);
    assert!(err.contains("truncated"), "{err}");
    assert!(!target.exists());
    let mut damaged = bytes.clone();
    let n = damaged.len();
    damaged[n - 40] ^= 0xff; // inside the record count of the trailer
    std::fs::write(&cut, &damaged).unwrap();
    let (code, _, err) = run(&["restore", "--data-dir", s(&target), s(&cut)]);
    assert_eq!(code, 1);
    assert!(err.contains("damaged"), "{err}");

    std::fs::create_dir(&target).unwrap();
    let (code, out, err) = run(&["restore", "--data-dir", s(&target), s(&out)]);
    assert_eq!(code, 0, "an empty directory is fine: {err}");
    assert_eq!(field(&out, "sha256:"), field(&report, "sha256:"));
}
