//! `jwtctl refresh`: verifies a refresh token, then rotates it in one store transaction (or
//! refuses it: expired 5, revoked 8, reuse 9 with the family revoked) and prints the new pair.

use super::flow;
use crate::Ctx;
use crate::cli::RefreshArgs;
use crate::edge::exit::Exit;
use crate::edge::input;
use crate::keys::keyring::Keyring;
use crate::session::store::{Step, Store};
use crate::session::{self, Request, TokenResponse, Verdict};
use anyhow::{Result, anyhow};

pub fn run(args: &RefreshArgs, ctx: &Ctx) -> Result<Exit> {
    let ring = Keyring::open(&ctx.home()?)?;
    let keys = flow::key_set(&ring)?;
    let signer = flow::signer(&ring)?;
    let raw = input::token(args.token.as_deref(), &ctx.stdin, "refresh")?;
    let presented = match flow::verify_refresh(ctx, &raw, &keys)? {
        Ok(p) => p,
        Err(status) => return Ok(status),
    };
    let store = flow::existing_store(ctx)?;
    let request = Request {
        client_id: args.client_id.clone(),
        grace: args.grace,
        now: ctx.now,
    };

    // Runs inside the store's write transaction: decide on what it holds, sign the successor,
    // and hand back the writes. The printed pair is exactly the one recorded.
    let mut issued: Option<TokenResponse> = None;
    let mut refusal = None;
    store.refresh(&presented.jti, ctx.now, &mut |snap| {
        let verdict = session::decide(snap, &presented, &request);
        let (family, token) = match (&snap.family, &snap.token, &verdict) {
            (Some(f), Some(t), Verdict::Rotate | Verdict::Grace { .. }) => (f, t),
            (_, _, Verdict::Refuse(r)) => {
                refusal = Some(r.clone());
                return Ok(Step::Refuse {
                    event: r.event.clone(),
                });
            }
            (_, _, Verdict::Revoke(r, reason)) => {
                refusal = Some(r.clone());
                let event = r
                    .event
                    .clone()
                    .ok_or_else(|| anyhow!("a revocation without an event"))?;
                return Ok(Step::Revoke {
                    reason: *reason,
                    event,
                });
            }
            _ => return Err(anyhow!("a rotation without a family")),
        };
        let jti = flow::random_id(16)?;
        let (response, successor) = flow::mint(
            &signer,
            family,
            family.generation + 1,
            &jti,
            Some(&token.jti),
            ctx.now,
        )?;
        issued = Some(response);
        Ok(match verdict {
            Verdict::Grace { superseded } => Step::Grace {
                successor,
                superseded,
            },
            _ => Step::Rotate { successor },
        })
    })?;

    if let Some(response) = issued {
        flow::print_response(ctx, &response)?;
        return Ok(Exit::Success);
    }
    let r = refusal.ok_or_else(|| anyhow!("refresh ended without a verdict"))?;
    Ok(flow::refuse(ctx, r.exit, &r.message, r.hint.as_deref()))
}
