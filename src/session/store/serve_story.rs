//! One story of `serve`'s codes and session claims, told to any [`Store`]: the SQLite and Redis
//! unit tests run it against a real store (PostgreSQL gets the same through `tests/it`,
//! `serve_shared`, where the harness runs the server).

#![allow(clippy::unwrap_used)]

use super::{CodeClaim, MAX_SERVE_RECORD, Store, StoredCode};
use crate::session::token_hash;

const T0: i64 = 1_700_000_000;

fn used(family: Option<&str>) -> CodeClaim {
    CodeClaim::Used {
        family: family.map(str::to_owned),
    }
}

/// The story; `open` gives a new handle on the same store (for concurrent claims).
pub(crate) fn story(open: &(dyn Fn() -> Box<dyn Store> + Sync)) {
    let s = open();
    let s = s.as_ref();
    let (h1, h2, h3) = (
        token_hash("code-1"),
        token_hash("code-2"),
        token_hash("code-3"),
    );

    // Nothing kept yet (on SQLite, not even the tables).
    assert_eq!(s.code(&h1, T0).unwrap(), None);
    assert_eq!(s.claim_code(&h1, T0).unwrap(), CodeClaim::Missing);
    assert!(!s.bind_code(&h1, "fam-1").unwrap());
    assert_eq!(s.session_claims("fam-1").unwrap(), None);

    // An exchange, then a replay: the replay sees the session the exchange bound.
    s.put_code(&h1, r#"{"n":1}"#, T0 + 600, T0).unwrap();
    let fresh = StoredCode {
        record: r#"{"n":1}"#.into(),
        claimed: false,
    };
    assert_eq!(s.code(&h1, T0 + 599).unwrap(), Some(fresh));
    assert_eq!(s.code(&h1, T0 + 600).unwrap(), None, "past keep_until");
    assert_eq!(s.claim_code(&h1, T0 + 600).unwrap(), CodeClaim::Missing);
    assert_eq!(
        s.claim_code(&h1, T0 + 1).unwrap(),
        CodeClaim::Fresh(r#"{"n":1}"#.into())
    );
    assert!(s.code(&h1, T0 + 1).unwrap().unwrap().claimed);
    assert!(!s.bind_code(&h1, "fam-1").unwrap(), "no replay yet");
    assert_eq!(s.claim_code(&h1, T0 + 2).unwrap(), used(Some("fam-1")));
    assert_eq!(s.claim_code(&h1, T0 + 3).unwrap(), used(Some("fam-1")));

    // A replay between the claim and the bind: the bind says so.
    s.put_code(&h2, r#"{"n":2}"#, T0 + 600, T0).unwrap();
    assert_eq!(
        s.claim_code(&h2, T0).unwrap(),
        CodeClaim::Fresh(r#"{"n":2}"#.into())
    );
    assert_eq!(s.claim_code(&h2, T0).unwrap(), used(None));
    assert!(s.bind_code(&h2, "fam-2").unwrap(), "replayed meanwhile");
    assert_eq!(s.claim_code(&h2, T0).unwrap(), used(Some("fam-2")));

    // Many claims at once, from as many connections: exactly one is the first.
    s.put_code(&h3, r#"{"n":3}"#, T0 + 600, T0).unwrap();
    let claims: Vec<CodeClaim> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| open().claim_code(&h3, T0).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let firsts = claims
        .iter()
        .filter(|c| matches!(c, CodeClaim::Fresh(_)))
        .count();
    assert_eq!(firsts, 1, "{claims:?}");
    assert_eq!(claims.iter().filter(|c| **c == used(None)).count(), 7);
    assert!(s.bind_code(&h3, "fam-3").unwrap());

    // A record over the cap is refused, nothing kept.
    let big = format!("\"{}\"", "x".repeat(MAX_SERVE_RECORD));
    let h4 = token_hash("code-4");
    assert!(s.put_code(&h4, &big, T0 + 600, T0).is_err());
    assert_eq!(s.code(&h4, T0).unwrap(), None);
    assert!(s.put_session_claims("fam-4", &big, T0 + 600, T0).is_err());

    // Session claims: kept, replaced, by family.
    s.put_session_claims("fam-1", r#"{"email":"a@example.com"}"#, T0 + 6000, T0)
        .unwrap();
    assert_eq!(
        s.session_claims("fam-1").unwrap().as_deref(),
        Some(r#"{"email":"a@example.com"}"#)
    );
    s.put_session_claims("fam-1", r#"{"email":"b@example.com"}"#, T0 + 6000, T0)
        .unwrap();
    assert_eq!(
        s.session_claims("fam-1").unwrap().as_deref(),
        Some(r#"{"email":"b@example.com"}"#)
    );
    assert_eq!(s.session_claims("fam-2").unwrap(), None);
}
