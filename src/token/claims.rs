//! Registered-claim checks (RFC 7519 §4.1): types first, for every registered claim, then
//! presence, then values. A claim that is present but of the wrong type is an error, never
//! "absent" (CVE-2026-25537).

use crate::time::{self, MAX_NUMERIC_DATE};
use crate::token::{MAX_LEEWAY_SECS, Policy, Reason, Rejection, bad_claim};
use serde_json::{Map, Value};

/// A NumericDate claim: a finite number in 0..=9999-12-31 (RFC 7519 §2). Present but of another
/// type is an error, never "absent" (CVE-2026-25537).
fn numeric_date(claims: &Map<String, Value>, name: &str) -> Result<Option<f64>, Rejection> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            #[allow(clippy::cast_precision_loss)]
            Some(v) if (0.0..=MAX_NUMERIC_DATE as f64).contains(&v) => Ok(Some(v)),
            _ => Err(bad_claim(format!("claim {name} is out of range: {n}"))),
        },
        Some(other) => Err(bad_claim(format!(
            "claim {name} must be a number (NumericDate), not {}",
            type_name(other)
        ))),
    }
}

fn string_claim<'a>(
    claims: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, Rejection> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(bad_claim(format!(
            "claim {name} must be a string, not {}",
            type_name(other)
        ))),
    }
}

/// `aud` is a string or an array of strings (RFC 7519 §4.1.3).
fn audience(claims: &Map<String, Value>) -> Result<Option<Vec<&str>>, Rejection> {
    let wrong = || bad_claim("claim aud must be a string or an array of strings");
    match claims.get("aud") {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(vec![s.as_str()])),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().ok_or_else(wrong))
            .collect::<Result<_, _>>()
            .map(Some),
        Some(_) => Err(wrong()),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Registered claims, type-checked.
struct Typed<'a> {
    exp: Option<f64>,
    nbf: Option<f64>,
    iat: Option<f64>,
    iss: Option<&'a str>,
    sub: Option<&'a str>,
    aud: Option<Vec<&'a str>>,
}

fn typed(claims: &Map<String, Value>) -> Result<Typed<'_>, Rejection> {
    let t = Typed {
        exp: numeric_date(claims, "exp")?,
        nbf: numeric_date(claims, "nbf")?,
        iat: numeric_date(claims, "iat")?,
        iss: string_claim(claims, "iss")?,
        sub: string_claim(claims, "sub")?,
        aud: audience(claims)?,
    };
    string_claim(claims, "jti")?;
    Ok(t)
}

/// Checks only that registered claims have their RFC 7519 types (what `sign` refuses to mint).
pub fn check_claim_types(claims: &Map<String, Value>) -> Result<(), Rejection> {
    typed(claims).map(|_| ())
}

/// Checks what no policy could accept, whatever the clock: registered claims of the wrong type
/// or out of range, and an `aud` that is an empty array (it names no audience, so no `--aud`
/// matches it and without `--aud` it is refused). `sign` refuses to mint these.
pub fn check_mintable_claims(claims: &Map<String, Value>) -> Result<(), Rejection> {
    match typed(claims)?.aud {
        Some(aud) if aud.is_empty() => Err(empty_audience()),
        _ => Ok(()),
    }
}

fn empty_audience() -> Rejection {
    bad_claim("claim aud is an empty array: it names no audience, so no verifier accepts the token")
}

/// `"b"` for one expected value, `one of "b", "c"` for several.
fn expected(values: &[String]) -> String {
    match values {
        [one] => format!("{one:?}"),
        many => {
            let quoted: Vec<String> = many.iter().map(|v| format!("{v:?}")).collect();
            format!("one of {}", quoted.join(", "))
        }
    }
}

/// Types first (every registered claim), then presence, then values.
pub fn check_claims(
    claims: &Map<String, Value>,
    policy: &Policy,
    now: i64,
) -> Result<(), Rejection> {
    let Typed {
        exp,
        nbf,
        iat,
        iss,
        sub,
        aud,
    } = typed(claims)?;
    let missing = |name: &str| bad_claim(format!("required claim {name} is missing"));
    let exp = exp.ok_or_else(|| missing("exp"))?;
    for name in &policy.required {
        if !claims.contains_key(name) {
            return Err(missing(name));
        }
    }

    // All values are bounded (MAX_NUMERIC_DATE, MAX_LEEWAY_SECS), so f64 arithmetic is exact.
    #[allow(clippy::cast_precision_loss)]
    let (now_f, leeway) = (now as f64, policy.leeway.min(MAX_LEEWAY_SECS) as f64);
    let ago = |t: f64| time::span(secs_between(t, now_f));
    if now_f >= exp + leeway {
        return Err(Rejection::new(
            Reason::Expired,
            format!(
                "token expired {} ago (exp {})",
                ago(exp),
                time::rfc3339(exp)
            ),
        ));
    }
    if let Some(nbf) = nbf.filter(|&t| t > now_f + leeway) {
        return Err(Rejection::new(
            Reason::NotYetValid,
            format!(
                "token is not valid for another {} (nbf {})",
                ago(nbf),
                time::rfc3339(nbf)
            ),
        ));
    }
    if let Some(iat) = iat.filter(|&t| t > now_f + leeway) {
        return Err(Rejection::new(
            Reason::NotYetValid,
            format!(
                "token was issued {} in the future (iat {})",
                ago(iat),
                time::rfc3339(iat)
            ),
        ));
    }

    if !policy.issuers.is_empty() {
        let iss = iss.ok_or_else(|| missing("iss"))?;
        if !policy.issuers.iter().any(|i| i == iss) {
            return Err(bad_claim(format!(
                "issuer {iss:?} is not {}",
                expected(&policy.issuers)
            )));
        }
    }
    match (aud, policy.audiences.is_empty()) {
        (None, false) => return Err(missing("aud")),
        (Some(aud), _) if aud.is_empty() => return Err(empty_audience()),
        (Some(aud), true) => {
            return Err(bad_claim(format!(
                "token is for audience {aud:?}, but no --aud was given"
            ))
            .hint(format!(
                "if you are that audience, pass --aud {:?}",
                aud.first().unwrap_or(&"")
            )));
        }
        (Some(aud), false) if !aud.iter().any(|a| policy.audiences.iter().any(|p| p == a)) => {
            let shown = match aud.as_slice() {
                [one] => format!("{one:?}"),
                many => format!("{many:?}"),
            };
            return Err(bad_claim(format!(
                "audience {shown} is not {}",
                expected(&policy.audiences)
            )));
        }
        _ => {}
    }
    if let Some(want) = &policy.subject {
        let sub = sub.ok_or_else(|| missing("sub"))?;
        if sub != want {
            return Err(bad_claim(format!("subject {sub:?} is not {want:?}")));
        }
    }
    Ok(())
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn secs_between(a: f64, b: f64) -> u64 {
    (a - b).abs() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(json: &str) -> Map<String, Value> {
        crate::json::parse_object(json.as_bytes()).unwrap()
    }

    #[test]
    fn an_empty_audience_is_refused_without_a_hint_that_cannot_work() {
        let c = claims(r#"{"exp":2000000000,"aud":[]}"#);
        for audiences in [vec![], vec!["api".to_owned()], vec![String::new()]] {
            let policy = Policy {
                audiences,
                ..Policy::default()
            };
            let r = check_claims(&c, &policy, 1_700_000_000).unwrap_err();
            assert_eq!(r.reason, Reason::Claim);
            assert!(r.message.contains("empty array"), "{}", r.message);
            assert_eq!(r.hint, None);
        }
        assert!(check_mintable_claims(&c).is_err());
        assert!(check_mintable_claims(&claims(r#"{"aud":[""]}"#)).is_ok());
    }

    #[test]
    fn mismatches_name_what_was_expected() {
        let c = claims(r#"{"exp":2000000000,"aud":["x","y"],"iss":"a"}"#);
        let policy = Policy {
            audiences: vec!["api".into(), "web".into()],
            ..Policy::default()
        };
        let r = check_claims(&c, &policy, 1_700_000_000).unwrap_err();
        assert_eq!(
            r.message,
            r#"audience ["x", "y"] is not one of "api", "web""#
        );
    }
}
