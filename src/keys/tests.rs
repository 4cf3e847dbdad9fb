//! Unit tests of key parsing, strength checks, thumbprints and generation.

use super::*;

fn rsa() -> Key {
    generate(KeySpec::Rsa {
        bits: 2048,
        alg: Alg::Rs256,
    })
    .unwrap()
}

#[test]
fn rfc7638_thumbprint_example() {
    // RFC 7638 §3.1.
    let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    let jwk = format!(r#"{{"kty":"RSA","n":"{n}","e":"AQAB","alg":"RS256","kid":"2011-04-29"}}"#);
    let key = parse(jwk.as_bytes()).unwrap().keys.remove(0);
    assert_eq!(
        key.thumbprint(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
    assert_eq!(key.kid.as_deref(), Some("2011-04-29"));
    assert_eq!(key.algorithms(), vec![Alg::Rs256]);
}

#[test]
fn rfc8037_ed25519_thumbprint() {
    let jwk = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    let key = parse(jwk.as_bytes()).unwrap().keys.remove(0);
    assert_eq!(
        key.thumbprint(),
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    );
}

#[test]
fn generated_rsa_round_trips_through_every_format() {
    let key = rsa();
    assert!(key.can_sign());
    let private = key.private_pem().unwrap();
    let public = key.public_pem().unwrap();
    let from_private = parse(private.as_bytes()).unwrap().keys.remove(0);
    let from_public = parse(public.as_bytes()).unwrap().keys.remove(0);
    assert_eq!(from_private.thumbprint(), key.thumbprint());
    assert_eq!(from_public.thumbprint(), key.thumbprint());
    assert!(!from_public.can_sign());

    // PKCS#1 PEM, DER of each, and the public JWK, all give the same key.
    let Material::Rsa {
        n,
        e,
        private: Some(pkcs1),
    } = &key.material
    else {
        unreachable!()
    };
    let pkcs1_public = der::encode(der::SEQUENCE, &[der::uint(n), der::uint(e)].concat());
    for bytes in [
        pem("RSA PRIVATE KEY", pkcs1).into_bytes(),
        pem("RSA PUBLIC KEY", &pkcs1_public).into_bytes(),
        pkcs1.clone(),
        pkcs1_public.clone(),
        key.public_jwk().unwrap().to_string().into_bytes(),
    ] {
        assert_eq!(
            parse(&bytes).unwrap().keys[0].thumbprint(),
            key.thumbprint()
        );
    }
}

#[test]
fn weak_and_wrong_keys_are_refused() {
    assert!(secret(Vec::new()).is_err());
    assert!(secret(b"secret".to_vec()).is_err());
    assert!(secret(vec![7u8; 31]).is_err());
    let ok = secret(vec![7u8; 32]).unwrap();
    assert_eq!(ok.algorithms(), vec![Alg::Hs256]);
    assert!(ok.check_alg(Alg::Hs512).is_err());
    assert!(ok.check_alg(Alg::Rs256).is_err());

    // A public key is never an HMAC secret, in any encoding.
    let key = rsa();
    assert!(secret(key.public_pem().unwrap().into_bytes()).is_err());
    assert!(secret(key.public_jwk().unwrap().to_string().into_bytes()).is_err());

    // RSA-1024 and e = 1.
    let small = format!(
        r#"{{"kty":"RSA","n":"{}","e":"AQAB"}}"#,
        URL_SAFE_NO_PAD.encode([0xc5u8; 128])
    );
    assert!(parse(small.as_bytes()).is_err());
    let e1 = format!(
        r#"{{"kty":"RSA","n":"{}","e":"AQ"}}"#,
        URL_SAFE_NO_PAD.encode([0xc5u8; 256])
    );
    assert!(parse(e1.as_bytes()).is_err());
    assert!(parse(b"not a key").is_err());
    assert!(parse(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").is_err());
}

#[test]
fn jwks_rules() {
    let a = rsa();
    let mut ja = a.public_jwk().unwrap();
    ja["kid"] = "a".into();
    let sets = |keys: Vec<Value>| serde_json::json!({"keys": keys}).to_string();
    let loaded = parse(sets(vec![ja.clone()]).as_bytes()).unwrap();
    assert!(loaded.is_set);
    assert!(
        parse(sets(vec![ja.clone(), ja.clone()]).as_bytes()).is_err(),
        "duplicate kid"
    );
    let oct = serde_json::json!({"kty": "oct", "k": URL_SAFE_NO_PAD.encode([1u8; 32])});
    assert!(
        parse(sets(vec![ja.clone(), oct]).as_bytes()).is_err(),
        "mixed secret and public"
    );
    let mut enc = ja.clone();
    enc["use"] = "enc".into();
    assert!(parse(sets(vec![enc]).as_bytes()).is_err(), "encryption key");
    let mut wrong = ja;
    wrong["alg"] = "ES256".into();
    assert!(
        parse(wrong.to_string().as_bytes()).is_err(),
        "alg of another family"
    );
}

#[test]
fn ec_point_must_be_on_the_curve() {
    let jwk = format!(
        r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#,
        URL_SAFE_NO_PAD.encode([1u8; 32]),
        URL_SAFE_NO_PAD.encode([2u8; 32])
    );
    assert!(parse(jwk.as_bytes()).is_err());
}

#[test]
fn hmac_generation_uses_the_hash_size() {
    for (alg, len) in [(Alg::Hs256, 32), (Alg::Hs384, 48), (Alg::Hs512, 64)] {
        let key = generate(KeySpec::Hmac(alg)).unwrap();
        let Material::Secret(s) = &key.material else {
            unreachable!()
        };
        assert_eq!(s.len(), len);
        assert_ne!(
            s.last(),
            Some(&b'\n'),
            "a secret file loses a trailing newline"
        );
        assert_eq!(key.default_alg(), alg);
        // Read back from a file (no pin), the length alone keeps the algorithm.
        assert_eq!(secret(s.clone()).unwrap().default_alg(), alg);
    }
    assert_ne!(
        generate(KeySpec::Hmac(Alg::Hs256)).unwrap().thumbprint(),
        generate(KeySpec::Hmac(Alg::Hs256)).unwrap().thumbprint()
    );
    assert!(
        generate(KeySpec::Rsa {
            bits: 1024,
            alg: Alg::Rs256
        })
        .is_err()
    );
}

#[test]
fn every_generated_kind_round_trips_through_pem_and_jwk() {
    let specs = [
        (KeySpec::for_alg(Alg::Ps256, 2048).unwrap(), Alg::Ps256),
        (KeySpec::for_alg(Alg::Es256, 2048).unwrap(), Alg::Es256),
        (KeySpec::for_alg(Alg::Es384, 2048).unwrap(), Alg::Es384),
        (KeySpec::for_alg(Alg::EdDsa, 2048).unwrap(), Alg::EdDsa),
    ];
    for (spec, alg) in specs {
        let key = generate(spec).unwrap();
        assert_eq!(key.alg, Some(alg));
        assert_eq!(key.algorithms(), vec![alg]);
        let tp = key.thumbprint();
        let private = parse(key.private_pem().unwrap().as_bytes())
            .unwrap()
            .keys
            .remove(0);
        assert!(private.can_sign(), "{alg}");
        assert_eq!(private.thumbprint(), tp);
        let public = parse(key.public_pem().unwrap().as_bytes())
            .unwrap()
            .keys
            .remove(0);
        assert!(!public.can_sign());
        assert_eq!(public.thumbprint(), tp);
        let jwk = key.public_jwk().unwrap();
        assert_eq!(jwk["alg"], alg.name());
        assert!(jwk.get("d").is_none());
        let from_jwk = parse(jwk.to_string().as_bytes()).unwrap().keys.remove(0);
        assert_eq!(from_jwk.algorithms(), vec![alg], "the JWK's alg pins it");
        // The private JWK gives back the same private key: PKCS#8 bytes are identical.
        let whole = key.private_jwk().unwrap();
        assert!(whole.get("d").is_some());
        let back = parse(whole.to_string().as_bytes()).unwrap().keys.remove(0);
        assert_eq!(
            back.private_pem().unwrap(),
            key.private_pem().unwrap(),
            "{alg}"
        );
    }
    assert!(
        KeySpec::for_alg(Alg::Es512, 2048).is_err(),
        "ES512 keys are not made"
    );
}

#[test]
fn pinned_alg_must_fit_key_and_strength() {
    // RFC 7518 §3.2: HS384 needs 48 bytes, even when the JWK pins it.
    let jwk = |alg: &str, len: usize| {
        format!(
            r#"{{"kty":"oct","alg":"{alg}","k":"{}"}}"#,
            URL_SAFE_NO_PAD.encode(vec![9u8; len])
        )
    };
    assert!(parse(jwk("HS384", 47).as_bytes()).is_err());
    assert!(parse(jwk("HS384", 48).as_bytes()).is_ok());
    let mut key = generate(KeySpec::Ec(Alg::Es256)).unwrap();
    assert!(key.pin(Alg::Es384).is_err(), "P-256 serves ES256 only");
    assert!(key.pin(Alg::Rs256).is_err());
    // Pinning re-checks what depends on the algorithm: a 32-byte secret cannot be HS512.
    let mut short = secret(vec![7u8; 32]).unwrap();
    assert!(
        short
            .pin(Alg::Hs512)
            .unwrap_err()
            .to_string()
            .contains("weak key")
    );
    let mut long = secret(vec![7u8; 64]).unwrap();
    long.pin(Alg::Hs512).unwrap();
    let mut rsa = rsa();
    rsa.pin(Alg::Ps512).unwrap();
    assert_eq!(rsa.algorithms(), vec![Alg::Ps512]);
    assert!(
        rsa.check_alg(Alg::Rs256)
            .unwrap_err()
            .to_string()
            .contains("pinned to PS512")
    );
}

#[test]
fn sets_skip_keys_that_cannot_sign_but_single_jwks_refuse_them() {
    let a = rsa();
    let mut sig = a.public_jwk().unwrap();
    sig["kid"] = "sig".into();
    let mut enc = a.public_jwk().unwrap();
    enc["kid"] = "enc".into();
    enc["use"] = "enc".into();
    enc["alg"] = "RSA-OAEP".into();
    let mut odd = a.public_jwk().unwrap();
    odd["kid"] = "odd".into();
    odd["alg"] = "RS1".into();
    let set = serde_json::json!({"keys": [sig, enc.clone(), odd.clone()]}).to_string();
    let loaded = parse(set.as_bytes()).unwrap();
    assert_eq!(loaded.keys.len(), 1);
    let skipped: Vec<_> = loaded
        .skipped
        .iter()
        .map(|s| s.kid.clone().unwrap())
        .collect();
    assert_eq!(skipped, ["enc", "odd"]);
    assert!(loaded.skipped[1].reason.contains("unsupported algorithm"));

    let err = parse(odd.to_string().as_bytes()).err().unwrap().to_string();
    assert!(err.contains("unsupported algorithm \"RS1\""), "{err}");
    let only_enc = serde_json::json!({"keys": [enc]}).to_string();
    let err = parse(only_enc.as_bytes()).err().unwrap().to_string();
    assert!(err.contains("no key that can serve signatures"), "{err}");

    // A weak member refuses the whole set, naming it.
    let weak = serde_json::json!({"kty": "RSA", "kid": "small", "e": "AQAB",
        "n": URL_SAFE_NO_PAD.encode([0xc5u8; 128])});
    let mut good = a.public_jwk().unwrap();
    good["kid"] = "good".into();
    let err = parse(
        serde_json::json!({"keys": [good, weak]})
            .to_string()
            .as_bytes(),
    )
    .err()
    .unwrap()
    .to_string();
    assert!(
        err.contains("\"small\"") && err.contains("weak key"),
        "{err}"
    );
}

#[test]
fn sec1_and_pkcs1_private_keys_are_read() {
    // SEC1 (RFC 5915) is what `openssl ecparam -genkey` writes; jwt-cli refuses it.
    let key = generate(KeySpec::Ec(Alg::Es384)).unwrap();
    let Material::Ec {
        private: Some(pkcs8),
        ..
    } = &key.material
    else {
        unreachable!()
    };
    let mut r = der::sequence(pkcs8).unwrap();
    r.uint().unwrap();
    der::algorithm_id(&mut r).unwrap();
    let sec1 = r.expect(der::OCTET_STRING).unwrap();
    let pem_text = format!(
        "-----BEGIN EC PARAMETERS-----\nBgUrgQQAIg==\n-----END EC PARAMETERS-----\n{}",
        pem("EC PRIVATE KEY", sec1)
    );
    let back = parse(pem_text.as_bytes()).unwrap().keys.remove(0);
    assert!(back.can_sign());
    assert_eq!(back.thumbprint(), key.thumbprint());
    assert_eq!(back.algorithms(), vec![Alg::Es384]);
}
