//! `viable dev`: a local chain with the suite deployed, in one command.

use std::path::PathBuf;

use alloy::{
    network::EthereumWallet,
    node_bindings::Anvil,
    providers::{Provider, ProviderBuilder},
    signers::local::PrivateKeySigner,
};
use clap::Args;
use eyre::Context;
use viable::{DeployOptions, Deployment, Viable};

use crate::{
    cmd::deploy::{git_commit, load_genesis},
    render,
};

/// Start anvil, deploy the suite with the dev genesis, and show its state.
#[derive(Debug, Args)]
pub(crate) struct DevArgs {
    /// Port for anvil's JSON-RPC (0: any free port).
    #[arg(long, default_value_t = 8545)]
    port: u16,
    /// Genesis preset or file.
    #[arg(long, default_value = "dev")]
    genesis: String,
    /// Where to write the deployment file.
    #[arg(long, default_value = "deployments")]
    deployments: PathBuf,
    /// Exit after showing the state instead of keeping anvil running.
    #[arg(long)]
    exit: bool,
    /// Print the state as JSON.
    #[arg(long)]
    json: bool,
}

impl DevArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let genesis = load_genesis(&self.genesis)?;
        let resolved = genesis.resolve()?;
        let cwd = std::env::current_dir()?;
        let bin = crate::tools::find_foundry_tool("anvil", &cwd)?;
        let anvil = Anvil::new().path(bin).port(self.port).try_spawn().wrap_err_with(|| {
            format!("anvil did not start on port {} (is it in use? try --port)", self.port)
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
        let path = Deployment::path_in(&self.deployments, anvil.chain_id());
        viable.deployment().write(&path)?;
        let state = viable.constitution().state().await?;

        if self.json {
            render::json(&serde_json::json!({
                "rpcUrl": anvil.endpoint(),
                "deployment": viable.deployment(),
                "state": state,
            }))?;
        } else {
            println!("anvil     {} (chain {})", anvil.endpoint(), anvil.chain_id());
            println!("recorded  {}", path.display());
            println!("signer    {} (anvil account 0)\n", anvil.addresses()[0]);
            print!("{}", render::constitution(&state));
        }
        if self.exit {
            return Ok(());
        }
        eprintln!(
            "\nanvil keeps running at {}; try `viable constitution show --rpc-url {}`. Ctrl-C stops it.",
            anvil.endpoint(),
            anvil.endpoint()
        );
        tokio::signal::ctrl_c().await?;
        drop(provider);
        Ok(())
    }
}
