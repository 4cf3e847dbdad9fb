//! `jwtctl decode`: header and claims of any token, with human times; verifies nothing and says so.

use crate::Ctx;
use crate::cli::DecodeArgs;
use crate::edge::exit::{self, Exit};
use crate::edge::input;
use crate::edge::output::escape_field;
use crate::{time, token};
use anyhow::Result;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};
use std::io::Write;

pub fn run(args: &DecodeArgs, ctx: &Ctx) -> Result<Exit> {
    if args.batch {
        let check = |t: &str, out: &mut Vec<u8>| {
            let t = input::clean_token(t);
            match token::decode_unverified(&t).map_err(|r| input::explain(r, &t, None, "decode")) {
                Ok(d) => {
                    out.extend_from_slice(b"\"header\":");
                    let _ = serde_json::to_writer(&mut *out, &d.header);
                    out.extend_from_slice(b",\"claims\":");
                    let _ = serde_json::to_writer(&mut *out, &d.claims);
                    let _ = write!(
                        out,
                        ",\"signature\":\"{}\"",
                        URL_SAFE_NO_PAD.encode(&d.signature)
                    );
                    Exit::Success
                }
                Err(r) => {
                    let status = Exit::from(r.reason);
                    let _ = write!(out, "\"code\":{},\"reason\":", status.code());
                    let _ = serde_json::to_writer(&mut *out, &r.message);
                    status
                }
            }
        };
        let status = super::batch::run(&args.files, ctx, &check)?;
        ctx.out.note(
            "note",
            "signatures NOT verified: decode shows claims, not truth; use `jwtctl verify --batch`",
        );
        return Ok(status);
    }
    let raw = input::token(args.token.as_deref(), &ctx.stdin, "decode")?;
    let decoded = match token::decode_unverified(&raw)
        .map_err(|r| input::explain(r, &raw, args.token.as_deref(), "decode"))
    {
        Ok(d) => d,
        Err(r) => {
            let status = Exit::from(r.reason);
            ctx.out
                .error(exit::label(status), &r.message, r.hint.as_deref());
            return Ok(status);
        }
    };
    if args.json {
        let doc = json!({
            "header": decoded.header,
            "claims": decoded.claims,
            "signature": URL_SAFE_NO_PAD.encode(&decoded.signature),
        });
        ctx.out.data(&doc.to_string())?;
    } else {
        ctx.out.text(&render(ctx, &decoded))?;
    }
    ctx.out.note("note", "signature NOT verified: this shows what the token claims, not that it is true; use `jwtctl verify`");
    Ok(Exit::Success)
}

fn render(ctx: &Ctx, d: &token::Decoded) -> String {
    let mut out = String::new();
    out.push_str(&ctx.out.heading("Header"));
    out.push('\n');
    fields(ctx, &mut out, &d.header, None);
    out.push_str(&ctx.out.heading("Claims"));
    out.push('\n');
    fields(ctx, &mut out, &d.claims, Some(ctx.now));
    let sig = if d.signature_truncated {
        "invalid length (truncated or extended)".to_owned()
    } else if d.signature.is_empty() {
        "none (empty)".to_owned()
    } else {
        format!("{} bytes, not verified", d.signature.len())
    };
    out.push_str(&format!("{} {sig}", ctx.out.heading("Signature")));
    out
}

/// One line per member: the name and the JSON value, both chosen by whoever made the token, so
/// both escaped ([`escape_field`]) before our colour codes go around them.
fn fields(ctx: &Ctx, out: &mut String, map: &Map<String, Value>, now: Option<i64>) {
    let names: Vec<String> = map.keys().map(|k| escape_field(k)).collect();
    let width = names.iter().map(|k| k.chars().count()).max().unwrap_or(0);
    for ((k, v), name) in map.iter().zip(&names) {
        let pad = " ".repeat(width - name.chars().count());
        let value = escape_field(&v.to_string());
        out.push_str(&format!("  {}{pad}  {value}", ctx.out.field(name)));
        if let (Some(now), Some(t)) = (now, v.as_f64())
            && let Some(note) = time_note(k, t, now)
        {
            out.push_str(&format!("  {note}"));
        }
        out.push('\n');
    }
}

/// "2026-11-23T16:15:00Z (expires in 14m 58s)" for exp, nbf and iat.
fn time_note(name: &str, t: f64, now: i64) -> Option<String> {
    if !matches!(name, "exp" | "nbf" | "iat") || !(0.0..=time::MAX_NUMERIC_DATE as f64).contains(&t)
    {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let delta = t as i64 - now;
    let span = time::span(delta.unsigned_abs());
    let rel = match (name, delta > 0) {
        ("exp", true) => format!("expires in {span}"),
        ("exp", false) => format!("expired {span} ago"),
        ("nbf", true) => format!("valid in {span}"),
        ("nbf", false) => format!("valid since {span} ago"),
        (_, true) => format!("issued {span} in the future"),
        (_, false) => format!("issued {span} ago"),
    };
    Some(format!("{} ({rel})", time::rfc3339(t)))
}
