//! Clap definition of `jwtctl serve` (the local auth server, DECISIONS §10). Clap only, no I/O;
//! the conventions of `cli.rs` hold: every value is checked here (exit 2 at parse time).

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Run a strict local OAuth 2.0 / OpenID Connect auth server on the keyring and refresh store
///
/// Serves discovery (/.well-known/openid-configuration, /.well-known/oauth-authorization-server),
/// the live keyring as /.well-known/jwks.json, POST /token (refresh_token with rotation and
/// reuse detection, authorization_code with PKCE S256, client_credentials, password when a
/// client enables it), GET /authorize with a login form, POST /revoke, POST /introspect,
/// GET /userinfo, and the JSON aliases POST /login and POST /refresh. Tokens are the ones
/// `jwtctl login` and `refresh` mint, from the same keyring and store: each side accepts the
/// other's.
///
/// The first line on stdout is the base URL (flushed), then a readiness line on stderr, then one
/// line per request on stderr (method, path, status, time, client id; never a token, secret,
/// password or code). Binds 127.0.0.1 on a free port unless --listen says otherwise. Without
/// --config, one public client "jwtctl" (redirect URIs on loopback) is registered and any
/// subject may log in on the form. SIGTERM or Ctrl-C finishes the requests in flight and exits 0.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl serve
  jwtctl serve --listen 127.0.0.1:8080 --issuer http://localhost:8080 --config serve.toml
  { read -r URL; curl -s \"$URL/.well-known/openid-configuration\"; } < <(jwtctl serve)
  jwtctl serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem --json-log")]
pub struct ServeArgs {
    /// Address and port to listen on; port 0 picks a free one
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// Issuer URL: iss of every token and of the discovery documents [default: the base URL]
    #[arg(long, value_name = "URL", value_parser = issuer)]
    pub issuer: Option<String>,
    /// Clients, users, lifetimes and rate limits (TOML; see the README)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log one JSON object per request instead of a text line
    #[arg(long)]
    pub json_log: bool,
    /// Send the refresh token as an HttpOnly; Secure; SameSite=Strict; Path=/token cookie
    /// instead of in the JSON body, and read it back from there on /token
    #[arg(long)]
    pub refresh_cookie: bool,
    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM)
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

/// `--issuer`: an absolute http(s) URL without query or fragment (RFC 8414 §2), trailing `/`
/// removed so endpoint URLs join cleanly.
fn issuer(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or("must start with https:// or http://")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("has no host".into());
    }
    if s.contains(['?', '#']) || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain a query, a fragment or white space".into());
    }
    if s.len() > super::session::MAX_TEXT {
        return Err(format!("is {} bytes; at most 1024 are accepted", s.len()));
    }
    Ok(s.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn issuer_urls_are_checked() {
        assert_eq!(
            super::issuer("http://localhost:8080/").as_deref(),
            Ok("http://localhost:8080")
        );
        assert!(super::issuer("https://a.example/realms/x").is_ok());
        for bad in [
            "localhost",
            "ftp://x",
            "http://",
            "http://a?x=1",
            "http://a#f",
        ] {
            assert!(super::issuer(bad).is_err(), "{bad}");
        }
    }
}
