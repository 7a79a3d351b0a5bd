//! `viable dev`: a local chain with the suite deployed, in one command; `viable dev
//! warp` moves its clock so a proposal can go through voting and the timelock
//! without waiting.

use std::{path::PathBuf, time::Duration};

use alloy::{
    eips::BlockNumberOrTag,
    hex,
    network::EthereumWallet,
    node_bindings::Anvil,
    providers::{Provider, ProviderBuilder, ext::AnvilApi},
    signers::local::PrivateKeySigner,
    transports::http::reqwest::Url,
};
use clap::{Args, Subcommand};
use serde_json::json;
use viable::{DeployOptions, Deployment, Viable, display};

use crate::{
    cmd::deploy::{git_commit, load_genesis},
    fail::Fail,
    json as j,
    opts::{parse_duration, parse_rpc_url},
    out::Output,
    render, tools,
};

/// Without a subcommand: start anvil, deploy the suite with the dev genesis, print
/// the accounts and keys anvil signs with and the constitution, and keep anvil
/// running until Ctrl-C.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct DevArgs {
    #[command(subcommand)]
    command: Option<DevCommand>,
    /// Port for anvil's JSON-RPC (0: any free port).
    #[arg(long, default_value_t = 8545)]
    port: u16,
    /// Genesis preset or file.
    #[arg(long, default_value = "dev")]
    genesis: String,
    /// Folder for the deployment file (default: the project's deployments/).
    #[arg(long)]
    deployments: Option<PathBuf>,
    /// Exit after showing the state instead of keeping anvil running.
    #[arg(long)]
    exit: bool,
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

impl DevArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        match &self.command {
            Some(DevCommand::Warp { duration, rpc_url }) => {
                warp(&self.out, *duration, rpc_url).await
            }
            None => self.start().await,
        }
    }

    async fn start(self) -> eyre::Result<()> {
        let out = self.out;
        let genesis = load_genesis(&self.genesis)?;
        let resolved = genesis.resolve()?;
        let cwd = std::env::current_dir()?;
        let bin = tools::find_foundry_tool("anvil", &cwd)?;
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
        let signer: PrivateKeySigner = anvil.keys()[0].clone().into();
        let provider = ProviderBuilder::new()
            .wallet(EthereumWallet::from(signer))
            .connect_http(anvil.endpoint_url())
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
        let dir = match self.deployments {
            Some(d) => d,
            None => tools::project_root()?.join("deployments"),
        };
        let path = Deployment::path_in(&dir, anvil.chain_id());
        viable.deployment().write(&path)?;
        let state = viable.constitution().state().await?;
        let root = tools::project_root().ok();
        let texts: Vec<_> =
            state.articles.iter().map(|a| render::article_text(a, root.as_deref())).collect();
        let accounts: Vec<(alloy::primitives::Address, String)> = anvil
            .addresses()
            .iter()
            .zip(anvil.keys())
            .map(|(a, k)| (*a, hex::encode_prefixed(k.to_bytes())))
            .collect();

        out.show(
            || {
                json!({
                    "rpcUrl": anvil.endpoint(),
                    "chainId": anvil.chain_id(),
                    "deploymentFile": path.display().to_string(),
                    "accounts": accounts.iter().map(|(a, k)| json!({ "address": j::addr(*a), "privateKey": k })).collect::<Vec<_>>(),
                    "deployment": j::deployment(viable.deployment()),
                    "state": j::state(&state, &texts),
                })
            },
            || {
                let mut t = format!(
                    "anvil     {} (chain {})\nrecorded  {}\n\n",
                    anvil.endpoint(),
                    anvil.chain_id(),
                    path.display()
                );
                t.push_str("Accounts (anvil's well-known dev keys: never use them on a real network)\n");
                for (i, (a, k)) in accounts.iter().enumerate() {
                    t.push_str(&format!("  ({i}) {a}  {k}\n"));
                }
                t.push_str(&format!(
                    "Account 0 deployed and bootstrapped the suite. To sign as it elsewhere:\n  export ETH_RPC_URL={}\n  export VIABLE_PRIVATE_KEY={}\n\n",
                    anvil.endpoint(),
                    accounts[0].1
                ));
                t.push_str(&render::constitution(&state, &texts));
                t
            },
        );
        if self.exit {
            return Ok(());
        }
        eprintln!(
            "\nanvil keeps running at {}. In another terminal: `viable constitution show`; \
             `viable dev warp 61s` skips ahead in time. Ctrl-C stops it.",
            anvil.endpoint()
        );
        // Ctrl-C or a SIGTERM: either way anvil is stopped when `anvil` drops.
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
            tokio::select! {
                r = tokio::signal::ctrl_c() => r?,
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        tokio::signal::ctrl_c().await?;
        drop(provider);
        drop(anvil);
        Ok(())
    }
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
