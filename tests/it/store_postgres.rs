//! The PostgreSQL store's own tests (the shared behaviour is the conformance suite's): its
//! schema and constraints, versions, two homes on one database, and the faults of a server
//! store — down, wrong password, TLS, a lock held too long, a server that stops answering
//! mid-operation, a reply lost after COMMIT, clients killed mid-rotation, server restarts and
//! crashes — against a real throwaway server (support/postgres.rs). Faults in the middle of the
//! protocol are made by a small TCP relay between jwtctl and the server ([`Relay`]).

#![allow(clippy::unwrap_used)] // tests panic by design

use crate::support::postgres::{self as pg, Pg};
use crate::support::{field, json, json_lines, jwtctl, new_home, run};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

type Env = Vec<(String, String)>;

/// A home with an RSA key whose commands use `env`'s store.
fn home_with(env: &Env) -> (tempfile::TempDir, PathBuf, Env) {
    let (dir, home) = new_home();
    (dir, home, env.clone())
}

fn cmd(home: &Path, env: &Env) -> assert_cmd::Command {
    let mut c = jwtctl(home);
    c.envs(env.iter().map(|(k, v)| (k, v)));
    c
}

fn login(home: &Path, env: &Env, sub: &str) -> serde_json::Value {
    let (code, out, err) = run(cmd(home, env).args(["login", "--sub", sub]));
    assert_eq!(code, 0, "login: {err}");
    json(&out)
}

fn refresh(home: &Path, env: &Env, rt: &str, args: &[&str]) -> (i32, String, String) {
    run(cmd(home, env).arg("refresh").args(args).arg(rt))
}

fn store_url(env: &Env) -> String {
    env.iter()
        .find(|(k, _)| k == "JWTCTL_STORE")
        .unwrap()
        .1
        .clone()
}

/// `env` with its URL's host:port replaced by `addr`.
fn via(env: &Env, addr: &str) -> Env {
    let url = store_url(env);
    let rest = url.split_once('@').unwrap().1;
    let tail = &rest[rest.find('/').unwrap()..];
    let user = url.split_once('@').unwrap().0;
    vec![("JWTCTL_STORE".into(), format!("{user}@{addr}{tail}"))]
}

fn count(db: &str, table: &str) -> i64 {
    pg::psql(db, &format!("SELECT count(*) FROM {table}"))
        .parse()
        .unwrap()
}

/// Every unrevoked family has exactly one active token and it is the family's current one;
/// a revoked family has none.
fn assert_one_current_token_per_family(server: &Pg, db: &str) {
    let bad = server.psql(
        db,
        "SELECT f.id FROM jwtctl_families f \
         LEFT JOIN jwtctl_tokens t ON t.family_id = f.id AND t.state = 'active' \
         GROUP BY f.id, f.revoked_at, f.current_jti \
         HAVING (f.revoked_at IS NULL AND (count(t.jti) <> 1 OR max(t.jti) <> f.current_jti)) \
             OR (f.revoked_at IS NOT NULL AND count(t.jti) <> 0)",
    );
    assert_eq!(bad, "", "families without exactly one current token");
}

#[test]
fn the_schema_is_versioned_and_forbids_two_current_tokens_in_a_family() {
    let env = pg::fresh_store();
    let db = pg::database_of(&env);
    let (_d, home, env) = home_with(&env);
    login(&home, &env, "alice");
    assert_eq!(
        pg::psql(
            &db,
            "SELECT value FROM jwtctl_meta WHERE key = 'schema_version'"
        ),
        "2"
    );
    let index = pg::psql(
        &db,
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'jwtctl_tokens_one_active'",
    );
    assert!(
        index.contains("UNIQUE") && index.contains("'active'"),
        "{index}"
    );
    // A second active token in the family, written by hand, is refused by the database.
    let err = pg::psql_result(
        &db,
        "INSERT INTO jwtctl_tokens (jti, family_id, generation, sha256, issued_at, expires_at, \
         state) SELECT 'forged', id, generation + 1, '\\x00', 0, 0, 'active' \
         FROM jwtctl_families",
    )
    .unwrap_err();
    assert!(err.contains("jwtctl_tokens_one_active"), "{err}");
    // So is a second token of one generation.
    let err = pg::psql_result(
        &db,
        "INSERT INTO jwtctl_tokens (jti, family_id, generation, sha256, issued_at, expires_at, \
         state) SELECT 'forged', id, generation, '\\x01', 0, 0, 'used' FROM jwtctl_families",
    )
    .unwrap_err();
    assert!(err.contains("duplicate key"), "{err}");
    assert_eq!(count(&db, "jwtctl_tokens"), 1);
}

#[test]
fn store_migrate_creates_the_schema_then_finds_it_up_to_date() {
    let env = pg::fresh_store();
    let db = pg::database_of(&env);
    let (_d, home, env) = home_with(&env);
    let (code, _, err) = run(cmd(&home, &env).args(["store", "migrate"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("schema version 2 (created)"), "{err}");
    assert!(
        !err.contains("5432") || err.contains(&store_url(&env)),
        "{err}"
    );
    let (code, _, err) = run(cmd(&home, &env).args(["store", "migrate"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("up to date"), "{err}");
    assert_eq!(count(&db, "jwtctl_families"), 0);
}

#[test]
fn a_version_1_database_is_refused_until_store_migrate_adds_the_serve_tables() {
    let env = pg::fresh_store();
    let db = pg::database_of(&env);
    let (_d, home, env) = home_with(&env);
    let rt = field(&login(&home, &env, "alice"), "refresh_token");
    // The database as a jwtctl of schema version 1 left it.
    pg::psql(
        &db,
        "DROP TABLE jwtctl_codes, jwtctl_session_claims; \
         UPDATE jwtctl_meta SET value = 1 WHERE key = 'schema_version'",
    );
    let before = count(&db, "jwtctl_events");
    for args in [vec!["refresh", rt.as_str()], vec!["sessions"]] {
        let (code, out, err) = run(cmd(&home, &env).args(&args));
        assert_eq!(code, 10, "{args:?}: {err}");
        assert!(out.is_empty());
        assert!(
            err.contains("schema version 1; this jwtctl knows version 2")
                && err.contains("jwtctl store migrate"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        count(&db, "jwtctl_events"),
        before,
        "refused without a write"
    );
    let (code, _, err) = run(cmd(&home, &env).args(["store", "migrate"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("schema version 2 (migrated from version 1)"),
        "{err}"
    );
    assert_eq!(count(&db, "jwtctl_codes"), 0);
    assert_eq!(count(&db, "jwtctl_session_claims"), 0);
    // Everything it held is still there: the session rotates.
    let (code, _, err) = refresh(&home, &env, &rt, &[]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_newer_schema_is_refused_without_a_write() {
    let env = pg::fresh_store();
    let db = pg::database_of(&env);
    let (_d, home, env) = home_with(&env);
    let pair = login(&home, &env, "alice");
    pg::psql(&db, "UPDATE jwtctl_meta SET value = 99");
    let before = (
        count(&db, "jwtctl_families"),
        count(&db, "jwtctl_tokens"),
        count(&db, "jwtctl_events"),
    );
    let rt = field(&pair, "refresh_token");
    for args in [
        vec!["refresh", rt.as_str()],
        vec!["login", "--sub", "bob"],
        vec!["logout", "--all", "--sub", "alice"],
        vec!["store", "migrate"],
    ] {
        let (code, out, err) = run(cmd(&home, &env).args(&args));
        assert_eq!(code, 10, "{args:?}: {err}");
        assert!(out.is_empty());
        assert!(
            err.contains("schema version 99; this jwtctl knows version 2"),
            "{args:?}: {err}"
        );
    }
    let after = (
        count(&db, "jwtctl_families"),
        count(&db, "jwtctl_tokens"),
        count(&db, "jwtctl_events"),
    );
    assert_eq!(before, after);
    assert_eq!(
        pg::psql(
            &db,
            "SELECT value FROM jwtctl_meta WHERE key = 'schema_version'"
        ),
        "99"
    );
}

#[test]
fn a_token_rotated_through_one_home_and_replayed_through_another_is_reuse_in_both() {
    let env = pg::fresh_store();
    let (dir, home_a, env) = home_with(&env);
    // A second home with the same keyring (the keys must agree), sharing the database.
    let home_b = dir.path().join("b");
    copy_dir(&home_a, &home_b);
    let old = field(&login(&home_a, &env, "alice"), "refresh_token");
    let (code, out, err) = refresh(&home_a, &env, &old, &[]);
    assert_eq!(code, 0, "{err}");
    let new = field(&json(&out), "refresh_token");
    let (code, out, err) = refresh(&home_b, &env, &old, &[]);
    assert_eq!(code, 9, "{err}");
    assert!(out.is_empty());
    // The legitimate holder's newer token is now refused, from either home.
    let (code, _, err) = refresh(&home_a, &env, &new, &[]);
    assert_eq!(code, 8, "{err}");
    for home in [&home_a, &home_b] {
        let (code, out, err) = run(cmd(home, &env).args(["sessions", "--json"]));
        assert_eq!(code, 0, "{err}");
        let rows = json_lines(&out);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["reason"], "reuse_detected", "{}", rows[0]);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_server_that_is_not_there_is_10_with_a_hint() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (_d, home) = new_home();
    let env: Env = vec![(
        "JWTCTL_STORE".into(),
        format!("postgres://jwtctl@127.0.0.1:{port}/x?sslmode=disable"),
    )];
    let (code, out, err) = run(cmd(&home, &env).args(["login", "--sub", "alice"]));
    assert_eq!(code, 10, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains(&format!("postgres://jwtctl@127.0.0.1:{port}/x")),
        "{err}"
    );
    assert!(
        err.contains(&format!("is PostgreSQL running at 127.0.0.1:{port}?")),
        "{err}"
    );
}

#[test]
fn passwords_come_from_the_environment_a_password_file_or_pgpass() {
    let env = pg::fresh_store_with_password();
    let db = pg::database_of(&env);
    let (dir, home, env) = home_with(&env);
    let no_pgpass = [("PGPASSFILE", dir.path().join("none").display().to_string())];
    // The password in JWTCTL_STORE's URL.
    let (code, _, err) = run(cmd(&home, &env)
        .envs(no_pgpass.clone())
        .args(["login", "--sub", "a"]));
    assert_eq!(code, 0, "{err}");
    // A wrong one: 10, and the password is never shown.
    let wrong = vec![(
        "JWTCTL_STORE".to_owned(),
        store_url(&env).replace(pg::PASSWORD, "wrong-pw"),
    )];
    let (code, out, err) = run(cmd(&home, &wrong)
        .envs(no_pgpass.clone())
        .args(["login", "--sub", "a"]));
    assert_eq!(code, 10, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("password authentication failed"), "{err}");
    assert!(
        err.contains("hint:") && err.contains("--store-password-file"),
        "{err}"
    );
    assert!(
        !err.contains("wrong-pw") && err.contains("jwtctl_pw:***@"),
        "{err}"
    );
    // None at all: the server asks for one.
    let bare = vec![(
        "JWTCTL_STORE".to_owned(),
        store_url(&env).replace(&format!(":{}@", pg::PASSWORD), "@"),
    )];
    let (code, _, err) = run(cmd(&home, &bare)
        .envs(no_pgpass.clone())
        .args(["login", "--sub", "a"]));
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("the server wants a password"), "{err}");
    // --store-password-file.
    let file = dir.path().join("pw");
    std::fs::write(&file, format!("{}\n", pg::PASSWORD)).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, _, err) = run(cmd(&home, &bare)
        .envs(no_pgpass.clone())
        .arg("--store-password-file")
        .arg(&file)
        .args(["login", "--sub", "b"]));
    assert_eq!(code, 0, "{err}");
    // PGPASSFILE, with a wildcard for the port and an escaped colon elsewhere.
    let pgpass = dir.path().join("pgpass");
    std::fs::write(
        &pgpass,
        format!(
            "# jwtctl\nother\\:host:*:*:*:nope\n127.0.0.1:*:{db}:jwtctl_pw:{}\n",
            pg::PASSWORD
        ),
    )
    .unwrap();
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, _, err) = run(cmd(&home, &bare)
        .env("PGPASSFILE", &pgpass)
        .args(["login", "--sub", "c"]));
    assert_eq!(code, 0, "{err}");
    // ~/.pgpass when PGPASSFILE is not set.
    let fake_home = dir.path().join("user");
    std::fs::create_dir(&fake_home).unwrap();
    std::fs::copy(&pgpass, fake_home.join(".pgpass")).unwrap();
    let (code, _, err) = run(cmd(&home, &bare)
        .env_remove("PGPASSFILE")
        .env("HOME", &fake_home)
        .args(["login", "--sub", "d"]));
    assert_eq!(code, 0, "{err}");
    // A password file others can read is refused (11), like a readable keyring.
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, out, err) = run(cmd(&home, &bare)
        .env("PGPASSFILE", &pgpass)
        .args(["login", "--sub", "e"]));
    assert_eq!(code, 11, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("password file") && err.contains("chmod 600"),
        "{err}"
    );
    assert_eq!(count(&db, "jwtctl_families"), 4);
}

#[test]
fn tls_is_verified_against_the_system_roots_or_store_ca() {
    let db = pg::new_database("jwtctl_tls");
    let (_d, home) = new_home();
    let port = pg::port();
    let url = |host: &str, mode: &str| -> Env {
        vec![(
            "JWTCTL_STORE".into(),
            format!("postgres://jwtctl_tls@{host}:{port}/{db}?sslmode={mode}"),
        )]
    };
    let ca = pg::ca();
    let login = |env: &Env, ca: Option<&Path>, sub: &str| {
        let mut c = cmd(&home, env);
        if let Some(ca) = ca {
            c.arg("--store-ca").arg(ca);
        }
        run(c.args(["login", "--sub", sub]))
    };
    // The role is refused without TLS: what succeeds below used TLS.
    let (code, _, err) = login(&url("127.0.0.1", "disable"), None, "a");
    assert_eq!(code, 10, "{err}");
    // The test CA is not among the system roots: refused, with the way out.
    for mode in ["require", "verify-full", "verify-ca", "prefer"] {
        let (code, out, err) = login(&url("127.0.0.1", mode), None, "a");
        assert_eq!(code, 10, "{mode}: {err}");
        assert!(out.is_empty());
        assert!(err.contains("TLS"), "{mode}: {err}");
        assert!(err.contains("--store-ca"), "{mode}: {err}");
        assert_eq!(err.lines().count(), 2, "{mode}: one line and a hint: {err}");
    }
    for mode in ["require", "verify-full", "verify-ca", "prefer"] {
        let (code, _, err) = login(&url("127.0.0.1", mode), Some(&ca), mode);
        assert_eq!(code, 0, "{mode}: {err}");
    }
    // 127.0.0.2 is not a name in the certificate: verify-ca checks the chain only.
    for mode in ["require", "verify-full", "prefer"] {
        let (code, _, err) = login(&url("127.0.0.2", mode), Some(&ca), "x");
        assert_eq!(code, 10, "{mode}: {err}");
        assert!(err.contains("TLS"), "{mode}: {err}");
    }
    let (code, _, err) = login(&url("127.0.0.2", "verify-ca"), Some(&ca), "verify-ca2");
    assert_eq!(code, 0, "{err}");
    // A CA file that holds no certificate is an error of its own.
    let (dir, _) = (tempfile::tempdir().unwrap(), ());
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let (code, _, err) = login(&url("127.0.0.1", "require"), Some(&empty), "y");
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("no PEM certificate"), "{err}");
    assert_eq!(count(&db, "jwtctl_families"), 5);
}

#[test]
fn a_row_lock_held_past_the_timeout_fails_the_refresh_with_10_within_the_bound() {
    let env = pg::fresh_store();
    let db = pg::database_of(&env);
    let (_d, home, env) = home_with(&env);
    let rt = field(&login(&home, &env, "alice"), "refresh_token");
    let mut holder = pg::psql_command(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = holder.stdin.take().unwrap();
    stdin
        .write_all(b"BEGIN;\nSELECT 'locked' FROM jwtctl_families FOR UPDATE;\n")
        .unwrap();
    stdin.flush().unwrap();
    let mut line = String::new();
    BufReader::new(holder.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked");
    let started = Instant::now();
    let (code, out, err) = refresh(&home, &env, &rt, &["--store-timeout", "1s"]);
    let took = started.elapsed();
    assert_eq!(code, 10, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("not done within 1s"), "{err}");
    assert!(err.contains("--store-timeout"), "{err}");
    // Generous for a loaded machine, far below "forever".
    assert!(took < Duration::from_secs(30), "took {took:?}");
    drop(stdin);
    holder.wait().unwrap();
    let (code, _, err) = refresh(&home, &env, &rt, &[]);
    assert_eq!(code, 0, "the failed refresh changed nothing: {err}");
}

/// What a [`Relay`] does once a client sends bytes containing its pattern.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// Forward nothing more either way (the server seems to stop answering); when the client
    /// goes, drop the server connection too.
    Stall,
    /// Forward the client's bytes, then swallow the server's answers (the client waits for
    /// ever) until the client goes.
    Swallow,
    /// Forward the client's bytes, and when the server answers, cut the client off instead of
    /// passing the answer on.
    Cut,
    /// Hold the client's bytes until [`Relay::release`], then go on relaying.
    Pause,
}

/// A TCP relay on a random loopback port to the server, injecting `fault` on every connection
/// once the client sends `pattern`.
struct Relay {
    port: u16,
    /// Connections on which the fault has happened (for Swallow: whose answer was swallowed).
    faulted: Arc<AtomicUsize>,
    released: Arc<AtomicBool>,
}

impl Relay {
    fn start(server_port: u16, pattern: &'static [u8], fault: Fault) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let faulted = Arc::new(AtomicUsize::new(0));
        let count = faulted.clone();
        let released = Arc::new(AtomicBool::new(false));
        let release = released.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(server) = TcpStream::connect(("127.0.0.1", server_port)) else {
                    continue;
                };
                let tripped = Arc::new(AtomicBool::new(false));
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let (t2, n2, r2) = (tripped.clone(), count.clone(), release.clone());
                // Client to server.
                std::thread::spawn(move || {
                    let (mut client, mut server) = (client, server);
                    let mut buf = vec![0u8; 64 * 1024];
                    let mut tail: Vec<u8> = Vec::new();
                    loop {
                        let n = match client.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        let mut seen = tail.clone();
                        seen.extend_from_slice(&buf[..n]);
                        let hit = !t2.load(Ordering::SeqCst)
                            && seen.windows(pattern.len()).any(|w| w == pattern);
                        tail = seen[seen.len().saturating_sub(pattern.len())..].to_vec();
                        if hit {
                            t2.store(true, Ordering::SeqCst);
                            if fault == Fault::Stall {
                                n2.fetch_add(1, Ordering::SeqCst);
                                continue;
                            }
                            if fault == Fault::Pause {
                                n2.fetch_add(1, Ordering::SeqCst);
                                while !r2.load(Ordering::SeqCst) {
                                    std::thread::sleep(Duration::from_millis(5));
                                }
                                t2.store(false, Ordering::SeqCst);
                            }
                        }
                        if fault == Fault::Stall && t2.load(Ordering::SeqCst) {
                            continue;
                        }
                        if server.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = server.shutdown(Shutdown::Both);
                    let _ = client.shutdown(Shutdown::Both);
                });
                // Server to client.
                let n3 = count.clone();
                std::thread::spawn(move || {
                    let (mut server, mut client) = (s2, c2);
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        let n = match server.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        if tripped.load(Ordering::SeqCst) {
                            match fault {
                                Fault::Stall => continue,
                                Fault::Swallow => {
                                    n3.fetch_add(1, Ordering::SeqCst);
                                    continue;
                                }
                                Fault::Cut => {
                                    n3.fetch_add(1, Ordering::SeqCst);
                                    break;
                                }
                                Fault::Pause => {}
                            }
                        }
                        if client.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = client.shutdown(Shutdown::Both);
                    let _ = server.shutdown(Shutdown::Both);
                });
            }
        });
        Relay {
            port,
            faulted,
            released,
        }
    }

    /// Lets paused connections go on.
    fn release(&self) {
        self.released.store(true, Ordering::SeqCst);
    }

    fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

#[test]
fn a_server_that_stops_answering_mid_rotation_is_10_within_the_bound_and_changes_nothing() {
    let env = pg::fresh_store();
    let (_d, home, env) = home_with(&env);
    let rt = field(&login(&home, &env, "alice"), "refresh_token");
    // The lock and the read reach the server; the writes never do, nor any answer.
    let relay = Relay::start(
        pg::port(),
        b"UPDATE jwtctl_tokens SET state = 'used'",
        Fault::Stall,
    );
    let started = Instant::now();
    let (code, out, err) = refresh(
        &home,
        &via(&env, &relay.addr()),
        &rt,
        &["--store-timeout", "1s"],
    );
    let took = started.elapsed();
    assert_eq!(code, 10, "{err}");
    assert!(out.is_empty(), "nothing delivered");
    assert!(err.contains("no answer within 1s"), "{err}");
    assert_eq!(err.lines().count(), 2, "one line and a hint: {err}");
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert_eq!(relay.faulted.load(Ordering::SeqCst), 1);
    // The server rolled the open transaction back when the connection went: the token still
    // rotates, once.
    let (code, _, err) = refresh(&home, &env, &rt, &["--store-timeout", "60s"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = refresh(&home, &env, &rt, &[]);
    assert_eq!(code, 9, "{err}");
}

#[test]
fn a_refresh_decides_on_a_locked_family_so_a_racing_replay_is_reuse_never_a_conflict() {
    let env = pg::fresh_store();
    let db = pg::database_of(&env);
    let (_d, home, env) = home_with(&env);
    let rt = field(&login(&home, &env, "alice"), "refresh_token");
    // A has locked the family and read the token (decided to rotate); its writes are held.
    let relay = Relay::start(
        pg::port(),
        b"UPDATE jwtctl_tokens SET state = 'used'",
        Fault::Pause,
    );
    let mut a = crate::support::jwtctl_process(&home);
    let a = a
        .envs(via(&env, &relay.addr()))
        .args(["refresh", "--store-timeout", "10m", &rt])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while relay.faulted.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "A never reached its writes");
        std::thread::sleep(Duration::from_millis(10));
    }
    // B presents the same token meanwhile: it must wait for A's lock, not decide on what A
    // has not yet written.
    let mut b = crate::support::jwtctl_process(&home);
    let mut b = b
        .envs(env.clone())
        .args(["refresh", "--store-timeout", "10m", &rt])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let waiting = pg::psql(
            &db,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'jwtctl' \
             AND wait_event_type = 'Lock'",
        );
        // B waiting for the lock; or B done without waiting (the outcome below says what it
        // did instead).
        if waiting == "1" || b.try_wait().unwrap().is_some() {
            break;
        }
        assert!(Instant::now() < deadline, "B neither waits nor ends");
        std::thread::sleep(Duration::from_millis(10));
    }
    relay.release();
    let a = a.wait_with_output().unwrap();
    let b = b.wait_with_output().unwrap();
    let err = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(a.status.code(), Some(0), "A rotates: {}", err(&a));
    assert_eq!(b.status.code(), Some(9), "B replays: {}", err(&b));
    assert_eq!(
        event_kinds(&home, &env),
        ["issued", "rotated", "reuse_detected", "revoked"]
    );
}

#[test]
fn a_reply_lost_after_commit_is_10_the_rotation_stands_and_grace_recovers() {
    let env = pg::fresh_store();
    let (_d, home, env) = home_with(&env);
    let rt = field(&login(&home, &env, "alice"), "refresh_token");
    let relay = Relay::start(pg::port(), b"COMMIT", Fault::Cut);
    let (code, _out, err) = refresh(&home, &via(&env, &relay.addr()), &rt, &[]);
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("connection to the server was lost"), "{err}");
    assert!(err.contains("--grace"), "{err}");
    assert_eq!(relay.faulted.load(Ordering::SeqCst), 1);
    // The server committed: the rotation is in the log, whole.
    assert_eq!(event_kinds(&home, &env), ["issued", "rotated"]);
    // A retry with the same token under --grace gets a pair, and the log says how.
    let (code, out, err) = refresh(&home, &env, &rt, &["--grace", "1m"]);
    assert_eq!(code, 0, "{err}");
    let pair = json(&out);
    assert_eq!(
        event_kinds(&home, &env),
        ["issued", "rotated", "grace_reissued"]
    );
    let (code, _, err) = refresh(&home, &env, &field(&pair, "refresh_token"), &[]);
    assert_eq!(code, 0, "{err}");
}

/// The kinds of the event log of `env`'s store, in order.
fn event_kinds(home: &Path, env: &Env) -> Vec<String> {
    let (code, out, err) = run(cmd(home, env).args(["sessions", "--events"]));
    assert_eq!(code, 0, "{err}");
    json_lines(&out)
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn clients_killed_mid_rotation_leave_every_family_with_exactly_one_current_token() {
    let server = pg::server();
    let env = pg::fresh_store();
    let db = pg::database_of(&env);
    let (_d, home, env) = home_with(&env);
    let tokens: Vec<String> = (0..6)
        .map(|i| field(&login(&home, &env, &format!("u{i}")), "refresh_token"))
        .collect();
    // Each refresh's writes reach the server, which applies them inside the open transaction;
    // the answers are swallowed, so each client waits, then is killed before COMMIT.
    let relay = Relay::start(
        pg::port(),
        b"UPDATE jwtctl_tokens SET state = 'used'",
        Fault::Swallow,
    );
    let relayed = via(&env, &relay.addr());
    let mut children: Vec<_> = tokens
        .iter()
        .map(|rt| {
            let mut c = crate::support::jwtctl_process(&home);
            c.envs(relayed.iter().map(|(k, v)| (k, v)))
                .args(["refresh", "--store-timeout", "10m", rt])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while relay.faulted.load(Ordering::SeqCst) < tokens.len() {
        assert!(
            Instant::now() < deadline,
            "the refreshes never reached their writes"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The writes are in, uncommitted, while the clients wait.
    let open = server.psql(
        &db,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'jwtctl' \
         AND state = 'idle in transaction'",
    );
    assert_eq!(open, tokens.len().to_string());
    for c in &mut children {
        c.kill().unwrap();
        c.wait().unwrap();
    }
    // The server rolls each back when its connection closes.
    let deadline = Instant::now() + Duration::from_secs(120);
    while server.psql(
        &db,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'jwtctl'",
    ) != "0"
    {
        assert!(
            Instant::now() < deadline,
            "sessions of killed clients linger"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_one_current_token_per_family(server, &db);
    assert_eq!(count(&db, "jwtctl_tokens"), 6);
    for rt in &tokens {
        let (code, _, err) = refresh(&home, &env, rt, &[]);
        assert_eq!(code, 0, "{err}");
    }
    assert_one_current_token_per_family(server, &db);
}

#[test]
fn a_server_restart_or_crash_mid_run_loses_nothing_committed() {
    let server = pg::dedicated();
    let env = server.fresh_store();
    let db = pg::database_of(&env);
    let (_d, home, env) = home_with(&env);
    let mut current: Vec<String> = (0..3)
        .map(|i| field(&login(&home, &env, &format!("u{i}")), "refresh_token"))
        .collect();
    let mut committed = 3;
    // Rotations keep running while the server goes down and comes back, twice: a fast
    // shutdown, then a crash (SIGKILL of the postmaster). Each refresh either rotates (0) or
    // fails with 10; a failed one is retried with --grace (its rotation may have committed
    // with the answer lost).
    let stop = Arc::new(AtomicBool::new(false));
    let progress = Arc::new(AtomicUsize::new(0));
    let worker = {
        let (home, env, stop, progress) =
            (home.clone(), env.clone(), stop.clone(), progress.clone());
        let mut tokens = std::mem::take(&mut current);
        std::thread::spawn(move || {
            let mut rotations = 0;
            let mut round = 0;
            while !stop.load(Ordering::SeqCst) || round < 2 {
                for rt in &mut tokens {
                    let (code, out, err) = refresh(&home, &env, rt, &["--grace", "1h"]);
                    match code {
                        0 => {
                            *rt = field(&json(&out), "refresh_token");
                            rotations += 1;
                            progress.fetch_add(1, Ordering::SeqCst);
                        }
                        10 => {}
                        _ => panic!("refresh during restarts: {code} {err}"),
                    }
                }
                round += 1;
            }
            (tokens, rotations)
        })
    };
    let wait_for = |n: usize| {
        let deadline = Instant::now() + Duration::from_secs(300);
        while progress.load(Ordering::SeqCst) < n {
            assert!(Instant::now() < deadline, "no rotations");
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    wait_for(3);
    server.restart();
    let done = progress.load(Ordering::SeqCst);
    wait_for(done + 3);
    server.kill();
    server.start();
    stop.store(true, Ordering::SeqCst);
    let (tokens, rotations) = worker.join().unwrap();
    committed += rotations;
    let before = (
        server.psql(&db, "SELECT count(*) FROM jwtctl_events WHERE kind IN ('issued', 'rotated', 'grace_reissued')"),
        server.psql(&db, "SELECT string_agg(id || ':' || generation || ':' || current_jti, ',' ORDER BY id) FROM jwtctl_families"),
    );
    assert!(
        before.0.parse::<usize>().unwrap() >= committed,
        "{before:?} < {committed}"
    );
    assert_one_current_token_per_family(&server, &db);
    // Once more, with everything committed and nothing running.
    server.kill();
    server.start();
    let after = (
        server.psql(&db, "SELECT count(*) FROM jwtctl_events WHERE kind IN ('issued', 'rotated', 'grace_reissued')"),
        server.psql(&db, "SELECT string_agg(id || ':' || generation || ':' || current_jti, ',' ORDER BY id) FROM jwtctl_families"),
    );
    assert_eq!(before, after);
    // Every family's latest token still rotates.
    for rt in &tokens {
        let (code, _, err) = refresh(&home, &env, rt, &[]);
        assert_eq!(code, 0, "{err}");
    }
}

#[test]
fn store_copy_moves_everything_from_sqlite_to_postgres_and_back() {
    let (dir, home) = new_home();
    let none: Env = Vec::new();
    let a = field(&login(&home, &none, "alice"), "refresh_token");
    login(&home, &none, "bob");
    let (code, _, err) = refresh(&home, &none, &a, &[]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = refresh(&home, &none, &a, &[]);
    assert_eq!(code, 9, "{err}");
    let (code, _, err) = run(cmd(&home, &none).args(["subject", "disable", "bob"]));
    assert_eq!(code, 0, "{err}");
    let env = pg::fresh_store();
    let db = pg::database_of(&env);
    let url = store_url(&env);
    let (code, _, err) =
        run(cmd(&home, &none).args(["store", "copy", "--from", "sqlite:", "--to", &url]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("copied 2 sessions, 3 refresh tokens, 1 disabled subjects"),
        "{err}"
    );
    assert_eq!(count(&db, "jwtctl_families"), 2);
    assert_one_current_token_per_family(pg::server(), &db);
    // Into a store that is not empty: refused, nothing written.
    let events = count(&db, "jwtctl_events");
    let (code, _, err) =
        run(cmd(&home, &none).args(["store", "copy", "--from", "sqlite:", "--to", &url]));
    assert_eq!(code, 2, "{err}");
    assert_eq!(count(&db, "jwtctl_events"), events);
    // And back into a new SQLite file: the same records (the command reads them back).
    let back = dir.path().join("back.db");
    let to = format!("sqlite:{}", back.display());
    let (code, _, err) =
        run(cmd(&home, &none).args(["store", "copy", "--from", &url, "--to", &to]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("copied 2 sessions, 3 refresh tokens, 1 disabled subjects"),
        "{err}"
    );
    // The copied sessions answer on PostgreSQL as they did on SQLite.
    let (code, _, err) = refresh(&home, &env, &a, &[]);
    assert_eq!(code, 8, "{err}");
}

#[test]
fn a_unix_socket_is_a_host_that_starts_with_a_slash() {
    let env = pg::fresh_store();
    let db = pg::database_of(&env);
    let (_d, home, env) = home_with(&env);
    let dir = pg::server()
        .socket
        .display()
        .to_string()
        .replace('/', "%2F");
    let socket: Env = vec![(
        "JWTCTL_STORE".into(),
        format!("postgres://jwtctl@{dir}:{}/{db}", pg::port()),
    )];
    // The default sslmode (prefer) means no TLS on a socket, as with libpq.
    let rt = field(&login(&home, &socket, "alice"), "refresh_token");
    let (code, _, err) = refresh(&home, &env, &rt, &[]);
    assert_eq!(code, 0, "the same store over TCP: {err}");
    let (code, _, err) = refresh(&home, &socket, &rt, &[]);
    assert_eq!(code, 9, "{err}");
    // A socket directory with no server: 10, naming it.
    let (code, _, err) = run(cmd(
        &home,
        &vec![(
            "JWTCTL_STORE".into(),
            format!("postgres://jwtctl@%2Fnonexistent:{}/{db}", pg::port()),
        )],
    )
    .args(["login", "--sub", "bob"]));
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("/nonexistent"), "{err}");
}

#[test]
fn a_refresh_that_loses_a_deadlock_runs_again_and_rotates_once() {
    let env = pg::fresh_store();
    let db = pg::database_of(&env);
    let (_d, home, env) = home_with(&env);
    let rt = field(&login(&home, &env, "alice"), "refresh_token");
    // Another session holds the refresh token's row, and never detects deadlocks itself.
    let mut other = pg::psql_command(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut to_other = other.stdin.take().unwrap();
    let mut from_other = BufReader::new(other.stdout.take().unwrap());
    let mut line = String::new();
    to_other
        .write_all(
            b"SET deadlock_timeout = '1h';\nBEGIN;\n\
              SELECT 'token' FROM jwtctl_tokens WHERE state = 'active' FOR UPDATE;\n",
        )
        .unwrap();
    from_other.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "token");
    // jwtctl locks the family and reads, then is held before its writes.
    let relay = Relay::start(
        pg::port(),
        b"UPDATE jwtctl_tokens SET state = 'used'",
        Fault::Pause,
    );
    let mut refresh = crate::support::jwtctl_process(&home);
    let refresh = refresh
        .envs(via(&env, &relay.addr()))
        .args(["refresh", "--store-timeout", "10m", &rt])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while relay.faulted.load(Ordering::SeqCst) == 0 {
        assert!(
            Instant::now() < deadline,
            "the refresh never reached its writes"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // The other session now waits for the family jwtctl holds...
    to_other
        .write_all(b"SELECT 'family' FROM jwtctl_families FOR UPDATE;\n")
        .unwrap();
    to_other.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while pg::psql(
        &db,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
         AND application_name = 'psql' AND wait_event_type = 'Lock'",
    ) != "1"
    {
        assert!(Instant::now() < deadline, "the other session never waited");
        std::thread::sleep(Duration::from_millis(10));
    }
    // ...and jwtctl's writes wait for the token it holds: a deadlock, which PostgreSQL breaks
    // by failing jwtctl's statement. jwtctl rolls back (the other session gets the family),
    // and once the other session commits, runs the refresh again.
    relay.release();
    line.clear();
    from_other.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "family");
    to_other.write_all(b"COMMIT;\n").unwrap();
    drop(to_other);
    other.wait().unwrap();
    let out = refresh.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(event_kinds(&home, &env), ["issued", "rotated"]);
    let (code, _, err) = run(cmd(&home, &env).arg("refresh").arg(field(
        &json(&String::from_utf8_lossy(&out.stdout)),
        "refresh_token",
    )));
    assert_eq!(code, 0, "{err}");
}

/// A flood of requests at a `serve` on PostgreSQL waits for one of its 16 store slots instead
/// of opening a connection each (the server's default `max_connections` is 100), and every
/// request is still answered.
#[test]
fn a_serve_on_postgres_bounds_its_connections_under_a_flood() {
    use crate::support::server::{Server, form};
    let (_dir, home) = crate::support::new_home_on(crate::support::Backend::Postgres);
    let db = pg::database_of(&crate::support::store_env(&home));
    let s = Arc::new(Server::start(&home, &[]));
    let at = field(&crate::support::login(&home, "flo"), "access_token");
    let most = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (most, done, db) = (most.clone(), done.clone(), db.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                let n: usize = pg::psql(
                    &db,
                    &format!(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = '{db}' \
                         AND pid <> pg_backend_pid()"
                    ),
                )
                .trim()
                .parse()
                .unwrap();
                most.fetch_max(n, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let flood: Vec<_> = (0..48)
        .map(|_| {
            let (s, at) = (s.clone(), at.clone());
            std::thread::spawn(move || {
                for _ in 0..6 {
                    let a = form(
                        &s.at("/introspect"),
                        &[("token", at.as_str()), ("client_id", "jwtctl")],
                        &[],
                    );
                    assert_eq!(a.status, 200, "{}", a.body);
                    assert_eq!(a.json()["active"], true);
                }
            })
        })
        .collect();
    for t in flood {
        t.join().unwrap();
    }
    done.store(true, Ordering::SeqCst);
    watcher.join().unwrap();
    let most = most.load(Ordering::SeqCst);
    assert!(most >= 1, "the watcher saw the server's connections");
    assert!(most <= 16, "{most} connections at once from one serve");
}
