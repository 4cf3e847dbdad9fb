//! The HTTP edge of `serve`: strict parsing of what clients send (form bodies, JSON bodies,
//! client authentication) and the one place OAuth errors become responses (RFC 6749 §5.2 JSON,
//! `WWW-Authenticate` on 401, `Retry-After` on 429 and 503).

use axum::body::{Body, Bytes};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Response, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http_body_util::{BodyExt, Limited};
use serde_json::{Map, Value};
use std::time::Duration;

/// Largest request body read: a refresh token is at most 64 KiB (`token::MAX_TOKEN_BYTES`),
/// and nothing else a client sends comes near it.
pub const MAX_BODY: usize = 80 * 1024;
/// Most parameters a form or JSON body may carry.
const MAX_PARAMS: usize = 64;

/// The realm of `WWW-Authenticate` challenges.
const REALM: &str = "jwtctl";

/// An OAuth error response: status, RFC 6749 §5.2 code, a description, and the headers some
/// codes require.
#[derive(Debug)]
pub struct OAuthError {
    pub status: StatusCode,
    pub code: &'static str,
    pub description: String,
    /// `WWW-Authenticate` value (401 responses).
    pub challenge: Option<String>,
    /// `Retry-After` seconds (429, 503).
    pub retry_after: Option<u64>,
}

impl OAuthError {
    fn new(status: StatusCode, code: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            code,
            description: description.into(),
            challenge: None,
            retry_after: None,
        }
    }

    /// 400 `invalid_request`: a missing, repeated or malformed parameter.
    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    /// 401 `invalid_client` with a Basic challenge (RFC 6749 §5.2).
    pub fn invalid_client(description: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description);
        e.challenge = Some(format!("Basic realm=\"{REALM}\""));
        e
    }

    /// 400 `invalid_grant`: the code, refresh token or credentials are not good.
    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    /// 400 `unauthorized_client`: the client may not use this grant.
    pub fn unauthorized_client(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "unauthorized_client", description)
    }

    /// 400 `unsupported_grant_type`.
    pub fn unsupported_grant_type(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            description,
        )
    }

    /// 400 `invalid_scope`.
    pub fn invalid_scope(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_scope", description)
    }

    /// 401 `invalid_token` with a Bearer challenge (RFC 6750 §3.1).
    pub fn invalid_token(description: impl Into<String>) -> Self {
        let description = description.into();
        let mut e = Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            description.clone(),
        );
        e.challenge = Some(format!(
            "Bearer realm=\"{REALM}\", error=\"invalid_token\", error_description=\"{}\"",
            description.replace(['"', '\\'], "'")
        ));
        e
    }

    /// 413: the body is over [`MAX_BODY`].
    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request",
            format!("the request body is over {} KiB", MAX_BODY / 1024),
        )
    }

    /// 429 with `Retry-After`.
    pub fn too_many(retry_after: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "temporarily_unavailable",
            "rate limit reached; retry later",
        );
        e.retry_after = Some(retry_after.max(1));
        e
    }

    /// 500 `server_error`; the cause goes to the log, not to the client.
    pub fn server_error() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "the server could not answer; see its log",
        )
    }

    /// 503 `temporarily_unavailable` (a busy store) with `Retry-After`.
    pub fn unavailable(description: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            description,
        );
        e.retry_after = Some(1);
        e
    }

    /// The response: `{"error","error_description"}`, never cached.
    #[must_use]
    pub fn response(&self) -> Response<Body> {
        let body = serde_json::json!({ "error": self.code, "error_description": self.description });
        let mut resp = json(self.status, &body);
        let headers = resp.headers_mut();
        if let Some(c) = self
            .challenge
            .as_deref()
            .and_then(|c| HeaderValue::from_str(c).ok())
        {
            headers.insert(header::WWW_AUTHENTICATE, c);
        }
        if let Some(s) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        resp
    }
}

/// A JSON response that no cache keeps (RFC 6749 §5.1).
#[must_use]
pub fn json(status: StatusCode, body: &Value) -> Response<Body> {
    let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".into());
    let mut resp = Response::new(Body::from(text));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    resp
}

/// Parameters of a request, each at most once (RFC 6749 §3.2). An empty value counts as
/// absent (§3.1).
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// The value of `name`, when present and not empty.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// [`Params::get`], or `invalid_request` naming it.
    pub fn require(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name)
            .ok_or_else(|| OAuthError::invalid_request(format!("{name} is missing")))
    }

    fn push(&mut self, name: String, value: String) -> Result<(), OAuthError> {
        if self.0.iter().any(|(k, _)| *k == name) {
            return Err(OAuthError::invalid_request(format!(
                "parameter {} is repeated (RFC 6749 §3.2)",
                printable(&name)
            )));
        }
        if self.0.len() >= MAX_PARAMS {
            return Err(OAuthError::invalid_request("too many parameters"));
        }
        self.0.push((name, value));
        Ok(())
    }
}

/// A parameter name as an error message may quote it: printable ASCII, cut short.
fn printable(s: &str) -> String {
    let clean: String = s
        .chars()
        .take(40)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    format!("{clean:?}")
}

/// Decodes one `application/x-www-form-urlencoded` component strictly: `+` is a space, `%` must
/// be followed by two hex digits, and the result must be UTF-8.
fn form_decode(s: &[u8]) -> Result<String, OAuthError> {
    let bad = || OAuthError::invalid_request("the form body is not valid form encoding");
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                let (Some(h), Some(l)) = (
                    s.get(i + 1).and_then(|&b| hex(b)),
                    s.get(i + 2).and_then(|&b| hex(b)),
                ) else {
                    return Err(bad());
                };
                out.push(u8::try_from(h * 16 + l).map_err(|_| bad())?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out)
        .map_err(|_| OAuthError::invalid_request("the form body is not UTF-8 once decoded"))
}

/// Parses a form body (or a query string) strictly: valid encoding, no repeated parameter.
pub fn parse_form(body: &[u8]) -> Result<Params, OAuthError> {
    let mut params = Params::default();
    for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        params.push(form_decode(name)?, form_decode(value)?)?;
    }
    Ok(params)
}

/// Parses a JSON object body of string members (the `/login` and `/refresh` aliases).
pub fn parse_json(body: &[u8]) -> Result<Params, OAuthError> {
    let map: Map<String, Value> = crate::json::parse_object(body)
        .map_err(|e| OAuthError::invalid_request(format!("the body is not a JSON object: {e}")))?;
    let mut params = Params::default();
    for (k, v) in map {
        match v {
            Value::String(s) => params.push(k, s)?,
            Value::Null => {}
            _ => {
                return Err(OAuthError::invalid_request(format!(
                    "member {} must be a string",
                    printable(&k)
                )));
            }
        }
    }
    Ok(params)
}

/// Whether the request's `Content-Type` is `want` (parameters such as `charset` allowed).
#[must_use]
pub fn content_type_is(headers: &HeaderMap, want: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(want))
}

/// Reads a body of at most [`MAX_BODY`] bytes within `timeout`: 413 when larger (a declared
/// `Content-Length` over it is refused before reading), 408 when the client is too slow.
pub async fn read_body(
    headers: &HeaderMap,
    body: Body,
    timeout: Duration,
) -> Result<Bytes, OAuthError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(OAuthError::too_large());
    }
    match tokio::time::timeout(timeout, Limited::new(body, MAX_BODY).collect()).await {
        Err(_) => Err(OAuthError::new(
            StatusCode::REQUEST_TIMEOUT,
            "invalid_request",
            "the request body did not arrive in time",
        )),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(OAuthError::too_large()),
        Ok(Err(_)) => Err(OAuthError::invalid_request(
            "the request body could not be read",
        )),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// Client credentials as presented: HTTP Basic (RFC 6749 §2.3.1) or in the body.
#[derive(Debug)]
pub struct Presented {
    pub id: String,
    pub secret: Option<String>,
}

/// The client credentials of a request: Basic or body, never both (RFC 6749 §2.3); `None` when
/// the request names no client.
pub fn client_credentials(
    headers: &HeaderMap,
    params: &Params,
) -> Result<Option<Presented>, OAuthError> {
    let basic = match headers.get(header::AUTHORIZATION) {
        None => None,
        Some(v) => {
            let v = v
                .to_str()
                .map_err(|_| OAuthError::invalid_client("the Authorization header is not ASCII"))?;
            match v.split_once(' ') {
                Some((scheme, rest)) if scheme.eq_ignore_ascii_case("basic") => {
                    Some(parse_basic(rest.trim())?)
                }
                _ => {
                    return Err(OAuthError::invalid_client(
                        "the Authorization header must use the Basic scheme here",
                    ));
                }
            }
        }
    };
    let body_id = params.get("client_id");
    let body_secret = params.get("client_secret");
    match basic {
        Some(p) => {
            if body_secret.is_some() {
                return Err(OAuthError::invalid_request(
                    "client credentials in both the Authorization header and the body",
                ));
            }
            if body_id.is_some_and(|id| id != p.id) {
                return Err(OAuthError::invalid_request(
                    "client_id in the body differs from the Authorization header",
                ));
            }
            Ok(Some(p))
        }
        None => Ok(body_id.map(|id| Presented {
            id: id.to_owned(),
            secret: body_secret.map(str::to_owned),
        })),
    }
}

fn parse_basic(b64: &str) -> Result<Presented, OAuthError> {
    let bad = || OAuthError::invalid_client("malformed Basic credentials");
    let raw = STANDARD.decode(b64).map_err(|_| bad())?;
    let i = raw.iter().position(|&b| b == b':').ok_or_else(bad)?;
    let id = form_decode(&raw[..i]).map_err(|_| bad())?;
    let secret = form_decode(&raw[i + 1..]).map_err(|_| bad())?;
    if id.is_empty() {
        return Err(bad());
    }
    Ok(Presented {
        id,
        secret: Some(secret).filter(|s| !s.is_empty()),
    })
}

/// The token of an `Authorization: Bearer` header (RFC 6750 §2.1).
pub fn bearer(headers: &HeaderMap) -> Result<String, OAuthError> {
    let v = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            let mut e = OAuthError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_request",
                "no Bearer token",
            );
            e.challenge = Some(format!("Bearer realm=\"{REALM}\""));
            e
        })?;
    match v.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_owned())
        }
        _ => Err(OAuthError::invalid_token(
            "the Authorization header is not a Bearer token",
        )),
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
#[must_use]
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_strictly() {
        let p = parse_form(b"grant_type=refresh_token&scope=a+b%20c&empty=&x").unwrap();
        assert_eq!(p.get("grant_type"), Some("refresh_token"));
        assert_eq!(p.get("scope"), Some("a b c"));
        assert_eq!(p.get("empty"), None);
        assert_eq!(p.get("x"), None);
        for bad in [&b"a=1&a=2"[..], b"a=%zz", b"a=%4", b"a=%ff", b"a=1&a="] {
            assert_eq!(parse_form(bad).unwrap_err().code, "invalid_request");
        }
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let mut h = HeaderMap::new();
        let v = STANDARD.encode("my%20app:s%3Acret");
        h.insert(header::AUTHORIZATION, format!("Basic {v}").parse().unwrap());
        let p = client_credentials(&h, &Params::default()).unwrap().unwrap();
        assert_eq!(
            (p.id.as_str(), p.secret.as_deref()),
            ("my app", Some("s:cret"))
        );
        let both = parse_form(b"client_secret=x").unwrap();
        assert!(client_credentials(&h, &both).is_err());
        h.insert(header::AUTHORIZATION, "Basic !!".parse().unwrap());
        assert_eq!(
            client_credentials(&h, &Params::default())
                .unwrap_err()
                .status,
            StatusCode::UNAUTHORIZED
        );
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; jwtctl_refresh=tok; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, "jwtctl_refresh").as_deref(), Some("tok"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
