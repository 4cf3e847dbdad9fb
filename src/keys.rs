//! Keys: recognised by content (PEM, DER, JWK, JWKS; never by file name), checked for strength,
//! generated, and written out as PEM and JWK (DECISIONS §3).
//!
//! Every key becomes one [`Key`]: its public numbers, its private part when present, and what
//! it may be used for. The key, not the token header, decides the algorithm family (RFC 8725
//! §3.1); a JWK's `alg` narrows it to one algorithm.

use crate::der;
use crate::exit::{Exit, fail};
use crate::token::{Alg, Family};
use anyhow::Result;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{self as sig, KeyPair as _};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value};

/// Smallest RSA modulus accepted anywhere (RFC 7518 §3.3, NIST SP 800-131A).
pub const MIN_RSA_BITS: usize = 2048;

/// The elliptic curves jwtctl recognises. P-521 (ES512) is recognised but not supported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }
    fn oid(self) -> &'static [u8] {
        match self {
            Curve::P256 => der::OID_P256,
            Curve::P384 => der::OID_P384,
            Curve::P521 => der::OID_P521,
        }
    }
    fn from_oid(oid: &[u8]) -> Option<Curve> {
        [Curve::P256, Curve::P384, Curve::P521]
            .into_iter()
            .find(|c| c.oid() == oid)
    }
    fn from_name(name: &str) -> Option<Curve> {
        [Curve::P256, Curve::P384, Curve::P521]
            .into_iter()
            .find(|c| c.name() == name)
    }
    fn alg(self) -> Alg {
        match self {
            Curve::P256 => Alg::Es256,
            Curve::P384 => Alg::Es384,
            Curve::P521 => Alg::Es512,
        }
    }
    fn signing(self) -> &'static sig::EcdsaSigningAlgorithm {
        match self {
            Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
            Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
            Curve::P521 => &sig::ECDSA_P521_SHA512_FIXED_SIGNING,
        }
    }
    fn verifying(self) -> &'static sig::EcdsaVerificationAlgorithm {
        match self {
            Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED,
            Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED,
            Curve::P521 => &sig::ECDSA_P521_SHA512_FIXED,
        }
    }
}

/// The numbers of a key. Private parts are in the form the signer takes: PKCS#1 DER for RSA,
/// PKCS#8 DER for EC and Ed25519, raw bytes for an HMAC secret.
#[derive(Clone)]
pub enum Material {
    Secret(Vec<u8>),
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
        private: Option<Vec<u8>>,
    },
    Ec {
        curve: Curve,
        x: Vec<u8>,
        y: Vec<u8>,
        private: Option<Vec<u8>>,
    },
    Ed {
        x: Vec<u8>,
        private: Option<Vec<u8>>,
    },
}

/// A key, its optional `kid`, and the one algorithm it is pinned to, if any.
#[derive(Clone)]
pub struct Key {
    pub material: Material,
    pub kid: Option<String>,
    pub alg: Option<Alg>,
}

fn key_err(msg: impl Into<String>) -> anyhow::Error {
    fail(Exit::Key, msg)
}

fn b64u(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

impl Key {
    fn new(material: Material) -> Self {
        Key {
            material,
            kid: None,
            alg: None,
        }
    }

    /// The key's family.
    #[must_use]
    pub fn family(&self) -> Family {
        match self.material {
            Material::Secret(_) => Family::Hmac,
            Material::Rsa { .. } => Family::Rsa,
            Material::Ec { .. } => Family::Ec,
            Material::Ed { .. } => Family::Ed,
        }
    }

    /// Whether the key holds private (or secret) material and so can sign.
    #[must_use]
    pub fn can_sign(&self) -> bool {
        match &self.material {
            Material::Secret(_) => true,
            Material::Rsa { private, .. }
            | Material::Ec { private, .. }
            | Material::Ed { private, .. } => private.is_some(),
        }
    }

    /// The algorithms this key may serve: its pinned `alg`, else every algorithm of its family
    /// that it is strong enough for (HMAC: secret at least the hash size; EC: its curve's).
    #[must_use]
    pub fn algorithms(&self) -> Vec<Alg> {
        if let Some(alg) = self.alg {
            return vec![alg];
        }
        match &self.material {
            Material::Secret(s) => [Alg::Hs256, Alg::Hs384, Alg::Hs512]
                .into_iter()
                .filter(|a| s.len() >= a.min_secret_len())
                .collect(),
            Material::Rsa { .. } => Alg::ALL
                .into_iter()
                .filter(|a| a.family() == Family::Rsa)
                .collect(),
            Material::Ec { curve, .. } => vec![curve.alg()],
            Material::Ed { .. } => vec![Alg::EdDsa],
        }
    }

    /// The algorithm `sign` uses when `--alg` is not given: the pinned one, else the first of
    /// the family (RS256, the curve's ES), and for a secret the strongest its length allows, so
    /// a secret from `keygen --hs512` signs HS512 when read back from its file.
    #[must_use]
    pub fn default_alg(&self) -> Alg {
        let algs = self.algorithms();
        let pick = match self.material {
            Material::Secret(_) => algs.last(),
            _ => algs.first(),
        };
        pick.copied().unwrap_or(Alg::Hs256)
    }

    /// Refuses `alg` for this key, with the reason, when the key cannot serve it (exit 11).
    pub fn check_alg(&self, alg: Alg) -> Result<()> {
        if self.algorithms().contains(&alg) {
            return Ok(());
        }
        if let Material::Secret(s) = &self.material
            && alg.family() == Family::Hmac
        {
            return Err(key_err(format!(
                "weak key: {alg} needs a secret of at least {} bytes, this one has {}",
                alg.min_secret_len(),
                s.len()
            )));
        }
        let can: Vec<&str> = self.algorithms().iter().map(|a| a.name()).collect();
        Err(key_err(format!(
            "{} cannot serve {alg} (it can serve: {})",
            self.describe(),
            if can.is_empty() {
                "nothing jwtctl supports".to_owned()
            } else {
                can.join(", ")
            }
        )))
    }

    /// A few words naming the key, never its material: "an RSA-2048 public key".
    #[must_use]
    pub fn describe(&self) -> String {
        let part = if self.can_sign() { "private" } else { "public" };
        match &self.material {
            Material::Secret(s) => format!("a {}-byte HMAC secret", s.len()),
            Material::Rsa { n, .. } => format!("an RSA-{} {part} key", bit_len(n)),
            Material::Ec { curve, .. } => format!("an EC {} {part} key", curve.name()),
            Material::Ed { .. } => format!("an Ed25519 {part} key"),
        }
    }

    /// Refuses weak keys (SECURITY.md L1-L3): RSA under 2048 bits or with a bad exponent, HMAC
    /// secrets shorter than the smallest hash, or empty.
    fn check_strength(&self) -> Result<()> {
        match &self.material {
            Material::Secret(s) if s.len() < 32 => Err(key_err(format!(
                "weak key: an HMAC secret must be at least 32 bytes (HS256), this one has {}",
                s.len()
            ))),
            Material::Rsa { n, e, .. } => {
                let bits = bit_len(n);
                if bits < MIN_RSA_BITS {
                    return Err(key_err(format!(
                        "weak key: RSA-{bits} is under the {MIN_RSA_BITS}-bit minimum"
                    )));
                }
                let odd = e.last().is_some_and(|b| b & 1 == 1);
                if e.len() > 8 || !odd || e.as_slice() == [1] {
                    return Err(key_err("weak key: the RSA public exponent is invalid"));
                }
                Ok(())
            }
            _ => {
                if let Some(alg) = self.alg {
                    self.check_alg(alg)?;
                }
                Ok(())
            }
        }
    }

    /// The verifying half as `token::verify` takes it: kid, allowed algorithms, and a parsed
    /// aws-lc verifier per algorithm (see `verifier.rs`).
    pub fn verify_key(&self) -> Result<crate::token::VerifyKey> {
        crate::verifier::verify_key(self)
    }

    /// The key `sign` uses; refuses a public key.
    pub fn encoding_key(&self) -> Result<jsonwebtoken::EncodingKey> {
        use jsonwebtoken::EncodingKey as E;
        let public = || {
            key_err(format!(
                "{} cannot sign: signing needs the private key",
                self.describe()
            ))
        };
        Ok(match &self.material {
            Material::Secret(s) => E::from_secret(s),
            Material::Rsa { private, .. } => E::from_rsa_der(private.as_ref().ok_or_else(public)?),
            Material::Ec { private, .. } => E::from_ec_der(private.as_ref().ok_or_else(public)?),
            Material::Ed { private, .. } => E::from_ed_der(private.as_ref().ok_or_else(public)?),
        })
    }

    /// The members that identify the key, in RFC 7638 order (lexicographic), public only.
    fn required_members(&self) -> Vec<(&'static str, String)> {
        match &self.material {
            Material::Secret(s) => vec![("k", b64u(s)), ("kty", "oct".into())],
            Material::Rsa { n, e, .. } => {
                vec![("e", b64u(e)), ("kty", "RSA".into()), ("n", b64u(n))]
            }
            Material::Ec { curve, x, y, .. } => vec![
                ("crv", curve.name().into()),
                ("kty", "EC".into()),
                ("x", b64u(x)),
                ("y", b64u(y)),
            ],
            Material::Ed { x, .. } => {
                vec![
                    ("crv", "Ed25519".into()),
                    ("kty", "OKP".into()),
                    ("x", b64u(x)),
                ]
            }
        }
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url): jwtctl's default `kid`.
    #[must_use]
    pub fn thumbprint(&self) -> String {
        let members: Vec<String> = self
            .required_members()
            .iter()
            .map(|(k, v)| format!("\"{k}\":\"{v}\""))
            .collect();
        let canonical = format!("{{{}}}", members.join(","));
        b64u(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes()).as_ref())
    }

    /// The public JWK (never a private member; for a secret, refuses).
    pub fn public_jwk(&self) -> Result<Value> {
        if matches!(self.material, Material::Secret(_)) {
            return Err(key_err("an HMAC secret has no public key to publish"));
        }
        let mut jwk = Map::new();
        for (k, v) in self.required_members() {
            jwk.insert(k.into(), Value::String(v));
        }
        jwk.insert("use".into(), "sig".into());
        if let Some(alg) = self.alg {
            jwk.insert("alg".into(), alg.name().into());
        }
        if let Some(kid) = &self.kid {
            jwk.insert("kid".into(), kid.clone().into());
        }
        Ok(Value::Object(jwk))
    }

    /// The public key as SubjectPublicKeyInfo PEM.
    pub fn public_pem(&self) -> Result<String> {
        let (alg_id, bits) = match &self.material {
            Material::Secret(_) => return Err(key_err("an HMAC secret has no public key")),
            Material::Rsa { n, e, .. } => (
                [der::encode(der::OID, der::OID_RSA), vec![0x05, 0x00]].concat(),
                der::encode(der::SEQUENCE, &[der::uint(n), der::uint(e)].concat()),
            ),
            Material::Ec { curve, x, y, .. } => (
                [
                    der::encode(der::OID, der::OID_EC),
                    der::encode(der::OID, curve.oid()),
                ]
                .concat(),
                [&[4u8][..], x, y].concat(),
            ),
            Material::Ed { x, .. } => (der::encode(der::OID, der::OID_ED25519), x.clone()),
        };
        let spki = der::encode(
            der::SEQUENCE,
            &[
                der::encode(der::SEQUENCE, &alg_id),
                der::encode(der::BIT_STRING, &[&[0u8][..], &bits].concat()),
            ]
            .concat(),
        );
        Ok(pem("PUBLIC KEY", &spki))
    }

    /// The private key as PKCS#8 PEM, or for a secret its text.
    pub fn private_pem(&self) -> Result<String> {
        let pkcs8 = match &self.material {
            Material::Secret(s) => return Ok(String::from_utf8_lossy(s).into_owned()),
            Material::Rsa {
                private: Some(p), ..
            } => der::encode(
                der::SEQUENCE,
                &[
                    der::uint(&[0]),
                    der::encode(
                        der::SEQUENCE,
                        &[der::encode(der::OID, der::OID_RSA), vec![0x05, 0x00]].concat(),
                    ),
                    der::encode(der::OCTET_STRING, p),
                ]
                .concat(),
            ),
            Material::Ec {
                private: Some(p), ..
            }
            | Material::Ed {
                private: Some(p), ..
            } => p.clone(),
            _ => return Err(key_err(format!("{} has no private part", self.describe()))),
        };
        Ok(pem("PRIVATE KEY", &pkcs8))
    }
}

/// Number of significant bits in a big-endian magnitude.
fn bit_len(n: &[u8]) -> usize {
    let start = n.iter().position(|&b| b != 0).unwrap_or(n.len());
    match n.get(start) {
        None => 0,
        Some(&b) => (n.len() - start - 1) * 8 + (8 - b.leading_zeros() as usize),
    }
}

/// PEM with 64-character lines (RFC 7468).
#[must_use]
pub fn pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Keys read from one input, and whether it was a set (searched by `kid`).
pub struct Loaded {
    pub keys: Vec<Key>,
    pub is_set: bool,
}

/// Reads a key file's content: PEM (PKCS#8, PKCS#1, SEC1, SPKI), DER of the same, a JWK or a
/// JWKS. Weak keys are refused here, so nothing downstream sees one.
pub fn parse(bytes: &[u8]) -> Result<Loaded> {
    let text = std::str::from_utf8(bytes).ok().map(str::trim_start);
    let loaded = match text {
        Some(t) if t.starts_with("-----BEGIN ") => Loaded {
            keys: vec![parse_pem(t)?],
            is_set: false,
        },
        Some(t) if t.starts_with('{') => parse_json(t)?,
        _ if bytes.first() == Some(&der::SEQUENCE) => Loaded {
            keys: vec![
                parse_der(bytes)
                    .ok_or_else(|| key_err("not a key: unrecognised DER structure"))??,
            ],
            is_set: false,
        },
        _ => {
            return Err(key_err(
                "not a key: expected PEM, DER, a JWK or a JWKS (for an HMAC secret use --secret-file)",
            ));
        }
    };
    for key in &loaded.keys {
        key.check_strength()?;
    }
    Ok(loaded)
}

/// An HMAC secret from a file, the environment or a prompt. Key files are refused, so a public
/// key can never be turned into an HMAC secret (SECURITY.md B1-B5).
pub fn secret(bytes: Vec<u8>) -> Result<Key> {
    if bytes.is_empty() {
        return Err(key_err("weak key: the HMAC secret is empty"));
    }
    let text = std::str::from_utf8(&bytes).ok().map(str::trim_start);
    let looks_like_key = text.is_some_and(|t| {
        t.starts_with("-----BEGIN ") || (t.starts_with('{') && t.contains("\"kty\""))
    }) || parse_der(&bytes).is_some_and(|r| r.is_ok());
    if looks_like_key {
        return Err(key_err(
            "this is a key file, not an HMAC secret: pass it with --key",
        ));
    }
    let key = Key::new(Material::Secret(bytes));
    key.check_strength()?;
    Ok(key)
}

fn parse_pem(text: &str) -> Result<Key> {
    let mut found = None;
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let label_end = after
            .find("-----")
            .ok_or_else(|| key_err("malformed PEM header"))?;
        let label = &after[..label_end];
        let body_and_rest = &after[label_end + 5..];
        let end_marker = format!("-----END {label}-----");
        let end = body_and_rest
            .find(&end_marker)
            .ok_or_else(|| key_err(format!("PEM {label} has no END line")))?;
        let body: String = body_and_rest[..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        rest = &body_and_rest[end + end_marker.len()..];
        if label == "EC PARAMETERS" {
            continue; // `openssl ecparam -genkey` writes the curve before the key
        }
        if found.is_some() {
            return Err(key_err("the PEM file holds more than one key"));
        }
        let der = STANDARD
            .decode(body)
            .map_err(|_| key_err(format!("PEM {label} is not valid base64")))?;
        found = Some((label.to_owned(), der));
    }
    let (label, der) = found.ok_or_else(|| key_err("no key in the PEM file"))?;
    let bad = || key_err(format!("invalid {label} PEM"));
    match label.as_str() {
        "PUBLIC KEY" => spki(&der).ok_or_else(bad)?,
        "PRIVATE KEY" => pkcs8(&der).ok_or_else(bad)?,
        "RSA PRIVATE KEY" => rsa_private(&der).ok_or_else(bad)?,
        "RSA PUBLIC KEY" => rsa_public(&der).ok_or_else(bad),
        "EC PRIVATE KEY" => ec_private(&der, None).ok_or_else(bad)?,
        "ENCRYPTED PRIVATE KEY" => Err(key_err(
            "encrypted private keys are not supported: decrypt it with `openssl pkey -in KEY -out plain.pem`",
        )),
        "CERTIFICATE" => Err(key_err(
            "a certificate is not a key: extract it with `openssl x509 -pubkey -noout -in CERT`",
        )),
        other => Err(key_err(format!("unsupported PEM type {other:?}"))),
    }
}

/// Tries each DER structure in turn; `None` when none matches.
fn parse_der(der: &[u8]) -> Option<Result<Key>> {
    spki(der)
        .or_else(|| pkcs8(der))
        .or_else(|| rsa_private(der))
        .or_else(|| rsa_public(der).map(Ok))
        .or_else(|| ec_private(der, None))
}

/// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
fn spki(der: &[u8]) -> Option<Result<Key>> {
    let mut r = der::sequence(der)?;
    let (oid, param) = der::algorithm_id(&mut r)?;
    let bits = r.bits()?;
    if !r.is_empty() {
        return None;
    }
    Some(match oid {
        o if o == der::OID_RSA || o == der::OID_RSA_PSS => Ok(rsa_public(bits)?),
        o if o == der::OID_EC => {
            let curve = Curve::from_oid(param?)?;
            ec_point(curve, bits)
        }
        o if o == der::OID_ED25519 && bits.len() == 32 => Ok(Key::new(Material::Ed {
            x: bits.to_vec(),
            private: None,
        })),
        _ => Err(key_err("unsupported public key algorithm")),
    })
}

/// An uncompressed EC point, validated on its curve.
fn ec_point(curve: Curve, point: &[u8]) -> Result<Key> {
    sig::ParsedPublicKey::new(curve.verifying(), point).map_err(|_| {
        key_err(format!(
            "invalid EC key: the point is not on {}",
            curve.name()
        ))
    })?;
    let coords = &point[1..];
    let (x, y) = coords.split_at(coords.len() / 2);
    Ok(Key::new(Material::Ec {
        curve,
        x: x.to_vec(),
        y: y.to_vec(),
        private: None,
    }))
}

/// PKCS#8 PrivateKeyInfo (RFC 5208).
fn pkcs8(der: &[u8]) -> Option<Result<Key>> {
    let mut r = der::sequence(der)?;
    r.uint()?;
    let (oid, param) = der::algorithm_id(&mut r)?;
    let private = r.expect(der::OCTET_STRING)?;
    Some(match oid {
        o if o == der::OID_RSA || o == der::OID_RSA_PSS => rsa_private(private)?,
        o if o == der::OID_EC => ec_private(der, param.and_then(Curve::from_oid))?,
        o if o == der::OID_ED25519 => sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .map_err(|e| key_err(format!("invalid Ed25519 key: {e}")))
            .and_then(|kp| {
                let pkcs8 = kp.to_pkcs8().map_err(|_| key_err("invalid Ed25519 key"))?;
                Ok(Key::new(Material::Ed {
                    x: kp.public_key().as_ref().to_vec(),
                    private: Some(pkcs8.as_ref().to_vec()),
                }))
            }),
        _ => Err(key_err("unsupported private key algorithm")),
    })
}

/// PKCS#1 RSAPublicKey.
fn rsa_public(der: &[u8]) -> Option<Key> {
    let mut r = der::sequence(der)?;
    let n = r.uint()?.to_vec();
    let e = r.uint()?.to_vec();
    r.is_empty().then(|| {
        Key::new(Material::Rsa {
            n,
            e,
            private: None,
        })
    })
}

/// PKCS#1 RSAPrivateKey. Only its public numbers are read here; the signer validates the rest
/// when it first uses the key (validating twice doubled the cost of a one-shot `sign`).
fn rsa_private(der: &[u8]) -> Option<Result<Key>> {
    let mut r = der::sequence(der)?;
    r.uint()?;
    let n = r.uint()?.to_vec();
    let e = r.uint()?.to_vec();
    // d, p, q, dp, dq, qi must be there for this to be a private key at all.
    for _ in 0..6 {
        r.uint()?;
    }
    let key = Key::new(Material::Rsa {
        n,
        e,
        private: Some(der.to_vec()),
    });
    Some(key.check_strength().map(|()| key))
}

/// An EC private key, PKCS#8 or SEC1 (RFC 5915), on a known curve or each one tried.
fn ec_private(der: &[u8], curve: Option<Curve>) -> Option<Result<Key>> {
    let curves = curve.map_or_else(|| vec![Curve::P256, Curve::P384, Curve::P521], |c| vec![c]);
    for curve in curves {
        if let Ok(kp) = sig::EcdsaKeyPair::from_private_key_der(curve.signing(), der) {
            let Ok(pkcs8) = kp.to_pkcs8v1() else { continue };
            let point = kp.public_key().as_ref();
            let coords = &point[1..];
            let (x, y) = coords.split_at(coords.len() / 2);
            return Some(Ok(Key::new(Material::Ec {
                curve,
                x: x.to_vec(),
                y: y.to_vec(),
                private: Some(pkcs8.as_ref().to_vec()),
            })));
        }
    }
    curve.map(|c| Err(key_err(format!("invalid EC {} private key", c.name()))))
}

fn parse_json(text: &str) -> Result<Loaded> {
    let value = crate::json::parse_object(text.as_bytes())
        .map_err(|e| key_err(format!("the key file is not a valid JWK: {e}")))?;
    let Some(keys) = value.get("keys") else {
        return Ok(Loaded {
            keys: vec![jwk(&value)?],
            is_set: false,
        });
    };
    let keys = keys
        .as_array()
        .ok_or_else(|| key_err("JWKS keys is not an array"))?;
    let keys = keys
        .iter()
        .map(|k| {
            k.as_object()
                .ok_or_else(|| key_err("a JWKS entry is not an object"))
                .and_then(jwk)
        })
        .collect::<Result<Vec<_>>>()?;
    if keys.is_empty() {
        return Err(key_err("the JWKS holds no keys"));
    }
    let secrets = keys.iter().filter(|k| k.family() == Family::Hmac).count();
    if secrets != 0 && secrets != keys.len() {
        return Err(key_err("the JWKS mixes secret and public keys"));
    }
    for (i, k) in keys.iter().enumerate() {
        if let Some(kid) = &k.kid
            && keys[..i].iter().any(|o| o.kid.as_ref() == Some(kid))
        {
            return Err(key_err(format!("the JWKS repeats kid {kid:?}")));
        }
    }
    Ok(Loaded { keys, is_set: true })
}

/// One JWK (RFC 7517, RFC 7518 §6, RFC 8037).
fn jwk(obj: &Map<String, Value>) -> Result<Key> {
    let s = |name: &str| obj.get(name).and_then(Value::as_str);
    let b = |name: &str| -> Result<Vec<u8>> {
        let v = s(name).ok_or_else(|| key_err(format!("the JWK has no {name}")))?;
        URL_SAFE_NO_PAD
            .decode(v)
            .map_err(|_| key_err(format!("the JWK's {name} is not base64url")))
    };
    if s("use").is_some_and(|u| u != "sig") {
        return Err(key_err(
            "the JWK is for encryption (use), not for signatures",
        ));
    }
    if let Some(ops) = obj.get("key_ops").and_then(Value::as_array)
        && !ops.iter().any(|o| o == "verify" || o == "sign")
    {
        return Err(key_err("the JWK's key_ops allow neither sign nor verify"));
    }
    let has_d = obj.contains_key("d");
    let mut key = match s("kty") {
        Some("oct") => Key::new(Material::Secret(b("k")?)),
        Some("RSA") if has_d => {
            let parts = ["n", "e", "d", "p", "q", "dp", "dq", "qi"].map(&b);
            let mut ints = vec![der::uint(&[0])];
            for p in parts {
                ints.push(der::uint(&p?));
            }
            rsa_private(&der::encode(der::SEQUENCE, &ints.concat()))
                .ok_or_else(|| key_err("invalid RSA private JWK"))??
        }
        Some("RSA") => Key::new(Material::Rsa {
            n: b("n")?,
            e: b("e")?,
            private: None,
        }),
        Some("EC") => {
            let curve = s("crv")
                .and_then(Curve::from_name)
                .ok_or_else(|| key_err("the JWK's crv is not P-256, P-384 or P-521"))?;
            let point = [vec![4u8], b("x")?, b("y")?].concat();
            let expected = match curve {
                Curve::P256 => 65,
                Curve::P384 => 97,
                Curve::P521 => 133,
            };
            if point.len() != expected {
                return Err(key_err(format!(
                    "the JWK's x/y have the wrong length for {}",
                    curve.name()
                )));
            }
            if has_d {
                let kp = sig::EcdsaKeyPair::from_private_key_and_public_key(
                    curve.signing(),
                    &b("d")?,
                    &point,
                )
                .map_err(|_| key_err("invalid EC private JWK"))?;
                let pkcs8 = kp
                    .to_pkcs8v1()
                    .map_err(|_| key_err("invalid EC private JWK"))?;
                let mut k = ec_point(curve, &point)?;
                if let Material::Ec { private, .. } = &mut k.material {
                    *private = Some(pkcs8.as_ref().to_vec());
                }
                k
            } else {
                ec_point(curve, &point)?
            }
        }
        Some("OKP") if s("crv") == Some("Ed25519") => {
            let x = b("x")?;
            let private = if has_d {
                let kp = sig::Ed25519KeyPair::from_seed_and_public_key(&b("d")?, &x)
                    .map_err(|_| key_err("invalid Ed25519 private JWK"))?;
                Some(
                    kp.to_pkcs8()
                        .map_err(|_| key_err("invalid Ed25519 private JWK"))?
                        .as_ref()
                        .to_vec(),
                )
            } else {
                None
            };
            if x.len() != 32 {
                return Err(key_err("the JWK's x is not a 32-byte Ed25519 key"));
            }
            Key::new(Material::Ed { x, private })
        }
        Some(other) => return Err(key_err(format!("unsupported JWK key type {other:?}"))),
        None => return Err(key_err("the JWK has no kty")),
    };
    key.kid = s("kid").map(str::to_owned);
    if let Some(alg) = obj.get("alg") {
        let name = alg.as_str().unwrap_or_default();
        let alg = Alg::from_name(name).ok_or_else(|| {
            key_err(format!(
                "the JWK's alg {alg} is not a JWS algorithm jwtctl knows"
            ))
        })?;
        if alg.family() != key.family() {
            return Err(key_err(format!(
                "the JWK's alg {alg} does not fit its key type"
            )));
        }
        key.alg = Some(alg);
    }
    Ok(key)
}

/// What `keygen` can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySpec {
    Rsa { bits: usize, alg: Alg },
    Hmac(Alg),
}

/// Generates a key from the OS RNG. RSA uses aws-lc (about 3x faster than the `rsa` crate).
/// An HMAC secret is `hash size` random bytes written as base64url text: the text is the secret,
/// so the file can be passed back with `--secret-file` and used by any other tool unchanged.
pub fn generate(spec: KeySpec) -> Result<Key> {
    match spec {
        KeySpec::Rsa { bits, alg } => {
            let size = match bits {
                2048 => aws_lc_rs::rsa::KeySize::Rsa2048,
                3072 => aws_lc_rs::rsa::KeySize::Rsa3072,
                4096 => aws_lc_rs::rsa::KeySize::Rsa4096,
                b if b < MIN_RSA_BITS => {
                    return Err(key_err(format!(
                        "weak key: RSA-{b} is under the {MIN_RSA_BITS}-bit minimum"
                    )));
                }
                b => {
                    return Err(key_err(format!(
                        "unsupported RSA size {b}: use 2048, 3072 or 4096"
                    )));
                }
            };
            let kp = aws_lc_rs::rsa::KeyPair::generate(size)
                .map_err(|_| key_err("RSA key generation failed"))?;
            let der = kp
                .as_der()
                .map_err(|_| key_err("RSA key encoding failed"))?;
            let mut key =
                pkcs8(der.as_ref()).ok_or_else(|| key_err("RSA key encoding failed"))??;
            key.alg = Some(alg);
            Ok(key)
        }
        KeySpec::Hmac(alg) => {
            let mut raw = vec![0u8; alg.min_secret_len()];
            aws_lc_rs::rand::fill(&mut raw)
                .map_err(|_| key_err("the OS random generator failed"))?;
            let mut key = Key::new(Material::Secret(b64u(&raw).into_bytes()));
            key.alg = Some(alg);
            Ok(key)
        }
    }
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
