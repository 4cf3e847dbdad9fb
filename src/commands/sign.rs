//! `jwtctl sign`: claims from a JSON object, `--claim` and the claim flags; a key from the flags
//! or the keyring's active key; prints the token.

use crate::Ctx;
use crate::cli::SignArgs;
use crate::edge::exit::{Exit, fail, fail_hint};
use crate::edge::input;
use crate::keys::Key;
use crate::keys::keyring::Keyring;
use crate::token::{self, SignKey};
use crate::{json, time};
use anyhow::Result;
use serde_json::{Map, Value};

/// Default lifetime, 15m: tokens always expire (DECISIONS §5).
const DEFAULT_TTL_SECS: i64 = 15 * 60;

pub fn run(args: SignArgs, ctx: &Ctx) -> Result<Exit> {
    let key = signing_key(&args, ctx)?;
    let alg = args.alg.unwrap_or_else(|| key.default_alg());
    let sign_key = SignKey::new(&key, alg)?;

    let claims = build_claims(&args, ctx)?;
    let header = build_header(&args, &key, alg)?;
    let token = token::sign(&header, &claims, &sign_key).map_err(|e| fail(Exit::Key, e))?;
    // What sign mints, verify accepts (DECISIONS §2): over the size cap, say, it is refused here.
    token::check_mintable(&token).map_err(|r| {
        usage(format!(
            "not minting a token verify would refuse: {}",
            r.message
        ))
    })?;
    warn_if_expired(&claims, ctx);
    ctx.out.data(&token)?;
    Ok(Exit::Success)
}

/// The key to sign with: the key file's one key; from a JWKS the key `--kid` names; from the
/// keyring the key `--kid` names, else the active key.
fn signing_key(args: &SignArgs, ctx: &Ctx) -> Result<Key> {
    let Some(mut loaded) = input::keys(&args.source, &ctx.stdin)? else {
        let ring = Keyring::open(&ctx.home()?)?;
        return match &args.kid {
            Some(kid) => ring.signing_key(kid),
            None => ring.active(),
        };
    };
    if !loaded.is_set || (loaded.keys.len() == 1 && args.kid.is_none()) {
        return Ok(loaded.keys.remove(0));
    }
    let want = args.kid.as_deref();
    if let Some(i) = want.and_then(|w| loaded.keys.iter().position(|k| k.kid.as_deref() == Some(w)))
    {
        return Ok(loaded.keys.swap_remove(i));
    }
    let kids: Vec<&str> = loaded
        .keys
        .iter()
        .filter_map(|k| k.kid.as_deref())
        .collect();
    Err(fail_hint(
        Exit::Key,
        match want {
            Some(kid) => format!("the key set has no usable key with kid {kid:?}"),
            None => "the key set holds several keys; sign needs one".to_owned(),
        },
        format!("pick one with --kid (kids: {})", kids.join(", ")),
    ))
}

fn usage(msg: String) -> anyhow::Error {
    fail(Exit::Usage, msg)
}

fn build_claims(args: &SignArgs, ctx: &Ctx) -> Result<Map<String, Value>> {
    let mut claims = match &args.claims {
        Some(path) => input::claims(path, &ctx.stdin)?,
        None => Map::new(),
    };
    for item in &args.claim {
        let (k, v) = if let Some((k, v)) = item.split_once(":=") {
            // The strict parser verify uses: duplicate keys and numbers no double holds are
            // refused here, not minted into a token verify then refuses.
            let v = json::parse_value(v.as_bytes()).map_err(|e| {
                usage(format!(
                    "--claim {item}: the value is not usable JSON ({e})"
                ))
            })?;
            (k, v)
        } else if let Some((k, v)) = item.split_once('=') {
            (k, Value::String(v.to_owned()))
        } else {
            return Err(usage(format!(
                "--claim {item}: expected KEY=VALUE or KEY:=JSON"
            )));
        };
        if k.is_empty() {
            return Err(usage(format!("--claim {item}: the name is empty")));
        }
        claims.insert(k.to_owned(), v);
    }
    let mut set = |name: &str, v: Option<&String>| {
        if let Some(v) = v {
            claims.insert(name.into(), Value::String(v.clone()));
        }
    };
    set("sub", args.sub.as_ref());
    set("iss", args.iss.as_ref());
    set("jti", args.jti.as_ref());
    match args.aud.as_slice() {
        [] => {}
        [one] => {
            claims.insert("aud".into(), Value::String(one.clone()));
        }
        many => {
            claims.insert(
                "aud".into(),
                many.iter().cloned().map(Value::String).collect(),
            );
        }
    }

    // Flag values were checked by clap; what is left is their sum with the clock, which must stay
    // a NumericDate verify accepts (DECISIONS §2: refused at minting, exit 2).
    let now = ctx.now;
    let out_of_range = |flag: &str, e: String| usage(format!("{flag}: {e}"));
    if let Some(exp) = args.exp {
        let exp = exp.resolve(now).map_err(|e| out_of_range("--exp", e))?;
        claims.insert("exp".into(), exp.into());
    } else if args.ttl.is_some() || !claims.contains_key("exp") {
        let ttl = args.ttl.unwrap_or(DEFAULT_TTL_SECS);
        let exp = time::TimeSpec::FromNow(ttl)
            .resolve(now)
            .map_err(|e| out_of_range("--ttl", e))?;
        claims.insert("exp".into(), exp.into());
    }
    if let Some(nbf) = args.nbf {
        let nbf = nbf.resolve(now).map_err(|e| out_of_range("--nbf", e))?;
        claims.insert("nbf".into(), nbf.into());
    }
    if args.no_iat {
        claims.remove("iat");
    } else if !claims.contains_key("iat") {
        claims.insert("iat".into(), now.into());
    }
    check_types(&claims)?;
    Ok(claims)
}

/// Refuses registered claims of the wrong type or range and an empty `aud`, so `sign` never
/// mints a token `verify` rejects for its shape. Times are not judged: an expired token may be
/// just what a test wants ([`warn_if_expired`] says so).
fn check_types(claims: &Map<String, Value>) -> Result<()> {
    token::claims::check_mintable_claims(claims).map_err(|r| fail(Exit::Usage, r.message))
}

/// A token that is expired when minted (`--ttl 0`, an `exp` in the past) is still signed, with
/// a warning on stderr: verify refuses it (exit 5) unless its clock or leeway say otherwise.
fn warn_if_expired(claims: &Map<String, Value>, ctx: &Ctx) {
    let Some(exp) = claims.get("exp").and_then(Value::as_f64) else {
        return;
    };
    #[allow(clippy::cast_precision_loss)] // now is a NumericDate, far below 2^53
    let now = ctx.now as f64;
    if exp <= now {
        let when = if exp < now {
            format!("{} ago", time::span(secs_between(exp, now)))
        } else {
            "now".to_owned()
        };
        ctx.out.note(
            "warning",
            &format!(
                "the token is already expired (exp {}, {when}); verify will refuse it",
                time::rfc3339(exp)
            ),
        );
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // both are NumericDates
fn secs_between(a: f64, b: f64) -> u64 {
    (b - a).abs() as u64
}

/// The protected header: `--header` parameters, then `alg` from the key, `typ` (`--typ`, else
/// `JWT`) and `kid` (`--kid`, else the key's) where `--header` did not set them. `alg` is never
/// taken from `--header`: the key pins the algorithm (RFC 8725 §3.1), and `crit`/`b64` would
/// mint a token no verifier accepts. A parameter set twice is refused, never overwritten.
fn build_header(args: &SignArgs, key: &Key, alg: crate::alg::Alg) -> Result<Map<String, Value>> {
    let mut header = Map::new();
    for item in &args.header {
        let (k, v) = item
            .split_once('=')
            .ok_or_else(|| usage(format!("--header {item}: expected KEY=VALUE")))?;
        let refuse = |why: &str| Err(usage(format!("--header {k}: {why}")));
        match k {
            "" => return refuse("the name is empty"),
            "alg" => {
                return refuse(
                    "the key decides the algorithm (RFC 8725 §3.1); narrow it with --alg",
                );
            }
            "crit" | "b64" => {
                return refuse("jwtctl signs no JWS extensions; verifiers would refuse the token");
            }
            "typ" if args.typ.is_some() => return refuse("--typ sets typ too; give one of them"),
            "kid" if args.kid.is_some() => {
                return refuse("--kid sets kid too (and picks the key); give one of them");
            }
            _ => {}
        }
        if header
            .insert(k.to_owned(), Value::String(v.to_owned()))
            .is_some()
        {
            return refuse("given twice");
        }
    }
    header.insert("alg".into(), alg.name().into());
    if !header.contains_key("typ") {
        let typ = args.typ.clone().unwrap_or_else(|| "JWT".into());
        header.insert("typ".into(), typ.into());
    }
    if !header.contains_key("kid") {
        let kid = args
            .kid
            .clone()
            .or_else(|| key.kid.clone())
            .or_else(|| (key.family() != crate::alg::Family::Hmac).then(|| key.thumbprint()));
        if let Some(kid) = kid {
            header.insert("kid".into(), kid.into());
        }
    }
    Ok(header)
}
