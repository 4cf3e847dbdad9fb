//! The refresh store (DECISIONS §6): which token families exist, which refresh token of each is
//! current, the history of every rotation, disabled subjects and an event log.
//!
//! The [`Store`] trait is what the commands see, so a shared store for several machines can
//! follow the embedded one ([`sqlite::SqliteStore`]). Each method is one atomic step. The refresh
//! decision itself is not here: [`Store::refresh`] loads a [`Snapshot`], hands it to the caller
//! (which decides with the pure `session::decide` and signs the successor), and applies the
//! returned [`Step`] in the same transaction, so the used-check and the rotation are one
//! compare-and-set. Tokens are kept as SHA-256 hashes and `jti`s, never as strings.

pub mod schema;
pub mod sqlite;

use anyhow::Result;
use serde::Serialize;

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

/// What the store knows about a presented refresh token, read under the write lock.
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

/// The writes a refresh decision asks for; applied in the transaction that read the snapshot.
#[derive(Clone, Debug)]
pub enum Step {
    /// Mark the presented token used, record `successor` as current (compare-and-set on the
    /// token's state and the family's generation).
    Rotate { successor: TokenRecord },
    /// Grace re-issue: the presented token is the immediate predecessor of the current one,
    /// which is marked superseded; `successor` becomes current.
    Grace {
        successor: TokenRecord,
        superseded: String,
    },
    /// Revoke the whole family (reuse, wrong client) and log `event`.
    Revoke {
        reason: RevokeReason,
        event: NewEvent,
    },
    /// Change nothing but the log (`event`, when there is a family to log it under).
    Refuse { event: Option<NewEvent> },
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

/// The refresh store. Every method is atomic; every time comes from the caller's clock.
pub trait Store {
    /// Records a new family and its first token, unless the subject is disabled (then `Ok(Some)`
    /// with the record, and nothing is written but the log).
    fn open_family(
        &self,
        family: &Family,
        first: &TokenRecord,
        now: i64,
    ) -> Result<Option<Disabled>>;

    /// One refresh: reads the [`Snapshot`] for `jti` under the write lock, calls `decide`, applies
    /// its [`Step`] and commits, all in one transaction. An `Err` from `decide` rolls back.
    fn refresh(
        &self,
        jti: &str,
        now: i64,
        decide: &mut dyn FnMut(&Snapshot) -> Result<Step>,
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

    /// The family whose id is `id` or starts with it (one match only).
    fn find_family(&self, id: &str) -> Result<Option<Family>>;

    /// Every refresh token of a family, by generation.
    fn chain(&self, family_id: &str) -> Result<Vec<TokenRecord>>;

    /// The event log matching `filter`, oldest first.
    fn events(&self, filter: &Filter) -> Result<Vec<Event>>;
}
