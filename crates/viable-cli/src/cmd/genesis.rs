//! `viable genesis …`: print a preset, or check a genesis file without touching a chain.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use viable::{Genesis, genesis};

use crate::render;

/// Work with genesis configurations offline.
#[derive(Debug, Args)]
pub(crate) struct GenesisArgs {
    #[command(subcommand)]
    command: GenesisCommand,
}

#[derive(Debug, Subcommand)]
enum GenesisCommand {
    /// Print a preset (`dev` or `production`) as TOML, to start your own from.
    Preset {
        /// Preset name.
        #[arg(default_value = "dev")]
        name: String,
    },
    /// Check a genesis file (TOML or JSON) and print what a deploy would send.
    Check {
        /// The file.
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

impl GenesisArgs {
    pub(crate) fn run(self) -> eyre::Result<()> {
        match self.command {
            GenesisCommand::Preset { name } => {
                let text = match name.as_str() {
                    "dev" => genesis::DEV_TOML,
                    "production" | "prod" => genesis::PRODUCTION_TOML,
                    other => eyre::bail!("unknown preset `{other}` (use dev or production)"),
                };
                print!("{text}");
            }
            GenesisCommand::Check { file, json } => {
                let resolved = Genesis::load(&file)?.resolve()?;
                let params: Vec<viable::Param> = resolved
                    .params
                    .iter()
                    .map(|p| viable::Param {
                        key: p.key.clone(),
                        value: p.value,
                        min: p.min,
                        max: p.max,
                    })
                    .collect();
                if json {
                    return render::json(&params);
                }
                println!("{}: valid (genesis hash {})", file.display(), resolved.hash);
                print!("{}", render::params(&params));
            }
        }
        Ok(())
    }
}
