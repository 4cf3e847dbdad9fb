//! One file per subcommand; each `run` resolves inputs, calls the library, and writes.

mod batch;
mod decode;
pub mod generate;
mod keygen;
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
        Command::Completions(args) => generate::completions(&args, ctx),
        Command::Generate(args) => generate::write(&args, ctx),
    }
}
