//! jwtctl: create keys, sign, decode and verify JSON Web Tokens, and rehearse the refresh flow.
//!
//! This library backs the `jwtctl` binary and has no stability promise of its own. The folders
//! are the parts, each using only those below it (checked by `layout_tests`): `serve` (the local
//! auth server), `commands`, `cli`,
//! `edge` (input, output, exit statuses), `session` (the refresh flow and its stores), `token`
//! (the pure JWS/JWT core) beside `net` (key sets fetched from issuers, and their cache), `keys`
//! (formats, generation, the keyring), and the leaves.

pub mod alg;
pub mod cli;
pub mod commands;
pub mod edge;
pub mod files;
pub mod json;
pub mod keys;
pub mod net;
pub mod serve;
pub mod session;
pub mod time;
pub mod token;

#[cfg(test)]
mod layout_tests;

use std::ffi::OsString;
use std::process::ExitCode;

/// Context every command gets: output, the clock, the home directory and stdin.
pub struct Ctx {
    pub out: edge::output::Output,
    pub now: i64,
    pub home: Option<std::path::PathBuf>,
    /// `JWTCTL_STORE_WAIT`, checked by clap: how long to wait for a locked store, when set.
    pub store_wait: Option<std::time::Duration>,
    /// `--store` and its companions, as parsed (`JWTCTL_STORE` is read when a store is opened).
    pub store: StoreFlags,
    /// `--keyring-in-store` and `--keyring-secret-file` (`JWTCTL_KEYRING_SECRET` is read when
    /// the keyring is).
    pub keyring: KeyringFlags,
    pub stdin: edge::input::Stdin,
}

/// Where the keyring lives: the home (default) or, sealed, the refresh store.
#[derive(Clone, Debug, Default)]
pub struct KeyringFlags {
    pub in_store: bool,
    pub secret_file: Option<std::path::PathBuf>,
}

/// The store flags of the command line (`--store`, `--store-password-file`, ...).
#[derive(Clone, Debug, Default)]
pub struct StoreFlags {
    /// `--store` (no password in it), else `JWTCTL_STORE`; `None`: the home's SQLite file.
    pub target: Option<session::store::target::Target>,
    pub password_file: Option<std::path::PathBuf>,
    pub ca: Option<std::path::PathBuf>,
    pub prefix: String,
    pub timeout: std::time::Duration,
}

impl Ctx {
    /// The resolved home directory.
    pub fn home(&self) -> anyhow::Result<std::path::PathBuf> {
        keys::keyring::resolve_home(self.home.as_deref())
    }
}

/// Parses `args`, runs the command and returns its exit status. Never panics on user input.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args: Vec<OsString> = args.into_iter().collect();
    let cli = match cli::parse(args.clone()) {
        Ok(cli) => cli,
        Err(e) => return edge::output::clap_error(&e, &args),
    };
    let out = edge::output::Output::new(cli.global.color, cli.global.quiet);
    // --now and JWTCTL_NOW were checked by clap (exit 2 when they do not parse).
    let now = cli.global.now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    });
    // JWTCTL_STORE is checked here, with the flags, so a bad value is exit 2 before any work;
    // it is read rather than given to clap because a password is allowed in it, not in --store.
    let store_target = match cli.global.store.clone() {
        Some(t) => Some(t),
        None => match session::store::target::from_env() {
            Ok(t) => t,
            Err(e) => {
                out.error("error", &format!("JWTCTL_STORE: {e}"), None);
                return edge::exit::Exit::Usage.into();
            }
        },
    };
    let ctx = Ctx {
        out,
        now,
        home: cli.global.home.clone(),
        store_wait: cli.global.store_wait,
        store: StoreFlags {
            target: store_target,
            password_file: cli.global.store_password_file.clone(),
            ca: cli.global.store_ca.clone(),
            prefix: cli.global.store_prefix.clone(),
            timeout: cli.global.store_timeout,
        },
        keyring: KeyringFlags {
            in_store: cli.global.keyring_in_store,
            secret_file: cli.global.keyring_secret_file.clone(),
        },
        stdin: edge::input::Stdin::default(),
    };
    let result = match cli.command {
        cli::Command::Serve(args) => {
            serve::run(&args, &ctx, cli.global.now).map(|()| edge::exit::Exit::Success)
        }
        command => commands::dispatch(command, &ctx),
    };
    match result {
        Ok(status) => status.into(),
        Err(err) if edge::exit::is_broken_pipe(&err) => edge::exit::Exit::Success.into(),
        Err(err) => {
            let (status, hint) = edge::exit::classify(&err);
            ctx.out.error("error", &format!("{err:#}"), hint);
            status.into()
        }
    }
}
