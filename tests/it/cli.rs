//! End-to-end tests of the real binary: the design-card flow, every exit status, the stdin and
//! stdout rules, file modes and the no-overwrite rule, and hostile input of every shape.

#![allow(clippy::unwrap_used)] // test helpers panic by design

use predicates::prelude::*;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use tempfile::TempDir;

use crate::support::{NOW, bin, jwtctl, jwtctl_at, jwtctl_process, stdout_of, wrapper};

/// Why a pseudo-terminal test could not start: it needs `script`, never skips.
const NEEDS_SCRIPT: &str = "`script` (util-linux; Debian package bsdutils, which .ci/run \
                            installs) must be installed to run jwtctl on a pseudo-terminal";
/// A 43-byte HMAC secret (what `keygen --hs256` writes).
const SECRET: &str = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I";

fn secret_file(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("secret.txt");
    std::fs::write(&p, format!("{SECRET}\n")).unwrap();
    p
}

fn sign_hs(dir: &Path, args: &[&str]) -> String {
    let s = secret_file(dir);
    stdout_of(
        jwtctl(dir)
            .args(["sign", "--secret-file"])
            .arg(&s)
            .args(args),
    )
}

fn verify_hs(dir: &Path, token: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    let s = secret_file(dir);
    jwtctl(dir)
        .args(["verify", "--secret-file"])
        .arg(&s)
        .args(args)
        .write_stdin(token)
        .assert()
}

#[test]
fn design_card_flow_works_in_a_fresh_home() {
    let dir = TempDir::new().unwrap();
    let home = dir.path().join("home");
    let kid = stdout_of(jwtctl(&home).args(["keygen", "--rs256"]));
    assert_eq!(
        kid.len(),
        43,
        "kid is a base64url SHA-256 thumbprint: {kid}"
    );
    let mode = std::fs::metadata(home.join("keyring.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(
        std::fs::metadata(&home).unwrap().permissions().mode() & 0o777,
        0o700
    );

    let token = stdout_of(jwtctl(&home).args(["sign", "--sub", "1", "--ttl", "15m"]));
    let out = stdout_of(
        jwtctl(&home)
            .arg("verify")
            .write_stdin(format!("{token}\n")),
    );
    let claims: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(claims["sub"], "1", "--sub 1 is the string \"1\"");
    assert_eq!(claims["exp"], 1_700_000_900);
    assert_eq!(claims["iat"], 1_700_000_000);

    let decoded: Value =
        serde_json::from_str(&stdout_of(jwtctl(&home).args(["decode", "--json", &token]))).unwrap();
    assert_eq!(decoded["header"]["alg"], "RS256");
    assert_eq!(decoded["header"]["kid"], kid.as_str());
    assert_eq!(decoded["header"]["typ"], "JWT");
}

#[test]
fn rotation_keeps_old_tokens_verifying_by_kid() {
    let dir = TempDir::new().unwrap();
    let k1 = stdout_of(jwtctl(dir.path()).args(["keygen", "--rs256"]));
    let old = stdout_of(jwtctl(dir.path()).args(["sign", "--sub", "a"]));
    let k2 = stdout_of(jwtctl(dir.path()).args(["keygen", "--hs256"]));
    assert_ne!(k1, k2);
    let new = stdout_of(jwtctl(dir.path()).args(["sign", "--sub", "b"]));
    let hdr: Value = serde_json::from_str(&stdout_of(
        jwtctl(dir.path()).args(["decode", "--json", &new]),
    ))
    .unwrap();
    assert_eq!(hdr["header"]["alg"], "HS256", "the newest key is active");
    assert_eq!(hdr["header"]["kid"], k2.as_str());
    jwtctl(dir.path()).args(["verify", &old]).assert().success();
    jwtctl(dir.path()).args(["verify", &new]).assert().success();
}

#[test]
fn keygen_out_writes_pem_and_jwks_with_safe_modes_and_never_overwrites() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("keys");
    let kid = stdout_of(
        jwtctl(dir.path())
            .args(["keygen", "--rs256", "--out"])
            .arg(&out),
    );
    let private = out.join("rs256.key.pem");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&private), 0o600);
    let pem = std::fs::read_to_string(&private).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    assert!(
        std::fs::read_to_string(out.join("rs256.pub.pem"))
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----\n")
    );
    let jwks: Value =
        serde_json::from_slice(&std::fs::read(out.join("rs256.jwks.json")).unwrap()).unwrap();
    let jwk = &jwks["keys"][0];
    assert_eq!(jwk["kid"], kid.as_str());
    assert_eq!(jwk["alg"], "RS256");
    assert!(jwk.get("d").is_none(), "the JWKS holds no private member");

    // The files work: sign with the private PEM, verify with the public PEM and with the JWKS.
    let token = stdout_of(
        jwtctl(dir.path())
            .args(["sign", "--sub", "x", "--key"])
            .arg(&private),
    );
    jwtctl(dir.path())
        .args(["verify", "--key"])
        .arg(out.join("rs256.pub.pem"))
        .arg(&token)
        .assert()
        .success();
    jwtctl(dir.path())
        .args(["verify", "--key"])
        .arg(out.join("rs256.jwks.json"))
        .arg(&token)
        .assert()
        .success();

    // No overwrite without --force; the old key is untouched.
    jwtctl(dir.path())
        .args(["keygen", "--rs256", "--out"])
        .arg(&out)
        .assert()
        .code(10)
        .stdout("")
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    assert_eq!(std::fs::read_to_string(&private).unwrap(), pem);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
    jwtctl(dir.path())
        .args(["keygen", "--rs256", "--force", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_ne!(std::fs::read_to_string(&private).unwrap(), pem);
    assert_eq!(mode(&private), 0o600);
}

#[test]
fn keygen_hmac_secret_file_round_trips() {
    let dir = TempDir::new().unwrap();
    jwtctl(dir.path())
        .args(["keygen", "--hs512", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let secret = dir.path().join("hs512.secret");
    assert_eq!(
        std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let bytes = std::fs::read(&secret).unwrap();
    assert_eq!(bytes.len(), 64, "exactly the 64 random bytes, no newline");
    let token = stdout_of(
        jwtctl(dir.path())
            .args(["sign", "--sub", "s", "--secret-file"])
            .arg(&secret),
    );
    let hdr: Value = serde_json::from_str(&stdout_of(
        jwtctl(dir.path()).args(["decode", "--json", &token]),
    ))
    .unwrap();
    assert_eq!(hdr["header"]["alg"], "HS512");
    jwtctl(dir.path())
        .args(["verify", "--secret-file"])
        .arg(&secret)
        .arg(&token)
        .assert()
        .success();
}

#[test]
fn keygen_refuses_small_rsa() {
    let dir = TempDir::new().unwrap();
    jwtctl(dir.path())
        .args(["keygen", "--rs256", "--bits", "1024"])
        .assert()
        .code(11)
        .stderr(predicate::str::contains("2048"));
    assert!(!dir.path().join("keyring.json").exists());
}

#[test]
fn sign_builds_claims_from_json_flags_and_stdin() {
    let dir = TempDir::new().unwrap();
    let s = secret_file(dir.path());
    let token = stdout_of(
        jwtctl(dir.path())
            .args(["sign", "--secret-file"])
            .arg(&s)
            .args([
                "--claims",
                "-",
                "--claim",
                "role=admin",
                "--claim",
                "n:=5",
                "--claim",
                "tags:=[\"a\"]",
            ])
            .args([
                "--aud", "a1", "--aud", "a2", "--iss", "me", "--jti", "j1", "--exp", "+1h",
                "--nbf", "-1m",
            ])
            .args(["--kid", "k1", "--typ", "at+jwt", "--header", "x-env=test"])
            .write_stdin(r#"{"scope":"read","sub":"from-json"}"#),
    );
    let d: Value = serde_json::from_str(&stdout_of(
        jwtctl(dir.path()).args(["decode", "--json", &token]),
    ))
    .unwrap();
    let c = &d["claims"];
    assert_eq!(c["scope"], "read");
    assert_eq!(c["sub"], "from-json");
    assert_eq!(c["role"], "admin");
    assert_eq!(c["n"], 5);
    assert_eq!(c["tags"][0], "a");
    assert_eq!(c["aud"], serde_json::json!(["a1", "a2"]));
    assert_eq!(c["exp"], 1_700_003_600);
    assert_eq!(c["nbf"], 1_699_999_940);
    assert_eq!(d["header"]["kid"], "k1");
    assert_eq!(d["header"]["typ"], "at+jwt");
    assert_eq!(d["header"]["x-env"], "test");
}

#[test]
fn sign_is_deterministic_under_a_fixed_clock_and_can_omit_iat() {
    let dir = TempDir::new().unwrap();
    let a = sign_hs(dir.path(), &["--sub", "1"]);
    let b = sign_hs(dir.path(), &["--sub", "1"]);
    assert_eq!(a, b);
    let c = sign_hs(dir.path(), &["--sub", "1", "--no-iat"]);
    let d: Value = serde_json::from_str(&stdout_of(
        jwtctl(dir.path()).args(["decode", "--json", &c]),
    ))
    .unwrap();
    assert!(d["claims"].get("iat").is_none());
}

#[test]
fn sign_refuses_bad_input_with_clear_errors() {
    let dir = TempDir::new().unwrap();
    let s = secret_file(dir.path());
    let sign = || {
        let mut c = jwtctl(dir.path());
        c.args(["sign", "--secret-file"]).arg(&s);
        c
    };
    sign()
        .args(["--claims", "-"])
        .write_stdin("[1,2]")
        .assert()
        .code(3) // a malformed claims set, like a token's (issue 11)
        .stdout("")
        .stderr(predicate::str::contains("not a JSON object"));
    sign()
        .args(["--claim", "novalue"])
        .assert()
        .code(2)
        .stdout("");
    sign()
        .args(["--claim", "exp:=\"soon\""])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exp"));
    sign()
        .args(["--ttl", "forever"])
        .assert()
        .code(2)
        .stdout("");
    sign()
        .args(["--alg", "RS256"])
        .assert()
        .code(11)
        .stderr(predicate::str::contains("cannot serve RS256"));
    sign()
        .args(["--alg", "HS512"])
        .assert()
        .code(11)
        .stderr(predicate::str::contains("weak key"));
    sign().args(["--alg", "none"]).assert().code(2);
    // No key anywhere: the keyring is empty, and the hint names the fix.
    jwtctl(dir.path())
        .args(["sign", "--sub", "1"])
        .assert()
        .code(11)
        .stderr(predicate::str::contains("jwtctl keygen"));
}

#[test]
fn secrets_are_checked_and_never_taken_from_key_files() {
    let dir = TempDir::new().unwrap();
    let weak = dir.path().join("weak");
    std::fs::write(&weak, "secret\n").unwrap();
    jwtctl(dir.path())
        .args(["sign", "--secret-file"])
        .arg(&weak)
        .assert()
        .code(11)
        .stderr(predicate::str::contains("weak key"));
    jwtctl(dir.path())
        .args(["keygen", "--rs256", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    jwtctl(dir.path())
        .args(["sign", "--secret-file"])
        .arg(dir.path().join("rs256.pub.pem"))
        .assert()
        .code(11)
        .stderr(predicate::str::contains("not an HMAC secret"));
    // The environment works, and its value never appears in messages.
    let token = stdout_of(
        jwtctl(dir.path())
            .args(["sign", "--secret-env", "MY_SECRET"])
            .env("MY_SECRET", SECRET),
    );
    jwtctl(dir.path())
        .args(["verify", "--secret-env", "MY_SECRET", &token])
        .env("MY_SECRET", SECRET)
        .assert()
        .success();
    jwtctl(dir.path())
        .args(["verify", "--secret-env", "MY_SECRET", &token])
        .env("MY_SECRET", "x".repeat(40))
        .assert()
        .code(4)
        .stderr(predicate::str::contains("x".repeat(40)).not());
    jwtctl(dir.path())
        .args(["verify", "--secret-env", "UNSET_VAR_X", &token])
        .assert()
        .code(11);
}

#[test]
fn verify_exit_codes_cover_the_contract() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let good = sign_hs(
        p,
        &["--sub", "alice", "--iss", "https://issuer", "--aud", "api"],
    );
    let ok = ["--aud", "api"];
    verify_hs(p, &good, &ok)
        .success()
        .stdout(predicate::str::contains("\"alice\""));

    // 3: malformed
    verify_hs(p, "not-a-token", &ok).code(3).stdout("");
    // 4: tampered signature
    let mut bad = good.clone();
    let last = bad.pop().unwrap();
    bad.push(if last == 'A' { 'B' } else { 'A' });
    verify_hs(p, &bad, &ok)
        .code(4)
        .stdout("")
        .stderr(predicate::str::contains("signature rejected"));
    // 5: expired, and the message says how long ago
    verify_hs(p, &good, &["--aud", "api", "--now", "1700003600"])
        .code(5)
        .stdout("")
        .stderr(predicate::str::contains("expired 45m ago"));
    // leeway rescues a recent expiry, bounded to 5m
    verify_hs(
        p,
        &good,
        &["--aud", "api", "--now", "1700000950", "--leeway", "1m"],
    )
    .success();
    verify_hs(p, &good, &["--aud", "api", "--leeway", "10m"])
        .code(2)
        .stdout("");
    // 6: not yet valid
    let future = sign_hs(p, &["--nbf", "+10m", "--ttl", "1h"]);
    verify_hs(p, &future, &[])
        .code(6)
        .stdout("")
        .stderr(predicate::str::contains("not yet valid"));
    // 7: claims
    verify_hs(p, &good, &[])
        .code(7)
        .stdout("")
        .stderr(predicate::str::contains("--aud"));
    verify_hs(p, &good, &["--aud", "other"]).code(7).stdout("");
    verify_hs(p, &good, &["--aud", "api", "--iss", "https://other"])
        .code(7)
        .stdout("");
    verify_hs(p, &good, &["--aud", "api", "--sub", "bob"])
        .code(7)
        .stdout("");
    verify_hs(p, &good, &["--aud", "api", "--require", "jti"])
        .code(7)
        .stderr(predicate::str::contains("jti"));
    verify_hs(p, &good, &["--aud", "api", "--typ", "at+jwt"])
        .code(7)
        .stdout("");
    let refresh = sign_hs(p, &["--typ", "refresh+jwt"]);
    verify_hs(p, &refresh, &[])
        .code(7)
        .stderr(predicate::str::contains("refresh token"));
    verify_hs(p, &refresh, &["--typ", "refresh+jwt"]).success();
    // 10: key file missing or a directory; 11: key that cannot serve --alg
    jwtctl(p)
        .args(["verify", "--key", "/nonexistent/key.pem", &good])
        .assert()
        .code(10)
        .stdout("");
    jwtctl(p)
        .args(["verify", "--key"])
        .arg(p)
        .arg(&good)
        .assert()
        .code(10)
        .stderr(predicate::str::contains("directory"));
    verify_hs(p, &good, &["--alg", "RS256"]).code(11).stdout("");
}

#[test]
fn verify_json_and_quiet_outputs() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let token = sign_hs(p, &["--sub", "1"]);
    let out = verify_hs(p, &token, &["--json"])
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["claims"]["sub"], "1");
    assert_eq!(v["header"]["alg"], "HS256");
    let out = verify_hs(p, &token, &["--json", "--now", "1800000000"])
        .code(5)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["code"], 5);
    assert!(v.get("claims").is_none(), "no unverified claims on failure");
    verify_hs(p, &token, &["-q"])
        .success()
        .stdout("")
        .stderr("");
    verify_hs(p, &token, &["-q", "--now", "1800000000"])
        .code(5)
        .stdout("")
        .stderr("");
}

#[test]
fn hostile_inputs_get_one_line_and_a_code_never_a_panic() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let check = |token: Vec<u8>, code: i32| {
        let s = secret_file(p);
        let out = jwtctl(p)
            .args(["verify", "--secret-file"])
            .arg(&s)
            .write_stdin(token)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(!err.contains("panicked") && !err.contains("backtrace"));
    };
    check(Vec::new(), 3); // empty stdin
    check(vec![b'.'; 1_000_000], 3); // a million dots
    check(vec![b'a'; 10 * 1024 * 1024], 3); // 10 MB
    check(vec![0xff, 0xfe, 0x00, 0x01], 3); // binary
    check(format!("a.{}.c", "e".repeat(70_000)).into_bytes(), 3); // over the 64 KiB cap

    let binary = p.join("binary.key");
    std::fs::write(&binary, [0u8, 159, 146, 150, 1, 2, 3]).unwrap();
    jwtctl(p)
        .args(["verify", "--key"])
        .arg(&binary)
        .arg("a.b.c")
        .assert()
        .code(11)
        .stdout("");
    jwtctl(p)
        .args(["decode", "-"])
        .write_stdin(".".repeat(1_000_000))
        .assert()
        .code(3)
        .stdout("");
}

#[test]
fn stdin_can_only_be_used_once() {
    let dir = TempDir::new().unwrap();
    jwtctl(dir.path())
        .args(["verify", "--secret-file", "-", "-"])
        .write_stdin(SECRET)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stdin is already used"));
}

#[test]
fn no_token_on_a_terminal_fails_fast_with_a_hint() {
    // `script` gives the command a pseudo-terminal as stdin, as an interactive user would have.
    let dir = TempDir::new().unwrap();
    let out = wrapper("script", dir.path())
        .args([
            "-qec",
            &format!("{} --color=never verify --secret-env X", bin().display()),
            "/dev/null",
        ])
        .env("X", SECRET)
        .stdin(std::process::Stdio::null())
        .output()
        .expect(NEEDS_SCRIPT);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("stdin is a terminal") && text.contains("hint:"),
        "{text}"
    );
}

#[test]
fn decode_shows_times_and_says_nothing_was_verified() {
    let dir = TempDir::new().unwrap();
    let token = sign_hs(dir.path(), &["--sub", "1", "--ttl", "15m"]);
    jwtctl_at(dir.path(), NOW + 2)
        .args(["decode", &token])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2023-11-14T22:28:20Z (expires in 14m 58s)",
        ))
        .stderr(predicate::str::contains("NOT verified"));
    // alg none and unknown algorithms decode too: decode trusts nothing, so it shows anything.
    let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsImV4cCI6NDEwMjQ0NDgwMH0.";
    let out = stdout_of(jwtctl(dir.path()).args(["decode", "--json", none]));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["header"]["alg"], "none");
    assert_eq!(v["signature"], "");
    jwtctl(dir.path())
        .args(["verify", "--secret-env", "S", none])
        .env("S", SECRET)
        .assert()
        .code(4)
        .stdout("");
    jwtctl(dir.path())
        .args(["decode", "x.y"])
        .assert()
        .code(3)
        .stdout("");
}

#[test]
fn decode_escapes_terminal_controls_only_on_a_terminal() {
    let dir = TempDir::new().unwrap();
    let token = sign_hs(dir.path(), &["--claim", "name=\u{1b}[2J\u{202e}evil"]);
    // Piped: raw JSON (serde escapes ESC as \u001b; the bidi override stays raw).
    let out = stdout_of(jwtctl(dir.path()).args(["decode", "--json", &token]));
    assert!(out.contains("\\u001b[2J\u{202e}evil"));
    let out = wrapper("script", dir.path())
        .args([
            "-qec",
            &format!("{} --color=never decode --json {token}", bin().display()),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .expect(NEEDS_SCRIPT);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\\u202eevil"), "{text}");
    assert!(!text.contains('\u{202e}'));
}

#[test]
fn closed_stdout_exits_zero_quietly() {
    let dir = TempDir::new().unwrap();
    let token = sign_hs(dir.path(), &["--sub", "1"]);
    let out = wrapper("bash", dir.path())
        .args([
            "-c",
            &format!(
                "{} --color=never decode {token} | true; echo \"status=${{PIPESTATUS[0]}}\"",
                bin().display()
            ),
        ])
        .output()
        .expect("bash runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "status=0");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("error"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn help_and_usage_errors() {
    let dir = TempDir::new().unwrap();
    jwtctl(dir.path())
        .args(["verify", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("11  key or config error"));
    jwtctl(dir.path())
        .args(["sign", "--bogus"])
        .assert()
        .code(2);
    jwtctl(dir.path()).args(["keygen"]).assert().code(2);
    jwtctl(dir.path())
        .args(["--now", "yesterday", "decode", "a.b.c"])
        .assert()
        .code(2);
    // Secrets cannot be given as flag values: there is no such flag.
    jwtctl(dir.path())
        .args(["sign", "--secret", "s3cr3t"])
        .assert()
        .code(2);
}

#[test]
fn secret_prompt_reads_the_terminal_without_echo() {
    use std::io::{Read, Write};
    // `script` runs jwtctl on a pseudo-terminal and forwards our stdin to it as typed input. We
    // type only after the prompt is shown.
    let dir = TempDir::new().unwrap();
    let mut child = wrapper("script", dir.path())
        .args([
            "-qec",
            &format!(
                "{} --color=never sign --secret-prompt --sub 1",
                bin().display()
            ),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect(NEEDS_SCRIPT);
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&seen).contains("HMAC secret:") {
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0, "no prompt: {}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buf[..n]);
    }
    // rpassword writes the prompt, then turns echo off: typing at once races that switch (the
    // secret was echoed in about half of the runs on a busy 2-core machine). Give it time.
    std::thread::sleep(std::time::Duration::from_millis(500));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{SECRET}\n").as_bytes())
        .unwrap();
    stdout.read_to_end(&mut seen).unwrap();
    assert!(child.wait().unwrap().success());
    let text = String::from_utf8_lossy(&seen);
    assert!(!text.contains(SECRET), "the secret is not echoed: {text}");
    let token = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("eyJ"))
        .expect("a token on stdout");
    verify_hs(dir.path(), token, &[]).success();
}

#[test]
fn verify_batch_keeps_input_order_and_reports_the_first_failure() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let good: Vec<String> = (0..5)
        .map(|i| sign_hs(p, &["--sub", &i.to_string()]))
        .collect();
    let expired = sign_hs(p, &["--exp", "@1600000000"]);
    // 3000 lines: enough for many chunks across the worker threads.
    let mut input = String::new();
    for i in 0..3000 {
        input.push_str(&good[i % 5]);
        input.push('\n');
    }
    input.push_str("\n   \nnot-a-token\n");
    input.push_str(&format!("Bearer {expired}\n"));
    input.push_str(&format!("{}\n", "x".repeat(100_000)));
    input.push_str(&good[0]);
    let s = secret_file(p);
    let out = jwtctl(p)
        .args(["verify", "--batch", "--secret-file"])
        .arg(&s)
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "the first failure (line 3003, malformed) decides the status"
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        3004,
        "blank lines are skipped, every other line answered"
    );
    for (i, v) in lines[..3000].iter().enumerate() {
        assert_eq!(v["line"], i + 1);
        assert_eq!(v["valid"], true);
        assert_eq!(v["claims"]["sub"], (i % 5).to_string());
    }
    let tail: Vec<(u64, i64)> = lines[3000..]
        .iter()
        .map(|v| (v["line"].as_u64().unwrap(), v["code"].as_i64().unwrap()))
        .collect();
    assert_eq!(tail, vec![(3003, 3), (3004, 5), (3005, 3), (3006, 0)]);
    assert!(
        lines[3002].get("claims").is_none(),
        "no claims for a failed token"
    );
}

/// Messages go to stderr; when that is a closed pipe they are lost, but the command still ends
/// with its own status (it used to panic, status 101, inside `eprintln!`).
#[test]
fn a_closed_stderr_changes_nothing_but_the_messages() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let token = sign_hs(p, &["--sub", "1"]);
    for (args, status) in [
        (vec!["decode", token.as_str()], 0),
        (vec!["decode", "garbage"], 3),
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = jwtctl_process(p)
            .args(&args)
            .stderr(writer)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(status), "{args:?}");
    }
}

/// `jwtctl verify --batch ... | head -1`: once stdout is gone every thread stops, with status
/// 0 like any command cut short by a closed pipe. (It used to hang: the reader waited on a full
/// work queue that the main thread still held open.)
#[test]
fn batch_stops_when_stdout_is_closed() {
    use std::io::BufRead;
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let token = sign_hs(p, &["--sub", "1"]);
    let tokens = p.join("tokens.txt");
    // Far more lines than the queues between the threads hold.
    std::fs::write(&tokens, format!("{token}\n").repeat(50_000)).unwrap();
    let mut child = jwtctl_process(p)
        .args(["verify", "--batch", "--secret-file"])
        .arg(secret_file(p))
        .arg("--file")
        .arg(&tokens)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains(r#""valid":true"#), "{first}");
    // The pipe is closed now. A hang is a failure, however slow the machine.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("verify --batch kept running after its stdout was closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn batch_reads_files_and_decodes() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let a = p.join("a.txt");
    let b = p.join("b.txt");
    std::fs::write(&a, format!("{}\n", sign_hs(p, &["--sub", "a"]))).unwrap();
    std::fs::write(
        &b,
        format!(
            "{}\n{}\n",
            sign_hs(p, &["--sub", "b"]),
            sign_hs(p, &["--sub", "c"])
        ),
    )
    .unwrap();
    let s = secret_file(p);
    let out = stdout_of(
        jwtctl(p)
            .args(["verify", "--batch", "--secret-file"])
            .arg(&s)
            .arg("--file")
            .arg(&a)
            .arg("--file")
            .arg(&b),
    );
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seen: Vec<(String, u64, String)> = lines
        .iter()
        .map(|v| {
            (
                v["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                v["line"].as_u64().unwrap(),
                v["claims"]["sub"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("a.txt".into(), 1, "a".into()),
            ("b.txt".into(), 1, "b".into()),
            ("b.txt".into(), 2, "c".into())
        ]
    );
    let out = jwtctl(p)
        .args(["decode", "--batch", "--file"])
        .arg(&b)
        .assert()
        .success()
        .stderr(predicate::str::contains("NOT verified"))
        .get_output()
        .stdout
        .clone();
    let first: Value =
        serde_json::from_str(String::from_utf8(out).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(first["header"]["alg"], "HS256");
    assert_eq!(first["claims"]["sub"], "b");
    jwtctl(p)
        .args(["verify", "--batch", "--secret-file"])
        .arg(&s)
        .arg("--file")
        .arg(p.join("missing.txt"))
        .assert()
        .code(10)
        .stdout("");
    jwtctl(p)
        .args(["verify", "--batch", "a.b.c"])
        .assert()
        .code(2);
}

#[test]
fn key_errors_never_echo_key_material() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let marker = "TOPSECRETMATERIAL0123456789";
    let cases = [
        format!("-----BEGIN PRIVATE KEY-----\n{marker}\n-----END PRIVATE KEY-----\n"),
        format!("-----BEGIN RSA PRIVATE KEY-----\nMII{marker}==\n-----END RSA PRIVATE KEY-----\n"),
        format!(r#"{{"kty":"oct","k":"{marker}!"}}"#),
        format!(r#"{{"kty":"RSA","n":"{marker}","e":"AQAB","d":"{marker}"}}"#),
        format!(r#"{{"kty":"EC","crv":"P-256","x":"{marker}","y":"{marker}","d":"{marker}"}}"#),
        format!(r#"{{"keys":[{{"kty":"oct","k":"{marker}"}},{{"kty":"oct","k":"{marker}"}}]}}"#),
    ];
    for (i, content) in cases.iter().enumerate() {
        let key = p.join(format!("key{i}"));
        std::fs::write(&key, content).unwrap();
        for verb in ["sign", "verify"] {
            let mut cmd = jwtctl(p);
            cmd.args([verb, "--key"]).arg(&key);
            if verb == "verify" {
                cmd.arg("a.b.c");
            }
            let out = cmd.output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(11), "case {i} {verb}: {err}");
            assert!(!err.contains(marker), "case {i} echoed key material: {err}");
        }
    }
    let secret = p.join("secret");
    std::fs::write(&secret, "short-secret").unwrap();
    let out = jwtctl(p)
        .args(["sign", "--secret-file"])
        .arg(&secret)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(11));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("short-secret"));
}

#[test]
fn secret_prompt_without_a_terminal_is_a_usage_error() {
    // setsid detaches the command from any controlling terminal, as in CI or cron.
    let dir = TempDir::new().unwrap();
    let out = wrapper("setsid", dir.path())
        .arg("-w")
        .arg(bin())
        .args(["--color=never", "sign", "--secret-prompt", "--sub", "1"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("setsid (util-linux) must be installed to run jwtctl without a terminal");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("needs a terminal") && err.contains("--secret-file"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn batch_answers_binary_lines_and_decode_failures_in_place() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let good = sign_hs(p, &["--sub", "1"]);
    let mut input = b"\xff\xfe garbage\n".to_vec();
    input.extend_from_slice(format!("{good}\nnot.a.token\n").as_bytes());
    let out = jwtctl(p)
        .args(["decode", "--batch"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        (lines[0]["line"].as_u64(), lines[0]["code"].as_u64()),
        (Some(1), Some(3))
    );
    assert!(lines[0]["reason"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(lines[1]["claims"]["sub"], "1");
    assert_eq!(
        (lines[2]["line"].as_u64(), lines[2]["code"].as_u64()),
        (Some(3), Some(3))
    );
}
