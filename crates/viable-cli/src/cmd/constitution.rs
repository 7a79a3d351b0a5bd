//! `viable constitution …`: read the constitution.

use crate::{opts::ChainOpts, render};
use clap::{Args, Subcommand};

/// Read the constitution's parameters, roles, recognitions, articles and directory.
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
    /// Everything: address, token, directory, parameters, roles, recognitions, articles.
    Show,
    /// Parameters with their values and hard bounds.
    Params,
    /// STEWARD and GUARDIAN holders.
    Roles,
    /// The articles.
    Articles,
    /// Recognized schemas and their weights.
    Recognitions,
}

impl ConstitutionArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let viable = self.chain.client().await?;
        let state = viable.constitution_state().await?;
        match self.command {
            ConstitutionCommand::Show => {
                if self.json {
                    return render::json(&state);
                }
                print!("{}", render::constitution(&state));
            }
            ConstitutionCommand::Params => {
                if self.json {
                    return render::json(&state.params);
                }
                print!("{}", render::params(&state.params));
            }
            ConstitutionCommand::Roles => {
                if self.json {
                    return render::json(&serde_json::json!({
                        "stewards": state.stewards, "guardians": state.guardians
                    }));
                }
                print!("{}", render::roles(&state));
            }
            ConstitutionCommand::Articles => {
                if self.json {
                    return render::json(&state.articles);
                }
                print!("{}", render::articles(&state));
            }
            ConstitutionCommand::Recognitions => {
                if self.json {
                    return render::json(&state.recognitions);
                }
                print!("{}", render::recognitions(&state));
            }
        }
        Ok(())
    }
}
