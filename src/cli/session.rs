//! Clap definitions of the refresh-token simulation (DECISIONS §6): login, refresh, logout,
//! sessions and subject. Clap only, no I/O; the conventions of `cli.rs` hold. Values are checked
//! here, at the door (exit 2): durations, and lengths that keep every stored value printable
//! and every minted token under the size cap.

use crate::edge::exit::EXIT_STATUS_HELP;
use clap::{Args, Subcommand};

/// Longest subject (`--sub`, `SUB`), in bytes.
pub const MAX_SUB: usize = 256;
/// Longest client id (`--client-id`), in bytes.
pub const MAX_CLIENT_ID: usize = 256;
/// Longest scope, issuer, audience or reason text, in bytes.
pub const MAX_TEXT: usize = 1024;

/// A text flag of `min..=max` bytes.
fn text(s: &str, min: usize, max: usize) -> Result<String, String> {
    if s.len() < min {
        return Err("must not be empty".into());
    }
    if s.len() > max {
        return Err(format!("is {} bytes; at most {max} are accepted", s.len()));
    }
    Ok(s.to_owned())
}

fn subject(s: &str) -> Result<String, String> {
    text(s, 1, MAX_SUB)
}

fn client_id(s: &str) -> Result<String, String> {
    text(s, 1, MAX_CLIENT_ID)
}

fn long_text(s: &str) -> Result<String, String> {
    text(s, 0, MAX_TEXT)
}

/// Open a session: print an access token and a refresh token (OAuth 2.0 token response)
///
/// Creates a token family in the refresh store (<home>/refresh.db) and prints
/// {"access_token","token_type":"Bearer","expires_in","refresh_token",...} on one line. The
/// access token is typ at+jwt with RFC 9068's claims plus sid (the family); the refresh token
/// is typ refresh+jwt with jti, fam, gen and exp. Both are signed with the keyring's active key.
/// A disabled subject cannot log in (exit 8). The pair is written to stdout before the session is
/// recorded: if stdout cannot take it (closed, full, a pipe nobody reads), nothing is recorded
/// and the exit is 10. --refresh-ttl must not be shorter than --access-ttl.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl login --sub alice
  jwtctl login --sub alice --scope 'read write' --client-id web --access-ttl 5m --refresh-ttl 1d
  RESP=$(jwtctl login --sub alice) && RT=$(echo \"$RESP\" | jq -r .refresh_token)")]
pub struct LoginArgs {
    /// Subject the session is for (1 to 256 bytes)
    #[arg(long, value_name = "SUB", value_parser = subject)]
    pub sub: String,
    /// Scope granted (space-separated, at most 1024 bytes); rotation never widens it
    #[arg(long, value_name = "SCOPE", value_parser = long_text)]
    pub scope: Option<String>,
    /// Client the tokens are issued to (1 to 256 bytes); a refresh by another client revokes
    /// the session
    #[arg(long, default_value = "jwtctl", value_name = "ID", value_parser = client_id)]
    pub client_id: String,
    /// Issuer of the access tokens (at most 1024 bytes)
    #[arg(long, default_value = "jwtctl", value_name = "ISS", value_parser = long_text)]
    pub iss: String,
    /// Audience of the access tokens (at most 1024 bytes; verify them with --aud)
    #[arg(long, default_value = "jwtctl", value_name = "AUD", value_parser = long_text)]
    pub aud: String,
    /// Access-token lifetime
    #[arg(long, default_value = "15m", value_name = "DURATION", value_parser = super::positive_duration)]
    pub access_ttl: i64,
    /// Refresh-token lifetime, at least --access-ttl (each rotation issues a new one, capped by
    /// --max-lifetime)
    #[arg(long, default_value = "7d", value_name = "DURATION", value_parser = super::positive_duration)]
    pub refresh_ttl: i64,
    /// Absolute lifetime of the session: no rotation extends it
    #[arg(long, default_value = "30d", value_name = "DURATION", value_parser = super::positive_duration)]
    pub max_lifetime: i64,
}

/// Trade a refresh token for a new pair, rotating it; detect reuse
///
/// Verifies the refresh token against the keyring, then, in one store transaction: marks it
/// used, records its successor, and writes the new pair to stdout before committing. If stdout
/// cannot take the pair (closed, full, a pipe nobody reads), nothing changes, the exit is 10 and
/// the same token refreshes again. Presenting a used token again is reuse (RFC 9700 §4.14.2):
/// the whole session is revoked (exit 9) and its newest token then fails too (exit 8).
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl refresh \"$RT\"
  echo \"$RT\" | jwtctl refresh | jq -r .access_token
  jwtctl refresh --grace 30s \"$RT\"    # tolerate one lost response for 30 s")]
#[command(after_long_help = EXIT_STATUS_HELP)]
pub struct RefreshArgs {
    /// The refresh token, or '-' for stdin [default: stdin]
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    /// Client presenting the token; another than it was issued to is refused (exit 7) and
    /// revokes the session
    #[arg(long, value_name = "ID", value_parser = client_id)]
    pub client_id: Option<String>,
    /// Honour the immediate predecessor for this long after its rotation (a fresh pair, no
    /// revocation); older generations never get grace [default: 0, off]
    #[arg(long, default_value = "0", value_name = "DURATION", value_parser = super::duration)]
    pub grace: i64,
}

/// End a session (revoke its token family), or every session of a subject
///
/// The refresh tokens of a revoked session fail with exit 8. Access tokens already issued stay
/// valid until their short exp unless the verifier consults the store.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl logout \"$RT\"
  jwtctl logout --all --sub alice
  jwtctl logout --family 0b906dd5       # a session id or a unique prefix")]
#[command(group = clap::ArgGroup::new("what").args(["token", "all", "family"]))]
pub struct LogoutArgs {
    /// A refresh token of the session, or '-' for stdin [default: stdin]
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    /// Revoke every session of --sub
    #[arg(long, requires = "sub")]
    pub all: bool,
    /// Subject whose sessions --all revokes
    #[arg(long, value_name = "SUB", requires = "all", value_parser = subject)]
    pub sub: Option<String>,
    /// Revoke the session with this id (or unique id prefix), as an administrator
    #[arg(long, value_name = "ID")]
    pub family: Option<String>,
}

/// List sessions, show one session's token chain, or print the event log
///
/// Without FAMILY: one row per session (sub, client, created, last refresh, generation, state,
/// reason). With FAMILY (an id or a unique prefix; a prefix of several is exit 2, naming them):
/// its refresh tokens by generation, with their state, use and successor. --events prints the
/// event log as JSON lines. Tables shorten long values with "..."; --json gives them whole, with
/// times in RFC 3339. Tokens appear only as jti and a SHA-256 prefix: the store never holds a
/// token. Reads only: works on a read-only home or store and never creates or changes a file.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl sessions
  jwtctl sessions --sub alice --json | jq -r .state
  jwtctl sessions 0b906dd5
  jwtctl sessions --events | jq -c 'select(.kind == \"reuse_detected\")'")]
pub struct SessionsArgs {
    /// Show this session's token chain (an id or a unique prefix)
    #[arg(value_name = "FAMILY")]
    pub family: Option<String>,
    /// Only sessions (or events) of this subject
    #[arg(long, value_name = "SUB", value_parser = subject)]
    pub sub: Option<String>,
    /// Print the event log (issued, rotated, reuse_detected, revoked, expired, ...) as JSON lines
    #[arg(long)]
    pub events: bool,
    /// One JSON object per line instead of a table
    #[arg(long)]
    pub json: bool,
}

/// Disable or re-enable a subject (a deleted or banned user)
///
/// A disabled subject can neither log in nor refresh (exit 8); its sessions are kept, so
/// re-enabling it lets unexpired, unrevoked sessions refresh again.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl subject disable alice --reason 'account deleted'
  jwtctl subject enable alice")]
pub struct SubjectArgs {
    #[command(subcommand)]
    pub command: SubjectCommand,
}

/// `jwtctl subject ...`.
#[derive(Subcommand, Debug)]
pub enum SubjectCommand {
    /// Disable a subject: login and refresh fail with exit 8
    #[command(after_help = "Examples:\n  jwtctl subject disable alice --reason 'account deleted'")]
    Disable {
        /// The subject
        #[arg(value_name = "SUB", value_parser = subject)]
        sub: String,
        /// Why, for the event log and the error message (at most 1024 bytes)
        #[arg(long, value_name = "TEXT", value_parser = long_text)]
        reason: Option<String>,
    },
    /// Re-enable a disabled subject
    #[command(after_help = "Examples:\n  jwtctl subject enable alice")]
    Enable {
        /// The subject
        #[arg(value_name = "SUB", value_parser = subject)]
        sub: String,
    },
}

/// Set up a refresh store, or copy every session from one store to another
///
/// `migrate` creates the store's schema, or upgrades it, without waiting for a first login
/// (PostgreSQL; an SQLite file is created; Redis keeps no schema). `copy` moves families,
/// refresh-token chains, disabled subjects and the event log between any two backends, into an
/// empty target, and reads the target back to check that nothing was lost.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl store migrate --store postgres://jwtctl@db.internal/tokens
  jwtctl store copy --from sqlite:$HOME/.local/share/jwtctl/refresh.db --to redis://cache:6379/0
  JWTCTL_STORE_TO='postgres://jwtctl:secret@db/tokens' jwtctl store copy --from sqlite:old.db")]
pub struct StoreArgs {
    #[command(subcommand)]
    pub command: StoreCommand,
}

/// `jwtctl store ...`.
#[derive(Subcommand, Debug)]
pub enum StoreCommand {
    /// Create or upgrade the schema of the store --store names
    #[command(after_help = "Examples:\n  jwtctl store migrate --store postgres://jwtctl@db/tokens")]
    Migrate,
    /// Copy every session, subject and event from one store into an empty one
    ///
    /// The source is only read. The target must hold no session, subject or event (exit 2
    /// otherwise, nothing written); the copy is checked by reading the target back. The
    /// keyring of --keyring-in-store goes too, still sealed (a target holding another keyring
    /// is exit 2). Counts are printed on stderr, or as one JSON object on stdout with --json
    /// ({"families","tokens","subjects","events","keyring"}). Passwords: as for
    /// --store, never in --from/--to; use JWTCTL_STORE_FROM / JWTCTL_STORE_TO or the password
    /// file flags.
    #[command(after_help = "Examples:
  jwtctl store copy --from sqlite:old.db --to redis://127.0.0.1:6379/0
  jwtctl store copy --from redis://cache/0 --to postgres://jwtctl@db/tokens --to-password-file pw")]
    Copy {
        /// The store to copy from [env: JWTCTL_STORE_FROM]
        #[arg(long, value_name = "URL", value_parser = super::store_url_text)]
        from: Option<String>,
        /// The store to copy into [env: JWTCTL_STORE_TO]
        #[arg(long, value_name = "URL", value_parser = super::store_url_text)]
        to: Option<String>,
        /// File holding the source store's password
        #[arg(long, value_name = "FILE")]
        from_password_file: Option<std::path::PathBuf>,
        /// File holding the target store's password
        #[arg(long, value_name = "FILE")]
        to_password_file: Option<std::path::PathBuf>,
        /// Print the counts as one JSON object on stdout
        #[arg(long)]
        json: bool,
    },
}
