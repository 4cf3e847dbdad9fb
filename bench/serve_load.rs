//! `jwtctl serve` under load, over loopback (issue #14): start-up time to the first stdout line
//! and to the first 200 on the discovery document, idle and peak RSS, refresh-token grants per
//! second and introspections per second with 32 concurrent keep-alive clients, ES256 keys, the
//! SQLite store, rate limits off. Run with `cargo bench --bench serve_load`; `SECS=N` sets
//! each load phase's length (default 5). Numbers are medians or totals of one run: compare
//! them only with others from the same run on the same machine.

#![allow(clippy::unwrap_used)] // a benchmark panics on setup errors by design

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const CLIENTS: usize = 32;

fn jwtctl(home: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jwtctl"));
    c.env_remove("JWTCTL_NOW").env("JWTCTL_HOME", home);
    c
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn start(home: &std::path::Path, config: &std::path::Path) -> (std::process::Child, String, f64) {
    let t0 = Instant::now();
    let mut child = jwtctl(home)
        .args(["serve", "--listen", "127.0.0.1:0", "-q", "--config"])
        .arg(config)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let first_line = t0.elapsed().as_secs_f64() * 1000.0;
    (child, line.trim().to_owned(), first_line)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Runs `f` on `CLIENTS` threads (each with its own keep-alive agent) for `secs`; ops/s.
fn load(secs: u64, f: impl Fn(&ureq::Agent, usize, &mut String) + Sync, state: Vec<String>) -> f64 {
    let done = AtomicU64::new(0);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for (i, mut st) in state.into_iter().enumerate() {
            let (f, done) = (&f, &done);
            s.spawn(move || {
                let agent = agent();
                while Instant::now() < deadline {
                    f(&agent, i, &mut st);
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    done.load(Ordering::Relaxed) as f64 / t0.elapsed().as_secs_f64()
}

fn main() {
    let secs: u64 = std::env::var("SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::TempDir::new().unwrap();
    let home = dir.path().join("home");
    assert!(
        jwtctl(&home)
            .args(["keygen", "--es256"])
            .output()
            .unwrap()
            .status
            .success()
    );
    let config = dir.path().join("serve.toml");
    std::fs::write(
        &config,
        "[[clients]]\nid = \"jwtctl\"\npublic = true\n\
         [limits]\nper_client = { rate = 0 }\nper_address = { rate = 0 }\n",
    )
    .unwrap();

    // Start-up: first stdout line, and first 200 on discovery.
    let (mut to_line, mut to_200) = (Vec::new(), Vec::new());
    for _ in 0..11 {
        let t0 = Instant::now();
        let (mut child, url, first) = start(&home, &config);
        let a = agent();
        loop {
            let r = a
                .get(&format!("{url}/.well-known/openid-configuration"))
                .call();
            if r.is_ok_and(|r| r.status() == 200) {
                break;
            }
        }
        to_200.push(t0.elapsed().as_secs_f64() * 1000.0);
        to_line.push(first);
        let _ = child.kill();
        let _ = child.wait();
    }
    println!(
        "start-up to first stdout line      {:>8.2} ms (median of 11)",
        median(to_line)
    );
    println!(
        "start-up to first 200 (discovery)  {:>8.2} ms (median of 11)",
        median(to_200)
    );

    let (mut child, url, _) = start(&home, &config);
    std::thread::sleep(Duration::from_millis(300));
    println!(
        "RSS idle                           {:>8} KiB",
        rss_kib(child.id(), "VmRSS:")
    );

    // One family per client, opened by the CLI.
    let families: Vec<String> = (0..CLIENTS)
        .map(|i| {
            let out = jwtctl(&home)
                .args(["login", "--sub", &format!("user{i}")])
                .output()
                .unwrap();
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            v["refresh_token"].as_str().unwrap().to_owned()
        })
        .collect();
    let token_url = format!("{url}/token");
    let rate = load(
        secs,
        |agent, _, rt| {
            let mut r = agent
                .post(&token_url)
                .send_form([
                    ("grant_type", "refresh_token"),
                    ("refresh_token", rt.as_str()),
                    ("client_id", "jwtctl"),
                ])
                .unwrap();
            assert_eq!(r.status(), 200);
            let v: serde_json::Value =
                serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
            *rt = v["refresh_token"].as_str().unwrap().to_owned();
        },
        families,
    );
    println!("refresh grants/s, {CLIENTS} clients      {rate:>8.0}");

    let out = jwtctl(&home)
        .args(["login", "--sub", "intro"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let at = v["access_token"].as_str().unwrap().to_owned();
    let intro_url = format!("{url}/introspect");
    let rate = load(
        secs,
        |agent, _, at| {
            let mut r = agent
                .post(&intro_url)
                .send_form([("token", at.as_str()), ("client_id", "jwtctl")])
                .unwrap();
            assert_eq!(r.status(), 200);
            let v: serde_json::Value =
                serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
            assert_eq!(v["active"], true);
        },
        vec![at; CLIENTS],
    );
    println!("introspections/s, {CLIENTS} clients      {rate:>8.0}");
    println!(
        "peak RSS (VmHWM)                   {:>8} KiB",
        rss_kib(child.id(), "VmHWM:")
    );
    let _ = child.kill();
    let _ = child.wait();
}
