//! The keyring in the home directory (DECISIONS §3): every key `keygen` made, which one signs,
//! and the public keys `verify` looks up by `kid`. One JSON file, mode 0600, replaced atomically
//! under a lock on the home directory, so concurrent `keygen` runs never lose a key; readers take
//! no lock and never write (a read-only home serves `sign`, `verify`, `jwks`, `keys list`).
//!
//! The file carries a format `version`: a newer one is refused, never rewritten; members this
//! version does not know are kept as they are when the file is rewritten. A keyring or home that
//! others may read or change is refused (`files::check_private`), and the file is read with a
//! size cap, as a regular file only.
//!
//! Rotation: each `keygen` adds a key and makes it active; older keys keep verifying until they
//! are retired. A retired key stays in the file as history but never signs or verifies again,
//! and the active key cannot be retired (make another one active first).

use super::{Ambiguous, key_err, key_err_hint};
use crate::alg::Alg;
use crate::files::{self, FileError};
use crate::keys::{self, Key, Material};
use anyhow::{Context, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

const FILE: &str = "keyring.json";
/// The lock file, used only where the home directory itself cannot be locked (NFS).
const LOCK: &str = "keyring.lock";
/// The keyring format this jwtctl writes and the newest it reads. Files without a version are
/// version 1 (they were written before it was recorded).
const VERSION: u64 = 1;
/// Largest keyring read: thousands of keys; anything bigger is not a keyring jwtctl wrote.
const MAX_BYTES: u64 = 16 << 20;

/// How a writer waits for the keyring lock: at most `limit`, calling `waiting` once when the
/// wait has lasted a second (`files::NOTICE_AFTER`), so the command can say so.
pub struct LockWait<'a> {
    pub limit: Duration,
    /// The environment variable that sets `limit`, named in the hint on a timeout.
    pub var: &'a str,
    pub waiting: &'a mut dyn FnMut(),
}

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
            key_err_hint(
                "no home directory for the keyring",
                "pass --home DIR or set JWTCTL_HOME",
            )
        })
}

#[derive(Serialize, Deserialize, Default)]
struct KeyringFile {
    #[serde(default)]
    version: Option<u64>,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    keys: Vec<Entry>,
    /// Members this version does not know, written back unchanged.
    #[serde(flatten)]
    other: Map<String, Value>,
}

/// Only the version, read first: a newer file is refused before its shape is judged.
#[derive(Deserialize)]
struct VersionOnly {
    #[serde(default)]
    version: Option<Value>,
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
    /// When the key was retired (Unix seconds); a retired key neither signs nor verifies.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    retired: Option<i64>,
    /// Members this version does not know, written back unchanged.
    #[serde(flatten)]
    other: Map<String, Value>,
}

/// What `jwtctl keys list` shows of one key: never its material.
#[derive(Serialize, Clone, Debug)]
pub struct KeyInfo {
    pub kid: String,
    pub alg: String,
    pub created: i64,
    pub active: bool,
    pub retired: Option<i64>,
}

/// What `verify` takes from the keyring.
pub struct Verifying {
    /// Every key that is not retired, its public half only.
    pub keys: Vec<Key>,
    /// The index of the active key in `keys`.
    pub active: Option<usize>,
    /// Retired kids and the reason they no longer verify.
    pub retired: Vec<(String, String)>,
}

/// Exit 11 with a hint: the keyring cannot do what was asked.
fn refuse(message: String, hint: &str) -> anyhow::Error {
    key_err_hint(message, hint)
}

/// The keyring as read from disk.
pub struct Keyring {
    path: PathBuf,
    file: KeyringFile,
}

impl Keyring {
    /// Reads the keyring under `home`; a missing one (or a missing home) is empty. Takes no
    /// lock and writes nothing. Refused: a home or keyring others may change or read, a keyring
    /// that is not a regular file or is over the size cap, and a newer format.
    pub fn open(home: &Path) -> Result<Self> {
        let path = home.join(FILE);
        match std::fs::metadata(home) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Keyring {
                    path,
                    file: KeyringFile::default(),
                });
            }
            _ => files::check_private(home, "home directory")?,
        }
        let bytes = match files::read_private(&path, MAX_BYTES, "keyring") {
            Ok(bytes) => bytes,
            Err(e)
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) =>
            {
                return Ok(Keyring {
                    path,
                    file: KeyringFile::default(),
                });
            }
            Err(e) => return Err(e),
        };
        let corrupt =
            |e: serde_json::Error| key_err(format!("keyring {} is corrupt: {e}", path.display()));
        let version = serde_json::from_slice::<VersionOnly>(&bytes)
            .map_err(corrupt)?
            .version;
        match version {
            None => {}
            Some(Value::Number(n)) if n.as_u64().is_some_and(|v| (1..=VERSION).contains(&v)) => {}
            Some(v) => {
                return Err(FileError::Newer {
                    message: format!(
                        "keyring {} has format version {v}; this jwtctl reads version {VERSION} \
                         and will not change it",
                        path.display()
                    ),
                    hint: "use the newer jwtctl that wrote it".to_owned(),
                }
                .into());
            }
        }
        let file = serde_json::from_slice(&bytes).map_err(corrupt)?;
        Ok(Keyring { path, file })
    }

    /// Path of the keyring file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `change` on the keyring under its lock, then `deliver` (the command's output),
    /// then writes the result atomically: nothing is committed unless `deliver` succeeded
    /// (DECISIONS §2b), and a failed `change` writes nothing.
    fn update<T>(
        home: &Path,
        wait: LockWait<'_>,
        change: impl FnOnce(&mut KeyringFile) -> Result<T>,
        deliver: impl FnOnce(&T) -> Result<()>,
    ) -> Result<T> {
        files::create_private_dir(home)?;
        files::check_private(home, "home directory")?;
        let _lock = files::lock_dir(
            home,
            LOCK,
            "the keyring in",
            wait.limit,
            wait.var,
            wait.waiting,
        )?;
        let mut ring = Keyring::open(home)?;
        let out = change(&mut ring.file)?;
        ring.file.version = Some(VERSION);
        let json = serde_json::to_vec_pretty(&ring.file).context("encoding the keyring")?;
        deliver(&out)?;
        files::write_atomic(&ring.path, &json, 0o600, true)?;
        Ok(out)
    }

    /// Adds `key` under its kid and makes it the active signing key, after `deliver` (which
    /// prints the kid) succeeded. A kid already present (retired ones included) is refused
    /// rather than replaced, before `deliver`.
    pub fn add(
        home: &Path,
        key: &Key,
        alg: Alg,
        now: i64,
        wait: LockWait<'_>,
        deliver: impl FnOnce() -> Result<()>,
    ) -> Result<PathBuf> {
        let kid = key.kid.clone().unwrap_or_else(|| key.thumbprint());
        let (private_pem, public_jwk, secret) = match &key.material {
            Material::Secret(s) => (None, None, Some(URL_SAFE_NO_PAD.encode(s))),
            _ => (Some(key.private_pem()?), Some(key.public_jwk()?), None),
        };
        Keyring::update(
            home,
            wait,
            |file| {
                if file.keys.iter().any(|e| e.kid == kid) {
                    return Err(refuse(
                        format!("the keyring already holds a key with kid {kid:?}"),
                        "pick another --kid",
                    ));
                }
                file.keys.push(Entry {
                    kid: kid.clone(),
                    alg: alg.name().into(),
                    created: now,
                    private_pem,
                    public_jwk,
                    secret,
                    retired: None,
                    other: Map::new(),
                });
                file.active = Some(kid);
                Ok(())
            },
            |()| deliver(),
        )?;
        Ok(home.join(FILE))
    }

    /// Retires the key `kid` names (its kid, or a unique start of it): it stays in the file but
    /// never signs or verifies again. Returns its full kid, and false when it was already
    /// retired (nothing changes); the active key is refused.
    pub fn retire(home: &Path, kid: &str, now: i64, wait: LockWait<'_>) -> Result<(String, bool)> {
        Keyring::update(
            home,
            wait,
            |file| {
                let i = find(file, kid)?;
                let is_active = file.active.as_deref() == Some(file.keys[i].kid.as_str());
                let entry = &mut file.keys[i];
                if entry.retired.is_some() {
                    return Ok((entry.kid.clone(), false));
                }
                if is_active {
                    return Err(refuse(
                        format!(
                            "{:?} is the active signing key; it cannot be retired",
                            entry.kid
                        ),
                        "make another key active first: `jwtctl keygen --es256` (a new one) or \
                         `jwtctl keys activate KID`",
                    ));
                }
                entry.retired = Some(now);
                Ok((entry.kid.clone(), true))
            },
            |_| Ok(()),
        )
    }

    /// Makes the key `kid` names (its kid, or a unique start of it) the active signing key;
    /// returns its full kid. A retired key stays retired.
    pub fn activate(home: &Path, kid: &str, wait: LockWait<'_>) -> Result<String> {
        Keyring::update(
            home,
            wait,
            |file| {
                let i = find(file, kid)?;
                let entry = &file.keys[i];
                if entry.retired.is_some() {
                    return Err(refuse(
                        format!("{:?} is retired; retired keys never sign again", entry.kid),
                        "create a new key with `jwtctl keygen`",
                    ));
                }
                let full = entry.kid.clone();
                file.active = Some(full.clone());
                Ok(full)
            },
            |_| Ok(()),
        )
    }

    /// Every key, oldest first, for `jwtctl keys list`.
    #[must_use]
    pub fn list(&self) -> Vec<KeyInfo> {
        self.file
            .keys
            .iter()
            .map(|e| KeyInfo {
                kid: e.kid.clone(),
                alg: e.alg.clone(),
                created: e.created,
                active: self.file.active.as_ref() == Some(&e.kid),
                retired: e.retired,
            })
            .collect()
    }

    /// The public JWKS services verify with: every key that is not retired and not an HMAC
    /// secret, each a public JWK with `kid`, `alg` and `use`.
    pub fn public_jwks(&self) -> Result<serde_json::Value> {
        let keys = self
            .file
            .keys
            .iter()
            .filter(|e| e.retired.is_none() && e.secret.is_none())
            .map(|e| self.load(e, true).and_then(|k| k.public_jwk()))
            .collect::<Result<Vec<_>>>()?;
        Ok(serde_json::json!({ "keys": keys }))
    }

    /// Whether the keyring holds no key at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.file.keys.is_empty()
    }

    /// Loads an entry: its public half only when `public` and one is stored (cheap: no private
    /// key is parsed), else the whole key.
    fn load(&self, entry: &Entry, public: bool) -> Result<Key> {
        let corrupt = |what: &str| {
            key_err(format!(
                "keyring {}: key {:?} {what}",
                self.path.display(),
                entry.kid
            ))
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
        key.pin(Alg::from_name(&entry.alg).ok_or_else(|| corrupt("has an unknown alg"))?)?;
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
                key_err_hint(format!("no signing key: the keyring {} is empty", self.path.display()),
                    "create one with `jwtctl keygen --rs256`, or pass --key FILE / --secret-file FILE",
                )
            })?;
        self.load(entry, false)
    }

    /// A key that may sign, by kid (`sign --kid`): present and not retired.
    pub fn signing_key(&self, kid: &str) -> Result<Key> {
        let entry = self
            .file
            .keys
            .iter()
            .find(|e| e.kid == kid)
            .ok_or_else(|| {
                refuse(
                    format!("the keyring holds no key with kid {kid:?}"),
                    "list the keys with `jwtctl keys list`",
                )
            })?;
        if entry.retired.is_some() {
            return Err(refuse(
                format!("key {kid:?} is retired; retired keys never sign"),
                "sign with the active key: leave out --kid",
            ));
        }
        self.load(entry, false)
    }

    /// The verifying half of every key that is not retired, for `verify` by kid.
    pub fn verifying_keys(&self) -> Result<Verifying> {
        let live: Vec<&Entry> = self
            .file
            .keys
            .iter()
            .filter(|e| e.retired.is_none())
            .collect();
        if live.is_empty() {
            return Err(key_err_hint(
                format!(
                    "no key to verify with: the keyring {} is {}",
                    self.path.display(),
                    if self.file.keys.is_empty() {
                        "empty"
                    } else {
                        "all retired"
                    }
                ),
                "pass --key FILE or --secret-file FILE, or create a key with `jwtctl keygen --rs256`",
            ));
        }
        let keys = live
            .iter()
            .map(|e| self.load(e, true))
            .collect::<Result<Vec<_>>>()?;
        let active = self
            .file
            .active
            .as_ref()
            .and_then(|a| live.iter().position(|e| &e.kid == a));
        let retired = self
            .file
            .keys
            .iter()
            .filter_map(|e| {
                e.retired.map(|t| {
                    (
                        e.kid.clone(),
                        format!("it was retired ({})", crate::time::rfc3339(t as f64)),
                    )
                })
            })
            .collect();
        Ok(Verifying {
            keys,
            active,
            retired,
        })
    }
}

/// Most candidates an ambiguous prefix lists.
const MAX_CANDIDATES: usize = 8;

/// The index of the entry `kid` names: its exact kid, else the one kid that starts with it.
/// None is a key error naming `keys list`; several is [`Ambiguous`], listing them.
fn find(file: &KeyringFile, kid: &str) -> Result<usize> {
    if let Some(i) = file.keys.iter().position(|e| e.kid == kid) {
        return Ok(i);
    }
    let matches: Vec<usize> = (0..file.keys.len())
        .filter(|&i| !kid.is_empty() && file.keys[i].kid.starts_with(kid))
        .collect();
    match matches.as_slice() {
        [i] => Ok(*i),
        [] => Err(refuse(
            format!("the keyring holds no key with kid {kid:?}"),
            "list the keys with `jwtctl keys list`",
        )),
        many => {
            let mut names: Vec<String> = many
                .iter()
                .take(MAX_CANDIDATES)
                .map(|&i| format!("{:?}", short(&file.keys[i].kid)))
                .collect();
            if many.len() > MAX_CANDIDATES {
                names.push(format!("and {} more", many.len() - MAX_CANDIDATES));
            }
            Err(Ambiguous {
                message: format!(
                    "{kid:?} is the start of {} kids: {}",
                    many.len(),
                    names.join(", ")
                ),
                hint: "give more of the kid (`jwtctl keys list` shows them)".to_owned(),
            }
            .into())
        }
    }
}

/// A kid for a message: at most 64 characters, the rest elided.
fn short(kid: &str) -> String {
    match kid.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &kid[..end]),
        None => kid.to_owned(),
    }
}
