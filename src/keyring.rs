//! The keyring in the home directory (DECISIONS §3): every key `keygen` made, which one signs,
//! and the public keys `verify` looks up by `kid`. One JSON file, mode 0600, replaced atomically
//! under a lock, so concurrent `keygen` runs never lose a key.

use crate::exit::{Exit, fail, fail_hint};
use crate::files;
use crate::keys::{self, Key, Material};
use crate::token::{Alg, KeySet, SignKey};
use anyhow::{Context, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};

const FILE: &str = "keyring.json";
const LOCK: &str = "keyring.lock";

/// The home directory: `--home`/`JWTCTL_HOME` (given), else `$XDG_DATA_HOME/jwtctl`, else
/// `~/.local/share/jwtctl`.
pub fn resolve_home(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = given.filter(|p| !p.as_os_str().is_empty()) {
        return Ok(p.to_path_buf());
    }
    let var = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(xdg) = var("XDG_DATA_HOME") {
        return Ok(xdg.join("jwtctl"));
    }
    var("HOME")
        .map(|h| h.join(".local/share/jwtctl"))
        .ok_or_else(|| {
            fail_hint(
                Exit::Key,
                "no home directory for the keyring",
                "pass --home DIR or set JWTCTL_HOME",
            )
        })
}

#[derive(Serialize, Deserialize, Default)]
struct KeyringFile {
    version: u32,
    active: Option<String>,
    keys: Vec<Entry>,
}

#[derive(Serialize, Deserialize, Clone)]
struct Entry {
    kid: String,
    alg: String,
    created: i64,
    /// PKCS#8 PEM of an asymmetric key.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    private_pem: Option<String>,
    /// The public JWK, so `verify` never has to parse a private key.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    public_jwk: Option<serde_json::Value>,
    /// base64url of an HMAC secret's bytes.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    secret: Option<String>,
}

/// The keyring as read from disk.
pub struct Keyring {
    path: PathBuf,
    file: KeyringFile,
}

impl Keyring {
    /// Reads the keyring under `home`; a missing one is empty.
    pub fn open(home: &Path) -> Result<Self> {
        let path = home.join(FILE);
        let file = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                fail(
                    Exit::Key,
                    format!("keyring {} is corrupt: {e}", path.display()),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => KeyringFile::default(),
            Err(e) => return Err(e).with_context(|| format!("reading keyring {}", path.display())),
        };
        Ok(Keyring { path, file })
    }

    /// Path of the keyring file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds `key` under its kid and makes it the active signing key. A kid already present is
    /// refused rather than replaced.
    pub fn add(home: &Path, key: &Key, alg: Alg, now: i64) -> Result<PathBuf> {
        files::create_private_dir(home)?;
        let lock_path = home.join(LOCK);
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("opening {}", lock_path.display()))?;
        lock.lock()
            .with_context(|| format!("locking {}", lock_path.display()))?;
        let mut ring = Keyring::open(home)?;
        let kid = key.kid.clone().unwrap_or_else(|| key.thumbprint());
        if ring.file.keys.iter().any(|e| e.kid == kid) {
            return Err(fail(
                Exit::Key,
                format!("the keyring already holds a key with kid {kid:?}"),
            ));
        }
        let (private_pem, public_jwk, secret) = match &key.material {
            Material::Secret(s) => (None, None, Some(URL_SAFE_NO_PAD.encode(s))),
            _ => (Some(key.private_pem()?), Some(key.public_jwk()?), None),
        };
        ring.file.version = 1;
        ring.file.keys.push(Entry {
            kid: kid.clone(),
            alg: alg.name().into(),
            created: now,
            private_pem,
            public_jwk,
            secret,
        });
        ring.file.active = Some(kid);
        let json = serde_json::to_vec_pretty(&ring.file).context("encoding the keyring")?;
        files::write_atomic(&ring.path, &json, 0o600, true)?;
        Ok(ring.path)
    }

    /// Loads an entry: its public half only when `public` and one is stored (cheap: no private
    /// key is parsed), else the whole key.
    fn load(&self, entry: &Entry, public: bool) -> Result<Key> {
        let corrupt = |what: &str| {
            fail(
                Exit::Key,
                format!(
                    "keyring {}: key {:?} {what}",
                    self.path.display(),
                    entry.kid
                ),
            )
        };
        let mut key = match (&entry.private_pem, &entry.secret) {
            (_, None) if public && entry.public_jwk.is_some() => {
                let jwk = entry
                    .public_jwk
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                keys::parse(jwk.as_bytes())?
                    .keys
                    .pop()
                    .ok_or_else(|| corrupt("is empty"))?
            }
            (Some(pem), _) => keys::parse(pem.as_bytes())?
                .keys
                .pop()
                .ok_or_else(|| corrupt("is empty"))?,
            (None, Some(s)) => keys::secret(
                URL_SAFE_NO_PAD
                    .decode(s)
                    .map_err(|_| corrupt("has a bad secret"))?,
            )?,
            (None, None) => return Err(corrupt("has no key material")),
        };
        key.kid = Some(entry.kid.clone());
        key.alg = Some(Alg::from_name(&entry.alg).ok_or_else(|| corrupt("has an unknown alg"))?);
        Ok(key)
    }

    /// The active signing key.
    pub fn active(&self) -> Result<Key> {
        let entry = self
            .file
            .active
            .as_ref()
            .and_then(|kid| self.file.keys.iter().find(|e| &e.kid == kid))
            .ok_or_else(|| {
                fail_hint(
                    Exit::Key,
                    format!("no signing key: the keyring {} is empty", self.path.display()),
                    "create one with `jwtctl keygen --rs256`, or pass --key FILE / --secret-file FILE",
                )
            })?;
        self.load(entry, false)
    }

    /// Every key's verifying half, for `verify` by kid, and the index of the active one.
    pub fn all(&self) -> Result<(Vec<Key>, Option<usize>)> {
        if self.file.keys.is_empty() {
            return Err(fail_hint(
                Exit::Key,
                format!(
                    "no key to verify with: the keyring {} is empty",
                    self.path.display()
                ),
                "pass --key FILE or --secret-file FILE, or create a key with `jwtctl keygen --rs256`",
            ));
        }
        let keys = self
            .file
            .keys
            .iter()
            .map(|e| self.load(e, true))
            .collect::<Result<Vec<_>>>()?;
        let active = self
            .file
            .active
            .as_ref()
            .and_then(|a| self.file.keys.iter().position(|e| &e.kid == a));
        Ok((keys, active))
    }

    /// Every public key as a set searched by exact `kid`, the active key serving tokens without
    /// one: what `verify` and `refresh` check signatures against.
    pub fn key_set(&self) -> Result<KeySet> {
        let (keys, active) = self.all()?;
        Ok(KeySet {
            keys: keys.iter().map(Key::verify_key).collect::<Result<_>>()?,
            by_kid: true,
            default: active,
        })
    }

    /// The active key, ready to sign with its own algorithm and `kid` (exit 11 when there is none).
    pub fn signer(&self) -> Result<SignKey> {
        let key = self.active()?;
        let alg = key.default_alg();
        key.check_alg(alg)?;
        Ok(SignKey {
            alg,
            kid: key.kid.clone(),
            key: key.encoding_key()?,
        })
    }
}
