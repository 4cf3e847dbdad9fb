//! The contract at `sign`'s edges (issue 11): one rule per kind of mistake (bad flag and
//! environment values are usage errors, found while parsing), what `sign` mints `verify`
//! accepts, header parameters, exact big integers, messages that name what was expected,
//! and the generated completions and man pages. Every test runs the real binary.

#![allow(clippy::unwrap_used)] // tests panic by design

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

use crate::support::NOW;
/// A 43-byte HMAC secret (what `keygen --hs256` writes).
const SECRET: &str = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I";

/// A hermetic command: home `dir/home`, the fixed clock, no colour, no inherited settings.
fn jwtctl(dir: &Path) -> Command {
    crate::support::jwtctl_process(&dir.join("home"))
}

/// Runs with stdin from `input` (empty when `None`): (exit code, stdout, stderr).
fn run_with(cmd: &mut Command, input: Option<&str>) -> (i32, String, String) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    if let Some(text) = input {
        stdin.write_all(text.as_bytes()).unwrap();
    }
    drop(stdin);
    let out: Output = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    run_with(cmd, None)
}

fn secret_file(dir: &Path) -> PathBuf {
    let p = dir.join("secret.txt");
    std::fs::write(&p, SECRET).unwrap();
    p
}

/// `jwtctl sign --secret-file SECRET ARGS`.
fn sign(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = jwtctl(dir);
    cmd.args(["sign", "--secret-file"])
        .arg(secret_file(dir))
        .args(args);
    cmd
}

/// A token `sign` printed (it must succeed).
fn signed(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(&mut sign(dir, args));
    assert_eq!(code, 0, "sign {args:?}: {err}");
    out.trim_end().to_owned()
}

/// `jwtctl verify --secret-file SECRET ARGS TOKEN`.
fn verify(dir: &Path, token: &str, args: &[&str]) -> (i32, String, String) {
    run(jwtctl(dir)
        .args(["verify", "--secret-file"])
        .arg(secret_file(dir))
        .args(args)
        .arg(token))
}

/// The JSON `decode --json` prints for a token.
fn decoded(dir: &Path, token: &str) -> Value {
    let (code, out, err) = run(jwtctl(dir).args(["decode", "--json", token]));
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

// ---------------------------------------------------------------------------------------------
// One rule per kind of mistake: a bad flag or environment value is a usage error (exit 2),
// found by clap while parsing, before any key, file or store is touched.

/// Asserts exit 2, nothing on stdout, and clap's one message shape naming the flag.
fn assert_usage(what: &str, (code, out, err): (i32, String, String), flag: &str) {
    assert_eq!(code, 2, "{what}: {err}");
    assert_eq!(out, "", "{what}");
    assert!(
        err.starts_with("error: invalid value '") && err.contains(&format!("for '{flag} <")),
        "{what}: {err}"
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
}

#[test]
fn bad_durations_times_and_leeways_are_usage_errors_at_parse_time() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    // No key and no store anywhere: a usage error must come first, not "no key" (11).
    let cases: [(&[&str], &str); 14] = [
        (&["sign", "--ttl", "soon"], "--ttl"),
        (&["sign", "--ttl", "9999y"], "--ttl"),
        (&["sign", "--exp", "tomorrow"], "--exp"),
        (&["sign", "--exp", "+9000y"], "--exp"),
        (&["sign", "--nbf", "@-5"], "--nbf"),
        (&["verify", "--leeway", "abc", "a.b.c"], "--leeway"),
        (&["verify", "--leeway", "10m", "a.b.c"], "--leeway"),
        (&["--now", "soon", "decode", "a.b.c"], "--now"),
        (&["--now=-1", "decode", "a.b.c"], "--now"),
        (
            &["login", "--sub", "a", "--access-ttl", "x"],
            "--access-ttl",
        ),
        (
            &["login", "--sub", "a", "--refresh-ttl", "0"],
            "--refresh-ttl",
        ),
        (
            &["login", "--sub", "a", "--max-lifetime", "1h2"],
            "--max-lifetime",
        ),
        (&["refresh", "--grace", "x", "a.b.c"], "--grace"),
        (
            &["verify", "--key", "/nonexistent", "--leeway", "1x", "a.b.c"],
            "--leeway",
        ),
    ];
    for (args, flag) in cases {
        assert_usage(&format!("{args:?}"), run(jwtctl(p).args(args)), flag);
    }
    // `--now soon` and `--leeway abc` agree: the same status and the same words around the value.
    let (_, _, now_err) = run(jwtctl(p).args(["--now", "soon", "decode", "a.b.c"]));
    let (_, _, leeway_err) = run(jwtctl(p).args(["verify", "--leeway", "soon", "a.b.c"]));
    let shape = |e: &str| {
        e.lines()
            .next()
            .unwrap()
            .split(':')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        shape(&now_err).replace("--now <TIME>", "X"),
        shape(&leeway_err).replace("--leeway <DURATION>", "X")
    );
    // Good values still work, and the leeway bound is inclusive.
    let token = signed(p, &["--sub", "1", "--ttl", "1h30m"]);
    assert_eq!(verify(p, &token, &["--leeway", "5m"]).0, 0);
    assert_eq!(verify(p, &token, &["--leeway", "300"]).0, 0);
}

#[test]
fn bad_environment_values_are_usage_errors_too() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    // JWTCTL_NOW set but empty is a mistake, not "now".
    let (code, out, err) = run(jwtctl(p).env("JWTCTL_NOW", "").args(["decode", "a.b.c"]));
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("JWTCTL_NOW"), "{err}");
    let (code, _, err) = run(jwtctl(p)
        .env("JWTCTL_NOW", "yesterday")
        .args(["decode", "a.b.c"]));
    assert_eq!(code, 2, "{err}");

    // A store to wait for: 25d used to panic inside rusqlite ("too big").
    assert_eq!(run(jwtctl(p).args(["keygen", "--es256"])).0, 0);
    assert_eq!(run(jwtctl(p).args(["login", "--sub", "alice"])).0, 0);
    for bad in ["25d", "2h", "soon", ""] {
        let (code, out, err) = run(jwtctl(p).env("JWTCTL_STORE_WAIT", bad).arg("sessions"));
        assert_eq!(
            (code, out.as_str()),
            (2, ""),
            "JWTCTL_STORE_WAIT={bad}: {err}"
        );
        assert!(err.contains("JWTCTL_STORE_WAIT"), "{bad}: {err}");
        assert!(!err.contains("panicked"), "{bad}: {err}");
    }
    for good in ["1h", "2s", "0"] {
        let (code, _, err) = run(jwtctl(p).env("JWTCTL_STORE_WAIT", good).arg("sessions"));
        assert_eq!(code, 0, "JWTCTL_STORE_WAIT={good}: {err}");
    }
}

// ---------------------------------------------------------------------------------------------
// `sign --header`: typ and kid are honoured (they replace the defaults), never silently
// overwritten; alg is refused, since the key pins the algorithm (RFC 8725 §3.1).

#[test]
fn header_typ_and_kid_are_honoured() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let token = signed(
        p,
        &[
            "--sub",
            "1",
            "--header",
            "typ=at+jwt",
            "--header",
            "kid=mine",
            "--header",
            "x-env=t",
        ],
    );
    let header = &decoded(p, &token)["header"];
    assert_eq!(header["typ"], "at+jwt", "{header}");
    assert_eq!(header["kid"], "mine", "{header}");
    assert_eq!(header["x-env"], "t", "{header}");
    assert_eq!(header["alg"], "HS256", "{header}");
    assert_eq!(verify(p, &token, &["--typ", "at+jwt"]).0, 0);

    // A keyring key has a kid of its own: --header kid still wins over it.
    let kid = run(jwtctl(p).args(["keygen", "--es256"])).1;
    let (code, token, err) = run(jwtctl(p).args(["sign", "--header", "kid=other"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(decoded(p, token.trim())["header"]["kid"], "other");
    let (_, token, _) = run(jwtctl(p).args(["sign"]));
    assert_eq!(decoded(p, token.trim())["header"]["kid"], kid.trim());
}

#[test]
fn header_alg_and_conflicts_are_refused() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    for (args, words) in [
        (&["--header", "alg=HS512"][..], "key decides the algorithm"),
        (&["--header", "alg=none"], "key decides the algorithm"),
        (&["--header", "crit=x"], "extensions"),
        (&["--header", "typ=a", "--typ", "b"], "--typ"),
        (&["--header", "kid=a", "--kid", "b"], "--kid"),
        (&["--header", "kid=a", "--header", "kid=b"], "twice"),
        (&["--header", "=a"], "empty"),
    ] {
        let (code, out, err) = run(&mut sign(p, args));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
        assert!(err.contains(words), "{args:?}: {err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers are exact: an integer beyond u64/i64 (or a long decimal) keeps its text through sign,
// decode and verify; a number no double can hold is refused at sign (exit 2).

const BIG: &str = "123456789012345678901234567890";

#[test]
fn integers_beyond_64_bits_round_trip_exactly() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let claims = p.join("claims.json");
    std::fs::write(
        &claims,
        format!(r#"{{"sub":"1","neg":-{BIG},"dec":0.1000000000000000000001}}"#),
    )
    .unwrap();
    let claims = claims.to_str().unwrap();
    let big = format!("big:={BIG}");
    let nested = format!(r#"nested:={{"n":[{BIG}]}}"#);
    let token = signed(
        p,
        &["--claims", claims, "--claim", &big, "--claim", &nested],
    );
    let exact = [
        format!(r#""big":{BIG}"#),
        format!(r#""neg":-{BIG}"#),
        format!(r#""n":[{BIG}]"#),
        r#""dec":0.1000000000000000000001"#.to_owned(),
    ];
    let (code, decode_json, err) = run(jwtctl(p).args(["decode", "--json", &token]));
    assert_eq!(code, 0, "{err}");
    let (code, verify_json, err) = verify(p, &token, &["--json"]);
    assert_eq!(code, 0, "{err}");
    let (code, batch, err) = run_with(
        jwtctl(p)
            .args(["verify", "--batch", "--secret-file"])
            .arg(secret_file(p)),
        Some(&format!("{token}\n")),
    );
    assert_eq!(code, 0, "{err}");
    for out in [&decode_json, &verify_json, &batch] {
        for want in &exact {
            assert!(out.contains(want.as_str()), "{want} in {out}");
        }
    }
    let (_, pretty, _) = verify(p, &token, &[]);
    assert!(pretty.contains(&format!(r#""big": {BIG}"#)), "{pretty}");
    assert!(
        !pretty.contains("e+29") && !pretty.contains("e29"),
        "{pretty}"
    );

    // No double holds these: refused when minting, not minted for verify to refuse.
    for bad in ["x:=1e5000", "x:=[-1e400]"] {
        let (code, out, err) = run(&mut sign(p, &["--claim", bad]));
        assert_eq!((code, out.as_str()), (2, ""), "{bad}: {err}");
    }
}

// ---------------------------------------------------------------------------------------------
// What sign mints, verify accepts: anything verify would refuse whatever its policy and clock is
// refused when minting (exit 2), with nothing on stdout.

fn assert_not_minted(p: &Path, args: &[&str], words: &str) {
    let (code, out, err) = run(&mut sign(p, args));
    let shown: Vec<&str> = args
        .iter()
        .map(|a| if a.len() > 40 { "…" } else { a })
        .collect();
    assert_eq!((code, out.as_str()), (2, ""), "{shown:?}: {err}");
    assert!(err.contains(words), "{shown:?}: {err}");
}

#[test]
fn sign_refuses_what_verify_would_refuse() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    // An empty aud names no audience: no --aud (nor its absence) ever accepts it.
    assert_not_minted(p, &["--claim", "aud:=[]"], "aud is an empty array");
    let claims = p.join("claims.json");
    std::fs::write(&claims, r#"{"sub":"1","aud":[]}"#).unwrap();
    assert_not_minted(
        p,
        &["--claims", claims.to_str().unwrap()],
        "aud is an empty array",
    );

    // Over the 64 KiB cap verify enforces.
    let huge = format!("blob={}", "a".repeat(50_000));
    assert_not_minted(p, &["--claim", &huge], "64 KiB");
    let large = format!("blob={}", "a".repeat(40_000));
    let token = signed(p, &["--claim", &large]);
    assert_eq!(verify(p, &token, &[]).0, 0, "under the cap it verifies");

    // exp outside the NumericDate range jwtctl accepts (1970..=9999-12-31T23:59:59Z).
    let (code, out, err) = run(jwtctl(p)
        .args(["--now", "253402300000", "sign", "--secret-file"])
        .arg(secret_file(p))
        .args(["--ttl", "1h"]));
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("9999-12-31T23:59:59Z"), "{err}");
    assert_not_minted(p, &["--claim", "exp:=253402300800"], "exp");
    assert_not_minted(p, &["--claim", "nbf:=-1"], "nbf");
    // The last second of the range is fine, and verify accepts it.
    let token = signed(p, &["--exp", "@253402300799"]);
    assert_eq!(verify(p, &token, &[]).0, 0);
}

// ---------------------------------------------------------------------------------------------
// Messages name what was expected; sign warns about a token that is expired when minted.

#[test]
fn claim_mismatches_name_what_was_expected() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let token = signed(p, &["--iss", "a", "--aud", "api", "--sub", "alice"]);
    for (args, want) in [
        (
            &["--aud", "api", "--iss", "b"][..],
            r#"issuer "a" is not "b""#,
        ),
        (
            &["--aud", "api", "--iss", "b", "--iss", "c"],
            r#"issuer "a" is not one of "b", "c""#,
        ),
        (&["--aud", "web"], r#"audience "api" is not "web""#),
        (
            &["--aud", "api", "--sub", "bob"],
            r#"subject "alice" is not "bob""#,
        ),
        (
            &["--aud", "api", "--typ", "at+jwt"],
            r#"token type "JWT" is not "at+jwt""#,
        ),
    ] {
        let (code, out, err) = verify(p, &token, args);
        assert_eq!((code, out.as_str()), (7, ""), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

#[test]
fn sign_warns_when_the_token_is_expired_at_birth() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    for args in [
        &["--ttl", "0"][..],
        &["--exp", "-1h"],
        &["--claim", "exp:=1600000000"],
    ] {
        let (code, out, err) = run(&mut sign(p, args));
        assert_eq!(code, 0, "{args:?}: still signed: {err}");
        assert_eq!(out.matches('.').count(), 2, "{args:?}: a token on stdout");
        assert!(
            err.contains("warning") && err.contains("expired"),
            "{args:?}: {err}"
        );
        assert_eq!(verify(p, out.trim(), &[]).0, 5, "{args:?}");
    }
    // A token with time left says nothing; -q silences the warning.
    let (_, _, err) = run(&mut sign(p, &["--ttl", "1s"]));
    assert_eq!(err, "");
    let mut quiet = sign(p, &["--ttl", "0"]);
    quiet.arg("-q");
    assert_eq!(run(&mut quiet).2, "");
}

// ---------------------------------------------------------------------------------------------
// Completions and man pages offer what exists: not the hidden `generate` (nor the hidden
// --store-wait), algorithm names for --alg, no page that does not exist; -q says what it does.

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "elvish", "powershell"];

#[test]
fn completions_offer_what_exists_and_complete_alg() {
    let dir = TempDir::new().unwrap();
    for shell in SHELLS {
        let (code, script, err) = run(jwtctl(dir.path()).args(["completions", shell]));
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(script.contains("keygen"), "{shell}");
        assert!(
            !script.contains("generate"),
            "{shell} offers the hidden generate"
        );
        assert!(
            !script.contains("store-wait"),
            "{shell} offers a hidden flag"
        );
        assert!(
            !script.contains("out-dir"),
            "{shell} offers generate's flag"
        );
        for alg in ["HS256", "RS256", "PS512", "ES384", "EdDSA"] {
            assert!(
                script.contains(alg),
                "{shell}: --alg does not complete {alg}"
            );
        }
        assert!(!script.contains("none"), "{shell} offers alg none");
    }
    // bash: the names are offered right after --alg, for sign as for verify.
    let (_, bash, _) = run(jwtctl(dir.path()).args(["completions", "bash"]));
    let after_alg = bash
        .split("--alg)")
        .skip(1)
        .filter(|rest| rest.lines().nth(1).unwrap_or("").contains("HS256 HS384"))
        .count();
    assert!(
        after_alg >= 5,
        "sign, verify, keygen, jwks, convert: {after_alg}"
    );
}

#[test]
fn man_pages_name_only_pages_that_exist() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let (code, _, err) = run(jwtctl(dir.path()).args(["generate", "--out-dir"]).arg(&out));
    assert_eq!(code, 0, "{err}");
    let pages: Vec<String> = std::fs::read_dir(out.join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(pages.contains(&"jwtctl-sign.1".to_owned()), "{pages:?}");
    for page in &pages {
        let text = std::fs::read_to_string(out.join("man").join(page)).unwrap();
        // roff escapes '-' as '\-': every NAME(1) a page mentions must be a page here.
        let text = text.replace("\\-", "-");
        for word in
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '(' || c == ')'))
        {
            if let Some(name) = word.strip_suffix("(1)").filter(|n| n.starts_with("jwtctl")) {
                assert!(
                    pages.contains(&format!("{name}.1")),
                    "{page} names {name}(1), which does not exist"
                );
            }
        }
        assert!(!text.contains("jwtctl-help"), "{page}");
        assert!(!text.contains("store-wait"), "{page}");
    }
}

#[test]
fn quiet_help_says_what_quiet_does() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let (_, help, _) = run(jwtctl(p).arg("--help"));
    let quiet = help.split("--quiet").nth(1).unwrap();
    assert!(quiet.contains("not even errors"), "{quiet}");
    assert!(quiet.contains("verify prints no"), "{quiet}");
    assert!(!help.contains("data are unchanged"), "{help}");
    // What the help says: errors are silent, verify prints no claims, sign still prints.
    let token = signed(p, &["--sub", "1"]);
    let (code, out, err) = verify(p, &token, &["-q"]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    let (code, out, err) = verify(p, &format!("{token}x"), &["-q"]);
    assert_eq!((code, out.as_str(), err.as_str()), (4, "", ""));
    let (code, out, _) = run(&mut sign(p, &["-q", "--sub", "1"]));
    assert_eq!((code, out.matches('.').count()), (0, 2));
    let (code, _, err) = run(jwtctl(p).args(["-q", "verify", "--leeway", "x"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("--leeway"),
        "command-line mistakes are still reported: {err}"
    );
}

// ---------------------------------------------------------------------------------------------
// README "Details": the rules it states hold for tokens minted elsewhere.

/// An HS256 token over `claims` (JSON text) with the test secret, made without jwtctl.
fn hs256(claims: &str) -> String {
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let input = format!(
        "{}.{}",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims.as_bytes())
    );
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, SECRET.as_bytes());
    let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", b64(tag.as_ref()))
}

#[test]
fn readme_details_hold() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let good = hs256(&format!(r#"{{"sub":"1","exp":{},"big":{BIG}}}"#, NOW + 60));
    assert_eq!(verify(p, &good, &[]).0, 0, "the helper makes valid tokens");

    // Pasted tokens: surrounding whitespace and one `Bearer ` (any case), also per batch line.
    assert_eq!(verify(p, &format!("Bearer {good}"), &[]).0, 0);
    let (code, _, err) = run_with(
        jwtctl(p)
            .args(["verify", "--secret-file"])
            .arg(secret_file(p)),
        Some(&format!("  bEaReR {good}\n")),
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run_with(
        jwtctl(p)
            .args(["verify", "--batch", "--secret-file"])
            .arg(secret_file(p)),
        Some(&format!("Bearer {good}\n")),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!(r#""big":{BIG}"#)), "{out}");

    // The NumericDate range: 0 ..= 253402300799, fractions allowed; outside or mistyped is 7.
    for exp in ["-1", "253402300800", "1e300", r#""2030-01-01""#, "null"] {
        let token = hs256(&format!(r#"{{"exp":{exp}}}"#));
        let (code, out, err) = verify(p, &token, &[]);
        assert_eq!((code, out.as_str()), (7, ""), "exp {exp}: {err}");
    }
    for claim in ["nbf", "iat"] {
        let token = hs256(&format!(r#"{{"exp":{},"{claim}":-5}}"#, NOW + 60));
        assert_eq!(verify(p, &token, &[]).0, 7, "{claim} before 1970");
    }
    for exp in ["253402300799", "1700000060.5"] {
        let token = hs256(&format!(r#"{{"exp":{exp}}}"#));
        assert_eq!(verify(p, &token, &[]).0, 0, "exp {exp}");
    }

    // Times before 1970 are usage errors wherever a flag takes a time.
    for args in [
        &["--now", "1969-12-31T23:59:59Z", "decode", "a.b.c"][..],
        &["--now=-1", "decode", "a.b.c"],
    ] {
        assert_eq!(run(jwtctl(p).args(args)).0, 2, "{args:?}");
    }
    for args in [
        &["--exp", "@-5"][..],
        &["--exp", "-100y"],
        &["--nbf", "-60y"],
    ] {
        let (code, out, err) = run(&mut sign(p, args));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
        assert!(err.contains("1970"), "{args:?}: {err}");
    }
}
