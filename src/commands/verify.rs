//! `jwtctl verify`: checks a token against a key (or the keyring, or an issuer's key set) and a
//! policy; prints the claims only when every check passed, else one line on stderr and the
//! status of DECISIONS §1.

use crate::Ctx;
use crate::cli::VerifyArgs;
use crate::edge::exit::{self, Exit, fail, fail_hint};
use crate::edge::input;
use crate::edge::output::Output;
use crate::keys::Loaded;
use crate::net::{Refetch, Remote};
use crate::token::{self, KeySet, Policy, Reason, Rejection, Verified};
use anyhow::Result;
use serde_json::{Value, json};
use std::io::Write;
use std::sync::OnceLock;

pub fn run(args: &VerifyArgs, ctx: &Ctx) -> Result<Exit> {
    // Keys and policy first: a bad configuration fails before any token is read (DECISIONS §2).
    let checker = checker(args, ctx)?;
    if args.batch {
        let now = ctx.now;
        let check = |t: &str, out: &mut Vec<u8>| {
            let t = input::clean_token(t);
            match checker
                .verify(&t, now)
                .map_err(|r| input::explain(r, &t, None, "verify"))
            {
                Ok(v) => {
                    out.extend_from_slice(b"\"valid\":true,\"code\":0,\"claims\":");
                    let _ = serde_json::to_writer(&mut *out, &v.claims);
                    Exit::Success
                }
                Err(r) => {
                    let status = Exit::from(r.reason);
                    let _ = write!(
                        out,
                        "\"valid\":false,\"code\":{},\"reason\":",
                        status.code()
                    );
                    let _ = serde_json::to_writer(&mut *out, &r.message);
                    status
                }
            }
        };
        return super::batch::run(&args.files, ctx, &check);
    }
    let raw = input::token(args.token.as_deref(), &ctx.stdin, "verify")?;

    match checker
        .verify(&raw, ctx.now)
        .map_err(|r| input::explain(r, &raw, args.token.as_deref(), "verify"))
    {
        Ok(v) => {
            if args.json {
                let doc = json!({"valid": true, "header": v.header, "claims": v.claims});
                ctx.out.data(&doc.to_string())?;
            } else if !ctx.out.quiet() {
                let pretty = serde_json::to_string_pretty(&v.claims)?;
                ctx.out.data(&pretty)?;
            }
            Ok(Exit::Success)
        }
        Err(r) => {
            let status = Exit::from(r.reason);
            ctx.out
                .error(exit::label(status), &r.message, r.hint.as_deref());
            if args.json {
                let doc = json!({"valid": false, "code": status.code(), "reason": r.message});
                ctx.out.data(&doc.to_string())?;
            }
            Ok(status)
        }
    }
}

/// The keys and policy a token is checked against, and for an issuer's key set, the refetch
/// of a newer set when a token names a kid the set lacks.
struct Checker<'a> {
    keys: KeySet,
    policy: Policy,
    remote: Option<Remote>,
    /// The newer set, once a refetch was tried (`None`: none came). At most one per run: the
    /// run's clock stands still, and the cooldown is 30 s of it.
    newer: OnceLock<Option<(KeySet, Policy)>>,
    args: &'a VerifyArgs,
    out: &'a Output,
}

impl Checker<'_> {
    fn verify(&self, token: &str, now: i64) -> Result<Verified, Rejection> {
        let (keys, policy) = match self.newer.get() {
            Some(Some((k, p))) => (k, p),
            _ => (&self.keys, &self.policy),
        };
        let result = token::verify(token, keys, policy, now);
        let Some(remote) = &self.remote else {
            return result;
        };
        match &result {
            Err(r)
                if r.reason == Reason::Signature
                    && self.newer.get().is_none()
                    && unknown_kid(token, keys) =>
            {
                match self.newer.get_or_init(|| self.refetch(remote)) {
                    Some((k, p)) => token::verify(token, k, p, now),
                    None => result,
                }
            }
            _ => result,
        }
    }

    /// A newer key set after an unknown kid; `None` (with a note on stderr) when there is none.
    fn refetch(&self, remote: &Remote) -> Option<(KeySet, Policy)> {
        let doc = match remote.refetch() {
            Ok(Refetch::Done(doc)) => doc,
            Ok(Refetch::Skipped) => return None,
            Ok(Refetch::Failed(why)) => {
                self.out.note(
                    "warning",
                    &format!(
                        "a token names a kid the cached key set lacks, and refetching the set \
                         failed: {why}; the cached set (still fresh) stays in use"
                    ),
                );
                return None;
            }
            Err(e) => {
                self.out.note("warning", &format!("{e:#}"));
                return None;
            }
        };
        let usable = set_of(doc.keys).and_then(|keys| {
            let policy = policy(self.args, &keys)?;
            Ok((keys, policy))
        });
        match usable {
            Ok(pair) => Some(pair),
            Err(e) => {
                self.out.note(
                    "warning",
                    &format!(
                        "the refetched key set of {} cannot be used ({e:#}); the cached set \
                         stays in use",
                        doc.url
                    ),
                );
                None
            }
        }
    }
}

/// Whether the token names a kid that `keys` does not know at all (neither usable nor left
/// out): only then can a newer set help. Runs only on a rejected token.
fn unknown_kid(token: &str, keys: &KeySet) -> bool {
    let Ok(parts) = token::split(token) else {
        return false;
    };
    let Some(Value::String(kid)) = parts.header.get("kid") else {
        return false;
    };
    !keys
        .keys
        .iter()
        .any(|k| k.kid.as_deref() == Some(kid.as_str()))
        && !keys.unusable.iter().any(|(k, _)| k == kid)
}

fn checker<'a>(args: &'a VerifyArgs, ctx: &'a Ctx) -> Result<Checker<'a>> {
    let (keys, remote) = key_set(args, ctx)?;
    let policy = policy(args, &keys)?;
    Ok(Checker {
        keys,
        policy,
        remote,
        newer: OnceLock::new(),
        args,
        out: &ctx.out,
    })
}

fn key_set(args: &VerifyArgs, ctx: &Ctx) -> Result<(KeySet, Option<Remote>)> {
    if let Some(source) = args.remote.source() {
        let remote = Remote::new(&ctx.home()?, source, args.fetch.fetch(), ctx.now);
        let doc = remote.key_set(false)?;
        if let Some(note) = &doc.note {
            ctx.out.note("note", note);
        }
        return Ok((set_of(doc.keys)?, Some(remote)));
    }
    let Some(loaded) = input::keys(&args.source, &ctx.stdin)? else {
        return Ok((
            super::flow::key_set(&super::keyring_place::keyring(ctx)?)?,
            None,
        ));
    };
    Ok((set_of(loaded)?, None))
}

/// The verifying keys of what was read: a set searched by kid, or the one key.
fn set_of(loaded: Loaded) -> Result<KeySet> {
    let keys = loaded
        .keys
        .iter()
        .map(crate::token::verify::verify_key)
        .collect::<Result<Vec<_>>>()?;
    if loaded.is_set {
        return Ok(KeySet {
            keys,
            by_kid: true,
            default: None,
            unusable: loaded
                .skipped
                .into_iter()
                .filter_map(|s| s.kid.map(|kid| (kid, s.reason)))
                .collect(),
        });
    }
    Ok(KeySet::single(
        keys.into_iter()
            .next()
            .ok_or_else(|| fail(Exit::Key, "no key"))?,
    ))
}

fn policy(args: &VerifyArgs, keys: &KeySet) -> Result<Policy> {
    let servable = keys.algorithms();
    for alg in &args.alg {
        if !servable.contains(alg) {
            let can: Vec<&str> = servable.iter().map(|a| a.name()).collect();
            return Err(fail(
                Exit::Key,
                format!(
                    "--alg {alg}: the key cannot serve it (it can serve: {})",
                    can.join(", ")
                ),
            ));
        }
    }
    Ok(Policy {
        algorithms: if args.alg.is_empty() {
            servable
        } else {
            args.alg.clone()
        },
        leeway: args.leeway,
        issuers: issuers(args)?,
        audiences: args.aud.clone(),
        subject: args.sub.clone(),
        typ: args.typ.clone(),
        required: args.require.clone(),
    })
}

/// The accepted issuers: `--iss`, and with `--issuer URL` exactly URL (RFC 8414 §3.3: the keys
/// of an issuer verify only its own tokens). `--iss` values that leave URL out are a
/// contradiction (exit 2).
fn issuers(args: &VerifyArgs) -> Result<Vec<String>> {
    let Some(issuer) = &args.remote.issuer else {
        return Ok(args.iss.clone());
    };
    let issuer = issuer.as_str().to_owned();
    if !args.iss.is_empty() && !args.iss.contains(&issuer) {
        return Err(fail_hint(
            Exit::Usage,
            format!(
                "--iss does not include the --issuer {issuer}, whose keys verify only its own \
                 tokens"
            ),
            "leave out --iss: --issuer already requires the token's iss to be the issuer",
        ));
    }
    Ok(vec![issuer])
}
