//! Differential tests: jwtctl against jsonwebtoken, an independent JWT implementation (a
//! dev-dependency; jwtctl itself does not link it), for every algorithm both support.
//!
//! Per algorithm: `jwtctl keygen --out` makes the key; jsonwebtoken takes the private key from
//! its PKCS#8 PEM and the public key from the JWKS jwtctl wrote. Then, over random claims
//! (strings with escapes, controls, bidi and astral characters; integers to the edges of i64
//! and u64; decimals; nested arrays and objects; optional registered claims):
//!
//! * tokens `jwtctl sign` makes must verify in jsonwebtoken, with exactly the claims given;
//! * tokens jsonwebtoken makes must verify in `jwtctl verify --batch`, with exactly those claims;
//! * every token of both, with one byte changed, must be rejected by both.
//!
//! Any disagreement fails the test. jwtctl runs through `support::jwtctl_process`.

#![allow(clippy::unwrap_used)] // a test panics on setup errors by design

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Tokens each side signs per algorithm: `jwtctl sign` is one process per token.
const TOKENS: usize = 20;
/// Every token carries this audience; both verifiers demand it.
const AUD: &str = "jwtctl-differential";
const SEED: u64 = 0x6a77_7463_746c_d1ff;

macro_rules! differential {
    ($($test:ident: $alg:literal => $jwt:ident,)*) => {$(
        #[test]
        fn $test() {
            check($alg, Algorithm::$jwt);
        }
    )*};
}

differential! {
    hs256_agrees: "HS256" => HS256,
    hs384_agrees: "HS384" => HS384,
    hs512_agrees: "HS512" => HS512,
    rs256_agrees: "RS256" => RS256,
    rs384_agrees: "RS384" => RS384,
    rs512_agrees: "RS512" => RS512,
    ps256_agrees: "PS256" => PS256,
    ps384_agrees: "PS384" => PS384,
    ps512_agrees: "PS512" => PS512,
    es256_agrees: "ES256" => ES256,
    es384_agrees: "ES384" => ES384,
    eddsa_agrees: "EdDSA" => EdDSA,
}

fn now() -> i64 {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(d.as_secs()).unwrap()
}

/// The built binary in `home`, on the clock `now`, with nothing inherited that changes it.
fn jwtctl(home: &Path, now: i64) -> Command {
    let mut cmd = crate::support::jwtctl_process(home);
    cmd.env("JWTCTL_NOW", now.to_string());
    cmd
}

fn run(cmd: &mut Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&bytes));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A key as both implementations take it.
struct Keys {
    /// jwtctl's key flags for `sign` and for `verify`.
    sign_args: Vec<String>,
    verify_args: Vec<String>,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

/// `jwtctl keygen --alg ALG --out DIR`, then the files it wrote, read for jsonwebtoken without
/// jwtctl's help: the private key from its PEM, the public key from its JWKS.
fn keygen(dir: &Path, home: &Path, now: i64, alg: &str) -> Keys {
    let out = run(
        jwtctl(home, now)
            .args(["-q", "keygen", "--alg", alg, "--out"])
            .arg(dir),
        b"",
    );
    assert!(out.status.success(), "keygen {alg}: {}", text(&out.stderr));
    let file = |suffix: &str| -> Option<PathBuf> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(suffix))
    };
    if let Some(secret) = file(".secret") {
        let bytes = std::fs::read(&secret).unwrap();
        // The file's bytes are the secret, minus one trailing newline (DECISIONS §2).
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
        let path = secret.display().to_string();
        return Keys {
            sign_args: vec![
                "--secret-file".into(),
                path.clone(),
                "--alg".into(),
                alg.into(),
            ],
            verify_args: vec!["--secret-file".into(), path, "--alg".into(), alg.into()],
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
        };
    }
    let private = file(".key.pem").expect("a private PEM");
    let public = file(".pub.pem").expect("a public PEM");
    let jwks = file(".jwks.json").expect("a JWKS");

    let pkcs8 = pem_der(&std::fs::read_to_string(&private).unwrap(), "PRIVATE KEY");
    let encoding = match alg {
        "ES256" | "ES384" => EncodingKey::from_ec_der(&pkcs8),
        "EdDSA" => EncodingKey::from_ed_der(&pkcs8),
        // jsonwebtoken takes RSA private keys as PKCS#1 only: the RSAPrivateKey inside PKCS#8.
        _ => EncodingKey::from_rsa_der(&pkcs8_inner(&pkcs8)),
    };
    let set: JwkSet = serde_json::from_str(&std::fs::read_to_string(&jwks).unwrap()).unwrap();
    assert_eq!(set.keys.len(), 1, "one key in {}", jwks.display());
    let jwk = &set.keys[0];
    assert_eq!(
        jwk.common.key_algorithm.map(|a| a.to_string()).as_deref(),
        Some(alg),
        "the JWK is pinned to {alg}"
    );
    let decoding = DecodingKey::from_jwk(jwk).unwrap();
    Keys {
        sign_args: vec![
            "--key".into(),
            private.display().to_string(),
            "--alg".into(),
            alg.into(),
        ],
        verify_args: vec![
            "--key".into(),
            public.display().to_string(),
            "--alg".into(),
            alg.into(),
        ],
        encoding,
        decoding,
    }
}

/// The DER inside a PEM block with this label.
fn pem_der(pem: &str, label: &str) -> Vec<u8> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let body = pem
        .split_once(&begin)
        .and_then(|(_, rest)| rest.split_once(&end))
        .unwrap_or_else(|| panic!("no {label} block in {pem}"))
        .0;
    let b64: String = body.split_whitespace().collect();
    STANDARD.decode(b64).unwrap()
}

/// One DER TLV at the start of `der`: (tag, contents, rest).
fn tlv(der: &[u8]) -> (u8, &[u8], &[u8]) {
    let (tag, first) = (der[0], der[1]);
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        let len = der[2..2 + n]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, 2 + n)
    };
    (tag, &der[header..header + len], &der[header + len..])
}

/// The privateKey OCTET STRING of a PKCS#8 PrivateKeyInfo (RFC 5208 §5).
fn pkcs8_inner(pkcs8: &[u8]) -> Vec<u8> {
    let (tag, info, _) = tlv(pkcs8);
    assert_eq!(tag, 0x30, "PrivateKeyInfo is a SEQUENCE");
    let (_version, _, rest) = tlv(info);
    let (_algorithm, _, rest) = tlv(rest);
    let (tag, key, _) = tlv(rest);
    assert_eq!(tag, 0x04, "privateKey is an OCTET STRING");
    key.to_vec()
}

/// splitmix64: small, deterministic, good enough to vary test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap()]
    }

    /// Up to 12 pieces of text: ASCII, JSON escapes, controls, bidi and zero-width characters,
    /// accents, CJK, astral-plane characters, emoji sequences.
    fn string(&mut self) -> String {
        #[rustfmt::skip]
        const PIECES: &[&str] = &[
            "a", "Z", "0", "9", " ", "-", "_", ".", "~", "=", "&", "<", ">", "'", "%00", "\"",
            "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1f}", "\u{7f}", "\u{85}", "é",
            "ß", "ø", "Ω", "中", "文", "ア", "ع", "\u{202e}", "\u{2066}", "\u{200b}",
            "\u{200d}", "\u{feff}", "\u{fffd}", "\u{ffff}", "𝄞", "🔑", "👩\u{200d}💻",
            "\u{10ffff}", "null", "true", "1e3", "{}", "[]",
        ];
        let len = self.below(13);
        (0..len).map(|_| *self.pick(PIECES)).collect()
    }

    /// Integers across the whole i64 and u64 ranges, with their edges and the f64 limit.
    fn integer(&mut self) -> Value {
        match self.below(6) {
            0 => Value::from(i64::try_from(self.below(2001)).unwrap() - 1000),
            1 => Value::from(self.next() as i64),
            2 => Value::from(self.next() | (1 << 63)), // above i64::MAX
            3 => Value::from(*self.pick(&[
                0,
                -1,
                i64::MIN,
                i64::MAX,
                (1 << 53) - 1,
                1 << 53,
                (1 << 53) + 1,
                -(1 << 53) - 1,
            ])),
            4 => Value::from(u64::MAX),
            _ => Value::from(self.below(1 << 32)),
        }
    }

    /// A decimal of at most 13 significant digits, which every JSON parser reads exactly.
    fn decimal(&mut self) -> Value {
        let sign = if self.chance(40) { "-" } else { "" };
        let int = self.below(1_000_000);
        let digits = usize::try_from(self.below(6) + 1).unwrap();
        let frac = self.below(10u64.pow(u32::try_from(digits).unwrap()));
        let x: f64 = format!("{sign}{int}.{frac:0digits$}").parse().unwrap();
        Value::from(x)
    }

    fn value(&mut self, depth: u32) -> Value {
        let kinds = if depth >= 3 { 5 } else { 7 };
        match self.below(kinds) {
            0 => Value::Null,
            1 => Value::Bool(self.chance(50)),
            2 => self.integer(),
            3 => self.decimal(),
            4 => Value::String(self.string()),
            5 => (0..self.below(5)).map(|_| self.value(depth + 1)).collect(),
            _ => Value::Object(
                (0..self.below(5))
                    .map(|_| (self.string(), self.value(depth + 1)))
                    .collect(),
            ),
        }
    }

    /// A claims object both verifiers must accept at `now`: `exp` ahead, `aud` naming [`AUD`],
    /// `nbf`/`iat` (when present) behind, string `iss`/`sub`/`jti`, and 1 to 6 private claims.
    fn claims(&mut self, now: i64) -> Map<String, Value> {
        let mut claims = Map::new();
        let ahead = i64::try_from(self.below(10 * 365 * 86_400)).unwrap();
        claims.insert("exp".into(), (now + 3_600 + ahead).into());
        let aud: Value = if self.chance(50) {
            AUD.into()
        } else {
            let mut list: Vec<Value> = (0..self.below(3)).map(|_| self.string().into()).collect();
            let at = usize::try_from(self.below(list.len() as u64 + 1)).unwrap();
            list.insert(at, AUD.into());
            list.into()
        };
        claims.insert("aud".into(), aud);
        for name in ["nbf", "iat"] {
            if self.chance(50) {
                let behind = i64::try_from(self.below(100 * 86_400)).unwrap();
                claims.insert(name.into(), (now - 60 - behind).into());
            }
        }
        for name in ["iss", "sub", "jti"] {
            if self.chance(50) {
                claims.insert(name.into(), self.string().into());
            }
        }
        for _ in 0..=self.below(6) {
            // A prefix keeps private names clear of the registered ones.
            claims.insert(format!("x-{}", self.string()), self.value(0));
        }
        claims
    }

    /// `token` with one character, not a dot, replaced by another base64url character.
    fn tamper(&mut self, token: &str) -> String {
        const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut bytes = token.as_bytes().to_vec();
        let at = loop {
            let at = usize::try_from(self.below(bytes.len() as u64)).unwrap();
            if bytes[at] != b'.' {
                break at;
            }
        };
        let was = bytes[at];
        bytes[at] = loop {
            let b = *self.pick(B64URL);
            if b != was {
                break b;
            }
        };
        String::from_utf8(bytes).unwrap()
    }
}

fn validation(alg: Algorithm) -> Validation {
    let mut v = Validation::new(alg);
    v.set_audience(&[AUD]);
    v.required_spec_claims = HashSet::from(["exp".to_owned(), "aud".to_owned()]);
    v.validate_nbf = true;
    v.leeway = 0;
    v
}

/// jsonwebtoken's verdict: the claims, or why it refused.
fn jsonwebtoken_verify(token: &str, keys: &Keys, alg: Algorithm) -> Result<Value, String> {
    jsonwebtoken::decode::<Value>(token, &keys.decoding, &validation(alg))
        .map(|data| {
            assert_eq!(data.header.alg, alg, "header alg of {token}");
            assert_eq!(
                data.header.typ.as_deref(),
                Some("JWT"),
                "header typ of {token}"
            );
            data.claims
        })
        .map_err(|e| e.to_string())
}

/// `jwtctl verify --batch` over `tokens`: its exit status and one result object per token.
fn jwtctl_verify(home: &Path, now: i64, keys: &Keys, tokens: &[String]) -> (i32, Vec<Value>) {
    let input = tokens.join("\n") + "\n";
    let out = run(
        jwtctl(home, now)
            .args(["verify", "--batch", "--aud", AUD])
            .args(&keys.verify_args),
        input.as_bytes(),
    );
    let stdout = text(&out.stdout);
    let results: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert_eq!(
        results.len(),
        tokens.len(),
        "one result per token:\n{stdout}\n{}",
        text(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), results)
}

fn check(alg: &str, jwt_alg: Algorithm) {
    let dir = tempfile::TempDir::new().unwrap();
    let home = dir.path().join("home");
    let now = now();
    let keys = keygen(&dir.path().join("keys"), &home, now, alg);
    let seed = SEED
        ^ alg
            .bytes()
            .fold(0u64, |h, b| h.rotate_left(8) ^ u64::from(b));
    let mut rng = Rng(seed);
    let context =
        |i: usize, who: &str| format!("{alg}, token {i} signed by {who} (seed {seed:#x})");

    let claims: Vec<Map<String, Value>> = (0..2 * TOKENS).map(|_| rng.claims(now)).collect();
    let (by_jwtctl, by_oracle) = claims.split_at(TOKENS);

    // (a) jwtctl signs; jsonwebtoken verifies and decodes exactly the claims given.
    let mut tokens: Vec<String> = by_jwtctl
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut cmd = jwtctl(&home, now);
            cmd.arg("sign")
                .args(&keys.sign_args)
                .args(["--claims", "-"]);
            if !c.contains_key("iat") {
                cmd.arg("--no-iat");
            }
            let out = run(&mut cmd, &serde_json::to_vec(c).unwrap());
            assert!(
                out.status.success(),
                "{}: jwtctl sign failed: {}\nclaims: {}",
                context(i, "jwtctl"),
                text(&out.stderr),
                Value::Object(c.clone())
            );
            let token = text(&out.stdout).trim_end().to_owned();
            match jsonwebtoken_verify(&token, &keys, jwt_alg) {
                Ok(decoded) => assert_eq!(
                    decoded,
                    Value::Object(c.clone()),
                    "{}: jsonwebtoken decoded other claims\ntoken: {token}",
                    context(i, "jwtctl")
                ),
                Err(e) => panic!(
                    "{}: jsonwebtoken rejected it: {e}\ntoken: {token}",
                    context(i, "jwtctl")
                ),
            }
            token
        })
        .collect();

    // (b) jsonwebtoken signs; jwtctl verifies (below, in one batch with jwtctl's own tokens).
    for c in by_oracle {
        let token = jsonwebtoken::encode(&Header::new(jwt_alg), c, &keys.encoding).unwrap();
        tokens.push(token);
    }
    let (status, results) = jwtctl_verify(&home, now, &keys, &tokens);
    for (i, (result, expected)) in results.iter().zip(&claims).enumerate() {
        let who = if i < TOKENS { "jwtctl" } else { "jsonwebtoken" };
        assert_eq!(
            result["valid"],
            Value::Bool(true),
            "{}: jwtctl verify rejected it: {result}\ntoken: {}",
            context(i, who),
            tokens[i]
        );
        assert_eq!(
            result["claims"],
            Value::Object(expected.clone()),
            "{}: jwtctl verify decoded other claims\ntoken: {}",
            context(i, who),
            tokens[i]
        );
    }
    assert_eq!(status, 0, "{alg}: every token verified, so exit 0");

    // (c) One byte changed in each token: both must refuse every one.
    let tampered: Vec<String> = tokens.iter().map(|t| rng.tamper(t)).collect();
    for (i, t) in tampered.iter().enumerate() {
        let who = if i < TOKENS { "jwtctl" } else { "jsonwebtoken" };
        if let Ok(claims) = jsonwebtoken_verify(t, &keys, jwt_alg) {
            panic!(
                "{}, tampered: jsonwebtoken accepted it with {claims}\ntoken: {t}",
                context(i, who)
            );
        }
    }
    let (status, results) = jwtctl_verify(&home, now, &keys, &tampered);
    for (i, result) in results.iter().enumerate() {
        let who = if i < TOKENS { "jwtctl" } else { "jsonwebtoken" };
        assert_eq!(
            result["valid"],
            Value::Bool(false),
            "{}, tampered: jwtctl verify accepted it: {result}\ntoken: {}",
            context(i, who),
            tampered[i]
        );
        assert!(
            result.get("claims").is_none(),
            "{}, tampered: no claims on failure: {result}",
            context(i, who)
        );
        // A changed byte breaks the encoding (3) or the signature (4), nothing else.
        let code = result["code"].as_i64();
        assert!(
            matches!(code, Some(3 | 4)),
            "{}, tampered: exit 3 or 4 expected: {result}\ntoken: {}",
            context(i, who),
            tampered[i]
        );
    }
    assert!(
        matches!(status, 3 | 4),
        "{alg}: tampered batch exits 3 or 4, not {status}"
    );
}
