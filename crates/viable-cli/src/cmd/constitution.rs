//! `viable constitution …`: read the constitution and drive amendments.

use std::path::PathBuf;

use alloy::primitives::U256;
use clap::{Args, Subcommand};
use eyre::Context;
use viable::{Amendment, AmendmentId, Support};

use crate::{opts::ChainOpts, render};

/// Read the constitution (System 5) and propose, vote on, queue and execute amendments.
#[derive(Debug, Args)]
pub(crate) struct ConstitutionArgs {
    #[command(subcommand)]
    command: ConstitutionCommand,
    #[command(flatten)]
    chain: ChainOpts,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum ConstitutionCommand {
    /// Without ID: the whole constitution. With ID: one amendment, its tallies per
    /// house and its next deadline.
    Show {
        /// Amendment id (decimal or 0x hex).
        id: Option<AmendmentId>,
    },
    /// Parameters with their values and hard bounds.
    Params,
    /// STEWARD and GUARDIAN holders.
    Roles,
    /// The articles.
    Articles,
    /// Recognized schemas and their weights.
    Recognitions,
    /// Every amendment proposed on this deployment, with its state.
    List,
    /// Propose the amendment in a TOML file (see docs/amendments.md).
    Propose {
        /// Amendment file.
        file: PathBuf,
    },
    /// Vote on an Active amendment with your weight in both houses.
    Vote {
        /// Amendment id.
        id: AmendmentId,
        /// for, against or abstain.
        support: Support,
        /// Reason, logged on chain.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Start the timelock of a Succeeded amendment (anyone may).
    Queue {
        /// Amendment id.
        id: AmendmentId,
    },
    /// Execute a Queued amendment after its timelock (anyone may).
    Execute {
        /// Amendment id.
        id: AmendmentId,
    },
    /// Cancel your own amendment before voting opens.
    Cancel {
        /// Amendment id.
        id: AmendmentId,
    },
    /// As a GUARDIAN, veto a pending treasury allocation.
    Veto {
        /// Allocation id.
        allocation: U256,
        /// Why (logged on chain).
        #[arg(long)]
        reason: String,
    },
}

impl ConstitutionArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let viable = self.chain.client().await?;
        let c = viable.constitution();
        let json = self.json;
        let done = |what: &str, tx: alloy::primitives::TxHash| -> eyre::Result<()> {
            if json {
                return render::json(&serde_json::json!({ "action": what, "tx": tx }));
            }
            println!("{what} (tx {tx})");
            Ok(())
        };
        match self.command {
            ConstitutionCommand::Show { id: Some(id) } => {
                let status = c.amendment(id).await?;
                if json {
                    return render::json(&status);
                }
                print!("{}", render::amendment(&status));
            }
            ConstitutionCommand::List => {
                let rows: Vec<serde_json::Value> = c
                    .amendments_with_state()
                    .await?
                    .into_iter()
                    .map(|(p, state)| {
                        serde_json::json!({
                            "id": p.id, "state": state, "proposer": p.proposer, "description": p.description
                        })
                    })
                    .collect();
                if json {
                    return render::json(&rows);
                }
                if rows.is_empty() {
                    println!("no amendments yet");
                }
                for r in rows {
                    println!(
                        "{:<10} {}  {}",
                        r["state"].as_str().unwrap_or("?"),
                        r["id"].as_str().unwrap_or("?"),
                        r["description"].as_str().unwrap_or("")
                    );
                }
            }
            ConstitutionCommand::Propose { file } => {
                let text = std::fs::read_to_string(&file)
                    .wrap_err_with(|| format!("cannot read {}", file.display()))?;
                let amendment = Amendment::from_toml_str(&text, &file.display().to_string())?;
                let id = c.propose(&amendment).await?;
                if json {
                    return render::json(&serde_json::json!({ "id": id }));
                }
                println!("proposed amendment {id}");
                print!("{}", render::amendment(&c.amendment(id).await?));
            }
            ConstitutionCommand::Vote { id, support, reason } => {
                let tx = c.vote(id, support, reason.as_deref()).await?;
                done(&format!("voted {support} on {id}"), tx)?;
            }
            ConstitutionCommand::Queue { id } => done(&format!("queued {id}"), c.queue(id).await?)?,
            ConstitutionCommand::Execute { id } => {
                done(&format!("executed {id}"), c.execute(id).await?)?
            }
            ConstitutionCommand::Cancel { id } => {
                done(&format!("cancelled {id}"), c.cancel(id).await?)?
            }
            ConstitutionCommand::Veto { allocation, reason } => {
                let tx = c.veto_allocation(allocation, &reason).await?;
                done(&format!("vetoed allocation {allocation}"), tx)?;
            }
            read => {
                let state = c.state().await?;
                match read {
                    ConstitutionCommand::Params if json => render::json(&state.params)?,
                    ConstitutionCommand::Params => print!("{}", render::params(&state.params)),
                    ConstitutionCommand::Roles if json => render::json(&serde_json::json!({
                        "stewards": state.stewards, "guardians": state.guardians
                    }))?,
                    ConstitutionCommand::Roles => print!("{}", render::roles(&state)),
                    ConstitutionCommand::Articles if json => render::json(&state.articles)?,
                    ConstitutionCommand::Articles => print!("{}", render::articles(&state)),
                    ConstitutionCommand::Recognitions if json => render::json(&state.recognitions)?,
                    ConstitutionCommand::Recognitions => print!("{}", render::recognitions(&state)),
                    _ if json => render::json(&state)?,
                    _ => print!("{}", render::constitution(&state)),
                }
            }
        }
        Ok(())
    }
}
