//! Source-scanning checks of the crate's layering (ARCHITECTURE.md):
//! storage types stay in the storage seam, and feature modules do not
//! reach back into the `Glossary` facade.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its `//` comments (doc comments included)
/// and the contents of one-line string literals.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, strip_strings(l).split("//").next().unwrap_or("").to_string()))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect()
}

/// `line` with the text inside `"..."` removed (escapes honoured).
fn strip_strings(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => {
                    in_string = false;
                    out.push(c);
                }
                _ => {}
            }
        } else {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out
}

fn has_word(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + word.len()..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        edge(before) && edge(after)
    })
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_sled_name_outside_the_sled_backend() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    assert!(files.len() > 50, "found the sources");
    let root = src();
    let mut found = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if rel == "store/sled.rs" {
            continue;
        }
        for (n, line) in code_lines(f) {
            // The module's own declaration and the one import of its backend.
            let allowed =
                rel == "store/mod.rs" && (line.trim() == "mod sled;" || line.trim() == "use self::sled::SledBackend;");
            if has_word(&line, "sled") && !allowed {
                found.push(format!("{rel}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "sled named outside store/sled.rs:\n{}", found.join("\n"));
}

#[test]
fn the_scanner_sees_what_it_looks_for() {
    assert!(has_word("use sled::Db;", "sled"));
    assert!(!has_word("let sledge = 1;", "sled"));
    assert!(has_word("use crate::Glossary;", "Glossary"));
    assert_eq!(strip_strings(r#"f("Glossary \"x\" export", sled)"#), r#"f("", sled)"#);
}

/// Issue #14: `Glossary` is a facade over the features; no other module
/// of the crate (tests aside) names it or reaches into `engine`. Each feature takes
/// the store, the translation memory, the concept indexes or the job
/// runner it needs as arguments, or owns them.
#[test]
fn no_feature_module_names_the_facade() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 50, "found the sources");
    let mut users = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        // The facade itself, and the crate root that re-exports it.
        if rel == "engine.rs" || rel == "lib.rs" {
            continue;
        }
        // Tests may build a whole glossary to exercise a feature.
        if f.file_name().is_some_and(|n| n.to_string_lossy().ends_with("tests.rs")) {
            continue;
        }
        let lines = code_lines(&f);
        // The code before the file's test module, if it has one.
        let end = lines
            .windows(2)
            .position(|w| w[0].1.trim() == "#[cfg(test)]" && w[1].1.trim_start().starts_with("mod "))
            .unwrap_or(lines.len());
        let names = lines[..end].iter().any(|(_, l)| has_word(l, "Glossary") || l.contains("crate::engine"));
        if names {
            users.push(rel);
        }
    }
    users.sort();
    assert!(users.is_empty(), "feature modules naming the Glossary facade: {users:?}");
}
