//! The Redis store against a real, throwaway `redis-server` (started once per test process on
//! a random loopback port, killed with it): the same operations through SQLite and Redis give
//! the same families, chains and events; compare-and-set conflicts are decided again; a failed
//! delivery is undone exactly; keys expire with the family; prefixes are isolated.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::session::store::sqlite::{DEFAULT_WAIT, SqliteStore};
use crate::session::store::target::Target;
use crate::session::store::{CodeClaim, ServeRecords, TokenState, serve_story};
use crate::session::{
    Grant, Lifetimes, Presented, Request, Successor, TokenResponse, decide, new_family, token_hash,
    token_record,
};
use std::io::{BufRead, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Starts processes from one thread that lives as long as the test process, so that
/// `setpriv --pdeathsig KILL` (tied to the thread that forked) kills them when it exits.
fn spawn(cmd: Command) -> Child {
    type Job = (Command, mpsc::Sender<std::io::Result<Child>>);
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    let tx = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::spawn(move || {
            for (mut cmd, reply) in rx {
                let _ = reply.send(cmd.spawn());
            }
            // The sender lives in a static: this thread never returns.
        });
        Mutex::new(tx)
    });
    let (reply, answer) = mpsc::channel();
    tx.lock().unwrap().send((cmd, reply)).unwrap();
    answer
        .recv()
        .unwrap()
        .expect("redis-server must be installed for these tests (apt-get install redis-server)")
}

struct Server {
    port: u16,
    _dir: tempfile::TempDir,
    _child: Child,
}

fn ping(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut buf = [0u8; 7];
    s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cmd = Command::new("setpriv");
        cmd.args(["--pdeathsig", "KILL", "--", "redis-server", "--port"])
            .arg(port.to_string())
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = spawn(cmd);
        let started = std::time::Instant::now();
        while !ping(port) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "redis-server did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Server {
            port,
            _dir: dir,
            _child: child,
        }
    })
}

/// One raw command through redis-cli-free RESP on a fresh connection (inline protocol).
fn raw(args: &[&str]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", server().port)).unwrap();
    s.write_all(&conn_encode(args)).unwrap();
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    line.trim_end().to_owned()
}

fn conn_encode(args: &[&str]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n{a}\r\n", a.len()).as_bytes());
    }
    out
}

/// A store under a prefix no other test uses.
fn store_with(prefix: &str) -> RedisStore {
    let Target::Redis(server) =
        Target::parse(&format!("redis://127.0.0.1:{}/0", server().port), false).unwrap()
    else {
        unreachable!()
    };
    let options = Options {
        ca: None,
        prefix: prefix.to_owned(),
        timeout: Duration::from_secs(10),
        wait: Duration::ZERO,
    };
    RedisStore::connect(&server, &options).unwrap()
}

fn fresh() -> (RedisStore, String) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let prefix = format!(
        "unit{}-{}:",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    (store_with(&prefix), prefix)
}

const T0: i64 = 1_700_000_000;

fn life() -> Lifetimes {
    Lifetimes {
        access: 60,
        refresh: 600,
        max: 6000,
    }
}

fn family(id: &str, sub: &str, now: i64) -> (Family, TokenRecord) {
    let grant = Grant {
        sub: sub.into(),
        client_id: "web".into(),
        scope: Some("read".into()),
        iss: "jwtctl".into(),
        aud: "api".into(),
    };
    let f = new_family(&grant, life(), id.into(), format!("{id}-g1"), now);
    let t = token_record(
        &f,
        1,
        &f.current_jti,
        None,
        token_hash(&f.current_jti),
        now,
        now + 600,
    );
    (f, t)
}

/// A pair as `refresh` would mint it, the token being its jti (the store sees only its hash).
fn mint(issue: crate::session::Issue<'_>, now: i64) -> Successor {
    let jti = format!("{}-g{}", issue.family.id, issue.generation);
    let record = token_record(
        issue.family,
        issue.generation,
        &jti,
        Some(&issue.parent.jti),
        token_hash(&jti),
        now,
        now + 600,
    );
    let response = TokenResponse {
        access_token: "a".into(),
        token_type: "Bearer",
        expires_in: 60,
        refresh_token: jti.clone(),
        refresh_expires_in: 600,
        scope: None,
        session_id: issue.family.id.clone(),
        generation: issue.generation,
    };
    Successor { record, response }
}

fn presented(jti: &str, family: &str, generation: i64) -> Presented {
    Presented {
        jti: jti.into(),
        family_id: family.into(),
        generation,
        sha256: token_hash(jti),
        expired: false,
    }
}

/// `refresh` of token `jti` (family `fam`, generation `g`) at `now`: the step's kind.
fn refresh(store: &dyn Store, jti: &str, fam: &str, g: i64, now: i64, grace: i64) -> String {
    let p = presented(jti, fam, g);
    let req = Request {
        client_id: None,
        grace,
        now,
    };
    let step = store
        .refresh(
            jti,
            now,
            &mut |snap| decide(snap, &p, &req, |issue| Ok(mint(issue, now))),
            &mut |_| Ok(()),
        )
        .unwrap();
    kind(&step)
}

fn kind(step: &Step) -> String {
    match step {
        Step::Rotate { successor, .. } => format!("rotate:{}", successor.record.jti),
        Step::Grace { successor, .. } => format!("grace:{}", successor.record.jti),
        Step::Revoke { reason, .. } => format!("revoke:{}", reason.name()),
        Step::Refuse { refusal, .. } => format!("refuse:{:?}", refusal.reason),
    }
}

/// Everything a store shows, as text: families, each chain, the event log.
fn dump(store: &dyn Store) -> String {
    let mut out = String::new();
    for l in store.families(&Filter::default()).unwrap() {
        out += &format!(
            "{:?} exp={:?} dis={:?}\n",
            l.family, l.current_expires, l.disabled
        );
        for t in store.chain(&l.family.id).unwrap() {
            out += &format!("  {t:?}\n");
        }
    }
    for e in store.events(&Filter::default()).unwrap() {
        out += &format!("{e:?}\n");
    }
    out
}

/// The same story through any store.
fn story(s: &dyn Store) -> Vec<String> {
    let mut log = Vec::new();
    let open = |id: &str, sub: &str, now: i64| {
        let (f, t) = family(id, sub, now);
        s.open_family(&f, &t, now, &mut || Ok(())).unwrap()
    };
    assert!(open("fa", "alice", T0).is_none());
    assert!(open("fb", "alice", T0 + 1).is_none());
    assert!(open("fc", "bob", T0 + 1).is_none());
    log.push(refresh(s, "fa-g1", "fa", 1, T0 + 10, 0));
    log.push(refresh(s, "fa-g2", "fa", 2, T0 + 20, 0));
    // The immediate predecessor inside the grace window, then outside it (reuse).
    log.push(refresh(s, "fa-g2", "fa", 2, T0 + 25, 30));
    log.push(refresh(s, "fa-g1", "fa", 1, T0 + 30, 30));
    log.push(refresh(s, "fa-g3", "fa", 3, T0 + 31, 0));
    // Unknown, not issued (a wrong hash), expired.
    log.push(refresh(s, "nope", "fa", 1, T0 + 32, 0));
    let p = Presented {
        sha256: vec![0; 32],
        ..presented("fb-g1", "fb", 1)
    };
    let req = Request {
        client_id: None,
        grace: 0,
        now: T0 + 33,
    };
    let step = s
        .refresh(
            "fb-g1",
            T0 + 33,
            &mut |snap| decide(snap, &p, &req, |i| Ok(mint(i, T0 + 33))),
            &mut |_| Ok(()),
        )
        .unwrap();
    log.push(kind(&step));
    log.push(refresh(s, "fb-g1", "fb", 1, T0 + 700, 0));
    // A client mismatch revokes.
    let req = Request {
        client_id: Some("cli".into()),
        grace: 0,
        now: T0 + 40,
    };
    let p = presented("fc-g1", "fc", 1);
    let step = s
        .refresh(
            "fc-g1",
            T0 + 40,
            &mut |snap| decide(snap, &p, &req, |i| Ok(mint(i, T0 + 40))),
            &mut |_| Ok(()),
        )
        .unwrap();
    log.push(kind(&step));
    // Subjects: disable, refused login and refresh, enable.
    assert!(s.disable_subject("alice", Some("left"), T0 + 50).unwrap());
    assert!(!s.disable_subject("alice", None, T0 + 51).unwrap());
    assert!(open("fd", "alice", T0 + 52).is_some());
    log.push(refresh(s, "fb-g1", "fb", 1, T0 + 53, 0));
    assert!(s.enable_subject("alice", T0 + 54).unwrap());
    assert!(!s.enable_subject("alice", T0 + 55).unwrap());
    assert!(open("fe", "alice", T0 + 56).is_none());
    // Logout by token (a wrong hash is unknown), twice, then --all.
    assert_eq!(
        s.revoke_family(
            "fe",
            Some(("fe-g1", &[1u8; 32])),
            RevokeReason::Logout,
            T0 + 57
        )
        .unwrap(),
        Revoked::Unknown
    );
    assert!(matches!(
        s.revoke_family("fe", Some(("fe-g1", &token_hash("fe-g1"))), RevokeReason::Logout, T0 + 58)
            .unwrap(),
        Revoked::Now(f) if f.revoked_at == Some(T0 + 58)
    ));
    assert!(matches!(
        s.revoke_family("fe", None, RevokeReason::Admin, T0 + 59)
            .unwrap(),
        Revoked::Already(_)
    ));
    assert_eq!(
        s.revoke_family("zz", None, RevokeReason::Admin, T0 + 59)
            .unwrap(),
        Revoked::Unknown
    );
    assert!(open("ff", "alice", T0 + 60).is_none());
    assert_eq!(
        s.revoke_subject("alice", RevokeReason::LogoutAll, T0 + 61)
            .unwrap(),
        ["fb", "ff"]
    );
    log.push(format!(
        "{:?}",
        s.families_by_prefix("f", 3)
            .unwrap()
            .iter()
            .map(|f| f.id.clone())
            .collect::<Vec<_>>()
    ));
    log.push(format!(
        "{:?}",
        s.families_by_prefix("fa", 3).unwrap().len()
    ));
    let by_sub = s
        .families(&Filter {
            sub: Some("alice".into()),
            family: None,
        })
        .unwrap();
    log.push(format!("{}", by_sub.len()));
    let events = s
        .events(&Filter {
            family: Some("fa".into()),
            sub: None,
        })
        .unwrap();
    log.push(format!("{}", events.len()));
    log
}

#[test]
fn the_same_story_gives_the_same_store_as_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::create(&dir.path().join("home"), DEFAULT_WAIT).unwrap();
    let (redis, _) = fresh();
    let a = story(&sqlite);
    let b = story(&redis);
    assert_eq!(a, b);
    assert_eq!(dump(&sqlite), dump(&redis));
}

#[test]
fn a_failed_delivery_puts_everything_back_exactly() {
    let (s, _) = fresh();
    let (f, t) = family("fa", "alice", T0);
    let err = s
        .open_family(&f, &t, T0, &mut || Err(anyhow::anyhow!("stdout is full")))
        .unwrap_err();
    assert_eq!(err.to_string(), "stdout is full");
    assert_eq!(dump(&s), "");
    s.open_family(&f, &t, T0, &mut || Ok(())).unwrap();
    refresh(&s, "fa-g1", "fa", 1, T0 + 1, 0);
    let before = dump(&s);
    let fail = |jti: &str, g: i64, grace: i64, client: Option<&str>| {
        let p = presented(jti, "fa", g);
        let req = Request {
            client_id: client.map(str::to_owned),
            grace,
            now: T0 + 2,
        };
        let err = s
            .refresh(
                jti,
                T0 + 2,
                &mut |snap| decide(snap, &p, &req, |i| Ok(mint(i, T0 + 2))),
                &mut |_| Err(anyhow::anyhow!("stdout is full")),
            )
            .unwrap_err();
        assert_eq!(err.to_string(), "stdout is full");
    };
    fail("fa-g2", 2, 0, None); // a rotation
    assert_eq!(dump(&s), before);
    fail("fa-g1", 1, 60, None); // a grace re-issue
    assert_eq!(dump(&s), before);
    fail("fa-g1", 1, 0, None); // reuse: revoke
    assert_eq!(dump(&s), before);
    fail("fa-g2", 2, 0, Some("other")); // a client mismatch
    assert_eq!(dump(&s), before);
    fail("nope", 1, 0, None); // unknown: nothing written at all
    assert_eq!(dump(&s), before);
    // And the event counter went back: the next event follows on.
    assert_eq!(refresh(&s, "fa-g2", "fa", 2, T0 + 3, 0), "rotate:fa-g3");
    let ids: Vec<i64> = s
        .events(&Filter::default())
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, [1, 2, 3]);
}

#[test]
fn a_write_between_the_snapshot_and_the_step_is_decided_again() {
    let (s, prefix) = fresh();
    let (f, t) = family("fa", "alice", T0);
    s.open_family(&f, &t, T0, &mut || Ok(())).unwrap();
    // While this refresh decides, another client rotates the same token: the compare-and-set
    // fails, and the second decision sees a used token — reuse.
    let other = store_with(&prefix);
    let p = presented("fa-g1", "fa", 1);
    let req = Request {
        client_id: None,
        grace: 0,
        now: T0 + 1,
    };
    let mut calls = 0;
    let step = s
        .refresh(
            "fa-g1",
            T0 + 1,
            &mut |snap| {
                calls += 1;
                if calls == 1 {
                    assert_eq!(refresh(&other, "fa-g1", "fa", 1, T0 + 1, 0), "rotate:fa-g2");
                }
                decide(snap, &p, &req, |i| Ok(mint(i, T0 + 1)))
            },
            &mut |_| Ok(()),
        )
        .unwrap();
    assert_eq!(calls, 2);
    assert_eq!(kind(&step), "revoke:reuse_detected");
    let chain = s.chain("fa").unwrap();
    let states: Vec<_> = chain.iter().map(|t| t.state.name()).collect();
    assert_eq!(states, ["used", "revoked"]);

    // A subject disabled meanwhile is seen too (disabling revokes nothing by itself).
    let (f, t) = family("fb", "bob", T0);
    s.open_family(&f, &t, T0, &mut || Ok(())).unwrap();
    let p = presented("fb-g1", "fb", 1);
    let mut calls = 0;
    let step = s
        .refresh(
            "fb-g1",
            T0 + 1,
            &mut |snap| {
                calls += 1;
                if calls == 1 {
                    assert!(other.disable_subject("bob", None, T0 + 1).unwrap());
                }
                decide(snap, &p, &req, |i| Ok(mint(i, T0 + 1)))
            },
            &mut |_| Ok(()),
        )
        .unwrap();
    assert_eq!(kind(&step), "refuse:Disabled");
}

#[test]
fn a_state_that_keeps_changing_is_a_conflict_after_a_bounded_number_of_tries() {
    let (s, prefix) = fresh();
    let other = store_with(&prefix);
    let (f, t) = family("fa", "alice", T0);
    s.open_family(&f, &t, T0, &mut || Ok(())).unwrap();
    let p = presented("fa-g1", "fa", 1);
    let req = Request {
        client_id: None,
        grace: 0,
        now: T0 + 1,
    };
    let mut calls = 0;
    let err = s
        .refresh(
            "fa-g1",
            T0 + 1,
            &mut |snap| {
                calls += 1;
                // Toggle the subject after every read: the step never applies.
                if snap.disabled.is_some() {
                    other.enable_subject("alice", T0).unwrap();
                } else {
                    other.disable_subject("alice", None, T0).unwrap();
                }
                decide(snap, &p, &req, |i| Ok(mint(i, T0 + 1)))
            },
            &mut |_| Ok(()),
        )
        .unwrap_err();
    assert_eq!(calls, ATTEMPTS);
    assert!(
        matches!(
            err.downcast_ref::<StoreError>(),
            Some(StoreError::Conflict { .. })
        ),
        "{err:#}"
    );
    assert_eq!(s.chain("fa").unwrap()[0].state, TokenState::Active);
}

#[test]
fn keys_expire_with_the_family_and_expired_families_leave_the_listings() {
    let (s, prefix) = fresh();
    // --now far in the past: lifetimes count from the server's clock when written.
    let (f, t) = family("fa", "alice", 1_000_000);
    s.open_family(&f, &t, 1_000_000, &mut || Ok(())).unwrap();
    refresh(&s, "fa-g1", "fa", 1, 1_000_100, 0);
    let want = (6000 + EXPIRY_MARGIN) * 1000;
    for key in ["fam:fa", "chain:fa", "tok:fa-g1", "tok:fa-g2"] {
        let ttl: i64 = raw(&["PTTL", &format!("{prefix}{key}")])[1..]
            .parse()
            .unwrap();
        assert!(
            ttl <= want && ttl > want - 60_000,
            "{key}: PTTL {ttl}, want about {want}"
        );
    }
    for key in ["events", "event_seq", "families", "ids", "subfam:alice"] {
        assert_eq!(raw(&["PTTL", &format!("{prefix}{key}")]), ":-1", "{key}");
    }
    s.disable_subject("bob", None, 1_000_000).unwrap();
    assert_eq!(raw(&["PTTL", &format!("{prefix}disabled:bob")]), ":-1");

    // Expire the family now (as the server would at its end): it leaves every listing, and
    // the next login prunes its index entries.
    for key in ["fam:fa", "chain:fa", "tok:fa-g1", "tok:fa-g2"] {
        raw(&["PEXPIRE", &format!("{prefix}{key}"), "1"]);
    }
    raw(&["ZADD", &format!("{prefix}expiry"), "0", r#"["fa","alice"]"#]);
    std::thread::sleep(Duration::from_millis(20));
    assert!(s.families(&Filter::default()).unwrap().is_empty());
    assert!(s.families_by_prefix("f", 5).unwrap().is_empty());
    assert!(s.chain("fa").unwrap().is_empty());
    let (f, t) = family("fb", "alice", 1_000_000);
    s.open_family(&f, &t, 1_000_000, &mut || Ok(())).unwrap();
    assert_eq!(raw(&["ZSCORE", &format!("{prefix}ids"), "fa"]), "$-1");
    assert_eq!(raw(&["ZCARD", &format!("{prefix}subfam:alice")]), ":1");
    assert_eq!(raw(&["ZCARD", &format!("{prefix}families")]), ":1");
}

#[test]
fn two_prefixes_are_two_stores_and_a_flushed_script_cache_is_refilled() {
    let (a, _) = fresh();
    let (b, _) = fresh();
    let (f, t) = family("fa", "alice", T0);
    a.open_family(&f, &t, T0, &mut || Ok(())).unwrap();
    assert!(b.families(&Filter::default()).unwrap().is_empty());
    assert!(b.events(&Filter::default()).unwrap().is_empty());
    assert_eq!(refresh(&b, "fa-g1", "fa", 1, T0, 0), "refuse:Unknown");
    assert_eq!(raw(&["SCRIPT", "FLUSH"]), "+OK");
    assert_eq!(refresh(&a, "fa-g1", "fa", 1, T0, 0), "rotate:fa-g2");
    assert_eq!(raw(&["SCRIPT", "FLUSH"]), "+OK");
    b.open_family(&f, &t, T0, &mut || Ok(())).unwrap();
    assert_eq!(a.chain("fa").unwrap().len(), 2);
    assert_eq!(b.chain("fa").unwrap().len(), 1);
}

#[test]
fn a_store_of_a_newer_format_is_refused_untouched() {
    let (s, prefix) = fresh();
    let (f, t) = family("fa", "alice", T0);
    s.open_family(&f, &t, T0, &mut || Ok(())).unwrap();
    raw(&["SET", &format!("{prefix}schema"), "2"]);
    let before = raw(&["XLEN", &format!("{prefix}events")]);
    let (f, t) = family("fb", "alice", T0);
    let err = s.open_family(&f, &t, T0, &mut || Ok(())).unwrap_err();
    assert!(
        matches!(
            err.downcast_ref::<StoreError>(),
            Some(StoreError::NewerFormat {
                found: 2,
                known: 1,
                ..
            })
        ),
        "{err:#}"
    );
    assert!(s.families(&Filter::default()).is_err());
    assert!(s.disable_subject("x", None, T0).is_err());
    assert_eq!(raw(&["XLEN", &format!("{prefix}events")]), before);
    assert_eq!(raw(&["EXISTS", &format!("{prefix}fam:fb")]), ":0");
}

#[test]
fn a_dump_loads_whole_into_an_empty_store_only() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::create(&dir.path().join("home"), DEFAULT_WAIT).unwrap();
    story(&sqlite);
    sqlite.disable_subject("mallory", None, T0).unwrap();
    let dump = Dump::of(&sqlite).unwrap();
    assert!(!dump.tokens.is_empty() && dump.subjects.len() == 1);
    let (s, prefix) = fresh();
    s.load(&dump).unwrap();
    let back = Dump::of(&s).unwrap();
    assert!(back.same_as(&dump), "{back:#?}\n{dump:#?}");
    assert_eq!(dump_ids(&back), dump_ids(&dump));
    // Copied families expire too (at their end plus the margin, at least the margin from now).
    let ttl: i64 = raw(&["TTL", &format!("{prefix}fam:fa")])[1..]
        .parse()
        .unwrap();
    assert!(ttl > EXPIRY_MARGIN - 60 && ttl <= EXPIRY_MARGIN, "{ttl}");
    // Anything in the store refuses a load, untouched.
    let err = s.load(&dump).unwrap_err();
    assert!(
        matches!(
            err.downcast_ref::<StoreError>(),
            Some(StoreError::NotEmpty { .. })
        ),
        "{err:#}"
    );
    assert_eq!(Dump::of(&s).unwrap(), back);
    let (t, _) = fresh();
    t.disable_subject("x", None, T0).unwrap();
    assert!(t.load(&dump).is_err());
    assert_eq!(t.families(&Filter::default()).unwrap().len(), 0);
}

fn dump_ids(d: &Dump) -> Vec<i64> {
    d.events.iter().map(|e| e.id).collect()
}

#[test]
fn the_sealed_keyring_is_a_compare_and_set_and_an_oversized_one_is_refused() {
    let (s, prefix) = fresh();
    assert_eq!(s.keyring_blob().unwrap(), None);
    assert!(!s.put_keyring_blob(1, b"nope").unwrap());
    assert!(s.put_keyring_blob(0, b"\x00sealed\xff").unwrap());
    assert!(!s.put_keyring_blob(0, b"late").unwrap());
    assert_eq!(
        s.keyring_blob().unwrap(),
        Some((1, b"\x00sealed\xff".to_vec()))
    );
    assert!(s.put_keyring_blob(1, b"second").unwrap());
    assert_eq!(s.keyring_blob().unwrap(), Some((2, b"second".to_vec())));
    // The keyring is not a session: it never expires.
    assert_eq!(raw(&["TTL", &format!("{prefix}keyring")]), ":-1");
    let big = "x".repeat(usize::try_from(crate::session::store::MAX_KEYRING_BLOB).unwrap() + 1);
    raw(&["HSET", &format!("{prefix}keyring"), "blob", &big]);
    let err = s.keyring_blob().unwrap_err();
    assert!(
        matches!(
            err.downcast_ref::<StoreError>(),
            Some(StoreError::Corrupt { .. })
        ),
        "{err:#}"
    );
}

#[test]
fn the_serve_story_holds_on_redis_and_its_keys_expire() {
    let (_, prefix) = fresh();
    serve_story::story(&|| -> Box<dyn Store> { Box::new(store_with(&prefix)) });
    // Keys live until keep_until, counted from the write on the server's clock (the --now of
    // the write is far in the past), claims likewise; the code itself is never a key.
    let (s, prefix) = fresh();
    let hash = token_hash("the-code");
    s.put_code(&hash, "{}", 1_000_600, 1_000_000).unwrap();
    s.put_session_claims("fam", "{}", 1_007_200, 1_000_000)
        .unwrap();
    let pttl = |key: &str| -> i64 {
        raw(&["PTTL", &format!("{prefix}{key}")])[1..]
            .parse()
            .unwrap()
    };
    let code_key = format!("code:{}", args::hex(&hash));
    for (key, want) in [(code_key.as_str(), 600_000), ("claims:fam", 7_200_000)] {
        let ttl = pttl(key);
        assert!(
            ttl <= want && ttl > want - 60_000,
            "{key}: PTTL {ttl}, want about {want}"
        );
    }
    // A claim or a bind of a code that is gone creates no key (none without an expiry).
    raw(&["DEL", &format!("{prefix}{code_key}")]);
    assert_eq!(s.claim_code(&hash, 1_000_000).unwrap(), CodeClaim::Missing);
    assert!(!s.bind_code(&hash, "fam").unwrap());
    assert_eq!(raw(&["EXISTS", &format!("{prefix}{code_key}")]), ":0");
}
