//! Signature checks with keys parsed once. `jsonwebtoken::crypto::verify` rebuilds the public key
//! from its numbers and re-decodes the signature on every call; holding an aws-lc key per
//! algorithm instead makes `verify --batch` cost close to the raw primitive (README, Performance).
//! HMAC tags are compared in constant time by aws-lc (RFC 7515 §10.9).

use crate::der;
use crate::exit::{Exit, fail};
use crate::keys::{Key, Material};
use crate::token::{Alg, VerifyKey};
use anyhow::Result;
use aws_lc_rs::{hmac, signature as sig};

/// A key ready to check one algorithm's signatures.
pub enum Verifier {
    Hmac(Box<hmac::Key>),
    Public(sig::ParsedPublicKey),
}

impl Verifier {
    /// True when `signature` is valid for `message`.
    #[must_use]
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            Verifier::Hmac(k) => hmac::verify(k, message, signature).is_ok(),
            Verifier::Public(k) => k.verify_sig(message, signature).is_ok(),
        }
    }
}

/// The aws-lc algorithm for `alg`, or `None` when jwtctl cannot verify it (ES512).
fn public_algorithm(alg: Alg) -> Option<&'static dyn sig::VerificationAlgorithm> {
    Some(match alg {
        Alg::Rs256 => &sig::RSA_PKCS1_2048_8192_SHA256,
        Alg::Rs384 => &sig::RSA_PKCS1_2048_8192_SHA384,
        Alg::Rs512 => &sig::RSA_PKCS1_2048_8192_SHA512,
        Alg::Ps256 => &sig::RSA_PSS_2048_8192_SHA256,
        Alg::Ps384 => &sig::RSA_PSS_2048_8192_SHA384,
        Alg::Ps512 => &sig::RSA_PSS_2048_8192_SHA512,
        Alg::Es256 => &sig::ECDSA_P256_SHA256_FIXED,
        Alg::Es384 => &sig::ECDSA_P384_SHA384_FIXED,
        Alg::EdDsa => &sig::ED25519,
        Alg::Hs256 | Alg::Hs384 | Alg::Hs512 | Alg::Es512 => return None,
    })
}

fn verifier(key: &Key, alg: Alg) -> Result<Option<Verifier>> {
    let public_bytes = match &key.material {
        Material::Secret(s) => {
            let h = match alg {
                Alg::Hs256 => hmac::HMAC_SHA256,
                Alg::Hs384 => hmac::HMAC_SHA384,
                Alg::Hs512 => hmac::HMAC_SHA512,
                _ => return Ok(None),
            };
            return Ok(Some(Verifier::Hmac(Box::new(hmac::Key::new(h, s)))));
        }
        Material::Rsa { n, e, .. } => {
            der::encode(der::SEQUENCE, &[der::uint(n), der::uint(e)].concat())
        }
        Material::Ec { x, y, .. } => [&[4u8][..], x, y].concat(),
        Material::Ed { x, .. } => x.clone(),
    };
    let Some(algorithm) = public_algorithm(alg) else {
        return Ok(None);
    };
    sig::ParsedPublicKey::new(algorithm, public_bytes)
        .map(|k| Some(Verifier::Public(k)))
        .map_err(|e| {
            fail(
                Exit::Key,
                format!("{} cannot verify {alg}: {e}", key.describe()),
            )
        })
}

/// The verifying half of `key`: its kid, the algorithms it may serve, and a parsed verifier for
/// each one jwtctl supports.
pub fn verify_key(key: &Key) -> Result<VerifyKey> {
    let algorithms = key.algorithms();
    let mut verifiers = Vec::with_capacity(algorithms.len());
    for &alg in &algorithms {
        if let Some(v) = verifier(key, alg)? {
            verifiers.push((alg, v));
        }
    }
    Ok(VerifyKey {
        kid: key.kid.clone(),
        algorithms,
        verifiers,
    })
}
