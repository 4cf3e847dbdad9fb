//! `serve`'s authorization codes and login-form claims on Redis: one script (`scripts/serve.lua`),
//! so a claim reads and marks a code with no other client in between, whichever process sends
//! it. Keys live as long as their record, counted on the server's clock (see the script).

use super::args::{Args, hex};
use super::conn::Value;
use super::{MAX_TTL, RedisStore, Script};
use crate::session::store::{CodeClaim, ServeRecords, StoredCode, check_serve_record};
use anyhow::Result;

static SERVE: Script = Script::new(
    concat!(
        "#!lua\n",
        include_str!("scripts/common.lua"),
        include_str!("scripts/serve.lua")
    ),
    true,
);
static SERVE_READ: Script = Script::new(
    concat!(
        "#!lua flags=no-writes\n",
        include_str!("scripts/common.lua"),
        include_str!("scripts/serve.lua")
    ),
    false,
);

/// Seconds a key kept until `keep_until` (jwtctl's clock, `now`) lives: at least one.
fn ttl(keep_until: i64, now: i64) -> String {
    keep_until.saturating_sub(now).clamp(1, MAX_TTL).to_string()
}

impl RedisStore {
    fn text_or_nil(&self, v: Option<&Value>) -> Result<Option<String>> {
        match v {
            None | Some(Value::Nil) => Ok(None),
            Some(v) => Ok(Some(self.at.text(v)?.to_owned())),
        }
    }
}

impl ServeRecords for RedisStore {
    fn put_code(&self, hash: &[u8], record: &str, keep_until: i64, now: i64) -> Result<()> {
        check_serve_record(&self.at.shown, "an authorization code", record)?;
        let mut a = Args::default();
        a.push("put_code")
            .push(hex(hash))
            .push(record)
            .push(keep_until.to_string())
            .push(ttl(keep_until, now));
        self.run(&SERVE, &a)?;
        Ok(())
    }

    fn code(&self, hash: &[u8], now: i64) -> Result<Option<StoredCode>> {
        let mut a = Args::default();
        a.push("code").push(hex(hash)).push(now.to_string());
        let reply = self.run(&SERVE_READ, &a)?;
        let parts = self.at.array(&reply, 0)?;
        let (Some(record), Some(state)) = (
            self.text_or_nil(parts.first())?,
            self.text_or_nil(parts.get(1))?,
        ) else {
            return Ok(None);
        };
        Ok(Some(StoredCode {
            record,
            claimed: state != "fresh",
        }))
    }

    fn claim_code(&self, hash: &[u8], now: i64) -> Result<CodeClaim> {
        let mut a = Args::default();
        a.push("claim_code").push(hex(hash)).push(now.to_string());
        let reply = self.run(&SERVE, &a)?;
        let parts = self.at.array(&reply, 1)?;
        match self.at.text(&parts[0])? {
            "missing" => Ok(CodeClaim::Missing),
            "fresh" => match self.text_or_nil(parts.get(1))? {
                Some(record) => Ok(CodeClaim::Fresh(record)),
                None => Err(self.io("a stored authorization code has no record")),
            },
            "used" => Ok(CodeClaim::Used {
                family: self.text_or_nil(parts.get(1))?,
            }),
            other => Err(self.io(format!("unexpected answer from a jwtctl script: {other}"))),
        }
    }

    fn bind_code(&self, hash: &[u8], family: &str) -> Result<bool> {
        let mut a = Args::default();
        a.push("bind_code").push(hex(hash)).push(family);
        Ok(self.at.int(&self.run(&SERVE, &a)?)? == 1)
    }

    fn put_session_claims(
        &self,
        family: &str,
        claims: &str,
        keep_until: i64,
        now: i64,
    ) -> Result<()> {
        check_serve_record(&self.at.shown, "a session's claims", claims)?;
        let mut a = Args::default();
        a.push("put_claims")
            .push(family)
            .push(claims)
            .push(ttl(keep_until, now));
        self.run(&SERVE, &a)?;
        Ok(())
    }

    fn session_claims(&self, family: &str) -> Result<Option<String>> {
        let mut a = Args::default();
        a.push("claims").push(family);
        let reply = self.run(&SERVE_READ, &a)?;
        self.text_or_nil(Some(&reply))
    }
}
