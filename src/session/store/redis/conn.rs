//! A small synchronous Redis client: RESP2 over TCP, or over TLS with rustls on the aws-lc-rs
//! provider. Every read and write of a command is bounded by one deadline (`--store-timeout`),
//! and every reply by a size budget, so a slow, stuck or hostile server costs at most the
//! timeout and a bounded amount of memory, never a hang or a panic.

use super::super::target::{Options, Server};
use crate::files;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Largest bulk string taken from a reply: the sealed keyring is the largest thing jwtctl keeps
/// (its script sends none larger); record fields and events are far smaller.
#[allow(clippy::cast_possible_truncation)]
const MAX_BULK: usize = crate::session::store::MAX_KEYRING_BLOB as usize;
/// Largest reply as a whole, counting each element's bookkeeping too.
const MAX_REPLY: usize = MAX_BULK + (16 << 20);
/// Longest status, error or length line.
const MAX_LINE: usize = 64 << 10;
/// Deepest nesting of arrays taken from a reply (jwtctl's scripts answer with 3 levels).
const MAX_DEPTH: usize = 8;
/// What one array element or bulk string costs in the reply budget beside its bytes.
const ELEMENT_COST: usize = 32;
/// Largest `--store-ca` file read.
const MAX_CA_FILE: u64 = 4 << 20;
/// How long to wait between tries while the server answers LOADING (reading its AOF).
const LOADING_PAUSE: Duration = Duration::from_millis(50);

/// One RESP2 reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Nil,
    Int(i64),
    Data(Vec<u8>),
    Status(String),
    /// An error inside an array (a top-level error reply is [`Fault::Server`]).
    Error(String),
    Array(Vec<Value>),
}

/// Why a command got no answer.
#[derive(Debug)]
pub(crate) enum Fault {
    /// No connection: refused, unreachable, a name that does not resolve, or no answer in time.
    Connect(io::Error),
    /// The TLS handshake failed; `certificate`: the server's certificate was not trusted.
    Tls { detail: String, certificate: bool },
    /// The server refused the credentials (or wanted some).
    Auth(String),
    /// The connection broke or timed out after the command was (partly) sent: it may have run.
    Lost(io::Error),
    /// An error reply.
    Server(String),
    /// A reply jwtctl does not take: malformed or over the size bounds.
    Protocol(String),
    /// The `--store-ca` file could not be used.
    Ca(anyhow::Error),
}

/// The socket, with the deadline of the command in progress applied to every read and write.
struct Sock {
    tcp: TcpStream,
    deadline: Instant,
}

impl Sock {
    fn left(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(io::Error::new(io::ErrorKind::TimedOut, "timed out"))
        } else {
            Ok(left)
        }
    }
}

/// Timeouts surface as `WouldBlock` on some platforms: both are "timed out".
fn timed_out(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::WouldBlock {
        io::Error::new(io::ErrorKind::TimedOut, "timed out")
    } else {
        e
    }
}

impl Read for Sock {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.tcp.set_read_timeout(Some(self.left()?))?;
        self.tcp.read(buf).map_err(timed_out)
    }
}

impl Write for Sock {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tcp.set_write_timeout(Some(self.left()?))?;
        self.tcp.write(buf).map_err(timed_out)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tcp.flush()
    }
}

enum Stream {
    Plain(Sock),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, Sock>>),
}

impl Stream {
    fn sock(&mut self) -> &mut Sock {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(t) => &mut t.sock,
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(t) => t.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(t) => t.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(t) => t.flush(),
        }
    }
}

/// One connection to a Redis server.
pub(crate) struct Conn {
    stream: Stream,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    timeout: Duration,
    /// Set once a command's reply was lost: the stream is out of step and is not used again.
    broken: bool,
}

/// Connects, with TLS when the URL says so, and logs in (`AUTH`, `SELECT`); all of it within
/// one `timeout`.
pub(crate) fn connect(server: &Server, options: &Options) -> Result<Conn, Fault> {
    let deadline = Instant::now() + options.timeout;
    let addrs = (server.host.as_str(), server.port)
        .to_socket_addrs()
        .map_err(Fault::Connect)?;
    let mut last = io::Error::new(io::ErrorKind::NotFound, "the host name has no address");
    let mut tcp = None;
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            last = io::Error::new(io::ErrorKind::TimedOut, "timed out");
            break;
        }
        match TcpStream::connect_timeout(&addr, left) {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last = timed_out(e),
        }
    }
    let tcp = tcp.ok_or(Fault::Connect(last))?;
    // Commands are small and answered one at a time: send each at once.
    tcp.set_nodelay(true).map_err(Fault::Connect)?;
    let sock = Sock { tcp, deadline };
    let stream = if server.tls {
        Stream::Tls(Box::new(handshake(server, options, sock)?))
    } else {
        Stream::Plain(sock)
    };
    let mut conn = Conn {
        stream,
        buf: vec![0; 16 << 10],
        start: 0,
        end: 0,
        timeout: options.timeout,
        broken: false,
    };
    // The first exchange shows that a Redis server answers (AUTH, SELECT, else PING), so
    // that a wrong port fails here, as a connection error, before any write is sent.
    let at_once = |e: io::Error| {
        if matches!(
            e.kind(),
            io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset
        ) && !server.tls
        {
            Fault::Connect(io::Error::new(
                e.kind(),
                "the server closed the connection at once (a TLS port? that is rediss://)",
            ))
        } else {
            Fault::Connect(e)
        }
    };
    let mut greeted = false;
    if let Some(password) = &server.password {
        let mut args: Vec<&[u8]> = vec![b"AUTH"];
        if let Some(user) = &server.user {
            args.push(user.as_bytes());
        }
        args.push(password.as_bytes());
        match conn.call_until(&args, deadline) {
            Ok(_) => {}
            Err(Fault::Server(e)) => return Err(Fault::Auth(e)),
            Err(Fault::Lost(e)) => return Err(at_once(e)),
            Err(f) => return Err(f),
        }
        greeted = true;
    }
    if server.database != "0" {
        match conn.call_until(&[b"SELECT", server.database.as_bytes()], deadline) {
            Ok(_) => {}
            Err(Fault::Server(e)) if e.starts_with("NOAUTH") => return Err(Fault::Auth(e)),
            Err(Fault::Lost(e)) => return Err(at_once(e)),
            Err(f) => return Err(f),
        }
        greeted = true;
    }
    if !greeted {
        match conn.call_until(&[b"PING"], deadline) {
            Ok(_) => {}
            // A server that wants a login says so to the first command, PING included.
            Err(Fault::Server(e)) if e.starts_with("NOAUTH") => return Err(Fault::Auth(e)),
            Err(Fault::Lost(e)) => return Err(at_once(e)),
            Err(f) => return Err(f),
        }
    }
    Ok(conn)
}

/// The TLS client handshake, completed here so that a certificate the roots do not vouch for
/// is a connection error, not the failure of a later command.
fn handshake(
    server: &Server,
    options: &Options,
    mut sock: Sock,
) -> Result<rustls::StreamOwned<rustls::ClientConnection, Sock>, Fault> {
    let tls = |detail: String| Fault::Tls {
        detail,
        certificate: false,
    };
    let mut roots = rustls::RootCertStore::empty();
    // The system's roots: whatever can be read of them (a machine without any is not an error
    // when --store-ca names the CA).
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(path) = &options.ca {
        let pem = files::read_limited(path, MAX_CA_FILE, "CA certificates (--store-ca)")
            .map_err(Fault::Ca)?;
        let mut found = 0;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|e| {
                Fault::Ca(anyhow::anyhow!(
                    "{} (--store-ca) is not PEM certificates: {e}",
                    path.display()
                ))
            })?;
            roots.add(cert).map_err(|e| {
                Fault::Ca(anyhow::anyhow!(
                    "a certificate in {} (--store-ca) is not usable: {e}",
                    path.display()
                ))
            })?;
            found += 1;
        }
        if found == 0 {
            return Err(Fault::Ca(anyhow::anyhow!(
                "{} (--store-ca) holds no PEM certificate",
                path.display()
            )));
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from(server.host.clone())
        .map_err(|e| tls(format!("{:?} is not a TLS server name: {e}", server.host)))?;
    let mut conn =
        rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| tls(e.to_string()))?;
    while conn.is_handshaking() {
        if let Err(e) = conn.complete_io(&mut sock) {
            let rustls = e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>());
            return Err(match rustls {
                Some(r) => Fault::Tls {
                    detail: r.to_string(),
                    certificate: matches!(
                        r,
                        rustls::Error::InvalidCertificate(_)
                            | rustls::Error::InvalidCertRevocationList(_)
                    ),
                },
                None if e.kind() == io::ErrorKind::UnexpectedEof => {
                    tls("the server closed the connection during the TLS handshake".into())
                }
                None if e.kind() == io::ErrorKind::TimedOut => {
                    tls("no answer to the TLS handshake in time".into())
                }
                None => Fault::Connect(e),
            });
        }
    }
    Ok(rustls::StreamOwned::new(conn, sock))
}

/// The RESP2 encoding of one command.
fn encode(args: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + args.iter().map(|a| a.len() + 16).sum::<usize>());
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

impl Conn {
    /// Sends one command and reads its reply, within the timeout. An error reply is
    /// [`Fault::Server`]; while the server is still loading its data (after a restart) the
    /// command is sent again until the timeout (a LOADING reply means it did not run).
    pub(crate) fn call(&mut self, args: &[&[u8]]) -> Result<Value, Fault> {
        let deadline = Instant::now() + self.timeout;
        self.call_until(args, deadline)
    }

    fn call_until(&mut self, args: &[&[u8]], deadline: Instant) -> Result<Value, Fault> {
        loop {
            match self.exchange(args, deadline) {
                Err(Fault::Server(e))
                    if e.starts_with("LOADING") && Instant::now() + LOADING_PAUSE < deadline =>
                {
                    std::thread::sleep(LOADING_PAUSE);
                }
                other => return other,
            }
        }
    }

    fn exchange(&mut self, args: &[&[u8]], deadline: Instant) -> Result<Value, Fault> {
        if self.broken {
            return Err(Fault::Lost(io::Error::new(
                io::ErrorKind::NotConnected,
                "the connection was lost earlier",
            )));
        }
        self.stream.sock().deadline = deadline;
        let request = encode(args);
        let sent = self
            .stream
            .write_all(&request)
            .and_then(|()| self.stream.flush());
        if let Err(e) = sent {
            self.broken = true;
            return Err(Fault::Lost(e));
        }
        let mut budget = MAX_REPLY;
        match self.value(0, &mut budget) {
            Ok(Value::Error(e)) => Err(Fault::Server(e)),
            Ok(v) => Ok(v),
            Err(f) => {
                // Whatever the server still sends belongs to this command: never reuse.
                self.broken = true;
                Err(f)
            }
        }
    }

    fn fill(&mut self) -> Result<(), Fault> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        } else if self.end == self.buf.len() {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if self.end == self.buf.len() {
                self.buf.resize(self.buf.len() * 2, 0);
            }
        }
        loop {
            match self.stream.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    return Err(Fault::Lost(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the server closed the connection",
                    )));
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Fault::Lost(e)),
            }
        }
    }

    /// One line without its CRLF.
    fn line(&mut self) -> Result<Vec<u8>, Fault> {
        let mut searched = 0;
        loop {
            let window = &self.buf[self.start + searched..self.end];
            if let Some(i) = window.windows(2).position(|w| w == b"\r\n") {
                let at = self.start + searched + i;
                let line = self.buf[self.start..at].to_vec();
                self.start = at + 2;
                return Ok(line);
            }
            searched = (self.end - self.start).saturating_sub(1);
            if searched > MAX_LINE {
                return Err(Fault::Protocol("a reply line is too long".into()));
            }
            self.fill()?;
        }
    }

    /// Exactly `n` bytes and the CRLF after them.
    fn exact(&mut self, n: usize) -> Result<Vec<u8>, Fault> {
        let mut out = Vec::with_capacity(n.min(64 << 10));
        while out.len() < n + 2 {
            if self.start == self.end {
                self.fill()?;
            }
            let take = (n + 2 - out.len()).min(self.end - self.start);
            out.extend_from_slice(&self.buf[self.start..self.start + take]);
            self.start += take;
        }
        if !out.ends_with(b"\r\n") {
            return Err(Fault::Protocol(
                "a bulk string does not end with CRLF".into(),
            ));
        }
        out.truncate(n);
        Ok(out)
    }

    fn value(&mut self, depth: usize, budget: &mut usize) -> Result<Value, Fault> {
        let line = self.line()?;
        let (&kind, rest) = line
            .split_first()
            .ok_or_else(|| Fault::Protocol("an empty reply line".into()))?;
        let text = || String::from_utf8_lossy(rest).into_owned();
        let number = || -> Result<i64, Fault> {
            std::str::from_utf8(rest)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| Fault::Protocol(format!("not a number in a reply: {}", text())))
        };
        let mut spend = |n: usize| -> Result<(), Fault> {
            *budget = budget
                .checked_sub(n.saturating_add(ELEMENT_COST))
                .ok_or_else(|| Fault::Protocol("the reply is too large".into()))?;
            Ok(())
        };
        match kind {
            b'+' => Ok(Value::Status(text())),
            b'-' => Ok(Value::Error(text())),
            b':' => Ok(Value::Int(number()?)),
            b'$' => {
                let n = number()?;
                if n < 0 {
                    return Ok(Value::Nil);
                }
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                if n > MAX_BULK {
                    return Err(Fault::Protocol(format!(
                        "a reply holds {n} bytes in one string; jwtctl takes at most {MAX_BULK}"
                    )));
                }
                spend(n)?;
                Ok(Value::Data(self.exact(n)?))
            }
            b'*' => {
                let n = number()?;
                if n < 0 {
                    return Ok(Value::Nil);
                }
                if depth >= MAX_DEPTH {
                    return Err(Fault::Protocol("a reply is nested too deeply".into()));
                }
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                spend(n.saturating_mul(ELEMENT_COST))?;
                let mut items = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    items.push(self.value(depth + 1, budget)?);
                }
                Ok(Value::Array(items))
            }
            other => Err(Fault::Protocol(format!(
                "not a RESP2 reply (starts with byte {other:#04x}); is this a Redis server?"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A server that answers the connection's PING, then each later request with the next of
    /// `replies` (one read per request), then stays silent a while.
    fn canned(replies: Vec<&'static [u8]>) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            if let Ok((mut s, _)) = listener.accept() {
                let mut buf = [0u8; 4096];
                for reply in std::iter::once(&b"+PONG\r\n"[..]).chain(replies) {
                    let _ = s.read(&mut buf);
                    let _ = s.write_all(reply);
                }
                std::thread::sleep(Duration::from_secs(3));
            }
        });
        port
    }

    fn conn_to(port: u16, timeout: Duration) -> Result<Conn, Fault> {
        let server = match crate::session::store::target::Target::parse(
            &format!("redis://127.0.0.1:{port}"),
            false,
        ) {
            Ok(crate::session::store::target::Target::Redis(s)) => s,
            other => panic!("{other:?}"),
        };
        let options = Options {
            ca: None,
            prefix: "t:".into(),
            timeout,
            wait: Duration::ZERO,
        };
        connect(&server, &options)
    }

    fn reply_to_ping(reply: &'static [u8]) -> Result<Value, Fault> {
        let port = canned(vec![reply]);
        conn_to(port, Duration::from_secs(5))?.call(&[b"PING"])
    }

    #[test]
    fn replies_are_parsed() {
        assert_eq!(
            reply_to_ping(b"*3\r\n$3\r\nabc\r\n:-7\r\n*2\r\n$-1\r\n+OK\r\n").unwrap(),
            Value::Array(vec![
                Value::Data(b"abc".to_vec()),
                Value::Int(-7),
                Value::Array(vec![Value::Nil, Value::Status("OK".into())]),
            ])
        );
        assert!(matches!(
            reply_to_ping(b"-NOSCRIPT No matching script\r\n"),
            Err(Fault::Server(e)) if e.starts_with("NOSCRIPT")
        ));
    }

    #[test]
    fn hostile_replies_are_errors_not_allocations_or_panics() {
        for bad in [
            &b"$999999999999\r\n"[..],
            b"*99999999999\r\n",
            b"$-\r\n",
            b"*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n",
            b"HTTP/1.1 400 Bad Request\r\n",
            b"$3\r\nabcd\r\n",
        ] {
            assert!(
                matches!(reply_to_ping(bad), Err(Fault::Protocol(_))),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        // A reply cut short is a lost connection (the command may have run).
        assert!(matches!(reply_to_ping(b"$10\r\nabc"), Err(Fault::Lost(_))));
    }

    #[test]
    fn a_silent_server_times_out_within_the_bound() {
        // Silent from the start: connecting times out.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        assert!(matches!(
            conn_to(port, Duration::from_millis(300)),
            Err(Fault::Connect(e)) if e.kind() == io::ErrorKind::TimedOut
        ));
        drop(listener);
        // Silent after greeting: the command times out, and may have run.
        let port = canned(Vec::new());
        let mut conn = conn_to(port, Duration::from_millis(300)).unwrap();
        let started = Instant::now();
        let err = conn.call(&[b"PING"]).unwrap_err();
        assert!(
            matches!(&err, Fault::Lost(e) if e.kind() == io::ErrorKind::TimedOut),
            "{err:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        // The stream is out of step now: it is not used again.
        assert!(matches!(conn.call(&[b"PING"]), Err(Fault::Lost(_))));
    }

    #[test]
    fn nothing_listening_is_a_connect_fault() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        assert!(matches!(
            conn_to(port, Duration::from_secs(2)),
            Err(Fault::Connect(_))
        ));
    }

    #[test]
    fn commands_are_resp2_arrays_of_bulk_strings() {
        assert_eq!(
            encode(&[b"GET", b"a b"]),
            b"*2\r\n$3\r\nGET\r\n$3\r\na b\r\n".to_vec()
        );
    }
}
