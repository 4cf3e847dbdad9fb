//! Where the keyring lives, for every command that uses it: the home's `keyring.json`, or with
//! `--keyring-in-store` the refresh store (`--store`), sealed under the keyring secret
//! (`keys::seal`), so every machine that shares the store signs and verifies with the same keys
//! (the way Hydra and Keycloak keep their keys in the database).
//!
//! A change to the keyring in a store is a compare-and-set on its version: read it, unseal it,
//! change it, seal it, deliver the command's output, then write it only if nobody wrote it
//! meanwhile; when somebody did, read it again and redo the change on what they wrote (a bounded
//! number of times), so concurrent `keygen`s on many machines lose no key. The output is
//! delivered before the first write and never again: nothing is committed that was not delivered
//! (DECISIONS §2b), and no other machine ever sees, or signs with, a key that might be taken back.

use super::flow;
use crate::Ctx;
use crate::edge::exit::{Exit, fail, fail_hint};
use crate::files;
use crate::keys::keyring::{self, Keyring};
use crate::keys::seal::{self, KeyringSecret, MAKE_SECRET};
use crate::session::store::schema::{self, Mode};
use crate::session::store::target::Target;
use crate::session::store::{Store, StoreError};
use anyhow::Result;
use std::path::PathBuf;
use std::time::Duration;

/// The variable holding the keyring secret itself (never a flag: DECISIONS §2).
const SECRET_VAR: &str = "JWTCTL_KEYRING_SECRET";
/// Largest keyring secret file read.
const SECRET_FILE_LIMIT: u64 = 4096;
/// How often a change to the keyring in a store is redone after losing a race, at most.
const ATTEMPTS: u32 = 64;

/// Where the keyring is.
enum Place {
    /// The home directory's file.
    Home(PathBuf),
    /// The refresh store, sealed under `secret`; `name` is what messages call it.
    Store { secret: KeyringSecret, name: String },
}

impl Place {
    /// Where the command line puts the keyring. `--keyring-in-store` without a secret is a
    /// usage error naming both ways to give one; so is a secret without `--keyring-in-store`
    /// (the home's keyring would be used and the secret silently ignored).
    fn of(ctx: &Ctx) -> Result<Place> {
        if ctx.keyring.in_store {
            return Ok(Place::Store {
                secret: secret(ctx)?,
                name: store_name(ctx)?,
            });
        }
        if ctx.keyring.secret_file.is_some() || secret_var().is_some() {
            return Err(fail_hint(
                Exit::Usage,
                "a keyring secret is given (--keyring-secret-file, JWTCTL_KEYRING_SECRET_FILE \
                 or JWTCTL_KEYRING_SECRET) but not --keyring-in-store: the home's keyring would \
                 be used and the secret ignored",
                "add --keyring-in-store (or JWTCTL_KEYRING_IN_STORE=1), or unset the secret",
            ));
        }
        Ok(Place::Home(ctx.home()?))
    }
}

/// `JWTCTL_KEYRING_SECRET`, when set and not empty.
fn secret_var() -> Option<std::ffi::OsString> {
    std::env::var_os(SECRET_VAR).filter(|v| !v.is_empty())
}

/// The keyring secret: from `--keyring-secret-file` (a private file; one final newline is not
/// part of it) or `JWTCTL_KEYRING_SECRET`, exactly one of them; at least 32 bytes (exit 11).
fn secret(ctx: &Ctx) -> Result<KeyringSecret> {
    use std::os::unix::ffi::OsStringExt;
    match (&ctx.keyring.secret_file, secret_var()) {
        (Some(_), Some(_)) => Err(fail(
            Exit::Usage,
            "the keyring secret is given twice: --keyring-secret-file (or \
             JWTCTL_KEYRING_SECRET_FILE) and JWTCTL_KEYRING_SECRET; give one",
        )),
        (None, None) => Err(fail_hint(
            Exit::Usage,
            "the keyring in the store needs the keyring secret, and none is given: pass \
             --keyring-secret-file FILE (or set JWTCTL_KEYRING_SECRET_FILE), or set \
             JWTCTL_KEYRING_SECRET to the secret",
            format!(
                "make one with `{MAKE_SECRET}` and `chmod 600 kek`; every machine sharing the \
                 store needs the same one"
            ),
        )),
        (Some(path), None) => {
            files::check_private(path, "keyring secret file")?;
            let mut bytes = files::read_limited(path, SECRET_FILE_LIMIT, "keyring secret file")?;
            if bytes.last() == Some(&b'\n') {
                bytes.pop();
            }
            KeyringSecret::new(bytes, &path.display().to_string())
        }
        (None, Some(value)) => KeyringSecret::new(value.into_vec(), SECRET_VAR),
    }
}

/// What messages call the keyring in the store: `in store URL` (the password masked).
fn store_name(ctx: &Ctx) -> Result<String> {
    let (target, _) = flow::store_target(ctx)?;
    let url = match target {
        Target::Sqlite(Some(path)) => format!("sqlite:{}", path.display()),
        Target::Sqlite(None) => format!("sqlite:{}", schema::path(&ctx.home()?).display()),
        Target::Redis(server) | Target::Postgres(server) => server.shown,
    };
    Ok(format!("in store {url}"))
}

/// The keyring sealed in `store` and its version (0 and an empty keyring when there is none).
fn read_sealed(store: &dyn Store, secret: &KeyringSecret, name: &str) -> Result<(i64, Keyring)> {
    match store.keyring_blob()? {
        None => Ok((0, Keyring::empty(name))),
        Some((version, blob)) => {
            let plain = seal::unseal(secret, &blob, name)?;
            Ok((version, Keyring::parse(&plain, name)?))
        }
    }
}

/// The keyring to sign and verify with, list and publish: the home's, or the store's.
pub fn keyring(ctx: &Ctx) -> Result<Keyring> {
    read(ctx, Mode::ReadOnly).map(|(ring, _)| ring)
}

/// The keyring, and when it is the store's, the store it was read from (opened in `mode`;
/// `None` when the store does not exist yet), so a command that needs the store too opens it
/// once.
pub fn read(ctx: &Ctx, mode: Mode) -> Result<(Keyring, Option<Box<dyn Store>>)> {
    match Place::of(ctx)? {
        Place::Home(home) => Ok((Keyring::open(&home)?, None)),
        Place::Store { secret, name } => match flow::open_store(ctx, mode)? {
            None => Ok((Keyring::empty(name), None)),
            Some(store) => {
                let (_, ring) = read_sealed(store.as_ref(), &secret, &name)?;
                Ok((ring, Some(store)))
            }
        },
    }
}

/// What a change to the keyring did.
pub struct Changed<T> {
    /// What `change` returned (the last time it ran).
    pub value: T,
    /// Where the keyring is, for messages: its file's path, or `the keyring in store URL`.
    pub place: String,
}

/// Where a change would go, before it is made: its place for messages and its file, if any.
/// ([`update`] checks the flags and the secret.)
pub fn target(ctx: &Ctx) -> Result<(String, Option<PathBuf>)> {
    if ctx.keyring.in_store {
        return Ok((format!("the keyring {}", store_name(ctx)?), None));
    }
    let file = keyring::file_path(&ctx.home()?);
    Ok((file.display().to_string(), Some(file)))
}

/// Changes the keyring: `change` on it, then `deliver` (the command's output), then the write,
/// which happens only when `deliver` succeeded; a failed `change` writes nothing. In the home
/// that is one step under the keyring lock; in a store a compare-and-set (see the module
/// comment), where `change` may run again on a keyring another writer changed meanwhile.
pub fn update<T>(
    ctx: &Ctx,
    mut change: impl FnMut(&mut Keyring) -> Result<T>,
    deliver: impl FnOnce(&T) -> Result<()>,
) -> Result<Changed<T>> {
    match Place::of(ctx)? {
        Place::Home(home) => {
            let value = flow::with_keyring_wait(ctx, &home, |wait| {
                Keyring::update_file(&home, wait, change, deliver)
            })?;
            Ok(Changed {
                value,
                place: keyring::file_path(&home).display().to_string(),
            })
        }
        Place::Store { secret, name } => {
            let store = flow::create_store(ctx)?;
            let mut deliver = Some(deliver);
            for attempt in 0..ATTEMPTS {
                let (version, mut ring) = read_sealed(store.as_ref(), &secret, &name)?;
                let value = change(&mut ring)?;
                let blob = seal::seal(&secret, &ring.to_bytes()?)?;
                if let Some(deliver) = deliver.take() {
                    deliver(&value)?;
                }
                if store.put_keyring_blob(version, &blob)? {
                    return Ok(Changed {
                        value,
                        place: format!("the keyring {name}"),
                    });
                }
                pause(attempt);
            }
            Err(StoreError::Conflict {
                store: name,
                what: "the keyring (other writers kept changing it)",
            }
            .into())
        }
    }
}

/// A short random pause after a lost compare-and-set, growing with `attempt` (up to 64 ms), so
/// writers that keep colliding spread out.
fn pause(attempt: u32) {
    let mut byte = [0u8; 1];
    let _ = aws_lc_rs::rand::fill(&mut byte);
    let most = 1u64 << attempt.min(6);
    std::thread::sleep(Duration::from_millis(1 + u64::from(byte[0]) % most));
}

/// `jwtctl keys push`: copies the home's keyring into the store, sealed. A keyring with keys
/// already in the store is kept unless `force` (it is not even opened then, so a store sealed
/// under a lost secret can be replaced).
pub fn push(ctx: &Ctx, force: bool) -> Result<Exit> {
    let secret = secret(ctx)?;
    let name = store_name(ctx)?;
    let home = ctx.home()?;
    let mut ring = Keyring::open(&home)?;
    if ring.is_empty() {
        return Err(fail_hint(
            Exit::Key,
            format!("the keyring {} is empty: nothing to push", ring.name()),
            "create a key with `jwtctl keygen --es256`, or push from the home that has the keys \
             (--home DIR)",
        ));
    }
    let blob = seal::seal(&secret, &ring.to_bytes()?)?;
    let store = flow::create_store(ctx)?;
    for attempt in 0..ATTEMPTS {
        let version = match store.keyring_blob()? {
            None => 0,
            Some((version, _)) if force => version,
            Some((version, blob)) => {
                let there = Keyring::parse(&seal::unseal(&secret, &blob, &name)?, &name)?;
                if !there.is_empty() {
                    return Err(fail_hint(
                        Exit::Io,
                        format!(
                            "the keyring {name} already holds {} key{}; not replacing it",
                            there.len(),
                            if there.len() == 1 { "" } else { "s" }
                        ),
                        "pass --force to replace it (tokens its keys signed stop verifying \
                         unless the home's keyring holds those keys too)",
                    ));
                }
                version
            }
        };
        if store.put_keyring_blob(version, &blob)? {
            ctx.out.info(&format!(
                "pushed {} key{} from {} to the keyring {name}",
                ring.len(),
                if ring.len() == 1 { "" } else { "s" },
                ring.name()
            ));
            return Ok(Exit::Success);
        }
        pause(attempt);
    }
    Err(StoreError::Conflict {
        store: name,
        what: "the keyring (other writers kept changing it)",
    }
    .into())
}
