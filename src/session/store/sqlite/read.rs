//! The store's reads: row mapping, and the queries behind `jwtctl sessions` (plain reads on a
//! read-only connection, each through [`SqliteStore::read`]; no transaction needed, WAL or an
//! immutable snapshot gives each a consistent view).

use super::SqliteStore;
use crate::session::store::{Disabled, Event, Family, Filter, Listed, TokenRecord, TokenState};
use anyhow::Result;
use rusqlite::{Row, params};

pub(super) const FAMILY_COLUMNS: &str = "id, sub, client_id, scope, iss, aud, access_ttl, refresh_ttl, \
    created_at, not_after, last_refresh_at, generation, current_jti, revoked_at, revoked_reason";
/// [`FAMILY_COLUMNS`] of the table aliased `f`.
const FAMILY_COLUMNS_F: &str = "f.id, f.sub, f.client_id, f.scope, f.iss, f.aud, f.access_ttl, \
    f.refresh_ttl, f.created_at, f.not_after, f.last_refresh_at, f.generation, f.current_jti, \
    f.revoked_at, f.revoked_reason";
pub(super) const TOKEN_COLUMNS: &str = "jti, family_id, generation, parent_jti, sha256, issued_at, \
    expires_at, state, used_at, replaced_by, revoked_at";

pub(super) fn family_row(r: &Row<'_>) -> rusqlite::Result<Family> {
    Ok(Family {
        id: r.get(0)?,
        sub: r.get(1)?,
        client_id: r.get(2)?,
        scope: r.get(3)?,
        iss: r.get(4)?,
        aud: r.get(5)?,
        access_ttl: r.get(6)?,
        refresh_ttl: r.get(7)?,
        created_at: r.get(8)?,
        not_after: r.get(9)?,
        last_refresh_at: r.get(10)?,
        generation: r.get(11)?,
        current_jti: r.get(12)?,
        revoked_at: r.get(13)?,
        revoked_reason: r.get(14)?,
    })
}

pub(super) fn token_row(r: &Row<'_>) -> rusqlite::Result<TokenRecord> {
    let state: String = r.get(7)?;
    Ok(TokenRecord {
        jti: r.get(0)?,
        family_id: r.get(1)?,
        generation: r.get(2)?,
        parent_jti: r.get(3)?,
        sha256: r.get(4)?,
        issued_at: r.get(5)?,
        expires_at: r.get(6)?,
        state: TokenState::from_name(&state).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                7,
                rusqlite::types::Type::Text,
                format!("unknown token state {state:?}").into(),
            )
        })?,
        used_at: r.get(8)?,
        replaced_by: r.get(9)?,
        revoked_at: r.get(10)?,
    })
}

impl SqliteStore {
    pub(super) fn read_families(&self, filter: &Filter) -> Result<Vec<Listed>> {
        // Only the filters given are in the SQL, bound to ?1 (and ?2). `?1 IS NULL OR f.sub =
        // ?1` would make SQLite (built with STAT4) prepare the statement again on every run,
        // and `?2 IS NULL OR f.id = ?2` would scan every family: introspection asks this for
        // one family on every request (bench/README.md, serve).
        let (filter_sql, values): (&str, Vec<&str>) = match (&filter.sub, &filter.family) {
            (Some(s), Some(f)) => ("f.sub = ?1 AND f.id = ?2", vec![s, f]),
            (Some(s), None) => ("f.sub = ?1", vec![s]),
            (None, Some(f)) => ("f.id = ?1", vec![f]),
            (None, None) => ("1", vec![]),
        };
        let sql = format!(
            "SELECT {FAMILY_COLUMNS_F}, t.expires_at, s.disabled_at, s.reason FROM families f \
             LEFT JOIN refresh_tokens t ON t.jti = f.current_jti \
             LEFT JOIN subjects s ON s.sub = f.sub \
             WHERE {filter_sql} ORDER BY f.created_at, f.id"
        );
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(&values), |r| {
                let disabled = r.get::<_, Option<i64>>(16)?.map(|at| Disabled {
                    at,
                    reason: r.get(17).ok().flatten(),
                });
                Ok(Listed {
                    family: family_row(r)?,
                    current_expires: r.get(15)?,
                    disabled,
                })
            })?;
            rows.collect()
        })
    }

    pub(super) fn read_families_by_prefix(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<Family>> {
        let sql = format!(
            "SELECT {FAMILY_COLUMNS} FROM families WHERE substr(id, 1, length(?1)) = ?1 \
             ORDER BY id = ?1 DESC, id LIMIT ?2"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let found = self.read(|conn| {
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(params![prefix, limit], family_row)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })?;
        match found.first() {
            Some(exact) if exact.id == prefix => Ok(vec![exact.clone()]),
            _ => Ok(found),
        }
    }

    pub(super) fn read_chain(&self, family_id: &str) -> Result<Vec<TokenRecord>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM refresh_tokens WHERE family_id = ?1 \
             ORDER BY generation, issued_at, jti"
        );
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([family_id], token_row)?;
            rows.collect()
        })
    }

    pub(super) fn read_events(&self, filter: &Filter) -> Result<Vec<Event>> {
        // Only the filters given are bound (see `read_families`).
        let (filter_sql, values): (&str, Vec<&str>) = match (&filter.sub, &filter.family) {
            (Some(s), Some(f)) => ("sub = ?1 AND family_id = ?2", vec![s, f]),
            (Some(s), None) => ("sub = ?1", vec![s]),
            (None, Some(f)) => ("family_id = ?1", vec![f]),
            (None, None) => ("1", vec![]),
        };
        let sql = format!(
            "SELECT id, at, kind, family_id, sub, jti, generation, detail FROM events \
             WHERE {filter_sql} ORDER BY id"
        );
        self.read(|conn| {
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(&values), |r| {
                Ok(Event {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    kind: r.get(2)?,
                    family_id: r.get(3)?,
                    sub: r.get(4)?,
                    jti: r.get(5)?,
                    generation: r.get(6)?,
                    detail: r.get(7)?,
                })
            })?;
            rows.collect()
        })
    }

    pub(super) fn read_disabled_subjects(&self) -> Result<Vec<(String, Disabled)>> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare("SELECT sub, disabled_at, reason FROM subjects ORDER BY sub")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    Disabled {
                        at: r.get(1)?,
                        reason: r.get(2)?,
                    },
                ))
            })?;
            rows.collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aliased_family_columns_are_the_family_columns() {
        let aliased: Vec<String> = FAMILY_COLUMNS
            .split(',')
            .map(|c| format!("f.{}", c.trim()))
            .collect();
        let written: Vec<&str> = FAMILY_COLUMNS_F.split(',').map(str::trim).collect();
        assert_eq!(aliased, written);
    }
}
