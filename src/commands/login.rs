//! `jwtctl login`: opens a session (a token family) in the refresh store and prints the first
//! access/refresh pair as an OAuth 2.0 token response, before the store commits it.

use super::flow::{self, Delivery};
use super::keyring_place;
use crate::Ctx;
use crate::cli::LoginArgs;
use crate::edge::exit::{Exit, fail_hint};
use crate::session::store::schema::Mode;
use crate::session::{self, Grant, Lifetimes};
use anyhow::Result;

pub fn run(args: &LoginArgs, ctx: &Ctx) -> Result<Exit> {
    // Flags, stdout and key first: a bad configuration fails before the store is touched.
    let life = Lifetimes {
        access: args.access_ttl,
        refresh: args.refresh_ttl,
        max: args.max_lifetime,
    };
    if life.refresh < life.access {
        return Err(fail_hint(
            Exit::Usage,
            "--refresh-ttl is shorter than --access-ttl: the session would end before its \
             first access token",
            "give --refresh-ttl at least the --access-ttl",
        ));
    }
    let delivery = Delivery::stdout(ctx, "no session was opened")?;
    // With --keyring-in-store the store is opened here, once: for the key, then the session.
    let (ring, opened) = keyring_place::read(ctx, Mode::ReadWrite)?;
    let signer = flow::signer(&ring)?;
    let grant = Grant {
        sub: args.sub.clone(),
        client_id: args.client_id.clone(),
        scope: args.scope.clone(),
        iss: args.iss.clone(),
        aud: args.aud.clone(),
    };
    let rt_jti = flow::random_id(16)?;
    let family = session::new_family(&grant, life, flow::family_id()?, rt_jti.clone(), ctx.now);
    // Every rotation mints within the family's lifetime: it must end where tokens may.
    session::check_exp(
        "the session's end (--now plus --max-lifetime)",
        family.not_after,
    )?;
    let first = flow::mint(&signer, &family, 1, &rt_jti, None, ctx.now)?;

    let store = match opened {
        Some(store) => store,
        None => flow::create_store(ctx)?,
    };
    let disabled = store.open_family(&family, &first.record, ctx.now, &mut || {
        delivery.write(&first.response)
    })?;
    if let Some(d) = disabled {
        let why = d.reason.map(|r| format!(": {r}")).unwrap_or_default();
        let hint = format!("re-enable it with `jwtctl subject enable {}`", args.sub);
        return Ok(flow::refuse(
            ctx,
            Exit::Revoked,
            &format!("subject {:?} is disabled{why}", args.sub),
            Some(&hint),
        ));
    }
    Ok(Exit::Success)
}
