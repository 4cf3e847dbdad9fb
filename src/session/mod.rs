//! The refresh-token flow as pure functions (DECISIONS §4, §6; research B5): what a login records,
//! the claims of an access/refresh pair, and the decision a refresh takes on what the store holds.
//!
//! Nothing here reads the clock, the store, randomness or the keyring: `now`, ids and hashes come
//! in as arguments and signing comes in as a closure, so every branch of [`decide`] is a unit
//! test. [`decide`] returns the one [`Step`] the store applies atomically; a refusal in it is a
//! typed [`RefusalReason`] that the edge turns into an exit status.

mod mint;
pub mod store;

pub use mint::{
    ACCESS_TYP, Grant, Lifetimes, MintError, PairClaims, Successor, TokenResponse, check_exp,
    check_size, new_family, pair_claims, token_hash, token_record,
};

use crate::session::store::{Family, NewEvent, RevokeReason, Snapshot, TokenRecord, TokenState};
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

/// Why a refresh is refused; the edge maps each to its exit status (DECISIONS §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusalReason {
    /// The store never issued a token under this `jti` (or has no store at all).
    Unknown,
    /// The store issued a different token under this `jti`.
    NotIssued,
    /// The family was revoked (logout, reuse, wrong client, an administrator).
    Revoked,
    /// The subject is disabled.
    Disabled,
    /// The family is past its absolute lifetime.
    SessionOver,
    /// The refresh token is past its `exp`.
    Expired,
    /// Another client presented it; the family is now revoked.
    ClientMismatch,
    /// An already-rotated token was presented again; the family is now revoked.
    Reused,
}

/// A refused refresh: why, one line for the user, and a hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub reason: RefusalReason,
    pub message: String,
    pub hint: Option<String>,
}

/// The token a step acts on and its family, as the snapshot showed them: what the step's
/// compare-and-set expects to find unchanged (the token's state; the family's generation,
/// current token and revocation).
#[derive(Clone, Debug)]
pub struct Target {
    pub family: Family,
    pub token: TokenRecord,
}

/// What a refresh does: the decision, as the store applies it. Every variant carries all the
/// store needs, so neither the store nor the command meets a case that "cannot happen".
#[derive(Clone, Debug)]
pub enum Step {
    /// Mark the presented token used and make `successor` (generation + 1) current.
    Rotate {
        target: Target,
        successor: Successor,
    },
    /// Grace re-issue: the presented token is the immediate predecessor of the family's current
    /// one, which is marked superseded; `successor` becomes current.
    Grace {
        target: Target,
        successor: Successor,
    },
    /// Log `event`, revoke the whole family, and refuse.
    Revoke {
        target: Target,
        reason: RevokeReason,
        event: NewEvent,
        refusal: Refusal,
    },
    /// Change nothing but the log (the event, when the token is known); refuse.
    Refuse {
        logged: Option<(Target, NewEvent)>,
        refusal: Refusal,
    },
}

impl Step {
    /// The pair this step issues, when it issues one.
    #[must_use]
    pub fn successor(&self) -> Option<&Successor> {
        match self {
            Step::Rotate { successor, .. } | Step::Grace { successor, .. } => Some(successor),
            Step::Revoke { .. } | Step::Refuse { .. } => None,
        }
    }

    /// The refusal this step reports, when it refuses.
    #[must_use]
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Step::Revoke { refusal, .. } | Step::Refuse { refusal, .. } => Some(refusal),
            Step::Rotate { .. } | Step::Grace { .. } => None,
        }
    }
}

/// What a rotation asks the minter for: the successor of `parent` in `family`.
#[derive(Clone, Copy, Debug)]
pub struct Issue<'a> {
    pub family: &'a Family,
    pub generation: i64,
    pub parent: &'a TokenRecord,
}

const LOGIN_AGAIN: &str = "the session is over: start a new one with `jwtctl login --sub SUB`";

fn refusal(reason: RefusalReason, message: String, hint: Option<&str>) -> Refusal {
    Refusal {
        reason,
        message,
        hint: hint.map(str::to_owned),
    }
}

fn refuse(refusal: Refusal, logged: Option<(Target, NewEvent)>) -> anyhow::Result<Step> {
    Ok(Step::Refuse { logged, refusal })
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
///
/// `mint` signs the successor when the step issues one (its error, e.g. a [`MintError`], ends
/// the refresh with nothing written); it is the only effect, so a store that must decide again
/// after a lost compare-and-set can simply call this again.
pub fn decide(
    snap: &Snapshot,
    p: &Presented,
    req: &Request,
    mint: impl FnOnce(Issue<'_>) -> anyhow::Result<Successor>,
) -> anyhow::Result<Step> {
    use RefusalReason as R;
    let now = req.now;
    let (Some(t), Some(f)) = (&snap.token, &snap.family) else {
        return refuse(
            refusal(
                R::Unknown,
                format!(
                    "refresh token {} is not in the store: it was not issued here",
                    p.jti
                ),
                Some(LOGIN_AGAIN),
            ),
            None,
        );
    };
    let event = |kind: &'static str| NewEvent::new(kind, Some(&t.jti), Some(t.generation));
    let target = || Target {
        family: f.clone(),
        token: t.clone(),
    };
    let logged = |e: NewEvent| Some((target(), e));
    if t.sha256 != p.sha256 || t.family_id != p.family_id || t.generation != p.generation {
        return refuse(
            refusal(
                R::NotIssued,
                format!(
                    "the store issued a different refresh token under jti {}",
                    t.jti
                ),
                Some(LOGIN_AGAIN),
            ),
            logged(event("refused").detail("token does not match the one issued under this jti")),
        );
    }
    if let Some(revoked) = f.revoked_at {
        let reason = f.revoked_reason.as_deref().unwrap_or("revoked");
        return refuse(
            refusal(
                R::Revoked,
                format!(
                    "session {} was revoked {} ago ({reason})",
                    f.id,
                    ago(now, revoked)
                ),
                Some(LOGIN_AGAIN),
            ),
            logged(event("refused").detail(format!("family revoked ({reason})"))),
        );
    }
    if let Some(d) = &snap.disabled {
        let why = d
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        return refuse(
            refusal(
                R::Disabled,
                format!("subject {:?} is disabled{why}", f.sub),
                Some(&format!(
                    "re-enable it with `jwtctl subject enable {}`",
                    f.sub
                )),
            ),
            logged(event("refused").detail("subject disabled")),
        );
    }
    if now >= f.not_after {
        return refuse(
            refusal(
                R::SessionOver,
                format!(
                    "session {} reached its absolute lifetime {} ago (not after {})",
                    f.id,
                    ago(now, f.not_after),
                    at(f.not_after)
                ),
                Some(LOGIN_AGAIN),
            ),
            logged(event("expired").detail("family past its absolute lifetime")),
        );
    }
    if p.expired || now >= t.expires_at {
        return refuse(
            refusal(
                R::Expired,
                format!(
                    "refresh token expired {} ago (exp {})",
                    ago(now, t.expires_at),
                    at(t.expires_at)
                ),
                Some(LOGIN_AGAIN),
            ),
            logged(event("expired").detail("refresh token past its exp")),
        );
    }
    if let Some(client) = req.client_id.as_deref().filter(|c| *c != f.client_id) {
        return Ok(Step::Revoke {
            target: target(),
            reason: RevokeReason::ClientMismatch,
            event: event("client_mismatch").detail(format!("presented by client {client:?}")),
            refusal: refusal(
                R::ClientMismatch,
                format!(
                    "refresh token was issued to client {:?}, presented by {client:?}; session {} is revoked",
                    f.client_id, f.id
                ),
                None,
            ),
        });
    }
    let issue = Issue {
        family: f,
        generation: f.generation.saturating_add(1),
        parent: t,
    };
    let current = t.jti == f.current_jti && t.generation == f.generation;
    match t.state {
        TokenState::Active if current => Ok(Step::Rotate {
            successor: mint(issue)?,
            target: target(),
        }),
        TokenState::Used
            if req.grace > 0
                && t.replaced_by.as_deref() == Some(f.current_jti.as_str())
                && t.used_at
                    .is_some_and(|u| now.saturating_sub(u) <= req.grace) =>
        {
            Ok(Step::Grace {
                successor: mint(issue)?,
                target: target(),
            })
        }
        state => {
            let used = t
                .used_at
                .map(|u| format!(" {} ago", ago(now, u)))
                .unwrap_or_default();
            Ok(Step::Revoke {
                target: target(),
                reason: RevokeReason::ReuseDetected,
                event: event("reuse_detected").detail(format!(
                    "generation {} presented again; current generation {}",
                    t.generation, f.generation
                )),
                refusal: refusal(
                    R::Reused,
                    format!(
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
                    Some(LOGIN_AGAIN),
                ),
            })
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
