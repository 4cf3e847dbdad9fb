//! Verifying against an issuer's published keys (issue #15, DECISIONS §9): `verify --jwks-url`
//! and `--issuer` (OpenID Connect discovery), `jwks --url`, `convert --jwks-url`, the cache in
//! the home, and the safety rules. Everything runs against the test server in `server` on a
//! loopback port, which counts the requests it reads: "no request" is checked there; and one
//! test against `jwtctl serve --tls-cert` as the issuer, whose log counts them. Cache times
//! follow jwtctl's clock (`JWTCTL_NOW`), so nothing here sleeps through a max-age or the 30 s
//! cooldown.

#![allow(clippy::unwrap_used)] // test helpers panic by design

mod server;

use crate::support::server::{Server as Serve, argon2_hash, basic};
use crate::support::tls::Ca;
use crate::support::{NOW, jwtctl, jwtctl_at, jwtctl_process, run};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use server::{Pki, Reply, Request, Server};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A home and two ES256 keys, `k1` and `k2`.
struct Fx {
    _dir: TempDir,
    home: PathBuf,
    k1: (PathBuf, Value),
    k2: (PathBuf, Value),
}

fn fixture() -> Fx {
    let dir = TempDir::new().unwrap();
    let home = dir.path().join("home");
    let k1 = key(dir.path(), "k1");
    let k2 = key(dir.path(), "k2");
    Fx {
        _dir: dir,
        home,
        k1,
        k2,
    }
}

/// An ES256 key with `kid` written under `dir`: its private PEM and its public JWK.
fn key(dir: &Path, kid: &str) -> (PathBuf, Value) {
    let out = dir.join(kid);
    let (code, _, err) = run(jwtctl(dir)
        .args(["keygen", "--es256", "--kid", kid, "--out"])
        .arg(&out));
    assert_eq!(code, 0, "{err}");
    let jwks: Value =
        serde_json::from_slice(&std::fs::read(out.join("es256.jwks.json")).unwrap()).unwrap();
    (out.join("es256.key.pem"), jwks["keys"][0].clone())
}

/// A JWKS of these public keys.
fn set(keys: &[&Value]) -> String {
    json!({ "keys": keys }).to_string()
}

/// A token signed at NOW by `key` (its kid in the header), valid for three days.
fn sign(fx: &Fx, key: &(PathBuf, Value), args: &[&str]) -> String {
    let kid = key.1["kid"].as_str().unwrap();
    let (code, out, err) = run(jwtctl(&fx.home)
        .args(["sign", "--key"])
        .arg(&key.0)
        .args(["--kid", kid, "--sub", "alice", "--ttl", "3d"])
        .args(args));
    assert_eq!(code, 0, "{err}");
    out.trim().to_owned()
}

/// A token with this kid and a signature that matches nothing (refused before it matters).
fn forged(kid: &str) -> String {
    let enc = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.{}",
        enc(json!({"alg": "ES256", "kid": kid})),
        enc(json!({"sub": "mallory", "exp": NOW + 86_400})),
        URL_SAFE_NO_PAD.encode([7u8; 64])
    )
}

/// `jwtctl verify ARGS TOKEN` at `now`: (status, stdout, stderr).
fn verify(home: &Path, now: i64, args: &[&str], token: &str) -> (i32, String, String) {
    run(jwtctl_at(home, now).arg("verify").args(args).arg(token))
}

/// Runs jwtctl, failing the test if it has not finished within a generous bound (a hang).
fn run_bounded(mut cmd: std::process::Command) -> (i32, String, String) {
    use std::io::Read;
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("jwtctl hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (mut out, mut err) = (String::new(), String::new());
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code().unwrap_or(-1), out, err)
}

/// A server that serves `jwks` at /jwks.json.
fn jwks_server(jwks: String) -> Server {
    Server::http(move |r, _| match r.path.as_str() {
        "/jwks.json" => Reply::Json(jwks.clone()),
        _ => Reply::With(404, Vec::new(), String::new()),
    })
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_second_verify_makes_no_request_and_the_cache_is_private() {
    let fx = fixture();
    let server = jwks_server(set(&[&fx.k1.1]));
    let url = server.url("/jwks.json");
    let token = sign(&fx, &fx.k1, &[]);
    let (code, out, err) = verify(&fx.home, NOW, &["--jwks-url", &url], &token);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"sub\": \"alice\""), "{out}");
    assert_eq!(server.hits(), 1);
    for now in [NOW, NOW + 60, NOW + 599] {
        let (code, _, err) = verify(&fx.home, now, &["--jwks-url", &url], &token);
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(server.hits(), 1, "a fresh cached set makes no request");
    let cache = fx.home.join("jwks-cache");
    assert_eq!(mode(&cache), 0o700);
    let files: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!files.is_empty());
    for f in &files {
        assert_eq!(mode(f), 0o600, "{}", f.display());
    }
    // Made readable by others, it is refused like the keyring (exit 11, with the fix).
    let record = files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "json"))
        .unwrap();
    std::fs::set_permissions(record, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, err) = verify(&fx.home, NOW, &["--jwks-url", &url], &token);
    assert_eq!(code, 11, "{err}");
    assert!(err.contains("chmod 600"), "{err}");
}

#[test]
fn an_unknown_kid_makes_exactly_one_request_then_waits_30s() {
    let fx = fixture();
    let server = jwks_server(set(&[&fx.k1.1]));
    let url = server.url("/jwks.json");
    let good = sign(&fx, &fx.k1, &[]);
    assert_eq!(verify(&fx.home, NOW, &["--jwks-url", &url], &good).0, 0);
    assert_eq!(server.hits(), 1);
    // Within 30 s of the fetch, an unknown kid makes no request: the set is as new as it gets.
    let (code, out, err) = verify(&fx.home, NOW + 10, &["--jwks-url", &url], &forged("nope"));
    assert_eq!((code, out.as_str()), (4, ""), "{err}");
    assert!(err.contains("no key with kid \"nope\""), "{err}");
    assert_eq!(server.hits(), 1);
    // Later, exactly one refetch.
    let (code, _, err) = verify(&fx.home, NOW + 60, &["--jwks-url", &url], &forged("nope"));
    assert_eq!(code, 4, "{err}");
    assert_eq!(server.hits(), 2);
    // And none again for 30 s, from any jwtctl.
    for now in [NOW + 61, NOW + 89] {
        assert_eq!(
            verify(&fx.home, now, &["--jwks-url", &url], &forged("other")).0,
            4
        );
    }
    assert_eq!(server.hits(), 2);
    assert_eq!(
        verify(&fx.home, NOW + 90, &["--jwks-url", &url], &forged("other")).0,
        4
    );
    assert_eq!(server.hits(), 3);
    // A known kid never refetches, whatever its token's fault.
    let mut bad_sig = good.clone();
    bad_sig.truncate(good.len() - 4);
    bad_sig.push_str("AAAA");
    assert_eq!(
        verify(&fx.home, NOW + 200, &["--jwks-url", &url], &bad_sig).0,
        4
    );
    assert_eq!(server.hits(), 3);
}

#[test]
fn rotated_keys_are_found_by_one_refetch() {
    let fx = fixture();
    let (old, new) = (set(&[&fx.k1.1]), set(&[&fx.k1.1, &fx.k2.1]));
    // The issuer rotates between the first request and the next.
    let server =
        Server::http(move |_, n| Reply::Json(if n == 1 { old.clone() } else { new.clone() }));
    let url = server.url("/jwks.json");
    let t1 = sign(&fx, &fx.k1, &[]);
    let t2 = sign(&fx, &fx.k2, &[]);
    assert_eq!(verify(&fx.home, NOW, &["--jwks-url", &url], &t1).0, 0);
    let (code, out, err) = verify(&fx.home, NOW + 60, &["--jwks-url", &url], &t2);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("alice"));
    assert_eq!(server.hits(), 2, "one refetch");
    // The cache now holds the new set: no request for either key.
    for t in [&t1, &t2] {
        assert_eq!(verify(&fx.home, NOW + 70, &["--jwks-url", &url], t).0, 0);
    }
    assert_eq!(server.hits(), 2);
}

#[test]
fn a_thousand_made_up_kids_in_a_batch_make_at_most_one_request_per_30s() {
    let fx = fixture();
    let server = jwks_server(set(&[&fx.k1.1]));
    let url = server.url("/jwks.json");
    let good = sign(&fx, &fx.k1, &[]);
    assert_eq!(verify(&fx.home, NOW, &["--jwks-url", &url], &good).0, 0);
    let mut lines = String::new();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..1000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if i % 100 == 0 {
            lines.push_str(&good);
        } else {
            lines.push_str(&forged(&format!("{x:016x}")));
        }
        lines.push('\n');
    }
    let batch = |now: i64| {
        let out = jwtctl_at(&fx.home, now)
            .args(["verify", "--batch", "--jwks-url", &url])
            .write_stdin(lines.clone())
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(4));
        assert_eq!(stdout.lines().count(), 1000);
        assert_eq!(
            stdout.matches("\"valid\":true").count(),
            10,
            "known kids pass"
        );
    };
    batch(NOW + 60);
    assert_eq!(server.hits(), 2, "1,000 unknown kids: one request");
    batch(NOW + 75);
    assert_eq!(server.hits(), 2, "and none within 30 s of it");
    batch(NOW + 90);
    assert_eq!(server.hits(), 3);
}

/// A server of an issuer at its own base URL: discovery naming `issuer` (its base URL when
/// `None`) and its JWKS.
fn issuer_server(jwks: String, issuer: Option<&'static str>) -> (Server, String) {
    let base: Arc<OnceLock<String>> = Arc::default();
    let b = base.clone();
    let server = Server::http(move |r, _| {
        let base = b.get().unwrap();
        match r.path.as_str() {
            "/.well-known/openid-configuration" => Reply::Json(
                json!({
                    "issuer": issuer.map_or_else(|| base.clone(), str::to_owned),
                    "jwks_uri": format!("{base}/keys"),
                })
                .to_string(),
            ),
            "/keys" => Reply::Json(jwks.clone()),
            _ => Reply::With(404, Vec::new(), String::new()),
        }
    });
    let url = server.url("");
    base.set(url.clone()).unwrap();
    (server, url)
}

#[test]
fn issuer_discovery_finds_the_keys_and_requires_the_issuers_iss() {
    let fx = fixture();
    let (server, issuer) = issuer_server(set(&[&fx.k1.1]), None);
    let token = sign(&fx, &fx.k1, &["--iss", &issuer]);
    let (code, out, err) = verify(&fx.home, NOW, &["--issuer", &issuer], &token);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&issuer));
    let paths: Vec<String> = server.log().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/.well-known/openid-configuration", "/keys"]);
    assert_eq!(
        verify(&fx.home, NOW + 5, &["--issuer", &issuer], &token).0,
        0
    );
    assert_eq!(server.hits(), 2, "discovery and keys both cached");
    // The issuer's keys verify only the issuer's tokens.
    let other = sign(&fx, &fx.k1, &["--iss", "https://other.example"]);
    let (code, _, err) = verify(&fx.home, NOW, &["--issuer", &issuer], &other);
    assert_eq!(code, 7, "{err}");
    let none = sign(&fx, &fx.k1, &[]);
    assert_eq!(verify(&fx.home, NOW, &["--issuer", &issuer], &none).0, 7);
    // --iss that leaves the issuer out contradicts it.
    let (code, _, err) = verify(
        &fx.home,
        NOW,
        &["--issuer", &issuer, "--iss", "https://other.example"],
        &token,
    );
    assert_eq!(code, 2, "{err}");
    // The same set through jwks and convert.
    let (code, out, _) = run(jwtctl(&fx.home).args(["jwks", "--issuer", &issuer]));
    assert_eq!(code, 0);
    assert!(out.contains("\"kid\":\"k1\""), "{out}");
    let (code, out, err) =
        run(jwtctl(&fx.home).args(["convert", "--issuer", &issuer, "--kid", "k1", "--to", "pem"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("-----BEGIN PUBLIC KEY-----"));
    assert_eq!(server.hits(), 2);
}

#[test]
fn a_discovery_document_naming_another_issuer_is_refused() {
    let fx = fixture();
    let (server, issuer) = issuer_server(set(&[&fx.k1.1]), Some("https://evil.example"));
    let token = sign(&fx, &fx.k1, &["--iss", "https://evil.example"]);
    let (code, out, err) = verify(&fx.home, NOW, &["--issuer", &issuer], &token);
    assert_eq!((code, out.as_str()), (11, ""), "{err}");
    assert!(
        err.contains("names issuer \"https://evil.example\""),
        "{err}"
    );
    assert_eq!(server.hits(), 1, "its keys are never fetched");
    // A trailing slash is another issuer identifier.
    let (server, issuer) = issuer_server(set(&[&fx.k1.1]), None);
    let slash = format!("{issuer}/");
    let token = sign(&fx, &fx.k1, &["--iss", &slash]);
    assert_eq!(verify(&fx.home, NOW, &["--issuer", &slash], &token).0, 11);
    assert_eq!(server.hits(), 1);
}

#[test]
fn misbehaving_servers_get_their_exit_statuses_and_never_hang() {
    let fx = fixture();
    let token = sign(&fx, &fx.k1, &[]);
    let single = fx.k1.1.to_string();
    let cases: Vec<(&str, Reply, i32, &str)> = vec![
        (
            "500",
            Reply::With(500, Vec::new(), "oops".into()),
            10,
            "answered 500",
        ),
        (
            "404",
            Reply::With(404, Vec::new(), String::new()),
            10,
            "answered 404",
        ),
        (
            "html",
            Reply::Json("<html>hello</html>".into()),
            11,
            "not a JSON object",
        ),
        (
            "not json",
            Reply::Json("{\"keys\": [".into()),
            11,
            "usable JWK Set",
        ),
        ("single", Reply::Json(single), 11, "single JWK"),
        ("empty", Reply::Json("{\"keys\":[]}".into()), 11, "no keys"),
        ("hang", Reply::Hang, 10, "did not answer within 1s"),
        ("huge", Reply::Huge(false), 11, "more than 256 KiB"),
        (
            "huge with length",
            Reply::Huge(true),
            11,
            "more than 256 KiB",
        ),
        (
            "no location",
            Reply::With(302, Vec::new(), String::new()),
            10,
            "without a Location",
        ),
    ];
    for (name, reply, status, says) in cases {
        let reply = Mutex::new(Some(reply));
        let server = Server::http(move |_, _| reply.lock().unwrap().take().unwrap_or(Reply::Hang));
        let url = server.url("/jwks.json");
        // Only the server that never answers needs a short timeout; the others answer at once,
        // and a generous one keeps a loaded machine from turning their answer into a timeout.
        let timeout = if name == "hang" { "1s" } else { "1m" };
        let mut cmd = jwtctl_process(&fx.home);
        cmd.args([
            "verify",
            "--fetch-timeout",
            timeout,
            "--jwks-url",
            &url,
            &token,
        ]);
        let (code, out, err) = run_bounded(cmd);
        assert_eq!((code, out.as_str()), (status, ""), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
        assert!(err.contains("hint:"), "{name}: {err}");
        if status == 10 {
            assert!(err.contains("127.0.0.1"), "{name} names the host: {err}");
        }
        assert_eq!(server.hits(), 1, "{name}");
    }
    // Nothing invalid was cached; nothing listens: refused connection, 10.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, _, err) = verify(
        &fx.home,
        NOW,
        &["--jwks-url", &format!("http://127.0.0.1:{port}/jwks.json")],
        &token,
    );
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("127.0.0.1"), "{err}");
}

#[test]
fn redirects_stay_on_the_same_host_at_most_three_and_never_down_to_http() {
    let fx = fixture();
    let token = sign(&fx, &fx.k1, &[]);
    let jwks = set(&[&fx.k1.1]);
    let port: Arc<OnceLock<u16>> = Arc::default();
    let p = port.clone();
    let server = Server::http(move |r: &Request, _| {
        let port = p.get().unwrap();
        match r.path.as_str() {
            "/old" => Reply::Redirect(301, "/jwks.json".into()),
            "/r1" => Reply::Redirect(302, "/r2".into()),
            "/r2" => Reply::Redirect(307, "r3".into()),
            "/r3" => Reply::Redirect(308, format!("http://127.0.0.1:{port}/r4")),
            "/r4" => Reply::Redirect(302, "/jwks.json".into()),
            "/away" => Reply::Redirect(302, format!("http://localhost:{port}/jwks.json")),
            "/jwks.json" => Reply::Json(jwks.clone()),
            _ => Reply::With(404, Vec::new(), String::new()),
        }
    });
    port.set(server.port()).unwrap();
    let (code, _, err) = verify(&fx.home, NOW, &["--jwks-url", &server.url("/old")], &token);
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.hits(), 2);
    let (code, _, err) = verify(&fx.home, NOW, &["--jwks-url", &server.url("/r1")], &token);
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("more than 3 redirects"), "{err}");
    let (code, _, err) = verify(&fx.home, NOW, &["--jwks-url", &server.url("/away")], &token);
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("another host (localhost)"), "{err}");
    assert_eq!(
        server
            .log()
            .iter()
            .filter(|r| r.path == "/jwks.json")
            .count(),
        1
    );

    // From https, never down to http, even on loopback.
    let pki = Pki::new();
    let plain = jwks_server(set(&[&fx.k1.1]));
    let to = plain.url("/jwks.json");
    let tls = Server::https(&pki, move |_, _| Reply::Redirect(302, to.clone()));
    let ca = pki.ca.to_string_lossy().into_owned();
    let (code, _, err) = verify(
        &fx.home,
        NOW,
        &["--ca", &ca, "--jwks-url", &tls.url("/jwks.json")],
        &token,
    );
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("down to http"), "{err}");
    assert_eq!((tls.hits(), plain.hits()), (1, 0));
}

#[test]
fn https_is_verified_against_the_system_cas_or_the_ca_given() {
    let fx = fixture();
    let token = sign(&fx, &fx.k1, &[]);
    let pki = Pki::new();
    let jwks = set(&[&fx.k1.1]);
    let server = Server::https(&pki, move |_, _| Reply::Json(jwks.clone()));
    let url = server.url("/jwks.json");
    // The throwaway CA is in no system store: TLS fails, 10, with the host and a hint.
    let (code, out, err) = verify(&fx.home, NOW, &["--jwks-url", &url], &token);
    assert_eq!((code, out.as_str()), (10, ""), "{err}");
    assert!(err.contains("TLS with 127.0.0.1 failed"), "{err}");
    assert!(err.contains("--ca FILE"), "{err}");
    assert_eq!(server.hits(), 0, "no request without a trusted certificate");
    let ca = pki.ca.to_string_lossy().into_owned();
    let (code, _, err) = verify(&fx.home, NOW, &["--ca", &ca, "--jwks-url", &url], &token);
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.hits(), 1);
    // A --ca file without a certificate is a configuration error, before any connection.
    let not_pem = fx.home.join("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    let (code, _, err) = run(jwtctl(&fx.home)
        .args(["jwks", "--refresh", "--url", &url, "--ca"])
        .arg(&not_pem));
    assert_eq!(code, 11, "{err}");
    assert_eq!(server.hits(), 1);
}

#[test]
fn refused_urls_and_fetch_flags_are_usage_errors() {
    let fx = fixture();
    let token = sign(&fx, &fx.k1, &[]);
    let lines: [&[&str]; 12] = [
        &["verify", "--jwks-url", "http://example.com/", &token],
        &["verify", "--issuer", "http://example.com", &token],
        &["jwks", "--url", "http://example.com/jwks"],
        &[
            "convert",
            "--jwks-url",
            "http://10.0.0.1/jwks",
            "--to",
            "jwks",
        ],
        &[
            "verify",
            "--jwks-url",
            "https://user:pw@example.com/jwks",
            &token,
        ],
        &["verify", "--jwks-url", "ftp://example.com/jwks", &token],
        &[
            "verify",
            "--jwks-url",
            "https://example.com/",
            "--fetch-timeout",
            "0s",
            &token,
        ],
        &[
            "verify",
            "--jwks-url",
            "https://example.com/",
            "--fetch-timeout",
            "1h",
            &token,
        ],
        &["verify", "--offline", &token],
        &[
            "verify",
            "--jwks-url",
            "https://example.com/",
            "--key",
            "k.pem",
            &token,
        ],
        &[
            "verify",
            "--jwks-url",
            "https://example.com/",
            "--issuer",
            "https://example.com",
            &token,
        ],
        &[
            "jwks",
            "--url",
            "https://example.com/",
            "--refresh",
            "--offline",
        ],
    ];
    for line in lines {
        let (code, out, err) = run(jwtctl(&fx.home).args(line));
        assert_eq!((code, out.as_str()), (2, ""), "{line:?}: {err}");
    }
    let (_, _, err) = run(jwtctl(&fx.home).args(lines[0]));
    assert!(err.contains("http:// is refused for example.com"), "{err}");
    assert!(!fx.home.join("jwks-cache").exists());
}

#[test]
fn offline_uses_only_the_cache() {
    let fx = fixture();
    let server = jwks_server(set(&[&fx.k1.1]));
    let url = server.url("/jwks.json");
    let token = sign(&fx, &fx.k1, &[]);
    let (code, out, err) = verify(&fx.home, NOW, &["--offline", "--jwks-url", &url], &token);
    assert_eq!((code, out.as_str()), (10, ""), "{err}");
    assert!(err.contains("--offline, and no copy of"), "{err}");
    assert!(err.contains("hint: run once without --offline"), "{err}");
    assert_eq!(server.hits(), 0);
    assert_eq!(verify(&fx.home, NOW, &["--jwks-url", &url], &token).0, 0);
    // Stale, offline uses it anyway and says so; an unknown kid makes no request.
    let (code, _, err) = verify(
        &fx.home,
        NOW + 7200,
        &["--offline", "--jwks-url", &url],
        &token,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("is stale (fetched 2h ago)"), "{err}");
    let (code, _, _) = verify(
        &fx.home,
        NOW + 7200,
        &["--offline", "--jwks-url", &url],
        &forged("new"),
    );
    assert_eq!(code, 4);
    assert_eq!(server.hits(), 1);
}

#[test]
fn max_age_is_honoured_within_bounds_and_etags_revalidate() {
    let fx = fixture();
    let token = sign(&fx, &fx.k1, &[]);
    let jwks = set(&[&fx.k1.1]);
    let server = Server::http(move |r, _| {
        if r.header("if-none-match") == Some("\"v1\"") {
            return Reply::With(
                304,
                vec![("Cache-Control", "max-age=120".into())],
                String::new(),
            );
        }
        let age = match r.path.as_str() {
            "/long" => "public, max-age=999999",
            "/zero" => "no-cache",
            _ => "max-age=120",
        };
        Reply::With(
            200,
            vec![("Cache-Control", age.into()), ("ETag", "\"v1\"".into())],
            jwks.clone(),
        )
    });
    let url = server.url("/etag");
    let hits_after = |now: i64, url: &str| {
        let (code, _, err) = verify(&fx.home, now, &["--jwks-url", url], &token);
        assert_eq!(code, 0, "{err}");
        server.hits()
    };
    assert_eq!(hits_after(NOW, &url), 1);
    assert_eq!(hits_after(NOW + 119, &url), 1, "fresh for max-age=120");
    assert_eq!(hits_after(NOW + 120, &url), 2, "then revalidated");
    let last = server.log().pop().unwrap();
    assert_eq!(last.header("if-none-match"), Some("\"v1\""));
    assert_eq!(hits_after(NOW + 239, &url), 2, "a 304 makes it fresh again");
    // max-age is bounded: at most 24 h, at least 1 min.
    let long = server.url("/long");
    assert_eq!(hits_after(NOW, &long), 3);
    assert_eq!(hits_after(NOW + 86_399, &long), 3);
    assert_eq!(hits_after(NOW + 86_400, &long), 4);
    let zero = server.url("/zero");
    assert_eq!(hits_after(NOW, &zero), 5);
    assert_eq!(hits_after(NOW + 59, &zero), 5);
    assert_eq!(hits_after(NOW + 60, &zero), 6);
    // A copy from jwtctl's future (an earlier --now) is stale.
    let (code, _, err) = verify(
        &fx.home,
        NOW - 10,
        &["--leeway", "1m", "--jwks-url", &zero],
        &token,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.hits(), 7);
}

#[test]
fn a_failed_refetch_keeps_the_fresh_set_and_a_stale_one_fails() {
    let fx = fixture();
    let jwks = set(&[&fx.k1.1]);
    let down = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let d = down.clone();
    let server = Server::http(move |_, _| {
        if d.load(std::sync::atomic::Ordering::SeqCst) {
            Reply::With(503, Vec::new(), String::new())
        } else {
            Reply::Json(jwks.clone())
        }
    });
    let url = server.url("/jwks.json");
    let token = sign(&fx, &fx.k1, &[]);
    assert_eq!(verify(&fx.home, NOW, &["--jwks-url", &url], &token).0, 0);
    down.store(true, std::sync::atomic::Ordering::SeqCst);
    let (code, _, err) = verify(&fx.home, NOW + 60, &["--jwks-url", &url], &forged("new"));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("refetching the set failed"), "{err}");
    assert!(err.contains("answered 503"), "{err}");
    assert_eq!(server.hits(), 2);
    // The fresh set still verifies, without a request.
    assert_eq!(
        verify(&fx.home, NOW + 61, &["--jwks-url", &url], &token).0,
        0
    );
    assert_eq!(server.hits(), 2);
    // Stale and the issuer down: 10, naming the host.
    let (code, _, err) = verify(&fx.home, NOW + 601, &["--jwks-url", &url], &token);
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("127.0.0.1 answered 503"), "{err}");
    assert_eq!(server.hits(), 3);
}

#[test]
fn concurrent_processes_share_one_fetch() {
    let fx = fixture();
    let jwks = set(&[&fx.k1.1]);
    // A slow answer: the others wait for the lock, then use what the first one cached.
    let server = Server::http(move |_, _| {
        std::thread::sleep(Duration::from_millis(300));
        Reply::Json(jwks.clone())
    });
    let url = server.url("/jwks.json");
    let token = sign(&fx, &fx.k1, &[]);
    let children: Vec<_> = (0..8)
        .map(|_| {
            jwtctl_process(&fx.home)
                .args(["verify", "-q", "--jwks-url", &url, &token])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    assert_eq!(server.hits(), 1);
}

#[test]
fn urls_in_the_token_are_never_fetched() {
    let fx = fixture();
    let server = jwks_server(set(&[&fx.k1.1]));
    let attacker = jwks_server(set(&[&fx.k2.1]));
    let bait = attacker.url("/jwks.json");
    let url = server.url("/jwks.json");
    let headers = [
        "--header",
        &format!("jku={bait}"),
        "--header",
        &format!("x5u={bait}"),
    ];
    let signed_by_k1 = sign(&fx, &fx.k1, &headers);
    let signed_by_k2 = sign(
        &fx,
        &fx.k2,
        &[headers.as_slice(), &["--iss", &bait]].concat(),
    );
    assert_eq!(
        verify(&fx.home, NOW, &["--jwks-url", &url], &signed_by_k1).0,
        0
    );
    // k2 is only at the token's URLs: refused after one refetch of the URL given.
    let (code, _, err) = verify(&fx.home, NOW + 60, &["--jwks-url", &url], &signed_by_k2);
    assert_eq!(code, 4, "{err}");
    // With the keyring (no URL flag), nothing is fetched either.
    let (code, _, _) = verify(&fx.home, NOW, &[], &signed_by_k2);
    assert_ne!(code, 0);
    assert_eq!(attacker.hits(), 0, "jku, x5u and iss are never fetched");
    assert_eq!(server.hits(), 2);
}

#[test]
fn jwks_url_prints_the_set_and_refresh_fetches_it_anew() {
    let fx = fixture();
    let jwks = set(&[&fx.k1.1, &fx.k2.1]);
    let server = jwks_server(jwks.clone());
    let url = server.url("/jwks.json");
    let (code, out, err) = run(jwtctl(&fx.home).args(["jwks", "--url", &url]));
    assert_eq!((code, out.trim()), (0, jwks.as_str()), "{err}");
    let (code, ..) = run(jwtctl(&fx.home).args(["jwks", "--url", &url]));
    assert_eq!((code, server.hits()), (0, 1));
    let (code, ..) = run(jwtctl(&fx.home).args(["jwks", "--url", &url, "--refresh"]));
    assert_eq!((code, server.hits()), (0, 2), "--refresh always fetches");
    let (code, out, err) =
        run(jwtctl(&fx.home).args(["convert", "--jwks-url", &url, "--kid", "k2", "--to", "jwk"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["kid"], "k2");
    assert_eq!(server.hits(), 2);
}

/// `jwtctl verify ARGS TOKEN` at `now`, failing the test rather than waiting past a bound.
fn verify_bounded(home: &Path, now: i64, args: &[&str], token: &str) -> (i32, String, String) {
    let mut cmd = jwtctl_process(home);
    cmd.env("JWTCTL_NOW", now.to_string())
        .arg("verify")
        .args(args)
        .arg(token)
        .stdin(std::process::Stdio::null());
    run_bounded(cmd)
}

/// How many requests for its discovery document and for its JWKS `serve` has logged, counting
/// every request answered so far: `serve` writes a request's log line before it answers, so a
/// marker request made now, once its own line is read, comes after all of theirs.
fn requests_at(serve: &Serve, certs: &Ca) -> (usize, usize) {
    static MARKERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MARKERS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let marker = format!("/marker-{n}");
    assert_eq!(certs.https(&serve.at(&marker), "GET", &[], "").status, 404);
    let logged = format!(" GET {marker} ");
    serve.wait_for_log(|l| l.contains(&logged));
    let log = serve.stderr_text();
    let count = |path: &str| {
        let line = format!(" GET {path} ");
        log.lines().filter(|l| l.contains(&line)).count()
    };
    (
        count("/.well-known/openid-configuration"),
        count("/.well-known/jwks.json"),
    )
}

/// A JWT's header and payload.
fn parts(token: &str) -> (Value, Value) {
    let part = |i: usize| {
        let b64 = token.split('.').nth(i).unwrap();
        serde_json::from_slice::<Value>(&URL_SAFE_NO_PAD.decode(b64).unwrap()).unwrap()
    };
    (part(0), part(1))
}

/// The issue's own check: `jwtctl serve --tls-cert` is the issuer. A token it mints verifies in
/// another home through `--issuer` (discovery, then the JWKS, over https trusting `--ca`); a
/// second verify asks nothing; without `--ca` nobody trusts the throwaway CA (10, a TLS hint);
/// a `keygen` on the server's home is found by one refetch of the JWKS.
#[test]
fn a_token_from_jwtctl_serve_over_https_verifies_through_its_issuer_url() {
    let dir = TempDir::new().unwrap();
    let certs = Ca::new(dir.path());
    let server_home = dir.path().join("server");
    let (code, _, err) = run(jwtctl(&server_home).args(["keygen", "--es256"]));
    assert_eq!(code, 0, "{err}");
    let config = dir.path().join("serve.toml");
    std::fs::write(
        &config,
        format!(
            "[[clients]]\nid = \"svc\"\nsecret_hash = \"{}\"\n\
             grants = [\"client_credentials\"]\naudience = \"api\"\n",
            argon2_hash("s3cret")
        ),
    )
    .unwrap();
    let serve = Serve::start(
        &server_home,
        &[
            "--config",
            config.to_str().unwrap(),
            "--tls-cert",
            certs.cert_pem.to_str().unwrap(),
            "--tls-key",
            certs.key_pem.to_str().unwrap(),
        ],
    );
    // The issuer serve announces: its URL (stdout's first line), named in its ready line.
    let issuer = serve.url.clone();
    assert!(issuer.starts_with("https://127.0.0.1:"), "{issuer}");
    serve.wait_for_log(|l| l.contains(&format!("serving {issuer}, issuer {issuer}")));
    let mint = || {
        let a = certs.https(
            &serve.at("/token"),
            "POST",
            &[
                ("Authorization", &basic("svc", "s3cret")),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            "grant_type=client_credentials",
        );
        assert_eq!(a.status, 200, "{}", a.body);
        a.json()["access_token"].as_str().unwrap().to_owned()
    };
    let token = mint();
    let (head, claims) = parts(&token);
    assert_eq!(claims["iss"], issuer.as_str(), "{claims}");
    assert_eq!(requests_at(&serve, &certs), (0, 0));

    // Another home, with no key of serve's: discovery, then its JWKS, over https.
    let client_home = dir.path().join("client");
    let ca = certs.ca_pem.to_str().unwrap();
    let args = ["--issuer", &issuer, "--ca", ca, "--aud", "api"];
    let (code, out, err) = verify_bounded(&client_home, NOW, &args, &token);
    assert_eq!(code, 0, "{err}");
    assert_eq!(crate::support::json(&out)["iss"], issuer.as_str(), "{out}");
    assert_eq!(
        requests_at(&serve, &certs),
        (1, 1),
        "one discovery, one JWKS"
    );

    // A second verify uses the cache: no request at all.
    let (code, _, err) = verify_bounded(&client_home, NOW + 1, &args, &token);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        requests_at(&serve, &certs),
        (1, 1),
        "the second verify asked"
    );

    // Without --ca (and nothing cached) the throwaway CA is trusted by nobody: 10, the host
    // named, a hint; no request got through.
    let fresh_home = dir.path().join("fresh");
    let no_ca = ["--issuer", &issuer, "--aud", "api"];
    let (code, out, err) = verify_bounded(&fresh_home, NOW, &no_ca, &token);
    assert_eq!((code, out.as_str()), (10, ""), "{err}");
    assert!(err.contains("TLS with 127.0.0.1 failed"), "{err}");
    assert!(err.contains("hint:") && err.contains("--ca FILE"), "{err}");
    assert_eq!(requests_at(&serve, &certs), (1, 1));

    // The server's home rotates its key and serve signs with the new one at once. The
    // client's cached set lacks that kid: one refetch of the JWKS (past the 30 s cooldown;
    // the discovery document is still fresh), then nothing more.
    let (code, _, err) = run(jwtctl(&server_home).args(["keygen", "--es256"]));
    assert_eq!(code, 0, "{err}");
    let rotated = mint();
    assert_ne!(
        parts(&rotated).0["kid"],
        head["kid"],
        "serve signs with the new key"
    );
    let (code, _, err) = verify_bounded(&client_home, NOW + 31, &args, &rotated);
    assert_eq!(code, 0, "{err}");
    assert_eq!(requests_at(&serve, &certs), (1, 2), "one refetch");
    for t in [&rotated, &token] {
        let (code, _, err) = verify_bounded(&client_home, NOW + 32, &args, t);
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(requests_at(&serve, &certs), (1, 2), "both keys are cached");
}
