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
