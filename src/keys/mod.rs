//! Keys: recognised by content (PEM, DER, JWK, JWKS; never by file name), checked for strength,
//! generated, and written out as PEM and JWK (DECISIONS §3).
//!
//! Every key becomes one [`Key`]: its public numbers, its private part when present, and what
//! it may be used for. The key, not the token header, decides the algorithm family (RFC 8725
//! §3.1); a JWK's `alg` narrows it to one algorithm.
//!
//! Submodules: `pem` (PEM and DER in and out), `jwk` (JWK and JWKS in and out, the RFC 7638
//! thumbprint), `strength` (weak-key refusal), `generate` (new keys), `keyring` (the keys of a
//! home or a store), `seal` (the keyring encrypted for a shared store).

use crate::alg::{Alg, Family};
use anyhow::Result;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{self as sig, KeyPair as _};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value};

pub mod der;
mod generate;
mod jwk;
pub mod keyring;
mod pem;
pub mod seal;
mod strength;

pub use generate::{KeySpec, generate};
use jwk::parse_json;
pub use pem::pem;
use pem::{parse_der, parse_pem};

/// Smallest RSA modulus accepted anywhere (RFC 7518 §3.3, NIST SP 800-131A).
pub const MIN_RSA_BITS: usize = 2048;

/// Longest kid jwtctl gives a key (`keygen --kid`, `jwks --kid`, `convert --kid`), in
/// characters: far beyond any real kid (a thumbprint is 43), short enough for a header.
pub const MAX_KID_CHARS: usize = 256;

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
    /// Bytes of one coordinate (and of the private scalar).
    fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
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

/// A key or key configuration that cannot be used: unreadable, unsupported, weak, or unfit for
/// what was asked. `hint` names the command that fixes it, where one does.
#[derive(Debug)]
pub struct KeyError {
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for KeyError {}

/// An argument that names more than one key (a kid prefix that several kids start with): the
/// user must say more. `message` lists the candidates.
#[derive(Debug)]
pub struct Ambiguous {
    pub message: String,
    pub hint: String,
}

impl std::fmt::Display for Ambiguous {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Ambiguous {}

/// A [`KeyError`] without a hint, as an `anyhow::Error`.
pub fn key_err(msg: impl Into<String>) -> anyhow::Error {
    KeyError {
        message: msg.into(),
        hint: None,
    }
    .into()
}

/// A [`KeyError`] with a hint, as an `anyhow::Error`.
pub fn key_err_hint(msg: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    KeyError {
        message: msg.into(),
        hint: Some(hint.into()),
    }
    .into()
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

    /// The algorithms this key may serve: every algorithm of its family that it is strong
    /// enough for (HMAC: a secret at least the hash size; EC: its curve's), narrowed to its
    /// pinned `alg` when it has one. Empty when the pin asks more than the key can give.
    #[must_use]
    pub fn algorithms(&self) -> Vec<Alg> {
        let family: Vec<Alg> = match &self.material {
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
        };
        match self.alg {
            Some(pin) => family.into_iter().filter(|&a| a == pin).collect(),
            None => family,
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
        pick.copied().or(self.alg).unwrap_or(Alg::Hs256)
    }

    /// Pins the key to `alg` (a JWK's `alg`, a keyring entry, `--alg` of keygen or jwks):
    /// refused when the key's type or curve cannot serve it.
    pub fn pin(&mut self, alg: Alg) -> Result<()> {
        let fits = match &self.material {
            Material::Ec { curve, .. } => curve.alg() == alg,
            _ => alg.family() == self.family(),
        };
        if !fits {
            return Err(key_err(format!(
                "alg {alg} does not fit {}",
                self.describe()
            )));
        }
        self.alg = Some(alg);
        // Only a secret's strength depends on the algorithm (HS512 needs 64 bytes). RSA size,
        // exponent and ROCA were checked when the key was read: every Key comes from `parse`,
        // `secret` or `generate`, which check it.
        match self.material {
            Material::Secret(_) => self.check_strength(),
            _ => Ok(()),
        }
    }

    /// Refuses `alg` for this key, with the reason, when the key cannot serve it (exit 11).
    pub fn check_alg(&self, alg: Alg) -> Result<()> {
        if self.algorithms().contains(&alg) {
            if !alg.supported() {
                return Err(key_err(format!(
                    "unsupported algorithm {alg}: jwtctl reads {} but cannot sign or verify {alg}",
                    self.describe()
                )));
            }
            return Ok(());
        }
        if let Material::Secret(s) = &self.material
            && alg.family() == Family::Hmac
            && s.len() < alg.min_secret_len()
        {
            return Err(key_err(format!(
                "weak key: {alg} needs a secret of at least {} bytes, this one has {}",
                alg.min_secret_len(),
                s.len()
            )));
        }
        if let Some(pin) = self.alg {
            return Err(key_err(format!(
                "{} is pinned to {pin} (its alg) and cannot serve {alg}",
                self.describe()
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
}

/// Number of significant bits in a big-endian magnitude.
fn bit_len(n: &[u8]) -> usize {
    let start = n.iter().position(|&b| b != 0).unwrap_or(n.len());
    match n.get(start) {
        None => 0,
        Some(&b) => (n.len() - start - 1) * 8 + (8 - b.leading_zeros() as usize),
    }
}

/// Keys read from one input, and whether it was a set (searched by `kid`).
pub struct Loaded {
    pub keys: Vec<Key>,
    pub is_set: bool,
    /// Members of a set that cannot serve signatures (encryption keys, unsupported algorithms
    /// or key types), left out of `keys`; with their `kid`, so a token naming one gets the reason.
    pub skipped: Vec<Skipped>,
}

impl Loaded {
    /// One key, not a set.
    #[must_use]
    pub fn single(key: Key) -> Self {
        Loaded {
            keys: vec![key],
            is_set: false,
            skipped: Vec::new(),
        }
    }
}

/// A key of a set that jwtctl left out, and why.
#[derive(Clone, Debug)]
pub struct Skipped {
    pub kid: Option<String>,
    pub reason: String,
}

/// Reads a key file's content: PEM (PKCS#8, PKCS#1, SEC1, SPKI), DER of the same, a JWK or a
/// JWKS. Weak keys are refused here, so nothing downstream sees one.
pub fn parse(bytes: &[u8]) -> Result<Loaded> {
    let text = std::str::from_utf8(bytes).ok().map(str::trim_start);
    let loaded = match text {
        Some(t) if t.starts_with("-----BEGIN ") => Loaded::single(parse_pem(t)?),
        Some(t) if t.starts_with('{') => parse_json(t)?,
        _ if bytes.first() == Some(&der::SEQUENCE) => Loaded::single(
            parse_der(bytes).ok_or_else(|| key_err("not a key: unrecognised DER structure"))??,
        ),
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

#[cfg(test)]
mod tests;
