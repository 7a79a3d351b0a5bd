//! `viable keeper`: the reference daemon that performs every deadline duty of a
//! deployment (docs/keeper.md).

use std::{path::PathBuf, time::Duration};

use alloy::{
    primitives::Address,
    providers::{Provider, ProviderBuilder},
    rpc::client::ClientBuilder,
    signers::local::PrivateKeySigner,
    transports::http::reqwest::Url,
};
use clap::Args;
use eyre::{Context, bail, eyre};
use tokio_util::sync::CancellationToken;
use viable::{Deployment, Viable};
use viable_keeper::{
    KeeperArgs,
    chain::{ChainKeeper, RpcMetrics, Signer, SignerProvider},
};

use crate::opts::{ChainOpts, SendOpts, SignerOpts, parse_rpc_url};

/// Perform every permissionless deadline duty of a deployment, on time and once:
/// expire attested packets past their window; expire ended leases and grant waiting
/// requests; execute allocations past their veto window; promote strategy proposals
/// when their conviction crosses the threshold and expire old ones; queue succeeded
/// amendments and execute them after the timelock. Runs until SIGINT or SIGTERM, then
/// finishes what is in flight and saves its state.
///
/// The keeper takes the chain options of every command except the sending ones
/// (`--timeout`, `--confirmations`, `--async`): it waits for its own receipts, and its
/// `--confirmations` is how deep a log must be before it is acted on.
#[derive(Debug, Args)]
pub(crate) struct KeeperCmd {
    /// JSON-RPC endpoint; `localhost:8545` means `http://localhost:8545`.
    #[arg(
        short = 'r',
        long,
        env = "ETH_RPC_URL",
        default_value = "http://127.0.0.1:8545",
        value_parser = parse_rpc_url
    )]
    rpc_url: Url,
    /// Deployment file. Default: deployments/<chainId>.json in the current folder or
    /// the nearest parent folder that has one.
    #[arg(long, env = "VIABLE_DEPLOYMENT")]
    deployment: Option<PathBuf>,
    #[command(flatten)]
    signer: SignerOpts,
    #[command(flatten)]
    keeper: KeeperArgs,
    /// Sign as anvil's dev account N (the node signs; local dev chains only).
    #[arg(
        long,
        env = "VIABLE_KEEPER_ANVIL_ACCOUNT",
        value_name = "N",
        conflicts_with_all = ["private_key", "keystore", "account", "from"]
    )]
    anvil_account: Option<usize>,
}

impl KeeperCmd {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let config = self.keeper.resolve()?;
        let opts = self.chain_opts();
        let signer = self.signer(&opts).await?;
        let client = ClientBuilder::default().layer(RpcMetrics::new()).http(self.rpc_url.clone());
        let signer = SignerProvider::new(client, signer);
        let provider = signer.provider().clone();
        let chain_id = provider
            .get_chain_id()
            .await
            .wrap_err_with(|| format!("cannot reach {}", self.rpc_url))?;
        let deployment = Deployment::read(&opts.find_deployment(chain_id)?)?;
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

    /// The shared chain options, for the deployment lookup and the keystore.
    fn chain_opts(&self) -> ChainOpts {
        ChainOpts {
            rpc_url: self.rpc_url.clone(),
            deployment: self.deployment.clone(),
            signer: self.signer.clone(),
            send: SendOpts { timeout: Duration::from_secs(120), confirmations: 1, no_wait: false },
        }
    }

    /// Who signs: a private key, a keystore (decrypted off the async threads: scrypt
    /// takes a while), an account the node holds (`--from`), or anvil's dev account N.
    async fn signer(&self, opts: &ChainOpts) -> eyre::Result<Signer> {
        let s = &self.signer;
        let key = match (&s.private_key, &s.keystore, &s.account) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                bail!(
                    "give one signer: --private-key or a keystore (--keystore / --account), not both"
                )
            }
            (Some(k), None, None) => Some(
                k.trim()
                    .parse::<PrivateKeySigner>()
                    .map_err(|_| eyre!("--private-key is not a 32-byte hex private key"))?,
            ),
            (None, path, name) if path.is_some() || name.is_some() => {
                let (opts, path, name) = (opts.clone(), path.clone(), name.clone());
                let key = tokio::task::spawn_blocking(move || {
                    opts.keystore(path.as_ref(), name.as_deref())
                })
                .await
                .map_err(|e| eyre!("keystore task: {e}"))??;
                Some(key)
            }
            _ => None,
        };
        Ok(match (key, s.from, self.anvil_account) {
            (Some(k), Some(from), _) if k.address() != from => {
                bail!("--from {from} is not the signer's address ({})", k.address())
            }
            (Some(k), _, _) => Signer::Key(k),
            (None, _, Some(index)) => Signer::Node(self.anvil_account(index).await?),
            (None, Some(from), None) => Signer::Node(from),
            (None, None, None) => bail!(
                "the keeper sends transactions: give --private-key (or VIABLE_PRIVATE_KEY), \
                 --keystore / --account, --from for an account the node holds, or \
                 --anvil-account N on a local anvil"
            ),
        })
    }

    /// Anvil's dev account `index` (`eth_accounts`, which anvil signs for).
    async fn anvil_account(&self, index: usize) -> eyre::Result<Address> {
        let accounts = ProviderBuilder::new()
            .connect_http(self.rpc_url.clone())
            .get_accounts()
            .await
            .wrap_err_with(|| format!("cannot list the accounts of {}", self.rpc_url))?;
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
