//! `jwtctl sessions`: the store read back. Sessions as a table or JSON lines, one session's
//! refresh-token chain, or the event log as JSON lines. Opens the store read-only and never
//! creates or changes a file. Tables print any stored value: escaped, and shortened to
//! [`MAX_CELL`] characters; `--json` gives every value whole.

use super::flow;
use crate::Ctx;
use crate::cli::SessionsArgs;
use crate::edge::exit::Exit;
use crate::edge::output::{render_table as render, table_cell as cell};
use crate::session::family_state;
use crate::session::store::schema::Mode;
use crate::session::store::{Event, Family, Filter, Listed, TokenRecord};
use anyhow::Result;
use serde::Serialize;

pub fn run(args: &SessionsArgs, ctx: &Ctx) -> Result<Exit> {
    let Some(store) = flow::open_store(ctx, Mode::ReadOnly)? else {
        ctx.out.info(&format!(
            "no refresh store in {} yet: `jwtctl login` creates it",
            ctx.home()?.display()
        ));
        return Ok(Exit::Success);
    };
    let mut filter = Filter {
        family: None,
        sub: args.sub.clone(),
    };
    let family = match &args.family {
        Some(id) => Some(flow::find_family(store.as_ref(), id)?),
        None => None,
    };
    filter.family = family.as_ref().map(|f| f.id.clone());
    if args.events {
        for e in store.events(&filter)? {
            ctx.out.data(&event_json(&e)?)?;
        }
        return Ok(Exit::Success);
    }
    let rows = store.families(&filter)?;
    if family.is_some() {
        for row in &rows {
            let f = &row.family;
            let (state, reason) = state_of(row, ctx.now);
            let chain = store.chain(&f.id)?;
            if args.json {
                for t in &chain {
                    ctx.out.data(&token_json(t)?)?;
                }
            } else {
                print_chain(ctx, f, state, reason.as_deref(), &chain)?;
            }
        }
        return Ok(Exit::Success);
    }
    let mut table = vec![
        [
            "FAMILY",
            "SUB",
            "CLIENT",
            "CREATED",
            "LAST REFRESH",
            "GEN",
            "STATE",
            "REASON",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for row in &rows {
        let f = &row.family;
        let (state, reason) = state_of(row, ctx.now);
        if args.json {
            ctx.out.data(&family_json(f, state, reason.as_deref())?)?;
            continue;
        }
        table.push(vec![
            cell(&f.id),
            cell(&f.sub),
            cell(&f.client_id),
            at(f.created_at),
            f.last_refresh_at.map_or_else(|| "-".into(), at),
            f.generation.to_string(),
            state.into(),
            cell(&reason.unwrap_or_else(|| "-".into())),
        ]);
    }
    if !args.json && rows.is_empty() {
        ctx.out.info("no sessions");
    } else if !args.json {
        ctx.out.data(&render(&table))?;
    }
    Ok(Exit::Success)
}

fn state_of(row: &Listed, now: i64) -> (&'static str, Option<String>) {
    family_state(&row.family, row.current_expires, row.disabled.as_ref(), now)
}

#[allow(clippy::cast_precision_loss)]
fn at(t: i64) -> String {
    crate::time::rfc3339(t as f64)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `sessions --json`: one session. Field names are an API.
#[derive(Serialize)]
struct FamilyJson<'a> {
    family: &'a str,
    sub: &'a str,
    client_id: &'a str,
    scope: Option<&'a str>,
    created: String,
    last_refresh: Option<String>,
    not_after: String,
    generation: i64,
    state: &'a str,
    reason: Option<&'a str>,
}

fn family_json(f: &Family, state: &str, reason: Option<&str>) -> Result<String> {
    Ok(serde_json::to_string(&FamilyJson {
        family: &f.id,
        sub: &f.sub,
        client_id: &f.client_id,
        scope: f.scope.as_deref(),
        created: at(f.created_at),
        last_refresh: f.last_refresh_at.map(at),
        not_after: at(f.not_after),
        generation: f.generation,
        state,
        reason,
    })?)
}

/// `sessions FAMILY --json`: one refresh token of the chain.
#[derive(Serialize)]
struct TokenJson<'a> {
    family: &'a str,
    generation: i64,
    jti: &'a str,
    sha256: String,
    parent: Option<&'a str>,
    issued: String,
    expires: String,
    state: &'a str,
    used: Option<String>,
    replaced_by: Option<&'a str>,
    revoked: Option<String>,
}

fn token_json(t: &TokenRecord) -> Result<String> {
    Ok(serde_json::to_string(&TokenJson {
        family: &t.family_id,
        generation: t.generation,
        jti: &t.jti,
        sha256: hex(&t.sha256),
        parent: t.parent_jti.as_deref(),
        issued: at(t.issued_at),
        expires: at(t.expires_at),
        state: t.state.name(),
        used: t.used_at.map(at),
        replaced_by: t.replaced_by.as_deref(),
        revoked: t.revoked_at.map(at),
    })?)
}

/// `sessions --events`: one event.
#[derive(Serialize)]
struct EventJson<'a> {
    id: i64,
    at: String,
    kind: &'a str,
    family: Option<&'a str>,
    sub: Option<&'a str>,
    jti: Option<&'a str>,
    #[serde(rename = "gen")]
    generation: Option<i64>,
    detail: Option<&'a str>,
}

fn event_json(e: &Event) -> Result<String> {
    Ok(serde_json::to_string(&EventJson {
        id: e.id,
        at: at(e.at),
        kind: &e.kind,
        family: e.family_id.as_deref(),
        sub: e.sub.as_deref(),
        jti: e.jti.as_deref(),
        generation: e.generation,
        detail: e.detail.as_deref(),
    })?)
}

fn print_chain(
    ctx: &Ctx,
    f: &Family,
    state: &str,
    reason: Option<&str>,
    chain: &[TokenRecord],
) -> Result<()> {
    let reason = reason
        .map(|r| format!(" ({})", cell(r)))
        .unwrap_or_default();
    let scope = cell(f.scope.as_deref().unwrap_or("-"));
    ctx.out.data(&format!(
        "session {}  sub \"{}\"  client {}  scope {scope}\ncreated {}  not after {}  state {state}{reason}\n",
        cell(&f.id),
        cell(&f.sub),
        cell(&f.client_id),
        at(f.created_at),
        at(f.not_after)
    ))?;
    let mut table = vec![
        [
            "GEN",
            "JTI",
            "SHA256",
            "ISSUED",
            "STATE",
            "USED",
            "REPLACED BY",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for t in chain {
        table.push(vec![
            t.generation.to_string(),
            cell(&t.jti),
            hex(&t.sha256[..t.sha256.len().min(6)]),
            at(t.issued_at),
            t.state.name().into(),
            t.used_at.map_or_else(|| "-".into(), at),
            cell(t.replaced_by.as_deref().unwrap_or("-")),
        ]);
    }
    ctx.out.data(&render(&table))?;
    Ok(())
}
