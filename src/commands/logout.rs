//! `jwtctl logout`: revokes the family of a refresh token, a family by id (`--family`), or every
//! family of a subject (`--all --sub`). Revoking twice is not an error.

use super::flow;
use crate::Ctx;
use crate::cli::LogoutArgs;
use crate::edge::exit::Exit;
use crate::edge::input;
use crate::session;
use crate::session::store::schema::Mode;
use crate::session::store::{RevokeReason, Revoked};
use anyhow::Result;

pub fn run(args: &LogoutArgs, ctx: &Ctx) -> Result<Exit> {
    if let Some(sub) = args.sub.as_deref().filter(|_| args.all) {
        let Some(store) = flow::open_store(ctx, Mode::ReadWrite)? else {
            ctx.out.info(&format!("no sessions of {sub:?} to revoke"));
            return Ok(Exit::Success);
        };
        let ids = store.revoke_subject(sub, RevokeReason::LogoutAll, ctx.now)?;
        ctx.out.info(&format!(
            "revoked {} session{} of {sub:?}",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        ));
        return Ok(Exit::Success);
    }
    if let Some(id) = &args.family {
        let store = flow::existing_store(ctx)?;
        let family = flow::find_family(store.as_ref(), id)?;
        let outcome = store.revoke_family(&family.id, None, RevokeReason::Admin, ctx.now)?;
        return Ok(report(ctx, &outcome));
    }

    let (ring, opened) = super::keyring_place::read(ctx, Mode::ReadWrite)?;
    let keys = super::flow::key_set(&ring)?;
    let raw = input::token(args.token.as_deref(), &ctx.stdin, "logout")?;
    // An expired refresh token still ends its session: the signature is what counts here.
    let presented = match flow::verify_refresh(ctx, &raw, &keys)? {
        Ok(p) => p,
        Err(status) => return Ok(status),
    };
    let store = match opened {
        Some(store) => store,
        None => flow::existing_store(ctx)?,
    };
    let hash = session::token_hash(&raw);
    let outcome = store.revoke_family(
        &presented.family_id,
        Some((&presented.jti, &hash)),
        RevokeReason::Logout,
        ctx.now,
    )?;
    Ok(report(ctx, &outcome))
}

fn report(ctx: &Ctx, outcome: &Revoked) -> Exit {
    match outcome {
        Revoked::Now(f) => {
            ctx.out
                .info(&format!("revoked session {} of {:?}", f.id, f.sub));
            Exit::Success
        }
        Revoked::Already(f) => {
            let reason = f.revoked_reason.as_deref().unwrap_or("revoked");
            ctx.out.info(&format!(
                "session {} of {:?} was already revoked ({reason})",
                f.id, f.sub
            ));
            Exit::Success
        }
        Revoked::Unknown => flow::refuse(
            ctx,
            Exit::Revoked,
            "this refresh token is not in the store: it was not issued here",
            None,
        ),
    }
}
