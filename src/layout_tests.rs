//! The house rules, checked: imports between the top-level parts run one way, and only the
//! command-line face, the commands and the exit mapping choose exit statuses.

use std::collections::BTreeSet;
use std::path::Path;

/// The top-level parts, highest first. A part may use only parts below it.
const LAYERS: &[&[&str]] = &[
    &["serve"],
    &["commands"],
    &["cli"],
    &["edge"],
    &["session"],
    // net (fetching issuers' key sets) stands beside token: neither uses the other.
    &["token", "net"],
    &["keys"],
    &["alg", "files", "json", "time"],
];

/// Where `Exit::` may appear: the face, the commands and the exit mapping.
const MAY_CHOOSE_EXIT: &[&str] = &["lib.rs", "main.rs", "cli/", "commands/", "edge/"];

fn rank(part: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&part))
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("src entry").path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file of `src/` but this one: its path relative to `src/` and its text.
fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let rel = file.strip_prefix(&src).expect("under src");
            let rel = rel.to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&file).expect("source is UTF-8");
            (rel, text)
        })
        .filter(|(rel, _)| rel != "layout_tests.rs")
        .collect()
}

/// Every (from part, to part, file) import in `src/`, from `crate::part` paths.
fn imports() -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for (rel, text) in sources() {
        let from = rel
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs")
            .to_owned();
        for (i, _) in text.match_indices("crate::") {
            let to: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !to.is_empty() && to != from {
                found.push((from.clone(), to, rel.clone()));
            }
        }
    }
    found
}

#[test]
fn every_part_is_in_a_layer() {
    let parts: BTreeSet<String> = imports()
        .into_iter()
        .flat_map(|(a, b, _)| [a, b])
        .filter(|p| p != "lib" && p != "main")
        .collect();
    for part in parts {
        assert!(rank(&part).is_some(), "src/{part} is in no layer of LAYERS");
    }
}

#[test]
fn imports_run_one_way() {
    let mut upward = BTreeSet::new();
    for (from, to, file) in imports() {
        let (Some(a), Some(b)) = (rank(&from), rank(&to)) else {
            continue;
        };
        if a >= b {
            upward.insert(format!("{file}: {from} -> {to}"));
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the layering (LAYERS in src/layout_tests.rs):\n{}",
        upward.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn only_the_edge_chooses_exit_statuses() {
    let found: Vec<String> = sources()
        .into_iter()
        .filter(|(rel, text)| {
            !MAY_CHOOSE_EXIT.iter().any(|p| rel.starts_with(p))
                && (text.contains("Exit::") || text.contains("exit::"))
        })
        .map(|(rel, _)| rel)
        .collect();
    assert!(
        found.is_empty(),
        "exit statuses chosen below the edge in: {found:?}"
    );
}
