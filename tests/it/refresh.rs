//! The refresh-token simulation end to end, with the real binary on every store backend (the
//! conformance suite: `refresh::sqlite::*`, `refresh::redis::*`, ...): login,
//! rotation, reuse detection, logout, disabled subjects, expiry by `--now`, type confusion, and
//! the seven `refresh_rotation_scenarios` of `tests/vectors/attack_tokens.json` (R1-R7).

#![allow(clippy::unwrap_used)] // test helpers panic by design

use crate::support::*;
use std::os::unix::fs::PermissionsExt;

const MIN: i64 = 60;
const DAY: i64 = 86_400;

conformance! {
fn login_prints_an_oauth_token_response_and_creates_a_private_store(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let resp = login_at(&home, NOW, &["--sub", "alice", "--scope", "read write"]);
    assert_eq!(resp["token_type"], "Bearer");
    assert_eq!(resp["expires_in"], 900);
    assert_eq!(resp["refresh_expires_in"], 7 * DAY);
    assert_eq!(resp["scope"], "read write");
    assert_eq!(resp["generation"], 1);
    if b == Backend::Sqlite {
        let mode = std::fs::metadata(home.join("refresh.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let at = decode(&home, &field(&resp, "access_token"));
    assert_eq!(at["header"]["typ"], "at+jwt");
    let c = &at["claims"];
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
        assert!(c.get(name).is_some(), "access token lacks {name}: {c}");
    }
    assert_eq!(c["sid"], resp["session_id"]);
    assert_eq!(c["exp"], NOW + 900);
    let rt = decode(&home, &field(&resp, "refresh_token"));
    assert_eq!(rt["header"]["typ"], "refresh+jwt");
    assert_eq!(rt["header"]["kid"], at["header"]["kid"]);
    assert_eq!(rt["claims"]["fam"], resp["session_id"]);
    assert_eq!(rt["claims"]["gen"], 1);
    assert_eq!(rt["claims"]["exp"], NOW + 7 * DAY);
    // The store holds hashes, never the tokens (each server backend checks its own data).
    if b == Backend::Sqlite {
        let db = std::fs::read(home.join("refresh.db")).unwrap();
        let needle = field(&resp, "refresh_token");
        assert!(
            !db.windows(40)
                .any(|w| w == &needle.as_bytes()[needle.len() - 40..])
        );
    }
}

fn verify_accepts_the_access_token_and_refuses_the_refresh_token_and_vice_versa(b: Backend) {
    // SECURITY.md N1, N2; scenario R6.
    let (_dir, home) = new_home_on(b);
    let resp = login(&home, "alice");
    let (at, rt) = (field(&resp, "access_token"), field(&resp, "refresh_token"));
    let (code, out, _) = run(jwtctl(&home).args(["verify", "--aud", "jwtctl", &at]));
    assert_eq!(code, 0);
    assert_eq!(json(&out)["sub"], "alice");
    let (code, _, _) =
        run(jwtctl(&home).args(["verify", "--typ", "at+jwt", "--aud", "jwtctl", &at]));
    assert_eq!(code, 0);
    let (code, out, err) = run(jwtctl(&home).args(["verify", &rt]));
    assert_eq!((code, out.as_str()), (7, ""));
    assert!(err.contains("refresh token"), "{err}");
    let (code, out, err) = refresh_at(&home, NOW, &at, &[]);
    assert_eq!((code, out.as_str()), (7, ""), "{err}");
    assert!(err.contains("at+jwt"), "{err}");
    // The refused access token changed nothing: the refresh token still rotates.
    assert_eq!(refresh_at(&home, NOW + MIN, &rt, &[]).0, 0);
}

fn rotate_then_replay_revokes_the_family_and_the_newer_token_fails(b: Backend) {
    // R1, refresh-reuse-after-rotation.
    let (_dir, home) = new_home_on(b);
    let rt1 = field(&login(&home, "alice"), "refresh_token");
    let (code, out, err) = refresh_at(&home, NOW + 10 * MIN, &rt1, &[]);
    assert_eq!(code, 0, "{err}");
    let rt2 = field(&json(&out), "refresh_token");
    assert_eq!(json(&out)["generation"], 2);

    let (code, out, err) = refresh_at(&home, NOW + 11 * MIN, &rt1, &[]);
    assert_eq!((code, out.as_str()), (9, ""));
    assert!(err.starts_with("jwtctl: reuse detected: "), "{err}");
    let (code, out, err) = refresh_at(&home, NOW + 12 * MIN, &rt2, &[]);
    assert_eq!((code, out.as_str()), (8, ""));
    assert!(err.contains("reuse_detected"), "{err}");

    let rows = sessions(&home, NOW + 12 * MIN, &[]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["state"], "revoked");
    assert_eq!(rows[0]["reason"], "reuse_detected");
    assert_eq!(rows[0]["generation"], 2);
    assert_eq!(
        event_kinds(&home),
        ["issued", "rotated", "reuse_detected", "revoked", "refused"]
    );
}

fn rotated_tokens_keep_the_family_and_never_widen_it(b: Backend) {
    // refresh-rotated-token-fields.
    let (_dir, home) = new_home_on(b);
    let first = login_at(
        &home,
        NOW,
        &["--sub", "alice", "--scope", "read", "--max-lifetime", "10d"],
    );
    let (code, out, _) = refresh_at(&home, NOW + 5 * DAY, &field(&first, "refresh_token"), &[]);
    assert_eq!(code, 0);
    let second = json(&out);
    let (rt1, rt2) = (
        decode(&home, &field(&first, "refresh_token")),
        decode(&home, &field(&second, "refresh_token")),
    );
    assert_eq!(rt2["header"]["typ"], "refresh+jwt");
    assert_ne!(rt2["claims"]["jti"], rt1["claims"]["jti"]);
    assert_eq!(rt2["claims"]["fam"], rt1["claims"]["fam"]);
    assert_eq!(rt2["claims"]["gen"], 2);
    // 7 days from now would pass the family's 10-day end: capped at it.
    assert_eq!(rt2["claims"]["exp"], NOW + 10 * DAY);
    assert_eq!(second["refresh_expires_in"], 5 * DAY);
    let at2 = decode(&home, &field(&second, "access_token"));
    assert_eq!(at2["claims"]["scope"], "read");
    assert_eq!(at2["claims"]["sid"], first["session_id"]);
}

fn logout_revokes_the_family_and_is_idempotent(b: Backend) {
    // R3, refresh-after-family-revoked.
    let (_dir, home) = new_home_on(b);
    let rt1 = field(&login(&home, "alice"), "refresh_token");
    let (_, out, _) = refresh_at(&home, NOW + MIN, &rt1, &[]);
    let rt2 = field(&json(&out), "refresh_token");
    // Any token of the family ends it, even a rotated one.
    let (code, out, err) = run(jwtctl_at(&home, NOW + 2 * MIN)
        .arg("logout")
        .write_stdin(rt1.clone()));
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.contains("revoked session"), "{err}");
    let (code, _, err) = refresh_at(&home, NOW + 3 * MIN, &rt2, &[]);
    assert_eq!(code, 8);
    assert!(err.contains("(logout)"), "{err}");
    let (code, _, err) = run(jwtctl_at(&home, NOW + 4 * MIN).args(["logout", &rt2]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("already revoked"), "{err}");
    assert_eq!(sessions(&home, NOW, &[])[0]["reason"], "logout");
}

fn logout_all_revokes_every_session_of_the_subject_only(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let a1 = field(&login(&home, "alice"), "refresh_token");
    let a2 = field(&login(&home, "alice"), "refresh_token");
    let bob = field(&login(&home, "bob"), "refresh_token");
    let (code, _, err) = run(jwtctl(&home).args(["logout", "--all", "--sub", "alice"]));
    assert_eq!(code, 0);
    assert!(err.contains("revoked 2 sessions"), "{err}");
    assert_eq!(refresh_at(&home, NOW, &a1, &[]).0, 8);
    assert_eq!(refresh_at(&home, NOW, &a2, &[]).0, 8);
    assert_eq!(refresh_at(&home, NOW, &bob, &[]).0, 0);
    let alice = sessions(&home, NOW, &["--sub", "alice"]);
    assert!(
        alice.iter().all(|s| s["reason"] == "logout_all"),
        "{alice:?}"
    );
}

fn logout_by_family_id_prefix(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let resp = login(&home, "alice");
    let id = field(&resp, "session_id");
    let (code, _, err) = run(jwtctl(&home).args(["logout", "--family", &id[..8]]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        refresh_at(&home, NOW, &field(&resp, "refresh_token"), &[]).0,
        8
    );
    assert_eq!(sessions(&home, NOW, &[])[0]["reason"], "admin");
}

fn a_disabled_subject_cannot_refresh_or_log_in_until_enabled(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let rt = field(&login(&home, "alice"), "refresh_token");
    let (code, _, _) =
        run(jwtctl(&home).args(["subject", "disable", "alice", "--reason", "banned"]));
    assert_eq!(code, 0);
    let (code, out, err) = refresh_at(&home, NOW + MIN, &rt, &[]);
    assert_eq!((code, out.as_str()), (8, ""));
    assert!(err.contains("disabled: banned"), "{err}");
    let (code, out, _) = run(jwtctl(&home).args(["login", "--sub", "alice"]));
    assert_eq!((code, out.as_str()), (8, ""));
    assert_eq!(sessions(&home, NOW, &[])[0]["state"], "disabled");
    // The refusal did not use up the token: once enabled, it rotates.
    let (code, _, _) = run(jwtctl(&home).args(["subject", "enable", "alice"]));
    assert_eq!(code, 0);
    assert_eq!(refresh_at(&home, NOW + 2 * MIN, &rt, &[]).0, 0);
    let kinds = event_kinds(&home);
    assert!(
        kinds.contains(&"subject_disabled".into()) && kinds.contains(&"subject_enabled".into())
    );
}

fn an_expired_refresh_token_is_5_and_logged(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let rt = field(
        &login_at(&home, NOW, &["--sub", "alice", "--refresh-ttl", "1h"]),
        "refresh_token",
    );
    let (code, out, err) = refresh_at(&home, NOW + 3600, &rt, &[]);
    assert_eq!((code, out.as_str()), (5, ""));
    assert!(
        err.starts_with("jwtctl: expired: refresh token expired 0s ago"),
        "{err}"
    );
    assert_eq!(event_kinds(&home).last().unwrap(), "expired");
    assert_eq!(sessions(&home, NOW + 3600, &[])[0]["state"], "expired");
    assert_eq!(sessions(&home, NOW, &[])[0]["state"], "active");
}

fn rotation_never_extends_the_family_past_its_absolute_lifetime(b: Backend) {
    // R4, refresh-family-absolute-lifetime.
    let (_dir, home) = new_home_on(b);
    let args = [
        "--sub",
        "alice",
        "--refresh-ttl",
        "30m",
        "--max-lifetime",
        "1h",
    ];
    let mut rt = field(&login_at(&home, NOW, &args), "refresh_token");
    for step in 1..=2 {
        let (code, out, err) = refresh_at(&home, NOW + step * 25 * MIN, &rt, &[]);
        assert_eq!(code, 0, "{err}");
        rt = field(&json(&out), "refresh_token");
    }
    // Issued at +50m with a 30m ttl, but capped at the family's end (+60m).
    assert_eq!(decode(&home, &rt)["claims"]["exp"], NOW + 60 * MIN);
    let (code, _, err) = refresh_at(&home, NOW + 60 * MIN + 1, &rt, &[]);
    assert_eq!(code, 5);
    assert!(err.contains("absolute lifetime"), "{err}");
}

fn a_client_other_than_the_one_issued_to_is_refused_and_revokes_the_family(b: Backend) {
    // R5, refresh-wrong-client.
    let (_dir, home) = new_home_on(b);
    let rt = field(
        &login_at(&home, NOW, &["--sub", "alice", "--client-id", "web"]),
        "refresh_token",
    );
    let (code, out, err) = refresh_at(&home, NOW, &rt, &["--client-id", "other"]);
    assert_eq!((code, out.as_str()), (7, ""));
    assert!(err.contains("issued to client \"web\""), "{err}");
    assert_eq!(refresh_at(&home, NOW, &rt, &["--client-id", "web"]).0, 8);
    assert_eq!(sessions(&home, NOW, &[])[0]["reason"], "client_mismatch");
}

fn the_right_client_rotates(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let rt = field(
        &login_at(&home, NOW, &["--sub", "alice", "--client-id", "web"]),
        "refresh_token",
    );
    assert_eq!(refresh_at(&home, NOW, &rt, &["--client-id", "web"]).0, 0);
}

fn grace_honours_only_the_immediate_predecessor_inside_the_window(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let rt1 = field(&login(&home, "alice"), "refresh_token");
    let (_, out, _) = refresh_at(&home, NOW + 60, &rt1, &[]);
    let rt2 = field(&json(&out), "refresh_token");
    // The response carrying rt2 was "lost": the client retries rt1 within 30 s.
    let (code, out, err) = refresh_at(&home, NOW + 80, &rt1, &["--grace", "30s"]);
    assert_eq!(code, 0, "{err}");
    let rt3 = field(&json(&out), "refresh_token");
    assert_eq!(json(&out)["generation"], 3);
    let chain = sessions(&home, NOW + 80, &[&field(&json(&out), "session_id")]);
    let states: Vec<&str> = chain.iter().map(|t| t["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["used", "superseded", "active"]);
    // Past the window the same replay is reuse; the family is revoked and rt3 fails.
    let (code, _, _) = refresh_at(&home, NOW + 91, &rt1, &["--grace", "30s"]);
    assert_eq!(code, 9);
    assert_eq!(refresh_at(&home, NOW + 92, &rt3, &[]).0, 8);
    let _ = rt2;
}

fn grace_never_covers_an_older_generation_or_a_superseded_token(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let rt1 = field(&login(&home, "alice"), "refresh_token");
    let (_, out, _) = refresh_at(&home, NOW + 1, &rt1, &[]);
    let rt2 = field(&json(&out), "refresh_token");
    let (_, out, _) = refresh_at(&home, NOW + 2, &rt2, &[]);
    let _rt3 = field(&json(&out), "refresh_token");
    // rt1 is two generations back: reuse even with a generous grace.
    assert_eq!(refresh_at(&home, NOW + 3, &rt1, &["--grace", "1h"]).0, 9);

    let (_dir2, home2) = new_home_on(b);
    let rt1 = field(&login(&home2, "bob"), "refresh_token");
    let (_, out, _) = refresh_at(&home2, NOW + 1, &rt1, &[]);
    let rt2 = field(&json(&out), "refresh_token");
    assert_eq!(refresh_at(&home2, NOW + 2, &rt1, &["--grace", "1m"]).0, 0);
    // rt2 was superseded by the grace re-issue: whoever presents it now did not lose it.
    assert_eq!(refresh_at(&home2, NOW + 3, &rt2, &[]).0, 9);
}

fn access_tokens_outlive_revocation_until_their_short_exp(b: Backend) {
    // R7, access-token-after-family-revoked: the documented policy.
    let (_dir, home) = new_home_on(b);
    let resp = login(&home, "alice");
    let (at, rt) = (field(&resp, "access_token"), field(&resp, "refresh_token"));
    assert_eq!(refresh_at(&home, NOW + 60, &rt, &[]).0, 0);
    assert_eq!(refresh_at(&home, NOW + 61, &rt, &[]).0, 9);
    let verify = |now| run(jwtctl_at(&home, now).args(["verify", "--aud", "jwtctl", &at])).0;
    assert_eq!(
        verify(NOW + 62),
        0,
        "a plain JWT verifier does not see the store"
    );
    assert_eq!(verify(NOW + 900), 5);
}

fn a_token_from_another_keyring_is_4_and_an_unknown_one_8(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let (_dir2, other) = new_home_on(b);
    login(&home, "alice");
    let foreign = field(&login(&other, "alice"), "refresh_token");
    let (code, out, err) = refresh_at(&home, NOW, &foreign, &[]);
    assert_eq!((code, out.as_str()), (4, ""), "{err}");
    // Signed by our key, shaped like a refresh token, but never issued by the store.
    let (code, forged, _) = run(jwtctl(&home).args([
        "sign",
        "--typ",
        "refresh+jwt",
        "--sub",
        "alice",
        "--jti",
        "made-up",
        "--claim",
        "fam=x",
        "--claim",
        "gen:=1",
    ]));
    assert_eq!(code, 0);
    let (code, _, err) = refresh_at(&home, NOW, forged.trim(), &[]);
    assert_eq!(code, 8, "{err}");
    assert!(err.contains("not in the store"), "{err}");
}

fn refresh_reads_stdin_and_a_missing_key_is_11(b: Backend) {
    let (_dir, home) = new_home_on(b);
    let rt = field(&login(&home, "alice"), "refresh_token");
    let (code, out, _) = run(jwtctl(&home)
        .args(["refresh", "-"])
        .write_stdin(format!("Bearer {rt}\n")));
    assert_eq!(code, 0);
    assert!(json(&out)["access_token"].is_string());
    let (_empty, empty) = bare_home_on(b);
    let (code, out, _) = run(jwtctl(&empty).args(["login", "--sub", "alice"]));
    assert_eq!((code, out.as_str()), (11, ""));
    assert!(!empty.join("refresh.db").exists());
}
}
