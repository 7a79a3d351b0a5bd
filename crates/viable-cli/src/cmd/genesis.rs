//! `viable genesis …`: print a preset, or check a genesis file without touching a chain.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use viable::{
    Genesis, ResolvedGenesis, genesis,
    genesis::ResolvedToken,
    keys,
    treasury::{AssetInfo, format_amount},
};

use serde_json::{Value, json};

use crate::{json as j, render};

/// Work with genesis configurations offline.
#[derive(Debug, Args)]
pub(crate) struct GenesisArgs {
    #[command(subcommand)]
    command: GenesisCommand,
}

#[derive(Debug, Subcommand)]
enum GenesisCommand {
    /// Print a preset (`dev`, `local` or `production`) as TOML, to start your own from.
    Preset {
        /// Preset name.
        #[arg(default_value = "dev")]
        name: String,
    },
    /// Check a genesis file (TOML or JSON) and print what a deploy would send. Refuses
    /// what the contracts would refuse, including a genesis that leaves either house
    /// without weight (no founding seed, a token with no supply or a placeholder token).
    Check {
        /// The file.
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write what `script/Deploy.s.sol` deploys from: the checked genesis, each group
    /// ABI-encoded as `viable deploy` sends it (see docs/deploy.md).
    Export {
        /// A preset (`dev`, `local`, `production`) or a genesis file (.toml or .json).
        genesis: String,
        /// Write it here instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

impl GenesisArgs {
    pub(crate) fn run(self) -> eyre::Result<()> {
        match self.command {
            GenesisCommand::Preset { name } => {
                let text = match name.as_str() {
                    "dev" => genesis::DEV_TOML,
                    "local" => genesis::LOCAL_TOML,
                    "production" | "prod" => genesis::PRODUCTION_TOML,
                    other => eyre::bail!("unknown preset `{other}` (use dev, local or production)"),
                };
                print!("{text}");
            }
            GenesisCommand::Export { genesis, out } => {
                let resolved = crate::cmd::deploy::load_genesis(&genesis)?.resolve()?;
                let text = serde_json::to_string_pretty(&resolved.script_input())?;
                match out {
                    Some(path) => {
                        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                            std::fs::create_dir_all(dir)?;
                        }
                        std::fs::write(&path, text + "\n")?;
                        eprintln!("wrote {} (genesis hash {})", path.display(), resolved.hash);
                    }
                    None => println!("{text}"),
                }
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
                    return render::json(&check_json(&file, &resolved, &params));
                }
                println!("{}: valid (genesis hash {})", file.display(), resolved.hash);
                print!("{}", houses(&resolved));
                print!("{}", render::params(&params));
            }
        }
        Ok(())
    }
}

/// What each house starts with: the weight an amendment's first vote can count on.
fn houses(g: &ResolvedGenesis) -> String {
    let wei = |v| keys::display_value("legit.tokenProposalThreshold", v);
    let token = match &g.token {
        ResolvedToken::Deploy { name, holders, .. } => format!(
            "a new ViableToken \"{name}\", {} holders, supply {}",
            holders.len(),
            wei(g.token_supply().unwrap_or_default())
        ),
        ResolvedToken::Existing(addr) => {
            format!("the existing token {addr} (its supply is checked at bootstrap)")
        }
    };
    let threshold = g.param("legit.tokenProposalThreshold").unwrap_or_default();
    let mut out = format!(
        "  Token House: {token}; proposal threshold {}\n  Work House: {} founding seeds, total power {}\n",
        wei(threshold),
        g.seeds.len(),
        g.founding_power()
    );
    for s in &g.schemas {
        let weight = g.recognitions.iter().find(|(id, _)| *id == s.id()).map(|(_, w)| *w);
        let recognized = match weight {
            Some(w) => format!("recognized, weight {w}"),
            None => "not recognized".into(),
        };
        out.push_str(&format!(
            "  Schema \"{}\" {}: registered at deploy, {recognized}\n",
            s.name,
            s.id()
        ));
    }
    if let Some(t) = &g.treasury {
        out.push_str(&format!(
            "  Treasury: {} deposited by the deployer; {} ETH lines\n",
            format_amount(t.deposit, &AssetInfo::eth()),
            t.lines.len()
        ));
        for (i, l) in t.lines.iter().enumerate() {
            let schema = if l.schema_id.is_zero() {
                "any recognized schema".to_string()
            } else {
                let name = g.schemas.iter().find(|s| s.id() == l.schema_id).map(|s| s.name.clone());
                name.map_or_else(
                    || format!("schema {}", l.schema_id),
                    |n| format!("schema \"{n}\""),
                )
            };
            let bounty = if l.bounty.is_zero() {
                String::new()
            } else {
                format!(", bounty {}", format_amount(l.bounty, &AssetInfo::eth()))
            };
            out.push_str(&format!(
                "    line {}: {} bps run by {}, {schema}{bounty}\n",
                i + 1,
                l.share_bps,
                l.steward
            ));
        }
    }
    out
}

/// `genesis check --json`: the same facts as the text (the genesis hash a deploy
/// records, what each house starts with, the bootstrap roles) and every parameter.
fn check_json(file: &std::path::Path, g: &ResolvedGenesis, params: &[viable::Param]) -> Value {
    let token = match &g.token {
        ResolvedToken::Deploy { name, symbol, holders } => json!({
            "kind": "deploy",
            "name": name,
            "symbol": symbol,
            "holders": holders
                .iter()
                .map(|(a, amount)| json!({ "address": j::addr(*a), "amount": j::uint(*amount) }))
                .collect::<Vec<_>>(),
            "supply": j::uint(g.token_supply().unwrap_or_default()),
        }),
        ResolvedToken::Existing(addr) => json!({ "kind": "existing", "address": j::addr(*addr) }),
    };
    json!({
        "file": file.display().to_string(),
        "valid": true,
        "genesisHash": j::hex(g.hash),
        "bootstrap": {
            "tokenHouse": {
                "token": token,
                "proposalThreshold": j::uint(g.param("legit.tokenProposalThreshold").unwrap_or_default()),
            },
            "workHouse": {
                "seeds": g.seeds
                    .iter()
                    .map(|(a, points)| json!({ "contributor": j::addr(*a), "points": j::uint(*points) }))
                    .collect::<Vec<_>>(),
                "totalPower": j::uint(g.founding_power()),
            },
            "stewards": j::addrs(&g.stewards),
            "guardians": j::addrs(&g.guardians),
            "articles": g.articles
                .iter()
                .map(|(hash, uri)| json!({ "contentHash": j::hex(hash), "uri": uri }))
                .collect::<Vec<_>>(),
            "recognitions": j::recognitions(&g.recognitions),
            "schemas": g.schemas
                .iter()
                .map(|s| json!({ "name": s.name, "schemaId": j::hex(s.id()) }))
                .collect::<Vec<_>>(),
            "treasury": g.treasury.as_ref().map(|t| json!({
                "deposit": j::uint(t.deposit),
                "lines": t.lines
                    .iter()
                    .map(|l| json!({
                        "steward": j::addr(l.steward),
                        "shareBps": l.share_bps,
                        "schemaId": j::hex(l.schema_id),
                        "bounty": j::uint(l.bounty),
                        "cliffBps": l.cliff_bps,
                    }))
                    .collect::<Vec<_>>(),
            })),
        },
        "params": j::params(params),
    })
}
