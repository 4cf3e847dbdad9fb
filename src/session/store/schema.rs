//! The SQLite file itself: where it lives, how it is created and opened, the versioned schema,
//! and how an SQLite error becomes a [`StoreError`].
//!
//! A new store is built complete under an unpredictable temporary name (schema, WAL mode,
//! `application_id`, `user_version`) and then hard-linked into place, so no process ever sees
//! half a store, two first logins cannot both initialise one, and a creator killed midway leaves
//! only a temporary file that the next creation removes. An existing file is only opened: one
//! that is not a jwtctl store, is corrupt, comes from a newer jwtctl, or that others may read or
//! change is refused without a single write.

use super::StoreError;
use crate::files;
use anyhow::Result;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
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

/// The sealed keyring of `--keyring-in-store`: one row, its version counting the writes. Not
/// part of [`SCHEMA_V1`]: it is created (`IF NOT EXISTS`) by the first write of a keyring, in
/// that write's transaction, and a store without it simply holds no keyring. The table only adds
/// to version 1, changing nothing a version-1 reader reads, so the schema version stays 1: a
/// store made before it keeps working unchanged, and an older jwtctl still reads and writes a
/// store that has it (a version bump would lock every older jwtctl out of a store it shares, for
/// a table it never reads).
pub const KEYRING_TABLE: &str = "
CREATE TABLE IF NOT EXISTS keyring (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL CHECK (version > 0),
    blob    BLOB NOT NULL
);
";

/// The authorization codes and login-form claims of `serve` (`Store::put_code`,
/// `Store::put_session_claims`). Like [`KEYRING_TABLE`], not part of [`SCHEMA_V1`]: created
/// (`IF NOT EXISTS`) by the first write that needs them, in its transaction; a store without
/// them holds no codes and no claims. They only add to version 1 (no table a version-1 reader
/// reads changes), so the schema version stays 1 and an older jwtctl still shares the file.
/// Codes are kept by SHA-256, never as text; rows past `expires_at` (jwtctl's clock) are
/// deleted by the next write of their table.
pub const SERVE_TABLES: &str = "
CREATE TABLE IF NOT EXISTS auth_codes (
    sha256     BLOB PRIMARY KEY,
    record     TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('fresh', 'claimed', 'replayed')),
    family_id  TEXT
);
CREATE INDEX IF NOT EXISTS auth_codes_by_expiry ON auth_codes(expires_at);
CREATE TABLE IF NOT EXISTS session_claims (
    family_id  TEXT PRIMARY KEY,
    claims     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS session_claims_by_expiry ON session_claims(expires_at);
";

/// How to open an existing store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Read and write it (refresh, logout, subject).
    ReadWrite,
    /// Read only, never creating or changing a file (sessions).
    ReadOnly,
}

/// The store path under `home`.
#[must_use]
pub fn path(home: &Path) -> PathBuf {
    home.join(FILE)
}

/// The longest wait SQLite's busy timeout can express (`i32` milliseconds, about 24 days);
/// longer waits are clamped to it, never a panic.
pub const MAX_WAIT: Duration = Duration::from_millis(i32::MAX as u64);

/// An open store file: the connection, and for a lock-free read of an immutable snapshot the
/// [`Fingerprint`] it was taken at.
pub(super) struct Opened {
    pub conn: Connection,
    pub frozen: Option<Fingerprint>,
}

/// The directory holding the store file at `path`, and what messages call it: the home for
/// the default `refresh.db`, else "store directory".
fn dir_of(path: &Path) -> (&Path, &'static str) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let label = if path.file_name() == Some(std::ffi::OsStr::new(FILE)) {
        "home directory"
    } else {
        "store directory"
    };
    (dir, label)
}

/// Opens the existing store file at `path`; `None` when there is none. `wait` is how long a
/// locked store is waited for (clamped to [`MAX_WAIT`]). Its directory and the file must be
/// private ([`files::check_private`]).
pub(super) fn open(path: &Path, mode: Mode, wait: Duration) -> Result<Option<Opened>> {
    if !is_present(path)? {
        return Ok(None);
    }
    let (dir, label) = dir_of(path);
    files::check_private(dir, label)?;
    open_present(path, mode, wait).map(Some)
}

/// Opens the store file at `path` for reading and writing, creating its directory (0700) and
/// the store (0600) first when they are missing.
pub(super) fn create(path: &Path, wait: Duration) -> Result<Opened> {
    let (dir, label) = dir_of(path);
    files::create_private_dir(dir)?;
    files::check_private(dir, label)?;
    if !is_present(path)? {
        build(dir, path)?;
        if !is_present(path)? {
            return Err(StoreError::Unusable {
                store: name(path),
                why: "disappeared while it was being created".into(),
            }
            .into());
        }
    }
    open_present(path, Mode::ReadWrite, wait)
}

/// Opens a store file that is there: what it is first (a file that is no jwtctl store is
/// refused as such), then whether it is private.
fn open_present(path: &Path, mode: Mode, wait: Duration) -> Result<Opened> {
    let wait = wait.min(MAX_WAIT);
    let opened = match mode {
        Mode::ReadOnly => open_read(path, wait, false)?,
        Mode::ReadWrite => {
            let conn = connect(path, path, OpenFlags::SQLITE_OPEN_READ_WRITE, wait)?;
            // In WAL mode, NORMAL syncs the log at checkpoints rather than at every commit: a
            // committed rotation still survives a killed process (the log is in the OS's
            // cache, and the next opener replays it), but a power failure or an OS crash may
            // lose the last commits (README "The store", SECURITY.md). FULL cost an fsync per
            // rotation, the bulk of a refresh's time (bench/README.md, serve).
            conn.pragma_update(None, "synchronous", "NORMAL")
                .map_err(|e| error(path, wait, e))?;
            Opened { conn, frozen: None }
        }
    };
    files::check_private(path, "refresh store")?;
    Ok(opened)
}

/// The store's name in messages.
pub(super) fn name(path: &Path) -> String {
    path.display().to_string()
}

/// Whether a store file is at `path`: false when nothing is; an error when something unusable
/// is (a symlink to nothing, a directory).
fn is_present(path: &Path) -> Result<bool> {
    let unusable = |why: String| -> anyhow::Error {
        StoreError::Unusable {
            store: name(path),
            why,
        }
        .into()
    };
    let io = |e: std::io::Error| -> anyhow::Error {
        StoreError::Io {
            store: name(path),
            detail: e.to_string(),
        }
        .into()
    };
    let link = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(io(e)),
        Ok(m) => m,
    };
    let meta = if link.file_type().is_symlink() {
        let target = fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        match fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(unusable(format!(
                    "is a symbolic link to {target}, which does not exist; remove the link \
                     or restore its target"
                )));
            }
            Err(e) => return Err(io(e)),
            Ok(m) => m,
        }
    } else {
        link
    };
    if !meta.is_file() {
        return Err(unusable(
            "is not a regular file; move it aside and log in again".into(),
        ));
    }
    Ok(true)
}

/// Opens `file` with `flags` (`path` names it in messages), sets the busy timeout and checks
/// that it is a jwtctl store of this version.
fn connect(path: &Path, file: &Path, flags: OpenFlags, wait: Duration) -> Result<Connection> {
    let err = |e| error(path, wait, e);
    let conn =
        Connection::open_with_flags(file, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(err)?;
    conn.busy_timeout(wait).map_err(err)?;
    // The query planner's stability guarantee: a cached statement keeps its plan whatever
    // values are bound. Without it, this SQLite (built with STAT4) marks statements to be
    // prepared again when a bound value changes (partial indexes, LIKE, STAT4 probes), and
    // the server's introspection spent half its time re-preparing one query (bench/README.md,
    // serve). The plans of these few primary-key and index lookups do not depend on values.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(err)?;
    check(&conn, path, wait)?;
    Ok(conn)
}

/// What a lock-free reader checks to know that nobody wrote the file while it read: in WAL
/// mode only a checkpoint writes the database file, and any write changes these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Fingerprint {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Fingerprint {
    /// The fingerprint of the file at `path` (following a symlink), if it can be read.
    pub(super) fn of(path: &Path) -> Option<Self> {
        let m = fs::metadata(path).ok()?;
        Some(Fingerprint {
            dev: m.dev(),
            ino: m.ino(),
            len: m.len(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ctime: (m.ctime(), m.ctime_nsec()),
        })
    }
}

/// Opens the store for reading only, creating no file. When no process has it open (no `-wal`
/// file beside it), SQLite is told the file is immutable: it then needs no `-shm` or `-wal`
/// file, so a read-only home or store works and nothing is created or changed. The
/// [`Fingerprint`] taken first lets the reader see that a writer has written the file since
/// (and read again, see `SqliteStore::read`). With `locking`, or when another process has it open,
/// it opens read-only with SQLite's locks and shares that process's `-wal` and `-shm`.
pub(super) fn open_read(path: &Path, wait: Duration, locking: bool) -> Result<Opened> {
    let real = fs::canonicalize(path).map_err(|e| StoreError::Io {
        store: name(path),
        detail: e.to_string(),
    })?;
    let mut wal = real.clone().into_os_string();
    wal.push("-wal");
    let ro = OpenFlags::SQLITE_OPEN_READ_ONLY;
    if locking || Path::new(&wal).exists() {
        return Ok(Opened {
            conn: connect(path, &real, ro, wait)?,
            frozen: None,
        });
    }
    let frozen = Fingerprint::of(&real);
    let uri = format!(
        "file:{}?immutable=1",
        uri_escape(real.as_os_str().as_bytes())
    );
    let conn = connect(path, Path::new(&uri), ro | OpenFlags::SQLITE_OPEN_URI, wait)?;
    Ok(Opened { conn, frozen })
}

/// Percent-encodes a path for an SQLite `file:` URI.
fn uri_escape(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
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
    let store = name(path);
    if app != APPLICATION_ID {
        return Err(StoreError::Foreign { store }.into());
    }
    let (found, known) = (version, SCHEMA_VERSION);
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerFormat {
            store,
            found,
            known,
        }
        .into());
    }
    if version < SCHEMA_VERSION {
        return Err(StoreError::OlderFormat {
            store,
            found,
            known,
            migrate: false,
        }
        .into());
    }
    Ok(())
}

/// Builds a complete store under a temporary name, then links it into place. Losing the race
/// to another process is fine: its store is as good as ours. Temporary files of creators that
/// died midway are removed first.
fn build(home: &Path, path: &Path) -> Result<()> {
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(FILE)
        .to_owned();
    files::remove_stale_temps(home, &file_name);
    // SQLite gives the -wal and -shm files the mode of the database file: 0600 for all.
    let (file, tmp) = files::create_temp(home, &file_name, 0o600)?;
    drop(file);
    let result = (|| -> Result<()> {
        let err = |e| error(&tmp, Duration::ZERO, e);
        let conn =
            Connection::open_with_flags(&tmp, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(err)?;
        // The schema is written in rollback-journal mode, straight into the file with a synced
        // commit, so a full disk fails here; a WAL written first would only reach the file at
        // the checkpoint on close, whose failure SQLite does not report.
        conn.execute_batch(&format!(
            "BEGIN; {SCHEMA_V1} PRAGMA application_id = {APPLICATION_ID}; \
             PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        ))
        .map_err(err)?;
        // Then WAL: readers never block the writer, and `BEGIN IMMEDIATE` serialises writers.
        let wal: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(err)?;
        if !wal.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Io {
                store: name(path),
                detail: format!(
                    "the file system of {} does not support SQLite's WAL mode",
                    home.display()
                ),
            }
            .into());
        }
        conn.close().map_err(|(_, e)| err(e))?;
        match fs::hard_link(&tmp, path) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(StoreError::Io {
                store: name(path),
                detail: format!("creating it: {e}"),
            }
            .into()),
            Ok(()) => Ok(()),
        }
    })();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = tmp.clone().into_os_string();
        p.push(suffix);
        let _ = fs::remove_file(p);
    }
    result
}

/// One SQLite error as a [`StoreError`] naming the file: locked, corrupt, or anything else.
pub fn error(path: &Path, wait: Duration, e: rusqlite::Error) -> anyhow::Error {
    let store = name(path);
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy {
            store,
            waited: wait,
        },
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            store,
            detail: e.to_string(),
        },
        _ => StoreError::Io {
            store,
            detail: e.to_string(),
        },
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_wait_is_accepted_and_clamped() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        for wait in [
            Duration::ZERO,
            Duration::from_secs(25 * 86_400),
            MAX_WAIT + Duration::from_millis(1),
            Duration::MAX,
        ] {
            let opened = create(&path(&home), wait).unwrap();
            drop(opened);
            for mode in [Mode::ReadWrite, Mode::ReadOnly] {
                assert!(
                    open(&path(&home), mode, wait).unwrap().is_some(),
                    "{wait:?}"
                );
            }
        }
        assert_eq!(MAX_WAIT.as_millis(), i32::MAX as u128);
    }

    #[test]
    fn paths_are_escaped_for_uris() {
        assert_eq!(uri_escape(b"/tmp/a b/x?y#z%"), "/tmp/a%20b/x%3Fy%23z%25");
        assert_eq!(uri_escape("/é".as_bytes()), "/%C3%A9");
    }
}
