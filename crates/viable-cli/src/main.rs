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
    #[cfg(unix)]
    // SAFETY: called first, before any thread exists; restores the default action, so a
    // closed pipe ends the process as it ends `cat` (Rust ignores SIGPIPE and would
    // panic in `println!` instead).
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = match cli::Cli::try_parse_args() {
        Ok(cli) => cli,
        Err(e) => return fail::command_line(&e),
    };
    let out = cli.output();
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            fail::Report::of(&err).print(out.json, out.verbose);
            ExitCode::FAILURE
        }
    }
}
