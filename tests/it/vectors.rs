//! The JWS/JWT test vectors of `tests/vectors/` driven through the real `jwtctl` binary.
//!
//! * `attack_tokens.json`: every one of the 176 records, mapped to `jwtctl verify` flags and checked
//!   against the exit status of DECISIONS §1 (with the CLI overrides of DECISIONS §2).
//! * `rfc_jws_examples.json`: every compact RFC example token.
//! * a small `decode` check.
//!
//! The vector files are in the repository: if one is missing these tests fail, they never skip.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use tempfile::TempDir;

use crate::support::{self, jwtctl};

/// The fixed clock used for generator records with `claims_relative_to_now` (2025-06-15T15:06:40Z).
const GEN_NOW: i64 = 1_750_000_000;
/// A time before the 2011 `exp` (1300819380) of the RFC 7515 A.1-A.3 / RFC 7519 §3.1 claims.
const RFC_NOW: &str = "1300819000";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn hex_decode(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd-length hex: {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&s[i..i + 2], 16).unwrap_or_else(|e| panic!("bad hex {s}: {e}"))
        })
        .collect()
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn b64_json(v: &Value) -> String {
    b64(serde_json::to_string(v).expect("serialise JSON").as_bytes())
}

fn hs256(secret: &[u8], msg: &[u8]) -> Vec<u8> {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret);
    aws_lc_rs::hmac::sign(&key, msg).as_ref().to_vec()
}

/// Expands the generator shorthand `"A*8388608"` (one character, `*`, a count) in string values.
fn expand(v: &Value) -> Value {
    match v {
        Value::String(s) => {
            let mut chars = s.chars();
            if let (Some(c), Some('*')) = (chars.next(), chars.next()) {
                let rest: String = chars.collect();
                if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
                    let n: usize = rest.parse().expect("repeat count");
                    return Value::String(c.to_string().repeat(n));
                }
            }
            v.clone()
        }
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), expand(v))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(expand).collect()),
        _ => v.clone(),
    }
}

/// Builds the token of a `generator` record as `tests/vectors/README.md` §4 describes.
fn generate_token(rec: &Value, now: i64) -> String {
    let g = &rec["generator"];
    if let Some(rep) = g.get("repeat") {
        let rep = rep.as_str().expect("generator.repeat is a string");
        let count = usize::try_from(g["count"].as_u64().expect("generator.count"))
            .expect("count fits usize");
        let prefix = g.get("prefix").and_then(Value::as_str).unwrap_or("");
        return format!("{prefix}{}", rep.repeat(count));
    }
    let sign = g["sign"].as_str().expect("generator.sign");
    assert_eq!(
        sign, "HS256 with rfc7515-A.1 secret",
        "{}: unknown signing recipe",
        rec["id"]
    );
    assert_eq!(
        rec["verify"]["key"]["from"], "rfc7515-A.1",
        "{}: signing key is not A.1",
        rec["id"]
    );
    let secret = hex_decode(rec["verify"]["key"]["value"].as_str().expect("key hex"));

    let header = expand(&g["header"]);
    let template = g.get("claims_template").or_else(|| g.get("claims"));
    let mut claims: Map<String, Value> = match template.map(expand) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    if let Some(Value::Object(rel)) = g.get("claims_relative_to_now") {
        for (k, secs) in rel {
            let secs = secs.as_i64().expect("relative seconds");
            claims.insert(k.clone(), Value::from(now + secs));
        }
    }
    let signing_input = format!("{}.{}", b64_json(&header), b64_json(&Value::Object(claims)));
    let sig = hs256(&secret, signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&sig))
}

/// DECISIONS §1: attack-vector error category → `jwtctl` exit status.
fn category_code(cat: &str) -> i32 {
    match cat {
        "MalformedToken" | "MalformedHeader" | "MalformedClaims" | "InputTooLarge" => 3,
        "InvalidSignature"
        | "AlgorithmNotAllowed"
        | "UnsupportedAlgorithm"
        | "KeyAlgorithmMismatch" => 4,
        "Expired" => 5,
        "NotYetValid" => 6,
        "InvalidAudience"
        | "InvalidIssuer"
        | "InvalidType"
        | "InvalidClaimFormat"
        | "MissingClaim"
        | "UnsupportedCritical" => 7,
        "WeakKey" | "InvalidConfiguration" => 11,
        other => panic!("unknown error category in the vectors: {other}"),
    }
}

/// Whether a key of this kind can serve `alg` (DECISIONS §3: the key decides the algorithm family;
/// DECISIONS §1: asking a key for an algorithm it cannot serve is a configuration error, 11).
/// EC keys serve exactly one algorithm, fixed by the curve (P-256 → ES256, P-384 → ES384,
/// P-521 → ES512), so the curve is read from the SPKI's named-curve OID.
fn key_can_serve(kind: &str, key_value: &str, alg: &str) -> bool {
    match kind {
        "hmac_secret_hex" => alg.starts_with("HS"),
        "rsa_public_pem" => alg.starts_with("RS") || alg.starts_with("PS"),
        "ec_public_pem" => ec_curve_alg(key_value) == alg,
        "ed_public_pem" => alg == "EdDSA",
        other => panic!("unknown key kind in the vectors: {other}"),
    }
}

/// The `ES*` algorithm of an EC `SubjectPublicKeyInfo` PEM, from its named-curve OID.
fn ec_curve_alg(pem: &str) -> &'static str {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .expect("EC PEM body is base64");
    let has = |oid: &[u8]| der.windows(oid.len()).any(|w| w == oid);
    if has(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]) {
        "ES256" // prime256v1, 1.2.840.10045.3.1.7
    } else if has(&[0x2b, 0x81, 0x04, 0x00, 0x22]) {
        "ES384" // secp384r1, 1.3.132.0.34
    } else if has(&[0x2b, 0x81, 0x04, 0x00, 0x23]) {
        "ES512" // secp521r1, 1.3.132.0.35
    } else {
        panic!("EC key with an unknown curve: {pem}")
    }
}

/// Checks one finished process; returns a description of every way it differs from `expected`.
fn check_output(
    id: &str,
    expected: &[i32],
    out: &std::process::Output,
    expected_claims: Option<&Value>,
) -> Option<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stderr = stderr.trim_end();
    let Some(code) = out.status.code() else {
        return Some(format!(
            "{id}: expected exit {expected:?}, killed by a signal ({:?}); stderr: {stderr}",
            out.status
        ));
    };
    let mut problems = Vec::new();
    if !expected.contains(&code) {
        problems.push(format!("expected exit {expected:?}, got {code}"));
    }
    if code == 0 {
        match serde_json::from_slice::<Value>(&out.stdout) {
            Ok(Value::Object(m)) => {
                if let Some(want) = expected_claims
                    && &Value::Object(m) != want
                {
                    problems.push(format!(
                        "stdout claims differ from the record's claims: {}",
                        String::from_utf8_lossy(&out.stdout).trim_end()
                    ));
                }
            }
            _ => problems.push(format!(
                "accepted but stdout is not a JSON object: {:?}",
                String::from_utf8_lossy(&out.stdout)
            )),
        }
    } else if !out.stdout.is_empty() {
        problems.push(format!(
            "non-zero exit but stdout is not empty: {:?}",
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    if problems.is_empty() {
        None
    } else {
        Some(format!("{id}: {}; stderr: {stderr}", problems.join("; ")))
    }
}

// ---------------------------------------------------------------------------------------------
// attack_tokens.json
// ---------------------------------------------------------------------------------------------

/// The exit statuses a record allows through the CLI.
fn expected_attack_codes(rec: &Value) -> Vec<i32> {
    let id = rec["id"].as_str().expect("id");
    // DECISIONS §2: the CLI trims surrounding whitespace and one leading `Bearer `, so these two
    // records (strict-parser rejections) are accepted when given through the CLI.
    if id == "b64-surrounding-ws" || id == "b64-bearer-prefix" {
        return vec![0];
    }
    // DECISIONS §2: the CLI also removes whitespace inside a pasted token, and these two
    // records' MACs cover the text with it: signature failures (4) through the CLI.
    if id == "b64-space" || id == "b64-newline" {
        return vec![4];
    }
    // DECISIONS §2: the `*-lax` setups (an RSA key with `--alg RS256 --alg HS256`) are a
    // configuration error through the CLI, refused with exit 11 before the token is read.
    if id.ends_with("-lax") {
        return vec![11];
    }
    // DECISIONS §1: a configuration error that is a flag value clap rejects is a usage error
    // (2): a leeway over the 5m bound is refused while parsing, before anything is read.
    if rec["verify"]["leeway"].as_u64().is_some_and(|l| l > 300) {
        return vec![2];
    }
    let exp = &rec["expected"];
    match exp["result"].as_str().expect("expected.result") {
        "accept" => vec![0],
        "reject" => exp["error_category"]
            .as_str()
            .expect("a rejected record names its error category")
            .split('|')
            .map(category_code)
            .fold(Vec::new(), |mut codes, c| {
                if !codes.contains(&c) {
                    codes.push(c);
                }
                codes
            }),
        other => panic!("{id}: unknown expected.result {other}"),
    }
}

/// Runs one attack record through `jwtctl verify`; `Some(description)` on a mismatch.
fn run_attack_record(rec: &Value) -> Option<String> {
    let id = rec["id"].as_str().expect("id");
    let v = &rec["verify"];
    let dir = TempDir::new().expect("tempdir");
    let home = dir.path().join("home");
    let mut cmd = jwtctl(&home);
    cmd.arg("verify");

    // Key.
    let kind = v["key"]["kind"].as_str().expect("key.kind");
    let value = v["key"]["value"].as_str().expect("key.value");
    if kind == "hmac_secret_hex" {
        // --secret-file takes the raw bytes (minus one trailing newline): write the decoded hex.
        let path = dir.path().join("secret.bin");
        std::fs::write(&path, hex_decode(value)).expect("write secret");
        cmd.arg("--secret-file").arg(&path);
    } else {
        let path = dir.path().join("key.pem");
        std::fs::write(&path, value).expect("write key");
        cmd.arg("--key").arg(&path);
    }

    // Algorithms (rule from DECISIONS §2): `*-lax` records pass ALL listed algorithms, which
    // jwtctl must refuse as a configuration error (exit 11) before reading the token. Every other
    // record passes only the listed algorithms the key itself can serve (HS* for HMAC, RS*/PS* for
    // RSA, the curve's ES* for EC, EdDSA for Ed25519): through the CLI the key decides the family
    // and `--alg` only narrows it. E.g. `confusion-es-hs-pem` ([ES256, HS256], P-256 key) becomes
    // `--alg ES256` and its HS256 token must fail with 4; `ecdsa-header-es384` ([ES256, ES384],
    // P-256 key) becomes `--alg ES256` (`--alg ES384` with a P-256 key would itself be exit 11 per
    // DECISIONS §1) and its ES384-labelled token must fail with 4.
    let lax = id.ends_with("-lax");
    for alg in v["algorithms"].as_array().expect("algorithms") {
        let alg = alg.as_str().expect("alg name");
        if lax || key_can_serve(kind, value, alg) {
            cmd.args(["--alg", alg]);
        }
    }

    // Claims policy. `exp` is always required by jwtctl; other required claims are flags.
    for claim in v["required_claims"].as_array().expect("required_claims") {
        let claim = claim.as_str().expect("claim name");
        if claim != "exp" {
            cmd.args(["--require", claim]);
        }
    }
    for aud in v["audience"].as_array().into_iter().flatten() {
        cmd.args(["--aud", aud.as_str().expect("aud")]);
    }
    for iss in v["issuer"].as_array().into_iter().flatten() {
        cmd.args(["--iss", iss.as_str().expect("iss")]);
    }
    if let Some(typ) = v["expected_typ"].as_str() {
        cmd.args(["--typ", typ]);
    }
    let leeway = v["leeway"].as_u64().expect("leeway");
    if leeway != 0 {
        cmd.args(["--leeway", &leeway.to_string()]);
    }
    // validate_nbf is always true in the vectors, which is what jwtctl always does.
    assert_eq!(
        v["validate_nbf"], true,
        "{id}: validate_nbf false is not expressible"
    );

    // Token: fixed, or generated. Time-relative generator records run at GEN_NOW; the others at
    // support::NOW (2023-11-14; their times are 2100, 2011 or an `iat` of exactly NOW).
    let generator = &rec["generator"];
    let token = if generator.is_null() {
        rec["token"].as_str().expect("token").to_owned()
    } else {
        if generator.get("claims_relative_to_now").is_some() {
            cmd.args(["--now", &GEN_NOW.to_string()]);
        }
        generate_token(rec, GEN_NOW)
    };

    // Always via stdin: some tokens are far larger than the argv limit.
    let out = match cmd.write_stdin(token).output() {
        Ok(out) => out,
        Err(e) => return Some(format!("{id}: could not run jwtctl: {e}")),
    };
    check_output(id, &expected_attack_codes(rec), &out, None)
}

#[test]
fn attack_token_vectors_through_the_cli() {
    let doc = support::vector("attack_tokens.json");
    let records = doc["records"].as_array().expect("records");
    assert_eq!(
        records.len(),
        176,
        "attack_tokens.json should hold 176 token records"
    );
    assert_eq!(doc["record_count"], 176);

    let failures: Vec<String> = support::par_map(records, run_attack_record)
        .into_iter()
        .flatten()
        .collect();

    assert!(
        failures.is_empty(),
        "{} of {} attack records failed:\n{}",
        failures.len(),
        records.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// rfc_jws_examples.json
// ---------------------------------------------------------------------------------------------

#[test]
fn rfc_jws_examples_through_the_cli() {
    let doc = support::vector("rfc_jws_examples.json");
    let records = doc["records"].as_array().expect("records");
    // A.5 (alg none) and App. E carry no key; they are verified against the A.1 HMAC secret, so
    // jwtctl has a key configured and must still refuse them.
    let a1_secret = records
        .iter()
        .find(|r| r["id"] == "rfc7515-A.1")
        .and_then(|r| r["secret_hex"].as_str())
        .expect("rfc7515-A.1 secret")
        .to_owned();

    let mut failures = Vec::new();
    let mut checked = 0;
    for rec in records {
        let id = rec["id"].as_str().expect("id");
        // Only compact tokens: the `compact-detached` record (RFC 7520 §4.5) needs its payload
        // re-inserted, and `json-general` records have no compact form; both are out of scope here.
        if rec["serialization"] != "compact" {
            continue;
        }
        let Some(token) = rec["token"].as_str() else {
            continue;
        };
        checked += 1;

        let dir = TempDir::new().expect("tempdir");
        let mut cmd = jwtctl(&dir.path().join("home"));
        cmd.args(["verify", "--now", RFC_NOW]);
        if let Some(hex) = rec["secret_hex"].as_str() {
            let path = dir.path().join("secret.bin");
            std::fs::write(&path, hex_decode(hex)).expect("write secret");
            cmd.arg("--secret-file").arg(&path);
        } else if let Some(pem) = rec["public_key_pem"].as_str() {
            let path = dir.path().join("key.pem");
            std::fs::write(&path, pem).expect("write key");
            cmd.arg("--key").arg(&path);
        } else if rec["public_jwk"].is_object() {
            let path = dir.path().join("key.jwk");
            std::fs::write(&path, rec["public_jwk"].to_string()).expect("write jwk");
            cmd.arg("--key").arg(&path);
        } else {
            let path = dir.path().join("secret.bin");
            std::fs::write(&path, hex_decode(&a1_secret)).expect("write secret");
            cmd.arg("--secret-file").arg(&path);
        }

        let alg = rec["alg"].as_str().unwrap_or("");
        let header = &rec["header"];
        let (expected, claims): (Vec<i32>, Option<&Value>) = if rec["valid"] == true {
            if rec["payload_is_json_object"] == true {
                if rec["claims"].get("exp").is_some() {
                    // Valid signature, and --now is before the 2011 exp: accepted, claims printed.
                    (vec![0], Some(&rec["claims"]))
                } else {
                    // jwtctl always requires exp: a JSON object without it is a missing claim (7).
                    (vec![7], None)
                }
            } else if alg == "ES512" {
                // ES512 is recognised but unsupported: refused (4) before the payload is looked at.
                (vec![4], None)
            } else {
                // Signature fine, but JWT claims must be a JSON object: malformed token (3).
                (vec![3], None)
            }
        } else if header["alg"]
            .as_str()
            .is_some_and(|a| a.eq_ignore_ascii_case("none"))
        {
            // RFC 7515 A.5: unsecured JWS, alg none is never allowed → signature rejected (4).
            // RFC 7515 App. E is alg none too, plus an unknown `crit`: SECURITY.md's order of checks
            // (… header JSON → alg/key policy → crit/typ → signature …) puts the alg policy first,
            // so it is 4 as well, not 7 (unknown `crit` alone is covered by the attack records
            // `crit-unknown`, `crit-absent-member` and `b64-false`, all 7).
            (vec![4], None)
        } else if header.get("crit").is_some() {
            // An unknown `crit` extension on a signed token → claim rejected (7).
            (vec![7], None)
        } else {
            // Any other invalid record: some rejection.
            ((1..=11).collect(), None)
        };

        match cmd.write_stdin(token).output() {
            Ok(out) => failures.extend(check_output(id, &expected, &out, claims)),
            Err(e) => failures.push(format!("{id}: could not run jwtctl: {e}")),
        }
    }
    assert_eq!(checked, 12, "expected 12 compact RFC records with a token");
    assert!(
        failures.is_empty(),
        "{} of {checked} RFC example records failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// decode
// ---------------------------------------------------------------------------------------------

fn attack_token(id: &str) -> String {
    let doc = support::vector("attack_tokens.json");
    doc["records"]
        .as_array()
        .expect("records")
        .iter()
        .find(|r| r["id"] == id)
        .and_then(|r| r["token"].as_str())
        .unwrap_or_else(|| panic!("attack record {id} with a token"))
        .to_owned()
}

#[test]
fn decode_handles_vector_tokens() {
    let dir = TempDir::new().expect("tempdir");
    let home = dir.path().join("home");

    let out = jwtctl(&home)
        .args(["decode", "--json"])
        .write_stdin(attack_token("valid-hs256"))
        .output()
        .expect("run jwtctl decode");
    assert_eq!(
        out.status.code(),
        Some(0),
        "decode valid-hs256 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decoded: Value = serde_json::from_slice(&out.stdout).expect("decode --json prints JSON");
    assert_eq!(decoded["header"]["alg"], "HS256", "decoded: {decoded}");

    let out = jwtctl(&home)
        .arg("decode")
        .write_stdin(attack_token("hdr-not-json"))
        .output()
        .expect("run jwtctl decode");
    assert_eq!(
        out.status.code(),
        Some(3),
        "decode hdr-not-json: stderr {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty(),
        "decode of a malformed header printed to stdout"
    );
}
