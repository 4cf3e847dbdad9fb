//! Several `jwtctl serve` processes on one store behave as one server (on every store, the
//! conformance suite): a refresh token issued by one rotates on the other, a replay on either
//! kills the family. On Redis the rate limits are buckets on the store (`rl:` keys on the Redis
//! server's clock) shared by every process; with SQLite each process keeps its own. Redis out of reach during a check: 503, not a pass.
//!
//! On every store (the conformance suite: one SQLite home, Redis, PostgreSQL) two `serve`
//! processes share authorization codes and the login form's claims: a code issued at one is
//! exchanged at the other, a replay at either revokes the session, concurrent exchanges open at
//! most one session and it ends revoked, `/userinfo` at either has the form's claims, and an
//! expired code is refused by a process whose clock has passed it.

#![allow(clippy::unwrap_used)] // tests panic by design

use crate::support::redis::{self, Config, Redis};
use crate::support::server::{
    Answer, CHALLENGE, PATIENCE, Server, VERIFIER, form, get, param, query,
};
use crate::support::{
    Backend, NOW, conformance, decode, field, json_lines, jwtctl, new_home, new_home_on, run,
    set_store,
};
use serde_json::Value;
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

const CALLBACK: &str = "http://127.0.0.1:9/cb";

/// Logs `sub` in on the form of `s` (the default public client `jwtctl`, PKCE S256) with the
/// extra `claims`, and returns the code the redirect carries.
fn issue_code(s: &Server, sub: &str, claims: &str) -> String {
    let params = [
        ("response_type", "code"),
        ("client_id", "jwtctl"),
        ("redirect_uri", CALLBACK),
        ("state", "s1"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
        ("scope", "openid"),
        ("nonce", "n-1"),
        ("sub", sub),
        ("claims", claims),
    ];
    let done = form(&s.at("/authorize"), &params, &[]);
    assert_eq!(done.status, 303, "{}", done.body);
    let back = query(done.header("location").unwrap());
    param(&back, "code").unwrap().to_owned()
}

/// Exchanges `code` at `s` with `verifier` and `redirect_uri`.
fn exchange_with(s: &Server, code: &str, verifier: &str, redirect_uri: &str) -> Answer {
    form(
        &s.at("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
            ("client_id", "jwtctl"),
        ],
        &[],
    )
}

fn exchange(s: &Server, code: &str) -> Answer {
    exchange_with(s, code, VERIFIER, CALLBACK)
}

fn userinfo(s: &Server, access: &str) -> Answer {
    get(
        &s.at("/userinfo"),
        &[("authorization", &format!("Bearer {access}"))],
    )
}

fn introspect(s: &Server, token: &str) -> Value {
    let a = form(
        &s.at("/introspect"),
        &[("token", token), ("client_id", "jwtctl")],
        &[],
    );
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()
}

fn refresh_at(s: &Server, rt: &str) -> Answer {
    form(
        &s.at("/token"),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
            ("client_id", "jwtctl"),
        ],
        &[],
    )
}

/// The sessions of `home`'s store as `jwtctl sessions --json` lists them.
fn sessions(home: &Path) -> Vec<Value> {
    let (code, out, err) = run(jwtctl(home).args(["sessions", "--json"]));
    assert_eq!(code, 0, "{err}");
    json_lines(&out)
}

/// The refresh story across two `serve` processes on one store, on every store.
mod refresh {
    use super::*;

    conformance! {
        fn two_serve_processes_on_one_store_behave_as_one(b: Backend) {
            let (_dir, home) = new_home_on(b);
            let a = Server::start(&home, &[]);
            let other = Server::start(&home, &[]);
            let rt = field(&crate::support::login(&home, "hank"), "refresh_token");
            let at_a = refresh_at(&a, &rt);
            assert_eq!(at_a.status, 200, "{}", at_a.body);
            let pair = at_a.json();
            let (access, next) = (field(&pair, "access_token"), field(&pair, "refresh_token"));
            assert_eq!(introspect(&other, &access)["active"], true);
            // A replay at the other process kills the family A rotated.
            assert_eq!(refresh_at(&other, &rt).error(), "invalid_grant");
            for s in [&a, &other] {
                assert_eq!(refresh_at(s, &next).error(), "invalid_grant");
                assert_eq!(introspect(s, &access)["active"], false);
            }
            assert_eq!(sessions(&home)[0]["reason"], "reuse_detected");
        }
    }
}

/// The conformance tests, apart: the suite's `redis` module would clash with
/// `support::redis` here (`serve_shared::codes::{sqlite,redis,postgres}::*`).
mod codes {
    use super::*;

    conformance! {
        fn a_code_issued_at_one_serve_is_exchanged_at_another_and_a_replay_at_either_revokes(
            b: Backend
        ) {
            let (_dir, home) = new_home_on(b);
            let a = Server::start(&home, &[]);
            let other = Server::start(&home, &[]);
            let code = issue_code(&a, "carol", r#"{"email":"c@example.com","team":"blue"}"#);
            let ok = exchange(&other, &code);
            assert_eq!(ok.status, 200, "{}", ok.body);
            let pair = ok.json();
            let id = decode(&home, &field(&pair, "id_token"))["claims"].clone();
            assert_eq!((id["sub"].as_str(), id["email"].as_str()), (Some("carol"), Some("c@example.com")));
            let access = field(&pair, "access_token");
            // The form's claims, given at A, at /userinfo of either.
            for s in [&other, &a] {
                let ui = userinfo(s, &access);
                assert_eq!(ui.status, 200, "{}", ui.body);
                let ui = ui.json();
                assert_eq!(ui["sub"], "carol");
                assert_eq!(ui["email"], "c@example.com", "{ui}");
                assert_eq!(ui["team"], "blue", "{ui}");
            }
            assert_eq!(introspect(&a, &access)["active"], true);
            // A replay at A of the code B exchanged: refused, and B's session is revoked.
            let replay = exchange(&a, &code);
            assert_eq!(replay.status, 400, "{}", replay.body);
            assert_eq!(replay.error(), "invalid_grant");
            assert_eq!(refresh_at(&other, &field(&pair, "refresh_token")).error(), "invalid_grant");
            for s in [&a, &other] {
                assert_eq!(introspect(s, &access)["active"], false);
                assert_eq!(userinfo(s, &access).status, 401);
            }
            let listed = sessions(&home);
            assert_eq!(listed.len(), 1, "{listed:?}");
            assert_eq!(listed[0]["reason"], "reuse_detected", "{listed:?}");
            // A code neither issued: unknown at both, and nothing else changes.
            assert_eq!(exchange(&other, "no-such-code").error(), "invalid_grant");
            assert_eq!(sessions(&home).len(), 1);
        }

        fn an_expired_code_is_refused_where_the_clock_has_passed_it_and_mistakes_do_not_spend_it(
            b: Backend
        ) {
            let (_dir, home) = new_home_on(b);
            let a = Server::start(&home, &["--now", &NOW.to_string()]);
            // Codes live 60 s: at NOW + 60 it has expired, at NOW + 59 it has not.
            let late = Server::start(&home, &["--now", &(NOW + 60).to_string()]);
            let early = Server::start(&home, &["--now", &(NOW + 59).to_string()]);
            let code = issue_code(&a, "dave", "");
            let expired = exchange(&late, &code);
            assert_eq!(expired.error(), "invalid_grant");
            assert!(expired.body.contains("expired"), "{}", expired.body);
            let wrong = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX";
            assert_eq!(exchange_with(&early, &code, wrong, CALLBACK).error(), "invalid_grant");
            assert_eq!(
                exchange_with(&early, &code, VERIFIER, "http://127.0.0.1:9/other").error(),
                "invalid_grant"
            );
            assert!(sessions(&home).is_empty(), "refused exchanges open nothing");
            let ok = exchange(&early, &code);
            assert_eq!(ok.status, 200, "{}", ok.body);
            // Without form claims, /userinfo has the subject alone.
            let ui = userinfo(&early, &field(&ok.json(), "access_token")).json();
            assert_eq!(ui, serde_json::json!({ "sub": "dave" }));
        }

        fn concurrent_exchanges_of_one_code_at_two_serves_open_one_session_and_it_ends_revoked(
            b: Backend
        ) {
            let (_dir, home) = new_home_on(b);
            let a = Server::start(&home, &[]);
            let other = Server::start(&home, &[]);
            let code = issue_code(&a, "erin", "");
            let answers: Vec<Answer> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..8)
                    .map(|i| {
                        let s = if i % 2 == 0 { &a } else { &other };
                        let code = &code;
                        scope.spawn(move || exchange(s, code))
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let granted: Vec<&Answer> = answers.iter().filter(|r| r.status == 200).collect();
            assert!(granted.len() <= 1, "{answers:?}");
            for r in answers.iter().filter(|r| r.status != 200) {
                assert_eq!(r.error(), "invalid_grant", "{}", r.body);
            }
            // Whichever order the claims, the session and the bind ran in: one session, revoked.
            let listed = sessions(&home);
            assert_eq!(listed.len(), 1, "{listed:?}");
            assert_eq!(listed[0]["reason"], "reuse_detected", "{listed:?}");
            if let Some(g) = granted.first() {
                let pair = g.json();
                assert_eq!(refresh_at(&a, &field(&pair, "refresh_token")).error(), "invalid_grant");
                assert_eq!(introspect(&other, &field(&pair, "access_token"))["active"], false);
            }
        }
    }
}

/// On Redis the code is a key named by its hash that expires on its own; the code itself
/// appears in no key and no value.
#[test]
fn on_redis_a_code_is_a_key_named_by_its_hash_that_expires() {
    let prefix = redis::unique_prefix();
    let (_dir, home) = new_home();
    set_store(&home, redis::shared().env(&prefix));
    let a = Server::start(&home, &[]);
    let code = issue_code(&a, "fay", r#"{"email":"f@example.com"}"#);
    let keys = redis::shared().cli(&["--scan", "--pattern", &format!("{prefix}code:*")]);
    let keys: Vec<&str> = keys.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(!keys[0].contains(&code));
    let record = redis::shared().cli(&["HGET", keys[0], "record"]);
    assert!(
        !record.contains(&code) && record.contains("fay"),
        "{record}"
    );
    let ttl: i64 = redis::shared().cli(&["TTL", keys[0]]).parse().unwrap();
    assert!((500..=600).contains(&ttl), "TTL {ttl}");
}
