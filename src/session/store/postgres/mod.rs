//! The PostgreSQL store (`postgres://`, `postgresql://`; PostgreSQL 13 or later): the same
//! semantics, events and orderings as the SQLite store, shared by every machine that reaches
//! the database.
//!
//! Every write is one transaction in READ COMMITTED with the family's row locked first
//! (`SELECT ... FOR UPDATE`): a refresh locks the family of the presented token, then reads the
//! token and the subject (a new statement, so it sees everything committed before the lock was
//! granted), decides, applies the step as compare-and-sets on what it read (which cannot fail
//! under the lock; if one did, the transaction is rolled back rather than fork a family), runs
//! `deliver`, and only then commits; a failed delivery is a ROLLBACK. Each write locks families
//! in one order (by id), and a deadlock or serialization failure that happens anyway is retried
//! a bounded number of times, never after `deliver` ran. The schema's constraints
//! (`schema.rs`) make two current tokens in one family impossible even for a client that
//! skipped the locks.
//!
//! Round trips: the statements of each step are sent together (pipelined), so a rotation is
//! three round trips (BEGIN + lock + read; the writes; COMMIT) after connecting.
//! The connection, TLS, passwords and bounds are in `connect.rs`.

mod codes;
mod connect;
mod read;
pub mod schema;

use super::schema::Mode;
use super::target::{Options, Server};
use super::{
    Disabled, Dump, Event, Family, Filter, Listed, MAX_KEYRING_BLOB, NewEvent, RevokeReason,
    Revoked, Snapshot, Store, StoreError, TokenRecord,
};
use crate::session::Step;
use anyhow::Result;
use connect::Conn;
use read::{FAMILY_COLUMNS, TOKEN_COLUMNS, family_row, prefixed, token_row};
pub use schema::{Migrated, SCHEMA_VERSION};
use std::cell::Cell;
use std::future::Future;
use tokio_postgres::types::{ToSql, Type};

/// How often a transaction that lost a deadlock or serialization conflict is run again.
const ATTEMPTS: usize = 4;

/// How many statements of a `store copy` are sent together.
const LOAD_SLICE: usize = 512;

/// The PostgreSQL store: one connection, used by one thread.
pub struct PgStore {
    conn: Conn,
    /// Set at the start of a transaction: the next step sends `BEGIN` ahead of its statements.
    begin: Cell<bool>,
}

/// Connects to `server` and brings its schema to this jwtctl's version (creating it when the
/// database has none), for `jwtctl store migrate`. A newer schema is refused without a write.
pub fn migrate(server: &Server, options: &Options) -> Result<Migrated> {
    let conn = connect::connect(server, options)?;
    schema::migrate(&conn)
}

/// A statement parameter, owned, with its PostgreSQL type (no prepare round trip needed).
#[derive(Clone, Debug)]
enum V {
    T(Option<String>),
    I(Option<i64>),
    B(Vec<u8>),
}

fn t(s: &str) -> V {
    V::T(Some(s.to_owned()))
}

fn ot(s: Option<&str>) -> V {
    V::T(s.map(str::to_owned))
}

fn i(n: i64) -> V {
    V::I(Some(n))
}

/// The parameter list tokio-postgres takes, borrowing `values`.
fn params(values: &[V]) -> Vec<(&(dyn ToSql + Sync), Type)> {
    values
        .iter()
        .map(|v| match v {
            V::T(s) => (s as &(dyn ToSql + Sync), Type::TEXT),
            V::I(n) => (n as &(dyn ToSql + Sync), Type::INT8),
            V::B(b) => (b as &(dyn ToSql + Sync), Type::BYTEA),
        })
        .collect()
}

/// One statement of a pipelined step.
struct Write {
    sql: String,
    values: Vec<V>,
    /// `Some(what)`: a compare-and-set that must change exactly one row.
    cas: Option<&'static str>,
}

impl Write {
    fn new(sql: impl Into<String>, values: Vec<V>) -> Self {
        Write {
            sql: sql.into(),
            values,
            cas: None,
        }
    }

    fn cas(mut self, what: &'static str) -> Self {
        self.cas = Some(what);
        self
    }
}

fn event_write(now: i64, family: Option<&Family>, sub: Option<&str>, e: &NewEvent) -> Write {
    Write::new(
        "INSERT INTO jwtctl_events (at, kind, family_id, sub, jti, generation, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            i(now),
            t(e.kind),
            ot(family.map(|f| f.id.as_str())),
            ot(family.map(|f| f.sub.as_str()).or(sub)),
            ot(e.jti.as_deref()),
            V::I(e.generation),
            ot(e.detail.as_deref()),
        ],
    )
}

fn family_write(f: &Family) -> Write {
    Write::new(
        format!(
            "INSERT INTO jwtctl_families ({FAMILY_COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        ),
        vec![
            t(&f.id),
            t(&f.sub),
            t(&f.client_id),
            ot(f.scope.as_deref()),
            t(&f.iss),
            t(&f.aud),
            i(f.access_ttl),
            i(f.refresh_ttl),
            i(f.created_at),
            i(f.not_after),
            V::I(f.last_refresh_at),
            i(f.generation),
            t(&f.current_jti),
            V::I(f.revoked_at),
            ot(f.revoked_reason.as_deref()),
        ],
    )
}

fn token_write(r: &TokenRecord) -> Write {
    Write::new(
        format!(
            "INSERT INTO jwtctl_tokens ({TOKEN_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ),
        vec![
            t(&r.jti),
            t(&r.family_id),
            i(r.generation),
            ot(r.parent_jti.as_deref()),
            V::B(r.sha256.clone()),
            i(r.issued_at),
            i(r.expires_at),
            t(r.state.name()),
            V::I(r.used_at),
            ot(r.replaced_by.as_deref()),
            V::I(r.revoked_at),
        ],
    )
}

/// Moves family `f` to `successor`, if it is still where the snapshot saw it.
fn advance_writes(f: &Family, successor: &TokenRecord, now: i64) -> [Write; 2] {
    [
        Write::new(
            "UPDATE jwtctl_families SET generation = $1, current_jti = $2, last_refresh_at = $3 \
             WHERE id = $4 AND generation = $5 AND current_jti = $6 AND revoked_at IS NULL",
            vec![
                i(successor.generation),
                t(&successor.jti),
                i(now),
                t(&f.id),
                i(f.generation),
                t(&f.current_jti),
            ],
        )
        .cas("the family"),
        token_write(successor),
    ]
}

/// Revokes family `f` (unrevoked as the caller saw it under its lock) and logs it.
fn revoke_writes(f: &Family, reason: RevokeReason, now: i64) -> [Write; 3] {
    let event =
        NewEvent::new("revoked", Some(&f.current_jti), Some(f.generation)).detail(reason.name());
    [
        Write::new(
            "UPDATE jwtctl_families SET revoked_at = $1, revoked_reason = $2 \
             WHERE id = $3 AND revoked_at IS NULL",
            vec![i(now), t(reason.name()), t(&f.id)],
        )
        .cas("the family"),
        Write::new(
            "UPDATE jwtctl_tokens SET state = 'revoked', revoked_at = $1 \
             WHERE family_id = $2 AND state = 'active'",
            vec![i(now), t(&f.id)],
        ),
        event_write(now, Some(f), None, &event),
    ]
}

/// The statements that apply `step` (each write a compare-and-set on what the step saw).
fn step_writes(step: &Step, now: i64) -> Vec<Write> {
    match step {
        Step::Rotate { target, successor } => {
            let (f, tok, succ) = (&target.family, &target.token, &successor.record);
            let e = NewEvent::new("rotated", Some(&succ.jti), Some(succ.generation))
                .detail(format!("replaces generation {}", tok.generation));
            let mut w = vec![
                Write::new(
                    "UPDATE jwtctl_tokens SET state = 'used', used_at = $1, replaced_by = $2 \
                     WHERE jti = $3 AND state = 'active'",
                    vec![i(now), t(&succ.jti), t(&tok.jti)],
                )
                .cas("the refresh token"),
            ];
            w.extend(advance_writes(f, succ, now));
            w.push(event_write(now, Some(f), None, &e));
            w
        }
        Step::Grace { target, successor } => {
            let (f, tok, succ) = (&target.family, &target.token, &successor.record);
            let e = NewEvent::new("grace_reissued", Some(&succ.jti), Some(succ.generation))
                .detail(format!(
                    "generation {} presented again within the grace window; generation {} superseded",
                    tok.generation, f.generation
                ));
            let mut w = vec![
                Write::new(
                    "UPDATE jwtctl_tokens SET state = 'superseded' \
                     WHERE jti = $1 AND state = 'active'",
                    vec![t(&f.current_jti)],
                )
                .cas("the current refresh token"),
                Write::new(
                    "UPDATE jwtctl_tokens SET replaced_by = $1 \
                     WHERE jti = $2 AND state = 'used' AND replaced_by = $3",
                    vec![t(&succ.jti), t(&tok.jti), t(&f.current_jti)],
                )
                .cas("the refresh token"),
            ];
            w.extend(advance_writes(f, succ, now));
            w.push(event_write(now, Some(f), None, &e));
            w
        }
        Step::Revoke {
            target,
            reason,
            event,
            ..
        } => {
            let mut w = vec![event_write(now, Some(&target.family), None, event)];
            w.extend(revoke_writes(&target.family, *reason, now));
            w
        }
        Step::Refuse { logged, .. } => match logged {
            Some((target, e)) => vec![event_write(now, Some(&target.family), None, e)],
            None => Vec::new(),
        },
    }
}

/// Whether a text can be stored at all: PostgreSQL's text holds no NUL, so a value with one
/// (only a crafted token could carry it) names nothing the store has.
fn storable(s: &str) -> bool {
    !s.contains('\0')
}

impl PgStore {
    /// Connects to `server` and checks its schema: created on first use unless `mode` is
    /// read-only and nothing asks to `create` (then `None` when the database has no store yet).
    /// A schema of another version is refused without a write.
    pub fn open(
        server: &Server,
        options: &Options,
        mode: Mode,
        create: bool,
    ) -> Result<Option<Self>> {
        let conn = connect::connect(server, options)?;
        if !schema::ensure(&conn, create || mode == Mode::ReadWrite)? {
            return Ok(None);
        }
        Ok(Some(PgStore {
            conn,
            begin: Cell::new(false),
        }))
    }

    /// Runs `fut` bounded; the first step of a transaction sends `BEGIN` ahead of it.
    fn step<T>(&self, what: &'static str, fut: impl Future<Output = Result<T>>) -> Result<T> {
        if self.begin.replace(false) {
            self.conn.run_mapped(what, async {
                let (began, value) =
                    tokio::join!(biased; self.conn.client.batch_execute(&self.conn.begin), fut);
                began.map_err(|e| self.conn.error("beginning a transaction", &e))?;
                value
            })
        } else {
            self.conn.run_mapped(what, fut)
        }
    }

    /// Sends `writes` together and checks each compare-and-set.
    fn apply(&self, what: &'static str, writes: &[Write]) -> Result<()> {
        if writes.is_empty() {
            return Ok(());
        }
        let lists: Vec<_> = writes.iter().map(|w| params(&w.values)).collect();
        let c = &self.conn.client;
        let results = self.step(what, async {
            Ok(futures_util::future::join_all(
                writes
                    .iter()
                    .zip(&lists)
                    .map(|(w, p)| c.execute_typed(&w.sql, p)),
            )
            .await)
        })?;
        for (w, r) in writes.iter().zip(results) {
            let n = r.map_err(|e| self.conn.error(what, &e))?;
            if let Some(thing) = w.cas
                && n != 1
            {
                return Err(StoreError::Conflict {
                    store: self.conn.shown.clone(),
                    what: thing,
                }
                .into());
            }
        }
        Ok(())
    }

    /// Runs `body` in one transaction, committed when it succeeds and rolled back when it fails.
    /// `body` sets its flag once it has delivered: a deadlock or serialization failure before
    /// that runs it again (a bounded number of times); after it, never.
    fn write<T>(&self, mut body: impl FnMut(&mut bool) -> Result<T>) -> Result<T> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.begin.set(true);
            self.conn.take_retryable();
            let mut delivered = false;
            let result = body(&mut delivered).and_then(|v| {
                self.step("committing", async {
                    self.conn
                        .client
                        .batch_execute("COMMIT")
                        .await
                        .map_err(|e| self.conn.error("committing", &e))
                })
                .map(|()| v)
            });
            match result {
                Ok(v) => return Ok(v),
                Err(e) => {
                    self.rollback();
                    let retryable = self.conn.take_retryable();
                    if delivered || attempt >= ATTEMPTS || !retryable {
                        return Err(e);
                    }
                }
            }
        }
    }

    /// Ends the open transaction without its changes (the server does the same when the
    /// connection is gone, so a failure here changes nothing).
    fn rollback(&self) {
        if self.begin.replace(false) {
            return;
        }
        if !self.conn.client.is_closed() && !self.conn.broken.get() {
            let _ = self
                .conn
                .run("rolling back", self.conn.client.batch_execute("ROLLBACK"));
        }
    }

    /// Locks family `id` and returns it (the newest committed version), if it exists.
    async fn lock_family(&self, id: &str) -> Result<Option<Family>> {
        let what = "locking the family";
        let values = [t(id)];
        let row = self
            .conn
            .client
            .query_typed_opt(
                &format!("SELECT {FAMILY_COLUMNS} FROM jwtctl_families WHERE id = $1 FOR UPDATE"),
                &params(&values),
            )
            .await
            .map_err(|e| self.conn.error(what, &e))?;
        row.map(|r| family_row(&r).map_err(|e| self.conn.error(what, &e)))
            .transpose()
    }

    async fn disabled(&self, sub: &str) -> Result<Option<Disabled>> {
        let what = "reading the subject";
        let values = [t(sub)];
        let row = self
            .conn
            .client
            .query_typed_opt(
                "SELECT disabled_at, reason FROM jwtctl_subjects WHERE sub = $1",
                &params(&values),
            )
            .await
            .map_err(|e| self.conn.error(what, &e))?;
        row.map(|r| {
            Ok(Disabled {
                at: r.try_get(0)?,
                reason: r.try_get(1)?,
            })
        })
        .transpose()
        .map_err(|e: tokio_postgres::Error| self.conn.error(what, &e))
    }

    /// The presented token's snapshot, its family locked first.
    fn snapshot(&self, jti: &str) -> Result<Snapshot> {
        if !storable(jti) {
            return self.step("reading the token", async { Ok(Snapshot::default()) });
        }
        let what = "reading the token";
        let values = [t(jti)];
        let p = params(&values);
        let c = &self.conn.client;
        let lock = format!(
            "SELECT {FAMILY_COLUMNS} FROM jwtctl_families \
             WHERE id = (SELECT family_id FROM jwtctl_tokens WHERE jti = $1) FOR UPDATE"
        );
        let read = format!(
            "SELECT {}, s.disabled_at, s.reason FROM jwtctl_tokens t \
             JOIN jwtctl_families f ON f.id = t.family_id \
             LEFT JOIN jwtctl_subjects s ON s.sub = f.sub WHERE t.jti = $1",
            prefixed("t", TOKEN_COLUMNS)
        );
        let (family, token) = self.step(what, async {
            let (family, token) =
                tokio::join!(biased; c.query_typed_opt(&lock, &p), c.query_typed_opt(&read, &p));
            Ok((family, token))
        })?;
        let e = |e: tokio_postgres::Error| self.conn.error(what, &e);
        let family = family
            .map_err(e)?
            .map(|r| family_row(&r))
            .transpose()
            .map_err(e)?;
        let Some(row) = token.map_err(e)? else {
            return Ok(Snapshot::default());
        };
        let token = token_row(&row).map_err(e)?;
        let disabled = row
            .try_get::<_, Option<i64>>(11)
            .map_err(e)?
            .map(|at| -> Result<Disabled> {
                Ok(Disabled {
                    at,
                    reason: row.try_get(12).map_err(e)?,
                })
            })
            .transpose()?;
        Ok(Snapshot {
            token: Some(token),
            family,
            disabled,
        })
    }
}

impl Store for PgStore {
    fn open_family(
        &self,
        family: &Family,
        first: &TokenRecord,
        now: i64,
        deliver: &mut dyn FnMut() -> Result<()>,
    ) -> Result<Option<Disabled>> {
        self.write(|delivered| {
            let d = self.step("logging in", self.disabled(&family.sub))?;
            if let Some(d) = d {
                let e =
                    NewEvent::new("refused", None, None).detail("login: the subject is disabled");
                self.apply(
                    "logging in",
                    &[event_write(now, None, Some(&family.sub), &e)],
                )?;
                return Ok(Some(d));
            }
            let f = family;
            let e = NewEvent::new("issued", Some(&first.jti), Some(first.generation))
                .detail(format!("login by client {}", f.client_id));
            let writes = [
                family_write(f),
                token_write(first),
                event_write(now, Some(f), None, &e),
            ];
            self.apply("logging in", &writes)?;
            *delivered = true;
            deliver()?;
            Ok(None)
        })
    }

    fn refresh(
        &self,
        jti: &str,
        now: i64,
        decide: &mut dyn FnMut(&Snapshot) -> Result<Step>,
        deliver: &mut dyn FnMut(&Step) -> Result<()>,
    ) -> Result<Step> {
        self.write(|delivered| {
            let snap = self.snapshot(jti)?;
            let step = decide(&snap)?;
            self.apply("refreshing", &step_writes(&step, now))?;
            *delivered = true;
            deliver(&step)?;
            Ok(step)
        })
    }

    fn revoke_family(
        &self,
        id: &str,
        token: Option<(&str, &[u8])>,
        reason: RevokeReason,
        now: i64,
    ) -> Result<Revoked> {
        if !storable(id) || token.is_some_and(|(jti, _)| !storable(jti)) {
            return Ok(Revoked::Unknown);
        }
        self.write(|_| {
            let Some(f) = self.step("revoking", self.lock_family(id))? else {
                return Ok(Revoked::Unknown);
            };
            if let Some((jti, sha)) = token {
                let values = [t(jti), V::B(sha.to_vec()), t(&f.id)];
                let p = params(&values);
                let known = self.step("revoking", async {
                    self.conn
                        .client
                        .query_typed_opt(
                            "SELECT 1 FROM jwtctl_tokens \
                             WHERE jti = $1 AND sha256 = $2 AND family_id = $3",
                            &p,
                        )
                        .await
                        .map_err(|e| self.conn.error("revoking", &e))
                })?;
                if known.is_none() {
                    return Ok(Revoked::Unknown);
                }
            }
            if f.revoked_at.is_some() {
                return Ok(Revoked::Already(f));
            }
            self.apply("revoking", &revoke_writes(&f, reason, now))?;
            let mut done = f;
            done.revoked_at = Some(now);
            done.revoked_reason = Some(reason.name().to_owned());
            Ok(Revoked::Now(done))
        })
    }

    fn revoke_subject(&self, sub: &str, reason: RevokeReason, now: i64) -> Result<Vec<String>> {
        if !storable(sub) {
            return Ok(Vec::new());
        }
        self.write(|_| {
            let what = "revoking the subject's sessions";
            let values = [t(sub)];
            let p = params(&values);
            // Locked in id order (one order for every writer), listed oldest first.
            let rows = self.step(what, async {
                self.conn
                    .client
                    .query_typed(
                        &format!(
                            "SELECT {FAMILY_COLUMNS} FROM (SELECT * FROM jwtctl_families \
                             WHERE sub = $1 AND revoked_at IS NULL ORDER BY id FOR UPDATE) f \
                             ORDER BY created_at, id"
                        ),
                        &p,
                    )
                    .await
                    .map_err(|e| self.conn.error(what, &e))
            })?;
            let families = rows
                .iter()
                .map(family_row)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| self.conn.error(what, &e))?;
            let writes: Vec<Write> = families
                .iter()
                .flat_map(|f| revoke_writes(f, reason, now))
                .collect();
            self.apply(what, &writes)?;
            Ok(families.into_iter().map(|f| f.id).collect())
        })
    }

    fn disable_subject(&self, sub: &str, reason: Option<&str>, now: i64) -> Result<bool> {
        self.write(|_| {
            let what = "disabling the subject";
            let values = [t(sub), i(now), ot(reason)];
            let p = params(&values);
            let n = self.step(what, async {
                self.conn
                    .client
                    .execute_typed(
                        "INSERT INTO jwtctl_subjects (sub, disabled_at, reason) \
                         VALUES ($1, $2, $3) ON CONFLICT (sub) DO NOTHING",
                        &p,
                    )
                    .await
                    .map_err(|e| self.conn.error(what, &e))
            })?;
            if n == 1 {
                let mut e = NewEvent::new("subject_disabled", None, None);
                e.detail = reason.map(str::to_owned);
                self.apply(what, &[event_write(now, None, Some(sub), &e)])?;
            }
            Ok(n == 1)
        })
    }

    fn enable_subject(&self, sub: &str, now: i64) -> Result<bool> {
        self.write(|_| {
            let what = "enabling the subject";
            let values = [t(sub)];
            let p = params(&values);
            let n = self.step(what, async {
                self.conn
                    .client
                    .execute_typed("DELETE FROM jwtctl_subjects WHERE sub = $1", &p)
                    .await
                    .map_err(|e| self.conn.error(what, &e))
            })?;
            if n == 1 {
                let e = NewEvent::new("subject_enabled", None, None);
                self.apply(what, &[event_write(now, None, Some(sub), &e)])?;
            }
            Ok(n == 1)
        })
    }

    fn families(&self, filter: &Filter) -> Result<Vec<Listed>> {
        self.read_families(filter)
    }

    fn families_by_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<Family>> {
        self.read_families_by_prefix(prefix, limit)
    }

    fn chain(&self, family_id: &str) -> Result<Vec<TokenRecord>> {
        self.read_chain(family_id)
    }

    fn events(&self, filter: &Filter) -> Result<Vec<Event>> {
        self.read_events(filter)
    }

    fn keyring_blob(&self) -> Result<Option<(i64, Vec<u8>)>> {
        let what = "reading the keyring";
        let cap = i64::try_from(MAX_KEYRING_BLOB).unwrap_or(i64::MAX);
        // The blob only when it is within the cap: a bigger one is never sent, let alone read.
        let values = [i(cap)];
        let p = params(&values);
        let row = self.conn.run(
            what,
            self.conn.client.query_typed_opt(
                "SELECT version, octet_length(blob)::bigint, \
                 CASE WHEN octet_length(blob) <= $1 THEN blob END \
                 FROM jwtctl_keyring WHERE id = 1",
                &p,
            ),
        )?;
        let Some(row) = row else {
            return Ok(None);
        };
        let got = (|| -> Result<_, tokio_postgres::Error> {
            Ok((
                row.try_get::<_, i64>(0)?,
                row.try_get::<_, i64>(1)?,
                row.try_get::<_, Option<Vec<u8>>>(2)?,
            ))
        })()
        .map_err(|e| self.conn.error(what, &e))?;
        match got {
            (version, _, Some(blob)) => Ok(Some((version, blob))),
            (_, len, None) => Err(StoreError::Corrupt {
                store: self.conn.shown.clone(),
                detail: format!(
                    "its keyring is {len} bytes, more than the {MAX_KEYRING_BLOB} jwtctl reads"
                ),
            }
            .into()),
        }
    }

    fn put_keyring_blob(&self, expected: i64, blob: &[u8]) -> Result<bool> {
        let what = "writing the keyring";
        // One statement, so one compare-and-set: the first keyring is an insert that does
        // nothing when another writer's came first; a later one an update of the version read.
        let (sql, values) = if expected == 0 {
            (
                "INSERT INTO jwtctl_keyring (id, version, blob) VALUES (1, 1, $1) \
                 ON CONFLICT (id) DO NOTHING",
                vec![V::B(blob.to_vec())],
            )
        } else {
            (
                "UPDATE jwtctl_keyring SET version = version + 1, blob = $1 \
                 WHERE id = 1 AND version = $2",
                vec![V::B(blob.to_vec()), i(expected)],
            )
        };
        let p = params(&values);
        let n = self
            .conn
            .run(what, self.conn.client.execute_typed(sql, &p))?;
        Ok(n == 1)
    }

    fn disabled_subjects(&self) -> Result<Vec<(String, Disabled)>> {
        self.read_disabled_subjects()
    }

    fn load(&self, dump: &Dump) -> Result<()> {
        self.write(|_| {
            let what = "copying into the store";
            // Writers wait until the copy is in; a second copy sees the first one's rows.
            let held = self.step(what, async {
                let c = &self.conn.client;
                c.batch_execute(
                    "LOCK TABLE jwtctl_families, jwtctl_subjects, jwtctl_events \
                     IN SHARE ROW EXCLUSIVE MODE",
                )
                .await
                .map_err(|e| self.conn.error(what, &e))?;
                c.query_typed_one(
                    "SELECT (SELECT count(*) FROM jwtctl_families) \
                     + (SELECT count(*) FROM jwtctl_subjects) + (SELECT count(*) FROM jwtctl_events)",
                    &[],
                )
                .await
                .and_then(|r| r.try_get::<_, i64>(0))
                .map_err(|e| self.conn.error(what, &e))
            })?;
            if held > 0 {
                return Err(StoreError::NotEmpty {
                    store: self.conn.shown.clone(),
                }
                .into());
            }
            let subjects = dump.subjects.iter().map(|(sub, d)| {
                Write::new(
                    "INSERT INTO jwtctl_subjects (sub, disabled_at, reason) VALUES ($1, $2, $3)",
                    vec![t(sub), i(d.at), ot(d.reason.as_deref())],
                )
            });
            let events = dump.events.iter().map(|e| {
                Write::new(
                    "INSERT INTO jwtctl_events (at, kind, family_id, sub, jti, generation, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    vec![
                        i(e.at),
                        t(&e.kind),
                        ot(e.family_id.as_deref()),
                        ot(e.sub.as_deref()),
                        ot(e.jti.as_deref()),
                        V::I(e.generation),
                        ot(e.detail.as_deref()),
                    ],
                )
            });
            let writes: Vec<Write> = dump
                .families
                .iter()
                .map(family_write)
                .chain(dump.tokens.iter().map(token_write))
                .chain(subjects)
                .chain(events)
                .collect();
            // In slices, so the statements in flight stay bounded.
            for part in writes.chunks(LOAD_SLICE) {
                self.apply(what, part)?;
            }
            Ok(())
        })
    }
}
