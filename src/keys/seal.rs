//! The keyring sealed for a shared store (`--keyring-in-store`): the keyring's JSON, exactly the
//! bytes the file keyring would hold, encrypted and authenticated with AES-256-GCM under a key
//! derived from the keyring secret, so the store holds no key material anyone without the secret
//! can read, and a blob that was altered (or sealed under another secret) is refused, never used.
//!
//! A sealed blob is `MAGIC ‖ FORMAT ‖ salt(16) ‖ nonce(12) ‖ ciphertext ‖ tag(16)`. The sealing
//! key is HKDF-SHA256 of the secret with the blob's random salt and an info string naming jwtctl
//! and the format, so each blob has its own key; the nonce is random too. The whole header
//! (magic, format, salt, nonce) is the AEAD's associated data: none of it can be changed unseen.
//! The secret itself is at least [`MIN_SECRET`] bytes; it is never stored, printed or logged.

use super::{key_err, key_err_hint};
use crate::files::FileError;
use anyhow::Result;
use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::hkdf::{HKDF_SHA256, Salt};

/// Fewest bytes a keyring secret may have: as many as the AES-256 key it derives.
pub const MIN_SECRET: usize = 32;
/// What every sealed keyring starts with.
const MAGIC: &[u8] = b"jwtctl-keyring";
/// The sealed format this jwtctl writes and the newest it reads.
const FORMAT: u8 = 1;
/// The HKDF info: what the derived key is for, and in which format.
const INFO: &[u8] = b"jwtctl keyring sealing key, format 1";
const SALT_LEN: usize = 16;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = MAGIC.len() + 1 + SALT_LEN + NONCE_LEN;
/// The command that makes a good secret, for hints.
pub const MAKE_SECRET: &str = "head -c 32 /dev/urandom | base64 > kek";

/// The key-encryption secret of the keyring in a store. Its bytes never appear in `Debug`.
pub struct KeyringSecret(Vec<u8>);

impl std::fmt::Debug for KeyringSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyringSecret(..)")
    }
}

impl KeyringSecret {
    /// A secret from `bytes`; `from` names where it came from (a file, a variable) for the
    /// refusal of a short one (exit 11).
    pub fn new(bytes: Vec<u8>, from: &str) -> Result<Self> {
        if bytes.len() < MIN_SECRET {
            return Err(key_err_hint(
                format!(
                    "the keyring secret in {from} has {} bytes; at least {MIN_SECRET} are needed",
                    bytes.len()
                ),
                format!("make one with `{MAKE_SECRET}`"),
            ));
        }
        Ok(KeyringSecret(bytes))
    }

    /// The AES-256-GCM key for a blob with this `salt`.
    fn key(&self, salt: &[u8]) -> Result<LessSafeKey> {
        let prk = Salt::new(HKDF_SHA256, salt).extract(&self.0);
        let info = [INFO];
        let mut bytes = [0u8; 32];
        prk.expand(&info, HKDF_SHA256)
            .and_then(|okm| okm.fill(&mut bytes))
            .map_err(|_| key_err("deriving the keyring sealing key failed"))?;
        let key = UnboundKey::new(&AES_256_GCM, &bytes)
            .map_err(|_| key_err("the keyring sealing key was refused"))?;
        Ok(LessSafeKey::new(key))
    }
}

/// Seals `plain` (the keyring's JSON) under `secret`: a fresh salt and nonce from the OS RNG.
pub fn seal(secret: &KeyringSecret, plain: &[u8]) -> Result<Vec<u8>> {
    let mut random = [0u8; SALT_LEN + NONCE_LEN];
    aws_lc_rs::rand::fill(&mut random).map_err(|_| key_err("the OS RNG failed"))?;
    let (salt, nonce) = random.split_at(SALT_LEN);
    let mut blob = Vec::with_capacity(HEADER_LEN + plain.len() + TAG_LEN);
    blob.extend_from_slice(MAGIC);
    blob.push(FORMAT);
    blob.extend_from_slice(&random);
    let nonce = Nonce::try_assume_unique_for_key(nonce)
        .map_err(|_| key_err("the keyring nonce was refused"))?;
    let mut body = plain.to_vec();
    secret
        .key(salt)?
        .seal_in_place_append_tag(nonce, Aad::from(&blob[..HEADER_LEN]), &mut body)
        .map_err(|_| key_err("sealing the keyring failed"))?;
    blob.extend_from_slice(&body);
    Ok(blob)
}

/// Opens a blob [`seal`] made. `name` says which keyring it is (`in store ...`). A blob that is
/// not a sealed keyring, was altered, or was sealed under another secret is exit 11; one in a
/// newer format is exit 10, like a newer keyring file (never touched).
pub fn unseal(secret: &KeyringSecret, blob: &[u8], name: &str) -> Result<Vec<u8>> {
    let format = blob.get(MAGIC.len()).copied();
    if !blob.starts_with(MAGIC) || format.is_none_or(|f| f < FORMAT) {
        return Err(key_err_hint(
            format!("the keyring {name} is not a sealed jwtctl keyring"),
            "replace it from a home's keyring with `jwtctl keys push --force`",
        ));
    }
    let format = format.unwrap_or(FORMAT);
    if format > FORMAT {
        return Err(FileError::Newer {
            message: format!(
                "the keyring {name} is sealed in format {format}; this jwtctl reads format \
                 {FORMAT} and will not change it"
            ),
            hint: "use the newer jwtctl that wrote it".to_owned(),
        }
        .into());
    }
    let wrong = || {
        key_err_hint(
            format!("cannot open the keyring {name}: wrong keyring secret?"),
            "every jwtctl sharing the store needs the same secret (JWTCTL_KEYRING_SECRET or \
             --keyring-secret-file); a sealed keyring that was altered is refused the same way",
        )
    };
    if blob.len() < HEADER_LEN + TAG_LEN {
        return Err(wrong());
    }
    let (header, body) = blob.split_at(HEADER_LEN);
    let salt = &header[MAGIC.len() + 1..MAGIC.len() + 1 + SALT_LEN];
    let nonce = Nonce::try_assume_unique_for_key(&header[MAGIC.len() + 1 + SALT_LEN..])
        .map_err(|_| wrong())?;
    let mut body = body.to_vec();
    let plain = secret
        .key(salt)?
        .open_in_place(nonce, Aad::from(header), &mut body)
        .map_err(|_| wrong())?;
    let len = plain.len();
    body.truncate(len);
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(byte: u8) -> KeyringSecret {
        KeyringSecret::new(vec![byte; 44], "test").unwrap()
    }

    #[test]
    fn a_sealed_keyring_opens_with_its_secret_only() {
        let plain = br#"{"version":1,"keys":[]}"#;
        let blob = seal(&secret(1), plain).unwrap();
        assert_eq!(unseal(&secret(1), &blob, "in store x").unwrap(), plain);
        assert!(!blob.windows(plain.len()).any(|w| w == plain));
        let err = unseal(&secret(2), &blob, "in store x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot open the keyring in store x: wrong keyring secret?"
        );
        // Two seals of the same keyring share nothing but the magic and format.
        let again = seal(&secret(1), plain).unwrap();
        assert_ne!(blob[MAGIC.len() + 1..], again[MAGIC.len() + 1..]);
    }

    #[test]
    fn every_altered_byte_is_refused() {
        let blob = seal(&secret(1), b"{\"keys\":[]}").unwrap();
        for i in 0..blob.len() {
            let mut bad = blob.clone();
            bad[i] ^= 0x01;
            let err = unseal(&secret(1), &bad, "in store x").unwrap_err();
            let is_key = err.downcast_ref::<crate::keys::KeyError>().is_some();
            let is_newer = err.downcast_ref::<FileError>().is_some();
            assert!(is_key && !is_newer, "byte {i}: {err}");
        }
        for cut in [
            0,
            5,
            MAGIC.len(),
            MAGIC.len() + 1,
            HEADER_LEN,
            blob.len() - 1,
        ] {
            assert!(
                unseal(&secret(1), &blob[..cut], "x").is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = blob.clone();
        longer.push(0);
        assert!(unseal(&secret(1), &longer, "x").is_err());
    }

    #[test]
    fn short_secrets_are_refused_naming_the_fix() {
        let err = KeyringSecret::new(vec![7; 31], "kek").unwrap_err();
        let key = err.downcast_ref::<crate::keys::KeyError>().unwrap();
        assert!(key.message.contains("31 bytes"), "{}", key.message);
        assert!(key.hint.as_deref().unwrap().contains(MAKE_SECRET));
        assert!(KeyringSecret::new(vec![7; 32], "kek").is_ok());
        assert_eq!(format!("{:?}", secret(9)), "KeyringSecret(..)");
    }

    #[test]
    fn a_newer_format_is_not_a_key_error() {
        let mut blob = seal(&secret(1), b"{}").unwrap();
        blob[MAGIC.len()] = FORMAT + 1;
        let err = unseal(&secret(1), &blob, "in store x").unwrap_err();
        assert!(matches!(
            err.downcast_ref::<FileError>(),
            Some(FileError::Newer { .. })
        ));
    }
}
