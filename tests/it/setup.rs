//! The set-up a newcomer hits: scripts ask cargo where the binary is instead of guessing, and
//! the build has no step tied to one linker. Self-contained: no shared test helpers.

#![allow(clippy::unwrap_used)] // a test panics on setup errors by design

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Stands in for cargo: on stdout, what `cargo build --message-format=json…` prints for the
/// jwtctl binary at `$FAKE_EXECUTABLE` (the shape of cargo's own messages); without a JSON
/// message format, nothing, as cargo.
const FAKE_CARGO: &str = r#"#!/bin/sh
[ "$1" = build ] || { echo "fake cargo: only build is expected, not: $*" >&2; exit 99; }
case " $* " in
  *" --message-format=json"*)
    printf '{"reason":"compiler-artifact","package_id":"path+file:///src/jwtctl#jwtctl@0.1.0","manifest_path":"/src/jwtctl/Cargo.toml","target":{"kind":["bin"],"crate_types":["bin"],"name":"jwtctl","src_path":"/src/jwtctl/src/main.rs","edition":"2024","doc":true,"doctest":false,"test":true},"profile":{"opt_level":"3","debuginfo":0,"debug_assertions":false,"overflow_checks":false,"test":false},"features":[],"filenames":["%s"],"executable":"%s","fresh":true}\n' "$FAKE_EXECUTABLE" "$FAKE_EXECUTABLE"
    printf '{"reason":"build-finished","success":true}\n' ;;
esac
"#;

/// `examples/quickstart.sh` with `CARGO_TARGET_DIR` set and the binary somewhere no guess
/// would look: it must run the binary cargo names. (It used to build its PATH from
/// `target/$(rustc --print host-tuple)/release` and failed with 127.)
#[test]
fn quickstart_runs_the_binary_cargo_reports() {
    let dir = tempfile::TempDir::new().unwrap();
    // The script run from a copy of the checkout that has no target/ directory at all.
    let checkout = dir.path().join("checkout");
    std::fs::create_dir_all(checkout.join("examples")).unwrap();
    std::fs::copy(
        root().join("examples/quickstart.sh"),
        checkout.join("examples/quickstart.sh"),
    )
    .unwrap();
    // The binary under an unusual target dir, as cargo would report it.
    let target = dir.path().join("elsewhere/out");
    std::fs::create_dir_all(&target).unwrap();
    let exe = target.join("jwtctl");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_jwtctl"), &exe).unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let cargo = bin.join("cargo");
    std::fs::write(&cargo, FAKE_CARGO).unwrap();
    set_executable(&cargo);

    let out = Command::new("bash")
        .arg(checkout.join("examples/quickstart.sh"))
        .env(
            "PATH",
            format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display()),
        )
        .env("CARGO_TARGET_DIR", dir.path().join("elsewhere"))
        .env("FAKE_EXECUTABLE", &exe)
        .env_remove("JWTCTL_HOME")
        .env_remove("JWTCTL_NOW")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "quickstart.sh failed ({:?}):\n{stdout}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("\"sub\": \"1\""),
        "verify printed the claims: {stdout}"
    );
}

fn set_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The files that build, run or benchmark jwtctl from the shell.
fn scripts() -> Vec<PathBuf> {
    let mut files = vec![root().join(".ci/run")];
    for dir in ["examples", "bench"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path
                .extension()
                .is_some_and(|e| e == "sh" || e == "py" || e == "rs")
            {
                files.push(path);
            }
        }
    }
    files
}

/// No script builds a path into cargo's target directory by hand (`target/…/release`,
/// `target/$(rustc --print host-tuple)/…`): the target dir and tuple are cargo's to say.
#[test]
fn no_script_guesses_where_cargo_puts_the_binary() {
    let mut guesses = Vec::new();
    for file in scripts() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let guess = line.contains("--print host-tuple")
                || (line.contains("target/")
                    && ["release", "debug"].iter().any(|p| line.contains(p)));
            if guess {
                guesses.push(format!("{}:{}: {line}", file.display(), n + 1));
            }
        }
    }
    assert!(
        guesses.is_empty(),
        "ask cargo for the binary (the \"executable\" of --message-format=json, or cargo run):\n{}",
        guesses.join("\n")
    );
}

/// Nothing in the build is tied to one linker: no build script passing link arguments, no
/// symbol-ordering list, no `-fuse-ld` (GNU ld failed on lld's `--symbol-ordering-file`).
#[test]
fn the_build_has_no_linker_specific_step() {
    let build_rs = root().join("build.rs");
    if build_rs.exists() {
        let text = std::fs::read_to_string(&build_rs).unwrap();
        assert!(
            !text.contains("rustc-link-arg"),
            "build.rs passes linker arguments"
        );
    }
    assert!(
        !root().join("link/startup.order").exists(),
        "link/startup.order is back"
    );
    for file in [".cargo/config.toml", "Cargo.toml"] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        for flag in [
            "symbol-ordering",
            "fuse-ld",
            "linker-flavor",
            "linker-features",
        ] {
            assert!(!text.contains(flag), "{file} sets {flag}");
        }
    }
}
