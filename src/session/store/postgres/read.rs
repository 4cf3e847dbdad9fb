//! Row mapping, and the reads behind `jwtctl sessions`: one statement each, outside any
//! transaction (each statement sees one consistent snapshot), ordered as the SQLite store
//! orders them (text compares bytewise: the columns are `COLLATE "C"`).

use super::{PgStore, V, i, params, storable, t};
use crate::session::store::{Disabled, Event, Family, Filter, Listed, TokenRecord, TokenState};
use anyhow::Result;
use tokio_postgres::Row;

pub(super) const FAMILY_COLUMNS: &str = "id, sub, client_id, scope, iss, aud, access_ttl, refresh_ttl, \
    created_at, not_after, last_refresh_at, generation, current_jti, revoked_at, revoked_reason";
pub(super) const TOKEN_COLUMNS: &str = "jti, family_id, generation, parent_jti, sha256, issued_at, \
    expires_at, state, used_at, replaced_by, revoked_at";

/// `columns` qualified by the table alias `alias`.
pub(super) fn prefixed(alias: &str, columns: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn family_row(r: &Row) -> Result<Family, tokio_postgres::Error> {
    Ok(Family {
        id: r.try_get(0)?,
        sub: r.try_get(1)?,
        client_id: r.try_get(2)?,
        scope: r.try_get(3)?,
        iss: r.try_get(4)?,
        aud: r.try_get(5)?,
        access_ttl: r.try_get(6)?,
        refresh_ttl: r.try_get(7)?,
        created_at: r.try_get(8)?,
        not_after: r.try_get(9)?,
        last_refresh_at: r.try_get(10)?,
        generation: r.try_get(11)?,
        current_jti: r.try_get(12)?,
        revoked_at: r.try_get(13)?,
        revoked_reason: r.try_get(14)?,
    })
}

/// A token row; an unknown state reads as `revoked` (the schema's CHECK allows none).
pub(super) fn token_row(r: &Row) -> Result<TokenRecord, tokio_postgres::Error> {
    let state: String = r.try_get(7)?;
    Ok(TokenRecord {
        jti: r.try_get(0)?,
        family_id: r.try_get(1)?,
        generation: r.try_get(2)?,
        parent_jti: r.try_get(3)?,
        sha256: r.try_get(4)?,
        issued_at: r.try_get(5)?,
        expires_at: r.try_get(6)?,
        state: TokenState::from_name(&state).unwrap_or(TokenState::Revoked),
        used_at: r.try_get(8)?,
        replaced_by: r.try_get(9)?,
        revoked_at: r.try_get(10)?,
    })
}

impl PgStore {
    /// Runs one read statement.
    fn read_rows(&self, what: &'static str, sql: &str, values: &[V]) -> Result<Vec<Row>> {
        let p = params(values);
        self.conn.run(what, self.conn.client.query_typed(sql, &p))
    }

    fn filter_values(filter: &Filter) -> Option<[V; 2]> {
        let ok = filter.sub.as_deref().is_none_or(storable)
            && filter.family.as_deref().is_none_or(storable);
        ok.then(|| [V::T(filter.sub.clone()), V::T(filter.family.clone())])
    }

    pub(super) fn read_families(&self, filter: &Filter) -> Result<Vec<Listed>> {
        let Some(values) = Self::filter_values(filter) else {
            return Ok(Vec::new());
        };
        let what = "listing sessions";
        let sql = format!(
            "SELECT {}, t.expires_at, s.disabled_at, s.reason FROM jwtctl_families f \
             LEFT JOIN jwtctl_tokens t ON t.jti = f.current_jti \
             LEFT JOIN jwtctl_subjects s ON s.sub = f.sub \
             WHERE ($1::text IS NULL OR f.sub = $1) AND ($2::text IS NULL OR f.id = $2) \
             ORDER BY f.created_at, f.id",
            prefixed("f", FAMILY_COLUMNS)
        );
        let rows = self.read_rows(what, &sql, &values)?;
        rows.iter()
            .map(|r| {
                let disabled = r
                    .try_get::<_, Option<i64>>(16)?
                    .map(|at| -> Result<Disabled, tokio_postgres::Error> {
                        Ok(Disabled {
                            at,
                            reason: r.try_get(17)?,
                        })
                    })
                    .transpose()?;
                Ok(Listed {
                    family: family_row(r)?,
                    current_expires: r.try_get(15)?,
                    disabled,
                })
            })
            .collect::<Result<Vec<_>, tokio_postgres::Error>>()
            .map_err(|e| self.conn.error(what, &e))
    }

    pub(super) fn read_families_by_prefix(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<Family>> {
        if !storable(prefix) {
            return Ok(Vec::new());
        }
        let what = "finding the session";
        let sql = format!(
            "SELECT {FAMILY_COLUMNS} FROM jwtctl_families WHERE starts_with(id, $1) \
             ORDER BY id = $1 DESC, id LIMIT $2"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.read_rows(what, &sql, &[t(prefix), i(limit)])?;
        let found = rows
            .iter()
            .map(family_row)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.conn.error(what, &e))?;
        match found.first() {
            Some(exact) if exact.id == prefix => Ok(vec![exact.clone()]),
            _ => Ok(found),
        }
    }

    pub(super) fn read_chain(&self, family_id: &str) -> Result<Vec<TokenRecord>> {
        if !storable(family_id) {
            return Ok(Vec::new());
        }
        let what = "reading the chain";
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM jwtctl_tokens WHERE family_id = $1 \
             ORDER BY generation, issued_at, jti"
        );
        let rows = self.read_rows(what, &sql, &[t(family_id)])?;
        rows.iter()
            .map(token_row)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.conn.error(what, &e))
    }

    pub(super) fn read_disabled_subjects(&self) -> Result<Vec<(String, Disabled)>> {
        let what = "reading disabled subjects";
        let rows = self.read_rows(
            what,
            "SELECT sub, disabled_at, reason FROM jwtctl_subjects ORDER BY sub",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    Disabled {
                        at: r.try_get(1)?,
                        reason: r.try_get(2)?,
                    },
                ))
            })
            .collect::<Result<Vec<_>, tokio_postgres::Error>>()
            .map_err(|e| self.conn.error(what, &e))
    }

    pub(super) fn read_events(&self, filter: &Filter) -> Result<Vec<Event>> {
        let Some(values) = Self::filter_values(filter) else {
            return Ok(Vec::new());
        };
        let what = "reading the event log";
        let rows = self.read_rows(
            what,
            "SELECT id, at, kind, family_id, sub, jti, generation, detail FROM jwtctl_events \
             WHERE ($1::text IS NULL OR sub = $1) AND ($2::text IS NULL OR family_id = $2) \
             ORDER BY id",
            &values,
        )?;
        rows.iter()
            .map(|r| {
                Ok(Event {
                    id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    kind: r.try_get(2)?,
                    family_id: r.try_get(3)?,
                    sub: r.try_get(4)?,
                    jti: r.try_get(5)?,
                    generation: r.try_get(6)?,
                    detail: r.try_get(7)?,
                })
            })
            .collect::<Result<Vec<_>, tokio_postgres::Error>>()
            .map_err(|e| self.conn.error(what, &e))
    }
}
