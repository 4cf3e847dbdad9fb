//! `jwtctl jwks`: the keyring's public JWKS (what services verify with), a key file's public
//! keys as a JWKS, or an issuer's key set as fetched (through the cache `verify` uses). Never a
//! private member, never an HMAC secret.

use crate::Ctx;
use crate::cli::JwksArgs;
use crate::commands::{convert, keyring_place};
use crate::edge::exit::{Exit, fail_hint};
use crate::edge::input;
use crate::net::Remote;
use anyhow::Result;

pub fn run(args: &JwksArgs, ctx: &Ctx) -> Result<Exit> {
    if let Some(source) = args.remote.source() {
        let remote = Remote::new(&ctx.home()?, source, args.fetch.fetch(), ctx.now);
        let doc = remote.key_set(args.refresh)?;
        if let Some(note) = &doc.note {
            ctx.out.note("note", note);
        }
        ctx.out.data(doc.text.trim_end())?;
        return Ok(Exit::Success);
    }
    if let Some(path) = &args.key {
        let loaded = input::key_file(path, &ctx.stdin)?;
        let keys = convert::prepare(loaded, args.kid.as_deref(), args.alg)?;
        ctx.out.data(&convert::jwks_text(&keys, false)?)?;
        return Ok(Exit::Success);
    }
    let ring = keyring_place::keyring(ctx)?;
    if ring.is_empty() {
        return Err(fail_hint(
            Exit::Key,
            format!("the keyring {} is empty", ring.name()),
            "create a key with `jwtctl keygen --es256`, or convert a file with `jwtctl jwks --key FILE`",
        ));
    }
    let jwks = ring.public_jwks()?;
    if jwks["keys"].as_array().is_some_and(Vec::is_empty) {
        ctx.out.note(
            "note",
            "no public key to publish: the keyring holds only HMAC secrets and retired keys",
        );
    }
    ctx.out.data(&serde_json::to_string_pretty(&jwks)?)?;
    Ok(Exit::Success)
}
