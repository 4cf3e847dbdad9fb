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
}

pub(super) fn parse_json(text: &str) -> Result<Loaded> {
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
