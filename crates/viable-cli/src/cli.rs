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
    /// A local chain: start anvil, deploy the suite, print the dev accounts and keys,
    /// run the keeper; `--scenario` walks through the five systems; `viable dev warp
    /// 2m` moves its clock.
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
            // `viable dev` stops its anvil while the SDK's block pollers may still ask it.
            0 if matches!(self.command, Command::Dev(_)) => {
                "warn,viable=info,alloy_rpc_client::poller=off"
            }
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

/// Random command lines never make the CLI panic: each is parsed as `main` parses it,
/// and what parses is run in-process against an RPC URL where nothing listens (so every
/// chain command stops at its first request, after its offline checks). A refusal is
/// one line either way. Commands that start or keep processes (`dev`, `keeper`,
/// `build-contracts`) and flags that would prompt, write files or name another RPC are
/// left out of the alphabet.
#[cfg(test)]
mod never_panics {
    use std::panic::{AssertUnwindSafe, catch_unwind};

    use clap::Parser;
    use proptest::{prelude::*, test_runner::RngSeed};

    use super::Cli;
    use crate::fail::{Report, command_line_text};

    const DEAD_RPC: &str = "http://127.0.0.1:1";

    const COMMANDS: &[&[&str]] = &[
        &[],
        &["constitution"],
        &["constitution", "show"],
        &["constitution", "params"],
        &["constitution", "list"],
        &["constitution", "propose"],
        &["constitution", "vote"],
        &["constitution", "veto"],
        &["work"],
        &["work", "schema", "id"],
        &["work", "schema", "show"],
        &["work", "submit"],
        &["work", "show"],
        &["work", "power"],
        &["locks", "request"],
        &["locks", "show"],
        &["locks", "renew"],
        &["treasury", "deposit"],
        &["treasury", "allocate"],
        &["treasury", "line", "create"],
        &["treasury", "epoch"],
        &["strategy", "stake"],
        &["strategy", "support"],
        &["strategy", "propose"],
        &["strategy", "show"],
        &["status"],
        &["deploy"],
        &["genesis", "check"],
        &["genesis", "preset"],
        &["dev", "warp"],
        &["keeper"],
    ];

    const FLAGS: &[&str] = &[
        "--json",
        "-v",
        "--from",
        "--deployment",
        "--private-key",
        "--timeout",
        "--confirmations",
        "--async",
        "--ttl",
        "--mode",
        "--after",
        "--asset",
        "--share",
        "--schema",
        "--bounty",
        "--cliff",
        "--stream",
        "--values",
        "--data",
        "--content-hash",
        "--schema-file",
        "--text",
        "--uri",
        "--target",
        "--limit",
        "--reason",
        "--watch",
        "--interval",
        "--count",
        "--packets",
        "--keeper-state",
        "--recipient",
        "--genesis",
        "--help",
        "--version",
        "--",
    ];

    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(FLAGS).prop_map(str::to_string),
            // Hex of any length and case, numbers, amounts, durations, JSON, paths, text.
            2 => "0x[0-9a-fA-FzZ]{0,70}",
            2 => "[0-9]{1,80}(\\.[0-9]{0,25})?( (ether|gwei|wei|USDC|s|m|d|bananas))?",
            1 => "[0-9]{1,4}(ms|s|m|h|d|x)?",
            1 => "[\\[{\"]{1,3}[a-z0-9,:\" ]{0,12}[\\]}]{0,2}",
            1 => "/(tmp|nonexistent|dev/null|proc/self/status)[a-z/.]{0,12}",
            2 => "[a-zA-Z0-9 _.:@%=,+*!?'éß\u{1F600}]{0,24}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 400,
            rng_seed: RngSeed::Fixed(16),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn random_command_lines_never_panic(
            command in proptest::sample::select(COMMANDS),
            tokens in proptest::collection::vec(token(), 0..6),
        ) {
            let mut argv: Vec<String> = vec!["viable".into()];
            argv.extend(command.iter().map(|s| s.to_string()));
            argv.extend(tokens);
            argv.extend(["--rpc-url".to_string(), DEAD_RPC.to_string()]);
            let parsed = catch_unwind(|| Cli::try_parse_from(&argv));
            prop_assert!(parsed.is_ok(), "parsing panicked: {:?}", argv);
            match parsed.unwrap() {
                Err(e) => {
                    let (line, hint) = command_line_text(&e.render().to_string());
                    prop_assert!(!line.contains('\n') && !hint.contains('\n'), "{:?}: {}", argv, line);
                }
                Ok(cli) => {
                    let ran = catch_unwind(AssertUnwindSafe(|| cli.run()));
                    prop_assert!(ran.is_ok(), "running panicked: {:?}", argv);
                    if let Ok(Err(err)) = ran {
                        let line = Report::of(&err).line();
                        prop_assert!(!line.contains('\n'), "{:?}: {}", argv, line);
                    }
                }
            }
        }
    }
}
