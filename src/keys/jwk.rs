//! JWK and JWKS (RFC 7517, RFC 7518 §6, RFC 8037): reading keys and key sets, writing public
//! JWKs, and the RFC 7638 thumbprint that is jwtctl's default `kid`.

use super::pem::{ec_point, rsa_private};
use super::*;

impl Key {
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
            return Err(key_err(
                "an HMAC secret has no public key to publish (pass --private to export the secret)",
            ));
        }
        Ok(self.jwk_with(Vec::new()))
    }

    /// The whole JWK, private members included (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
    pub fn private_jwk(&self) -> Result<Value> {
        let none = || key_err(format!("{} has no private part", self.describe()));
        let private: Vec<(&'static str, String)> = match &self.material {
            Material::Secret(_) => Vec::new(), // `k` is already a required member
            Material::Rsa { private, .. } => {
                let der = private.as_ref().ok_or_else(none)?;
                let mut r = der::sequence(der).ok_or_else(|| key_err("invalid RSA private key"))?;
                r.uint();
                let mut out = Vec::new();
                for name in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
                    let v = r.uint().ok_or_else(|| key_err("invalid RSA private key"))?;
                    if !matches!(name, "n" | "e") {
                        out.push((name, b64u(v)));
                    }
                }
                out
            }
            Material::Ec { curve, private, .. } => {
                let d = ec_scalar(private.as_ref().ok_or_else(none)?)
                    .ok_or_else(|| key_err("invalid EC private key"))?;
                let size = curve.coordinate_len();
                let mut padded = vec![0u8; size.saturating_sub(d.len())];
                padded.extend_from_slice(d);
                vec![("d", b64u(&padded))]
            }
            Material::Ed { private, .. } => {
                let seed = ed_seed(private.as_ref().ok_or_else(none)?)
                    .ok_or_else(|| key_err("invalid Ed25519 private key"))?;
                vec![("d", b64u(seed))]
            }
        };
        Ok(self.jwk_with(private))
    }

    /// Required members, then `extra` (private members), then `use`, `alg`, `kid`.
    fn jwk_with(&self, extra: Vec<(&'static str, String)>) -> Value {
        let mut jwk = Map::new();
        for (k, v) in self.required_members().into_iter().chain(extra) {
            jwk.insert(k.into(), Value::String(v));
        }
        jwk.insert("use".into(), "sig".into());
        if let Some(alg) = self.alg {
            jwk.insert("alg".into(), alg.name().into());
        }
        if let Some(kid) = &self.kid {
            jwk.insert("kid".into(), kid.clone().into());
        }
        Value::Object(jwk)
    }
}

/// The private scalar of a PKCS#8 EC key: PrivateKeyInfo → ECPrivateKey (RFC 5915) → privateKey.
fn ec_scalar(pkcs8: &[u8]) -> Option<&[u8]> {
    let mut r = der::sequence(pkcs8)?;
    r.uint()?;
    der::algorithm_id(&mut r)?;
    let mut inner = der::sequence(r.expect(der::OCTET_STRING)?)?;
    inner.uint()?;
    inner.expect(der::OCTET_STRING)
}

/// The 32-byte seed of a PKCS#8 Ed25519 key (RFC 8410 §7: an OCTET STRING in the OCTET STRING).
fn ed_seed(pkcs8: &[u8]) -> Option<&[u8]> {
    let mut r = der::sequence(pkcs8)?;
    r.uint()?;
    der::algorithm_id(&mut r)?;
    let mut inner = der::Reader::new(r.expect(der::OCTET_STRING)?);
    inner.expect(der::OCTET_STRING).filter(|s| s.len() == 32)
}

/// JWE key-management and content-encryption algorithm names (RFC 7518 §4, §5): a key carrying
/// one of these is for encryption.
const JWE_ALGS: &[&str] = &[
    "RSA1_5",
    "RSA-OAEP",
    "RSA-OAEP-256",
    "RSA-OAEP-384",
    "RSA-OAEP-512",
    "A128KW",
    "A192KW",
    "A256KW",
    "dir",
    "ECDH-ES",
    "ECDH-ES+A128KW",
    "ECDH-ES+A192KW",
    "ECDH-ES+A256KW",
    "A128GCMKW",
    "A192GCMKW",
    "A256GCMKW",
    "PBES2-HS256+A128KW",
    "PBES2-HS384+A192KW",
    "PBES2-HS512+A256KW",
    "A128GCM",
    "A192GCM",
    "A256GCM",
    "A128CBC-HS256",
    "A192CBC-HS384",
    "A256CBC-HS512",
];

/// What one JWK gives: a key for signatures, or why it cannot be one. A broken or weak key is
/// an `Err` instead, which refuses the whole input.
enum Parsed {
    Usable(Key),
    Unusable(Skipped),
}

/// A JWK or a JWKS. A single JWK that cannot serve signatures is refused with the reason. In a
/// set such members are left out (a provider's JWKS often holds its encryption keys too), but a
/// broken or weak member, a repeated `kid`, secret and public keys mixed, or nothing usable
/// refuses the whole set (Wycheproof `json_web_key_test.json`).
pub(super) fn parse_json(text: &str) -> Result<Loaded> {
    let value = crate::json::parse_object(text.as_bytes())
        .map_err(|e| key_err(format!("the key file is not a valid JWK: {e}")))?;
    let Some(members) = value.get("keys") else {
        return match jwk(&value)? {
            Parsed::Usable(key) => Ok(Loaded::single(key)),
            Parsed::Unusable(s) => Err(key_err(format!(
                "the JWK cannot be used for signatures: {}",
                s.reason
            ))),
        };
    };
    let members = members
        .as_array()
        .ok_or_else(|| key_err("the JWKS member keys is not an array"))?;
    // A repeated kid makes the set ambiguous whatever its members hold: refused first.
    let mut kids: Vec<&str> = Vec::new();
    for kid in members
        .iter()
        .filter_map(|m| m.get("kid").and_then(Value::as_str))
    {
        if kids.contains(&kid) {
            return Err(key_err(format!(
                "the JWKS repeats kid {kid:?}: a kid must name one key"
            )));
        }
        kids.push(kid);
    }
    let mut keys = Vec::new();
    let mut skipped = Vec::new();
    for (i, member) in members.iter().enumerate() {
        let obj = member
            .as_object()
            .ok_or_else(|| key_err(format!("JWKS key #{} is not an object", i + 1)))?;
        let name = match obj.get("kid").and_then(Value::as_str) {
            Some(kid) => format!("JWKS key {kid:?}"),
            None => format!("JWKS key #{}", i + 1),
        };
        let parsed = jwk(obj).map_err(|e| key_err(format!("{name}: {e:#}")))?;
        if let Parsed::Usable(k) = &parsed {
            k.check_strength()
                .map_err(|e| key_err(format!("{name}: {e:#}")))?;
        }
        match parsed {
            Parsed::Usable(k) => keys.push(k),
            Parsed::Unusable(s) => skipped.push(s),
        }
    }
    if keys.is_empty() {
        let why: Vec<String> = skipped
            .iter()
            .map(|s| format!("{}: {}", s.kid.as_deref().unwrap_or("(no kid)"), s.reason))
            .collect();
        return Err(key_err(if why.is_empty() {
            "the JWKS holds no keys".to_owned()
        } else {
            format!(
                "the JWKS holds no key that can serve signatures ({})",
                why.join("; ")
            )
        }));
    }
    let secrets = keys.iter().filter(|k| k.family() == Family::Hmac).count();
    if secrets != 0 && secrets != keys.len() {
        return Err(key_err(
            "the JWKS mixes secret (oct) and public keys: keep HMAC secrets in a set of their own",
        ));
    }
    Ok(Loaded {
        keys,
        is_set: true,
        skipped,
    })
}

/// One JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2).
fn jwk(obj: &Map<String, Value>) -> Result<Parsed> {
    let s = |name: &str| -> Result<Option<&str>> {
        match obj.get(name) {
            None => Ok(None),
            Some(Value::String(v)) => Ok(Some(v)),
            Some(_) => Err(key_err(format!("the JWK's {name} is not a string"))),
        }
    };
    let b = |name: &str| -> Result<Vec<u8>> {
        let v = s(name)?.ok_or_else(|| key_err(format!("the JWK has no {name}")))?;
        lenient_base64(v).ok_or_else(|| key_err(format!("the JWK's {name} is not base64url")))
    };
    let kid = s("kid")?.map(str::to_owned);
    let unusable = |reason: String| {
        Ok(Parsed::Unusable(Skipped {
            kid: kid.clone(),
            reason,
        }))
    };
    // RFC 7517 §4.2, §4.3: a key marked for encryption never verifies a signature.
    if let Some(u) = s("use")?.filter(|&u| u != "sig") {
        return unusable(format!(
            "it is for encryption (use {u:?}), not for signatures"
        ));
    }
    if let Some(ops) = obj.get("key_ops") {
        let ops = ops
            .as_array()
            .ok_or_else(|| key_err("the JWK's key_ops is not an array"))?;
        if !ops.iter().any(|o| o == "verify" || o == "sign") {
            return unusable("its key_ops allow neither sign nor verify".into());
        }
    }
    let alg = match s("alg")? {
        None => None,
        Some(name) => match Alg::from_name(name) {
            Some(alg) => Some(alg),
            None if JWE_ALGS.contains(&name) => {
                return unusable(format!(
                    "its alg {name} is an encryption algorithm, not a signature algorithm"
                ));
            }
            None => {
                return unusable(format!(
                    "unsupported algorithm {name:?} in its alg (not a JWS algorithm jwtctl knows)"
                ));
            }
        },
    };
    let has_d = obj.contains_key("d");
    let mut key = match s("kty")? {
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
            let crv = s("crv")?.ok_or_else(|| key_err("the JWK has no crv"))?;
            let Some(curve) = Curve::from_name(crv) else {
                return unusable(format!("unsupported curve {crv:?}"));
            };
            ec_jwk(
                curve,
                b("x")?,
                b("y")?,
                if has_d { Some(b("d")?) } else { None },
            )?
        }
        Some("OKP") => match s("crv")? {
            Some("Ed25519") => ed_jwk(b("x")?, if has_d { Some(b("d")?) } else { None })?,
            other => {
                return unusable(format!(
                    "unsupported OKP curve {:?} (jwtctl signs with Ed25519 only)",
                    other.unwrap_or_default()
                ));
            }
        },
        Some(other) => return unusable(format!("unsupported key type {other:?}")),
        None => return Err(key_err("the JWK has no kty")),
    };
    key.kid = kid;
    if let Some(alg) = alg {
        key.pin(alg)?;
    }
    Ok(Parsed::Usable(key))
}

/// Decodes a JWK member leniently: base64url as RFC 7517 says, but also padded, or in the
/// standard alphabet, and with nonzero unused bits, as key sets in the wild are (peers accept
/// them). Key material comes from the user, not from the attacker; tokens stay strict.
fn lenient_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let url: String = text
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    LENIENT.decode(url).ok()
}

/// A big-endian number left-padded with zeros to `size` bytes; None when it is longer. JWK
/// coordinates are fixed-length (RFC 7518 §6.2.1.2), but some libraries drop leading zero
/// bytes (about one P-384 key in 128): peers accept them, so does jwtctl.
fn left_pad(bytes: Vec<u8>, size: usize) -> Option<Vec<u8>> {
    match bytes.len() {
        n if n == size => Some(bytes),
        n if n < size => Some([vec![0u8; size - n], bytes].concat()),
        _ => None,
    }
}

/// An EC JWK: the point checked on its curve, and the private scalar checked against it.
/// Short coordinates (a lost leading zero) are padded; long ones refused.
fn ec_jwk(curve: Curve, x: Vec<u8>, y: Vec<u8>, d: Option<Vec<u8>>) -> Result<Key> {
    let size = curve.coordinate_len();
    let long = |name: &str| {
        key_err(format!(
            "the JWK's {name} has the wrong length for {}: longer than {size} bytes",
            curve.name()
        ))
    };
    let x = left_pad(x, size).ok_or_else(|| long("x"))?;
    let y = left_pad(y, size).ok_or_else(|| long("y"))?;
    let d = d
        .map(|d| left_pad(d, size).ok_or_else(|| long("d")))
        .transpose()?;
    let point = [vec![4u8], x, y].concat();
    let mut key = ec_point(curve, &point)?;
    if let Some(d) = d {
        let kp = sig::EcdsaKeyPair::from_private_key_and_public_key(curve.signing(), &d, &point)
            .map_err(|_| key_err("invalid EC private JWK: d does not match x/y"))?;
        let pkcs8 = kp
            .to_pkcs8v1()
            .map_err(|_| key_err("invalid EC private JWK"))?;
        if let Material::Ec { private, .. } = &mut key.material {
            *private = Some(pkcs8.as_ref().to_vec());
        }
    }
    Ok(key)
}

/// An Ed25519 JWK; with `d`, the seed must give `x`.
fn ed_jwk(x: Vec<u8>, d: Option<Vec<u8>>) -> Result<Key> {
    if x.len() != 32 {
        return Err(key_err("the JWK's x is not a 32-byte Ed25519 key"));
    }
    let private = match d {
        None => None,
        Some(d) => {
            let kp = sig::Ed25519KeyPair::from_seed_and_public_key(&d, &x)
                .map_err(|_| key_err("invalid Ed25519 private JWK: d does not match x"))?;
            Some(
                kp.to_pkcs8v1()
                    .map_err(|_| key_err("invalid Ed25519 private JWK"))?
                    .as_ref()
                    .to_vec(),
            )
        }
    };
    Ok(Key::new(Material::Ed { x, private }))
}
