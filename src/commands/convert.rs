//! `jwtctl convert`: one key (or a set) between PEM, JWK and JWKS, public members only unless
//! `--private`. Also the key preparation `jwtctl jwks --key` shares.

use crate::Ctx;
use crate::alg::Alg;
use crate::cli::{ConvertArgs, KeyFormat};
use crate::edge::exit::{Exit, fail, fail_hint};
use crate::edge::input;
use crate::files;
use crate::keys::{Key, Loaded};
use crate::net::Remote;
use anyhow::Result;
use serde_json::json;

pub fn run(args: &ConvertArgs, ctx: &Ctx) -> Result<Exit> {
    let loaded = match (&args.key, args.remote.source()) {
        (Some(path), _) => input::key_file(path, &ctx.stdin)?,
        (None, Some(source)) => {
            let remote = Remote::new(&ctx.home()?, source, args.fetch.fetch(), ctx.now);
            let doc = remote.key_set(false)?;
            if let Some(note) = &doc.note {
                ctx.out.note("note", note);
            }
            doc.keys
        }
        (None, None) => {
            return Err(fail(
                Exit::Usage,
                "no key given: pass --key FILE, --jwks-url URL or --issuer URL",
            ));
        }
    };
    let keys = prepare(loaded, args.kid.as_deref(), args.alg)?;
    let text = match args.to {
        KeyFormat::Jwks => jwks_text(&keys, args.private)?,
        KeyFormat::Jwk => {
            let key = one(&keys)?;
            let jwk = if args.private {
                key.private_jwk()?
            } else {
                key.public_jwk()?
            };
            serde_json::to_string_pretty(&jwk)?
        }
        KeyFormat::Pem => {
            let key = one(&keys)?;
            if args.private {
                if !key.can_sign() || matches!(key.material, crate::keys::Material::Secret(_)) {
                    return Err(fail(
                        Exit::Key,
                        format!("{} has no private PEM form", key.describe()),
                    ));
                }
                key.private_pem()?
            } else {
                key.public_pem()?
            }
        }
    };
    match &args.out {
        Some(path) => {
            let mode = if args.private { 0o600 } else { 0o644 };
            let mut bytes = text.trim_end().to_owned();
            bytes.push('\n');
            files::write_atomic(path, bytes.as_bytes(), mode, args.force)?;
            ctx.out.info(&format!("wrote {}", path.display()));
        }
        None => ctx.out.data(text.trim_end())?,
    }
    Ok(Exit::Success)
}

/// The keys to write: from a set, the one `kid` names (or all); a single key gets `kid` (else
/// keeps its own, else its RFC 7638 thumbprint). `alg` pins every key it is given.
pub fn prepare(loaded: Loaded, kid: Option<&str>, alg: Option<Alg>) -> Result<Vec<Key>> {
    let mut keys = loaded.keys;
    if loaded.is_set {
        if let Some(want) = kid {
            let i = keys
                .iter()
                .position(|k| k.kid.as_deref() == Some(want))
                .ok_or_else(|| {
                    let kids: Vec<&str> = keys.iter().filter_map(|k| k.kid.as_deref()).collect();
                    fail_hint(
                        Exit::Key,
                        format!("the key set has no usable key with kid {want:?}"),
                        format!("its kids: {}", kids.join(", ")),
                    )
                })?;
            keys = vec![keys.swap_remove(i)];
        }
    } else if let (Some(k), Some(key)) = (kid, keys.first_mut()) {
        key.kid = Some(k.to_owned());
    }
    for key in &mut keys {
        if key.kid.is_none() {
            key.kid = Some(key.thumbprint());
        }
        if let Some(alg) = alg {
            key.pin(alg)?;
        }
    }
    Ok(keys)
}

/// Exactly one key, or an error naming `--kid`.
fn one(keys: &[Key]) -> Result<&Key> {
    match keys {
        [key] => Ok(key),
        _ => {
            let kids: Vec<&str> = keys.iter().filter_map(|k| k.kid.as_deref()).collect();
            Err(fail_hint(
                Exit::Usage,
                format!(
                    "the key set holds {} keys; this format holds one",
                    keys.len()
                ),
                format!("pick one with --kid (kids: {})", kids.join(", ")),
            ))
        }
    }
}

/// A pretty JWKS of `keys`: public JWKs, or whole ones with `private`.
pub fn jwks_text(keys: &[Key], private: bool) -> Result<String> {
    let jwks = keys
        .iter()
        .map(|k| {
            if private {
                k.private_jwk()
            } else {
                k.public_jwk()
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(serde_json::to_string_pretty(&json!({ "keys": jwks }))?)
}
