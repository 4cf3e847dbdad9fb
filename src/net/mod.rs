//! Keys from an issuer: a JWKS fetched from `--jwks-url`, or found through OpenID Connect
//! discovery from `--issuer`, and cached in the home (DECISIONS §9).
//!
//! `url` checks what may be fetched; `client` fetches (ureq over rustls on aws-lc-rs, built
//! only when a fetch happens, so commands that fetch nothing pay nothing); `document` checks
//! what came; `jwks_cache` keeps the documents in `HOME/jwks-cache/` and decides when to
//! fetch. This part never prints and never chooses an exit status: its failures are
//! [`NetError`]s that the edge's `classify` maps (could not fetch: 10; fetched something
//! invalid: 11). Times are jwtctl's clock (`--now`, DECISIONS §5), passed in.

pub mod client;
mod document;
pub mod jwks_cache;
pub mod url;

pub use jwks_cache::{KeySetDoc, Refetch, Remote};
pub use url::Url;

use std::path::PathBuf;
use std::time::Duration;

/// The total time a fetch may take when `--fetch-timeout` is not given.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The connect timeout: this, or the total timeout when that is shorter.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Where a key set comes from.
#[derive(Clone, Debug)]
pub enum Source {
    /// A JWKS URL.
    Jwks(Url),
    /// An issuer: its discovery document names the JWKS URL; tokens must carry it as `iss`.
    Issuer(Url),
}

/// How to fetch.
#[derive(Clone, Debug)]
pub struct Fetch {
    /// Total time for one document, redirects and body included.
    pub timeout: Duration,
    /// Trust only these CAs (a PEM file) instead of the system's.
    pub ca: Option<PathBuf>,
    /// Never connect: only what the cache holds.
    pub offline: bool,
}

impl Fetch {
    /// The connect timeout: [`CONNECT_TIMEOUT`] or the total, whichever is shorter.
    #[must_use]
    pub fn connect_timeout(&self) -> Duration {
        self.timeout.min(CONNECT_TIMEOUT)
    }
}

/// Why a key set could not be had.
#[derive(Debug)]
pub enum NetError {
    /// No document: the host could not be reached, timed out, failed TLS, answered an error
    /// status or a refused redirect; or `--offline` and nothing cached. `message` names the
    /// host. Exit 10.
    Fetch { message: String, hint: String },
    /// A document came, and it is not a valid key set or discovery document (too large, not
    /// JSON, no usable key, the wrong issuer). Exit 11.
    Document {
        message: String,
        hint: Option<String>,
    },
    /// A fetch setting that cannot work (a `--ca` file without a certificate). Exit 11.
    Config {
        message: String,
        hint: Option<String>,
    },
}

impl NetError {
    /// The hint line, if any.
    #[must_use]
    pub fn hint(&self) -> Option<&str> {
        match self {
            NetError::Fetch { hint, .. } => Some(hint),
            NetError::Document { hint, .. } | NetError::Config { hint, .. } => hint.as_deref(),
        }
    }
}

impl std::fmt::Display for NetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NetError::Fetch { message, .. }
            | NetError::Document { message, .. }
            | NetError::Config { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for NetError {}
