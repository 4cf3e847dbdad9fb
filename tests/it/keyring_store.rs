//! The keyring kept in the shared store (`--keyring-in-store`, issue 13 "Keys across machines"):
//! homes that share a store and its keyring sign, verify, refresh and rotate keys as one; homes
//! that share only the store keep their own keys (each other's tokens are 4); the keyring is
//! sealed under the keyring secret (a wrong or short secret is 11 and changes nothing, a missing
//! one 2), the store holds no key material in the clear, concurrent keygens lose no key, and
//! `keys push` moves a home's keyring into the store.
//!
//! The two-home tests are in `conformance!` blocks: they run on every store backend.

#![allow(clippy::unwrap_used)] // test helpers panic by design

use crate::support::*;
use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A keyring secret file (44 bytes of base64 and a newline, like `head -c 32 /dev/urandom |
/// base64`), mode 0600, in `dir`; `fill` makes different secrets.
fn secret_file(dir: &Path, fill: char) -> PathBuf {
    let path = dir.join(format!("kek-{fill}"));
    std::fs::write(&path, format!("{}\n", fill.to_string().repeat(44))).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

/// Makes `home` keep its keyring in its store, sealed under the secret in `kek`.
fn keyring_in_store(home: &Path, kek: &Path) {
    add_env(
        home,
        &[
            ("JWTCTL_KEYRING_IN_STORE", "1"),
            ("JWTCTL_KEYRING_SECRET_FILE", kek.to_str().unwrap()),
        ],
    );
}

/// Two homes (no key yet) on one new store of `b`, both keeping the keyring in it under one
/// secret: (the directories to keep, first home, second home).
fn two_homes_one_keyring(b: Backend) -> (Vec<TempDir>, PathBuf, PathBuf) {
    let (dir1, one) = bare_home_on(b);
    let (dir2, two) = bare_home_on(b);
    share_store(&two, &one);
    let kek = secret_file(dir1.path(), 'k');
    keyring_in_store(&one, &kek);
    keyring_in_store(&two, &kek);
    (vec![dir1, dir2], one, two)
}

/// `keygen ARGS` in `home`; must succeed; the kid it printed.
fn keygen(home: &Path, args: &[&str]) -> String {
    stdout_of(jwtctl(home).arg("keygen").args(args))
}

/// The kids `keys list --json` shows, oldest first.
fn kids(home: &Path) -> Vec<String> {
    let out = stdout_of(jwtctl(home).args(["keys", "list", "--json"]));
    json_lines(&out)
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

/// The kid in a token's header.
fn kid_of(home: &Path, token: &str) -> String {
    decode(home, token)["header"]["kid"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `sign --sub SUB` in `home`; must succeed.
fn sign(home: &Path) -> String {
    stdout_of(jwtctl(home).args(["sign", "--sub", "svc"]))
}

conformance! {

fn two_homes_sharing_the_store_and_its_keyring_are_one_issuer(b: Backend) {
    let (_dirs, one, two) = two_homes_one_keyring(b);
    let kid = keygen(&one, &["--es256"]);
    assert_eq!(kids(&two), [kid.as_str()]);
    for home in [&one, &two] {
        assert!(
            !home.join("keyring.json").exists(),
            "a keyring file in {}",
            home.display()
        );
    }

    // Minted through one home, refreshed through the other; a replay through either is caught.
    let resp = login(&one, "alice");
    let (at, rt1) = (field(&resp, "access_token"), field(&resp, "refresh_token"));
    assert_eq!(kid_of(&one, &rt1), kid);
    let (code, out, err) = refresh_at(&two, NOW + 10, &rt1, &[]);
    assert_eq!(code, 0, "{err}");
    let rt2 = field(&json(&out), "refresh_token");
    let (code, out, err) = refresh_at(&one, NOW + 20, &rt1, &[]);
    assert_eq!((code, out.as_str()), (9, ""), "{err}");
    let (code, _, err) = refresh_at(&two, NOW + 30, &rt2, &[]);
    assert_eq!(code, 8, "{err}");

    // And the other way round, with a replay through the home that rotated it.
    let rt1 = field(&login(&two, "bob"), "refresh_token");
    let (code, out, err) = refresh_at(&one, NOW + 10, &rt1, &[]);
    assert_eq!(code, 0, "{err}");
    let rt2 = field(&json(&out), "refresh_token");
    assert_eq!(refresh_at(&one, NOW + 20, &rt1, &[]).0, 9);
    assert_eq!(refresh_at(&two, NOW + 30, &rt2, &[]).0, 8);

    // An access token from one home verifies in the other; logout works across them too.
    let (code, _, err) = run(jwtctl(&two).args(["verify", "--aud", "jwtctl", &at]));
    assert_eq!(code, 0, "{err}");
    let rt = field(&login(&one, "carol"), "refresh_token");
    let (code, _, err) = run(jwtctl(&two).args(["logout", &rt]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(refresh_at(&one, NOW + 5, &rt, &[]).0, 8);
    assert_eq!(sessions(&two, NOW, &[]).len(), 3);
    for home in [&one, &two] {
        assert!(!home.join("keyring.json").exists());
    }
}

fn keygen_in_one_home_rotates_the_key_the_other_signs_with(b: Backend) {
    let (_dirs, one, two) = two_homes_one_keyring(b);
    let first = keygen(&one, &["--rs256"]);
    let old = sign(&two);
    assert_eq!(kid_of(&two, &old), first);
    let second = keygen(&one, &["--es256", "--kid", "2026-11"]);
    assert_eq!(second, "2026-11");
    let new = sign(&two);
    assert_eq!(kid_of(&two, &new), second);
    // Both keys verify everywhere until the old one is retired (through the other home).
    for home in [&one, &two] {
        for token in [&old, &new] {
            let (code, _, err) = run(jwtctl(home).args(["verify", token]));
            assert_eq!(code, 0, "{err}");
        }
    }
    let (code, _, err) = run(jwtctl(&two).args(["keys", "retire", &first[..8]]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(jwtctl(&one).args(["verify", &old]));
    assert_eq!(code, 4, "{err}");
    assert_eq!(run(jwtctl(&one).args(["verify", &new])).0, 0);

    // keys list and jwks are the store's, the same through both homes.
    let list = |home: &Path| stdout_of(jwtctl(home).args(["keys", "list", "--json"]));
    assert_eq!(list(&one), list(&two));
    let rows = json_lines(&list(&one));
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0]["retired"].is_string() && rows[1]["active"] == true,
        "{rows:?}"
    );
    let jwks = |home: &Path| stdout_of(jwtctl(home).arg("jwks"));
    assert_eq!(jwks(&one), jwks(&two));
    let set = json(&jwks(&one));
    let listed: Vec<&str> = set["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["2026-11"]);

    // keys activate through the store: the retired key stays retired, the active one can move
    // back to an older live key.
    let third = keygen(&two, &["--ed25519"]);
    assert_eq!(kid_of(&one, &sign(&one)), third);
    let (code, _, err) = run(jwtctl(&one).args(["keys", "activate", "2026-11"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(kid_of(&two, &sign(&two)), "2026-11");
    let (code, _, err) = run(jwtctl(&one).args(["keys", "activate", &first]));
    assert_eq!(code, 11, "{err}");
    assert!(err.contains("retired"), "{err}");
}

fn a_wrong_secret_is_11_and_changes_nothing(b: Backend) {
    let (dirs, one, _two) = two_homes_one_keyring(b);
    let kid = keygen(&one, &["--es256"]);
    let rt = field(&login(&one, "alice"), "refresh_token");
    let token = sign(&one);
    let (dir3, wrong) = bare_home_on(b);
    share_store(&wrong, &one);
    keyring_in_store(&wrong, &secret_file(dirs[0].path(), 'w'));
    let rt_s = rt.as_str();
    let token_s = token.as_str();
    for args in [
        vec!["keys", "list"],
        vec!["keys", "retire", "x"],
        vec!["keys", "activate", kid.as_str()],
        vec!["keygen", "--es256"],
        vec!["jwks"],
        vec!["sign", "--sub", "mallory"],
        vec!["verify", token_s],
        vec!["login", "--sub", "mallory"],
        vec!["refresh", rt_s],
        vec!["logout", rt_s],
    ] {
        let (code, out, err) = run(jwtctl(&wrong).args(&args));
        assert_eq!((code, out.as_str()), (11, ""), "{args:?}: {err}");
        assert!(err.contains("wrong keyring secret?"), "{args:?}: {err}");
        assert!(
            !err.contains("kek-"),
            "{args:?}: the secret file's name? {err}"
        );
    }
    // Nothing changed: the key, the session, and the token still refreshes through the owner.
    assert_eq!(kids(&one), [kid]);
    assert_eq!(sessions(&one, NOW, &[]).len(), 1);
    let (code, _, err) = refresh_at(&one, NOW + 1, &rt, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!wrong.exists(), "the refused commands made a home");
    drop(dir3);
}

fn homes_with_their_own_keyrings_sharing_a_store_refuse_each_others_tokens(b: Backend) {
    let (_dir1, one) = new_home_on(b);
    let (_dir2, two) = new_home_on(b);
    share_store(&two, &one);
    // new_home_on made each home's key in its own keyring file.
    assert!(one.join("keyring.json").exists() && two.join("keyring.json").exists());
    let rt_one = field(&login(&one, "alice"), "refresh_token");
    let rt_two = field(&login(&two, "bob"), "refresh_token");
    for (home, foreign) in [(&one, &rt_two), (&two, &rt_one)] {
        let (code, out, err) = refresh_at(home, NOW + 1, foreign, &[]);
        assert_eq!((code, out.as_str()), (4, ""), "{err}");
    }
    // Both families are in the one store, seen from either home, and each refreshes at home.
    for home in [&one, &two] {
        let subs: BTreeSet<String> = sessions(home, NOW, &[])
            .iter()
            .map(|s| s["sub"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(subs, BTreeSet::from(["alice".to_owned(), "bob".to_owned()]));
    }
    assert_eq!(refresh_at(&one, NOW + 2, &rt_one, &[]).0, 0);
    assert_eq!(refresh_at(&two, NOW + 2, &rt_two, &[]).0, 0);
}

fn concurrent_keygens_through_the_store_lose_no_key(b: Backend) {
    const WRITERS: usize = 8;
    let (_dirs, one, two) = two_homes_one_keyring(b);
    keygen(&one, &["--es256"]);
    let homes: Vec<&Path> = (0..WRITERS)
        .map(|i| {
            if i % 2 == 0 {
                one.as_path()
            } else {
                two.as_path()
            }
        })
        .collect();
    let children: Vec<_> = homes
        .iter()
        .map(|home| {
            jwtctl_process(home)
                .args(["keygen", "--es256"])
                .env("JWTCTL_STORE_WAIT", "10m")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut printed = BTreeSet::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a keygen failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        printed.insert(String::from_utf8(out.stdout).unwrap().trim().to_owned());
    }
    assert_eq!(printed.len(), WRITERS);
    let listed: BTreeSet<String> = kids(&two).into_iter().collect();
    assert_eq!(listed.len(), WRITERS + 1);
    let lost: Vec<&String> = printed.difference(&listed).collect();
    assert!(lost.is_empty(), "printed but lost: {lost:?}");
    let rows = json_lines(&stdout_of(jwtctl(&one).args(["keys", "list", "--json"])));
    assert_eq!(rows.iter().filter(|r| r["active"] == true).count(), 1);
}

fn keys_push_moves_a_home_keyring_into_the_store(b: Backend) {
    // A home that signed with its own keyring file moves to the store's keyring.
    let (dir, old) = new_home_on(b);
    let kid = kids(&old).remove(0);
    let rt = field(&login(&old, "alice"), "refresh_token");
    let kek = secret_file(dir.path(), 'p');
    let (_dir2, moved) = bare_home_on(b);
    share_store(&moved, &old);
    keyring_in_store(&moved, &kek);
    assert_eq!(
        run(jwtctl(&moved).args(["refresh", &rt])).0,
        11,
        "no keys in the store yet"
    );

    let push = |home: &Path, extra: &[&str]| {
        run(jwtctl(home)
            .args(["keys", "push"])
            .args(extra)
            .env("JWTCTL_KEYRING_SECRET_FILE", &kek))
    };
    let (code, out, err) = push(&old, &[]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.contains("pushed 1 key"), "{err}");
    assert_eq!(kids(&moved), [kid.as_str()]);
    let (code, out, err) = refresh_at(&moved, NOW + 1, &rt, &[]);
    assert_eq!(code, 0, "{err}");
    let rt2 = field(&json(&out), "refresh_token");
    assert_eq!(kid_of(&moved, &rt2), kid);

    // A keyring with keys in the store is not replaced without --force.
    let newer = keygen(&moved, &["--es256"]);
    let (code, _, err) = push(&old, &[]);
    assert_eq!(code, 10, "{err}");
    assert!(
        err.contains("already holds 2 keys") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(kids(&moved), [kid.clone(), newer]);
    let (code, _, err) = push(&old, &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(kids(&moved), [kid.as_str()]);

    // --force also replaces a keyring sealed under a secret nobody has any more.
    let lost = secret_file(dir.path(), 'q');
    let (code, _, err) = run(jwtctl(&old)
        .args(["keys", "push"])
        .env("JWTCTL_KEYRING_SECRET_FILE", &lost));
    assert_eq!(code, 11, "{err}");
    assert!(err.contains("wrong keyring secret?"), "{err}");
    let (code, _, err) = run(jwtctl(&old)
        .args(["keys", "push", "--force"])
        .env("JWTCTL_KEYRING_SECRET_FILE", &lost));
    assert_eq!(code, 0, "{err}");
    assert_eq!(run(jwtctl(&moved).args(["keys", "list"])).0, 11);

    // An empty home has nothing to push; push needs a secret.
    let (_dir3, empty) = bare_home_on(b);
    share_store(&empty, &old);
    let (code, _, err) = push(&empty, &[]);
    assert_eq!(code, 11, "{err}");
    assert!(err.contains("nothing to push"), "{err}");
    let (code, _, err) = run(jwtctl(&old).args(["keys", "push"]));
    assert_eq!(code, 2, "{err}");
}

fn a_kid_that_cannot_be_printed_is_not_added_to_the_store(b: Backend) {
    let (_dirs, one, two) = two_homes_one_keyring(b);
    let kid = keygen(&one, &["--es256"]);
    for alg in ["--es256", "--hs256"] {
        let out = wrapper("sh", &one)
            .args(["-c", "exec \"$0\" \"$@\" >&-"])
            .arg(bin())
            .args(["--color=never", "keygen", alg])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(10),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            kids(&two),
            [kid.as_str()],
            "{alg}: an undelivered key was added"
        );
    }
}
}

#[test]
fn the_keyring_secret_is_checked_before_anything_is_touched() {
    let (dir, home) = bare_home_on(Backend::Sqlite);
    let store = format!("sqlite:{}", dir.path().join("shared.db").display());
    let short = dir.path().join("short");
    std::fs::write(&short, format!("{}\n", "s".repeat(31))).unwrap();
    std::fs::set_permissions(&short, std::fs::Permissions::from_mode(0o600)).unwrap();
    let open = secret_file(dir.path(), 'o');
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
    let good = secret_file(dir.path(), 'g');
    let cmd = |env: &[(&str, &str)]| {
        let mut c = jwtctl(&home);
        c.args(["keys", "list", "--store", &store]);
        for (k, v) in env {
            c.env(k, v);
        }
        run(&mut c)
    };
    let s = |p: &Path| p.to_str().unwrap().to_owned();

    // --keyring-in-store and no secret: 2, naming both ways to give one.
    let (code, _, err) = cmd(&[("JWTCTL_KEYRING_IN_STORE", "1")]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--keyring-secret-file") && err.contains("JWTCTL_KEYRING_SECRET "),
        "{err}"
    );
    let (code, _, err) = run(jwtctl(&home).args(["sign", "--sub", "a", "--keyring-in-store"]));
    assert_eq!(code, 2, "{err}");

    // Short: 11 with the fix, from a file (its newline not counted) or the variable.
    for env in [
        vec![
            ("JWTCTL_KEYRING_IN_STORE", "true"),
            ("JWTCTL_KEYRING_SECRET_FILE", &*s(&short)),
        ],
        vec![
            ("JWTCTL_KEYRING_IN_STORE", "yes"),
            ("JWTCTL_KEYRING_SECRET", "not-32-bytes-long"),
        ],
    ] {
        let (code, _, err) = cmd(&env);
        assert_eq!(code, 11, "{env:?}: {err}");
        assert!(err.contains("at least 32"), "{err}");
        assert!(
            err.contains("head -c 32 /dev/urandom | base64 > kek"),
            "{err}"
        );
        assert!(
            !err.contains("not-32-bytes-long"),
            "the secret was echoed: {err}"
        );
    }
    // A secret file others can read: 11, with the chmod.
    let (code, _, err) = cmd(&[
        ("JWTCTL_KEYRING_IN_STORE", "1"),
        ("JWTCTL_KEYRING_SECRET_FILE", &s(&open)),
    ]);
    assert_eq!(code, 11, "{err}");
    assert!(err.contains("chmod 600"), "{err}");
    // Both ways at once, or a secret without --keyring-in-store: 2.
    let (code, _, err) = cmd(&[
        ("JWTCTL_KEYRING_IN_STORE", "1"),
        ("JWTCTL_KEYRING_SECRET_FILE", &s(&good)),
        ("JWTCTL_KEYRING_SECRET", &"x".repeat(40)),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("twice"), "{err}");
    let (code, _, err) = cmd(&[("JWTCTL_KEYRING_SECRET_FILE", &s(&good))]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--keyring-in-store"), "{err}");
    // A value that is not a boolean, and the secret itself on the command line: 2 at parse
    // time, the value never echoed.
    let (code, _, err) = cmd(&[("JWTCTL_KEYRING_IN_STORE", "maybe")]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(jwtctl(&home).args([
        "keys",
        "list",
        "--keyring-secret",
        "hunter2-hunter2-hunter2-hunter2-xx",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("hunter2"), "{err}");

    assert!(!home.exists(), "a refused command made the home");
    assert!(
        !dir.path().join("shared.db").exists(),
        "a refused command made the store"
    );

    // The good secret works, from the file or the variable; an empty store keyring is empty.
    let (code, _, err) = cmd(&[
        ("JWTCTL_KEYRING_IN_STORE", "1"),
        ("JWTCTL_KEYRING_SECRET_FILE", &s(&good)),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("empty"), "{err}");
    let (code, _, err) = cmd(&[
        ("JWTCTL_KEYRING_IN_STORE", "on"),
        ("JWTCTL_KEYRING_SECRET", &"g".repeat(44)),
    ]);
    assert_eq!(code, 0, "{err}");
}

/// Every file in `dir`, whole (the store, its -wal and -shm).
fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_store_holds_no_key_material_in_the_clear() {
    // Keys made in a home (so the test can see their private parts), pushed into a store.
    let (dir, home) = bare_home_on(Backend::Sqlite);
    for alg in ["--rs256", "--es256", "--hs256", "--ed25519"] {
        keygen(&home, &[alg]);
    }
    let ring = json(&std::fs::read_to_string(home.join("keyring.json")).unwrap());
    let mut secrets: Vec<String> = Vec::new();
    for key in ring["keys"].as_array().unwrap() {
        if let Some(s) = key["secret"].as_str() {
            secrets.push(s.to_owned());
        }
        if let Some(pem) = key["private_pem"].as_str() {
            secrets.extend(
                pem.lines()
                    .filter(|l| !l.starts_with("-----"))
                    .map(str::to_owned),
            );
        }
        secrets.push(key["kid"].as_str().unwrap().to_owned());
    }
    assert!(secrets.len() > 8, "{secrets:?}");
    let store_dir = dir.path().join("store");
    let url = format!("sqlite:{}", store_dir.join("shared.db").display());
    let kek = secret_file(dir.path(), 'n');
    let with_store = |c: &mut assert_cmd::Command| {
        c.env("JWTCTL_STORE", &url)
            .env("JWTCTL_KEYRING_SECRET_FILE", &kek);
    };
    let mut push = jwtctl(&home);
    push.args(["keys", "push"]);
    with_store(&mut push);
    assert_eq!(run(&mut push).0, 0);
    // Another key made in the store itself, and a session signed with the store's keyring.
    let (_dir2, other) = bare_home_on(Backend::Sqlite);
    let mut kg = jwtctl(&other);
    kg.args(["keygen", "--hs512", "--keyring-in-store"]);
    with_store(&mut kg);
    assert_eq!(run(&mut kg).0, 0);
    let mut lg = jwtctl(&other);
    lg.args(["login", "--sub", "alice", "--keyring-in-store"]);
    with_store(&mut lg);
    assert_eq!(run(&mut lg).0, 0);

    let stored = files_in(&store_dir);
    assert!(stored.iter().any(|(n, _)| n == "shared.db"));
    for (name, bytes) in &stored {
        for marker in [
            "PRIVATE KEY",
            "private_pem",
            "\"secret\"",
            "\"kid\"",
            "ES256",
        ] {
            assert!(
                !contains(bytes, marker.as_bytes()),
                "{name} holds {marker:?}"
            );
        }
        for s in &secrets {
            assert!(
                !contains(bytes, s.as_bytes()),
                "{name} holds key material {s:?}"
            );
        }
        assert!(
            contains(bytes, b"jwtctl-keyring") || name != "shared.db",
            "{name}: no sealed keyring"
        );
    }
}

/// The sealed keyring row of an SQLite store: (version, blob).
fn keyring_row(db: &Path) -> Option<(i64, Vec<u8>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let table: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'keyring')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    if !table {
        return None;
    }
    conn.query_row("SELECT version, blob FROM keyring", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .ok()
}

#[test]
fn a_store_made_before_the_keyring_keeps_working_and_keeps_its_format() {
    // A store as this jwtctl made it before any keyring was kept in it (schema version 1).
    let (dir, home) = new_home();
    let rt = field(&login(&home, "alice"), "refresh_token");
    let db = home.join("refresh.db");
    assert_eq!(keyring_row(&db), None);
    let before = std::fs::read(&db).unwrap();
    let kek = secret_file(dir.path(), 'v');
    let (_dir2, other) = bare_home_on(Backend::Sqlite);
    share_store(&other, &home);
    keyring_in_store(&other, &kek);

    // Reading its keyring changes nothing: there is none (and no table for it).
    let (code, _, err) = run(jwtctl(&other).args(["keys", "list"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("empty"), "{err}");
    let (code, _, err) = run(jwtctl(&other).args(["sign", "--sub", "x"]));
    assert_eq!(code, 11, "{err}");
    assert!(
        err.contains("no signing key") && err.contains("in store sqlite:"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a read wrote the store"
    );

    // The first write adds the table in place; the format stays version 1 ("jwtc"), so an
    // older jwtctl still opens it, and the old session still rotates.
    let (code, _, err) = run(jwtctl(&home)
        .args(["keys", "push"])
        .env("JWTCTL_KEYRING_SECRET_FILE", &kek));
    assert_eq!(code, 0, "{err}");
    let (version, blob) = keyring_row(&db).unwrap();
    assert_eq!(version, 1);
    assert!(blob.starts_with(b"jwtctl-keyring"));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let user_version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let app: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!((user_version, app), (1, 0x6a77_7463));
    drop(conn);
    let (code, out, err) = refresh_at(&other, NOW + 1, &rt, &[]);
    assert_eq!(code, 0, "{err}");
    let rt2 = field(&json(&out), "refresh_token");
    assert_eq!(
        refresh_at(&home, NOW + 2, &rt2, &[]).0,
        0,
        "the home's own keyring still works"
    );
    keygen(&other, &["--es256"]);
    assert_eq!(keyring_row(&db).unwrap().0, 2);
}

#[test]
fn an_altered_sealed_keyring_is_11_and_a_newer_one_10_never_1() {
    let (dir, home) = bare_home_on(Backend::Sqlite);
    let kek = secret_file(dir.path(), 'a');
    keyring_in_store(&home, &kek);
    keygen(&home, &["--es256"]);
    let db = home.join("refresh.db");
    let (_, sealed) = keyring_row(&db).unwrap();
    let set_blob = |blob: &[u8]| {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("UPDATE keyring SET blob = ?1", [blob])
            .unwrap();
    };
    let magic = b"jwtctl-keyring".len();
    let mut cases: Vec<(String, Vec<u8>, i32, &str)> = Vec::new();
    for at in [
        magic + 1,
        magic + 20,
        magic + 30,
        sealed.len() / 2,
        sealed.len() - 1,
    ] {
        let mut bad = sealed.clone();
        bad[at] ^= 0x40;
        cases.push((
            format!("byte {at} flipped"),
            bad,
            11,
            "wrong keyring secret?",
        ));
    }
    cases.push((
        "cut short".into(),
        sealed[..sealed.len() - 20].to_vec(),
        11,
        "wrong keyring secret?",
    ));
    cases.push((
        "not sealed".into(),
        br#"{"keys":[]}"#.to_vec(),
        11,
        "not a sealed jwtctl keyring",
    ));
    cases.push((
        "empty".into(),
        Vec::new(),
        11,
        "not a sealed jwtctl keyring",
    ));
    let mut newer = sealed.clone();
    newer[magic] = 2;
    cases.push(("format 2".into(), newer, 10, "format 2"));
    for (what, blob, want, says) in cases {
        set_blob(&blob);
        for args in [
            vec!["keys", "list"],
            vec!["sign", "--sub", "x"],
            vec!["keygen", "--es256"],
        ] {
            let (code, out, err) = run(jwtctl(&home).args(&args));
            assert_eq!((code, out.as_str()), (want, ""), "{what}, {args:?}: {err}");
            assert!(err.contains(says), "{what}, {args:?}: {err}");
        }
        assert_eq!(
            keyring_row(&db).unwrap().1,
            blob,
            "{what}: the blob was rewritten"
        );
    }
    set_blob(&sealed);
    assert_eq!(kids(&home).len(), 1);
}

#[test]
fn store_copy_carries_the_sealed_keyring() {
    let (dir, home) = bare_home_on(Backend::Sqlite);
    let kek = secret_file(dir.path(), 'c');
    keyring_in_store(&home, &kek);
    let kid = keygen(&home, &["--es256"]);
    let rt = field(&login(&home, "alice"), "refresh_token");
    let from = format!("sqlite:{}", home.join("refresh.db").display());
    let to_file = dir.path().join("copy.db");
    let to = format!("sqlite:{}", to_file.display());
    let (code, out, err) =
        run(jwtctl(&home).args(["store", "copy", "--json", "--from", &from, "--to", &to]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["keyring"], 1);
    assert!(err.contains("and the sealed keyring"), "{err}");
    assert_eq!(
        keyring_row(&to_file).unwrap().1,
        keyring_row(&home.join("refresh.db")).unwrap().1
    );
    // A home on the copy signs and refreshes with the copied keys.
    let (_dir2, moved) = bare_home_on(Backend::Sqlite);
    add_env(&moved, &[("JWTCTL_STORE", &to)]);
    keyring_in_store(&moved, &kek);
    assert_eq!(kids(&moved), [kid.as_str()]);
    let (code, _, err) = refresh_at(&moved, NOW + 1, &rt, &[]);
    assert_eq!(code, 0, "{err}");

    // A target that holds another keyring is refused before anything is written.
    let other_file = dir.path().join("other.db");
    let other = format!("sqlite:{}", other_file.display());
    let (_dir3, third) = bare_home_on(Backend::Sqlite);
    add_env(&third, &[("JWTCTL_STORE", &other)]);
    keyring_in_store(&third, &kek);
    keygen(&third, &["--es256"]);
    let before = keyring_row(&other_file);
    let (code, out, err) =
        run(jwtctl(&home).args(["store", "copy", "--from", &from, "--to", &other]));
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains("another keyring") && err.contains("nothing was copied"),
        "{err}"
    );
    assert_eq!(keyring_row(&other_file), before);
    assert!(sessions(&third, NOW, &[]).is_empty());
}
