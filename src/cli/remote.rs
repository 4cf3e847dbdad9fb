//! clap definitions of the flags that take a key set from an issuer: `--jwks-url` and
//! `--issuer` (verify, convert), `--url` and `--issuer` (jwks), and how to fetch (`--offline`,
//! `--ca`, `--fetch-timeout`). URLs are checked here (DECISIONS §9): a refused one is exit 2.

use crate::net::{self, Url};
use clap::Args;
use std::path::PathBuf;
use std::time::Duration;

/// A key set from an issuer instead of a key file (`verify`, `convert`).
#[derive(Args, Debug)]
#[group(id = "remote", multiple = false)]
pub struct RemoteKeys {
    /// Fetch the key set from this JWKS URL (https; plain http only from loopback), cached in
    /// the home; never a URL from the token
    #[arg(long, value_name = "URL", value_parser = url)]
    pub jwks_url: Option<Url>,
    /// Find the issuer's keys by OpenID Connect discovery (URL/.well-known/openid-configuration,
    /// whose issuer must be URL exactly); verify then also requires the token's iss to be URL
    #[arg(long, value_name = "URL", value_parser = url)]
    pub issuer: Option<Url>,
}

impl RemoteKeys {
    /// Where the key set comes from, when a URL flag was given.
    #[must_use]
    pub fn source(&self) -> Option<net::Source> {
        match (&self.jwks_url, &self.issuer) {
            (Some(url), _) => Some(net::Source::Jwks(url.clone())),
            (None, Some(issuer)) => Some(net::Source::Issuer(issuer.clone())),
            (None, None) => None,
        }
    }
}

/// `jwtctl jwks`'s form of [`RemoteKeys`]: `--url` rather than `--jwks-url`.
#[derive(Args, Debug)]
#[group(id = "remote", multiple = false)]
pub struct RemoteSet {
    /// Print the key set fetched from this JWKS URL (https; plain http only from loopback),
    /// through the cache
    #[arg(long, value_name = "URL", value_parser = url)]
    pub url: Option<Url>,
    /// Print the key set of this issuer, found by OpenID Connect discovery
    #[arg(long, value_name = "URL", value_parser = url)]
    pub issuer: Option<Url>,
}

impl RemoteSet {
    /// Where the key set comes from, when a URL flag was given.
    #[must_use]
    pub fn source(&self) -> Option<net::Source> {
        RemoteKeys {
            jwks_url: self.url.clone(),
            issuer: self.issuer.clone(),
        }
        .source()
    }
}

/// How a key set is fetched; each needs `--jwks-url`, `--url` or `--issuer`.
#[derive(Args, Debug)]
pub struct FetchArgs {
    /// Use only the cached key set, whatever its age; never connect
    #[arg(long, requires = "remote")]
    pub offline: bool,
    /// Trust only the CA certificates in this PEM file for https, instead of the system's
    #[arg(long, value_name = "FILE", requires = "remote")]
    pub ca: Option<PathBuf>,
    /// Time limit for fetching each document, connecting (at most 5s of it) and redirects
    /// included: 1s to 5m [default: 10s]
    #[arg(long, value_name = "DURATION", value_parser = fetch_timeout, requires = "remote")]
    pub fetch_timeout: Option<Duration>,
}

impl FetchArgs {
    /// The library's fetch settings.
    #[must_use]
    pub fn fetch(&self) -> net::Fetch {
        net::Fetch {
            timeout: self.fetch_timeout.unwrap_or(net::DEFAULT_TIMEOUT),
            ca: self.ca.clone(),
            offline: self.offline,
        }
    }
}

/// A URL jwtctl may fetch ([`Url::parse`]: https, or http from loopback; no credentials).
fn url(s: &str) -> Result<Url, String> {
    Url::parse(s)
}

/// `--fetch-timeout`: a duration from 1s to 5m.
fn fetch_timeout(s: &str) -> Result<Duration, String> {
    let secs = crate::time::parse_duration(s)?;
    if !(1..=300).contains(&secs) {
        return Err("the fetch timeout must be 1s to 5m".into());
    }
    Ok(Duration::from_secs(secs))
}
