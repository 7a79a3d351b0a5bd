//! Command-line definition and dispatch.

use clap::{Parser, Subcommand};

use crate::cmd::build_contracts::BuildContractsArgs;

/// Viable: a modular DAO in five separated modules.
#[derive(Debug, Parser)]
#[command(name = "viable", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile contracts/ and write the SDK's ABI + bytecode artifacts.
    BuildContracts(BuildContractsArgs),
}

/// Parse the command line and run the chosen subcommand.
pub(crate) fn run() -> eyre::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::BuildContracts(args) => args.run(),
    }
}
