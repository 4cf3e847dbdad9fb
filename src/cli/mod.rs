//! The command-line definition: clap derive only, no I/O.
//!
//! Conventions: `///` first line is the short help, the next paragraph the long help; every
//! subcommand carries examples in `after_help`; secrets are never flag values (DECISIONS §2);
//! `--json` is a stable machine format.

use crate::alg::Alg;
use crate::edge::exit::EXIT_STATUS_HELP;
pub use crate::edge::input::KeySource;
pub use crate::edge::output::ColorChoice;
use crate::session::store::target::{self, Target};
use crate::time::{self, TimeSpec};
use crate::token::MAX_LEEWAY_SECS;
use clap::{Args, Parser, Subcommand};

mod keys;
mod remote;
mod serve;
mod session;
pub use keys::{ConvertArgs, JwksArgs, KeyFormat, KeygenArgs, KeysArgs, KeysCommand};
pub use remote::{FetchArgs, RemoteKeys, RemoteSet};
pub use serve::ServeArgs;
pub use session::{
    LoginArgs, LogoutArgs, RefreshArgs, SessionsArgs, StoreArgs, StoreCommand, SubjectArgs,
    SubjectCommand,
};
use std::path::PathBuf;

/// Create keys, sign, decode and verify JSON Web Tokens — secure by default.
#[derive(Parser, Debug)]
#[command(
    name = "jwtctl",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(after_long_help = EXIT_STATUS_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand takes.
#[derive(Args, Debug)]
pub struct Global {
    /// Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]
    #[arg(long, global = true, env = "JWTCTL_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)
    #[arg(long, global = true, env = "JWTCTL_NOW", value_name = "TIME", value_parser = instant)]
    pub now: Option<i64>,

    /// How long to wait for a locked refresh store: a duration up to 1h [default: 5s]. Set
    /// through JWTCTL_STORE_WAIT; a flag only so that clap checks the value with the others.
    #[arg(
        long,
        global = true,
        hide = true,
        env = "JWTCTL_STORE_WAIT",
        value_name = "DURATION",
        value_parser = store_wait
    )]
    pub store_wait: Option<std::time::Duration>,

    /// Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or
    /// postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in
    /// the home]
    ///
    /// Several machines that share a Redis or PostgreSQL store see the same sessions. A
    /// password is refused here (every user can read a command line through `ps`): give it in
    /// JWTCTL_STORE's URL, in --store-password-file, or through PGPASSFILE / ~/.pgpass.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        value_parser = store_url,
        help_heading = "Refresh store"
    )]
    pub store: Option<Target>,

    /// File holding the store's password (one line; private to you)
    #[arg(
        long,
        global = true,
        env = "JWTCTL_STORE_PASSWORD_FILE",
        value_name = "FILE",
        help_heading = "Refresh store"
    )]
    pub store_password_file: Option<PathBuf>,

    /// PEM file of CA certificates to trust for the store's TLS, beside the system's
    #[arg(
        long,
        global = true,
        env = "JWTCTL_STORE_CA",
        value_name = "FILE",
        help_heading = "Refresh store"
    )]
    pub store_ca: Option<PathBuf>,

    /// Prefix of every Redis key, so several environments can share one server
    #[arg(
        long,
        global = true,
        env = "JWTCTL_STORE_PREFIX",
        value_name = "PREFIX",
        default_value = target::DEFAULT_PREFIX,
        value_parser = store_prefix,
        help_heading = "Refresh store"
    )]
    pub store_prefix: String,

    /// Bound on connecting to a store server and on each operation: 100ms to 10m
    #[arg(
        long,
        global = true,
        env = "JWTCTL_STORE_TIMEOUT",
        value_name = "DURATION",
        default_value = "5s",
        value_parser = store_timeout,
        help_heading = "Refresh store"
    )]
    pub store_timeout: std::time::Duration,

    /// Keep the keyring in the refresh store, sealed with the keyring secret, so machines that
    /// share the store share the signing keys
    ///
    /// keygen, keys, jwks, and sign, verify, login, refresh and logout without a key flag then
    /// use the keyring in the store instead of the home's. Its keys are encrypted there
    /// (AES-256-GCM) under a key derived from the keyring secret, which every machine needs:
    /// --keyring-secret-file or JWTCTL_KEYRING_SECRET. `jwtctl keys push` copies a home's
    /// keyring into the store. JWTCTL_KEYRING_IN_STORE takes 1/0, true/false, yes/no, on/off.
    #[arg(
        long,
        global = true,
        env = "JWTCTL_KEYRING_IN_STORE",
        value_parser = clap::builder::BoolishValueParser::new(),
        help_heading = "Refresh store"
    )]
    pub keyring_in_store: bool,

    /// File holding the keyring secret (at least 32 bytes; private to you), for
    /// --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself
    #[arg(
        long,
        global = true,
        env = "JWTCTL_KEYRING_SECRET_FILE",
        value_name = "FILE",
        help_heading = "Refresh store"
    )]
    pub keyring_secret_file: Option<PathBuf>,

    /// When to use colour; NO_COLOR is respected
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print no messages on stderr, not even errors (the exit status tells); verify prints no
    /// claims and --batch no result lines
    ///
    /// Mistakes in the command line itself (exit 2) are still reported. Other data still goes
    /// to stdout: the token sign makes, decode, verify --json, keys, sessions.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Keygen(KeygenArgs),
    Sign(SignArgs),
    Decode(DecodeArgs),
    Verify(VerifyArgs),
    Jwks(JwksArgs),
    Keys(KeysArgs),
    Convert(ConvertArgs),
    Login(LoginArgs),
    Refresh(RefreshArgs),
    Logout(LogoutArgs),
    Sessions(SessionsArgs),
    Subject(SubjectArgs),
    Store(StoreArgs),
    Serve(ServeArgs),
    Completions(CompletionsArgs),
    #[command(hide = true)]
    Generate(GenerateArgs),
}

/// Print the shell completion script for SHELL
///
/// The scripts are also shipped in completions/ (bash: jwtctl.bash, zsh: _jwtctl, fish:
/// jwtctl.fish, PowerShell: _jwtctl.ps1, elvish: jwtctl.elv).
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl completions bash > ~/.local/share/bash-completion/completions/jwtctl
  jwtctl completions zsh > ~/.zfunc/_jwtctl
  jwtctl completions fish > ~/.config/fish/completions/jwtctl.fish")]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Write every completion script and man page into DIR (for packagers)
#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Output directory; completions/ and man/ are created inside it
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
}

/// Mint a token from flags, JSON or stdin
///
/// Claims come from --claims (a JSON object), then --claim, then the claim flags; later wins.
/// Tokens always expire: --ttl defaults to 15m. The header gets alg from the key, kid from the
/// key (its thumbprint) and typ JWT unless --typ, --kid or --header say otherwise. What sign
/// mints, verify accepts: a token over 64 KiB, a time outside the NumericDate range jwtctl
/// accepts or an empty aud is refused (exit 2). Prints the token and a newline.
///
/// Many tokens at once: --batch reads one JSON object of claims per line and prints one token
/// per line, in input order, signed on every core; each line plays the part of --claims, the
/// flags apply to every line. --count N mints N tokens from the flags alone. In both, {n} in a
/// claim flag's value is the line (or sequence) number, and --jti auto gives each token a
/// fresh random jti. A bad line is reported and skipped (with --json, answered in place); the
/// exit status is that of the first failure.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl sign --sub 1 --ttl 15m
  jwtctl sign --secret-file secret.txt --sub alice --aud api --claim role=admin
  echo '{\"sub\":\"42\",\"scope\":\"read\"}' | jwtctl sign --claims -
  TOKEN=$(jwtctl sign --sub 1) && echo \"$TOKEN\" | jwtctl verify
  jwtctl sign --count 10000 --sub 'user-{n}' --aud api --jti auto --ttl 1h > tokens.txt
  jq -c '{sub: .id, scope: .scope}' users.json | jwtctl sign --batch --ttl 1h > tokens.txt")]
#[command(group(clap::ArgGroup::new("many").args(["batch", "count"]).multiple(true)))]
pub struct SignArgs {
    #[command(flatten)]
    pub source: KeySource,
    /// Algorithm; must fit the key [default: the key's own]
    #[arg(long, value_parser = AlgParser, value_name = "ALG")]
    pub alg: Option<Alg>,
    /// Subject (always a string: --sub 1 is "1")
    #[arg(long, value_name = "SUB")]
    pub sub: Option<String>,
    /// Issuer
    #[arg(long, value_name = "ISS")]
    pub iss: Option<String>,
    /// Audience (repeatable; more than one makes an array)
    #[arg(long, value_name = "AUD")]
    pub aud: Vec<String>,
    /// Token id; `auto` gives each token a fresh random one (128 bits, base64url)
    #[arg(long, value_name = "JTI")]
    pub jti: Option<String>,
    /// Lifetime: exp = now + TTL [default: 15m]
    #[arg(long, value_name = "DURATION", conflicts_with = "exp", value_parser = duration)]
    pub ttl: Option<i64>,
    /// Expiry: +15m, -1m, @UNIX or RFC 3339
    #[arg(long, value_name = "TIME", allow_hyphen_values = true, value_parser = time_spec)]
    pub exp: Option<TimeSpec>,
    /// Not before: +15m, -1m, @UNIX or RFC 3339
    #[arg(long, value_name = "TIME", allow_hyphen_values = true, value_parser = time_spec)]
    pub nbf: Option<TimeSpec>,
    /// Leave out iat
    #[arg(long)]
    pub no_iat: bool,
    /// Claim k=v (string) or k:=JSON (typed), repeatable
    #[arg(long, value_name = "K=V|K:=JSON")]
    pub claim: Vec<String>,
    /// JSON object of claims from FILE or '-' (stdin)
    #[arg(long, value_name = "FILE", conflicts_with = "many")]
    pub claims: Option<PathBuf>,
    /// Sign with this key of the keyring or JWKS; with a single key file, the header kid
    /// [default: the key's kid]
    #[arg(long, value_name = "KID", allow_hyphen_values = true)]
    pub kid: Option<String>,
    /// Header typ [default: JWT]
    #[arg(long, value_name = "TYP")]
    pub typ: Option<String>,
    /// Header parameter k=v (a string), repeatable; typ and kid here replace the defaults;
    /// alg is refused (the key decides it)
    #[arg(long, value_name = "K=V")]
    pub header: Vec<String>,
    /// Mint one token per line of JSON claims (stdin, or --file), on every core, in input order
    #[arg(long)]
    pub batch: bool,
    /// With --batch: read claims lines from FILE instead of stdin (repeatable)
    #[arg(
        long = "file",
        value_name = "FILE",
        requires = "batch",
        conflicts_with = "count"
    )]
    pub files: Vec<PathBuf>,
    /// Mint N tokens from the flags alone, reading no input; {n} in a flag value is 1..N
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// With --batch or --count: one JSON line per token, {"line","token"} (or
    /// {"line","code","reason"} for a line that failed)
    #[arg(long, requires = "many")]
    pub json: bool,
}

/// Show a token's header and claims without verifying anything
///
/// Works on any compact JWS, including alg none and unknown algorithms. Times are shown as
/// RFC 3339 and relative to now. NOTHING IS VERIFIED: use `jwtctl verify` to trust a token.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl decode eyJhbGciOi...
  pbpaste | jwtctl decode
  jwtctl decode --json \"$TOKEN\" | jq .claims.exp")]
pub struct DecodeArgs {
    /// The token, or '-' for stdin [default: stdin]
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    /// Print {"header","claims","signature"} as JSON
    #[arg(long)]
    pub json: bool,
    /// Decode many tokens, one per line (stdin, or --file), as JSON lines
    #[arg(long, conflicts_with = "token")]
    pub batch: bool,
    /// With --batch: read tokens from FILE instead of stdin (repeatable)
    #[arg(long = "file", value_name = "FILE", requires = "batch")]
    pub files: Vec<PathBuf>,
}

/// Check a token's signature and claims; print the claims on success
///
/// The key fixes the algorithm family; --alg narrows it; the token header never widens it.
/// exp is required; nbf and iat must not be in the future. On success the claims JSON goes to
/// stdout; on failure stdout is empty and stderr says why, with a distinct exit status.
///
/// Keys from an identity provider: --issuer URL (OpenID Connect discovery; the token's iss
/// must then be URL) or --jwks-url URL. The key set is cached in the home for the response's
/// max-age (1 min to 24 h, default 10 min); a kid the set lacks makes one refetch, at most one
/// per 30 s per URL. Keys are never fetched from a URL in the token (jku, x5u).
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  echo \"$TOKEN\" | jwtctl verify
  jwtctl verify --key public.pem --aud api --iss https://issuer.example \"$TOKEN\"
  jwtctl verify --issuer https://accounts.google.com --aud my-client-id \"$TOKEN\"
  jwtctl verify --secret-env JWT_SECRET --json \"$TOKEN\" | jq .claims.sub")]
#[command(after_long_help = EXIT_STATUS_HELP)]
#[command(group(clap::ArgGroup::new("keys").multiple(false).args([
    "key", "secret_file", "secret_env", "secret_prompt", "jwks_url", "issuer",
])))]
pub struct VerifyArgs {
    /// The token, or '-' for stdin [default: stdin]
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    #[command(flatten)]
    pub source: KeySource,
    #[command(flatten)]
    pub remote: RemoteKeys,
    #[command(flatten)]
    pub fetch: FetchArgs,
    /// Allowed algorithm (repeatable) [default: what the key can serve]
    #[arg(long, value_parser = AlgParser, value_name = "ALG")]
    pub alg: Vec<Alg>,
    /// Clock skew allowed on exp, nbf and iat: seconds or a duration, at most 5m
    #[arg(long, default_value = "0", value_name = "DURATION", value_parser = leeway)]
    pub leeway: u64,
    /// Accepted issuer (repeatable); makes iss required
    #[arg(long, value_name = "ISS")]
    pub iss: Vec<String>,
    /// Accepted audience (repeatable, any match); makes aud required
    #[arg(long, value_name = "AUD")]
    pub aud: Vec<String>,
    /// Required subject
    #[arg(long, value_name = "SUB")]
    pub sub: Option<String>,
    /// Required typ, e.g. at+jwt (refresh+jwt tokens are refused unless asked for)
    #[arg(long, value_name = "TYP")]
    pub typ: Option<String>,
    /// Claim that must be present (repeatable)
    #[arg(long, value_name = "CLAIM")]
    pub require: Vec<String>,
    /// Print {"valid","header","claims"} (or {"valid":false,"code","reason"}) as JSON
    #[arg(long)]
    pub json: bool,
    /// Verify many tokens, one per line (stdin, or --file), on every core: one JSON line each
    /// ({"line","valid","code","claims"|"reason"}), in input order. Exit 0 only when every
    /// token passed, else the status of the first that failed
    #[arg(long, conflicts_with = "token")]
    pub batch: bool,
    /// With --batch: read tokens from FILE instead of stdin (repeatable)
    #[arg(long = "file", value_name = "FILE", requires = "batch")]
    pub files: Vec<PathBuf>,
}

/// Parses the command line (program name first). `Err` is clap's usage error, `--help` or
/// `--version`, rendered against the full tree, for the caller to print and exit with.
///
/// A command runs once and exits, so parsing is on every invocation's critical path. Building
/// clap's whole tree (every subcommand's arguments) was a large share of a one-shot command's
/// start-up (bench/README.md), so [`lazy_parse`] tries a tree with just the invoked subcommand
/// first. Whatever it does not accept goes to the full derived tree, so
/// help, suggestions and error messages are clap's own and complete.
pub fn parse(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    if let Some(cli) = lazy_parse(&args) {
        return Ok(cli);
    }
    let mut full = Cli::command();
    let matches = full.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut full))
}

/// Adds a subcommand's arguments to its (empty) `clap::Command`.
type ArgsBuilder = fn(clap::Command) -> clap::Command;

/// The subcommands, in [`Command`]'s order, with the derive-generated builder of each one's
/// arguments (a test checks the list against the derive).
const SUBCOMMANDS: [(&str, ArgsBuilder); 16] = [
    ("keygen", <KeygenArgs as Args>::augment_args),
    ("sign", <SignArgs as Args>::augment_args),
    ("decode", <DecodeArgs as Args>::augment_args),
    ("verify", <VerifyArgs as Args>::augment_args),
    ("jwks", <JwksArgs as Args>::augment_args),
    ("keys", <KeysArgs as Args>::augment_args),
    ("convert", <ConvertArgs as Args>::augment_args),
    ("login", <LoginArgs as Args>::augment_args),
    ("refresh", <RefreshArgs as Args>::augment_args),
    ("logout", <LogoutArgs as Args>::augment_args),
    ("sessions", <SessionsArgs as Args>::augment_args),
    ("subject", <SubjectArgs as Args>::augment_args),
    ("store", <StoreArgs as Args>::augment_args),
    ("serve", <ServeArgs as Args>::augment_args),
    ("completions", <CompletionsArgs as Args>::augment_args),
    ("generate", <GenerateArgs as Args>::augment_args),
];

/// Parses with [`Cli`]'s top level (same settings, same global flags) and one subcommand: the
/// first argument that names one. `None` when that guess is wrong (the name was a flag's value),
/// on `--help`/`--version` and on any error; the full tree then decides. Accepting means clap
/// matched that subcommand with its own derived arguments, which is what the full tree does.
fn lazy_parse(args: &[std::ffi::OsString]) -> Option<Cli> {
    use clap::FromArgMatches;
    let &(name, subcommand_args) = args
        .iter()
        .skip(1)
        .find_map(|arg| SUBCOMMANDS.iter().find(|(name, _)| arg == name))?;
    let top = clap::Command::new("jwtctl")
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
        .subcommand_required(true)
        .arg_required_else_help(true);
    let mut command =
        Global::augment_args(top).subcommand(subcommand_args(clap::Command::new(name)));
    let cli = command
        .try_get_matches_from_mut(args)
        .ok()
        .and_then(|m| Cli::from_arg_matches(&m).ok());
    // Freeing the tree is work the exiting process does not need (callgrind).
    std::mem::forget(command);
    cli
}

// Value parsers. Every flag or environment value is checked here, while the command line is
// parsed: a bad one is clap's usage error (exit 2, `invalid value 'X' for '--flag <V>': why`),
// the same shape for every flag, and commands receive typed values (DECISIONS §1).

/// `--now` / `JWTCTL_NOW`: Unix seconds or RFC 3339, in 1970..=9999.
fn instant(s: &str) -> Result<i64, String> {
    if s.trim().is_empty() {
        return Err("empty (is JWTCTL_NOW set to nothing?): use Unix seconds or RFC 3339".into());
    }
    time::parse_instant(s)
}

/// A duration flag (`90s`, `15m`, `1h30m`, `7d`, bare seconds) of at most 1000 years.
pub(crate) fn duration(s: &str) -> Result<i64, String> {
    time::parse_bounded_duration(s)
}

/// A duration flag that must not be zero (a lifetime).
pub(crate) fn positive_duration(s: &str) -> Result<i64, String> {
    match duration(s)? {
        0 => Err("must be longer than 0s".into()),
        secs => Ok(secs),
    }
}

/// `--leeway`: at most [`MAX_LEEWAY_SECS`] (DECISIONS §5).
fn leeway(s: &str) -> Result<u64, String> {
    u64::try_from(duration(s)?)
        .ok()
        .filter(|&secs| secs <= MAX_LEEWAY_SECS)
        .ok_or_else(|| format!("at most {MAX_LEEWAY_SECS}s (5m) is allowed"))
}

/// The longest wait for a locked store: a command that waits longer looks hung.
const MAX_STORE_WAIT_SECS: u64 = 3600;

/// `JWTCTL_STORE_WAIT`: a duration of at most an hour. Named in the message, since it comes
/// from the environment rather than from the hidden flag clap names.
fn store_wait(s: &str) -> Result<std::time::Duration, String> {
    let secs = duration(s).map_err(|e| format!("JWTCTL_STORE_WAIT: {e}"))?;
    u64::try_from(secs)
        .ok()
        .filter(|&secs| secs <= MAX_STORE_WAIT_SECS)
        .map(std::time::Duration::from_secs)
        .ok_or_else(|| "JWTCTL_STORE_WAIT: at most 1h is allowed".to_owned())
}

/// `--store`: a store URL, parsed now; a password in it is refused (argv leaks to `ps`).
fn store_url(s: &str) -> Result<Target, String> {
    Target::parse(s, true).map_err(|e| e.to_string())
}

/// A store URL checked like [`store_url`], kept as text (`store copy --from/--to`).
fn store_url_text(s: &str) -> Result<String, String> {
    store_url(s).map(|_| s.to_owned())
}

/// `--store-prefix`: 1 to 64 printable ASCII characters without spaces.
fn store_prefix(s: &str) -> Result<String, String> {
    if (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(s.to_owned())
    } else {
        Err("1 to 64 printable ASCII characters without spaces".to_owned())
    }
}

/// `--store-timeout`: 100ms to 10m.
fn store_timeout(s: &str) -> Result<std::time::Duration, String> {
    let d = humantime::parse_duration(s.trim()).map_err(|e| format!("{e} (e.g. 5s, 500ms)"))?;
    if (std::time::Duration::from_millis(100)..=std::time::Duration::from_secs(600)).contains(&d) {
        Ok(d)
    } else {
        Err("between 100ms and 10m".to_owned())
    }
}

/// `--exp` / `--nbf`: `+15m`, `-5m`, `@UNIX` or an instant; resolved against the clock later.
fn time_spec(s: &str) -> Result<TimeSpec, String> {
    TimeSpec::parse(s)
}

/// `--alg`: an algorithm name, exactly ([`parse_alg`]). Completion scripts offer the names
/// jwtctl can sign and verify with (possible values); ES512 still parses, so that the command
/// can say why it cannot serve it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AlgParser;

impl clap::builder::TypedValueParser for AlgParser {
    type Value = Alg;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Alg, clap::Error> {
        parse_alg.parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let usable = Alg::ALL.into_iter().filter(|a| a.supported());
        Some(Box::new(
            usable.map(|a| clap::builder::PossibleValue::new(a.name())),
        ))
    }
}

/// Parses an algorithm name exactly; `none` is never a choice.
fn parse_alg(s: &str) -> Result<Alg, String> {
    if s.eq_ignore_ascii_case("none") {
        return Err("alg none (unsigned tokens) is never allowed".into());
    }
    Alg::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Alg::ALL.iter().map(|a| a.name()).collect();
        format!("unknown algorithm (expected one of {})", names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn lazy_tree_lists_the_derived_subcommands() {
        let derived: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        let lazy: Vec<&str> = SUBCOMMANDS.iter().map(|(name, _)| *name).collect();
        assert_eq!(derived, lazy);
    }

    /// The lazy parse must agree with the derived tree or hand the line over; `parse` must
    /// always agree. Each line here is parsed every way.
    #[test]
    fn lazy_parse_agrees_with_the_full_tree() {
        use clap::FromArgMatches;
        let lines = [
            "sign --sub 1 --ttl 15m",
            "sign --key k.pem --sub 1 --claim admin:=true --claim scope=read --aud a --aud b",
            "sign --secret-file s --claims - --header kid=x --no-iat",
            "--home /tmp/h sign --secret-env S --sub 1",
            "sign --sub 1 --home /tmp/h -q --color never --now 1700000000",
            "sign --sub --version",
            "sign --sub 1 --ttl",
            "decode -",
            "decode --json --batch --file a --file b",
            "decode a.b.c extra",
            "verify --key k.pem --alg RS256 --iss i --aud a --leeway 30s --json -",
            "verify --batch --secret-file s",
            "verify --key k.pem -- -notaflag",
            "verify --issuer https://id.example --fetch-timeout 5s --batch",
            "verify --jwks-url http://127.0.0.1:9/j --offline --ca ca.pem -",
            "verify --jwks-url http://example.com/j -",
            "jwks --url https://id.example/j --refresh",
            "convert --jwks-url https://id.example/j --kid k --to pem",
            "verify --version",
            "verify --bogus",
            "keygen --rs256 --bits 4096 --out keys --force",
            "keygen --hs256 --kid -startswithdash",
            "keygen --rs256 --es256",
            "keygen",
            "jwks --key a.pem --kid k1 --alg RS256",
            "jwks --key a.pem --key b.pem",
            "keys list --json",
            "keys retire -abc",
            "keys activate",
            "keys",
            "convert --to jwk k.pem",
            "convert --key k.pem --to jwks",
            "login --sub alice --ttl 10m --refresh-ttl 1d",
            "login --sub alice --scope read --access-ttl 5m --refresh-ttl 1d --aud api",
            "refresh --grace 5s -",
            "logout --all --sub alice",
            "logout --family f1",
            "sessions --sub alice --json --events",
            "subject disable alice",
            "subject enable alice",
            "completions bash",
            "completions nosuchshell",
            "generate --out-dir /tmp/x",
            "help",
            "help verify",
            "--help",
            "-V",
            "--version",
            "",
            "nosuchcommand",
            "-q",
            "--color always decode a.b.c",
            "--color sometimes decode a.b.c",
            // a subcommand's name as a flag's value: the first guess is wrong
            "--home sign verify --key k.pem -",
            "--home decode decode a.b.c",
            // typed values: refused by both trees alike
            "--now soon decode a.b.c",
            "verify --leeway 10m -",
            "sign --exp tomorrow",
            "login --sub a --access-ttl 0",
            "sign --sub verify",
            "sign --count 5 --sub u-{n} --jti auto --json",
            "sign --batch --file a --file b --secret-file s",
            "sign --count 5 --file a",
            "serve --listen 127.0.0.1:0 --json-log --refresh-cookie",
            "serve --tls-cert c.pem",
            "serve --issuer ftp://x",
        ];
        let (mut accepted, mut lazily) = (0, 0);
        for line in lines {
            let argv: Vec<std::ffi::OsString> = std::iter::once("jwtctl")
                .chain(line.split_whitespace())
                .map(Into::into)
                .collect();
            let lazy = lazy_parse(&argv).map(|cli| format!("{cli:?}"));
            let full = Cli::command()
                .try_get_matches_from(&argv)
                .ok()
                .and_then(|m| Cli::from_arg_matches(&m).ok())
                .map(|cli| format!("{cli:?}"));
            accepted += usize::from(full.is_some());
            lazily += usize::from(lazy.is_some());
            if lazy.is_some() {
                assert_eq!(lazy, full, "{line:?}");
            }
            assert_eq!(
                parse(argv).map(|cli| format!("{cli:?}")).ok(),
                full,
                "{line:?}"
            );
        }
        assert_eq!(accepted, 36, "the table keeps valid and invalid lines");
        assert_eq!(lazily, accepted - 1, "only a wrong guess falls back");
    }

    #[test]
    fn alg_parsing_is_exact() {
        assert_eq!(parse_alg("RS256"), Ok(Alg::Rs256));
        assert!(parse_alg("rs256").is_err());
        assert!(parse_alg("None").is_err());
    }
}
