//! Key generation from the OS random generator (aws-lc): RSA, EC P-256/P-384, Ed25519 and HMAC
//! secrets, each pinned to the algorithm it was made for.

use super::pem::pkcs8;
use super::*;

/// What `keygen` can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySpec {
    /// An RSA key pinned to `alg` (RS* or PS*: the PEM is the same, the JWK's `alg` differs).
    Rsa { bits: usize, alg: Alg },
    /// An EC key on the curve of `alg` (ES256: P-256, ES384: P-384).
    Ec(Alg),
    /// An Ed25519 key for EdDSA.
    Ed25519,
    /// A random secret for HS256/384/512.
    Hmac(Alg),
}

impl KeySpec {
    /// The key to make for `alg`; `rsa_bits` sizes an RSA key. ES512 is refused: jwtctl cannot
    /// sign with it.
    pub fn for_alg(alg: Alg, rsa_bits: usize) -> Result<Self> {
        Ok(match alg.family() {
            Family::Hmac => KeySpec::Hmac(alg),
            Family::Rsa => KeySpec::Rsa {
                bits: rsa_bits,
                alg,
            },
            Family::Ed => KeySpec::Ed25519,
            Family::Ec if alg.supported() => KeySpec::Ec(alg),
            Family::Ec => {
                return Err(key_err(format!(
                    "unsupported algorithm {alg}: jwtctl cannot sign with it, so it makes no such key"
                )));
            }
        })
    }
}

/// Generates a key from the OS RNG. RSA uses aws-lc (compared in bench/README.md).
/// An HMAC secret is exactly `hash size` random bytes (32/48/64), so its length alone says its
/// algorithm when it is read back from a file (a secret signs with the strongest HS its length
/// allows). A secret file loses one trailing newline when read (DECISIONS §2), so a draw whose
/// last byte is `\n` is drawn again, as is one that would read as a key file: that costs
/// log2(256/255) ≈ 0.006 bits of the 256/384/512, nothing an attacker can use.
pub fn generate(spec: KeySpec) -> Result<Key> {
    let failed = |what: &str| key_err(format!("{what} key generation failed"));
    let (mut key, alg) = match spec {
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
            let kp = race_rsa(size).ok_or_else(|| failed("RSA"))?;
            let der = kp.as_der().map_err(|_| failed("RSA"))?;
            (pkcs8(der.as_ref()).ok_or_else(|| failed("RSA"))??, alg)
        }
        KeySpec::Ec(alg) => {
            let curve = match alg {
                Alg::Es256 => Curve::P256,
                Alg::Es384 => Curve::P384,
                other => return Err(key_err(format!("cannot make an EC key for {other}"))),
            };
            let kp = sig::EcdsaKeyPair::generate(curve.signing()).map_err(|_| failed("EC"))?;
            let der = kp.to_pkcs8v1().map_err(|_| failed("EC"))?;
            (pkcs8(der.as_ref()).ok_or_else(|| failed("EC"))??, alg)
        }
        KeySpec::Ed25519 => {
            let kp = sig::Ed25519KeyPair::generate().map_err(|_| failed("Ed25519"))?;
            let der = kp.to_pkcs8v1().map_err(|_| failed("Ed25519"))?;
            (
                pkcs8(der.as_ref()).ok_or_else(|| failed("Ed25519"))??,
                Alg::EdDsa,
            )
        }
        KeySpec::Hmac(alg) => {
            let mut raw = vec![0u8; alg.min_secret_len()];
            loop {
                aws_lc_rs::rand::fill(&mut raw)
                    .map_err(|_| key_err("the OS random generator failed"))?;
                if raw.last() != Some(&b'\n') && secret(raw.clone()).is_ok() {
                    break;
                }
            }
            (Key::new(Material::Secret(raw)), alg)
        }
    };
    key.pin(alg)?;
    key.check_strength()?;
    Ok(key)
}

/// Generates an RSA key pair, racing two searches when there are two cores to run them.
///
/// RSA key generation is a search for two random primes: its time varies widely from run to run
/// and aws-lc runs it on one core. Two independent searches on two cores, keeping whichever key
/// is found first, bring the median down (bench/run.sh measures it; bench/README.md).
/// Every candidate aws-lc tries is a fresh random number, so the time a search takes says
/// nothing about the primes it finds: the winning key is distributed exactly as one search's.
/// The losing search is abandoned, not awaited; at exit aws-lc zeroizes its random state and
/// stops it from drawing more (its `rand_thread_local_state_clear_all`).
fn race_rsa(size: aws_lc_rs::rsa::KeySize) -> Option<aws_lc_rs::rsa::KeyPair> {
    use aws_lc_rs::rsa::KeyPair;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if cores < 2 {
        return KeyPair::generate(size).ok();
    }
    let (found, first) = std::sync::mpsc::channel();
    let mut searches = 0;
    for _ in 0..2 {
        let found = found.clone();
        // The receiver is gone once a key has been taken: the loser's send fails, harmlessly.
        let search = move || drop(found.send(KeyPair::generate(size)));
        if std::thread::Builder::new()
            .name("rsa-keygen".into())
            .spawn(search)
            .is_ok()
        {
            searches += 1;
        }
    }
    drop(found);
    if searches == 0 {
        return KeyPair::generate(size).ok();
    }
    // The first key found; None only when every search failed.
    first.iter().find_map(Result::ok)
}
