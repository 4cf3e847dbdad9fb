//! `serve`'s authorization codes and login-form claims on PostgreSQL (`jwtctl_codes`,
//! `jwtctl_session_claims`, schema version 2). Each operation is one statement, so one round
//! trip and atomic on its own: a claim is an `UPDATE ... RETURNING` whose row lock makes a
//! concurrent claim wait and then see the first one's mark, whichever process sent it. Rows past
//! `expires_at` (jwtctl's clock) are deleted by the next write of their table.

use super::{PgStore, V, i, params, storable, t};
use crate::session::store::{CodeClaim, ServeRecords, StoredCode, check_serve_record};
use anyhow::Result;

impl ServeRecords for PgStore {
    fn put_code(&self, hash: &[u8], record: &str, keep_until: i64, now: i64) -> Result<()> {
        check_serve_record(&self.conn.shown, "an authorization code", record)?;
        let what = "keeping an authorization code";
        let values = [V::B(hash.to_vec()), t(record), i(keep_until), i(now)];
        let p = params(&values);
        self.conn.run(
            what,
            self.conn.client.execute_typed(
                "WITH gone AS (DELETE FROM jwtctl_codes WHERE expires_at <= $4 AND sha256 <> $1) \
                 INSERT INTO jwtctl_codes (sha256, record, expires_at, state) \
                 VALUES ($1, $2, $3, 'fresh')",
                &p,
            ),
        )?;
        Ok(())
    }

    fn code(&self, hash: &[u8], now: i64) -> Result<Option<StoredCode>> {
        let what = "reading an authorization code";
        let values = [V::B(hash.to_vec()), i(now)];
        let p = params(&values);
        let row = self.conn.run(
            what,
            self.conn.client.query_typed_opt(
                "SELECT record, state FROM jwtctl_codes WHERE sha256 = $1 AND expires_at > $2",
                &p,
            ),
        )?;
        row.map(|r| -> Result<StoredCode, tokio_postgres::Error> {
            Ok(StoredCode {
                record: r.try_get(0)?,
                claimed: r.try_get::<_, String>(1)? != "fresh",
            })
        })
        .transpose()
        .map_err(|e| self.conn.error(what, &e))
    }

    fn claim_code(&self, hash: &[u8], now: i64) -> Result<CodeClaim> {
        let what = "claiming an authorization code";
        let values = [V::B(hash.to_vec()), i(now)];
        let p = params(&values);
        // RETURNING sees the row as updated: 'claimed' only comes from 'fresh'.
        let row = self.conn.run(
            what,
            self.conn.client.query_typed_opt(
                "UPDATE jwtctl_codes \
                 SET state = CASE WHEN state = 'fresh' THEN 'claimed' ELSE 'replayed' END \
                 WHERE sha256 = $1 AND expires_at > $2 \
                 RETURNING state, CASE WHEN state = 'claimed' THEN record END, family_id",
                &p,
            ),
        )?;
        let Some(r) = row else {
            return Ok(CodeClaim::Missing);
        };
        let got = (|| -> Result<_, tokio_postgres::Error> {
            Ok((
                r.try_get::<_, String>(0)?,
                r.try_get::<_, Option<String>>(1)?,
                r.try_get::<_, Option<String>>(2)?,
            ))
        })()
        .map_err(|e| self.conn.error(what, &e))?;
        match got {
            (state, Some(record), _) if state == "claimed" => Ok(CodeClaim::Fresh(record)),
            (_, _, family) => Ok(CodeClaim::Used { family }),
        }
    }

    fn bind_code(&self, hash: &[u8], family: &str) -> Result<bool> {
        if !storable(family) {
            return Ok(false);
        }
        let what = "binding an authorization code to its session";
        let values = [V::B(hash.to_vec()), t(family)];
        let p = params(&values);
        let row = self.conn.run(
            what,
            self.conn.client.query_typed_opt(
                "UPDATE jwtctl_codes SET family_id = $2 WHERE sha256 = $1 RETURNING state",
                &p,
            ),
        )?;
        let state = row
            .map(|r| r.try_get::<_, String>(0))
            .transpose()
            .map_err(|e| self.conn.error(what, &e))?;
        Ok(state.as_deref() == Some("replayed"))
    }

    fn put_session_claims(
        &self,
        family: &str,
        claims: &str,
        keep_until: i64,
        now: i64,
    ) -> Result<()> {
        check_serve_record(&self.conn.shown, "a session's claims", claims)?;
        let what = "keeping a session's claims";
        let values = [t(family), t(claims), i(keep_until), i(now)];
        let p = params(&values);
        self.conn.run(
            what,
            self.conn.client.execute_typed(
                "WITH gone AS (DELETE FROM jwtctl_session_claims \
                 WHERE expires_at <= $4 AND family_id <> $1) \
                 INSERT INTO jwtctl_session_claims (family_id, claims, expires_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (family_id) \
                 DO UPDATE SET claims = excluded.claims, expires_at = excluded.expires_at",
                &p,
            ),
        )?;
        Ok(())
    }

    fn session_claims(&self, family: &str) -> Result<Option<String>> {
        if !storable(family) {
            return Ok(None);
        }
        let what = "reading a session's claims";
        let values = [t(family)];
        let p = params(&values);
        let row = self.conn.run(
            what,
            self.conn.client.query_typed_opt(
                "SELECT claims FROM jwtctl_session_claims WHERE family_id = $1",
                &p,
            ),
        )?;
        row.map(|r| r.try_get::<_, String>(0))
            .transpose()
            .map_err(|e| self.conn.error(what, &e))
    }
}
