//! A small HTTP(S) server on a random loopback port, for the remote-key-set tests: it counts and
//! logs every request it reads and answers as the test's handler says, including on purpose
//! badly (never answering, an endless body). HTTPS uses rustls (the aws-lc-rs provider, as
//! jwtctl) with a throwaway CA and server certificate ([`Pki`], from `support::tls`). Stopped
//! when dropped; every thread it started ends by itself soon after.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A header's value (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How to answer.
pub enum Reply {
    /// 200, `application/json`, this body.
    Json(String),
    /// This status, these headers, this body.
    With(u16, Vec<(&'static str, String)>, String),
    /// A redirect to this location.
    Redirect(u16, String),
    /// Never answer (until the server stops or two minutes pass).
    Hang,
    /// 200 and a body without end (until the client leaves, at most 256 MiB), or when `true`
    /// one of 1 MiB that says its length.
    Huge(bool),
}

/// Answers request number `n` (from 1).
pub type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

pub struct Server {
    addr: SocketAddr,
    https: bool,
    hits: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// A plain HTTP server.
    pub fn http(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
        Server::start(None, Arc::new(handler))
    }

    /// An HTTPS server with `pki`'s leaf certificate (for 127.0.0.1 and localhost).
    pub fn https(
        pki: &Pki,
        handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static,
    ) -> Server {
        Server::start(Some(pki.config.clone()), Arc::new(handler))
    }

    fn start(tls: Option<Arc<rustls::ServerConfig>>, handler: Arc<Handler>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let server = Server {
            addr,
            https: tls.is_some(),
            hits: Arc::default(),
            log: Arc::default(),
            stop: Arc::default(),
        };
        let (hits, log, stop) = (server.hits.clone(), server.log.clone(), server.stop.clone());
        std::thread::spawn(move || {
            for tcp in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(tcp) = tcp else { continue };
                let (tls, handler) = (tls.clone(), handler.clone());
                let (hits, log, stop) = (hits.clone(), log.clone(), stop.clone());
                std::thread::spawn(move || {
                    let _ = tcp.set_read_timeout(Some(Duration::from_secs(30)));
                    let _ = tcp.set_write_timeout(Some(Duration::from_secs(30)));
                    let conn = Conn {
                        handler,
                        hits,
                        log,
                        stop,
                    };
                    match tls {
                        Some(config) => {
                            let Ok(session) = rustls::ServerConnection::new(config) else {
                                return;
                            };
                            conn.exchange(rustls::StreamOwned::new(session, tcp));
                        }
                        None => conn.exchange(tcp),
                    }
                });
            }
        });
        server
    }

    /// `http(s)://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}{path}", self.addr)
    }

    /// Requests read so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// The requests read so far.
    pub fn log(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

struct Conn {
    handler: Arc<Handler>,
    hits: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
}

impl Conn {
    fn exchange<S: Read + Write>(&self, mut s: S) {
        let Some(request) = read_request(&mut s) else {
            return;
        };
        let n = self.hits.fetch_add(1, Ordering::SeqCst) + 1;
        self.log.lock().unwrap().push(request.clone());
        let _ = self.reply(&mut s, (self.handler)(&request, n));
    }

    fn reply<S: Write>(&self, s: &mut S, reply: Reply) -> std::io::Result<()> {
        let (status, headers, body) = match reply {
            Reply::Json(body) => (
                200,
                vec![("Content-Type", "application/json".to_owned())],
                body,
            ),
            Reply::With(status, headers, body) => (status, headers, body),
            Reply::Redirect(status, location) => {
                (status, vec![("Location", location)], String::new())
            }
            Reply::Hang => {
                let start = Instant::now();
                while !self.stop.load(Ordering::SeqCst)
                    && start.elapsed() < Duration::from_secs(120)
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                return Ok(());
            }
            Reply::Huge(with_length) => {
                let length = if with_length {
                    "Content-Length: 1048576\r\n"
                } else {
                    ""
                };
                write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}\
                     Connection: close\r\n\r\n{{\"keys\":["
                )?;
                let chunk = vec![b' '; 64 * 1024];
                let chunks = if with_length { 16 } else { 4096 };
                for _ in 0..chunks {
                    if self.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    s.write_all(&chunk)?;
                }
                return s.flush();
            }
        };
        let mut head = format!(
            "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes())?;
        s.write_all(body.as_bytes())?;
        s.flush()
    }
}

/// Reads a request's head (the request line and headers).
fn read_request<S: Read>(s: &mut S) -> Option<Request> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).ok()? == 0 || head.len() > 64 * 1024 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Some(Request { path, headers })
}

/// A throwaway CA and a server certificate for 127.0.0.1 and localhost that it signed
/// ([`crate::support::tls::Ca`]); the server's rustls configuration with that certificate.
pub struct Pki {
    _dir: tempfile::TempDir,
    /// The CA certificate (PEM): what `--ca` takes.
    pub ca: PathBuf,
    config: Arc<rustls::ServerConfig>,
}

impl Pki {
    pub fn new() -> Pki {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let dir = tempfile::TempDir::new().unwrap();
        let certs = crate::support::tls::Ca::new(dir.path());
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&certs.cert_pem)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let key = PrivateKeyDer::from_pem_file(&certs.key_pem).unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        Pki {
            ca: certs.ca_pem,
            config: Arc::new(config),
            _dir: dir,
        }
    }
}
