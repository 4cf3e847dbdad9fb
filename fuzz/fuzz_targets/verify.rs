//! Fuzzes token parsing and verification. Mode byte even: the rest is a token string. Mode byte
//! odd: the rest is `header JSON \n claims JSON`, wrapped in a correctly signed HS256 token, so the
//! checks behind the signature (typ, claims JSON, claim types and values) are reached.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwtctl::token::{self, Alg, KeySet, Policy};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

const SECRET: &[u8] = b"fuzz-secret-fuzz-secret-fuzz-sec";
const NOW: i64 = 1_700_000_000;

static KEYS: LazyLock<KeySet> = LazyLock::new(|| {
    let key = jwtctl::keys::secret(SECRET.to_vec()).expect("valid secret");
    KeySet::single(jwtctl::verifier::verify_key(&key).expect("key"))
});

fn policy() -> Policy {
    Policy {
        algorithms: vec![Alg::Hs256],
        leeway: 60,
        audiences: vec!["api".into()],
        issuers: vec!["iss".into()],
        ..Policy::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let token = if mode % 2 == 0 {
        let Ok(text) = std::str::from_utf8(rest) else { return };
        jwtctl::input::clean_token(text).to_owned()
    } else {
        let (header, claims) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (&br#"{"alg":"HS256"}"#[..], rest),
        };
        let input = format!("{}.{}", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(claims));
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, SECRET);
        let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    };
    let _ = token::decode_unverified(&token);
    if let Ok(v) = token::verify(&token, &KEYS, &policy(), NOW) {
        // Whatever passed must satisfy the policy it was checked against.
        let exp = v.claims.get("exp").and_then(serde_json::Value::as_f64);
        assert!(exp.is_some_and(|e| e + 60.0 > NOW as f64), "accepted an expired token: {token}");
        assert_eq!(v.claims.get("iss").and_then(serde_json::Value::as_str), Some("iss"));
    }
});
