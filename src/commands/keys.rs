//! `jwtctl keys list | retire KID | activate KID | push`: the keyring's keys and their rotation
//! (in the home, or in the store with `--keyring-in-store`), and the home's keyring copied into
//! the store. A KID argument may be any unique start of a kid; one that several kids start with
//! is a usage error (2) listing them, as `sessions ID` does for family ids.

use crate::Ctx;
use crate::cli::{KeysArgs, KeysCommand};
use crate::commands::keyring_place;
use crate::edge::exit::{Exit, fail_hint};
use crate::edge::output::{render_table, table_cell as cell};
use crate::keys::keyring::{KeyInfo, Keyring};
use crate::time;
use anyhow::Result;
use serde_json::json;

pub fn run(args: &KeysArgs, ctx: &Ctx) -> Result<Exit> {
    if let KeysCommand::Push { force } = &args.command {
        return keyring_place::push(ctx, *force);
    }
    let ring = keyring_place::keyring(ctx)?;
    if let KeysCommand::List { json } = &args.command {
        let keys = ring.list();
        if keys.is_empty() {
            ctx.out
                .note("note", &format!("the keyring {} is empty", ring.name()));
        }
        if *json {
            for info in &keys {
                ctx.out.data(&info_json(info))?;
            }
        } else if !keys.is_empty() {
            ctx.out.data(&table(&keys))?;
        }
        return Ok(Exit::Success);
    }
    non_empty(&ring)?;
    match &args.command {
        KeysCommand::Retire { kid } => {
            match keyring_place::update(ctx, |ring| ring.retire(kid, ctx.now), |_| Ok(()))?.value {
                (kid, true) => ctx.out.info(&format!(
                    "retired {kid}: it no longer signs or verifies; `jwtctl jwks` no longer \
                     lists it"
                )),
                (kid, false) => ctx.out.note("note", &format!("{kid} was already retired")),
            }
        }
        KeysCommand::Activate { kid } => {
            let kid = keyring_place::update(ctx, |ring| ring.activate(kid), |_| Ok(()))?.value;
            ctx.out
                .info(&format!("{kid} is now the active key: it signs new tokens"));
        }
        KeysCommand::List { .. } | KeysCommand::Push { .. } => {}
    }
    Ok(Exit::Success)
}

fn non_empty(ring: &Keyring) -> Result<()> {
    if ring.is_empty() {
        return Err(fail_hint(
            Exit::Key,
            format!("the keyring {} is empty", ring.name()),
            "create a key with `jwtctl keygen --es256`",
        ));
    }
    Ok(())
}

/// One key for `keys list --json`: `{"kid","alg","created","active","retired"}`, times as
/// RFC 3339 (metadata times are RFC 3339 everywhere; claims stay NumericDate).
#[allow(clippy::cast_precision_loss)] // Unix seconds are far below 2^53
fn info_json(k: &KeyInfo) -> String {
    json!({
        "kid": k.kid,
        "alg": k.alg,
        "created": time::rfc3339(k.created as f64),
        "active": k.active,
        "retired": k.retired.map(|t| time::rfc3339(t as f64)),
    })
    .to_string()
}

/// Widest cell the table shows; longer values end in `…` (`--json` shows them whole). A kid
/// prefix is accepted by retire and activate, so the shown start of a long kid still works.
/// `KID  ALG  CREATED  STATUS`, columns aligned; status is active, verifies or retired. Cells
/// are escaped (a kid written by hand may hold control characters) and cut short (`table_cell`).
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
                cell(&k.kid),
                cell(&k.alg),
                time::rfc3339(k.created as f64),
                status,
            ]
        })
        .collect();
    let header = ["KID", "ALG", "CREATED", "STATUS"].map(str::to_owned);
    let rows: Vec<Vec<String>> = std::iter::once(header).chain(rows).map(Vec::from).collect();
    render_table(&rows)
}
