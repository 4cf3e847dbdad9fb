//! The contract at the edges (issue 11): batch runs that read nothing or wait, what a terminal
//! and a pipe show (colour codes, hostile names, clap's own output), what people paste, secrets
//! on the command line, the names of stdin, and claims input. Every test runs the real binary;
//! the pseudo-terminal ones use `script` (util-linux) as a person's terminal would.

#![allow(clippy::unwrap_used)] // tests panic by design

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_jwtctl");
use crate::support::NOW;
/// An HS256 secret of 40 bytes.
const SECRET: &str = "edges-test-secret-0123456789abcdefghijkl";
/// A secret typed where it must not be: it must never come back on any stream.
const TYPED: &str = "hunter2-edges-9f3c";
/// The escape character, which starts every terminal control sequence.
const ESC: char = '\u{1b}';

/// One finished run.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A hermetic command in `dir` (home `dir/home`, fixed clock, no colour settings inherited).
fn jwtctl(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    crate::support::hermetic(&mut cmd, &dir.join("home")).current_dir(dir);
    cmd
}

/// Runs `cmd` with `input` on stdin.
fn run(cmd: &mut Command, input: &[u8]) -> Run {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // A command may exit before reading its stdin (a usage error): that is not a test failure.
    let _ = stdin.write_all(input);
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs jwtctl with `args` and `input` on stdin.
fn jwt(dir: &Path, args: &[&str], input: &[u8]) -> Run {
    run(jwtctl(dir).args(args), input)
}

/// Runs `jwtctl <shell words>` on a pseudo-terminal (stdin, stdout and stderr all on it, as for
/// a person at a terminal), with `env` set. `words` is shell text: hostile values come in
/// through `env` as "$NAME". Returns the exit status and everything the terminal was sent.
fn on_pty(dir: &Path, words: &str, env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = Command::new("script");
    cmd.args(["-qfec", &format!("'{BIN}' {words}"), "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("JWTCTL_STORE_WAIT")
        .env("TERM", "xterm-256color")
        .env("JWTCTL_HOME", dir.join("home"))
        .env("JWTCTL_NOW", NOW.to_string())
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .expect("`script` (util-linux) runs the command on a pseudo-terminal");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// A directory holding the HMAC secret file `s`.
fn workdir() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let secret = dir.path().join("s");
    std::fs::write(&secret, SECRET).unwrap();
    (dir, secret)
}

/// An HS256 token over any header and claims (`decode` shows anything; `verify` checks it).
fn hs256(header: &Value, claims: &Value) -> String {
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, SECRET.as_bytes());
    let mac = aws_lc_rs::hmac::sign(&key, signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(mac.as_ref()))
}

/// A valid token for [`SECRET`] at [`NOW`].
fn good_token() -> String {
    hs256(
        &json!({"alg": "HS256", "typ": "JWT"}),
        &json!({"sub": "alice", "exp": NOW + 900, "iat": NOW}),
    )
}

/// A token whose header and claim names and values try to drive the terminal: clear the
/// screen, set the window title, ring the bell, reverse text.
fn hostile_token() -> String {
    hs256(
        &json!({"alg": "HS256", "\u{1b}]0;owned\u{7}title": "x\u{202e}gnp.exe"}),
        &json!({
            "\u{1b}[2Jname\u{202e}": "\u{1b}[31mred\u{2066}",
            "exp": NOW + 900,
        }),
    )
}

/// `text` without its colour codes (SGR: ESC `[` digits and `;` then `m`): what a person reads.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\u{1b}[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let params = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[params..].starts_with('m') {
            rest = &after[params + 1..];
        } else {
            out.push_str("\u{1b}[");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Nothing in `text` can drive a terminal or reorder what it shows, except our own colour codes.
fn assert_defused(text: &str) {
    for raw in [
        "\u{1b}[2J",
        "\u{1b}]0;",
        "\u{1b}[31m",
        "\u{7}",
        "\u{202e}",
        "\u{2066}",
    ] {
        assert!(
            !text.contains(raw),
            "raw {raw:?} reached the screen: {text:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Batch runs (DECISIONS §2a)
// ---------------------------------------------------------------------------------------------

#[test]
fn a_batch_whose_stdin_is_taken_or_empty_is_not_a_success() {
    let (dir, secret) = workdir();
    let d = dir.path();
    let s = secret.to_str().unwrap();
    let token = format!("{}\n", good_token());
    // The secret took stdin: no token can come from it (this exited 0, verifying nothing).
    let r = jwt(
        d,
        &["verify", "--batch", "--secret-file", "-"],
        token.as_bytes(),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("stdin is already used"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let r = jwt(
        d,
        &[
            "verify",
            "--batch",
            "--secret-file",
            "-",
            "--file",
            "/dev/stdin",
        ],
        token.as_bytes(),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    // Nothing read, or only blank lines: exit 2 with a message, for verify and decode.
    for input in ["", "\n  \n\n"] {
        let r = jwt(
            d,
            &["verify", "--batch", "--secret-file", s],
            input.as_bytes(),
        );
        assert_eq!(r.code, 2, "{input:?}: {}", r.stderr);
        assert!(r.stderr.contains("no token was read"), "{}", r.stderr);
        let r = jwt(d, &["decode", "--batch"], input.as_bytes());
        assert_eq!(r.code, 2, "{input:?}: {}", r.stderr);
        assert!(r.stderr.contains("no token was read"), "{}", r.stderr);
    }
    let empty = d.join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let r = jwt(
        d,
        &["decode", "--batch", "--file", empty.to_str().unwrap()],
        b"",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    // At least one token, all passing: 0; any failure: the first failure's status.
    let r = jwt(
        d,
        &["verify", "--batch", "--secret-file", s],
        token.as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1);
    let r = jwt(
        d,
        &[
            "verify",
            "--batch",
            "--secret-file",
            s,
            "--file",
            "/dev/stdin",
        ],
        format!("{token}x.y\n").as_bytes(),
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 2);
}

/// Reads one line of the child's stdout on another thread, waiting at most `secs`.
fn first_line(stdout: std::process::ChildStdout, secs: u64) -> Option<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    rx.recv_timeout(Duration::from_secs(secs)).ok()
}

#[test]
fn batch_results_flow_while_the_input_stays_open() {
    // `tail -f log | jwtctl verify --batch`: each answer must come while stdin is still open.
    let (dir, secret) = workdir();
    for args in [
        vec![
            "verify",
            "--batch",
            "--secret-file",
            secret.to_str().unwrap(),
        ],
        vec!["decode", "--batch"],
    ] {
        let mut child = jwtctl(dir.path())
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(format!("{}\n", good_token()).as_bytes())
            .unwrap();
        stdin.flush().unwrap();
        // Generous: a loaded 2-core machine. Before the fix this waited for end of input.
        let line = first_line(child.stdout.take().unwrap(), 30);
        drop(stdin);
        let status = child.wait().unwrap();
        let line = line.unwrap_or_else(|| panic!("{args:?}: no result while stdin was open"));
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["line"], 1, "{line}");
        assert_eq!(v["claims"]["sub"], "alice", "{line}");
        assert!(status.success(), "{args:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// What a terminal and a pipe show
// ---------------------------------------------------------------------------------------------

#[test]
fn decode_on_a_terminal_shows_colours_not_their_codes_as_text() {
    let (dir, _) = workdir();
    let d = dir.path();
    let token = good_token();
    let (code, screen) = on_pty(d, &format!("decode {token}"), &[]);
    assert_eq!(code, 0, "{screen}");
    // Colour codes reach the terminal as codes (ESC), never as the text "\u001b".
    assert!(screen.contains(ESC), "{screen:?}");
    assert!(
        !screen.contains("\\u001b"),
        "codes shown as text: {screen:?}"
    );
    let seen = plain(&screen);
    assert!(!seen.contains(ESC), "only colour codes: {screen:?}");
    assert!(seen.starts_with("Header\r\n"), "{seen:?}");
    assert!(seen.contains("\"alice\""), "{seen:?}");
    assert!(seen.contains("jwtctl: note: "), "{seen:?}");
    for (words, env) in [
        (format!("--color never decode {token}"), vec![]),
        (format!("decode {token}"), vec![("NO_COLOR", "1")]),
        (format!("decode {token}"), vec![("TERM", "dumb")]),
    ] {
        let (code, screen) = on_pty(d, &words, &env);
        assert_eq!(code, 0, "{screen}");
        assert!(!screen.contains(ESC), "{words} {env:?}: {screen:?}");
        assert!(
            screen.contains("Header") && screen.contains("sub"),
            "{screen:?}"
        );
    }
    // Piped: no colour, nothing escaped that did not need it.
    let r = jwt(d, &["decode", &token], b"");
    assert!(r.stdout.starts_with("Header\n"), "{}", r.stdout);
    assert!(!r.stdout.contains(ESC) && !r.stderr.contains(ESC));
}

#[test]
fn hostile_header_and_claim_names_are_escaped_like_values() {
    let (dir, _) = workdir();
    let d = dir.path();
    let token = hostile_token();
    // `decode | cat` (or `| less -R`): a person reads it, so names are escaped as values are.
    let r = jwt(d, &["decode", &token], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_defused(&r.stdout);
    assert!(!r.stdout.contains(ESC), "{:?}", r.stdout);
    assert!(r.stdout.contains("\\u001b[2Jname\\u202e"), "{}", r.stdout);
    assert!(
        r.stdout.contains("\\u001b]0;owned\\u0007title"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("\\u202egnp.exe"), "{}", r.stdout);
    // The same on a terminal, in colour and without.
    for words in [
        format!("decode {token}"),
        format!("--color never decode {token}"),
    ] {
        let (code, screen) = on_pty(d, &words, &[]);
        assert_eq!(code, 0, "{screen}");
        assert_defused(&screen);
        assert!(screen.contains("\\u001b[2Jname\\u202e"), "{screen:?}");
        assert!(screen.contains("\\u001b[31mred\\u2066"), "{screen:?}");
    }
    // --json piped stays the exact JSON (serde escapes controls; machines read it).
    let r = jwt(d, &["decode", "--json", &token], b"");
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["claims"]["\u{1b}[2Jname\u{202e}"],
        "\u{1b}[31mred\u{2066}"
    );
}

#[test]
fn verify_errors_and_hints_on_a_terminal() {
    let (dir, secret) = workdir();
    let d = dir.path();
    let s = secret.to_str().unwrap();
    // No token and stdin is the terminal: a coloured label, the reason, a hint, exit 2.
    let (code, screen) = on_pty(d, &format!("verify --secret-file '{s}'"), &[]);
    assert_eq!(code, 2, "{screen}");
    assert!(screen.contains(ESC), "{screen:?}");
    let seen = plain(&screen);
    assert!(!seen.contains(ESC), "only colour codes: {screen:?}");
    assert!(seen.contains("jwtctl: error: "), "{seen:?}");
    assert!(seen.contains("stdin is a terminal"), "{seen:?}");
    assert!(seen.contains("\nhint: "), "{seen:?}");
    let (code, screen) = on_pty(d, &format!("--color never verify --secret-file '{s}'"), &[]);
    assert_eq!(code, 2, "{screen}");
    assert!(screen.contains("jwtctl: error: ") && screen.contains("hint: "));
    assert!(!screen.contains(ESC), "{screen:?}");
    // A rejected token whose kid is hostile: the reason names it, escaped.
    let token = hs256(
        &json!({"alg": "HS256", "kid": "\u{1b}[2Jk\u{202e}\u{7}"}),
        &json!({"exp": NOW + 900}),
    );
    let jwks = d.join("jwks.json");
    std::fs::write(
        &jwks,
        json!({"keys": [{"kty": "oct", "kid": "k1", "alg": "HS256",
            "k": URL_SAFE_NO_PAD.encode(SECRET)}]})
        .to_string(),
    )
    .unwrap();
    let (code, screen) = on_pty(
        d,
        &format!("verify --key '{}' {token}", jwks.display()),
        &[],
    );
    assert_eq!(code, 4, "{screen}");
    assert!(screen.contains("signature rejected"), "{screen:?}");
    assert_defused(&screen);
    // An expired token: the label in colour, the reason plain.
    let expired = hs256(&json!({"alg": "HS256"}), &json!({"exp": NOW - 60}));
    let (code, screen) = on_pty(d, &format!("verify --secret-file '{s}' {expired}"), &[]);
    assert_eq!(code, 5, "{screen}");
    assert!(screen.contains(ESC), "{screen:?}");
    assert!(plain(&screen).contains("jwtctl: expired: "), "{screen:?}");
}

#[test]
fn keys_list_shows_stored_kids_escaped() {
    let (dir, _) = workdir();
    let d = dir.path();
    // An empty keyring: a note, coloured on a terminal only.
    let (code, screen) = on_pty(d, "keys list", &[]);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains(ESC), "{screen:?}");
    assert!(plain(&screen).contains("jwtctl: note: "), "{screen:?}");
    let (_, screen) = on_pty(d, "--color never keys list", &[]);
    assert!(
        !screen.contains(ESC) && screen.contains("note"),
        "{screen:?}"
    );
    // keygen's own lines on a terminal: plain text, nothing shown as escape codes.
    let (code, screen) = on_pty(d, "keygen --hs256", &[]);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("jwtctl: "), "{screen:?}");
    assert!(!screen.contains("\\u00"), "{screen:?}");
    let kid = "k\u{1b}[2J\u{202e}\u{7}";
    let made = jwt(d, &["keygen", "--hs256", "--kid", kid], b"");
    // A kid with control characters may one day be refused at the door (2); if stored, it
    // must never reach a screen raw.
    // (keygen's stdout is the kid as data, for `KID=$(jwtctl keygen ...)`: raw when piped.)
    assert!(made.code == 0 || made.code == 2, "{}", made.stderr);
    let listed = jwt(d, &["keys", "list"], b"");
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert_defused(&listed.stdout);
    let (code, screen) = on_pty(d, "keys list", &[]);
    assert_eq!(code, 0, "{screen}");
    assert_defused(&screen);
    assert!(screen.contains("KID"), "{screen:?}");
    if made.code == 0 {
        assert!(
            listed.stdout.contains("k\\u001b[2J\\u202e\\u0007"),
            "{}",
            listed.stdout
        );
        assert!(screen.contains("k\\u001b[2J\\u202e\\u0007"), "{screen:?}");
    }
}

#[test]
fn sessions_show_stored_subjects_escaped() {
    let (dir, _) = workdir();
    let d = dir.path();
    assert_eq!(jwt(d, &["keygen", "--es256"], b"").code, 0);
    let sub = "\u{1b}]0;owned\u{7}bob\u{202e}";
    let login = jwt(d, &["login", "--sub", sub], b"");
    assert!(login.code == 0 || login.code == 2, "{}", login.stderr);
    assert_eq!(jwt(d, &["login", "--sub", "alice"], b"").code, 0);
    let listed = jwt(d, &["sessions"], b"");
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert_defused(&listed.stdout);
    assert!(listed.stdout.contains("alice"), "{}", listed.stdout);
    let (code, screen) = on_pty(d, "sessions", &[]);
    assert_eq!(code, 0, "{screen}");
    assert_defused(&screen);
    assert!(
        screen.contains("SUB") && screen.contains("alice"),
        "{screen:?}"
    );
    if login.code == 0 {
        assert!(
            listed.stdout.contains("\\u001b]0;owned\\u0007bob\\u202e"),
            "{}",
            listed.stdout
        );
        // One session's chain, by the family id of the hostile one.
        let json = jwt(d, &["sessions", "--json"], b"");
        let family = json
            .stdout
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .find(|v| v["sub"] == sub)
            .unwrap()["family"]
            .as_str()
            .unwrap()
            .to_owned();
        let chain = jwt(d, &["sessions", &family], b"");
        assert_eq!(chain.code, 0, "{}", chain.stderr);
        assert_defused(&chain.stdout);
        assert!(chain.stdout.contains("\\u202e"), "{}", chain.stdout);
    }
}

#[test]
fn sign_on_a_terminal_prints_the_token_intact() {
    let (dir, secret) = workdir();
    let d = dir.path();
    let (code, screen) = on_pty(
        d,
        &format!("sign --secret-file '{}' --sub 1", secret.display()),
        &[],
    );
    assert_eq!(code, 0, "{screen}");
    let token = screen
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("eyJ"))
        .unwrap_or_else(|| panic!("{screen:?}"));
    let r = jwt(
        d,
        &["verify", "--secret-file", secret.to_str().unwrap(), token],
        b"",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn color_choice_reaches_clap_help_and_errors() {
    let (dir, _) = workdir();
    let d = dir.path();
    for (words, env, coloured) in [
        ("--help", vec![], true),
        ("--color always --help", vec![], true),
        ("--color never --help", vec![], false),
        ("--color=never verify --help", vec![], false),
        ("--help", vec![("NO_COLOR", "1")], false),
        ("sign --bogus", vec![], true),
        ("--color never sign --bogus", vec![], false),
        ("sign --bogus --color=never", vec![], false),
        ("sign --bogus", vec![("NO_COLOR", "1")], false),
    ] {
        let (code, screen) = on_pty(d, words, &env);
        let expected = if words.contains("--help") { 0 } else { 2 };
        assert_eq!(code, expected, "{words}: {screen}");
        assert!(screen.contains("Usage"), "{words}: {screen:?}");
        assert_eq!(
            screen.contains(ESC),
            coloured,
            "{words} {env:?}: {screen:?}"
        );
    }
    // Piped: colour only when asked for.
    let r = jwt(d, &["--color", "always", "sign", "--bogus"], b"");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(ESC), "{:?}", r.stderr);
    let r = jwt(d, &["sign", "--bogus"], b"");
    assert!(!r.stderr.contains(ESC), "{:?}", r.stderr);
    let r = jwt(d, &["--color", "always", "--help"], b"");
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains(ESC), "{:?}", r.stdout);
}

// ---------------------------------------------------------------------------------------------
// What people paste (DECISIONS §2)
// ---------------------------------------------------------------------------------------------

#[test]
fn pasted_tokens_are_cleaned() {
    let (dir, secret) = workdir();
    let d = dir.path();
    let s = secret.to_str().unwrap();
    let t = good_token();
    let wrapped: String = t
        .as_bytes()
        .chunks(20)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\n");
    let pasted = [
        format!("'{t}'"),
        format!("\"{t}\""),
        format!("Authorization: Bearer {t}"),
        format!("authorization:bearer   {t}"),
        format!("'Authorization: Bearer {t}'"),
        format!("bearer {t}"),
        format!("  {}  {}  ", &t[..30], &t[30..]),
        wrapped.clone(),
    ];
    for p in &pasted {
        let r = jwt(d, &["verify", "--secret-file", s, p], b"");
        assert_eq!(r.code, 0, "{p:?}: {}", r.stderr);
        assert!(r.stdout.contains("\"alice\""), "{p:?}");
        let r = jwt(d, &["verify", "--secret-file", s], p.as_bytes());
        assert_eq!(r.code, 0, "stdin {p:?}: {}", r.stderr);
        let r = jwt(d, &["decode", "--json", p], b"");
        assert_eq!(r.code, 0, "decode {p:?}: {}", r.stderr);
    }
    // The parser stays strict: a second Bearer, unmatched quotes, padding are still refused.
    for bad in [
        format!("Bearer Bearer {t}"),
        format!("\"{t}'"),
        format!("{t}="),
    ] {
        let r = jwt(d, &["verify", "--secret-file", s, &bad], b"");
        assert!(r.code == 3 || r.code == 4, "{bad:?}: {}", r.stderr);
    }
}

#[test]
fn attack_vectors_with_whitespace_follow_the_cli_rules() {
    // attack_tokens.json records b64-surrounding-ws, b64-bearer-prefix (accepted through the
    // CLI), b64-space, b64-newline (their MAC covers the whitespace: signature failures, 4) and
    // b64-tab-sig (a tab is not what wrapping inserts: still malformed, 3).
    const KEY_HEX: &str = "0323354b2b0fa5bc837e0665777ba68f5ab328e6f054c928a90f84b2d2502ebf\
                           d3fb5a92d20647ef968ab4c377623d223d2e2172052e4f08c0cd9af567d080a3";
    const CLAIMS: &str = "eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwic3ViIjoiYWxpY2UiLCJhdWQi\
                          OiJqd3RjdGwtdGVzdCIsImV4cCI6NDEwMjQ0NDgwMCwiaWF0IjoxNzAwMDAwMDAwfQ";
    let good = format!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{CLAIMS}.egxdNWQkcIw-dMegZHEk08jEqyivwuSIx0kbvGY-THU"
    );
    let records = [
        ("b64-surrounding-ws", format!("  {good}  "), 0),
        (
            "b64-tab-sig",
            format!(
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{CLAIMS}.egxdNWQk\tcIw-dMegZHEk08jEqyivwuSIx0kbvGY-THU"
            ),
            3,
        ),
        ("b64-bearer-prefix", format!("Bearer {good}"), 0),
        (
            "b64-space",
            format!(
                "eyJhb GciOiJIUzI1NiIsImtpZCI6ImsxIn0.{CLAIMS}.q0hxBExlNWneGhkMAREsL-exQAgHAVKbiIYNJMKZOBM"
            ),
            4,
        ),
        (
            "b64-newline",
            format!(
                "eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.{}\n{}.SSDc-w5ofu8ajGEPrG_1Q7J_t_VD0xsV-3zpfpZminc",
                &CLAIMS[..10],
                &CLAIMS[10..]
            ),
            4,
        ),
    ];
    let (dir, _) = workdir();
    let d = dir.path();
    let key: Vec<u8> = (0..KEY_HEX.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&KEY_HEX[i..i + 2], 16).unwrap())
        .collect();
    let key_file = d.join("rfc7515-a1.key");
    std::fs::write(&key_file, key).unwrap();
    for (id, token, code) in records {
        let r = jwt(
            d,
            &[
                "verify",
                "--secret-file",
                key_file.to_str().unwrap(),
                "--alg",
                "HS256",
                "--iss",
                "https://issuer.example",
                "--aud",
                "jwtctl-test",
                &token,
            ],
            b"",
        );
        assert_eq!(r.code, code, "{id}: {}", r.stderr);
    }
}

#[test]
fn a_file_path_or_a_jwe_given_as_the_token_says_what_to_do() {
    let (dir, secret) = workdir();
    let d = dir.path();
    let s = secret.to_str().unwrap();
    let file = d.join("token.txt");
    std::fs::write(&file, good_token()).unwrap();
    for (args, input) in [
        (vec!["decode", file.to_str().unwrap()], ""),
        (vec!["decode", "token.txt"], ""),
        (vec!["decode", "missing.jwt"], ""),
        (vec!["decode", "./tokens/t"], ""),
        (
            vec!["verify", "--secret-file", s, file.to_str().unwrap()],
            "",
        ),
        (vec!["verify", "--secret-file", s], "token.jwt\n"),
    ] {
        let r = jwt(d, &args, input.as_bytes());
        assert_eq!(r.code, 3, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("looks like a file path"), "{}", r.stderr);
        assert!(r.stderr.contains("< FILE"), "{}", r.stderr);
        assert!(r.stderr.contains("hint: "), "{}", r.stderr);
        assert_eq!(r.stdout, "");
    }
    // What the hint says works.
    let out = jwtctl(d)
        .args(["verify", "--secret-file", s])
        .stdin(std::fs::File::open(&file).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A JWE: five segments, four dots.
    let jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVy.dGFn";
    for args in [vec!["decode", jwe], vec!["verify", "--secret-file", s, jwe]] {
        let r = jwt(d, &args, b"");
        assert_eq!(r.code, 3, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("JWE (encrypted tokens) is not supported"),
            "{}",
            r.stderr
        );
    }
    let r = jwt(
        d,
        &["verify", "--batch", "--secret-file", s],
        format!("{jwe}\n").as_bytes(),
    );
    assert_eq!(r.code, 3);
    assert!(r.stdout.contains("JWE"), "{}", r.stdout);
}

#[test]
fn a_url_given_to_key_says_jwtctl_reads_files() {
    let (dir, _) = workdir();
    let d = dir.path();
    for url in [
        "https://issuer.example/.well-known/jwks.json",
        "HTTP://127.0.0.1:8080/jwks",
    ] {
        let r = jwt(d, &["verify", "--key", url, &good_token()], b"");
        // A usage error (2): a flag value of the wrong kind; nothing was fetched or read.
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("jwtctl reads key files"), "{}", r.stderr);
        assert!(r.stderr.contains("--jwks-url"), "{}", r.stderr);
        assert!(r.stderr.contains("hint: "), "{}", r.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// Secrets never on the command line (DECISIONS §2)
// ---------------------------------------------------------------------------------------------

#[test]
fn a_secret_given_as_a_flag_value_is_refused_and_never_echoed() {
    let (dir, _) = workdir();
    let d = dir.path();
    let eq = |flag: &str| format!("{flag}={TYPED}");
    let lines: Vec<Vec<String>> = vec![
        vec!["sign".into(), "--secret".into(), TYPED.into()],
        vec!["sign".into(), eq("--secret")],
        vec!["sign".into(), "--sub".into(), "1".into(), eq("--secret")],
        vec!["verify".into(), "--password".into(), TYPED.into()],
        vec!["sign".into(), eq("--key-value")],
        vec!["sign".into(), "--token-secret".into(), TYPED.into()],
        vec!["sign".into(), eq("--hmac-secret")],
        vec![
            "login".into(),
            "--sub".into(),
            "a".into(),
            eq("--passphrase"),
        ],
        vec!["sign".into(), eq("--secret-prompt")],
        vec!["sign".into(), "--secret-prompt".into(), TYPED.into()],
    ];
    for line in lines {
        let args: Vec<&str> = line.iter().map(String::as_str).collect();
        for color in ["never", "always"] {
            let mut full = vec!["--color", color];
            full.extend(&args);
            let r = jwt(d, &full, b"");
            assert_eq!(r.code, 2, "{line:?}: {}", r.stderr);
            assert!(
                r.stderr.contains("no flag takes a secret's value")
                    && r.stderr.contains("--secret-file")
                    && r.stderr.contains("--secret-env NAME")
                    && r.stderr.contains("--secret-prompt"),
                "{line:?}: {}",
                r.stderr
            );
            assert!(!r.stderr.contains(TYPED), "{line:?} echoed: {}", r.stderr);
            assert!(!r.stdout.contains(TYPED), "{line:?} echoed: {}", r.stdout);
        }
    }
    // Following the old tip, `--secret-env <the secret>`: refused without repeating it.
    for cmd in [
        vec!["sign", "--secret-env", TYPED, "--sub", "1"],
        vec!["verify", "--secret-env", TYPED, "a.b.c"],
    ] {
        let r = jwt(d, &cmd, b"");
        assert_ne!(r.code, 0);
        assert!(!r.stderr.contains(TYPED), "echoed: {}", r.stderr);
        assert!(
            r.stderr.contains("--secret-env takes the NAME"),
            "{}",
            r.stderr
        );
    }
    // A real variable name is repeated, to help with a typo.
    let r = jwt(
        d,
        &["sign", "--secret-env", "EDGES_UNSET_SECRET", "--sub", "1"],
        b"",
    );
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert!(
        r.stderr.contains("EDGES_UNSET_SECRET is not set"),
        "{}",
        r.stderr
    );
    // The flags that name where a secret is still work.
    let r = run(
        jwtctl(d)
            .args(["sign", "--secret-env", "EDGES_SECRET", "--sub", "1"])
            .env("EDGES_SECRET", SECRET),
        b"",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// stdin under any name, and claims input
// ---------------------------------------------------------------------------------------------

#[test]
fn every_name_of_stdin_counts_as_stdin() {
    let (dir, secret) = workdir();
    let d = dir.path();
    let token = good_token();
    for name in ["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"] {
        // The token comes from stdin (no TOKEN) and so would the secret: refused, exit 2.
        let r = jwt(d, &["verify", "--secret-file", name], token.as_bytes());
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(
            r.stderr.contains("stdin is already used"),
            "{name}: {}",
            r.stderr
        );
        // Claims and secret both from stdin.
        let r = jwt(
            d,
            &["sign", "--secret-file", "-", "--claims", name],
            SECRET.as_bytes(),
        );
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(
            r.stderr.contains("stdin is already used"),
            "{name}: {}",
            r.stderr
        );
        // Alone, each name of stdin is fine.
        let r = jwt(
            d,
            &[
                "sign",
                "--secret-file",
                secret.to_str().unwrap(),
                "--claims",
                name,
            ],
            br#"{"sub":"from-stdin"}"#,
        );
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
    }
}

#[test]
fn claims_over_the_cap_or_not_json_are_malformed_from_file_and_stdin_alike() {
    let (dir, secret) = workdir();
    let d = dir.path();
    let s = secret.to_str().unwrap();
    let big = format!("{{\"pad\":\"{}\"}}", "a".repeat(2 * 1024 * 1024));
    for (what, content) in [
        ("over the cap", big.as_str()),
        ("invalid JSON", "{bad"),
        ("not an object", "[1,2]"),
        ("duplicate key", r#"{"sub":"a","sub":"b"}"#),
    ] {
        let file = d.join("claims.json");
        std::fs::write(&file, content).unwrap();
        let r = jwt(
            d,
            &[
                "sign",
                "--secret-file",
                s,
                "--claims",
                file.to_str().unwrap(),
            ],
            b"",
        );
        assert_eq!(r.code, 3, "{what} from a file: {}", r.stderr);
        assert_eq!(r.stdout, "");
        let r = jwt(
            d,
            &["sign", "--secret-file", s, "--claims", "-"],
            content.as_bytes(),
        );
        assert_eq!(r.code, 3, "{what} from stdin: {}", r.stderr);
        assert_eq!(r.stdout, "");
    }
}
