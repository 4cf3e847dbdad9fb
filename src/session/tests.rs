//! Unit tests of the pure refresh flow: claims of a pair and every branch of `decide`.

use super::*;
use crate::session::store::{Disabled, TokenRecord};
use serde_json::json;

const NOW: i64 = 1_700_000_000;

fn grant() -> Grant {
    Grant {
        sub: "alice".into(),
        client_id: "web".into(),
        scope: Some("read".into()),
        iss: "jwtctl".into(),
        aud: "api".into(),
    }
}

fn life() -> Lifetimes {
    Lifetimes {
        access: 900,
        refresh: 7 * 86_400,
        max: 30 * 86_400,
    }
}

/// A family at generation 2: rt-1 used (replaced by rt-2 at NOW), rt-2 current.
fn rotated() -> (Snapshot, TokenRecord, TokenRecord) {
    let mut f = new_family(&grant(), life(), "fam-1".into(), "rt-1".into(), NOW - 100);
    let mut rt1 = token_record(&f, 1, "rt-1", None, vec![1], NOW - 100, NOW + 1000);
    rt1.state = TokenState::Used;
    rt1.used_at = Some(NOW);
    rt1.replaced_by = Some("rt-2".into());
    let rt2 = token_record(&f, 2, "rt-2", Some("rt-1"), vec![2], NOW, NOW + 1000);
    f.generation = 2;
    f.current_jti = "rt-2".into();
    let snap = Snapshot {
        token: None,
        family: Some(f),
        disabled: None,
    };
    (snap, rt1, rt2)
}

fn presenting(t: &TokenRecord) -> Presented {
    Presented {
        jti: t.jti.clone(),
        family_id: t.family_id.clone(),
        generation: t.generation,
        sha256: t.sha256.clone(),
        expired: false,
    }
}

fn with(mut snap: Snapshot, t: &TokenRecord) -> Snapshot {
    snap.token = Some(t.clone());
    snap
}

fn req(now: i64) -> Request {
    Request {
        client_id: None,
        grace: 0,
        now,
    }
}

/// A stand-in for signing: the successor's record, and a response that names it.
fn mint(issue: Issue<'_>) -> anyhow::Result<Successor> {
    let jti = format!("rt-{}", issue.generation);
    let record = token_record(
        issue.family,
        issue.generation,
        &jti,
        Some(&issue.parent.jti),
        jti.as_bytes().to_vec(),
        NOW,
        NOW + 1000,
    );
    let response = TokenResponse {
        access_token: "at".into(),
        token_type: "Bearer",
        expires_in: 900,
        refresh_token: jti,
        refresh_expires_in: 1000,
        scope: None,
        session_id: issue.family.id.clone(),
        generation: issue.generation,
    };
    Ok(Successor { record, response })
}

fn decided(snap: &Snapshot, p: &Presented, r: &Request) -> Step {
    decide(snap, p, r, mint).unwrap()
}

fn reason_of(step: &Step) -> Option<RefusalReason> {
    step.refusal().map(|r| r.reason)
}

#[test]
fn pair_claims_follow_rfc_9068_and_never_outlive_the_family() {
    let f = new_family(&grant(), life(), "fam-1".into(), "rt-1".into(), NOW);
    let p = pair_claims(&f, 1, "rt-1", "at-1", NOW);
    for name in [
        "iss",
        "sub",
        "aud",
        "exp",
        "iat",
        "jti",
        "client_id",
        "scope",
        "sid",
    ] {
        assert!(p.access.contains_key(name), "access token lacks {name}");
    }
    assert_eq!(p.access["sid"], "fam-1");
    assert_eq!(p.access_exp, NOW + 900);
    assert_eq!(p.refresh["fam"], "fam-1");
    assert_eq!(p.refresh["gen"], 1);
    assert_eq!(p.refresh["jti"], "rt-1");
    assert!(!p.refresh.contains_key("scope"));
    // Near the end of the family, both expiries are capped at not_after.
    let late = f.not_after - 60;
    let p = pair_claims(&f, 9, "rt-9", "at-9", late);
    assert_eq!(p.refresh_exp, f.not_after);
    assert_eq!(p.access_exp, f.not_after);
}

#[test]
fn presented_claims_are_type_checked() {
    let claims = |v: Value| v.as_object().cloned().unwrap_or_default();
    let ok = claims(json!({"jti": "a", "fam": "f", "gen": 3}));
    let p = Presented::from_claims(&ok, vec![], false).unwrap();
    assert_eq!(
        (p.jti.as_str(), p.family_id.as_str(), p.generation),
        ("a", "f", 3)
    );
    for bad in [
        json!({"fam": "f", "gen": 1}),
        json!({"jti": "a", "gen": 1}),
        json!({"jti": "a", "fam": "f"}),
        json!({"jti": "a", "fam": "f", "gen": "1"}),
        json!({"jti": "a", "fam": "f", "gen": 0}),
        json!({"jti": 5, "fam": "f", "gen": 1}),
    ] {
        assert!(
            Presented::from_claims(&claims(bad.clone()), vec![], false).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn the_current_token_rotates() {
    let (snap, _, rt2) = rotated();
    let v = decided(&with(snap, &rt2), &presenting(&rt2), &req(NOW + 5));
    match &v {
        Step::Rotate { target, successor } => {
            assert_eq!(target.token.jti, "rt-2");
            assert_eq!(target.family.generation, 2);
            assert_eq!(successor.record.generation, 3);
            assert_eq!(successor.record.parent_jti.as_deref(), Some("rt-2"));
        }
        other => panic!("{other:?}"),
    }
    assert!(v.successor().is_some() && v.refusal().is_none());
}

#[test]
fn a_used_token_is_reuse_and_revokes_the_family() {
    let (snap, rt1, _) = rotated();
    let v = decided(&with(snap, &rt1), &presenting(&rt1), &req(NOW + 5));
    match v {
        Step::Revoke {
            reason: RevokeReason::ReuseDetected,
            event,
            refusal,
            target,
        } => {
            assert_eq!(refusal.reason, RefusalReason::Reused);
            assert_eq!(event.kind, "reuse_detected");
            assert_eq!(target.family.id, "fam-1");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn refusals_sign_nothing_and_a_failed_signature_ends_the_decision() {
    let (snap, rt1, rt2) = rotated();
    let refusing = decide(
        &with(snap.clone(), &rt1),
        &presenting(&rt1),
        &req(NOW),
        |_| panic!("a refusal must not mint"),
    );
    assert_eq!(reason_of(&refusing.unwrap()), Some(RefusalReason::Reused));
    let failing = decide(&with(snap, &rt2), &presenting(&rt2), &req(NOW), |_| {
        Err(anyhow::anyhow!("no key"))
    });
    assert!(failing.is_err());
}

#[test]
fn grace_covers_only_the_immediate_predecessor_inside_the_window() {
    let (snap, rt1, _) = rotated();
    let grace = |now| Request {
        grace: 30,
        ..req(now)
    };
    let v = decided(
        &with(snap.clone(), &rt1),
        &presenting(&rt1),
        &grace(NOW + 30),
    );
    assert!(
        matches!(&v, Step::Grace { target, successor }
            if target.family.current_jti == "rt-2" && successor.record.generation == 3),
        "{v:?}"
    );
    // Past the window: reuse.
    let v = decided(
        &with(snap.clone(), &rt1),
        &presenting(&rt1),
        &grace(NOW + 31),
    );
    assert_eq!(reason_of(&v), Some(RefusalReason::Reused));
    // An older generation (rt-1 while rt-3 is current and rt-2 was the predecessor): reuse.
    let mut older = snap;
    if let Some(f) = older.family.as_mut() {
        f.generation = 3;
        f.current_jti = "rt-3".into();
    }
    let v = decided(&with(older, &rt1), &presenting(&rt1), &grace(NOW + 1));
    assert_eq!(reason_of(&v), Some(RefusalReason::Reused));
}

#[test]
fn a_superseded_token_is_reuse() {
    let (snap, _, mut rt2) = rotated();
    rt2.state = TokenState::Superseded;
    let v = decided(&with(snap, &rt2), &presenting(&rt2), &req(NOW));
    assert_eq!(reason_of(&v), Some(RefusalReason::Reused));
}

#[test]
fn revoked_family_and_disabled_subject_are_8_without_revoking_again() {
    let (snap, _, rt2) = rotated();
    let mut revoked = with(snap.clone(), &rt2);
    if let Some(f) = revoked.family.as_mut() {
        f.revoked_at = Some(NOW);
        f.revoked_reason = Some("logout".into());
    }
    let v = decided(&revoked, &presenting(&rt2), &req(NOW + 1));
    assert!(matches!(&v, Step::Refuse { refusal: r, logged: Some(_) }
            if r.reason == RefusalReason::Revoked && r.message.contains("logout")));
    let mut disabled = with(snap, &rt2);
    disabled.disabled = Some(Disabled {
        at: NOW,
        reason: Some("banned".into()),
    });
    let v = decided(&disabled, &presenting(&rt2), &req(NOW + 1));
    assert!(matches!(&v, Step::Refuse { refusal: r, .. }
            if r.reason == RefusalReason::Disabled && r.message.contains("banned")));
}

#[test]
fn expiry_of_the_token_or_the_family_is_5() {
    let (snap, _, rt2) = rotated();
    let v = decided(
        &with(snap.clone(), &rt2),
        &presenting(&rt2),
        &req(rt2.expires_at),
    );
    assert_eq!(reason_of(&v), Some(RefusalReason::Expired));
    let mut expired = presenting(&rt2);
    expired.expired = true;
    let v = decided(&with(snap.clone(), &rt2), &expired, &req(NOW));
    assert_eq!(reason_of(&v), Some(RefusalReason::Expired));
    let not_after = snap.family.as_ref().map_or(0, |f| f.not_after);
    let v = decided(&with(snap, &rt2), &presenting(&rt2), &req(not_after));
    assert!(matches!(&v, Step::Refuse { refusal: r, .. }
            if r.reason == RefusalReason::SessionOver && r.message.contains("absolute lifetime")));
}

#[test]
fn another_client_is_refused_and_revokes_the_family() {
    let (snap, _, rt2) = rotated();
    let r = Request {
        client_id: Some("evil".into()),
        ..req(NOW)
    };
    let v = decided(&with(snap.clone(), &rt2), &presenting(&rt2), &r);
    assert!(matches!(&v, Step::Revoke {
        reason: RevokeReason::ClientMismatch,
        refusal,
        ..
    } if refusal.reason == RefusalReason::ClientMismatch));
    let same = Request {
        client_id: Some("web".into()),
        ..req(NOW)
    };
    assert!(matches!(
        decided(&with(snap, &rt2), &presenting(&rt2), &same),
        Step::Rotate { .. }
    ));
}

#[test]
fn unknown_or_mismatched_tokens_are_8() {
    let (snap, _, rt2) = rotated();
    let v = decided(&snap, &presenting(&rt2), &req(NOW));
    assert!(
        matches!(&v, Step::Refuse { logged: None, refusal } if refusal.reason == RefusalReason::Unknown)
    );
    let mut forged = presenting(&rt2);
    forged.sha256 = vec![9];
    let v = decided(&with(snap, &rt2), &forged, &req(NOW));
    assert_eq!(reason_of(&v), Some(RefusalReason::NotIssued));
}

#[test]
fn token_hashes_are_sha256() {
    assert_eq!(token_hash("abc").len(), 32);
    assert_ne!(token_hash("a.b.c"), token_hash("a.b.d"));
}

#[test]
fn minted_tokens_stay_in_range_and_under_the_cap() {
    use crate::time::MAX_NUMERIC_DATE;
    use crate::token::MAX_TOKEN_BYTES;
    assert!(check_exp("exp", MAX_NUMERIC_DATE).is_ok());
    let late = check_exp("the refresh token's exp", MAX_NUMERIC_DATE + 1).unwrap_err();
    assert!(matches!(late, MintError::TooLate { .. }));
    assert!(late.to_string().contains("9999-12-31T23:59:59Z"), "{late}");
    assert!(check_size("access token", &"a".repeat(MAX_TOKEN_BYTES)).is_ok());
    let big = check_size("access token", &"a".repeat(MAX_TOKEN_BYTES + 1)).unwrap_err();
    assert!(matches!(big, MintError::TooLarge { bytes, .. } if bytes == MAX_TOKEN_BYTES + 1));
    // A family that ends near the end of time caps every pair it mints at its end.
    let f = new_family(
        &grant(),
        life(),
        "f".into(),
        "rt".into(),
        MAX_NUMERIC_DATE - 10,
    );
    assert!(check_exp("end", f.not_after).is_err());
}
