//! Shared fixtures: app state on a temporary data directory, request
//! helpers, and a minimal HTTP client for tests against the real binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::dev::{Service, ServiceResponse};
use actix_web::test;
use glossary::store::StoreLocation;
use serde_json::Value;
use server::{AppState, Auth};

/// A glossary on a fresh temporary directory, seeded with the starter
/// glossary or empty.
pub fn state(seed: bool) -> (tempfile::TempDir, AppState) {
    state_with_auth(seed, Auth::default())
}

pub fn state_with_auth(seed: bool, auth: Auth) -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    // Opened on a thread of its own: the PostgreSQL client blocks on a
    // runtime of its own, which an async test's thread cannot do.
    let g = std::thread::spawn(move || {
        let g = glossary::Glossary::open_at(&test_location(&path), &glossary::OpenOptions::default()).unwrap();
        if seed {
            assert!(g.seed_starter_if_new().unwrap() > 50);
        }
        g
    })
    .join()
    .unwrap();
    (dir, AppState { glossary: Arc::new(g), auth })
}

/// Runs `f` on a thread of its own and returns its result: direct glossary
/// calls from an async test must not run on the test's runtime thread (the
/// PostgreSQL client blocks on a runtime of its own).
pub fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().unwrap())
}

/// Where the in-process fixtures keep their store: `dir`, or, with
/// `GLOSSARY_TEST_BACKEND=postgres`, a fresh database of the private
/// PostgreSQL cluster (the tests built on [`state`] then run on PostgreSQL).
pub fn test_location(dir: &Path) -> StoreLocation {
    match std::env::var("GLOSSARY_TEST_BACKEND").as_deref() {
        Ok("postgres") => StoreLocation::Postgres(
            glossary::testing::PgCluster::shared()
                .expect("GLOSSARY_TEST_BACKEND=postgres needs PostgreSQL installed")
                .new_database(),
        ),
        _ => StoreLocation::Dir(dir.to_path_buf()),
    }
}

/// Sends a request and returns status and JSON body (Null for empty bodies).
pub async fn send<S, B>(app: &S, req: test::TestRequest) -> (u16, Value)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let resp = test::call_service(app, req.to_request()).await;
    let status = resp.status().as_u16();
    let body = test::read_body(resp).await;
    let json = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("status {status}: body is not JSON ({e}): {body:?}"))
    };
    (status, json)
}

/// Asserts an error response: status, stable code, non-empty message.
pub fn assert_error(got: &(u16, Value), status: u16, code: &str) {
    assert_eq!(got.0, status, "status of {}", got.1);
    assert_eq!(got.1["code"], code, "code of {}", got.1);
    assert!(got.1["message"].as_str().is_some_and(|m| m.len() > 10), "message of {}", got.1);
}

pub fn get(uri: &str) -> test::TestRequest {
    test::TestRequest::get().uri(uri)
}

pub fn post_json(uri: &str, body: Value) -> test::TestRequest {
    test::TestRequest::post().uri(uri).set_json(body)
}

pub fn put_json(uri: &str, body: Value) -> test::TestRequest {
    test::TestRequest::put().uri(uri).set_json(body)
}

/// Percent-encodes a query-string value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A `glossary-server serve` child process on a free loopback port.
pub struct RunningServer {
    pub child: Child,
    pub base: String,
    pub log: std::sync::mpsc::Receiver<String>,
}

impl RunningServer {
    /// Starts the real binary on `data_dir` and waits until it listens.
    // The child is reaped by `Drop` or `kill9`, which clippy cannot see.
    #[allow(clippy::zombie_processes)]
    pub fn start(data_dir: &Path, extra: &[&str]) -> RunningServer {
        RunningServer::start_store(&["--data-dir", data_dir.to_str().unwrap()], extra)
    }

    /// Starts the real binary on the store `store` names (`--data-dir DIR`
    /// or `--store URL`) and waits until it listens.
    #[allow(clippy::zombie_processes)]
    pub fn start_store(store: &[&str], extra: &[&str]) -> RunningServer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_glossary-server"))
            .arg("serve")
            .args(store)
            .args(["--bind", "127.0.0.1:0", "--workers", "2"])
            .args(extra)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start glossary-server");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let line = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())).unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("server did not report a listening address in time")
            });
            if let Some(rest) = line.split("listening on ").nth(1) {
                let base = rest.split_whitespace().next().unwrap().to_string();
                return RunningServer { child, base, log: rx };
            }
        }
    }

    pub fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_string()
    }

    /// Minimal HTTP/1.1 request; returns status and body.
    pub fn request(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
        http(&self.addr(), method, path, body)
    }

    pub fn kill9(mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn http(addr: &str, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if body.is_some() {
        req.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", payload.len()));
    }
    req.push_str("\r\n");
    req.push_str(&payload);
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let status: u16 = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status line");
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let body =
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_string() };
    (status, body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

// ---- shared by the exchange and pre-translation tests ----

/// Status, headers (lowercase names) and body of a test-service response.
pub async fn raw<S, B>(app: &S, req: actix_web::test::TestRequest) -> (u16, Vec<(String, String)>, String)
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let resp = actix_web::test::call_service(app, req.to_request()).await;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_ascii_lowercase(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = actix_web::test::read_body(resp).await;
    (status, headers, String::from_utf8(body.to_vec()).expect("UTF-8 body"))
}

/// The value of header `name` (lowercase) in `headers`, or "".
pub fn header<'h>(headers: &'h [(String, String)], name: &str) -> &'h str {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// `../shared/standards`, or `None` (a skip) outside CI.
pub fn standards() -> Option<std::path::PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/standards");
    if path.is_dir() {
        return Some(path);
    }
    assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI: {} is missing", path.display());
    eprintln!("skipped: {} not found (../shared next to the repo)", path.display());
    None
}

/// Whether a validator is installed; in CI a missing one is a failure.
pub fn have(tool: &str) -> bool {
    let ok = std::process::Command::new(tool).arg("--help").output().is_ok();
    if !ok {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI: {tool} is missing (.ci/run installs it)");
        eprintln!("skipped: {tool} is not installed");
    }
    ok
}

/// Runs a command; whether it succeeded, and what it printed.
pub fn passes(cmd: &mut std::process::Command) -> (bool, String) {
    let out = cmd.output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}
