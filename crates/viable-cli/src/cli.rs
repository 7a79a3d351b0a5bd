//! Command-line definition and dispatch.
//!
//! A command group is one file in `cmd/` with an `Args` struct that flattens
//! [`ChainOpts`](crate::opts::ChainOpts) (when it talks to a chain) and
//! [`Output`], plus one variant below.

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::{
    cmd::{
        build_contracts::BuildContractsArgs, constitution::ConstitutionArgs, deploy::DeployArgs,
        dev::DevArgs, genesis::GenesisArgs, locks::LocksArgs, status::StatusArgs,
        strategy::StrategyArgs, treasury::TreasuryArgs, work::WorkArgs,
    },
    out::Output,
};

/// Viable: a DAO in five separated modules (Work, Coordination, Optimization,
/// Strategy, Legitimacy), after Stafford Beer's Viable System Model.
#[derive(Debug, Parser)]
#[command(name = "viable", version, about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// A local chain: start anvil and deploy the suite, print the dev accounts and
    /// keys; `viable dev warp 2m` moves its clock.
    Dev(DevArgs),
    /// One screen of all five modules and the keeper; `--watch` refreshes it as blocks
    /// arrive, `--json` prints it for programs.
    Status(StatusArgs),
    /// Deploy the suite to a chain and record it in deployments/<chainId>.json.
    Deploy(DeployArgs),
    /// The constitution (System 5): read it; propose, vote on, queue, execute and cancel
    /// amendments; veto as a guardian.
    Constitution(ConstitutionArgs),
    /// Schemas and work packets (System 1).
    Work(WorkArgs),
    /// Leases, FIFO queues and not-before times on resource keys (System 2).
    Locks(LocksArgs),
    /// The treasury (System 3): deposit, budget lines, allocations to accepted work,
    /// execute and claim; `epoch` shows the books.
    Treasury(TreasuryArgs),
    /// Strategy proposals (System 4): questions, options, stake, support, conviction
    /// and its predicted Ready time; `adopt` writes an amendment file.
    Strategy(StrategyArgs),
    /// Print or check genesis configurations, offline.
    Genesis(GenesisArgs),
    /// Compile contracts/ and write the SDK's ABI + bytecode artifacts.
    BuildContracts(BuildContractsArgs),
    /// Perform every deadline duty of a deployment, on time and once (docs/keeper.md).
    Keeper(crate::cmd::keeper::KeeperCmd),
}

impl Cli {
    /// The command line, or clap's refusal (help and `--version` come back as errors
    /// too; [`crate::fail::command_line`] prints them as clap would).
    pub(crate) fn try_parse_args() -> Result<Self, clap::Error> {
        Self::try_parse()
    }

    /// How the command wants its answer and its errors.
    pub(crate) fn output(&self) -> Output {
        match &self.command {
            Command::Dev(a) => a.out,
            Command::Status(a) => a.out,
            Command::Deploy(a) => a.out,
            Command::Constitution(a) => a.out,
            Command::Work(a) => a.out,
            Command::Locks(a) => a.out,
            Command::Treasury(a) => a.out,
            Command::Strategy(a) => a.out,
            // `genesis` and `build-contracts` define their own flags.
            Command::Genesis(_) | Command::BuildContracts(_) | Command::Keeper(_) => {
                Output { json: std::env::args().any(|a| a == "--json"), verbose: 0 }
            }
        }
    }

    /// Run the chosen subcommand.
    pub(crate) fn run(self) -> eyre::Result<()> {
        let out = self.output();
        let default = match out.verbose {
            0 => "warn,viable=info",
            1 => "warn,viable=debug",
            _ => "debug",
        };
        // `try_init`: a second run in one process (the tests) keeps the first subscriber.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default)),
            )
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init();
        let runtime = tokio::runtime::Runtime::new()?;
        match self.command {
            Command::Dev(args) => runtime.block_on(args.run()),
            Command::Status(args) => runtime.block_on(args.run()),
            Command::Deploy(args) => runtime.block_on(args.run()),
            Command::Constitution(args) => runtime.block_on(args.run()),
            Command::Work(args) => runtime.block_on(args.run()),
            Command::Locks(args) => runtime.block_on(args.run()),
            Command::Treasury(args) => runtime.block_on(args.run()),
            Command::Strategy(args) => runtime.block_on(args.run()),
            Command::Genesis(args) => args.run(),
            Command::BuildContracts(args) => args.run(),
            Command::Keeper(args) => runtime.block_on(args.run()),
        }
    }
}
