//! `jwtctl keygen`: a new key of any supported kind into the keyring (active from now on), or as
//! files with `--out`.

use crate::Ctx;
use crate::alg::Alg;
use crate::cli::KeygenArgs;
use crate::edge::exit::{Exit, fail};
use crate::files;
use crate::keys::keyring::Keyring;
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
    let kid = match &args.kid {
        Some(k) if k.trim().is_empty() => return Err(fail(Exit::Usage, "--kid is empty")),
        Some(k) => k.clone(),
        None => key.thumbprint(),
    };
    key.kid = Some(kid.clone());

    let written: Vec<PathBuf> = match &args.out {
        Some(dir) => write_files(&key, dir, args.force)?,
        None => {
            let home = ctx.home()?;
            vec![Keyring::add(&home, &key, alg, ctx.now)?]
        }
    };
    if args.json {
        let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        ctx.out
            .data(&json!({"kid": kid, "alg": alg.name(), "files": files}).to_string())?;
    } else {
        ctx.out.data(&kid)?;
    }
    if args.out.is_none() {
        ctx.out.info(&format!(
            "added {alg} key {kid} to {}; it now signs new tokens",
            written[0].display()
        ));
    } else {
        for path in &written {
            ctx.out.info(&format!("wrote {}", path.display()));
        }
    }
    Ok(Exit::Success)
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

/// Private PEM (0600), public PEM and public JWKS, or one secret file (0600). Every target is
/// checked before anything is written, so a refusal leaves the directory as it was.
fn write_files(key: &Key, dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    files::create_private_dir(dir)?;
    let mut plan: Vec<(PathBuf, Vec<u8>, u32)> = Vec::new();
    let stem = match key.default_alg() {
        Alg::EdDsa => "ed25519".to_owned(),
        alg => alg.name().to_ascii_lowercase(),
    };
    if key.family() == crate::alg::Family::Hmac {
        let mut text = key.private_pem()?;
        text.push('\n');
        plan.push((dir.join(format!("{stem}.secret")), text.into_bytes(), 0o600));
    } else {
        let jwks = json!({"keys": [key.public_jwk()?]});
        let mut jwks_text = serde_json::to_string_pretty(&jwks).context("encoding the JWKS")?;
        jwks_text.push('\n');
        plan.push((
            dir.join(format!("{stem}.key.pem")),
            key.private_pem()?.into_bytes(),
            0o600,
        ));
        plan.push((
            dir.join(format!("{stem}.pub.pem")),
            key.public_pem()?.into_bytes(),
            0o644,
        ));
        plan.push((
            dir.join(format!("{stem}.jwks.json")),
            jwks_text.into_bytes(),
            0o644,
        ));
    }
    if !force && let Some((path, ..)) = plan.iter().find(|(p, ..)| p.exists()) {
        return Err(files::refuse(path));
    }
    let mut done = Vec::new();
    for (path, bytes, mode) in plan {
        if let Err(e) = files::write_atomic(&path, &bytes, mode, force) {
            // Keep the set whole: remove what this run created before the failure.
            if !force {
                for p in &done {
                    let _ = std::fs::remove_file(p);
                }
            }
            return Err(e);
        }
        done.push(path);
    }
    Ok(done)
}
