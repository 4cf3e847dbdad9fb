//! The refresh store (DECISIONS §6): which token families exist, which refresh token of each is
//! current, the history of every rotation, disabled subjects and an event log.
//!
//! The [`Store`] trait is what the commands see: the embedded store ([`sqlite::SqliteStore`])
//! implements it now, shared stores for several machines (Redis, PostgreSQL) next. Each method is
//! one atomic step. The refresh decision itself is not here: [`Store::refresh`] reads a
//! [`Snapshot`], hands it to the pure `session::decide` (through the caller), applies the
//! [`Step`] it returns as a compare-and-set against that snapshot, lets the caller deliver the
//! new pair, and only then commits. Tokens are kept as SHA-256 hashes and `jti`s, never as
//! strings. A store never picks an exit status and never prints: its failures are
//! [`StoreError`]s, mapped at the edge.

mod codes;
pub mod postgres;
pub mod redis;
pub mod schema;
#[cfg(test)]
pub(crate) mod serve_story;
pub mod sqlite;
pub mod target;

pub(crate) use codes::check_serve_record;
pub use codes::{CodeClaim, MAX_SERVE_RECORD, ServeRecords, StoredCode};

use crate::session::Step;
use anyhow::Result;
use serde::Serialize;
use std::path::Path;
use std::time::Duration;
use target::{Options, Target};

/// The life of one refresh token (research B5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenState {
    /// The family's current token: the only one that may rotate.
    Active,
    /// Rotated: presenting it again is reuse, unless inside the grace window.
    Used,
    /// Replaced by a grace re-issue before its holder used it.
    Superseded,
    /// Its family was revoked while it was active.
    Revoked,
}

impl TokenState {
    /// The name stored and printed.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            TokenState::Active => "active",
            TokenState::Used => "used",
            TokenState::Superseded => "superseded",
            TokenState::Revoked => "revoked",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn from_name(s: &str) -> Option<Self> {
        [
            TokenState::Active,
            TokenState::Used,
            TokenState::Superseded,
            TokenState::Revoked,
        ]
        .into_iter()
        .find(|t| t.name() == s)
    }
}

/// Why a family was revoked; the names are printed and stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevokeReason {
    /// `jwtctl logout TOKEN`.
    Logout,
    /// `jwtctl logout --all --sub SUB`.
    LogoutAll,
    /// `jwtctl logout --family ID`: an administrator ended the session.
    Admin,
    /// A rotated refresh token was presented again (RFC 9700 §4.14.2).
    ReuseDetected,
    /// A client other than the one the family was issued to presented its token.
    ClientMismatch,
}

impl RevokeReason {
    /// The stored and printed name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            RevokeReason::Logout => "logout",
            RevokeReason::LogoutAll => "logout_all",
            RevokeReason::Admin => "admin",
            RevokeReason::ReuseDetected => "reuse_detected",
            RevokeReason::ClientMismatch => "client_mismatch",
        }
    }
}

/// A token family (a session, a grant): one login and every rotation since.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Family {
    pub id: String,
    pub sub: String,
    pub client_id: String,
    pub scope: Option<String>,
    /// `iss` and `aud` of the access tokens minted for it.
    pub iss: String,
    pub aud: String,
    /// Lifetimes in seconds, fixed at login so every rotation uses the same policy.
    pub access_ttl: i64,
    pub refresh_ttl: i64,
    pub created_at: i64,
    /// Absolute end: no rotation extends the family past it (`--max-lifetime`).
    pub not_after: i64,
    pub last_refresh_at: Option<i64>,
    /// Generation of the current refresh token; 1 at login, +1 per rotation.
    pub generation: i64,
    pub current_jti: String,
    pub revoked_at: Option<i64>,
    pub revoked_reason: Option<String>,
}

/// One refresh token as the store remembers it: its hash and its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    pub jti: String,
    pub family_id: String,
    pub generation: i64,
    pub parent_jti: Option<String>,
    /// SHA-256 of the compact token: proves a presented token is the one issued.
    pub sha256: Vec<u8>,
    pub issued_at: i64,
    pub expires_at: i64,
    pub state: TokenState,
    pub used_at: Option<i64>,
    pub replaced_by: Option<String>,
    pub revoked_at: Option<i64>,
}

/// A subject that may not log in or refresh (`jwtctl subject disable`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disabled {
    pub at: i64,
    pub reason: Option<String>,
}

/// What the store holds about a presented refresh token: what `session::decide` decides on.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub token: Option<TokenRecord>,
    pub family: Option<Family>,
    pub disabled: Option<Disabled>,
}

/// An event to append to the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: &'static str,
    pub jti: Option<String>,
    pub generation: Option<i64>,
    pub detail: Option<String>,
}

impl NewEvent {
    /// An event of `kind` about the token `jti` of generation `generation`.
    #[must_use]
    pub fn new(kind: &'static str, jti: Option<&str>, generation: Option<i64>) -> Self {
        NewEvent {
            kind,
            jti: jti.map(str::to_owned),
            generation,
            detail: None,
        }
    }

    /// The same event with a detail text.
    #[must_use]
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// An event as the log holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub at: i64,
    pub kind: String,
    pub family_id: Option<String>,
    pub sub: Option<String>,
    pub jti: Option<String>,
    pub generation: Option<i64>,
    pub detail: Option<String>,
}

/// The outcome of revoking one family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revoked {
    /// Revoked now.
    Now(Family),
    /// It was already revoked; nothing changed.
    Already(Family),
    /// No such family, or the token presented is not one the store issued for it.
    Unknown,
}

/// A family as `sessions` lists it.
#[derive(Clone, Debug)]
pub struct Listed {
    pub family: Family,
    /// Expiry of its current refresh token.
    pub current_expires: Option<i64>,
    /// Set when its subject is disabled.
    pub disabled: Option<Disabled>,
}

/// Filters for listing families and events.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub family: Option<String>,
    pub sub: Option<String>,
}

/// Why the store could not answer. The edge maps these to exit statuses (all 10 today: the
/// store is unreadable, unwritable, busy or of another format); `store` names it for the user
/// (a path for SQLite, a URL for a server).
#[derive(Clone, Debug)]
pub enum StoreError {
    /// Another process held the store's lock for longer than the wait.
    Busy { store: String, waited: Duration },
    /// The file is damaged or not a database at all.
    Corrupt { store: String, detail: String },
    /// A database, but not a jwtctl store.
    Foreign { store: String },
    /// Written by a newer jwtctl: never touched.
    NewerFormat {
        store: String,
        found: i64,
        known: i64,
    },
    /// An older format this jwtctl cannot read; `migrate`: `jwtctl store migrate` upgrades it
    /// (a server's store), else nothing does (an SQLite file).
    OlderFormat {
        store: String,
        found: i64,
        known: i64,
        migrate: bool,
    },
    /// Its path holds no usable store (a dangling symlink, a directory).
    Unusable { store: String, why: String },
    /// What a compare-and-set expected changed underneath it; nothing was written.
    Conflict { store: String, what: &'static str },
    /// Any other failure to read or write it.
    Io { store: String, detail: String },
    /// A server that could not be reached or would not serve: connection refused, no answer
    /// within the bound, a TLS or authentication failure, a lock not granted in time, a
    /// connection lost mid-operation. `hint` says what to check.
    Unreachable {
        store: String,
        detail: String,
        hint: Option<String>,
    },
    /// A copy's target already holds sessions, subjects or events.
    NotEmpty { store: String },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Busy { store, waited } => write!(
                f,
                "refresh store {store} is locked by another process (waited {})",
                crate::time::span(waited.as_secs())
            ),
            StoreError::Corrupt { store, detail } => {
                write!(
                    f,
                    "refresh store {store} is corrupt or not a database ({detail})"
                )
            }
            StoreError::Foreign { store } => write!(
                f,
                "refresh store {store} is an SQLite file but not a jwtctl store"
            ),
            StoreError::NewerFormat {
                store,
                found,
                known,
            }
            | StoreError::OlderFormat {
                store,
                found,
                known,
                ..
            } => write!(
                f,
                "refresh store {store} has schema version {found}; this jwtctl knows version {known}"
            ),
            StoreError::Unusable { store, why } => write!(f, "refresh store {store} {why}"),
            StoreError::Conflict { store, what } => write!(
                f,
                "refresh store {store}: {what} changed during the operation; nothing was written"
            ),
            StoreError::Io { store, detail } | StoreError::Unreachable { store, detail, .. } => {
                write!(f, "refresh store {store}: {detail}")
            }
            StoreError::NotEmpty { store } => write!(
                f,
                "refresh store {store} already holds sessions, subjects or events; nothing was \
                 copied"
            ),
        }
    }
}

impl std::error::Error for StoreError {}

/// The refresh store. Every method is atomic; every time comes from the caller's clock.
///
/// Errors are [`StoreError`]s, or the callbacks' own errors returned unchanged (after undoing
/// the step). The shape is for every backend: SQLite holds one `BEGIN IMMEDIATE` transaction
/// across the callbacks; PostgreSQL can do the same with row locks (`SELECT ... FOR UPDATE`);
/// a store that cannot hold a transaction open across a callback (Redis: one server-side script
/// per write) reads the snapshot, runs `decide`, applies the step with a compare-and-set on the
/// presented token's state and the family's `(generation, current_jti, revoked_at)` as read,
/// re-reads and decides again when that fails (a bounded number of times, then
/// [`StoreError::Conflict`]), and undoes an applied step with a second compare-and-set (the
/// family still at the successor) when `deliver` fails.
///
/// `Send`: `serve` keeps opened stores in a pool and hands each to whichever thread runs the
/// next operation (one thread at a time).
pub trait Store: Send + ServeRecords {
    /// Runs `f`, whose writes this store may commit together, once, when `f` returns: SQLite
    /// holds one transaction across them, each write in a savepoint of its own (a write that
    /// fails is rolled back alone), so a busy server pays one commit for many writes. A write's
    /// `deliver` still runs before that commit; what a write returned holds only once `group`
    /// returns `Ok` (on `Err`, nothing of the group is recorded). Stores whose writes are one
    /// round trip each (Redis, PostgreSQL) run `f` as it is.
    fn group(&self, f: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        f()
    }

    /// Records a new family and its first token, unless the subject is disabled (then `Ok(Some)`
    /// with the record, nothing written but the log, and `deliver` not called). `deliver` runs
    /// after the writes and before the commit: when it fails, nothing is recorded.
    fn open_family(
        &self,
        family: &Family,
        first: &TokenRecord,
        now: i64,
        deliver: &mut dyn FnMut() -> Result<()>,
    ) -> Result<Option<Disabled>>;

    /// One refresh: reads the [`Snapshot`] of `jti`, calls `decide` on it, applies the [`Step`]
    /// it returns (compare-and-set against the snapshot), calls `deliver` with the applied step,
    /// and commits only when both succeeded; an `Err` from either leaves the store as it was.
    /// Returns the step applied.
    fn refresh(
        &self,
        jti: &str,
        now: i64,
        decide: &mut dyn FnMut(&Snapshot) -> Result<Step>,
        deliver: &mut dyn FnMut(&Step) -> Result<()>,
    ) -> Result<Step>;

    /// Revokes family `id`; with `token`, only when `(jti, sha256)` is one of its tokens.
    fn revoke_family(
        &self,
        id: &str,
        token: Option<(&str, &[u8])>,
        reason: RevokeReason,
        now: i64,
    ) -> Result<Revoked>;

    /// Revokes every unrevoked family of `sub`; returns their ids.
    fn revoke_subject(&self, sub: &str, reason: RevokeReason, now: i64) -> Result<Vec<String>>;

    /// Disables a subject: it can neither log in nor refresh; false when it already was.
    fn disable_subject(&self, sub: &str, reason: Option<&str>, now: i64) -> Result<bool>;

    /// Re-enables a subject; false when it was not disabled.
    fn enable_subject(&self, sub: &str, now: i64) -> Result<bool>;

    /// Families matching `filter`, oldest first, each with its current token's expiry and
    /// whether its subject is disabled.
    fn families(&self, filter: &Filter) -> Result<Vec<Listed>>;

    /// Whether the family `id` is live at `now`: recorded, not revoked, before its absolute
    /// end, of a subject not disabled. (Introspection asks this on every request; a store may
    /// answer it with less than [`Store::families`] reads.)
    fn family_live(&self, id: &str, now: i64) -> Result<bool> {
        let filter = Filter {
            family: Some(id.to_owned()),
            sub: None,
        };
        Ok(self.families(&filter)?.pop().is_some_and(|l| {
            l.family.revoked_at.is_none() && l.disabled.is_none() && now < l.family.not_after
        }))
    }

    /// The family whose id is `prefix` alone when there is one, else up to `limit` families
    /// whose id starts with it, by id (the caller decides what several mean).
    fn families_by_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<Family>>;

    /// Every refresh token of a family, by generation.
    fn chain(&self, family_id: &str) -> Result<Vec<TokenRecord>>;

    /// The event log matching `filter`, oldest first.
    fn events(&self, filter: &Filter) -> Result<Vec<Event>>;

    /// The sealed keyring kept in the store (`--keyring-in-store`) and its version: 1 for the
    /// first one written, one more for each write since; `None` when none was ever written.
    /// The blob is opaque here (`keys::seal` made it, the store only keeps it); one larger than
    /// [`MAX_KEYRING_BLOB`] is refused ([`StoreError::Corrupt`]) rather than read into memory.
    fn keyring_blob(&self) -> Result<Option<(i64, Vec<u8>)>>;

    /// Replaces the sealed keyring, as one compare-and-set: when the stored version is still
    /// `expected` (0: none stored yet), writes `blob` as version `expected + 1` and returns
    /// true; otherwise writes nothing and returns false (another writer came first: the caller
    /// reads again, redoes its change and retries).
    fn put_keyring_blob(&self, expected: i64, blob: &[u8]) -> Result<bool>;

    /// Every disabled subject, by name.
    fn disabled_subjects(&self) -> Result<Vec<(String, Disabled)>>;

    /// Writes everything in `dump` (`jwtctl store copy`) as one step: families, tokens and
    /// subjects as they are, events in the dump's order under this store's own ids. Refused
    /// with [`StoreError::NotEmpty`], nothing written, when the store holds any family, subject
    /// or event.
    fn load(&self, dump: &Dump) -> Result<()>;
}

/// Everything a store holds, for `jwtctl store copy`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dump {
    pub families: Vec<Family>,
    /// Every refresh token, family by family, each family's by generation.
    pub tokens: Vec<TokenRecord>,
    pub subjects: Vec<(String, Disabled)>,
    pub events: Vec<Event>,
}

impl Dump {
    /// Reads all of `store`.
    pub fn of(store: &dyn Store) -> Result<Dump> {
        let families: Vec<Family> = store
            .families(&Filter::default())?
            .into_iter()
            .map(|l| l.family)
            .collect();
        let mut tokens = Vec::new();
        for f in &families {
            tokens.extend(store.chain(&f.id)?);
        }
        Ok(Dump {
            families,
            tokens,
            subjects: store.disabled_subjects()?,
            events: store.events(&Filter::default())?,
        })
    }

    /// Whether `other` holds the same records (event ids aside: each store numbers its own).
    #[must_use]
    pub fn same_as(&self, other: &Dump) -> bool {
        // Listing orders may differ between engines where times tie: compare sorted.
        let families = |d: &Dump| {
            let mut f = d.families.clone();
            f.sort_by(|a, b| a.id.cmp(&b.id));
            f
        };
        let tokens = |d: &Dump| {
            let mut t = d.tokens.clone();
            t.sort_by(|a, b| a.jti.cmp(&b.jti));
            t
        };
        let events = |d: &Dump| -> Vec<Event> {
            d.events
                .iter()
                .cloned()
                .map(|e| Event { id: 0, ..e })
                .collect()
        };
        families(self) == families(other)
            && tokens(self) == tokens(other)
            && self.subjects == other.subjects
            && events(self) == events(other)
    }
}

/// Largest sealed keyring a store hands back: the keyring's own cap and the seal's few bytes.
pub const MAX_KEYRING_BLOB: u64 = crate::keys::keyring::MAX_BYTES + 4096;

/// Opens the store at `target` (`home` places the default SQLite file). `create`: make it when
/// it does not exist yet (a first login); otherwise `None` when there is none, which only an
/// SQLite file can lack: a server is always there (or unreachable, an error).
pub fn open(
    target: &Target,
    options: &Options,
    home: &Path,
    mode: schema::Mode,
    create: bool,
) -> Result<Option<Box<dyn Store>>> {
    match target {
        Target::Sqlite(file) => {
            let path = file.clone().unwrap_or_else(|| schema::path(home));
            if create {
                Ok(Some(Box::new(sqlite::SqliteStore::create(
                    &path,
                    options.wait,
                )?)))
            } else {
                Ok(sqlite::SqliteStore::open(&path, mode, options.wait)?
                    .map(|s| Box::new(s) as Box<dyn Store>))
            }
        }
        Target::Redis(server) => Ok(Some(Box::new(redis::RedisStore::connect(server, options)?))),
        Target::Postgres(server) => Ok(postgres::PgStore::open(server, options, mode, create)?
            .map(|s| Box::new(s) as Box<dyn Store>)),
    }
}

/// `jwtctl store migrate`: creates the store at `target`, or brings its schema up to date;
/// what was done, in words.
pub fn migrate(target: &Target, options: &Options, home: &Path) -> Result<String> {
    match target {
        Target::Sqlite(file) => {
            let path = file.clone().unwrap_or_else(|| schema::path(home));
            let existed = path.exists();
            sqlite::SqliteStore::create(&path, options.wait)?;
            Ok(format!(
                "refresh store {}: schema version {} ({})",
                path.display(),
                schema::SCHEMA_VERSION,
                if existed { "up to date" } else { "created" }
            ))
        }
        Target::Redis(server) => redis::RedisStore::connect(server, options)?.migrate(),
        Target::Postgres(server) => {
            let done = postgres::migrate(server, options)?;
            Ok(format!(
                "refresh store {}: schema version {} ({})",
                server.shown,
                done.to,
                match done.from {
                    0 => "created".to_owned(),
                    v if v == done.to => "up to date".to_owned(),
                    v => format!("migrated from version {v}"),
                }
            ))
        }
    }
}
