//! `viable deploy`: deploy the suite from a genesis and record it.

use std::path::PathBuf;

use clap::Args;
use eyre::bail;
use serde_json::json;
use viable::{DeployOptions, Genesis, SendOptions, Viable};

use crate::{fail::Fail, json as j, opts::ChainOpts, out::Output, render, tools};

/// Deploy the suite to a chain from a genesis configuration.
#[derive(Debug, Args)]
pub(crate) struct DeployArgs {
    /// A preset (`dev`, `local`, `production`) or a genesis file (.toml or .json).
    #[arg(long, default_value = "dev")]
    genesis: String,
    /// Replace an existing deployment file for this chain.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    chain: ChainOpts,
    #[command(flatten)]
    pub(crate) out: Output,
}

impl DeployArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let genesis = load_genesis(&self.genesis)?;
        // Every check runs before the first transaction.
        let resolved = genesis.resolve()?;
        if self.chain.send.no_wait {
            return Err(Fail::usage(
                "--async does not apply to deploy: its transactions must land in order",
            )
            .into());
        }
        let conn = self.chain.writer().await?;
        let chain_id = conn.chain_id;
        let path = self.chain.deployment_target(chain_id)?;
        if path.exists() && !self.force {
            return Err(Fail::new(
                "deployment",
                format!("{} already records a deployment on chain {chain_id}", path.display()),
            )
            .hint("pass --force to replace it, or --deployment FILE to record this one elsewhere")
            .into());
        }
        // The genesis's budget lines are opened by the deployer, as a STEWARD: refuse
        // before the first transaction (the SDK refuses it too, after learning the signer).
        if let Some(sender) = conn.sender
            && resolved.treasury.as_ref().is_some_and(|t| !t.lines.is_empty())
            && !resolved.stewards.contains(&sender)
        {
            return Err(viable::Error::from(viable::error::Precondition::DeployerNotSteward(
                sender,
            ))
            .into());
        }
        if chain_id != 31337 && resolved.is_quick() {
            tracing::warn!(
                chain_id,
                "deploying a genesis with dev-length periods to a non-local chain"
            );
        }
        let sent = conn
            .send(Viable::deploy_resolved(
                conn.provider.clone(),
                &resolved,
                DeployOptions::default().git_commit(git_commit()).send_options(
                    SendOptions::default()
                        .timeout(self.chain.send.timeout)
                        .confirmations(self.chain.send.confirmations),
                ),
            ))
            .await?;
        let viable = sent.value.as_ref().expect("deploy waits for every receipt");
        viable.deployment().write(&path)?;
        let state = viable.constitution().state().await?;
        let root = tools::project_root().ok();
        let texts: Vec<_> =
            state.articles.iter().map(|a| render::article_text(a, root.as_deref())).collect();
        if self.out.json {
            let created = json!({
                "deploymentFile": path.display().to_string(),
                "deployment": j::deployment(viable.deployment()),
                "state": j::state(&state, &texts),
            });
            self.out.sent("deploy", &sent, created, "");
        } else {
            self.out.sent(
                "deploy",
                &sent,
                json!({}),
                &format!(
                    "deployed to chain {chain_id} in {} transactions; recorded in {}",
                    sent.txs.len(),
                    path.display()
                ),
            );
            println!();
            print!("{}", render::constitution(&state, &texts));
        }
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
        bail!("--genesis {spec}: neither a preset (dev, local, production) nor an existing file");
    }
    Ok(Genesis::load(&path)?)
}

/// The current git commit, when run inside a checkout.
pub(crate) fn git_commit() -> Option<String> {
    let out = std::process::Command::new("git").args(["rev-parse", "HEAD"]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
