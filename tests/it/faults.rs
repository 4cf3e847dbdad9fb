//! Fault injection (issue 11, "How it is checked"; DECISIONS §1, §2, §2a, §2b): the real binary
//! killed with SIGKILL at random moments of `keygen`, `keygen --out`, `login`, `refresh` and
//! `logout`; stdout closed, full (`/dev/full`) or a pipe nobody reads; the keyring lock file
//! deleted while keygens run; a disk that fills up; a read-only home. After every fault the
//! invariants are checked: the keyring parses and has lost no key, no temporary file holds
//! private key material, a `--out` set is whole or absent, and the refresh store is consistent
//! (every family one chain, at most one current token, generation = tokens issued).
//!
//! Bounded: about 300 kill points in all, each after a delay drawn from a seeded PRNG over the
//! command's runtime measured first in the same test. The seed is fixed; `JWTCTL_FAULTS_SEED=N`
//! replays another run. Every invariant is checked on every iteration and all violations are
//! reported together at the end, with the iteration, the delay and the seed.
//!
//! Needs: `sh`. Uses when present: `sqlite3` (an extra integrity and `current_jti` check of the
//! store), `mount`/`umount` as root (the tmpfs and read-only bind mount tests; without them
//! those tests print why on stderr and check what they still can), `setpriv`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic by design

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// The seed of the kill delays (`JWTCTL_FAULTS_SEED` overrides it).
const SEED: u64 = 0x6a77_7463_0011;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_jwtctl")
}

/// The environment of every run: this home, the fixed clock, nothing inherited that changes
/// behaviour, stdin empty.
fn hermetic(cmd: &mut Command, home: &Path) {
    crate::support::hermetic(cmd, home).stdin(Stdio::null());
}

/// `jwtctl --color=never` in `home`.
fn jwtctl(home: &Path) -> Command {
    let mut cmd = Command::new(bin());
    hermetic(&mut cmd, home);
    cmd.arg("--color=never");
    cmd
}

/// One finished run. `code` is `None` when a signal ended it.
struct Run {
    code: Option<i32>,
    out: String,
    err: String,
    took: Duration,
}

impl Run {
    fn from(out: std::process::Output, took: Duration) -> Run {
        Run {
            code: out.status.code(),
            out: String::from_utf8_lossy(&out.stdout).into_owned(),
            err: String::from_utf8_lossy(&out.stderr).into_owned(),
            took,
        }
    }

    fn describe(&self) -> String {
        format!(
            "exit {:?}, stdout {:?}, stderr {:?}",
            self.code,
            cut(&self.out),
            cut(&self.err)
        )
    }
}

fn cut(s: &str) -> String {
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s.to_owned()
    }
}

fn run_cmd(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let out = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("spawning jwtctl");
    Run::from(out, start.elapsed())
}

/// `jwtctl ARGS` in `home`.
fn run(home: &Path, args: &[&str]) -> Run {
    run_cmd(jwtctl(home).args(args))
}

/// `jwtctl ARGS` that must succeed; its stdout.
fn ok(home: &Path, args: &[&str]) -> String {
    let r = run(home, args);
    assert_eq!(r.code, Some(0), "jwtctl {args:?}: {}", r.describe());
    r.out
}

/// Starts `jwtctl ARGS` and sends it SIGKILL `delay` later. A run that finishes first keeps
/// its exit code and how long it took.
fn run_killed(home: &Path, args: &[&str], delay: Duration) -> Run {
    let start = Instant::now();
    let mut child = jwtctl(home)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning jwtctl");
    let deadline = start + delay;
    let mut took = None;
    loop {
        if child.try_wait().expect("waiting for jwtctl").is_some() {
            took = Some(start.elapsed());
            break;
        }
        let now = Instant::now();
        if now >= deadline {
            child.kill().expect("killing jwtctl");
            break;
        }
        std::thread::sleep((deadline - now).min(Duration::from_micros(500)));
    }
    let out = child.wait_with_output().expect("reaping jwtctl");
    Run::from(out, took.unwrap_or_else(|| start.elapsed()))
}

/// JSON lines, or why not.
fn json_lines(text: &str) -> Result<Vec<Value>, String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| format!("not JSON ({e}): {l:?}")))
        .collect()
}

/// The token response a (possibly killed) login or refresh printed, if it printed a whole one.
fn response(out: &str) -> Option<Value> {
    let line = out.lines().next()?;
    let v: Value = serde_json::from_str(line).ok()?;
    v["refresh_token"].as_str()?;
    Some(v)
}

fn s(v: &Value, name: &str) -> String {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {v}"))
        .to_owned()
}

/// A new temporary directory holding `home` (not yet created).
fn new_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::TempDir::new().unwrap();
    let home = dir.path().join("home");
    (dir, home)
}

/// A home with one ES256 key (fast to sign with).
fn home_with_key() -> (tempfile::TempDir, PathBuf) {
    let (dir, home) = new_dir();
    ok(&home, &["keygen", "--es256"]);
    (dir, home)
}

/// `login --sub SUB`: the token response.
fn login(home: &Path, sub: &str) -> Value {
    let out = ok(home, &["login", "--sub", sub]);
    response(&out).unwrap_or_else(|| panic!("login printed {out:?}"))
}

/// SplitMix64: the seeded PRNG of the kill delays.
struct Rng(u64);

impl Rng {
    /// One stream per test, all from the run's seed.
    fn new(stream: &str) -> Rng {
        let seed = std::env::var("JWTCTL_FAULTS_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(SEED);
        let salt = stream.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        Rng(seed ^ salt)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    #[allow(clippy::cast_precision_loss)]
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A kill moment over a run that typically takes `typical`: anywhere from the start to a
    /// little past the usual end, denser towards the end, where the writes are.
    fn delay(&mut self, typical: Duration) -> Duration {
        typical.mul_f64(1.1 * self.unit().sqrt())
    }
}

/// How long a command typically takes here and now: the median of its last uninterrupted
/// runs, so the kill moments follow the machine's load.
struct Timing(Vec<Duration>);

impl Timing {
    fn new() -> Timing {
        Timing(Vec::new())
    }

    /// Records a run that was not killed.
    fn add(&mut self, r: &Run) {
        if r.code.is_some() {
            self.0.push(r.took);
            if self.0.len() > 7 {
                self.0.remove(0);
            }
        }
    }

    fn typical(&self) -> Duration {
        let mut took = self.0.clone();
        took.sort();
        took.get(took.len() / 2)
            .copied()
            .unwrap_or(Duration::from_millis(50))
    }
}

/// Collects invariant violations of one test and reports them all at the end.
struct Problems {
    test: &'static str,
    start: Instant,
    list: Vec<String>,
    kills: usize,
    finished_first: usize,
}

impl Problems {
    fn new(test: &'static str) -> Problems {
        Problems {
            test,
            start: Instant::now(),
            list: Vec::new(),
            kills: 0,
            finished_first: 0,
        }
    }

    fn push(&mut self, what: String) {
        if self.list.len() < 40 {
            self.list.push(what);
        }
    }

    /// Counts a killed run; `true` when it had finished before the signal came.
    fn killed(&mut self, r: &Run) -> bool {
        self.kills += 1;
        let finished = r.code.is_some();
        if finished {
            self.finished_first += 1;
        }
        finished
    }

    fn finish(self) {
        eprintln!(
            "faults::{}: {} kill points ({} finished before the signal), {:.1?}",
            self.test,
            self.kills,
            self.finished_first,
            self.start.elapsed()
        );
        let seed = std::env::var("JWTCTL_FAULTS_SEED").unwrap_or_else(|_| SEED.to_string());
        assert!(
            self.list.is_empty(),
            "{}: {} invariant violation(s) (seed {seed}):\n  {}",
            self.test,
            self.list.len(),
            self.list.join("\n  ")
        );
    }
}

/// The kids `keys list --json` shows, or why the keyring could not be listed.
fn listed_kids(home: &Path) -> Result<Vec<String>, String> {
    let r = run(home, &["keys", "list", "--json"]);
    if r.code != Some(0) {
        return Err(format!("keys list --json: {}", r.describe()));
    }
    let rows = json_lines(&r.out)?;
    let kids: Vec<String> = rows
        .iter()
        .map(|k| k["kid"].as_str().map(str::to_owned))
        .collect::<Option<_>>()
        .ok_or_else(|| format!("a key without kid: {}", cut(&r.out)))?;
    let active = rows.iter().filter(|k| k["active"] == true).count();
    if !kids.is_empty() && active != 1 {
        return Err(format!("{active} active keys: {}", cut(&r.out)));
    }
    Ok(kids)
}

/// Hidden files in `dir` (jwtctl's temporary names, and anything inside a hidden staging
/// directory) that hold private key material.
fn private_temps(dir: &Path) -> Vec<String> {
    fn walk(path: &Path, hidden: bool, found: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(path) else {
            return;
        };
        for e in entries.flatten() {
            let hidden = hidden || e.file_name().to_string_lossy().starts_with('.');
            match e.file_type() {
                Ok(t) if t.is_dir() => walk(&e.path(), hidden, found),
                Ok(t) if t.is_file() && hidden => {
                    let bytes = fs::read(e.path()).unwrap_or_default();
                    let text = String::from_utf8_lossy(&bytes);
                    if ["PRIVATE KEY", "\"d\"", "\"secret\""]
                        .iter()
                        .any(|m| text.contains(m))
                    {
                        found.push(e.path().display().to_string());
                    }
                }
                _ => {}
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, false, &mut found);
    found
}

/// Dot-files (temporary names) of `name` in `dir`.
fn temps_of(dir: &Path, name: &str) -> Vec<String> {
    let prefix = format!(".{name}");
    fs::read_dir(dir)
        .map(|it| {
            it.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(&prefix))
                .collect()
        })
        .unwrap_or_default()
}

/// `sessions --json`: the families by id, or why the store could not be read.
fn families(home: &Path) -> Result<BTreeMap<String, Value>, String> {
    let r = run(home, &["sessions", "--json"]);
    if r.code != Some(0) {
        return Err(format!("sessions --json: {}", r.describe()));
    }
    Ok(json_lines(&r.out)?
        .into_iter()
        .map(|f| (s(&f, "family"), f))
        .collect())
}

/// One family read back through jwtctl: its tokens form one chain (generation 1..n, each the
/// parent of the next and replaced by it), at most one is current, the family's generation is
/// the number of tokens issued, and the event log says the same (one `issued`, n-1 `rotated`).
fn family_problems(home: &Path, row: &Value) -> Vec<String> {
    let id = s(row, "family");
    let mut p = Vec::new();
    let r = run(home, &["sessions", &id, "--json"]);
    if r.code != Some(0) {
        return vec![format!("sessions {id} --json: {}", r.describe())];
    }
    let chain = match json_lines(&r.out) {
        Ok(c) => c,
        Err(e) => return vec![format!("sessions {id} --json: {e}")],
    };
    let generation = row["generation"].as_i64().unwrap_or(-1);
    if usize::try_from(generation).ok() != Some(chain.len()) {
        p.push(format!(
            "family {id}: generation {generation} but {} tokens",
            chain.len()
        ));
    }
    let active = chain.iter().filter(|t| t["state"] == "active").count();
    if active > 1 {
        p.push(format!("family {id}: {active} current tokens"));
    }
    let state = row["state"].as_str().unwrap_or("?");
    if state == "active" && chain.last().is_none_or(|t| t["state"] != "active") {
        p.push(format!("family {id} is active but its newest token is not"));
    }
    if state == "revoked" && active != 0 {
        p.push(format!(
            "family {id} is revoked but a token is still active"
        ));
    }
    for (i, t) in chain.iter().enumerate() {
        let want_gen = i64::try_from(i).unwrap() + 1;
        if t["generation"].as_i64() != Some(want_gen) {
            p.push(format!(
                "family {id}: token {i} has generation {}",
                t["generation"]
            ));
        }
        let parent = if i == 0 {
            Value::Null
        } else {
            chain[i - 1]["jti"].clone()
        };
        if t["parent"] != parent {
            p.push(format!(
                "family {id} gen {want_gen}: parent {} not {parent}",
                t["parent"]
            ));
        }
        match chain.get(i + 1) {
            Some(next) => {
                if t["replaced_by"] != next["jti"] || t["state"] != "used" {
                    p.push(format!(
                        "family {id} gen {want_gen}: {} replaced by {}, but the next is {}",
                        t["state"], t["replaced_by"], next["jti"]
                    ));
                }
            }
            None => {
                if !t["replaced_by"].is_null() {
                    p.push(format!(
                        "family {id}: the newest token is replaced by {}",
                        t["replaced_by"]
                    ));
                }
            }
        }
    }
    let r = run(home, &["sessions", &id, "--events"]);
    match (r.code, json_lines(&r.out)) {
        (Some(0), Ok(events)) => {
            let count = |k: &str| events.iter().filter(|e| e["kind"] == k).count();
            if count("issued") != 1 || count("rotated") + 1 != chain.len() {
                p.push(format!(
                    "family {id}: {} issued and {} rotated events for {} tokens",
                    count("issued"),
                    count("rotated"),
                    chain.len()
                ));
            }
        }
        (_, Err(e)) => p.push(format!("sessions {id} --events: {e}")),
        _ => p.push(format!("sessions {id} --events: {}", r.describe())),
    }
    p
}

/// The store read with the `sqlite3` CLI, when installed: `PRAGMA integrity_check`, and the
/// columns `sessions` does not show (`current_jti`). Nothing when `sqlite3` is missing.
fn sqlite_problems(home: &Path) -> Vec<String> {
    const QUERIES: &str = "PRAGMA integrity_check;
SELECT 'generation/current_jti: ' || f.id FROM families f
 WHERE f.generation != (SELECT count(*) FROM refresh_tokens t WHERE t.family_id = f.id)
    OR f.current_jti IS NOT (SELECT jti FROM refresh_tokens t WHERE t.family_id = f.id
                             ORDER BY generation DESC LIMIT 1);
SELECT 'several current tokens: ' || family_id FROM refresh_tokens WHERE state = 'active'
 GROUP BY family_id HAVING count(*) > 1;
SELECT 'broken link: ' || t.jti FROM refresh_tokens t JOIN refresh_tokens p ON t.parent_jti = p.jti
 WHERE p.replaced_by IS NOT t.jti OR p.generation + 1 != t.generation OR p.family_id != t.family_id;";
    let db = home.join("refresh.db");
    if !db.exists() {
        return Vec::new();
    }
    let out = match Command::new("sqlite3")
        .arg("-readonly")
        .arg(&db)
        .arg(QUERIES)
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) => out,
        Err(_) => return Vec::new(), // no sqlite3: the checks through jwtctl still ran
    };
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || text.trim() != "ok" {
        return vec![format!(
            "sqlite3 on {}: {} {}",
            db.display(),
            text.trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        )];
    }
    Vec::new()
}

fn sqlite3_note() {
    if Command::new("sqlite3").arg("-version").output().is_err() {
        eprintln!(
            "faults: sqlite3 is not installed: the store is checked through `jwtctl sessions` only"
        );
    }
}

/// Every invariant of the store, for the families in `only` (all when `None`).
fn store_problems(home: &Path, only: Option<&BTreeSet<String>>) -> Vec<String> {
    let rows = match families(home) {
        Ok(rows) => rows,
        Err(e) => return vec![e],
    };
    let mut p: Vec<String> = rows
        .iter()
        .filter(|(id, _)| only.is_none_or(|o| o.contains(*id)))
        .flat_map(|(_, row)| family_problems(home, row))
        .collect();
    p.extend(sqlite_problems(home));
    p
}

/// What stdout is for a run.
#[derive(Clone, Copy, Debug)]
enum Sink {
    /// Closed (`>&-`).
    Closed,
    /// `/dev/full`: every write fails with ENOSPC.
    Full,
    /// A pipe whose reader is gone before the command starts: EPIPE.
    BrokenPipe,
}

const SINKS: [Sink; 3] = [Sink::Closed, Sink::Full, Sink::BrokenPipe];

/// `jwtctl ARGS` with stdout as `sink`; stdout is never captured.
fn run_sink(home: &Path, args: &[&str], sink: Sink) -> Run {
    let start = Instant::now();
    let mut cmd = match sink {
        Sink::Closed => {
            let mut c = Command::new("sh");
            hermetic(&mut c, home);
            c.args(["-c", "exec \"$0\" \"$@\" >&-", bin(), "--color=never"]);
            c.args(args);
            c
        }
        Sink::Full => {
            let mut c = jwtctl(home);
            c.args(args).stdout(
                fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            );
            c
        }
        Sink::BrokenPipe => {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            let mut c = jwtctl(home);
            c.args(args).stdout(writer);
            c
        }
    };
    let out = cmd
        .stderr(Stdio::piped())
        .output()
        .expect("spawning jwtctl");
    Run::from(out, start.elapsed())
}

/// [`snapshot`] without SQLite's own `-wal`/`-shm` beside the store, which a reader may create.
fn snapshot_but_wal(dir: &Path) -> BTreeMap<String, (u64, u32, SystemTime)> {
    let mut files = snapshot(dir);
    files.retain(|name, _| !name.ends_with("-wal") && !name.ends_with("-shm"));
    files
}

/// Names, sizes, modes and mtimes of the files in `dir` (one level).
fn snapshot(dir: &Path) -> BTreeMap<String, (u64, u32, SystemTime)> {
    use std::os::unix::fs::PermissionsExt;
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                (m.len(), m.permissions().mode(), m.modified().unwrap()),
            )
        })
        .collect()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Runs a system tool; `Err` with its stderr when it fails.
fn sys(program: &str, args: &[&str]) -> Result<(), String> {
    match Command::new(program).args(args).output() {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(format!(
            "`{program} {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Err(format!("`{program}` could not run: {e}")),
    }
}

/// Unmounts on drop (lazily, so a panic elsewhere never leaves a busy mount behind).
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let p = self.0.to_string_lossy().into_owned();
        if sys("umount", &[&p]).is_err() {
            let _ = sys("umount", &["-l", &p]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. kill -9 at random moments
// ---------------------------------------------------------------------------------------------

#[test]
fn kill_9_during_keygen_loses_no_key_and_leaves_no_private_temp_file() {
    let mut p = Problems::new("keygen");
    let mut rng = Rng::new("keygen");
    let (_dir, home) = new_dir();
    let mut known = BTreeSet::new();
    let (mut es, mut rsa) = (Timing::new(), Timing::new());
    for (args, timing) in [
        (["keygen", "--es256"], &mut es),
        (["keygen", "--rs256"], &mut rsa),
    ] {
        for _ in 0..3 {
            let r = run(&home, &args);
            assert_eq!(r.code, Some(0), "{args:?}: {}", r.describe());
            known.insert(r.out.trim().to_owned());
            timing.add(&r);
        }
    }
    for (args, n) in [(["keygen", "--es256"], 90), (["keygen", "--rs256"], 12)] {
        for i in 0..n {
            let rsa_run = args[1] == "--rs256";
            let delay = rng.delay(if rsa_run { &rsa } else { &es }.typical());
            let at = format!("{} #{i} (killed at {delay:.1?})", args[1]);
            let k = run_killed(&home, &args, delay);
            if rsa_run { &mut rsa } else { &mut es }.add(&k);
            if p.killed(&k) {
                match k.code {
                    Some(0) => {
                        known.insert(k.out.trim().to_owned());
                    }
                    _ => p.push(format!("{at}: failed on its own: {}", k.describe())),
                }
            }
            match listed_kids(&home) {
                Ok(kids) => {
                    let kids: BTreeSet<String> = kids.into_iter().collect();
                    let lost: Vec<&String> = known.difference(&kids).collect();
                    if !lost.is_empty() {
                        p.push(format!("{at}: keys lost from the keyring: {lost:?}"));
                    }
                    // §2b: a key is stored only after its kid was printed.
                    for new in kids.difference(&known) {
                        if !k.out.lines().any(|l| l == new) {
                            p.push(format!(
                                "{at}: the dead run stored key {new} but never printed its kid"
                            ));
                        }
                    }
                    known.extend(kids);
                }
                Err(e) => p.push(format!("{at}: the keyring does not list: {e}")),
            }
            // The next successful command cleans up after the dead one.
            let next = run(&home, &["keygen", "--es256"]);
            es.add(&next);
            if next.code == Some(0) {
                known.insert(next.out.trim().to_owned());
            } else {
                p.push(format!("{at}: the next keygen failed: {}", next.describe()));
            }
            let temps = private_temps(&home);
            if !temps.is_empty() {
                p.push(format!(
                    "{at}: temporary files with private keys left after the next keygen: {temps:?}"
                ));
            }
        }
    }
    match listed_kids(&home) {
        Ok(kids) => {
            let kids: BTreeSet<String> = kids.into_iter().collect();
            let lost: Vec<&String> = known.difference(&kids).collect();
            if !lost.is_empty() {
                p.push(format!("at the end: keys lost from the keyring: {lost:?}"));
            }
        }
        Err(e) => p.push(format!("at the end: the keyring does not list: {e}")),
    }
    p.finish();
}

/// The files `keygen --ALG --out` writes.
fn out_set(stem: &str) -> [String; 3] {
    [
        format!("{stem}.key.pem"),
        format!("{stem}.pub.pem"),
        format!("{stem}.jwks.json"),
    ]
}

/// Why a written set is not a whole, private, self-consistent key set (`kid` if known).
fn out_set_problem(out: &Path, stem: &str, kid: Option<&str>) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let [key, public, jwks] = out_set(stem).map(|n| out.join(n));
    let key_text = fs::read_to_string(&key).unwrap_or_default();
    if !key_text.contains("-----BEGIN PRIVATE KEY-----")
        || !key_text.trim_end().ends_with("-----END PRIVATE KEY-----")
    {
        return Some(format!("{} is not a whole PKCS#8 PEM", key.display()));
    }
    let mode = fs::metadata(&key).map_or(0, |m| m.permissions().mode() & 0o777);
    if mode != 0o600 {
        return Some(format!("{} has mode {mode:o}", key.display()));
    }
    let pub_text = fs::read_to_string(&public).unwrap_or_default();
    if !pub_text.trim_end().ends_with("-----END PUBLIC KEY-----") {
        return Some(format!("{} is not a whole public PEM", public.display()));
    }
    let set: Value = match serde_json::from_str(&fs::read_to_string(&jwks).unwrap_or_default()) {
        Ok(v) => v,
        Err(e) => return Some(format!("{} is not JSON: {e}", jwks.display())),
    };
    let jwks_kid = set["keys"][0]["kid"].as_str().unwrap_or("");
    if kid.is_some_and(|k| k != jwks_kid) {
        return Some(format!(
            "{} has kid {jwks_kid:?}, printed {kid:?}",
            jwks.display()
        ));
    }
    None
}

#[test]
fn kill_9_during_keygen_out_leaves_a_whole_set_or_none_and_the_rerun_works() {
    let mut p = Problems::new("keygen_out");
    let mut rng = Rng::new("keygen_out");
    let (dir, home) = new_dir();
    let out = dir.path().join("out");
    let out_s = out.to_string_lossy().into_owned();
    let remove_set = |stem: &str| {
        for name in out_set(stem) {
            let _ = fs::remove_file(out.join(name));
        }
    };
    for (flag, stem, n) in [("--es256", "es256", 60), ("--rs256", "rs256", 6)] {
        let args = ["keygen", flag, "--out", out_s.as_str()];
        let mut timing = Timing::new();
        for _ in 0..3 {
            let r = run(&home, &args);
            assert_eq!(r.code, Some(0), "{args:?}: {}", r.describe());
            remove_set(stem);
            timing.add(&r);
        }
        for i in 0..n {
            let delay = rng.delay(timing.typical());
            let at = format!("{stem} --out #{i} (killed at {delay:.1?})");
            let k = run_killed(&home, &args, delay);
            timing.add(&k);
            let present: Vec<String> = out_set(stem)
                .into_iter()
                .filter(|n| out.join(n).exists())
                .collect();
            if p.killed(&k) && k.code != Some(0) {
                p.push(format!("{at}: failed on its own: {}", k.describe()));
            }
            if k.code == Some(0)
                && let Some(e) = out_set_problem(&out, stem, Some(k.out.trim()))
            {
                p.push(format!("{at}: exited 0 but {e}"));
            }
            if present.len() == 3 {
                // The dead run finished its work: the set must be whole, and (§2b) its kid
                // printed before it was written. Clear it for the rerun.
                if let Some(e) = out_set_problem(&out, stem, None) {
                    p.push(format!("{at}: {e}"));
                } else if k.out.trim().is_empty() {
                    p.push(format!(
                        "{at}: the dead run wrote the key set but never printed its kid"
                    ));
                }
                remove_set(stem);
            }
            // Whatever the dead run left, a plain rerun (no --force) must work.
            let rerun = run(&home, &args);
            timing.add(&rerun);
            if rerun.code == Some(0) {
                if let Some(e) = out_set_problem(&out, stem, Some(rerun.out.trim())) {
                    p.push(format!("{at}: the rerun exited 0 but {e}"));
                }
            } else {
                p.push(format!(
                    "{at}: left {present:?} and the rerun failed: {}",
                    rerun.describe()
                ));
            }
            let temps = private_temps(&out);
            if !temps.is_empty() {
                p.push(format!(
                    "{at}: temporary files with private keys left after the rerun: {temps:?}"
                ));
            }
            remove_set(stem);
        }
    }
    p.finish();
}

#[test]
fn kill_9_during_login_leaves_a_consistent_store_and_no_stale_temp_file() {
    sqlite3_note();
    let mut p = Problems::new("login");
    let mut rng = Rng::new("login");
    let (_dir, home) = home_with_key();
    let create = run(&home, &["login", "--sub", "first"]); // creates the store
    assert_eq!(create.code, Some(0), "{}", create.describe());
    let mut creating = Timing::new();
    creating.add(&create);
    let mut timing = Timing::new();
    for i in 0..3 {
        let r = run(&home, &["login", "--sub", &format!("m{i}")]);
        assert_eq!(r.code, Some(0), "{}", r.describe());
        timing.add(&r);
    }
    let mut known: BTreeSet<String> = families(&home).unwrap().into_keys().collect();

    // Killed while the store is being created: the next login must work and leave no temp.
    for i in 0..10 {
        let (_d, fresh) = home_with_key();
        let delay = rng.delay(creating.typical());
        let at = format!("first login #{i} (killed at {delay:.1?})");
        let k = run_killed(&fresh, &["login", "--sub", "a"], delay);
        creating.add(&k);
        p.killed(&k);
        let next = run(&fresh, &["login", "--sub", "b"]);
        if next.code != Some(0) {
            p.push(format!("{at}: the next login failed: {}", next.describe()));
        }
        let temps = temps_of(&fresh, "refresh.db");
        if !temps.is_empty() {
            p.push(format!(
                "{at}: temporary store files left after the next login: {temps:?}"
            ));
        }
        for e in store_problems(&fresh, None) {
            p.push(format!("{at}: {e}"));
        }
    }

    for i in 0..40 {
        let sub = format!("k{i}");
        let delay = rng.delay(timing.typical());
        let at = format!("login #{i} (killed at {delay:.1?})");
        let k = run_killed(&home, &["login", "--sub", &sub], delay);
        timing.add(&k);
        if p.killed(&k) && k.code != Some(0) {
            p.push(format!("{at}: failed on its own: {}", k.describe()));
        }
        let printed = response(&k.out);
        let rows = match families(&home) {
            Ok(rows) => rows,
            Err(e) => {
                p.push(format!("{at}: {e}"));
                continue;
            }
        };
        let ids: BTreeSet<String> = rows.keys().cloned().collect();
        let lost: Vec<&String> = known.difference(&ids).collect();
        if !lost.is_empty() {
            p.push(format!("{at}: sessions lost: {lost:?}"));
        }
        let new: BTreeSet<String> = ids.difference(&known).cloned().collect();
        if new.len() > 1 {
            p.push(format!("{at}: one login opened {} sessions", new.len()));
        }
        if k.code == Some(0) {
            match &printed {
                Some(r) if new.contains(&s(r, "session_id")) => {}
                _ => p.push(format!(
                    "{at}: exited 0 but its session is not in the store: {}",
                    k.describe()
                )),
            }
        }
        for id in &new {
            if rows[id]["sub"] != sub.as_str() {
                p.push(format!("{at}: new session {id} is of {}", rows[id]["sub"]));
            }
            // §2b: a session is stored only after its pair was delivered.
            if printed.as_ref().is_none_or(|r| s(r, "session_id") != *id) {
                p.push(format!(
                    "{at}: the dead run opened session {id} but never printed its tokens"
                ));
            }
        }
        for e in store_problems(&home, Some(&new)) {
            p.push(format!("{at}: {e}"));
        }
        // A pair that reached the client and was committed is a working session.
        if let Some(r) = printed.filter(|r| new.contains(&s(r, "session_id"))) {
            let rf = run(&home, &["refresh", &s(&r, "refresh_token")]);
            if rf.code != Some(0) {
                p.push(format!(
                    "{at}: the printed refresh token of a stored session fails: {}",
                    rf.describe()
                ));
            }
        }
        known.extend(ids);
    }
    for e in store_problems(&home, None) {
        p.push(format!("at the end: {e}"));
    }
    p.finish();
}

#[test]
fn kill_9_during_refresh_loses_no_session_and_keeps_the_chain() {
    sqlite3_note();
    let mut p = Problems::new("refresh");
    let mut rng = Rng::new("refresh");
    let (_dir, home) = home_with_key();
    let first = login(&home, "alice");
    let mut family = s(&first, "session_id");
    let mut rt = s(&first, "refresh_token");
    let mut timing = Timing::new();
    for _ in 0..3 {
        let r = run(&home, &["refresh", &rt]);
        assert_eq!(r.code, Some(0), "{}", r.describe());
        rt = s(&response(&r.out).unwrap(), "refresh_token");
        timing.add(&r);
    }
    for i in 0..60 {
        let delay = rng.delay(timing.typical());
        let at = format!("refresh #{i} (killed at {delay:.1?})");
        let k = run_killed(&home, &["refresh", &rt], delay);
        timing.add(&k);
        let finished = p.killed(&k);
        let printed = response(&k.out).map(|r| s(&r, "refresh_token"));
        if finished {
            match (&k.code, &printed) {
                (Some(0), Some(new)) => rt.clone_from(new),
                _ => p.push(format!("{at}: failed on its own: {}", k.describe())),
            }
        } else {
            // The holder keeps whichever token works: the printed successor if the dead run
            // delivered and committed one, else the old one. One of them must work.
            let mut next = None;
            if let Some(new) = &printed {
                let r = run(&home, &["refresh", new]);
                if r.code == Some(0) {
                    next = response(&r.out).map(|v| s(&v, "refresh_token"));
                } else if r.code == Some(9) {
                    p.push(format!(
                        "{at}: its printed successor is refused as reuse: {}",
                        r.describe()
                    ));
                }
            }
            if next.is_none() {
                let r = run(&home, &["refresh", &rt]);
                timing.add(&r);
                if r.code == Some(0) {
                    next = response(&r.out).map(|v| s(&v, "refresh_token"));
                } else {
                    p.push(format!(
                        "{at}: session lost: the dead run printed {}, and the old token now gives {}",
                        if printed.is_some() { "a successor that does not work" } else { "nothing" },
                        r.describe()
                    ));
                }
            }
            match next {
                Some(n) => rt = n,
                None => {
                    let again = login(&home, "alice");
                    family = s(&again, "session_id");
                    rt = s(&again, "refresh_token");
                }
            }
        }
        let only = BTreeSet::from([family.clone()]);
        for e in store_problems(&home, Some(&only)) {
            p.push(format!("{at}: {e}"));
        }
    }
    for e in store_problems(&home, None) {
        p.push(format!("at the end: {e}"));
    }
    p.finish();
}

#[test]
fn kill_9_during_logout_leaves_the_session_active_or_revoked_never_half() {
    sqlite3_note();
    let mut p = Problems::new("logout");
    let mut rng = Rng::new("logout");
    let (_dir, home) = home_with_key();
    let sessions: Vec<Value> = (0..27).map(|i| login(&home, &format!("u{i}"))).collect();
    let mut timing = Timing::new();
    for session in &sessions[24..] {
        let r = run(&home, &["logout", &s(session, "refresh_token")]);
        assert_eq!(r.code, Some(0), "{}", r.describe());
        timing.add(&r);
    }
    for (i, session) in sessions[..24].iter().enumerate() {
        let (id, rt) = (s(session, "session_id"), s(session, "refresh_token"));
        let args = if i % 2 == 0 {
            vec!["logout", rt.as_str()]
        } else {
            vec!["logout", "--family", id.as_str()]
        };
        let delay = rng.delay(timing.typical());
        let at = format!("{args:?} #{i} (killed at {delay:.1?})");
        let k = run_killed(&home, &args, delay);
        timing.add(&k);
        if p.killed(&k) && k.code != Some(0) {
            p.push(format!("{at}: failed on its own: {}", k.describe()));
        }
        let only = BTreeSet::from([id.clone()]);
        let state = families(&home).map(|rows| rows.get(&id).cloned());
        match &state {
            Ok(Some(row)) => {
                let st = row["state"].as_str().unwrap_or("?");
                if k.code == Some(0) && st != "revoked" {
                    p.push(format!("{at}: exited 0 but the session is {st}"));
                }
                if st != "active" && st != "revoked" {
                    p.push(format!("{at}: the session is {st}"));
                }
            }
            Ok(None) => p.push(format!("{at}: the session is gone from the store")),
            Err(e) => p.push(format!("{at}: {e}")),
        }
        for e in store_problems(&home, Some(&only)) {
            p.push(format!("{at}: {e}"));
        }
        // Logging out again finishes the job; the session then refuses its token (8).
        let again = run(&home, &args);
        if again.code != Some(0) {
            p.push(format!(
                "{at}: logging out again failed: {}",
                again.describe()
            ));
        }
        let r = run(&home, &["refresh", &rt]);
        if r.code != Some(8) {
            p.push(format!(
                "{at}: after logout the refresh token gives {}",
                r.describe()
            ));
        }
    }
    for e in store_problems(&home, None) {
        p.push(format!("at the end: {e}"));
    }
    p.finish();
}

// ---------------------------------------------------------------------------------------------
// 2. Closed, full and broken stdout (DECISIONS §2b)
// ---------------------------------------------------------------------------------------------

#[test]
fn login_with_unwritable_stdout_exits_10_and_opens_no_session() {
    let mut p = Problems::new("stdout_login");
    let (_dir, home) = home_with_key();
    login(&home, "setup"); // the store exists
    for sink in SINKS {
        let before = families(&home).unwrap();
        let r = run_sink(&home, &["login", "--sub", "alice"], sink);
        if r.code != Some(10) {
            p.push(format!("{sink:?}: {}, want exit 10", r.describe()));
        }
        let after = families(&home).unwrap();
        if after.len() != before.len() {
            p.push(format!(
                "{sink:?}: the undelivered login opened a session ({} -> {} sessions)",
                before.len(),
                after.len()
            ));
        }
    }
    p.finish();
}

#[test]
fn refresh_with_unwritable_stdout_exits_10_and_the_token_still_refreshes() {
    let mut p = Problems::new("stdout_refresh");
    let (_dir, home) = home_with_key();
    let first = login(&home, "alice");
    let mut id = s(&first, "session_id");
    let mut rt = s(&first, "refresh_token");
    let generation = |id: &str| families(&home).unwrap()[id]["generation"].clone();
    for sink in SINKS {
        let before = generation(&id);
        let r = run_sink(&home, &["refresh", &rt], sink);
        if r.code != Some(10) {
            p.push(format!("{sink:?}: {}, want exit 10", r.describe()));
        }
        let after = generation(&id);
        if after != before {
            p.push(format!(
                "{sink:?}: the undelivered rotation was committed (generation {before} -> {after})"
            ));
        }
        let retry = run(&home, &["refresh", &rt]);
        match response(&retry.out) {
            Some(v) if retry.code == Some(0) => rt = s(&v, "refresh_token"),
            _ => {
                p.push(format!(
                    "{sink:?}: the session is lost, the retry gives {}",
                    retry.describe()
                ));
                let again = login(&home, "alice");
                id = s(&again, "session_id");
                rt = s(&again, "refresh_token");
            }
        }
    }
    for e in store_problems(&home, None) {
        p.push(e);
    }
    p.finish();
}

#[test]
fn keygen_with_unwritable_stdout_exits_10_and_adds_no_key() {
    let mut p = Problems::new("stdout_keygen");
    let (_dir, home) = home_with_key();
    for sink in SINKS {
        for alg in ["--es256", "--hs256"] {
            let before = listed_kids(&home).unwrap();
            let r = run_sink(&home, &["keygen", alg], sink);
            if r.code != Some(10) {
                p.push(format!("{sink:?} {alg}: {}, want exit 10", r.describe()));
            }
            let after = listed_kids(&home).unwrap();
            if after != before {
                p.push(format!(
                    "{sink:?} {alg}: the undelivered key was stored ({} -> {} keys)",
                    before.len(),
                    after.len()
                ));
            }
            let temps = private_temps(&home);
            if !temps.is_empty() {
                p.push(format!("{sink:?} {alg}: private temporary files {temps:?}"));
            }
        }
    }
    p.finish();
}

#[test]
fn keygen_out_with_unwritable_stdout_exits_10_and_writes_no_file() {
    let mut p = Problems::new("stdout_keygen_out");
    let (dir, home) = new_dir();
    for sink in SINKS {
        let out = dir.path().join(format!("{sink:?}"));
        let out_s = out.to_string_lossy().into_owned();
        let r = run_sink(&home, &["keygen", "--es256", "--out", &out_s], sink);
        if r.code != Some(10) {
            p.push(format!("{sink:?}: {}, want exit 10", r.describe()));
        }
        let left: Vec<String> = fs::read_dir(&out)
            .map(|it| {
                it.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        if !left.is_empty() {
            p.push(format!(
                "{sink:?}: the undelivered key set was written: {left:?}"
            ));
        }
        // The directory is as before: a plain rerun works.
        let rerun = run(&home, &["keygen", "--es256", "--out", &out_s]);
        if rerun.code != Some(0) {
            p.push(format!("{sink:?}: the rerun failed: {}", rerun.describe()));
        }
    }
    p.finish();
}

#[test]
fn state_changing_commands_that_print_nothing_ignore_stdout_and_commit() {
    let mut p = Problems::new("stdout_silent_commands");
    for sink in SINKS {
        let (_dir, home) = home_with_key();
        let a = login(&home, "alice");
        let b = login(&home, "bob");
        let state = |id: &Value| {
            families(&home).unwrap()[id.as_str().unwrap()]["state"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let mut check = |args: &[&str], what: &str, holds: &dyn Fn() -> bool| {
            let r = run_sink(&home, args, sink);
            if r.code != Some(0) {
                p.push(format!("{sink:?} {args:?}: {}, want exit 0", r.describe()));
            } else if !holds() {
                p.push(format!(
                    "{sink:?} {args:?}: exited 0 but {what} did not happen"
                ));
            }
        };
        let a_rt = s(&a, "refresh_token");
        check(&["logout", &a_rt], "the logout", &|| {
            state(&a["session_id"]) == "revoked"
        });
        let b_id = s(&b, "session_id");
        check(&["logout", "--family", &b_id], "the logout", &|| {
            state(&b["session_id"]) == "revoked"
        });
        login(&home, "carol");
        check(&["subject", "disable", "carol"], "disabling", &|| {
            run(&home, &["login", "--sub", "carol"]).code == Some(8)
        });
        check(&["subject", "enable", "carol"], "enabling", &|| {
            run(&home, &["login", "--sub", "carol"]).code == Some(0)
        });
        let old = listed_kids(&home).unwrap()[0].clone();
        ok(&home, &["keygen", "--es256"]);
        let active = |kid: &str| {
            run(&home, &["keys", "list", "--json"])
                .out
                .lines()
                .any(|l| l.contains(kid) && l.contains("\"active\":true"))
        };
        check(&["keys", "activate", &old], "activating", &|| active(&old));
        let newest = listed_kids(&home).unwrap()[1].clone();
        check(&["keys", "retire", &newest], "retiring", &|| {
            run(&home, &["keys", "list", "--json"])
                .out
                .lines()
                .any(|l| l.contains(&newest) && !l.contains("\"retired\":null"))
        });
    }
    p.finish();
}

#[test]
fn read_only_commands_exit_0_on_a_broken_pipe_and_10_on_a_full_disk() {
    let mut p = Problems::new("stdout_read_only");
    let (_dir, home) = home_with_key();
    let pair = login(&home, "alice");
    let at = s(&pair, "access_token");
    let id = s(&pair, "session_id");
    let commands: Vec<Vec<&str>> = vec![
        vec!["decode", &at],
        vec!["decode", "--json", &at],
        vec!["verify", "--aud", "jwtctl", &at],
        vec!["sessions"],
        vec!["sessions", "--json"],
        vec!["sessions", "--events"],
        vec!["sessions", &id],
        vec!["keys", "list"],
        vec!["keys", "list", "--json"],
        vec!["jwks"],
    ];
    let before = snapshot_but_wal(&home);
    for args in &commands {
        let r = run(&home, args);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.describe());
        assert!(!r.out.is_empty(), "{args:?} printed nothing");
        let r = run_sink(&home, args, Sink::BrokenPipe);
        if r.code != Some(0) {
            p.push(format!(
                "broken pipe {args:?}: {}, want exit 0",
                r.describe()
            ));
        }
        let r = run_sink(&home, args, Sink::Full);
        if r.code != Some(10) {
            p.push(format!(
                "/dev/full {args:?}: {}, want exit 10",
                r.describe()
            ));
        }
    }
    let after = snapshot_but_wal(&home);
    if after != before {
        p.push(format!(
            "a read-only command changed the home directory: {before:?} -> {after:?}"
        ));
    }
    p.finish();
}

// ---------------------------------------------------------------------------------------------
// 3. The keyring lock deleted while keygens run
// ---------------------------------------------------------------------------------------------

#[test]
fn deleting_the_keyring_lock_while_8_keygens_run_loses_no_key() {
    let mut p = Problems::new("lock_deleted");
    let (_dir, home) = home_with_key();
    let stop = AtomicBool::new(false);
    let lock = home.join("keyring.lock");
    let (deletions, results) = std::thread::scope(|scope| {
        let deleter = scope.spawn(|| {
            let mut n = 0u32;
            while !stop.load(Ordering::Relaxed) {
                if fs::remove_file(&lock).is_ok() {
                    n += 1;
                }
                std::thread::yield_now();
            }
            n
        });
        let workers: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    (0..8)
                        .map(|_| run(&home, &["keygen", "--es256"]))
                        .collect::<Vec<Run>>()
                })
            })
            .collect();
        let results: Vec<Run> = workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect();
        stop.store(true, Ordering::Relaxed);
        (deleter.join().unwrap(), results)
    });
    let mut printed = BTreeSet::new();
    for r in &results {
        if r.code == Some(0) {
            printed.insert(r.out.trim().to_owned());
        } else {
            p.push(format!("a keygen failed: {}", r.describe()));
        }
    }
    match listed_kids(&home) {
        Ok(kids) => {
            let kids: BTreeSet<String> = kids.into_iter().collect();
            let lost: Vec<&String> = printed.difference(&kids).collect();
            if !lost.is_empty() {
                p.push(format!(
                    "{} kids printed, {} of them lost from the keyring ({deletions} lock deletions): {lost:?}",
                    printed.len(),
                    lost.len()
                ));
            }
        }
        Err(e) => p.push(e),
    }
    p.finish();
}

// ---------------------------------------------------------------------------------------------
// 4. A disk that fills up
// ---------------------------------------------------------------------------------------------

/// Sum of the file sizes in `dir`, each rounded up to 4 KiB pages.
fn used_bytes(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.metadata().map_or(0, |m| m.len().div_ceil(4096) * 4096))
        .sum()
}

#[test]
fn a_full_disk_fails_with_10_and_keeps_what_was_there() {
    let (dir, home) = new_dir();
    fs::create_dir(&home).unwrap();
    let home_s = home.to_string_lossy().into_owned();
    if !is_root() {
        eprintln!("faults: skipping the full-disk test: mounting a small tmpfs needs root");
        return;
    }
    if let Err(e) = sys(
        "mount",
        &["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", &home_s],
    ) {
        eprintln!("faults: skipping the full-disk test: cannot mount a tmpfs here: {e}");
        return;
    }
    let mounted = Mounted(home.clone());
    let mut p = Problems::new("disk_full");

    let allowed = [
        "keyring.json",
        "keyring.lock",
        "refresh.db",
        "refresh.db-wal",
        "refresh.db-shm",
        "refresh.db-journal",
    ];
    let left_behind = |home: &Path| -> Vec<String> {
        snapshot(home)
            .into_keys()
            .filter(|n| !allowed.contains(&n.as_str()))
            .collect()
    };
    let remount = |kb: u64| sys("mount", &["-o", &format!("remount,size={kb}k"), &home_s]);
    let mut kids: BTreeSet<String> = BTreeSet::new();
    kids.insert(ok(&home, &["keygen", "--es256"]).trim().to_owned());

    // The first login on a disk too small for the store: it fails with 10 and leaves no
    // temporary file and no half store, or it works; either way a retry with room works.
    for kb in (48..=192).step_by(16) {
        let at = format!("first login with {kb} KiB");
        remount(kb).unwrap();
        let r = run(&home, &["login", "--sub", "first"]);
        if r.code != Some(0) && r.code != Some(10) {
            p.push(format!("{at}: {}, want 0 or 10", r.describe()));
        }
        let partial = left_behind(&home);
        if !partial.is_empty() {
            p.push(format!("{at}: files left behind: {partial:?}"));
        }
        // Read back with room again: on the full disk a reader may fail for want of space
        // (10), which is not a half-written store.
        remount(4096).unwrap();
        if home.join("refresh.db").exists()
            && let Err(e) = families(&home)
        {
            p.push(format!("{at}: {}, and then {e}", r.describe()));
        }
        let retry = run(&home, &["login", "--sub", "first"]);
        if retry.code != Some(0) {
            p.push(format!(
                "{at}: {}, and with room again the login gives {}",
                r.describe(),
                retry.describe()
            ));
        }
        for name in fs::read_dir(&home).unwrap().flatten().map(|e| e.path()) {
            if name
                .file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with("keyring"))
            {
                fs::remove_file(name).unwrap();
            }
        }
    }

    // What was there before the disk filled up.
    let first = login(&home, "alice");
    let mut sessions: BTreeMap<String, String> = BTreeMap::new(); // family -> current RT
    sessions.insert(s(&first, "session_id"), s(&first, "refresh_token"));
    // Now leave 64 KiB of room.
    remount(used_bytes(&home) / 1024 + 64).unwrap();
    let mut failed: BTreeMap<&str, usize> = BTreeMap::new();
    for i in 0..400 {
        let kind = ["keygen", "login", "refresh"][i % 3];
        if ["keygen", "login", "refresh"]
            .iter()
            .all(|k| failed.get(k).copied().unwrap_or(0) >= 2)
        {
            break;
        }
        let (fam, rt) = sessions
            .iter()
            .next_back()
            .map(|(f, r)| (f.clone(), r.clone()))
            .unwrap();
        let rows_before = families(&home).ok();
        let gen_before = rows_before.as_ref().map(|f| f[&fam]["generation"].clone());
        let keys_before = listed_kids(&home).ok();
        let sub = format!("s{i}");
        let r = match kind {
            "keygen" => run(&home, &["keygen", "--es256"]),
            "login" => run(&home, &["login", "--sub", &sub]),
            _ => run(&home, &["refresh", &rt]),
        };
        let at = format!("{kind} #{i}");
        match r.code {
            Some(0) => match kind {
                "keygen" => {
                    kids.insert(r.out.trim().to_owned());
                }
                _ => match response(&r.out) {
                    Some(v) => {
                        sessions.insert(s(&v, "session_id"), s(&v, "refresh_token"));
                    }
                    None => p.push(format!("{at}: exit 0 without a token response")),
                },
            },
            Some(10) => {
                *failed.entry(kind).or_default() += 1;
                // Nothing of the failed command was committed.
                if kind == "keygen" && listed_kids(&home).ok() != keys_before {
                    p.push(format!("{at}: failed, yet the keyring changed"));
                }
                if kind == "login" {
                    let (before, now) = (rows_before.as_ref(), families(&home).ok());
                    if before.map(BTreeMap::len) != now.as_ref().map(BTreeMap::len) {
                        p.push(format!("{at}: failed, yet a session was opened"));
                    }
                }
                if kind == "refresh" {
                    let now = families(&home).ok().map(|f| f[&fam]["generation"].clone());
                    if now != gen_before {
                        p.push(format!(
                            "{at}: failed, yet the family moved from generation {gen_before:?} to {now:?}"
                        ));
                    }
                }
            }
            _ => p.push(format!("{at}: {}, want 0 or 10", r.describe())),
        }
        // After any command: the earlier state is intact and nothing half-written is left.
        let partial = left_behind(&home);
        if !partial.is_empty() {
            p.push(format!("{at}: files left behind: {partial:?}"));
        }
        match listed_kids(&home) {
            Ok(list) => {
                let list: BTreeSet<String> = list.into_iter().collect();
                let lost: Vec<&String> = kids.difference(&list).collect();
                if !lost.is_empty() {
                    p.push(format!("{at}: keys lost: {lost:?}"));
                }
            }
            Err(e) => p.push(format!("{at}: {e}")),
        }
        match families(&home) {
            Ok(rows) => {
                let lost: Vec<&String> =
                    sessions.keys().filter(|f| !rows.contains_key(*f)).collect();
                if !lost.is_empty() {
                    p.push(format!("{at}: sessions lost: {lost:?}"));
                }
            }
            Err(e) => p.push(format!("{at}: {e}")),
        }
    }
    for kind in ["keygen", "login", "refresh"] {
        if failed.get(kind).copied().unwrap_or(0) == 0 {
            p.push(format!(
                "{kind} never ran out of space: the test proved nothing"
            ));
        }
    }
    // Room again: every session's current token refreshes, every key is there.
    remount(4096).unwrap();
    for (fam, rt) in &sessions {
        let r = run(&home, &["refresh", rt]);
        if r.code != Some(0) {
            p.push(format!(
                "with room again, session {fam}'s current token gives {}",
                r.describe()
            ));
        }
    }
    for e in store_problems(&home, None) {
        p.push(format!("with room again: {e}"));
    }
    let r = run(&home, &["keygen", "--es256"]);
    if r.code != Some(0) {
        p.push(format!("with room again, keygen gives {}", r.describe()));
    }
    drop(mounted);
    drop(dir);
    p.finish();
}

// ---------------------------------------------------------------------------------------------
// 5. Read-only homes
// ---------------------------------------------------------------------------------------------

/// How the home is made read-only.
enum ReadOnly {
    /// A read-only bind mount of it (root, mount allowed).
    Mount,
    /// The home chmod'ed read-only and owned by `nobody`, commands run as `nobody` (root
    /// without mount, with setpriv).
    Nobody,
    /// The home chmod'ed read-only (not root: permission bits bind).
    Chmod,
    /// Nothing could make it read-only; only "changes nothing" is checked.
    Unprotected,
}

fn chmod_tree(home: &Path, file: u32, dir: u32) {
    use std::os::unix::fs::PermissionsExt;
    for e in fs::read_dir(home).unwrap().flatten() {
        fs::set_permissions(e.path(), fs::Permissions::from_mode(file)).unwrap();
    }
    fs::set_permissions(home, fs::Permissions::from_mode(dir)).unwrap();
}

/// Makes `home` read-only: how, the path to use as the home, and the bind mount to undo.
fn make_read_only(dir: &Path, home: &Path) -> (ReadOnly, PathBuf, Option<Mounted>) {
    let home_s = home.to_string_lossy().into_owned();
    if !is_root() {
        chmod_tree(home, 0o400, 0o500);
        return (ReadOnly::Chmod, home.to_path_buf(), None);
    }
    let ro = dir.join("ro-home");
    fs::create_dir(&ro).unwrap();
    let ro_s = ro.to_string_lossy().into_owned();
    let mount_err = match sys("mount", &["--bind", &home_s, &ro_s]) {
        Ok(()) => {
            let guard = Mounted(ro.clone());
            match sys("mount", &["-o", "remount,bind,ro", &ro_s]) {
                Ok(()) if fs::write(ro.join("probe"), b"x").is_err() => {
                    return (ReadOnly::Mount, ro, Some(guard));
                }
                Ok(()) => "the read-only bind mount is writable".to_owned(),
                Err(e) => e,
            }
        }
        Err(e) => e,
    };
    // As nobody: the temporary directory must be traversable and the binary runnable by it.
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o711)).unwrap();
    }
    let as_nobody = sys(
        "setpriv",
        &[
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            bin(),
            "--version",
        ],
    );
    match as_nobody.and_then(|()| sys("chown", &["-R", "65534:65534", &home_s])) {
        Ok(()) => {
            eprintln!("faults: no read-only bind mount ({mount_err}); running as nobody instead");
            chmod_tree(home, 0o400, 0o500);
            return (ReadOnly::Nobody, home.to_path_buf(), None);
        }
        Err(e) => eprintln!(
            "faults: cannot make the home read-only for root (bind mount: {mount_err}; as nobody: \
             {e}): checking only that read-only commands leave it unchanged"
        ),
    }
    (ReadOnly::Unprotected, home.to_path_buf(), None)
}

#[test]
fn a_read_only_home_still_serves_read_only_commands() {
    let mut p = Problems::new("read_only_home");
    let (dir, home) = home_with_key();
    let pair = login(&home, "alice");
    let rotated = response(&ok(&home, &["refresh", &s(&pair, "refresh_token")])).unwrap();
    let at = s(&rotated, "access_token");
    let id = s(&pair, "session_id");
    let (mode, ro_home, mounted) = make_read_only(dir.path(), &home);
    let before = snapshot_but_wal(&ro_home);
    let commands: Vec<Vec<&str>> = vec![
        vec!["sessions"],
        vec!["sessions", "--json"],
        vec!["sessions", "--events"],
        vec!["sessions", &id, "--json"],
        vec!["verify", "--aud", "jwtctl", &at],
        vec!["jwks"],
        vec!["keys", "list"],
        vec!["keys", "list", "--json"],
    ];
    for args in &commands {
        let r = match mode {
            ReadOnly::Nobody => {
                let mut c = Command::new("setpriv");
                hermetic(&mut c, &ro_home);
                c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin()])
                    .arg("--color=never")
                    .args(args);
                run_cmd(&mut c)
            }
            _ => run(&ro_home, args),
        };
        if r.code != Some(0) || r.out.trim().is_empty() {
            p.push(format!("{args:?} in a read-only home: {}", r.describe()));
        }
    }
    let after = snapshot_but_wal(&ro_home);
    if after != before {
        p.push(format!(
            "a read-only command changed the home directory: {before:?} -> {after:?}"
        ));
    }
    let how = match mode {
        ReadOnly::Mount => "a read-only bind mount",
        ReadOnly::Nobody => "chmod, as nobody",
        ReadOnly::Chmod => "chmod",
        ReadOnly::Unprotected => "not enforced (see above)",
    };
    eprintln!("faults: read-only home: {how}");
    drop(mounted);
    chmod_tree(&home, 0o600, 0o700); // so the temporary directory can be removed
    p.finish();
}
