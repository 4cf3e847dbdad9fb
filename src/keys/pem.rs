//! PEM and DER: reading PKCS#8, PKCS#1, SEC1 and SubjectPublicKeyInfo, and writing PKCS#8 and
//! SubjectPublicKeyInfo PEM (RFC 7468).

use super::*;

impl Key {
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

    /// The private key as PKCS#8 PEM (a secret has no PEM form: its bytes are the key).
    pub fn private_pem(&self) -> Result<String> {
        let pkcs8 = match &self.material {
            Material::Secret(_) => return Err(key_err("an HMAC secret has no PEM form")),
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
pub(super) fn parse_pem(text: &str) -> Result<Key> {
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
        let raw_body = &body_and_rest[..end];
        // RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info:`): OpenSSL's legacy encryption.
        if raw_body.contains("Proc-Type:") && raw_body.contains("ENCRYPTED") {
            return Err(encrypted(label));
        }
        let body: String = raw_body.chars().filter(|c| !c.is_whitespace()).collect();
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
        "ENCRYPTED PRIVATE KEY" => Err(encrypted(&label)),
        "CERTIFICATE" => Err(key_err(
            "a certificate is not a key: extract it with `openssl x509 -pubkey -noout -in CERT`",
        )),
        other => Err(key_err(format!("unsupported PEM type {other:?}"))),
    }
}

/// The error for an encrypted private key (PKCS#8 `ENCRYPTED PRIVATE KEY`, or a legacy PEM
/// with `Proc-Type: 4,ENCRYPTED`): jwtctl takes no passphrase, so it says how to decrypt.
fn encrypted(label: &str) -> anyhow::Error {
    key_err_hint(
        format!(
            "the PEM {label} is encrypted with a passphrase; jwtctl reads unencrypted keys only"
        ),
        "decrypt it once: `openssl pkey -in KEY -out plain.pem` (it asks for the passphrase), \
         then keep plain.pem mode 0600",
    )
}

/// Tries each DER structure in turn; `None` when none matches.
pub(super) fn parse_der(der: &[u8]) -> Option<Result<Key>> {
    spki(der)
        .or_else(|| pkcs8(der))
        .or_else(|| rsa_private(der))
        .or_else(|| rsa_public(der).map(Ok))
        .or_else(|| ec_private(der, None))
}

/// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
pub(super) fn spki(der: &[u8]) -> Option<Result<Key>> {
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

/// An EC point (SEC1: uncompressed, or compressed as some SPKI files carry it), validated on
/// its curve; a compressed point is decompressed, so x and y are always whole coordinates.
pub(super) fn ec_point(curve: Curve, point: &[u8]) -> Result<Key> {
    let parsed = sig::ParsedPublicKey::new(curve.verifying(), point).map_err(|_| {
        key_err(format!(
            "invalid EC key: the point is not on {}",
            curve.name()
        ))
    })?;
    let uncompressed;
    let point = if point.first() == Some(&4) {
        point
    } else {
        // aws-lc decompressed it; its SPKI encoding holds the uncompressed point.
        let spki = parsed
            .as_der()
            .map_err(|_| key_err("invalid EC key: cannot decompress its point"))?;
        uncompressed = der::sequence(spki.as_ref())
            .and_then(|mut r| {
                der::algorithm_id(&mut r)?;
                r.bits().map(<[u8]>::to_vec)
            })
            .unwrap_or_default();
        &uncompressed[..]
    };
    if point.len() != 1 + 2 * curve.coordinate_len() || point.first() != Some(&4) {
        return Err(key_err(format!(
            "unsupported EC point encoding for {}: convert the key with \
             `openssl ec -pubin -in KEY -conv_form uncompressed -pubout`",
            curve.name()
        )));
    }
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
pub(super) fn pkcs8(der: &[u8]) -> Option<Result<Key>> {
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
                let pkcs8 = kp
                    .to_pkcs8v1()
                    .map_err(|_| key_err("invalid Ed25519 key"))?;
                Ok(Key::new(Material::Ed {
                    x: kp.public_key().as_ref().to_vec(),
                    private: Some(pkcs8.as_ref().to_vec()),
                }))
            }),
        _ => Err(key_err("unsupported private key algorithm")),
    })
}

/// PKCS#1 RSAPublicKey.
pub(super) fn rsa_public(der: &[u8]) -> Option<Key> {
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
pub(super) fn rsa_private(der: &[u8]) -> Option<Result<Key>> {
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
pub(super) fn ec_private(der: &[u8], curve: Option<Curve>) -> Option<Result<Key>> {
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
