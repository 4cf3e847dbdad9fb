//! The authorization endpoint (RFC 6749 §4.1) with PKCE (RFC 7636, S256 only): `GET /authorize`
//! checks the request and shows a small login form (subject, password when users are
//! configured, optional extra claims); `POST /authorize` logs in and redirects to the client's
//! registered `redirect_uri` with `code`, `state` and `iss` (RFC 9207). The token endpoint
//! exchanges the code once ([`exchange`]); a second exchange revokes the session it opened.
//!
//! Codes live in the store (by SHA-256, never the code itself; `Store::put_code`), so every
//! `serve` process sharing the store exchanges a code any of them issued, and a second exchange
//! at any of them revokes the session the first one opened, whichever order they run in: the
//! claim is one atomic step (`Store::claim_code`), and the exchange then binds the session it
//! opened to the code (`Store::bind_code`), learning whether a replay came in between.
//!
//! An unknown client or a redirect URI that is not registered is answered here, never by a
//! redirect (RFC 6749 §4.1.2.1: no open redirector).

use super::app::{App, constant_eq};
use super::config::{Client, GrantType};
use super::endpoints::{LoggedClient, finish, limit_address, limit_client};
use super::grants::{self, Login, TokenJson};
use super::http::{self, OAuthError, Params};
use crate::commands::flow;
use crate::session::{
    self,
    store::{CodeClaim, RevokeReason},
};
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, Request, Response, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Arc;

type Resp = Response<Body>;

/// Longest form claims text accepted.
const MAX_CLAIMS: usize = 4096;
/// Longest `nonce` accepted (it is kept with the code and copied into the ID token).
const MAX_NONCE: usize = 1024;

/// An authorization code issued by `/authorize`, as the store keeps it (JSON) until it is
/// exchanged or forgotten. Every field is bounded (subject, claims, scope, nonce by the checks
/// here; the redirect URI is a registered one), well under `store::MAX_SERVE_RECORD`.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Code {
    client_id: String,
    redirect_uri: String,
    scope: Option<String>,
    challenge: String,
    sub: String,
    claims: Map<String, Value>,
    nonce: Option<String>,
    /// Past this (jwtctl's clock) the code is refused.
    expires: i64,
}

/// How long a code may wait for its exchange.
const CODE_TTL: i64 = 60;
/// How long the store keeps a code after it was issued: past its expiry, so that a replay
/// still revokes the session its exchange opened; then it is forgotten (an unknown code).
const CODE_KEEP: i64 = 600;
/// Claims the form may not set: the server decides them.
const RESERVED: [&str; 10] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nbf",
    "jti",
    "auth_time",
    "nonce",
    "sid",
];

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query component (everything but RFC 3986's unreserved characters).
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn page(status: StatusCode, title: &str, body: &str) -> Resp {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{t}</title>\
         <style>body{{font-family:sans-serif;max-width:32em;margin:3em auto}}\
         label{{display:block;margin-top:1em}}input,textarea{{width:100%}}\
         .error{{color:#b00}}</style></head><body><h1>{t}</h1>{body}</body></html>",
        t = esc(title)
    );
    let mut r = Response::new(Body::from(html));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    r
}

fn error_page(status: StatusCode, message: &str) -> Resp {
    page(
        status,
        "Authorization error",
        &format!("<p class=\"error\">{}</p>", esc(message)),
    )
}

fn redirect(location: &str) -> Resp {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A checked authorization request: the client and where to send the answer.
struct Checked {
    client: Client,
    redirect_uri: String,
    state: Option<String>,
}

impl Checked {
    fn back(&self, issuer: &str, pairs: &[(&str, &str)]) -> String {
        let sep = if self.redirect_uri.contains('?') {
            '&'
        } else {
            '?'
        };
        let mut q: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        if let Some(s) = &self.state {
            q.push(format!("state={}", enc(s)));
        }
        q.push(format!("iss={}", enc(issuer)));
        format!("{}{sep}{}", self.redirect_uri, q.join("&"))
    }

    fn error(&self, issuer: &str, code: &str, description: &str) -> Resp {
        redirect(&self.back(
            issuer,
            &[("error", code), ("error_description", description)],
        ))
    }
}

/// Checks the client and redirect URI (answered with a page when wrong), then the rest
/// (answered by a redirect carrying the error).
fn check(app: &App, p: &Params) -> Result<Checked, Box<Resp>> {
    let Some(client) = p
        .get("client_id")
        .and_then(|id| app.config.client(id))
        .cloned()
    else {
        return Err(Box::new(error_page(
            StatusCode::BAD_REQUEST,
            "unknown or missing client_id",
        )));
    };
    let Some(redirect_uri) = p.get("redirect_uri").filter(|u| client.redirect_ok(u)) else {
        return Err(Box::new(error_page(
            StatusCode::BAD_REQUEST,
            "redirect_uri is missing or not registered for this client",
        )));
    };
    let checked = Checked {
        redirect_uri: redirect_uri.to_owned(),
        state: p.get("state").map(str::to_owned),
        client,
    };
    let iss = &app.issuer;
    if p.get("response_type") != Some("code") {
        return Err(Box::new(checked.error(
            iss,
            "unsupported_response_type",
            "only response_type=code",
        )));
    }
    if !checked.client.allows(GrantType::AuthorizationCode) {
        return Err(Box::new(checked.error(
            iss,
            "unauthorized_client",
            "no authorization_code grant",
        )));
    }
    if p.get("scope")
        .is_some_and(|s| s.len() > 1024 || !checked.client.scope_ok(s))
    {
        return Err(Box::new(checked.error(
            iss,
            "invalid_scope",
            "scope not allowed for this client",
        )));
    }
    if p.get("code_challenge_method") != Some("S256") {
        return Err(Box::new(checked.error(
            iss,
            "invalid_request",
            "PKCE with code_challenge_method=S256 is required (plain is refused)",
        )));
    }
    let challenge_ok = p
        .get("code_challenge")
        .is_some_and(|c| c.len() == 43 && URL_SAFE_NO_PAD.decode(c).is_ok_and(|b| b.len() == 32));
    if !challenge_ok {
        return Err(Box::new(checked.error(
            iss,
            "invalid_request",
            "code_challenge must be 43 base64url characters",
        )));
    }
    Ok(checked)
}

/// The names carried through the form unchanged.
const CARRIED: [&str; 8] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "nonce",
];

fn login_form(app: &App, p: &Params, error: Option<&str>) -> Resp {
    let hidden: String = CARRIED
        .iter()
        .filter_map(|k| p.get(k).map(|v| (k, v)))
        .map(|(k, v)| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">", esc(v)))
        .collect();
    let password = if app.config.open {
        String::new()
    } else {
        "<label for=\"password\">Password</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">"
            .into()
    };
    let note = if app.config.open {
        "<p>Test server without a config: any subject may log in.</p>"
    } else {
        ""
    };
    let err = error
        .map(|e| format!("<p class=\"error\" id=\"error\">{}</p>", esc(e)))
        .unwrap_or_default();
    let client = p.get("client_id").unwrap_or_default();
    let body = format!(
        "<p>Client <b>{client}</b> asks to sign you in.</p>{note}{err}\
         <form method=\"post\" action=\"/authorize\">{hidden}\
         <label for=\"sub\">Subject</label>\
         <input id=\"sub\" name=\"sub\" required maxlength=\"256\" autocomplete=\"username\">\
         {password}\
         <label for=\"claims\">Extra claims (a JSON object, optional)</label>\
         <textarea id=\"claims\" name=\"claims\" rows=\"4\" placeholder='{{\"email\": \"a@example.com\"}}'></textarea>\
         <p><button id=\"login\" type=\"submit\">Sign in</button></p></form>",
        client = esc(client)
    );
    page(
        if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        "Sign in to jwtctl serve",
        &body,
    )
}

/// `GET /authorize` shows the form; `POST /authorize` is its submission.
pub async fn authorize(State(app): State<Arc<App>>, req: Request<Body>) -> Resp {
    let (parts, body) = req.into_parts();
    if let Err(e) = limit_address(&app, &parts.extensions) {
        return finish(Err(e), None);
    }
    let params = if parts.method == Method::POST {
        if !http::content_type_is(&parts.headers, "application/x-www-form-urlencoded") {
            return error_page(
                StatusCode::BAD_REQUEST,
                "the form must be application/x-www-form-urlencoded",
            );
        }
        match http::read_body(&parts.headers, body, app.config.limits.body_timeout).await {
            Ok(b) => http::parse_form(&b),
            Err(e) => Err(e),
        }
    } else {
        http::parse_form(parts.uri.query().unwrap_or_default().as_bytes())
    };
    let params = match params {
        Ok(p) => p,
        Err(e) => return error_page(e.status, &e.description),
    };
    let client_id = params.get("client_id").map(str::to_owned);
    if let Some(id) = &client_id
        && let Err(e) = limit_client(&app, id)
    {
        return finish(Err(e), client_id);
    }
    let mut resp = match check(&app, &params) {
        Err(r) => *r,
        Ok(_) if parts.method != Method::POST => login_form(&app, &params, None),
        Ok(checked) => submit(&app, &params, &checked).await,
    };
    if let Some(id) = client_id {
        resp.extensions_mut().insert(LoggedClient(id));
    }
    resp
}

async fn submit(app: &Arc<App>, p: &Params, checked: &Checked) -> Resp {
    let Some(sub) = p.get("sub").filter(|s| s.len() <= 256) else {
        return login_form(app, p, Some("enter a subject (at most 256 bytes)"));
    };
    if p.get("nonce").is_some_and(|n| n.len() > MAX_NONCE) {
        return login_form(app, p, Some("the nonce is too long"));
    }
    let mut claims = Map::new();
    if let Some(text) = p.get("claims").filter(|t| !t.trim().is_empty()) {
        if text.len() > MAX_CLAIMS {
            return login_form(app, p, Some("the extra claims are too long"));
        }
        match crate::json::parse_object(text.as_bytes()) {
            Ok(m) => claims = m,
            Err(e) => return login_form(app, p, Some(&format!("extra claims: {e}"))),
        }
        if let Some(k) = claims.keys().find(|k| RESERVED.contains(&k.as_str())) {
            return login_form(app, p, Some(&format!("claim {k:?} is set by the server")));
        }
    }
    if !app.config.open {
        let user = app.config.user(sub).cloned();
        let password = p.get("password").unwrap_or_default().to_owned();
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let ok = tokio::task::spawn_blocking(move || {
            hash.is_some_and(|h| super::config::password_matches(&h, password.as_bytes()))
        })
        .await
        .unwrap_or(false);
        match user {
            Some(u) if ok => {
                let mut all = u.claims;
                all.extend(claims);
                claims = all;
            }
            _ => return login_form(app, p, Some("wrong subject or password")),
        }
    }
    let Ok(code) = flow::random_id(32) else {
        return error_page(StatusCode::INTERNAL_SERVER_ERROR, "the OS RNG failed");
    };
    let now = app.now();
    let record = Code {
        client_id: checked.client.id.clone(),
        redirect_uri: checked.redirect_uri.clone(),
        scope: p.get("scope").map(str::to_owned),
        challenge: p.get("code_challenge").unwrap_or_default().to_owned(),
        sub: sub.to_owned(),
        claims,
        nonce: p.get("nonce").map(str::to_owned),
        expires: now.saturating_add(CODE_TTL),
    };
    let hash = session::token_hash(&code);
    let kept = app
        .store(true, move |store, _| {
            let text = serde_json::to_string(&record)?;
            store.put_code(&hash, &text, now.saturating_add(CODE_KEEP), now)
        })
        .await;
    if let Err(e) = kept {
        let e = grants::internal(&e);
        return error_page(e.status, &e.description);
    }
    redirect(&checked.back(&app.issuer, &[("code", &code)]))
}

/// Whether `verifier` is a PKCE code verifier (RFC 7636 §4.1) whose S256 is `challenge`.
fn pkce_ok(verifier: &str, challenge: &str) -> bool {
    let shape = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    shape
        && constant_eq(
            URL_SAFE_NO_PAD.encode(digest).as_bytes(),
            challenge.as_bytes(),
        )
}

/// The authorization-code grant: the code must be this client's, unexpired, unused, for the
/// same `redirect_uri`, with the PKCE verifier of its challenge. Opens the session. A code
/// presented again (at this process or any other on the store) is `invalid_grant` and revokes
/// the session its first exchange opened (RFC 6749 §4.1.2); a wrong verifier or redirect URI
/// leaves the code as it was.
pub async fn exchange(
    app: &Arc<App>,
    client: &Client,
    p: &Params,
) -> Result<TokenJson, OAuthError> {
    let code = p.require("code")?;
    let verifier = p.require("code_verifier")?;
    let redirect_uri = p.require("redirect_uri")?;
    let hash = session::token_hash(code);
    let now = app.now();
    let unknown = || OAuthError::invalid_grant("unknown authorization code");
    let h = hash.clone();
    let stored = app
        .store(false, move |store, _| store.code(&h, now))
        .await
        .map_err(|e| grants::internal(&e))?
        .ok_or_else(unknown)?;
    let c: Code = serde_json::from_str(&stored.record).map_err(|e| {
        grants::internal(&anyhow::anyhow!(
            "a stored authorization code is unreadable: {e}"
        ))
    })?;
    // A code of another client is not this client's to use, nor to revoke with.
    if c.client_id != client.id {
        return Err(unknown());
    }
    if !stored.claimed {
        if now >= c.expires {
            return Err(OAuthError::invalid_grant(
                "the authorization code has expired",
            ));
        }
        if c.redirect_uri != redirect_uri {
            return Err(OAuthError::invalid_grant(
                "redirect_uri differs from the authorization request's",
            ));
        }
        if !pkce_ok(verifier, &c.challenge) {
            return Err(OAuthError::invalid_grant(
                "code_verifier does not match the code_challenge (PKCE S256)",
            ));
        }
    }
    let h = hash.clone();
    let claim = app
        .store(true, move |store, app| {
            let claim = store.claim_code(&h, now)?;
            if let CodeClaim::Used {
                family: Some(family),
            } = &claim
            {
                store.revoke_family(family, None, RevokeReason::ReuseDetected, app.now())?;
            }
            Ok(claim)
        })
        .await
        .map_err(|e| grants::internal(&e))?;
    match claim {
        CodeClaim::Fresh(_) => {}
        CodeClaim::Missing => return Err(unknown()),
        CodeClaim::Used { .. } => {
            return Err(OAuthError::invalid_grant(
                "the authorization code was already used; its session is revoked",
            ));
        }
    }
    let login = Login {
        sub: c.sub,
        scope: c.scope,
        claims: c.claims,
        nonce: c.nonce,
    };
    let body = grants::open_session(app, client, login).await?;
    let Some(family) = body
        .get("session_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return Err(OAuthError::server_error());
    };
    // A replay that claimed the code between our claim and now found no session to revoke:
    // this one is revoked here, and its pair withheld.
    let replayed = app
        .store(true, move |store, app| {
            let replayed = store.bind_code(&hash, &family)?;
            if replayed {
                store.revoke_family(&family, None, RevokeReason::ReuseDetected, app.now())?;
            }
            Ok(replayed)
        })
        .await
        .map_err(|e| grants::internal(&e))?;
    if replayed {
        return Err(OAuthError::invalid_grant(
            "the authorization code was used twice; its session is revoked",
        ));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_ok(verifier, challenge));
        assert!(!pkce_ok(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj",
            challenge
        ));
        assert!(
            !pkce_ok(challenge, challenge),
            "plain: the challenge as verifier"
        );
        assert!(!pkce_ok("short", challenge));
    }

    #[test]
    fn html_and_query_text_is_escaped() {
        assert_eq!(
            esc("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
        assert_eq!(enc("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }
}
