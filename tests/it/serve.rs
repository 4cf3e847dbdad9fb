//! `jwtctl serve` over loopback with a real HTTP client: the real binary on a free port, its URL
//! read from its first stdout line. The refresh story in both directions between the server and
//! the CLI, client authentication, PKCE, hostile input, rate limits, cookies, logs, SIGTERM, TLS;
//! a headless Chromium on the login form and Python's Authlib as an OIDC client.

#![allow(clippy::unwrap_used)] // tests panic by design

use crate::support::server::{
    self, Answer, CHALLENGE, Server, VERIFIER, argon2_hash, basic, form, get, param, post, query,
};
use crate::support::{self, field, jwtctl, new_home, run};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

const FORM: &str = "application/x-www-form-urlencoded";

/// A config file in `dir` with the given TOML text.
fn config(dir: &Path, text: &str) -> String {
    let path = dir.join("serve.toml");
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// A confidential client "svc" (secret "s3cret", every grant), a public client "web"
/// (redirect http://127.0.0.1:9/cb, the code grant), user alice (password "wonderland").
fn full_config(dir: &Path, extra: &str) -> String {
    config(
        dir,
        &format!(
            r#"
[[clients]]
id = "svc"
secret_hash = "{}"
grants = ["client_credentials", "password", "refresh_token", "authorization_code"]
audience = "api"
redirect_uris = ["http://127.0.0.1:9/cb"]
[[clients]]
id = "web"
public = true
redirect_uris = ["http://127.0.0.1:9/cb"]
scopes = ["openid", "read"]
[[users]]
sub = "alice"
password_hash = "{}"
claims = {{ email = "alice@example.com" }}
{extra}
"#,
            argon2_hash("s3cret"),
            argon2_hash("wonderland")
        ),
    )
}

fn refresh_grant(s: &Server, rt: &str, client: &str) -> Answer {
    form(
        &s.at("/token"),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
            ("client_id", client),
        ],
        &[],
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

#[test]
fn the_first_stdout_line_is_the_url_and_discovery_names_the_issuer() {
    let (_dir, home) = new_home();
    let s = Server::start(&home, &[]);
    assert!(s.url.starts_with("http://127.0.0.1:"), "{}", s.url);
    s.wait_for_log(|l| l.contains("ready") && l.contains("any subject may log in"));
    let oidc = get(&s.at("/.well-known/openid-configuration"), &[]);
    let oauth = get(&s.at("/.well-known/oauth-authorization-server"), &[]);
    assert_eq!(oidc.status, 200);
    assert_eq!(oidc.json(), oauth.json());
    let doc = oidc.json();
    assert_eq!(doc["issuer"], s.url.as_str());
    assert_eq!(doc["token_endpoint"], s.at("/token").as_str());
    assert_eq!(
        doc["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    // The live keyring, as `jwtctl jwks` prints it.
    let (_, jwks, _) = run(jwtctl(&home).arg("jwks"));
    assert_eq!(
        get(&s.at("/.well-known/jwks.json"), &[]).json(),
        support::json(&jwks)
    );
    assert_eq!(get(&s.at("/nope"), &[]).status, 404);
    drop(s);

    let s = Server::start(&home, &["--issuer", "https://auth.example/realm/"]);
    let doc = get(&s.at("/.well-known/openid-configuration"), &[]).json();
    assert_eq!(doc["issuer"], "https://auth.example/realm");
    assert_eq!(
        doc["jwks_uri"],
        "https://auth.example/realm/.well-known/jwks.json"
    );
}

#[test]
fn a_keygen_rotation_shows_in_the_jwks_without_a_restart() {
    let (_dir, home) = new_home();
    let s = Server::start(&home, &[]);
    let before = get(&s.at("/.well-known/jwks.json"), &[]).json();
    assert_eq!(before["keys"].as_array().unwrap().len(), 1);
    let (code, kid, err) = run(jwtctl(&home).args(["keygen", "--es256"]));
    assert_eq!(code, 0, "{err}");
    let after = get(&s.at("/.well-known/jwks.json"), &[]).json();
    let kids: Vec<&str> = after["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids.len(), 2);
    assert!(kids.contains(&kid.trim()));
    // New tokens are signed with the new active key.
    let rt = field(&support::login(&home, "alice"), "refresh_token");
    let pair = refresh_grant(&s, &rt, "jwtctl").json();
    let header = support::decode(&home, &field(&pair, "access_token"))["header"].clone();
    assert_eq!(header["kid"], kid.trim());
    assert_eq!(header["alg"], "ES256");
}

/// The whole refresh story, across the CLI and the server in both directions: rotation, reuse
/// revoking the family, and introspection answering from the store.
#[test]
fn refresh_rotates_across_cli_and_server_and_replay_kills_the_family() {
    let (_dir, home) = new_home();
    let s = Server::start(&home, &[]);
    let rt1 = field(&support::login(&home, "alice"), "refresh_token");

    // CLI -> server: the server rotates a refresh token the CLI issued.
    let a = refresh_grant(&s, &rt1, "jwtctl");
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.header("cache-control"), Some("no-store"));
    let pair2 = a.json();
    assert_eq!(pair2["token_type"], "Bearer");
    assert_eq!(pair2["generation"], 2);
    let (at2, rt2) = (
        field(&pair2, "access_token"),
        field(&pair2, "refresh_token"),
    );
    // The server's access token is one `jwtctl verify` accepts.
    let (code, claims, err) =
        run(jwtctl(&home).args(["verify", "--aud", "jwtctl", "--typ", "at+jwt", &at2]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(support::json(&claims)["sub"], "alice");
    assert_eq!(introspect(&s, &at2)["active"], true);
    assert_eq!(introspect(&s, &rt2)["active"], true);
    assert_eq!(
        introspect(&s, &rt1)["active"],
        false,
        "a used refresh token"
    );

    // Server -> CLI: `jwtctl refresh` rotates what the server issued.
    let (code, out, err) = support::refresh_at(&home, support::NOW, &rt2, &[]);
    assert_eq!(code, 0, "{err}");
    let rt3 = field(&support::json(&out), "refresh_token");
    let pair4 = refresh_grant(&s, &rt3, "jwtctl").json();
    let rt4 = field(&pair4, "refresh_token");
    assert_eq!(pair4["generation"], 4);

    // Replay of generation 1: invalid_grant, and the whole family dies.
    let replay = refresh_grant(&s, &rt1, "jwtctl");
    assert_eq!(
        (replay.status, replay.error().as_str()),
        (400, "invalid_grant")
    );
    assert!(
        replay.json()["error_description"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );
    let newest = refresh_grant(&s, &rt4, "jwtctl");
    assert_eq!(newest.error(), "invalid_grant");
    assert_eq!(support::refresh_at(&home, support::NOW, &rt4, &[]).0, 8);
    assert_eq!(introspect(&s, &at2), serde_json::json!({ "active": false }));
    assert_eq!(
        introspect(&s, &field(&pair4, "access_token"))["active"],
        false
    );
    assert!(support::event_kinds(&home).contains(&"reuse_detected".to_owned()));
}

/// Many clients rotating at once: the server commits their writes together (one SQLite
/// transaction per group), so this checks what that must keep: every answered pair is
/// recorded (the CLI rotates each family's last token afterwards), and two requests racing
/// with one token still have one winner, the loser killing the family.
#[test]
fn concurrent_rotations_are_each_committed_and_a_race_has_one_winner() {
    let (_dir, home) = new_home();
    let s = std::sync::Arc::new(Server::start(&home, &[]));
    let families: Vec<String> = (0..12)
        .map(|i| field(&support::login(&home, &format!("user{i}")), "refresh_token"))
        .collect();
    let racers: Vec<String> = (0..4)
        .map(|i| {
            field(
                &support::login(&home, &format!("racer{i}")),
                "refresh_token",
            )
        })
        .collect();
    let rotators: Vec<_> = families
        .into_iter()
        .map(|rt| {
            let s = s.clone();
            std::thread::spawn(move || {
                let mut rt = rt;
                for generation in 2..=16 {
                    let a = refresh_grant(&s, &rt, "jwtctl");
                    assert_eq!(a.status, 200, "{}", a.body);
                    assert_eq!(a.json()["generation"], generation);
                    rt = field(&a.json(), "refresh_token");
                }
                rt
            })
        })
        .collect();
    let races: Vec<_> = racers
        .into_iter()
        .map(|rt| {
            let gate = std::sync::Arc::new(std::sync::Barrier::new(2));
            let both: Vec<_> = (0..2)
                .map(|_| {
                    let (s, rt, gate) = (s.clone(), rt.clone(), gate.clone());
                    std::thread::spawn(move || {
                        gate.wait();
                        refresh_grant(&s, &rt, "jwtctl")
                    })
                })
                .collect();
            both.into_iter()
                .map(|t| t.join().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    for answers in &races {
        let mut statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 400], "one winner per race");
        let winner = answers.iter().find(|a| a.status == 200).unwrap();
        let loser = answers.iter().find(|a| a.status == 400).unwrap();
        assert_eq!(loser.error(), "invalid_grant");
        // The loser presented a used token: the family is dead, the winner's pair too.
        let next = refresh_grant(&s, &field(&winner.json(), "refresh_token"), "jwtctl");
        assert_eq!(next.error(), "invalid_grant", "{}", next.body);
    }
    for t in rotators {
        let last = t.join().unwrap();
        let (code, out, err) = support::refresh_at(&home, support::NOW, &last, &[]);
        assert_eq!(code, 0, "the last answered pair is the recorded one: {err}");
        assert_eq!(support::json(&out)["generation"], 17);
    }
}

#[test]
fn a_disabled_subject_is_refused_at_the_next_refresh_and_introspection() {
    let (_dir, home) = new_home();
    let s = Server::start(&home, &[]);
    let login = support::login(&home, "bob");
    let at = field(&login, "access_token");
    assert_eq!(introspect(&s, &at)["active"], true);
    let ui = get(
        &s.at("/userinfo"),
        &[("authorization", &format!("Bearer {at}"))],
    );
    assert_eq!((ui.status, ui.json()["sub"].as_str()), (200, Some("bob")));
    let (code, _, err) = run(jwtctl(&home).args(["subject", "disable", "bob"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(introspect(&s, &at)["active"], false);
    let ui = get(
        &s.at("/userinfo"),
        &[("authorization", &format!("Bearer {at}"))],
    );
    assert_eq!(ui.status, 401);
    assert!(ui.header("www-authenticate").unwrap().starts_with("Bearer"));
    let r = refresh_grant(&s, &field(&login, "refresh_token"), "jwtctl");
    assert_eq!(r.error(), "invalid_grant");
    assert!(r.body.contains("disabled"), "{}", r.body);
}

#[test]
fn clients_authenticate_with_basic_or_in_the_body_never_both() {
    let (dir, home) = new_home();
    let cfg = full_config(dir.path(), "");
    let s = Server::start(&home, &["--config", &cfg]);
    let cc = [("grant_type", "client_credentials"), ("scope", "jobs")];
    let ok = form(
        &s.at("/token"),
        &cc,
        &[("authorization", &basic("svc", "s3cret"))],
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    let at = field(&ok.json(), "access_token");
    assert!(ok.json().get("refresh_token").is_none());
    let claims = support::decode(&home, &at)["claims"].clone();
    assert_eq!(
        (claims["sub"].as_str(), claims["aud"].as_str()),
        (Some("svc"), Some("api"))
    );
    let seen = form(
        &s.at("/introspect"),
        &[("token", &at)],
        &[("authorization", &basic("svc", "s3cret"))],
    );
    assert_eq!(seen.json()["active"], true, "{}", seen.body);
    assert_eq!(seen.json()["client_id"], "svc");

    let post_ok = form(
        &s.at("/token"),
        &[cc[0], ("client_id", "svc"), ("client_secret", "s3cret")],
        &[],
    );
    assert_eq!(post_ok.status, 200, "{}", post_ok.body);

    let wrong = form(
        &s.at("/token"),
        &cc,
        &[("authorization", &basic("svc", "nope"))],
    );
    assert_eq!(
        (wrong.status, wrong.error().as_str()),
        (401, "invalid_client")
    );
    assert!(
        wrong
            .header("www-authenticate")
            .unwrap()
            .starts_with("Basic")
    );
    let wrong_post = form(
        &s.at("/token"),
        &[cc[0], ("client_id", "svc"), ("client_secret", "nope")],
        &[],
    );
    assert_eq!(wrong_post.status, 401);
    assert!(wrong_post.header("www-authenticate").is_some());
    let both = form(
        &s.at("/token"),
        &[cc[0], ("client_secret", "s3cret")],
        &[("authorization", &basic("svc", "s3cret"))],
    );
    assert_eq!(
        (both.status, both.error().as_str()),
        (400, "invalid_request")
    );
    let unknown = form(&s.at("/token"), &[cc[0], ("client_id", "nobody")], &[]);
    assert_eq!(unknown.status, 401);
    let none = form(&s.at("/token"), &[cc[0]], &[]);
    assert_eq!(none.status, 401);
    let public_cc = form(&s.at("/token"), &[cc[0], ("client_id", "web")], &[]);
    assert_eq!(public_cc.error(), "unauthorized_client");
    let public_with_secret = form(
        &s.at("/token"),
        &[cc[0], ("client_id", "web"), ("client_secret", "x")],
        &[],
    );
    assert_eq!(public_with_secret.status, 401);
}

/// Runs `/authorize` as a browser would (GET the form, POST it) and returns the redirect's
/// query parameters.
fn authorize(s: &Server, extra: &[(&str, &str)], login: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", "jwtctl"),
        ("redirect_uri", "http://127.0.0.1:9/cb"),
        ("state", "st&ate 1"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
        ("scope", "openid"),
        ("nonce", "n-0S6"),
    ];
    for (k, v) in extra {
        params.retain(|(name, _)| name != k);
        params.push((k, v));
    }
    let q: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", server::encode(v)))
        .collect();
    let page = get(&format!("{}?{}", s.at("/authorize"), q.join("&")), &[]);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"sub\""));
    params.extend_from_slice(login);
    let done = form(&s.at("/authorize"), &params, &[]);
    assert_eq!(done.status, 303, "{}", done.body);
    let location = done.header("location").unwrap();
    assert!(location.starts_with("http://127.0.0.1:9/cb?"), "{location}");
    query(location)
}

#[test]
fn the_code_flow_needs_pkce_s256_and_a_code_works_once() {
    let (_dir, home) = new_home();
    let s = Server::start(&home, &[]);
    let back = authorize(
        &s,
        &[],
        &[("sub", "carol"), ("claims", r#"{"email":"c@example.com"}"#)],
    );
    assert_eq!(param(&back, "state"), Some("st&ate 1"));
    assert_eq!(param(&back, "iss"), Some(s.url.as_str()));
    let code = param(&back, "code").unwrap().to_owned();
    let exchange = |verifier: &str| {
        form(
            &s.at("/token"),
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", "http://127.0.0.1:9/cb"),
                ("code_verifier", verifier),
                ("client_id", "jwtctl"),
            ],
            &[],
        )
    };
    let wrong = exchange("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX");
    assert_eq!(wrong.error(), "invalid_grant");
    let plain = exchange(CHALLENGE);
    assert_eq!(
        plain.error(),
        "invalid_grant",
        "the challenge itself (plain) is refused"
    );
    let ok = exchange(VERIFIER);
    assert_eq!(ok.status, 200, "{}", ok.body);
    let pair = ok.json();
    let id = support::decode(&home, &field(&pair, "id_token"))["claims"].clone();
    assert_eq!(id["sub"], "carol");
    assert_eq!(id["aud"], "jwtctl");
    assert_eq!(id["nonce"], "n-0S6");
    assert_eq!(id["email"], "c@example.com");
    let at = field(&pair, "access_token");
    let ui = get(
        &s.at("/userinfo"),
        &[("authorization", &format!("Bearer {at}"))],
    )
    .json();
    assert_eq!(ui["email"], "c@example.com");
    // A second exchange of the code revokes the session it opened.
    assert_eq!(exchange(VERIFIER).error(), "invalid_grant");
    assert_eq!(
        refresh_grant(&s, &field(&pair, "refresh_token"), "jwtctl").error(),
        "invalid_grant"
    );
    assert_eq!(introspect(&s, &at)["active"], false);
    // The log names the requests, never the code or a token.
    s.wait_for_log(|l| l.contains("POST /introspect"));
    let log = s.stderr_text();
    assert!(log.contains("POST /authorize 303"), "{log}");
    assert!(
        !log.contains(&code) && !log.contains(&at[at.len() - 16..]),
        "{log}"
    );

    // plain PKCE, or none, is refused at /authorize with a redirect carrying the error.
    let q = format!(
        "response_type=code&client_id=jwtctl&redirect_uri={}&state=x&code_challenge={CHALLENGE}&code_challenge_method=plain",
        server::encode("http://127.0.0.1:9/cb")
    );
    let plain = get(&format!("{}?{q}", s.at("/authorize")), &[]);
    assert_eq!(plain.status, 303);
    let back = query(plain.header("location").unwrap());
    assert_eq!(param(&back, "error"), Some("invalid_request"));
    assert_eq!(param(&back, "state"), Some("x"));
    // An unregistered redirect URI is answered here, never redirected to.
    let evil = get(
        &format!(
            "{}?response_type=code&client_id=jwtctl&redirect_uri={}&code_challenge={CHALLENGE}&code_challenge_method=S256",
            s.at("/authorize"),
            server::encode("https://evil.example/cb")
        ),
        &[],
    );
    assert_eq!(evil.status, 400);
    assert!(evil.header("location").is_none());
}

#[test]
fn hostile_requests_get_rfc_errors_and_the_server_keeps_serving() {
    let (_dir, home) = new_home();
    let s = Server::start(&home, &[]);
    let token = s.at("/token");
    let err = |a: Answer| (a.status, a.error());
    let bad = (400, "invalid_request".to_owned());
    // Duplicate parameters (RFC 6749 §3.2): refused even when every copy is the same good
    // value, and the request without the copy then works.
    let rt = field(&support::login(&home, "gina"), "refresh_token");
    let body = format!("grant_type=refresh_token&client_id=jwtctl&refresh_token={rt}");
    for dup in [
        "&grant_type=refresh_token",
        "&client_id=jwtctl",
        &format!("&refresh_token={rt}"),
    ] {
        let a = post(&token, FORM, &format!("{body}{dup}"), &[]);
        assert!(a.body.contains("repeated"), "{}", a.body);
        assert_eq!(err(a), bad);
    }
    assert_eq!(post(&token, FORM, &body, &[]).status, 200);
    // Wrong content type, malformed encodings.
    assert_eq!(
        err(post(
            &token,
            "application/json",
            "{\"grant_type\":\"x\"}",
            &[]
        )),
        bad
    );
    assert_eq!(err(post(&token, "text/plain", "grant_type=x", &[])), bad);
    assert_eq!(
        err(post(&token, FORM, "grant_type=%zz&client_id=jwtctl", &[])),
        bad
    );
    assert_eq!(
        err(post(
            &token,
            FORM,
            "grant_type=%C3%28&client_id=jwtctl",
            &[]
        )),
        bad
    );
    // Missing and unknown grant types.
    assert_eq!(err(form(&token, &[("client_id", "jwtctl")], &[])), bad);
    let unknown = form(
        &token,
        &[("grant_type", "urn:x"), ("client_id", "jwtctl")],
        &[],
    );
    assert_eq!(err(unknown), (400, "unsupported_grant_type".into()));
    let garbage = form(
        &token,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "a.b.c"),
            ("client_id", "jwtctl"),
        ],
        &[],
    );
    assert_eq!(err(garbage), (400, "invalid_grant".into()));
    // Oversized body: a declared length over the cap is 413 before any of it is read; a
    // chunked body is cut off at the cap.
    let declared = raw_request(
        &s,
        "POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200000\r\n\r\n",
    );
    assert!(declared.starts_with("HTTP/1.1 413"), "{declared}");
    let n = 81 * 1024;
    let chunked = raw_request(
        &s,
        &format!(
            "POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n{n:x}\r\ngrant_type={}",
            "a".repeat(n - 11)
        ),
    );
    assert!(chunked.starts_with("HTTP/1.1 413"), "{chunked}");
    // Oversized head: refused by the HTTP layer.
    let huge = "x".repeat(64 * 1024);
    let head = raw_request(
        &s,
        &format!("GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\nX-Big: {huge}\r\n\r\n"),
    );
    assert!(head.starts_with("HTTP/1.1 431"), "{head}");
    // Wrong method.
    assert_eq!(get(&token, &[]).status, 405);
    // Still serving.
    assert_eq!(get(&s.at("/.well-known/jwks.json"), &[]).status, 200);
}

/// Sends raw bytes on a fresh connection and reads until the server closes it or a
/// response head arrived.
fn raw_request(s: &Server, bytes: &str) -> String {
    let addr = s.url.trim_start_matches("http://").to_owned();
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    conn.set_read_timeout(Some(server::PATIENCE)).unwrap();
    let _ = conn.write_all(bytes.as_bytes());
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
        if out.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn a_slow_client_does_not_hold_up_others_and_is_dropped() {
    let (dir, home) = new_home();
    let cfg = config(
        dir.path(),
        "[limits]\nheader_timeout = \"1s\"\nbody_timeout = \"1s\"\n",
    );
    let s = Server::start(&home, &["--config", &cfg]);
    let addr = s.url.trim_start_matches("http://").to_owned();
    // Half a request head, then nothing.
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"POST /token HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // Half a body, then nothing.
    let mut slow_body = std::net::TcpStream::connect(&addr).unwrap();
    slow_body
        .write_all(b"POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=")
        .unwrap();
    for _ in 0..5 {
        assert_eq!(get(&s.at("/.well-known/jwks.json"), &[]).status, 200);
    }
    // Both slow connections are closed by the server (the body one after a 408).
    for mut conn in [slow, slow_body] {
        conn.set_read_timeout(Some(server::PATIENCE)).unwrap();
        let start = Instant::now();
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        loop {
            match conn.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
                Err(e) => panic!("the server kept a slow connection open: {e}"),
            }
            assert!(start.elapsed() < server::PATIENCE);
        }
        let text = String::from_utf8_lossy(&seen);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 408"),
            "{text}"
        );
    }
}

#[test]
fn the_rate_limit_answers_429_with_retry_after() {
    let (dir, home) = new_home();
    let cfg = config(
        dir.path(),
        "[limits]\nper_client = { rate = 0.01, burst = 3 }\nper_address = { rate = 0 }\n",
    );
    let s = Server::start(&home, &["--config", &cfg]);
    let hit = || {
        form(
            &s.at("/token"),
            &[("grant_type", "client_credentials"), ("client_id", "c1")],
            &[],
        )
    };
    for _ in 0..3 {
        assert_eq!(hit().status, 401, "unknown client, but counted");
    }
    let limited = hit();
    assert_eq!(limited.status, 429, "{}", limited.body);
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=100).contains(&retry), "{retry}");
    // Another client has its own bucket.
    let other = form(
        &s.at("/token"),
        &[("grant_type", "client_credentials"), ("client_id", "c2")],
        &[],
    );
    assert_eq!(other.status, 401);
    drop(s);

    let cfg = config(
        dir.path(),
        "[limits]\nper_address = { rate = 0.01, burst = 2 }\n",
    );
    let s = Server::start(&home, &["--config", &cfg]);
    let statuses: Vec<u16> = (0..3)
        .map(|i| {
            let id = format!("x{i}");
            form(
                &s.at("/token"),
                &[("grant_type", "client_credentials"), ("client_id", &id)],
                &[],
            )
            .status
        })
        .collect();
    assert_eq!(statuses, [401, 401, 429]);
    let page = get(&s.at("/authorize?client_id=jwtctl"), &[]);
    assert_eq!(page.status, 429);
    assert!(page.header("retry-after").is_some());
    // Discovery is not limited.
    assert_eq!(
        get(&s.at("/.well-known/openid-configuration"), &[]).status,
        200
    );
}

#[test]
fn sigterm_drains_and_exits_0() {
    let (_dir, home) = new_home();
    let s = Server::start(&home, &[]);
    assert_eq!(get(&s.at("/.well-known/jwks.json"), &[]).status, 200);
    let (status, stderr) = s.terminate();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[test]
fn password_login_is_off_without_config_and_checks_argon2_hashes_with_it() {
    let (dir, home) = new_home();
    let s = Server::start(&home, &[]);
    let off = post(
        &s.at("/login"),
        "application/json",
        r#"{"username":"alice","password":"x","client_id":"jwtctl"}"#,
        &[],
    );
    assert_eq!(off.error(), "unauthorized_client");
    drop(s);

    let cfg = full_config(dir.path(), "");
    let s = Server::start(&home, &["--config", &cfg]);
    s.wait_for_log(|l| l.contains("ready"));
    assert!(!s.stderr_text().contains("any subject"));
    let auth = basic("svc", "s3cret");
    let wrong = form(
        &s.at("/token"),
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "nope"),
        ],
        &[("authorization", &auth)],
    );
    assert_eq!(wrong.error(), "invalid_grant");
    let nobody = form(
        &s.at("/token"),
        &[
            ("grant_type", "password"),
            ("username", "mallory"),
            ("password", "wonderland"),
        ],
        &[("authorization", &auth)],
    );
    assert_eq!(nobody.error(), "invalid_grant");
    let ok = form(
        &s.at("/token"),
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "wonderland"),
            ("scope", "openid"),
        ],
        &[("authorization", &auth)],
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    let id = support::decode(&home, &field(&ok.json(), "id_token"))["claims"].clone();
    assert_eq!(id["email"], "alice@example.com");
    // The source design's JSON aliases.
    let login = post(
        &s.at("/login"),
        "application/json",
        r#"{"username":"alice","password":"wonderland","client_id":"svc","client_secret":"s3cret"}"#,
        &[],
    );
    assert_eq!(login.status, 200, "{}", login.body);
    let rt = field(&login.json(), "refresh_token");
    let body =
        serde_json::json!({ "refresh_token": rt, "client_id": "svc", "client_secret": "s3cret" });
    let refreshed = post(
        &s.at("/refresh"),
        "application/json",
        &body.to_string(),
        &[],
    );
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
    assert_eq!(refreshed.json()["generation"], 2);
    let replay = post(
        &s.at("/refresh"),
        "application/json",
        &body.to_string(),
        &[],
    );
    assert_eq!(replay.error(), "invalid_grant");
    // Another client presenting svc's token: refused, and the session revoked.
    let rt2 = field(&refreshed.json(), "refresh_token");
    let web = refresh_grant(&s, &rt2, "web");
    assert_eq!(web.error(), "invalid_grant", "{}", web.body);
    let body =
        serde_json::json!({ "refresh_token": rt2, "client_id": "svc", "client_secret": "s3cret" });
    let after = post(
        &s.at("/refresh"),
        "application/json",
        &body.to_string(),
        &[],
    );
    assert_eq!(after.error(), "invalid_grant");
}

#[test]
fn revocation_ends_the_session_and_answers_200_for_anything() {
    let (_dir, home) = new_home();
    let s = Server::start(&home, &[]);
    let login = support::login(&home, "dave");
    let rt = field(&login, "refresh_token");
    let revoke = |t: &str| {
        form(
            &s.at("/revoke"),
            &[("token", t), ("client_id", "jwtctl")],
            &[],
        )
    };
    assert_eq!(revoke("not-a-token").status, 200);
    assert_eq!(revoke(&rt).status, 200);
    assert_eq!(refresh_grant(&s, &rt, "jwtctl").error(), "invalid_grant");
    assert_eq!(support::refresh_at(&home, support::NOW, &rt, &[]).0, 8);
    assert_eq!(
        introspect(&s, &field(&login, "access_token"))["active"],
        false
    );
    // Introspection and revocation need a registered client.
    let anon = form(&s.at("/introspect"), &[("token", &rt)], &[]);
    assert_eq!(anon.status, 401);
}

#[test]
fn cookie_mode_moves_the_refresh_token_into_an_httponly_cookie() {
    let (_dir, home) = new_home();
    let s = Server::start(&home, &["--refresh-cookie"]);
    let rt = field(&support::login(&home, "erin"), "refresh_token");
    let a = refresh_grant(&s, &rt, "jwtctl");
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.json().get("refresh_token").is_none(), "{}", a.body);
    let cookie = a.header("set-cookie").unwrap();
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/token"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    let value = cookie.split(';').next().unwrap();
    assert!(value.starts_with("jwtctl_refresh=ey"), "{value}");
    let b = form(
        &s.at("/token"),
        &[("grant_type", "refresh_token"), ("client_id", "jwtctl")],
        &[("cookie", value)],
    );
    assert_eq!(b.status, 200, "{}", b.body);
    assert_eq!(b.json()["generation"], 3);
    assert_ne!(
        b.header("set-cookie").unwrap().split(';').next().unwrap(),
        value
    );
}

#[test]
fn the_log_has_one_line_per_request_and_never_a_token() {
    let (dir, home) = new_home();
    let cfg = full_config(dir.path(), "");
    let s = Server::start(&home, &["--config", &cfg, "--json-log"]);
    let login = form(
        &s.at("/token"),
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "wonderland"),
        ],
        &[("authorization", &basic("svc", "s3cret"))],
    );
    assert_eq!(login.status, 200);
    let pair = login.json();
    let rt = field(&pair, "refresh_token");
    let refreshed = form(
        &s.at("/token"),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_id", "svc"),
            ("client_secret", "s3cret"),
        ],
        &[],
    );
    assert_eq!(refreshed.status, 200);
    let line = s.wait_for_log(|l| l.contains("\"status\":200") && l.contains("/token"));
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["method"], "POST");
    assert_eq!(v["client_id"], "svc");
    assert!(v["ms"].is_number());
    let start = Instant::now();
    while s.stderr_text().matches("\"path\"").count() < 2 {
        assert!(start.elapsed() < server::PATIENCE, "{}", s.stderr_text());
        std::thread::sleep(Duration::from_millis(20));
    }
    let (status, log) = s.terminate();
    assert_eq!(status.code(), Some(0));
    let rt2 = field(&refreshed.json(), "refresh_token");
    let secrets = [
        rt.as_str(),
        pair["access_token"].as_str().unwrap(),
        rt2.as_str(),
        "s3cret",
        "wonderland",
    ];
    for secret in secrets {
        // Any 16-character piece of a token would do; the signature end is the most telling.
        let tail = &secret[secret.len().saturating_sub(16)..];
        assert!(!log.contains(tail), "the log holds a secret:\n{log}");
    }
    let requests = log.lines().filter(|l| l.contains("\"path\"")).count();
    assert_eq!(requests, 2, "{log}");
}

#[test]
fn tls_serves_https_with_the_given_certificate() {
    let (dir, home) = new_home();
    let certs = support::tls::Ca::new(dir.path());
    let (cert, key) = (
        certs.cert_pem.to_str().unwrap(),
        certs.key_pem.to_str().unwrap(),
    );
    let s = Server::start(&home, &["--tls-cert", cert, "--tls-key", key]);
    assert!(s.url.starts_with("https://127.0.0.1:"), "{}", s.url);
    // OpenSSL, trusting only the test CA, reads the discovery document over TLS.
    let a = certs.https(&s.at("/.well-known/openid-configuration"), "GET", &[], "");
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["issuer"], s.url.as_str());
    // A bad key file is a configuration error before anything is bound.
    let (code, out, err) =
        run(jwtctl(&home).args(["serve", "--tls-cert", cert, "--tls-key", cert]));
    assert_eq!((code, out.as_str()), (11, ""), "{err}");
}

#[test]
fn start_up_failures_have_their_exit_statuses() {
    let (dir, home) = new_home();
    let bad = config(dir.path(), "[[clients]]\nid = \"x\"\n");
    let (code, out, err) = run(jwtctl(&home).args(["serve", "--config", &bad]));
    assert_eq!((code, out.as_str()), (11, ""), "{err}");
    assert!(err.contains("secret_hash"), "{err}");
    let empty = dir.path().join("empty-home");
    let (code, _, err) = run(jwtctl(&empty).args(["serve"]));
    assert_eq!(code, 11, "{err}");
    let (code, _, _) = run(jwtctl(&home).args(["serve", "--listen", "localhost"]));
    assert_eq!(code, 2);
    let (code, _, _) = run(jwtctl(&home).args(["serve", "--issuer", "ftp://x"]));
    assert_eq!(code, 2);
    // A port in use is an I/O error.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().to_string();
    let (code, _, err) = run(jwtctl(&home).args(["serve", "--listen", &port]));
    assert_eq!(code, 10, "{err}");
}

/// A one-request HTTP server on a free loopback port standing in for a client's redirect URI:
/// it answers 200 and hands over the request target.
fn callback_server() -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/cb", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8_lossy(&head).into_owned();
            let target = text.split(' ').nth(1).unwrap_or_default().to_owned();
            let _ = conn.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 14\r\nConnection: close\r\n\r\n<p>signed in</p>"[..].as_ref(),
            );
            if target.starts_with("/cb") {
                let _ = tx.send(target);
            }
        }
    });
    (url, rx)
}

/// A real browser (headless Chromium from Debian, over WebDriver) fills the login form, lands
/// on the redirect URI with the code and state, and the code is exchanged with its PKCE
/// verifier.
#[test]
fn a_browser_logs_in_on_the_form_and_the_code_is_exchanged_with_pkce() {
    let (_dir, home) = new_home();
    let s = Server::start(&home, &[]);
    let (redirect_uri, landed) = callback_server();
    let browser = crate::support::webdriver::Browser::start();
    let url = format!(
        "{}?response_type=code&client_id=jwtctl&redirect_uri={}&scope=openid&state=xyz-42&nonce=n1&code_challenge={CHALLENGE}&code_challenge_method=S256",
        s.at("/authorize"),
        server::encode(&redirect_uri)
    );
    browser.goto(&url);
    assert!(browser.source().contains("Sign in"), "{}", browser.source());
    browser.type_into("#sub", "frank");
    browser.type_into("#claims", r#"{"email": "frank@example.com"}"#);
    browser.click("#login");
    let target = landed.recv_timeout(server::PATIENCE).unwrap_or_else(|_| {
        panic!(
            "the browser never reached the redirect URI; it is on {}",
            browser.url()
        )
    });
    let back = query(&target);
    assert_eq!(param(&back, "state"), Some("xyz-42"));
    assert_eq!(param(&back, "iss"), Some(s.url.as_str()));
    let code = param(&back, "code").unwrap();
    let a = form(
        &s.at("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &redirect_uri),
            ("code_verifier", VERIFIER),
            ("client_id", "jwtctl"),
        ],
        &[],
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let pair = a.json();
    let id = support::decode(&home, &field(&pair, "id_token"))["claims"].clone();
    assert_eq!(
        (id["sub"].as_str(), id["nonce"].as_str()),
        (Some("frank"), Some("n1"))
    );
    assert_eq!(id["email"], "frank@example.com");
    // The session is the CLI's: `jwtctl refresh` rotates it.
    let (code, _, err) = support::refresh_at(
        &home,
        support::NOW,
        &field(&pair, "refresh_token"),
        &["--client-id", "jwtctl"],
    );
    assert_eq!(code, 0, "{err}");
}

/// The Python packages of the client-library test, pinned.
const PY_CLIENT: [&str; 2] = ["authlib==1.9.10", "requests==2.34.2"];

/// A virtualenv's python with Authlib, installed once into the target directory (under a file
/// lock). Missing python3, venv, pip or PyPI fails the test, naming it.
fn authlib_python() -> std::path::PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let venv = target.join("serve-client-venv");
    let py = venv.join("bin/python");
    let ready = || {
        std::process::Command::new(&py)
            .args([
                "-c",
                "import authlib, requests, sys; sys.exit(authlib.__version__ != '1.9.10')",
            ])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let lock = std::fs::File::create(target.join("serve-client-venv.lock")).unwrap();
    lock.lock().unwrap();
    if !ready() {
        let run = |cmd: &mut std::process::Command, what: &str| {
            let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(
                out.status.success(),
                "{what}:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        run(
            std::process::Command::new("python3")
                .args(["-m", "venv", "--clear"])
                .arg(&venv),
            "creating a virtualenv (needs python3 with venv, e.g. apt-get install python3-venv)",
        );
        run(
            std::process::Command::new(&py)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .args(PY_CLIENT),
            "installing Authlib from PyPI (needs pip and access to PyPI)",
        );
        assert!(ready(), "the Authlib virtualenv is still not usable");
    }
    py
}

/// A real OIDC client library nobody here wrote (Python Authlib) discovers the server, logs in
/// with the code flow and PKCE, checks the ID token against the JWKS with its own JOSE code,
/// refreshes, and is refused on replay.
#[test]
fn an_oidc_client_library_logs_in_refreshes_and_is_refused_on_replay() {
    let (_dir, home) = new_home();
    // On the real clock: the library checks exp and iat against it.
    let mut cmd = support::jwtctl_process(&home);
    cmd.env_remove("JWTCTL_NOW")
        .args(["serve", "--listen", "127.0.0.1:0"]);
    let s = Server::spawn(cmd);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/authlib_client.py");
    let out = std::process::Command::new(authlib_python())
        .arg(script)
        .arg(&s.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        s.stderr_text()
    );
    let seen = support::json(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(seen["sub"], "ivy");
    assert_eq!(seen["generation"], 2);
    assert_eq!(seen["replay"], "invalid_grant");
    assert_eq!(seen["after_replay"], "invalid_grant");
    assert_eq!(
        introspect(&s, seen["access_token"].as_str().unwrap())["active"],
        false
    );
}
