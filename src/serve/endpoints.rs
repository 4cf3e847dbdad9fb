//! The endpoints of `serve`, thin: each reads and checks the request, calls [`super::grants`],
//! and writes the answer. Names and shapes are the standards' (RFC 6749, 7009, 7636, 7662, 8414,
//! OpenID Connect Discovery), so client libraries work unchanged.

use super::app::App;
use super::config::{Client, GrantType};
use super::grants::{self, Login, TokenJson};
use super::http::{self, OAuthError, Params};
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Request, Response, StatusCode};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;

/// The remote address of the connection, put on each request by the accept loop.
#[derive(Clone, Copy, Debug)]
pub struct Remote(pub SocketAddr);

/// The client a request authenticated as (or named), for the log line.
#[derive(Clone, Debug)]
pub struct LoggedClient(pub String);

/// The OAuth error code of a refused request, for the log line.
#[derive(Clone, Copy, Debug)]
pub struct LoggedError(pub &'static str);

/// The name of the refresh-token cookie (`--refresh-cookie`).
pub const REFRESH_COOKIE: &str = "jwtctl_refresh";

type Resp = Response<Body>;

/// A response with what the log line wants to know.
pub fn finish(result: Result<Resp, OAuthError>, client: Option<String>) -> Resp {
    let mut resp = match result {
        Ok(r) => r,
        Err(e) => {
            let mut r = e.response();
            r.extensions_mut().insert(LoggedError(e.code));
            r
        }
    };
    if let Some(c) = client {
        resp.extensions_mut().insert(LoggedClient(c));
    }
    resp
}

fn remote(req_ext: &axum::http::Extensions) -> String {
    req_ext
        .get::<Remote>()
        .map(|r| r.0.ip().to_string())
        .unwrap_or_default()
}

/// A limiter's answer as the response: 429 when refused, 503 when its buckets are out of
/// reach (the cause logged).
fn limited(answer: anyhow::Result<Result<(), u64>>) -> Result<(), OAuthError> {
    match answer {
        Ok(taken) => taken.map_err(OAuthError::too_many),
        Err(e) => {
            super::log::error(&format!("rate limit not checked: {e:#}"));
            Err(OAuthError::unavailable(
                "the rate limiter's store cannot be reached; retry later",
            ))
        }
    }
}

/// Takes one request from the remote address's bucket.
pub fn limit_address(app: &App, ext: &axum::http::Extensions) -> Result<(), OAuthError> {
    if let Some(b) = app.config.limits.per_address {
        limited(app.limiter.take(&format!("addr:{}", remote(ext)), b))?;
    }
    Ok(())
}

/// Takes one request from the client's bucket.
pub fn limit_client(app: &App, client: &str) -> Result<(), OAuthError> {
    if let Some(b) = app.config.limits.per_client {
        limited(app.limiter.take(&format!("client:{client}"), b))?;
    }
    Ok(())
}

/// The discovery document (RFC 8414 and OpenID Connect Discovery 1.0 share it).
pub async fn discovery(State(app): State<Arc<App>>) -> Resp {
    let iss = &app.issuer;
    let algs: Vec<&str> = match app.keys.get() {
        Ok(k) => k.algs.iter().map(|a| a.name()).collect(),
        Err(e) => return finish(Err(grants::internal(&e)), None),
    };
    let mut grants: Vec<&str> = vec!["authorization_code", "refresh_token"];
    for g in [GrantType::ClientCredentials, GrantType::Password] {
        if app.config.clients.iter().any(|c| c.allows(g)) {
            grants.push(g.name());
        }
    }
    let auth_methods = ["client_secret_basic", "client_secret_post", "none"];
    let doc = json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "jwks_uri": format!("{iss}/.well-known/jwks.json"),
        "userinfo_endpoint": format!("{iss}/userinfo"),
        "revocation_endpoint": format!("{iss}/revoke"),
        "introspection_endpoint": format!("{iss}/introspect"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": grants,
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": algs,
        "token_endpoint_auth_methods_supported": auth_methods,
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "introspection_endpoint_auth_methods_supported": auth_methods,
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid"],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "sid"],
        "authorization_response_iss_parameter_supported": true,
    });
    let mut r = http::json(StatusCode::OK, &doc);
    r.headers_mut().remove(header::PRAGMA);
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// The keyring's public keys, as they are now (a `keygen` shows up on the next request).
pub async fn jwks(State(app): State<Arc<App>>) -> Resp {
    match app.keys.get() {
        Ok(k) => {
            let mut r = Response::new(Body::from(k.jwks.clone()));
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/jwk-set+json"),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            r
        }
        Err(e) => finish(Err(grants::internal(&e)), None),
    }
}

/// Reads a form body: `application/x-www-form-urlencoded` only, size- and time-capped.
async fn form(app: &App, headers: &HeaderMap, body: Body) -> Result<Params, OAuthError> {
    if !http::content_type_is(headers, "application/x-www-form-urlencoded") {
        return Err(OAuthError::invalid_request(
            "the body must be application/x-www-form-urlencoded",
        ));
    }
    let bytes = http::read_body(headers, body, app.config.limits.body_timeout).await?;
    http::parse_form(&bytes)
}

/// Reads a JSON body (the `/login` and `/refresh` aliases).
async fn json_body(app: &App, headers: &HeaderMap, body: Body) -> Result<Params, OAuthError> {
    if !http::content_type_is(headers, "application/json") {
        return Err(OAuthError::invalid_request(
            "the body must be application/json",
        ));
    }
    let bytes = http::read_body(headers, body, app.config.limits.body_timeout).await?;
    http::parse_json(&bytes)
}

/// A token response: JSON, or with `--refresh-cookie` the refresh token moved into an
/// `HttpOnly; Secure; SameSite=Strict; Path=/token` cookie.
fn token_response(app: &App, mut body: TokenJson) -> Resp {
    let cookie = if app.cookie {
        body.remove("refresh_token")
            .and_then(|v| v.as_str().map(str::to_owned))
            .map(|rt| {
                let age = body
                    .get("refresh_expires_in")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                format!(
                    "{REFRESH_COOKIE}={rt}; HttpOnly; Secure; SameSite=Strict; Path=/token; \
                     Max-Age={age}"
                )
            })
    } else {
        None
    };
    let mut r = http::json(StatusCode::OK, &Value::Object(body));
    if let Some(v) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// Whether `scope` is one `client` may ask for.
fn check_scope(client: &Client, scope: Option<&str>) -> Result<(), OAuthError> {
    match scope {
        Some(s) if s.len() > 1024 || !client.scope_ok(s) => Err(OAuthError::invalid_scope(
            "the scope asked for is not allowed for this client",
        )),
        _ => Ok(()),
    }
}

/// `POST /token` (RFC 6749 §3.2).
pub async fn token(State(app): State<Arc<App>>, req: Request<Body>) -> Resp {
    let (parts, body) = req.into_parts();
    let mut seen = None;
    let result = token_inner(&app, &parts, body, &mut seen).await;
    finish(result, seen)
}

async fn token_inner(
    app: &Arc<App>,
    parts: &axum::http::request::Parts,
    body: Body,
    seen: &mut Option<String>,
) -> Result<Resp, OAuthError> {
    limit_address(app, &parts.extensions)?;
    let params = form(app, &parts.headers, body).await?;
    let client = client_of(app, parts, &params, seen, true).await?;
    let grant_name = params.require("grant_type")?;
    let grant = GrantType::from_name(grant_name).ok_or_else(|| {
        OAuthError::unsupported_grant_type("grant_type is not one this server supports")
    })?;
    if !client.allows(grant) {
        return Err(OAuthError::unauthorized_client(format!(
            "this client may not use the {} grant",
            grant.name()
        )));
    }
    let scope = params.get("scope");
    check_scope(&client, scope)?;
    let body = match grant {
        GrantType::RefreshToken => {
            let raw = match params.get("refresh_token") {
                Some(t) => t.to_owned(),
                None if app.cookie => http::cookie(&parts.headers, REFRESH_COOKIE)
                    .ok_or_else(|| OAuthError::invalid_request("refresh_token is missing"))?,
                None => return Err(OAuthError::invalid_request("refresh_token is missing")),
            };
            grants::refresh(app, &client, &raw, scope).await?
        }
        GrantType::ClientCredentials => grants::client_token(app, &client, scope)?,
        GrantType::Password => {
            let login = password_login(app, &params, scope).await?;
            grants::open_session(app, &client, login).await?
        }
        GrantType::AuthorizationCode => super::authorize::exchange(app, &client, &params).await?,
    };
    Ok(token_response(app, body))
}

/// Checks a username and password against the configured users (Argon2, on a blocking
/// thread). Unknown user and wrong password read the same.
async fn password_login(
    app: &Arc<App>,
    params: &Params,
    scope: Option<&str>,
) -> Result<Login, OAuthError> {
    let username = params.require("username")?;
    let password = params.require("password")?.to_owned();
    let wrong = || OAuthError::invalid_grant("wrong username or password");
    let user = app.config.user(username).cloned();
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || {
        hash.is_some_and(|h| super::config::password_matches(&h, password.as_bytes()))
    })
    .await
    .unwrap_or(false);
    match user {
        Some(u) if ok => Ok(Login {
            sub: u.sub,
            scope: scope.map(str::to_owned),
            claims: u.claims,
            nonce: None,
        }),
        _ => Err(wrong()),
    }
}

/// What `/login` and `/refresh` start with: the address's limit, the JSON body, the client
/// (`seen` gets its id for the log; its limit, then its authentication) and the grant it must be
/// allowed (`refused` otherwise).
/// The client a request with `params` authenticates as (see `App::authenticate`); `seen`
/// takes the client id it names, for the log, and with `limit` that id's rate limit is taken
/// first.
async fn client_of(
    app: &Arc<App>,
    parts: &axum::http::request::Parts,
    params: &Params,
    seen: &mut Option<String>,
    limit: bool,
) -> Result<Client, OAuthError> {
    let presented = http::client_credentials(&parts.headers, params)?;
    *seen = presented.as_ref().map(|p| p.id.clone());
    if let (true, Some(id)) = (limit, seen.as_deref()) {
        limit_client(app, id)?;
    }
    app.authenticate(presented).await
}

async fn json_client(
    app: &Arc<App>,
    parts: &axum::http::request::Parts,
    body: Body,
    seen: &mut Option<String>,
    grant: GrantType,
    refused: &'static str,
) -> Result<(Client, Params), OAuthError> {
    limit_address(app, &parts.extensions)?;
    let params = json_body(app, &parts.headers, body).await?;
    let client = client_of(app, parts, &params, seen, true).await?;
    if !client.allows(grant) {
        return Err(OAuthError::unauthorized_client(refused));
    }
    Ok((client, params))
}

/// `POST /login`: the source design's JSON face of the password grant:
/// `{"username","password","client_id"[,"client_secret","scope"]}` → a token response.
pub async fn login(State(app): State<Arc<App>>, req: Request<Body>) -> Resp {
    let (parts, body) = req.into_parts();
    let mut seen = None;
    let result = async {
        let (client, params) = json_client(
            &app,
            &parts,
            body,
            &mut seen,
            GrantType::Password,
            "this client may not use the password grant (enable it in --config)",
        )
        .await?;
        let scope = params.get("scope");
        check_scope(&client, scope)?;
        let login = password_login(&app, &params, scope).await?;
        let body = grants::open_session(&app, &client, login).await?;
        Ok(token_response(&app, body))
    }
    .await;
    finish(result, seen)
}

/// `POST /refresh`: the source design's JSON face of the refresh grant:
/// `{"refresh_token","client_id"[,"client_secret"]}` → a rotated token response.
pub async fn refresh(State(app): State<Arc<App>>, req: Request<Body>) -> Resp {
    let (parts, body) = req.into_parts();
    let mut seen = None;
    let result = async {
        let (client, params) = json_client(
            &app,
            &parts,
            body,
            &mut seen,
            GrantType::RefreshToken,
            "this client may not use the refresh_token grant",
        )
        .await?;
        let raw = params.require("refresh_token")?;
        let body = grants::refresh(&app, &client, raw, None).await?;
        Ok(token_response(&app, body))
    }
    .await;
    finish(result, seen)
}

/// `POST /introspect` (RFC 7662): any registered client may ask; the answer comes from the
/// store, so a token of a revoked session or a disabled subject is `{"active": false}`.
pub async fn introspect(State(app): State<Arc<App>>, req: Request<Body>) -> Resp {
    let (parts, body) = req.into_parts();
    let mut seen = None;
    let result = async {
        let params = form(&app, &parts.headers, body).await?;
        client_of(&app, &parts, &params, &mut seen, false).await?;
        let raw = params.require("token")?;
        let answer = match grants::active(&app, raw, true)
            .await
            .map_err(|e| grants::internal(&e))?
        {
            None => json!({ "active": false }),
            Some(a) => {
                let mut m = a.claims;
                m.insert("active".into(), true.into());
                m.insert("token_type".into(), a.kind.into());
                if a.kind == "access_token" {
                    m.insert("token_type".into(), "Bearer".into());
                }
                Value::Object(m)
            }
        };
        Ok(http::json(StatusCode::OK, &answer))
    }
    .await;
    finish(result, seen)
}

/// `POST /revoke` (RFC 7009): 200 for any token, known or not; a token of this client's
/// revokes its whole session.
pub async fn revoke(State(app): State<Arc<App>>, req: Request<Body>) -> Resp {
    let (parts, body) = req.into_parts();
    let mut seen = None;
    let result = async {
        let params = form(&app, &parts.headers, body).await?;
        let client = client_of(&app, &parts, &params, &mut seen, false).await?;
        let raw = params.require("token")?;
        grants::revoke(&app, &client, raw)
            .await
            .map_err(|e| grants::internal(&e))??;
        let mut r = Response::new(Body::empty());
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(r)
    }
    .await;
    finish(result, seen)
}

/// `GET /userinfo` (OpenID Connect Core §5.3) with an active Bearer access token.
pub async fn userinfo(State(app): State<Arc<App>>, headers: HeaderMap) -> Resp {
    let result = async {
        let raw = http::bearer(&headers)?;
        let a = grants::active(&app, &raw, false)
            .await
            .map_err(|e| grants::internal(&e))?
            .ok_or_else(|| OAuthError::invalid_token("the access token is not active"))?;
        let sub = a.claims.get("sub").cloned().unwrap_or(Value::Null);
        let mut out = serde_json::Map::new();
        if let Some(u) = sub.as_str().and_then(|s| app.config.user(s)) {
            out.extend(u.claims.clone());
        }
        if let Some(sid) = a.sid {
            let kept = app
                .store(false, move |store, _| store.session_claims(&sid))
                .await
                .map_err(|e| grants::internal(&e))?;
            if let Some(text) = kept {
                let claims = crate::json::parse_object(text.as_bytes()).map_err(|e| {
                    grants::internal(&anyhow::anyhow!("a session's stored claims: {e}"))
                })?;
                out.extend(claims);
            }
        }
        out.insert("sub".into(), sub);
        Ok(http::json(StatusCode::OK, &Value::Object(out)))
    }
    .await;
    finish(result, None)
}

/// Any other path: 404 as JSON.
pub async fn not_found() -> Resp {
    http::json(
        StatusCode::NOT_FOUND,
        &json!({ "error": "not_found", "error_description": "no such endpoint" }),
    )
}
