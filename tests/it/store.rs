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

/// `sessions --json` rows and the event log of the store `url`, event ids aside.
fn contents(home: &std::path::Path, url: &str) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let rows = json_lines(&stdout_of(
        jwtctl(home).args(["sessions", "--json", "--store", url]),
    ));
    let mut events = json_lines(&stdout_of(
        jwtctl(home).args(["sessions", "--events", "--store", url]),
    ));
    for e in &mut events {
        e.as_object_mut().unwrap().remove("id");
    }
    (rows, events)
}

#[test]
fn store_copy_moves_every_session_and_the_copy_keeps_working() {
    let (dir, home) = new_home();
    let from = format!("sqlite:{}", home.join("refresh.db").display());
    let to = format!(
        "sqlite:{}",
        dir.path().join("copy").join("refresh.db").display()
    );
    // A store with history: a rotation, a reuse that revoked a family, a disabled subject.
    let alice = login(&home, "alice");
    let rt1 = field(&alice, "refresh_token");
    let (code, out, _) = refresh_at(&home, NOW + 60, &rt1, &[]);
    assert_eq!(code, 0);
    let rt2 = field(&json(&out), "refresh_token");
    let bob = field(&login(&home, "bob"), "refresh_token");
    let (_, out, _) = refresh_at(&home, NOW + 60, &bob, &[]);
    assert_eq!(refresh_at(&home, NOW + 61, &bob, &[]).0, 9);
    assert!(!out.is_empty());
    stdout_of(jwtctl(&home).args(["subject", "disable", "mallory", "--reason", "fraud"]));

    let (code, out, err) =
        run(jwtctl(&home).args(["store", "copy", "--json", "--from", &from, "--to", &to]));
    assert_eq!(code, 0, "{err}");
    let counts = json(&out);
    assert_eq!(counts["families"], 2);
    assert_eq!(counts["tokens"], 4);
    assert_eq!(counts["subjects"], 1);
    assert!(err.contains("read back and checked"), "{err}");
    let (rows, events) = contents(&home, &from);
    assert_eq!(counts["events"], events.len());
    assert_eq!(contents(&home, &to), (rows, events));

    // The copy is a working store: the current token rotates there, the old one is reuse, and
    // the revoked family and the disabled subject stay so.
    let on_copy =
        |now: i64, rt: &str| run(jwtctl_at(&home, now).args(["refresh", rt, "--store", &to])).0;
    assert_eq!(on_copy(NOW + 120, &rt2), 0);
    assert_eq!(on_copy(NOW + 121, &rt1), 9);
    let (code, _, _) = run(jwtctl(&home).args(["login", "--sub", "mallory", "--store", &to]));
    assert_eq!(code, 8);
    // The source was only read.
    assert_eq!(refresh_at(&home, NOW + 120, &rt2, &[]).0, 0);
}

#[test]
fn store_copy_refuses_a_target_that_holds_anything_and_a_missing_source() {
    let (dir, home) = new_home();
    login(&home, "alice");
    let from = format!("sqlite:{}", home.join("refresh.db").display());
    let other = dir.path().join("other");
    let to = format!("sqlite:{}", other.join("refresh.db").display());
    stdout_of(jwtctl(&home).args(["subject", "disable", "bob", "--store", &to]));
    let before = std::fs::read(other.join("refresh.db")).unwrap();
    let (code, out, err) = run(jwtctl(&home).args(["store", "copy", "--from", &from, "--to", &to]));
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("nothing was copied"), "{err}");
    assert_eq!(std::fs::read(other.join("refresh.db")).unwrap(), before);

    let missing = format!("sqlite:{}", dir.path().join("nope.db").display());
    let fresh = format!("sqlite:{}", dir.path().join("fresh.db").display());
    let (code, _, err) =
        run(jwtctl(&home).args(["store", "copy", "--from", &missing, "--to", &fresh]));
    assert_eq!(code, 10, "{err}");
    assert!(!dir.path().join("fresh.db").exists());
    let (code, _, err) = run(jwtctl(&home).args(["store", "copy", "--from", &from]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("JWTCTL_STORE_TO"), "{err}");
}

#[test]
fn store_migrate_creates_an_sqlite_store_once() {
    let (dir, home) = new_home();
    let url = format!(
        "sqlite:{}",
        dir.path().join("s").join("refresh.db").display()
    );
    let (code, out, err) = run(jwtctl(&home).args(["store", "migrate", "--store", &url]));
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.contains("schema version 1 (created)"), "{err}");
    let (code, _, err) = run(jwtctl(&home).args(["store", "migrate", "--store", &url]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("up to date"), "{err}");
}
