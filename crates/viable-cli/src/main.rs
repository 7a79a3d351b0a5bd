//! `viable`: deploy, inspect and drive the Viable contracts.

use std::process::ExitCode;

mod cli;
mod cmd;
mod opts;
mod render;
mod tools;

fn main() -> ExitCode {
    match cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
