//! `viable keeper`: the reference daemon that performs every deadline duty of a
//! deployment (docs/keeper.md).

use alloy::{
    providers::{Provider, ProviderBuilder},
    rpc::client::ClientBuilder,
    signers::local::PrivateKeySigner,
};
use clap::Args;
use eyre::{Context, bail, eyre};
use tokio_util::sync::CancellationToken;
use viable::{Deployment, Viable};
use viable_keeper::{
    KeeperArgs,
    chain::{ChainKeeper, RpcMetrics, Signer, SignerProvider},
};

use crate::opts::ChainOpts;

/// The chain options a keeper takes: RPC, deployment file and signer. Not the send
/// options of the other commands: the keeper has its own `--confirmations` (and
/// timeouts), and two arguments of one name make clap refuse the whole command.
#[derive(Debug, Clone, Args)]
struct KeeperChainOpts {
    /// JSON-RPC endpoint; `localhost:8545` means `http://localhost:8545`.
    #[arg(
        short = 'r',
        long,
        env = "ETH_RPC_URL",
        default_value = "http://127.0.0.1:8545",
        value_parser = crate::opts::parse_rpc_url
    )]
    rpc_url: alloy::transports::http::reqwest::Url,
    /// Deployment file. Default: deployments/<chainId>.json in the current folder or
    /// the nearest parent folder that has one.
    #[arg(long, env = "VIABLE_DEPLOYMENT")]
    deployment: Option<std::path::PathBuf>,
    #[command(flatten)]
    signer: crate::opts::SignerOpts,
}

impl KeeperChainOpts {
    /// The same options as the other commands read them (default send options).
    fn chain_opts(&self) -> ChainOpts {
        ChainOpts {
            rpc_url: self.rpc_url.clone(),
            deployment: self.deployment.clone(),
            signer: self.signer.clone(),
            send: crate::opts::SendOpts::default(),
        }
    }
}

/// Perform every permissionless deadline duty of a deployment, on time and once:
/// expire attested packets past their window; queue succeeded amendments and execute
/// them after the timelock. Runs until SIGINT or SIGTERM, then finishes what is in
/// flight and saves its state.
#[derive(Debug, Args)]
pub(crate) struct KeeperCmd {
    #[command(flatten)]
    chain: KeeperChainOpts,
    #[command(flatten)]
    keeper: KeeperArgs,
    /// Sign as anvil's dev account N (the node signs; local dev chains only).
    #[arg(
        long,
        env = "VIABLE_KEEPER_ANVIL_ACCOUNT",
        value_name = "N",
        conflicts_with = "private_key"
    )]
    anvil_account: Option<usize>,
}

impl KeeperCmd {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let config = self.keeper.resolve()?;
        let url = self.chain.rpc_url.clone();
        let client = ClientBuilder::default().layer(RpcMetrics::new()).http(url);
        let signer = match (&self.chain.signer.private_key, self.anvil_account) {
            (Some(key), _) => Signer::Key(
                key.trim()
                    .parse::<PrivateKeySigner>()
                    .map_err(|_| eyre!("--private-key is not a 32-byte hex private key"))?,
            ),
            (None, Some(index)) => Signer::Node(self.anvil_account(index).await?),
            (None, None) => bail!(
                "the keeper sends transactions: give --private-key (or VIABLE_PRIVATE_KEY), \
                 or --anvil-account N on a local anvil"
            ),
        };
        let signer = SignerProvider::new(client, signer);
        let provider = signer.provider().clone();
        let chain_id = provider
            .get_chain_id()
            .await
            .wrap_err_with(|| format!("cannot reach {}", self.chain.rpc_url))?;
        let deployment = Deployment::read(&self.chain.chain_opts().find_deployment(chain_id)?)?;
        let viable = Viable::connect(provider, deployment).await?;
        let metrics =
            if config.metrics { Some(viable_keeper::metrics::install_recorder()?) } else { None };
        let keeper = ChainKeeper::new(viable, signer, config)?;
        let cancel = CancellationToken::new();
        tokio::spawn(shutdown_on_signal(cancel.clone()));
        let summary = keeper.run(metrics, cancel).await?;
        eprintln!(
            "keeper stopped at block {}: {} done, {} skipped, {} transient failures, {} given up, \
             {} reverted; {} items open",
            summary.cursor.block,
            summary.done,
            summary.skipped,
            summary.failed,
            summary.gave_up,
            summary.reverted,
            summary.pending,
        );
        Ok(())
    }

    /// Anvil's dev account `index` (`eth_accounts`, which anvil signs for).
    async fn anvil_account(&self, index: usize) -> eyre::Result<alloy::primitives::Address> {
        let url = self.chain.rpc_url.clone();
        let accounts = ProviderBuilder::new()
            .connect_http(url)
            .get_accounts()
            .await
            .wrap_err_with(|| format!("cannot list the accounts of {}", self.chain.rpc_url))?;
        accounts.get(index).copied().ok_or_else(|| {
            eyre!("--anvil-account {index}: the node signs for {} accounts", accounts.len())
        })
    }
}

/// Cancel `cancel` on the first SIGINT or SIGTERM; exit at once on a second one.
async fn shutdown_on_signal(cancel: CancellationToken) {
    signal().await;
    tracing::info!(target: "viable::keeper", "shutting down: finishing the actions in flight (signal again to stop now)");
    cancel.cancel();
    signal().await;
    eprintln!("stopped without waiting for the actions in flight");
    std::process::exit(130);
}

async fn signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
