//! The Redis store (`redis://`, `rediss://`; Redis 7 or Valkey): one server shared by every
//! machine that issues or refreshes tokens, with the SQLite store's semantics and events.
//!
//! **Every write is one server-side Lua script** (`scripts/`, run with `EVALSHA` and sent again
//! with `EVAL` when the server answers `NOSCRIPT`, e.g. after a restart or `SCRIPT FLUSH`; reads
//! with `EVALSHA_RO`/`EVAL_RO`, so they also run on replicas and while writes are paused), so
//! no other client can interleave with it. Redis 7.0 or later (or Valkey): the scripts use
//! shebang flags, the `_RO` commands and `PEXPIRETIME`. A script checks everything first and writes only
//! after, so a refused or failed script leaves nothing behind. A refresh cannot hold a
//! transaction open while jwtctl decides and signs, so (as the [`Store`] trait describes) it
//! reads a snapshot with one read-only script, decides in Rust, and applies the [`Step`] with a
//! compare-and-set script on the presented token's `(state, replaced_by, used_at)`, the family's
//! `(generation, current_jti, revoked_at)` and whether the subject is disabled. When that fails
//! another client moved first: jwtctl reads and decides again, up to [`ATTEMPTS`] times, then
//! gives up with [`StoreError::Conflict`]. When `deliver` fails after the step was applied, an
//! undo script puts back exactly what the step changed (deleting its events too), provided the
//! family is still where the step left it.
//!
//! **Keys** (all under the prefix, `--store-prefix`, default `jwtctl:`): `fam:ID` and `tok:JTI`
//! hashes (the SQLite columns as fields, absent for NULL; token hashes as hex, never tokens),
//! `chain:ID` (the family's jtis by generation), the indexes `families` (by creation time),
//! `ids` (by id, for prefixes) and `subfam:SUB`, `disabled:SUB` hashes and their index `subjects`,
//! the sealed keyring `keyring` (`--keyring-in-store`: a version and the blob), the event log
//! `events`
//! (a stream capped with `MAXLEN ~` [`EVENT_CAP`]; each entry carries an `id` from the counter
//! `event_seq`, so ids increase like SQLite's), and `schema` (the format version; a newer one is
//! refused without a write). A family's keys and its tokens' keys expire together, at the end of
//! its absolute lifetime plus [`EXPIRY_MARGIN`], so nothing needs cleaning up by hand; the index
//! entries of expired families are skipped by every listing and pruned by the next login (the
//! `expiry` index). `serve`'s authorization codes (`code:SHA256HEX`) and login-form claims
//! (`claims:ID`) expire with their records (`codes.rs`). Disabled subjects and the event log do
//! not expire. Key names are computed
//! inside the scripts, so this runs on a standalone server, not Redis Cluster.
//!
//! **The client** is jwtctl's own (`conn.rs`, about 450 lines of RESP2 over `std::net` and
//! rustls), not the `redis` crate: redis-rs with `default-features = false` still brings `url`
//! (with IDNA tables), `combine`, `socket2`, `arcstr`, `xxhash-rust` and `ryu` into a binary whose
//! one-shot start-up is measured, and it reads whatever size the server announces; jwtctl needs
//! a handful of commands, one deadline per command (`--store-timeout`), replies capped in size, and to
//! know whether a failed write may have run (a connection proves it talks to a Redis with `AUTH`,
//! `SELECT` or `PING` before the first write, so a wrong port is a connection error). TLS is rustls on the aws-lc-rs provider jwtctl
//! already links (one crypto stack, DECISIONS §7), verified against the system roots plus
//! `--store-ca`. Nothing of this runs unless a Redis URL is used.

mod args;
mod codes;
mod conn;
mod reply;

use super::target::{Options, Server};
use super::{
    Disabled, Dump, Event, Family, Filter, Listed, MAX_KEYRING_BLOB, NewEvent, RevokeReason,
    Revoked, Snapshot, Store, StoreError, TokenRecord,
};
use crate::session::Step;
use anyhow::Result;
use args::{Args, Undo, family_fields, hex, opt, opt_int, token_fields};
use conn::{Conn, Fault, Value};
use reply::Where;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::OnceLock;

/// How often a refresh reads and decides again after another client changed what it read.
pub const ATTEMPTS: usize = 8;
/// How long a family's keys outlive its absolute lifetime: for a day after its end a refresh is
/// still answered "expired" (5, logged) as on SQLite rather than "unknown" (8), and `sessions`
/// still lists it as expired. The keys' lifetime counts from the server's clock when they are
/// written, so a host whose clock is off moves nothing.
pub const EXPIRY_MARGIN: i64 = 86_400;
/// The longest lifetime given to keys (about 100 years): beyond it EXPIRE would overflow.
const MAX_TTL: i64 = 100 * 365 * 86_400;
/// The event log keeps about this many entries (`XADD MAXLEN ~`).
pub const EVENT_CAP: u64 = 100_000;
/// Families, tokens or events read per round trip when listing.
const CHUNK: usize = 256;
/// The format version the scripts write and accept (`schema` key).
pub const SCHEMA_VERSION: i64 = 1;

/// One Lua script: its text and the SHA-1 that `EVALSHA` names it by.
struct Script {
    src: &'static str,
    writes: bool,
    sha: OnceLock<String>,
}

impl Script {
    const fn new(src: &'static str, writes: bool) -> Self {
        Script {
            src,
            writes,
            sha: OnceLock::new(),
        }
    }

    fn sha(&self) -> &str {
        self.sha.get_or_init(|| {
            let d = aws_lc_rs::digest::digest(
                &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
                self.src.as_bytes(),
            );
            hex(d.as_ref())
        })
    }
}

// Reads carry `flags=no-writes` (they run while writes are paused and on replicas); writes a
// bare shebang, so an out-of-memory server refuses them before their first write.
static READ: Script = Script::new(
    concat!(
        "#!lua flags=no-writes\n",
        include_str!("scripts/common.lua"),
        include_str!("scripts/read.lua")
    ),
    false,
);
static OPEN: Script = Script::new(
    concat!(
        "#!lua\n",
        include_str!("scripts/common.lua"),
        include_str!("scripts/open.lua")
    ),
    true,
);
static APPLY: Script = Script::new(
    concat!(
        "#!lua\n",
        include_str!("scripts/common.lua"),
        include_str!("scripts/apply.lua")
    ),
    true,
);
static UNDO: Script = Script::new(
    concat!(
        "#!lua\n",
        include_str!("scripts/common.lua"),
        include_str!("scripts/undo.lua")
    ),
    true,
);
static LOAD: Script = Script::new(
    concat!(
        "#!lua\n",
        include_str!("scripts/common.lua"),
        include_str!("scripts/load.lua")
    ),
    true,
);
static ADMIN: Script = Script::new(
    concat!(
        "#!lua\n",
        include_str!("scripts/common.lua"),
        include_str!("scripts/admin.lua")
    ),
    true,
);

static BUCKET: Script = Script::new(
    concat!(
        "#!lua\n",
        include_str!("scripts/common.lua"),
        include_str!("scripts/bucket.lua")
    ),
    true,
);

/// A store on a Redis server, over one connection.
pub struct RedisStore {
    conn: RefCell<Conn>,
    prefix: String,
    at: Where,
}

impl RedisStore {
    /// Connects to the server of `server` (TLS, `AUTH`, `SELECT` as the URL says).
    pub fn connect(server: &Server, options: &Options) -> Result<Self> {
        let address = if server.host.contains(':') {
            format!("[{}]:{}", server.host, server.port)
        } else {
            format!("{}:{}", server.host, server.port)
        };
        let at = Where {
            shown: server.shown.clone(),
            address,
            timeout: options.timeout,
        };
        let conn = conn::connect(server, options).map_err(|f| at.error(f, false))?;
        Ok(RedisStore {
            conn: RefCell::new(conn),
            prefix: options.prefix.clone(),
            at,
        })
    }

    /// `jwtctl store migrate`: marks the store with this jwtctl's format (a newer one is
    /// refused); what was done, in words.
    pub fn migrate(&self) -> Result<String> {
        let mut a = Args::default();
        a.push("migrate").push("0");
        let created = self.at.int(&self.run(&ADMIN, &a)?)? == 1;
        Ok(format!(
            "refresh store {} (key prefix {:?}): schema version {SCHEMA_VERSION} ({})",
            self.at.shown,
            self.prefix,
            if created { "created" } else { "up to date" }
        ))
    }

    /// Takes one token from the bucket `name` (key `rl:NAME` under the prefix) holding up to
    /// `burst` tokens and refilled with `per_second` a second, in one script on the server's
    /// clock (`TIME`), so every process sharing this store shares the bucket and a fixed
    /// `--now` does not stop it refilling. `Ok(None)`: taken; `Ok(Some(wait))`: refused, a
    /// token is back after `wait`. An idle bucket's key expires once it is full again.
    pub fn take_token(
        &self,
        name: &str,
        burst: f64,
        per_second: f64,
    ) -> Result<Option<std::time::Duration>> {
        if !(burst >= 1.0 && burst.is_finite() && per_second > 0.0 && per_second.is_finite()) {
            return Err(self.io(format!(
                "bucket {name}: burst {burst} and rate {per_second} must be positive"
            )));
        }
        let mut a = Args::default();
        a.push(name)
            .push(format!("{burst}"))
            .push(format!("{per_second}"));
        let reply = self.run(&BUCKET, &a)?;
        let parts = self.at.array(&reply, 2)?;
        if self.at.int(&parts[0])? == 1 {
            return Ok(None);
        }
        let ms = u64::try_from(self.at.int(&parts[1])?).unwrap_or(0);
        Ok(Some(std::time::Duration::from_millis(ms)))
    }

    fn key(&self, kind: &str, name: &str) -> String {
        format!("{}{kind}:{name}", self.prefix)
    }

    fn io(&self, detail: impl Into<String>) -> anyhow::Error {
        self.at.io(detail)
    }

    fn error(&self, fault: Fault, writes: bool) -> anyhow::Error {
        self.at.error(fault, writes)
    }

    /// Runs `script` with `args` (after the prefix and the event cap).
    fn run(&self, script: &Script, args: &Args) -> Result<Value> {
        let cap = EVENT_CAP.to_string();
        // Reads go as EVALSHA_RO/EVAL_RO (Redis 7): read-only commands, so they run while
        // writes are paused and on replicas even before the server has the script cached.
        let (evalsha, eval): (&[u8], &[u8]) = if script.writes {
            (b"EVALSHA", b"EVAL")
        } else {
            (b"EVALSHA_RO", b"EVAL_RO")
        };
        let mut full: Vec<&[u8]> = vec![
            evalsha,
            script.sha().as_bytes(),
            b"0",
            self.prefix.as_bytes(),
            cap.as_bytes(),
        ];
        full.extend(args.0.iter().map(Vec::as_slice));
        let mut conn = self.conn.borrow_mut();
        let reply = match conn.call(&full) {
            Err(Fault::Server(e)) if e.starts_with("NOSCRIPT") => {
                full[0] = eval;
                full[1] = script.src.as_bytes();
                conn.call(&full)
            }
            other => other,
        };
        reply.map_err(|f| self.error(f, script.writes))
    }

    fn snapshot(&self, jti: &str) -> Result<Snapshot> {
        let mut a = Args::default();
        a.push("snapshot").push(jti);
        let reply = self.run(&READ, &a)?;
        let parts = self.at.array(&reply, 3)?;
        let token = self
            .at
            .flat(&parts[0], "token")?
            .map(|f| self.at.token(&f))
            .transpose()?;
        let family = self
            .at
            .flat(&parts[1], "family")?
            .map(|f| self.at.family(&f))
            .transpose()?;
        let disabled = self
            .at
            .flat(&parts[2], "subject")?
            .map(|f| self.at.disabled(&f))
            .transpose()?;
        Ok(Snapshot {
            token,
            family,
            disabled,
        })
    }

    // ---- writes ----

    /// Applies `step` as a compare-and-set on what `snap` showed. `Ok(None)`: another client
    /// changed it first (what changed), nothing was written.
    fn apply(
        &self,
        snap: &Snapshot,
        step: &Step,
        now: i64,
    ) -> Result<std::result::Result<Option<Undo>, &'static str>> {
        let (mode, target, event, successor, reason) = match step {
            Step::Rotate { target, successor } => {
                let t = &target.token;
                let s = &successor.record;
                let e = NewEvent::new("rotated", Some(&s.jti), Some(s.generation))
                    .detail(format!("replaces generation {}", t.generation));
                ("rotate", target, e, Some(s), None)
            }
            Step::Grace { target, successor } => {
                let (f, t, s) = (&target.family, &target.token, &successor.record);
                let e = NewEvent::new("grace_reissued", Some(&s.jti), Some(s.generation)).detail(
                    format!(
                        "generation {} presented again within the grace window; generation {} superseded",
                        t.generation, f.generation
                    ),
                );
                ("grace", target, e, Some(s), None)
            }
            Step::Revoke {
                target,
                reason,
                event,
                ..
            } => ("revoke", target, event.clone(), None, Some(*reason)),
            Step::Refuse {
                logged: Some((target, event)),
                ..
            } => ("refuse", target, event.clone(), None, None),
            Step::Refuse { logged: None, .. } => return Ok(Ok(None)),
        };
        let (f, t) = (&target.family, &target.token);
        let mut a = Args::default();
        a.push(mode)
            .push(now.to_string())
            .push(f.id.as_str())
            .push(t.jti.as_str())
            .push(f.sub.as_str())
            .push(f.generation.to_string())
            .push(f.current_jti.as_str())
            .push(opt_int(f.revoked_at))
            .push(t.state.name())
            .push(opt(t.replaced_by.as_deref()))
            .push(opt_int(t.used_at))
            .push(if snap.disabled.is_some() { "1" } else { "0" })
            .push(event.kind)
            .push(opt(event.jti.as_deref()))
            .push(opt_int(event.generation))
            .push(opt(event.detail.as_deref()));
        if let Some(s) = successor {
            a.push(s.jti.as_str())
                .push(s.generation.to_string())
                .pairs(&token_fields(s));
        }
        if let Some(r) = reason {
            a.push(r.name());
        }
        let reply = self.run(&APPLY, &a)?;
        let parts = self.at.array(&reply, 1)?;
        match self.at.text(&parts[0])? {
            "ok" => {}
            "conflict" => {
                return Ok(Err(match parts.get(1).map(|w| self.at.text(w)) {
                    Some(Ok("the refresh token")) => "the refresh token",
                    Some(Ok("the current refresh token")) => "the current refresh token",
                    Some(Ok("the subject")) => "the subject",
                    _ => "the family",
                }));
            }
            other => {
                return Err(self.io(format!("unexpected answer from a jwtctl script: {other}")));
            }
        }
        let (streams, ids, revoked) = self.at.done(&parts[1..])?;
        let (fk, tk) = (self.key("fam", &f.id), self.key("tok", &t.jti));
        let mut u = Undo {
            streams,
            ids,
            ..Undo::default()
        };
        match (step, successor) {
            (Step::Rotate { .. } | Step::Grace { .. }, Some(s)) => {
                let sk = self.key("tok", &s.jti);
                u.check(&fk, "generation", Some(&s.generation.to_string()));
                u.check(&fk, "current_jti", Some(&s.jti));
                u.check(&fk, "revoked_at", None);
                u.check(&tk, "replaced_by", Some(&s.jti));
                u.restore(&fk, "generation", Some(f.generation.to_string()));
                u.restore(&fk, "current_jti", Some(f.current_jti.clone()));
                u.restore(
                    &fk,
                    "last_refresh_at",
                    f.last_refresh_at.map(|n| n.to_string()),
                );
                u.restore(&tk, "replaced_by", t.replaced_by.clone());
                if matches!(step, Step::Rotate { .. }) {
                    u.check(&tk, "state", Some("used"));
                    u.restore(&tk, "state", Some(t.state.name().into()));
                    u.restore(&tk, "used_at", t.used_at.map(|n| n.to_string()));
                } else {
                    let ck = self.key("tok", &f.current_jti);
                    u.check(&ck, "state", Some("superseded"));
                    u.restore(&ck, "state", Some("active".into()));
                }
                u.del.push(sk);
                u.zrem.push((self.key("chain", &f.id), s.jti.clone()));
            }
            (Step::Revoke { .. }, _) => {
                let reason = reason.map_or("", RevokeReason::name);
                u.check(&fk, "revoked_at", Some(&now.to_string()));
                u.check(&fk, "revoked_reason", Some(reason));
                u.restore(&fk, "revoked_at", None);
                u.restore(&fk, "revoked_reason", None);
                for jti in revoked {
                    let k = self.key("tok", &jti);
                    u.check(&k, "state", Some("revoked"));
                    u.restore(&k, "state", Some("active".into()));
                    u.restore(&k, "revoked_at", None);
                }
            }
            _ => {}
        }
        Ok(Ok(Some(u)))
    }

    /// Puts back what a write changed after `failed` (the delivery's error), which is returned
    /// unchanged when that worked, and explained when it did not.
    fn undo(&self, undo: Option<Undo>, failed: anyhow::Error) -> anyhow::Error {
        let Some(u) = undo else { return failed };
        let outcome = self.run(&UNDO, &u.args()).and_then(|reply| {
            let parts = self.at.array(&reply, 1)?;
            match self.at.text(&parts[0])? {
                "undone" => Ok(None),
                _ => Ok(Some(
                    "another client changed the session before it could be undone".to_owned(),
                )),
            }
        });
        let why = match outcome {
            Ok(None) => return failed,
            Ok(Some(why)) => why,
            Err(e) => format!("{e:#}"),
        };
        failed.context(format!(
            "the store was changed and could not be put back ({why}); `jwtctl sessions --events` \
             shows what was recorded, and a refresh can be retried with --grace"
        ))
    }

    // ---- reads ----

    fn list_families(&self, kind: &str, arg: &str) -> Result<Vec<Listed>> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut start = 0usize;
        loop {
            let mut a = Args::default();
            a.push("families")
                .push(kind)
                .push(arg)
                .push(start.to_string())
                .push((start + CHUNK - 1).to_string());
            let reply = self.run(&READ, &a)?;
            let parts = self.at.array(&reply, 2)?;
            let scanned = usize::try_from(self.at.int(&parts[0])?).unwrap_or(0);
            for entry in self.at.array(&parts[1], 0)? {
                let e = self.at.array(entry, 1)?;
                let Some(ff) = self.at.flat(&e[0], "family")? else {
                    continue;
                };
                let family = self.at.family(&ff)?;
                let current_expires = match e.get(1) {
                    None | Some(Value::Nil) => None,
                    Some(v) => Some(self.at.int(v)?),
                };
                let disabled = match e.get(2) {
                    Some(v) => self
                        .at
                        .flat(v, "subject")?
                        .map(|d| self.at.disabled(&d))
                        .transpose()?,
                    None => None,
                };
                if seen.insert(family.id.clone()) {
                    out.push(Listed {
                        family,
                        current_expires,
                        disabled,
                    });
                }
            }
            if kind == "one" || scanned < CHUNK {
                break;
            }
            start += CHUNK;
        }
        out.sort_by(|a, b| {
            (a.family.created_at, &a.family.id).cmp(&(b.family.created_at, &b.family.id))
        });
        Ok(out)
    }
}

impl Store for RedisStore {
    fn open_family(
        &self,
        family: &Family,
        first: &TokenRecord,
        now: i64,
        deliver: &mut dyn FnMut() -> Result<()>,
    ) -> Result<Option<Disabled>> {
        let ttl = family
            .not_after
            .saturating_sub(now)
            .max(0)
            .saturating_add(EXPIRY_MARGIN)
            .min(MAX_TTL);
        let mut a = Args::default();
        a.push(now.to_string())
            .push(ttl.to_string())
            .push(family.id.as_str())
            .push(family.sub.as_str())
            .push(first.jti.as_str())
            .push(family.created_at.to_string())
            .push(first.generation.to_string())
            .push(format!("login by client {}", family.client_id))
            .pairs(&family_fields(family))
            .pairs(&token_fields(first));
        let reply = self.run(&OPEN, &a)?;
        let parts = self.at.array(&reply, 1)?;
        match self.at.text(&parts[0])? {
            "disabled" => {
                let at = parts.get(1).map_or(Ok(now), |v| self.at.int(v))?;
                let reason = match parts.get(2) {
                    None | Some(Value::Nil) => None,
                    Some(v) => Some(self.at.text(v)?.to_owned()),
                };
                return Ok(Some(Disabled { at, reason }));
            }
            "opened" => {}
            other => {
                return Err(self.io(format!("unexpected answer from a jwtctl script: {other}")));
            }
        }
        let (streams, ids, _) = self.at.done(&parts[1..3])?;
        let member = parts.get(3).map_or(Ok(""), |v| self.at.text(v))?;
        let fk = self.key("fam", &family.id);
        let mut u = Undo {
            streams,
            ids,
            ..Undo::default()
        };
        u.check(&fk, "generation", Some(&first.generation.to_string()));
        u.check(&fk, "current_jti", Some(&first.jti));
        u.check(&fk, "revoked_at", None);
        u.del.push(fk);
        u.del.push(self.key("tok", &first.jti));
        u.del.push(self.key("chain", &family.id));
        for index in ["families", "ids"] {
            u.zrem
                .push((format!("{}{index}", self.prefix), family.id.clone()));
        }
        u.zrem
            .push((self.key("subfam", &family.sub), family.id.clone()));
        u.zrem
            .push((format!("{}expiry", self.prefix), member.to_owned()));
        if let Err(e) = deliver() {
            return Err(self.undo(Some(u), e));
        }
        Ok(None)
    }

    fn refresh(
        &self,
        jti: &str,
        now: i64,
        decide: &mut dyn FnMut(&Snapshot) -> Result<Step>,
        deliver: &mut dyn FnMut(&Step) -> Result<()>,
    ) -> Result<Step> {
        let mut what = "the family";
        for _ in 0..ATTEMPTS {
            let snap = self.snapshot(jti)?;
            let step = decide(&snap)?;
            let undo = match self.apply(&snap, &step, now)? {
                Ok(undo) => undo,
                Err(changed) => {
                    what = changed;
                    continue;
                }
            };
            if let Err(e) = deliver(&step) {
                return Err(self.undo(undo, e));
            }
            return Ok(step);
        }
        Err(StoreError::Conflict {
            store: self.at.shown.clone(),
            what,
        }
        .into())
    }

    fn revoke_family(
        &self,
        id: &str,
        token: Option<(&str, &[u8])>,
        reason: RevokeReason,
        now: i64,
    ) -> Result<Revoked> {
        let mut a = Args::default();
        a.push("family")
            .push(now.to_string())
            .push(id)
            .push(opt(token.map(|t| t.0)))
            .push(opt(token.map(|t| hex(t.1)).as_deref()))
            .push(reason.name());
        let reply = self.run(&ADMIN, &a)?;
        let parts = self.at.array(&reply, 1)?;
        let family = |i: usize| -> Result<Family> {
            let v = parts.get(i).unwrap_or(&Value::Nil);
            let f = self.at.flat(v, "family")?;
            self.at.family(&self.at.need_record(f)?)
        };
        match self.at.text(&parts[0])? {
            "unknown" => Ok(Revoked::Unknown),
            "already" => Ok(Revoked::Already(family(1)?)),
            "now" => Ok(Revoked::Now(family(1)?)),
            other => Err(self.io(format!("unexpected answer from a jwtctl script: {other}"))),
        }
    }

    fn revoke_subject(&self, sub: &str, reason: RevokeReason, now: i64) -> Result<Vec<String>> {
        let mut a = Args::default();
        a.push("subject")
            .push(now.to_string())
            .push(sub)
            .push(reason.name());
        let reply = self.run(&ADMIN, &a)?;
        self.at
            .array(&reply, 0)?
            .iter()
            .map(|v| self.at.text(v).map(str::to_owned))
            .collect()
    }

    fn disable_subject(&self, sub: &str, reason: Option<&str>, now: i64) -> Result<bool> {
        let mut a = Args::default();
        a.push("disable")
            .push(now.to_string())
            .push(sub)
            .push(opt(reason));
        Ok(self.at.int(&self.run(&ADMIN, &a)?)? == 1)
    }

    fn enable_subject(&self, sub: &str, now: i64) -> Result<bool> {
        let mut a = Args::default();
        a.push("enable").push(now.to_string()).push(sub);
        Ok(self.at.int(&self.run(&ADMIN, &a)?)? == 1)
    }

    fn families(&self, filter: &Filter) -> Result<Vec<Listed>> {
        let mut rows = match (&filter.family, &filter.sub) {
            (Some(id), _) => self.list_families("one", id)?,
            (None, Some(sub)) => self.list_families("sub", sub)?,
            (None, None) => self.list_families("all", "")?,
        };
        if let Some(sub) = &filter.sub {
            rows.retain(|l| &l.family.sub == sub);
        }
        Ok(rows)
    }

    fn families_by_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<Family>> {
        let mut a = Args::default();
        a.push("prefix").push(prefix).push(limit.to_string());
        let reply = self.run(&READ, &a)?;
        let mut found = self
            .at
            .array(&reply, 0)?
            .iter()
            .map(|v| {
                let f = self.at.flat(v, "family")?;
                self.at.family(&self.at.need_record(f)?)
            })
            .collect::<Result<Vec<_>>>()?;
        found.sort_by(|a, b| (a.id != prefix, &a.id).cmp(&(b.id != prefix, &b.id)));
        found.truncate(limit);
        Ok(found)
    }

    fn chain(&self, family_id: &str) -> Result<Vec<TokenRecord>> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut start = 0usize;
        loop {
            let mut a = Args::default();
            a.push("chain")
                .push(family_id)
                .push(start.to_string())
                .push((start + CHUNK - 1).to_string());
            let reply = self.run(&READ, &a)?;
            let parts = self.at.array(&reply, 2)?;
            let scanned = usize::try_from(self.at.int(&parts[0])?).unwrap_or(0);
            for v in self.at.array(&parts[1], 0)? {
                if let Some(f) = self.at.flat(v, "token")? {
                    let t = self.at.token(&f)?;
                    if seen.insert(t.jti.clone()) {
                        out.push(t);
                    }
                }
            }
            if scanned < CHUNK {
                break;
            }
            start += CHUNK;
        }
        out.sort_by(|a, b| {
            (a.generation, a.issued_at, &a.jti).cmp(&(b.generation, b.issued_at, &b.jti))
        });
        Ok(out)
    }

    fn events(&self, filter: &Filter) -> Result<Vec<Event>> {
        let key = format!("{}events", self.prefix);
        let count = CHUNK.to_string();
        let mut from = "-".to_owned();
        let mut out = Vec::new();
        loop {
            let reply = self
                .conn
                .borrow_mut()
                .call(&[
                    b"XRANGE",
                    key.as_bytes(),
                    from.as_bytes(),
                    b"+",
                    b"COUNT",
                    count.as_bytes(),
                ])
                .map_err(|f| self.error(f, false))?;
            let entries = self.at.array(&reply, 0)?;
            for entry in entries {
                let e = self.at.array(entry, 2)?;
                from = format!("({}", self.at.text(&e[0])?);
                let Some(f) = self.at.flat(&e[1], "event")? else {
                    continue;
                };
                let int =
                    |n: &str| -> Result<i64> { self.at.need(&f, n, self.at.field_int(&f, n)?) };
                let event = Event {
                    id: int("id")?,
                    at: int("at")?,
                    kind: self.at.need(&f, "kind", self.at.field_text(&f, "kind")?)?,
                    family_id: self.at.field_text(&f, "family_id")?,
                    sub: self.at.field_text(&f, "sub")?,
                    jti: self.at.field_text(&f, "jti")?,
                    generation: self.at.field_int(&f, "generation")?,
                    detail: self.at.field_text(&f, "detail")?,
                };
                let wanted = filter
                    .sub
                    .as_ref()
                    .is_none_or(|s| event.sub.as_ref() == Some(s))
                    && filter
                        .family
                        .as_ref()
                        .is_none_or(|id| event.family_id.as_ref() == Some(id));
                if wanted {
                    out.push(event);
                }
            }
            if entries.len() < CHUNK {
                break;
            }
        }
        out.sort_by_key(|e| e.id);
        Ok(out)
    }

    fn keyring_blob(&self) -> Result<Option<(i64, Vec<u8>)>> {
        let mut a = Args::default();
        a.push("keyring").push(MAX_KEYRING_BLOB.to_string());
        let reply = self.run(&READ, &a)?;
        let parts = self.at.array(&reply, 0)?;
        let Some(version) = parts.first() else {
            return Ok(None);
        };
        let version = self.at.int(version)?;
        match parts.get(2) {
            Some(Value::Data(blob)) => Ok(Some((version, blob.clone()))),
            _ => {
                let length = parts.get(1).map_or(Ok(0), |v| self.at.int(v))?;
                Err(StoreError::Corrupt {
                    store: self.at.shown.clone(),
                    detail: format!(
                        "its keyring is {length} bytes, more than the {MAX_KEYRING_BLOB} jwtctl reads"
                    ),
                }
                .into())
            }
        }
    }

    fn put_keyring_blob(&self, expected: i64, blob: &[u8]) -> Result<bool> {
        let mut a = Args::default();
        a.push("keyring")
            .push("0")
            .push(expected.to_string())
            .push(blob.to_vec());
        Ok(self.at.int(&self.run(&ADMIN, &a)?)? == 1)
    }

    fn disabled_subjects(&self) -> Result<Vec<(String, Disabled)>> {
        let mut a = Args::default();
        a.push("subjects");
        let reply = self.run(&READ, &a)?;
        let mut out = self
            .at
            .array(&reply, 0)?
            .iter()
            .map(|entry| {
                let e = self.at.array(entry, 2)?;
                let sub = self.at.text(&e[0])?.to_owned();
                let d = self.at.flat(&e[1], "subject")?;
                Ok((sub, self.at.disabled(&self.at.need_record(d)?)?))
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    fn load(&self, dump: &Dump) -> Result<()> {
        let mut a = Args::default();
        a.push(EXPIRY_MARGIN.to_string());
        a.push(dump.families.len().to_string());
        for f in &dump.families {
            a.push(f.id.as_str())
                .push(f.sub.as_str())
                .push(f.created_at.to_string())
                .push(f.not_after.to_string())
                .pairs(&family_fields(f));
        }
        a.push(dump.tokens.len().to_string());
        for t in &dump.tokens {
            a.push(t.jti.as_str())
                .push(t.family_id.as_str())
                .push(t.generation.to_string())
                .pairs(&token_fields(t));
        }
        a.push(dump.subjects.len().to_string());
        for (sub, d) in &dump.subjects {
            a.push(sub.as_str())
                .push(d.at.to_string())
                .push(opt(d.reason.as_deref()));
        }
        a.push(dump.events.len().to_string());
        for e in &dump.events {
            a.push(e.at.to_string())
                .push(e.kind.as_str())
                .push(opt(e.family_id.as_deref()))
                .push(opt(e.sub.as_deref()))
                .push(opt(e.jti.as_deref()))
                .push(opt_int(e.generation))
                .push(opt(e.detail.as_deref()));
        }
        let reply = self.run(&LOAD, &a)?;
        let parts = self.at.array(&reply, 1)?;
        match self.at.text(&parts[0])? {
            "loaded" => Ok(()),
            "not_empty" => Err(StoreError::NotEmpty {
                store: self.at.shown.clone(),
            }
            .into()),
            other => Err(self.io(format!("unexpected answer from a jwtctl script: {other}"))),
        }
    }
}

#[cfg(test)]
mod tests;
