//! The server's module layering, checked on its source: which top-level
//! module may use which (ARCHITECTURE.md, "Layers").
//!
//! The graph is read from `crate::` paths in `server/src` (comments
//! stripped), one node per top-level module (`routes`, `cli`, `views`,
//! `error`, ...). `lib.rs` wires them together and is not a node.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Removes `//` comments (doc comments included) so prose that mentions
/// a path does not count as a use.
fn strip_comments(src: &str) -> String {
    src.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// Top-level modules named after `crate::` in `src`: `crate::a::b` gives
/// `a`; `crate::{a, b::c}` gives `a` and `b`. Items of the crate root (names
/// starting with a capital, like `crate::AppState`) are not modules.
fn crate_modules(src: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (i, _) in src.match_indices("crate::") {
        let rest = &src[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for part in inner.split(',') {
                let name = part.trim().split("::").next().unwrap_or("").trim();
                if modules.contains(name) {
                    found.insert(name.to_string());
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if modules.contains(&name) {
                found.insert(name);
            }
        }
    }
    found
}

fn server_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let module_of = |path: &Path| -> Option<String> {
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel.components().next()?.as_os_str().to_str()?.trim_end_matches(".rs").to_string();
        (first != "lib" && first != "main").then_some(first)
    };
    let modules: BTreeSet<String> = files.iter().filter_map(|p| module_of(p)).collect();
    let mut graph = Graph::new();
    for path in &files {
        let Some(module) = module_of(path) else { continue };
        let text = strip_comments(&fs::read_to_string(path).unwrap());
        let targets = graph.entry(module.clone()).or_default();
        targets.extend(crate_modules(&text, &modules).into_iter().filter(|t| *t != module));
    }
    graph
}

/// A cycle in `graph`, as the list of its nodes, if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(node: &str, graph: &Graph, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            return Some(path[at..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn server_modules_form_no_import_cycle() {
    let graph = server_graph();
    for expected in ["routes", "cli", "views", "error"] {
        assert!(graph.contains_key(expected), "module {expected} not found in server/src: {graph:?}");
    }
    assert_eq!(find_cycle(&graph), None, "import cycle among server modules; graph: {graph:?}");
}

#[test]
fn routes_and_cli_do_not_import_each_other() {
    let graph = server_graph();
    assert!(!graph["routes"].contains("cli"), "routes/ imports cli/: {:?}", graph["routes"]);
    assert!(!graph["cli"].contains("routes"), "cli/ imports routes/: {:?}", graph["cli"]);
    // The views both share depend on neither.
    assert!(
        !graph["views"].contains("routes") && !graph["views"].contains("cli"),
        "views/ imports an adapter: {:?}",
        graph["views"]
    );
}

#[test]
fn the_cycle_finder_sees_cycles_and_groups() {
    let modules: BTreeSet<String> = ["a", "b", "c"].map(String::from).into();
    assert_eq!(crate_modules("use crate::{a, b::X};\nlet _ = crate::AppState; crate::c::f();", &modules), modules);
    let mut graph = Graph::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&graph), None);
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(find_cycle(&graph), Some(vec!["a".to_string(), "b".into(), "c".into()]));
}

/// Numeric defaults written in the adapters themselves, with why they
/// belong there. Every other default is a `glossary` constant that both
/// HTTP and CLI use (and the spec's `default` reads).
const ADAPTER_DEFAULTS: &[(&str, &str)] = &[
    // Initial buffer of a body whose length is not declared.
    ("routes/mod.rs", "unwrap_or(8192)"),
    // No confidence filter unless asked (HTTP and CLI alike).
    ("routes/align.rs", "unwrap_or(0.0)"),
    ("cli/align.rs", "default_value_t = 0.0"),
    // Most bytes of an error body read from a server by `backup --from-server`.
    ("cli/backup.rs", "unwrap_or(64)"),
    // The candidate queue lists every frequency unless asked.
    ("routes/mining.rs", "unwrap_or(1)"),
    // The CLI's own guards: a file-size cap for `import` (MiB) and the
    // page cache of the store it opens (MiB).
    ("cli/exchange.rs", "default_value_t = 1024"),
    ("cli/mod.rs", "default_value_t = 128"),
];

#[test]
fn numeric_defaults_are_written_once_in_glossary() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in ["routes", "views", "cli"] {
        rust_files(&src.join(dir), &mut files);
    }
    let mut found = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&src).unwrap().to_str().unwrap().replace('\\', "/");
        let text = strip_comments(&fs::read_to_string(path).unwrap());
        for pattern in ["unwrap_or(", "default_value_t = "] {
            for (i, _) in text.match_indices(pattern) {
                let rest = &text[i + pattern.len()..];
                if rest.starts_with(|c: char| c.is_ascii_digit()) {
                    let literal: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
                    found.push((
                        rel.clone(),
                        format!("{pattern}{literal}{}", if pattern.ends_with('(') { ")" } else { "" }),
                    ));
                }
            }
        }
    }
    found.sort();
    let mut allowed: Vec<(String, String)> =
        ADAPTER_DEFAULTS.iter().map(|(f, p)| (f.to_string(), p.to_string())).collect();
    allowed.sort();
    assert_eq!(found, allowed, "a numeric default written in an adapter; make it a glossary constant");
}

/// Crates that would mean HTTP has leaked into the domain library.
const HTTP_CRATES: &[&str] = &["actix-web", "actix-http", "hyper", "http", "h2", "reqwest", "utoipa", "axum", "warp"];

#[test]
fn glossary_depends_on_no_http_crate() {
    // The host's platform only, so no crate for another platform has to be
    // downloaded.
    let rustc = std::process::Command::new("rustc").arg("-vV").output().expect("run rustc -vV");
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .expect("rustc -vV names the host");
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline", "--filter-platform", &host, "--manifest-path"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml"))
        .output()
        .expect("run cargo metadata");
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let name_of =
        |id: &str| packages.iter().find(|p| p["id"] == id).and_then(|p| p["name"].as_str()).unwrap_or("?").to_string();
    let nodes = meta["resolve"]["nodes"].as_array().unwrap();
    // Normal (non-dev, non-build) dependencies, transitively, from glossary.
    let glossary = packages.iter().find(|p| p["name"] == "glossary").unwrap()["id"].as_str().unwrap().to_string();
    let mut seen = BTreeSet::new();
    let mut stack = vec![glossary];
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let node = nodes.iter().find(|n| n["id"] == id.as_str()).unwrap();
        for dep in node["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"].as_array().unwrap().iter().any(|k| k["kind"].is_null());
            if normal {
                stack.push(dep["pkg"].as_str().unwrap().to_string());
            }
        }
    }
    let names: BTreeSet<String> = seen.iter().map(|id| name_of(id)).collect();
    assert!(names.contains("sled") || names.len() > 5, "dependency walk found too little: {names:?}");
    let http: Vec<&&str> = HTTP_CRATES.iter().filter(|c| names.contains(**c)).collect();
    assert!(http.is_empty(), "glossary depends on HTTP crates {http:?}");
}

#[test]
fn wire_types_live_in_views_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join("routes"), &mut files);
    let mut found = Vec::new();
    for path in &files {
        let text = strip_comments(&fs::read_to_string(path).unwrap());
        for line in text.lines().filter(|l| l.trim_start().starts_with("#[derive(")) {
            if ["Serialize", "Deserialize", "ToSchema", "IntoParams"].iter().any(|d| line.contains(d)) {
                found.push(format!("{}: {}", path.strip_prefix(&src).unwrap().display(), line.trim()));
            }
        }
    }
    assert!(files.len() > 10, "routes/ sources not found");
    assert!(found.is_empty(), "serde/OpenAPI types in routes/ (they belong in views/): {found:#?}");
}
