//! Interop with independent implementations, for every algorithm jwtctl signs:
//!
//! * PyJWT 2.15.1 + cryptography 50.0.2 (`tests/it/pyjwt_helper.py`) verifies tokens jwtctl
//!   signs, with the public PEM, the HMAC secret or the JWKS jwtctl wrote; and signs tokens with
//!   the private keys jwtctl wrote, which jwtctl then verifies. Also `jwtctl jwks` of a rotated
//!   keyring, consumed by PyJWT's `PyJWKSet`.
//! * OpenSSL reads every private and public PEM jwtctl writes (`openssl pkey`), and derives the
//!   same public key from the private one.
//!
//! The Python packages live in a virtualenv in the target directory
//! (`target/<host tuple>/interop-venv`), created on first use with `python3 -m venv` and
//! `pip install` from PyPI. If python3, venv, pip, PyPI or openssl is missing the tests fail and
//! say which (`.ci/run` installs the system tools); they never skip.

#![allow(clippy::unwrap_used)] // test helpers panic by design

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tempfile::TempDir;

use crate::support::{self, jwtctl, stdout_of};

/// openssl's stdout as text.
fn openssl(args: &[&str]) -> String {
    String::from_utf8(support::openssl(args)).expect("openssl prints text")
}

/// jwtctl runs on the fixed clock of `support::jwtctl` (2023-11-14T22:13:20Z); tokens expire in
/// 2100 so PyJWT, which uses the real clock, accepts them too.
const EXP: i64 = 4_102_444_800;
/// The exact versions the test vectors were cross-checked with (`tests/vectors/README.md`).
const PY_PACKAGES: [&str; 2] = ["pyjwt==2.15.1", "cryptography==50.0.2"];

/// Runs a setup command; panics with its output when it fails.
fn setup(cmd: &mut std::process::Command, what: &str) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({cmd:?}):\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The virtualenv's python with PyJWT and cryptography, installed once (under a file lock, so
/// concurrent test processes never install twice at the same time).
fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .expect("target dir")
            .to_path_buf();
        let venv = target.join("interop-venv");
        let py = venv.join("bin/python");
        let check = "import jwt, cryptography, sys; \
                     sys.exit(not (jwt.__version__ == '2.15.1' and cryptography.__version__ == '50.0.2'))";
        let ready = || {
            std::process::Command::new(&py)
                .args(["-c", check])
                .output()
                .is_ok_and(|o| o.status.success())
        };
        let lock = std::fs::File::create(target.join("interop-venv.lock")).unwrap();
        lock.lock().unwrap();
        if !ready() {
            setup(
                std::process::Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv),
                "creating the interop virtualenv (needs python3 with venv and ensurepip, e.g. \
                 apt-get install python3 python3-venv)",
            );
            setup(
                std::process::Command::new(&py)
                    .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
                    .args(PY_PACKAGES),
                &format!(
                    "installing {PY_PACKAGES:?} from PyPI into {} (needs pip and access to PyPI)",
                    venv.display()
                ),
            );
            assert!(ready(), "the interop virtualenv is still not usable");
        }
        py
    })
}

/// Runs the PyJWT helper; `Ok(stdout)` or `Err(stderr)`.
fn pyjwt(args: &[&str]) -> Result<String, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/pyjwt_helper.py");
    let out = std::process::Command::new(python())
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(String::from_utf8(out.stdout).unwrap().trim_end().to_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// One key jwtctl wrote with `keygen --out`, and the algorithms to test with it.
struct Written {
    kid: String,
    private: PathBuf,
    /// Public PEM, or the secret file for HMAC.
    public: PathBuf,
    /// The JWKS (asymmetric keys only) and the one algorithm its JWK pins.
    jwks: Option<(PathBuf, &'static str)>,
    algs: &'static [&'static str],
}

fn keygen(dir: &Path, flag: &str, algs: &'static [&'static str]) -> Written {
    let out = dir.join(flag.trim_start_matches("--"));
    let kid = stdout_of(jwtctl(dir).args(["keygen", flag, "--out"]).arg(&out));
    let stem = flag.trim_start_matches("--");
    if stem.starts_with("hs") {
        let secret = out.join(format!("{stem}.secret"));
        return Written {
            kid,
            private: secret.clone(),
            public: secret,
            jwks: None,
            algs,
        };
    }
    Written {
        kid,
        private: out.join(format!("{stem}.key.pem")),
        public: out.join(format!("{stem}.pub.pem")),
        jwks: Some((out.join(format!("{stem}.jwks.json")), algs[0])),
        algs,
    }
}

fn all_keys(dir: &Path) -> Vec<Written> {
    vec![
        keygen(dir, "--hs256", &["HS256"]),
        keygen(dir, "--hs384", &["HS384"]),
        keygen(dir, "--hs512", &["HS512"]),
        keygen(dir, "--rs256", &["RS256", "RS384", "RS512"]),
        keygen(dir, "--ps256", &["PS256", "PS384", "PS512"]),
        keygen(dir, "--es256", &["ES256"]),
        keygen(dir, "--es384", &["ES384"]),
        keygen(dir, "--ed25519", &["EdDSA"]),
    ]
}

fn key_flag(path: &Path) -> &'static str {
    if path.extension().is_some_and(|e| e == "secret") {
        "--secret-file"
    } else {
        "--key"
    }
}

#[test]
fn tokens_jwtctl_signs_verify_in_pyjwt() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let mut checked = Vec::new();
    for key in all_keys(p) {
        for alg in key.algs {
            let token = stdout_of(
                jwtctl(p)
                    .args([
                        "sign",
                        "--alg",
                        alg,
                        "--sub",
                        "from-jwtctl",
                        "--claim",
                        "n:=7",
                    ])
                    .args(["--exp", &format!("@{EXP}"), key_flag(&key.private)])
                    .arg(&key.private),
            );
            let claims: Value = serde_json::from_str(
                &pyjwt(&["verify", alg, key.public.to_str().unwrap(), &token])
                    .unwrap_or_else(|e| panic!("PyJWT refused jwtctl's {alg} token: {e}")),
            )
            .unwrap();
            assert_eq!(
                claims,
                json!({"exp": EXP, "iat": 1_700_000_000, "n": 7, "sub": "from-jwtctl"}),
                "{alg}"
            );
            // PyJWT picks the key from jwtctl's JWKS by the token's kid.
            if let Some((jwks, pinned)) = &key.jwks
                && pinned == alg
            {
                pyjwt(&["verify", alg, jwks.to_str().unwrap(), &token])
                    .unwrap_or_else(|e| panic!("PyJWT refused {alg} via the JWKS: {e}"));
            }
            // A tampered payload is refused by PyJWT too (the check above is not vacuous).
            let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
            parts[1] = URL_SAFE_NO_PAD.encode(json!({"sub": "admin", "exp": EXP}).to_string());
            let forged = parts.join(".");
            assert!(
                pyjwt(&["verify", alg, key.public.to_str().unwrap(), &forged]).is_err(),
                "{alg}: PyJWT accepted a forged payload"
            );
            checked.push(*alg);
        }
    }
    assert_eq!(
        checked.len(),
        12,
        "every algorithm jwtctl signs: {checked:?}"
    );
}

#[test]
fn tokens_pyjwt_signs_with_jwtctl_keys_verify_in_jwtctl() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let mut checked = Vec::new();
    for key in all_keys(p) {
        for alg in key.algs {
            let claims = json!({"sub": "from-pyjwt", "exp": EXP, "scope": "read"});
            let token = pyjwt(&[
                "sign",
                alg,
                key.private.to_str().unwrap(),
                &key.kid,
                &claims.to_string(),
            ])
            .unwrap_or_else(|e| panic!("PyJWT could not sign {alg} with jwtctl's key: {e}"));
            let out: Value = serde_json::from_str(&stdout_of(
                jwtctl(p)
                    .args(["verify", "--alg", alg, key_flag(&key.public)])
                    .arg(&key.public)
                    .arg(&token),
            ))
            .unwrap();
            assert_eq!(out, claims, "{alg}");
            if let Some((jwks, pinned)) = &key.jwks {
                let by_jwks = jwtctl(p)
                    .args(["verify", "--key"])
                    .arg(jwks)
                    .arg(&token)
                    .assert();
                if pinned == alg {
                    by_jwks.success();
                } else {
                    // The JWK pins its alg: the same key's other algorithms are refused.
                    by_jwks.code(4);
                }
            }
            checked.push(*alg);
        }
    }
    assert_eq!(
        checked.len(),
        12,
        "every algorithm jwtctl verifies: {checked:?}"
    );
}

#[test]
fn a_rotated_keyrings_jwks_serves_pyjwt() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let mut tokens = Vec::new();
    for (flag, alg) in [
        ("--rs256", "RS256"),
        ("--es256", "ES256"),
        ("--ed25519", "EdDSA"),
    ] {
        stdout_of(jwtctl(p).args(["keygen", flag]));
        let t = stdout_of(jwtctl(p).args(["sign", "--sub", alg, "--exp", &format!("@{EXP}")]));
        tokens.push((alg, t));
    }
    let jwks = p.join("published.json");
    std::fs::write(&jwks, stdout_of(jwtctl(p).arg("jwks"))).unwrap();
    for (alg, token) in &tokens {
        let claims: Value =
            serde_json::from_str(&pyjwt(&["verify", alg, jwks.to_str().unwrap(), token]).unwrap())
                .unwrap();
        assert_eq!(claims["sub"], *alg);
    }
    // Retire the first key: the JWKS jwtctl publishes no longer lets PyJWT verify its tokens.
    let first = &stdout_of(jwtctl(p).args(["keys", "list", "--json"]));
    let kid = serde_json::from_str::<Value>(first.lines().next().unwrap()).unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    stdout_of(jwtctl(p).args(["keys", "retire", &kid]));
    std::fs::write(&jwks, stdout_of(jwtctl(p).arg("jwks"))).unwrap();
    assert!(pyjwt(&["verify", "RS256", jwks.to_str().unwrap(), &tokens[0].1]).is_err());
    pyjwt(&["verify", "EdDSA", jwks.to_str().unwrap(), &tokens[2].1]).unwrap();
}

#[test]
fn openssl_reads_every_key_jwtctl_writes() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let mut checked = 0;
    for key in all_keys(p).into_iter().filter(|k| k.jwks.is_some()) {
        // keygen --out, and the same key back from its private JWK through convert.
        let jwk = p.join("k.jwk");
        std::fs::write(
            &jwk,
            stdout_of(
                jwtctl(p)
                    .args(["convert", "--to", "jwk", "--private", "--key"])
                    .arg(&key.private),
            ),
        )
        .unwrap();
        let converted = p.join(format!("{}.converted.pem", key.kid));
        let converted_pub = p.join(format!("{}.converted.pub.pem", key.kid));
        stdout_of(
            jwtctl(p)
                .args(["convert", "--to", "pem", "--private", "--key"])
                .arg(&jwk)
                .arg("--out")
                .arg(&converted),
        );
        stdout_of(
            jwtctl(p)
                .args(["convert", "--to", "pem", "--key"])
                .arg(&jwk)
                .arg("--out")
                .arg(&converted_pub),
        );
        for (private, public) in [(&key.private, &key.public), (&converted, &converted_pub)] {
            let (private, public) = (private.to_str().unwrap(), public.to_str().unwrap());
            openssl(&["pkey", "-in", private, "-noout"]);
            openssl(&["pkey", "-pubin", "-in", public, "-noout"]);
            // OpenSSL derives the very public key jwtctl wrote.
            assert_eq!(
                openssl(&["pkey", "-in", private, "-pubout"]),
                std::fs::read_to_string(public).unwrap(),
                "{private}"
            );
            checked += 1;
        }
    }
    assert_eq!(
        checked, 10,
        "RSA, RSA-PSS, P-256, P-384, Ed25519, each twice"
    );
}
