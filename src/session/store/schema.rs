//! The SQLite file itself: where it lives, how it is created, the versioned schema, and how a
//! SQLite error becomes one clear message with exit 10.
//!
//! A new store is built complete under a temporary name (schema, WAL mode, `application_id`,
//! `user_version`) and then hard-linked into place, so no process ever sees half a store and two
//! first logins cannot both initialise one. An existing file is only opened: one that is not a
//! jwtctl store, is corrupt, or comes from a newer jwtctl is refused without a single write.

use crate::edge::exit::{Exit, fail, fail_hint};
use crate::files;
use anyhow::{Context, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::fs;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The store's file name in the home directory.
pub const FILE: &str = "refresh.db";
/// `PRAGMA application_id`: "jwtc", so a stray SQLite file is never mistaken for a store.
pub const APPLICATION_ID: i64 = 0x6a77_7463;
/// `PRAGMA user_version` this jwtctl writes; a later release migrates from it.
pub const SCHEMA_VERSION: i64 = 1;

/// Version 1. Times are Unix seconds from jwtctl's clock (`--now`), never SQLite's.
const SCHEMA_V1: &str = "
CREATE TABLE families (
    id              TEXT PRIMARY KEY,
    sub             TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    scope           TEXT,
    iss             TEXT NOT NULL,
    aud             TEXT NOT NULL,
    access_ttl      INTEGER NOT NULL,
    refresh_ttl     INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    not_after       INTEGER NOT NULL,
    last_refresh_at INTEGER,
    generation      INTEGER NOT NULL,
    current_jti     TEXT NOT NULL,
    revoked_at      INTEGER,
    revoked_reason  TEXT
);
CREATE INDEX families_by_sub ON families(sub);
CREATE TABLE refresh_tokens (
    jti         TEXT PRIMARY KEY,
    family_id   TEXT NOT NULL REFERENCES families(id),
    generation  INTEGER NOT NULL,
    parent_jti  TEXT,
    sha256      BLOB NOT NULL UNIQUE,
    issued_at   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('active', 'used', 'superseded', 'revoked')),
    used_at     INTEGER,
    replaced_by TEXT,
    revoked_at  INTEGER
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id, generation);
CREATE TABLE subjects (
    sub         TEXT PRIMARY KEY,
    disabled_at INTEGER NOT NULL,
    reason      TEXT
);
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    family_id   TEXT,
    sub         TEXT,
    jti         TEXT,
    generation  INTEGER,
    detail      TEXT
);
CREATE INDEX events_by_family ON events(family_id);
";

/// How to open the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Create it when missing (login, subject disable).
    Create,
    /// Read and write an existing store; a missing one is `None`.
    Existing,
    /// Read only, never creating anything (sessions).
    ReadOnly,
}

/// The store path under `home`.
#[must_use]
pub fn path(home: &Path) -> PathBuf {
    home.join(FILE)
}

/// Opens the store under `home`, creating it first in [`Mode::Create`]. `None`: it does not
/// exist (and was not to be created). `wait` is how long a locked store is waited for.
pub fn open(home: &Path, mode: Mode, wait: Duration) -> Result<Option<Connection>> {
    let path = path(home);
    if mode == Mode::Create && !path.exists() {
        create(home, &path)?;
    }
    if !path.exists() {
        return Ok(None);
    }
    let flags = match mode {
        Mode::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
        _ => OpenFlags::SQLITE_OPEN_READ_WRITE,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let err = |e| error(&path, wait, e);
    let conn = Connection::open_with_flags(&path, flags).map_err(err)?;
    conn.busy_timeout(wait).map_err(err)?;
    check(&conn, &path, wait)?;
    Ok(Some(conn))
}

/// Refuses a file that is not a jwtctl store of a version this build knows. Reads only.
fn check(conn: &Connection, path: &Path, wait: Duration) -> Result<()> {
    let err = |e| error(path, wait, e);
    let app: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(err)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(err)?;
    let aside = "move the file aside (jwtctl never rewrites it) and log in again";
    if app != APPLICATION_ID {
        return Err(fail_hint(
            Exit::Io,
            format!(
                "refresh store {} is an SQLite file but not a jwtctl store",
                path.display()
            ),
            aside,
        ));
    }
    if version != SCHEMA_VERSION {
        return Err(fail_hint(
            Exit::Io,
            format!(
                "refresh store {} has schema version {version}; this jwtctl knows version {SCHEMA_VERSION}",
                path.display()
            ),
            if version > SCHEMA_VERSION {
                "use the newer jwtctl that wrote it"
            } else {
                aside
            },
        ));
    }
    Ok(())
}

/// Builds a complete store under a temporary name, then links it into place. Losing the race
/// to another process is fine: its store is as good as ours.
fn create(home: &Path, path: &Path) -> Result<()> {
    files::create_private_dir(home)?;
    let tmp = home.join(format!(".{FILE}.{}.tmp", std::process::id()));
    let result = (|| -> Result<()> {
        // SQLite gives the -wal and -shm files the mode of the database file: 0600 for all.
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .with_context(|| format!("creating {}", tmp.display()))?;
        let err = |e| error(&tmp, Duration::ZERO, e);
        let conn =
            Connection::open_with_flags(&tmp, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(err)?;
        // WAL: readers never block the writer, and `BEGIN IMMEDIATE` serialises writers.
        let wal: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(err)?;
        if !wal.eq_ignore_ascii_case("wal") {
            return Err(fail(
                Exit::Io,
                format!(
                    "{}: the file system does not support WAL mode",
                    home.display()
                ),
            ));
        }
        conn.execute_batch(&format!(
            "BEGIN; {SCHEMA_V1} PRAGMA application_id = {APPLICATION_ID}; \
             PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        ))
        .map_err(err)?;
        conn.close().map_err(|(_, e)| err(e))?;
        match fs::hard_link(&tmp, path) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            other => other.with_context(|| format!("creating {}", path.display())),
        }
    })();
    for suffix in ["", "-wal", "-shm"] {
        let _ = fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    result
}

/// One SQLite error as one clear message, always exit 10 (DECISIONS §1): locked, corrupt,
/// unreadable. The message names the file and, where one helps, a hint.
pub fn error(path: &Path, wait: Duration, e: rusqlite::Error) -> anyhow::Error {
    let p = path.display();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => fail_hint(
            Exit::Io,
            format!(
                "refresh store {p} is locked by another process (waited {})",
                crate::time::span(wait.as_secs())
            ),
            "retry, or raise JWTCTL_STORE_WAIT",
        ),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => fail_hint(
            Exit::Io,
            format!("refresh store {p} is corrupt or not a database ({e})"),
            "move the file aside (jwtctl never rewrites it) and log in again",
        ),
        _ => fail(Exit::Io, format!("refresh store {p}: {e}")),
    }
}
