//! `viable work …`: schemas and work packets (System 1).

use std::path::PathBuf;

use alloy::primitives::{Address, B256, Bytes, keccak256};
use clap::{Args, Subcommand};
use eyre::{Context, bail};
use viable::work::{PacketId, PacketInfo, Schema, SchemaDef, decode_packet};

use crate::{opts::ChainOpts, render};

/// Register schemas and submit, attest, retract, expire and read work packets.
#[derive(Debug, Args)]
pub(crate) struct WorkArgs {
    #[command(subcommand)]
    command: WorkCommand,
    #[command(flatten)]
    chain: ChainOpts,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum WorkCommand {
    /// Schemas: register, show, or compute an id offline.
    Schema {
        #[command(subcommand)]
        command: SchemaCommand,
    },
    /// Submit a packet: values as JSON (an array in field order, or an object keyed
    /// by the labels in --schema-file), checked client-side before sending.
    Submit {
        /// Schema id.
        schema: B256,
        /// JSON values, e.g. '[42, "0x…", "fixed it"]'.
        #[arg(long, conflicts_with = "data")]
        values: Option<String>,
        /// Already-encoded data (hex).
        #[arg(long)]
        data: Option<Bytes>,
        /// Hash of the work's content (hex). Or use --content.
        #[arg(long, conflicts_with = "content")]
        content_hash: Option<B256>,
        /// A file whose keccak256 is the content hash.
        #[arg(long)]
        content: Option<PathBuf>,
        /// The schema file, for field labels in an object of --values.
        #[arg(long)]
        schema_file: Option<PathBuf>,
    },
    /// Attest a pending packet (as a listed attester of its schema).
    Attest {
        /// Packet id.
        id: PacketId,
    },
    /// Retract your own pending packet.
    Retract {
        /// Packet id.
        id: PacketId,
    },
    /// Expire a pending packet past its deadline (anyone may).
    Expire {
        /// Packet id.
        id: PacketId,
    },
    /// One packet with its decoded data.
    Show {
        /// Packet id.
        id: PacketId,
    },
    /// Packets, newest first.
    List {
        /// Only this contributor's.
        #[arg(long)]
        contributor: Option<Address>,
        /// Only this schema's.
        #[arg(long)]
        schema: Option<B256>,
        /// At most this many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Contribution points and power of an account.
    Power {
        /// The account.
        account: Address,
    },
}

#[derive(Debug, Subcommand)]
enum SchemaCommand {
    /// Register the schema in a TOML or JSON file (see docs/work-registry.md).
    Register {
        /// Schema file.
        file: PathBuf,
    },
    /// Show a registered schema.
    Show {
        /// Schema id.
        id: B256,
    },
    /// Print a schema file's id without touching a chain.
    Id {
        /// Schema file.
        file: PathBuf,
    },
}

fn load_schema(file: &std::path::Path) -> eyre::Result<Schema> {
    // Registration limits are re-checked against the chain before sending.
    Ok(SchemaDef::load(file)?.resolve(u64::MAX, u64::MAX)?)
}

impl WorkArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let json = self.json;
        if let WorkCommand::Schema { command: SchemaCommand::Id { file } } = &self.command {
            let id = load_schema(file)?.id();
            return if json {
                render::json(&serde_json::json!({ "schemaId": id }))
            } else {
                println!("{id}");
                Ok(())
            };
        }
        let viable = self.chain.client().await?;
        let work = viable.work();
        match self.command {
            WorkCommand::Schema { command } => match command {
                SchemaCommand::Register { file } => {
                    let schema = load_schema(&file)?;
                    let id = work.register_schema(&schema).await?;
                    if json {
                        return render::json(&serde_json::json!({ "schemaId": id }));
                    }
                    println!("registered schema {id}");
                }
                SchemaCommand::Show { id } => {
                    let c = viable.constitution();
                    let (s, weight) = tokio::try_join!(work.schema(id), c.recognition(id))?;
                    if json {
                        return render::json(&schema_json(&s, id, weight));
                    }
                    print!("{}", render::schema(&s, id, weight));
                }
                SchemaCommand::Id { .. } => unreachable!("handled above"),
            },
            WorkCommand::Submit { schema, values, data, content_hash, content, schema_file } => {
                let hash = match (content_hash, content) {
                    (Some(h), None) => h,
                    (None, Some(f)) => keccak256(
                        std::fs::read(&f)
                            .wrap_err_with(|| format!("cannot read {}", f.display()))?,
                    ),
                    _ => bail!("give --content-hash or --content"),
                };
                let id = match (values, data) {
                    (Some(v), None) => {
                        let mut on_chain = work.schema(schema).await?;
                        if let Some(f) = schema_file {
                            let local = load_schema(&f)?;
                            if local.id() != schema {
                                bail!(
                                    "{} defines schema {}, not {schema}",
                                    f.display(),
                                    local.id()
                                );
                            }
                            on_chain.labels = local.labels;
                        }
                        let parsed: serde_json::Value =
                            serde_json::from_str(&v).wrap_err("--values is not valid JSON")?;
                        let values = on_chain.values_from_json(&parsed)?;
                        let data = on_chain.encode(&values)?;
                        work.submit(schema, hash, data).await?
                    }
                    (None, Some(d)) => work.submit(schema, hash, d).await?,
                    _ => bail!("give --values or --data"),
                };
                if json {
                    return render::json(&serde_json::json!({ "packetId": id }));
                }
                println!("submitted packet {id} ({})", work.packet(id).await?.status);
            }
            WorkCommand::Attest { id } => {
                work.attest(id).await?;
                return report(json, "attested", &work.packet(id).await?);
            }
            WorkCommand::Retract { id } => {
                work.retract(id).await?;
                return report(json, "retracted", &work.packet(id).await?);
            }
            WorkCommand::Expire { id } => {
                work.expire(id).await?;
                return report(json, "expired", &work.packet(id).await?);
            }
            WorkCommand::Show { id } => {
                let p = work.packet(id).await?;
                let schema = work.schema(p.schema_id).await?;
                let values = decode_packet(&schema, &p.data).unwrap_or_default();
                if json {
                    let mut v = serde_json::to_value(&p)?;
                    v["values"] = values.iter().map(|x| x.to_json()).collect();
                    return render::json(&v);
                }
                print!("{}", render::packet(&p, &schema, &values));
            }
            WorkCommand::List { contributor, schema, limit } => {
                let list = work.packets(contributor, schema, limit).await?;
                if json {
                    return render::json(&list);
                }
                if list.is_empty() {
                    println!("no packets");
                }
                for p in list {
                    println!("{:>6}  {:<9} {}  {}", p.id, p.status, p.contributor, p.schema_id);
                }
            }
            WorkCommand::Power { account } => {
                let c = work.contribution(account).await?;
                if json {
                    return render::json(&c);
                }
                println!(
                    "{account}: {} points, power {} of {} in the Work House",
                    c.points, c.power, c.total_power
                );
            }
        }
        Ok(())
    }
}

/// After a packet transaction: the packet's new status, as text or JSON.
fn report(json: bool, what: &str, p: &PacketInfo) -> eyre::Result<()> {
    if json {
        return render::json(&serde_json::json!({ "action": what, "packet": p }));
    }
    println!("{what} packet {} (now {})", p.id, p.status);
    Ok(())
}

fn schema_json(s: &Schema, id: B256, weight: alloy::primitives::U256) -> serde_json::Value {
    let fields: Vec<serde_json::Value> = s
        .fields
        .iter()
        .zip(s.types().unwrap_or_default())
        .map(|(f, t)| {
            serde_json::json!({
                "type": t, "required": f.required, "min": f.min, "max": f.max, "maxLen": f.maxLen
            })
        })
        .collect();
    serde_json::json!({
        "schemaId": id,
        "name": s.name,
        "fields": fields,
        "acceptance": {
            "mode": if s.acceptance.mode == 0 { "immediate" } else { "attested" },
            "quorum": s.acceptance.quorum,
            "attesters": s.acceptance.attesters,
            "window": s.acceptance.window,
        },
        "validator": s.validator,
        "recognition": weight,
    })
}
