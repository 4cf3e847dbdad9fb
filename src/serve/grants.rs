//! Issuing and checking tokens for `serve`: opening a session (a token family) for a subject,
//! rotating a refresh token through the CLI's own flow (`Store::refresh` with `session::decide`
//! and `flow::mint`), client-credentials tokens, ID tokens, and the store-backed answer to "is
//! this token active?" that `/introspect`, `/userinfo` and `/revoke` share.
//!
//! A refusal of the refresh flow is a typed [`RefusalReason`]; here it becomes `invalid_grant`.

use super::app::{App, Keys};
use super::config::Client;
use super::http::OAuthError;
use crate::commands::flow;
use crate::session::store::{RevokeReason, StoreError, TokenState};
use crate::session::{self, ACCESS_TYP, Grant, Lifetimes, Presented, Request};
use crate::token::{self, Policy, REFRESH_TYP, Reason};
use anyhow::Result;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// A refresh asked for a scope wider than its session's: nothing is written.
#[derive(Debug)]
struct ScopeWider(String);

impl std::fmt::Display for ScopeWider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScopeWider {}

/// Maps a failure to answer to its HTTP face: a busy store is 503, a pair that must not be
/// minted (too large) is `invalid_request`, the rest is 500, its cause written to the log.
pub fn internal(err: &anyhow::Error) -> OAuthError {
    for cause in err.chain() {
        if let Some(w) = cause.downcast_ref::<ScopeWider>() {
            return OAuthError::invalid_scope(w.0.clone());
        }
        if let Some(StoreError::Busy { .. } | StoreError::Conflict { .. }) =
            cause.downcast_ref::<StoreError>()
        {
            return OAuthError::unavailable("the refresh store is busy; retry");
        }
        if let Some(m) = cause.downcast_ref::<session::MintError>() {
            return OAuthError::invalid_request(m.to_string());
        }
    }
    super::log::error(&format!("{err:#}"));
    OAuthError::server_error()
}

/// A token response as JSON, with an ID token when the scope asks for one.
pub type TokenJson = Map<String, Value>;

/// What a new session is for.
pub struct Login {
    pub sub: String,
    pub scope: Option<String>,
    /// Claims for the ID token and `/userinfo` (a configured user's, or the form's).
    pub claims: Map<String, Value>,
    pub nonce: Option<String>,
}

fn has_openid(scope: Option<&str>) -> bool {
    scope.is_some_and(|s| s.split(' ').any(|x| x == "openid"))
}

fn header(keys: &Keys, typ: &str) -> Map<String, Value> {
    let mut h = Map::new();
    h.insert("alg".into(), keys.signer.alg.name().into());
    h.insert("typ".into(), typ.into());
    if let Some(kid) = &keys.signer.kid {
        h.insert("kid".into(), kid.clone().into());
    }
    h
}

fn sign(keys: &Keys, typ: &str, claims: &Map<String, Value>) -> Result<String> {
    let t = token::sign(&header(keys, typ), claims, &keys.signer).map_err(anyhow::Error::msg)?;
    session::check_size("token", &t)?;
    Ok(t)
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// An OpenID Connect ID token for `login` at `client`.
fn id_token(
    app: &App,
    keys: &Keys,
    client: &Client,
    login: &Login,
    sid: &str,
    now: i64,
) -> Result<String> {
    let mut claims = login.claims.clone();
    let fixed = object(json!({
        "iss": app.issuer, "sub": login.sub, "aud": client.id, "iat": now, "auth_time": now,
        "exp": now.saturating_add(client.access_ttl), "sid": sid,
    }));
    claims.extend(fixed);
    if let Some(n) = &login.nonce {
        claims.insert("nonce".into(), n.clone().into());
    }
    sign(keys, "JWT", &claims)
}

/// Opens a session for `login` at `client` in the store and returns its first pair (and an ID
/// token when the scope has `openid`); the login's claims are kept in the store for
/// `/userinfo` at any `serve` sharing it. A disabled subject is `invalid_grant`.
pub async fn open_session(
    app: &Arc<App>,
    client: &Client,
    login: Login,
) -> Result<TokenJson, OAuthError> {
    let keys = app.keys.get().map_err(|e| internal(&e))?;
    let now = app.now();
    let grant = Grant {
        sub: login.sub.clone(),
        client_id: client.id.clone(),
        scope: login.scope.clone(),
        iss: app.issuer.clone(),
        aud: client.audience.clone(),
    };
    let life = Lifetimes {
        access: client.access_ttl,
        refresh: client.refresh_ttl,
        max: client.max_lifetime,
    };
    let client2 = client.clone();
    let outcome = app
        .store(true, move |store, app| {
            let rt_jti = flow::random_id(16)?;
            let family = session::new_family(&grant, life, flow::family_id()?, rt_jti.clone(), now);
            session::check_exp("the session's end", family.not_after)?;
            let first = flow::mint(&keys.signer, &family, 1, &rt_jti, None, now)?;
            let id = if has_openid(login.scope.as_deref()) {
                Some(id_token(app, &keys, &client2, &login, &family.id, now)?)
            } else {
                None
            };
            // The claims first, under the new session's id: should the login then be refused
            // or fail, they are never read and go when the session would have ended.
            if !login.claims.is_empty() {
                let text = serde_json::to_string(&login.claims)?;
                store.put_session_claims(&family.id, &text, family.not_after, now)?;
            }
            let disabled = store.open_family(&family, &first.record, now, &mut || Ok(()))?;
            Ok((disabled, first.response, id))
        })
        .await
        .map_err(|e| internal(&e))?;
    let (disabled, response, id) = outcome;
    if let Some(d) = disabled {
        let why = d.reason.map(|r| format!(": {r}")).unwrap_or_default();
        return Err(OAuthError::invalid_grant(format!(
            "the subject is disabled{why}"
        )));
    }
    let mut out = object(serde_json::to_value(&response).unwrap_or_default());
    if let Some(id) = id {
        out.insert("id_token".into(), id.into());
    }
    Ok(out)
}

/// Verifies a presented refresh token as `jwtctl refresh` does: signature against the
/// keyring, `typ: refresh+jwt`, claims; an expired one passes marked expired, so the store logs
/// the attempt. Any other rejection is `invalid_grant`.
pub fn presented_refresh(keys: &Keys, raw: &str, now: i64) -> Result<Presented, OAuthError> {
    let policy = Policy {
        algorithms: keys.verify.algorithms(),
        typ: Some(REFRESH_TYP.into()),
        ..Policy::default()
    };
    let (claims, expired) = match token::verify(raw, &keys.verify, &policy, now) {
        Ok(v) => (v.claims, false),
        Err(r) if r.reason == Reason::Expired => match token::decode_unverified(raw) {
            Ok(d) => (d.claims, true),
            Err(r) => return Err(OAuthError::invalid_grant(r.message)),
        },
        Err(r) => {
            return Err(OAuthError::invalid_grant(format!(
                "refresh token rejected: {}",
                r.message
            )));
        }
    };
    Presented::from_claims(&claims, session::token_hash(raw), expired)
        .map_err(OAuthError::invalid_grant)
}

/// Rotates the refresh token `raw` presented by `client`: the store's `refresh` with the CLI's
/// decision and minting. Reuse revokes the family; every refusal is `invalid_grant`.
pub async fn refresh(
    app: &Arc<App>,
    client: &Client,
    raw: &str,
    scope: Option<&str>,
) -> Result<TokenJson, OAuthError> {
    let keys = app.keys.get().map_err(|e| internal(&e))?;
    let now = app.now();
    let presented = presented_refresh(&keys, raw, now)?;
    let request = Request {
        client_id: Some(client.id.clone()),
        grace: client.refresh_grace,
        now,
    };
    let scope = scope.map(str::to_owned);
    let step = app
        .store(true, move |store, _| {
            store.refresh(
                &presented.jti,
                now,
                &mut |snap| {
                    if let (Some(want), Some(f)) = (&scope, &snap.family) {
                        let granted: Vec<&str> =
                            f.scope.as_deref().unwrap_or("").split(' ').collect();
                        if !want.split(' ').all(|s| granted.contains(&s)) {
                            return Err(ScopeWider(
                                "the scope asked for is wider than the session's".into(),
                            )
                            .into());
                        }
                    }
                    session::decide(snap, &presented, &request, |issue| {
                        let jti = flow::random_id(16)?;
                        let parent = Some(issue.parent.jti.as_str());
                        flow::mint(
                            &keys.signer,
                            issue.family,
                            issue.generation,
                            &jti,
                            parent,
                            now,
                        )
                    })
                },
                &mut |_| Ok(()),
            )
        })
        .await
        .map_err(|e| internal(&e))?;
    if let Some(r) = step.refusal() {
        return Err(OAuthError::invalid_grant(r.message.clone()));
    }
    match step.successor() {
        Some(s) => Ok(object(
            serde_json::to_value(&s.response).unwrap_or_default(),
        )),
        None => Err(OAuthError::server_error()),
    }
}

/// An access token for the client itself (client credentials, RFC 6749 §4.4): no refresh
/// token, no session.
pub fn client_token(
    app: &App,
    client: &Client,
    scope: Option<&str>,
) -> Result<TokenJson, OAuthError> {
    let keys = app.keys.get().map_err(|e| internal(&e))?;
    let now = app.now();
    let exp = now.saturating_add(client.access_ttl);
    let mut claims = object(json!({
        "iss": app.issuer, "sub": client.id, "aud": client.audience, "exp": exp, "iat": now,
        "jti": flow::random_id(16).map_err(|e| internal(&e))?, "client_id": client.id,
    }));
    if let Some(s) = scope {
        claims.insert("scope".into(), s.into());
    }
    let access = sign(&keys, ACCESS_TYP, &claims).map_err(|e| internal(&e))?;
    let mut out = object(json!({
        "access_token": access, "token_type": "Bearer", "expires_in": exp - now,
    }));
    if let Some(s) = scope {
        out.insert("scope".into(), s.into());
    }
    Ok(out)
}

/// The policy that checks a token of `typ` this server (or the CLI) issued, whatever its
/// audience: the audiences it names are accepted (introspection and revocation answer for
/// every audience; the resource server checks its own).
fn issued_policy(keys: &Keys, raw: &str, typ: &str) -> Policy {
    let audiences = match token::decode_unverified(raw)
        .ok()
        .and_then(|d| d.claims.get("aud").cloned())
    {
        Some(Value::String(a)) => vec![a],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|a| a.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    Policy {
        algorithms: keys.verify.algorithms(),
        typ: Some(typ.into()),
        audiences,
        ..Policy::default()
    }
}

/// What the store says of a token: its claims when active (RFC 7662), `None` when not.
pub struct Active {
    pub claims: Map<String, Value>,
    /// `access_token` or `refresh_token`.
    pub kind: &'static str,
    /// The session (family) id, when the token belongs to one.
    pub sid: Option<String>,
}

/// Whether `raw` is an active token: a good signature from the keyring, within its times,
/// and, for a session's token, a session the store has neither revoked nor expired, of a
/// subject it has not disabled; a refresh token must also be its session's current one.
pub async fn active(app: &Arc<App>, raw: &str, allow_refresh: bool) -> Result<Option<Active>> {
    let keys = app.keys.get()?;
    let now = app.now();
    let hash = session::token_hash(raw);
    let (claims, kind) = match app.checked.get(&hash, &keys, now) {
        Some((claims, kind)) if allow_refresh || kind == "access_token" => (claims, kind),
        _ => {
            let access = issued_policy(&keys, raw, ACCESS_TYP);
            let (claims, kind) = match token::verify(raw, &keys.verify, &access, now) {
                Ok(v) => (v.claims, "access_token"),
                Err(_) if allow_refresh => {
                    let refresh = issued_policy(&keys, raw, REFRESH_TYP);
                    match token::verify(raw, &keys.verify, &refresh, now) {
                        Ok(v) => (v.claims, "refresh_token"),
                        Err(_) => return Ok(None),
                    }
                }
                Err(_) => return Ok(None),
            };
            app.checked.insert(hash.clone(), &keys, &claims, kind, now);
            (claims, kind)
        }
    };
    let sid_claim = if kind == "refresh_token" {
        "fam"
    } else {
        "sid"
    };
    let Some(sid) = claims
        .get(sid_claim)
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        // A client-credentials token has no session: its signature and times decide.
        return Ok(Some(Active {
            claims,
            kind,
            sid: None,
        }));
    };
    let jti = claims.get("jti").and_then(Value::as_str).map(str::to_owned);
    let sid2 = sid.clone();
    let live = app
        .store(false, move |store, _| {
            if !store.family_live(&sid2, now)? {
                return Ok(false);
            }
            if kind == "access_token" {
                return Ok(true);
            }
            let chain = store.chain(&sid2)?;
            Ok(chain.iter().any(|t| {
                Some(&t.jti) == jti.as_ref()
                    && t.sha256 == hash
                    && t.state == TokenState::Active
                    && now < t.expires_at
            }))
        })
        .await?;
    Ok(live.then_some(Active {
        claims,
        kind,
        sid: Some(sid),
    }))
}

/// Revokes the session of `raw` when it is a token of `client`'s (RFC 7009): a refresh token
/// (even an expired one) revokes its family, as `jwtctl logout` does; an access token revokes
/// the session named by its `sid`. Anything else changes nothing.
pub async fn revoke(app: &Arc<App>, client: &Client, raw: &str) -> Result<Result<(), OAuthError>> {
    let keys = app.keys.get()?;
    let now = app.now();
    let (family, token, owner) = match presented_refresh(&keys, raw, now) {
        Ok(p) => {
            let owner = token::decode_unverified(raw).ok().and_then(|d| {
                d.claims
                    .get("client_id")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
            (p.family_id, Some((p.jti, p.sha256)), owner)
        }
        Err(_) => {
            let policy = issued_policy(&keys, raw, ACCESS_TYP);
            let Ok(v) = token::verify(raw, &keys.verify, &policy, now) else {
                return Ok(Ok(()));
            };
            let text = |k: &str| v.claims.get(k).and_then(Value::as_str).map(str::to_owned);
            let Some(sid) = text("sid") else {
                return Ok(Ok(()));
            };
            (sid, None, text("client_id"))
        }
    };
    if owner.as_deref() != Some(client.id.as_str()) {
        return Ok(Err(OAuthError::unauthorized_client(
            "the token was not issued to this client",
        )));
    }
    app.store(true, move |store, _| {
        let t = token.as_ref().map(|(j, h)| (j.as_str(), h.as_slice()));
        store.revoke_family(&family, t, RevokeReason::Logout, now)
    })
    .await?;
    Ok(Ok(()))
}
