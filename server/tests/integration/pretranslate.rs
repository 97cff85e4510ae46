//! `POST /api/v1/pretranslate` and `glossary-server pretranslate`: XLIFF
//! 1.2 and 2.1 files filled from the TM, their outputs validated with the
//! official schemas, and OmegaT opening the 1.2 output when installed.

use std::path::Path;
use std::process::Command;

use actix_web::test as atest;
use serde_json::{json, Value};

use crate::common::*;

const SAMPLE_12: &str = include_str!("../../../glossary/tests/data/xliff/sample-1.2.xlf");
const SAMPLE_21: &str = include_str!("../../../glossary/tests/data/xliff/sample-2.1.xlf");

/// The TM the samples are written against.
fn tm_units() -> Value {
    let pairs = [
        ("Tình hữu nghị vĩ đại giữa hai dân tộc.", "The great friendship between the two peoples."),
        ("Hai bên nhất trí tăng cường hợp tác.", "The two sides agreed to strengthen cooperation."),
        ("Tổng Bí thư hội kiến Thủ tướng Lào.", "The General Secretary met the Lao Prime Minister."),
    ];
    let units: Vec<Value> =
        pairs.iter().map(|(s, t)| json!({"src": "vi", "tgt": "en", "source": s, "target": t})).collect();
    json!({ "units": units })
}

fn post_xliff(uri: &str, content_type: &str, body: &str) -> atest::TestRequest {
    atest::TestRequest::post().uri(uri).insert_header(("content-type", content_type)).set_payload(body.to_string())
}

macro_rules! app_with_tm {
    () => {{
        let (dir, state) = state(true);
        let app = atest::init_service(server::app(state)).await;
        let (status, body) = send(&app, post_json("/api/v1/tm/units/bulk", tm_units())).await;
        assert_eq!(status, 200, "{body}");
        (dir, app)
    }};
}

#[actix_web::test]
async fn pretranslation_answers_the_file_with_its_report() {
    let (_dir, app) = app_with_tm!();
    let (status, headers, doc) =
        raw(&app, post_xliff("/api/v1/pretranslate", "application/xliff+xml", SAMPLE_12)).await;
    assert_eq!(status, 200, "{doc}");
    assert_eq!(header(&headers, "content-type"), "application/xliff+xml");
    let report: Value = serde_json::from_str(header(&headers, "x-pretranslate-report")).unwrap();
    assert_eq!(report["version"], "1.2");
    assert_eq!(report["segments"], 8);
    assert_eq!(report["exact"], json!({"segments": 3, "words": 26}));
    assert_eq!(report["candidate"], json!({"segments": 2, "words": 18}));
    assert_eq!(report["none"], json!({"segments": 1, "words": 10}));
    assert_eq!(report["codes_not_placed"], 1);
    assert!(doc.contains(
        "<target xml:lang=\"en\" state=\"translated\" state-qualifier=\"exact-match\">The General Secretary met the Lao <g id=\"1\">Prime Minister</g>.</target>"
    ));
    assert!(doc.contains("<note from=\"glossary\" annotates=\"source\">Thủ tướng = Prime Minister"), "{doc}");

    // The same as JSON, with the file inside.
    let (status, _, body) =
        raw(&app, post_xliff("/api/v1/pretranslate?report=json", "application/xml", SAMPLE_12)).await;
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["report"], report);
    assert_eq!(answer["document"], doc.as_str());

    // A lower threshold fills the fuzzy match; src/tgt override the file's.
    let uri = "/api/v1/pretranslate?threshold=75&src=vi&tgt=en&overwrite=false";
    let (status, headers, doc) = raw(&app, post_xliff(uri, "application/xliff+xml", SAMPLE_21)).await;
    assert_eq!(status, 200, "{doc}");
    let report: Value = serde_json::from_str(header(&headers, "x-pretranslate-report")).unwrap();
    assert_eq!(report["fuzzy"], json!({"segments": 1, "words": 10}), "{report}");
    assert!(doc.contains("<segment id=\"s3\" state=\"initial\" subState=\"glossary-server:fuzzy-match\">"), "{doc}");
}

#[actix_web::test]
async fn unusable_requests_get_their_codes() {
    let (_dir, app) = app_with_tm!();
    let xliff = "application/xliff+xml";
    let no_target = "<xliff version=\"1.2\"><file source-language=\"vi\"><body/></file></xliff>";
    let cases: &[(&str, &str, &str, u16, &str)] = &[
        ("/api/v1/pretranslate", xliff, "<tmx version=\"1.4\"/>", 400, "invalid_document"),
        ("/api/v1/pretranslate", xliff, "<xliff version=\"1.1\"/>", 400, "unsupported_format"),
        ("/api/v1/pretranslate", xliff, "<xliff version=\"1.2\"><file>", 400, "invalid_xml"),
        ("/api/v1/pretranslate", xliff, "<!DOCTYPE x [<!ENTITY a \"b\">]><xliff>&a;</xliff>", 400, "unsafe_xml"),
        ("/api/v1/pretranslate", xliff, no_target, 400, "invalid_input"),
        ("/api/v1/pretranslate?threshold=10", xliff, SAMPLE_12, 400, "invalid_input"),
        ("/api/v1/pretranslate?tgt=en_%20", xliff, SAMPLE_12, 400, "invalid_language_tag"),
        ("/api/v1/pretranslate?report=xml", xliff, SAMPLE_12, 400, "invalid_query"),
        ("/api/v1/pretranslate", "application/x-www-form-urlencoded", SAMPLE_12, 415, "unsupported_media_type"),
        ("/api/v1/pretranslate", "multipart/form-data; boundary=x", SAMPLE_12, 415, "unsupported_media_type"),
    ];
    for (uri, content_type, body, status, code) in cases {
        let (got, _, answer) = raw(&app, post_xliff(uri, content_type, body)).await;
        let answer: Value = serde_json::from_str(&answer).unwrap_or(Value::Null);
        assert_error(&(got, answer), *status, code);
    }
    let limit = server::routes::pretranslate::MAX_PRETRANSLATE_BYTES;
    let body = format!("<xliff>{}</xliff>", " ".repeat(limit));
    let big =
        atest::TestRequest::post().uri("/api/v1/pretranslate").insert_header(("content-type", xliff)).set_payload(body);
    let (status, _, answer) = raw(&app, big).await;
    assert_error(&(status, serde_json::from_str(&answer).unwrap()), 413, "import_too_large");
}

fn installed(tool: &str) -> bool {
    Command::new(tool).arg("--help").output().is_ok()
}

#[test]
fn cli_outputs_validate_against_the_xliff_schemas_and_omegat_opens_them() {
    let Some(std_dir) = standards() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bin = env!("CARGO_BIN_EXE_glossary-server");
    let (ok, log) = passes(Command::new(bin).arg("seed").arg("--data-dir").arg(&data));
    assert!(ok, "{log}");
    let tmx = dir.path().join("tm.tmx");
    let mut doc = String::from(
        "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" \
         segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"vi\" datatype=\"plaintext\"/><body>\n",
    );
    for u in tm_units()["units"].as_array().unwrap() {
        doc.push_str(&format!(
            "<tu><tuv xml:lang=\"vi\"><seg>{}</seg></tuv><tuv xml:lang=\"en\"><seg>{}</seg></tuv></tu>\n",
            u["source"].as_str().unwrap(),
            u["target"].as_str().unwrap()
        ));
    }
    doc.push_str("</body></tmx>\n");
    std::fs::write(&tmx, doc).unwrap();
    let (ok, log) = passes(Command::new(bin).arg("import").arg("--data-dir").arg(&data).arg(&tmx));
    assert!(ok, "{log}");

    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../glossary/tests/data/xliff");
    let mut outputs = Vec::new();
    let runs = [
        ("sample-1.2.xlf", "75"),
        ("sample-2.1.xlf", "75"),
        ("sample-2.1.xlf", "100"),
        ("sample-1.2-segmented.xlf", "75"),
    ];
    for (name, threshold) in runs {
        let out = dir.path().join(format!("{threshold}-{name}"));
        let (ok, report) = passes(
            Command::new(bin)
                .args(["pretranslate", "--threshold", threshold, "--data-dir"])
                .arg(&data)
                .arg(samples.join(name))
                .arg("--output")
                .arg(&out),
        );
        assert!(ok, "{report}");
        assert!(report.contains("exact                   3 segments"), "{report}");
        outputs.push(out);
    }
    // stdout without --output, the report as JSON on stderr.
    let out = Command::new(bin)
        .args(["pretranslate", "--json", "--data-dir"])
        .arg(&data)
        .arg(samples.join("sample-1.2.xlf"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(report["none"], json!({"segments": 1, "words": 10}));
    assert!(String::from_utf8_lossy(&out.stdout).contains("state-qualifier=\"exact-match\""));

    if !installed("xmllint") {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI: xmllint is missing (.ci/run installs it)");
        eprintln!("skipped: xmllint is not installed");
        return;
    }
    let xliff = std_dir.join("schemas/xliff");
    let v12 = |f: &Path| {
        passes(
            Command::new("xmllint")
                .env("XML_CATALOG_FILES", xliff.join("1.2/catalog.xml"))
                .args(["--noout", "--nonet", "--schema"])
                .arg(xliff.join("1.2/xliff-core-1.2-strict.xsd"))
                .arg(f),
        )
    };
    // Core, Translation Candidates and Glossary modules in one driver.
    let driver = dir.path().join("xliff21-core-matches-glossary.xsd");
    let import = |ns: &str, file: &str| {
        format!("<xs:import namespace=\"{ns}\" schemaLocation=\"{}\"/>", xliff.join("2.1").join(file).display())
    };
    std::fs::write(
        &driver,
        format!(
            "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">{}{}{}</xs:schema>",
            import("urn:oasis:names:tc:xliff:document:2.0", "xliff_core_2.0.xsd"),
            import("urn:oasis:names:tc:xliff:matches:2.0", "matches.xsd"),
            import("urn:oasis:names:tc:xliff:glossary:2.0", "glossary.xsd"),
        ),
    )
    .unwrap();
    let v21 = |f: &Path| passes(Command::new("xmllint").args(["--noout", "--nonet", "--schema"]).arg(&driver).arg(f));
    for f in [&outputs[0], &outputs[3]] {
        let (ok, log) = v12(f);
        assert!(ok, "XLIFF 1.2 strict: {log}");
    }
    for f in &outputs[1..3] {
        let (ok, log) = v21(f);
        assert!(ok, "XLIFF 2.1 + modules: {log}");
    }
    // The validators do reject: the standards' invalid samples fail.
    assert!(!v12(&std_dir.join("samples/xliff12-invalid.xlf")).0);
    assert!(!v21(&std_dir.join("samples/xliff21-invalid.xlf")).0);
    assert!(!v21(&outputs[0]).0, "a 1.2 file is not 2.1");

    if installed("jing") {
        for sch in ["xliff_core_2.1.sch", "matches.sch", "glossary.sch"] {
            for f in &outputs[1..3] {
                let (ok, log) = passes(Command::new("jing").arg(xliff.join("2.1").join(sch)).arg(f));
                assert!(ok, "{sch} on {}: {log}", f.display());
            }
        }
    } else {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI: jing is missing (.ci/run installs it)");
        eprintln!("skipped: jing is not installed");
    }

    // OmegaT 3.6 opens the 1.2 output: its XLIFF filter takes the units
    // with a target (5 here: 3 exact, 1 fuzzy, 1 kept).
    if !installed("omegat") {
        eprintln!("skipped: omegat is not installed (apt-get install omegat)");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/omegat_xliff_check.sh");
    let (ok, log) = passes(Command::new("bash").arg(script).arg(&outputs[0]).arg("5"));
    assert!(ok, "{log}");
    assert!(log.contains("OmegaT loaded 75-sample-1.2.xlf: 5 segments"), "{log}");
}
