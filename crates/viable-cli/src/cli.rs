//! Command-line definition and dispatch.

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::cmd::{
    build_contracts::BuildContractsArgs, constitution::ConstitutionArgs, deploy::DeployArgs,
    dev::DevArgs, genesis::GenesisArgs, work::WorkArgs,
};

/// Viable: a DAO in five separated modules (Work, Coordination, Optimization,
/// Strategy, Legitimacy), after Stafford Beer's Viable System Model.
#[derive(Debug, Parser)]
#[command(name = "viable", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start anvil, deploy the suite with the dev genesis, show the state.
    Dev(DevArgs),
    /// Deploy the suite to a chain and record it in deployments/<chainId>.json.
    Deploy(DeployArgs),
    /// Read the constitution (System 5).
    Constitution(ConstitutionArgs),
    /// Schemas and work packets (System 1).
    Work(WorkArgs),
    /// Print or check genesis configurations, offline.
    Genesis(GenesisArgs),
    /// Compile contracts/ and write the SDK's ABI + bytecode artifacts.
    BuildContracts(BuildContractsArgs),
    /// Perform every deadline duty of a deployment, on time and once (docs/keeper.md).
    Keeper(crate::cmd::keeper::KeeperCmd),
}

/// Parse the command line and run the chosen subcommand.
pub(crate) fn run() -> eyre::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("warn,viable=info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = tokio::runtime::Runtime::new()?;
    match cli.command {
        Command::Dev(args) => runtime.block_on(args.run()),
        Command::Deploy(args) => runtime.block_on(args.run()),
        Command::Constitution(args) => runtime.block_on(args.run()),
        Command::Work(args) => runtime.block_on(args.run()),
        Command::Genesis(args) => args.run(),
        Command::BuildContracts(args) => args.run(),
        Command::Keeper(args) => runtime.block_on(args.run()),
    }
}
