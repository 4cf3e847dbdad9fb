//! Signature checks with keys parsed once, and only when used. Rebuilding a public key for every
//! token would dominate `verify --batch`; holding an aws-lc key per algorithm keeps it close to
//! the raw primitive (measured in bench/README.md). The aws-lc key is built the first time an
//! algorithm is checked, so a keyring of many keys costs a one-shot `verify` nothing for the
//! keys it does not use.
//! HMAC tags are compared in constant time by aws-lc (RFC 7515 §10.9).

use crate::alg::Alg;
use crate::keys::der;
use crate::keys::{Key, Material};
use anyhow::Result;
use aws_lc_rs::{hmac, signature as sig};
use std::sync::OnceLock;

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

/// Builds the verifier for `alg`, or says why there is none.
fn verifier(key: &Key, alg: Alg) -> Result<Verifier, String> {
    let unsupported = || format!("unsupported algorithm {alg}: jwtctl cannot verify it");
    let public_bytes = match &key.material {
        Material::Secret(s) => {
            let h = match alg {
                Alg::Hs256 => hmac::HMAC_SHA256,
                Alg::Hs384 => hmac::HMAC_SHA384,
                Alg::Hs512 => hmac::HMAC_SHA512,
                _ => return Err(unsupported()),
            };
            return Ok(Verifier::Hmac(Box::new(hmac::Key::new(h, s))));
        }
        Material::Rsa { n, e, .. } => {
            der::encode(der::SEQUENCE, &[der::uint(n), der::uint(e)].concat())
        }
        Material::Ec { x, y, .. } => [&[4u8][..], x, y].concat(),
        Material::Ed { x, .. } => x.clone(),
    };
    let algorithm = public_algorithm(alg).ok_or_else(unsupported)?;
    sig::ParsedPublicKey::new(algorithm, public_bytes)
        .map(Verifier::Public)
        .map_err(|e| format!("{} cannot verify {alg}: {e}", key.describe()))
}

/// A key `verify` may use: its kid, the algorithms it may serve, and its public half, from which
/// the aws-lc verifier of each algorithm is built on first use and then kept.
pub struct VerifyKey {
    pub kid: Option<String>,
    pub algorithms: Vec<Alg>,
    key: Key,
    /// One slot per entry of `Alg::ALL`.
    parsed: [OnceLock<Result<Verifier, String>>; Alg::ALL.len()],
}

impl VerifyKey {
    /// The verifier for `alg`, built the first time it is asked for; the reason when there is
    /// none (an algorithm jwtctl cannot verify, or one the key cannot be parsed for).
    pub fn verifier(&self, alg: Alg) -> Result<&Verifier, &str> {
        let slot = Alg::ALL
            .iter()
            .position(|a| *a == alg)
            .and_then(|i| self.parsed.get(i));
        match slot.map(|s| s.get_or_init(|| verifier(&self.key, alg))) {
            Some(Ok(v)) => Ok(v),
            Some(Err(why)) => Err(why),
            None => Err("unknown algorithm"),
        }
    }

    /// How many verifiers have been built (for tests of the laziness).
    #[cfg(test)]
    fn built(&self) -> usize {
        self.parsed.iter().filter(|s| s.get().is_some()).count()
    }
}

/// The verifying half of `key`: its kid, the algorithms it may serve and its public material
/// (private parts are dropped). Nothing is parsed until a token asks for an algorithm.
pub fn verify_key(key: &Key) -> Result<VerifyKey> {
    let mut public = key.clone();
    match &mut public.material {
        Material::Rsa { private, .. }
        | Material::Ec { private, .. }
        | Material::Ed { private, .. } => {
            *private = None;
        }
        Material::Secret(_) => {}
    }
    Ok(VerifyKey {
        kid: key.kid.clone(),
        algorithms: key.algorithms(),
        key: public,
        parsed: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{self, KeySpec};

    #[test]
    fn verifiers_are_built_on_first_use_and_kept() {
        let key = keys::generate(KeySpec::Rsa {
            bits: 2048,
            alg: Alg::Rs256,
        })
        .unwrap();
        let vk = verify_key(&key).unwrap();
        assert_eq!(vk.built(), 0, "nothing is parsed up front");
        let first: *const Verifier = vk.verifier(Alg::Rs256).unwrap();
        let again: *const Verifier = vk.verifier(Alg::Rs256).unwrap();
        assert_eq!(first, again, "the parsed key is kept");
        assert_eq!(vk.built(), 1);
        assert!(
            matches!(vk.verifier(Alg::Es512), Err(why) if why.contains("unsupported algorithm ES512"))
        );
    }
}
