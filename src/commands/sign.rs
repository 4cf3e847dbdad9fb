//! `jwtctl sign`: claims from a JSON object, `--claim` and the claim flags; a key from the flags
//! or the keyring's active key; prints the token. `--batch` and `--count` mint many tokens with
//! one parsed key, on every core, through the batch engine of `verify --batch`.

use super::batch::{self, Item, Out, Place, Source, Words};
use crate::Ctx;
use crate::cli::SignArgs;
use crate::edge::exit::{self, Exit, fail, fail_hint};
use crate::edge::input;
use crate::keys::Key;
use crate::token::{self, MAX_TOKEN_BYTES, SignKey};
use crate::{json, time};
use anyhow::Result;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// Default lifetime, 15m: tokens always expire (DECISIONS §5).
const DEFAULT_TTL_SECS: i64 = 15 * 60;

/// In a claim flag's value, replaced by the line (or sequence) number in a batch.
const SEQ: &str = "{n}";

pub fn run(args: SignArgs, ctx: &Ctx) -> Result<Exit> {
    let key = signing_key(&args, ctx)?;
    let alg = args.alg.unwrap_or_else(|| key.default_alg());
    let sign_key = SignKey::new(&key, alg)?;
    let many = args.batch || args.count.is_some();
    let plan = Plan::new(&args, ctx.now, many)?;
    if many {
        let header = build_header(&args, &key, alg)?;
        return run_batch(&args, ctx, &sign_key, &header, &plan);
    }

    let base = match &args.claims {
        Some(path) => input::claims(path, &ctx.stdin)?,
        None => Map::new(),
    };
    let claims = plan.claims(base, None)?;
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

/// `--batch` / `--count`: one token per line of claims (or per number), in input order. The
/// key was parsed once and is shared by the workers; the header is encoded once.
fn run_batch(
    args: &SignArgs,
    ctx: &Ctx,
    key: &SignKey,
    header: &Map<String, Value>,
    plan: &Plan,
) -> Result<Exit> {
    let mut prefix = URL_SAFE_NO_PAD.encode(serde_json::to_vec(header)?);
    prefix.push('.');
    let expired = AtomicU64::new(0);
    let json = args.json;
    let handle = |place: &Place<'_>, item: Item<'_>, out: &mut Out| {
        let minted = mint_line(place, item, plan, &prefix, key);
        if let Ok((_, true)) = minted {
            expired.fetch_add(1, Ordering::Relaxed);
        }
        write_result(place, minted, json, out)
    };
    let source = match args.count {
        Some(n) => Source::Count(n),
        None => Source::Lines(&args.files),
    };
    let words = Words {
        items: "claims",
        item: "line of claims",
        hint: "pipe JSON objects of claims in, one per line (jq -c ... | jwtctl sign --batch), \
               pass --file FILE, or mint from the flags alone with --count N",
    };
    let status = batch::run_items(&source, &words, ctx, &handle, false)?;
    let expired = expired.into_inner();
    if expired > 0 {
        let what = if expired == 1 {
            "1 token was already expired when minted; verify will refuse it".to_owned()
        } else {
            format!("{expired} tokens were already expired when minted; verify will refuse them")
        };
        ctx.out.note("warning", &what);
    }
    Ok(status)
}

/// A line's outcome: its token and whether that is already expired, or a status and reason.
type Minted = Result<(String, bool), (Exit, String)>;

/// Mints one line's token: the line's claims (none for `--count`) under the flags.
fn mint_line(
    place: &Place<'_>,
    item: Item<'_>,
    plan: &Plan,
    prefix: &str,
    key: &SignKey,
) -> Minted {
    let base = match item {
        Item::Counted => Map::new(),
        Item::Text(text) => json::parse_object(text.as_bytes())
            .map_err(|e| (Exit::Malformed, format!("the claims are {e}")))?,
        Item::Oversize => {
            return Err((
                Exit::Malformed,
                format!(
                    "the line is over the {} KiB limit of a token",
                    MAX_TOKEN_BYTES / 1024
                ),
            ));
        }
        Item::NotText => return Err((Exit::Malformed, "the line is not UTF-8 text".into())),
    };
    let claims = plan
        .claims(base, Some(place.line))
        .map_err(|e| (exit::classify(&e).0, format!("{e:#}")))?;
    let payload = serde_json::to_vec(&claims).map_err(|e| (Exit::Internal, e.to_string()))?;
    let mut token = String::with_capacity(prefix.len() + payload.len() * 4 / 3 + 400);
    token.push_str(prefix);
    URL_SAFE_NO_PAD.encode_string(payload, &mut token);
    let signature = key.key.sign(token.as_bytes()).map_err(|e| (Exit::Key, e))?;
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(signature, &mut token);
    // What sign mints, verify accepts: the claims were checked as a map (`Plan::claims`), the
    // header is the same for every line, and serde_json writes back what the strict parser
    // read, so only the size is left to check. Parsing every token again, as a single `sign`
    // does, would add a base64url decode and a strict JSON parse per token, more work than an
    // HS256 signature; debug builds (the tests) still do it.
    if token.len() > MAX_TOKEN_BYTES {
        return Err((
            Exit::Usage,
            format!(
                "not minting a token verify would refuse: token is {} bytes, over the {} KiB limit",
                token.len(),
                MAX_TOKEN_BYTES / 1024
            ),
        ));
    }
    debug_assert!(
        token::check_mintable(&token).is_ok(),
        "a batch minted a token verify refuses"
    );
    let expired = is_expired(&claims, plan.now);
    Ok((token, expired))
}

/// Writes one line's result: the token, or with `--json` `{"line","token"}` /
/// `{"line","code","reason"}`. Without `--json` a failure writes no line: it is a message on
/// stderr, so that every line of the output is a token.
fn write_result(place: &Place<'_>, minted: Minted, json: bool, out: &mut Out) -> Exit {
    let data = &mut out.data;
    if json {
        data.push(b'{');
        if let Some(name) = place.file {
            data.extend_from_slice(b"\"file\":");
            data.extend_from_slice(name.as_bytes());
            data.push(b',');
        }
        // Writing to a Vec cannot fail.
        let _ = write!(data, "\"line\":{},", place.line);
    }
    match minted {
        Ok((token, _)) => {
            if json {
                data.extend_from_slice(b"\"token\":\"");
                data.extend_from_slice(token.as_bytes());
                data.extend_from_slice(b"\"}");
            } else {
                data.extend_from_slice(token.as_bytes());
            }
            data.push(b'\n');
            Exit::Success
        }
        Err((status, reason)) => {
            if json {
                let _ = write!(data, "\"code\":{},\"reason\":", status.code());
                let _ = serde_json::to_writer(&mut *data, &reason);
                data.extend_from_slice(b"}\n");
            } else {
                let at = match place.file {
                    Some(name) => format!("{} line {}", json_str(name), place.line),
                    None => format!("line {}", place.line),
                };
                out.messages.push(format!("{at}: {reason}"));
            }
            status
        }
    }
}

/// A file name back from its JSON string.
fn json_str(quoted: &str) -> String {
    serde_json::from_str(quoted).unwrap_or_else(|_| quoted.to_owned())
}

/// What the flags make of every token's claims, worked out once.
struct Plan {
    /// `--claim`, then `--sub`, `--iss`, `--jti`, `--aud`, in that order: later wins.
    sets: Vec<(String, Flag)>,
    /// `exp`, and whether it replaces one the claims hold (`--exp`, `--ttl`) or is a default
    /// (the default may be out of range, which matters only where it is used).
    exp: Result<Value, String>,
    exp_replaces: bool,
    nbf: Option<Value>,
    no_iat: bool,
    /// `--jti auto`: a fresh random jti per token.
    jti_auto: bool,
    now: i64,
}

/// A claim value from a flag.
enum Flag {
    Fixed(Value),
    /// A string with `{n}` in it.
    Text(String),
    /// `K:=JSON` text with `{n}` in it, parsed once the number is in.
    Json(String),
}

impl Flag {
    fn value(&self, n: Option<u64>) -> Result<Value> {
        let fill = |t: &str| match n {
            Some(n) => t.replace(SEQ, &n.to_string()),
            None => t.to_owned(),
        };
        Ok(match self {
            Flag::Fixed(v) => v.clone(),
            Flag::Text(t) => Value::String(fill(t)),
            Flag::Json(t) => json_flag(&fill(t))?,
        })
    }

    /// A string flag's value; `{n}` is filled in per token in a batch.
    fn text(v: &str, many: bool) -> Flag {
        if many && v.contains(SEQ) {
            Flag::Text(v.to_owned())
        } else {
            Flag::Fixed(Value::String(v.to_owned()))
        }
    }
}

/// A `K:=JSON` value, by the strict parser verify uses: duplicate keys and numbers no double
/// holds are refused here, not minted into a token verify then refuses.
fn json_flag(text: &str) -> Result<Value> {
    json::parse_value(text.as_bytes())
        .map_err(|e| usage(format!("the value is not usable JSON ({e})")))
}

impl Plan {
    /// Checks every flag value once: a bad one is a usage error before any input is read.
    fn new(args: &SignArgs, now: i64, many: bool) -> Result<Self> {
        let mut sets = Vec::new();
        for item in &args.claim {
            let (k, flag) = if let Some((k, v)) = item.split_once(":=") {
                let context = |e: anyhow::Error| usage(format!("--claim {item}: {e:#}"));
                if many && v.contains(SEQ) {
                    // Checked with a number filled in: `n:={n}` is JSON once it is.
                    json_flag(&v.replace(SEQ, "1")).map_err(context)?;
                    (k, Flag::Json(v.to_owned()))
                } else {
                    (k, Flag::Fixed(json_flag(v).map_err(context)?))
                }
            } else if let Some((k, v)) = item.split_once('=') {
                (k, Flag::text(v, many))
            } else {
                return Err(usage(format!(
                    "--claim {item}: expected KEY=VALUE or KEY:=JSON"
                )));
            };
            if k.is_empty() {
                return Err(usage(format!("--claim {item}: the name is empty")));
            }
            sets.push((k.to_owned(), flag));
        }
        let jti_auto = args.jti.as_deref() == Some("auto");
        for (name, v) in [
            ("sub", &args.sub),
            ("iss", &args.iss),
            ("jti", &args.jti.clone().filter(|_| !jti_auto)),
        ] {
            if let Some(v) = v {
                sets.push((name.to_owned(), Flag::text(v, many)));
            }
        }
        match args.aud.as_slice() {
            [] => {}
            [one] => sets.push(("aud".into(), Flag::text(one, many))),
            many_auds => {
                if many && many_auds.iter().any(|a| a.contains(SEQ)) {
                    let array = serde_json::to_string(many_auds)?;
                    sets.push(("aud".into(), Flag::Json(array)));
                } else {
                    let array = many_auds.iter().cloned().map(Value::String).collect();
                    sets.push(("aud".into(), Flag::Fixed(array)));
                }
            }
        }

        // Flag values were checked by clap; what is left is their sum with the clock, which
        // must stay a NumericDate verify accepts (DECISIONS §2: refused at minting, exit 2).
        let out_of_range = |flag: &str, e: String| usage(format!("{flag}: {e}"));
        let exp = if let Some(exp) = args.exp {
            Ok(exp.resolve(now).map_err(|e| out_of_range("--exp", e))?)
        } else {
            let exp = time::TimeSpec::FromNow(args.ttl.unwrap_or(DEFAULT_TTL_SECS)).resolve(now);
            if args.ttl.is_some() {
                Ok(exp.map_err(|e| out_of_range("--ttl", e))?)
            } else {
                exp.map_err(|e| format!("--ttl: {e}"))
            }
        };
        let nbf = match args.nbf {
            Some(nbf) => Some(
                nbf.resolve(now)
                    .map_err(|e| out_of_range("--nbf", e))?
                    .into(),
            ),
            None => None,
        };
        Ok(Plan {
            sets,
            exp: exp.map(Value::from),
            exp_replaces: args.exp.is_some() || args.ttl.is_some(),
            nbf,
            no_iat: args.no_iat,
            jti_auto,
            now,
        })
    }

    /// The claims of one token: `base` (the `--claims` object, a batch line), then the flags,
    /// with `{n}` as `n` in a batch. `exp` and `iat` of `base` stay unless a flag sets them.
    fn claims(&self, base: Map<String, Value>, n: Option<u64>) -> Result<Map<String, Value>> {
        let mut claims = base;
        for (name, flag) in &self.sets {
            claims.insert(name.clone(), flag.value(n)?);
        }
        if self.jti_auto {
            claims.insert("jti".into(), super::flow::random_id(16)?.into());
        }
        if self.exp_replaces || !claims.contains_key("exp") {
            let exp = self.exp.clone().map_err(usage)?;
            claims.insert("exp".into(), exp);
        }
        if let Some(nbf) = &self.nbf {
            claims.insert("nbf".into(), nbf.clone());
        }
        if self.no_iat {
            claims.remove("iat");
        } else if !claims.contains_key("iat") {
            claims.insert("iat".into(), self.now.into());
        }
        check_types(&claims)?;
        Ok(claims)
    }
}

/// The key to sign with: the key file's one key; from a JWKS the key `--kid` names; from the
/// keyring the key `--kid` names, else the active key.
fn signing_key(args: &SignArgs, ctx: &Ctx) -> Result<Key> {
    let Some(mut loaded) = input::keys(&args.source, &ctx.stdin)? else {
        let ring = super::keyring_place::keyring(ctx)?;
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
    if is_expired(claims, ctx.now) {
        #[allow(clippy::cast_precision_loss)] // now is a NumericDate, far below 2^53
        let now = ctx.now as f64;
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

/// Whether the claims' `exp` is at or before `now`.
fn is_expired(claims: &Map<String, Value>, now: i64) -> bool {
    #[allow(clippy::cast_precision_loss)] // now is a NumericDate, far below 2^53
    claims
        .get("exp")
        .and_then(Value::as_f64)
        .is_some_and(|exp| exp <= now as f64)
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
