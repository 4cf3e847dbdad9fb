//! Helpers for the integration tests: the command builder every test uses ([`jwtctl`], with
//! [`jwtctl_at`], [`jwtctl_process`] and [`wrapper`] as its variants), a home with an RSA key,
//! shortcuts for login and refresh, the test vectors and external tools.
//!
//! Every jwtctl a test starts runs in the environment [`hermetic`] sets, whether the test starts
//! it directly or through `bash`, `script` or `setsid`.

#![allow(clippy::unwrap_used, dead_code)] // test helpers panic by design; not every test uses all

pub mod redis;
pub mod server;
pub mod tls;
pub mod webdriver;

use assert_cmd::Command;
use serde_json::Value;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

/// The fixed clock: 2023-11-14T22:13:20Z.
pub const NOW: i64 = 1_700_000_000;

/// The jwtctl binary cargo built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_jwtctl"))
}

/// The one test environment, for jwtctl and for any program that runs it: home `home`, clock
/// [`NOW`], nothing inherited that changes what jwtctl does (every `JWTCTL_*` variable,
/// `NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`), and `PATH` with the built jwtctl first, so scripts
/// can call it by name. A test that needs another clock, or the real one, overrides
/// `JWTCTL_NOW` on the returned command (`.env(..)` / `.env_remove(..)`).
pub fn hermetic<'a>(
    cmd: &'a mut std::process::Command,
    home: &Path,
) -> &'a mut std::process::Command {
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("JWTCTL_") {
            cmd.env_remove(name);
        }
    }
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("PATH", path_with_jwtctl())
        .env("JWTCTL_HOME", home)
        .env("JWTCTL_NOW", NOW.to_string())
        .envs(store_env(home))
        .envs(added_env(home))
}

/// A refresh-store backend: the conformance suite ([`conformance!`]) runs every test it wraps on
/// each one, against a real server for Redis and PostgreSQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Redis,
    Postgres,
}

impl Backend {
    /// The environment that points jwtctl at a new, empty store of this backend (none for
    /// SQLite: the home's own file).
    fn fresh_store(self) -> Vec<(String, String)> {
        match self {
            Backend::Sqlite => Vec::new(),
            Backend::Redis => redis::fresh_store(),
            Backend::Postgres => postgres::fresh_store(),
        }
    }
}

/// Which homes use which store: (home, the variables that point jwtctl at it).
type Stores = Vec<(PathBuf, Vec<(String, String)>)>;
static STORES: std::sync::Mutex<Stores> = std::sync::Mutex::new(Vec::new());

/// The store variables of `home` (none: its own SQLite file).
pub fn store_env(home: &Path) -> Vec<(String, String)> {
    let stores = STORES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    stores
        .iter()
        .find(|(h, _)| h == home)
        .map(|(_, env)| env.clone())
        .unwrap_or_default()
}

/// Points `home`'s jwtctl commands at the store `env` names (a test's own server).
pub fn set_store(home: &Path, env: Vec<(String, String)>) {
    let mut stores = STORES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    stores.retain(|(h, _)| h != home);
    stores.push((home.to_owned(), env));
}

/// A temporary directory and a home inside it on a new store of `backend`, holding one RSA key:
/// [`new_home`] for the conformance suite.
pub fn new_home_on(backend: Backend) -> (TempDir, PathBuf) {
    let (dir, home) = bare_home_on(backend);
    keygen_rs256(&home);
    (dir, home)
}

/// A home (not created yet, no key) on a new store of `backend`.
pub fn bare_home_on(backend: Backend) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let home = dir.path().join("home");
    set_store(&home, backend.fresh_store());
    (dir, home)
}

/// Points `home`'s jwtctl commands at the store `other` uses: two homes, one store. On SQLite
/// that is `other`'s own file, named with `JWTCTL_STORE=sqlite:OTHER/refresh.db`.
pub fn share_store(home: &Path, other: &Path) {
    let mut env = store_env(other);
    if !env.iter().any(|(name, _)| name == "JWTCTL_STORE") {
        let file = other.join("refresh.db");
        env.push(("JWTCTL_STORE".into(), format!("sqlite:{}", file.display())));
    }
    set_store(home, env);
}

/// Variables [`add_env`] gave each home, beside its store's.
static ADDED: std::sync::Mutex<Stores> = std::sync::Mutex::new(Vec::new());

fn added_env(home: &Path) -> Vec<(String, String)> {
    let added = ADDED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    added
        .iter()
        .find(|(h, _)| h == home)
        .map(|(_, env)| env.clone())
        .unwrap_or_default()
}

/// Adds `vars` to the environment of every jwtctl command run for `home` (e.g. the keyring in
/// the store: `JWTCTL_KEYRING_IN_STORE`, `JWTCTL_KEYRING_SECRET_FILE`).
pub fn add_env(home: &Path, vars: &[(&str, &str)]) {
    let vars = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned()));
    let mut added = ADDED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match added.iter_mut().find(|(h, _)| h == home) {
        Some((_, env)) => env.extend(vars),
        None => added.push((home.to_owned(), vars.collect())),
    }
}

/// The conformance suite: each `fn name(b: Backend) { ... }` inside becomes one test per store
/// backend, `<module>::sqlite::name`, `<module>::redis::name` and `<module>::postgres::name`,
/// so one body proves the same behaviour on every engine. Homes come from [`new_home_on`].
macro_rules! conformance {
    ($($(#[$meta:meta])* fn $name:ident($b:ident: Backend) $body:block)*) => {
        $($(#[$meta])* fn $name($b: $crate::support::Backend) $body)*

        mod sqlite {
            $(#[test] fn $name() { super::$name($crate::support::Backend::Sqlite) })*
        }

        mod redis {
            $(#[test] fn $name() { super::$name($crate::support::Backend::Redis) })*
        }

        mod postgres {
            $(#[test] fn $name() { super::$name($crate::support::Backend::Postgres) })*
        }
    };
}
pub(crate) use conformance;

/// **The command builder**: `jwtctl --color=never` in the [`hermetic`] environment, home
/// `home` (created by jwtctl when it needs it), clock [`NOW`], as an `assert_cmd` command.
pub fn jwtctl(home: &Path) -> Command {
    Command::from_std(jwtctl_process(home))
}

/// [`jwtctl`] at another fixed clock `now` (Unix seconds).
pub fn jwtctl_at(home: &Path, now: i64) -> Command {
    let mut cmd = jwtctl(home);
    cmd.env("JWTCTL_NOW", now.to_string());
    cmd
}

/// [`jwtctl`] as a plain `std::process::Command`, for tests that wire up pipes, spawn several
/// processes or stream output.
pub fn jwtctl_process(home: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(bin());
    hermetic(&mut cmd, home).arg("--color=never");
    cmd
}

/// `program` (e.g. `bash`, `script`, `setsid`) in the [`hermetic`] environment of [`jwtctl`], for
/// tests where another program runs jwtctl (by name: it is first on `PATH`). Add `--color=never`
/// to the jwtctl command line where the output is checked.
pub fn wrapper(program: &str, home: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    hermetic(&mut cmd, home);
    cmd
}

/// A temporary directory and a home inside it holding one RSA key.
pub fn new_home() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let home = dir.path().join("home");
    keygen_rs256(&home);
    (dir, home)
}

fn keygen_rs256(home: &Path) {
    let out = jwtctl(home).args(["keygen", "--rs256"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out: Output = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs a command that must succeed; its stdout without the trailing newline.
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim_end().to_owned()
}

/// Parses one JSON object.
pub fn json(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// One JSON object per line.
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines().map(json).collect()
}

/// `login` at `now` with extra args; must succeed; returns the token response.
pub fn login_at(home: &Path, now: i64, args: &[&str]) -> Value {
    let (code, out, err) = run(jwtctl_at(home, now).arg("login").args(args));
    assert_eq!(code, 0, "login failed: {err}");
    assert!(err.is_empty(), "login wrote to stderr: {err}");
    json(&out)
}

/// `login --sub SUB` at [`NOW`].
pub fn login(home: &Path, sub: &str) -> Value {
    login_at(home, NOW, &["--sub", sub])
}

/// `refresh RT` at `now` with extra args: (exit code, stdout, stderr).
pub fn refresh_at(home: &Path, now: i64, rt: &str, args: &[&str]) -> (i32, String, String) {
    run(jwtctl_at(home, now).arg("refresh").args(args).arg(rt))
}

/// A field of a token response as a string.
pub fn field(v: &Value, name: &str) -> String {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {v}"))
        .to_owned()
}

/// `decode --json TOKEN`: header and claims, nothing verified.
pub fn decode(home: &Path, token: &str) -> Value {
    let (code, out, err) = run(jwtctl(home).args(["decode", "--json", token]));
    assert_eq!(code, 0, "{err}");
    json(&out)
}

/// `sessions --json` rows (optionally for one family: its chain).
pub fn sessions(home: &Path, now: i64, args: &[&str]) -> Vec<Value> {
    let (code, out, err) = run(jwtctl_at(home, now)
        .arg("sessions")
        .arg("--json")
        .args(args));
    assert_eq!(code, 0, "{err}");
    json_lines(&out)
}

/// The kinds of the event log, in order.
pub fn event_kinds(home: &Path) -> Vec<String> {
    let (code, out, err) = run(jwtctl(home).args(["sessions", "--events"]));
    assert_eq!(code, 0, "{err}");
    json_lines(&out)
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// A file of the test vectors (`tests/vectors/NAME`, see its README for sources and licences),
/// parsed. A missing or unreadable file fails the test; it is never skipped.
pub fn vector(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read vector file {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("vector file {} is not JSON: {e}", path.display()))
}

/// `openssl ARGS...`, which must succeed; openssl is required (never skipped). Its stdout.
pub fn openssl(args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl must be installed for these tests (apt-get install openssl)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `$PATH` with the built jwtctl's directory first.
pub fn path_with_jwtctl() -> OsString {
    let bin = bin();
    let dir = bin.parent().expect("bin dir");
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&rest)))
        .expect("PATH entries without ':'")
}

/// Maps `f` over `items` on a few threads (each item usually runs one process), keeping order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    const THREADS: usize = 4;
    let chunk = items.len().div_ceil(THREADS).max(1);
    std::thread::scope(|s| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker thread panicked"))
            .collect()
    })
}

/// `jwtctl verify --key KEY TOKEN` in `home`, ready for assertions.
pub fn verify_with(home: &Path, key: &Path, token: &str) -> assert_cmd::assert::Assert {
    jwtctl(home)
        .args(["verify", "--key"])
        .arg(key)
        .arg(token)
        .assert()
}
pub mod postgres;
