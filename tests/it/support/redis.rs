//! Throwaway `redis-server`s for the tests: the shared one behind [`fresh_store`] (started
//! once per test process, lazily), and dedicated ones ([`Redis::start`]) for tests that stop,
//! restart, pause or break their server. Each listens on a random loopback port with its files
//! in a directory under cargo's `CARGO_TARGET_TMPDIR` (a crashed run's directories are removed
//! by the next), requires a login (an ACL user with a password, as a real deployment would),
//! and dies with the test process: servers are started from one long-lived thread through
//! `setpriv --pdeathsig KILL`, so the kernel kills them when the process exits, however it
//! exits. A missing tool fails the test and names its Debian package.

#![allow(clippy::unwrap_used, dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

/// The ACL user every test server has, and its password.
pub const USER: &str = "jwtctl";
const PASSWORD: &str = "test-password-Eiw3u";

/// How long a server may take to start (a loaded 2-core machine, an AOF to load).
const START: Duration = Duration::from_secs(60);

/// Starts `cmd` from the one spawner thread (it lives as long as the test process: a
/// `--pdeathsig` child dies when the thread that forked it does).
fn spawn(cmd: Command) -> std::io::Result<Child> {
    type Job = (Command, mpsc::Sender<std::io::Result<Child>>);
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    let tx = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("server-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
            })
            .unwrap();
        Mutex::new(tx)
    });
    let (reply, answer) = mpsc::channel();
    tx.lock().unwrap().send((cmd, reply)).unwrap();
    answer.recv().unwrap()
}

/// `tool` must be on PATH, or the test fails naming the package that has it.
fn need(tool: &str, package: &str) {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "{tool} is needed by the Redis store tests: apt-get install {package} (.ci/run does)"
    );
}

/// The directory for test servers' files; leftovers of test processes that are gone are
/// removed the first time.
fn base() -> PathBuf {
    static BASE: OnceLock<PathBuf> = OnceLock::new();
    BASE.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("redis-servers");
        std::fs::create_dir_all(&base).unwrap();
        for entry in std::fs::read_dir(&base).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let pid = name.split('-').next().unwrap_or("");
            if !pid.is_empty() && !Path::new("/proc").join(pid).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        base
    })
    .clone()
}

/// A free loopback port (free when asked; the server binding it later may race, rarely).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// How a dedicated server runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Config {
    /// Append-only file, fsynced at every write: a restart loses nothing acknowledged.
    pub aof: bool,
    /// TLS only (`rediss://`), with a certificate from a throwaway CA ([`Redis::ca`]).
    pub tls: bool,
}

/// One throwaway redis-server.
pub struct Redis {
    pub port: u16,
    pub dir: PathBuf,
    config: Config,
    /// The throwaway CA and the server's certificate, with `tls`.
    certs: Option<super::tls::Ca>,
    child: Mutex<Option<Child>>,
    starts: AtomicUsize,
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Redis {
    /// Starts a new server.
    pub fn start(config: Config) -> Redis {
        need("redis-server", "redis-server");
        need("redis-cli", "redis-tools");
        need("setpriv", "util-linux");
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = base().join(format!(
            "{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("password"), format!("{PASSWORD}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("password"), std::fs::Permissions::from_mode(0o600))
            .unwrap();
        let certs = config.tls.then(|| super::tls::Ca::new(&dir));
        let server = Redis {
            port: free_port(),
            dir,
            config,
            certs,
            child: Mutex::new(None),
            starts: AtomicUsize::new(0),
        };
        server.launch();
        server
    }

    fn launch(&self) {
        let n = self.starts.fetch_add(1, Ordering::SeqCst);
        let log = self.dir.join(format!("log-{n}"));
        let mut cmd = Command::new("setpriv");
        cmd.args(["--pdeathsig", "KILL", "--", "redis-server"]);
        if let Some(certs) = &self.certs {
            cmd.args(["--port", "0", "--tls-port"])
                .arg(self.port.to_string())
                .arg("--tls-cert-file")
                .arg(&certs.cert_pem)
                .arg("--tls-key-file")
                .arg(&certs.key_pem)
                .arg("--tls-ca-cert-file")
                .arg(&certs.ca_pem)
                .args(["--tls-auth-clients", "no"]);
        } else {
            cmd.arg("--port").arg(self.port.to_string());
        }
        cmd.args(["--bind", "127.0.0.1", "--save", ""])
            // The default user cannot log in, but keeps its permissions: Redis 7.0 replays the
            // AOF as the default user, and without them drops every transaction it finds there
            // (NOPERM on EXEC) — a restart would lose everything.
            .args(["--user", "default", "off", "~*", "&*", "+@all"])
            .args(["--user", USER, "on"])
            .arg(format!(">{PASSWORD}"))
            .args(["~*", "&*", "+@all"])
            .arg("--dir")
            .arg(&self.dir)
            .arg("--logfile")
            .arg(&log);
        if self.config.aof {
            cmd.args(["--appendonly", "yes", "--appendfsync", "always"]);
        } else {
            cmd.args(["--appendonly", "no"]);
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = spawn(cmd).unwrap_or_else(|e| {
            panic!("cannot start redis-server: {e} (apt-get install redis-server util-linux)")
        });
        *self.child.lock().unwrap() = Some(child);
        let started = Instant::now();
        loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.contains("Ready to accept connections") {
                break;
            }
            if let Some(status) = self
                .child
                .lock()
                .unwrap()
                .as_mut()
                .unwrap()
                .try_wait()
                .unwrap()
            {
                panic!(
                    "redis-server exited ({status}) on port {}:\n{text}",
                    self.port
                );
            }
            assert!(
                started.elapsed() < START,
                "redis-server on port {} did not start:\n{text}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server (SIGKILL: nothing is flushed but what was fsynced).
    pub fn stop(&self) {
        if let Some(mut child) = self.child.lock().unwrap().take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills the server and starts it again on the same port and files.
    pub fn restart(&self) {
        self.stop();
        self.launch();
    }

    /// The store URL (no password: it is in [`Redis::password_file`]).
    pub fn url(&self) -> String {
        let scheme = if self.config.tls { "rediss" } else { "redis" };
        format!("{scheme}://{USER}@127.0.0.1:{}/0", self.port)
    }

    pub fn password_file(&self) -> PathBuf {
        self.dir.join("password")
    }

    /// The throwaway CA that signed a TLS server's certificate.
    pub fn ca(&self) -> PathBuf {
        let certs = self.certs.as_ref().expect("a server started with tls");
        certs.ca_pem.clone()
    }

    /// The variables that point jwtctl at this server under key prefix `prefix`.
    pub fn env(&self, prefix: &str) -> Vec<(String, String)> {
        let mut env = vec![
            ("JWTCTL_STORE".to_owned(), self.url()),
            (
                "JWTCTL_STORE_PASSWORD_FILE".to_owned(),
                self.password_file().display().to_string(),
            ),
            ("JWTCTL_STORE_PREFIX".to_owned(), prefix.to_owned()),
            // Generous: 24 processes at once on a loaded 2-core machine.
            ("JWTCTL_STORE_TIMEOUT".to_owned(), "60s".to_owned()),
        ];
        if self.config.tls {
            env.push((
                "JWTCTL_STORE_CA".to_owned(),
                self.ca().display().to_string(),
            ));
        }
        env
    }

    /// `redis-cli ARGS` against this server, logged in; its output, trimmed.
    pub fn cli(&self, args: &[&str]) -> String {
        let mut cmd = Command::new("redis-cli");
        cmd.args(["-h", "127.0.0.1", "-p"])
            .arg(self.port.to_string())
            .args(["--user", USER, "--pass", PASSWORD, "--no-auth-warning"]);
        if self.config.tls {
            cmd.arg("--tls").arg("--cacert").arg(self.ca());
        }
        let out = cmd
            .args(args)
            .output()
            .expect("redis-cli is needed: apt-get install redis-tools");
        assert!(
            out.status.success(),
            "redis-cli {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
    }
}

/// The server shared by every test that only needs a store of its own ([`fresh_store`]).
pub fn shared() -> &'static Redis {
    static SHARED: OnceLock<Redis> = OnceLock::new();
    SHARED.get_or_init(|| Redis::start(Config::default()))
}

/// A key prefix no other store of this test process uses.
pub fn unique_prefix() -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "t{}-{}:",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// The variables that point jwtctl at a new, empty store on the shared server (a new key
/// prefix on it): what the conformance suite gives its Redis homes.
pub fn fresh_store() -> Vec<(String, String)> {
    shared().env(&unique_prefix())
}

/// A TCP relay in front of a server that, once, lets through the first request containing
/// `trigger`, waits for the server's answer and then drops the connection instead of relaying
/// that answer: a command that ran but whose reply was lost. Later connections pass untouched.
pub struct LosingRelay {
    pub port: u16,
    fired: Arc<AtomicBool>,
}

impl LosingRelay {
    pub fn new(server_port: u16, trigger: &'static [u8]) -> LosingRelay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let fired = Arc::new(AtomicBool::new(false));
        let once = Arc::clone(&fired);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(("127.0.0.1", server_port)) else {
                    continue;
                };
                let armed = Arc::new(AtomicBool::new(false));
                let (c_in, s_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let (once, armed2) = (Arc::clone(&once), Arc::clone(&armed));
                // Client to server, watching for the trigger.
                std::thread::spawn(move || relay_up(c_in, s_out, trigger, &once, &armed2));
                // Server to client, dropping the answer once armed.
                std::thread::spawn(move || relay_down(server, client, &armed));
            }
        });
        LosingRelay { port, fired }
    }

    /// Whether the trigger was seen (and an answer dropped).
    pub fn fired(&self) -> bool {
        self.fired.load(Ordering::SeqCst)
    }
}

fn relay_up(
    mut from: TcpStream,
    mut to: TcpStream,
    trigger: &[u8],
    once: &AtomicBool,
    armed: &AtomicBool,
) {
    let mut buf = [0u8; 16 << 10];
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        tail.extend_from_slice(&buf[..n]);
        if tail.windows(trigger.len()).any(|w| w == trigger) && !once.swap(true, Ordering::SeqCst) {
            // Armed before the request goes on, so its answer cannot slip through.
            armed.store(true, Ordering::SeqCst);
        }
        let keep = tail.len().saturating_sub(trigger.len());
        tail.drain(..keep);
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

fn relay_down(mut from: TcpStream, mut to: TcpStream, armed: &AtomicBool) {
    let mut buf = [0u8; 16 << 10];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if armed.load(Ordering::SeqCst) {
            // The command ran (this is its answer): lose it, and the connection.
            let _ = to.shutdown(Shutdown::Both);
            let _ = from.shutdown(Shutdown::Both);
            return;
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
}
