//! The URLs jwtctl may fetch (DECISIONS §9): https, or plain http to a loopback address for
//! local testing; no user or password inside (it would show in `ps` and shell history), no
//! fragment. Checked when the command line is parsed, so a refused URL is a usage error (exit 2)
//! before anything is read or fetched. Redirect targets are checked by the same rules, plus
//! [`Url::redirect`]'s: the same host, never from https down to http.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// A URL that passed the rules above.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// Exactly as given: what `--issuer` compares with the discovery document and the token.
    raw: String,
    https: bool,
    /// Lower case; an IPv6 address without its brackets.
    host: String,
    port: Option<u16>,
    /// The path and query, starting with `/`.
    path: String,
}

impl Url {
    /// Parses and checks `s`; the error says what is wrong, for clap to print (exit 2).
    pub fn parse(s: &str) -> Result<Url, String> {
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("a URL cannot hold spaces or control characters".into());
        }
        let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
        let (https, rest) = if lower.starts_with("https://") {
            (true, &s[8..])
        } else if lower.starts_with("http://") {
            (false, &s[7..])
        } else {
            return Err(
                "not an https:// URL: jwtctl fetches keys over https (plain http only from a \
                 loopback address such as 127.0.0.1 or localhost)"
                    .into(),
            );
        };
        if s.contains('#') {
            return Err("a URL with a #fragment is not a resource to fetch".into());
        }
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        if authority.contains('@') {
            return Err(
                "a URL with a user or password is refused: it would show in `ps` and shell \
                 history"
                    .into(),
            );
        }
        let (host, port) = split_host_port(authority)?;
        let url = Url {
            raw: s.to_owned(),
            https,
            host,
            port,
            path: if path.starts_with('/') {
                path.to_owned()
            } else {
                format!("/{path}")
            },
        };
        if !url.https && !url.is_loopback() {
            return Err(format!(
                "http:// is refused for {}: jwtctl fetches keys over https only (plain http \
                 only from a loopback address such as 127.0.0.1 or localhost, for testing)",
                url.host
            ));
        }
        Ok(url)
    }

    /// The URL as given.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The host, for messages ("could not reach HOST").
    #[must_use]
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether the host is a loopback address: `localhost`, 127.0.0.0/8 or ::1.
    #[must_use]
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self
                .host
                .parse::<Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback())
            || self
                .host
                .parse::<Ipv6Addr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// The normalised form the request goes to (and the cache is keyed by): scheme and host in
    /// lower case, default port left out.
    #[must_use]
    pub fn canonical(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let default = if self.https { 443 } else { 80 };
        match self.port {
            Some(p) if p != default => format!("{scheme}://{host}:{p}{}", self.path),
            _ => format!("{scheme}://{host}{}", self.path),
        }
    }

    /// The OpenID Connect discovery URL of an issuer: `ISSUER/.well-known/openid-configuration`
    /// (OpenID Connect Discovery 1.0 §4; one trailing `/` of the issuer is not doubled).
    #[must_use]
    pub fn discovery(&self) -> Url {
        let mut url = self.clone();
        let (path, query) = match self.path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (self.path.as_str(), None),
        };
        url.path = format!(
            "{}/.well-known/openid-configuration{}",
            path.trim_end_matches('/'),
            query.map(|q| format!("?{q}")).unwrap_or_default()
        );
        url.raw = url.canonical();
        url
    }

    /// Where a redirect from this URL to `location` (a `Location` header) goes, when it may be
    /// followed: by the rules of [`Url::parse`], on the same host, and never from https down
    /// to http. The error says why not.
    pub fn redirect(&self, location: &str) -> Result<Url, String> {
        let scheme = if self.https { "https:" } else { "http:" };
        let absolute = if location.starts_with("//") {
            format!("{scheme}{location}")
        } else if location.starts_with('/') {
            format!("{}{location}", self.origin())
        } else if location.contains("://") {
            location.to_owned()
        } else {
            let path = self.path.split('?').next().unwrap_or("/");
            let dir = &path[..=path.rfind('/').unwrap_or(0)];
            format!("{}{dir}{location}", self.origin())
        };
        let next = Url::parse(&absolute).map_err(|e| format!("to {absolute}: {e}"))?;
        if next.host != self.host {
            return Err(format!(
                "to another host ({}): jwtctl follows redirects only on the host it was given",
                next.host
            ));
        }
        if self.https && !next.https {
            return Err(format!("from https down to http ({absolute})"));
        }
        Ok(next)
    }

    fn origin(&self) -> String {
        let full = self.canonical();
        let path_len = self.path.len();
        full[..full.len() - path_len].to_owned()
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// The host (lower case, IPv6 without brackets) and port of an authority.
fn split_host_port(authority: &str) -> Result<(String, Option<u16>), String> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (ip, after) = rest
            .split_once(']')
            .ok_or("an IPv6 address in a URL needs its closing ]")?;
        ip.parse::<Ipv6Addr>()
            .map_err(|_| format!("{ip:?} is not an IPv6 address"))?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or("junk after the IPv6 address")?),
        };
        (ip.to_ascii_lowercase(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
            None => (authority.to_ascii_lowercase(), None),
        }
    };
    if host.is_empty() {
        return Err("the URL has no host".into());
    }
    if !host.contains(':')
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    {
        return Err(format!(
            "{host:?} is not a host name (an international name must be given in its \
             xn-- form)"
        ));
    }
    let port = match port {
        None => None,
        Some(p) => Some(
            p.parse::<u16>()
                .ok()
                .filter(|&p| p != 0)
                .ok_or_else(|| format!("{p:?} is not a port number"))?,
        ),
    };
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for ok in [
            "https://issuer.example",
            "https://issuer.example/.well-known/jwks.json",
            "HTTPS://Issuer.Example:8443/keys?x=1",
            "http://127.0.0.1:8080/jwks",
            "http://127.9.9.9/jwks",
            "http://localhost:1/",
            "http://[::1]:99/jwks",
            "https://[2001:db8::1]/jwks",
        ] {
            assert!(Url::parse(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("http://example.com/", "http:// is refused for example.com"),
            ("http://10.0.0.1/", "refused"),
            ("ftp://example.com/", "not an https"),
            ("example.com/jwks", "not an https"),
            ("https://user:pw@example.com/", "user or password"),
            ("https://example.com/#x", "fragment"),
            ("https://example.com:0/", "port"),
            ("https://example.com:99999/", "port"),
            ("https:///jwks", "no host"),
            ("https://exa mple.com/", "spaces"),
            ("https://bücher.example/", "xn--"),
            ("https://[::1/", "closing"),
        ] {
            let err = Url::parse(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn canonical_and_discovery_forms() {
        let u = Url::parse("HTTPS://Issuer.Example:443/tenant/").unwrap();
        assert_eq!(u.canonical(), "https://issuer.example/tenant/");
        assert_eq!(u.as_str(), "HTTPS://Issuer.Example:443/tenant/");
        assert_eq!(
            u.discovery().as_str(),
            "https://issuer.example/tenant/.well-known/openid-configuration"
        );
        let bare = Url::parse("https://issuer.example").unwrap();
        assert_eq!(
            bare.discovery().as_str(),
            "https://issuer.example/.well-known/openid-configuration"
        );
        assert_eq!(
            Url::parse("http://[::1]:8080/x").unwrap().canonical(),
            "http://[::1]:8080/x"
        );
    }

    #[test]
    fn redirects_stay_on_the_host_and_never_downgrade() {
        let base = Url::parse("https://issuer.example/a/jwks").unwrap();
        let to = |l: &str| base.redirect(l).map(|u| u.canonical());
        assert_eq!(to("/b").unwrap(), "https://issuer.example/b");
        assert_eq!(to("c").unwrap(), "https://issuer.example/a/c");
        assert_eq!(
            to("https://issuer.example:8443/k").unwrap(),
            "https://issuer.example:8443/k"
        );
        assert!(to("//issuer.example/k").is_ok());
        assert!(
            to("https://evil.example/k")
                .unwrap_err()
                .contains("another host")
        );
        assert!(to("http://issuer.example/k").is_err());
        let local = Url::parse("https://127.0.0.1:9/jwks").unwrap();
        assert!(
            local
                .redirect("http://127.0.0.1:9/jwks")
                .unwrap_err()
                .contains("down to http")
        );
        let plain = Url::parse("http://127.0.0.1:9/jwks").unwrap();
        assert!(plain.redirect("http://127.0.0.1:9/k").is_ok());
        assert!(plain.redirect("https://127.0.0.1:10/k").is_ok());
        assert!(plain.redirect("http://localhost:9/k").is_err());
    }
}
