//! The keyring (DECISIONS §3): every key `keygen` made, which one signs, and the public keys
//! `verify` looks up by `kid`. It lives in the home directory (one JSON file, mode 0600,
//! replaced atomically under a lock on the home directory, so concurrent `keygen` runs never
//! lose a key; readers take no lock and never write, so a read-only home serves `sign`,
//! `verify`, `jwks`, `keys list`), or, sealed (`keys::seal`), in a shared refresh store
//! (`--keyring-in-store`): the same JSON, the same checks and the same changes, which the
//! commands apply there as a compare-and-set.
//!
//! The JSON carries a format `version`: a newer one is refused, never rewritten; members this
//! version does not know are kept as they are when it is rewritten. A keyring file or home that
//! others may read or change is refused (`files::check_private`), and the file is read with a
//! size cap, as a regular file only.
//!
//! Rotation: each `keygen` adds a key and makes it active; older keys keep verifying until they
//! are retired. A retired key stays in the keyring as history but never signs or verifies again,
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
pub const MAX_BYTES: u64 = 16 << 20;

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

/// A keyring as read from its home file or from a store, in memory.
pub struct Keyring {
    /// What messages call it: the file's path, or `in store URL`.
    name: String,
    file: KeyringFile,
}

impl Keyring {
    /// Reads the keyring under `home`; a missing one (or a missing home) is empty. Takes no
    /// lock and writes nothing. Refused: a home or keyring others may change or read, a keyring
    /// that is not a regular file or is over the size cap, and a newer format.
    pub fn open(home: &Path) -> Result<Self> {
        let path = file_path(home);
        let name = path.display().to_string();
        match std::fs::metadata(home) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Keyring::empty(name));
            }
            _ => files::check_private(home, "home directory")?,
        }
        let bytes = match files::read_private(&path, MAX_BYTES, "keyring") {
            Ok(bytes) => bytes,
            Err(e)
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) =>
            {
                return Ok(Keyring::empty(name));
            }
            Err(e) => return Err(e),
        };
        Keyring::parse(&bytes, name)
    }

    /// An empty keyring; `name` is what messages call it (`in store URL`).
    #[must_use]
    pub fn empty(name: impl Into<String>) -> Self {
        Keyring {
            name: name.into(),
            file: KeyringFile::default(),
        }
    }

    /// A keyring from its JSON (what [`Keyring::to_bytes`] wrote, wherever it was kept), with
    /// the checks a keyring file gets: a newer format is refused (exit 10, never rewritten),
    /// anything that is not a keyring is corrupt (exit 11). `name` says where it came from.
    pub fn parse(bytes: &[u8], name: impl Into<String>) -> Result<Self> {
        let name = name.into();
        let corrupt = |e: serde_json::Error| key_err(format!("keyring {name} is corrupt: {e}"));
        if bytes.len() as u64 > MAX_BYTES {
            return Err(key_err(format!(
                "keyring {name} is larger than {MAX_BYTES} bytes"
            )));
        }
        let version = serde_json::from_slice::<VersionOnly>(bytes)
            .map_err(corrupt)?
            .version;
        match version {
            None => {}
            Some(Value::Number(n)) if n.as_u64().is_some_and(|v| (1..=VERSION).contains(&v)) => {}
            Some(v) => {
                return Err(FileError::Newer {
                    message: format!(
                        "keyring {name} has format version {v}; this jwtctl reads version \
                         {VERSION} and will not change it"
                    ),
                    hint: "use the newer jwtctl that wrote it".to_owned(),
                }
                .into());
            }
        }
        let file = serde_json::from_slice(bytes).map_err(corrupt)?;
        Ok(Keyring { name, file })
    }

    /// The keyring's JSON, as it is written to its file or sealed into a store (in this
    /// jwtctl's format version; members it does not know kept).
    pub fn to_bytes(&mut self) -> Result<Vec<u8>> {
        self.file.version = Some(VERSION);
        serde_json::to_vec_pretty(&self.file).context("encoding the keyring")
    }

    /// What messages call this keyring: its file's path, or `in store URL`.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Changes the keyring file under `home`: runs `change` on it under its lock, then
    /// `deliver` (the command's output), then writes the result atomically: nothing is
    /// committed unless `deliver` succeeded (DECISIONS §2b), and a failed `change` writes
    /// nothing.
    pub fn update_file<T>(
        home: &Path,
        wait: LockWait<'_>,
        change: impl FnOnce(&mut Keyring) -> Result<T>,
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
        let out = change(&mut ring)?;
        let json = ring.to_bytes()?;
        deliver(&out)?;
        files::write_atomic(&file_path(home), &json, 0o600, true)?;
        Ok(out)
    }

    /// Adds `key` under its kid and makes it the active signing key; returns the kid. A kid
    /// already present (retired ones included) is refused rather than replaced.
    pub fn add(&mut self, key: &Key, alg: Alg, now: i64) -> Result<String> {
        let kid = key.kid.clone().unwrap_or_else(|| key.thumbprint());
        if self.file.keys.iter().any(|e| e.kid == kid) {
            return Err(refuse(
                format!("the keyring already holds a key with kid {kid:?}"),
                "pick another --kid",
            ));
        }
        let (private_pem, public_jwk, secret) = match &key.material {
            Material::Secret(s) => (None, None, Some(URL_SAFE_NO_PAD.encode(s))),
            _ => (Some(key.private_pem()?), Some(key.public_jwk()?), None),
        };
        self.file.keys.push(Entry {
            kid: kid.clone(),
            alg: alg.name().into(),
            created: now,
            private_pem,
            public_jwk,
            secret,
            retired: None,
            other: Map::new(),
        });
        self.file.active = Some(kid.clone());
        Ok(kid)
    }

    /// Retires the key `kid` names (its kid, or a unique start of it): it stays in the keyring
    /// but never signs or verifies again. Returns its full kid, and false when it was already
    /// retired (nothing changes); the active key is refused.
    pub fn retire(&mut self, kid: &str, now: i64) -> Result<(String, bool)> {
        let file = &mut self.file;
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
    }

    /// Makes the key `kid` names (its kid, or a unique start of it) the active signing key;
    /// returns its full kid. A retired key stays retired.
    pub fn activate(&mut self, kid: &str) -> Result<String> {
        let file = &mut self.file;
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

    /// How many keys it holds, retired ones included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.file.keys.len()
    }

    /// Loads an entry: its public half only when `public` and one is stored (cheap: no private
    /// key is parsed), else the whole key.
    fn load(&self, entry: &Entry, public: bool) -> Result<Key> {
        let corrupt =
            |what: &str| key_err(format!("keyring {}: key {:?} {what}", self.name, entry.kid));
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
                key_err_hint(format!("no signing key: the keyring {} is empty", self.name),
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
                    self.name,
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

/// The keyring file under `home`.
#[must_use]
pub fn file_path(home: &Path) -> PathBuf {
    home.join(FILE)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeySpec, generate};

    #[test]
    fn a_keyring_from_bytes_is_checked_changed_and_written_back_the_same() {
        let text = br#"{"version":1,"active":null,"keys":[],"future":{"x":1}}"#;
        let mut ring = Keyring::parse(text, "in store s").unwrap();
        assert!(ring.is_empty());
        let mut key = generate(KeySpec::for_alg(Alg::Es256, 2048).unwrap()).unwrap();
        key.kid = Some("k1".into());
        assert_eq!(ring.add(&key, Alg::Es256, 100).unwrap(), "k1");
        let err = ring.add(&key, Alg::Es256, 101).unwrap_err();
        assert!(err.to_string().contains("already holds"), "{err}");
        key.kid = Some("k2".into());
        ring.add(&key, Alg::Es256, 102).unwrap();
        assert!(ring.retire("k2", 103).is_err(), "the active key");
        assert_eq!(ring.retire("k1", 103).unwrap(), ("k1".to_owned(), true));
        assert_eq!(ring.retire("k1", 104).unwrap(), ("k1".to_owned(), false));
        assert!(ring.activate("k1").is_err(), "retired");
        assert_eq!(ring.activate("k2").unwrap(), "k2");

        let bytes = ring.to_bytes().unwrap();
        let again = Keyring::parse(&bytes, "in store s").unwrap();
        assert_eq!(again.len(), 2);
        assert_eq!(again.active().unwrap().kid.as_deref(), Some("k2"));
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value["future"]["x"], 1, "unknown members are kept");
        assert_eq!(value["version"], VERSION);
    }

    #[test]
    fn bytes_that_are_no_keyring_or_a_newer_one_are_refused_naming_where_from() {
        let err = Keyring::parse(b"[1,2]", "in store s").err().unwrap();
        assert!(err.downcast_ref::<crate::keys::KeyError>().is_some());
        assert!(
            err.to_string().starts_with("keyring in store s is corrupt"),
            "{err}"
        );
        let err = Keyring::parse(br#"{"version":2,"keys":"?"}"#, "in store s")
            .err()
            .unwrap();
        assert!(matches!(
            err.downcast_ref::<FileError>(),
            Some(FileError::Newer { .. })
        ));
        assert!(err.to_string().contains("in store s"), "{err}");
        let empty = Keyring::empty("in store s");
        let err = empty.active().err().unwrap();
        assert!(
            err.to_string().contains("the keyring in store s is empty"),
            "{err}"
        );
    }
}
