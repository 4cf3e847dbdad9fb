//! Choosing the refresh store (DECISIONS §8): `--store URL` / `JWTCTL_STORE`, the SQLite file at
//! a path of the user's choosing, and the rules for store passwords and the other store flags,
//! all checked before anything is read or written.

#![allow(clippy::unwrap_used)] // test helpers panic by design

use crate::support::*;
use std::os::unix::fs::PermissionsExt;

#[test]
fn a_password_in_store_on_the_command_line_is_2_and_never_echoed() {
    let (_dir, home) = new_home();
    for url in [
        "redis://app:s3cret@127.0.0.1:6379",
        "rediss://:s3cret@cache.example",
        "postgres://app:s3cret@db.example/tokens",
    ] {
        let (code, out, err) = run(jwtctl(&home).args(["login", "--sub", "a", "--store", url]));
        assert_eq!((code, out.as_str()), (2, ""), "{url}: {err}");
        assert!(err.contains("ps"), "{url}: {err}");
        assert!(!err.contains("s3cret"), "the password was echoed: {err}");
    }
    assert!(!home.join("refresh.db").exists());
}

#[test]
fn a_bad_store_url_or_flag_is_2_before_any_other_check() {
    // An empty home (no key): a store mistake is still reported first, as a usage error.
    let (_dir, home) = bare_home_on(Backend::Sqlite);
    for args in [
        vec!["--store", "mysql://h/db"],
        vec!["--store", "redis://h:99999"],
        vec!["--store", "redis://h/notanumber"],
        vec!["--store", "postgres://h/db?sslmode=allow"],
        vec!["--store", "/tmp/refresh.db"],
        vec!["--store-timeout", "10ms"],
        vec!["--store-timeout", "soon"],
        vec!["--store-prefix", "has space"],
    ] {
        let (code, out, err) = run(jwtctl(&home).args(["sessions"]).args(&args));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
    }
    for url in [
        "mysql://h/db",
        "redis://",
        "postgres://u:pw@h/db?password=x",
    ] {
        let (code, _, err) = run(jwtctl(&home)
            .args(["login", "--sub", "a"])
            .env("JWTCTL_STORE", url));
        assert_eq!(code, 2, "{url}: {err}");
        assert!(err.contains("JWTCTL_STORE"), "{err}");
        assert!(!err.contains("pw@"), "{err}");
    }
    assert!(!home.exists(), "a refused command created the home");
}

#[test]
fn sqlite_at_a_path_keeps_sessions_there_and_nothing_in_the_home() {
    let (dir, home) = new_home();
    let db = dir.path().join("shared").join("sessions.db");
    let url = format!("sqlite:{}", db.display());
    let resp = json(&stdout_of(
        jwtctl(&home).args(["login", "--sub", "alice", "--store", &url]),
    ));
    assert!(db.exists());
    assert!(!home.join("refresh.db").exists());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    // The same store through the environment: the token rotates; the home's default store
    // knows nothing of it.
    let rt = field(&resp, "refresh_token");
    let (code, out, err) = run(jwtctl(&home)
        .args(["refresh", &rt])
        .env("JWTCTL_STORE", &url));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["generation"], 2);
    let (code, _, err) = run(jwtctl(&home).args(["refresh", &rt]));
    assert_eq!(code, 8, "{err}");
    // --store wins over JWTCTL_STORE.
    let rows = json_lines(&stdout_of(
        jwtctl(&home)
            .args(["sessions", "--json", "--store", &url])
            .env("JWTCTL_STORE", "sqlite:/nonexistent/x.db"),
    ));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["generation"], 2);
}

#[test]
fn store_passwords_come_from_a_private_one_line_file() {
    let (dir, home) = new_home();
    let file = dir.path().join("pw");
    std::fs::write(&file, "s3cret\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let file = file.to_str().unwrap();
    // An SQLite store has no password.
    let (code, _, err) = run(jwtctl(&home).args(["sessions", "--store-password-file", file]));
    assert_eq!(code, 2, "{err}");
    // Two passwords: the URL's (environment) and the file's.
    let (code, _, err) = run(jwtctl(&home)
        .args(["sessions", "--store-password-file", file])
        .env("JWTCTL_STORE", "redis://u:other@127.0.0.1:1"));
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("other"), "{err}");
    // A file others can read is refused, with the fix.
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, err) = run(jwtctl(&home).args([
        "sessions",
        "--store",
        "redis://127.0.0.1:1",
        "--store-password-file",
        file,
    ]));
    assert_eq!(code, 11, "{err}");
    assert!(err.contains("chmod"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}
