//! Reaching a PostgreSQL server: the connection settings from the URL and [`Options`], TLS
//! (rustls on the aws-lc-rs provider, always verified), the password (`server.password`, else
//! the libpq password file), the runtime that drives the connection, the bound on every round
//! trip, and how a failure becomes a [`StoreError`].
//!
//! `sslmode`, as jwtctl reads it (TLS is never accepted unverified, DECISIONS §9):
//! - `disable`: plain TCP.
//! - `prefer` (the default): TLS when the server offers it, verified like `verify-full`; plain
//!   when the server says it has no TLS. A verification failure is an error, never a fallback to
//!   plain. (Like libpq's `prefer`, it cannot stop an active attacker from answering "no TLS":
//!   use `require` across networks you do not trust.)
//! - `require` and `verify-full`: TLS or nothing; the certificate chain must lead to a trusted
//!   root and name the host of the URL.
//! - `verify-ca`: TLS or nothing; the chain must lead to a trusted root, the host name is not
//!   compared (libpq's meaning).
//!
//! Trusted roots: the system's CA certificates plus `--store-ca FILE` (PEM).
//!
//! Bounds: connecting (TCP, TLS, authentication) and every round trip after it are each bounded
//! by `options.timeout` on the client (a server that stops answering is an error, never a hang),
//! and each transaction tells the server four fifths of it as `statement_timeout` and
//! `lock_timeout` (`SET LOCAL`, sent with `BEGIN`: poolers such as PgBouncer refuse startup
//! options), so a row lock held by another session fails the waiting statement (and says so)
//! before the client gives up. `idle_in_transaction_session_timeout` (4 × the bound, at least a
//! minute) frees the rows of a client that stopped mid-transaction without closing its
//! connection. Statements are unnamed (no prepared statement outlives a transaction), which
//! transaction-mode pooling also needs.

use crate::files;
use crate::session::store::StoreError;
use crate::session::store::target::{Options, Server};
use anyhow::Result;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::runtime::Runtime;
use tokio_postgres::config::SslMode;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, NoTls};

/// The longest bound PostgreSQL's `statement_timeout` can express (`int` milliseconds).
const MAX_BOUND: Duration = Duration::from_millis(i32::MAX as u64);
/// The largest password file read.
const PGPASS_LIMIT: u64 = 1 << 20;
/// The largest CA file read.
const CA_LIMIT: u64 = 4 << 20;

/// A live connection: the runtime that drives it, the client, and how it is named and bounded.
pub(super) struct Conn {
    rt: Rt,
    pub client: Client,
    pub shown: String,
    pub addr: String,
    pub bound: Duration,
    /// Starts a transaction with the server-side bounds.
    pub begin: String,
    /// Set when a round trip ran out of time: what the server did with it is unknown, so
    /// nothing more is sent (closing the connection makes the server roll back).
    pub broken: std::cell::Cell<bool>,
    /// Set by [`Conn::error`] on a serialization failure or deadlock.
    retryable: std::cell::Cell<bool>,
}

/// The runtime, shut down without waiting when dropped: a DNS lookup still running on its
/// blocking thread (one that outlived the bound) must not hold the process at exit.
struct Rt(Option<Runtime>);

impl Rt {
    /// `block_on`, or `None` once shut down (never, while a [`Conn`] holds it). Called from
    /// inside another tokio runtime (`jwtctl serve`'s, a multi-threaded one), it first tells
    /// that runtime this thread blocks (`block_in_place`), where a bare `block_on` would panic.
    fn block_on<F: Future>(&self, fut: F) -> Option<F::Output> {
        let rt = self.0.as_ref()?;
        match tokio::runtime::Handle::try_current() {
            Ok(outer) if outer.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                Some(tokio::task::block_in_place(|| rt.block_on(fut)))
            }
            _ => Some(rt.block_on(fut)),
        }
    }
}

impl Drop for Rt {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// The bound `options.timeout` gives: at least a millisecond (PostgreSQL reads 0 as "none"),
/// at most what `statement_timeout` can hold.
pub(super) fn bound(timeout: Duration) -> Duration {
    timeout.clamp(Duration::from_millis(1), MAX_BOUND)
}

impl Conn {
    /// Runs `fut` to completion on the connection's runtime, failing when it takes longer than
    /// the bound. After such a failure the connection's state is unknown: the caller gives it up.
    pub fn run<T>(
        &self,
        what: &'static str,
        fut: impl Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T> {
        match self
            .rt
            .block_on(async { tokio::time::timeout(self.bound, fut).await })
        {
            Some(Ok(Ok(v))) => Ok(v),
            Some(Ok(Err(e))) => Err(self.error(what, &e)),
            Some(Err(_)) | None => Err(self.timed_out(what)),
        }
    }

    /// [`Conn::run`] for a future that does several things and maps its own errors.
    pub fn run_mapped<T>(
        &self,
        what: &'static str,
        fut: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        match self
            .rt
            .block_on(async { tokio::time::timeout(self.bound, fut).await })
        {
            Some(Ok(r)) => r,
            Some(Err(_)) | None => Err(self.timed_out(what)),
        }
    }

    fn timed_out(&self, what: &str) -> anyhow::Error {
        self.broken.set(true);
        StoreError::Unreachable {
            store: self.shown.clone(),
            detail: format!(
                "no answer within {} while {what}",
                humantime::format_duration(self.bound)
            ),
            hint: Some(format!(
                "is PostgreSQL at {} overloaded or stopped? --store-timeout raises the bound",
                self.addr
            )),
        }
        .into()
    }

    /// A client error during `what` as a [`StoreError`].
    /// Notes a serialization failure or deadlock ([`Conn::take_retryable`]).
    pub fn error(&self, what: &str, e: &tokio_postgres::Error) -> anyhow::Error {
        if e.code().is_some_and(|c| {
            *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
        }) {
            self.retryable.set(true);
        }
        error(&self.shown, &self.addr, self.bound, what, e)
    }

    /// Whether the transaction failed on a serialization failure or a deadlock since the last
    /// call (PostgreSQL breaks those by failing one side, which may simply run again).
    pub fn take_retryable(&self) -> bool {
        self.retryable.replace(false)
    }
}

/// Connects to `server`: TLS as `sslmode` says, the password from the server settings or the
/// password file, every step bounded by `options.timeout`.
pub(super) fn connect(server: &Server, options: &Options) -> Result<Conn> {
    let shown = server.shown.clone();
    let addr = if server.host.contains(':') {
        format!("[{}]:{}", server.host, server.port)
    } else {
        format!("{}:{}", server.host, server.port)
    };
    let bound = bound(options.timeout);
    let io = |detail: String| -> anyhow::Error {
        StoreError::Io {
            store: shown.clone(),
            detail,
        }
        .into()
    };
    let rt = Rt(Some(
        tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| io(format!("starting the client runtime: {e}")))?,
    ));
    let user = server.user.clone().unwrap_or_else(default_user);
    let socket = server.host.starts_with('/');
    let password = match &server.password {
        Some(p) => Some(p.clone()),
        None => pgpass(
            if socket { "localhost" } else { &server.host },
            server.port,
            &server.database,
            &user,
        )?,
    };
    // The server's own bounds end a little before the client's, so a statement stuck behind
    // another session's lock is reported as such rather than as a silent server.
    let ms = (bound.as_millis() * 4 / 5).max(1);
    // Set per transaction (SET LOCAL, sent with BEGIN in one message: no extra round trip)
    // rather than as startup options, which connection poolers such as PgBouncer refuse.
    let begin = format!(
        "BEGIN; SET LOCAL statement_timeout = {ms}; SET LOCAL lock_timeout = {ms}; \
         SET LOCAL idle_in_transaction_session_timeout = {}",
        ms.saturating_mul(4).clamp(60_000, i32::MAX as u128)
    );
    let mut config = Config::new();
    if socket {
        config.host_path(&server.host);
    } else {
        config.host(&server.host);
    }
    config
        .port(server.port)
        .user(&user)
        .dbname(&server.database)
        .application_name("jwtctl")
        .connect_timeout(bound)
        .tcp_user_timeout(bound)
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(30));
    if let Some(p) = &password {
        config.password(p.as_bytes());
    }
    let mode = server.sslmode.as_deref().unwrap_or("prefer");
    let ssl = match mode {
        "disable" => SslMode::Disable,
        _ if socket && mode == "prefer" => SslMode::Disable,
        "prefer" => SslMode::Prefer,
        _ => SslMode::Require,
    };
    config.ssl_mode(ssl);
    let what = "connecting";
    let connected = if ssl == SslMode::Disable {
        rt.block_on(async {
            tokio::time::timeout(bound, async {
                let (client, conn) = config.connect(NoTls).await?;
                tokio::spawn(async move {
                    let _ = conn.await;
                });
                Ok::<_, tokio_postgres::Error>(client)
            })
            .await
        })
    } else {
        let tls = tls_config(&shown, mode == "verify-ca", options.ca.as_deref())?;
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls);
        rt.block_on(async {
            tokio::time::timeout(bound, async {
                let (client, conn) = config.connect(tls).await?;
                tokio::spawn(async move {
                    let _ = conn.await;
                });
                Ok::<_, tokio_postgres::Error>(client)
            })
            .await
        })
    };
    let client = match connected {
        Some(Ok(Ok(c))) => c,
        Some(Ok(Err(e))) => {
            let mut err = error(&shown, &addr, bound, what, &e);
            if password.is_none() && is_auth(&e) {
                err = StoreError::Unreachable {
                    store: shown.clone(),
                    detail: format!("{what}: {}", pg_message(&e)),
                    hint: Some(
                        "the server wants a password: put it in JWTCTL_STORE, a file named by \
                         --store-password-file, or ~/.pgpass"
                            .into(),
                    ),
                }
                .into();
            }
            return Err(err);
        }
        Some(Err(_)) | None => {
            return Err(StoreError::Unreachable {
                store: shown,
                detail: format!(
                    "no answer within {} while {what}",
                    humantime::format_duration(bound)
                ),
                hint: Some(format!(
                    "is PostgreSQL running at {addr}? --store-timeout raises the bound"
                )),
            }
            .into());
        }
    };
    Ok(Conn {
        rt,
        client,
        shown,
        addr,
        bound,
        begin,
        broken: std::cell::Cell::new(false),
        retryable: std::cell::Cell::new(false),
    })
}

/// The user when the URL names none: the login name, as libpq does.
fn default_user() -> String {
    ["PGUSER", "USER", "LOGNAME"]
        .into_iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "postgres".to_owned())
}

fn is_auth(e: &tokio_postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        *c == SqlState::INVALID_PASSWORD || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
    }) || pg_message(e).contains("password missing")
}

/// The server's own message when there is one, else the client's.
fn pg_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                text = format!("{text}: {s}");
                source = s.source();
            }
            text
        }
    }
}

/// Whether a TLS failure is somewhere in `e`'s causes: rustls's own error, which tokio-rustls
/// wraps in an I/O error.
fn tls_failure(e: &tokio_postgres::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<rustls::Error>() {
            return Some(r.to_string());
        }
        if let Some(inner) = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|i| i.downcast_ref::<rustls::Error>())
        {
            return Some(inner.to_string());
        }
        source = s.source();
    }
    None
}

/// One client error as a [`StoreError`]: unreachable, refused, timed out, TLS, a lock not
/// granted in time, or any other failure.
pub(super) fn error(
    shown: &str,
    addr: &str,
    bound: Duration,
    what: &str,
    e: &tokio_postgres::Error,
) -> anyhow::Error {
    let store = shown.to_owned();
    let unreachable = |detail: String, hint: Option<String>| -> anyhow::Error {
        StoreError::Unreachable {
            store: store.clone(),
            detail,
            hint,
        }
        .into()
    };
    let limit = humantime::format_duration(bound);
    if let Some(code) = e.code() {
        let message = pg_message(e);
        if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED
        {
            return StoreError::Io {
                store,
                detail: format!("{what}: {message}"),
            }
            .into();
        }
        if *code == SqlState::LOCK_NOT_AVAILABLE || *code == SqlState::QUERY_CANCELED {
            return unreachable(
                format!("{what}: not done within {limit} ({message})"),
                Some(
                    "another session holds the rows this needs, or the server is overloaded; \
                     retry, or raise --store-timeout"
                        .into(),
                ),
            );
        }
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            return unreachable(
                format!("{what}: {message}"),
                Some(
                    "check the password (JWTCTL_STORE, --store-password-file or ~/.pgpass) and \
                     the server's pg_hba.conf"
                        .into(),
                ),
            );
        }
        if *code == SqlState::INVALID_CATALOG_NAME {
            return unreachable(
                format!("{what}: {message}"),
                Some("create the database (createdb), or name another in the URL".into()),
            );
        }
        if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            return StoreError::Io {
                store,
                detail: format!(
                    "{what}: {message} (jwtctl's role needs to create and write its jwtctl_* \
                     tables)"
                ),
            }
            .into();
        }
        if code.code().starts_with("57") || code.code().starts_with("08") {
            return unreachable(format!("{what}: {message}"), None);
        }
        return StoreError::Io {
            store,
            detail: format!("{what}: {message}"),
        }
        .into();
    }
    if let Some(tls) = tls_failure(e) {
        return unreachable(
            format!("{what}: TLS: {tls}"),
            Some(
                "add the CA that signed the server's certificate with --store-ca FILE (or, on a \
                 trusted network only, sslmode=disable)"
                    .into(),
            ),
        );
    }
    let message = pg_message(e);
    if e.is_closed() || message.contains("closed") {
        let hint = if what == "committing" {
            "the server may have committed before the connection went: `jwtctl sessions \
             --events` shows it; a refresh may be retried with --grace"
                .to_owned()
        } else {
            format!("is PostgreSQL at {addr} restarting? Retry when it is back")
        };
        return unreachable(
            format!("{what}: the connection to the server was lost ({message})"),
            Some(hint),
        );
    }
    let hint = if what == "connecting" {
        Some(format!("is PostgreSQL running at {addr}?"))
    } else {
        None
    };
    unreachable(format!("{what}: {message}"), hint)
}

/// The TLS settings: the aws-lc-rs provider, the system roots plus `ca`; with `chain_only`
/// (`verify-ca`) the host name is not compared, the chain still is.
fn tls_config(shown: &str, chain_only: bool, ca: Option<&Path>) -> Result<rustls::ClientConfig> {
    let io = |detail: String| -> anyhow::Error {
        StoreError::Io {
            store: shown.to_owned(),
            detail,
        }
        .into()
    };
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    let _ = roots.add_parsable_certificates(native.certs);
    if let Some(ca) = ca {
        let pem = files::read_limited(ca, CA_LIMIT, "CA file")?;
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|e| ca_error(ca, &e.to_string()))?;
            roots.add(cert).map_err(|e| ca_error(ca, &e.to_string()))?;
            added += 1;
        }
        if added == 0 {
            return Err(ca_error(ca, "it holds no PEM certificate"));
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| io(format!("TLS settings: {e}")))?;
    let config = if chain_only {
        let inner =
            rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| io(format!("TLS settings: {e}")))?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(ChainOnly(inner)))
            .with_no_client_auth()
    } else {
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    Ok(config)
}

fn ca_error(ca: &Path, why: &str) -> anyhow::Error {
    crate::files::FileError::NotAFile(format!("reading CA file {}: {why}", ca.display())).into()
}

/// `sslmode=verify-ca`: the full WebPKI verification, except that a certificate valid for
/// another name is accepted (the chain, dates and signatures were checked before the name).
#[derive(Debug)]
struct ChainOnly(Arc<rustls::client::WebPkiServerVerifier>);

impl rustls::client::danger::ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        use rustls::CertificateError as C;
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                C::NotValidForName | C::NotValidForNameContext { .. },
            )) => Ok(rustls::client::danger::ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// The password file: `PGPASSFILE`, else `~/.pgpass`.
fn pgpass_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGPASSFILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".pgpass"))
}

/// The password the libpq password file holds for this connection, if any. A missing file is
/// no password; a file that group or others may read is refused (libpq ignores it with a
/// warning; jwtctl refuses it, as it refuses a readable keyring).
fn pgpass(host: &str, port: u16, database: &str, user: &str) -> Result<Option<String>> {
    let Some(path) = pgpass_path() else {
        return Ok(None);
    };
    match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let bytes = files::read_private(&path, PGPASS_LIMIT, "password file")?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(pgpass_lookup(
        &text,
        host,
        &port.to_string(),
        database,
        user,
    ))
}

/// The first line of a password file that matches: `host:port:database:user:password`, `*`
/// matching anything in the first four fields, `\` escaping `:` and `\`; `#` starts a comment
/// line.
fn pgpass_lookup(text: &str, host: &str, port: &str, database: &str, user: &str) -> Option<String> {
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = Vec::with_capacity(5);
        let mut field = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        field.push(n);
                    }
                }
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut field)),
                ':' => break,
                c => field.push(c),
            }
        }
        if fields.len() < 4 {
            continue;
        }
        let wanted = [host, port, database, user];
        if fields.iter().zip(wanted).all(|(f, w)| f == "*" || f == w) {
            return Some(field);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_lines_match_like_libpq() {
        let text = "# comment\n\
                    db.example:5432:app:alice:first\n\
                    *:5433:*:bob:p\\:w\\\\d\n\
                    127.0.0.1:*:tokens:*:any:trailing\n\
                    short:line\n";
        assert_eq!(
            pgpass_lookup(text, "db.example", "5432", "app", "alice").as_deref(),
            Some("first")
        );
        assert_eq!(
            pgpass_lookup(text, "db.example", "5432", "app", "carol"),
            None
        );
        assert_eq!(
            pgpass_lookup(text, "anywhere", "5433", "x", "bob").as_deref(),
            Some("p:w\\d")
        );
        assert_eq!(
            pgpass_lookup(text, "127.0.0.1", "1", "tokens", "u").as_deref(),
            Some("any")
        );
        assert_eq!(pgpass_lookup(text, "short", "line", "", ""), None);
        // `\:` in a matched field is a colon, not a separator.
        assert_eq!(
            pgpass_lookup("a\\:b:1:d:u:pw", "a:b", "1", "d", "u").as_deref(),
            Some("pw")
        );
    }

    #[test]
    fn the_bound_is_never_zero_and_fits_statement_timeout() {
        assert_eq!(bound(Duration::ZERO), Duration::from_millis(1));
        assert_eq!(bound(Duration::MAX), MAX_BOUND);
        assert_eq!(bound(Duration::from_secs(5)), Duration::from_secs(5));
    }
}
