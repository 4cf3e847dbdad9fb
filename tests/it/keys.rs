//! End-to-end tests of every key kind and algorithm, key input by content, keyring rotation
//! (`keys list | retire | activate`), `jwks` and `convert`: the real binary, temporary homes and a
//! fixed clock, as in `tests/it/cli.rs`.

#![allow(clippy::unwrap_used)] // test helpers panic by design

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use predicates::prelude::*;
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

use crate::support::{NOW, jwtctl, jwtctl_at, openssl, stdout_of, verify_with};

fn json_of(cmd: &mut Command) -> Value {
    serde_json::from_str(&stdout_of(cmd)).unwrap()
}

fn header(home: &Path, token: &str) -> Value {
    json_of(jwtctl(home).args(["decode", "--json", token]))["header"].clone()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn keygen_every_kind_writes_files_that_sign_and_verify() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    /// flags, file stem, JWK alg, JWK kty, algorithms the private PEM signs
    type Kind<'a> = (&'a [&'a str], &'a str, &'a str, &'a str, &'a [&'a str]);
    let kinds: [Kind; 6] = [
        (
            &["--rs256"],
            "rs256",
            "RS256",
            "RSA",
            &["RS256", "RS384", "RS512"],
        ),
        (
            &["--ps256"],
            "ps256",
            "PS256",
            "RSA",
            &["PS256", "PS384", "PS512"],
        ),
        (&["--es256"], "es256", "ES256", "EC", &["ES256"]),
        (&["--es384"], "es384", "ES384", "EC", &["ES384"]),
        (&["--ed25519"], "ed25519", "EdDSA", "OKP", &["EdDSA"]),
        (&["--alg", "PS512"], "ps512", "PS512", "RSA", &["PS512"]),
    ];
    for (flags, stem, alg, kty, algs) in kinds {
        let out = p.join(stem);
        let kid = stdout_of(jwtctl(p).arg("keygen").args(flags).arg("--out").arg(&out));
        let private = out.join(format!("{stem}.key.pem"));
        let public = out.join(format!("{stem}.pub.pem"));
        let jwks_path = out.join(format!("{stem}.jwks.json"));
        assert_eq!(mode(&private), 0o600, "{stem}");
        assert!(
            std::fs::read_to_string(&private)
                .unwrap()
                .starts_with("-----BEGIN PRIVATE KEY-----\n")
        );
        let jwks: Value = serde_json::from_slice(&std::fs::read(&jwks_path).unwrap()).unwrap();
        let jwk = &jwks["keys"][0];
        assert_eq!(jwk["alg"], alg, "{stem}");
        assert_eq!(jwk["kty"], kty);
        assert_eq!(jwk["kid"], kid.as_str());
        assert_eq!(jwk["use"], "sig");
        assert!(jwk.get("d").is_none(), "no private member in the JWKS");

        for sign_alg in algs {
            let token = stdout_of(
                jwtctl(p)
                    .args(["sign", "--sub", "x", "--alg", sign_alg, "--key"])
                    .arg(&private),
            );
            let h = header(p, &token);
            assert_eq!(h["alg"], *sign_alg);
            assert_eq!(h["kid"], kid.as_str(), "the kid is the key's thumbprint");
            verify_with(p, &public, &token).success();
            // The JWKS pins the key to its alg: other algorithms of the family are refused.
            let by_jwks = verify_with(p, &jwks_path, &token);
            if *sign_alg == alg {
                by_jwks.success();
            } else {
                by_jwks.code(4).stdout("");
            }
        }
        // Without --alg the private PEM signs with its family's default: a PEM carries no pin,
        // so a PS key's PEM needs --alg PS256 (README "keygen").
        let token = stdout_of(jwtctl(p).args(["sign", "--key"]).arg(&private));
        let default = if kty == "RSA" { "RS256" } else { alg };
        assert_eq!(header(p, &token)["alg"], default);
    }
}

#[test]
fn keygen_alg_synonym_kid_override_and_refusals() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let kid = stdout_of(jwtctl(p).args(["keygen", "--alg", "PS256", "--kid", "2026-11"]));
    assert_eq!(kid, "2026-11");
    let jwks = json_of(jwtctl(p).arg("jwks"));
    assert_eq!(jwks["keys"][0]["kid"], "2026-11");
    assert_eq!(
        jwks["keys"][0]["alg"], "PS256",
        "--ps256 keys are pinned to PS256"
    );
    let token = stdout_of(jwtctl(p).args(["sign", "--sub", "1"]));
    assert_eq!(header(p, &token)["alg"], "PS256");
    assert_eq!(header(p, &token)["kid"], "2026-11");

    jwtctl(p)
        .args(["keygen", "--es256", "--kid", "2026-11"])
        .assert()
        .code(11)
        .stderr(predicate::str::contains("already holds a key with kid"));
    jwtctl(p)
        .args(["keygen", "--alg", "ES512"])
        .assert()
        .code(11)
        .stderr(predicate::str::contains("unsupported algorithm ES512"));
    jwtctl(p)
        .args(["keygen", "--es256", "--bits", "4096"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("RSA keys only"));
    jwtctl(p)
        .args(["keygen", "--es256", "--ed25519"])
        .assert()
        .code(2);
    jwtctl(p).args(["keygen", "--alg", "none"]).assert().code(2);
    jwtctl(p)
        .args(["keygen", "--ed25519", "--kid", ""])
        .assert()
        .code(2);
    assert_eq!(
        json_of(jwtctl(p).arg("jwks"))["keys"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "refused runs add nothing"
    );
}

fn list(home: &Path) -> Vec<Value> {
    stdout_of(jwtctl(home).args(["keys", "list", "--json"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn rotation_retire_and_activate() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let k1 = stdout_of(jwtctl(p).args(["keygen", "--es256"]));
    let t1 = stdout_of(jwtctl(p).args(["sign", "--sub", "old"]));
    let k2 = stdout_of(jwtctl(p).args(["keygen", "--ed25519"]));
    let t2 = stdout_of(jwtctl(p).args(["sign", "--sub", "new"]));
    assert_eq!(header(p, &t1)["kid"], k1.as_str());
    assert_eq!(header(p, &t2)["kid"], k2.as_str());
    assert_eq!(header(p, &t2)["alg"], "EdDSA", "the newest key signs");
    jwtctl(p).args(["verify", &t1]).assert().success();
    jwtctl(p).args(["verify", &t2]).assert().success();

    let keys = list(p);
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0]["kid"], k1.as_str());
    assert_eq!(keys[0]["alg"], "ES256");
    assert_eq!(keys[0]["created"], "2023-11-14T22:13:20Z");
    assert_eq!(keys[0]["active"], false);
    assert_eq!(keys[1]["active"], true);
    assert_eq!(keys[1]["retired"], Value::Null);
    let table = stdout_of(jwtctl(p).args(["keys", "list"]));
    assert!(table.starts_with("KID"), "{table}");
    assert!(
        table.contains(&format!("{k2}  EdDSA  2023-11-14T22:13:20Z  active")),
        "{table}"
    );

    // The keyring's JWKS lists both public keys, nothing private.
    let jwks = json_of(jwtctl(p).arg("jwks"));
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, [k1.as_str(), k2.as_str()]);
    assert!(!jwks.to_string().contains("\"d\""));

    // Retire the old key: its tokens stop verifying, it leaves the JWKS, stays in the list.
    jwtctl_at(p, NOW + 3600)
        .args(["keys", "retire", &k1])
        .assert()
        .success()
        .stdout("");
    jwtctl(p)
        .args(["verify", &t1])
        .assert()
        .code(4)
        .stdout("")
        .stderr(predicate::str::contains("retired (2023-11-14T23:13:20Z)"));
    jwtctl(p).args(["verify", &t2]).assert().success();
    assert_eq!(
        json_of(jwtctl(p).arg("jwks"))["keys"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(list(p)[0]["retired"], "2023-11-14T23:13:20Z");
    assert!(stdout_of(jwtctl(p).args(["keys", "list"])).contains("retired 2023-11-14T23:13:20Z"));
    jwtctl(p)
        .args(["sign", "--kid", &k1])
        .assert()
        .code(11)
        .stderr(predicate::str::contains("retired"));
    // Retiring twice is a no-op; retirement is final; the active key cannot be retired.
    jwtctl(p)
        .args(["keys", "retire", &k1])
        .assert()
        .success()
        .stderr(predicate::str::contains("already retired"));
    jwtctl(p)
        .args(["keys", "activate", &k1])
        .assert()
        .code(11)
        .stderr(predicate::str::contains("retired"));
    jwtctl(p)
        .args(["keys", "retire", &k2])
        .assert()
        .code(11)
        .stderr(
            predicate::str::contains("active signing key").and(predicate::str::contains("hint:")),
        );
    jwtctl(p)
        .args(["keys", "retire", "no-such-kid"])
        .assert()
        .code(11);

    // Activate an older, live key: it signs again.
    let k3 = stdout_of(jwtctl(p).args(["keygen", "--hs256"]));
    jwtctl(p).args(["keys", "activate", &k2]).assert().success();
    let t3 = stdout_of(jwtctl(p).args(["sign", "--sub", "again"]));
    assert_eq!(header(p, &t3)["kid"], k2.as_str());
    // sign --kid picks any live keyring key without changing the active one.
    let t4 = stdout_of(jwtctl(p).args(["sign", "--kid", &k3]));
    assert_eq!(header(p, &t4)["alg"], "HS256");
    jwtctl(p).args(["verify", &t4]).assert().success();
    jwtctl(p).args(["sign", "--kid", "nope"]).assert().code(11);
    // HMAC secrets are never published.
    let jwks = json_of(jwtctl(p).arg("jwks"));
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
}

#[test]
fn jwks_and_keys_on_an_empty_or_secret_only_keyring() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    jwtctl(p)
        .arg("jwks")
        .assert()
        .code(11)
        .stdout("")
        .stderr(predicate::str::contains("empty").and(predicate::str::contains("keygen")));
    jwtctl(p)
        .args(["keys", "list"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("empty"));
    jwtctl(p).args(["keys", "retire", "x"]).assert().code(11);
    stdout_of(jwtctl(p).args(["keygen", "--hs512"]));
    jwtctl(p)
        .arg("jwks")
        .assert()
        .success()
        .stdout("{\n  \"keys\": []\n}\n")
        .stderr(predicate::str::contains("only HMAC secrets"));
}

#[test]
fn convert_between_pem_jwk_and_jwks() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let kid = stdout_of(jwtctl(p).args(["keygen", "--es384", "--out"]).arg(p));
    let private = p.join("es384.key.pem");

    // PEM → public JWK with the thumbprint kid; → private JWK; → JWKS.
    let jwk = json_of(
        jwtctl(p)
            .args(["convert", "--to", "jwk", "--key"])
            .arg(&private),
    );
    assert_eq!(jwk["kid"], kid.as_str());
    assert_eq!(jwk["crv"], "P-384");
    assert!(jwk.get("d").is_none());
    let whole = json_of(
        jwtctl(p)
            .args(["convert", "--to", "jwk", "--private", "--key"])
            .arg(&private),
    );
    assert_eq!(
        URL_SAFE_NO_PAD
            .decode(whole["d"].as_str().unwrap())
            .unwrap()
            .len(),
        48
    );
    let jwks = json_of(jwtctl(p).args(["jwks", "--key"]).arg(&private));
    assert_eq!(jwks["keys"][0], jwk, "jwks --key is convert --to jwks");

    // Private JWK → PKCS#8 PEM (0600, never overwritten) that openssl reads and that signs.
    let jwk_file = p.join("private.jwk");
    std::fs::write(&jwk_file, whole.to_string()).unwrap();
    let pem_out = p.join("back.pem");
    jwtctl(p)
        .args(["convert", "--to", "pem", "--private", "--key"])
        .arg(&jwk_file)
        .arg("--out")
        .arg(&pem_out)
        .assert()
        .success()
        .stdout("");
    assert_eq!(mode(&pem_out), 0o600);
    assert_eq!(
        std::fs::read_to_string(&pem_out).unwrap(),
        std::fs::read_to_string(&private).unwrap(),
        "PEM → JWK → PEM gives the same PKCS#8"
    );
    openssl(&["pkey", "-in", pem_out.to_str().unwrap(), "-noout"]);
    jwtctl(p)
        .args(["convert", "--to", "pem", "--key"])
        .arg(&jwk_file)
        .arg("--out")
        .arg(&pem_out)
        .assert()
        .code(10)
        .stderr(predicate::str::contains("--force"));

    // Public JWK → SPKI PEM equal to the one keygen wrote.
    let public_jwk = p.join("public.jwk");
    std::fs::write(&public_jwk, jwk.to_string()).unwrap();
    let spki = stdout_of(
        jwtctl(p)
            .args(["convert", "--to", "pem", "--key"])
            .arg(&public_jwk),
    );
    assert_eq!(
        format!("{spki}\n"),
        std::fs::read_to_string(p.join("es384.pub.pem")).unwrap()
    );
    jwtctl(p)
        .args(["convert", "--to", "pem", "--private", "--key"])
        .arg(&public_jwk)
        .assert()
        .code(11);

    // --alg pins, --kid names; a pin the key cannot serve is refused.
    stdout_of(jwtctl(p).args(["keygen", "--rs256", "--out"]).arg(p));
    let rsa = json_of(
        jwtctl(p)
            .args(["jwks", "--alg", "PS256", "--kid", "2026-11", "--key"])
            .arg(p.join("rs256.pub.pem")),
    );
    assert_eq!(rsa["keys"][0]["alg"], "PS256");
    assert_eq!(rsa["keys"][0]["kid"], "2026-11");
    jwtctl(p)
        .args(["jwks", "--alg", "ES256", "--key"])
        .arg(p.join("rs256.pub.pem"))
        .assert()
        .code(11);

    // From a set, one-key formats need --kid, which picks the key.
    let set = p.join("set.json");
    let two = json!({"keys": [jwk, rsa["keys"][0]]});
    std::fs::write(&set, two.to_string()).unwrap();
    jwtctl(p)
        .args(["convert", "--to", "pem", "--key"])
        .arg(&set)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--kid"));
    let picked = stdout_of(
        jwtctl(p)
            .args(["convert", "--to", "pem", "--kid", "2026-11", "--key"])
            .arg(&set),
    );
    assert_eq!(
        format!("{picked}\n"),
        std::fs::read_to_string(p.join("rs256.pub.pem")).unwrap()
    );
    // An HMAC secret has no public form.
    let oct = p.join("oct.jwk");
    std::fs::write(
        &oct,
        json!({"kty": "oct", "k": URL_SAFE_NO_PAD.encode([7u8; 32])}).to_string(),
    )
    .unwrap();
    jwtctl(p)
        .args(["convert", "--to", "jwk", "--key"])
        .arg(&oct)
        .assert()
        .code(11)
        .stderr(predicate::str::contains("--private"));
    let back = json_of(
        jwtctl(p)
            .args(["convert", "--to", "jwk", "--private", "--key"])
            .arg(&oct),
    );
    assert_eq!(back["k"], URL_SAFE_NO_PAD.encode([7u8; 32]));
}

/// Keys made by openssl in every format jwtctl reads: (private file, public file) per kind.
fn openssl_keys(dir: &Path) -> Vec<(String, PathBuf, PathBuf)> {
    let path = |name: &str| dir.join(name);
    let s = |p: &PathBuf| p.to_str().unwrap().to_owned();
    let mut out = Vec::new();
    // RSA: PKCS#1 PEM private ("RSA PRIVATE KEY") and PKCS#1 PEM public ("RSA PUBLIC KEY").
    let (rsa1, rsa1_pub) = (path("rsa1.key"), path("rsa1.pub"));
    openssl(&["genrsa", "-traditional", "-out", &s(&rsa1), "2048"]);
    openssl(&[
        "rsa",
        "-in",
        &s(&rsa1),
        "-RSAPublicKey_out",
        "-out",
        &s(&rsa1_pub),
    ]);
    out.push(("RS256 PKCS#1".to_owned(), rsa1, rsa1_pub));
    // RSA: DER PKCS#8 private and DER SPKI public.
    let (rsa_der, rsa_der_pub) = (path("rsa.der"), path("rsa-pub.der"));
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-outform",
        "DER",
        "-out",
        &s(&rsa_der),
    ]);
    openssl(&[
        "pkey",
        "-inform",
        "DER",
        "-in",
        &s(&rsa_der),
        "-pubout",
        "-outform",
        "DER",
        "-out",
        &s(&rsa_der_pub),
    ]);
    out.push(("PS384 DER".to_owned(), rsa_der, rsa_der_pub));
    // EC: SEC1 PEM with EC PARAMETERS (what `openssl ecparam -genkey` writes), SPKI public.
    let (sec1, sec1_pub) = (path("ec.key"), path("ec.pub"));
    openssl(&[
        "ecparam",
        "-name",
        "prime256v1",
        "-genkey",
        "-out",
        &s(&sec1),
    ]);
    openssl(&["ec", "-in", &s(&sec1), "-pubout", "-out", &s(&sec1_pub)]);
    out.push(("ES256 SEC1".to_owned(), sec1, sec1_pub));
    // EC P-384: SEC1 DER private, SPKI DER public.
    let (ec_der, ec_der_pub) = (path("ec384.der"), path("ec384-pub.der"));
    openssl(&[
        "ecparam",
        "-name",
        "secp384r1",
        "-genkey",
        "-noout",
        "-outform",
        "DER",
        "-out",
        &s(&ec_der),
    ]);
    openssl(&[
        "ec",
        "-inform",
        "DER",
        "-in",
        &s(&ec_der),
        "-pubout",
        "-outform",
        "DER",
        "-out",
        &s(&ec_der_pub),
    ]);
    out.push(("ES384 SEC1 DER".to_owned(), ec_der, ec_der_pub));
    // Ed25519: PKCS#8 PEM, SPKI PEM; named .json to show the name is never looked at.
    let (ed, ed_pub) = (path("ed.json"), path("ed-pub.txt"));
    openssl(&["genpkey", "-algorithm", "ed25519", "-out", &s(&ed)]);
    openssl(&["pkey", "-in", &s(&ed), "-pubout", "-out", &s(&ed_pub)]);
    out.push(("EdDSA PKCS#8".to_owned(), ed, ed_pub));
    out
}

#[test]
fn keys_from_openssl_in_every_format_sign_and_verify() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    for (what, private, public) in openssl_keys(p) {
        let alg = what.split(' ').next().unwrap();
        let token = stdout_of(
            jwtctl(p)
                .args(["sign", "--sub", "o", "--alg", alg, "--key"])
                .arg(&private),
        );
        assert_eq!(header(p, &token)["alg"], alg, "{what}");
        verify_with(p, &public, &token).success();
        // The same key through jwtctl's JWK conversion verifies too.
        let jwk = p.join("converted.jwk");
        std::fs::write(
            &jwk,
            stdout_of(
                jwtctl(p)
                    .args(["convert", "--to", "jwk", "--key"])
                    .arg(&public),
            ),
        )
        .unwrap();
        verify_with(p, &jwk, &token).success();
    }
}

/// Writes a JWKS of the public keys made by `keygen --out` for `flags`, with the given kids.
fn jwks_file(dir: &Path, entries: &[(&str, &str)]) -> (PathBuf, Vec<PathBuf>) {
    let mut keys = Vec::new();
    let mut privates = Vec::new();
    for (flag, kid) in entries {
        let out = dir.join(kid);
        stdout_of(
            jwtctl(dir)
                .args(["keygen", flag, "--kid", kid, "--out"])
                .arg(&out),
        );
        let stem = flag.trim_start_matches("--");
        let jwks: Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{stem}.jwks.json"))).unwrap())
                .unwrap();
        keys.push(jwks["keys"][0].clone());
        privates.push(out.join(format!("{stem}.key.pem")));
    }
    let path = dir.join("set.jwks.json");
    std::fs::write(&path, json!({ "keys": keys }).to_string()).unwrap();
    (path, privates)
}

#[test]
fn jwks_verification_chooses_by_kid_and_never_guesses() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let (set, privates) = jwks_file(p, &[("--es256", "a"), ("--es256", "b"), ("--ed25519", "c")]);
    for (private, kid) in privates.iter().zip(["a", "b", "c"]) {
        // A PEM holds no kid: with a kid of one's own, sign says it (README "keygen").
        let token = stdout_of(jwtctl(p).args(["sign", "--kid", kid, "--key"]).arg(private));
        assert_eq!(header(p, &token)["kid"], kid);
        verify_with(p, &set, &token).success();
    }
    // A kid that names another key of the same type: that key's signature check fails (4).
    let wrong = stdout_of(
        jwtctl(p)
            .args(["sign", "--kid", "b", "--key"])
            .arg(&privates[0]),
    );
    verify_with(p, &set, &wrong).code(4);
    // No kid (jwtctl leaves it out only for secrets without one): the one key of the set that
    // can serve the token's alg is used; two candidates are an error, never a guess.
    let oct = |byte: u8, len: usize, alg: &str| json!({"kty": "oct", "alg": alg, "k": URL_SAFE_NO_PAD.encode(vec![byte; len])});
    let secrets = p.join("secrets.jwks.json");
    let (k1, k2, k3) = (
        oct(1, 32, "HS256"),
        oct(2, 32, "HS256"),
        oct(3, 64, "HS512"),
    );
    std::fs::write(&secrets, json!({"keys": [k1, k2, k3]}).to_string()).unwrap();
    let kidless = |jwk: &Value| {
        let f = p.join("one.jwk");
        std::fs::write(&f, jwk.to_string()).unwrap();
        let t = stdout_of(jwtctl(p).args(["sign", "--key"]).arg(&f));
        assert!(header(p, &t).get("kid").is_none(), "no kid in the header");
        t
    };
    jwtctl(p)
        .args(["verify", "--key"])
        .arg(&secrets)
        .arg(kidless(&k3))
        .assert()
        .success();
    jwtctl(p)
        .args(["verify", "--key"])
        .arg(&secrets)
        .arg(kidless(&k1))
        .assert()
        .code(4)
        .stdout("")
        .stderr(
            predicate::str::contains("no kid and 2 keys")
                .and(predicate::str::contains("will not guess")),
        );
}

#[test]
fn jwks_members_for_encryption_are_skipped_and_pins_hold() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let (set, privates) = jwks_file(p, &[("--rs256", "sig"), ("--rs256", "enc")]);
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&set).unwrap()).unwrap();
    doc["keys"][1]["use"] = "enc".into();
    doc["keys"][1]["alg"] = "RSA-OAEP-256".into();
    std::fs::write(&set, doc.to_string()).unwrap();
    let good = stdout_of(
        jwtctl(p)
            .args(["sign", "--kid", "sig", "--key"])
            .arg(&privates[0]),
    );
    verify_with(p, &set, &good).success();
    let by_enc = stdout_of(
        jwtctl(p)
            .args(["sign", "--kid", "enc", "--key"])
            .arg(&privates[1]),
    );
    verify_with(p, &set, &by_enc)
        .code(4)
        .stderr(predicate::str::contains("for encryption"));
    // A single JWK for encryption is refused outright, as is a set with nothing usable.
    let single = p.join("enc.jwk");
    std::fs::write(&single, doc["keys"][1].to_string()).unwrap();
    verify_with(p, &single, &by_enc).code(11).stdout("");
    // The JWK's alg pins the key: an RS256 key's PS256 token is refused (4), even though
    // the signature itself is sound.
    let ps = stdout_of(
        jwtctl(p)
            .args(["sign", "--alg", "PS256", "--kid", "sig", "--key"])
            .arg(&privates[0]),
    );
    verify_with(p, &set, &ps)
        .code(4)
        .stderr(predicate::str::contains("PS256 is not allowed"));
    jwtctl(p)
        .args(["verify", "--key"])
        .arg(p.join("sig/rs256.pub.pem"))
        .arg(&ps)
        .assert()
        .success();
}

#[test]
fn es512_is_recognised_but_unsupported_and_decode_still_shows_it() {
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let (private, public) = (p.join("p521.pem"), p.join("p521.pub.pem"));
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-521",
        "-out",
        private.to_str().unwrap(),
    ]);
    openssl(&[
        "pkey",
        "-in",
        private.to_str().unwrap(),
        "-pubout",
        "-out",
        public.to_str().unwrap(),
    ]);
    jwtctl(p)
        .args(["sign", "--key"])
        .arg(&private)
        .assert()
        .code(11)
        .stdout("")
        .stderr(predicate::str::contains("unsupported algorithm ES512"));
    let seg = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let token = format!(
        "{}.{}.{}",
        seg(&json!({"alg": "ES512", "typ": "JWT"})),
        seg(&json!({"sub": "x", "exp": 1_800_000_000})),
        URL_SAFE_NO_PAD.encode([5u8; 132])
    );
    verify_with(p, &public, &token)
        .code(4)
        .stdout("")
        .stderr(predicate::str::contains("unsupported algorithm ES512"));
    let shown = json_of(jwtctl(p).args(["decode", "--json", &token]));
    assert_eq!(shown["header"]["alg"], "ES512");
    assert_eq!(shown["claims"]["sub"], "x");
}

#[test]
fn kids_that_start_with_a_hyphen_work_everywhere() {
    // RFC 7638 thumbprints are base64url: about one kid in 64 starts with '-'.
    let dir = TempDir::new().unwrap();
    let p = dir.path();
    let kid = "-starts-with-a-hyphen";
    stdout_of(jwtctl(p).args(["keygen", "--es256", "--kid", kid]));
    stdout_of(jwtctl(p).args(["keygen", "--es256", "--kid", "-second"]));
    let token = stdout_of(jwtctl(p).args(["sign", "--kid", kid, "--sub", "1"]));
    assert_eq!(header(p, &token)["kid"], kid);
    jwtctl(p).args(["verify", &token]).assert().success();
    jwtctl(p).args(["keys", "activate", kid]).assert().success();
    jwtctl(p)
        .args(["keys", "retire", "-second"])
        .assert()
        .success();
    jwtctl(p).args(["keys", "retire", kid]).assert().code(11);
}
