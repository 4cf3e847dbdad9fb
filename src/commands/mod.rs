//! One file per subcommand; each `run` resolves inputs, calls the library, and writes.

mod convert;
mod decode;
mod jwks;
mod keygen;
mod keys;
mod sign;
mod verify;

use crate::Ctx;
use crate::cli::Command;
use crate::exit::Exit;

/// Runs one subcommand. `Ok` carries the exit status of a verdict; `Err` is a failure to answer.
pub fn dispatch(command: Command, ctx: &Ctx) -> anyhow::Result<Exit> {
    match command {
        Command::Keygen(args) => keygen::run(&args, ctx),
        Command::Sign(args) => sign::run(args, ctx),
        Command::Decode(args) => decode::run(&args, ctx),
        Command::Verify(args) => verify::run(&args, ctx),
        Command::Jwks(args) => jwks::run(&args, ctx),
        Command::Keys(args) => keys::run(&args, ctx),
        Command::Convert(args) => convert::run(&args, ctx),
    }
}
