//! The `scokg` command: parse, dispatch, map errors to exit codes
//! (0 success, 1 user error, 2 internal failure).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(err) => {
            // --help and --version are answers, not errors; a bad command
            // line is the user's to fix, so it exits 1, not clap's 2.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 1 } else { 0 });
        }
    };
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
