//! The token module: parse, sign, decode and verify compact JWS/JWT (RFC 7515, RFC 7519).
//!
//! Pure: it never prints, reads the clock, the environment or files. Verification runs in the
//! order of SECURITY.md: size → structure → base64url → header JSON → alg/key policy → `crit` →
//! signature → `typ` → claims JSON → claim types → claim values. Signature before claims means a
//! forged expired token is "signature rejected", never "expired" (DECISIONS §1).

use crate::json::{self, JsonError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// Hard cap on a token's length, checked before any decoding (SECURITY.md F1, F2).
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;
/// The largest `--leeway` a verifier may grant (RFC 7519 §4.1.4: "a few minutes").
pub const MAX_LEEWAY_SECS: u64 = 300;

pub mod claims;
pub mod sign;
pub mod verify;

use crate::alg::Alg;

/// The kind of a rejection; each maps to one exit status (DECISIONS §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Structure, base64url, JSON, size: exit 3.
    Malformed,
    /// Bad signature, algorithm not allowed or unsupported, no key for `kid`: exit 4.
    Signature,
    /// `exp` has passed: exit 5.
    Expired,
    /// `nbf` or `iat` in the future: exit 6.
    NotYetValid,
    /// A claim or `typ`/`crit` that does not meet the policy: exit 7.
    Claim,
}

/// Why a token was refused, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub reason: Reason,
    pub message: String,
    pub hint: Option<String>,
}

impl Rejection {
    pub(crate) fn new(reason: Reason, message: impl Into<String>) -> Self {
        Rejection {
            reason,
            message: message.into(),
            hint: None,
        }
    }
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

pub(crate) fn malformed(m: impl Into<String>) -> Rejection {
    Rejection::new(Reason::Malformed, m)
}
fn bad_sig(m: impl Into<String>) -> Rejection {
    Rejection::new(Reason::Signature, m)
}
pub(crate) fn bad_claim(m: impl Into<String>) -> Rejection {
    Rejection::new(Reason::Claim, m)
}

/// A token split and decoded, nothing verified.
#[derive(Debug)]
pub struct Parts<'a> {
    pub header: Map<String, Value>,
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
    /// The signature segment has an impossible length (the signature is empty here).
    pub signature_truncated: bool,
    signing_input: &'a str,
}

/// Splits a compact JWS strictly: at most 64 KiB, exactly two dots, canonical unpadded base64url,
/// a header that is a JSON object without duplicate keys. Payload and signature may be empty.
pub fn split(token: &str) -> Result<Parts<'_>, Rejection> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(malformed(format!(
            "token is {} bytes, over the {} KiB limit",
            token.len(),
            MAX_TOKEN_BYTES / 1024
        )));
    }
    if token.is_empty() {
        return Err(malformed("the token is empty"));
    }
    let dots = token.bytes().filter(|&b| b == b'.').count();
    if dots != 2 {
        return Err(malformed(format!(
            "a compact JWS has three segments separated by two dots; this one has {dots} dot{}",
            if dots == 1 { "" } else { "s" }
        )));
    }
    let (signing_input, signature_b64) = token.rsplit_once('.').unwrap_or_default();
    let (header_b64, payload_b64) = signing_input.split_once('.').unwrap_or_default();
    if header_b64.is_empty() {
        return Err(malformed("the header segment is empty"));
    }
    let decode = |seg: &str, what: &str| {
        URL_SAFE_NO_PAD
            .decode(seg)
            .map_err(|e| malformed(format!("the {what} segment is not base64url ({e})")))
    };
    let header_bytes = decode(header_b64, "header")?;
    let payload = decode(payload_b64, "payload")?;
    // A signature of base64url characters but an impossible length was truncated or extended:
    // that is a bad signature (exit 4, SECURITY.md C6), not a malformed token.
    let (signature, signature_truncated) = match URL_SAFE_NO_PAD.decode(signature_b64) {
        Ok(sig) => (sig, false),
        Err(base64::DecodeError::InvalidLength(_)) => (Vec::new(), true),
        Err(e) => {
            return Err(malformed(format!(
                "the signature segment is not base64url ({e})"
            )));
        }
    };
    let header =
        json::parse_object(&header_bytes).map_err(|e| malformed(format!("the header is {e}")))?;
    Ok(Parts {
        header,
        payload,
        signature,
        signature_truncated,
        signing_input,
    })
}

/// The claims of a payload: a strict JSON object. A number out of range is a claim of the wrong
/// format (exit 7); anything else that is not an object is malformed (exit 3).
pub fn parse_claims(payload: &[u8]) -> Result<Map<String, Value>, Rejection> {
    json::parse_object(payload).map_err(|e| match e {
        JsonError::NumberOutOfRange => bad_claim("a claim holds a number out of range"),
        e => malformed(format!("the claims are {e}")),
    })
}

/// A decoded token for `decode`: header and claims, the signature unchecked.
#[derive(Debug)]
pub struct Decoded {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    pub signature: Vec<u8>,
    /// The signature segment has an impossible length.
    pub signature_truncated: bool,
}

/// Decodes any compact JWS without a key, `alg: none` and unknown algorithms included.
pub fn decode_unverified(token: &str) -> Result<Decoded, Rejection> {
    let parts = split(token)?;
    let claims = parse_claims(&parts.payload)?;
    Ok(Decoded {
        header: parts.header,
        claims,
        signature: parts.signature,
        signature_truncated: parts.signature_truncated,
    })
}

use verify::VerifyKey;

/// The keys a verifier holds. A single key (`--key pem`, a secret) is used whatever the token's
/// `kid` says; a set (JWKS, keyring) is searched by exact `kid`, never as a path (SECURITY.md I4).
pub struct KeySet {
    pub keys: Vec<VerifyKey>,
    /// Search by `kid` (a set) rather than use the one key.
    pub by_kid: bool,
    /// The key a set uses for a token without `kid` (the keyring's active key).
    pub default: Option<usize>,
    /// Kids the set knows but will not verify with, and why (retired keys, encryption keys):
    /// a token naming one is told the reason instead of "no key".
    pub unusable: Vec<(String, String)>,
}

impl KeySet {
    /// One key, whatever the token's `kid`.
    #[must_use]
    pub fn single(key: VerifyKey) -> Self {
        KeySet {
            keys: vec![key],
            by_kid: false,
            default: Some(0),
            unusable: Vec::new(),
        }
    }

    /// Every public key of the keyring as a set searched by exact `kid`, the active key serving
    /// tokens without one: what `verify` and `refresh` check signatures against. Retired keys are
    /// known by kid but never used, so a token naming one says why.
    pub fn keyring(ring: crate::keys::keyring::Verifying) -> anyhow::Result<Self> {
        Ok(KeySet {
            keys: ring
                .keys
                .iter()
                .map(verify::verify_key)
                .collect::<anyhow::Result<_>>()?,
            by_kid: true,
            default: ring.active,
            unusable: ring.retired,
        })
    }

    /// The algorithms some key of the set can serve, in display order.
    #[must_use]
    pub fn algorithms(&self) -> Vec<Alg> {
        Alg::ALL
            .into_iter()
            .filter(|a| self.keys.iter().any(|k| k.algorithms.contains(a)))
            .collect()
    }

    /// Why a set will not verify with the key `kid` names, when it knows that kid but holds
    /// no usable key under it.
    fn unusable_reason(&self, kid: &str) -> Option<Rejection> {
        if !self.by_kid || self.keys.iter().any(|k| k.kid.as_deref() == Some(kid)) {
            return None;
        }
        self.unusable
            .iter()
            .find(|(k, _)| k == kid)
            .map(|(_, why)| bad_sig(format!("key {kid:?} does not verify tokens: {why}")))
    }

    /// The key for a token with this `kid` and `alg`. Without a `kid`, a set uses its default
    /// key when that can verify `alg`, else the one key that can; several candidates are an
    /// error, never a guess.
    fn select(&self, kid: Option<&str>, alg: Alg) -> Result<&VerifyKey, Rejection> {
        if !self.by_kid {
            return self
                .keys
                .first()
                .ok_or_else(|| bad_sig("no key to verify with"));
        }
        if let Some(kid) = kid {
            if let Some(key) = self.keys.iter().find(|k| k.kid.as_deref() == Some(kid)) {
                return Ok(key);
            }
            return Err(self
                .unusable_reason(kid)
                .unwrap_or_else(|| bad_sig(format!("no key with kid {kid:?}"))));
        }
        let serves = |k: &&VerifyKey| k.algorithms.contains(&alg);
        if let Some(key) = self.default.and_then(|i| self.keys.get(i)).filter(serves) {
            return Ok(key);
        }
        let candidates: Vec<&VerifyKey> = self.keys.iter().filter(serves).collect();
        match candidates.as_slice() {
            [one] => Ok(one),
            [] => Err(bad_sig(format!(
                "no key in the set can verify {alg} tokens"
            ))),
            many => Err(bad_sig(format!(
                "the token has no kid and {} keys in the set can verify {alg}: jwtctl will not guess",
                many.len()
            ))
            .hint("sign tokens with a kid, or pass the one key with --key FILE")),
        }
    }
}

/// What a token must satisfy besides its signature.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Allowed algorithms; must not be empty. The key's own list narrows it further.
    pub algorithms: Vec<Alg>,
    /// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`; at most [`MAX_LEEWAY_SECS`].
    pub leeway: u64,
    /// Accepted issuers; when non-empty, `iss` is required and must be one of them.
    pub issuers: Vec<String>,
    /// Accepted audiences; when non-empty, `aud` is required and must contain one of them.
    pub audiences: Vec<String>,
    /// Required subject.
    pub subject: Option<String>,
    /// Required `typ` (media type, compared case-insensitively without `application/`).
    pub typ: Option<String>,
    /// Claims that must be present (besides `exp`, always required).
    pub required: Vec<String>,
}

/// A verified token.
#[derive(Debug)]
pub struct Verified {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
}

/// JWS header parameters registered by RFC 7515 §4.1 and RFC 7797: never valid in `crit`.
const REGISTERED_HEADERS: [&str; 11] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
];

/// The typ jwtctl gives refresh tokens (DECISIONS §4).
pub const REFRESH_TYP: &str = "refresh+jwt";

/// Verifies `token` against `keys` and `policy` at time `now` (Unix seconds).
pub fn verify(
    token: &str,
    keys: &KeySet,
    policy: &Policy,
    now: i64,
) -> Result<Verified, Rejection> {
    let parts = split(token)?;
    let header = &parts.header;
    let alg = header_alg(header)?;
    let kid = match header.get("kid") {
        None => None,
        Some(Value::String(k)) => Some(k.as_str()),
        Some(_) => return Err(malformed("the header's kid is not a string")),
    };
    check_crit(header)?;

    if !policy.algorithms.contains(&alg) {
        // A retired or encryption key's token: its reason says more than "not allowed".
        if let Some(why) = kid.and_then(|k| keys.unusable_reason(k)) {
            return Err(why);
        }
        let allowed: Vec<&str> = policy.algorithms.iter().map(|a| a.name()).collect();
        return Err(bad_sig(format!(
            "algorithm {alg} is not allowed (allowed: {})",
            allowed.join(", ")
        )));
    }
    let key = keys.select(kid, alg)?;
    if !key.algorithms.contains(&alg) {
        return Err(bad_sig(format!("the key cannot verify {alg} tokens")));
    }
    let verifier = key.verifier(alg).map_err(bad_sig)?;
    if parts.signature_truncated {
        return Err(bad_sig(
            "the signature has an impossible length: truncated or extended",
        ));
    }
    if !verifier.verify(parts.signing_input.as_bytes(), &parts.signature) {
        return Err(bad_sig("the signature does not match the key"));
    }

    check_typ(header, policy.typ.as_deref())?;
    let claims = parse_claims(&parts.payload)?;
    check_claims(&claims, policy, now)?;
    Ok(Verified {
        header: parts.header,
        claims,
    })
}

fn header_alg(header: &Map<String, Value>) -> Result<Alg, Rejection> {
    let name = match header.get("alg") {
        Some(Value::String(s)) => s,
        Some(_) => return Err(malformed("the header's alg is not a string")),
        None => return Err(malformed("the header has no alg")),
    };
    if name.eq_ignore_ascii_case("none") {
        return Err(bad_sig(format!(
            "alg {name:?} (an unsigned token) is never accepted (RFC 8725 §3.1)"
        )));
    }
    let alg =
        Alg::from_name(name).ok_or_else(|| bad_sig(format!("unsupported algorithm {name:?}")))?;
    if !alg.supported() {
        return Err(bad_sig(format!(
            "unsupported algorithm {alg}: jwtctl cannot verify it"
        )));
    }
    Ok(alg)
}

/// RFC 7515 §4.1.11: `crit` must be a non-empty array of names of present, non-registered
/// parameters; jwtctl understands no extension, so any valid `crit` is unsupported. `b64`
/// (RFC 7797) outside `crit` is malformed.
fn check_crit(header: &Map<String, Value>) -> Result<(), Rejection> {
    if let Some(crit) = header.get("crit") {
        let names = crit
            .as_array()
            .filter(|a| !a.is_empty())
            .ok_or_else(|| malformed("the header's crit is not a non-empty array"))?;
        for name in names {
            let name = name
                .as_str()
                .ok_or_else(|| malformed("the header's crit lists a non-string"))?;
            if REGISTERED_HEADERS.contains(&name) {
                return Err(malformed(format!(
                    "the header's crit lists registered {name:?}"
                )));
            }
        }
        let list: Vec<String> = names.iter().map(ToString::to_string).collect();
        return Err(bad_claim(format!(
            "unsupported critical header extension {}",
            list.join(", ")
        )));
    }
    if header.contains_key("b64") {
        return Err(malformed("the header has b64 without crit (RFC 7797 §6)"));
    }
    Ok(())
}

/// Media types compare case-insensitively, without `application/` (RFC 7515 §4.1.9).
fn normalize_typ(t: &str) -> String {
    let t = t.to_ascii_lowercase();
    t.strip_prefix("application/")
        .map(str::to_owned)
        .unwrap_or(t)
}

fn check_typ(header: &Map<String, Value>, want: Option<&str>) -> Result<(), Rejection> {
    let raw = match header.get("typ") {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err(malformed("the header's typ is not a string")),
    };
    match (want, raw) {
        (Some(w), Some(t)) if normalize_typ(w) == normalize_typ(t) => Ok(()),
        (Some(w), Some(t)) => Err(bad_claim(format!("token type {t:?} is not {w:?}"))),
        (Some(w), None) => Err(bad_claim(format!("token has no typ, expected {w:?}"))),
        (None, Some(t)) if normalize_typ(t) == REFRESH_TYP => Err(bad_claim(
            "this is a refresh token (typ refresh+jwt), not an access token",
        )
        .hint("to check a refresh token itself, pass --typ refresh+jwt")),
        (None, _) => Ok(()),
    }
}

use claims::check_claims;

/// Checks a freshly signed token against everything `verify` would refuse whatever its policy
/// and clock: the size cap, the header and claims JSON, registered claim types and ranges, an
/// empty `aud`. What `sign`, `login` and `refresh` mint, `verify` accepts (DECISIONS §2).
pub fn check_mintable(token: &str) -> Result<(), Rejection> {
    let parts = split(token)?;
    let claims = parse_claims(&parts.payload)?;
    claims::check_mintable_claims(&claims)
}

/// A key `sign` may use, with the algorithm chosen for it.
pub struct SignKey {
    pub alg: Alg,
    pub kid: Option<String>,
    /// Parsed once for `alg` (`Key::signer`), however many tokens it signs.
    pub key: crate::token::sign::Signer,
}

impl SignKey {
    /// `key` ready to sign with `alg` (checked against what the key may serve) and its `kid`.
    pub fn new(key: &crate::keys::Key, alg: Alg) -> anyhow::Result<Self> {
        key.check_alg(alg)?;
        Ok(SignKey {
            alg,
            kid: key.kid.clone(),
            key: sign::Signer::for_key(key, alg)?,
        })
    }
}

/// Signs `claims` under `header` (whose `alg` is set from `key`). The header and claims are
/// serialized compactly in insertion order.
pub fn sign(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    key: &SignKey,
) -> Result<String, String> {
    let enc = |v: &Map<String, Value>| {
        serde_json::to_vec(v)
            .map(|b| URL_SAFE_NO_PAD.encode(b))
            .map_err(|e| e.to_string())
    };
    let mut signing_input = enc(header)?;
    signing_input.push('.');
    signing_input.push_str(&enc(claims)?);
    let sig = key.key.sign(signing_input.as_bytes())?;
    signing_input.push('.');
    signing_input.push_str(&URL_SAFE_NO_PAD.encode(sig));
    Ok(signing_input)
}

#[cfg(test)]
mod tests;
