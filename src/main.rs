//! The `jwtctl` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    jwtctl::run(std::env::args_os())
}
