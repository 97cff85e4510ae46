//! The documentation a newcomer reads: every relative link in README,
//! ARCHITECTURE, docs/ and samples/ points at a file that exists, README
//! stays a first page, and the commands of README's tour that need no
//! server run as written from the repository root.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Relative link targets (`[text](target)`) of a Markdown file, anchors cut.
fn relative_links(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = rest[..end].trim();
        let external = ["http://", "https://", "mailto:"].iter().any(|p| target.starts_with(p));
        if !external && !target.starts_with('#') && !target.is_empty() {
            out.push(target.split('#').next().unwrap_or(target).to_string());
        }
        rest = &rest[end..];
    }
    out
}

#[test]
fn relative_links_resolve() {
    let root = repo();
    let mut files = vec![root.join("README.md"), root.join("ARCHITECTURE.md"), root.join("samples/README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for link in relative_links(&text) {
            checked += 1;
            if !file.parent().unwrap().join(&link).exists() {
                broken.push(format!("{}: {link}", file.strip_prefix(&root).unwrap().display()));
            }
        }
    }
    assert!(checked > 30, "only {checked} links found: the scan is broken");
    assert!(broken.is_empty(), "broken relative links:\n{}", broken.join("\n"));
}

#[test]
fn readme_is_a_first_page() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(lines <= 220, "README.md has {lines} lines; the manual belongs in docs/");
    for must in ["## Install", "cargo install --locked --path server", "cargo test --workspace --locked", "docs/cli.md"]
    {
        assert!(readme.contains(must), "README lacks {must:?}");
    }
}

/// The tour's offline commands (mining and aligning the shipped samples),
/// run exactly as README writes them, with the built binary for
/// `glossary-server`.
#[test]
fn readme_tour_offline_commands_run() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let commands: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("glossary-server mine ") || l.starts_with("glossary-server align "))
        .collect();
    assert_eq!(commands.len(), 2, "the tour's mine and align commands: {commands:?}");
    for line in commands {
        let mut words = line.split_whitespace().skip(1).map(String::from).collect::<Vec<_>>();
        // The shell would expand the glob; do it here.
        let mut args = Vec::new();
        for w in words.drain(..) {
            match w.strip_suffix("*.vi.txt") {
                Some(dir) => {
                    let mut found: Vec<String> = std::fs::read_dir(repo().join(dir))
                        .unwrap()
                        .map(|e| e.unwrap().path())
                        .filter(|p| p.to_string_lossy().ends_with(".vi.txt"))
                        .map(|p| p.strip_prefix(repo()).unwrap().to_string_lossy().into_owned())
                        .collect();
                    found.sort();
                    assert!(found.len() >= 3, "samples for {line}");
                    args.extend(found);
                }
                None => args.push(w),
            }
        }
        let out = Command::new(env!("CARGO_BIN_EXE_glossary-server")).args(&args).current_dir(repo()).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{line}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.lines().count() >= 5, "{line} printed too little: {stdout}");
        if args[0] == "mine" {
            assert!(stdout.contains("Việt Nam"), "{stdout}");
        } else {
            assert!(stdout.contains("Thủ tướng") || stdout.contains("Prime Minister"), "{stdout}");
        }
    }
}
