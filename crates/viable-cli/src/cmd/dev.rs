//! `viable dev`: a local chain with the suite deployed, in one command; `viable dev
//! warp` moves its clock so a proposal can go through voting and the timelock
//! without waiting.

use std::{path::PathBuf, time::Duration};

use alloy::{
    eips::BlockNumberOrTag,
    hex,
    network::EthereumWallet,
    node_bindings::{Anvil, AnvilInstance},
    providers::{DynProvider, Provider, ProviderBuilder, ext::AnvilApi},
    rpc::client::ClientBuilder,
    signers::local::PrivateKeySigner,
    transports::http::reqwest::Url,
};
use clap::{Args, Subcommand};
use serde_json::json;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use viable::{DeployOptions, Deployment, Viable, display};
use viable_keeper::{
    KeeperConfig, Summary,
    chain::{ChainKeeper, Signer as KeeperSigner, SignerProvider},
};

use crate::{
    cmd::{
        deploy::{git_commit, load_genesis},
        scenario::{Scenario, who},
    },
    fail::Fail,
    json as j,
    opts::{parse_duration, parse_rpc_url},
    out::Output,
    render, tools,
};

/// Without a subcommand: start anvil, deploy the suite with the dev genesis, print
/// the accounts and keys anvil signs with and the constitution, run the keeper
/// in-process (printing what it does), and keep running until Ctrl-C.
/// `--scenario` then walks through all five systems, narrated.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct DevArgs {
    #[command(subcommand)]
    command: Option<DevCommand>,
    /// Port for anvil's JSON-RPC (0: any free port).
    #[arg(long, default_value_t = 8545)]
    port: u16,
    /// Use this running anvil (its default accounts) instead of starting one.
    #[arg(long = "rpc-url", value_name = "URL", value_parser = parse_rpc_url)]
    attach: Option<Url>,
    /// Genesis preset or file (`local`: the dev parameters with schemas, a recognized
    /// one and a funded treasury; `dev`: the bare dev parameters).
    #[arg(long, default_value = "local")]
    genesis: String,
    /// Folder for the deployment file (default: the project's deployments/).
    #[arg(long)]
    deployments: Option<PathBuf>,
    /// Exit after showing the state instead of keeping anvil running.
    #[arg(long, conflicts_with = "scenario")]
    exit: bool,
    /// After the deploy, run a narrated scenario through all five systems.
    #[arg(long)]
    scenario: bool,
    /// With --scenario: exit when the scenario is done (non-zero if a step failed).
    #[arg(long, requires = "scenario")]
    exit_after_scenario: bool,
    /// Do not run the keeper in-process.
    #[arg(long)]
    no_keeper: bool,
    #[command(flatten)]
    pub(crate) out: Output,
}

#[derive(Debug, Subcommand)]
enum DevCommand {
    /// Move the dev chain's clock forward and mine a block at the new time
    /// (evm_increaseTime + evm_mine): `viable dev warp 61s`, `5m`, `1h30m`, `2d`.
    Warp {
        /// How far: `90s`, `5m`, `1h30m`, `2d`, or plain seconds.
        #[arg(value_parser = parse_duration)]
        duration: Duration,
        /// The dev chain's JSON-RPC endpoint.
        #[arg(short = 'r', long, env = "ETH_RPC_URL", default_value = "http://127.0.0.1:8545", value_parser = parse_rpc_url)]
        rpc_url: Url,
    },
}

/// anvil's ten default accounts' keys (mnemonic "test test ... junk"): public dev keys,
/// used when `--rpc-url` names an anvil started elsewhere.
const ANVIL_KEYS: [&str; 10] = [
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
];

/// The dev chain: an anvil this process started (stopped when dropped), or one it
/// attached to.
struct Chain {
    _anvil: Option<AnvilInstance>,
    url: Url,
    chain_id: u64,
    keys: Vec<PrivateKeySigner>,
}

impl DevArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        match &self.command {
            Some(DevCommand::Warp { duration, rpc_url }) => {
                warp(&self.out, *duration, rpc_url).await
            }
            None => self.start().await,
        }
    }

    /// Start anvil, or check the one `--rpc-url` names.
    async fn chain(&self) -> eyre::Result<Chain> {
        if let Some(url) = &self.attach {
            let provider = ProviderBuilder::new().connect_http(url.clone());
            let chain_id = provider.get_chain_id().await.map_err(|e| Fail::unreachable(url, &e))?;
            let keys: Vec<PrivateKeySigner> =
                ANVIL_KEYS.iter().map(|k| k.parse().expect("anvil's keys are valid")).collect();
            let accounts = provider.get_accounts().await.unwrap_or_default();
            if accounts.first() != Some(&keys[0].address()) {
                return Err(Fail::new(
                    "dev",
                    format!("the node at {url} does not sign for anvil's default accounts"),
                )
                .hint("`viable dev --rpc-url` needs an anvil started with its default mnemonic; drop --rpc-url to start one")
                .into());
            }
            return Ok(Chain { _anvil: None, url: url.clone(), chain_id, keys });
        }
        let cwd = std::env::current_dir()?;
        let bin = tools::find_foundry_tool("anvil", &cwd)
            .map_err(|e| Fail::new("anvil", e.to_string()))?;
        if self.port != 0
            && let Err(e) = std::net::TcpListener::bind(("127.0.0.1", self.port))
        {
            return Err(Fail::new("port", format!("port {} is taken ({e})", self.port))
                .hint("is `viable dev` already running? Use that one, stop it, or pass --port 0 for any free port")
                .into());
        }
        let anvil = Anvil::new().path(&bin).port(self.port).try_spawn().map_err(|e| {
            Fail::new("anvil", format!("anvil ({}) did not start: {e}", bin.display()))
                .hint("reinstall the toolchain with `npm install --no-audit --no-fund` in the project root, or set ANVIL_BIN")
        })?;
        let keys = anvil.keys().iter().map(|k| PrivateKeySigner::from(k.clone())).collect();
        Ok(Chain {
            url: anvil.endpoint_url(),
            chain_id: anvil.chain_id(),
            keys,
            _anvil: Some(anvil),
        })
    }

    async fn start(self) -> eyre::Result<()> {
        let out = self.out;
        let genesis = load_genesis(&self.genesis)?;
        let resolved = genesis.resolve()?;
        let chain = self.chain().await?;
        let provider = ProviderBuilder::new()
            .wallet(EthereumWallet::from(chain.keys[0].clone()))
            .connect_http(chain.url.clone())
            .erased();

        let viable = Viable::deploy_resolved(
            provider.clone(),
            &resolved,
            DeployOptions::default().git_commit(git_commit()),
        )
        .await?;
        // Votes count as they stood one second before a proposal, and a proposal is
        // simulated at the latest block: one block a second after the bootstrap lets the
        // founding holders propose at once.
        provider.anvil_increase_time(1).await?;
        provider.evm_mine(None).await?;
        let dir = match &self.deployments {
            Some(d) => d.clone(),
            None => tools::project_root()?.join("deployments"),
        };
        let path = Deployment::path_in(&dir, chain.chain_id);
        viable.deployment().write(&path)?;
        let state = viable.constitution().state().await?;
        let root = tools::project_root().ok();
        let texts: Vec<_> =
            state.articles.iter().map(|a| render::article_text(a, root.as_deref())).collect();
        let accounts: Vec<(alloy::primitives::Address, String)> =
            chain.keys.iter().map(|k| (k.address(), hex::encode_prefixed(k.to_bytes()))).collect();
        let endpoint = chain.url.as_str().trim_end_matches('/').to_string();

        let mut shown = json!({
            "rpcUrl": endpoint,
            "chainId": chain.chain_id,
            "deploymentFile": path.display().to_string(),
            "accounts": accounts.iter().map(|(a, k)| json!({ "address": j::addr(*a), "privateKey": k })).collect::<Vec<_>>(),
            "deployment": j::deployment(viable.deployment()),
            "state": j::state(&state, &texts),
        });
        if !out.json {
            let mut t = format!(
                "anvil     {endpoint} (chain {})\nrecorded  {}\n\n",
                chain.chain_id,
                path.display()
            );
            t.push_str(
                "Accounts (anvil's well-known dev keys: never use them on a real network)\n",
            );
            for (i, (a, k)) in accounts.iter().enumerate() {
                t.push_str(&format!("  ({i}) {a}  {k}  {}\n", role(i)));
            }
            t.push_str(&format!(
                "Account 0 deployed and bootstrapped the suite. To sign as it elsewhere:\n  export ETH_RPC_URL={endpoint}\n  export VIABLE_PRIVATE_KEY={}\n\n",
                accounts[0].1
            ));
            t.push_str(&render::constitution(&state, &texts));
            print!("{t}");
        }
        if self.exit {
            out.show(|| shown, String::new);
            return Ok(());
        }

        // The keeper, in-process, as account 9: its log lines are what it does.
        let cancel = CancellationToken::new();
        let keeper = if self.no_keeper {
            None
        } else {
            Some(start_keeper(&viable, &chain, cancel.clone())?)
        };

        let mut failed = None;
        if self.scenario {
            let scenario =
                Scenario::new(&viable, &chain.url, &chain.keys, keeper.is_some(), out.json);
            match scenario.run().await {
                Ok(outcome) => shown["scenario"] = outcome.to_json(),
                Err(e) => failed = Some(e),
            }
        }
        if out.json {
            out.show(|| shown, String::new);
        }
        if !(self.exit_after_scenario || failed.is_some()) {
            eprintln!(
                "\nanvil keeps running at {endpoint}{}. In another terminal: `viable constitution show`; \
                 `viable dev warp 61s` skips ahead in time. Ctrl-C stops it.",
                if keeper.is_some() { ", with the keeper (account 9)" } else { "" }
            );
            wait_for_signal().await?;
        }
        cancel.cancel();
        if let Some((task, state_file)) = keeper {
            match task.await {
                Ok(Ok(summary)) => eprintln!(
                    "keeper stopped: {} done, {} skipped, {} reverted, {} failed",
                    summary.done, summary.skipped, summary.reverted, summary.failed
                ),
                Ok(Err(e)) => eprintln!("keeper stopped with an error: {e}"),
                Err(e) => eprintln!("keeper task failed: {e}"),
            }
            let _ = std::fs::remove_file(state_file);
        }
        drop(provider);
        drop(chain);
        match failed {
            Some(e) => Err(e.wrap_err("the scenario stopped")),
            None => Ok(()),
        }
    }
}

/// An account's part in the dev genesis and the scenario.
fn role(i: usize) -> &'static str {
    match i {
        0 => "deployer, steward, founder (Work power 10)",
        1 => "steward of the budget lines, founder (power 8)",
        2 => "guardian, founder (power 6)",
        3..=5 => "contributor",
        6..=8 => "attester of \"review\"",
        9 => "keeper",
        _ => "",
    }
}

/// The keeper's task (and its state file, removed at the end): it follows the new
/// deployment from its first block and signs as account 9.
fn start_keeper(
    viable: &Viable<DynProvider>,
    chain: &Chain,
    cancel: CancellationToken,
) -> eyre::Result<(JoinHandle<viable_keeper::Result<Summary>>, PathBuf)> {
    let state_file = std::env::temp_dir().join(format!(
        "viable-dev-keeper-{}-{}.json",
        chain.chain_id,
        std::process::id()
    ));
    let _ = std::fs::remove_file(&state_file);
    let config = KeeperConfig {
        confirmations: 0,
        state_file: state_file.clone(),
        metrics: false,
        poll_interval_ms: Some(100),
        checkpoint_every_secs: 60,
        shutdown_grace_secs: 5,
        ..KeeperConfig::default()
    };
    let client = ClientBuilder::default().http(chain.url.clone());
    let signer = SignerProvider::new(client, KeeperSigner::Key(chain.keys[who::KEEPER].clone()));
    let own = Viable::new(signer.provider().clone(), viable.deployment().clone());
    let keeper = ChainKeeper::new(own, signer, config)?;
    Ok((tokio::spawn(keeper.run(None, cancel)), state_file))
}

/// Ctrl-C or SIGTERM.
async fn wait_for_signal() -> eyre::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await?;
    Ok(())
}

/// `viable dev warp`: evm_increaseTime then evm_mine, and show the new chain time.
async fn warp(out: &Output, duration: Duration, url: &Url) -> eyre::Result<()> {
    let provider = ProviderBuilder::new().connect_http(url.clone());
    provider.get_chain_id().await.map_err(|e| Fail::unreachable(url, &e))?;
    let seconds = duration.as_secs();
    let (_, before) = latest(&provider).await?;
    provider.anvil_increase_time(seconds).await.map_err(|e| {
        Fail::new("warp", format!("the node at {url} cannot move its clock ({e})"))
            .hint("only a dev chain (anvil, `make dev`) has evm_increaseTime")
    })?;
    provider.evm_mine(None).await?;
    let (block, now) = latest(&provider).await?;
    out.show(
        || json!({ "action": "warp", "seconds": seconds, "before": before, "now": now, "block": block }),
        || {
            format!(
                "chain time {} (moved {} from {}), block {block}\n",
                display::timestamp(now),
                display::span(now.saturating_sub(before)),
                display::timestamp(before)
            )
        },
    );
    Ok(())
}

/// The latest block's number and timestamp.
async fn latest<P: Provider>(p: &P) -> eyre::Result<(u64, u64)> {
    let b = p.get_block_by_number(BlockNumberOrTag::Latest).await?;
    let b = b.ok_or_else(|| eyre::eyre!("the node has no latest block"))?;
    Ok((b.header.number, b.header.timestamp))
}
