//! Reading the server's answers: replies into records, and client faults into
//! [`StoreError`]s that name the store and say what to check.

use super::SCHEMA_VERSION;
use super::args::unhex;
use super::conn::{Fault, Value};
use crate::session::store::{Disabled, Family, StoreError, TokenRecord, TokenState};
use anyhow::Result;
use std::collections::HashMap;
use std::time::Duration;

/// Which server, for messages.
pub(super) struct Where {
    /// The URL, password masked.
    pub(super) shown: String,
    /// `HOST:PORT`.
    pub(super) address: String,
    pub(super) timeout: Duration,
}

/// The hash fields of one record, from a flat field/value reply.
pub(super) struct Fields<'a> {
    map: HashMap<&'a [u8], &'a [u8]>,
    what: &'static str,
}

impl Where {
    pub(super) fn io(&self, detail: impl Into<String>) -> anyhow::Error {
        StoreError::Io {
            store: self.shown.clone(),
            detail: detail.into(),
        }
        .into()
    }

    /// A client fault as a [`StoreError`] naming the store; `writes`: the command may have
    /// changed the store.
    pub(super) fn error(&self, fault: Fault, writes: bool) -> anyhow::Error {
        let store = self.shown.clone();
        let addr = &self.address;
        let secs = self.timeout.as_secs_f64();
        let unreachable = |detail: String, hint: String| -> anyhow::Error {
            StoreError::Unreachable {
                store: store.clone(),
                detail,
                hint: Some(hint),
            }
            .into()
        };
        match fault {
            Fault::Connect(e) => {
                let detail = if e.kind() == std::io::ErrorKind::TimedOut {
                    format!("cannot connect to {addr}: no answer within {secs}s")
                } else {
                    format!("cannot connect to {addr}: {e}")
                };
                unreachable(
                    detail,
                    format!("is redis-server running at {addr}? (--store-timeout bounds the wait)"),
                )
            }
            Fault::Tls {
                detail,
                certificate: true,
            } => unreachable(
                format!("TLS with {addr} failed: {detail}"),
                "add the CA that signed the server's certificate with --store-ca FILE".into(),
            ),
            Fault::Tls { detail, .. } => unreachable(
                format!("TLS with {addr} failed: {detail}"),
                format!("is {addr} a TLS port? rediss:// is Redis over TLS, redis:// without"),
            ),
            Fault::Auth(e) if e.starts_with("NOAUTH") => unreachable(
                format!("the server wants a password: {e}"),
                "give it with --store-password-file, or in JWTCTL_STORE's URL".into(),
            ),
            Fault::Auth(e) => unreachable(
                format!("the server refused the login: {e}"),
                "check the password file (--store-password-file) or the user and password in \
                 JWTCTL_STORE"
                    .into(),
            ),
            Fault::Lost(e) => {
                let what = if e.kind() == std::io::ErrorKind::TimedOut {
                    format!("no answer from {addr} within {secs}s (--store-timeout)")
                } else {
                    format!("lost the connection to {addr} ({e})")
                };
                if writes {
                    unreachable(
                        format!("{what}; the change may or may not have been made"),
                        "`jwtctl sessions --events` shows what was recorded; a refresh whose \
                         answer was lost can be retried with --grace"
                            .into(),
                    )
                } else {
                    unreachable(
                        what,
                        format!("is redis-server at {addr} overloaded or stopped?"),
                    )
                }
            }
            Fault::Server(e) => {
                if let Some(v) = e.strip_prefix("JWTCTL_SCHEMA ") {
                    let found = v
                        .split_whitespace()
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(i64::MAX);
                    return StoreError::NewerFormat {
                        store,
                        found,
                        known: SCHEMA_VERSION,
                    }
                    .into();
                }
                if e.starts_with("NOAUTH") || e.starts_with("WRONGPASS") {
                    return self.error(Fault::Auth(e), writes);
                }
                self.io(format!("the server answered: {e}"))
            }
            Fault::Protocol(e) => self.io(format!("unexpected answer from {addr}: {e}")),
            Fault::Ca(e) => e,
        }
    }

    pub(super) fn array<'v>(&self, v: &'v Value, at_least: usize) -> Result<&'v [Value]> {
        match v {
            Value::Array(items) if items.len() >= at_least => Ok(items),
            Value::Nil if at_least == 0 => Ok(&[]),
            other => Err(self.io(format!("unexpected answer from a jwtctl script: {other:?}"))),
        }
    }

    pub(super) fn text<'v>(&self, v: &'v Value) -> Result<&'v str> {
        match v {
            Value::Data(d) => {
                std::str::from_utf8(d).map_err(|_| self.io("a stored value is not UTF-8 text"))
            }
            Value::Status(s) => Ok(s),
            other => Err(self.io(format!("expected text from the server, got {other:?}"))),
        }
    }

    pub(super) fn int(&self, v: &Value) -> Result<i64> {
        match v {
            Value::Int(n) => Ok(*n),
            other => self
                .text(other)?
                .parse()
                .map_err(|_| self.io(format!("expected a number from the server, got {other:?}"))),
        }
    }

    /// A flat field/value array as [`Fields`]; `None` for an empty one (no such key).
    pub(super) fn flat<'v>(&self, v: &'v Value, what: &'static str) -> Result<Option<Fields<'v>>> {
        let items = self.array(v, 0)?;
        if items.is_empty() {
            return Ok(None);
        }
        if !items.len().is_multiple_of(2) {
            return Err(self.io(format!("a stored {what} record is malformed")));
        }
        let mut map = HashMap::new();
        for pair in items.chunks(2) {
            match (&pair[0], &pair[1]) {
                (Value::Data(k), Value::Data(v)) => {
                    map.insert(k.as_slice(), v.as_slice());
                }
                _ => return Err(self.io(format!("a stored {what} record is malformed"))),
            }
        }
        Ok(Some(Fields { map, what }))
    }

    pub(super) fn field_text(&self, f: &Fields<'_>, name: &str) -> Result<Option<String>> {
        f.map
            .get(name.as_bytes())
            .map(|v| {
                String::from_utf8(v.to_vec()).map_err(|_| {
                    self.io(format!(
                        "field {name} of a stored {} record is not UTF-8",
                        f.what
                    ))
                })
            })
            .transpose()
    }

    pub(super) fn field_int(&self, f: &Fields<'_>, name: &str) -> Result<Option<i64>> {
        self.field_text(f, name)?
            .map(|s| {
                s.parse().map_err(|_| {
                    self.io(format!(
                        "field {name} of a stored {} record is not a number: {s:?}",
                        f.what
                    ))
                })
            })
            .transpose()
    }

    pub(super) fn need<T>(&self, f: &Fields<'_>, name: &str, v: Option<T>) -> Result<T> {
        v.ok_or_else(|| self.io(format!("a stored {} record has no field {name}", f.what)))
    }

    pub(super) fn family(&self, f: &Fields<'_>) -> Result<Family> {
        let text = |n: &str| -> Result<String> { self.need(f, n, self.field_text(f, n)?) };
        let int = |n: &str| -> Result<i64> { self.need(f, n, self.field_int(f, n)?) };
        Ok(Family {
            id: text("id")?,
            sub: text("sub")?,
            client_id: text("client_id")?,
            scope: self.field_text(f, "scope")?,
            iss: text("iss")?,
            aud: text("aud")?,
            access_ttl: int("access_ttl")?,
            refresh_ttl: int("refresh_ttl")?,
            created_at: int("created_at")?,
            not_after: int("not_after")?,
            last_refresh_at: self.field_int(f, "last_refresh_at")?,
            generation: int("generation")?,
            current_jti: text("current_jti")?,
            revoked_at: self.field_int(f, "revoked_at")?,
            revoked_reason: self.field_text(f, "revoked_reason")?,
        })
    }

    pub(super) fn token(&self, f: &Fields<'_>) -> Result<TokenRecord> {
        let text = |n: &str| -> Result<String> { self.need(f, n, self.field_text(f, n)?) };
        let int = |n: &str| -> Result<i64> { self.need(f, n, self.field_int(f, n)?) };
        let state = text("state")?;
        let sha = text("sha256")?;
        Ok(TokenRecord {
            jti: text("jti")?,
            family_id: text("family_id")?,
            generation: int("generation")?,
            parent_jti: self.field_text(f, "parent_jti")?,
            sha256: unhex(&sha)
                .ok_or_else(|| self.io("field sha256 of a stored token record is not hex"))?,
            issued_at: int("issued_at")?,
            expires_at: int("expires_at")?,
            state: TokenState::from_name(&state)
                .ok_or_else(|| self.io(format!("unknown token state {state:?} in the store")))?,
            used_at: self.field_int(f, "used_at")?,
            replaced_by: self.field_text(f, "replaced_by")?,
            revoked_at: self.field_int(f, "revoked_at")?,
        })
    }

    pub(super) fn disabled(&self, f: &Fields<'_>) -> Result<Disabled> {
        Ok(Disabled {
            at: self.need(f, "at", self.field_int(f, "at")?)?,
            reason: self.field_text(f, "reason")?,
        })
    }

    /// The stream ids, event ids and revoked jtis an applied write reports.
    pub(super) fn done(&self, parts: &[Value]) -> Result<(Vec<String>, Vec<String>, Vec<String>)> {
        let list = |v: &Value| -> Result<Vec<String>> {
            self.array(v, 0)?
                .iter()
                .map(|x| match x {
                    Value::Int(n) => Ok(n.to_string()),
                    other => self.text(other).map(str::to_owned),
                })
                .collect()
        };
        let get = |i: usize| parts.get(i).map_or(Ok(Vec::new()), list);
        Ok((get(0)?, get(1)?, get(2)?))
    }

    pub(super) fn need_record<'v>(&self, f: Option<Fields<'v>>) -> Result<Fields<'v>> {
        f.ok_or_else(|| self.io("a family record vanished while it was read"))
    }
}
