//! The committed completions/ and man/ are exactly what the clap definition renders. After a CLI
//! change, refresh them with `JWTCTL_BLESS=1 cargo test --test it generated::`.

#![allow(clippy::unwrap_used)] // tests panic by design

use std::path::Path;

#[test]
fn completions_and_man_pages_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("JWTCTL_BLESS").is_some();
    let mut stale = Vec::new();
    for (path, bytes) in jwtctl::commands::generate::files() {
        let target = root.join(&path);
        if bless {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, &bytes).unwrap();
        } else if std::fs::read(&target).ok().as_deref() != Some(&bytes[..]) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files: {}\nrun `JWTCTL_BLESS=1 cargo test --test it generated::` and commit them",
        stale.join(", ")
    );
}

#[test]
fn bash_completion_is_valid_bash() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/jwtctl.bash");
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(status.success(), "bash -n {}", script.display());
}

#[test]
fn man_pages_carry_exit_status_and_environment() {
    for (path, bytes) in jwtctl::commands::generate::files() {
        if path.starts_with("man") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains(".SH \"EXIT STATUS\""), "{}", path.display());
            assert!(text.contains("JWTCTL_NOW"), "{}", path.display());
            assert!(text.contains("key or config error"), "{}", path.display());
        }
    }
}

#[test]
fn every_subcommand_help_has_examples() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for sub in cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        {
            let name = format!("{path} {}", sub.get_name());
            if !sub
                .get_after_help()
                .is_some_and(|h| h.to_string().contains("Examples:"))
            {
                missing.push(name.clone());
            }
            walk(sub, &name, missing);
        }
    }
    let mut missing = Vec::new();
    walk(&jwtctl::cli::Cli::command(), "jwtctl", &mut missing);
    assert!(missing.is_empty(), "no Examples: in --help of {missing:?}");
}
