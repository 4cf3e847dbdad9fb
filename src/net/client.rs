//! The HTTP client: ureq over rustls on the aws-lc-rs provider (the crypto jwtctl already links,
//! DECISIONS §7), built only when a command fetches. One GET at a time, bounded every way
//! (DECISIONS §9): a connect timeout and a total one covering redirects and the body; at most
//! [`MAX_DOCUMENT_BYTES`] read; at most [`MAX_REDIRECTS`] redirects, each checked by
//! [`Url::redirect`] (same host, never down to http). No proxy and no cookies: jwtctl connects
//! only to the host it was given. TLS is verified against the system's CAs (read from the OS
//! store by rustls-native-certs: the CAs the machine's administrator trusts, updated with the
//! OS, nothing compiled in) or, with `--ca FILE`, against that file's CAs alone.

use super::{Fetch, NetError, Url};
use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The largest document read; a key set or discovery document is a few KiB.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 3;

/// What a GET gave.
pub enum Fetched {
    /// 304: the cached document (whose ETag was sent) is still current.
    NotModified { max_age: Option<u64> },
    /// 200 with the whole body.
    Document {
        bytes: Vec<u8>,
        etag: Option<String>,
        max_age: Option<u64>,
    },
}

/// An HTTP agent with jwtctl's TLS and limits.
pub struct Client {
    agent: ureq::Agent,
    timeout: Duration,
}

impl Client {
    /// Builds the agent: the aws-lc-rs provider, the system's CAs or `--ca`'s, the timeouts.
    pub fn new(fetch: &Fetch) -> anyhow::Result<Client> {
        use ureq::tls::{RootCerts, TlsConfig, TlsProvider};
        let roots = match &fetch.ca {
            Some(path) => ca_file(path)?,
            None => system_roots()?,
        };
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .unversioned_rustls_crypto_provider(Arc::new(
                rustls::crypto::aws_lc_rs::default_provider(),
            ))
            .root_certs(RootCerts::Specific(Arc::new(roots)))
            .build();
        let agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .proxy(None)
            .https_only(false)
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("jwtctl/", env!("CARGO_PKG_VERSION")))
            .accept("application/jwk-set+json, application/json")
            .accept_encoding("identity")
            .max_response_header_size(64 * 1024)
            .timeout_connect(Some(fetch.connect_timeout()))
            .timeout_global(Some(fetch.timeout))
            .build()
            .new_agent();
        Ok(Client {
            agent,
            timeout: fetch.timeout,
        })
    }

    /// GETs `url` (sending `etag` as If-None-Match), following allowed redirects, within the
    /// total timeout. An answer that is not 200 or 304, or any failure to get one, is
    /// [`NetError::Fetch`] naming the host; a body over the cap is [`NetError::Document`].
    pub fn get(&self, url: &Url, etag: Option<&str>) -> Result<Fetched, NetError> {
        let deadline = Instant::now() + self.timeout;
        let mut at = url.clone();
        for hop in 0..=MAX_REDIRECTS {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(timed_out(&at, self.timeout));
            }
            let mut request = self
                .agent
                .get(at.canonical())
                .config()
                .timeout_global(Some(left))
                .build();
            if let Some(tag) = etag {
                request = request.header("If-None-Match", tag);
            }
            let mut response = request
                .call()
                .map_err(|e| transport(&at, &e, self.timeout))?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            let max_age = header("cache-control").and_then(|c| max_age(&c));
            match status {
                200 => {
                    let etag = header("etag");
                    if let Some(len) =
                        header("content-length").and_then(|l| l.trim().parse::<u64>().ok())
                        && len > MAX_DOCUMENT_BYTES
                    {
                        return Err(too_large(&at));
                    }
                    let mut bytes = Vec::new();
                    response
                        .body_mut()
                        .as_reader()
                        .take(MAX_DOCUMENT_BYTES + 1)
                        .read_to_end(&mut bytes)
                        .map_err(|e| body_error(&at, &e, self.timeout))?;
                    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
                        return Err(too_large(&at));
                    }
                    return Ok(Fetched::Document {
                        bytes,
                        etag,
                        max_age,
                    });
                }
                304 if etag.is_some() => return Ok(Fetched::NotModified { max_age }),
                301 | 302 | 303 | 307 | 308 => {
                    let location = header("location").ok_or_else(|| {
                        failed(
                            format!("{} answered {status} without a Location", at.host()),
                            "the server is misconfigured; ask its operator",
                        )
                    })?;
                    if hop == MAX_REDIRECTS {
                        return Err(failed(
                            format!("more than {MAX_REDIRECTS} redirects from {}", url.host()),
                            "pass the final URL (curl -sIL URL shows the chain)",
                        ));
                    }
                    at = at.redirect(&location).map_err(|why| {
                        failed(
                            format!("{} redirected {why}; refused", at.host()),
                            "pass the URL the keys are really served from",
                        )
                    })?;
                }
                _ => {
                    let reason = response
                        .status()
                        .canonical_reason()
                        .map(|r| format!(" {r}"))
                        .unwrap_or_default();
                    return Err(failed(
                        format!("{} answered {status}{reason} for {}", at.host(), at),
                        if status >= 500 {
                            "the issuer has a problem; retry later (a cached set is used while \
                             it is fresh; --offline uses it anyway)"
                        } else {
                            "check the URL"
                        },
                    ));
                }
            }
        }
        Err(failed(
            format!("too many redirects from {}", url.host()),
            "pass the final URL",
        ))
    }
}

/// The system's CAs (the OS store: on Debian /etc/ssl/certs; SSL_CERT_FILE and SSL_CERT_DIR
/// are honoured). None at all is an error naming `--ca`.
fn system_roots() -> anyhow::Result<Vec<ureq::tls::Certificate<'static>>> {
    let found = rustls_native_certs::load_native_certs();
    if found.certs.is_empty() {
        let why = found
            .errors
            .first()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default();
        return Err(NetError::Fetch {
            message: format!("no trusted CA certificates found on this system{why}"),
            hint: "install the system's CA certificates (Debian: apt-get install \
                   ca-certificates), or pass --ca FILE"
                .into(),
        }
        .into());
    }
    Ok(found
        .certs
        .iter()
        .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
        .collect())
}

/// The CA certificates of a PEM file (`--ca`): at least one, else a configuration error.
fn ca_file(path: &std::path::Path) -> anyhow::Result<Vec<ureq::tls::Certificate<'static>>> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let bytes = crate::files::read_limited(path, 1024 * 1024, "CA file")?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&bytes)
        .filter_map(Result::ok)
        .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
        .collect();
    if certs.is_empty() {
        return Err(NetError::Config {
            message: format!(
                "--ca {}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it",
                path.display()
            ),
            hint: None,
        }
        .into());
    }
    Ok(certs)
}

/// `max-age` of a Cache-Control header, in seconds; `no-cache` and `no-store` are 0 (the
/// cache's lower bound then applies).
fn max_age(cache_control: &str) -> Option<u64> {
    let mut found = None;
    for directive in cache_control.split(',') {
        let d = directive.trim().to_ascii_lowercase();
        if d == "no-cache" || d == "no-store" {
            return Some(0);
        }
        if let Some(v) = d.strip_prefix("max-age=") {
            found = v.trim_matches('"').parse::<u64>().ok();
        }
    }
    found
}

fn failed(message: String, hint: &str) -> NetError {
    NetError::Fetch {
        message,
        hint: hint.to_owned(),
    }
}

fn too_large(at: &Url) -> NetError {
    NetError::Document {
        message: format!(
            "{} sent more than {} KiB for {at}: not a key set or discovery document",
            at.host(),
            MAX_DOCUMENT_BYTES / 1024
        ),
        hint: Some("check the URL: it should serve a JWKS ({\"keys\": [...]})".into()),
    }
}

fn timed_out(at: &Url, total: Duration) -> NetError {
    failed(
        format!(
            "{} did not answer within {}s (fetching {at})",
            at.host(),
            total.as_secs_f64()
        ),
        "check the network and the URL, or allow longer with --fetch-timeout 30s",
    )
}

/// A failure to get an answer: DNS, connect, TLS, timeout, protocol.
fn transport(at: &Url, e: &ureq::Error, total: Duration) -> NetError {
    use ureq::Error as E;
    let host = at.host();
    let (what, hint): (String, &str) = match e {
        E::Timeout(ureq::Timeout::Connect) => (
            format!("could not connect to {host} within the connect timeout"),
            "check the network and the URL, or allow longer with --fetch-timeout 30s",
        ),
        E::Timeout(_) => return timed_out(at, total),
        E::HostNotFound => (
            format!("{host}: host not found"),
            "check the URL's host name and the network (DNS)",
        ),
        E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => (
            format!("{host} refused the connection"),
            "check the URL's host and port; is the issuer running?",
        ),
        E::Rustls(tls) => (
            format!("TLS with {host} failed: {tls}"),
            "jwtctl verifies the certificate against the system's CAs; for a private CA pass \
             --ca FILE",
        ),
        E::Tls(msg) => (
            format!("TLS with {host} failed: {msg}"),
            "jwtctl verifies the certificate against the system's CAs; for a private CA pass \
             --ca FILE",
        ),
        E::Io(io) if io.get_ref().is_some_and(|e| e.is::<rustls::Error>()) => (
            format!("TLS with {host} failed: {io}"),
            "jwtctl verifies the certificate against the system's CAs; for a private CA pass \
             --ca FILE",
        ),
        E::Io(io) => (
            format!("could not reach {host}: {io}"),
            "check the network and the URL",
        ),
        other => (
            format!("could not fetch {at} from {host}: {other}"),
            "check the network and the URL",
        ),
    };
    failed(what, hint)
}

/// A failure while reading the body (ureq reports a timeout inside an I/O error).
fn body_error(at: &Url, e: &std::io::Error, total: Duration) -> NetError {
    let inner = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<ureq::Error>())
        .map(|u| transport(at, u, total));
    inner.unwrap_or_else(|| {
        if e.kind() == std::io::ErrorKind::TimedOut {
            timed_out(at, total)
        } else {
            failed(
                format!("reading the answer from {} failed: {e}", at.host()),
                "retry; check the network",
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_is_read_from_cache_control() {
        assert_eq!(max_age("public, max-age=300"), Some(300));
        assert_eq!(max_age("max-age=\"60\", must-revalidate"), Some(60));
        assert_eq!(max_age("no-cache"), Some(0));
        assert_eq!(max_age("public, no-store, max-age=300"), Some(0));
        assert_eq!(max_age("public"), None);
        assert_eq!(max_age("max-age=soon"), None);
    }
}
