//! The real `glossary-server` binary: batch lookup, `openapi`, `serve` with
//! the client examples, restarts, `kill -9`, and graceful shutdown.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::*;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_glossary-server"))
}

fn run_with_stdin(args: &[&str], data_dir: &Path, stdin: &str) -> (i32, String, String) {
    let mut child = bin()
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A child that rejects its arguments exits without reading stdin.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn batch_lookup_prints_one_json_line_per_query() {
    let dir = tempfile::tempdir().unwrap();
    // Only `serve` and `seed` load the starter glossary; lookup refuses a
    // directory without a store.
    let (code, _, err) = run_with_stdin(&["lookup", "--src", "vi"], dir.path(), "x\n");
    assert_eq!(code, 1);
    assert!(err.contains("holds no glossary store"), "{err}");
    let (code, _, err) = run_with_stdin(&["seed"], dir.path(), "");
    assert_eq!(code, 0, "{err}");
    let input = "huu nghi vi dai\nhoà bình\n\n  Viet Nam – Lao  \n";
    let (code, out, err) =
        run_with_stdin(&["lookup", "--src", "vi", "--tgt", "en", "--limit", "3", "--json"], dir.path(), input);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3, "blank lines are skipped: {out}");
    assert_eq!(lines[0]["query"], "huu nghi vi dai");
    assert_eq!(lines[0]["hits"][0]["term"]["text"], "hữu nghị vĩ đại");
    assert_eq!(lines[0]["hits"][0]["targets"][0]["text"], "great friendship");
    assert!(lines[0]["hits"].as_array().unwrap().len() <= 3);
    assert_eq!(lines[1]["hits"][0]["term"]["text"], "hòa bình");
    assert_eq!(lines[2]["query"], "Viet Nam – Lao");
    assert_eq!(lines[2]["hits"][0]["term"]["text"], "Việt Nam - Lào");

    let (code, out, _) = run_with_stdin(&["lookup", "--src", "vi", "--tgt", "en"], dir.path(), "tham cap nha nuoc\n");
    assert_eq!(code, 0);
    assert!(out.contains("thăm cấp Nhà nước = state visit"), "{out}");

    let (code, _, err) = run_with_stdin(&["lookup", "--src", "english_US"], dir.path(), "x\n");
    assert_eq!(code, 1);
    assert!(err.contains("invalid language tag"), "{err}");
    let (code, _, err) = run_with_stdin(&["lookup", "--src", "vi", "--limit", "0"], dir.path(), "x\n");
    assert_eq!(code, 1);
    assert!(err.contains("limit"), "{err}");
}

#[test]
fn openapi_subcommand_prints_the_generated_spec() {
    let out = bin().arg("openapi").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), server::openapi_json());
}

#[test]
fn client_examples_run_against_the_real_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &[]);
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../client-examples");

    let out = Command::new("bash").arg(examples.join("curl.sh")).env("BASE_URL", &server.base).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "curl.sh failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("\"great friendship\""), "{stdout}");
    assert!(stdout.contains("\"text\":\"hòa bình\""), "{stdout}");
    assert!(stdout.contains("created id: c"), "{stdout}");
    assert!(stdout.contains("\"text\":\"economic corridor\""), "{stdout}");
    assert!(stdout.contains("\"code\":\"invalid_language_tag\""), "{stdout}");
    assert!(stdout.contains("HTTP 204"), "{stdout}");
    assert!(
        stdout.to_ascii_lowercase().contains("content-disposition: attachment; filename=\"glossary.tbx\""),
        "{stdout}"
    );
    assert!(stdout.contains("downloaded glossary.tbx: 1"), "{stdout}");
    assert!(stdout.contains("downloaded omegat.tbx: 1"), "{stdout}");
    assert!(stdout.contains("\"query\":\"hop tac toan dien\""), "{stdout}");
    assert!(stdout.contains("\"spans\":[{\"start\":27,\"end\":44}]"), "{stdout}");
    assert!(stdout.contains("\"query\":\"tiếp\",\"side\":\"source\",\"hits\":[]"), "{stdout}");
    assert!(stdout.contains("concordance example units deleted"), "{stdout}");

    let out = Command::new("python3").arg(examples.join("python_client.py")).arg(&server.base).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "python client failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("huu nghi vi dai -> hữu nghị vĩ đại = great friendship [diacritic_insensitive 0.90]"),
        "{stdout}"
    );
    assert!(stdout.contains("hoà bình -> hòa bình = peace [normalized 0.97]"), "{stdout}");
    assert!(stdout.contains("gan ket chien luok -> gắn kết chiến lược = strategic cohesion"), "{stdout}");
    assert!(stdout.contains("= test standing committee"), "{stdout}");
    assert!(stdout.contains("after delete: 404 concept_not_found"), "{stdout}");
    assert!(stdout.contains("bad language tag: 400 invalid_language_tag"), "{stdout}");

    // Both examples cleaned up after themselves: the starter glossary is intact.
    let (status, body) = server.request("GET", "/api/v1/health", None);
    assert_eq!(status, 200);
    let health: Value = serde_json::from_str(&body).unwrap();
    assert!(health["concepts"].as_u64().unwrap() > 50);
    let (_, page) = server.request("GET", "/api/v1/concepts?q=hanh%20lang%20kinh%20te", None);
    assert_eq!(serde_json::from_str::<Value>(&page).unwrap()["total"], 0);
    assert_eq!(health["tm_units"], 0, "{health}");
}

#[test]
fn acknowledged_http_writes_survive_kill_9_and_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    let addr = server.addr();
    // A writer thread posts as fast as it can; we kill the server under it.
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let writer = std::thread::spawn(move || {
        for i in 0.. {
            let body = json!({"id": format!("w{i}"), "terms": [{"lang": "vi", "text": format!("điều khoản {i}")}]});
            let result = std::panic::catch_unwind(|| http(&addr, "POST", "/api/v1/concepts", Some(&body)));
            match result {
                Ok((201, _)) => {
                    if tx.send(format!("w{i}")).is_err() {
                        break;
                    }
                }
                _ => break, // connection refused or reset: the server is gone
            }
        }
    });
    let mut acked: Vec<String> = Vec::new();
    while acked.len() < 40 {
        acked.push(rx.recv_timeout(Duration::from_secs(30)).expect("writes are acknowledged"));
    }
    server.kill9();
    writer.join().unwrap();
    acked.extend(rx.try_iter());

    let server = RunningServer::start(dir.path(), &["--no-seed"]);
    for id in &acked {
        let (status, body) = server.request("GET", &format!("/api/v1/concepts/{id}"), None);
        assert_eq!(status, 200, "acknowledged {id} lost after kill -9: {body}");
    }
    let (_, health) = server.request("GET", "/api/v1/health", None);
    let health: Value = serde_json::from_str(&health).unwrap();
    assert!(health["concepts"].as_u64().unwrap() >= acked.len() as u64);
    assert!(health.get("seeded_at").is_none(), "--no-seed honoured");
    drop(server);

    // An ordinary restart (without --no-seed) does not seed a used store.
    let server = RunningServer::start(dir.path(), &[]);
    let (_, health2) = server.request("GET", "/api/v1/health", None);
    let health2: Value = serde_json::from_str(&health2).unwrap();
    assert_eq!(health2["concepts"], health["concepts"]);
}

#[test]
fn sigterm_flushes_and_a_second_server_on_the_same_dir_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &[]);
    let (status, _) = server.request("GET", "/api/v1/health", None);
    assert_eq!(status, 200);

    let out = bin().args(["serve", "--bind", "127.0.0.1:0", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("in use by another process (a running glossary-server"), "{err}");

    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let mut lines = Vec::new();
    while let Ok(line) = server.log.recv_timeout(Duration::from_secs(30)) {
        lines.push(line);
    }
    assert!(lines.iter().any(|l| l.contains("stopped; store flushed")), "{lines:#?}");
}

#[test]
fn pretranslate_example_fills_an_xliff_file_from_the_tm() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &[]);
    let units = json!({"units": [
        {"src": "vi", "tgt": "en", "source": "Tình hữu nghị vĩ đại giữa hai dân tộc.", "target": "The great friendship between the two peoples."},
        {"src": "vi", "tgt": "en", "source": "Hai bên nhất trí tăng cường hợp tác.", "target": "The two sides agreed to strengthen cooperation."},
        {"src": "vi", "tgt": "en", "source": "Tổng Bí thư hội kiến Thủ tướng Lào.", "target": "The General Secretary met the Lao Prime Minister."}
    ]});
    let (status, _) = server.request("POST", "/api/v1/tm/units/bulk", Some(&units));
    assert_eq!(status, 200);
    let input = dir.path().join("speech.xlf");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../glossary/tests/data/xliff/sample-1.2.xlf"), &input)
        .unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../client-examples");
    let out = Command::new("python3")
        .arg(examples.join("pretranslate.py"))
        .arg(&input)
        .args(["--threshold", "75", "--base-url", &server.base])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("XLIFF 1.2, 8 segments"), "{stdout}");
    assert!(stdout.contains("exact matches (filled)                 3 segments      26 words"), "{stdout}");
    assert!(stdout.contains("fuzzy matches (filled, to review)      1 segments      10 words"), "{stdout}");
    assert!(stdout.contains("1 matches left as candidates"), "{stdout}");
    assert!(stdout.contains("67% of the words to translate are pre-translated"), "{stdout}");
    let written = std::fs::read_to_string(dir.path().join("speech.pretranslated.xlf")).unwrap();
    assert!(written.contains("state-qualifier=\"fuzzy-match\">The two sides agreed"), "{written}");

    // Errors come back as the server's code and message.
    let bad = dir.path().join("bad.xlf");
    std::fs::write(&bad, "<xliff version=\"1.1\"/>").unwrap();
    let out = Command::new("python3")
        .arg(examples.join("pretranslate.py"))
        .arg(&bad)
        .args(["--base-url", &server.base])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("server error 400 unsupported_format"));
}

#[test]
fn import_shows_progress_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("terms.tsv");
    let rows: String = (0..1500).map(|i| format!("thuật ngữ kiểm tra {i}\ttest term {i}\n")).collect();
    std::fs::write(&tsv, rows).unwrap();
    let data = dir.path().join("data");
    let import = |data: &Path| {
        format!(
            "{} import --create --data-dir {} {}",
            env!("CARGO_BIN_EXE_glossary-server"),
            data.display(),
            tsv.display()
        )
    };
    // Not a terminal: the report on stdout, nothing on stderr.
    let out = Command::new("sh").arg("-c").arg(import(&data)).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1500 entries: 1500 created"));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    // A terminal (util-linux `script` gives the command a pseudo-terminal):
    // the progress line is drawn on it.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let out = Command::new("script").args(["-qec", &import(&dir.path().join("data2")), "/dev/null"]).output().unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{screen}");
    assert!(screen.contains("checking the file"), "{screen}");
    assert!(screen.contains("1500 entries: 1500 created"), "{screen}");
}

#[test]
fn batch_suggest_prints_one_result_per_sentence() {
    let dir = tempfile::tempdir().unwrap();
    {
        let g = glossary::Glossary::open(dir.path(), &glossary::OpenOptions::default()).unwrap();
        g.seed_starter_if_new().unwrap();
        let draft = glossary::tm::TmUnitDraft {
            src_lang: glossary::Lang::new("vi").unwrap(),
            tgt_lang: glossary::Lang::new("en").unwrap(),
            source: "Đoàn đại biểu đến Viêng Chăn ngày 5/2/2026.".into(),
            target: "The delegation arrived in Vientiane on 5 February 2026.".into(),
            provenance: Default::default(),
            note: None,
            created_by: None,
            collection: None,
        };
        g.add_tm_units(vec![draft]).unwrap();
    }
    let input = "Đoàn đại biểu đến Viêng Chăn ngày 7/2/2026.\n\nHai nước có quan hệ đặc biệt.\n";
    let (code, out, err) = run_with_stdin(&["suggest", "--src", "vi", "--tgt", "en", "--json"], dir.path(), input);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["matches"][0]["adapted"]["target"], "The delegation arrived in Vientiane on 7 February 2026.");
    assert_eq!(lines[1]["matches"], json!([]));
    let (code, out, _) = run_with_stdin(
        &["suggest", "--src", "vi", "--tgt", "en"],
        dir.path(),
        "Đoàn đại biểu đến Viêng Chăn ngày 7/2/2026.\n",
    );
    assert_eq!(code, 0);
    assert!(out.contains("99.0% The delegation arrived in Vientiane on 7 February 2026. (adapted)"), "{out}");
    assert!(out.contains("term: Viêng Chăn = Vientiane"), "{out}");
}

/// The command-line traps of a new user: a data directory in use, and
/// keyword-in-context lines in text-mode `mine`.
#[test]
fn cli_explains_a_store_in_use_and_mine_prints_contexts() {
    let dir = tempfile::tempdir().unwrap();
    let server = RunningServer::start(dir.path(), &[]);
    let (code, _, err) = run_with_stdin(&["lookup", "--src", "vi"], dir.path(), "hữu nghị\n");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is in use by another process") && !err.contains("WouldBlock"), "{err}");
    drop(server);

    let doc = dir.path().join("doc.txt");
    std::fs::write(
        &doc,
        "Hai bên nhất trí tăng cường hợp tác toàn diện. Hợp tác toàn diện giữa hai nước phát triển mạnh.\n\
         Lãnh đạo hai nước khẳng định hợp tác toàn diện là ưu tiên.\n",
    )
    .unwrap();
    let out = bin().args(["mine", "--top", "5", "--contexts", "2"]).arg(&doc).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("doc.txt: …")).collect();
    assert!(!lines.is_empty(), "contexts printed in text mode: {text}");
    assert!(lines.iter().any(|l| l.contains("[hợp tác toàn diện]") || l.contains("[Hợp tác toàn diện]")), "{text}");
}

#[test]
fn import_into_a_named_collection() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("terms.tsv");
    std::fs::write(&tsv, "hòa bình\tpeace\nhợp tác\tcooperation\n").unwrap();
    let data = dir.path().join("data");
    let import = |extra: &[&str]| {
        bin().arg("import").arg("--create").arg("--data-dir").arg(&data).args(extra).arg(&tsv).output().unwrap()
    };
    let out = import(&[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Into another collection the same rows are new concepts there.
    let out = import(&["--collection", "mofa"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 entries: 2 created"), "{out:?}");
    let out = import(&["--collection", "Not Valid"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("collection"), "{out:?}");
    {
        let g = glossary::Glossary::open(&data, &glossary::OpenOptions::default()).unwrap();
        let counts: Vec<(String, u64)> = g.collections().iter().map(|c| (c.name.to_string(), c.concepts)).collect();
        assert_eq!(counts, [("default".to_string(), 2), ("mofa".to_string(), 2)]);
    }
    // Reads select collections: lookup, export (with the collection column
    // only when several are exported).
    let hits = |coll: &str| {
        let (code, out, err) = run_with_stdin(
            &["lookup", "--src", "vi", "--tgt", "en", "--json", "--collection", coll],
            &data,
            "hoa binh\n",
        );
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<serde_json::Value>(out.trim()).unwrap()["hits"].as_array().unwrap().len()
    };
    assert_eq!((hits("mofa"), hits("default,mofa"), hits("nosuch")), (1, 2, 0));
    let (code, _, err) = run_with_stdin(&["lookup", "--src", "vi", "--collection", "Bad!"], &data, "hoa binh\n");
    assert_ne!(code, 0);
    assert!(err.contains("collection"), "{err}");
    let export = |extra: &[&str]| {
        let out =
            bin().arg("export").arg("--data-dir").arg(&data).args(["--format", "tsv"]).args(extra).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(export(&["--collection", "mofa"]), "hòa bình\tpeace\nhợp tác\tcooperation\n");
    let both = export(&[]);
    assert!(both.contains("hòa bình\tpeace\t\tmofa\n") && both.contains("hòa bình\tpeace\t\tdefault\n"), "{both}");
}
