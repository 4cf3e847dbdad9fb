//! Every Wycheproof JWS and JWK vector (`tests/vectors/wycheproof/`) through the real
//! `jwtctl verify`, each result checked against its label, except the label quirks documented in
//! `tests/vectors/README.md` §1, which [`QUIRKS`] lists with the reason.
//!
//! # What "valid" means through the CLI
//!
//! Wycheproof labels the *signature*: most payloads are not JWT claims (`foo`, `Test`, RFC 7520
//! prose), and jwtctl always requires a claims object with `exp`. jwtctl checks the signature
//! before it reads the claims (SECURITY.md's order of checks), so the exit status tells how far a
//! token got:
//!
//! * signature **accepted**: exit 0; or 5, 6, 7 (time or claim checks, which run only after the
//!   signature; the one earlier 7, an unknown `crit`, is counted as rejected); or 3 from the
//!   claims stage, whose message is "the claims are ..." (payload not a JSON object).
//! * signature **rejected**: exit 3 from the structure/base64url/header stages, 4 (bad signature,
//!   alg not allowed for the key, unknown kid, unsupported alg) or 11 (the key or key set itself
//!   refused: weak, encryption-only, mixed, duplicate kid). stdout must be empty.
//! * **unsupported**: a rejection (4 or 11) whose message says "unsupported"; it fulfils an
//!   "invalid" label, and the ES512 quirks demand it.
//!
//! Anything else (1, 2, 10, a signal, output on stdout after a rejection) fails the test.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

use crate::support::{self, jwtctl};

/// How far a token got through `jwtctl verify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Accepted,
    Rejected,
    Unsupported,
}

/// The documented label quirks: tcId of `json_web_signature_test.json`, the label it carries,
/// what jwtctl must do instead, and why. `json_web_key_test.json` has none.
const QUIRKS: [(u64, &str, Outcome, &str); 9] = [
    (
        360,
        "invalid",
        Outcome::Accepted,
        "rejectsSpacesInMac: the CLI removes spaces inside a pasted token (DECISIONS §2; the token module alone still refuses them), and without them the MAC is valid",
    ),
    (
        367,
        "invalid",
        Outcome::Accepted,
        "invalidBase64Padding: the jws is byte-identical to tcId 357 (ValidMac); the padding the comment describes is not in the data",
    ),
    (
        370,
        "invalid",
        Outcome::Accepted,
        "invalidBase64PaddingInPayload: byte-identical to tcId 357 (ValidMac), no padding in the data",
    ),
    (
        372,
        "valid",
        Outcome::Rejected,
        "InvalidCharacterInsertedInHeader: the header segment holds '?', which is not base64url; a strict parser refuses it (exit 3)",
    ),
    (
        373,
        "valid",
        Outcome::Rejected,
        "InvalidCharacterInsertedInPayload: the payload segment holds '?', not base64url (exit 3)",
    ),
    (
        346,
        "valid",
        Outcome::Rejected,
        "rfc7520 Figure20: the JWK says alg PS256, the token PS384; jwtctl pins a key to its JWK alg (README 'Keys'), so exit 4",
    ),
    (
        350,
        "valid",
        Outcome::Rejected,
        "rfc7520WithKeyOps Figure20: same as 346 (JWK alg PS256, token PS384): pinned, exit 4",
    ),
    (
        347,
        "valid",
        Outcome::Unsupported,
        "rfc7520 Figure27: JWK alg \"ES521\" (not a JWA name) on a P-521 key, token ES512: unsupported algorithm",
    ),
    (
        351,
        "valid",
        Outcome::Unsupported,
        "rfc7520WithKeyOps Figure27: same as 347: unsupported algorithm",
    ),
];

/// One vector, ready to run: its key file, token and expected outcome.
struct Case {
    tc_id: u64,
    comment: String,
    key: PathBuf,
    jws: String,
    label: Outcome,
    expected: Outcome,
}

/// Classifies a finished `jwtctl verify`; `Err` for anything outside the contract.
fn classify(out: &std::process::Output) -> Result<Outcome, String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out
        .status
        .code()
        .ok_or_else(|| format!("killed by a signal; stderr: {stderr}"))?;
    let unsupported = stderr.contains("unsupported");
    let outcome = match code {
        0 => {
            serde_json::from_slice::<serde_json::Map<String, Value>>(&out.stdout)
                .map_err(|e| format!("exit 0 but stdout is not claims JSON: {e}"))?;
            return Ok(Outcome::Accepted);
        }
        3 if stderr.contains("the claims are") => Outcome::Accepted,
        7 if stderr.contains("critical") => Outcome::Rejected,
        5..=7 => Outcome::Accepted,
        4 | 11 if unsupported => Outcome::Unsupported,
        3 | 4 | 11 => Outcome::Rejected,
        other => {
            return Err(format!(
                "exit {other} is outside the contract; stderr: {stderr}"
            ));
        }
    };
    if !out.stdout.is_empty() {
        return Err(format!(
            "exit {code} but stdout is not empty: {:?}",
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    Ok(outcome)
}

fn run_case(case: &Case, home: &Path) -> Result<Outcome, String> {
    // On support's fixed clock; no Wycheproof payload carries `exp`, so any instant would do.
    let out = jwtctl(home)
        .args(["verify", "--key"])
        .arg(&case.key)
        .write_stdin(case.jws.clone())
        .output()
        .map_err(|e| format!("could not run jwtctl: {e}"))?;
    classify(&out)
}

/// Runs every case on a few threads; returns each case with its outcome (or error text).
fn run_all(cases: &[Case], home: &Path) -> Vec<(u64, Result<Outcome, String>)> {
    support::par_map(cases, |c| (c.tc_id, run_case(c, home)))
}

fn label(test: &Value) -> Outcome {
    match test["result"].as_str() {
        Some("valid") => Outcome::Accepted,
        Some("invalid") => Outcome::Rejected,
        other => panic!("tcId {}: unexpected result {other:?}", test["tcId"]),
    }
}

/// Builds the cases of one file: each group's key written once (`public` when present, else
/// `private`, as the vectors' README says), each test's expectation from its label or a quirk.
fn cases(doc: &Value, dir: &Path, quirks: &[(u64, &str, Outcome, &str)]) -> Vec<Case> {
    let mut out = Vec::new();
    for (g, group) in doc["testGroups"]
        .as_array()
        .expect("testGroups")
        .iter()
        .enumerate()
    {
        let key = group
            .get("public")
            .filter(|k| !k.is_null())
            .unwrap_or(&group["private"]);
        assert!(key.is_object(), "group {g} has no key");
        let path = dir.join(format!("group-{g}.json"));
        std::fs::write(&path, key.to_string()).expect("write key");
        for test in group["tests"].as_array().expect("tests") {
            let tc_id = test["tcId"].as_u64().expect("tcId");
            let label = label(test);
            let expected = match quirks.iter().find(|q| q.0 == tc_id) {
                Some(&(_, quirk_label, outcome, _)) => {
                    assert_eq!(
                        test["result"], quirk_label,
                        "tcId {tc_id}: the quirk table no longer matches the vector's label"
                    );
                    outcome
                }
                None => label,
            };
            out.push(Case {
                tc_id,
                comment: test["comment"].as_str().unwrap_or_default().to_owned(),
                key: path.clone(),
                jws: test["jws"].as_str().expect("jws").to_owned(),
                label,
                expected,
            });
        }
    }
    out
}

/// An unsupported algorithm is one way of rejecting; a quirk that expects "unsupported"
/// demands that reason.
fn fulfils(got: Outcome, expected: Outcome) -> bool {
    got == expected || (expected == Outcome::Rejected && got == Outcome::Unsupported)
}

/// Runs one file and checks every vector; prints the counts.
fn check_file(name: &str, quirks: &[(u64, &str, Outcome, &str)]) -> (usize, usize) {
    let doc = support::vector(&format!("wycheproof/{name}"));
    let dir = TempDir::new().expect("tempdir");
    let all = cases(&doc, dir.path(), quirks);
    let declared =
        usize::try_from(doc["numberOfTests"].as_u64().expect("numberOfTests")).expect("count fits");
    assert_eq!(all.len(), declared, "{name}: every declared test is run");

    let results: BTreeMap<u64, Result<Outcome, String>> = run_all(&all, &dir.path().join("home"))
        .into_iter()
        .collect();
    let mut failures = Vec::new();
    let mut as_labelled = 0;
    for case in &all {
        match &results[&case.tc_id] {
            Ok(got) if fulfils(*got, case.expected) => {
                if case.expected == case.label {
                    as_labelled += 1;
                } else {
                    assert!(
                        quirks.iter().any(|q| q.0 == case.tc_id),
                        "tcId {} differs from its label without a quirk",
                        case.tc_id
                    );
                }
            }
            Ok(got) => failures.push(format!(
                "tcId {} ({}): expected {:?}, got {got:?}",
                case.tc_id, case.comment, case.expected
            )),
            Err(e) => failures.push(format!("tcId {} ({}): {e}", case.tc_id, case.comment)),
        }
    }
    println!(
        "{name}: {} vectors ran; {} as labelled, {} documented quirks, {} failures",
        all.len(),
        as_labelled,
        all.len() - as_labelled - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} {name} vectors failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
    (all.len(), as_labelled)
}

#[test]
fn wycheproof_json_web_signature_vectors() {
    let (ran, as_labelled) = check_file("json_web_signature_test.json", &QUIRKS);
    assert_eq!(ran, 401);
    // Every quirk really departs from its label; everything else matches it.
    for (tc_id, label, outcome, why) in QUIRKS {
        let as_label = if label == "valid" {
            Outcome::Accepted
        } else {
            Outcome::Rejected
        };
        assert_ne!(outcome, as_label, "quirk {tc_id} ({why}) is not a quirk");
    }
    assert_eq!(as_labelled, ran - QUIRKS.len());
}

#[test]
fn wycheproof_json_web_key_vectors() {
    let (ran, as_labelled) = check_file("json_web_key_test.json", &[]);
    assert_eq!(ran, 26);
    assert_eq!(as_labelled, 26, "no quirks in the JWK file");
}
