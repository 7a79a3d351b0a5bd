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

/// Perform every permissionless deadline duty of a deployment, on time and once:
/// expire attested packets past their window; queue succeeded amendments and execute
/// them after the timelock. Runs until SIGINT or SIGTERM, then finishes what is in
/// flight and saves its state.
#[derive(Debug, Args)]
pub(crate) struct KeeperCmd {
    #[command(flatten)]
    chain: ChainOpts,
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
        let deployment = Deployment::read(&self.chain.find_deployment(chain_id)?)?;
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
