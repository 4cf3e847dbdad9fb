//! A throwaway PostgreSQL for the tests: started once per test process (lazily), on a random
//! loopback port, data under `CARGO_TARGET_TMPDIR` (a crashed run's leftovers are removed by
//! the next), `initdb --no-sync` and `fsync=off`. As root, `initdb` and `postgres` run as the
//! `postgres` user. The server is spawned by one dedicated long-lived thread through
//! `setpriv --pdeathsig KILL`, so the kernel kills it when the test process ends; that thread
//! also stops and restarts it for the restart tests.
//!
//! The server has TLS on (a test CA signs a certificate for `localhost` and `127.0.0.1`;
//! [`ca`]), listens on 127.0.0.1 and 127.0.0.2 (a name the certificate does not carry), and
//! has the superuser `postgres` (trusted from loopback; [`psql`] uses it), the role `jwtctl`
//! (trusted; what [`fresh_store`] uses), the role `jwtctl_pw` with the password [`PASSWORD`]
//! (SCRAM; [`fresh_store_with_password`]) and the role `jwtctl_tls`, refused without TLS.
//!
//! Tests that stop, kill or restart a server take a [`dedicated`] one.
//!
//! Binaries come from `/usr/lib/postgresql/*/bin` (Debian's `postgresql` package; `.ci/run`
//! installs it). A missing one fails the test naming the package.

#![allow(clippy::unwrap_used, dead_code)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The password of the role `jwtctl_pw`.
pub const PASSWORD: &str = "s3cret-pw";

/// The running server.
pub struct Pg {
    pub port: u16,
    /// The data directory (and its parent holds the CA).
    pub data: PathBuf,
    /// The directory of its Unix socket (`.s.PGSQL.PORT`).
    pub socket: PathBuf,
    dir: PathBuf,
    bin: PathBuf,
    /// Commands to the thread that owns the server process.
    control: Mutex<Sender<Control>>,
}

enum Control {
    Start(Sender<Result<(), String>>),
    Stop(Sender<()>),
    Kill(Sender<()>),
}

static SERVER: OnceLock<Pg> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The server, started on first use.
pub fn server() -> &'static Pg {
    SERVER.get_or_init(start_server)
}

/// The loopback port it listens on.
pub fn port() -> u16 {
    server().port
}

/// The PEM file of the CA that signed the server's certificate (for `--store-ca`).
pub fn ca() -> PathBuf {
    server().dir.join("ca.pem")
}

/// Environment pointing jwtctl at a NEW, empty database on the server, as the role `jwtctl`
/// (no password needed), without TLS.
pub fn fresh_store() -> Vec<(String, String)> {
    let db = new_database("jwtctl");
    vec![(
        "JWTCTL_STORE".into(),
        format!(
            "postgres://jwtctl@127.0.0.1:{}/{db}?sslmode=disable",
            port()
        ),
    )]
}

/// Like [`fresh_store`], but as `jwtctl_pw`, whose password is in the URL (allowed in the
/// environment).
pub fn fresh_store_with_password() -> Vec<(String, String)> {
    let db = new_database("jwtctl_pw");
    vec![(
        "JWTCTL_STORE".into(),
        format!(
            "postgres://jwtctl_pw:{PASSWORD}@127.0.0.1:{}/{db}?sslmode=disable",
            port()
        ),
    )]
}

/// Creates a new empty database on the shared server owned by `owner`; its name.
pub fn new_database(owner: &str) -> String {
    server().new_database(owner)
}

/// The database name in a `fresh_store` environment.
pub fn database_of(env: &[(String, String)]) -> String {
    let url = &env.iter().find(|(k, _)| k == "JWTCTL_STORE").unwrap().1;
    let path = url.rsplit('/').next().unwrap();
    path.split('?').next().unwrap().to_owned()
}

/// Runs `sql` in `db` on the shared server as the superuser; its output (unaligned, tuples
/// only). Panics on failure.
pub fn psql(db: &str, sql: &str) -> String {
    server().psql(db, sql)
}

/// Runs `sql` in `db` on the shared server as the superuser: its output, or its error text.
pub fn psql_result(db: &str, sql: &str) -> Result<String, String> {
    server().psql_result(db, sql)
}

/// `psql` connected to `db` on the shared server as the superuser, quiet, unaligned, stopping
/// at the first error: add `-c SQL`, or write to its stdin (a session holding locks).
pub fn psql_command(db: &str) -> Command {
    server().psql_command(db)
}

/// Stops the shared server (see [`Pg::stop`]). Every test using it sees the outage: tests that
/// stop or kill a server use a [`dedicated`] one.
pub fn stop() {
    server().stop();
}

/// Starts the shared server again (see [`Pg::start`]).
pub fn start() {
    server().start();
}

/// Restarts the shared server (see [`Pg::restart`]).
pub fn restart() {
    server().restart();
}

/// A server of its own for a test that stops, kills or restarts it (so the tests sharing
/// [`server`] see no outage); it dies with the test process like the shared one, and is stopped
/// when dropped.
pub fn dedicated() -> Pg {
    start_server()
}

impl Pg {
    /// Stops the server with a fast shutdown (every session ends, every committed transaction
    /// is kept) and waits until it is gone.
    pub fn stop(&self) {
        let (tx, rx) = channel();
        self.control
            .lock()
            .unwrap()
            .send(Control::Stop(tx))
            .unwrap();
        rx.recv().unwrap();
    }

    /// Kills the server outright (SIGKILL to the postmaster: a crash; committed work survives
    /// through the WAL) and waits until its backends are gone.
    pub fn kill(&self) {
        let (tx, rx) = channel();
        self.control
            .lock()
            .unwrap()
            .send(Control::Kill(tx))
            .unwrap();
        rx.recv().unwrap();
    }

    /// Starts the server again on the same port and data; returns once it accepts connections.
    pub fn start(&self) {
        let (tx, rx) = channel();
        self.control
            .lock()
            .unwrap()
            .send(Control::Start(tx))
            .unwrap();
        rx.recv().unwrap().unwrap();
    }

    /// [`Pg::stop`] then [`Pg::start`].
    pub fn restart(&self) {
        self.stop();
        self.start();
    }

    /// A new empty database owned by `owner`; its name.
    pub fn new_database(&self, owner: &str) -> String {
        let n = DATABASES.fetch_add(1, Ordering::SeqCst);
        let db = format!("t{}_{n}", std::process::id());
        self.psql("postgres", &format!("CREATE DATABASE {db} OWNER {owner}"));
        db
    }

    /// [`fresh_store`] on this server.
    pub fn fresh_store(&self) -> Vec<(String, String)> {
        let db = self.new_database("jwtctl");
        vec![(
            "JWTCTL_STORE".into(),
            format!(
                "postgres://jwtctl@127.0.0.1:{}/{db}?sslmode=disable",
                self.port
            ),
        )]
    }

    /// [`psql`] on this server.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        match self.psql_result(db, sql) {
            Ok(s) => s,
            Err(e) => panic!("psql {sql:?} failed: {e}"),
        }
    }

    /// [`psql_result`] on this server.
    pub fn psql_result(&self, db: &str, sql: &str) -> Result<String, String> {
        let out = self
            .psql_command(db)
            .args(["-c", sql])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        if out.status.success() {
            Ok(String::from_utf8(out.stdout).unwrap().trim_end().to_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// [`psql_command`] on this server.
    pub fn psql_command(&self, db: &str) -> Command {
        let mut cmd = Command::new(self.bin.join("psql"));
        cmd.args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
        ])
        .arg(self.port.to_string())
        .args(["-U", "postgres", "-d", db])
        .env_remove("PGPASSFILE")
        .env("PGSSLMODE", "disable")
        .env("PGCONNECT_TIMEOUT", "60");
        cmd
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        self.stop();
        let _ = fs::remove_dir_all(&self.dir);
        let _ = fs::remove_dir_all(&self.socket);
    }
}

/// Where the PostgreSQL programs are: the newest `/usr/lib/postgresql/*/bin`.
fn bin_dir() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("postgres").exists().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b).unwrap_or_else(|| {
        panic!(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): \
             apt-get install postgresql"
        )
    })
}

fn is_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

/// A command that runs `program` as the `postgres` user when we are root.
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut cmd = Command::new("setpriv");
        cmd.args([
            "--reuid=postgres",
            "--regid=postgres",
            "--init-groups",
            "--",
        ])
        .arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

fn chown_to_server_user(path: &Path) {
    if !is_root() {
        return;
    }
    let out = Command::new("chown")
        .args(["-R", "postgres:postgres"])
        .arg(path)
        .output()
        .expect("chown (coreutils) must be installed");
    assert!(out.status.success(), "chown {}", path.display());
}

fn check(out: std::io::Result<std::process::Output>, what: &str) -> String {
    let out = out.unwrap_or_else(|e| panic!("{what}: {e} (apt-get install postgresql util-linux)"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Removes the data of earlier test processes that are gone.
fn remove_leftovers(root: &Path, prefix: &str) {
    for e in fs::read_dir(root).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('-').next())
            && pid.parse::<u32>().is_ok()
            && !Path::new("/proc").join(pid).exists()
        {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Whether every directory from `/` to `path` lets other users through (o+x).
fn reachable_by_others(path: &Path) -> bool {
    path.ancestors()
        .all(|p| fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The test CA and the server's certificate ([`super::tls::Ca`]): `ca.pem` in `dir`, the
/// certificate and its key in the data directory as `server.crt` and `server.key` (0600, as
/// postgres requires of a key).
fn make_certs(dir: &Path, data: &Path) {
    let certs = super::tls::Ca::new(dir);
    for (from, to) in [
        (&certs.cert_pem, "server.crt"),
        (&certs.key_pem, "server.key"),
    ] {
        fs::copy(from, data.join(to)).unwrap();
        fs::set_permissions(data.join(to), fs::Permissions::from_mode(0o600)).unwrap();
    }
}

fn start_server() -> Pg {
    let bin = bin_dir();
    let target_tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    fs::create_dir_all(&target_tmp).unwrap();
    remove_leftovers(&target_tmp, "pg-");
    remove_leftovers(Path::new("/tmp"), "jwtctl-pgdata-");
    // The server's user must reach its data: a checkout under a private directory (root's
    // home, say) puts it in /tmp instead.
    let root = if !is_root() || reachable_by_others(&target_tmp) {
        target_tmp
    } else {
        PathBuf::from("/tmp")
    };
    let prefix = if root == Path::new("/tmp") {
        "jwtctl-pgdata-"
    } else {
        "pg-"
    };
    static SERVERS: AtomicUsize = AtomicUsize::new(0);
    let n = SERVERS.fetch_add(1, Ordering::SeqCst);
    let dir = root.join(format!("{prefix}{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    let data = dir.join("data");
    fs::create_dir_all(&data).unwrap();
    // The Unix socket's directory: short (a socket path has at most 107 bytes), under /tmp.
    remove_leftovers(Path::new("/tmp"), "jwtctl-pg-");
    let socket = PathBuf::from(format!("/tmp/jwtctl-pg-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&socket);
    fs::create_dir_all(&socket).unwrap();
    fs::set_permissions(&socket, fs::Permissions::from_mode(0o755)).unwrap();
    chown_to_server_user(&socket);
    fs::set_permissions(&data, fs::Permissions::from_mode(0o700)).unwrap();
    chown_to_server_user(&data);
    check(
        as_server_user(&bin.join("initdb"))
            .args([
                "--no-sync",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "-A",
                "trust",
                "-D",
            ])
            .arg(&data)
            .output(),
        "initdb",
    );
    make_certs(&dir, &data);
    fs::write(
        data.join("pg_hba.conf"),
        "hostnossl all jwtctl_tls 0.0.0.0/0 reject\n\
         local all jwtctl_tls reject\n\
         host all jwtctl_pw 127.0.0.0/8 scram-sha-256\n\
         local all jwtctl_pw scram-sha-256\n\
         host all all 127.0.0.0/8 trust\n\
         local all all trust\n",
    )
    .unwrap();
    chown_to_server_user(&data);
    let (tx, rx) = channel::<Control>();
    let (ready_tx, ready_rx) = channel();
    let mut port = free_port();
    let thread_bin = bin.clone();
    let thread_data = data.clone();
    let thread_socket = socket.clone();
    // The server's parent: it lives as long as the test process, so the server's
    // parent-death signal fires only when the process ends.
    std::thread::Builder::new()
        .name("postgres".into())
        .spawn(move || {
            let mut child: Option<Child> = None;
            let try_start = |port: u16, child: &mut Option<Child>| -> Result<(), String> {
                let mut c = spawn(&thread_bin, &thread_data, &thread_socket, port);
                let deadline = Instant::now() + Duration::from_secs(60);
                loop {
                    if let Ok(Some(status)) = c.try_wait() {
                        return Err(format!("postgres exited: {status}"));
                    }
                    if ready(&thread_bin, port) {
                        *child = Some(c);
                        return Ok(());
                    }
                    if Instant::now() > deadline {
                        let _ = c.kill();
                        let _ = c.wait();
                        return Err("postgres did not accept connections within 60 s".into());
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            };
            // First start: a port someone else took meanwhile is replaced.
            let mut first = Err(String::new());
            for _ in 0..5 {
                first = try_start(port, &mut child);
                if first.is_ok() {
                    break;
                }
                port = free_port();
            }
            ready_tx.send(first.map(|()| port)).unwrap();
            for cmd in rx {
                match cmd {
                    Control::Start(reply) => {
                        let r = if child.is_some() {
                            Ok(())
                        } else {
                            try_start(port, &mut child)
                        };
                        let _ = reply.send(r);
                    }
                    Control::Stop(reply) => {
                        if let Some(mut c) = child.take() {
                            let _ = Command::new("kill")
                                .args(["-INT", &c.id().to_string()])
                                .status();
                            let _ = c.wait();
                        }
                        let _ = reply.send(());
                    }
                    Control::Kill(reply) => {
                        if let Some(mut c) = child.take() {
                            let _ = c.kill();
                            let _ = c.wait();
                            // Backends notice the postmaster's death and leave; a new
                            // postmaster refuses to start while any is still attached.
                            let deadline = Instant::now() + Duration::from_secs(60);
                            while backends_alive(&thread_data) && Instant::now() < deadline {
                                std::thread::sleep(Duration::from_millis(20));
                            }
                        }
                        let _ = reply.send(());
                    }
                }
            }
        })
        .unwrap();
    let port = ready_rx.recv().unwrap().unwrap_or_else(|e| panic!("{e}"));
    let pg = Pg {
        port,
        data,
        socket,
        dir,
        bin,
        control: Mutex::new(tx),
    };
    pg.psql(
        "postgres",
        &format!(
            "CREATE ROLE jwtctl LOGIN; CREATE ROLE jwtctl_pw LOGIN PASSWORD '{PASSWORD}'; \
             CREATE ROLE jwtctl_tls LOGIN;"
        ),
    );
    pg
}

fn spawn(bin: &Path, data: &Path, socket: &Path, port: u16) -> Child {
    let mut cmd = Command::new("setpriv");
    cmd.arg("--pdeathsig").arg("KILL");
    if is_root() {
        cmd.args(["--reuid=postgres", "--regid=postgres", "--init-groups"]);
    }
    cmd.arg("--")
        .arg(bin.join("postgres"))
        .arg("-D")
        .arg(data)
        .args(["-p", &port.to_string()])
        .args(["-c", "listen_addresses=127.0.0.1,127.0.0.2"])
        .arg("-c")
        .arg(format!("unix_socket_directories={}", socket.display()))
        .args(["-c", "fsync=off", "-c", "full_page_writes=off"])
        .args(["-c", "max_connections=120", "-c", "shared_buffers=32MB"])
        .args([
            "-c",
            "ssl=on",
            "-c",
            "ssl_cert_file=server.crt",
            "-c",
            "ssl_key_file=server.key",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd.spawn()
        .expect("setpriv (util-linux) and postgres (apt-get install postgresql) must be installed")
}

fn ready(bin: &Path, port: u16) -> bool {
    Command::new(bin.join("pg_isready"))
        .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string(), "-t", "2"])
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether a process still has the data directory as its working directory (a backend of a
/// killed postmaster).
fn backends_alive(data: &Path) -> bool {
    let real = fs::canonicalize(data).unwrap_or_else(|_| data.to_path_buf());
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            e.file_name().to_string_lossy().parse::<u32>().is_ok()
                && fs::read_link(e.path().join("cwd")).is_ok_and(|cwd| cwd == real)
        })
}
