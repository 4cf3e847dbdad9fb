//! Exit statuses (DECISIONS §1) and the one error type that carries one.
//!
//! A verdict on a token is data: `token::Rejection` maps to a status through [`Exit::from`].
//! Everything that could not be answered is an `anyhow::Error`; [`classify`] picks its status once,
//! in one place, from a [`Failure`] in its chain or from an I/O error.

use std::fmt;
use std::process::ExitCode;

/// The documented exit statuses. The numbers are an API: scripts branch on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Internal = 1,
    Usage = 2,
    Malformed = 3,
    Signature = 4,
    Expired = 5,
    NotYetValid = 6,
    Claim = 7,
    Revoked = 8,
    Reused = 9,
    Io = 10,
    Key = 11,
}

impl Exit {
    /// The numeric status, as the process returns it.
    #[must_use]
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e.code())
    }
}

impl From<crate::token::Reason> for Exit {
    fn from(r: crate::token::Reason) -> Self {
        use crate::token::Reason;
        match r {
            Reason::Malformed => Exit::Malformed,
            Reason::Signature => Exit::Signature,
            Reason::Expired => Exit::Expired,
            Reason::NotYetValid => Exit::NotYetValid,
            Reason::Claim => Exit::Claim,
        }
    }
}

impl From<crate::session::RefusalReason> for Exit {
    fn from(r: crate::session::RefusalReason) -> Self {
        use crate::session::RefusalReason as R;
        match r {
            R::Unknown | R::NotIssued | R::Revoked | R::Disabled => Exit::Revoked,
            R::SessionOver | R::Expired => Exit::Expired,
            R::ClientMismatch => Exit::Claim,
            R::Reused => Exit::Reused,
        }
    }
}

/// The words `verify` prints before a rejection's reason: `jwtctl: expired: ...`.
#[must_use]
pub fn label(e: Exit) -> &'static str {
    match e {
        Exit::Malformed => "malformed token",
        Exit::Signature => "signature rejected",
        Exit::Expired => "expired",
        Exit::NotYetValid => "not yet valid",
        Exit::Claim => "claim rejected",
        Exit::Revoked => "revoked",
        Exit::Reused => "reuse detected",
        _ => "error",
    }
}

/// The table printed by `--help`, the README and the man page.
pub const EXIT_STATUS_HELP: &str = "\
Exit status:
   0  success (also when stdout is closed early, e.g. `| head`, if nothing was changed)
   1  internal error (a bug)
   2  usage error: unknown flag, missing argument, a flag or environment value that does not
      parse or is out of range, no token on a terminal
   3  malformed token: not three base64url segments, bad JSON, duplicate keys, over 64 KiB
   4  signature rejected: bad signature; alg unsupported or not allowed for the key; unknown or
      retired kid
   5  expired: exp has passed (beyond --leeway)
   6  not yet valid: nbf or iat in the future (beyond --leeway)
   7  claim rejected: iss/aud/sub/typ mismatch, missing or mistyped claim, unknown crit
   8  revoked: session revoked or logged out, subject disabled, token unknown to the store
   9  refresh-token reuse detected: the whole session is now revoked
  10  I/O error: file, stdin, stdout or refresh store unreadable, unwritable, locked or corrupt;
      stdout that cannot take what login, refresh or keygen created (nothing is committed);
      an issuer unreachable, timed out or failing TLS (--jwks-url, --issuer)
  11  key or config error: unreadable, unsupported or weak key; a key that cannot serve --alg;
      a keyring, store or home that others can read or write; a fetched JWKS or discovery
      document that is invalid";

/// An error that knows its exit status and, where a command would fix it, a hint.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Builds an `anyhow::Error` carrying `exit`.
pub fn fail(exit: Exit, message: impl Into<String>) -> anyhow::Error {
    Failure {
        exit,
        message: message.into(),
        hint: None,
    }
    .into()
}

/// Like [`fail`], with a `hint:` line naming the command that fixes it.
pub fn fail_hint(exit: Exit, message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    Failure {
        exit,
        message: message.into(),
        hint: Some(hint.into()),
    }
    .into()
}

/// True when the error is a closed stdout (`jwtctl decode | head -1`): that is a success.
#[must_use]
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The status for an error and its hint, if any: the first typed "no" in the chain wins (a
/// [`Failure`] chosen by a command, a key error, a file refusal, a store error, a token that
/// must not be minted), then any I/O error (10);
/// anything else is a bug (1). This is the one place lower layers' reasons become statuses.
#[must_use]
pub fn classify(err: &anyhow::Error) -> (Exit, Option<&str>) {
    use crate::files::FileError;
    use crate::keys::{Ambiguous, KeyError};
    use crate::net::NetError;
    use crate::session::MintError;
    use crate::session::store::StoreError;
    for cause in err.chain() {
        if let Some(f) = cause.downcast_ref::<Failure>() {
            return (f.exit, f.hint.as_deref());
        }
        if let Some(k) = cause.downcast_ref::<KeyError>() {
            return (Exit::Key, k.hint.as_deref());
        }
        if let Some(a) = cause.downcast_ref::<Ambiguous>() {
            return (Exit::Usage, Some(a.hint.as_str()));
        }
        if let Some(f) = cause.downcast_ref::<FileError>() {
            return match f {
                FileError::Exists(_) => (Exit::Io, Some("pass --force to replace it")),
                FileError::NotAFile(_) => (Exit::Io, None),
                FileError::TooLarge(_) => (Exit::Key, None),
                FileError::Unsafe { fix, .. } => (Exit::Key, Some(fix.as_str())),
                FileError::Busy { hint, .. } | FileError::Newer { hint, .. } => {
                    (Exit::Io, Some(hint.as_str()))
                }
            };
        }
        if let Some(s) = cause.downcast_ref::<StoreError>() {
            let aside = "move the file aside (jwtctl never rewrites it) and log in again";
            return match s {
                StoreError::Busy { .. } => (Exit::Io, Some("retry, or raise JWTCTL_STORE_WAIT")),
                StoreError::OlderFormat { migrate: true, .. } => (
                    Exit::Io,
                    Some(
                        "bring it up to date with `jwtctl store migrate` (a jwtctl that knows \
                         only the older version then refuses it)",
                    ),
                ),
                StoreError::Corrupt { .. }
                | StoreError::Foreign { .. }
                | StoreError::OlderFormat { .. } => (Exit::Io, Some(aside)),
                StoreError::NewerFormat { .. } => {
                    (Exit::Io, Some("use the newer jwtctl that wrote it"))
                }
                StoreError::Conflict { .. } => (Exit::Io, Some("retry")),
                StoreError::Unusable { .. } | StoreError::Io { .. } => (Exit::Io, None),
                StoreError::Unreachable { hint, .. } => (Exit::Io, hint.as_deref()),
                StoreError::NotEmpty { .. } => (
                    Exit::Usage,
                    Some("copy into an empty store: a new file, database or --store-prefix"),
                ),
            };
        }
        if let Some(n) = cause.downcast_ref::<NetError>() {
            let status = match n {
                NetError::Fetch { .. } => Exit::Io,
                NetError::Document { .. } | NetError::Config { .. } => Exit::Key,
            };
            return (status, n.hint());
        }
        if let Some(m) = cause.downcast_ref::<MintError>() {
            return match m {
                MintError::TooLate { .. } => (
                    Exit::Usage,
                    Some("use an earlier --now or a shorter --max-lifetime"),
                ),
                MintError::TooLarge { .. } => (
                    Exit::Usage,
                    Some("use shorter --sub, --scope, --iss, --aud or key id"),
                ),
            };
        }
    }
    if err
        .chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some())
    {
        return (Exit::Io, None);
    }
    (Exit::Internal, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn failure_in_chain_decides_the_status() {
        let err = Err::<(), _>(fail(Exit::Key, "weak key"))
            .context("loading key")
            .unwrap_err();
        assert_eq!(classify(&err).0, Exit::Key);
    }

    #[test]
    fn io_errors_are_10_and_broken_pipe_is_detected() {
        let err = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(classify(&err).0, Exit::Io);
        assert!(!is_broken_pipe(&err));
        let pipe = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("writing stdout");
        assert!(is_broken_pipe(&pipe));
    }

    #[test]
    fn store_and_mint_errors_and_refusals_map_here() {
        use crate::session::RefusalReason as R;
        use crate::session::store::StoreError;
        let busy = anyhow::Error::from(StoreError::Busy {
            store: "s".into(),
            waited: std::time::Duration::from_secs(5),
        })
        .context("refreshing");
        assert_eq!(
            classify(&busy),
            (Exit::Io, Some("retry, or raise JWTCTL_STORE_WAIT"))
        );
        let newer = anyhow::Error::from(StoreError::NewerFormat {
            store: "s".into(),
            found: 2,
            known: 1,
        });
        assert_eq!(classify(&newer).0, Exit::Io);
        let late = anyhow::Error::from(crate::session::MintError::TooLate { what: "exp", at: 0 });
        assert_eq!(classify(&late).0, Exit::Usage);
        let statuses = [
            (R::Unknown, Exit::Revoked),
            (R::NotIssued, Exit::Revoked),
            (R::Revoked, Exit::Revoked),
            (R::Disabled, Exit::Revoked),
            (R::SessionOver, Exit::Expired),
            (R::Expired, Exit::Expired),
            (R::ClientMismatch, Exit::Claim),
            (R::Reused, Exit::Reused),
        ];
        for (reason, status) in statuses {
            assert_eq!(Exit::from(reason), status, "{reason:?}");
        }
    }

    #[test]
    fn lower_layers_reasons_map_to_their_statuses() {
        use crate::files::FileError;
        let busy = FileError::Busy {
            message: "locked".into(),
            hint: "retry".into(),
        };
        assert_eq!(classify(&busy.into()), (Exit::Io, Some("retry")));
        let newer = anyhow::Error::from(FileError::Newer {
            message: "v2".into(),
            hint: "upgrade".into(),
        });
        assert_eq!(classify(&newer).0, Exit::Io);
        let ambiguous = anyhow::Error::from(crate::keys::Ambiguous {
            message: "two kids".into(),
            hint: "say more".into(),
        })
        .context("keys retire");
        assert_eq!(classify(&ambiguous), (Exit::Usage, Some("say more")));
    }

    #[test]
    fn fetch_failures_are_10_and_bad_documents_11() {
        use crate::net::NetError;
        let down = anyhow::Error::from(NetError::Fetch {
            message: "issuer.example refused the connection".into(),
            hint: "is it running?".into(),
        })
        .context("verify");
        assert_eq!(classify(&down), (Exit::Io, Some("is it running?")));
        let bad = anyhow::Error::from(NetError::Document {
            message: "not a JWKS".into(),
            hint: None,
        });
        assert_eq!(classify(&bad), (Exit::Key, None));
        let ca = anyhow::Error::from(NetError::Config {
            message: "no certificate".into(),
            hint: None,
        });
        assert_eq!(classify(&ca).0, Exit::Key);
    }

    #[test]
    fn anything_else_is_internal() {
        assert_eq!(classify(&anyhow::anyhow!("oops")).0, Exit::Internal);
    }

    #[test]
    fn codes_match_the_contract() {
        assert_eq!(Exit::Malformed.code(), 3);
        assert_eq!(Exit::Claim.code(), 7);
        assert_eq!(Exit::Key.code(), 11);
    }
}
