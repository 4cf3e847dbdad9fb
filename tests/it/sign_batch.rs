//! `jwtctl sign --batch` and `sign --count` (issue 16): one token per line of claims, in input
//! order, the flags applied to every line; `{n}` and `--jti auto`; bad lines answered in place;
//! every token passes `verify --batch` with the matching key and policy; a closed stdout ends
//! the run quietly; memory stays flat.

#![allow(clippy::unwrap_used)] // tests panic by design

use crate::support::{NOW, json_lines, jwtctl, jwtctl_process, run};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A directory with an HS256 secret (`hs256.secret`) made by keygen.
fn hs_dir() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let keys = dir.path().join("k");
    keygen(dir.path(), "--hs256", &keys);
    (dir, keys.join("hs256.secret"))
}

fn keygen(home: &Path, flag: &str, out: &Path) {
    let (code, _, err) = run(jwtctl(home).args(["keygen", flag, "--out"]).arg(out));
    assert_eq!(code, 0, "keygen {flag}: {err}");
}

/// `jwtctl ARGS` with `stdin`: (exit code, stdout, stderr).
fn jwt(home: &Path, args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    run(jwtctl(home).args(args).write_stdin(stdin.to_vec()))
}

/// The claims of a token, unverified.
fn claims_of(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// `verify --batch` over `tokens` with `args` (key and policy): exit code and results.
fn verify_batch(home: &Path, args: &[&str], tokens: &str) -> (i32, Vec<Value>) {
    let (code, out, err) = jwt(
        home,
        &[&["verify", "--batch"], args].concat(),
        tokens.as_bytes(),
    );
    assert!(code == 0 || !err.is_empty() || !out.is_empty());
    (code, json_lines(&out))
}

#[test]
fn every_algorithm_round_trips_through_verify_batch() {
    let dir = TempDir::new().unwrap();
    let home = dir.path();
    let keys = home.join("k");
    // (keygen flag, file stem, algorithm)
    let cases = [
        ("--rs256", "rs256", "RS256"),
        ("--ps256", "ps256", "PS256"),
        ("--es256", "es256", "ES256"),
        ("--es384", "es384", "ES384"),
        ("--ed25519", "ed25519", "EdDSA"),
        ("--hs256", "hs256", "HS256"),
        ("--hs384", "hs384", "HS384"),
        ("--hs512", "hs512", "HS512"),
    ];
    let mut lines = String::new();
    for i in 1..=40 {
        lines.push_str(&format!(
            "{{\"sub\":\"u{i}\",\"scope\":\"read\",\"i\":{i}}}\n"
        ));
    }
    for (flag, stem, alg) in cases {
        keygen(home, flag, &keys);
        let hmac = stem.starts_with("hs");
        let (sign_key, verify_key) = if hmac {
            let s = keys.join(format!("{stem}.secret"));
            (("--secret-file", s.clone()), ("--secret-file", s))
        } else {
            (
                ("--key", keys.join(format!("{stem}.key.pem"))),
                ("--key", keys.join(format!("{stem}.jwks.json"))),
            )
        };
        let (code, tokens, err) = jwt(
            home,
            &[
                "sign",
                "--batch",
                sign_key.0,
                sign_key.1.to_str().unwrap(),
                "--alg",
                alg,
                "--aud",
                "api",
                "--iss",
                "https://issuer.example",
                "--jti",
                "auto",
                "--ttl",
                "1h",
            ],
            lines.as_bytes(),
        );
        assert_eq!(code, 0, "{alg}: {err}");
        assert_eq!(tokens.lines().count(), 40, "{alg}");
        let (code, results) = verify_batch(
            home,
            &[
                verify_key.0,
                verify_key.1.to_str().unwrap(),
                "--alg",
                alg,
                "--aud",
                "api",
                "--iss",
                "https://issuer.example",
                "--require",
                "jti",
            ],
            &tokens,
        );
        assert_eq!(code, 0, "{alg}: {results:?}");
        assert_eq!(results.len(), 40);
        for (i, r) in results.iter().enumerate() {
            assert_eq!(r["valid"], true, "{alg}: {r}");
            assert_eq!(r["claims"]["sub"], format!("u{}", i + 1), "{alg}");
            assert_eq!(r["claims"]["i"], i + 1, "{alg}");
            assert_eq!(r["claims"]["exp"], NOW + 3600, "{alg}");
        }
    }
}

#[test]
fn order_is_kept_and_flags_win_where_they_would_over_claims() {
    let (dir, secret) = hs_dir();
    let home = dir.path();
    let s = secret.to_str().unwrap();
    // Thousands of lines: many chunks across the workers. Every line has its own iss (the flag
    // wins), exp and iat (they stay unless a flag sets them), and a claim only it has.
    let mut input = String::new();
    for i in 1..=3000 {
        input.push_str(&format!(
            "{{\"sub\":\"s{i}\",\"iss\":\"line\",\"exp\":{},\"iat\":{},\"own\":{i}}}\n",
            NOW + 100 + i,
            NOW - i
        ));
    }
    let (code, out, err) = jwt(
        home,
        &[
            "sign",
            "--batch",
            "--secret-file",
            s,
            "--iss",
            "flag",
            "--claim",
            "role=admin",
        ],
        input.as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    let tokens: Vec<&str> = out.lines().collect();
    assert_eq!(tokens.len(), 3000);
    for (i, t) in tokens.iter().enumerate() {
        let n = i as i64 + 1;
        let c = claims_of(t);
        assert_eq!(c["sub"], format!("s{n}"), "input order");
        assert_eq!(c["iss"], "flag", "a flag wins over the line");
        assert_eq!(c["role"], "admin", "flags apply to every line");
        assert_eq!(c["own"], n);
        assert_eq!(
            c["exp"],
            NOW + 100 + n,
            "the line's exp stays without --ttl/--exp"
        );
        assert_eq!(c["iat"], NOW - n, "the line's iat stays");
    }
    // --ttl and --no-iat replace what the line says, as for a single sign's --claims.
    let (code, out, err) = jwt(
        home,
        &[
            "sign",
            "--batch",
            "--secret-file",
            s,
            "--ttl",
            "2h",
            "--no-iat",
        ],
        b"{\"sub\":\"a\",\"exp\":1,\"iat\":5}\n",
    );
    assert_eq!(code, 0, "{err}");
    let c = claims_of(out.trim());
    assert_eq!(c["exp"], NOW + 7200);
    assert!(c.get("iat").is_none(), "{c}");
    // The same as a single sign with that line as --claims.
    let line = "{\"sub\":\"x\",\"exp\":1800000000,\"scope\":\"r\"}";
    let (_, batch, _) = jwt(
        home,
        &["sign", "--batch", "--secret-file", s, "--aud", "api"],
        line.as_bytes(),
    );
    let (_, single, _) = jwt(
        home,
        &["sign", "--claims", "-", "--secret-file", s, "--aud", "api"],
        line.as_bytes(),
    );
    assert_eq!(batch, single);
    // Expired on arrival is signed, as by a single sign, with one warning for the whole run.
    let (code, out, err) = jwt(
        home,
        &["sign", "--batch", "--secret-file", s],
        b"{\"exp\":1}\n{\"exp\":2}\n{\"sub\":\"fresh\"}\n",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 3);
    assert_eq!(err.matches("warning").count(), 1, "{err}");
    assert!(err.contains("2 tokens were already expired"), "{err}");
}

#[test]
fn count_mints_from_the_flags_with_n_and_fresh_jtis() {
    let (dir, secret) = hs_dir();
    let home = dir.path();
    let s = secret.to_str().unwrap();
    let (code, out, err) = run(jwtctl(home).args([
        "sign",
        "--count",
        "700",
        "--secret-file",
        s,
        "--sub",
        "user-{n}",
        "--aud",
        "api",
        "--aud",
        "tenant-{n}",
        "--claim",
        "seq:={n}",
        "--claim",
        "tag=t{n}",
        "--jti",
        "auto",
    ]));
    assert_eq!(code, 0, "{err}");
    let tokens: Vec<&str> = out.lines().collect();
    assert_eq!(tokens.len(), 700);
    let mut jtis = std::collections::HashSet::new();
    for (i, t) in tokens.iter().enumerate() {
        let n = i + 1;
        let c = claims_of(t);
        assert_eq!(c["sub"], format!("user-{n}"));
        assert_eq!(c["aud"], serde_json::json!(["api", format!("tenant-{n}")]));
        assert_eq!(c["seq"], n);
        assert_eq!(c["tag"], format!("t{n}"));
        let jti = c["jti"].as_str().unwrap();
        assert!(jti.len() >= 22, "{jti}");
        assert!(jtis.insert(jti.to_owned()), "jti {jti} repeated");
    }
    // --json: {"line","token"}; line is the sequence number.
    let (code, out, _) = run(jwtctl(home).args([
        "sign",
        "--count",
        "3",
        "--secret-file",
        s,
        "--json",
        "--sub",
        "{n}",
    ]));
    assert_eq!(code, 0);
    let rows = json_lines(&out);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["line"], i + 1);
        assert_eq!(
            claims_of(r["token"].as_str().unwrap())["sub"],
            (i + 1).to_string()
        );
    }
    // A single sign leaves {n} alone: there is no sequence.
    let (code, out, _) = run(jwtctl(home).args(["sign", "--secret-file", s, "--sub", "u{n}"]));
    assert_eq!(code, 0);
    assert_eq!(claims_of(out.trim())["sub"], "u{n}");
    // Refused at parse time: --count 0, --json alone, --claims with a batch, a claim that is not
    // JSON even with a number in.
    for args in [
        vec!["sign", "--count", "0"],
        vec!["sign", "--json", "--sub", "1"],
        vec!["sign", "--batch", "--claims", "x.json"],
        vec!["sign", "--count", "2", "--file", "x.txt"],
        vec![
            "sign",
            "--count",
            "2",
            "--secret-file",
            s,
            "--claim",
            "a:={n",
        ],
    ] {
        let (code, out, err) = run(jwtctl(home).args(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "", "{args:?}");
    }
}

#[test]
fn bad_lines_are_answered_in_place_and_the_first_failure_decides() {
    let (dir, secret) = hs_dir();
    let home = dir.path();
    let s = secret.to_str().unwrap();
    let mut input = b"{\"sub\":\"1\"}\nnot json\n\n[1,2]\n".to_vec();
    input.extend_from_slice(b"{\"sub\":\"5\",\"exp\":\"soon\"}\n\xff\xfe\n");
    input.extend_from_slice(format!("{{\"big\":\"{}\"}}\n", "x".repeat(70_000)).as_bytes());
    input.extend_from_slice(format!("{{\"big\":\"{}\"}}\n", "x".repeat(60_000)).as_bytes());
    input.extend_from_slice(b"{\"sub\":\"10\",\"a\":1,\"a\":2}\n{\"sub\":\"11\"}\n");
    let (code, out, err) = jwt(
        home,
        &["sign", "--batch", "--json", "--secret-file", s],
        &input,
    );
    assert_eq!(
        code, 3,
        "the first failure (line 2, not JSON) decides: {err}"
    );
    let rows = json_lines(&out);
    let seen: Vec<(u64, i64)> = rows
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r.get("code").map_or(0, |c| c.as_i64().unwrap()),
            )
        })
        .collect();
    // 2 not JSON, 4 not an object, 5 exp of the wrong type (a usage error, as for --claims),
    // 6 not UTF-8, 7 over the line cap, 8 a token over 64 KiB once base64url (usage),
    // 9 a duplicate key.
    assert_eq!(
        seen,
        vec![
            (1, 0),
            (2, 3),
            (4, 3),
            (5, 2),
            (6, 3),
            (7, 3),
            (8, 2),
            (9, 3),
            (10, 0)
        ]
    );
    assert!(
        rows[1]["reason"].as_str().unwrap().contains("JSON"),
        "{}",
        rows[1]
    );
    assert!(
        rows[3]["reason"].as_str().unwrap().contains("exp"),
        "{}",
        rows[3]
    );
    assert_eq!(claims_of(rows[8]["token"].as_str().unwrap())["sub"], "11");
    assert!(rows[1].get("token").is_none());
    // Without --json every stdout line is a token; each failure is a message on stderr.
    let (code, out, err) = jwt(home, &["sign", "--batch", "--secret-file", s], &input);
    assert_eq!(code, 3);
    let subs: Vec<Value> = out.lines().map(|t| claims_of(t)["sub"].clone()).collect();
    assert_eq!(subs, vec!["1", "11"]);
    for line in [2, 4, 5, 6, 7, 8, 9] {
        assert!(
            err.contains(&format!("line {line}: ")),
            "line {line}: {err}"
        );
    }
    // The first failure may be a usage error.
    let (code, _, _) = jwt(
        home,
        &["sign", "--batch", "--secret-file", s],
        b"{\"exp\":\"x\"}\nnope\n",
    );
    assert_eq!(code, 2);
}

#[test]
fn reading_no_line_is_a_usage_error_and_files_are_named() {
    let (dir, secret) = hs_dir();
    let home = dir.path();
    let s = secret.to_str().unwrap();
    for input in ["", "\n \n\n"] {
        let (code, out, err) = jwt(
            home,
            &["sign", "--batch", "--secret-file", s],
            input.as_bytes(),
        );
        assert_eq!(code, 2, "{input:?}: {err}");
        assert!(err.contains("no line of claims was read"), "{err}");
        assert_eq!(out, "");
    }
    // The secret took stdin: the claims cannot come from it too.
    let (code, _, err) = jwt(
        home,
        &["sign", "--batch", "--secret-file", "-"],
        "k".repeat(40).as_bytes(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("stdin is already used"), "{err}");
    let a = home.join("a.jsonl");
    let b = home.join("b.jsonl");
    std::fs::write(&a, "{\"sub\":\"a1\"}\n").unwrap();
    std::fs::write(&b, "{\"sub\":\"b1\"}\n\n{\"sub\":\"b3\"}\n").unwrap();
    let (code, out, err) = run(jwtctl(home)
        .args(["sign", "--batch", "--json", "--secret-file", s, "--file"])
        .arg(&a)
        .arg("--file")
        .arg(&b));
    assert_eq!(code, 0, "{err}");
    let seen: Vec<(String, u64, String)> = json_lines(&out)
        .iter()
        .map(|r| {
            let file = r["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned();
            let sub = claims_of(r["token"].as_str().unwrap())["sub"]
                .as_str()
                .unwrap()
                .to_owned();
            (file, r["line"].as_u64().unwrap(), sub)
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("a.jsonl".into(), 1, "a1".into()),
            ("b.jsonl".into(), 1, "b1".into()),
            ("b.jsonl".into(), 3, "b3".into()),
        ]
    );
    // Tokens are data: -q mutes messages, not them.
    let (code, out, err) =
        run(jwtctl(home).args(["-q", "sign", "--count", "2", "--secret-file", s]));
    assert_eq!((code, out.lines().count(), err.as_str()), (0, 2, ""));
}

/// `jwtctl sign --count HUGE | head -1`: once stdout is gone every thread stops, status 0.
#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let (dir, secret) = hs_dir();
    let mut child = jwtctl_process(dir.path())
        .args(["sign", "--count", "100000000", "--secret-file"])
        .arg(&secret)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("eyJ"), "{first}");
    // The pipe is closed now. A hang is a failure, however slow the machine.
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("sign --count kept running after its stdout was closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert_eq!(err, "", "ends quietly");
}

#[test]
fn tokens_flow_while_the_input_stays_open() {
    let (dir, secret) = hs_dir();
    let mut child = jwtctl_process(dir.path())
        .args(["sign", "--batch", "--secret-file"])
        .arg(&secret)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"{\"sub\":\"alice\"}\n").unwrap();
    stdin.flush().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    // Generous: a loaded 2-core machine. Without the flush this waits for end of input.
    let line = rx.recv_timeout(Duration::from_secs(60)).ok();
    drop(stdin);
    let status = child.wait().unwrap();
    let line = line.expect("no token while stdin was open");
    assert_eq!(claims_of(line.trim())["sub"], "alice");
    assert!(status.success());
}

/// Peak RSS (KiB) of `jwtctl ARGS > /dev/null`, stdin from `input` (a file) or nothing, as
/// getrusage reports it for the waited-for children of a python3 wrapper.
fn peak_rss_kib(home: &Path, args: &[&str], input: Option<&Path>) -> u64 {
    let script = r#"
import resource, subprocess, sys
stdin = open(sys.argv[1], "rb") if sys.argv[1] else subprocess.DEVNULL
out = open("/dev/null", "wb")
r = subprocess.run(sys.argv[2:], stdin=stdin, stdout=out)
assert r.returncode == 0, r.returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"#;
    let mut cmd = crate::support::wrapper("python3", home);
    cmd.args(["-c", script])
        .arg(input.map_or(String::new(), |p| p.display().to_string()))
        .arg(crate::support::bin())
        .arg("--color=never")
        .args(args);
    let out = cmd
        .output()
        .expect("python3 must be installed for this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn memory_stays_flat_on_a_large_input() {
    let (dir, secret) = hs_dir();
    let home = dir.path();
    let s = secret.to_str().unwrap();
    let small = peak_rss_kib(home, &["sign", "--count", "10", "--secret-file", s], None);
    let large = peak_rss_kib(
        home,
        &[
            "sign",
            "--count",
            "200000",
            "--secret-file",
            s,
            "--sub",
            "user-{n}",
        ],
        None,
    );
    // 200,000 tokens are ~30 MB of output; memory must not grow with them.
    assert!(
        large < small + 8 * 1024,
        "--count: peak RSS {large} KiB for 200,000 tokens, {small} KiB for 10"
    );
    let lines = home.join("claims.jsonl");
    let mut text = String::new();
    for i in 0..100_000 {
        text.push_str(&format!(
            "{{\"sub\":\"user-{i}\",\"scope\":\"read write\"}}\n"
        ));
    }
    std::fs::write(&lines, text).unwrap();
    let large = peak_rss_kib(home, &["sign", "--batch", "--secret-file", s], Some(&lines));
    assert!(
        large < small + 8 * 1024,
        "--batch: peak RSS {large} KiB for 100,000 lines (7 MB), {small} KiB for 10 tokens"
    );
}
