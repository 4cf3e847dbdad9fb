//! What every request of `serve` shares: the configuration, the clock, the keyring (re-read when
//! `keygen` changes it), the refresh store (which also keeps the authorization codes and the
//! login form's claims, so every `serve` on one store shares them), and the rate limiter.
//!
//! The store is the CLI's, opened through `commands::flow` and used through the `Store` trait
//! only. On the local SQLite file, every write goes to one writer thread that commits the
//! writes queued meanwhile together (`super::writer`), and reads run on the request's own
//! thread. On a server store (Redis, PostgreSQL) store work runs on tokio's blocking threads, at
//! most [`STORE_SLOTS`] at once. Opened stores are kept for the next operation. Bench numbers:
//! bench/README.md, serve.

use super::config::{Client, Config};
use super::http::OAuthError;
use super::limit::Limiter;
use crate::Ctx;
use crate::alg::Alg;
use crate::commands::flow;
use crate::session::store::{Store, StoreError};
use crate::token::{KeySet, SignKey};
use anyhow::Result;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The keyring as the server uses it: the active key to sign with, every live public key to
/// verify with, and the public JWKS text.
pub struct Keys {
    pub signer: SignKey,
    pub verify: KeySet,
    pub jwks: String,
    /// Algorithms the live keys can serve, for the discovery documents.
    pub algs: Vec<Alg>,
}

/// Identifies one version of the keyring file: `keygen` replaces it by rename.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    ino: u64,
    len: u64,
    mtime: i64,
    mtime_ns: i64,
}

/// What a [`Ctx`] for `commands::flow` needs beside the clock: the CLI's home and store flags.
pub struct Place {
    pub home: PathBuf,
    pub store_wait: Duration,
    pub store: crate::StoreFlags,
    pub keyring: crate::KeyringFlags,
}

impl Place {
    /// A context for `commands::flow` at `now`, as the CLI would build it.
    fn ctx(&self, now: i64) -> Ctx {
        Ctx {
            out: crate::edge::output::Output::new(crate::edge::output::ColorChoice::Never, true),
            now,
            home: Some(self.home.clone()),
            store_wait: Some(self.store_wait),
            store: self.store.clone(),
            keyring: self.keyring.clone(),
            stdin: crate::edge::input::Stdin::default(),
        }
    }
}

/// How long keys read from a keyring kept in the store are used before it is read again (a
/// file keyring is re-read when its file changes).
const STORE_KEYRING_TTL: std::time::Duration = std::time::Duration::from_secs(1);

/// The keyring, parsed once per version of its file (a `stat` per request decides), or once a
/// second when it is kept in the store.
pub struct KeyCache {
    place: Arc<Place>,
    current: Mutex<Option<Cached>>,
}

/// Keys read: the file version they came from (none for the store), when, and the keys.
type Cached = (Option<Stamp>, std::time::Instant, Arc<Keys>);

impl KeyCache {
    fn stamp(&self) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(self.place.home.join("keyring.json"))
            .ok()
            .map(|m| Stamp {
                ino: m.ino(),
                len: m.len(),
                mtime: m.mtime(),
                mtime_ns: m.mtime_nsec(),
            })
    }

    /// The keys of the keyring as it is now.
    pub fn get(&self) -> Result<Arc<Keys>> {
        let in_store = self.place.keyring.in_store;
        let stamp = if in_store { None } else { self.stamp() };
        if let Some((s, read, keys)) = &*self.current.lock().unwrap_or_else(PoisonError::into_inner)
            && *s == stamp
            && (!in_store || read.elapsed() < STORE_KEYRING_TTL)
        {
            return Ok(keys.clone());
        }
        let keys = Arc::new(load_keys(&self.place)?);
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((stamp, std::time::Instant::now(), keys.clone()));
        Ok(keys)
    }
}

fn load_keys(place: &Place) -> Result<Keys> {
    let ring = crate::commands::keyring_place::keyring(&place.ctx(0))?;
    let signer = flow::signer(&ring)?;
    let verify = flow::key_set(&ring)?;
    let jwks = serde_json::to_string(&ring.public_jwks()?)?;
    let algs = verify.algorithms();
    Ok(Keys {
        signer,
        verify,
        jwks,
        algs,
    })
}

/// Most checked tokens kept in memory.
const MAX_REMEMBERED: usize = 10_000;

/// Tokens whose signature, `typ` and claims `grants::active` has checked, by SHA-256 of the
/// token: introspection and `/userinfo` are asked about the same access token again and again,
/// and the signature check was most of their time (bench/README.md, serve). Only what the token
/// itself decides is remembered; the store is asked every time. An entry holds for the keys it
/// was checked with (a `keygen` or retired key starts afresh), from when it was checked until
/// the token's `exp` (no leeway: past it, the full check decides, leeway included).
#[derive(Default)]
pub struct Checked {
    map: Mutex<HashMap<Vec<u8>, CheckedToken>>,
}

struct CheckedToken {
    keys: Arc<Keys>,
    claims: Map<String, Value>,
    kind: &'static str,
    at: i64,
    exp: i64,
}

impl Checked {
    /// The claims and kind of the token hashed `hash`, if it was checked with `keys` and `now`
    /// lies between that check and its `exp`.
    pub fn get(
        &self,
        hash: &[u8],
        keys: &Arc<Keys>,
        now: i64,
    ) -> Option<(Map<String, Value>, &'static str)> {
        let map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(hash)
            .filter(|c| Arc::ptr_eq(&c.keys, keys) && c.at <= now && now < c.exp)
            .map(|c| (c.claims.clone(), c.kind))
    }

    /// Remembers a token that passed the full check at `now` (one without `exp` is not).
    pub fn insert(
        &self,
        hash: Vec<u8>,
        keys: &Arc<Keys>,
        claims: &Map<String, Value>,
        kind: &'static str,
        now: i64,
    ) {
        let Some(exp) = claims.get("exp").and_then(Value::as_i64) else {
            return;
        };
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= MAX_REMEMBERED {
            map.clear();
        }
        map.insert(
            hash,
            CheckedToken {
                keys: keys.clone(),
                claims: claims.clone(),
                kind,
                at: now,
                exp,
            },
        );
    }
}

/// Most store operations a server on Redis or PostgreSQL runs at once, each on a blocking
/// thread with a connection of [`App::idle`]: this bounds the connections one server opens
/// (PostgreSQL's default `max_connections` is 100); a flood of requests waits here.
const STORE_SLOTS: usize = 16;

/// Everything the handlers share.
pub struct App {
    pub config: Config,
    /// `iss` of tokens and discovery documents; endpoints hang off it.
    pub issuer: String,
    /// The home and the store and keyring flags.
    pub place: Arc<Place>,
    /// `--now` / `JWTCTL_NOW`: the clock stands still there (tests, scripts).
    pub fixed_now: Option<i64>,
    pub keys: KeyCache,
    pub limiter: Box<dyn Limiter>,
    /// Tokens already checked (see [`Checked`]).
    pub checked: Checked,
    /// `--refresh-cookie`.
    pub cookie: bool,
    /// The writer thread of a local SQLite store (see the module comment).
    writer: Option<super::writer::Writer>,
    /// Store operations on a server store running at once (see [`STORE_SLOTS`]).
    store_slots: tokio::sync::Semaphore,
    /// Stores opened and not in use: one per operation running at once at most (the writer
    /// thread keeps its own).
    idle: Mutex<Vec<Box<dyn Store>>>,
    /// SHA-256 of client secrets already checked against their Argon2 hash, by client id:
    /// Argon2 is slow on purpose, so each secret is checked once.
    secrets: Mutex<HashMap<String, Vec<u8>>>,
}

/// What `App::new` needs.
pub struct Setup {
    pub config: Config,
    pub issuer: String,
    pub place: Place,
    pub fixed_now: Option<i64>,
    pub cookie: bool,
    pub limiter: Box<dyn Limiter>,
}

impl App {
    /// The server state; reads the keyring now, so a missing key fails before binding.
    pub fn new(s: Setup) -> Result<Arc<Self>> {
        let place = Arc::new(s.place);
        let keys = KeyCache {
            place: place.clone(),
            current: Mutex::new(None),
        };
        keys.get()?;
        let local = local_sqlite(&place);
        let mut started = Ok(());
        let app = Arc::new_cyclic(|me: &std::sync::Weak<App>| App {
            config: s.config,
            issuer: s.issuer,
            place,
            fixed_now: s.fixed_now,
            keys,
            limiter: s.limiter,
            checked: Checked::default(),
            cookie: s.cookie,
            writer: if local {
                let me = me.clone();
                super::writer::Writer::start(Box::new(move || {
                    me.upgrade()
                        .ok_or_else(|| anyhow::anyhow!("the server is stopping"))?
                        .open_store()
                }))
                .map_err(|e| started = Err(e))
                .ok()
            } else {
                None
            },
            store_slots: tokio::sync::Semaphore::new(STORE_SLOTS),
            idle: Mutex::default(),
            secrets: Mutex::default(),
        });
        started?;
        Ok(app)
    }

    /// Unix seconds now (or the fixed `--now`).
    #[must_use]
    pub fn now(&self) -> i64 {
        self.fixed_now.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        })
    }

    /// Opens (creating when missing) the store, as `jwtctl login` does.
    pub fn open_store(&self) -> Result<Box<dyn Store>> {
        flow::create_store(&self.place.ctx(self.now()))
    }

    /// Runs `f` with a store: a write on the local SQLite file goes to the writer thread, a
    /// read of it runs here, and work on a server store runs on a blocking thread. A store
    /// that failed is dropped and opened afresh next time.
    pub async fn store<T: Send + 'static>(
        self: &Arc<Self>,
        write: bool,
        f: impl FnOnce(&dyn Store, &App) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        if let Some(writer) = &self.writer {
            if write {
                let app = self.clone();
                return writer.write(move |store| f(store, &app)).await;
            }
            // A read of the local SQLite file (WAL: readers take no lock a writer holds) takes
            // microseconds; handing it to a blocking thread and back cost more than the read
            // itself (futex wake-ups: bench/README.md, serve), so it runs here.
            return self.with_store(f);
        }
        let _slot = self.store_slots.acquire().await?;
        let app = self.clone();
        tokio::task::spawn_blocking(move || app.with_store(f)).await?
    }

    /// Runs `f` with an idle store, opening one when there is none, and keeps it for the next
    /// operation unless it failed.
    fn with_store<T>(&self, f: impl FnOnce(&dyn Store, &App) -> Result<T>) -> Result<T> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let store = match idle {
            Some(s) => s,
            None => self.open_store()?,
        };
        let result = f(store.as_ref(), self);
        if !result.as_ref().err().is_some_and(store_failed) {
            self.idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(store);
        }
        result
    }

    /// The client `presented` authenticates as: a known id, and its secret when it has one
    /// (a public client must not send one). `invalid_client` (401) otherwise.
    pub async fn authenticate(
        self: &Arc<Self>,
        presented: Option<super::http::Presented>,
    ) -> Result<Client, OAuthError> {
        let p = presented.ok_or_else(|| OAuthError::invalid_client("no client authentication"))?;
        // RFC 6749 §5.2: a 401 with a Basic challenge, whichever way the client authenticated.
        let fail = OAuthError::invalid_client;
        let Some(client) = self.config.client(&p.id).cloned() else {
            return Err(fail("unknown client"));
        };
        match (&client.secret_hash, &p.secret) {
            (None, None) => Ok(client),
            (None, Some(_)) => Err(fail("a public client has no secret")),
            (Some(_), None) => Err(fail("this client must authenticate with its secret")),
            (Some(hash), Some(secret)) => {
                let digest = crate::session::token_hash(secret);
                let known = self
                    .secrets
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get(&client.id)
                    .is_some_and(|d| constant_eq(d, &digest));
                if known {
                    return Ok(client);
                }
                let (hash, secret) = (hash.clone(), secret.clone());
                let ok = tokio::task::spawn_blocking(move || {
                    super::config::password_matches(&hash, secret.as_bytes())
                })
                .await
                .unwrap_or(false);
                if !ok {
                    return Err(fail("wrong client secret"));
                }
                self.secrets
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(client.id.clone(), digest);
                Ok(client)
            }
        }
    }
}

/// Whether the store is the local SQLite file (no `--store` URL of a server).
fn local_sqlite(place: &Place) -> bool {
    matches!(
        place.store.target,
        None | Some(crate::session::store::target::Target::Sqlite(_))
    )
}

/// Whether `e` says the store itself failed (not a lost compare-and-set): its connection is
/// dropped and a new one opened next time.
pub fn store_failed(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<StoreError>()
            .is_some_and(|s| !matches!(s, StoreError::Conflict { .. }))
    })
}

/// Compares two byte strings in time independent of where they differ.
#[must_use]
pub fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
