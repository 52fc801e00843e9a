//! The `scokg` command: parse, dispatch, map errors to exit codes
//! (0 success, 1 user error, 2 internal failure).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            let user = err
                .downcast_ref::<scokg::Error>()
                .is_some_and(scokg::Error::is_user_error);
            eprintln!("scokg: {err:#}");
            ExitCode::from(if user { 1 } else { 2 })
        }
    }
}
