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
            eprintln!("scokg: {}", one_line(&err));
            ExitCode::from(if user { 1 } else { 2 })
        }
    }
}

/// The error and its causes on one line, each cause once: the library's
/// errors already spell out the cause they wrap, which `{:#}` would repeat.
fn one_line(err: &anyhow::Error) -> String {
    let mut line = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !line.contains(&cause) {
            line.push_str(": ");
            line.push_str(&cause);
        }
    }
    line
}
