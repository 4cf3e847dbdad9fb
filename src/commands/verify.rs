//! `jwtctl verify`: checks a token against a key (or the keyring) and a policy; prints the claims
//! only when every check passed, else one line on stderr and the status of DECISIONS §1.

use crate::Ctx;
use crate::cli::VerifyArgs;
use crate::edge::exit::{self, Exit, fail};
use crate::edge::input;
use crate::token::{self, KeySet, Policy};
use anyhow::Result;
use serde_json::json;
use std::io::Write;

pub fn run(args: &VerifyArgs, ctx: &Ctx) -> Result<Exit> {
    // Keys and policy first: a bad configuration fails before any token is read (DECISIONS §2).
    let keys = key_set(args, ctx)?;
    let policy = policy(args, &keys)?;
    if args.batch {
        let now = ctx.now;
        let check = |t: &str, out: &mut Vec<u8>| {
            let t = input::clean_token(t);
            match token::verify(&t, &keys, &policy, now)
                .map_err(|r| input::explain(r, &t, None, "verify"))
            {
                Ok(v) => {
                    out.extend_from_slice(b"\"valid\":true,\"code\":0,\"claims\":");
                    let _ = serde_json::to_writer(&mut *out, &v.claims);
                    Exit::Success
                }
                Err(r) => {
                    let status = Exit::from(r.reason);
                    let _ = write!(
                        out,
                        "\"valid\":false,\"code\":{},\"reason\":",
                        status.code()
                    );
                    let _ = serde_json::to_writer(&mut *out, &r.message);
                    status
                }
            }
        };
        return super::batch::run(&args.files, ctx, &check);
    }
    let raw = input::token(args.token.as_deref(), &ctx.stdin, "verify")?;

    match token::verify(&raw, &keys, &policy, ctx.now)
        .map_err(|r| input::explain(r, &raw, args.token.as_deref(), "verify"))
    {
        Ok(v) => {
            if args.json {
                let doc = json!({"valid": true, "header": v.header, "claims": v.claims});
                ctx.out.data(&doc.to_string())?;
            } else if !ctx.out.quiet() {
                let pretty = serde_json::to_string_pretty(&v.claims)?;
                ctx.out.data(&pretty)?;
            }
            Ok(Exit::Success)
        }
        Err(r) => {
            let status = Exit::from(r.reason);
            ctx.out
                .error(exit::label(status), &r.message, r.hint.as_deref());
            if args.json {
                let doc = json!({"valid": false, "code": status.code(), "reason": r.message});
                ctx.out.data(&doc.to_string())?;
            }
            Ok(status)
        }
    }
}

fn key_set(args: &VerifyArgs, ctx: &Ctx) -> Result<KeySet> {
    let Some(loaded) = input::keys(&args.source, &ctx.stdin)? else {
        return super::flow::key_set(&super::keyring_place::keyring(ctx)?);
    };
    let keys = loaded
        .keys
        .iter()
        .map(crate::token::verify::verify_key)
        .collect::<Result<Vec<_>>>()?;
    if loaded.is_set {
        return Ok(KeySet {
            keys,
            by_kid: true,
            default: None,
            unusable: loaded
                .skipped
                .into_iter()
                .filter_map(|s| s.kid.map(|kid| (kid, s.reason)))
                .collect(),
        });
    }
    Ok(KeySet::single(
        keys.into_iter()
            .next()
            .ok_or_else(|| fail(Exit::Key, "no key"))?,
    ))
}

fn policy(args: &VerifyArgs, keys: &KeySet) -> Result<Policy> {
    let servable = keys.algorithms();
    for alg in &args.alg {
        if !servable.contains(alg) {
            let can: Vec<&str> = servable.iter().map(|a| a.name()).collect();
            return Err(fail(
                Exit::Key,
                format!(
                    "--alg {alg}: the key cannot serve it (it can serve: {})",
                    can.join(", ")
                ),
            ));
        }
    }
    Ok(Policy {
        algorithms: if args.alg.is_empty() {
            servable
        } else {
            args.alg.clone()
        },
        leeway: args.leeway,
        issuers: args.iss.clone(),
        audiences: args.aud.clone(),
        subject: args.sub.clone(),
        typ: args.typ.clone(),
        required: args.require.clone(),
    })
}
