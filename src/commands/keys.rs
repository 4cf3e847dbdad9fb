//! `jwtctl keys list | retire KID | activate KID`: the keyring's keys and their rotation.

use crate::Ctx;
use crate::cli::{KeysArgs, KeysCommand};
use crate::edge::exit::{Exit, fail_hint};
use crate::edge::output::escape_field;
use crate::keys::keyring::{KeyInfo, Keyring};
use crate::time;
use anyhow::Result;

pub fn run(args: &KeysArgs, ctx: &Ctx) -> Result<Exit> {
    let home = ctx.home()?;
    let ring = Keyring::open(&home)?;
    match &args.command {
        KeysCommand::List { json } => {
            let keys = ring.list();
            if keys.is_empty() {
                ctx.out.note("note", "the keyring is empty");
            }
            if *json {
                for info in &keys {
                    ctx.out.data(&serde_json::to_string(info)?)?;
                }
            } else if !keys.is_empty() {
                ctx.out.data(&table(&keys))?;
            }
        }
        KeysCommand::Retire { kid } => {
            non_empty(&ring)?;
            if Keyring::retire(&home, kid, ctx.now)? {
                ctx.out.info(&format!(
                    "retired {kid}: it no longer signs or verifies; `jwtctl jwks` no longer lists it"
                ));
            } else {
                ctx.out.note("note", &format!("{kid} was already retired"));
            }
        }
        KeysCommand::Activate { kid } => {
            non_empty(&ring)?;
            Keyring::activate(&home, kid)?;
            ctx.out
                .info(&format!("{kid} is now the active key: it signs new tokens"));
        }
    }
    Ok(Exit::Success)
}

fn non_empty(ring: &Keyring) -> Result<()> {
    if ring.is_empty() {
        return Err(fail_hint(
            Exit::Key,
            format!("the keyring {} is empty", ring.path().display()),
            "create a key with `jwtctl keygen --es256`",
        ));
    }
    Ok(())
}

/// `KID  ALG  CREATED  STATUS`, columns aligned; status is active, verifies or retired.
fn table(keys: &[KeyInfo]) -> String {
    #[allow(clippy::cast_precision_loss)] // Unix seconds are far below 2^53
    let rows: Vec<[String; 4]> = keys
        .iter()
        .map(|k| {
            let status = match (k.active, k.retired) {
                (_, Some(t)) => format!("retired {}", time::rfc3339(t as f64)),
                (true, None) => "active".to_owned(),
                (false, None) => "verifies".to_owned(),
            };
            [
                escape_field(&k.kid),
                k.alg.clone(),
                time::rfc3339(k.created as f64),
                status,
            ]
        })
        .collect();
    let header = ["KID", "ALG", "CREATED", "STATUS"].map(str::to_owned);
    let widths: Vec<usize> = (0..4)
        .map(|c| {
            rows.iter()
                .chain([&header])
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    std::iter::once(&header)
        .chain(&rows)
        .map(|r| {
            let cells: Vec<String> = (0..4)
                .map(|c| format!("{:<w$}", r[c], w = widths[c]))
                .collect();
            cells.join("  ").trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
