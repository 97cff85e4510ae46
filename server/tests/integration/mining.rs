//! Term mining over HTTP: runs, the review queue, accept / reject / merge,
//! and the `mine` subcommand of the real binary.

use std::path::Path;
use std::process::Command;

use actix_web::test as atest;
use serde_json::{json, Value};

use crate::common::*;

/// A small corpus written for these tests: two documents sharing the
/// phrases "đối tác chiến lược toàn diện" and "hành lang kinh tế".
fn corpus() -> Value {
    json!({
        "lang": "vi",
        "top": 30,
        "documents": [
            {"id": "a", "text": "Hai nước nâng quan hệ lên đối tác chiến lược toàn diện. \
                Khuôn khổ đối tác chiến lược toàn diện mở ra giai đoạn mới. \
                Hai bên thúc đẩy hành lang kinh tế xuyên biên giới. Hành lang kinh tế nối cảng biển với vùng núi."},
            {"id": "b", "text": "Quan hệ đối tác chiến lược toàn diện phát triển tốt đẹp. \
                Dự án hành lang kinh tế được khởi công. \
                Bộ trưởng nhấn mạnh vai trò của đối tác chiến lược toàn diện."}
        ]
    })
}

fn terms(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|c| c["term"].as_str().unwrap().to_string()).collect()
}

fn find<'a>(page: &'a Value, term: &str) -> &'a Value {
    page["items"].as_array().unwrap().iter().find(|c| c["term"] == term).unwrap_or_else(|| panic!("{term} in {page}"))
}

#[actix_web::test]
async fn a_run_fills_the_queue_and_reviews_change_it() {
    // An empty store: the starter glossary holds "đối tác chiến lược toàn
    // diện", which a run would mark known instead of pending.
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;

    let (status, run) = send(&app, post_json("/api/v1/mining/runs", corpus())).await;
    assert_eq!(status, 201, "{run}");
    assert_eq!(run["status"], "completed");
    assert_eq!(run["documents"], 2);
    assert!(run["new"].as_u64().unwrap() >= 2, "{run}");
    assert_eq!(run["updated"], 0);
    let run_id = run["id"].as_u64().unwrap();
    let (status, got) = send(&app, get(&format!("/api/v1/mining/runs/{run_id}"))).await;
    assert_eq!(status, 200);
    assert_eq!(got["results"], run["results"]);

    let (status, page) = send(&app, get("/api/v1/candidates?limit=50")).await;
    assert_eq!(status, 200);
    let names = terms(&page);
    assert!(names.contains(&"đối tác chiến lược toàn diện".to_string()), "{names:?}");
    assert!(names.contains(&"hành lang kinh tế".to_string()), "{names:?}");
    let partner = find(&page, "đối tác chiến lược toàn diện").clone();
    assert_eq!(partner["frequency"], 4);
    assert_eq!(partner["document_frequency"], 2);
    assert_eq!(partner["status"], "pending");
    assert!(partner["contexts"][0]["right"].is_string());
    let corridor = find(&page, "hành lang kinh tế").clone();
    assert_eq!(corridor["frequency"], 3);
    assert!(
        corridor["variants"].as_array().unwrap().iter().any(|v| v["text"] == "Hành lang kinh tế"),
        "sentence-initial spelling is a variant: {corridor}"
    );

    // By id and by term in another spelling.
    let id = partner["id"].as_str().unwrap();
    let (status, by_id) = send(&app, get(&format!("/api/v1/candidates/{id}"))).await;
    assert_eq!((status, &by_id["term"]), (200, &partner["term"]));
    let (status, by_term) =
        send(&app, get(&format!("/api/v1/candidates/{}", enc("Đối tác chiến lược toàn diện")))).await;
    assert_eq!((status, &by_term["id"]), (200, &partner["id"]));

    // Accept: a concept that lookup finds at once.
    let (status, accepted) = send(
        &app,
        post_json(
            &format!("/api/v1/candidates/{id}/accept"),
            json!({"english": "comprehensive strategic partnership", "subject_field": "diplomacy"}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{accepted}");
    assert_eq!(accepted["candidate"]["status"], "accepted");
    let concept_id = accepted["concept"]["id"].as_str().unwrap().to_string();
    assert_eq!(accepted["candidate"]["concept_id"], concept_id.as_str());
    assert_eq!(accepted["concept"]["terms"][0]["text"], "đối tác chiến lược toàn diện");
    assert!(accepted["concept"]["terms"][0]["context"].as_str().unwrap().contains("đối tác chiến lược toàn diện"));
    assert_eq!(accepted["concept"]["terms"][1]["text"], "comprehensive strategic partnership");
    let (status, hits) =
        send(&app, get(&format!("/api/v1/lookup?q={}&src=vi&tgt=en", enc("doi tac chien luoc toan dien")))).await;
    assert_eq!(status, 200);
    assert_eq!(hits["hits"][0]["concept_id"], concept_id.as_str());
    assert_eq!(hits["hits"][0]["targets"][0]["text"], "comprehensive strategic partnership");
    let again = send(&app, post_json(&format!("/api/v1/candidates/{id}/accept"), json!({}))).await;
    assert_error(&again, 409, "candidate_already_reviewed");
    let (status, accepted_list) = send(&app, get("/api/v1/candidates?status=accepted")).await;
    assert_eq!((status, terms(&accepted_list)), (200, vec!["đối tác chiến lược toàn diện".to_string()]));

    // Reject, then mine again: the rejection survives and counts are updated, not duplicated.
    let corridor_id = corridor["id"].as_str().unwrap();
    let (status, rejected) =
        send(&app, post_json(&format!("/api/v1/candidates/{corridor_id}/reject"), json!({"reason": "too general"})))
            .await;
    assert_eq!((status, &rejected["status"], &rejected["reason"]), (200, &json!("rejected"), &json!("too general")));
    let (_, before) = send(&app, get("/api/v1/candidates?status=all&limit=200")).await;

    let mut bigger = corpus();
    bigger["documents"].as_array_mut().unwrap().push(json!({"id": "c",
        "text": "Hành lang kinh tế phía Tây được mở rộng. Đối tác chiến lược toàn diện là khuôn khổ quan hệ cao nhất."}));
    let (status, run2) = send(&app, post_json("/api/v1/mining/runs", bigger)).await;
    assert_eq!(status, 201, "{run2}");
    assert!(run2["updated"].as_u64().unwrap() >= 2, "{run2}");
    assert!(run2["rejected"].as_u64().unwrap() >= 1, "{run2}");
    let (_, after) = send(&app, get("/api/v1/candidates?status=all&limit=200")).await;
    assert!(after["total"].as_u64() >= before["total"].as_u64());
    let corridor_after = find(&after, "hành lang kinh tế");
    assert_eq!(corridor_after["status"], "rejected");
    assert_eq!(corridor_after["frequency"], 4, "the new run's count replaces the old one");
    assert_eq!(corridor_after["runs"], 2);
    let partner_after = find(&after, "đối tác chiến lược toàn diện");
    assert_eq!((&partner_after["status"], &partner_after["frequency"]), (&json!("accepted"), &json!(5)));
    let keys: Vec<&str> = after["items"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(keys.len(), unique.len(), "one record per key");
    let (_, pending) = send(&app, get("/api/v1/candidates?limit=200")).await;
    assert!(!terms(&pending).contains(&"hành lang kinh tế".to_string()), "rejected stays out of the pending list");
}

/// A run over a store that already holds a term marks the candidate known
/// with its concept: not pending, listed under `status=known`.
#[actix_web::test]
async fn a_run_marks_the_terms_the_glossary_holds_as_known() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    let (status, concept) = send(
        &app,
        post_json(
            "/api/v1/concepts",
            json!({"terms": [{"lang": "vi", "text": "hành lang kinh tế"}, {"lang": "en", "text": "economic corridor"}]}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{concept}");
    let (status, run) = send(&app, post_json("/api/v1/mining/runs", corpus())).await;
    assert_eq!((status, &run["status"]), (201, &json!("completed")), "{run}");

    let (_, pending) = send(&app, get("/api/v1/candidates?limit=50")).await;
    let names = terms(&pending);
    assert!(!names.contains(&"hành lang kinh tế".to_string()), "a known term is not pending: {names:?}");
    assert!(names.contains(&"đối tác chiến lược toàn diện".to_string()), "{names:?}");
    let (status, known) = send(&app, get("/api/v1/candidates?status=known&limit=50")).await;
    assert_eq!(status, 200, "{known}");
    assert_eq!(terms(&known), ["hành lang kinh tế"]);
    let corridor = find(&known, "hành lang kinh tế");
    assert_eq!(corridor["status"], "known");
    assert_eq!(corridor["known"]["concept_id"], concept["id"]);
    assert_eq!(
        (&corridor["known"]["term"], &corridor["known"]["variant"]),
        (&json!("hành lang kinh tế"), &json!(false))
    );
    let (status, by_id) = send(&app, get(&format!("/api/v1/candidates/{}", corridor["id"].as_str().unwrap()))).await;
    assert_eq!((status, &by_id["known"]["concept_id"]), (200, &concept["id"]));
}

#[actix_web::test]
async fn merge_adds_a_variant_term() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    let (status, concept) = send(
        &app,
        post_json(
            "/api/v1/concepts",
            json!({"terms": [{"lang": "vi", "text": "kinh tế hành lang"}, {"lang": "en", "text": "economic corridor"}]}),
        ),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = send(&app, post_json("/api/v1/mining/runs", corpus())).await;
    assert_eq!(status, 201);
    let (_, page) = send(&app, get("/api/v1/candidates?limit=50&sort=frequency")).await;
    let corridor = find(&page, "hành lang kinh tế");
    let id = corridor["id"].as_str().unwrap();

    let stale = send(
        &app,
        post_json(&format!("/api/v1/candidates/{id}/merge"), json!({"concept_id": concept["id"], "version": 7})),
    )
    .await;
    assert_error(&stale, 409, "version_conflict");
    let missing = send(&app, post_json(&format!("/api/v1/candidates/{id}/merge"), json!({"concept_id": "c999"}))).await;
    assert_error(&missing, 404, "concept_not_found");

    let (status, merged) = send(
        &app,
        post_json(&format!("/api/v1/candidates/{id}/merge"), json!({"concept_id": concept["id"], "version": 1})),
    )
    .await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!(merged["candidate"]["status"], "merged");
    assert_eq!(merged["concept"]["version"], 2);
    let added = &merged["concept"]["terms"][2];
    assert_eq!(
        (&added["text"], &added["status"], &added["term_type"]),
        (&json!("hành lang kinh tế"), &json!("admitted"), &json!("variant"))
    );
    let (_, hits) = send(&app, get(&format!("/api/v1/lookup?q={}&src=vi", enc("hanh lang kinh te")))).await;
    assert_eq!(hits["hits"][0]["concept_id"], concept["id"]);
    let twice = send(&app, post_json(&format!("/api/v1/candidates/{id}/reject"), json!({}))).await;
    assert_error(&twice, 409, "candidate_already_reviewed");
}

#[actix_web::test]
async fn bad_mining_input_gets_stable_codes() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (json!({"documents": []}), 400, "invalid_input"),
        (json!({"documents": [{"text": "x"}], "lang": "en"}), 400, "invalid_input"),
        (json!({"documents": [{"text": "x"}], "lang": "v_i"}), 400, "invalid_language_tag"),
        (json!({"documents": [{"text": "x"}], "top": 0}), 400, "invalid_input"),
        (json!({"documents": [{"text": "x"}], "max_contexts": 99}), 400, "invalid_input"),
        (json!({"documents": [{"body": "x"}]}), 400, "invalid_body"),
    ];
    for (body, status, code) in cases {
        let got = send(&app, post_json("/api/v1/mining/runs", body.clone())).await;
        assert_error(&got, status, code);
    }
    // Over the 16 MiB limit of this route (and over the 1 MiB JSON limit elsewhere is not applied here).
    let big = json!({"documents": [{"text": "hợp tác ".repeat(2_500_000)}]});
    assert_error(&send(&app, post_json("/api/v1/mining/runs", big)).await, 413, "payload_too_large");
    assert_error(&send(&app, get("/api/v1/mining/runs/42")).await, 404, "mining_run_not_found");
    assert_error(&send(&app, get("/api/v1/mining/runs/x")).await, 400, "invalid_path");
    assert_error(&send(&app, get("/api/v1/candidates/knothing")).await, 404, "candidate_not_found");
    assert_error(&send(&app, get("/api/v1/candidates?status=maybe")).await, 400, "invalid_input");
    assert_error(&send(&app, get("/api/v1/candidates?sort=best")).await, 400, "invalid_input");
    assert_error(&send(&app, get("/api/v1/candidates?limit=0")).await, 400, "invalid_input");
    assert_error(
        &send(&app, post_json("/api/v1/candidates/knothing/accept", json!({}))).await,
        404,
        "candidate_not_found",
    );
    let req = atest::TestRequest::post().uri("/api/v1/candidates/knothing/reject").set_payload("{not json");
    assert_error(&send(&app, req).await, 400, "invalid_json");
}

fn seeds() -> Option<Vec<std::path::PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds");
    if !dir.is_dir() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI: {} is missing", dir.display());
        }
        eprintln!("skipping: {} not found (the shared seeds live next to the repository)", dir.display());
        return None;
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    Some(files)
}

#[test]
fn mine_subcommand_prints_json_candidates_for_the_seeds() {
    let Some(files) = seeds() else { return };
    let out = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
        .args(["mine", "--lang", "vi", "--top", "40", "--json"])
        .args(&files)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.stderr.is_empty(),
        "no progress bar when stderr is not a terminal: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), 40);
    for c in &list {
        for field in ["id", "term", "score", "frequency", "document_frequency", "variants", "contexts", "kind"] {
            assert!(!c[field].is_null(), "{field} missing in {c}");
        }
    }
    let formula = list
        .iter()
        .find(|c| c["kind"] == "formula" && c["term"].as_str().unwrap().starts_with("hữu nghị vĩ đại"))
        .expect("the four-part formula");
    assert_eq!(formula["members"][3], "gắn kết chiến lược");
    let docs: Vec<&str> =
        formula["contexts"].as_array().unwrap().iter().map(|c| c["document"].as_str().unwrap()).collect();
    assert!(docs.iter().all(|d| d.ends_with(".txt")), "file names are the document ids: {docs:?}");

    // The text table, and errors.
    let out =
        Command::new(env!("CARGO_BIN_EXE_glossary-server")).args(["mine", "--top", "5"]).args(&files).output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.lines().next().unwrap().contains("score"), "{table}");
    let ranked = table.lines().filter(|l| {
        let mut cols = l.split_whitespace();
        cols.next().is_some_and(|r| r.parse::<usize>().is_ok()) && cols.next().is_some_and(|s| s.parse::<f64>().is_ok())
    });
    assert_eq!(ranked.count(), 5, "{table}");
    let out = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
        .args(["mine", "--lang", "en"])
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Vietnamese"));
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("x.txt");
    std::fs::write(&binary, [0x66, 0xff, 0xfe]).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_glossary-server")).arg("mine").arg(&binary).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `mine --data-dir`: the candidates the data directory's glossary holds
/// carry `known` with their concept; without it none do.
#[test]
fn mine_subcommand_marks_known_terms_with_a_data_dir() {
    let Some(files) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let concept_id = {
        let g = glossary::Glossary::open(dir.path(), &glossary::OpenOptions::default()).unwrap();
        let draft = serde_json::from_value(json!({"terms": [{"lang": "vi", "text": "Tổng Bí thư"}]})).unwrap();
        g.create(draft, "test").unwrap().id.to_string()
    };
    let mine = |extra: &[&std::ffi::OsStr]| -> Vec<Value> {
        let out = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
            .args(["mine", "--top", "40", "--json"])
            .args(extra)
            .args(&files)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let with_store = mine(&["--data-dir".as_ref(), dir.path().as_os_str()]);
    let known: Vec<&Value> = with_store.iter().filter(|c| !c["known"].is_null()).collect();
    assert_eq!(known.len(), 1, "{known:?}");
    assert_eq!(known[0]["term"], "Tổng Bí thư");
    assert_eq!(known[0]["known"]["concept_id"], concept_id.as_str());
    assert!(mine(&[]).iter().all(|c| c["known"].is_null()), "nothing is known without a data directory");
    let missing = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
        .args(["mine", "--data-dir"])
        .arg(dir.path().join("absent"))
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1), "a missing data directory is an error");
}

#[test]
fn the_queue_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    let (status, body) = server.request("POST", "/api/v1/mining/runs", Some(&corpus()));
    assert_eq!(status, 201, "{body}");
    let (_, page) = server.request("GET", "/api/v1/candidates?limit=50", None);
    let page: Value = serde_json::from_str(&page).unwrap();
    let id = find(&page, "hành lang kinh tế")["id"].as_str().unwrap().to_string();
    let (status, _) = server.request("POST", &format!("/api/v1/candidates/{id}/reject"), Some(&json!({})));
    assert_eq!(status, 200);
    server.kill9();

    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    let (status, got) = server.request("GET", &format!("/api/v1/candidates/{id}"), None);
    assert_eq!(status, 200);
    let got: Value = serde_json::from_str(&got).unwrap();
    assert_eq!(got["status"], "rejected");
    assert_eq!(got["term"], "hành lang kinh tế");
}

/// About 2 MiB of distinct sentences: over the 1 MiB mined in the request.
fn big_corpus() -> Value {
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 2 * 1024 * 1024 {
        text.push_str(&format!(
            "Hai bên ký kết thỏa thuận hợp tác số {n}, thúc đẩy hành lang kinh tế và kết nối giao thông vùng {}.\n",
            n * 7
        ));
        n += 1;
    }
    json!({"documents": [{"id": "big", "text": text}]})
}

/// A background run reports growing progress while it works, then
/// completes without it.
#[test]
fn a_background_run_reports_progress() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    let (status, run) = server.request("POST", "/api/v1/mining/runs", Some(&big_corpus()));
    assert_eq!(status, 202, "{run}");
    let id = serde_json::from_str::<Value>(&run).unwrap()["id"].as_u64().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    let mut seen: Vec<(u64, u64)> = Vec::new();
    let last = loop {
        let (status, got) = server.request("GET", &format!("/api/v1/mining/runs/{id}"), None);
        assert_eq!(status, 200, "{got}");
        let got: Value = serde_json::from_str(&got).unwrap();
        if got["status"] != "running" {
            break got;
        }
        let p = &got["progress"];
        let (done, total) = (p["done_bytes"].as_u64().unwrap(), p["total_bytes"].as_u64().unwrap());
        assert!(done <= total, "{p}");
        assert!(p["percent"].as_f64().unwrap() <= 100.0, "{p}");
        seen.push((done, total));
        assert!(std::time::Instant::now() < deadline, "the run did not finish: {seen:?}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(last["status"], "completed", "{last}");
    assert!(last.get("progress").is_none(), "{last}");
    assert!(!seen.is_empty(), "the first poll right after 202 sees the run working");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "progress never goes back: {seen:?}");
    let kept = last["stats"]["kept_bytes"].as_u64().unwrap();
    assert!(seen.iter().filter(|s| s.1 > 0).all(|s| s.1 == 3 * kept), "total is three passes: {seen:?}");
}

/// A large run answers 202 and mines in the background; if the server is
/// killed meanwhile, the run reads `failed` (interrupted) after a restart
/// instead of `running` for ever.
#[test]
fn a_run_cut_short_by_a_kill_reads_failed_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    let (status, run) = server.request("POST", "/api/v1/mining/runs", Some(&big_corpus()));
    assert_eq!(status, 202, "{run}");
    let run: Value = serde_json::from_str(&run).unwrap();
    assert_eq!(run["status"], "running");
    let id = run["id"].as_u64().unwrap();
    server.kill9();

    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    let (status, got) = server.request("GET", &format!("/api/v1/mining/runs/{id}"), None);
    assert_eq!(status, 200, "{got}");
    let got: Value = serde_json::from_str(&got).unwrap();
    assert_eq!(got["status"], "failed", "{got}");
    assert!(got["error"].as_str().unwrap().starts_with("interrupted"), "{got}");
    assert!(got["finished"].is_string(), "{got}");
}
