//! The README's quick start runs as written, in a fresh home, against the built binary.

use std::path::Path;

use crate::support;

/// The first ```sh block after the "## Quick start" heading.
fn quick_start() -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let section = readme
        .split("## Quick start")
        .nth(1)
        .expect("a Quick start section");
    let block = section.split("```sh\n").nth(1).expect("a sh block");
    block
        .split("```")
        .next()
        .expect("a closed block")
        .to_owned()
}

#[test]
fn readme_quick_start_runs_as_written() {
    let script = quick_start();
    assert!(script.contains("jwtctl keygen"), "{script}");
    let home = tempfile::TempDir::new().expect("temp dir");
    // As a user would run it: on the real clock.
    let out = support::wrapper("bash", home.path())
        .args(["-euo", "pipefail", "-c", &script])
        .env_remove("JWTCTL_NOW")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "quick start failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("\"sub\": \"1\""),
        "verify printed the claims: {stdout}"
    );
}
