//! jwtctl's integration tests: one test binary (`cargo test --test it`), one module per area,
//! compiled and linked once. Every test that runs jwtctl builds the command with
//! [`support::jwtctl`] (or its variants in [`support`]), never by hand. Run one area with
//! `cargo test --test it cli::` (or any test-name filter). A new area is a new module here; a new
//! file directly under `tests/` would be a separate test binary.
//!
//! **The conformance suite**: the tests inside `conformance! { ... }` blocks (in `refresh`,
//! `refresh_store`, `session_contract`, `keyring_store`, `serve_shared`) run once per store backend, as `MODULE::sqlite::NAME`,
//! `MODULE::redis::NAME` and `MODULE::postgres::NAME`, each against a real server the harness
//! starts (`support::Backend`).
//!
//! | module | what it covers |
//! |---|---|
//! | [`cli`] | the design-card flow, every exit status, stdin/stdout rules, file modes, hostile input |
//! | [`keyring_store`] | the keyring kept in the shared store: two homes one keyring, own keyrings one store, the keyring secret, sealing, concurrent keygens, `keys push` |
//! | [`keys`] | every key kind and format, keyring rotation, `jwks`, `convert` |
//! | [`keys_contract`] | the keyring and keygen contract: lock, staging, delivery before commit, versions, lenient key material |
//! | [`refresh`] | login / refresh / logout: rotation, reuse detection, revocation (R1-R7) |
//! | [`refresh_store`] | the refresh store under concurrency and damage; `sessions` |
//! | [`remote_jwks`] | `verify --jwks-url/--issuer`, `jwks --url`: the cache, refetch limits, safety rules, against a local HTTP(S) server that misbehaves on purpose and against `jwtctl serve` over https |
//! | [`vectors`] | `tests/vectors/attack_tokens.json` and the RFC examples through `jwtctl verify` |
//! | [`wycheproof`] | every Wycheproof JWS and JWK vector (`tests/vectors/wycheproof/`) |
//! | [`interop`] | PyJWT and OpenSSL against jwtctl's tokens and keys (needs python3, openssl) |
//! | [`faults`] | fault injection: kill -9 mid-command, closed and full stdout, a deleted lock, a full disk, read-only homes |
//! | [`generated`] | `completions/` and `man/` are fresh; every `--help` has examples |
//! | [`examples`] | `examples/ci.sh` runs as written |
//! | [`readme`] | the README quick start runs as written |
//! | [`differential`] | jwtctl against jsonwebtoken (an independent oracle) for the 12 shared algorithms |
//! | [`edges`] | the process edges: batch stdin and streaming, pasted tokens, secrets on argv, terminals |
//! | [`serve`] | `jwtctl serve` over loopback: discovery, JWKS, the refresh story across server and CLI, client auth, PKCE, hostile input, rate limits, cookies, logs, SIGTERM, TLS, headless Chromium, Python Authlib (needs python3, chromium) |
//! | [`serve_shared`] | several `jwtctl serve` processes on one store: authorization codes, their replay and the login form's claims across them on SQLite, Redis and PostgreSQL; on Redis: refresh rotation and replay across them, rate limits shared through Redis (SQLite: per process), the buckets' clock and TTL, Redis out of reach during a check (503) |
//! | [`session_contract`] | the refresh flow's contract: delivery before commit, store file safety, limits, prefixes |
//! | [`setup`] | scripts ask cargo for the binary; no linker-specific build step |
//! | [`sign_batch`] | `sign --batch` and `--count`: order, flags vs line claims, `{n}`, per-line errors, the round trip through `verify --batch`, closed stdout, flat memory |
//! | [`store_postgres`] | the PostgreSQL store's own: schema and constraints, versions, two homes on one database, TLS, passwords and pgpass, locks, a stalled server, a lost COMMIT reply, a replay racing a rotation, killed clients, restarts and crashes, `store copy` both ways |
//! | [`sign_contract`] | typed flags (exit 2 at parse time), --header, exact big integers, what sign mints verify accepts, completions and man pages |
//! | [`store`] | choosing the store: `--store` / `JWTCTL_STORE`, SQLite at a path, password and flag rules |
//! | [`store_redis`] | the Redis store against real redis-servers: server down, passwords, TLS and `--store-ca`, a timeout mid-operation, a lost reply, an AOF restart mid-run, killed clients, key TTLs, prefixes, `SCRIPT FLUSH`, two homes on one store, migrate and copy |

mod support;

mod cli;
mod differential;
mod edges;
mod examples;
mod faults;
mod generated;
mod interop;
mod keyring_store;
mod keys;
mod keys_contract;
mod readme;
mod refresh;
mod refresh_store;
mod remote_jwks;
mod serve;
mod serve_shared;
mod session_contract;
mod setup;
mod sign_batch;
mod sign_contract;
mod store;
mod store_postgres;
mod store_redis;
mod vectors;
mod wycheproof;
