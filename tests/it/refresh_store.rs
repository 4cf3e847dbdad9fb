//! The refresh store under stress and damage: many processes refreshing one token at once, a
//! corrupt, foreign, newer or locked store file, and what `sessions` prints.

#![allow(clippy::unwrap_used)] // test helpers panic by design

use crate::support::*;
use std::process::Stdio;

/// How many processes race for one refresh token.
const RACERS: usize = 24;

#[test]
fn a_corrupt_store_is_10_and_left_byte_for_byte() {
    let (_dir, home) = new_home();
    let rt = field(&login(&home, "alice"), "refresh_token");
    let db = home.join("refresh.db");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(home.join(format!("refresh.db{suffix}")));
    }
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 + 13) as u8).collect();
    std::fs::write(&db, &garbage).unwrap();
    for args in [
        vec!["refresh", rt.as_str()],
        vec!["login", "--sub", "bob"],
        vec!["sessions"],
        vec!["logout", rt.as_str()],
        vec!["subject", "disable", "alice"],
    ] {
        let (code, out, err) = run(jwtctl(&home).args(&args));
        assert_eq!((code, out.as_str()), (10, ""), "{args:?}: {err}");
        assert!(err.contains("corrupt or not a database"), "{err}");
        assert!(err.contains("refresh.db"), "{err}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), garbage);
}

#[test]
fn a_foreign_or_newer_sqlite_file_is_refused_without_a_write() {
    let (_dir, home) = new_home();
    login(&home, "alice");
    let db = home.join("refresh.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let before = std::fs::read(&db).unwrap();
    let (code, _, err) = run(jwtctl(&home).args(["login", "--sub", "bob"]));
    assert_eq!(code, 10);
    assert!(err.contains("schema version 99"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);

    let (_dir2, other) = new_home();
    let foreign = other.join("refresh.db");
    let conn = rusqlite::Connection::open(&foreign).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT)")
        .unwrap();
    drop(conn);
    let (code, _, err) = run(jwtctl(&other).args(["login", "--sub", "bob"]));
    assert_eq!(code, 10);
    assert!(err.contains("not a jwtctl store"), "{err}");
}

#[test]
fn a_store_locked_past_the_wait_is_10_and_nothing_changes() {
    let (_dir, home) = new_home();
    let rt = field(&login(&home, "alice"), "refresh_token");
    let mut holder = rusqlite::Connection::open(home.join("refresh.db")).unwrap();
    let tx = holder
        .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)
        .unwrap();
    let (code, out, err) = run(jwtctl(&home)
        .env("JWTCTL_STORE_WAIT", "1s")
        .args(["refresh", &rt]));
    assert_eq!((code, out.as_str()), (10, ""));
    assert!(err.contains("is locked by another process"), "{err}");
    tx.rollback().unwrap();
    // The token was not used up by the failed attempt.
    assert_eq!(refresh_at(&home, NOW + 1, &rt, &[]).0, 0);
}

#[test]
fn sessions_without_a_store_prints_nothing_and_creates_nothing() {
    let (_dir, home) = new_home();
    let (code, out, err) = run(jwtctl(&home).arg("sessions"));
    assert_eq!((code, out.as_str()), (0, ""));
    assert!(err.contains("no refresh store"), "{err}");
    assert!(!home.join("refresh.db").exists());
    let (code, _, _) = run(jwtctl(&home).args(["refresh", "a.b.c"]));
    assert_eq!(code, 3);
}

conformance! {
fn concurrent_refreshes_of_one_token_have_exactly_one_winner(b: Backend) {
    // R2, refresh-concurrent-double-spend: separate processes, separate connections, one file.
    let (_dir, home) = new_home_on(b);
    let resp = login(&home, "alice");
    let rt = field(&resp, "refresh_token");
    let family = field(&resp, "session_id");
    let children: Vec<_> = (0..RACERS)
        .map(|_| {
            jwtctl_process(&home)
                .env("JWTCTL_NOW", (NOW + 60).to_string())
                .args(["refresh", &rt])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let results: Vec<(i32, String, String)> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8(out.stdout).unwrap(),
                String::from_utf8(out.stderr).unwrap(),
            )
        })
        .collect();

    let winners: Vec<_> = results.iter().filter(|r| r.0 == 0).collect();
    assert_eq!(winners.len(), 1, "exactly one refresh wins: {results:?}");
    let winner = json(&winners[0].1);
    assert_eq!(winner["generation"], 2);
    for (code, out, err) in &results {
        assert!(!err.to_lowercase().contains("locked"), "lock error: {err}");
        if *code != 0 {
            assert!(
                matches!(code, 8 | 9),
                "a loser exits 8 or 9, not {code}: {err}"
            );
            assert!(out.is_empty(), "a loser prints no tokens: {out}");
        }
    }
    // The first loser saw a used token: reuse, so the family is revoked; later ones saw that.
    assert_eq!(
        results.iter().filter(|r| r.0 == 9).count(),
        1,
        "{results:?}"
    );

    // The store is consistent: one rotation, one reuse, one revocation, a two-token chain.
    let rows = sessions(&home, NOW + 60, &[]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["state"], "revoked");
    assert_eq!(rows[0]["reason"], "reuse_detected");
    assert_eq!(rows[0]["generation"], 2);
    let chain = sessions(&home, NOW + 60, &[&family]);
    let states: Vec<&str> = chain.iter().map(|t| t["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["used", "revoked"]);
    assert_eq!(chain[0]["replaced_by"], chain[1]["jti"]);
    let winner_rt = decode(&home, &field(&winner, "refresh_token"));
    assert_eq!(chain[1]["jti"], winner_rt["claims"]["jti"]);
    let kinds = event_kinds(&home);
    let count = |k: &str| kinds.iter().filter(|e| *e == k).count();
    assert_eq!(count("rotated"), 1, "{kinds:?}");
    assert_eq!(count("reuse_detected"), 1, "{kinds:?}");
    assert_eq!(count("revoked"), 1, "{kinds:?}");
    assert_eq!(count("refused"), RACERS - 2, "{kinds:?}");
}

fn sessions_shows_a_table_a_chain_and_the_event_log(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let resp = login_at(&home, NOW, &["--sub", "alice", "--scope", "read"]);
    let family = field(&resp, "session_id");
    let (_, out, _) = refresh_at(&home, NOW + 600, &field(&resp, "refresh_token"), &[]);
    assert!(!out.is_empty());

    let (code, table, _) = run(jwtctl_at(&home, NOW + 600).arg("sessions"));
    assert_eq!(code, 0);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "{table}");
    assert!(
        lines[0].starts_with("FAMILY") && lines[0].contains("LAST REFRESH"),
        "{table}"
    );
    for cell in [
        family.as_str(),
        "alice",
        "jwtctl",
        "2023-11-14T22:13:20Z",
        "2023-11-14T22:23:20Z",
        "2",
        "active",
    ] {
        assert!(lines[1].contains(cell), "{cell} missing: {table}");
    }

    let (code, chain, _) = run(jwtctl_at(&home, NOW + 600).args(["sessions", &family[..6]]));
    assert_eq!(code, 0);
    assert!(
        chain.starts_with(&format!("session {family}  sub \"alice\"")),
        "{chain}"
    );
    assert!(chain.contains("GEN  JTI"), "{chain}");
    let rows = sessions(&home, NOW + 600, &[&family]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(rows[1]["parent"], rows[0]["jti"]);

    let (code, events, _) = run(jwtctl(&home).args(["sessions", "--events", "--sub", "alice"]));
    assert_eq!(code, 0);
    let events = json_lines(&events);
    assert_eq!(events.len(), 2);
    // --now drives every time the store records.
    assert_eq!(events[0]["at"], "2023-11-14T22:13:20Z");
    assert_eq!(events[1]["at"], "2023-11-14T22:23:20Z");
    assert_eq!(events[1]["kind"], "rotated");
    assert_eq!(events[1]["gen"], 2);
    assert_eq!(events[1]["family"], family.as_str());
    let (code, _, err) = run(jwtctl(&home).args(["sessions", "ffff-no-such"]));
    assert_eq!(code, 2, "{err}");
}
}
