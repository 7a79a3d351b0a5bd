//! `viable constitution …`: read the constitution and drive amendments.

use std::path::PathBuf;

use alloy::primitives::U256;
use clap::{Args, Subcommand};
use eyre::Context;
use viable::{Amendment, Support};

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
        id: Option<U256>,
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
        id: U256,
        /// for, against or abstain.
        support: Support,
        /// Reason, logged on chain.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Start the timelock of a Succeeded amendment (anyone may).
    Queue {
        /// Amendment id.
        id: U256,
    },
    /// Execute a Queued amendment after its timelock (anyone may).
    Execute {
        /// Amendment id.
        id: U256,
    },
    /// Cancel your own amendment before voting opens.
    Cancel {
        /// Amendment id.
        id: U256,
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
                let status = viable.amendment_status(id).await?;
                if json {
                    return render::json(&status);
                }
                print!("{}", render::amendment(&status));
            }
            ConstitutionCommand::List => {
                let mut rows = Vec::new();
                for p in viable.amendments().await? {
                    let state = viable.amendment_status(p.id).await?.state;
                    rows.push(serde_json::json!({
                        "id": p.id, "state": state, "proposer": p.proposer, "description": p.description
                    }));
                }
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
                let id = viable.propose(&amendment).await?;
                if json {
                    return render::json(&serde_json::json!({ "id": id }));
                }
                println!("proposed amendment {id}");
                print!("{}", render::amendment(&viable.amendment_status(id).await?));
            }
            ConstitutionCommand::Vote { id, support, reason } => {
                let tx = viable.vote(id, support, reason.as_deref()).await?;
                done(&format!("voted {support} on {id}"), tx)?;
            }
            ConstitutionCommand::Queue { id } => {
                done(&format!("queued {id}"), viable.queue(id).await?)?
            }
            ConstitutionCommand::Execute { id } => {
                done(&format!("executed {id}"), viable.execute(id).await?)?
            }
            ConstitutionCommand::Cancel { id } => {
                done(&format!("cancelled {id}"), viable.cancel(id).await?)?
            }
            ConstitutionCommand::Veto { allocation, reason } => {
                let tx = viable.veto_allocation(allocation, &reason).await?;
                done(&format!("vetoed allocation {allocation}"), tx)?;
            }
            read => {
                let state = viable.constitution_state().await?;
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
