//! In-process costs, single thread: the raw aws-lc primitive against jwtctl's whole `verify`
//! (parse, checks, signature), plus RSA key generation (one prime search); and the ceilings of
//! the batch commands: raw aws-lc verification and signing on every core at once. Run with
//! `cargo bench --bench inproc`; `bench/run.sh` runs it beside the process-level benchmarks.
//! Medians of repeated rounds.

#![allow(clippy::unwrap_used)] // a benchmark panics on setup errors by design

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::signature::{self, KeyPair as _};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwtctl::alg::Alg;
use jwtctl::keys;
use jwtctl::token::{self, KeySet, Policy, SignKey};
use serde_json::json;
use std::hint::black_box;
use std::time::Instant;

const NOW: i64 = 1_700_000_000;

/// Median nanoseconds per call of `f`, over `rounds` rounds of `iters` calls.
fn median_ns(rounds: usize, iters: u32, mut f: impl FnMut()) -> f64 {
    let mut samples: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iters {
                f();
            }
            start.elapsed().as_nanos() as f64 / f64::from(iters)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn report(name: &str, ns: f64) {
    println!(
        "{name:<34} {:>10.2} µs/op {:>12.0} op/s",
        ns / 1000.0,
        1e9 / ns
    );
}

fn token_for(key: &keys::Key, alg: Alg) -> String {
    let claims = json!({"sub": "1", "iss": "bench", "exp": NOW + 900, "iat": NOW});
    let header = json!({"alg": alg.name(), "typ": "JWT"});
    let (serde_json::Value::Object(h), serde_json::Value::Object(c)) = (header, claims) else {
        unreachable!()
    };
    token::sign(&h, &c, &SignKey::new(key, alg).unwrap()).unwrap()
}

fn verify_cost(name: &str, key: &keys::Key, alg: Alg, iters: u32) {
    let t = token_for(key, alg);
    let set = KeySet::single(jwtctl::token::verify::verify_key(key).unwrap());
    let policy = Policy {
        algorithms: vec![alg],
        ..Policy::default()
    };
    assert!(token::verify(&t, &set, &policy, NOW).is_ok());
    report(
        name,
        median_ns(15, iters, || {
            black_box(token::verify(black_box(&t), &set, &policy, NOW).is_ok());
        }),
    );
}

fn main() {
    // `inproc --sign-ceiling ALG`: only that ceiling, one round; bench/run.sh runs it between
    // the `sign --batch` runs it is compared with, so the two see the same machine.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--sign-ceiling") {
        let rsa = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        sign_ceilings(&rsa, &[args[i + 1].as_str()], 1);
        return;
    }
    // From aws-lc directly: keys::generate races two searches and leaves the loser running,
    // which would load the other core during the first measurements.
    let rsa_pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let rsa = keys::parse(rsa_pair.as_der().unwrap().as_ref())
        .unwrap()
        .keys
        .remove(0);
    let hmac = keys::secret(b"0123456789abcdef0123456789abcdef".to_vec()).unwrap();

    // The floor: aws-lc verifying one RS256 signature with a pre-parsed public key.
    let pem = rsa.public_pem().unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let spki = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let t = token_for(&rsa, Alg::Rs256);
    let (si, sig) = t.rsplit_once('.').unwrap();
    let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    let parsed = signature::ParsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &spki)
        .or_else(|_| {
            // ParsedPublicKey wants the PKCS#1 RSAPublicKey inside the SPKI's BIT STRING.
            let kp = aws_lc_rs::rsa::KeyPair::from_pkcs8(
                &base64::engine::general_purpose::STANDARD
                    .decode(
                        rsa.private_pem()
                            .unwrap()
                            .lines()
                            .filter(|l| !l.starts_with("-----"))
                            .collect::<String>(),
                    )
                    .unwrap(),
            )
            .unwrap();
            signature::ParsedPublicKey::new(
                &signature::RSA_PKCS1_2048_8192_SHA256,
                kp.public_key().as_ref(),
            )
        })
        .unwrap();
    assert!(parsed.verify_sig(si.as_bytes(), &sig).is_ok());
    report(
        "aws-lc RS256 verify (raw)",
        median_ns(15, 400, || {
            black_box(parsed.verify_sig(black_box(si.as_bytes()), &sig).is_ok());
        }),
    );
    // The ceiling for `verify --batch`: the same raw check on every core at once.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let per_thread = 2_000;
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..cores {
            s.spawn(|| {
                for _ in 0..per_thread {
                    black_box(parsed.verify_sig(black_box(si.as_bytes()), &sig).is_ok());
                }
            });
        }
    });
    let all_cores_ns = start.elapsed().as_nanos() as f64 / (cores * per_thread) as f64;
    report(
        &format!("aws-lc RS256 verify (raw, {cores} threads)"),
        all_cores_ns,
    );
    verify_cost("jwtctl token::verify RS256", &rsa, Alg::Rs256, 400);

    let hkey = aws_lc_rs::hmac::Key::new(
        aws_lc_rs::hmac::HMAC_SHA256,
        b"0123456789abcdef0123456789abcdef",
    );
    let ht = token_for(&hmac, Alg::Hs256);
    let (hsi, hsig) = ht.rsplit_once('.').unwrap();
    let hsig = URL_SAFE_NO_PAD.decode(hsig).unwrap();
    report(
        "aws-lc HS256 verify (raw)",
        median_ns(15, 20_000, || {
            black_box(aws_lc_rs::hmac::verify(&hkey, black_box(hsi.as_bytes()), &hsig).is_ok());
        }),
    );
    verify_cost("jwtctl token::verify HS256", &hmac, Alg::Hs256, 20_000);

    let sk = SignKey::new(&rsa, Alg::Rs256).unwrap();
    let (serde_json::Value::Object(h), serde_json::Value::Object(c)) = (
        json!({"alg": "RS256"}),
        json!({"sub": "1", "exp": NOW + 900}),
    ) else {
        unreachable!()
    };
    report(
        "jwtctl token::sign RS256",
        median_ns(9, 40, || {
            black_box(token::sign(&h, &c, &sk).unwrap());
        }),
    );

    sign_ceilings(&rsa_pair, &["ES256", "EdDSA", "HS256", "RS256"], 5);

    // One prime search, as aws-lc runs it. `jwtctl keygen` races two and exits, killing the
    // loser; in a loop here the losers would pile up, so bench/run.sh times the command.
    report(
        "RSA-2048 keygen (aws-lc, one search)",
        median_ns(31, 1, || {
            black_box(aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap());
        }),
    );
}

/// Runs `f` `per_thread` times on each of `threads` threads at once; nanoseconds per call
/// overall (wall time over all calls).
fn on_threads(threads: usize, per_thread: u32, f: impl Fn() + Sync) -> f64 {
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..per_thread {
                    f();
                }
            });
        }
    });
    start.elapsed().as_nanos() as f64 / (threads as f64 * f64::from(per_thread))
}

/// A token-sized signing input (header and claims as `sign --batch` makes them, ~200 bytes).
fn signing_input(alg: &str) -> String {
    let header = format!(
        r#"{{"alg":"{alg}","kid":"tPZFx8BFaYbF60dDmnDuI1N_bHDMo4IOSlfkB3hm2Qg","typ":"JWT"}}"#
    );
    let claims = format!(
        r#"{{"aud":"api","exp":{},"iat":{NOW},"scope":"read write","sub":"user-123456"}}"#,
        NOW + 3600
    );
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    )
}

/// Raw aws-lc signing for `alg` (ES256, EdDSA, HS256, RS256) with a key parsed once, as a
/// closure, and how many calls make a measurement of comparable length.
fn raw_signer<'k>(alg: &str, rsa: &'k aws_lc_rs::rsa::KeyPair) -> (Box<dyn Fn() + Sync + 'k>, u32) {
    use aws_lc_rs::rand::SystemRandom;
    let msg = signing_input(alg);
    match alg {
        "ES256" => {
            let key =
                signature::EcdsaKeyPair::generate(&signature::ECDSA_P256_SHA256_FIXED_SIGNING)
                    .unwrap();
            let f = move || {
                black_box(
                    key.sign(&SystemRandom::new(), black_box(msg.as_bytes()))
                        .unwrap(),
                );
            };
            (Box::new(f), 20_000)
        }
        "EdDSA" => {
            let doc = signature::Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
            let key = signature::Ed25519KeyPair::from_pkcs8(doc.as_ref()).unwrap();
            let f = move || {
                black_box(key.sign(black_box(msg.as_bytes())));
            };
            (Box::new(f), 20_000)
        }
        "HS256" => {
            let key = aws_lc_rs::hmac::Key::new(
                aws_lc_rs::hmac::HMAC_SHA256,
                b"0123456789abcdef0123456789abcdef",
            );
            let f = move || {
                black_box(aws_lc_rs::hmac::sign(&key, black_box(msg.as_bytes())));
            };
            (Box::new(f), 400_000)
        }
        "RS256" => {
            let f = move || {
                let mut sig = vec![0; rsa.public_modulus_len()];
                rsa.sign(
                    &signature::RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    black_box(msg.as_bytes()),
                    &mut sig,
                )
                .unwrap();
                black_box(sig);
            };
            (Box::new(f), 400)
        }
        _ => panic!("no raw signer for {alg}"),
    }
}

/// The ceiling for `sign --batch`: aws-lc signing a token-sized signing input with a key parsed
/// once, on one thread and on every core at once (median of `rounds`), for each of `algs`.
fn sign_ceilings(rsa: &aws_lc_rs::rsa::KeyPair, algs: &[&str], rounds: usize) {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    for alg in algs {
        let (f, iters) = raw_signer(alg, rsa);
        report(
            &format!("aws-lc {alg} sign (raw)"),
            median_ns(rounds, iters / 4, &f),
        );
        let mut all: Vec<f64> = (0..rounds)
            .map(|_| on_threads(cores, iters / 2, &f))
            .collect();
        all.sort_by(f64::total_cmp);
        report(
            &format!("aws-lc {alg} sign (raw, {cores} threads)"),
            all[all.len() / 2],
        );
    }
}
