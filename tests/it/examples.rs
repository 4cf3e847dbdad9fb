//! The example scripts in examples/ run as written against the built binary.

use std::path::Path;

use crate::support;

/// Runs `examples/NAME` with bash on the real clock (the examples are written for it). The
/// examples make their own home; the temporary one given here only guards against one that
/// does not.
fn run_example(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let home = tempfile::TempDir::new().expect("temp dir");
    let out = support::wrapper("bash", home.path())
        .arg(root.join("examples").join(name))
        .env_remove("JWTCTL_NOW")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn ci_example_branches_on_verify_exit_status() {
    let out = run_example("ci.sh");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "200 deploy accepted",
            "401 token expired: mint a new one",
            "403 token not meant for this service",
            "401 signature rejected",
        ],
        "{out}"
    );
}
