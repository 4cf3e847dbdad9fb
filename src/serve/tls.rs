//! `serve --tls-cert/--tls-key`: HTTPS with rustls on the aws-lc-rs provider (DECISIONS §7: one
//! crypto stack). The files are read once at start-up; a bad one is exit 11 before binding.

use crate::files;
use crate::keys::key_err_hint;
use anyhow::Result;
use std::path::Path;
use std::sync::Arc;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// Accepts TLS connections with the configured certificate.
pub type Acceptor = tokio_rustls::TlsAcceptor;

/// Largest certificate chain or key file read.
const MAX_BYTES: u64 = 1 << 20;

/// The acceptor for the certificate chain at `cert` and its key at `key` (PEM).
pub fn acceptor(cert: &Path, key: &Path) -> Result<Acceptor> {
    let bad = |what: &Path, e: &dyn std::fmt::Display| {
        key_err_hint(
            format!("{}: {e}", what.display()),
            "give a PEM certificate chain with --tls-cert and its PEM private key with --tls-key",
        )
    };
    let cert_pem = files::read_limited(cert, MAX_BYTES, "TLS certificate")?;
    let key_pem = files::read_limited(key, MAX_BYTES, "TLS key")?;
    let certs = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(cert, &e))?;
    if certs.is_empty() {
        return Err(bad(cert, &"no certificate in the file"));
    }
    let key_der = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| bad(key, &e))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(cert, &e))?
        .with_no_client_auth()
        .with_single_cert(certs, key_der)
        .map_err(|e| bad(key, &e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}
