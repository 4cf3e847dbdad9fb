//! `jwtctl store migrate|copy`: set up a store's schema ahead of the first login, and move every
//! session between backends (SQLite, Redis, PostgreSQL) without loss.

use super::flow;
use crate::Ctx;
use crate::cli::{StoreArgs, StoreCommand};
use crate::edge::exit::{Exit, fail_hint};
use crate::session::store::target::{self, Target};
use crate::session::store::{self, Dump, StoreError, schema::Mode};
use anyhow::Result;
use std::path::Path;

pub fn run(args: &StoreArgs, ctx: &Ctx) -> Result<Exit> {
    match &args.command {
        StoreCommand::Migrate => migrate(ctx),
        StoreCommand::Copy {
            from,
            to,
            from_password_file,
            to_password_file,
            json,
        } => {
            let from = side(from.as_deref(), "--from", "JWTCTL_STORE_FROM")?;
            let to = side(to.as_deref(), "--to", "JWTCTL_STORE_TO")?;
            let from =
                flow::with_password(from, from_password_file.as_deref(), "--from-password-file")?;
            let to = flow::with_password(to, to_password_file.as_deref(), "--to-password-file")?;
            copy(ctx, &from, &to, *json)
        }
    }
}

/// `--from` / `--to`, else its environment variable (where a password may be).
fn side(flag: Option<&str>, name: &str, var: &str) -> Result<Target> {
    if let Some(url) = flag {
        // Checked by clap already; parsed again here, as from the command line.
        return Target::parse(url, true)
            .map_err(|e| crate::edge::exit::fail(Exit::Usage, format!("{name}: {e}")));
    }
    match target::from_var(var) {
        Ok(Some(t)) => Ok(t),
        Ok(None) => Err(fail_hint(
            Exit::Usage,
            format!("store copy needs {name} URL"),
            format!("give {name} URL, or put the URL in {var}"),
        )),
        Err(e) => Err(crate::edge::exit::fail(Exit::Usage, format!("{var}: {e}"))),
    }
}

fn migrate(ctx: &Ctx) -> Result<Exit> {
    let (target, options) = flow::store_target(ctx)?;
    let done = store::migrate(&target, &options, &ctx.home()?)?;
    ctx.out.info(&done);
    Ok(Exit::Success)
}

fn copy(ctx: &Ctx, from: &Target, to: &Target, json: bool) -> Result<Exit> {
    let options = flow::store_options(ctx);
    let home = ctx.home()?;
    let source = open_source(from, &options, &home)?;
    let dump = match &source {
        Some(s) => Dump::of(s.as_ref())?,
        None => Dump::default(),
    };
    // The sealed keyring of --keyring-in-store goes too, byte for byte (the same secret opens
    // it): a target that already holds another one is refused before anything is written.
    let keyring = match &source {
        Some(s) => s.keyring_blob()?.map(|(_, blob)| blob),
        None => None,
    };
    let target = store::open(to, &options, &home, Mode::ReadWrite, true)?.ok_or_else(|| {
        crate::edge::exit::fail(Exit::Internal, "the target store was not created")
    })?;
    let copy_keyring = match (&keyring, target.keyring_blob()?) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(ours), Some((_, theirs))) if *ours == theirs => false,
        (Some(_), Some(_)) => {
            return Err(fail_hint(
                Exit::Usage,
                format!(
                    "refresh store {} already holds another keyring (--keyring-in-store); \
                     nothing was copied",
                    describe(to)
                ),
                "copy into a store without a keyring",
            ));
        }
    };
    target.load(&dump)?;
    if let Some(blob) = keyring.as_deref().filter(|_| copy_keyring)
        && !target.put_keyring_blob(0, blob)?
    {
        return Err(StoreError::Conflict {
            store: describe(to),
            what: "its keyring",
        }
        .into());
    }
    let back = Dump::of(target.as_ref())?;
    let keyring_back = match &keyring {
        Some(_) => target.keyring_blob()?.map(|(_, blob)| blob),
        None => None,
    };
    if !back.same_as(&dump) || keyring_back != keyring {
        return Err(StoreError::Io {
            store: describe(to),
            detail: "reading the copy back found records that differ from the source".into(),
        }
        .into());
    }
    let counts = serde_json::json!({
        "families": dump.families.len(),
        "tokens": dump.tokens.len(),
        "subjects": dump.subjects.len(),
        "events": dump.events.len(),
        "keyring": usize::from(keyring.is_some()),
    });
    if json {
        ctx.out.data(&counts.to_string())?;
    }
    ctx.out.info(&format!(
        "copied {} sessions, {} refresh tokens, {} disabled subjects and {} events{} from {} to \
         {} (read back and checked)",
        dump.families.len(),
        dump.tokens.len(),
        dump.subjects.len(),
        dump.events.len(),
        if keyring.is_some() {
            ", and the sealed keyring"
        } else {
            ""
        },
        describe(from),
        describe(to),
    ));
    Ok(Exit::Success)
}

/// The source, read only; `None` for an SQLite file that does not exist (nothing to copy is
/// an error: a mistyped path must not look like an empty store).
fn open_source(
    from: &Target,
    options: &target::Options,
    home: &Path,
) -> Result<Option<Box<dyn store::Store>>> {
    match store::open(from, options, home, Mode::ReadOnly, false)? {
        Some(s) => Ok(Some(s)),
        None => Err(fail_hint(
            Exit::Io,
            format!("there is no refresh store at {}", describe(from)),
            "check --from",
        )),
    }
}

/// A store's name in messages: its URL with any password masked.
fn describe(t: &Target) -> String {
    match t {
        Target::Sqlite(Some(p)) => format!("sqlite:{}", p.display()),
        Target::Sqlite(None) => "the home's refresh.db".into(),
        Target::Redis(s) | Target::Postgres(s) => s.shown.clone(),
    }
}
