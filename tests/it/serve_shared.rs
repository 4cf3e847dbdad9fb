//! Several `jwtctl serve` processes on one Redis store behave as one server: a refresh token
//! issued by one rotates on the other, a replay on either kills the family, and the rate limits
//! are buckets on the store (`rl:` keys on the Redis server's clock) shared by every process;
//! with SQLite each process keeps its own. Redis out of reach during a check: 503, not a pass.

#![allow(clippy::unwrap_used)] // tests panic by design

use crate::support::redis::{self, Config, Redis};
use crate::support::server::{PATIENCE, Server, form};
use crate::support::{Backend, field, json_lines, jwtctl, new_home, new_home_on, run, set_store};
use std::path::Path;
use std::time::Instant;

fn config(dir: &Path, text: &str) -> String {
    let path = dir.join("serve.toml");
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// A `client_credentials` request for an unknown client `id`: 401, but counted by the limits.
fn hit(s: &Server, id: &str) -> u16 {
    let a = form(
        &s.at("/token"),
        &[("grant_type", "client_credentials"), ("client_id", id)],
        &[],
    );
    if a.status == 429 {
        let retry: u64 = a.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=1000).contains(&retry), "{retry}");
    }
    a.status
}

#[test]
fn two_serve_processes_on_one_redis_behave_as_one() {
    let (_dir, home) = new_home_on(Backend::Redis);
    let a = Server::start(&home, &[]);
    let b = Server::start(&home, &[]);
    let grant = |s: &Server, rt: &str| {
        form(
            &s.at("/token"),
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", rt),
                ("client_id", "jwtctl"),
            ],
            &[],
        )
    };
    let rt = field(&crate::support::login(&home, "hank"), "refresh_token");
    let at_a = grant(&a, &rt);
    assert_eq!(at_a.status, 200, "{}", at_a.body);
    let next = field(&at_a.json(), "refresh_token");
    assert_eq!(grant(&b, &rt).error(), "invalid_grant");
    assert_eq!(grant(&a, &next).error(), "invalid_grant");
    assert_eq!(grant(&b, &next).error(), "invalid_grant");
    let (code, out, err) = run(jwtctl(&home).args(["sessions", "--json"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json_lines(&out)[0]["reason"], "reuse_detected");
}

#[test]
fn the_rate_limit_holds_across_two_serve_processes_on_one_redis() {
    let (dir, home) = new_home_on(Backend::Redis);
    let cfg = config(
        dir.path(),
        "[limits]\nper_address = { rate = 0.01, burst = 4 }\nper_client = { rate = 0 }\n",
    );
    let a = Server::start(&home, &["--config", &cfg]);
    let b = Server::start(&home, &["--config", &cfg]);
    // Alternating: two each empty the one bucket of 127.0.0.1; then both refuse.
    let statuses: Vec<u16> = (0..6)
        .map(|i| hit(if i % 2 == 0 { &a } else { &b }, &format!("x{i}")))
        .collect();
    assert_eq!(statuses, [401, 401, 401, 401, 429, 429]);
    drop((a, b));

    // Per client too: c1's bucket is shared, c2 has its own.
    let cfg = config(
        dir.path(),
        "[limits]\nper_client = { rate = 0.01, burst = 2 }\nper_address = { rate = 0 }\n",
    );
    let a = Server::start(&home, &["--config", &cfg]);
    let b = Server::start(&home, &["--config", &cfg]);
    assert_eq!(
        [hit(&a, "c1"), hit(&b, "c1"), hit(&a, "c1"), hit(&b, "c2")],
        [401, 401, 429, 401]
    );
}

#[test]
fn two_serve_processes_on_sqlite_each_keep_their_own_buckets() {
    let (dir, home) = new_home();
    let cfg = config(
        dir.path(),
        "[limits]\nper_address = { rate = 0.01, burst = 4 }\nper_client = { rate = 0 }\n",
    );
    let a = Server::start(&home, &["--config", &cfg]);
    let b = Server::start(&home, &["--config", &cfg]);
    let statuses: Vec<u16> = (0..6)
        .map(|i| hit(if i % 2 == 0 { &a } else { &b }, &format!("x{i}")))
        .collect();
    assert_eq!(statuses, [401; 6]);
    assert_eq!(hit(&a, "y"), 401);
    assert_eq!(hit(&a, "z"), 429, "four on a: its own bucket is empty");
}

#[test]
fn shared_buckets_refill_on_the_redis_clock_under_a_fixed_now_and_expire() {
    let prefix = redis::unique_prefix();
    let (dir, home) = new_home();
    set_store(&home, redis::shared().env(&prefix));
    let cfg = config(
        dir.path(),
        "[limits]\nper_address = { rate = 1000, burst = 1 }\nper_client = { rate = 0 }\n",
    );
    // The clock of tokens stands still; the buckets' does not.
    let s = Server::start(&home, &["--config", &cfg, "--now", "1700000000"]);
    assert_eq!(hit(&s, "x"), 401);
    let start = Instant::now();
    while hit(&s, "x") == 429 {
        assert!(start.elapsed() < PATIENCE, "the bucket never refilled");
    }
    let key = format!("{prefix}rl:addr:127.0.0.1");
    let ttl: i64 = redis::shared().cli(&["PTTL", &key]).parse().unwrap();
    assert!(
        (1..=10_000).contains(&ttl),
        "an idle bucket expires: PTTL {ttl}"
    );
}

#[test]
fn redis_out_of_reach_during_a_check_is_503_not_a_pass() {
    let r = Redis::start(Config::default());
    let (dir, home) = new_home();
    set_store(&home, r.env(&redis::unique_prefix()));
    let cfg = config(
        dir.path(),
        "[limits]\nper_address = { rate = 100, burst = 100 }\n",
    );
    let s = Server::start(&home, &["--config", &cfg]);
    assert_eq!(hit(&s, "x"), 401);
    r.stop();
    let a = form(
        &s.at("/token"),
        &[("grant_type", "client_credentials"), ("client_id", "x")],
        &[],
    );
    assert_eq!(a.status, 503, "{}", a.body);
    assert_eq!(a.error(), "temporarily_unavailable");
    assert!(a.header("retry-after").is_some());
    s.wait_for_log(|l| l.contains("rate limit not checked"));
    r.restart();
    let start = Instant::now();
    while hit(&s, "x") != 401 {
        assert!(start.elapsed() < PATIENCE, "checks never came back");
    }
}
