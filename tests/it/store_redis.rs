//! The Redis store's own faults and properties, against real throwaway servers
//! (`support::redis`); what every store does alike is the conformance suite's
//! (`refresh::redis::*`, `refresh_store::redis::*`, `session_contract::redis::*`). Faults: a
//! server down, a wrong or missing password, TLS without and with `--store-ca`, a timeout
//! mid-operation, a reply lost after the rotation ran, a restart mid-run (AOF), clients killed
//! mid-rotation. Properties: keys expire with the family, prefixes isolate, a flushed script
//! cache is refilled, two homes on one store catch a replay, migrate and copy.

#![allow(clippy::unwrap_used)] // test helpers panic by design

use crate::support::redis::{Config, LosingRelay, Redis, USER, shared, unique_prefix};
use crate::support::*;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A home with an RSA key on the store `env` names.
fn home_on(env: Vec<(String, String)>) -> (TempDir, PathBuf) {
    let (dir, home) = new_home();
    set_store(&home, env);
    (dir, home)
}

/// A second home with the same keyring as `home`, on the same store: another machine.
fn twin(home: &Path) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let other = dir.path().join("home");
    std::fs::create_dir(&other).unwrap();
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::copy(home.join("keyring.json"), other.join("keyring.json")).unwrap();
    std::fs::set_permissions(
        other.join("keyring.json"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    share_store(&other, home);
    (dir, other)
}

/// The lines of a one-line error and its hint.
fn error_and_hint(err: &str) -> (String, String) {
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one error line and one hint: {err}");
    assert!(
        lines[0].starts_with("jwtctl: error: refresh store "),
        "{err}"
    );
    assert!(lines[1].starts_with("hint: "), "{err}");
    (lines[0].to_owned(), lines[1].to_owned())
}

fn chain_states(home: &Path, family: &str) -> Vec<String> {
    sessions(home, NOW, &[family])
        .iter()
        .map(|t| t["state"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_server_that_is_down_is_10_with_one_clear_line() {
    let server = Redis::start(Config::default());
    let (_dir, home) = home_on(server.env(&unique_prefix()));
    let rt = field(&login(&home, "alice"), "refresh_token");
    server.stop();
    let port = server.port;
    for args in [
        vec!["refresh", rt.as_str()],
        vec!["login", "--sub", "bob"],
        vec!["sessions"],
        vec!["logout", rt.as_str()],
        vec!["subject", "disable", "bob"],
        vec!["store", "migrate"],
    ] {
        let (code, out, err) = run(jwtctl(&home).args(&args));
        assert_eq!((code, out.as_str()), (10, ""), "{args:?}: {err}");
        let (line, hint) = error_and_hint(&err);
        assert!(
            line.contains(&format!("cannot connect to 127.0.0.1:{port}")),
            "{args:?}: {err}"
        );
        assert!(line.contains(&server.url()), "names the store: {err}");
        assert!(
            hint.contains(&format!("is redis-server running at 127.0.0.1:{port}?")),
            "{err}"
        );
    }
}

#[test]
fn a_wrong_or_missing_password_is_10_and_never_printed() {
    let server = shared();
    let dir = TempDir::new().unwrap();
    let wrong = dir.path().join("wrong");
    std::fs::write(&wrong, "not-the-password-Xq9\n").unwrap();
    std::fs::set_permissions(&wrong, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut env = server.env(&unique_prefix());
    let (_home_dir, home) = home_on(env.clone());

    let (code, out, err) = run(jwtctl(&home)
        .args(["login", "--sub", "alice"])
        .env("JWTCTL_STORE_PASSWORD_FILE", &wrong));
    assert_eq!((code, out.as_str()), (10, ""), "{err}");
    let (line, hint) = error_and_hint(&err);
    assert!(
        line.contains("refused the login") && line.contains("WRONGPASS"),
        "{err}"
    );
    assert!(hint.contains("check the password file"), "{err}");
    assert!(!err.contains("not-the-password"), "{err}");

    let (code, _, err) = run(jwtctl(&home)
        .args(["login", "--sub", "alice"])
        .env_remove("JWTCTL_STORE_PASSWORD_FILE"));
    assert_eq!(code, 10, "{err}");
    let (line, hint) = error_and_hint(&err);
    assert!(line.contains("wants a password"), "{err}");
    assert!(hint.contains("--store-password-file"), "{err}");

    // The password in JWTCTL_STORE's URL works, and is masked in every message.
    let password = std::fs::read_to_string(server.password_file()).unwrap();
    let password = password.trim_end();
    env.retain(|(k, _)| k != "JWTCTL_STORE_PASSWORD_FILE" && k != "JWTCTL_STORE");
    let url = format!("redis://{USER}:{password}@127.0.0.1:{}/0", server.port);
    env.push(("JWTCTL_STORE".into(), url));
    set_store(&home, env);
    login(&home, "alice");
    let (code, _, err) = run(jwtctl(&home).args(["subject", "disable", "x"]).env(
        "JWTCTL_STORE",
        format!("redis://{USER}:{password}@127.0.0.1:1/0"),
    ));
    assert_eq!(code, 10, "{err}");
    assert!(
        err.contains(&format!("redis://{USER}:***@127.0.0.1:1/0")),
        "{err}"
    );
    assert!(!err.contains(password), "{err}");
}

#[test]
fn tls_is_verified_and_store_ca_adds_the_ca() {
    let server = Redis::start(Config {
        tls: true,
        ..Config::default()
    });
    let env = server.env(&unique_prefix());
    let without_ca: Vec<_> = env
        .iter()
        .filter(|(k, _)| k != "JWTCTL_STORE_CA")
        .cloned()
        .collect();
    let (_dir, home) = home_on(without_ca);
    let (code, out, err) = run(jwtctl(&home).args(["login", "--sub", "alice"]));
    assert_eq!((code, out.as_str()), (10, ""), "{err}");
    let (line, hint) = error_and_hint(&err);
    assert!(line.contains("invalid peer certificate"), "{err}");
    assert!(hint.contains("--store-ca FILE"), "{err}");
    assert!(sessions_count(&server, &env) == 0);

    // With the CA: the same command works, and the session refreshes over TLS.
    let ca = server.ca();
    let resp = json(&stdout_of(
        jwtctl(&home)
            .args(["login", "--sub", "alice", "--store-ca"])
            .arg(&ca),
    ));
    let (code, out, err) = run(jwtctl_at(&home, NOW + 1)
        .args(["refresh", &field(&resp, "refresh_token"), "--store-ca"])
        .arg(&ca));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["generation"], 2);
    // The certificate's other name works as well.
    let (code, _, err) = run(jwtctl(&home).args(["sessions", "--store-ca"]).arg(&ca).env(
        "JWTCTL_STORE",
        server.url().replace("127.0.0.1", "localhost"),
    ));
    assert_eq!(code, 0, "{err}");

    // Plain Redis to the TLS port, TLS to a plain port: 10, each with its own hint.
    let plain = server.url().replace("rediss://", "redis://");
    let (code, _, err) = run(jwtctl(&home)
        .args(["sessions", "--store", &plain])
        .env("JWTCTL_STORE_TIMEOUT", "3s"));
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("a TLS port? that is rediss://"), "{err}");
    let tls_to_plain = format!("rediss://{USER}@127.0.0.1:{}/0", shared().port);
    let (code, _, err) = run(jwtctl(&home)
        .args(["sessions", "--store", &tls_to_plain])
        .env("JWTCTL_STORE_TIMEOUT", "1s"));
    assert_eq!(code, 10, "{err}");
    let (line, hint) = error_and_hint(&err);
    assert!(line.contains("TLS with"), "{err}");
    assert!(hint.contains("a TLS port?"), "{err}");
}

/// How many families the store of `env` holds, read with redis-cli.
fn sessions_count(server: &Redis, env: &[(String, String)]) -> usize {
    let prefix = &env
        .iter()
        .find(|(k, _)| k == "JWTCTL_STORE_PREFIX")
        .unwrap()
        .1;
    server
        .cli(&["ZCARD", &format!("{prefix}families")])
        .parse()
        .unwrap()
}

#[test]
fn a_timeout_mid_operation_is_10_within_the_bound_and_changes_nothing() {
    let server = Redis::start(Config::default());
    let (_dir, home) = home_on(server.env(&unique_prefix()));
    let rt = field(&login(&home, "alice"), "refresh_token");
    // Writes stall (reads do not): the refresh reads its snapshot, decides, and its
    // compare-and-set gets no answer.
    server.cli(&["CLIENT", "PAUSE", "120000", "WRITE"]);
    let started = Instant::now();
    let (code, out, err) = run(jwtctl(&home)
        .args(["refresh", &rt])
        .env("JWTCTL_STORE_TIMEOUT", "1s"));
    let took = started.elapsed();
    assert_eq!((code, out.as_str()), (10, ""), "{err}");
    let (line, hint) = error_and_hint(&err);
    assert!(line.contains("within 1s (--store-timeout)"), "{err}");
    assert!(line.contains("may or may not have been made"), "{err}");
    assert!(hint.contains("--grace"), "{err}");
    assert!(
        took < Duration::from_secs(60),
        "bounded by the timeout, not the pause: {took:?}"
    );
    // Reads are not held up by paused writes.
    assert_eq!(sessions(&home, NOW, &[])[0]["generation"], 1);
    server.cli(&["CLIENT", "UNPAUSE"]);
    // Nothing was applied: the client gave up and closed before the server ran it.
    assert_eq!(event_kinds(&home), ["issued"]);
    let (code, out, err) = refresh_at(&home, NOW + 1, &rt, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["generation"], 2);
}

#[test]
fn a_reply_lost_after_the_rotation_is_10_and_a_retry_under_grace_gets_a_pair() {
    // A server of its own: no other test may flush its script cache meanwhile.
    let server = Redis::start(Config::default());
    // A rotation straight to the server first (under another prefix), so it has the
    // scripts: the relayed rotation is then the script itself running, not a NOSCRIPT answer.
    let (_warm_dir, warm) = home_on(server.env(&unique_prefix()));
    let rt = field(&login(&warm, "warm-up"), "refresh_token");
    assert_eq!(refresh_at(&warm, NOW, &rt, &[]).0, 0);
    // "rotated" is the apply script's event kind: only a rotation's request carries it.
    let relay = LosingRelay::new(server.port, b"rotated");
    let mut env = server.env(&unique_prefix());
    for (k, v) in &mut env {
        if k == "JWTCTL_STORE" {
            *v = format!("redis://{USER}@127.0.0.1:{}/0", relay.port);
        }
    }
    let (_dir, home) = home_on(env);
    let resp = login(&home, "alice");
    let (rt, family) = (field(&resp, "refresh_token"), field(&resp, "session_id"));
    let (code, out, err) = refresh_at(&home, NOW + 10, &rt, &[]);
    assert!(relay.fired());
    assert_eq!(
        (code, out.as_str()),
        (10, ""),
        "never a success that did not happen: {err}"
    );
    let (line, hint) = error_and_hint(&err);
    assert!(line.contains("may or may not have been made"), "{err}");
    assert!(
        hint.contains("sessions --events") && hint.contains("--grace"),
        "{err}"
    );
    // It did happen, whole: the family is at generation 2 with one current token.
    assert_eq!(chain_states(&home, &family), ["used", "active"]);
    assert_eq!(event_kinds(&home), ["issued", "rotated"]);
    // The same token again under --grace: a pair, and the log tells the story.
    let (code, out, err) = refresh_at(&home, NOW + 20, &rt, &["--grace", "1m"]);
    assert_eq!(code, 0, "{err}");
    let pair = json(&out);
    assert_eq!(pair["generation"], 3);
    assert_eq!(event_kinds(&home), ["issued", "rotated", "grace_reissued"]);
    assert_eq!(
        chain_states(&home, &family),
        ["used", "superseded", "active"]
    );
    let (code, _, err) = refresh_at(&home, NOW + 30, &field(&pair, "refresh_token"), &[]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_restart_mid_run_loses_nothing_committed() {
    let server = Redis::start(Config {
        aof: true,
        ..Config::default()
    });
    let (_dir, home) = home_on(server.env(&unique_prefix()));
    const FAMILIES: usize = 3;
    const ROUNDS: usize = 8;
    let done = std::sync::atomic::AtomicUsize::new(0);
    // Every refresh that answered 0, as (family, generation, refresh token).
    let committed = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let mut committed: Vec<(String, i64, String)> = Vec::new();
            let mut current: Vec<String> = (0..FAMILIES)
                .map(|i| {
                    let r =
                        retrying(|| run(jwtctl(&home).args(["login", "--sub", &format!("u{i}")])));
                    let v = json(&r);
                    committed.push((field(&v, "session_id"), 1, field(&v, "refresh_token")));
                    field(&v, "refresh_token")
                })
                .collect();
            for round in 0..ROUNDS {
                for rt in &mut current {
                    let now = NOW + 10 * i64::try_from(round + 1).unwrap();
                    // --grace: a rotation whose answer was lost is retried safely.
                    let out = retrying(|| refresh_at(&home, now, rt, &["--grace", "1h"]));
                    let v = json(&out);
                    committed.push((
                        field(&v, "session_id"),
                        v["generation"].as_i64().unwrap(),
                        field(&v, "refresh_token"),
                    ));
                    *rt = field(&v, "refresh_token");
                    done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            }
            committed
        });
        // Kill -9 and restart the server while the worker runs.
        let started = Instant::now();
        while done.load(std::sync::atomic::Ordering::SeqCst) < 4 {
            assert!(started.elapsed() < Duration::from_secs(300), "no progress");
            std::thread::sleep(Duration::from_millis(10));
        }
        server.restart();
        worker.join().unwrap()
    });
    assert!(done.load(std::sync::atomic::Ordering::SeqCst) >= FAMILIES * ROUNDS);
    for (family, generation, rt) in &committed {
        let jti = decode(&home, rt)["claims"]["jti"].clone();
        let chain = sessions(&home, NOW, &[family]);
        assert!(
            chain
                .iter()
                .any(|t| t["jti"] == jti && t["generation"] == *generation),
            "lost {family} generation {generation}: {chain:?}"
        );
    }
    // And each family's last token is its current one.
    let rows = sessions(&home, NOW, &[]);
    assert_eq!(rows.len(), FAMILIES);
    for row in rows {
        assert_eq!(row["state"], "active", "{row}");
    }
}

/// Runs `f` until it exits 0 (a restarting server answers 10 for a moment); its stdout.
fn retrying(mut f: impl FnMut() -> (i32, String, String)) -> String {
    let started = Instant::now();
    loop {
        let (code, out, err) = f();
        match code {
            0 => return out,
            10 if started.elapsed() < Duration::from_secs(120) => {
                std::thread::sleep(Duration::from_millis(50));
            }
            _ => panic!("exit {code}: {err}"),
        }
    }
}

#[test]
fn clients_killed_mid_rotation_leave_every_family_with_exactly_one_current_token() {
    let (_dir, home) = home_on(crate::support::redis::fresh_store());
    let tokens: Vec<(String, String)> = (0..6)
        .map(|i| {
            let v = login(&home, &format!("u{i}"));
            (field(&v, "session_id"), field(&v, "refresh_token"))
        })
        .collect();
    // Six racers per token, each killed after a different moment (some before they start,
    // some mid-rotation, some after).
    let mut children = Vec::new();
    for (i, (_, rt)) in tokens.iter().cycle().take(36).enumerate() {
        let child = jwtctl_process(&home)
            .args(["refresh", rt])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        children.push((
            child,
            Duration::from_millis(u64::try_from(i % 9).unwrap() * 4),
        ));
    }
    let started = Instant::now();
    for (child, after) in &mut children {
        if let Some(wait) = after.checked_sub(started.elapsed()) {
            std::thread::sleep(wait);
        }
        let _ = child.kill();
    }
    for (child, _) in &mut children {
        let _ = child.wait();
    }
    for (family, _) in &tokens {
        let row = &sessions(&home, NOW, &[])
            .into_iter()
            .find(|r| r["family"] == family.as_str())
            .unwrap_or_else(|| panic!("family {family} is gone"));
        let chain = sessions(&home, NOW, &[family]);
        let active: Vec<&Value> = chain.iter().filter(|t| t["state"] == "active").collect();
        if row["state"] == "revoked" {
            assert!(active.is_empty(), "{chain:?}");
        } else {
            assert_eq!(active.len(), 1, "exactly one current token: {chain:?}");
            assert_eq!(
                active[0]["generation"], row["generation"],
                "{row} {chain:?}"
            );
        }
        for t in &chain {
            if let Some(next) = t["replaced_by"].as_str() {
                assert!(chain.iter().any(|u| u["jti"] == next), "{chain:?}");
            }
        }
    }
}

#[test]
fn keys_expire_with_the_family_lifetime_and_subjects_never() {
    let server = shared();
    let prefix = unique_prefix();
    let (_dir, home) = home_on(server.env(&prefix));
    let resp = login_at(&home, NOW, &["--sub", "alice", "--max-lifetime", "2h"]);
    let family = field(&resp, "session_id");
    let (_, out, _) = refresh_at(&home, NOW + 600, &field(&resp, "refresh_token"), &[]);
    let jti2 = decode(&home, &field(&json(&out), "refresh_token"))["claims"]["jti"]
        .as_str()
        .unwrap()
        .to_owned();
    stdout_of(jwtctl(&home).args(["subject", "disable", "mallory"]));
    let pttl = |key: &str| -> i64 {
        server
            .cli(&["PTTL", &format!("{prefix}{key}")])
            .parse()
            .unwrap()
    };
    // Two hours of lifetime and the one-day margin (src/session/store/redis/mod.rs).
    let want = (2 * 3600 + 86_400) * 1000;
    for key in [
        format!("fam:{family}"),
        format!("chain:{family}"),
        format!("tok:{jti2}"),
    ] {
        let ttl = pttl(&key);
        assert!(
            ttl <= want && ttl > want - 120_000,
            "{key}: PTTL {ttl}, want about {want}"
        );
    }
    for key in [
        "disabled:mallory",
        "events",
        "event_seq",
        "families",
        "schema",
    ] {
        assert_eq!(pttl(key), -1, "{key} must not expire");
    }
}

#[test]
fn two_prefixes_on_one_server_are_two_stores() {
    let server = shared();
    let env_a = server.env(&unique_prefix());
    let (_a_dir, a) = home_on(env_a.clone());
    let (_b_dir, b) = twin(&a);
    set_store(&b, server.env(&unique_prefix()));
    let rt = field(&login(&a, "alice"), "refresh_token");
    login(&b, "bob");
    let subs = |home: &Path| -> Vec<String> {
        sessions(home, NOW, &[])
            .iter()
            .map(|r| r["sub"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(subs(&a), ["alice"]);
    assert_eq!(subs(&b), ["bob"]);
    // The same keyring, another prefix: the token is unknown there (8), and rotates here.
    assert_eq!(refresh_at(&b, NOW + 1, &rt, &[]).0, 8);
    assert_eq!(refresh_at(&a, NOW + 1, &rt, &[]).0, 0);
    assert_eq!(event_kinds(&a), ["issued", "rotated"]);
    // An unknown token logs nothing (as on SQLite): B's log holds its own login only.
    assert_eq!(event_kinds(&b), ["issued"]);
    // Another database of the server (SELECT), under A's own prefix, is another store too.
    let (_c_dir, c) = twin(&a);
    let mut env = env_a;
    for (k, v) in &mut env {
        if k == "JWTCTL_STORE" {
            *v = v.replace("/0", "/3");
        }
    }
    set_store(&c, env);
    assert!(sessions(&c, NOW, &[]).is_empty());
    login(&c, "carol");
    assert_eq!(subs(&a), ["alice"]);
    assert_eq!(subs(&c), ["carol"]);
}

#[test]
fn a_flushed_script_cache_is_refilled_between_commands() {
    let server = shared();
    let (_dir, home) = home_on(server.env(&unique_prefix()));
    let resp = login(&home, "alice");
    assert_eq!(server.cli(&["SCRIPT", "FLUSH"]), "OK");
    let (code, out, err) = refresh_at(&home, NOW + 1, &field(&resp, "refresh_token"), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.cli(&["SCRIPT", "FLUSH"]), "OK");
    assert_eq!(sessions(&home, NOW + 1, &[])[0]["generation"], 2);
    assert_eq!(server.cli(&["SCRIPT", "FLUSH"]), "OK");
    let (code, _, err) =
        run(jwtctl_at(&home, NOW + 1).args(["logout", &field(&json(&out), "refresh_token")]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_token_rotated_through_one_home_and_replayed_through_another_is_reuse() {
    let (_a_dir, a) = home_on(crate::support::redis::fresh_store());
    let (_b_dir, b) = twin(&a);
    let resp = login(&a, "alice");
    let rt1 = field(&resp, "refresh_token");
    let (code, out, err) = refresh_at(&a, NOW + 10, &rt1, &[]);
    assert_eq!(code, 0, "{err}");
    let rt2 = field(&json(&out), "refresh_token");
    // The other machine replays the rotated token: reuse, the family revoked for everyone.
    let (code, out, err) = refresh_at(&b, NOW + 20, &rt1, &[]);
    assert_eq!((code, out.as_str()), (9, ""), "{err}");
    for home in [&a, &b] {
        let rows = sessions(home, NOW + 20, &[]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["state"], "revoked");
        assert_eq!(rows[0]["reason"], "reuse_detected");
    }
    assert_eq!(refresh_at(&a, NOW + 30, &rt2, &[]).0, 8);
    assert_eq!(refresh_at(&b, NOW + 30, &rt2, &[]).0, 8);
}

#[test]
fn store_migrate_marks_the_schema_once_and_a_newer_one_is_refused() {
    let server = shared();
    let prefix = unique_prefix();
    let (_dir, home) = home_on(server.env(&prefix));
    let (code, out, err) = run(jwtctl(&home).args(["store", "migrate"]));
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.contains("schema version 1 (created)"), "{err}");
    let (code, _, err) = run(jwtctl(&home).args(["store", "migrate"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("up to date"), "{err}");
    login(&home, "alice");
    server.cli(&["SET", &format!("{prefix}schema"), "2"]);
    for args in [
        vec!["login", "--sub", "bob"],
        vec!["sessions"],
        vec!["store", "migrate"],
    ] {
        let (code, _, err) = run(jwtctl(&home).args(&args));
        assert_eq!(code, 10, "{args:?}: {err}");
        assert!(err.contains("schema version 2"), "{err}");
    }
    assert_eq!(server.cli(&["ZCARD", &format!("{prefix}families")]), "1");
}

/// `sessions --json` rows and the event log (ids aside) of the store at `url`.
fn contents(home: &Path, env: &[(&str, &str)]) -> (Vec<Value>, Vec<Value>) {
    let rows = json_lines(&stdout_of(
        jwtctl(home)
            .args(["sessions", "--json"])
            .envs(env.iter().copied()),
    ));
    let mut events = json_lines(&stdout_of(
        jwtctl(home)
            .args(["sessions", "--events"])
            .envs(env.iter().copied()),
    ));
    for e in &mut events {
        e.as_object_mut().unwrap().remove("id");
    }
    (rows, events)
}

#[test]
fn store_copy_moves_sqlite_to_redis_and_back_without_loss() {
    let (dir, home) = new_home();
    let alice = login(&home, "alice");
    let (code, out, _) = refresh_at(&home, NOW + 60, &field(&alice, "refresh_token"), &[]);
    assert_eq!(code, 0);
    let rt2 = field(&json(&out), "refresh_token");
    let bob = field(&login(&home, "bob"), "refresh_token");
    assert_eq!(refresh_at(&home, NOW + 60, &bob, &[]).0, 0);
    assert_eq!(refresh_at(&home, NOW + 61, &bob, &[]).0, 9);
    stdout_of(jwtctl(&home).args(["subject", "disable", "mallory", "--reason", "fraud"]));

    let server = shared();
    let prefix = unique_prefix();
    let password = server.password_file().display().to_string();
    let from = format!("sqlite:{}", home.join("refresh.db").display());
    let (code, out, err) = run(jwtctl(&home)
        .args([
            "store",
            "copy",
            "--json",
            "--from",
            &from,
            "--to",
            &server.url(),
        ])
        .args(["--to-password-file", &password, "--store-prefix", &prefix]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["tokens"], 4);
    let on_redis = [
        ("JWTCTL_STORE", server.url()),
        ("JWTCTL_STORE_PASSWORD_FILE", password.clone()),
        ("JWTCTL_STORE_PREFIX", prefix.clone()),
    ];
    let on_redis: Vec<(&str, &str)> = on_redis.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let original = contents(&home, &[]);
    assert_eq!(contents(&home, &on_redis), original);
    // And back into a new SQLite file.
    let back = format!("sqlite:{}", dir.path().join("back.db").display());
    let (code, _, err) = run(jwtctl(&home)
        .args(["store", "copy", "--from", &server.url(), "--to", &back])
        .args(["--from-password-file", &password, "--store-prefix", &prefix]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        contents(&home, &[("JWTCTL_STORE", back.as_str())]),
        original
    );
    // The copy on Redis is a working store: the current token rotates there.
    let (code, _, err) = run(jwtctl_at(&home, NOW + 120)
        .args(["refresh", &rt2])
        .envs(on_redis.iter().copied()));
    assert_eq!(code, 0, "{err}");
    // A second copy into it is refused, nothing written.
    let (code, _, err) = run(jwtctl(&home)
        .args(["store", "copy", "--from", &from, "--to", &server.url()])
        .args(["--to-password-file", &password, "--store-prefix", &prefix]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn one_shot_commands_never_connect_to_the_store() {
    // A store URL that nothing answers: sign, verify and decode do not care.
    let (_dir, home) = home_on(vec![
        ("JWTCTL_STORE".into(), "redis://127.0.0.1:1/0".into()),
        ("JWTCTL_STORE_TIMEOUT".into(), "100ms".into()),
    ]);
    let token = stdout_of(jwtctl(&home).args(["sign", "--sub", "1"]));
    stdout_of(jwtctl(&home).args(["verify", &token]));
    stdout_of(jwtctl(&home).args(["decode", &token]));
    let (code, _, _) = run(jwtctl(&home).args(["sessions"]));
    assert_eq!(code, 10, "sessions does use the store");
}
