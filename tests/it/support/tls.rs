//! A throwaway certificate authority for the tests' TLS servers (redis-server, postgres, the
//! remote-JWKS test server, `jwtctl serve --tls-cert`): [`Ca::new`] makes, with the `openssl`
//! CLI, a CA and a server certificate it signed for `127.0.0.1` and `localhost`. Nothing trusts
//! the CA but what a test points at it (`--ca`, `--store-ca`, a client's CA file). Plus
//! [`Ca::https`], one bounded HTTP/1.1 exchange through `openssl s_client` that trusts only
//! this CA: a TLS client independent of jwtctl's.

#![allow(clippy::unwrap_used, dead_code)] // test helpers panic by design

use super::server::{Answer, PATIENCE};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The CA and the server certificate, as PEM files in the directory given to [`Ca::new`]:
/// `ca.pem` (and its key `ca.key`), `server.pem` and `server.key`.
#[derive(Clone, Debug)]
pub struct Ca {
    /// The CA's certificate: what `--ca`, `--store-ca` and a client's CA file take.
    pub ca_pem: PathBuf,
    /// The server's certificate (P-256; `subjectAltName` `IP:127.0.0.1` and `DNS:localhost`;
    /// not a CA; `serverAuth`), signed by the CA.
    pub cert_pem: PathBuf,
    /// The server certificate's private key (PKCS#8, unencrypted).
    pub key_pem: PathBuf,
}

impl Ca {
    /// Makes the CA and the server certificate in `dir` (which must exist), valid for two days.
    pub fn new(dir: &Path) -> Ca {
        let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
        let (ca_key, ca_pem, key_pem, csr, cert_pem, ext) = (
            p("ca.key"),
            p("ca.pem"),
            p("server.key"),
            p("server.csr"),
            p("server.pem"),
            p("server.ext"),
        );
        let p256 = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ];
        let mut ca = vec!["req", "-x509"];
        ca.extend(p256);
        ca.extend(["-keyout", &ca_key, "-out", &ca_pem, "-days", "2"]);
        ca.extend(["-subj", "/CN=jwtctl test CA"]);
        ca.extend(["-addext", "basicConstraints=critical,CA:TRUE"]);
        ca.extend(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
        super::openssl(&ca);
        let mut req = vec!["req"];
        req.extend(p256);
        req.extend(["-keyout", &key_pem, "-out", &csr, "-subj", "/CN=localhost"]);
        super::openssl(&req);
        std::fs::write(
            &ext,
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n\
             keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        super::openssl(&[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &ca_pem,
            "-CAkey",
            &ca_key,
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            &ext,
            "-out",
            &cert_pem,
        ]);
        Ca {
            ca_pem: ca_pem.into(),
            cert_pem: cert_pem.into(),
            key_pem: key_pem.into(),
        }
    }

    /// One request to `url` (`https://HOST:PORT/PATH`) through `openssl s_client`, which
    /// trusts only this CA and checks the certificate's name (or IP address) against HOST:
    /// `method`, these headers, `body` (with its `Content-Length` when not empty) and
    /// `Connection: close`. The answer; a failed handshake, or no answer within
    /// [`PATIENCE`], fails the test (s_client is killed: a wait here never hangs).
    pub fn https(&self, url: &str, method: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let rest = url.strip_prefix("https://").expect("an https:// URL");
        let (addr, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let path = if path.is_empty() { "/" } else { path };
        let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
        let check = if host.parse::<std::net::IpAddr>().is_ok() {
            "-verify_ip"
        } else {
            "-verify_hostname"
        };
        let mut request =
            format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        if !body.is_empty() {
            request.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        request.push_str(body);
        // -quiet: no session details on stdout, only the response; it also keeps reading
        // after stdin's end until the server closes (Connection: close makes it close).
        let mut child = Command::new("openssl")
            .args([
                "s_client",
                "-quiet",
                "-verify_return_error",
                "-connect",
                addr,
            ])
            .arg("-CAfile")
            .arg(&self.ca_pem)
            .args([check, host])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("openssl must be installed for these tests (apt-get install openssl)");
        // The request, then the end of stdin (the handle is dropped).
        let _ = child.stdin.take().unwrap().write_all(request.as_bytes());
        let drain = |mut pipe: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = pipe.read_to_end(&mut bytes);
                String::from_utf8_lossy(&bytes).into_owned()
            })
        };
        let out = drain(Box::new(child.stdout.take().unwrap()));
        let err = drain(Box::new(child.stderr.take().unwrap()));
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if start.elapsed() > PATIENCE {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let (out, err) = (out.join().unwrap(), err.join().unwrap());
        let status = status.unwrap_or_else(|| {
            panic!("openssl s_client {url}: no answer in {PATIENCE:?}\n{out}\n{err}")
        });
        parse_response(&out).unwrap_or_else(|| {
            panic!("openssl s_client {url} ({status}): no HTTP response\n{out}\n{err}")
        })
    }
}

/// An HTTP/1.1 response as s_client printed it (the body as sent: Content-Length, not
/// chunked, which `jwtctl serve` does not use for its documents).
fn parse_response(text: &str) -> Option<Answer> {
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()?
        .strip_prefix("HTTP/1.1 ")?
        .get(..3)?
        .parse()
        .ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    assert!(
        !headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked")),
        "a chunked body, which Ca::https does not decode:\n{text}"
    );
    Some(Answer {
        status,
        headers,
        body: body.to_owned(),
    })
}
