//! The documents jwtctl fetches, checked before they are used or cached: a JWK Set, and an
//! issuer's OpenID Connect discovery document. What fails a check is [`NetError::Document`]
//! (exit 11): the issuer answered, with something jwtctl will not use.

use super::{NetError, Url};
use crate::alg::Family;
use crate::keys::{self, Loaded};
use serde_json::Value;

/// A fetched JWKS, checked like a `--key` JWKS file, and more: a JSON object with `keys` (no
/// PEM or single JWK), no secret (`oct`) keys. Anything else is [`NetError::Document`].
pub(super) fn parse_jwks(url: &Url, bytes: &[u8]) -> Result<Loaded, NetError> {
    let bad = |why: String| NetError::Document {
        message: format!("{url} did not give a usable JWK Set: {why}"),
        hint: Some(
            "check the URL: it must serve {\"keys\": [...]} (for an issuer's discovery, pass \
             --issuer ISSUER instead)"
                .into(),
        ),
    };
    let text = std::str::from_utf8(bytes).map_err(|_| bad("it is not UTF-8 text".into()))?;
    if !text.trim_start().starts_with('{') {
        return Err(bad("it is not a JSON object".into()));
    }
    let loaded = keys::parse(bytes).map_err(|e| bad(format!("{e:#}")))?;
    if !loaded.is_set {
        return Err(bad("it is a single JWK, not a set".into()));
    }
    if loaded.keys.iter().any(|k| k.family() == Family::Hmac) {
        return Err(bad(
            "it holds secret (oct) keys, and a fetched secret never verifies a token".into(),
        ));
    }
    Ok(loaded)
}

/// The `jwks_uri` of an issuer's discovery document, which must name `issuer` exactly
/// (OpenID Connect Discovery 1.0 §4.3, RFC 8414 §3.3: the mix-up defence) and whose
/// `jwks_uri` must pass the same rules as `--jwks-url`.
pub(super) fn parse_discovery(bytes: &[u8], issuer: &Url, at: &Url) -> Result<Url, NetError> {
    let bad = |why: String| NetError::Document {
        message: format!("{at} is not a usable discovery document: {why}"),
        hint: Some("check --issuer: it must be the issuer's exact identifier (its iss)".into()),
    };
    let doc = crate::json::parse_object(bytes).map_err(|e| bad(format!("it is {e}")))?;
    let named = match doc.get("issuer") {
        Some(Value::String(s)) => s,
        _ => return Err(bad("it has no issuer".into())),
    };
    if named != issuer.as_str() {
        return Err(NetError::Document {
            message: format!(
                "the discovery document at {at} names issuer {named:?}, not {:?}: refused \
                 (an issuer must name itself exactly, or its keys may be another's)",
                issuer.as_str()
            ),
            hint: Some(
                "pass --issuer exactly as the issuer writes it (a trailing / counts)".into(),
            ),
        });
    }
    let jwks = match doc.get("jwks_uri") {
        Some(Value::String(s)) => s,
        _ => return Err(bad("it has no jwks_uri".into())),
    };
    Url::parse(jwks).map_err(|e| bad(format!("its jwks_uri {jwks:?} is refused: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetched_documents_are_checked() {
        let url = Url::parse("https://issuer.example/jwks").unwrap();
        let jwks = |s: &str| parse_jwks(&url, s.as_bytes()).map(|l| l.keys.len());
        let ec = r#"{"kty":"EC","crv":"P-256","kid":"a","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
        assert_eq!(jwks(&format!("{{\"keys\":[{ec}]}}")).unwrap(), 1);
        for (bad, why) in [
            (ec.to_owned(), "single JWK"),
            ("<html>".to_owned(), "not a JSON object"),
            ("{\"keys\":[]}".to_owned(), "no keys"),
            (
                r#"{"keys":[{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}]}"#.to_owned(),
                "secret (oct)",
            ),
        ] {
            let err = jwks(&bad).unwrap_err().to_string();
            assert!(err.contains(why), "{bad}: {err}");
        }
        let issuer = Url::parse("https://issuer.example").unwrap();
        let at = issuer.discovery();
        let disc = |s: &str| parse_discovery(s.as_bytes(), &issuer, &at).map(|u| u.canonical());
        assert_eq!(
            disc(r#"{"issuer":"https://issuer.example","jwks_uri":"https://keys.example/j"}"#)
                .unwrap(),
            "https://keys.example/j"
        );
        for (bad, why) in [
            (
                r#"{"issuer":"https://issuer.example/","jwks_uri":"https://k.example/"}"#,
                "names issuer",
            ),
            (
                r#"{"issuer":"https://evil.example","jwks_uri":"https://k.example/"}"#,
                "refused",
            ),
            (r#"{"issuer":"https://issuer.example"}"#, "no jwks_uri"),
            (
                r#"{"issuer":"https://issuer.example","jwks_uri":"http://k.example/"}"#,
                "refused",
            ),
            ("[]", "is not"),
        ] {
            let err = disc(bad).unwrap_err().to_string();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}
