//! `jwtctl keygen`: a new key of any supported kind into the keyring (active from now on), or as
//! files with `--out`. The kid is printed first and the key committed only after that write
//! succeeded (DECISIONS §2b): a kid nobody received never becomes the signing key.

use crate::Ctx;
use crate::alg::{Alg, Family};
use crate::cli::KeygenArgs;
use crate::commands::keyring_place;
use crate::edge::exit::{Exit, fail, fail_hint};
use crate::files;
use crate::keys::{self, Key, KeySpec};
use anyhow::{Context, Result};
use serde_json::json;
use std::path::{Path, PathBuf};

pub fn run(args: &KeygenArgs, ctx: &Ctx) -> Result<Exit> {
    let alg = requested_alg(args);
    let spec = KeySpec::for_alg(alg, args.bits.unwrap_or(2048))?;
    if args.bits.is_some() && !matches!(spec, KeySpec::Rsa { .. }) {
        return Err(fail(
            Exit::Usage,
            format!("--bits applies to RSA keys only, not to {alg}"),
        ));
    }
    let mut key = keys::generate(spec)?;
    // --kid was checked by its parser (length, no control characters).
    let kid = args.kid.clone().unwrap_or_else(|| key.thumbprint());
    key.kid = Some(kid.clone());
    let output = |files: &[PathBuf]| {
        if args.json {
            let files: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
            json!({"kid": kid, "alg": alg.name(), "files": files}).to_string()
        } else {
            kid.clone()
        }
    };

    match &args.out {
        Some(dir) => {
            let plan = plan_files(&key, dir)?;
            let targets: Vec<PathBuf> = plan.iter().map(|(p, ..)| p.clone()).collect();
            // A set half put in place by a keygen killed mid-commit is not the user's: undone
            // first, so it cannot block this run.
            files::undo_dead_commits(&targets);
            if !args.force
                && let Some(taken) = targets.iter().find(|p| p.symlink_metadata().is_ok())
            {
                return Err(files::refuse(taken));
            }
            let new_dir = !dir.exists();
            files::create_private_dir(dir)?;
            let result = files::Staged::new(&plan).and_then(|staged| {
                deliver(ctx, &output(&targets))?;
                staged.commit(args.force)
            });
            if result.is_err() && new_dir {
                let _ = std::fs::remove_dir(dir); // only if empty: as it was, absent
            }
            result?;
            for path in &targets {
                ctx.out.info(&format!("wrote {}", path.display()));
            }
        }
        None => {
            // The keyring in the home, or in the store (--keyring-in-store: no file).
            let (_, file) = keyring_place::target(ctx)?;
            let text = output(file.as_slice());
            let changed = keyring_place::update(
                ctx,
                |ring| ring.add(&key, alg, ctx.now),
                |_| deliver(ctx, &text),
            )?;
            ctx.out.info(&format!(
                "added {alg} key {kid} to {}; it now signs new tokens",
                changed.place
            ));
        }
    }
    Ok(Exit::Success)
}

/// Writes the kid (or the JSON) to stdout and flushes it; any failure is exit 10, so nothing
/// is committed after it. A closed stdout counts as a failure (the kid would vanish); a broken
/// pipe too, which for commands that change nothing is a success: here it is not.
fn deliver(ctx: &Ctx, text: &str) -> Result<()> {
    if crate::edge::output::stdout_was_closed() {
        return Err(fail_hint(
            Exit::Io,
            "stdout is closed, so the kid cannot be printed; the key was not added",
            "to discard the kid, redirect stdout to /dev/null",
        ));
    }
    // The I/O error is not chained: a broken pipe here must not become exit 0.
    ctx.out.data(text).map_err(|e| {
        fail(
            Exit::Io,
            format!("writing the kid to stdout failed ({e}); the key was not added"),
        )
    })
}

/// The algorithm asked for, by flag or `--alg` (clap requires exactly one).
fn requested_alg(args: &KeygenArgs) -> Alg {
    let flags = [
        (args.rs256, Alg::Rs256),
        (args.ps256, Alg::Ps256),
        (args.es256, Alg::Es256),
        (args.es384, Alg::Es384),
        (args.ed25519, Alg::EdDsa),
        (args.hs384, Alg::Hs384),
        (args.hs512, Alg::Hs512),
    ];
    args.alg
        .or_else(|| flags.iter().find(|(on, _)| *on).map(|&(_, a)| a))
        .unwrap_or(Alg::Hs256)
}

/// The files `--out` writes: private PEM (0600), public PEM and public JWKS, or one secret file
/// (0600) holding exactly the secret's bytes.
fn plan_files(key: &Key, dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>, u32)>> {
    let stem = match key.default_alg() {
        Alg::EdDsa => "ed25519".to_owned(),
        alg => alg.name().to_ascii_lowercase(),
    };
    if key.family() == Family::Hmac {
        let secret = match &key.material {
            keys::Material::Secret(s) => s.clone(),
            _ => Vec::new(),
        };
        return Ok(vec![(dir.join(format!("{stem}.secret")), secret, 0o600)]);
    }
    let jwks = json!({"keys": [key.public_jwk()?]});
    let mut jwks_text = serde_json::to_string_pretty(&jwks).context("encoding the JWKS")?;
    jwks_text.push('\n');
    Ok(vec![
        (
            dir.join(format!("{stem}.key.pem")),
            key.private_pem()?.into_bytes(),
            0o600,
        ),
        (
            dir.join(format!("{stem}.pub.pem")),
            key.public_pem()?.into_bytes(),
            0o644,
        ),
        (
            dir.join(format!("{stem}.jwks.json")),
            jwks_text.into_bytes(),
            0o644,
        ),
    ])
}
