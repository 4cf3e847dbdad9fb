//! What the refresh-simulation commands share: opening the store, finding a family by id prefix,
//! minting and signing a pair, delivering it on stdout before the store commits, verifying a
//! presented refresh token against the keyring, and printing a refusal.

use crate::Ctx;
use crate::edge::exit::{self, Exit, fail, fail_hint};
use crate::files;
use crate::keys::keyring::{Keyring, LockWait};
use crate::session::store::schema::Mode;
use crate::session::store::sqlite::DEFAULT_WAIT;
use crate::session::store::target::{Options, Target};
use crate::session::store::{self, Family, Store};
use crate::session::{self, ACCESS_TYP, Presented, Successor, TokenResponse};
use crate::token::{self, KeySet, Policy, REFRESH_TYP, Reason, SignKey};
use anyhow::Result;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use std::time::Duration;

/// How long to wait for a locked store: `JWTCTL_STORE_WAIT` (checked by clap), else 5 s.
pub fn store_wait(ctx: &Ctx) -> Duration {
    ctx.store_wait.unwrap_or(DEFAULT_WAIT)
}

/// The store the command line names: `--store`, else `JWTCTL_STORE`, else the home's
/// `refresh.db`; with the password from `--store-password-file` when one is given.
pub fn store_target(ctx: &Ctx) -> Result<(Target, Options)> {
    let target = ctx.store.target.clone().unwrap_or(Target::Sqlite(None));
    let target = with_password(
        target,
        ctx.store.password_file.as_deref(),
        "--store-password-file",
    )?;
    Ok((target, store_options(ctx)))
}

/// The settings every store shares, from the command line.
pub fn store_options(ctx: &Ctx) -> Options {
    Options {
        ca: ctx.store.ca.clone(),
        prefix: ctx.store.prefix.clone(),
        timeout: ctx.store.timeout,
        wait: store_wait(ctx),
    }
}

/// `target` with the password read from `file` (named `flag` in messages), when one is given.
pub fn with_password(
    mut target: Target,
    file: Option<&std::path::Path>,
    flag: &str,
) -> Result<Target> {
    let Some(file) = file else {
        return Ok(target);
    };
    let server = match &mut target {
        Target::Redis(s) | Target::Postgres(s) => s,
        Target::Sqlite(_) => {
            return Err(fail(
                Exit::Usage,
                format!(
                    "{flag} is for a Redis or PostgreSQL store; an SQLite store has no password"
                ),
            ));
        }
    };
    if server.password.is_some() {
        return Err(fail(
            Exit::Usage,
            format!("the store URL already has a password; drop it or {flag}"),
        ));
    }
    server.password = Some(read_password(file)?);
    Ok(target)
}

/// A store password file: private to its owner, one line (a final newline is not part of it).
fn read_password(file: &std::path::Path) -> Result<String> {
    const LIMIT: u64 = 4096;
    files::check_private(file, "store password file")?;
    let bytes = files::read_limited(file, LIMIT, "store password file")?;
    let text = String::from_utf8(bytes)
        .map_err(|_| fail(Exit::Key, format!("{} is not UTF-8 text", file.display())))?;
    let line = text
        .strip_suffix('\n')
        .map_or(text.as_str(), |t| t.strip_suffix('\r').unwrap_or(t));
    if line.is_empty() || line.contains('\n') {
        return Err(fail(
            Exit::Key,
            format!("{} must hold the password on one line", file.display()),
        ));
    }
    Ok(line.to_owned())
}

/// Opens the store; `None` when it is an SQLite file that does not exist yet.
pub fn open_store(ctx: &Ctx, mode: Mode) -> Result<Option<Box<dyn Store>>> {
    let (target, options) = store_target(ctx)?;
    store::open(&target, &options, &ctx.home()?, mode, false)
}

/// Opens the store for writing, creating it when missing (an SQLite file, a schema).
pub fn create_store(ctx: &Ctx) -> Result<Box<dyn Store>> {
    let (target, options) = store_target(ctx)?;
    let store = store::open(&target, &options, &ctx.home()?, Mode::ReadWrite, true)?;
    store.ok_or_else(|| fail(Exit::Internal, "the store was not created"))
}

/// Like [`open_store`] for a command that needs a token the store issued: a missing store
/// means the token is unknown here (exit 8).
pub fn existing_store(ctx: &Ctx) -> Result<Box<dyn Store>> {
    open_store(ctx, Mode::ReadWrite)?.ok_or_else(|| {
        let place = match store_target(ctx) {
            Ok((Target::Sqlite(Some(path)), _)) => path.display().to_string(),
            _ => ctx
                .home()
                .map(|h| h.display().to_string())
                .unwrap_or_default(),
        };
        exit::fail_hint(
            Exit::Revoked,
            format!("no refresh store in {place}: this token was not issued here"),
            "start a session with `jwtctl login --sub SUB` (and the same --home or --store)",
        )
    })
}

/// A new family id: 16 hex digits (64 random bits). Hex, so it never starts with `-` and can
/// be typed as an argument (`jwtctl sessions ID`).
pub fn family_id() -> Result<String> {
    let mut buf = [0u8; 8];
    aws_lc_rs::rand::fill(&mut buf).map_err(|_| fail(Exit::Internal, "the OS RNG failed"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// A random identifier: `bytes` bytes from the OS RNG, base64url.
pub fn random_id(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    aws_lc_rs::rand::fill(&mut buf).map_err(|_| fail(Exit::Internal, "the OS RNG failed"))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

fn header(signer: &SignKey, typ: &str) -> Map<String, Value> {
    let mut h = Map::new();
    h.insert("alg".into(), signer.alg.name().into());
    h.insert("typ".into(), typ.into());
    if let Some(kid) = &signer.kid {
        h.insert("kid".into(), kid.clone().into());
    }
    h
}

/// A signed pair for `family` at `generation` with refresh-token id `rt_jti`: the token
/// response to deliver and the store's record of the refresh token (its hash, never itself).
/// A pair `verify` or `refresh` would refuse (an `exp` past the NumericDate range, a token over
/// the size cap) is not minted: a [`session::MintError`], exit 2.
pub fn mint(
    signer: &SignKey,
    family: &Family,
    generation: i64,
    rt_jti: &str,
    parent: Option<&str>,
    now: i64,
) -> Result<Successor> {
    let claims = session::pair_claims(family, generation, rt_jti, &random_id(16)?, now);
    session::check_exp("the access token's exp", claims.access_exp)?;
    session::check_exp("the refresh token's exp", claims.refresh_exp)?;
    let sign = |typ, c: &Map<String, Value>| {
        token::sign(&header(signer, typ), c, signer).map_err(|e| fail(Exit::Key, e))
    };
    let access_token = sign(ACCESS_TYP, &claims.access)?;
    session::check_size("access token", &access_token)?;
    let refresh_token = sign(REFRESH_TYP, &claims.refresh)?;
    session::check_size("refresh token", &refresh_token)?;
    let record = session::token_record(
        family,
        generation,
        rt_jti,
        parent,
        session::token_hash(&refresh_token),
        now,
        claims.refresh_exp,
    );
    let response = TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: claims.access_exp - now,
        refresh_token,
        refresh_expires_in: claims.refresh_exp - now,
        scope: family.scope.clone(),
        session_id: family.id.clone(),
        generation,
    };
    Ok(Successor { record, response })
}

/// Where a token pair goes: stdout, the only copy of what `login` and `refresh` create
/// (DECISIONS §2b). The store commits only after [`Delivery::write`] succeeded.
pub struct Delivery<'a> {
    ctx: &'a Ctx,
    /// What the user is told when the pair could not be written ("nothing was ...").
    undone: &'static str,
}

impl<'a> Delivery<'a> {
    /// Checks that stdout can take a pair at all, before anything is read or changed: a stdout
    /// closed when jwtctl started is refused (exit 10). `undone` says what a failed delivery
    /// leaves unchanged.
    pub fn stdout(ctx: &'a Ctx, undone: &'static str) -> Result<Self> {
        if crate::edge::output::stdout_was_closed() {
            return Err(fail_hint(
                Exit::Io,
                format!("stdout is closed: the token pair would be lost; {undone}"),
                "run it with stdout going to a file, a pipe or a terminal",
            ));
        }
        Ok(Delivery { ctx, undone })
    }

    /// Writes and flushes the pair as one JSON line. A failure (a full disk, a pipe whose reader
    /// has gone) is exit 10, never the success of a broken pipe: the caller's store rolls back.
    pub fn write(&self, response: &TokenResponse) -> Result<()> {
        let line = serde_json::to_string(response)?;
        self.ctx.out.data(&line).map_err(|e| {
            fail_hint(
                Exit::Io,
                format!(
                    "could not write the token pair to stdout ({e}); {}",
                    self.undone
                ),
                "run it again with stdout going somewhere that can take it",
            )
        })
    }
}

/// The family whose id is `id` or starts with it. None: exit 2 with a hint; several: exit 2
/// naming them.
pub fn find_family(store: &dyn Store, id: &str) -> Result<Family> {
    const SHOWN: usize = 8;
    let mut found = store.families_by_prefix(id, SHOWN + 1)?;
    match found.len() {
        0 => Err(fail_hint(
            Exit::Usage,
            format!("no session with id {id:?}"),
            "list them with `jwtctl sessions`",
        )),
        1 => Ok(found.remove(0)),
        n => {
            let mut ids: Vec<&str> = found.iter().take(SHOWN).map(|f| f.id.as_str()).collect();
            if n > SHOWN {
                ids.push("...");
            }
            Err(fail_hint(
                Exit::Usage,
                format!(
                    "{id:?} is the start of several session ids: {}",
                    ids.join(", ")
                ),
                "give more of the id",
            ))
        }
    }
}

/// Verifies a presented refresh token: signature against the keyring (exit 4 for another
/// keyring's), `typ: refresh+jwt` (an access token is exit 7), claims. An expired one passes
/// with `expired` set, so the store can log the attempt; any other rejection is printed and
/// returned as the exit status.
pub fn verify_refresh(ctx: &Ctx, raw: &str, keys: &KeySet) -> Result<Result<Presented, Exit>> {
    let policy = Policy {
        algorithms: keys.algorithms(),
        typ: Some(REFRESH_TYP.into()),
        ..Policy::default()
    };
    let (claims, expired) = match token::verify(raw, keys, &policy, ctx.now) {
        Ok(v) => (v.claims, false),
        // Expired is decided after the signature, typ and claim types, so these claims are
        // verified in all but their time.
        Err(r) if r.reason == Reason::Expired => match token::decode_unverified(raw) {
            Ok(d) => (d.claims, true),
            Err(r) => return Ok(Err(rejected(ctx, &r))),
        },
        Err(r) => {
            let hint = if r.message.contains(ACCESS_TYP) {
                Some("this is an access token; refresh takes the refresh_token of `jwtctl login`")
            } else {
                r.hint.as_deref()
            };
            let status = Exit::from(r.reason);
            ctx.out.error(exit::label(status), &r.message, hint);
            return Ok(Err(status));
        }
    };
    match Presented::from_claims(&claims, session::token_hash(raw), expired) {
        Ok(p) => Ok(Ok(p)),
        Err(message) => Ok(Err(refuse(ctx, Exit::Claim, &message, None))),
    }
}

fn rejected(ctx: &Ctx, r: &token::Rejection) -> Exit {
    refuse(ctx, Exit::from(r.reason), &r.message, r.hint.as_deref())
}

/// Prints a refusal (`jwtctl: <label>: <message>` and a hint) and returns its status.
pub fn refuse(ctx: &Ctx, status: Exit, message: &str, hint: Option<&str>) -> Exit {
    ctx.out.error(exit::label(status), message, hint);
    status
}

/// The keyring's public keys, searched by `kid`: what `verify`, `refresh` and `logout` check
/// signatures against.
pub fn key_set(ring: &Keyring) -> Result<KeySet> {
    KeySet::keyring(ring.verifying_keys()?)
}

/// The keyring's active key, ready to sign with its own algorithm and `kid`.
pub fn signer(ring: &Keyring) -> Result<SignKey> {
    let key = ring.active()?;
    SignKey::new(&key, key.default_alg())
}

/// Runs `f` holding the keyring's lock-wait policy: at most `JWTCTL_STORE_WAIT`, with a note on
/// stderr once it has waited a second (`keygen`, `keys retire|activate`).
pub fn with_keyring_wait<T>(
    ctx: &Ctx,
    home: &std::path::Path,
    f: impl FnOnce(LockWait<'_>) -> Result<T>,
) -> Result<T> {
    let limit = store_wait(ctx);
    let mut waiting = || {
        ctx.out.note(
            "note",
            &format!(
                "waiting for the keyring lock in {}: another jwtctl is changing it \
                 (up to {}s, JWTCTL_STORE_WAIT)",
                home.display(),
                limit.as_secs_f64()
            ),
        );
    };
    f(LockWait {
        limit,
        var: "JWTCTL_STORE_WAIT",
        waiting: &mut waiting,
    })
}
