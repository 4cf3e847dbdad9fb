//! The refresh-token flow as pure functions (DECISIONS §4, §6; research B5): what a login records,
//! the claims of an access/refresh pair, and the decision a refresh takes on what the store holds.
//!
//! Nothing here reads the clock, the store, randomness or the keyring: `now`, ids and hashes come
//! in as arguments, so every branch of [`decide`] is a unit test. The commands sign the claims and
//! the store applies the decision atomically.

mod mint;
pub mod store;

pub use mint::{
    ACCESS_TYP, Grant, Lifetimes, PairClaims, TokenResponse, new_family, pair_claims, token_hash,
    token_record,
};

use crate::edge::exit::Exit;
use crate::session::store::{Family, NewEvent, RevokeReason, Snapshot, TokenState};
use crate::time::{rfc3339, span};
use serde_json::{Map, Value};

/// A verified refresh token's claims, as the decision needs them.
#[derive(Clone, Debug)]
pub struct Presented {
    pub jti: String,
    pub family_id: String,
    pub generation: i64,
    pub sha256: Vec<u8>,
    /// Its `exp` has passed (the signature was good; the store still logs the attempt).
    pub expired: bool,
}

impl Presented {
    /// Reads `jti`, `fam` and `gen` from verified claims; a missing or mistyped one is the
    /// message of a claim rejection (exit 7).
    pub fn from_claims(
        claims: &Map<String, Value>,
        sha256: Vec<u8>,
        expired: bool,
    ) -> Result<Self, String> {
        let text = |name: &str| match claims.get(name) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(_) => Err(format!(
                "claim {name} of the refresh token must be a non-empty string"
            )),
            None => Err(format!(
                "the refresh token has no {name} claim: jwtctl did not issue it"
            )),
        };
        let generation = match claims.get("gen") {
            Some(v) => v
                .as_i64()
                .filter(|g| *g >= 1)
                .ok_or("claim gen of the refresh token must be a positive integer")?,
            None => {
                return Err("the refresh token has no gen claim: jwtctl did not issue it".into());
            }
        };
        Ok(Presented {
            jti: text("jti")?,
            family_id: text("fam")?,
            generation,
            sha256,
            expired,
        })
    }
}

/// The request around a presented token.
#[derive(Clone, Debug)]
pub struct Request {
    /// The client presenting it (`refresh --client-id`); `None` trusts the token's own.
    pub client_id: Option<String>,
    /// Seconds after its use during which the immediate predecessor is still honoured; 0 = off.
    pub grace: i64,
    pub now: i64,
}

/// Why a refresh fails: its exit status, one line, a hint, and what to log.
#[derive(Clone, Debug)]
pub struct Refusal {
    pub exit: Exit,
    pub message: String,
    pub hint: Option<String>,
    pub event: Option<NewEvent>,
}

/// What a refresh does.
#[derive(Clone, Debug)]
pub enum Verdict {
    /// Mark the token used and issue generation + 1.
    Rotate,
    /// Grace: issue generation + 1 and mark the current token `superseded` superseded.
    Grace { superseded: String },
    /// Refuse; change nothing but the log.
    Refuse(Refusal),
    /// Revoke the whole family, then refuse.
    Revoke(Refusal, RevokeReason),
}

const LOGIN_AGAIN: &str = "the session is over: start a new one with `jwtctl login --sub SUB`";

fn refuse(exit: Exit, message: String, hint: Option<&str>, event: Option<NewEvent>) -> Verdict {
    Verdict::Refuse(Refusal {
        exit,
        message,
        hint: hint.map(str::to_owned),
        event,
    })
}

#[allow(clippy::cast_sign_loss)]
fn ago(now: i64, then: i64) -> String {
    span(now.saturating_sub(then).max(0) as u64)
}

#[allow(clippy::cast_precision_loss)]
fn at(t: i64) -> String {
    rfc3339(t as f64)
}

/// The refresh decision (research B5), in this order: unknown token → 8; not the token issued
/// under that jti → 8; family revoked → 8; subject disabled → 8; family past its absolute
/// lifetime or token past `exp` → 5; wrong client → 7 and the family revoked; the current token →
/// rotate; the immediate predecessor inside the grace window → grace; any other → reuse: 9 and
/// the family revoked (RFC 9700 §4.14.2).
#[must_use]
pub fn decide(snap: &Snapshot, p: &Presented, req: &Request) -> Verdict {
    let now = req.now;
    let (Some(t), Some(f)) = (&snap.token, &snap.family) else {
        return refuse(
            Exit::Revoked,
            format!(
                "refresh token {} is not in the store: it was not issued here",
                p.jti
            ),
            Some(LOGIN_AGAIN),
            None,
        );
    };
    let event = |kind: &'static str| NewEvent::new(kind, Some(&t.jti), Some(t.generation));
    if t.sha256 != p.sha256 || t.family_id != p.family_id || t.generation != p.generation {
        return refuse(
            Exit::Revoked,
            format!(
                "the store issued a different refresh token under jti {}",
                t.jti
            ),
            Some(LOGIN_AGAIN),
            Some(event("refused").detail("token does not match the one issued under this jti")),
        );
    }
    if let Some(revoked) = f.revoked_at {
        let reason = f.revoked_reason.as_deref().unwrap_or("revoked");
        return refuse(
            Exit::Revoked,
            format!(
                "session {} was revoked {} ago ({reason})",
                f.id,
                ago(now, revoked)
            ),
            Some(LOGIN_AGAIN),
            Some(event("refused").detail(format!("family revoked ({reason})"))),
        );
    }
    if let Some(d) = &snap.disabled {
        let why = d
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        return refuse(
            Exit::Revoked,
            format!("subject {:?} is disabled{why}", f.sub),
            Some(&format!(
                "re-enable it with `jwtctl subject enable {}`",
                f.sub
            )),
            Some(event("refused").detail("subject disabled")),
        );
    }
    if now >= f.not_after {
        return refuse(
            Exit::Expired,
            format!(
                "session {} reached its absolute lifetime {} ago (not after {})",
                f.id,
                ago(now, f.not_after),
                at(f.not_after)
            ),
            Some(LOGIN_AGAIN),
            Some(event("expired").detail("family past its absolute lifetime")),
        );
    }
    if p.expired || now >= t.expires_at {
        return refuse(
            Exit::Expired,
            format!(
                "refresh token expired {} ago (exp {})",
                ago(now, t.expires_at),
                at(t.expires_at)
            ),
            Some(LOGIN_AGAIN),
            Some(event("expired").detail("refresh token past its exp")),
        );
    }
    if let Some(client) = req.client_id.as_deref().filter(|c| *c != f.client_id) {
        return Verdict::Revoke(
            Refusal {
                exit: Exit::Claim,
                message: format!(
                    "refresh token was issued to client {:?}, presented by {client:?}; session {} is revoked",
                    f.client_id, f.id
                ),
                hint: None,
                event: Some(
                    event("client_mismatch").detail(format!("presented by client {client:?}")),
                ),
            },
            RevokeReason::ClientMismatch,
        );
    }
    let current = t.jti == f.current_jti && t.generation == f.generation;
    match t.state {
        TokenState::Active if current => Verdict::Rotate,
        TokenState::Used
            if req.grace > 0
                && t.replaced_by.as_deref() == Some(f.current_jti.as_str())
                && t.used_at
                    .is_some_and(|u| now.saturating_sub(u) <= req.grace) =>
        {
            Verdict::Grace {
                superseded: f.current_jti.clone(),
            }
        }
        state => {
            let used = t
                .used_at
                .map(|u| format!(" {} ago", ago(now, u)))
                .unwrap_or_default();
            Verdict::Revoke(
                Refusal {
                    exit: Exit::Reused,
                    message: format!(
                        "refresh token generation {} was already {}{used}; session {} is revoked (current generation {})",
                        t.generation,
                        if state == TokenState::Superseded {
                            "superseded"
                        } else {
                            "used"
                        },
                        f.id,
                        f.generation
                    ),
                    hint: Some(LOGIN_AGAIN.into()),
                    event: Some(event("reuse_detected").detail(format!(
                        "generation {} presented again; current generation {}",
                        t.generation, f.generation
                    ))),
                },
                RevokeReason::ReuseDetected,
            )
        }
    }
}

/// A family's state as `sessions` shows it, and why: `revoked` (its reason), `expired`
/// (`max_lifetime` or `refresh_ttl`), `disabled` (the subject is), else `active`.
#[must_use]
pub fn family_state(
    f: &Family,
    current_expires: Option<i64>,
    disabled: Option<&crate::session::store::Disabled>,
    now: i64,
) -> (&'static str, Option<String>) {
    if f.revoked_at.is_some() {
        return ("revoked", f.revoked_reason.clone());
    }
    if now >= f.not_after {
        return ("expired", Some("max_lifetime".into()));
    }
    if current_expires.is_some_and(|e| now >= e) {
        return ("expired", Some("refresh_ttl".into()));
    }
    if let Some(d) = disabled {
        return (
            "disabled",
            Some(
                d.reason
                    .clone()
                    .unwrap_or_else(|| "subject_disabled".into()),
            ),
        );
    }
    ("active", None)
}

#[cfg(test)]
mod tests;
