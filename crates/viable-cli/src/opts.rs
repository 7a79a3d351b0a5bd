//! Options shared by the subcommands that talk to a chain.

use std::path::PathBuf;

use alloy::{
    network::EthereumWallet,
    providers::{DynProvider, Provider, ProviderBuilder},
    signers::local::PrivateKeySigner,
};
use clap::Args;
use eyre::{Context, eyre};
use viable::{Deployment, Viable};

/// Where the chain is and who signs.
#[derive(Debug, Clone, Args)]
pub(crate) struct ChainOpts {
    /// JSON-RPC endpoint.
    #[arg(long, env = "ETH_RPC_URL", default_value = "http://127.0.0.1:8545", global = true)]
    pub(crate) rpc_url: String,
    /// Hex private key of the signing account (never logged). Read-only commands need none.
    #[arg(long, env = "VIABLE_PRIVATE_KEY", hide_env_values = true, global = true)]
    pub(crate) private_key: Option<String>,
    /// Deployment file; defaults to deployments/<chainId>.json.
    #[arg(long, env = "VIABLE_DEPLOYMENT", global = true)]
    pub(crate) deployment: Option<PathBuf>,
}

impl ChainOpts {
    /// A provider for the RPC, signing with `--private-key` when given.
    pub(crate) fn provider(&self) -> eyre::Result<DynProvider> {
        let url = self.rpc_url.parse().wrap_err_with(|| format!("--rpc-url {}", self.rpc_url))?;
        Ok(match &self.private_key {
            Some(key) => {
                let signer: PrivateKeySigner = key
                    .trim()
                    .parse()
                    .map_err(|_| eyre!("--private-key is not a 32-byte hex private key"))?;
                ProviderBuilder::new()
                    .wallet(EthereumWallet::from(signer))
                    .connect_http(url)
                    .erased()
            }
            None => ProviderBuilder::new().connect_http(url).erased(),
        })
    }

    /// The deployment file's path for `chain_id`.
    pub(crate) fn deployment_path(&self, chain_id: u64) -> PathBuf {
        self.deployment
            .clone()
            .unwrap_or_else(|| Deployment::path_in(&PathBuf::from("deployments"), chain_id))
    }

    /// A client for the deployment on this chain.
    pub(crate) async fn client(&self) -> eyre::Result<Viable<DynProvider>> {
        let provider = self.provider()?;
        let chain_id = provider
            .get_chain_id()
            .await
            .wrap_err_with(|| format!("cannot reach {}", self.rpc_url))?;
        let path = self.deployment_path(chain_id);
        let deployment = Deployment::read(&path)?;
        Ok(Viable::connect(provider, deployment).await?)
    }
}
