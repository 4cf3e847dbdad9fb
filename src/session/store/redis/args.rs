//! The arguments jwtctl's scripts take: records as hash fields, optional values, and what an
//! undo puts back.

use crate::session::store::{Family, TokenRecord};

/// Lowercase hex.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// An optional script argument: `!` for absent, `=VALUE` for a value.
pub(super) fn opt(v: Option<&str>) -> String {
    match v {
        None => "!".into(),
        Some(s) => format!("={s}"),
    }
}

pub(super) fn opt_int(v: Option<i64>) -> String {
    opt(v.map(|n| n.to_string()).as_deref())
}

/// A family as hash fields (absent fields are NULL).
pub(super) fn family_fields(f: &Family) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("id", f.id.clone()),
        ("sub", f.sub.clone()),
        ("client_id", f.client_id.clone()),
        ("iss", f.iss.clone()),
        ("aud", f.aud.clone()),
        ("access_ttl", f.access_ttl.to_string()),
        ("refresh_ttl", f.refresh_ttl.to_string()),
        ("created_at", f.created_at.to_string()),
        ("not_after", f.not_after.to_string()),
        ("generation", f.generation.to_string()),
        ("current_jti", f.current_jti.clone()),
    ];
    let optional = [
        ("scope", f.scope.clone()),
        ("last_refresh_at", f.last_refresh_at.map(|n| n.to_string())),
        ("revoked_at", f.revoked_at.map(|n| n.to_string())),
        ("revoked_reason", f.revoked_reason.clone()),
    ];
    v.extend(optional.into_iter().filter_map(|(k, x)| x.map(|x| (k, x))));
    v
}

/// A token record as hash fields.
pub(super) fn token_fields(t: &TokenRecord) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("jti", t.jti.clone()),
        ("family_id", t.family_id.clone()),
        ("generation", t.generation.to_string()),
        ("sha256", hex(&t.sha256)),
        ("issued_at", t.issued_at.to_string()),
        ("expires_at", t.expires_at.to_string()),
        ("state", t.state.name().to_owned()),
    ];
    let optional = [
        ("parent_jti", t.parent_jti.clone()),
        ("used_at", t.used_at.map(|n| n.to_string())),
        ("replaced_by", t.replaced_by.clone()),
        ("revoked_at", t.revoked_at.map(|n| n.to_string())),
    ];
    v.extend(optional.into_iter().filter_map(|(k, x)| x.map(|x| (k, x))));
    v
}

/// Script arguments, built up in order.
#[derive(Default)]
pub(super) struct Args(pub(super) Vec<Vec<u8>>);

impl Args {
    pub(super) fn push(&mut self, v: impl Into<Vec<u8>>) -> &mut Self {
        self.0.push(v.into());
        self
    }

    pub(super) fn pairs(&mut self, fields: &[(&'static str, String)]) -> &mut Self {
        self.push(fields.len().to_string());
        for (k, v) in fields {
            self.push(*k).push(v.as_str());
        }
        self
    }
}

/// What an applied write changed, so that it can be put back.
#[derive(Default)]
pub(super) struct Undo {
    pub(super) checks: Vec<(String, &'static str, String)>,
    pub(super) hset: Vec<(String, &'static str, String)>,
    pub(super) hdel: Vec<(String, &'static str)>,
    pub(super) del: Vec<String>,
    pub(super) zrem: Vec<(String, String)>,
    pub(super) streams: Vec<String>,
    pub(super) ids: Vec<String>,
}

impl Undo {
    pub(super) fn check(&mut self, key: &str, field: &'static str, v: Option<&str>) {
        self.checks.push((key.to_owned(), field, opt(v)));
    }

    /// Restores `field` of `key` to `v` (absent: removed).
    pub(super) fn restore(&mut self, key: &str, field: &'static str, v: Option<String>) {
        match v {
            Some(v) => self.hset.push((key.to_owned(), field, v)),
            None => self.hdel.push((key.to_owned(), field)),
        }
    }

    pub(super) fn args(&self) -> Args {
        let mut a = Args::default();
        a.push(self.checks.len().to_string());
        for (k, f, v) in &self.checks {
            a.push(k.as_str()).push(*f).push(v.as_str());
        }
        a.push(self.hset.len().to_string());
        for (k, f, v) in &self.hset {
            a.push(k.as_str()).push(*f).push(v.as_str());
        }
        a.push(self.hdel.len().to_string());
        for (k, f) in &self.hdel {
            a.push(k.as_str()).push(*f);
        }
        a.push(self.del.len().to_string());
        for k in &self.del {
            a.push(k.as_str());
        }
        a.push(self.zrem.len().to_string());
        for (k, m) in &self.zrem {
            a.push(k.as_str()).push(m.as_str());
        }
        a.push(self.streams.len().to_string());
        for s in &self.streams {
            a.push(s.as_str());
        }
        a.push(self.ids.len().to_string());
        for s in &self.ids {
            a.push(s.as_str());
        }
        a
    }
}
