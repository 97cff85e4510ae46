//! `POST /api/v1/align`, `POST /api/v1/equivalents` and `glossary-server
//! align`, on texts written for these tests and on the gold documents.

use std::path::Path;
use std::process::Command;

use actix_web::test as atest;
use serde_json::{json, Value};

use crate::common::*;

const VI: &str = "Hai bên ký 14 văn kiện hợp tác tại Viêng Chăn. Lễ ký bắt đầu lúc 10 giờ 30 phút.\n\
Kim ngạch thương mại đạt 2,5 tỷ USD, tăng 12,4%. Con số này cao nhất từ năm 2020.\n\
Hai bên nhất trí tăng cường hợp tác toàn diện.";
const EN: &str = "The two sides signed 14 cooperation documents in Vientiane. \
Trade reached 2.5 billion USD, up 12.4%, the highest since 2020. \
They agreed to strengthen comprehensive cooperation.";

fn body(min_confidence: Option<f64>, use_glossary: bool) -> Value {
    let mut b = json!({
        "source": {"lang": "vi", "text": VI},
        "target": {"lang": "en", "text": EN},
        "use_glossary": use_glossary,
    });
    if let Some(m) = min_confidence {
        b["min_confidence"] = json!(m);
    }
    b
}

fn shapes(resp: &Value) -> Vec<String> {
    resp["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            format!(
                "{}..{}->{}..{} {}",
                l["src"]["start"],
                l["src"]["end"],
                l["tgt"]["start"],
                l["tgt"]["end"],
                l["kind"].as_str().unwrap()
            )
        })
        .collect()
}

#[actix_web::test]
async fn align_links_sentences_with_confidence_and_anchors() {
    let (_dir, state) = state(true);
    let app = atest::init_service(server::app(state)).await;
    let (status, resp) = send(&app, post_json("/api/v1/align", body(None, true))).await;
    assert_eq!(status, 200, "{resp}");
    // The time of the ceremony was not translated; the two trade sentences were merged.
    assert_eq!(shapes(&resp), ["0..1->0..1 1-1", "1..2->1..1 1-0", "2..4->1..2 2-1", "4..5->2..3 1-1"], "{resp:#}");
    let merged = &resp["links"][2];
    assert_eq!(merged["src_text"], "Kim ngạch thương mại đạt 2,5 tỷ USD, tăng 12,4%. Con số này cao nhất từ năm 2020.");
    assert_eq!(merged["tgt_text"], "Trade reached 2.5 billion USD, up 12.4%, the highest since 2020.");
    let anchors: Vec<&str> = merged["anchors"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    for a in ["number:2.5", "number:12.4%", "number:2020"] {
        assert!(anchors.contains(&a), "{a} not in {anchors:?}");
    }
    // Glossary terms from the starter glossary anchor the first and last links.
    let first: Vec<&str> =
        resp["links"][0]["anchors"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(first.contains(&"term:Viêng Chăn"), "{first:?}");
    assert!(resp["links"][3]["anchors"].as_array().unwrap().contains(&json!("term:hợp tác toàn diện")));
    for l in resp["links"].as_array().unwrap() {
        let c = l["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c), "{l}");
    }
    assert!(resp["links"][2]["confidence"].as_f64().unwrap() > 0.5, "{resp:#}");
    // The 1-0 link has a source span and no target span.
    let dropped = &resp["links"][1];
    assert_eq!(dropped["src_text"], "Lễ ký bắt đầu lúc 10 giờ 30 phút.");
    assert_eq!(dropped["tgt_text"], "");
    assert!(dropped.get("tgt_span").is_none());
    let span = &dropped["src_span"];
    let (b0, b1) = (span["byte_start"].as_u64().unwrap() as usize, span["byte_end"].as_u64().unwrap() as usize);
    assert_eq!(&VI[b0..b1], "Lễ ký bắt đầu lúc 10 giờ 30 phút.");
    assert_eq!(span["char_end"].as_u64().unwrap() - span["char_start"].as_u64().unwrap(), 33);
    assert!(b1 - b0 > 33, "bytes and characters differ for Vietnamese");

    let stats = &resp["stats"];
    assert_eq!(stats["src_sentences"], 5);
    assert_eq!(stats["tgt_sentences"], 3);
    assert_eq!(stats["links"], 4);
    assert_eq!(stats["by_kind"], json!({"1-0": 1, "1-1": 2, "2-1": 1}));
    assert!(stats["lexicon_entries"].as_u64().unwrap() > 100);
    assert!(stats.get("band").is_none(), "small documents are searched without a band");
}

#[actix_web::test]
async fn min_confidence_filters_and_glossary_anchors_can_be_turned_off() {
    let (_dir, state) = state(true);
    let app = atest::init_service(server::app(state)).await;
    let (_, all) = send(&app, post_json("/api/v1/align", body(None, false))).await;
    assert_eq!(all["stats"]["lexicon_entries"], 0);
    assert!(all["links"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| { l["anchors"].as_array().unwrap().iter().all(|a| !a.as_str().unwrap().starts_with("term:")) }));
    let mut confidences: Vec<f64> =
        all["links"].as_array().unwrap().iter().map(|l| l["confidence"].as_f64().unwrap()).collect();
    confidences.sort_by(f64::total_cmp);
    // A threshold just above the weakest link removes exactly that one.
    let threshold = confidences[0] + 0.0005;
    let (status, some) = send(&app, post_json("/api/v1/align", body(Some(threshold), false))).await;
    assert_eq!(status, 200);
    assert_eq!(some["stats"]["links"], confidences.len() - 1);
    assert_eq!(some["stats"]["below_min_confidence"], 1);
    assert!(some["links"].as_array().unwrap().iter().all(|l| l["confidence"].as_f64().unwrap() >= threshold));
}

#[actix_web::test]
async fn align_rejects_bad_input_with_stable_codes() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    let mut bad_lang = body(None, true);
    bad_lang["target"]["lang"] = json!("english_US");
    let got = send(&app, post_json("/api/v1/align", bad_lang)).await;
    assert_error(&got, 400, "invalid_language_tag");
    assert_eq!(got.1["field"], "target.lang");

    let got = send(&app, post_json("/api/v1/align", body(Some(1.5), true))).await;
    assert_error(&got, 400, "invalid_input");
    assert_eq!(got.1["field"], "min_confidence");

    let got = send(&app, post_json("/api/v1/align", json!({"source": {"lang": "vi", "text": "x"}}))).await;
    assert_error(&got, 400, "invalid_body");
    let got = send(
        &app,
        post_json(
            "/api/v1/align",
            json!({"source": {"lang": "vi", "text": "x", "title": "t"}, "target": {"lang": "en", "text": "y"}}),
        ),
    )
    .await;
    assert_error(&got, 400, "invalid_body");

    // A document over 2 MiB inside a body under the 5 MiB limit.
    let big = "Câu. ".repeat(2 * 1024 * 1024 / 6 + 10_000);
    let got = send(
        &app,
        post_json(
            "/api/v1/align",
            json!({"source": {"lang": "vi", "text": big}, "target": {"lang": "en", "text": "x"}}),
        ),
    )
    .await;
    assert_error(&got, 400, "invalid_input");
    assert_eq!(got.1["field"], "source.text");

    // A body over 5 MiB.
    let huge = "a".repeat(5 * 1024 * 1024 + 1);
    let got = send(
        &app,
        post_json(
            "/api/v1/align",
            json!({"source": {"lang": "vi", "text": huge}, "target": {"lang": "en", "text": "x"}}),
        ),
    )
    .await;
    assert_error(&got, 413, "payload_too_large");

    let req = atest::TestRequest::post()
        .uri("/api/v1/align")
        .insert_header(("Content-Type", "application/json"))
        .set_payload("{\"source\": ");
    assert_error(&send(&app, req).await, 400, "invalid_json");
}

#[actix_web::test]
async fn align_needs_a_key_when_keys_are_configured() {
    let (_dir, state) = state_with_auth(false, server::Auth::new(vec!["k1".into()], false));
    let app = atest::init_service(server::app(state)).await;
    assert_error(&send(&app, post_json("/api/v1/align", body(None, false))).await, 401, "unauthorized");
    let (status, _) =
        send(&app, post_json("/api/v1/align", body(None, false)).insert_header(("X-API-Key", "k1"))).await;
    assert_eq!(status, 200);
}

fn cohesion_request() -> Value {
    json!({
        "term": "gắn kết chiến lược",
        "src": "vi",
        "tgt": "en",
        "pairs": [
            {"source": "Hai bên nhất trí thúc đẩy hợp tác toàn diện và gắn kết chiến lược.",
             "target": "The two sides agreed to promote comprehensive cooperation and strategic cohesion."},
            {"source": "Gắn kết chiến lược giữa hai nền kinh tế ngày càng chặt chẽ.",
             "target": "The strategic cohesion between the two economies is growing ever closer."},
            {"source": "Quan hệ đặc biệt và gắn kết chiến lược là tài sản vô giá.",
             "target": "The special relationship and strategic cohesion are a priceless asset."},
            {"source": "Hai bên nhất trí tăng cường hợp tác kinh tế.",
             "target": "The two sides agreed to strengthen economic cooperation."},
            {"source": "Đây là một chiến lược dài hạn.", "target": "This is a long-term strategy."}
        ]
    })
}

#[actix_web::test]
async fn equivalents_are_ranked_with_counts_and_supporting_pairs() {
    // A glossary without "gắn kết chiến lược" but with its neighbours: the
    // starter glossary minus that concept is modelled by an empty glossary
    // plus two concepts.
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    for (vi, en) in [("hợp tác toàn diện", "comprehensive cooperation"), ("quan hệ đặc biệt", "special relationship")]
    {
        let concept = json!({"terms": [{"lang": "vi", "text": vi}, {"lang": "en", "text": en}]});
        assert_eq!(send(&app, post_json("/api/v1/concepts", concept)).await.0, 201);
    }
    let (status, resp) = send(&app, post_json("/api/v1/equivalents", cohesion_request())).await;
    assert_eq!(status, 200, "{resp}");
    assert_eq!(resp["term"], "gắn kết chiến lược");
    assert_eq!(resp["pairs"], 5);
    assert_eq!(resp["term_pairs"], 3);
    assert_eq!(resp["anchors_removed"], 2);
    let top = &resp["proposals"][0];
    assert_eq!(top["text"], "strategic cohesion", "{resp:#}");
    assert_eq!(top["dice"], 1.0);
    assert_eq!(top["joint"], 3);
    assert_eq!(top["candidate_pairs"], 3);
    let support: Vec<u64> = top["support"].as_array().unwrap().iter().map(|s| s["index"].as_u64().unwrap()).collect();
    assert_eq!(support, [0, 1, 2]);
    assert_eq!(top["support"][1]["target"], "The strategic cohesion between the two economies is growing ever closer.");
    // Known equivalents were removed before counting.
    assert!(resp["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| !p["text"].as_str().unwrap().contains("relationship")));

    // Without the glossary, "special relationship" is a candidate again.
    let mut req = cohesion_request();
    req["use_glossary"] = json!(false);
    req["limit"] = json!(50);
    let (_, resp) = send(&app, post_json("/api/v1/equivalents", req)).await;
    assert_eq!(resp["anchors_removed"], 0);
    assert!(resp["proposals"].as_array().unwrap().iter().any(|p| p["text"] == "special relationship"), "{resp:#}");
}

#[actix_web::test]
async fn equivalents_reject_bad_input() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    let cases: Vec<(Value, u16, &str, Option<&str>)> = vec![
        (json!({"term": " ", "src": "vi", "tgt": "en", "pairs": []}), 400, "invalid_input", Some("term")),
        (json!({"term": "x".repeat(501), "src": "vi", "tgt": "en", "pairs": []}), 400, "invalid_input", Some("term")),
        (json!({"term": "x", "src": "vi", "tgt": "e", "pairs": []}), 400, "invalid_language_tag", Some("tgt")),
        (
            json!({"term": "x", "src": "vi", "tgt": "en", "pairs": [], "max_words": 9}),
            400,
            "invalid_input",
            Some("max_words"),
        ),
        (json!({"term": "x", "src": "vi", "tgt": "en", "pairs": [], "limit": 0}), 400, "invalid_input", Some("limit")),
        (
            json!({"term": "x", "src": "vi", "tgt": "en", "pairs": [{"source": "a".repeat(5001), "target": "b"}]}),
            400,
            "invalid_input",
            Some("pairs[0].source"),
        ),
        (json!({"term": "x", "src": "vi", "tgt": "en", "pairs": [{"source": "a"}]}), 400, "invalid_body", None),
        (json!({"term": "x", "src": "vi", "tgt": "en", "pairs": [], "measure": "pmi"}), 400, "invalid_body", None),
    ];
    for (req, status, code, field) in cases {
        let got = send(&app, post_json("/api/v1/equivalents", req.clone())).await;
        assert_error(&got, status, code);
        if let Some(f) = field {
            assert_eq!(got.1["field"], f, "{req}");
        }
    }
    let pairs: Vec<Value> = (0..5001).map(|_| json!({"source": "a", "target": "b"})).collect();
    let got =
        send(&app, post_json("/api/v1/equivalents", json!({"term": "x", "src": "vi", "tgt": "en", "pairs": pairs})))
            .await;
    assert_error(&got, 400, "invalid_input");
    assert_eq!(got.1["field"], "pairs");
}

#[test]
fn cli_align_prints_json_covering_both_documents() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../glossary/tests/data/align/03-investment-forum");
    let out = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
        .args(["align", "--src", "vi", "--tgt", "en", "--json"])
        .arg(dir.join("vi.txt"))
        .arg(dir.join("en.txt"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let resp: Value = serde_json::from_slice(&out.stdout).unwrap();
    let links = resp["links"].as_array().unwrap();
    // Every sentence of both documents is covered once, in order.
    let (mut next_src, mut next_tgt) = (0, 0);
    for l in links {
        let (s0, s1) = (l["src"]["start"].as_u64().unwrap(), l["src"]["end"].as_u64().unwrap());
        let (t0, t1) = (l["tgt"]["start"].as_u64().unwrap(), l["tgt"]["end"].as_u64().unwrap());
        if s1 > s0 {
            assert_eq!(s0, next_src);
            next_src = s1;
        }
        if t1 > t0 {
            assert_eq!(t0, next_tgt);
            next_tgt = t1;
        }
    }
    assert_eq!(next_src, resp["stats"]["src_sentences"].as_u64().unwrap());
    assert_eq!(next_tgt, resp["stats"]["tgt_sentences"].as_u64().unwrap());
    // The merge in the gold file: vi 5 and 6 ("... 642,5 triệu USD." + "tăng 18,7%") → en 5.
    assert!(links.iter().any(|l| l["kind"] == "2-1" && l["src"]["start"] == 5 && l["tgt"]["start"] == 5), "{resp:#}");

    // Plain text output, and an honest error for a missing file.
    let out = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
        .args(["align", "--no-glossary"])
        .arg(dir.join("vi.txt"))
        .arg(dir.join("en.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[2-1 ") && text.contains("  en: Imports from Laos amounted to 341.3 million USD"), "{text}");
    let out = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
        .args(["align", "/nonexistent/vi.txt", "x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/vi.txt"));
}

#[test]
fn cli_equivalents_from_aligned_documents_and_from_pairs() {
    // Two gold documents, concatenated, aligned by the command itself.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../glossary/tests/data/align");
    let dir = tempfile::tempdir().unwrap();
    let (vi, en) = (dir.path().join("vi.txt"), dir.path().join("en.txt"));
    let read = |doc: &str, f: &str| std::fs::read_to_string(data.join(doc).join(f)).unwrap();
    std::fs::write(&vi, read("02-joint-statement", "vi.txt") + "\n" + &read("06-banquet-speech", "vi.txt")).unwrap();
    std::fs::write(&en, read("02-joint-statement", "en.txt") + "\n" + &read("06-banquet-speech", "en.txt")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
        .args(["equivalents", "--term", "gắn kết chiến lược", "--json"])
        .arg(&vi)
        .arg(&en)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let resp: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The term occurs inside the four-part formula in both documents; the
    // starter glossary's other three parts are removed as anchors, so the
    // remaining n-gram wins.
    assert_eq!(resp["term_pairs"], 2, "{resp:#}");
    assert_eq!(resp["proposals"][0]["text"], "strategic cohesion", "{resp:#}");
    assert!(resp["proposals"].as_array().unwrap().iter().all(|p| p["text"] != "comprehensive cooperation"));

    // Pairs from a TSV file; a line without a tab is reported.
    let pairs = dir.path().join("pairs.tsv");
    std::fs::write(
        &pairs,
        "Tham vấn chính trị lần thứ 10.\tThe 10th political consultation.\n\
         Hai bên tổ chức tham vấn chính trị thường niên.\tThe two sides hold an annual political consultation.\n\
         Hai bên trao đổi về tình hình khu vực.\tThe two sides discussed the regional situation.\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
        .args(["equivalents", "--no-glossary", "--term", "tham vấn chính trị", "--pairs"])
        .arg(&pairs)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("tham vấn chính trị: in 2 of 3 pairs"), "{text}");
    assert!(text.lines().nth(1).unwrap().trim_start().starts_with("political consultation "), "{text}");
    std::fs::write(&pairs, "no tab here\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
        .args(["equivalents", "--term", "x", "--pairs"])
        .arg(&pairs)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1: expected source<TAB>target"));
}

#[actix_web::test]
async fn aligned_pairs_go_into_the_tm_and_feed_equivalents() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../glossary/tests/data/align");
    let mut stored_total = 0;
    for name in ["01-state-visit", "02-joint-statement", "05-political-consultation"] {
        let vi = std::fs::read_to_string(docs.join(name).join("vi.txt")).unwrap();
        let en = std::fs::read_to_string(docs.join(name).join("en.txt")).unwrap();
        let req = json!({
            "source": {"lang": "vi", "text": vi},
            "target": {"lang": "en", "text": en},
            "store": {"min_confidence": 0.8, "document": name, "title": format!("test document {name}")}
        });
        let (status, resp) = send(&app, post_json("/api/v1/align", req.clone())).await;
        assert_eq!(status, 200, "{resp}");
        let stored = &resp["stored"];
        let created = stored["created"].as_u64().unwrap();
        let confident = resp["links"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["confidence"].as_f64().unwrap() >= 0.8 && !matches!(l["kind"].as_str(), Some("1-0" | "0-1")))
            .count() as u64;
        assert_eq!(created + stored["merged"].as_u64().unwrap(), confident, "{name}: {stored}");
        assert!(created > 5, "{name}: {stored}");
        stored_total += created;
        // Aligning the same documents again merges instead of duplicating.
        let (_, again) = send(&app, post_json("/api/v1/align", req)).await;
        assert_eq!(again["stored"]["created"], 0, "{name}");
    }
    let (_, page) = send(&app, get("/api/v1/tm/units?limit=1")).await;
    assert_eq!(page["total"].as_u64(), Some(stored_total));
    assert!(page["items"][0]["provenance"]["document"].as_str().unwrap().starts_with("0"));
    assert_eq!(page["items"][0]["created_by"], "alignment");

    // Equivalents with no pairs sent read them from the TM.
    let req = json!({"term": "gắn kết chiến lược", "src": "vi", "tgt": "en", "use_glossary": false});
    let (status, resp) = send(&app, post_json("/api/v1/equivalents", req)).await;
    assert_eq!(status, 200, "{resp}");
    assert!(resp["term_pairs"].as_u64().unwrap() >= 1, "{resp:#}");
    assert_eq!(resp["pairs"].as_u64(), Some(stored_total));
    let texts: Vec<&str> = resp["proposals"].as_array().unwrap().iter().map(|p| p["text"].as_str().unwrap()).collect();
    assert!(texts.iter().take(3).any(|t| t.contains("strategic cohesion") || t.contains("strategic")), "{texts:?}");
    let bad = json!({"source": {"lang": "vi", "text": "a"}, "target": {"lang": "en", "text": "b"}, "store": {"min_confidence": 2}});
    assert_error(&send(&app, post_json("/api/v1/align", bad)).await, 400, "invalid_input");
}

#[test]
fn cli_equivalents_from_the_tm() {
    let dir = tempfile::tempdir().unwrap();
    {
        let g = glossary::Glossary::open(dir.path(), &glossary::OpenOptions::default()).unwrap();
        let pairs = cohesion_request();
        let drafts = pairs["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| glossary::tm::TmUnitDraft {
                src_lang: glossary::Lang::new("vi").unwrap(),
                tgt_lang: glossary::Lang::new("en").unwrap(),
                source: p["source"].as_str().unwrap().into(),
                target: p["target"].as_str().unwrap().into(),
                provenance: Default::default(),
                note: None,
                created_by: None,
                collection: None,
            })
            .collect();
        g.add_tm_units(drafts).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
        .args(["equivalents", "--term", "gắn kết chiến lược", "--from-tm", "--json", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let resp: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(resp["pairs"], 5);
    assert_eq!(resp["term_pairs"], 3);
    assert_eq!(resp["proposals"][0]["text"], "strategic cohesion", "{resp:#}");
}

#[actix_web::test]
async fn align_uses_a_word_table_from_the_tm_and_reports_its_pairs() {
    let (_dir, state) = state(true);
    let g = state.glossary.clone();
    let (vi, en) = (glossary::Lang::new("vi").unwrap(), glossary::Lang::new("en").unwrap());
    let topics = [("kinh tế", "economic"), ("giáo dục", "education"), ("văn hóa", "cultural"), ("du lịch", "tourism")];
    let drafts: Vec<glossary::tm::TmUnitDraft> = (0..250)
        .map(|k| {
            let (tv, te) = topics[k % topics.len()];
            glossary::tm::TmUnitDraft {
                src_lang: vi.clone(),
                tgt_lang: en.clone(),
                source: format!("Hai bên nhất trí tăng cường hợp tác {tv} trong giai đoạn {k}."),
                target: format!("The two sides agreed to strengthen {te} cooperation in phase {k}."),
                provenance: Default::default(),
                note: None,
                created_by: None,
                collection: None,
            }
        })
        .collect();
    off_runtime(|| g.add_tm_units(drafts).unwrap());
    let app = atest::init_service(server::app(state)).await;

    // The first request finds no table and has one built in the background.
    let (status, first) = send(&app, post_json("/api/v1/align", body(None, true))).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["stats"]["tm_pairs"], 0, "{first:#}");
    let mut built = false;
    for _ in 0..600 {
        if off_runtime(|| g.tm_word_table(&vi, &en).0.is_some()) {
            built = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(built, "the TM word table was not built in the background");

    let (status, with_tm) = send(&app, post_json("/api/v1/align", body(None, true))).await;
    assert_eq!(status, 200, "{with_tm}");
    assert_eq!(with_tm["stats"]["tm_pairs"], 250, "{:#}", with_tm["stats"]);
    assert_eq!(shapes(&with_tm), ["0..1->0..1 1-1", "1..2->1..1 1-0", "2..4->1..2 2-1", "4..5->2..3 1-1"]);

    // `use_tm: false` gives the result without a table.
    let mut off = body(None, true);
    off["use_tm"] = json!(false);
    let (status, without) = send(&app, post_json("/api/v1/align", off)).await;
    assert_eq!(status, 200, "{without}");
    assert_eq!(without, first);
    assert_eq!(without["stats"]["tm_pairs"], 0);
}
