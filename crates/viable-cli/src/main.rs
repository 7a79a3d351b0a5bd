//! `viable`: deploy, inspect and drive the Viable contracts.

use std::process::ExitCode;

mod cli;
mod cmd;
mod fail;
mod json;
mod opts;
mod out;
mod render;
mod sent;
mod tools;

fn main() -> ExitCode {
    let cli = cli::Cli::parse_args();
    let out = cli.output();
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            fail::Report::of(&err).print(out.json, out.verbose);
            ExitCode::FAILURE
        }
    }
}
