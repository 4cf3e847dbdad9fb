//! Minting, as pure functions: the family a login opens, the claims of an access/refresh pair
//! (RFC 9068 for the access token), the store's record of a refresh token, and the OAuth 2.0
//! token response. Ids, hashes and `now` come in as arguments. What is minted must be what
//! `verify` and `refresh` accept (DECISIONS §2): [`check_exp`] and [`check_size`] say so before
//! anything is signed into the store.

use crate::session::store::{Family, TokenRecord, TokenState};
use crate::time::{MAX_NUMERIC_DATE, rfc3339};
use crate::token::MAX_TOKEN_BYTES;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// `typ` of access tokens (RFC 9068 §2.1).
pub const ACCESS_TYP: &str = "at+jwt";

/// Who a session is for and what it may do; fixed at login.
#[derive(Clone, Debug)]
pub struct Grant {
    pub sub: String,
    pub client_id: String,
    pub scope: Option<String>,
    pub iss: String,
    pub aud: String,
}

/// Lifetimes in seconds: access token, refresh token, and the family's absolute lifetime.
#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    pub access: i64,
    pub refresh: i64,
    pub max: i64,
}

/// The family a login opens, at generation 1 with `first_jti` current.
#[must_use]
pub fn new_family(
    grant: &Grant,
    life: Lifetimes,
    id: String,
    first_jti: String,
    now: i64,
) -> Family {
    Family {
        id,
        sub: grant.sub.clone(),
        client_id: grant.client_id.clone(),
        scope: grant.scope.clone(),
        iss: grant.iss.clone(),
        aud: grant.aud.clone(),
        access_ttl: life.access,
        refresh_ttl: life.refresh,
        created_at: now,
        not_after: now.saturating_add(life.max),
        last_refresh_at: None,
        generation: 1,
        current_jti: first_jti,
        revoked_at: None,
        revoked_reason: None,
    }
}

/// The claims of one access/refresh pair, before signing.
#[derive(Clone, Debug)]
pub struct PairClaims {
    pub access: Map<String, Value>,
    pub refresh: Map<String, Value>,
    pub access_exp: i64,
    pub refresh_exp: i64,
}

/// Claims for the pair of `family` at `generation`. Neither token outlives the family:
/// `exp = min(now + ttl, not_after)`, so rotation never extends a session.
#[must_use]
pub fn pair_claims(
    family: &Family,
    generation: i64,
    rt_jti: &str,
    at_jti: &str,
    now: i64,
) -> PairClaims {
    let access_exp = now.saturating_add(family.access_ttl).min(family.not_after);
    let refresh_exp = now.saturating_add(family.refresh_ttl).min(family.not_after);
    // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti; scope when granted; sid names the
    // session so a verifier that consults the store can see it revoked.
    let mut access = json!({
        "iss": family.iss, "sub": family.sub, "aud": family.aud, "exp": access_exp, "iat": now,
        "jti": at_jti, "client_id": family.client_id, "sid": family.id,
    });
    if let (Some(scope), Some(map)) = (&family.scope, access.as_object_mut()) {
        map.insert("scope".into(), scope.clone().into());
    }
    let refresh = json!({
        "iss": family.iss, "sub": family.sub, "exp": refresh_exp, "iat": now, "jti": rt_jti,
        "fam": family.id, "gen": generation, "client_id": family.client_id,
    });
    let object = |v: Value| match v {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    PairClaims {
        access: object(access),
        refresh: object(refresh),
        access_exp,
        refresh_exp,
    }
}

/// The store's record of a refresh token just minted.
#[must_use]
pub fn token_record(
    family: &Family,
    generation: i64,
    jti: &str,
    parent: Option<&str>,
    sha256: Vec<u8>,
    now: i64,
    expires_at: i64,
) -> TokenRecord {
    TokenRecord {
        jti: jti.to_owned(),
        family_id: family.id.clone(),
        generation,
        parent_jti: parent.map(str::to_owned),
        sha256,
        issued_at: now,
        expires_at,
        state: TokenState::Active,
        used_at: None,
        replaced_by: None,
        revoked_at: None,
    }
}

/// SHA-256 of a compact token: what the store keeps instead of the token.
#[must_use]
pub fn token_hash(token: &str) -> Vec<u8> {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes())
        .as_ref()
        .to_vec()
}

/// The OAuth 2.0 token response (RFC 6749 §5.1), plus the session id and generation.
#[derive(Clone, Debug, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
    pub refresh_expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub session_id: String,
    pub generation: i64,
}

/// A minted refresh token: the store's record of it and the response that carries it (the only
/// copy of the tokens, delivered on stdout before the store commits).
#[derive(Clone, Debug)]
pub struct Successor {
    pub record: TokenRecord,
    pub response: TokenResponse,
}

/// Why a pair is not minted: it would be a token `verify` and `refresh` refuse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MintError {
    /// Its `exp` (or the session's absolute end) lies past the last NumericDate jwtctl accepts.
    TooLate { what: &'static str, at: i64 },
    /// The signed token is larger than jwtctl reads.
    TooLarge { what: &'static str, bytes: usize },
}

impl std::fmt::Display for MintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MintError::TooLate { what, at } => write!(
                f,
                "{what} would be {at}, past {} ({MAX_NUMERIC_DATE}), the latest time a token may \
                 carry; nothing was minted",
                rfc3339(MAX_NUMERIC_DATE as f64)
            ),
            MintError::TooLarge { what, bytes } => write!(
                f,
                "the {what} would be {bytes} bytes, over the {} KiB that jwtctl accepts; nothing \
                 was minted",
                MAX_TOKEN_BYTES / 1024
            ),
        }
    }
}

impl std::error::Error for MintError {}

/// Refuses a time past the NumericDate range (`what` names it: "the refresh token's exp").
pub fn check_exp(what: &'static str, at: i64) -> Result<(), MintError> {
    if at > MAX_NUMERIC_DATE {
        return Err(MintError::TooLate { what, at });
    }
    Ok(())
}

/// Refuses a signed token over the size cap.
pub fn check_size(what: &'static str, token: &str) -> Result<(), MintError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(MintError::TooLarge {
            what,
            bytes: token.len(),
        });
    }
    Ok(())
}
