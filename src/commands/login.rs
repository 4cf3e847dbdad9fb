//! `jwtctl login`: opens a session (a token family) in the refresh store and prints the first
//! access/refresh pair as an OAuth 2.0 token response.

use super::flow;
use crate::Ctx;
use crate::cli::LoginArgs;
use crate::edge::exit::Exit;
use crate::keys::keyring::Keyring;
use crate::session::store::Store;
use crate::session::store::schema::Mode;
use crate::session::{self, Grant, Lifetimes};
use anyhow::Result;

pub fn run(args: &LoginArgs, ctx: &Ctx) -> Result<Exit> {
    // Flags and key first: a bad configuration fails before the store is touched.
    let life = Lifetimes {
        access: args.access_ttl,
        refresh: args.refresh_ttl,
        max: args.max_lifetime,
    };
    let signer = flow::signer(&Keyring::open(&ctx.home()?)?)?;
    let grant = Grant {
        sub: args.sub.clone(),
        client_id: args.client_id.clone(),
        scope: args.scope.clone(),
        iss: args.iss.clone(),
        aud: args.aud.clone(),
    };
    let rt_jti = flow::random_id(16)?;
    let family = session::new_family(&grant, life, flow::family_id()?, rt_jti.clone(), ctx.now);
    let (response, first) = flow::mint(&signer, &family, 1, &rt_jti, None, ctx.now)?;

    let Some(store) = flow::open_store(ctx, Mode::Create)? else {
        return Err(anyhow::anyhow!("the refresh store was not created"));
    };
    if let Some(d) = store.open_family(&family, &first, ctx.now)? {
        let why = d.reason.map(|r| format!(": {r}")).unwrap_or_default();
        let hint = format!("re-enable it with `jwtctl subject enable {}`", args.sub);
        return Ok(flow::refuse(
            ctx,
            Exit::Revoked,
            &format!("subject {:?} is disabled{why}", args.sub),
            Some(&hint),
        ));
    }
    flow::print_response(ctx, &response)?;
    Ok(Exit::Success)
}
