//! `viable deploy`: deploy the suite from a genesis and record it.

use std::path::PathBuf;

use alloy::providers::Provider;
use clap::Args;
use eyre::{Context, bail};
use viable::{DeployOptions, Genesis, Viable};

use crate::{opts::ChainOpts, render};

/// Deploy the suite to a chain from a genesis configuration.
#[derive(Debug, Args)]
pub(crate) struct DeployArgs {
    /// A preset (`dev`, `production`) or a genesis file (.toml or .json).
    #[arg(long, default_value = "dev")]
    genesis: String,
    /// Replace an existing deployment file for this chain.
    #[arg(long)]
    force: bool,
    /// Print the deployed state as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    chain: ChainOpts,
}

impl DeployArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let genesis = load_genesis(&self.genesis)?;
        // Every check runs before the first transaction.
        let resolved = genesis.resolve()?;
        if self.chain.private_key.is_none() {
            bail!("deploy needs a signer: pass --private-key or set VIABLE_PRIVATE_KEY");
        }
        let provider = self.chain.provider()?;
        let chain_id = provider
            .get_chain_id()
            .await
            .wrap_err_with(|| format!("cannot reach {}", self.chain.rpc_url))?;
        let path = self.chain.deployment_path(chain_id);
        if path.exists() && !self.force {
            bail!(
                "{} already records a deployment on chain {chain_id}; pass --force to replace it",
                path.display()
            );
        }
        if chain_id != 31337 && resolved.is_quick() {
            tracing::warn!(
                chain_id,
                "deploying a genesis with dev-length periods to a non-local chain"
            );
        }
        let viable = Viable::deploy_resolved(
            provider,
            &resolved,
            DeployOptions::default().git_commit(git_commit()),
        )
        .await?;
        viable.deployment().write(&path)?;
        let state = viable.constitution().state().await?;
        if self.json {
            return render::json(
                &serde_json::json!({ "deployment": viable.deployment(), "state": state }),
            );
        }
        println!("deployed to chain {chain_id}; recorded in {}\n", path.display());
        print!("{}", render::constitution(&state));
        Ok(())
    }
}

/// A preset name or a file path.
pub(crate) fn load_genesis(spec: &str) -> eyre::Result<Genesis> {
    if let Some(g) = Genesis::preset(spec) {
        return Ok(g);
    }
    let path = PathBuf::from(spec);
    if !path.exists() {
        bail!("--genesis {spec}: neither a preset (dev, production) nor an existing file");
    }
    Ok(Genesis::load(&path)?)
}

/// The current git commit, when run inside a checkout.
pub(crate) fn git_commit() -> Option<String> {
    let out = std::process::Command::new("git").args(["rev-parse", "HEAD"]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
