//! Where the refresh store lives (DECISIONS §8): the forms `--store URL` and `JWTCTL_STORE`
//! take, parsed once into a [`Target`], and the [`Options`] every backend shares.
//!
//! - `sqlite:` (the home's `refresh.db`, the default) or `sqlite:PATH`;
//! - `redis://[USER@]HOST[:PORT][/DB]`, `rediss://` for TLS (Redis 7, Valkey);
//! - `postgres://[USER@]HOST[:PORT]/DBNAME[?sslmode=disable|prefer|require|verify-ca|verify-full]`
//!   (`postgresql://` too; PostgreSQL 13 or later).
//!
//! A password may be in the URL only when it comes from the environment: on the command line
//! it would be readable by every user through `ps` (the caller says which it was).

use std::path::PathBuf;
use std::time::Duration;

/// The default Redis key prefix (`--store-prefix`).
pub const DEFAULT_PREFIX: &str = "jwtctl:";
/// The default bound on connecting and on each operation (`--store-timeout`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// A parsed store location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An SQLite file: `None` is `refresh.db` in the home directory.
    Sqlite(Option<PathBuf>),
    /// A Redis (or Valkey) server.
    Redis(Server),
    /// A PostgreSQL server.
    Postgres(Server),
}

/// A server's address and credentials, from a URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Server {
    /// TLS: `rediss://`, or PostgreSQL's `sslmode` other than `disable`/`prefer`.
    pub tls: bool,
    /// PostgreSQL's `sslmode` as given (`prefer` when absent); `None` for Redis.
    pub sslmode: Option<String>,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    /// From the URL (environment only) or filled in from `--store-password-file`.
    pub password: Option<String>,
    /// The Redis database number (`/N`, default 0) or the PostgreSQL database name (the
    /// path; default: the user name, as libpq does).
    pub database: String,
    /// The URL as given, with any password replaced by `***`: what messages name.
    pub shown: String,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password, not even in a debug dump.
        f.debug_struct("Server")
            .field("shown", &self.shown)
            .finish_non_exhaustive()
    }
}

/// What every backend shares: the settings beside the URL.
#[derive(Clone, Debug)]
pub struct Options {
    /// Extra CA certificates (PEM) to trust for TLS, beside the system roots (`--store-ca`).
    pub ca: Option<PathBuf>,
    /// The Redis key prefix (`--store-prefix`), so environments can share one server.
    pub prefix: String,
    /// Bound on connecting and on each operation (`--store-timeout`).
    pub timeout: Duration,
    /// How long to wait for a locked SQLite store (`JWTCTL_STORE_WAIT`).
    pub wait: Duration,
}

/// Why a store URL was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadTarget(pub String);

impl std::fmt::Display for BadTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadTarget {}

fn bad(s: impl Into<String>) -> BadTarget {
    BadTarget(s.into())
}

impl Target {
    /// Parses a store URL. `from_argv`: it came from the command line, where a password is
    /// refused.
    pub fn parse(s: &str, from_argv: bool) -> Result<Target, BadTarget> {
        let (scheme, rest) = s.split_once(':').ok_or_else(|| {
            bad("a store is a URL: sqlite:PATH, redis://HOST, rediss://HOST or postgres://HOST/DB")
        })?;
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => {
                let path = rest.strip_prefix("//").unwrap_or(rest);
                Ok(Target::Sqlite(
                    (!path.is_empty()).then(|| PathBuf::from(path)),
                ))
            }
            "redis" | "rediss" => {
                let server = server(s, scheme, rest, 6379, from_argv)?;
                Ok(Target::Redis(server))
            }
            "postgres" | "postgresql" => {
                let server = server(s, scheme, rest, 5432, from_argv)?;
                Ok(Target::Postgres(server))
            }
            other => Err(bad(format!(
                "unknown store scheme {other:?}: use sqlite:, redis://, rediss:// or postgres://"
            ))),
        }
    }

    /// The engine's name, for messages.
    #[must_use]
    pub fn engine(&self) -> &'static str {
        match self {
            Target::Sqlite(_) => "SQLite",
            Target::Redis(_) => "Redis",
            Target::Postgres(_) => "PostgreSQL",
        }
    }
}

/// `JWTCTL_STORE`, parsed (a password allowed); `None` when it is unset or empty.
pub fn from_env() -> Result<Option<Target>, BadTarget> {
    from_var("JWTCTL_STORE")
}

/// The store URL in the environment variable `var` (a password allowed); `None` when it is
/// unset or empty.
pub fn from_var(var: &str) -> Result<Option<Target>, BadTarget> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Target::parse(&url, false).map(Some),
        Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(bad("not valid UTF-8")),
    }
}

/// Parses `scheme://[user[:password]@]host[:port][/path][?query]`.
fn server(
    whole: &str,
    scheme: &str,
    rest: &str,
    default_port: u16,
    from_argv: bool,
) -> Result<Server, BadTarget> {
    let redis = scheme.starts_with("redis");
    let rest = rest
        .strip_prefix("//")
        .ok_or_else(|| bad(format!("{scheme}: URLs start with {scheme}://")))?;
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (user, password) = match userinfo {
        None => (None, None),
        Some(u) => match u.split_once(':') {
            Some((name, pw)) => (Some(decode(name)?), Some(decode(pw)?)),
            None => (Some(decode(u)?), None),
        },
    };
    if password.is_some() && from_argv {
        return Err(bad(
            "a password in --store would be visible to every user through `ps`; put the URL \
             in JWTCTL_STORE, or the password in a file named by --store-password-file",
        ));
    }
    let (host, port) = host_port(hostport, default_port)?;
    let mut sslmode = None;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match (redis, k) {
            (false, "sslmode") => {
                if !["disable", "prefer", "require", "verify-ca", "verify-full"].contains(&v) {
                    return Err(bad(format!(
                        "sslmode={v:?}: use disable, prefer, require, verify-ca or verify-full"
                    )));
                }
                if sslmode.replace(v.to_owned()).is_some() {
                    return Err(bad("sslmode is given twice"));
                }
            }
            (false, "password") => {
                return Err(bad(
                    "put the password in JWTCTL_STORE's user:password@ part \
                                or in --store-password-file, not in the query",
                ));
            }
            _ => {
                return Err(bad(format!(
                    "unknown parameter {k:?} in the store URL{}",
                    if redis { "" } else { " (jwtctl takes sslmode)" }
                )));
            }
        }
    }
    let tls = if redis {
        scheme.eq_ignore_ascii_case("rediss")
    } else {
        matches!(
            sslmode.as_deref(),
            Some("require" | "verify-ca" | "verify-full")
        )
    };
    let database = if redis {
        let db = if path.is_empty() { "0" } else { path };
        if db.parse::<u16>().is_err() {
            return Err(bad(format!(
                "the Redis database in the URL is a number (redis://HOST/0), not {db:?}"
            )));
        }
        db.to_owned()
    } else if path.is_empty() {
        user.clone().unwrap_or_else(|| "postgres".to_owned())
    } else {
        decode(path)?
    };
    if !redis && sslmode.is_none() {
        sslmode = Some("prefer".to_owned());
    }
    let shown = match userinfo {
        Some(u) if u.contains(':') => {
            let name = u.split_once(':').map_or(u, |(n, _)| n);
            whole.replacen(&format!("{u}@"), &format!("{name}:***@"), 1)
        }
        _ => whole.to_owned(),
    };
    Ok(Server {
        tls,
        sslmode: if redis { None } else { sslmode },
        host,
        port,
        user,
        password,
        database,
        shown,
    })
}

fn host_port(s: &str, default_port: u16) -> Result<(String, u16), BadTarget> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, after) = rest
            .split_once(']')
            .ok_or_else(|| bad("an IPv6 address in a URL is written [ADDR]"))?;
        (h, after.strip_prefix(':'))
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    if host.is_empty() {
        return Err(bad("the store URL names no host"));
    }
    let port = match port {
        None => default_port,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|&p| p != 0)
            .ok_or_else(|| bad(format!("port {p:?} is not a port number (1-65535)")))?,
    };
    Ok((decode(host)?, port))
}

/// Percent-decoding of a URL part.
fn decode(s: &str) -> Result<String, BadTarget> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| bad("a % in the store URL is not followed by two hex digits"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad("the store URL decodes to invalid UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server_of(t: Target) -> Server {
        match t {
            Target::Redis(s) | Target::Postgres(s) => s,
            Target::Sqlite(_) => panic!("not a server"),
        }
    }

    #[test]
    fn sqlite_forms() {
        assert_eq!(Target::parse("sqlite:", true), Ok(Target::Sqlite(None)));
        assert_eq!(
            Target::parse("sqlite:/tmp/x.db", true),
            Ok(Target::Sqlite(Some("/tmp/x.db".into())))
        );
        assert_eq!(
            Target::parse("sqlite://rel/x.db", true),
            Ok(Target::Sqlite(Some("rel/x.db".into())))
        );
    }

    #[test]
    fn redis_forms() {
        let s = server_of(Target::parse("redis://127.0.0.1:7000/3", true).unwrap());
        assert_eq!(
            (s.host.as_str(), s.port, s.database.as_str()),
            ("127.0.0.1", 7000, "3")
        );
        assert!(!s.tls);
        let s = server_of(Target::parse("rediss://cache.example", true).unwrap());
        assert_eq!((s.port, s.database.as_str(), s.tls), (6379, "0", true));
        let s = server_of(Target::parse("redis://[::1]:6380", true).unwrap());
        assert_eq!((s.host.as_str(), s.port), ("::1", 6380));
        assert!(Target::parse("redis://h/x", true).is_err());
        assert!(Target::parse("redis://h:0", true).is_err());
        assert!(Target::parse("redis://h?foo=1", true).is_err());
    }

    #[test]
    fn postgres_forms() {
        let s = server_of(
            Target::parse(
                "postgres://app@db.internal/tokens?sslmode=verify-full",
                true,
            )
            .unwrap(),
        );
        assert_eq!(s.database, "tokens");
        assert_eq!(s.user.as_deref(), Some("app"));
        assert!(s.tls);
        assert_eq!(s.sslmode.as_deref(), Some("verify-full"));
        let s = server_of(Target::parse("postgresql://app@h", true).unwrap());
        assert_eq!((s.database.as_str(), s.port, s.tls), ("app", 5432, false));
        assert_eq!(s.sslmode.as_deref(), Some("prefer"));
        assert!(Target::parse("postgres://h/db?sslmode=allow", true).is_err());
        assert!(Target::parse("postgres://h/db?password=x", false).is_err());
    }

    #[test]
    fn a_password_is_refused_on_argv_and_hidden_everywhere() {
        let e = Target::parse("redis://u:s3cret@h", true).unwrap_err();
        assert!(e.0.contains("ps"), "{e}");
        assert!(!e.0.contains("s3cret"));
        let s = server_of(Target::parse("postgres://u:s%40cret@h/db", false).unwrap());
        assert_eq!(s.password.as_deref(), Some("s@cret"));
        assert_eq!(s.shown, "postgres://u:***@h/db");
        assert!(!format!("{s:?}").contains("cret"));
    }

    #[test]
    fn unknown_schemes_and_shapes() {
        assert!(Target::parse("mysql://h", true).is_err());
        assert!(Target::parse("/tmp/x.db", true).is_err());
        assert!(Target::parse("redis:h", true).is_err());
        assert!(Target::parse("redis://", true).is_err());
        assert!(Target::parse("redis://h:%zz", true).is_err());
    }
}
