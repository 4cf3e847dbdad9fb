//! Unit tests of the token module, all at a fixed `now`.

use super::*;
use crate::keys;
use serde_json::json;

const NOW: i64 = 1_700_000_000;
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

fn map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("test maps are objects"),
    }
}

fn hs_key() -> (SignKey, KeySet) {
    let key = keys::secret(SECRET.to_vec()).unwrap();
    let sign = SignKey::new(&key, Alg::Hs256).unwrap();
    (
        sign,
        KeySet::single(crate::token::verify::verify_key(&key).unwrap()),
    )
}

fn policy() -> Policy {
    Policy {
        algorithms: vec![Alg::Hs256],
        ..Policy::default()
    }
}

fn mint(header: Value, claims: Value) -> String {
    sign(&map(header), &map(claims), &hs_key().0).unwrap()
}

fn check(token: &str, policy: &Policy) -> Result<Verified, Rejection> {
    verify(token, &hs_key().1, policy, NOW)
}

fn reason(token: &str, policy: &Policy) -> Reason {
    check(token, policy).unwrap_err().reason
}

/// A signer is parsed once and signs any number of tokens (login and refresh sign two), for
/// every key family; each token verifies and carries its own claims.
#[test]
fn one_signer_signs_many_tokens() {
    use crate::keys::KeySpec;
    let specs = [
        (
            KeySpec::Rsa {
                bits: 2048,
                alg: Alg::Rs256,
            },
            Alg::Rs256,
        ),
        (
            KeySpec::Rsa {
                bits: 2048,
                alg: Alg::Ps256,
            },
            Alg::Ps256,
        ),
        (KeySpec::Ec(Alg::Es384), Alg::Es384),
        (KeySpec::Ed25519, Alg::EdDsa),
        (KeySpec::Hmac(Alg::Hs512), Alg::Hs512),
    ];
    for (spec, alg) in specs {
        let key = keys::generate(spec).unwrap();
        let signer = SignKey::new(&key, alg).unwrap();
        let set = KeySet::single(crate::token::verify::verify_key(&key).unwrap());
        let policy = Policy {
            algorithms: vec![alg],
            ..Policy::default()
        };
        for sub in ["a", "b", "c"] {
            let header = map(json!({"alg": alg.name()}));
            let token = sign(&header, &map(json!({"sub": sub, "exp": NOW + 60})), &signer).unwrap();
            let verified = verify(&token, &set, &policy, NOW).unwrap();
            assert_eq!(verified.claims["sub"], sub, "{alg}");
        }
    }
}

#[test]
fn round_trip() {
    let t = mint(
        json!({"alg": "HS256", "typ": "JWT"}),
        json!({"sub": "1", "exp": NOW + 60}),
    );
    let v = check(&t, &policy()).unwrap();
    assert_eq!(v.claims["sub"], "1");
    assert_eq!(v.header["typ"], "JWT");
}

#[test]
fn structure_is_strict() {
    let t = mint(json!({"alg": "HS256"}), json!({"exp": NOW + 60}));
    let (h, rest) = t.split_once('.').unwrap();
    for bad in [
        String::new(),
        format!("{h}.{rest}.x"),
        format!(".{rest}"),
        format!("{h}=.{rest}"),
        format!(" {t}"),
        format!("{h}.{}", rest.replace('.', ".+")),
        "a".repeat(MAX_TOKEN_BYTES + 1),
    ] {
        assert_eq!(reason(&bad, &policy()), Reason::Malformed, "{bad:.40}");
    }
}

#[test]
fn each_reason_has_its_case() {
    let p = policy();
    let mk = |c: Value| mint(json!({"alg": "HS256"}), c);
    assert_eq!(
        reason(&mk(json!({"exp": NOW})), &p),
        Reason::Expired,
        "exp == now is expired"
    );
    assert_eq!(
        reason(&mk(json!({"exp": NOW + 60, "nbf": NOW + 1})), &p),
        Reason::NotYetValid
    );
    assert_eq!(
        reason(&mk(json!({"exp": NOW + 60, "iat": NOW + 1})), &p),
        Reason::NotYetValid
    );
    assert_eq!(
        reason(&mk(json!({"sub": "x"})), &p),
        Reason::Claim,
        "exp is required"
    );
    assert_eq!(reason(&mk(json!({"exp": "never"})), &p), Reason::Claim);
    assert_eq!(
        reason(&mk(json!({"exp": NOW + 60, "nbf": null})), &p),
        Reason::Claim
    );
    assert_eq!(
        reason(&mk(json!({"exp": NOW + 60, "aud": 5})), &p),
        Reason::Claim
    );
    assert_eq!(reason(&mk(json!({"exp": 1e300})), &p), Reason::Claim);
    let t = mk(json!({"exp": NOW + 60}));
    let forged = format!("{}A", &t[..t.len() - 1]);
    let forged = if forged == t {
        format!("{}B", &t[..t.len() - 1])
    } else {
        forged
    };
    assert_eq!(reason(&forged, &p), Reason::Signature);
}

#[test]
fn forged_expired_token_is_a_signature_failure() {
    let t = mint(json!({"alg": "HS256"}), json!({"exp": NOW - 100}));
    let (si, _) = t.rsplit_once('.').unwrap();
    let forged = format!("{si}.{}", "A".repeat(43));
    assert_eq!(reason(&forged, &policy()), Reason::Signature);
}

#[test]
fn algorithms_are_pinned_and_none_is_refused() {
    let t = mint(json!({"alg": "HS256"}), json!({"exp": NOW + 60}));
    let only_384 = Policy {
        algorithms: vec![Alg::Hs384],
        ..Policy::default()
    };
    assert_eq!(reason(&t, &only_384), Reason::Signature);
    let (_, rest) = t.split_once('.').unwrap();
    for alg in ["none", "None", "nOnE", "hs256", "HS256 ", "ES512"] {
        let h = URL_SAFE_NO_PAD.encode(json!({"alg": alg}).to_string());
        assert_eq!(
            reason(&format!("{h}.{rest}"), &policy()),
            Reason::Signature,
            "{alg}"
        );
    }
    for header in [
        json!({}),
        json!({"alg": null}),
        json!({"alg": 256}),
        json!({"alg": "HS256", "kid": {}}),
    ] {
        let h = URL_SAFE_NO_PAD.encode(header.to_string());
        assert_eq!(
            reason(&format!("{h}.{rest}"), &policy()),
            Reason::Malformed,
            "{header}"
        );
    }
}

#[test]
fn crit_rules() {
    let c = json!({"exp": NOW + 60});
    let r = |h: Value| reason(&mint(h, c.clone()), &policy());
    assert_eq!(
        r(json!({"alg": "HS256", "crit": ["x"], "x": 1})),
        Reason::Claim
    );
    assert_eq!(r(json!({"alg": "HS256", "crit": ["x"]})), Reason::Claim);
    assert_eq!(r(json!({"alg": "HS256", "crit": []})), Reason::Malformed);
    assert_eq!(
        r(json!({"alg": "HS256", "crit": ["alg"]})),
        Reason::Malformed
    );
    assert_eq!(r(json!({"alg": "HS256", "crit": "x"})), Reason::Malformed);
    assert_eq!(r(json!({"alg": "HS256", "b64": false})), Reason::Malformed);
    assert_eq!(
        r(json!({"alg": "HS256", "b64": false, "crit": ["b64"]})),
        Reason::Claim
    );
}

#[test]
fn typ_is_explicit() {
    let c = json!({"exp": NOW + 60});
    let at = Policy {
        typ: Some("at+jwt".into()),
        ..policy()
    };
    assert!(
        check(
            &mint(
                json!({"alg": "HS256", "typ": "application/AT+JWT"}),
                c.clone()
            ),
            &at
        )
        .is_ok()
    );
    assert_eq!(
        reason(&mint(json!({"alg": "HS256", "typ": "JWT"}), c.clone()), &at),
        Reason::Claim
    );
    assert_eq!(
        reason(&mint(json!({"alg": "HS256"}), c.clone()), &at),
        Reason::Claim
    );
    let rt = mint(json!({"alg": "HS256", "typ": "refresh+jwt"}), c);
    let rejection = check(&rt, &policy()).unwrap_err();
    assert_eq!(rejection.reason, Reason::Claim);
    assert!(rejection.hint.unwrap().contains("--typ refresh+jwt"));
}

#[test]
fn audience_issuer_subject() {
    let p = Policy {
        audiences: vec!["api".into()],
        issuers: vec!["iss".into()],
        subject: Some("s".into()),
        ..policy()
    };
    let mk = |c: Value| mint(json!({"alg": "HS256"}), c);
    assert!(
        check(
            &mk(json!({"exp": NOW + 60, "aud": ["x", "api"], "iss": "iss", "sub": "s"})),
            &p
        )
        .is_ok()
    );
    for c in [
        json!({"exp": NOW + 60, "aud": "API", "iss": "iss", "sub": "s"}),
        json!({"exp": NOW + 60, "aud": [], "iss": "iss", "sub": "s"}),
        json!({"exp": NOW + 60, "iss": "iss", "sub": "s"}),
        json!({"exp": NOW + 60, "aud": "api", "sub": "s"}),
        json!({"exp": NOW + 60, "aud": "api", "iss": "iss/", "sub": "s"}),
        json!({"exp": NOW + 60, "aud": "api", "iss": "iss", "sub": "t"}),
        json!({"exp": NOW + 60, "aud": ["api", 1], "iss": "iss", "sub": "s"}),
    ] {
        assert_eq!(reason(&mk(c.clone()), &p), Reason::Claim, "{c}");
    }
    let with_aud = mk(json!({"exp": NOW + 60, "aud": "api"}));
    let r = check(&with_aud, &policy()).unwrap_err();
    assert!(r.hint.unwrap().contains("--aud"));
}

#[test]
fn leeway_is_bounded_and_never_overflows() {
    let t = mint(json!({"alg": "HS256"}), json!({"exp": NOW - 30}));
    assert!(
        check(
            &t,
            &Policy {
                leeway: 60,
                ..policy()
            }
        )
        .is_ok()
    );
    let huge = Policy {
        leeway: u64::MAX,
        ..policy()
    };
    let old = mint(json!({"alg": "HS256"}), json!({"exp": NOW - 3600}));
    assert_eq!(
        reason(&old, &huge),
        Reason::Expired,
        "leeway is clamped to 5m"
    );
    let max = mint(json!({"alg": "HS256"}), json!({"exp": u64::MAX}));
    assert_eq!(reason(&max, &huge), Reason::Claim);
}

#[test]
fn key_sets_choose_by_exact_kid() {
    let key = keys::secret(SECRET.to_vec()).unwrap();
    let other = keys::secret(b"another-secret-another-secret-xx".to_vec()).unwrap();
    let vk = |k: &keys::Key, kid: &str| {
        let mut k = k.clone();
        k.kid = Some(kid.into());
        crate::token::verify::verify_key(&k).unwrap()
    };
    let set = KeySet {
        keys: vec![vk(&other, "a"), vk(&key, "b")],
        by_kid: true,
        default: None,
        unusable: vec![("old".into(), "it was retired".into())],
    };
    let t = mint(
        json!({"alg": "HS256", "kid": "b"}),
        json!({"exp": NOW + 60}),
    );
    assert!(verify(&t, &set, &policy(), NOW).is_ok());
    for kid in ["../b", "B", "b\u{0}"] {
        let t = mint(
            json!({"alg": "HS256", "kid": kid}),
            json!({"exp": NOW + 60}),
        );
        assert_eq!(
            verify(&t, &set, &policy(), NOW).unwrap_err().reason,
            Reason::Signature
        );
    }
    let no_kid = mint(json!({"alg": "HS256"}), json!({"exp": NOW + 60}));
    assert!(
        verify(&no_kid, &set, &policy(), NOW)
            .unwrap_err()
            .message
            .contains("no kid and 2 keys")
    );
    let retired = mint(
        json!({"alg": "HS256", "kid": "old"}),
        json!({"exp": NOW + 60}),
    );
    assert!(
        verify(&retired, &set, &policy(), NOW)
            .unwrap_err()
            .message
            .contains("it was retired")
    );
    // Without a kid, the one key that can serve the token's alg is used.
    let one = KeySet {
        keys: vec![vk(&key, "b")],
        by_kid: true,
        default: None,
        unusable: Vec::new(),
    };
    assert!(verify(&no_kid, &one, &policy(), NOW).is_ok());
}

#[test]
fn decode_shows_unsigned_tokens() {
    let h = URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#);
    let p = URL_SAFE_NO_PAD.encode(r#"{"sub":"admin"}"#);
    let d = decode_unverified(&format!("{h}.{p}.")).unwrap();
    assert_eq!(d.claims["sub"], "admin");
    assert!(d.signature.is_empty());
    let dup = URL_SAFE_NO_PAD.encode(r#"{"sub":"a","sub":"b"}"#);
    assert_eq!(
        decode_unverified(&format!("{h}.{dup}."))
            .unwrap_err()
            .reason,
        Reason::Malformed
    );
}

#[test]
fn a_public_key_cannot_sign() {
    let key = keys::generate(keys::KeySpec::Ec(Alg::Es256)).unwrap();
    let public = keys::parse(key.public_pem().unwrap().as_bytes())
        .unwrap()
        .keys
        .remove(0);
    assert!(crate::token::sign::Signer::for_key(&public, public.default_alg()).is_err());
    assert!(SignKey::new(&key, key.default_alg()).is_ok());
}
