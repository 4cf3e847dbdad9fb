//! The embedded store: one SQLite file in the home directory (`refresh.db`, mode 0600, WAL).
//!
//! Every read-then-write runs in one `BEGIN IMMEDIATE` transaction: the write lock is taken
//! before the first read, and a waiting process honours the busy timeout instead of failing
//! with "database is locked" on a lock upgrade (rusqlite discussion #1406). Inside it, rotation
//! is still a compare-and-set on the token's state and the family's generation, so a bug in the
//! locking could not fork a family silently: it would fail loudly instead. The caller's
//! `deliver` runs inside the transaction, before the commit (DECISIONS §2b).
//!
//! Read-only commands read without creating a file (`schema::open_read`); see [`SqliteStore::read`].

mod codes;
mod read;
mod rotate;

use super::schema::{self, Fingerprint, Mode};
use super::{
    Disabled, Dump, Event, Family, Filter, Listed, MAX_KEYRING_BLOB, NewEvent, RevokeReason,
    Revoked, Snapshot, Store, StoreError, TokenRecord,
};
use crate::session::Step;
use anyhow::Result;
use read::{FAMILY_COLUMNS, TOKEN_COLUMNS, family_row, token_row};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a locked store is waited for unless `JWTCTL_STORE_WAIT` says otherwise.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// How often a lock-free read is tried before reading with locks.
const FROZEN_READS: usize = 3;

/// Runs statements through the connection's cache of prepared statements: the serve's hot
/// paths (a rotation, an introspection) run the same few statements on one connection again
/// and again, and preparing one costs about as much as running it (bench/README.md, serve).
trait Cached {
    fn run<P: rusqlite::Params>(&self, sql: &str, p: P) -> rusqlite::Result<usize>;
    fn row<T, P, F>(&self, sql: &str, p: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn run<P: rusqlite::Params>(&self, sql: &str, p: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(p)
    }

    fn row<T, P, F>(&self, sql: &str, p: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(p, f)
    }
}

/// The SQLite store.
pub struct SqliteStore {
    conn: RefCell<Connection>,
    /// Set while the connection reads an immutable snapshot without locks.
    frozen: Cell<Option<Fingerprint>>,
    /// Set while [`Store::group`] holds one transaction for several writes.
    grouped: Cell<bool>,
    path: PathBuf,
    wait: Duration,
}

/// An SQLite error as a [`StoreError`] naming this store.
trait OrStore<T> {
    fn store(self, s: &SqliteStore) -> Result<T>;
}

impl<T> OrStore<T> for rusqlite::Result<T> {
    fn store(self, s: &SqliteStore) -> Result<T> {
        self.map_err(|e| schema::error(&s.path, s.wait, e))
    }
}

impl SqliteStore {
    /// Opens the existing store file at `path` (see [`Mode`]); `None` when there is none.
    pub fn open(path: &Path, mode: Mode, wait: Duration) -> Result<Option<Self>> {
        Ok(schema::open(path, mode, wait)?.map(|opened| Self::with(path, opened, wait)))
    }

    /// Opens the store file at `path` for writing, creating it (and its directory) when
    /// missing.
    pub fn create(path: &Path, wait: Duration) -> Result<Self> {
        Ok(Self::with(path, schema::create(path, wait)?, wait))
    }

    fn with(path: &Path, opened: schema::Opened, wait: Duration) -> Self {
        SqliteStore {
            conn: RefCell::new(opened.conn),
            frozen: Cell::new(opened.frozen),
            grouped: Cell::new(false),
            path: path.to_owned(),
            wait: wait.min(schema::MAX_WAIT),
        }
    }

    /// Path of the database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction, committed when `f` succeeds and rolled
    /// back when it fails. Inside [`Store::group`], `f` runs in a savepoint of the group's
    /// transaction instead: released when `f` succeeds, rolled back to when it fails, and
    /// committed with the rest of the group.
    fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.conn.borrow();
        if self.grouped.get() {
            conn.run("SAVEPOINT one_write", []).store(self)?;
            return match f(&conn) {
                Ok(value) => {
                    conn.run("RELEASE one_write", []).store(self)?;
                    Ok(value)
                }
                Err(e) => {
                    conn.run("ROLLBACK TO one_write", []).store(self)?;
                    conn.run("RELEASE one_write", []).store(self)?;
                    Err(e)
                }
            };
        }
        let tx = Transaction::new_unchecked(&conn, TransactionBehavior::Immediate).store(self)?;
        let value = f(&tx)?;
        tx.commit().store(self)?;
        Ok(value)
    }

    /// Runs the query `q`. On a lock-free snapshot (see `schema::open_read`) the file must be
    /// unchanged afterwards: when a writer wrote it meanwhile (or the query failed, which a
    /// torn read could cause), the store is opened again and `q` runs again, at last with
    /// SQLite's locks like any reader.
    fn read<T>(&self, q: impl Fn(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        for attempt in 0..=FROZEN_READS {
            let result = q(&self.conn.borrow());
            let Some(before) = self.frozen.get() else {
                return result.store(self);
            };
            if result.is_ok() && Fingerprint::of(&self.path) == Some(before) {
                return result.store(self);
            }
            let opened = schema::open_read(&self.path, self.wait, attempt + 1 == FROZEN_READS)?;
            *self.conn.borrow_mut() = opened.conn;
            self.frozen.set(opened.frozen);
        }
        q(&self.conn.borrow()).store(self)
    }

    fn family_in(&self, tx: &Connection, id: &str) -> Result<Option<Family>> {
        tx.row(
            &format!("SELECT {FAMILY_COLUMNS} FROM families WHERE id = ?1"),
            [id],
            family_row,
        )
        .optional()
        .store(self)
    }

    fn disabled_in(&self, tx: &Connection, sub: &str) -> Result<Option<Disabled>> {
        tx.row(
            "SELECT disabled_at, reason FROM subjects WHERE sub = ?1",
            [sub],
            |r| {
                Ok(Disabled {
                    at: r.get(0)?,
                    reason: r.get(1)?,
                })
            },
        )
        .optional()
        .store(self)
    }

    fn log(
        &self,
        tx: &Connection,
        now: i64,
        family: Option<&Family>,
        sub: Option<&str>,
        e: &NewEvent,
    ) -> Result<()> {
        tx.run(
            "INSERT INTO events (at, kind, family_id, sub, jti, generation, detail) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                now,
                e.kind,
                family.map(|f| &f.id),
                family.map(|f| f.sub.as_str()).or(sub),
                e.jti,
                e.generation,
                e.detail
            ],
        )
        .store(self)?;
        Ok(())
    }

    fn insert_family(&self, tx: &Connection, f: &Family) -> Result<()> {
        tx.run(
            &format!(
                "INSERT INTO families ({FAMILY_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
            ),
            params![
                f.id,
                f.sub,
                f.client_id,
                f.scope,
                f.iss,
                f.aud,
                f.access_ttl,
                f.refresh_ttl,
                f.created_at,
                f.not_after,
                f.last_refresh_at,
                f.generation,
                f.current_jti,
                f.revoked_at,
                f.revoked_reason
            ],
        )
        .store(self)?;
        Ok(())
    }

    fn insert_token(&self, tx: &Connection, t: &TokenRecord) -> Result<()> {
        tx.run(
            &format!(
                "INSERT INTO refresh_tokens ({TOKEN_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ),
            params![
                t.jti,
                t.family_id,
                t.generation,
                t.parent_jti,
                t.sha256,
                t.issued_at,
                t.expires_at,
                t.state.name(),
                t.used_at,
                t.replaced_by,
                t.revoked_at
            ],
        )
        .store(self)?;
        Ok(())
    }

    /// Requires a compare-and-set to have changed exactly one row. Under the write lock it
    /// always has; if it has not, the transaction is rolled back rather than fork a family.
    fn cas(&self, changed: usize, what: &'static str) -> Result<()> {
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict {
                store: schema::name(&self.path),
                what,
            }
            .into())
        }
    }

    fn revoke_in(&self, tx: &Connection, f: &Family, reason: RevokeReason, now: i64) -> Result<()> {
        let n = tx
            .run(
                "UPDATE families SET revoked_at = ?1, revoked_reason = ?2 \
                 WHERE id = ?3 AND revoked_at IS NULL",
                params![now, reason.name(), f.id],
            )
            .store(self)?;
        self.cas(n, "the family")?;
        tx.run(
            "UPDATE refresh_tokens SET state = 'revoked', revoked_at = ?1 \
             WHERE family_id = ?2 AND state = 'active'",
            params![now, f.id],
        )
        .store(self)?;
        let event = NewEvent::new("revoked", Some(&f.current_jti), Some(f.generation))
            .detail(reason.name());
        self.log(tx, now, Some(f), None, &event)
    }
}

impl Store for SqliteStore {
    fn group(&self, f: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        if self.grouped.get() {
            return f();
        }
        let conn = self.conn.borrow();
        let tx = Transaction::new_unchecked(&conn, TransactionBehavior::Immediate).store(self)?;
        self.grouped.set(true);
        let result = f();
        self.grouped.set(false);
        result?;
        tx.commit().store(self)
    }

    fn open_family(
        &self,
        family: &Family,
        first: &TokenRecord,
        now: i64,
        deliver: &mut dyn FnMut() -> Result<()>,
    ) -> Result<Option<Disabled>> {
        self.write(|tx| {
            if let Some(d) = self.disabled_in(tx, &family.sub)? {
                let e =
                    NewEvent::new("refused", None, None).detail("login: the subject is disabled");
                self.log(tx, now, None, Some(&family.sub), &e)?;
                return Ok(Some(d));
            }
            self.insert_family(tx, family)?;
            self.insert_token(tx, first)?;
            let e = NewEvent::new("issued", Some(&first.jti), Some(first.generation))
                .detail(format!("login by client {}", family.client_id));
            self.log(tx, now, Some(family), None, &e)?;
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
        self.write(|tx| {
            let token = tx
                .row(
                    &format!("SELECT {TOKEN_COLUMNS} FROM refresh_tokens WHERE jti = ?1"),
                    [jti],
                    token_row,
                )
                .optional()
                .store(self)?;
            let family = match &token {
                Some(t) => self.family_in(tx, &t.family_id)?,
                None => None,
            };
            let disabled = match &family {
                Some(f) => self.disabled_in(tx, &f.sub)?,
                None => None,
            };
            let snap = Snapshot {
                token,
                family,
                disabled,
            };
            let step = decide(&snap)?;
            self.apply(tx, &step, now)?;
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
        self.write(|tx| {
            let Some(f) = self.family_in(tx, id)? else {
                return Ok(Revoked::Unknown);
            };
            if let Some((jti, sha)) = token {
                let known: Option<i64> = tx
                    .row(
                        "SELECT 1 FROM refresh_tokens WHERE jti = ?1 AND sha256 = ?2 AND family_id = ?3",
                        params![jti, sha, f.id],
                        |r| r.get(0),
                    )
                    .optional()
                    .store(self)?;
                if known.is_none() {
                    return Ok(Revoked::Unknown);
                }
            }
            if f.revoked_at.is_some() {
                return Ok(Revoked::Already(f));
            }
            self.revoke_in(tx, &f, reason, now)?;
            Ok(Revoked::Now(self.family_in(tx, id)?.unwrap_or(f)))
        })
    }

    fn revoke_subject(&self, sub: &str, reason: RevokeReason, now: i64) -> Result<Vec<String>> {
        self.write(|tx| {
            let families = {
                let mut stmt = tx
                    .prepare(&format!(
                        "SELECT {FAMILY_COLUMNS} FROM families \
                         WHERE sub = ?1 AND revoked_at IS NULL ORDER BY created_at, id"
                    ))
                    .store(self)?;
                stmt.query_map([sub], family_row)
                    .store(self)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .store(self)?
            };
            for f in &families {
                self.revoke_in(tx, f, reason, now)?;
            }
            Ok(families.into_iter().map(|f| f.id).collect())
        })
    }

    fn disable_subject(&self, sub: &str, reason: Option<&str>, now: i64) -> Result<bool> {
        self.write(|tx| {
            let n = tx
                .execute(
                    "INSERT INTO subjects (sub, disabled_at, reason) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (sub) DO NOTHING",
                    params![sub, now, reason],
                )
                .store(self)?;
            if n == 1 {
                let mut e = NewEvent::new("subject_disabled", None, None);
                e.detail = reason.map(str::to_owned);
                self.log(tx, now, None, Some(sub), &e)?;
            }
            Ok(n == 1)
        })
    }

    fn enable_subject(&self, sub: &str, now: i64) -> Result<bool> {
        self.write(|tx| {
            let n = tx
                .execute("DELETE FROM subjects WHERE sub = ?1", [sub])
                .store(self)?;
            if n == 1 {
                let e = NewEvent::new("subject_enabled", None, None);
                self.log(tx, now, None, Some(sub), &e)?;
            }
            Ok(n == 1)
        })
    }

    fn family_live(&self, id: &str, now: i64) -> Result<bool> {
        self.read(|conn| {
            conn.row(
                "SELECT EXISTS (SELECT 1 FROM families f WHERE f.id = ?1 \
                 AND f.revoked_at IS NULL AND ?2 < f.not_after \
                 AND NOT EXISTS (SELECT 1 FROM subjects s WHERE s.sub = f.sub))",
                params![id, now],
                |r| r.get(0),
            )
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
        let row = self.read(|conn| {
            let table: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'keyring')",
                [],
                |r| r.get(0),
            )?;
            if !table {
                return Ok(None);
            }
            // The blob only when it is within the cap: a bigger one is never read into memory.
            conn.query_row(
                "SELECT version, length(blob), CASE WHEN length(blob) <= ?1 THEN blob END \
                 FROM keyring WHERE id = 1",
                [i64::try_from(MAX_KEYRING_BLOB).unwrap_or(i64::MAX)],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Option<Vec<u8>>>(2)?,
                    ))
                },
            )
            .optional()
        })?;
        match row {
            None => Ok(None),
            Some((version, _, Some(blob))) => Ok(Some((version, blob))),
            Some((_, len, None)) => Err(StoreError::Corrupt {
                store: schema::name(&self.path),
                detail: format!(
                    "its keyring is {len} bytes, more than the {MAX_KEYRING_BLOB} jwtctl reads"
                ),
            }
            .into()),
        }
    }

    fn put_keyring_blob(&self, expected: i64, blob: &[u8]) -> Result<bool> {
        self.write(|tx| {
            tx.execute_batch(schema::KEYRING_TABLE).store(self)?;
            let current: i64 = tx
                .query_row("SELECT version FROM keyring WHERE id = 1", [], |r| r.get(0))
                .optional()
                .store(self)?
                .unwrap_or(0);
            if current != expected {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO keyring (id, version, blob) VALUES (1, ?1, ?2) \
                 ON CONFLICT (id) DO UPDATE SET version = excluded.version, blob = excluded.blob",
                params![expected + 1, blob],
            )
            .store(self)?;
            Ok(true)
        })
    }

    fn disabled_subjects(&self) -> Result<Vec<(String, Disabled)>> {
        self.read_disabled_subjects()
    }

    fn load(&self, dump: &Dump) -> Result<()> {
        self.write(|tx| {
            let held: i64 = tx
                .query_row(
                    "SELECT (SELECT count(*) FROM families) + (SELECT count(*) FROM subjects) \
                     + (SELECT count(*) FROM events)",
                    [],
                    |r| r.get(0),
                )
                .store(self)?;
            if held > 0 {
                return Err(StoreError::NotEmpty {
                    store: schema::name(&self.path),
                }
                .into());
            }
            for f in &dump.families {
                self.insert_family(tx, f)?;
            }
            for t in &dump.tokens {
                self.insert_token(tx, t)?;
            }
            for (sub, d) in &dump.subjects {
                tx.execute(
                    "INSERT INTO subjects (sub, disabled_at, reason) VALUES (?1, ?2, ?3)",
                    params![sub, d.at, d.reason],
                )
                .store(self)?;
            }
            for e in &dump.events {
                tx.execute(
                    "INSERT INTO events (at, kind, family_id, sub, jti, generation, detail) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        e.at,
                        e.kind,
                        e.family_id,
                        e.sub,
                        e.jti,
                        e.generation,
                        e.detail
                    ],
                )
                .store(self)?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::session::{Grant, Lifetimes, new_family, token_record};

    /// A family `id` of alice's at 1000 and its first token (other modules' tests use it too).
    pub(crate) fn family(id: &str) -> (Family, TokenRecord) {
        let grant = Grant {
            sub: "alice".into(),
            client_id: "web".into(),
            scope: None,
            iss: "jwtctl".into(),
            aud: "api".into(),
        };
        let life = Lifetimes {
            access: 60,
            refresh: 600,
            max: 6000,
        };
        let f = new_family(&grant, life, id.into(), format!("{id}-rt"), 1000);
        let t = token_record(
            &f,
            1,
            &f.current_jti,
            None,
            id.as_bytes().to_vec(),
            1000,
            1600,
        );
        (f, t)
    }

    fn login(home: &Path, id: &str) {
        let store = SqliteStore::create(&schema::path(home), DEFAULT_WAIT).unwrap();
        let (f, t) = family(id);
        assert!(
            store
                .open_family(&f, &t, 1000, &mut || Ok(()))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_lock_free_reader_sees_a_write_made_while_it_was_open() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        login(&home, "f1");
        let reader = SqliteStore::open(&schema::path(&home), Mode::ReadOnly, DEFAULT_WAIT)
            .unwrap()
            .unwrap();
        assert!(reader.frozen.get().is_some(), "no writer: a lock-free read");
        assert_eq!(reader.families(&Filter::default()).unwrap().len(), 1);
        // Another connection writes and closes (checkpointing into the file) meanwhile.
        login(&home, "f2");
        let ids: Vec<String> = reader
            .families(&Filter::default())
            .unwrap()
            .into_iter()
            .map(|l| l.family.id)
            .collect();
        assert_eq!(ids, ["f1", "f2"]);
    }

    #[test]
    fn a_failed_delivery_rolls_the_login_back() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let store = SqliteStore::create(&schema::path(&home), DEFAULT_WAIT).unwrap();
        let (f, t) = family("f1");
        let err = store
            .open_family(&f, &t, 1000, &mut || Err(anyhow::anyhow!("stdout is full")))
            .unwrap_err();
        assert_eq!(err.to_string(), "stdout is full");
        assert!(store.families(&Filter::default()).unwrap().is_empty());
        assert!(store.events(&Filter::default()).unwrap().is_empty());
    }

    fn ids(store: &SqliteStore) -> Vec<String> {
        store
            .families(&Filter::default())
            .unwrap()
            .into_iter()
            .map(|l| l.family.id)
            .collect()
    }

    #[test]
    fn a_group_commits_its_writes_once_and_a_failed_write_alone_rolls_back() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let path = schema::path(&home);
        let store = SqliteStore::create(&path, DEFAULT_WAIT).unwrap();
        let other = SqliteStore::create(&path, DEFAULT_WAIT).unwrap();
        let mut seen_inside = None;
        store
            .group(&mut || {
                let (f1, t1) = family("f1");
                assert!(store.open_family(&f1, &t1, 1000, &mut || Ok(()))?.is_none());
                let (f2, t2) = family("f2");
                let failed =
                    store.open_family(&f2, &t2, 1000, &mut || Err(anyhow::anyhow!("no room")));
                assert_eq!(failed.unwrap_err().to_string(), "no room");
                let (f3, t3) = family("f3");
                assert!(store.open_family(&f3, &t3, 1000, &mut || Ok(()))?.is_none());
                // Nothing is committed before the group ends: another connection sees none.
                seen_inside = Some(ids(&other));
                Ok(())
            })
            .unwrap();
        assert_eq!(seen_inside.unwrap(), Vec::<String>::new());
        assert_eq!(
            ids(&other),
            ["f1", "f3"],
            "f2's failed delivery rolled back alone"
        );
    }

    #[test]
    fn a_family_is_live_until_revoked_disabled_or_past_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        login(&home, "f1");
        login(&home, "f2");
        let store = SqliteStore::create(&schema::path(&home), DEFAULT_WAIT).unwrap();
        let end = family("f1").0.not_after;
        assert!(store.family_live("f1", 1000).unwrap());
        assert!(
            !store.family_live("f1", end).unwrap(),
            "at its absolute end"
        );
        assert!(!store.family_live("nope", 1000).unwrap());
        store
            .revoke_family("f1", None, RevokeReason::Logout, 1001)
            .unwrap();
        assert!(!store.family_live("f1", 1002).unwrap());
        assert!(store.family_live("f2", 1002).unwrap());
        store.disable_subject("alice", None, 1003).unwrap();
        assert!(!store.family_live("f2", 1004).unwrap(), "alice is disabled");
        store.enable_subject("alice", 1005).unwrap();
        assert!(store.family_live("f2", 1006).unwrap());
    }

    #[test]
    fn a_group_that_fails_records_none_of_its_writes() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let store = SqliteStore::create(&schema::path(&home), DEFAULT_WAIT).unwrap();
        let err = store
            .group(&mut || {
                let (f1, t1) = family("f1");
                store.open_family(&f1, &t1, 1000, &mut || Ok(()))?;
                Err(anyhow::anyhow!("the disk is full"))
            })
            .unwrap_err();
        assert_eq!(err.to_string(), "the disk is full");
        assert!(ids(&store).is_empty());
        assert!(store.events(&Filter::default()).unwrap().is_empty());
        // The store is usable afterwards, outside any group.
        login(&home, "f2");
        assert_eq!(ids(&store), ["f2"]);
    }

    #[test]
    fn the_keyring_blob_is_a_compare_and_set_on_its_version() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        login(&home, "f1");
        let path = schema::path(&home);
        let store = SqliteStore::open(&path, Mode::ReadWrite, DEFAULT_WAIT)
            .unwrap()
            .unwrap();
        assert_eq!(store.keyring_blob().unwrap(), None, "no table yet");
        assert!(
            !store.put_keyring_blob(1, b"one").unwrap(),
            "none stored: 0 expected"
        );
        assert_eq!(store.keyring_blob().unwrap(), None);
        assert!(store.put_keyring_blob(0, b"one").unwrap());
        assert_eq!(store.keyring_blob().unwrap(), Some((1, b"one".to_vec())));
        assert!(
            !store.put_keyring_blob(0, b"lost").unwrap(),
            "a stale writer"
        );
        assert!(store.put_keyring_blob(1, b"two").unwrap());
        assert!(!store.put_keyring_blob(1, b"lost").unwrap());
        assert_eq!(store.keyring_blob().unwrap(), Some((2, b"two".to_vec())));
        // A lock-free reader sees it; the store's format is still version 1.
        let reader = SqliteStore::open(&path, Mode::ReadOnly, DEFAULT_WAIT)
            .unwrap()
            .unwrap();
        assert_eq!(reader.keyring_blob().unwrap(), Some((2, b"two".to_vec())));
        let version: i64 = store
            .conn
            .borrow()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, schema::SCHEMA_VERSION);
    }

    #[test]
    fn a_keyring_blob_over_the_cap_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        login(&home, "f1");
        let store = SqliteStore::open(&schema::path(&home), Mode::ReadWrite, DEFAULT_WAIT)
            .unwrap()
            .unwrap();
        assert!(store.put_keyring_blob(0, b"small").unwrap());
        store
            .conn
            .borrow()
            .execute(
                "UPDATE keyring SET blob = zeroblob(?1)",
                [i64::try_from(MAX_KEYRING_BLOB).unwrap() + 1],
            )
            .unwrap();
        let err = store.keyring_blob().unwrap_err();
        assert!(
            matches!(
                err.downcast_ref::<StoreError>(),
                Some(StoreError::Corrupt { .. })
            ),
            "{err}"
        );
    }
}
