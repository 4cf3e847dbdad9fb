//! `serve --config FILE`: the registered clients, the users who may log in with a password, and
//! the rate limits, from TOML. Every field is checked when the file is read (an unknown key, a
//! bad duration, a hash that is not an Argon2 PHC string: exit 11 before the server binds). No
//! config file: one public test client and any subject on the login form.

use crate::files;
use crate::keys::key_err_hint;
use anyhow::Result;
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::path::Path;

/// The biggest config file read.
const MAX_BYTES: u64 = 1 << 20;
/// The test client of a server without config; `jwtctl login`'s default client id too, so the
/// CLI's sessions refresh through such a server.
pub const TEST_CLIENT: &str = "jwtctl";
/// Longest subject, client id and text values: those of `jwtctl login` (cli/session.rs).
const MAX_ID: usize = 256;

/// A grant type a client may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
    Password,
}

impl GrantType {
    /// The `grant_type` value (RFC 6749).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::RefreshToken => "refresh_token",
            GrantType::ClientCredentials => "client_credentials",
            GrantType::Password => "password",
        }
    }

    /// Parses a `grant_type` value.
    #[must_use]
    pub fn from_name(s: &str) -> Option<Self> {
        [
            GrantType::AuthorizationCode,
            GrantType::RefreshToken,
            GrantType::ClientCredentials,
            GrantType::Password,
        ]
        .into_iter()
        .find(|g| g.name() == s)
    }
}

/// One registered client.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: String,
    /// Argon2 PHC string of the secret; `None` is a public client (PKCE, no secret).
    pub secret_hash: Option<String>,
    /// Exact-match redirect URIs (RFC 6749 §3.1.2.3).
    pub redirect_uris: Vec<String>,
    /// Any `http://` loopback redirect URI, any port (RFC 8252 §7.3): the test client only.
    pub loopback_redirects: bool,
    pub grants: Vec<GrantType>,
    /// Scopes it may ask for; empty: any.
    pub scopes: Vec<String>,
    /// `aud` of its access tokens.
    pub audience: String,
    pub access_ttl: i64,
    pub refresh_ttl: i64,
    pub max_lifetime: i64,
    /// Seconds the immediate predecessor of a rotated refresh token is still honoured.
    pub refresh_grace: i64,
}

impl Client {
    /// Whether it may use `grant`.
    #[must_use]
    pub fn allows(&self, grant: GrantType) -> bool {
        self.grants.contains(&grant)
    }

    /// Whether `uri` is one of its redirect URIs (exact match; loopback for the test client).
    #[must_use]
    pub fn redirect_ok(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|r| r == uri)
            || (self.loopback_redirects && is_loopback_http(uri))
    }

    /// Whether `scope` (space-separated) lies within what it may ask for.
    #[must_use]
    pub fn scope_ok(&self, scope: &str) -> bool {
        self.scopes.is_empty() || scope.split(' ').all(|s| self.scopes.iter().any(|a| a == s))
    }
}

/// `http://127.x.x.x[:port]/...`, `http://[::1]...` or `http://localhost...` without userinfo.
fn is_loopback_http(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') || uri.contains('#') {
        return false;
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A user who may log in with a password (password grant, `/login`, the form).
#[derive(Clone, Debug)]
pub struct User {
    pub sub: String,
    pub password_hash: String,
    /// Extra claims of the ID token and `/userinfo`.
    pub claims: Map<String, Value>,
}

/// A token bucket: `rate` tokens a second, at most `burst` saved up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bucket {
    pub rate: f64,
    pub burst: f64,
}

/// Limits on requests and connections.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Per client id on /token, /login, /refresh and /authorize; `None`: off.
    pub per_client: Option<Bucket>,
    /// Per remote address on the same endpoints; `None`: off.
    pub per_address: Option<Bucket>,
    /// Time a client gets to send a request's headers, and its body.
    pub header_timeout: std::time::Duration,
    pub body_timeout: std::time::Duration,
}

/// The whole server configuration.
#[derive(Clone, Debug)]
pub struct Config {
    pub clients: Vec<Client>,
    pub users: Vec<User>,
    /// No file was given: the test client, any subject on the form.
    pub open: bool,
    pub limits: Limits,
}

impl Config {
    /// The client registered as `id`.
    #[must_use]
    pub fn client(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == id)
    }

    /// The user `sub`.
    #[must_use]
    pub fn user(&self, sub: &str) -> Option<&User> {
        self.users.iter().find(|u| u.sub == sub)
    }

    /// The configuration of a server started without `--config`.
    #[must_use]
    pub fn open() -> Self {
        Config {
            clients: vec![Client {
                id: TEST_CLIENT.into(),
                secret_hash: None,
                redirect_uris: Vec::new(),
                loopback_redirects: true,
                grants: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
                scopes: Vec::new(),
                audience: TEST_CLIENT.into(),
                access_ttl: 15 * 60,
                refresh_ttl: 7 * 86_400,
                max_lifetime: 30 * 86_400,
                refresh_grace: 0,
            }],
            users: Vec::new(),
            open: true,
            limits: Limits::default(),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        let generous = Bucket {
            rate: 1000.0,
            burst: 2000.0,
        };
        Limits {
            per_client: Some(generous),
            per_address: Some(generous),
            header_timeout: std::time::Duration::from_secs(10),
            body_timeout: std::time::Duration::from_secs(10),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    clients: Vec<ClientFile>,
    #[serde(default)]
    users: Vec<UserFile>,
    #[serde(default)]
    limits: Option<LimitsFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientFile {
    id: String,
    #[serde(default)]
    secret_hash: Option<String>,
    #[serde(default)]
    public: bool,
    #[serde(default)]
    redirect_uris: Vec<String>,
    #[serde(default)]
    grants: Option<Vec<GrantType>>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    audience: Option<String>,
    #[serde(default)]
    access_ttl: Option<String>,
    #[serde(default)]
    refresh_ttl: Option<String>,
    #[serde(default)]
    max_lifetime: Option<String>,
    #[serde(default)]
    refresh_grace: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserFile {
    sub: String,
    password_hash: String,
    #[serde(default)]
    claims: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsFile {
    #[serde(default)]
    per_client: Option<BucketFile>,
    #[serde(default)]
    per_address: Option<BucketFile>,
    #[serde(default)]
    header_timeout: Option<String>,
    #[serde(default)]
    body_timeout: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BucketFile {
    /// Requests a second; 0 turns the limit off.
    rate: f64,
    #[serde(default)]
    burst: Option<f64>,
}

/// Claims a user's `claims` table may not set: the server decides them.
const RESERVED: [&str; 9] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nbf",
    "jti",
    "auth_time",
    "nonce",
];

/// Reads and checks the config file at `path`.
pub fn load(path: &Path) -> Result<Config> {
    let bytes = files::read_limited(path, MAX_BYTES, "config file")?;
    let name = path.display().to_string();
    let bad = |msg: String| {
        key_err_hint(
            format!("config file {name}: {msg}"),
            "see \"Test your app against jwtctl serve\" in the README for the format",
        )
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| bad("is not UTF-8".into()))?;
    let file: File = toml::from_str(text).map_err(|e| bad(e.to_string().trim().to_owned()))?;
    parse(file).map_err(bad)
}

fn duration(what: &str, v: Option<&String>, default: i64) -> Result<i64, String> {
    match v {
        None => Ok(default),
        Some(s) => crate::time::parse_bounded_duration(s).map_err(|e| format!("{what}: {e}")),
    }
}

fn check_hash(what: &str, hash: &str) -> Result<(), String> {
    let parsed =
        PasswordHash::new(hash).map_err(|e| format!("{what} is not a PHC string ({e})"))?;
    if !parsed.algorithm.as_str().starts_with("argon2") {
        return Err(format!(
            "{what} uses {}; only argon2 hashes are accepted",
            parsed.algorithm
        ));
    }
    Ok(())
}

fn parse(file: File) -> Result<Config, String> {
    let mut clients: Vec<Client> = Vec::new();
    for c in file.clients {
        let what = format!("client {:?}", c.id);
        if c.id.is_empty() || c.id.len() > MAX_ID {
            return Err(format!("{what}: id must be 1 to {MAX_ID} bytes"));
        }
        if clients.iter().any(|k| k.id == c.id) {
            return Err(format!("{what} is listed twice"));
        }
        match (&c.secret_hash, c.public) {
            (Some(_), true) => {
                return Err(format!("{what}: a public client has no secret_hash"));
            }
            (None, false) => {
                return Err(format!(
                    "{what}: give secret_hash (an argon2 PHC string) or public = true"
                ));
            }
            (Some(h), false) => check_hash(&format!("{what}: secret_hash"), h)?,
            (None, true) => {}
        }
        let grants = c.grants.unwrap_or_else(|| {
            if c.public {
                vec![GrantType::AuthorizationCode, GrantType::RefreshToken]
            } else {
                vec![
                    GrantType::AuthorizationCode,
                    GrantType::RefreshToken,
                    GrantType::ClientCredentials,
                ]
            }
        });
        if c.public && grants.contains(&GrantType::ClientCredentials) {
            return Err(format!(
                "{what}: client_credentials needs a confidential client (RFC 6749 §4.4)"
            ));
        }
        for uri in &c.redirect_uris {
            if !(uri.starts_with("https://") || uri.starts_with("http://")) || uri.contains('#') {
                return Err(format!(
                    "{what}: redirect URI {uri:?} must be an absolute http(s) URL without a \
                     fragment"
                ));
            }
        }
        let access_ttl = duration(&format!("{what}: access_ttl"), c.access_ttl.as_ref(), 900)?;
        let refresh_ttl = duration(
            &format!("{what}: refresh_ttl"),
            c.refresh_ttl.as_ref(),
            7 * 86_400,
        )?;
        let max_lifetime = duration(
            &format!("{what}: max_lifetime"),
            c.max_lifetime.as_ref(),
            30 * 86_400,
        )?;
        if access_ttl == 0 || refresh_ttl < access_ttl || max_lifetime == 0 {
            return Err(format!(
                "{what}: lifetimes must be positive and refresh_ttl at least access_ttl"
            ));
        }
        clients.push(Client {
            audience: c.audience.unwrap_or_else(|| c.id.clone()),
            id: c.id,
            secret_hash: c.secret_hash,
            redirect_uris: c.redirect_uris,
            loopback_redirects: false,
            grants,
            scopes: c.scopes,
            access_ttl,
            refresh_ttl,
            max_lifetime,
            refresh_grace: duration(
                &format!("{what}: refresh_grace"),
                c.refresh_grace.as_ref(),
                0,
            )?,
        });
    }
    let mut users: Vec<User> = Vec::new();
    for u in file.users {
        let what = format!("user {:?}", u.sub);
        if u.sub.is_empty() || u.sub.len() > MAX_ID {
            return Err(format!("{what}: sub must be 1 to {MAX_ID} bytes"));
        }
        if users.iter().any(|k| k.sub == u.sub) {
            return Err(format!("{what} is listed twice"));
        }
        check_hash(&format!("{what}: password_hash"), &u.password_hash)?;
        let mut claims = Map::new();
        for (k, v) in u.claims.unwrap_or_default() {
            if RESERVED.contains(&k.as_str()) {
                return Err(format!("{what}: claim {k:?} is set by the server"));
            }
            let v = serde_json::to_value(v).map_err(|e| format!("{what}: claim {k:?}: {e}"))?;
            claims.insert(k, v);
        }
        users.push(User {
            sub: u.sub,
            password_hash: u.password_hash,
            claims,
        });
    }
    let mut limits = Limits::default();
    if let Some(l) = file.limits {
        let bucket = |what: &str, b: Option<BucketFile>, default: Option<Bucket>| match b {
            None => Ok(default),
            Some(b) if b.rate == 0.0 => Ok(None),
            Some(b) if !(b.rate.is_finite() && b.rate > 0.0) => Err(format!(
                "limits.{what}: rate must be a positive number (0: off)"
            )),
            Some(b) => {
                let burst = b.burst.unwrap_or(b.rate.max(1.0));
                if !(burst.is_finite() && burst >= 1.0) {
                    return Err(format!("limits.{what}: burst must be at least 1"));
                }
                Ok(Some(Bucket {
                    rate: b.rate,
                    burst,
                }))
            }
        };
        limits.per_client = bucket("per_client", l.per_client, limits.per_client)?;
        limits.per_address = bucket("per_address", l.per_address, limits.per_address)?;
        let timeout = |what: &str, v: Option<&String>, default: std::time::Duration| {
            let secs = duration(&format!("limits.{what}"), v, 0)?;
            Ok::<_, String>(match u64::try_from(secs) {
                Ok(s) if s > 0 && s <= 3600 => std::time::Duration::from_secs(s),
                _ if v.is_none() => default,
                _ => return Err(format!("limits.{what}: 1s to 1h")),
            })
        };
        limits.header_timeout = timeout(
            "header_timeout",
            l.header_timeout.as_ref(),
            limits.header_timeout,
        )?;
        limits.body_timeout =
            timeout("body_timeout", l.body_timeout.as_ref(), limits.body_timeout)?;
    }
    Ok(Config {
        clients,
        users,
        open: false,
        limits,
    })
}

/// Checks `password` against an Argon2 PHC string; any failure is `false`.
#[must_use]
pub fn password_matches(hash: &str, password: &[u8]) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password, &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Config, String> {
        parse(toml::from_str(text).map_err(|e| e.to_string())?)
    }

    fn hash(password: &str) -> String {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::from_b64("c29tZXNhbHRzYWx0").unwrap();
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .unwrap()
            .to_string()
    }

    #[test]
    fn a_full_file_parses() {
        let hash = hash("pw");
        let c = parse_text(&format!(
            r#"
            [[clients]]
            id = "web"
            public = true
            redirect_uris = ["http://localhost:3000/cb"]
            scopes = ["openid", "read"]
            access_ttl = "5m"
            [[clients]]
            id = "svc"
            secret_hash = "{hash}"
            grants = ["client_credentials", "password", "refresh_token"]
            audience = "api"
            [[users]]
            sub = "alice"
            password_hash = "{hash}"
            claims = {{ email = "a@example.com", admin = true }}
            [limits]
            per_client = {{ rate = 2, burst = 3 }}
            per_address = {{ rate = 0 }}
            "#
        ))
        .unwrap();
        let web = c.client("web").unwrap();
        assert_eq!(web.access_ttl, 300);
        assert!(web.redirect_ok("http://localhost:3000/cb"));
        assert!(!web.redirect_ok("http://localhost:3000/cb/"));
        assert!(web.scope_ok("openid read") && !web.scope_ok("openid write"));
        assert!(c.client("svc").unwrap().allows(GrantType::Password));
        assert_eq!(c.user("alice").unwrap().claims["admin"], Value::Bool(true));
        assert_eq!(
            c.limits.per_client,
            Some(Bucket {
                rate: 2.0,
                burst: 3.0
            })
        );
        assert_eq!(c.limits.per_address, None);
    }

    #[test]
    fn mistakes_are_refused() {
        for bad in [
            "[[clients]]\nid = \"x\"",
            "[[clients]]\nid = \"x\"\npublic = true\nsecret_hash = \"h\"",
            "[[clients]]\nid = \"x\"\nsecret_hash = \"plain\"",
            "[[clients]]\nid = \"x\"\npublic = true\ngrants = [\"client_credentials\"]",
            "[[clients]]\nid = \"x\"\npublic = true\nredirect_uris = [\"myapp:/cb\"]",
            "[[clients]]\nid = \"x\"\npublic = true\naccess_ttl = \"soon\"",
            "[[clients]]\nid = \"x\"\npublic = true\nnonsense = 1",
            "[[clients]]\nid = \"x\"\npublic = true\ngrants = [\"implicit\"]",
            "[[users]]\nsub = \"a\"\npassword_hash = \"x\"",
            "[limits]\nper_client = { rate = -1 }",
        ] {
            assert!(parse_text(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_test_client_takes_loopback_redirects_only() {
        let open = Config::open();
        let c = open.client(TEST_CLIENT).unwrap();
        for ok in [
            "http://127.0.0.1:5000/cb",
            "http://localhost/cb?x=1",
            "http://[::1]:9/",
        ] {
            assert!(c.redirect_ok(ok), "{ok}");
        }
        for bad in [
            "https://evil.example/cb",
            "http://127.0.0.1.evil.example/",
            "http://user@127.0.0.1/",
            "http://localhost/#f",
            "javascript:alert(1)",
        ] {
            assert!(!c.redirect_ok(bad), "{bad}");
        }
    }

    #[test]
    fn passwords_check_against_argon2_hashes() {
        let hash = hash("password");
        assert!(password_matches(&hash, b"password"));
        assert!(!password_matches(&hash, b"wrong"));
        assert!(!password_matches("garbage", b"password"));
    }
}
