//! `jwtctl subject disable|enable SUB`: a deleted or banned user. A disabled subject can neither
//! log in nor refresh (exit 8); its sessions are kept, so enabling it again restores them.

use super::flow;
use crate::Ctx;
use crate::cli::{SubjectArgs, SubjectCommand};
use crate::edge::exit::Exit;
use anyhow::Result;

pub fn run(args: &SubjectArgs, ctx: &Ctx) -> Result<Exit> {
    let store = flow::create_store(ctx)?;
    match &args.command {
        SubjectCommand::Disable { sub, reason } => {
            if store.disable_subject(sub, reason.as_deref(), ctx.now)? {
                ctx.out.info(&format!(
                    "disabled {sub:?}: login and refresh now fail with exit 8"
                ));
            } else {
                ctx.out.info(&format!("{sub:?} was already disabled"));
            }
        }
        SubjectCommand::Enable { sub } => {
            if store.enable_subject(sub, ctx.now)? {
                ctx.out.info(&format!("enabled {sub:?}"));
            } else {
                ctx.out.info(&format!("{sub:?} was not disabled"));
            }
        }
    }
    Ok(Exit::Success)
}
