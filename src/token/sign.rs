//! Signing keys parsed once, in aws-lc (DECISIONS §7). Parsing an RSA private key runs aws-lc's
//! key check and sets up a fresh blinding value, which costs more than the signature itself
//! (bench/README.md). `login` and `refresh` sign two tokens per run with one key, so the key is
//! parsed here once and kept.

use crate::alg::Alg;
use crate::keys::{Key, Material};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::{hmac, signature as sig};

/// A secret or private key, parsed and ready to sign for one algorithm.
pub struct Signer(Kind);

enum Kind {
    Hmac(Box<hmac::Key>),
    Rsa(sig::RsaKeyPair, &'static dyn sig::RsaEncoding),
    Ec(sig::EcdsaKeyPair),
    Ed(sig::Ed25519KeyPair),
}

impl Signer {
    /// The key `sign` uses for `alg`, parsed once; refuses a public key.
    pub fn for_key(key: &Key, alg: Alg) -> anyhow::Result<Signer> {
        let public = || {
            crate::keys::key_err(format!(
                "{} cannot sign: signing needs the private key",
                key.describe()
            ))
        };
        let signer = match &key.material {
            Material::Secret(s) => Signer::hmac(alg, s),
            Material::Rsa { private, .. } => Signer::rsa(alg, private.as_ref().ok_or_else(public)?),
            Material::Ec { private, .. } => Signer::ec(alg, private.as_ref().ok_or_else(public)?),
            Material::Ed { private, .. } => Signer::ed(alg, private.as_ref().ok_or_else(public)?),
        };
        signer.ok_or_else(|| crate::keys::key_err(format!("{} cannot sign {alg}", key.describe())))
    }

    /// An HMAC secret for HS256/384/512; `None` for any other algorithm.
    pub(crate) fn hmac(alg: Alg, secret: &[u8]) -> Option<Self> {
        let algorithm = match alg {
            Alg::Hs256 => hmac::HMAC_SHA256,
            Alg::Hs384 => hmac::HMAC_SHA384,
            Alg::Hs512 => hmac::HMAC_SHA512,
            _ => return None,
        };
        Some(Signer(Kind::Hmac(Box::new(hmac::Key::new(
            algorithm, secret,
        )))))
    }

    /// An RSA private key (PKCS#1 DER) for RS* or PS*; `None` if it does not parse or the
    /// algorithm is not RSA.
    pub(crate) fn rsa(alg: Alg, pkcs1: &[u8]) -> Option<Self> {
        let padding: &'static dyn sig::RsaEncoding = match alg {
            Alg::Rs256 => &sig::RSA_PKCS1_SHA256,
            Alg::Rs384 => &sig::RSA_PKCS1_SHA384,
            Alg::Rs512 => &sig::RSA_PKCS1_SHA512,
            Alg::Ps256 => &sig::RSA_PSS_SHA256,
            Alg::Ps384 => &sig::RSA_PSS_SHA384,
            Alg::Ps512 => &sig::RSA_PSS_SHA512,
            _ => return None,
        };
        let key = sig::RsaKeyPair::from_der(pkcs1).ok()?;
        Some(Signer(Kind::Rsa(key, padding)))
    }

    /// An EC private key (PKCS#8 DER) for ES256 or ES384, signing the fixed-length R‖S of
    /// RFC 7518 §3.4; `None` if it does not parse or is on another curve.
    pub(crate) fn ec(alg: Alg, pkcs8: &[u8]) -> Option<Self> {
        let algorithm = match alg {
            Alg::Es256 => &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
            Alg::Es384 => &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
            _ => return None,
        };
        let key = sig::EcdsaKeyPair::from_pkcs8(algorithm, pkcs8).ok()?;
        Some(Signer(Kind::Ec(key)))
    }

    /// An Ed25519 private key (PKCS#8 DER) for EdDSA.
    pub(crate) fn ed(alg: Alg, pkcs8: &[u8]) -> Option<Self> {
        if alg != Alg::EdDsa {
            return None;
        }
        let key = sig::Ed25519KeyPair::from_pkcs8(pkcs8).ok()?;
        Some(Signer(Kind::Ed(key)))
    }

    /// The signature over `message`, raw bytes (JWS encodes them as base64url).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let failed = |_| "signing failed".to_owned();
        Ok(match &self.0 {
            Kind::Hmac(key) => hmac::sign(key, message).as_ref().to_vec(),
            Kind::Rsa(key, padding) => {
                let mut signature = vec![0; key.public_modulus_len()];
                key.sign(*padding, &SystemRandom::new(), message, &mut signature)
                    .map_err(failed)?;
                signature
            }
            Kind::Ec(key) => key
                .sign(&SystemRandom::new(), message)
                .map_err(failed)?
                .as_ref()
                .to_vec(),
            Kind::Ed(key) => key.sign(message).as_ref().to_vec(),
        })
    }
}
