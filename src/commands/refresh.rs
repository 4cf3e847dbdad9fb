//! `jwtctl refresh`: verifies a refresh token, then in one store transaction decides, rotates,
//! and delivers the new pair on stdout before committing (or refuses it: expired 5, revoked 8,
//! reuse 9 with the family revoked).

use super::flow::{self, Delivery};
use super::keyring_place;
use crate::Ctx;
use crate::cli::RefreshArgs;
use crate::edge::exit::Exit;
use crate::edge::input;
use crate::session::store::schema::Mode;
use crate::session::{self, Request};
use anyhow::Result;

pub fn run(args: &RefreshArgs, ctx: &Ctx) -> Result<Exit> {
    let delivery = Delivery::stdout(ctx, "nothing changed and the refresh token still works")?;
    let (ring, opened) = keyring_place::read(ctx, Mode::ReadWrite)?;
    let keys = flow::key_set(&ring)?;
    let signer = flow::signer(&ring)?;
    let raw = input::token(args.token.as_deref(), &ctx.stdin, "refresh")?;
    let presented = match flow::verify_refresh(ctx, &raw, &keys)? {
        Ok(p) => p,
        Err(status) => return Ok(status),
    };
    let store = match opened {
        Some(store) => store,
        None => flow::existing_store(ctx)?,
    };
    let request = Request {
        client_id: args.client_id.clone(),
        grace: args.grace,
        now: ctx.now,
    };

    // The decision runs on what the store holds and signs the successor; the store applies the
    // step, the pair goes to stdout, and only then does the store commit. The printed pair is
    // exactly the one recorded.
    let step = store.refresh(
        &presented.jti,
        ctx.now,
        &mut |snap| {
            session::decide(snap, &presented, &request, |issue| {
                let jti = flow::random_id(16)?;
                let parent = Some(issue.parent.jti.as_str());
                flow::mint(
                    &signer,
                    issue.family,
                    issue.generation,
                    &jti,
                    parent,
                    ctx.now,
                )
            })
        },
        &mut |step| match step.successor() {
            Some(successor) => delivery.write(&successor.response),
            None => Ok(()),
        },
    )?;
    Ok(match step.refusal() {
        None => Exit::Success,
        Some(r) => flow::refuse(ctx, Exit::from(r.reason), &r.message, r.hint.as_deref()),
    })
}
