//! jwtctl: create keys, sign, decode and verify JSON Web Tokens from the command line.
//!
//! This library backs the `jwtctl` binary and has no stability promise of its own. Modules:
//! [`cli`] (clap definitions), [`commands`] (one file per subcommand), [`token`] (pure JWS/JWT
//! parse, sign and verify) with [`alg`] (algorithm names), [`claims`] (registered-claim checks),
//! [`verifier`] and [`signer`] (verifying and signing keys parsed once), [`keys`] and [`der`] (key
//! formats), [`keyring`] (the home directory), [`json`] (strict JSON), [`time`] (durations and
//! dates), [`input`] and [`output`] (the process
//! edges), [`files`] (safe writes) and [`exit`] (the exit-status contract). The refresh-token
//! simulation is [`session`] (the pure rotation decision) over [`store`] (the SQLite store).

pub mod alg;
pub mod claims;
pub mod cli;
pub mod commands;
pub mod der;
pub mod exit;
pub mod files;
pub mod input;
pub mod json;
pub mod keyring;
pub mod keys;
pub mod output;
pub mod session;
pub mod signer;
pub mod store;
pub mod time;
pub mod token;
pub mod verifier;

use std::ffi::OsString;
use std::process::ExitCode;

/// Context every command gets: output, the clock, the home directory and stdin.
pub struct Ctx {
    pub out: output::Output,
    pub now: i64,
    pub home: Option<std::path::PathBuf>,
    pub stdin: input::Stdin,
}

impl Ctx {
    /// The resolved home directory.
    pub fn home(&self) -> anyhow::Result<std::path::PathBuf> {
        keyring::resolve_home(self.home.as_deref())
    }
}

/// Parses `args`, runs the command and returns its exit status. Never panics on user input.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = cli::parse(args.into_iter().collect()).unwrap_or_else(|e| e.exit());
    let out = output::Output::new(cli.global.color, cli.global.quiet);
    let now = match cli.global.now.as_deref().map(time::parse_instant) {
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        Some(Ok(t)) => t,
        Some(Err(e)) => {
            out.error("error", &format!("--now: {e}"), None);
            return exit::Exit::Usage.into();
        }
    };
    let ctx = Ctx {
        out,
        now,
        home: cli.global.home.clone(),
        stdin: input::Stdin::default(),
    };
    match commands::dispatch(cli.command, &ctx) {
        Ok(status) => status.into(),
        Err(err) if exit::is_broken_pipe(&err) => exit::Exit::Success.into(),
        Err(err) => {
            let (status, hint) = exit::classify(&err);
            ctx.out.error("error", &format!("{err:#}"), hint);
            status.into()
        }
    }
}
