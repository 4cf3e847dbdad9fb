//! The keyring and key files at the edges of the contract (issue #11): the keyring lock holds
//! when its lock file is deleted and gives up after `JWTCTL_STORE_WAIT` with a message; no temp
//! file keeps a private key; `keygen --out` is all-or-nothing; `keygen` delivers the kid before
//! it commits; the keyring's format version, unknown fields and permissions; bounded reads;
//! length limits; RFC 3339 metadata times and kid prefixes; lenient key material; HMAC secret
//! files that hold exactly the secret.
//!
//! The real binary (`support::jwtctl_process`), temporary homes, a fixed clock. Needs `flock` (util-linux),
//! `sh`, `mkfifo` and `openssl` on PATH.

#![allow(clippy::unwrap_used)] // test helpers panic by design

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_jwtctl");
use crate::support::NOW;

/// A hermetic command: home `home`, the fixed clock, no colour, no inherited JWTCTL_*.
fn jwtctl(home: &Path) -> Command {
    let mut cmd = crate::support::jwtctl_process(home);
    cmd.stdin(Stdio::null());
    cmd
}

/// Runs `cmd` with a generous deadline: a hang is a failure, never a stuck test.
fn run(cmd: &mut Command) -> (i32, String, String) {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = finish(child);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Waits for `child` at most 120 s (a loaded 2-core machine), killing it on a hang. Its
/// output is read as it comes, so a child writing more than a pipe holds never blocks.
fn finish(mut child: Child) -> Output {
    fn drain(
        pipe: Option<impl std::io::Read + Send + 'static>,
    ) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    }
    let (out, err) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "jwtctl hung; stderr: {}",
                String::from_utf8_lossy(&err.join().unwrap())
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Stdout of a command that must succeed, without the trailing newline.
fn ok(cmd: &mut Command) -> String {
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "failed: {err}");
    out.trim_end().to_owned()
}

/// Asserts the exit code; returns stderr.
fn code(cmd: &mut Command, want: i32) -> String {
    let (code, out, err) = run(cmd);
    assert_eq!(code, want, "stdout: {out}\nstderr: {err}");
    err
}

/// The names in a directory (hidden ones included), sorted.
fn listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// The kids `keys list --json` shows.
fn kids(home: &Path) -> Vec<String> {
    ok(jwtctl(home).args(["keys", "list", "--json"]))
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["kid"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

fn keyring(home: &Path) -> PathBuf {
    home.join("keyring.json")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A fresh home holding one ES256 key; returns (tempdir, home, kid).
fn home_with_key() -> (TempDir, PathBuf, String) {
    let dir = TempDir::new().unwrap();
    let home = dir.path().join("home");
    let kid = ok(jwtctl(&home).args(["keygen", "--es256"]));
    (dir, home, kid)
}

// ---------------------------------------------------------------------------------------------
// 1. The keyring lock

#[test]
fn deleting_the_lock_file_never_loses_a_key() {
    let (_dir, home, first) = home_with_key();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let deleter = {
        let (stop, lock) = (stop.clone(), home.join("keyring.lock"));
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::remove_file(&lock);
                std::thread::sleep(Duration::from_micros(200));
            }
        })
    };
    let writers: Vec<_> = (0..8)
        .map(|_| {
            let home = home.clone();
            std::thread::spawn(move || {
                (0..5)
                    .map(|_| {
                        // A loaded machine may queue the writers for long: wait generously.
                        ok(jwtctl(&home)
                            .args(["keygen", "--hs256", "-q"])
                            .env("JWTCTL_STORE_WAIT", "120s"))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut printed: Vec<String> = vec![first];
    for w in writers {
        printed.extend(w.join().unwrap());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    deleter.join().unwrap();
    let stored: BTreeSet<String> = kids(&home).into_iter().collect();
    let lost: Vec<&String> = printed.iter().filter(|k| !stored.contains(*k)).collect();
    assert!(
        lost.is_empty(),
        "{} kids printed, {} stored; lost: {lost:?}",
        printed.len(),
        stored.len()
    );
    assert_eq!(stored.len(), 41);
}

/// Holds the keyring lock (the home directory, flock'ed) until the returned child's stdin closes.
fn hold_lock(home: &Path) -> Child {
    let mut holder = Command::new("flock")
        .arg(home)
        .args(["-c", "echo locked; read _"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("flock (util-linux) is needed");
    let mut line = String::new();
    std::io::BufReader::new(holder.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked");
    holder
}

#[test]
fn a_held_lock_is_waited_for_with_a_message_then_exit_10() {
    let (_dir, home, kid) = home_with_key();
    let before = std::fs::read(keyring(&home)).unwrap();
    let mut holder = hold_lock(&home);
    for args in [
        &["keygen", "--es256"][..],
        &["keys", "retire", &kid],
        &["keys", "activate", &kid],
    ] {
        let err = code(jwtctl(&home).args(args).env("JWTCTL_STORE_WAIT", "1s"), 10);
        assert!(err.contains("waiting for the keyring"), "{args:?}: {err}");
        assert!(
            err.contains("hint:") && err.contains("JWTCTL_STORE_WAIT"),
            "{err}"
        );
    }
    // Read-only commands take no lock: they are served while a writer holds it.
    assert_eq!(kids(&home), std::slice::from_ref(&kid));
    ok(jwtctl(&home).arg("jwks"));
    drop(holder.stdin.take());
    holder.wait().unwrap();
    assert_eq!(
        std::fs::read(keyring(&home)).unwrap(),
        before,
        "nothing changed"
    );
    ok(jwtctl(&home).args(["keygen", "--es256"]));
    assert_eq!(kids(&home).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// 2. Temporary files and `keygen --out`

#[test]
fn temp_files_of_dead_writers_are_removed_and_same_pid_names_never_collide() {
    let (_dir, home, _) = home_with_key();
    // PID 4194305 is above Linux's PID_MAX_LIMIT: never a live process.
    let dead = [
        ".keyring.json.4194305.0123456789abcdef01234567.tmp",
        ".keyring.json.4194305.tmp", // the name older versions used
    ];
    for name in dead {
        std::fs::write(home.join(name), "-----BEGIN PRIVATE KEY-----\n").unwrap();
    }
    // A rerun with the very PID of an old writer: plant its old-style temp name (and a symlink
    // under another) before exec'ing jwtctl in the same process.
    let victim = home.join("victim");
    let out = Command::new("sh")
        .args([
            "-c",
            "touch \"$1/.keyring.json.$$.tmp\"; ln -s \"$1/victim\" \"$1/.keyring.json.$$.x.tmp\"; \
             exec \"$0\" --color=never keygen --es256 -q",
        ])
        .arg(BIN)
        .arg(&home)
        .env("JWTCTL_HOME", &home)
        .env_remove("JWTCTL_STORE_WAIT")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!victim.exists(), "a planted symlink was followed");
    for name in dead {
        assert!(!home.join(name).exists(), "{name} was left behind");
    }
    assert_eq!(kids(&home).len(), 2);
}

#[test]
fn kill_9_during_keygen_leaves_no_private_key_in_a_temp_file_after_the_next_run() {
    let (_dir, home, _) = home_with_key();
    let mut kept = kids(&home);
    for i in 0..12u64 {
        let child = jwtctl(&home)
            .args(["keygen", "--es256", "-q"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill at a different moment each time (the point is the moment, not the duration).
        std::thread::sleep(Duration::from_millis(3 * i));
        let mut child = child;
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        let printed = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        // The next run cleans up after it; every key that was committed is still there.
        kept.push(ok(jwtctl(&home).args(["keygen", "--hs256", "-q"])));
        let now = kids(&home);
        for k in &kept {
            assert!(now.contains(k), "key {k} lost");
        }
        if out.status.success() {
            assert!(now.contains(&printed));
        }
        kept = now;
        let temps: Vec<String> = listing(&home)
            .into_iter()
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(temps.is_empty(), "left behind: {temps:?}");
    }
}

#[test]
fn kill_9_during_keygen_out_leaves_no_temp_and_the_next_run_writes_a_whole_set() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("keys");
    let keygen = || {
        let mut c = jwtctl(dir.path());
        c.args(["keygen", "--es256", "--force", "-q", "--out"])
            .arg(&out);
        c
    };
    for i in 0..12u64 {
        let mut child = keygen()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(3 * i));
        let _ = child.kill();
        child.wait().unwrap();
        let kid = ok(&mut keygen());
        let temps: Vec<String> = listing(&out)
            .into_iter()
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(temps.is_empty(), "left behind: {temps:?}");
        // The three files are one key: the JWKS names the private key's thumbprint.
        assert_eq!(
            read_json(&out.join("es256.jwks.json"))["keys"][0]["kid"],
            kid.as_str()
        );
        let from_private = ok(jwtctl(dir.path())
            .args(["jwks", "--key"])
            .arg(out.join("es256.key.pem")));
        let from_public = ok(jwtctl(dir.path())
            .args(["jwks", "--key"])
            .arg(out.join("es256.pub.pem")));
        assert_eq!(from_private, from_public);
        assert!(from_private.contains(&kid));
    }
}

#[test]
fn keygen_out_refuses_a_taken_name_without_writing_anything() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("keys");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("es256.jwks.json"), "mine").unwrap();
    let before = listing(&out);
    let err = code(
        jwtctl(dir.path())
            .args(["keygen", "--es256", "--out"])
            .arg(&out),
        10,
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(listing(&out), before);
    // A dangling symlink under a later name: the earlier files must not stay either.
    std::fs::remove_file(out.join("es256.jwks.json")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere"), out.join("es256.jwks.json")).unwrap();
    let before = listing(&out);
    code(
        jwtctl(dir.path())
            .args(["keygen", "--es256", "--out"])
            .arg(&out),
        10,
    );
    assert_eq!(listing(&out), before);
    assert!(!dir.path().join("nowhere").exists());
}

#[test]
fn keygen_out_force_that_fails_part_way_keeps_the_old_set() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("keys");
    ok(jwtctl(dir.path())
        .args(["keygen", "--es256", "--out"])
        .arg(&out));
    let private = std::fs::read(out.join("es256.key.pem")).unwrap();
    let public = std::fs::read(out.join("es256.pub.pem")).unwrap();
    // The last file cannot be replaced: its name is now a directory that is not empty.
    let jwks = out.join("es256.jwks.json");
    std::fs::remove_file(&jwks).unwrap();
    std::fs::create_dir(&jwks).unwrap();
    std::fs::write(jwks.join("inside"), "x").unwrap();
    let before = listing(&out);
    code(
        jwtctl(dir.path())
            .args(["keygen", "--es256", "--force", "--out"])
            .arg(&out),
        10,
    );
    assert_eq!(std::fs::read(out.join("es256.key.pem")).unwrap(), private);
    assert_eq!(std::fs::read(out.join("es256.pub.pem")).unwrap(), public);
    assert_eq!(listing(&out), before, "no temp file left");
    // And a --force that succeeds replaces the whole set.
    std::fs::remove_dir_all(&jwks).unwrap();
    let kid = ok(jwtctl(dir.path())
        .args(["keygen", "--es256", "--force", "--out"])
        .arg(&out));
    assert_ne!(std::fs::read(out.join("es256.key.pem")).unwrap(), private);
    assert_eq!(read_json(&jwks)["keys"][0]["kid"], kid.as_str());
}

// ---------------------------------------------------------------------------------------------
// 3. Delivery before commit

/// Runs keygen with stdout broken in one of three ways: closed (`>&-`), full (`/dev/full`),
/// a pipe nobody reads.
fn keygen_with_broken_stdout(home: &Path, how: &str, extra: &[&str]) -> (i32, String) {
    let mut cmd = match how {
        "closed" => {
            let mut c = Command::new("sh");
            c.args(["-c", "exec \"$0\" \"$@\" >&-"]).arg(BIN);
            c.env("JWTCTL_HOME", home)
                .env("JWTCTL_NOW", NOW.to_string())
                .env_remove("JWTCTL_STORE_WAIT")
                .arg("--color=never");
            c
        }
        _ => jwtctl(home),
    };
    cmd.args(["keygen", "--es256"]).args(extra);
    let stdout = match how {
        "closed" => Stdio::inherit(),
        "full" => Stdio::from(std::fs::File::create("/dev/full").unwrap()),
        "pipe" => {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            Stdio::from(writer)
        }
        _ => unreachable!(),
    };
    let child = cmd.stdout(stdout).stderr(Stdio::piped()).spawn().unwrap();
    drop(cmd);
    let out = finish(child);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn keygen_commits_nothing_when_the_kid_cannot_be_delivered() {
    let (dir, home, _) = home_with_key();
    let before = std::fs::read(keyring(&home)).unwrap();
    for how in ["closed", "full", "pipe"] {
        let (status, err) = keygen_with_broken_stdout(&home, how, &[]);
        assert_eq!(status, 10, "{how}: {err}");
        assert!(err.contains("not added"), "{how}: {err}");
        assert_eq!(std::fs::read(keyring(&home)).unwrap(), before, "{how}");
        // --out: the directory stays as it was.
        let out = dir.path().join(format!("out-{how}"));
        let (status, err) =
            keygen_with_broken_stdout(&home, how, &["--out", out.to_str().unwrap()]);
        assert_eq!(status, 10, "{how} --out: {err}");
        assert!(
            !out.exists() || listing(&out).is_empty(),
            "{how}: {:?}",
            listing(&out)
        );
    }
    // Discarding the kid on purpose is not a failure.
    let status = jwtctl(&home)
        .args(["keygen", "--es256"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(kids(&home).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// 4. Format version and unknown fields

#[test]
fn a_newer_keyring_is_refused_and_never_rewritten() {
    let (_dir, home, kid) = home_with_key();
    let mut ring = read_json(&keyring(&home));
    ring["version"] = json!(2);
    let bytes = serde_json::to_vec_pretty(&ring).unwrap();
    std::fs::write(keyring(&home), &bytes).unwrap();
    for args in [
        &["keygen", "--es256"][..],
        &["keys", "retire", &kid],
        &["keys", "activate", &kid],
        &["keys", "list"],
        &["jwks"],
    ] {
        let err = code(jwtctl(&home).args(args), 10);
        assert!(err.contains("newer"), "{args:?}: {err}");
        assert_eq!(std::fs::read(keyring(&home)).unwrap(), bytes, "{args:?}");
    }
}

#[test]
fn unknown_fields_are_kept_and_old_files_without_a_version_are_read() {
    let (_dir, home, kid) = home_with_key();
    let mut ring = read_json(&keyring(&home));
    let obj = ring.as_object_mut().unwrap();
    obj.remove("version");
    obj.insert("x-owner".into(), json!({"team": "auth"}));
    ring["keys"][0]["comment"] = json!("made by hand");
    std::fs::write(keyring(&home), serde_json::to_vec(&ring).unwrap()).unwrap();
    assert_eq!(kids(&home), std::slice::from_ref(&kid));
    let second = ok(jwtctl(&home).args(["keygen", "--ed25519"]));
    ok(jwtctl(&home).args(["keys", "retire", &kid]));
    let after = read_json(&keyring(&home));
    assert_eq!(after["version"], 1);
    assert_eq!(after["x-owner"], json!({"team": "auth"}));
    assert_eq!(after["keys"][0]["comment"], "made by hand");
    assert_eq!(after["keys"][1]["kid"], second.as_str());
}

// ---------------------------------------------------------------------------------------------
// 5. Permissions

#[test]
fn a_keyring_or_home_open_to_others_is_refused_with_the_fix() {
    let (_dir, home, _) = home_with_key();
    set_mode(&keyring(&home), 0o640);
    for args in [&["keys", "list"][..], &["keygen", "--es256"], &["jwks"]] {
        let err = code(jwtctl(&home).args(args), 11);
        assert!(err.contains("chmod 600"), "{args:?}: {err}");
    }
    set_mode(&keyring(&home), 0o600);
    set_mode(&home, 0o775);
    let err = code(jwtctl(&home).args(["keygen", "--es256"]), 11);
    assert!(err.contains("chmod go-w"), "{err}");
    code(jwtctl(&home).args(["keys", "list"]), 11);
    // Merely readable by others is fine.
    set_mode(&home, 0o755);
    ok(jwtctl(&home).args(["keys", "list"]));
    ok(jwtctl(&home).args(["keygen", "--es256"]));
}

#[test]
fn a_read_only_home_serves_read_only_commands_without_writing() {
    let (_dir, home, kid) = home_with_key();
    let token = ok(jwtctl(&home).args(["sign", "--sub", "1"]));
    set_mode(&keyring(&home), 0o400);
    set_mode(&home, 0o500);
    // As root the mode bits do not stop writes, so check that nothing is even attempted:
    // the directory listing and the keyring's bytes stay as they were.
    let names = listing(&home);
    let bytes = std::fs::read(keyring(&home)).unwrap();
    assert_eq!(kids(&home), [kid]);
    ok(jwtctl(&home).args(["keys", "list"]));
    ok(jwtctl(&home).arg("jwks"));
    ok(jwtctl(&home).args(["verify", &token]));
    ok(jwtctl(&home).args(["sign", "--sub", "2"]));
    assert_eq!(listing(&home), names);
    assert_eq!(std::fs::read(keyring(&home)).unwrap(), bytes);
    set_mode(&home, 0o700);
}

// ---------------------------------------------------------------------------------------------
// 6. Bounded reads

#[test]
fn a_keyring_that_is_a_device_a_fifo_or_huge_is_an_error_not_a_hang() {
    let dir = TempDir::new().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    set_mode(&home, 0o700);
    std::os::unix::fs::symlink("/dev/zero", keyring(&home)).unwrap();
    for args in [
        &["keys", "list"][..],
        &["keygen", "--es256"],
        &["sign", "--sub", "1"],
    ] {
        let err = code(jwtctl(&home).args(args), 10);
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
    std::fs::remove_file(keyring(&home)).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(keyring(&home))
            .status()
            .unwrap()
            .success()
    );
    set_mode(&keyring(&home), 0o600);
    let err = code(jwtctl(&home).args(["keys", "list"]), 10);
    assert!(err.contains("pipe"), "{err}");
    std::fs::remove_file(keyring(&home)).unwrap();
    let big = std::fs::File::create(keyring(&home)).unwrap();
    big.set_len(17 << 20).unwrap(); // sparse: cheap to make
    set_mode(&keyring(&home), 0o600);
    let err = code(jwtctl(&home).args(["keys", "list"]), 11);
    assert!(err.contains("larger than"), "{err}");
    // Key files the user names: a device is refused too.
    let err = code(jwtctl(&home).args(["jwks", "--key", "/dev/zero"]), 10);
    assert!(err.contains("not a regular file"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// 7. Length limits and tables

#[test]
fn kid_limits_are_checked_at_the_door() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let long = "k".repeat(257);
    let err = code(jwtctl(p).args(["keygen", "--es256", "--kid", &long]), 2);
    assert!(err.contains("256"), "{err}");
    // The rejected value is not echoed whole: a 64 KiB kid makes a short error.
    let huge = "k".repeat(65_536);
    let err = code(jwtctl(p).args(["keygen", "--es256", "--kid", &huge]), 2);
    assert!(
        err.len() < 1000 && err.contains("65536"),
        "{} bytes",
        err.len()
    );
    code(
        jwtctl(p).args(["keygen", "--es256", "--kid", "a\u{1b}[2Jb"]),
        2,
    );
    code(jwtctl(p).args(["keygen", "--es256", "--kid", " "]), 2);
    assert!(!p.join("keyring.json").exists());
    let ok_kid = "k".repeat(256);
    assert_eq!(
        ok(jwtctl(p).args(["keygen", "--es256", "--kid", &ok_kid])),
        ok_kid
    );
    let help = ok(jwtctl(p).args(["keygen", "--help"]));
    assert!(help.contains("256"), "{help}");
}

#[test]
fn keys_list_prints_any_stored_kid() {
    let (_dir, home, _) = home_with_key();
    let mut ring = read_json(&keyring(&home));
    let huge = "k".repeat(70_000);
    ring["keys"][0]["kid"] = json!(huge);
    ring["active"] = json!(huge);
    ring["keys"][0]["public_jwk"]["kid"] = json!(huge);
    std::fs::write(keyring(&home), serde_json::to_vec(&ring).unwrap()).unwrap();
    let table = ok(jwtctl(&home).args(["keys", "list"]));
    assert!(table.starts_with("KID"), "{table}");
    assert!(table.lines().all(|l| l.chars().count() < 200), "{table}");
    assert!(table.contains("..."), "{table}");
    assert_eq!(kids(&home), [huge]);
}

// ---------------------------------------------------------------------------------------------
// 8. Metadata times and kid prefixes

#[test]
fn keys_list_json_times_are_rfc3339_and_kids_may_be_abbreviated() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    for kid in ["alpha-one", "alpha-two", "beta"] {
        ok(jwtctl(p).args(["keygen", "--es256", "--kid", kid]));
    }
    let first: Value = serde_json::from_str(
        ok(jwtctl(p).args(["keys", "list", "--json"]))
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["created"], "2023-11-14T22:13:20Z");
    assert_eq!(first["retired"], Value::Null);
    let err = code(jwtctl(p).args(["keys", "retire", "alpha"]), 2);
    assert!(
        err.contains("alpha-one") && err.contains("alpha-two"),
        "{err}"
    );
    ok(jwtctl(p)
        .args(["keys", "retire", "alpha-one"])
        .env("JWTCTL_NOW", "1700003600"));
    ok(jwtctl(p).args(["keys", "activate", "alpha-t"]));
    let list: Vec<Value> = ok(jwtctl(p).args(["keys", "list", "--json"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(list[0]["retired"], "2023-11-14T23:13:20Z");
    assert_eq!(list[1]["active"], true, "{list:?}");
    ok(jwtctl(p).args(["keys", "retire", "be"]));
    code(jwtctl(p).args(["keys", "retire", "gamma"]), 11);
}

// ---------------------------------------------------------------------------------------------
// 9. Key material is decoded leniently

/// A P-256 key whose public x coordinate starts with a zero byte.
const P256_X_LEADING_ZERO: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgLFLXKulGs0yy91W6
aZliKC8R7GpWAFor3BcnHOUTJoahRANCAAQAus/gaPY6TSWBtKq74ucDxJPkN9uH
fyljoaSrWZeAcCsF17xuhtUy3EcUrpDIwMsUpLK//pUwmcw3CxFXLyyP
-----END PRIVATE KEY-----
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn jwks_members_in_padded_or_standard_base64_are_accepted() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let out = p.join("k");
    ok(jwtctl(p).args(["keygen", "--rs256", "--out"]).arg(&out));
    let token = ok(jwtctl(p)
        .args(["sign", "--sub", "1", "--key"])
        .arg(out.join("rs256.key.pem")));
    let mut jwks = read_json(&out.join("rs256.jwks.json"));
    for member in ["n", "e"] {
        let raw = URL_SAFE_NO_PAD
            .decode(jwks["keys"][0][member].as_str().unwrap())
            .unwrap();
        jwks["keys"][0][member] = json!(STANDARD.encode(raw));
    }
    assert!(jwks.to_string().contains('='), "the test needs padding");
    let path = write(p, "std.jwks.json", &jwks.to_string());
    ok(jwtctl(p).args(["verify", "--key"]).arg(&path).arg(&token));
    // Tokens stay strict: padding in a token is malformed.
    code(
        jwtctl(p)
            .args(["verify", "--key"])
            .arg(&path)
            .arg(format!("{token}=")),
        3,
    );
}

#[test]
fn ec_jwk_coordinates_that_lost_a_leading_zero_are_padded() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let pem = write(p, "k.pem", P256_X_LEADING_ZERO);
    let token = ok(jwtctl(p).args(["sign", "--sub", "1", "--key"]).arg(&pem));
    let full: Value = serde_json::from_str(&ok(jwtctl(p)
        .args(["convert", "--to", "jwk", "--private", "--key"])
        .arg(&pem)))
    .unwrap();
    let x = URL_SAFE_NO_PAD.decode(full["x"].as_str().unwrap()).unwrap();
    assert_eq!((x.len(), x[0]), (32, 0));
    for private in [false, true] {
        let mut short = full.clone();
        short["x"] = json!(URL_SAFE_NO_PAD.encode(&x[1..]));
        if !private {
            short.as_object_mut().unwrap().remove("d");
        }
        let path = write(p, "short.jwk", &short.to_string());
        ok(jwtctl(p).args(["verify", "--key"]).arg(&path).arg(&token));
        let kid = ok(jwtctl(p).args(["jwks", "--key"]).arg(&path));
        assert_eq!(
            serde_json::from_str::<Value>(&kid).unwrap()["keys"][0]["x"],
            full["x"],
            "written back at full length"
        );
    }
    let mut long = full.clone();
    long["x"] = json!(URL_SAFE_NO_PAD.encode([&[0u8][..], &x].concat()));
    let path = write(p, "long.jwk", &long.to_string());
    let err = code(
        jwtctl(p).args(["verify", "--key"]).arg(&path).arg(&token),
        11,
    );
    assert!(err.contains("length"), "{err}");
}

#[test]
fn an_spki_with_a_compressed_point_is_decompressed() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let pem = write(p, "k.pem", P256_X_LEADING_ZERO);
    let compressed = p.join("c.pub.pem");
    let status = Command::new("openssl")
        .args(["ec", "-pubout", "-conv_form", "compressed", "-in"])
        .arg(&pem)
        .arg("-out")
        .arg(&compressed)
        .stderr(Stdio::null())
        .status()
        .expect("openssl is needed");
    assert!(status.success());
    let from_private = ok(jwtctl(p)
        .args(["convert", "--to", "jwk", "--key"])
        .arg(&pem));
    let from_compressed = ok(jwtctl(p)
        .args(["convert", "--to", "jwk", "--key"])
        .arg(&compressed));
    assert_eq!(from_compressed, from_private);
    let token = ok(jwtctl(p).args(["sign", "--sub", "1", "--key"]).arg(&pem));
    ok(jwtctl(p)
        .args(["verify", "--key"])
        .arg(&compressed)
        .arg(&token));
}

#[test]
fn encrypted_pem_says_it_is_encrypted() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let legacy = write(
        p,
        "legacy.pem",
        "-----BEGIN EC PRIVATE KEY-----
Proc-Type: 4,ENCRYPTED
DEK-Info: AES-128-CBC,50B8FE4C2A9354F4C7CE8E5D6ECC19BB

L+92R0gGO5vcaR/HQiAxWz0gKMil/0EI7HfcDiiq1OETYUB7PuRhMjcXcKYvlztD
3Nao0wYvwn6+nxwHxM3ze8C7B40c3bWWmu4cGhnFi2GUDF8cDSiiCPTWhRBd24JB
8frsrCwy+N2kIHRAmkFidAAFinnIwVxnDc9nbzq/Q14=
-----END EC PRIVATE KEY-----
",
    );
    let pkcs8 = write(
        p,
        "pkcs8.pem",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjRKffWgzKdKgICCAAw
-----END ENCRYPTED PRIVATE KEY-----
",
    );
    for path in [legacy, pkcs8] {
        let err = code(
            jwtctl(p).args(["sign", "--sub", "1", "--key"]).arg(&path),
            11,
        );
        assert!(err.contains("encrypted"), "{err}");
        assert!(err.contains("hint:") && err.contains("openssl"), "{err}");
    }
}

// ---------------------------------------------------------------------------------------------
// 10. HMAC secret files

#[test]
fn hmac_secret_files_hold_exactly_the_secret_and_keep_their_algorithm() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    for (flag, alg, len, digest) in [
        ("--hs256", "HS256", 32, "sha256"),
        ("--hs384", "HS384", 48, "sha384"),
        ("--hs512", "HS512", 64, "sha512"),
    ] {
        let out = p.join(flag.trim_start_matches("--"));
        ok(jwtctl(p).args(["keygen", flag, "--out"]).arg(&out));
        let file = out.join(format!("{}.secret", alg.to_ascii_lowercase()));
        let secret = std::fs::read(&file).unwrap();
        assert_eq!(secret.len(), len, "{alg}: exactly the secret's bytes");
        assert_ne!(secret.last(), Some(&b'\n'));
        let token = ok(jwtctl(p)
            .args(["sign", "--sub", "1", "--secret-file"])
            .arg(&file));
        let (signing_input, sig) = token.rsplit_once('.').unwrap();
        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(signing_input.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header["alg"], alg, "the algorithm survives the file");
        // An independent MAC over the signing input with the file's bytes as the key.
        let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        let mut openssl = Command::new("openssl")
            .args(["dgst", &format!("-{digest}"), "-mac", "HMAC", "-macopt"])
            .arg(format!("hexkey:{hex}"))
            .arg("-binary")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("openssl is needed");
        openssl
            .stdin
            .take()
            .unwrap()
            .write_all(signing_input.as_bytes())
            .unwrap();
        let mac = openssl.wait_with_output().unwrap().stdout;
        assert_eq!(URL_SAFE_NO_PAD.decode(sig).unwrap(), mac, "{alg}");
        ok(jwtctl(p)
            .args(["verify", "--secret-file"])
            .arg(&file)
            .arg(&token));
    }
}
