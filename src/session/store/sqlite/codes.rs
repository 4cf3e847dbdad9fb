//! `serve`'s authorization codes and login-form claims in the SQLite file: the tables of
//! `schema::SERVE_TABLES`, created by the first write that needs them. Each write is one
//! `BEGIN IMMEDIATE` transaction, so a claim reads and marks a code with no other writer in
//! between, whichever process it runs in.

use super::{Cached, OrStore, SqliteStore};
use crate::session::store::{CodeClaim, ServeRecords, StoredCode, check_serve_record, schema};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// Whether the table `name` exists (the serve tables are created on first use).
fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
        [name],
        |r| r.get(0),
    )
}

impl ServeRecords for SqliteStore {
    fn put_code(&self, hash: &[u8], record: &str, keep_until: i64, now: i64) -> Result<()> {
        check_serve_record(&schema::name(&self.path), "an authorization code", record)?;
        self.write(|tx| {
            tx.execute_batch(schema::SERVE_TABLES).store(self)?;
            tx.run("DELETE FROM auth_codes WHERE expires_at <= ?1", [now])
                .store(self)?;
            tx.run(
                "INSERT INTO auth_codes (sha256, record, expires_at, state) \
                 VALUES (?1, ?2, ?3, 'fresh')",
                params![hash, record, keep_until],
            )
            .store(self)?;
            Ok(())
        })
    }

    fn code(&self, hash: &[u8], now: i64) -> Result<Option<StoredCode>> {
        self.read(|conn| {
            if !has_table(conn, "auth_codes")? {
                return Ok(None);
            }
            conn.row(
                "SELECT record, state FROM auth_codes WHERE sha256 = ?1 AND expires_at > ?2",
                params![hash, now],
                |r| {
                    Ok(StoredCode {
                        record: r.get(0)?,
                        claimed: r.get::<_, String>(1)? != "fresh",
                    })
                },
            )
            .optional()
        })
    }

    fn claim_code(&self, hash: &[u8], now: i64) -> Result<CodeClaim> {
        self.write(|tx| {
            if !has_table(tx, "auth_codes").store(self)? {
                return Ok(CodeClaim::Missing);
            }
            let found: Option<(String, String, Option<String>)> = tx
                .row(
                    "SELECT state, record, family_id FROM auth_codes \
                     WHERE sha256 = ?1 AND expires_at > ?2",
                    params![hash, now],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .store(self)?;
            let Some((state, record, family)) = found else {
                return Ok(CodeClaim::Missing);
            };
            let (next, claim) = if state == "fresh" {
                ("claimed", CodeClaim::Fresh(record))
            } else {
                ("replayed", CodeClaim::Used { family })
            };
            tx.run(
                "UPDATE auth_codes SET state = ?1 WHERE sha256 = ?2",
                params![next, hash],
            )
            .store(self)?;
            Ok(claim)
        })
    }

    fn bind_code(&self, hash: &[u8], family: &str) -> Result<bool> {
        self.write(|tx| {
            if !has_table(tx, "auth_codes").store(self)? {
                return Ok(false);
            }
            let state: Option<String> = tx
                .row(
                    "UPDATE auth_codes SET family_id = ?1 WHERE sha256 = ?2 RETURNING state",
                    params![family, hash],
                    |r| r.get(0),
                )
                .optional()
                .store(self)?;
            Ok(state.as_deref() == Some("replayed"))
        })
    }

    fn put_session_claims(
        &self,
        family: &str,
        claims: &str,
        keep_until: i64,
        now: i64,
    ) -> Result<()> {
        check_serve_record(&schema::name(&self.path), "a session's claims", claims)?;
        self.write(|tx| {
            tx.execute_batch(schema::SERVE_TABLES).store(self)?;
            tx.run("DELETE FROM session_claims WHERE expires_at <= ?1", [now])
                .store(self)?;
            tx.run(
                "INSERT INTO session_claims (family_id, claims, expires_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (family_id) DO UPDATE SET claims = excluded.claims, \
                 expires_at = excluded.expires_at",
                params![family, claims, keep_until],
            )
            .store(self)?;
            Ok(())
        })
    }

    fn session_claims(&self, family: &str) -> Result<Option<String>> {
        self.read(|conn| {
            if !has_table(conn, "session_claims")? {
                return Ok(None);
            }
            conn.row(
                "SELECT claims FROM session_claims WHERE family_id = ?1",
                [family],
                |r| r.get(0),
            )
            .optional()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::store::sqlite::DEFAULT_WAIT;
    use crate::session::store::{Store, serve_story};

    #[test]
    fn the_serve_story_holds_on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let path = schema::path(&dir.path().join("home"));
        SqliteStore::create(&path, DEFAULT_WAIT).unwrap();
        serve_story::story(&|| -> Box<dyn Store> {
            Box::new(SqliteStore::create(&path, DEFAULT_WAIT).unwrap())
        });
    }

    #[test]
    fn codes_are_kept_by_hash_past_their_time_deleted_and_the_schema_stays_version_1() {
        let dir = tempfile::tempdir().unwrap();
        let path = schema::path(&dir.path().join("home"));
        let s = SqliteStore::create(&path, DEFAULT_WAIT).unwrap();
        let hash = crate::session::token_hash("the-code");
        s.put_code(&hash, "{}", 1600, 1000).unwrap();
        s.put_session_claims("fam", "{}", 1600, 1000).unwrap();
        let count = |table: &str| -> i64 {
            s.conn
                .borrow()
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        let kept: Vec<u8> = s
            .conn
            .borrow()
            .query_row("SELECT sha256 FROM auth_codes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, hash, "the hash, never the code");
        // The next writes after their time delete them.
        s.put_code(&crate::session::token_hash("next"), "{}", 2600, 1600)
            .unwrap();
        s.put_session_claims("next", "{}", 2600, 1600).unwrap();
        assert_eq!((count("auth_codes"), count("session_claims")), (1, 1));
        assert_eq!(s.code(&hash, 1000).unwrap(), None);
        assert_eq!(s.session_claims("fam").unwrap(), None);
        let version: i64 = s
            .conn
            .borrow()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 1, "the serve tables only add to version 1");
    }
}
