//! What `serve` keeps in the store beside sessions: authorization codes and the login form's
//! claims. Every store keeps them (a [`Store`] is also [`ServeRecords`]); each engine's are in
//! its folder's `codes.rs`.

use super::StoreError;
#[cfg(doc)]
use super::{Dump, Store};
use anyhow::Result;

/// `serve`'s authorization codes and login claims (see [`CodeClaim`]).
pub trait ServeRecords {
    /// Keeps a new authorization code: `hash` is the SHA-256 of the code (the code itself is
    /// never stored), `record` what `serve` needs to exchange it (its JSON, at most
    /// [`MAX_SERVE_RECORD`] bytes), unclaimed, until `keep_until` (jwtctl's clock); codes kept
    /// past their time are deleted here, now or later, so the store does not grow.
    fn put_code(&self, hash: &[u8], record: &str, keep_until: i64, now: i64) -> Result<()>;

    /// The code hashed `hash` as it is now, without changing it: `None` when unknown or past its
    /// `keep_until`.
    fn code(&self, hash: &[u8], now: i64) -> Result<Option<StoredCode>>;

    /// Claims the code hashed `hash`, atomically: the first claim gets
    /// [`CodeClaim::Fresh`] (the code is now claimed), every later one [`CodeClaim::Used`] (and
    /// the code is marked replayed, which [`ServeRecords::bind_code`] reports).
    fn claim_code(&self, hash: &[u8], now: i64) -> Result<CodeClaim>;

    /// Records `family` as the session the claimed code opened. True when the code was claimed
    /// again meanwhile (a replay racing the exchange): the caller then revokes `family`, as a
    /// later replay would have (RFC 6749 §4.1.2). False when it was not, or the code is gone.
    fn bind_code(&self, hash: &[u8], family: &str) -> Result<bool>;

    /// Keeps `claims` (a JSON object, at most [`MAX_SERVE_RECORD`] bytes) for the session
    /// `family` until `keep_until`: the extra claims of `serve`'s login, for `/userinfo`.
    /// Claims kept past their time are deleted here, now or later.
    fn put_session_claims(
        &self,
        family: &str,
        claims: &str,
        keep_until: i64,
        now: i64,
    ) -> Result<()>;

    /// The claims kept for the session `family`, if any.
    fn session_claims(&self, family: &str) -> Result<Option<String>>;
}

/// Largest authorization-code record or session-claims text a store keeps: a token's own cap
/// (the claims end up in an ID token, the code's record holds them).
pub const MAX_SERVE_RECORD: usize = crate::token::MAX_TOKEN_BYTES;

/// An authorization code as [`ServeRecords::code`] reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCode {
    /// What [`ServeRecords::put_code`] kept.
    pub record: String,
    /// Whether it was claimed already.
    pub claimed: bool,
}

/// What [`ServeRecords::claim_code`] found. Together with [`ServeRecords::bind_code`] it makes a code
/// single-use across every process sharing the store, and a second use revoke the session the
/// first one opened, whichever order the two exchanges run in (RFC 6749 §4.1.2, §10.5).
///
/// Codes are not part of [`Dump`]: they live a minute, and `store copy` does not carry them.
/// Nor are session claims: they only add to `/userinfo` of sessions opened by `serve`'s login
/// form (their ID tokens carry them too); after a copy, `/userinfo` answers those sessions with
/// the subject and the configured user's claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeClaim {
    /// The first claim: the record kept.
    Fresh(String),
    /// Claimed before; `family` is the session its exchange opened, once bound.
    Used { family: Option<String> },
    /// No such code, or past its `keep_until`.
    Missing,
}

/// Refuses a record over [`MAX_SERVE_RECORD`] before it is written.
pub(crate) fn check_serve_record(store: &str, what: &str, text: &str) -> Result<()> {
    if text.len() > MAX_SERVE_RECORD {
        return Err(StoreError::Io {
            store: store.to_owned(),
            detail: format!(
                "{what} of {} bytes is over the {MAX_SERVE_RECORD} a store keeps",
                text.len()
            ),
        }
        .into());
    }
    Ok(())
}
