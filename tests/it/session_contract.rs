//! The refresh flow's contract at its edges (issue 11): a pair is delivered on stdout before the
//! store commits it, the store file is created and opened safely, read-only commands change
//! nothing, any stored value lists, inputs are bounded at the door, and nothing is minted that
//! `refresh` or `verify` would refuse. The real binary (`support::jwtctl_process`), a temporary home.

#![allow(clippy::unwrap_used)] // test helpers panic by design

use serde_json::Value;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tempfile::TempDir;

use crate::support::{Backend, NOW, conformance};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_jwtctl")
}

/// A hermetic command at `now`: the given home, no colour, no inherited wait or NO_COLOR.
fn jwtctl_at(home: &Path, now: i64) -> Command {
    let mut cmd = crate::support::jwtctl_process(home);
    cmd.env("JWTCTL_NOW", now.to_string()).stdin(Stdio::null());
    cmd
}

fn jwtctl(home: &Path) -> Command {
    jwtctl_at(home, NOW)
}

/// Runs; (exit code, stdout, stderr).
fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().map(json).collect()
}

/// A temporary directory and a home inside it with one ES256 key.
fn new_home() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let home = dir.path().join("home");
    let (code, _, err) = run(jwtctl(&home).args(["keygen", "--es256"]));
    assert_eq!(code, 0, "{err}");
    (dir, home)
}

/// [`new_home`] on a new store of `backend`, for the conformance tests.
fn new_home_on(backend: Backend) -> (TempDir, PathBuf) {
    let (dir, home) = crate::support::bare_home_on(backend);
    let (code, _, err) = run(jwtctl(&home).args(["keygen", "--es256"]));
    assert_eq!(code, 0, "{err}");
    (dir, home)
}

/// `login` with `args`, which must succeed: the token response.
fn login(home: &Path, args: &[&str]) -> Value {
    let (code, out, err) = run(jwtctl(home).arg("login").args(args));
    assert_eq!(code, 0, "login failed: {err}");
    json(&out)
}

fn field(v: &Value, name: &str) -> String {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {v}"))
        .to_owned()
}

/// `sessions --json ARGS` rows.
fn sessions(home: &Path, args: &[&str]) -> Vec<Value> {
    let (code, out, err) = run(jwtctl(home).args(["sessions", "--json"]).args(args));
    assert_eq!(code, 0, "{err}");
    json_lines(&out)
}

/// The kinds of the event log, in order.
fn event_kinds(home: &Path) -> Vec<String> {
    let (code, out, err) = run(jwtctl(home).args(["sessions", "--events"]));
    assert_eq!(code, 0, "{err}");
    json_lines(&out)
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// Where a command's stdout goes in the delivery tests.
#[derive(Clone, Copy, Debug)]
enum Sink {
    /// Closed when the command starts (`>&-`).
    Closed,
    /// `/dev/full`: every write fails with ENOSPC.
    Full,
    /// A pipe whose reader has already gone: every write fails with EPIPE.
    Unread,
}

const SINKS: [Sink; 3] = [Sink::Closed, Sink::Full, Sink::Unread];

/// Runs `jwtctl ARGS` in `home` with stdout going to `sink`; (exit code, stderr).
fn run_into(home: &Path, sink: Sink, args: &[&str]) -> (i32, String) {
    let mut cmd = match sink {
        Sink::Closed => {
            // The shell closes fd 1, then becomes jwtctl.
            let mut c = Command::new("sh");
            c.arg("-c").arg(r#"exec "$0" "$@" >&-"#).arg(bin());
            c
        }
        Sink::Full | Sink::Unread => Command::new(bin()),
    };
    crate::support::hermetic(&mut cmd, home)
        .arg("--color=never")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    match sink {
        Sink::Closed => {}
        Sink::Full => {
            let full = fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            cmd.stdout(Stdio::from(full));
        }
        Sink::Unread => {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            cmd.stdout(Stdio::from(writer));
        }
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ---- The store file ----

#[test]
fn temporary_files_of_dead_store_creators_are_removed_and_never_block_a_login() {
    let (_dir, home) = new_home();
    // What a creator killed with -9 leaves: its temporary store and SQLite's files beside it.
    // PID 4194305 is above Linux's PID_MAX_LIMIT: never a live process.
    let dead: Vec<PathBuf> = ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|s| {
            home.join(format!(
                ".refresh.db.4194305.00ff00ff00ff00ff00ff00ff.tmp{s}"
            ))
        })
        .collect();
    for p in &dead {
        fs::write(p, b"half a store").unwrap();
    }
    // A live creator's file (this test's own PID) is left alone and blocks nothing either.
    let live = home.join(format!(".refresh.db.{}.abcdef.tmp", std::process::id()));
    fs::write(&live, b"being written").unwrap();
    login(&home, &["--sub", "alice"]);
    for p in &dead {
        assert!(!p.exists(), "{} was left behind", p.display());
    }
    assert!(live.exists());
    let temps: Vec<String> = fs::read_dir(&home)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".refresh.db.") && !n.contains(&std::process::id().to_string()))
        .collect();
    assert!(temps.is_empty(), "temporary files left: {temps:?}");
}

#[test]
fn a_dangling_store_symlink_is_10_with_a_clear_message() {
    let (_dir, home) = new_home();
    std::os::unix::fs::symlink(home.join("moved-away.db"), home.join("refresh.db")).unwrap();
    for args in [
        vec!["login", "--sub", "alice"],
        vec!["sessions"],
        vec!["subject", "disable", "alice"],
        vec!["logout", "--all", "--sub", "alice"],
    ] {
        let (code, out, err) = run(jwtctl(&home).args(&args));
        assert_eq!((code, out.as_str()), (10, ""), "{args:?}: {err}");
        assert!(err.contains("symbolic link"), "{args:?}: {err}");
        assert!(err.contains("moved-away.db"), "{args:?}: {err}");
        assert!(err.contains("does not exist"), "{args:?}: {err}");
    }
    assert!(!home.join("moved-away.db").exists());
}

#[test]
fn a_store_or_home_open_to_others_is_11_with_the_chmod_that_fixes_it() {
    let (_dir, home) = new_home();
    let rt = field(&login(&home, &["--sub", "alice"]), "refresh_token");
    let db = home.join("refresh.db");
    let chmod = |p: &Path, mode| fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    for mode in [0o640, 0o604, 0o660] {
        chmod(&db, mode);
        for args in [
            vec!["sessions"],
            vec!["refresh", rt.as_str()],
            vec!["login", "--sub", "a"],
        ] {
            let (code, out, err) = run(jwtctl(&home).args(&args));
            assert_eq!((code, out.as_str()), (11, ""), "{mode:o} {args:?}: {err}");
            assert!(
                err.contains(&format!("chmod 600 {}", db.display())),
                "{args:?}: {err}"
            );
        }
    }
    chmod(&db, 0o600);
    chmod(&home, 0o777);
    let (code, _, err) = run(jwtctl(&home).arg("sessions"));
    assert_eq!(code, 11, "{err}");
    assert!(
        err.contains(&format!("chmod go-w {}", home.display())),
        "{err}"
    );
    // Readable by others is fine for the home (as for ssh's), and the token still refreshes.
    chmod(&home, 0o755);
    let (code, _, err) = run(jwtctl(&home).args(["refresh", &rt]));
    assert_eq!(code, 0, "{err}");
}

/// Name, size and modification time of every file in `dir`.
fn listing(dir: &Path) -> Vec<(String, u64, i64, i64)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                m.len(),
                m.mtime(),
                m.mtime_nsec(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn read_only_commands_create_and_change_no_file() {
    let (_dir, home) = new_home();
    let resp = login(&home, &["--sub", "alice"]);
    let family = field(&resp, "session_id");
    let (code, _, err) = run(jwtctl(&home).args(["refresh", &field(&resp, "refresh_token")]));
    assert_eq!(code, 0, "{err}");
    let before = listing(&home);
    assert!(
        before
            .iter()
            .all(|f| !f.0.ends_with("-wal") && !f.0.ends_with("-shm")),
        "{before:?}"
    );
    for args in [
        vec!["sessions"],
        vec!["sessions", "--json"],
        vec!["sessions", "--events"],
        vec!["sessions", &family[..6]],
        vec!["sessions", &family, "--json"],
        vec!["sessions", "--sub", "alice"],
    ] {
        let (code, out, err) = run(jwtctl(&home).args(&args));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains(&family), "{args:?}: {out}");
        assert_eq!(listing(&home), before, "{args:?} changed the home");
    }
}

/// Runs `jwtctl ARGS` on `home` as user and group 65534 (nobody), when this process may switch
/// to it (root, with `setpriv`); otherwise as itself. `None` when neither can show anything:
/// root without `setpriv` (root ignores permission bits).
fn as_other_user(home: &Path, args: &[&str]) -> Option<(i32, String, String)> {
    let root = fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false);
    let mut cmd = if root {
        let ok = Command::new("setpriv")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return None;
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(bin());
        c
    } else {
        Command::new(bin())
    };
    cmd.env_remove("NO_COLOR")
        .env("JWTCTL_HOME", home)
        .env("JWTCTL_NOW", NOW.to_string())
        .arg("--color=never")
        .args(args)
        .stdin(Stdio::null());
    Some(run(&mut cmd))
}

#[test]
fn a_read_only_store_and_home_still_serve_read_only_commands() {
    let (dir, home) = new_home();
    let family = field(&login(&home, &["--sub", "alice"]), "session_id");
    let root = fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false);
    if root {
        // Hand the whole tree to nobody, so that only the permission bits stand in the way.
        let status = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
    fs::set_permissions(home.join("refresh.db"), fs::Permissions::from_mode(0o400)).unwrap();
    fs::set_permissions(&home, fs::Permissions::from_mode(0o500)).unwrap();
    let before = listing(&home);
    let Some((code, out, err)) = as_other_user(&home, &["sessions", "--json"]) else {
        eprintln!(
            "note: running as root without setpriv: permission bits cannot be tested; \
             read_only_commands_create_and_change_no_file still checks that nothing is written"
        );
        return;
    };
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["family"], family.as_str());
    let (code, out, err) = as_other_user(&home, &["sessions", "--events"]).unwrap();
    assert_eq!(code, 0, "{err}");
    assert_eq!(json_lines(&out).len(), 1);
    let (code, out, err) = as_other_user(&home, &["sessions"]).unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&family), "{out}");
    // Writing is refused as an I/O error, and nothing changed.
    let (code, _, err) = as_other_user(&home, &["logout", "--family", &family]).unwrap();
    assert_eq!(code, 10, "{err}");
    assert_eq!(listing(&home), before);
    fs::set_permissions(&home, fs::Permissions::from_mode(0o700)).unwrap();
}

// ---- Any stored value prints; inputs are bounded at the door ----

#[test]
fn sub_client_id_and_scope_are_bounded_at_parse_time() {
    let (_dir, home) = new_home();
    let long = |n| "a".repeat(n);
    let limits = [("--sub", 256), ("--client-id", 256), ("--scope", 1024)];
    let login_with = |flag: &str, value: &str| {
        let mut cmd = jwtctl(&home);
        cmd.arg("login");
        if flag != "--sub" {
            cmd.args(["--sub", "alice"]);
        }
        run(cmd.args([flag, value]))
    };
    for (flag, max) in limits {
        let (code, _, err) = login_with(flag, &long(max + 1));
        assert_eq!(code, 2, "{flag}: {err}");
        assert!(err.contains(&max.to_string()), "{flag}: {err}");
        assert!(
            !home.join("refresh.db").exists(),
            "{flag} touched the store"
        );
    }
    for (flag, max) in limits {
        let (code, _, err) = login_with(flag, &long(max));
        assert_eq!(code, 0, "{flag}: {err}");
    }
    for args in [
        vec!["login", "--sub", ""],
        vec!["refresh", "--client-id", "", "a.b.c"],
        vec!["sessions", "--sub", ""],
    ] {
        let (code, _, err) = run(jwtctl(&home).args(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
    }
    let (code, _, err) = run(jwtctl(&home).args(["subject", "disable", &long(257)]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn any_stored_value_lists_shortened_in_tables_and_whole_in_json() {
    let (_dir, home) = new_home();
    let family = field(&login(&home, &["--sub", "alice"]), "session_id");
    // A store written by anything (an older jwtctl, a hand): a 70,000-character subject and a
    // client id with terminal controls in it.
    let sub = "s".repeat(70_000);
    let client = "web\u{1b}[2J\u{202e}evil";
    let conn = rusqlite::Connection::open(home.join("refresh.db")).unwrap();
    conn.execute(
        "UPDATE families SET sub = ?1, client_id = ?2, scope = ?1",
        [sub.as_str(), client],
    )
    .unwrap();
    drop(conn);

    let (code, table, err) = run(jwtctl(&home).arg("sessions"));
    assert_eq!(code, 0, "{err}");
    let row = table.lines().nth(1).unwrap();
    assert!(row.contains(&family) && row.contains("..."), "{row}");
    assert!(row.len() < 400, "the row is {} bytes", row.len());
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{202e}'),
        "{table}"
    );
    assert!(table.contains("\\u001b"), "{table}");

    let (code, chain, err) = run(jwtctl(&home).args(["sessions", &family]));
    assert_eq!(code, 0, "{err}");
    assert!(chain.len() < 2000 && !chain.contains('\u{1b}'), "{chain}");

    let rows = sessions(&home, &[]);
    assert_eq!(rows[0]["sub"].as_str().unwrap().len(), 70_000);
    assert_eq!(rows[0]["client_id"], client);
    // The filter still finds it (the door limits new values, not what the store holds).
    let (code, _, _) = run(jwtctl(&home).args(["sessions", "--events"]));
    assert_eq!(code, 0);
}

// ---- Times and ids in `sessions` ----

/// `2023-11-14T22:13:20Z`: RFC 3339, UTC, whole seconds.
fn is_rfc3339(v: &Value) -> bool {
    let Some(s) = v.as_str() else { return false };
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// Renames the family `from` to `to` everywhere the store names it.
fn rename_family(home: &Path, from: &str, to: &str) {
    let conn = rusqlite::Connection::open(home.join("refresh.db")).unwrap();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    for table in [
        "UPDATE families SET id = ?2 WHERE id = ?1",
        "UPDATE refresh_tokens SET family_id = ?2 WHERE family_id = ?1",
        "UPDATE events SET family_id = ?2 WHERE family_id = ?1",
    ] {
        conn.execute(table, [from, to]).unwrap();
    }
}

#[test]
fn sessions_and_logout_take_a_unique_family_prefix_alike_and_name_the_candidates() {
    let (_dir, home) = new_home();
    let a = field(&login(&home, &["--sub", "alice"]), "session_id");
    let b = field(&login(&home, &["--sub", "bob"]), "session_id");
    rename_family(&home, &a, "abc1000000000000");
    rename_family(&home, &b, "abc2000000000000");
    for args in [vec!["sessions", "abc"], vec!["logout", "--family", "abc"]] {
        let (code, out, err) = run(jwtctl(&home).args(&args));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
        assert!(
            err.contains("abc1000000000000") && err.contains("abc2000000000000"),
            "{args:?} does not name the candidates: {err}"
        );
    }
    let (code, out, err) = run(jwtctl(&home).args(["sessions", "abc1"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("session abc1000000000000"), "{out}");
    let (code, _, err) = run(jwtctl(&home).args(["logout", "--family", "abc2"]));
    assert_eq!(code, 0, "{err}");
    let states: Vec<Value> = sessions(&home, &[])
        .iter()
        .map(|r| r["state"].clone())
        .collect();
    assert_eq!(states, ["active", "revoked"]);
    for args in [vec!["sessions", "abd"], vec!["logout", "--family", "abd"]] {
        let (code, _, err) = run(jwtctl(&home).args(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("no session"), "{err}");
    }
}

// ---- What login mints ----

#[test]
fn a_refresh_ttl_shorter_than_the_access_ttl_or_a_bad_duration_is_2() {
    let (_dir, home) = new_home();
    for args in [
        vec!["--access-ttl", "1h", "--refresh-ttl", "30m"],
        vec!["--access-ttl", "soon"],
        vec!["--refresh-ttl", "0s"],
        vec!["--max-lifetime", "100000y"],
    ] {
        let (code, out, err) = run(jwtctl(&home).args(["login", "--sub", "alice"]).args(&args));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
    }
    assert!(!home.join("refresh.db").exists());
    let (code, _, err) = run(jwtctl(&home).args(["refresh", "--grace", "soon", "a.b.c"]));
    assert_eq!(code, 2, "{err}");
    let resp = login(
        &home,
        &[
            "--sub",
            "alice",
            "--access-ttl",
            "1h",
            "--refresh-ttl",
            "1h",
        ],
    );
    assert_eq!(resp["expires_in"], resp["refresh_expires_in"]);
}

/// Runs `jwtctl ARGS` in a real pseudo-terminal (util-linux `script`); what the terminal got.
fn in_terminal(home: &Path, args: &[&str]) -> (i32, String) {
    let mut line = format!("'{}' --color=never", bin());
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let out = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("JWTCTL_STORE_WAIT")
        .env("JWTCTL_HOME", home)
        .env("JWTCTL_NOW", NOW.to_string())
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .output()
        .expect("`script` (util-linux) must be installed for the terminal tests");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_terminal_sees_stored_controls_escaped_and_long_values_shortened() {
    let (_dir, home) = new_home();
    let family = field(&login(&home, &["--sub", "alice"]), "session_id");
    let conn = rusqlite::Connection::open(home.join("refresh.db")).unwrap();
    let sub = format!("mallory\u{1b}]0;pwned\u{7}\u{202e}{}", "x".repeat(300));
    conn.execute("UPDATE families SET sub = ?1", [sub.as_str()])
        .unwrap();
    drop(conn);
    for args in [vec!["sessions"], vec!["sessions", family.as_str()]] {
        let (code, screen) = in_terminal(&home, &args);
        assert_eq!(code, 0, "{args:?}: {screen}");
        assert!(screen.contains(&family), "{args:?}: {screen}");
        assert!(
            screen.contains("mallory\\u001b]0;pwned\\u0007\\u202e"),
            "{args:?}: {screen}"
        );
        assert!(
            !screen.contains('\u{1b}') && !screen.contains('\u{7}') && !screen.contains('\u{202e}'),
            "{args:?}: raw controls reached the terminal: {screen:?}"
        );
        assert!(
            screen.contains("xxx...") && !screen.contains(&"x".repeat(300)),
            "{screen}"
        );
    }
}

// ---- On every backend: delivery before commit (DECISIONS §2b), metadata, what login mints ----

conformance! {
fn login_that_cannot_deliver_its_pair_opens_no_session(b: Backend) {
    let (_dir, home) = new_home_on(b);
    for sink in SINKS {
        let (code, err) = run_into(&home, sink, &["login", "--sub", "alice"]);
        assert_eq!(code, 10, "{sink:?}: {err}");
        assert!(err.contains("stdout"), "{sink:?}: {err}");
        assert!(err.contains("no session was opened"), "{sink:?}: {err}");
        assert!(sessions(&home, &[]).is_empty(), "{sink:?} left a session");
        assert!(event_kinds(&home).is_empty(), "{sink:?} left an event");
    }
    // And with a stdout that works, it does.
    login(&home, &["--sub", "alice"]);
    assert_eq!(sessions(&home, &[]).len(), 1);
}

fn refresh_that_cannot_deliver_its_pair_changes_nothing_and_the_token_still_works(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let rt = field(&login(&home, &["--sub", "alice"]), "refresh_token");
    for sink in SINKS {
        let (code, err) = run_into(&home, sink, &["refresh", &rt]);
        assert_eq!(code, 10, "{sink:?}: {err}");
        assert!(err.contains("stdout"), "{sink:?}: {err}");
        let rows = sessions(&home, &[]);
        assert_eq!(rows[0]["generation"], 1, "{sink:?} rotated: {rows:?}");
        assert_eq!(rows[0]["state"], "active", "{sink:?}");
        assert_eq!(event_kinds(&home), ["issued"], "{sink:?}");
    }
    // The same refresh token rotates once stdout can take the pair: no reuse was recorded.
    let (code, out, err) = run(jwtctl(&home).args(["refresh", &rt]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["generation"], 2);
}

fn commands_that_print_no_data_commit_and_read_only_ones_shrug_off_a_broken_pipe(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let resp = login(&home, &["--sub", "alice"]);
    // Read-only: a pipe nobody reads is still success.
    let (code, err) = run_into(&home, Sink::Unread, &["sessions", "--json"]);
    assert_eq!(code, 0, "{err}");
    // logout and subject print notes on stderr only: stdout does not matter to them.
    let (code, err) = run_into(&home, Sink::Closed, &["subject", "disable", "bob"]);
    assert_eq!(code, 0, "{err}");
    let (code, err) = run_into(
        &home,
        Sink::Full,
        &["logout", &field(&resp, "refresh_token")],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(sessions(&home, &[])[0]["state"], "revoked");
}

fn json_metadata_times_are_rfc_3339_and_claims_stay_numeric(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let resp = login(&home, &["--sub", "alice"]);
    let family = field(&resp, "session_id");
    let (code, out, err) =
        run(jwtctl_at(&home, NOW + 60).args(["refresh", &field(&resp, "refresh_token")]));
    assert_eq!(code, 0, "{err}");
    let row = &sessions(&home, &[])[0];
    for name in ["created", "last_refresh", "not_after"] {
        assert!(is_rfc3339(&row[name]), "{name}: {row}");
    }
    for t in sessions(&home, &[&family]) {
        for name in ["issued", "expires"] {
            assert!(is_rfc3339(&t[name]), "{name}: {t}");
        }
    }
    let (_, events, _) = run(jwtctl(&home).args(["sessions", "--events"]));
    for e in json_lines(&events) {
        assert!(is_rfc3339(&e["at"]), "{e}");
    }
    let (code, out2, err) =
        run(jwtctl(&home).args(["decode", "--json", &field(&json(&out), "refresh_token")]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out2)["claims"]["iat"], NOW + 60);
}

fn login_mints_nothing_that_refresh_would_refuse(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let late = 253_402_214_400; // 9999-12-31T00:00:00Z: the default 7d refresh ttl overshoots
    let (code, out, err) = run(jwtctl_at(&home, late).args(["login", "--sub", "alice"]));
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("9999-12-31T23:59:59Z"), "{err}");
    assert!(sessions(&home, &[]).is_empty());
    // Inside the range, every pair of the session stays inside it, and refreshes.
    let (code, out, err) = run(jwtctl_at(&home, late).args([
        "login",
        "--sub",
        "alice",
        "--refresh-ttl",
        "1h",
        "--max-lifetime",
        "1h",
    ]));
    assert_eq!(code, 0, "{err}");
    let rt = field(&json(&out), "refresh_token");
    let (code, out, err) = run(jwtctl_at(&home, late + 600).args(["refresh", &rt]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(jwtctl_at(&home, late + 1200).args([
        "verify",
        "--typ",
        "refresh+jwt",
        &field(&json(&out), "refresh_token"),
    ]));
    assert_eq!(code, 0, "{err}");
}
}
