//! The web workspace: its files as served (types, caching, the page shell
//! for client-side routes, open under protected reads), the consistency
//! of its scripts and strings, and the browser walk-through in headless
//! Chromium (`tests/tools/ui_workspace.py`).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use actix_web::http::header;
use actix_web::test as atest;
use server::Auth;

use crate::common::*;

/// Status, a header and the body text of a GET.
async fn fetch<S, B>(app: &S, uri: &str, if_none_match: Option<&str>) -> (u16, header::HeaderMap, String)
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let mut req = atest::TestRequest::get().uri(uri);
    if let Some(tag) = if_none_match {
        req = req.insert_header((header::IF_NONE_MATCH, tag));
    }
    let resp = atest::call_service(app, req.to_request()).await;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = String::from_utf8(atest::read_body(resp).await.to_vec()).unwrap();
    (status, headers, body)
}

fn header_of(h: &header::HeaderMap, name: header::HeaderName) -> &str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

#[actix_web::test]
async fn files_shell_redirect_and_caching() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;

    let (status, h, _) = fetch(&app, "/", None).await;
    assert_eq!((status, header_of(&h, header::LOCATION)), (307, "/ui/"));

    // The shell for the workspace's own routes, files with their types.
    let check = |uri: &'static str, status: u16, content_type: &'static str, needle: &'static str| {
        (uri, status, content_type, needle)
    };
    let cases = [
        check("/ui/", 200, "text/html; charset=utf-8", "<script type=\"module\" src=\"/ui/js/app.js\">"),
        check("/ui/lookup?q=huu%20nghi%20vi%20dai", 200, "text/html; charset=utf-8", "<main id=\"main\""),
        check("/ui/concepts/c12", 200, "text/html; charset=utf-8", "<main id=\"main\""),
        check("/ui/review", 200, "text/html; charset=utf-8", "<main id=\"main\""),
        check("/ui/js/app.js", 200, "text/javascript; charset=utf-8", "export async function route"),
        check("/ui/i18n/vi.js", 200, "text/javascript; charset=utf-8", "'nav.lookup': 'Tra cứu'"),
        check("/ui/app.css", 200, "text/css; charset=utf-8", ":focus-visible"),
        check("/ui/favicon.svg", 200, "image/svg+xml", "<svg"),
        check("/ui/js/missing.js", 404, "text/plain; charset=utf-8", "no workspace file"),
    ];
    for (uri, want_status, want_type, needle) in cases {
        let (status, h, body) = fetch(&app, uri, None).await;
        assert_eq!(status, want_status, "{uri}");
        assert_eq!(header_of(&h, header::CONTENT_TYPE), want_type, "{uri}");
        assert!(body.contains(needle), "{uri}: {needle:?} not in the body");
        assert_eq!(header_of(&h, header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{uri}");
        if status == 200 {
            assert_eq!(header_of(&h, header::CACHE_CONTROL), "no-cache", "{uri}");
            assert!(header_of(&h, header::CONTENT_SECURITY_POLICY).contains("script-src 'self'"), "{uri}");
        }
    }

    // Revalidation: the entity tag gives a 304 without a body.
    let (_, h, _) = fetch(&app, "/ui/js/api.js", None).await;
    let etag = header_of(&h, header::ETAG).to_string();
    assert!(etag.starts_with('"') && etag.len() > 4, "{etag}");
    let (status, _, body) = fetch(&app, "/ui/js/api.js", Some(&etag)).await;
    assert_eq!((status, body.as_str()), (304, ""));
    let (status, _, _) = fetch(&app, "/ui/js/api.js", Some("\"other\"")).await;
    assert_eq!(status, 200);

    // Not in the API description.
    assert!(!server::openapi_json().contains("/ui/"));
}

#[actix_web::test]
async fn the_workspace_loads_when_reads_need_a_key() {
    let (_dir, state) = state_with_auth(false, Auth::new(vec!["k".into()], true));
    let app = atest::init_service(server::app(state)).await;
    assert_eq!(fetch(&app, "/ui/lookup", None).await.0, 200);
    assert_eq!(fetch(&app, "/ui/js/app.js", None).await.0, 200);
    assert_eq!(fetch(&app, "/", None).await.0, 307);
    // The API behind it still wants the key.
    assert_eq!(fetch(&app, "/api/v1/lookup?q=a&src=vi", None).await.0, 401);
}

fn ui_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ui")
}

/// Relative module imports of a script (`from './x.js'`).
fn imports(src: &str) -> Vec<String> {
    src.match_indices("from '")
        .filter_map(|(i, m)| src[i + m.len()..].split('\'').next())
        .filter(|p| p.starts_with('.'))
        .map(str::to_string)
        .collect()
}

#[actix_web::test]
async fn every_module_import_is_served() {
    let (_dir, state) = state(false);
    let app = atest::init_service(server::app(state)).await;
    // Walk the import graph from the entry module, as the browser does.
    let mut todo = vec!["/ui/js/app.js".to_string()];
    let mut seen = BTreeSet::new();
    while let Some(url) = todo.pop() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let (status, h, body) = fetch(&app, &url, None).await;
        assert_eq!(status, 200, "{url} is imported but not served");
        assert!(header_of(&h, header::CONTENT_TYPE).starts_with("text/javascript"), "{url}");
        let dir = url.rsplit_once('/').unwrap().0.to_string();
        for rel in imports(&body) {
            let mut parts: Vec<&str> = dir.split('/').collect();
            for piece in rel.split('/') {
                match piece {
                    "." => {}
                    ".." => {
                        parts.pop();
                    }
                    p => parts.push(p),
                }
            }
            todo.push(parts.join("/"));
        }
    }
    let files = std::fs::read_dir(ui_dir().join("js")).unwrap().count() + 2; // + the two i18n files
    assert_eq!(seen.len(), files, "modules reached: {seen:?}");
}

/// The keys of an i18n file (`'key': '…'` or `key: '…'` lines).
fn keys(src: &str) -> BTreeSet<String> {
    src.lines()
        .filter_map(|l| {
            let l = l.trim();
            let (k, _) = l.split_once(": ")?;
            let k = k.trim_matches('\'');
            (!k.is_empty() && !k.starts_with("//") && !k.contains(' ')).then(|| k.to_string())
        })
        .collect()
}

#[test]
fn both_languages_have_every_string_the_scripts_use() {
    let en = keys(&std::fs::read_to_string(ui_dir().join("i18n/en.js")).unwrap());
    let vi = keys(&std::fs::read_to_string(ui_dir().join("i18n/vi.js")).unwrap());
    assert!(en.len() > 150, "{} keys", en.len());
    assert_eq!(en.symmetric_difference(&vi).collect::<Vec<_>>(), Vec::<&String>::new());
    // Literal keys of t('…') calls in the scripts.
    for entry in std::fs::read_dir(ui_dir().join("js")).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        for (i, _) in src.match_indices("t('") {
            let key = src[i + 3..].split('\'').next().unwrap();
            let boundary = i == 0 || !src.as_bytes()[i - 1].is_ascii_alphanumeric();
            if boundary {
                assert!(en.contains(key), "{}: t('{key}') has no string", path.display());
            }
        }
    }
}

/// Whether a program answers `--version`.
fn have(cmd: &str, arg: &str) -> bool {
    Command::new(cmd).arg(arg).output().is_ok_and(|o| o.status.success())
}

fn have_selenium() -> bool {
    Command::new("python3").args(["-c", "import selenium"]).output().is_ok_and(|o| o.status.success())
}

#[test]
fn workspace_in_headless_chromium() {
    let tools = [
        ("chromium", have("chromium", "--version")),
        ("chromium-driver", have("chromedriver", "--version")),
        ("selenium (PyPI)", have_selenium()),
    ];
    let missing: Vec<&str> = tools.iter().filter(|(_, ok)| !ok).map(|(name, _)| *name).collect();
    if !missing.is_empty() {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI: {missing:?} missing (.ci/run installs them)");
        eprintln!("skipped: the browser test needs {missing:?}");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/ui_workspace.py");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/ui-screenshots");
    let out = Command::new("python3")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_glossary-server"))
        .arg(&shots)
        .output()
        .expect("run python3");
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the browser walk-through failed:\n{log}");
    assert!(log.contains("ok: all workspace checks passed"), "{log}");
    for name in ["01-lookup", "04-conflict", "07-review", "10-translate", "12-vietnamese"] {
        assert!(shots.join(format!("{name}.png")).is_file(), "no screenshot {name}");
    }
}
