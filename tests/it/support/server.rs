//! A running `jwtctl serve` for the tests: started as the real binary in the [`super::hermetic`]
//! environment on `127.0.0.1:0`, its base URL read from the first stdout line, its stderr
//! collected line by line, killed when dropped. Plus a small HTTP client (ureq) that reports
//! every status instead of failing on 4xx.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous bound for anything a loaded 2-core machine should do in well under a second.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A `jwtctl serve` process.
pub struct Server {
    child: Child,
    /// The base URL it printed first.
    pub url: String,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// `jwtctl serve --listen 127.0.0.1:0 ARGS...` with home `home`.
    pub fn start(home: &Path, args: &[&str]) -> Server {
        let mut cmd = super::jwtctl_process(home);
        cmd.args(["serve", "--listen", "127.0.0.1:0"]).args(args);
        Self::spawn(cmd)
    }

    /// Starts `cmd` (a `jwtctl serve` command line) and waits for its first stdout line.
    pub fn spawn(mut cmd: std::process::Command) -> Server {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("jwtctl serve starts");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let err_pipe = child.stderr.take().unwrap();
        let lines = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let out_pipe = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(out_pipe);
            let mut first = String::new();
            let _ = out.read_line(&mut first);
            let _ = tx.send(first);
            // Keep draining so the server never blocks on a full pipe.
            let _ = std::io::copy(&mut out, &mut std::io::sink());
        });
        let url = rx.recv_timeout(PATIENCE).unwrap_or_default();
        let url = url.trim_end().to_owned();
        let mut server = Server { child, url, stderr };
        if !server.url.starts_with("http") {
            let status = server.child.kill().and_then(|()| server.child.wait());
            panic!(
                "jwtctl serve printed no URL ({status:?}); stderr:\n{}",
                server.stderr_text()
            );
        }
        server
    }

    /// `url` joined with `path`.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Everything it wrote to stderr so far.
    pub fn stderr_text(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// Waits until a stderr line satisfies `pred` (a line reaches the test through a reader
    /// thread, maybe after the response it logs, so a test polls for it), at most [`PATIENCE`].
    /// `pred` runs on a copy of the lines, without the lock the reader thread takes: it may look
    /// at this server itself (a predicate that called [`Server::stderr_text`] under that lock
    /// waited for itself forever, past any bound).
    pub fn wait_for_log(&self, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let lines = self.stderr.lock().unwrap().clone();
            if let Some(l) = lines.into_iter().find(|l| pred(l)) {
                return l;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "no such log line; stderr:\n{}",
                self.stderr_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let ok = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the stderr reader reach the end of the pipe.
                std::thread::sleep(Duration::from_millis(100));
                return (status, self.stderr_text());
            }
            assert!(start.elapsed() < PATIENCE, "serve did not exit on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer: status, headers (lower-case names), body text.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    /// The first header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }

    /// `error` of an RFC 6749 error body.
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(PATIENCE))
        .build()
        .into()
}

fn answer(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut r = r.unwrap_or_else(|e| panic!("HTTP request failed: {e}"));
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let status = r.status().as_u16();
    let body = r
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_string()
        .unwrap_or_default();
    Answer {
        status,
        headers,
        body,
    }
}

/// GET `url` with extra headers.
pub fn get(url: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = agent().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    answer(req.call())
}

/// POST `body` to `url` as `content_type`, with extra headers.
pub fn post(url: &str, content_type: &str, body: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = agent().post(url).header("content-type", content_type);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    answer(req.send(body))
}

/// POST a form (pairs encoded here, in order, repeats kept) with extra headers.
pub fn form(url: &str, pairs: &[(&str, &str)], headers: &[(&str, &str)]) -> Answer {
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    post(
        url,
        "application/x-www-form-urlencoded",
        &body.join("&"),
        headers,
    )
}

/// Percent-encodes a form component.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `Authorization: Basic` for `id:secret` (each form-encoded first, RFC 6749 §2.3.1).
pub fn basic(id: &str, secret: &str) -> String {
    use base64::Engine;
    let raw = format!("{}:{}", encode(id), encode(secret));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// An Argon2id PHC hash of `password` for a config file.
pub fn argon2_hash(password: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::from_b64("dGVzdHNhbHR0ZXN0c2FsdA").unwrap();
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .unwrap()
        .to_string()
}

/// A PKCE verifier and its S256 challenge (RFC 7636 appendix B).
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// The query parameters of a URL (decoded; `+` is not special in a Location).
pub fn query(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The value of `name` in `pairs`.
pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
