//! One file per subcommand; each `run` resolves inputs, calls the library, and writes.

mod batch;
mod convert;
mod decode;
pub mod flow;
pub mod generate;
mod jwks;
mod keygen;
pub mod keyring_place;
mod keys;
mod login;
mod logout;
mod refresh;
mod sessions;
mod sign;
mod store;
mod subject;
mod verify;

use crate::Ctx;
use crate::cli::Command;
use crate::edge::exit::Exit;

/// Runs one subcommand. `Ok` carries the exit status of a verdict; `Err` is a failure to answer.
pub fn dispatch(command: Command, ctx: &Ctx) -> anyhow::Result<Exit> {
    match command {
        Command::Keygen(args) => keygen::run(&args, ctx),
        Command::Sign(args) => sign::run(args, ctx),
        Command::Decode(args) => decode::run(&args, ctx),
        Command::Verify(args) => verify::run(&args, ctx),
        Command::Completions(args) => generate::completions(&args, ctx),
        Command::Generate(args) => generate::write(&args, ctx),
        Command::Login(args) => login::run(&args, ctx),
        Command::Refresh(args) => refresh::run(&args, ctx),
        Command::Logout(args) => logout::run(&args, ctx),
        Command::Sessions(args) => sessions::run(&args, ctx),
        Command::Subject(args) => subject::run(&args, ctx),
        Command::Store(args) => store::run(&args, ctx),
        Command::Jwks(args) => jwks::run(&args, ctx),
        Command::Keys(args) => keys::run(&args, ctx),
        Command::Convert(args) => convert::run(&args, ctx),
        // `serve` sits above the commands (src/serve/); lib.rs runs it before dispatching here.
        Command::Serve(_) => Err(crate::edge::exit::fail(
            Exit::Internal,
            "serve is not dispatched as a one-shot command",
        )),
    }
}
