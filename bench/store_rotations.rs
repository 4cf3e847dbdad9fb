//! Rotations per second through jwtctl's store layer (the `Store` trait), in-process, with 1, 8
//! and 32 concurrent clients (threads, each with its own connection and its own family), for
//! any store URL; and for Redis the engine's own ceiling in the same run: the same two scripts
//! a rotation runs (the snapshot read and the compare-and-set), sent by a bare RESP loop with
//! precomputed arguments, no decision, no signing, no reply parsing beyond "ok".
//!
//! A jwtctl rotation here is what `refresh` does after verifying the presented token: the
//! store's `refresh` (snapshot, `session::decide`, the compare-and-set), minting the successor
//! with the functions `refresh` mints with (`session::pair_claims`, `token::sign` with an ES256
//! key, `session::token_hash`, `session::token_record`) and serialising the token response as
//! the delivery would. Verifying the presented token is not counted.
//!
//! ```sh
//! cargo bench --bench store_rotations -- URL [--clients 1,8,32] [--seconds 3] [--rounds 3]
//!     [--raw] [--password-file FILE] [--prefix P] [--mint-only]
//! ```
//! URL is `sqlite:PATH`, `redis://...` or `postgres://...` (a password may be in it: this is
//! not a command line others see, or use --password-file). `--raw` (Redis only) adds the
//! engine's ceiling; `--mint-only` measures minting a pair alone, on one thread. `bench/stores.sh` starts throwaway servers and runs it. Medians of rounds;
//! each round runs every client count, jwtctl and raw alternating, so both see the same machine.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark panics on setup errors by design

use jwtctl::alg::Alg;
use jwtctl::keys::{KeySpec, generate};
use jwtctl::session::store::schema::Mode;
use jwtctl::session::store::target::{Options, Target};
use jwtctl::session::store::{self, Store};
use jwtctl::session::{self, Grant, Lifetimes, Presented, Request, Step, Successor, TokenResponse};
use jwtctl::token::{self, REFRESH_TYP, SignKey};
use serde_json::Map;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

struct Args {
    url: String,
    clients: Vec<usize>,
    seconds: f64,
    rounds: usize,
    raw: bool,
    mint_only: bool,
    password_file: Option<String>,
    prefix: String,
}

fn args() -> Args {
    let mut it = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut a = Args {
        url: String::new(),
        clients: vec![1, 8, 32],
        seconds: 3.0,
        rounds: 3,
        raw: false,
        mint_only: false,
        password_file: None,
        prefix: format!("bench{}:", std::process::id()),
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--clients" => {
                a.clients = it
                    .next()
                    .unwrap()
                    .split(',')
                    .map(|n| n.parse().unwrap())
                    .collect();
            }
            "--seconds" => a.seconds = it.next().unwrap().parse().unwrap(),
            "--rounds" => a.rounds = it.next().unwrap().parse().unwrap(),
            "--raw" => a.raw = true,
            "--mint-only" => a.mint_only = true,
            "--password-file" => a.password_file = it.next(),
            "--prefix" => a.prefix = it.next().unwrap(),
            url => a.url = url.to_owned(),
        }
    }
    assert!(!a.url.is_empty(), "usage: store_rotations URL [options]");
    a
}

fn now() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

fn life() -> Lifetimes {
    Lifetimes {
        access: 900,
        refresh: 7 * 86_400,
        max: 30 * 86_400,
    }
}

fn random_id(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    aws_lc_rs::rand::fill(&mut buf).unwrap();
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A pair as `refresh` mints it (commands/flow.rs `mint`, through the same public functions).
fn mint(
    signer: &SignKey,
    family: &store::Family,
    generation: i64,
    rt_jti: &str,
    parent: Option<&str>,
    now: i64,
) -> Successor {
    let claims = session::pair_claims(family, generation, rt_jti, &random_id(16), now);
    let header = |typ: &str| {
        let mut h = Map::new();
        h.insert("alg".into(), signer.alg.name().into());
        h.insert("typ".into(), typ.into());
        h
    };
    let access_token = token::sign(&header(session::ACCESS_TYP), &claims.access, signer).unwrap();
    let refresh_token = token::sign(&header(REFRESH_TYP), &claims.refresh, signer).unwrap();
    let record = session::token_record(
        family,
        generation,
        rt_jti,
        parent,
        session::token_hash(&refresh_token),
        now,
        claims.refresh_exp,
    );
    let response = TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: claims.access_exp - now,
        refresh_token,
        refresh_expires_in: claims.refresh_exp - now,
        scope: family.scope.clone(),
        session_id: family.id.clone(),
        generation,
    };
    Successor { record, response }
}

fn open(target: &Target, options: &Options, home: &std::path::Path) -> Box<dyn Store> {
    store::open(target, options, home, Mode::ReadWrite, true)
        .unwrap()
        .expect("a store")
}

/// A new family of this client; its first token as presented.
fn login(store: &dyn Store, signer: &SignKey, now: i64) -> Presented {
    let grant = Grant {
        sub: format!("bench-{}", random_id(4)),
        client_id: "bench".into(),
        scope: Some("read write".into()),
        iss: "jwtctl".into(),
        aud: "api".into(),
    };
    let first_jti = random_id(16);
    let family = session::new_family(&grant, life(), random_id(8), first_jti.clone(), now);
    let first = mint(signer, &family, 1, &first_jti, None, now);
    let disabled = store
        .open_family(&family, &first.record, now, &mut || Ok(()))
        .unwrap();
    assert!(disabled.is_none());
    Presented {
        jti: first.record.jti,
        family_id: family.id,
        generation: 1,
        sha256: first.record.sha256,
        expired: false,
    }
}

/// jwtctl's rotations per second with `clients` threads for `seconds`.
fn through_store(
    a: &Args,
    target: &Target,
    options: &Options,
    signer: &SignKey,
    clients: usize,
) -> f64 {
    let home = std::env::temp_dir();
    let stop = Arc::new(AtomicBool::new(false));
    let total = Arc::new(AtomicU64::new(0));
    let ready = Arc::new(Barrier::new(clients + 1));
    let started = std::thread::scope(|s| {
        for _ in 0..clients {
            let (stop, total, ready) = (stop.clone(), total.clone(), ready.clone());
            let home = home.clone();
            s.spawn(move || {
                let store = open(target, options, &home);
                let now = now();
                let mut p = login(store.as_ref(), signer, now);
                let req = Request {
                    client_id: None,
                    grace: 0,
                    now,
                };
                ready.wait();
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let mut sink = Vec::new();
                    let step = store
                        .refresh(
                            &p.jti.clone(),
                            now,
                            &mut |snap| {
                                session::decide(snap, &p, &req, |issue| {
                                    Ok(mint(
                                        signer,
                                        issue.family,
                                        issue.generation,
                                        &random_id(16),
                                        Some(&issue.parent.jti),
                                        now,
                                    ))
                                })
                            },
                            &mut |step| {
                                if let Some(s) = step.successor() {
                                    sink = serde_json::to_vec(&s.response)?;
                                }
                                Ok(())
                            },
                        )
                        .unwrap();
                    let Step::Rotate { successor, .. } = step else {
                        panic!("not a rotation: {step:?}")
                    };
                    assert!(!sink.is_empty());
                    p.jti = successor.record.jti.clone();
                    p.generation = successor.record.generation;
                    p.sha256 = successor.record.sha256.clone();
                    n += 1;
                }
                total.fetch_add(n, Ordering::Relaxed);
            });
        }
        ready.wait();
        let started = Instant::now();
        std::thread::sleep(Duration::from_secs_f64(a.seconds));
        stop.store(true, Ordering::Relaxed);
        started
    });
    total.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

// ---- the engine's ceiling: the same scripts over a bare RESP loop ----

const COMMON: &str = include_str!("../src/session/store/redis/scripts/common.lua");
const READ: &str = include_str!("../src/session/store/redis/scripts/read.lua");
const APPLY: &str = include_str!("../src/session/store/redis/scripts/apply.lua");

struct Raw {
    s: TcpStream,
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl Raw {
    fn connect(server: &jwtctl::session::store::target::Server) -> Raw {
        let s = TcpStream::connect((server.host.as_str(), server.port)).unwrap();
        s.set_nodelay(true).unwrap();
        let mut r = Raw {
            s,
            buf: vec![0; 1 << 16],
            start: 0,
            end: 0,
        };
        if let Some(pw) = &server.password {
            let mut auth = vec!["AUTH".to_owned()];
            auth.extend(server.user.clone());
            auth.push(pw.clone());
            r.call(&auth.iter().map(String::as_bytes).collect::<Vec<_>>());
        }
        r.call(&[b"SELECT", server.database.as_bytes()]);
        r
    }

    fn call(&mut self, args: &[&[u8]]) -> Vec<u8> {
        let mut out = format!("*{}\r\n", args.len()).into_bytes();
        for a in args {
            out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
            out.extend_from_slice(a);
            out.extend_from_slice(b"\r\n");
        }
        self.s.write_all(&out).unwrap();
        let mut reply = Vec::new();
        self.value(&mut reply);
        assert!(
            !reply.starts_with(b"-"),
            "{}",
            String::from_utf8_lossy(&reply)
        );
        reply
    }

    fn byte_line(&mut self, into: &mut Vec<u8>) -> Vec<u8> {
        loop {
            if let Some(i) = self.buf[self.start..self.end]
                .windows(2)
                .position(|w| w == b"\r\n")
            {
                let line = self.buf[self.start..self.start + i].to_vec();
                into.extend_from_slice(&self.buf[self.start..self.start + i + 2]);
                self.start += i + 2;
                return line;
            }
            self.more();
        }
    }

    fn more(&mut self) {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let n = self.s.read(&mut self.buf[self.end..]).unwrap();
        assert!(n > 0, "the server closed the connection");
        self.end += n;
    }

    /// Reads one whole reply into `into`.
    fn value(&mut self, into: &mut Vec<u8>) {
        let line = self.byte_line(into);
        let n: i64 = std::str::from_utf8(&line[1..])
            .unwrap()
            .parse()
            .unwrap_or(0);
        match line[0] {
            b'$' if n >= 0 => {
                let n = usize::try_from(n).unwrap() + 2;
                while self.end - self.start < n {
                    self.more();
                }
                into.extend_from_slice(&self.buf[self.start..self.start + n]);
                self.start += n;
            }
            b'*' => {
                for _ in 0..n.max(0) {
                    self.value(into);
                }
            }
            _ => {}
        }
    }
}

fn sha1(s: &str) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, s.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The engine's rotations per second: per client a family opened through the store, then
/// snapshot + compare-and-set rotate scripts with precomputed successors, as fast as it goes.
fn raw_ceiling(
    a: &Args,
    target: &Target,
    options: &Options,
    signer: &SignKey,
    clients: usize,
) -> f64 {
    let Target::Redis(server) = target else {
        panic!("--raw is for Redis")
    };
    let read = format!("#!lua flags=no-writes\n{COMMON}{READ}");
    let apply = format!("#!lua\n{COMMON}{APPLY}");
    let (read_sha, apply_sha) = (sha1(&read), sha1(&apply));
    {
        let mut r = Raw::connect(server);
        r.call(&[b"SCRIPT", b"LOAD", read.as_bytes()]);
        r.call(&[b"SCRIPT", b"LOAD", apply.as_bytes()]);
    }
    let home = std::env::temp_dir();
    let stop = Arc::new(AtomicBool::new(false));
    let total = Arc::new(AtomicU64::new(0));
    let ready = Arc::new(Barrier::new(clients + 1));
    let started = std::thread::scope(|s| {
        for _ in 0..clients {
            let (stop, total, ready) = (stop.clone(), total.clone(), ready.clone());
            let (home, read_sha, apply_sha) = (home.clone(), &read_sha, &apply_sha);
            s.spawn(move || {
                let now = now();
                let p = login(open(target, options, &home).as_ref(), signer, now);
                let mut r = Raw::connect(server);
                let (prefix, cap) = (options.prefix.as_bytes(), b"100000");
                let (fam, sub_reply) = (p.family_id.clone(), {
                    let reply = r.call(&[
                        b"HGET",
                        format!("{}fam:{}", options.prefix, p.family_id).as_bytes(),
                        b"sub",
                    ]);
                    let text = String::from_utf8(reply).unwrap();
                    text.lines().nth(1).unwrap().to_owned()
                });
                let sha_hex: String = p.sha256.iter().map(|b| format!("{b:02x}")).collect();
                let mut cur = p.jti.clone();
                let mut generation = 1i64;
                let now_s = now.to_string();
                ready.wait();
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    r.call(&[
                        b"EVALSHA_RO",
                        read_sha.as_bytes(),
                        b"0",
                        prefix,
                        cap,
                        b"snapshot",
                        cur.as_bytes(),
                    ]);
                    let next = format!("{fam}-{}", generation + 1);
                    let (g, g1) = (generation.to_string(), (generation + 1).to_string());
                    let detail = format!("=replaces generation {generation}");
                    let (event_jti, event_gen) = (format!("={next}"), format!("={g1}"));
                    let exp = (now + 7 * 86_400).to_string();
                    let fields: [(&str, &str); 8] = [
                        ("jti", &next),
                        ("family_id", &fam),
                        ("generation", &g1),
                        ("sha256", &sha_hex),
                        ("issued_at", &now_s),
                        ("expires_at", &exp),
                        ("state", "active"),
                        ("parent_jti", &cur),
                    ];
                    let mut args: Vec<&[u8]> = vec![
                        b"EVALSHA",
                        apply_sha.as_bytes(),
                        b"0",
                        prefix,
                        cap,
                        b"rotate",
                        now_s.as_bytes(),
                        fam.as_bytes(),
                        cur.as_bytes(),
                        sub_reply.as_bytes(),
                        g.as_bytes(),
                        cur.as_bytes(),
                        b"!",
                        b"active",
                        b"!",
                        b"!",
                        b"0",
                        b"rotated",
                        event_jti.as_bytes(),
                        event_gen.as_bytes(),
                        detail.as_bytes(),
                        next.as_bytes(),
                        g1.as_bytes(),
                        b"8",
                    ];
                    for (k, v) in &fields {
                        args.push(k.as_bytes());
                        args.push(v.as_bytes());
                    }
                    let reply = r.call(&args);
                    assert!(
                        reply.starts_with(b"*4\r\n$2\r\nok"),
                        "the raw rotation did not apply: {}",
                        String::from_utf8_lossy(&reply)
                    );
                    cur = next;
                    generation += 1;
                    n += 1;
                }
                total.fetch_add(n, Ordering::Relaxed);
            });
        }
        ready.wait();
        let started = Instant::now();
        std::thread::sleep(Duration::from_secs_f64(a.seconds));
        stop.store(true, Ordering::Relaxed);
        started
    });
    total.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let a = args();
    let mut target = Target::parse(&a.url, false).unwrap();
    if let (Some(file), Target::Redis(s) | Target::Postgres(s)) = (&a.password_file, &mut target) {
        s.password = Some(std::fs::read_to_string(file).unwrap().trim_end().to_owned());
    }
    let options = Options {
        ca: None,
        prefix: a.prefix.clone(),
        timeout: Duration::from_secs(60),
        wait: Duration::from_secs(60),
    };
    let key = generate(KeySpec::Ec(Alg::Es256)).unwrap();
    let signer = SignKey::new(&key, Alg::Es256).unwrap();
    if a.mint_only {
        // What a rotation costs jwtctl besides the store: minting and serialising the pair.
        let grant = Grant {
            sub: "bench".into(),
            client_id: "bench".into(),
            scope: Some("read write".into()),
            iss: "jwtctl".into(),
            aud: "api".into(),
        };
        let family = session::new_family(&grant, life(), random_id(8), random_id(16), now());
        let started = Instant::now();
        let mut n = 0u32;
        while started.elapsed() < Duration::from_secs_f64(a.seconds) {
            let s = mint(&signer, &family, 2, &random_id(16), Some("p"), now());
            assert!(!serde_json::to_vec(&s.response).unwrap().is_empty());
            n += 1;
        }
        let us = started.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!("mint + serialise a pair (ES256, one thread): {us:.1} µs");
        return;
    }
    let raw = a.raw && matches!(target, Target::Redis(_));
    // Results per client count: (jwtctl, raw) per round.
    let mut results: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); a.clients.len()];
    for round in 0..a.rounds {
        for (i, &c) in a.clients.iter().enumerate() {
            let j = through_store(&a, &target, &options, &signer, c);
            results[i].0.push(j);
            let line = if raw {
                let r = raw_ceiling(&a, &target, &options, &signer, c);
                results[i].1.push(r);
                format!("raw {r:>9.0}/s  ratio {:.2}", j / r)
            } else {
                String::new()
            };
            eprintln!("round {round}: {c:>2} clients: jwtctl {j:>9.0}/s  {line}");
        }
    }
    println!(
        "{} ({} rounds of {}s)",
        target.engine(),
        a.rounds,
        a.seconds
    );
    for (i, &c) in a.clients.iter().enumerate() {
        let (j, r) = &results[i];
        let jm = median(j.clone());
        if raw {
            let rm = median(r.clone());
            let per_round = median(j.iter().zip(r).map(|(j, r)| j / r).collect());
            println!(
                "  {c:>2} clients: jwtctl {jm:>9.0} rotations/s  raw scripts {rm:>9.0}/s  \
                 ratio {:.2} (median of per-round ratios {per_round:.2})",
                jm / rm
            );
        } else {
            println!("  {c:>2} clients: jwtctl {jm:>9.0} rotations/s");
        }
    }
}
