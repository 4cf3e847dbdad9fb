//! Key generation from the OS random generator (aws-lc).

use super::pem::pkcs8;
use super::*;

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
