//! The PostgreSQL store's tables, created and versioned by jwtctl.
//!
//! `jwtctl_meta` holds `schema_version`; each entry of [`MIGRATIONS`] takes the schema from the
//! version before it to its own, and runs in one transaction under a transaction-level advisory
//! lock, so concurrent first uses (or `jwtctl store migrate` runs) apply it exactly once and the
//! others see the result. A database at a newer version than this jwtctl knows is refused before
//! anything is written.
//!
//! The tables mirror the SQLite store's (`sqlite/schema.rs`) with `jwtctl_` names, so the store
//! can share a database with an application. Text columns compare and sort bytewise
//! (`COLLATE "C"`), as SQLite does, so listings come out in the same order on both. Besides the
//! primary keys, the constraints make a forked family impossible whatever a client does: at most
//! one `active` token per family (a partial unique index), one token per generation of a family,
//! unique token hashes, and every token in a family that exists. `jwtctl_keyring` holds the
//! sealed keyring of `--keyring-in-store` (one row, its version a compare-and-set counter).
//! Version 2 adds `serve`'s authorization codes and login-form claims (`jwtctl_codes`,
//! `jwtctl_session_claims`). A database at version 1 is refused (exit 10) until `jwtctl store
//! migrate` brings it to version 2; from then on a jwtctl that knows only version 1 refuses it.

use super::connect::Conn;
use crate::session::store::StoreError;
use anyhow::Result;
use tokio_postgres::error::SqlState;

/// The schema version this jwtctl writes and reads.
pub const SCHEMA_VERSION: i64 = 2;

/// Key of the advisory lock held while the schema is created or migrated ("jwtc").
const LOCK_KEY: i64 = 0x6a77_7463;

/// Version 1. Times are Unix seconds from jwtctl's clock (`--now`), never the server's.
const V1: &str = r#"
CREATE TABLE jwtctl_meta (
    key   text COLLATE "C" PRIMARY KEY,
    value bigint NOT NULL
);
CREATE TABLE jwtctl_families (
    id              text COLLATE "C" PRIMARY KEY,
    sub             text COLLATE "C" NOT NULL,
    client_id       text COLLATE "C" NOT NULL,
    scope           text COLLATE "C",
    iss             text COLLATE "C" NOT NULL,
    aud             text COLLATE "C" NOT NULL,
    access_ttl      bigint NOT NULL,
    refresh_ttl     bigint NOT NULL,
    created_at      bigint NOT NULL,
    not_after       bigint NOT NULL,
    last_refresh_at bigint,
    generation      bigint NOT NULL CHECK (generation >= 1),
    current_jti     text COLLATE "C" NOT NULL,
    revoked_at      bigint,
    revoked_reason  text COLLATE "C"
);
CREATE INDEX jwtctl_families_by_sub ON jwtctl_families (sub);
CREATE TABLE jwtctl_tokens (
    jti         text COLLATE "C" PRIMARY KEY,
    family_id   text COLLATE "C" NOT NULL REFERENCES jwtctl_families (id),
    generation  bigint NOT NULL,
    parent_jti  text COLLATE "C",
    sha256      bytea NOT NULL UNIQUE,
    issued_at   bigint NOT NULL,
    expires_at  bigint NOT NULL,
    state       text COLLATE "C" NOT NULL
                CHECK (state IN ('active', 'used', 'superseded', 'revoked')),
    used_at     bigint,
    replaced_by text COLLATE "C",
    revoked_at  bigint,
    UNIQUE (family_id, generation)
);
CREATE UNIQUE INDEX jwtctl_tokens_one_active ON jwtctl_tokens (family_id)
    WHERE state = 'active';
CREATE TABLE jwtctl_subjects (
    sub         text COLLATE "C" PRIMARY KEY,
    disabled_at bigint NOT NULL,
    reason      text COLLATE "C"
);
CREATE TABLE jwtctl_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          bigint NOT NULL,
    kind        text COLLATE "C" NOT NULL,
    family_id   text COLLATE "C",
    sub         text COLLATE "C",
    jti         text COLLATE "C",
    generation  bigint,
    detail      text COLLATE "C"
);
CREATE INDEX jwtctl_events_by_family ON jwtctl_events (family_id);
CREATE INDEX jwtctl_events_by_sub ON jwtctl_events (sub);
CREATE TABLE jwtctl_keyring (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL CHECK (version >= 1),
    blob    bytea NOT NULL
);
"#;

/// Version 2: `serve`'s authorization codes (by SHA-256 of the code, never the code; `state`
/// is what makes a code single-use across processes) and the login form's claims by session.
/// Rows past `expires_at` (jwtctl's clock) are deleted by the next write of their table.
const V2: &str = r#"
CREATE TABLE jwtctl_codes (
    sha256     bytea PRIMARY KEY,
    record     text NOT NULL,
    expires_at bigint NOT NULL,
    state      text COLLATE "C" NOT NULL CHECK (state IN ('fresh', 'claimed', 'replayed')),
    family_id  text COLLATE "C"
);
CREATE INDEX jwtctl_codes_by_expiry ON jwtctl_codes (expires_at);
CREATE TABLE jwtctl_session_claims (
    family_id  text COLLATE "C" PRIMARY KEY,
    claims     text NOT NULL,
    expires_at bigint NOT NULL
);
CREATE INDEX jwtctl_session_claims_by_expiry ON jwtctl_session_claims (expires_at);
"#;

/// Each version's DDL, in order: entry `i` takes a database at version `i` to version `i + 1`.
const MIGRATIONS: &[&str] = &[V1, V2];

/// What [`migrate`](super::migrate) did: the version found (0: no jwtctl tables) and the
/// version now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Migrated {
    pub from: i64,
    pub to: i64,
}

/// The version the database is at without locking anything: `None` when it has no jwtctl
/// tables.
fn version(conn: &Conn) -> Result<Option<i64>> {
    let found = conn.run_mapped("reading the schema version", async {
        match conn
            .client
            .query_typed_opt(
                "SELECT value FROM jwtctl_meta WHERE key = 'schema_version'",
                &[],
            )
            .await
        {
            Ok(Some(row)) => {
                Ok(Some(row.try_get::<_, i64>(0).map(Some).map_err(|e| {
                    conn.error("reading the schema version", &e)
                })?))
            }
            Ok(None) => Ok(Some(None)),
            Err(e) if e.code() == Some(&SqlState::UNDEFINED_TABLE) => Ok(None),
            Err(e) => Err(conn.error("reading the schema version", &e)),
        }
    })?;
    match found {
        Some(None) => Err(StoreError::Io {
            store: conn.shown.clone(),
            detail: "table jwtctl_meta has no schema_version: not a jwtctl store".into(),
        }
        .into()),
        Some(Some(v)) => Ok(Some(v)),
        None => Ok(None),
    }
}

/// Refuses a version this jwtctl cannot use.
fn check(conn: &Conn, found: i64) -> Result<()> {
    let (store, known) = (conn.shown.clone(), SCHEMA_VERSION);
    if found > known {
        return Err(StoreError::NewerFormat {
            store,
            found,
            known,
        }
        .into());
    }
    if found < known {
        return Err(StoreError::OlderFormat {
            store,
            found,
            known,
            migrate: true,
        }
        .into());
    }
    Ok(())
}

/// Makes sure the database holds a jwtctl store of this version: creating it when it has none
/// and `create` is set. Returns false when there is none (and `create` is not set). A newer or
/// older version is refused without a write (an older one is brought up to date by
/// `jwtctl store migrate`).
pub(super) fn ensure(conn: &Conn, create: bool) -> Result<bool> {
    match version(conn)? {
        Some(v) => check(conn, v).map(|()| true),
        None if !create => Ok(false),
        None => {
            let done = migrate(conn)?;
            check(conn, done.to).map(|()| true)
        }
    }
}

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction under the advisory lock: from
/// nothing (creating it) or from an older version. A newer version is refused, nothing written.
pub(super) fn migrate(conn: &Conn) -> Result<Migrated> {
    let what = "creating or migrating the schema";
    let result = conn.run_mapped(what, async {
        let c = &conn.client;
        let e = |e: tokio_postgres::Error| conn.error(what, &e);
        c.batch_execute(&conn.begin).await.map_err(e)?;
        c.query_typed(
            "SELECT pg_advisory_xact_lock($1)",
            &[(&LOCK_KEY, tokio_postgres::types::Type::INT8)],
        )
        .await
        .map_err(e)?;
        let exists: bool = c
            .query_typed_one("SELECT to_regclass('jwtctl_meta') IS NOT NULL", &[])
            .await
            .and_then(|r| r.try_get(0))
            .map_err(e)?;
        let from: i64 = if exists {
            c.query_typed_opt(
                "SELECT value FROM jwtctl_meta WHERE key = 'schema_version'",
                &[],
            )
            .await
            .map_err(e)?
            .map(|r| r.try_get(0))
            .transpose()
            .map_err(e)?
            .unwrap_or(0)
        } else {
            0
        };
        if from > SCHEMA_VERSION {
            return Ok(Migrated { from, to: from });
        }
        let start = usize::try_from(from).unwrap_or(0);
        for ddl in MIGRATIONS.iter().skip(start) {
            c.batch_execute(ddl).await.map_err(e)?;
        }
        c.query_typed(
            "INSERT INTO jwtctl_meta (key, value) VALUES ('schema_version', $1) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[(&SCHEMA_VERSION, tokio_postgres::types::Type::INT8)],
        )
        .await
        .map_err(e)?;
        c.batch_execute("COMMIT").await.map_err(e)?;
        Ok(Migrated {
            from,
            to: SCHEMA_VERSION,
        })
    });
    match result {
        Ok(done) if done.from > SCHEMA_VERSION => {
            let _ = conn.run("rolling back", conn.client.batch_execute("ROLLBACK"));
            check(conn, done.from).map(|()| done)
        }
        Ok(done) => Ok(done),
        Err(e) => {
            if !conn.broken.get() {
                let _ = conn.run("rolling back", conn.client.batch_execute("ROLLBACK"));
            }
            Err(e)
        }
    }
}
