//! `viable`: deploy, inspect and drive the Viable contracts.

mod cli;
mod cmd;

fn main() -> eyre::Result<()> {
    cli::run()
}
