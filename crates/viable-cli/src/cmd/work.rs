//! `viable work …`: schemas and work packets (System 1).

use std::path::PathBuf;

use alloy::primitives::{Address, B256, Bytes, keccak256};
use clap::{Args, Subcommand};
use eyre::Context;
use serde_json::json;
use viable::work::{PacketId, Schema, SchemaDef, decode_packet};

use crate::{
    fail::Fail,
    json as j,
    opts::{ChainOpts, Sent, parse_address},
    out::Output,
    render,
};

/// Register schemas and submit, attest, retract, expire and read work packets.
#[derive(Debug, Args)]
pub(crate) struct WorkArgs {
    #[command(subcommand)]
    command: WorkCommand,
    #[command(flatten)]
    chain: ChainOpts,
    #[command(flatten)]
    pub(crate) out: Output,
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
        /// The schema file, for the field names an object of --values is keyed by.
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
        #[arg(long, value_parser = parse_address)]
        contributor: Option<Address>,
        /// Only this schema's.
        #[arg(long)]
        schema: Option<B256>,
        /// At most this many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Contribution points and power of an account (default: --from / ETH_FROM).
    Power {
        /// The account.
        #[arg(value_name = "ACCOUNT", value_parser = parse_address)]
        who: Option<Address>,
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

impl WorkCommand {
    fn writes(&self) -> bool {
        matches!(
            self,
            Self::Schema { command: SchemaCommand::Register { .. } }
                | Self::Submit { .. }
                | Self::Attest { .. }
                | Self::Retract { .. }
                | Self::Expire { .. }
        )
    }
}

impl WorkArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let out = self.out;
        if let WorkCommand::Schema { command: SchemaCommand::Id { file } } = &self.command {
            let id = load_schema(file)?.id();
            out.show(|| json!({ "schemaId": j::hex(id) }), || format!("{id}\n"));
            return Ok(());
        }
        let (conn, viable) = if self.command.writes() {
            self.chain.write_client().await?
        } else {
            self.chain.read_client().await?
        };
        let work = viable.work();
        match self.command {
            WorkCommand::Schema { command } => match command {
                SchemaCommand::Register { file } => {
                    let schema = load_schema(&file)?;
                    let sent = conn.send(work.register_schema(&schema)).await?;
                    let id = sent.value.unwrap_or_else(|| schema.id());
                    out.sent(
                        "registerSchema",
                        &sent,
                        json!({ "schemaId": j::hex(id) }),
                        &format!("registered schema {id} ({})", schema.name),
                    );
                }
                SchemaCommand::Show { id } => {
                    let c = viable.constitution();
                    let (s, weight) = tokio::try_join!(work.schema(id), c.recognition(id))?;
                    out.show(|| j::schema(&s, id, weight), || render::schema(&s, id, weight));
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
                    _ => return Err(Fail::usage("give --content-hash or --content").into()),
                };
                let data = match (values, data) {
                    (Some(v), None) => {
                        let mut on_chain = work.schema(schema).await?;
                        if let Some(f) = schema_file {
                            let local = load_schema(&f)?;
                            if local.id() != schema {
                                return Err(Fail::usage(format!(
                                    "{} defines schema {}, not {schema}",
                                    f.display(),
                                    local.id()
                                ))
                                .into());
                            }
                            on_chain.labels = local.labels;
                        }
                        let parsed: serde_json::Value = serde_json::from_str(&v).map_err(|e| {
                            Fail::usage(format!("--values is not valid JSON ({e})"))
                        })?;
                        let values = on_chain.values_from_json(&parsed)?;
                        on_chain.encode(&values)?
                    }
                    (None, Some(d)) => d,
                    _ => return Err(Fail::usage("give --values or --data").into()),
                };
                let sent = conn.send(work.submit(schema, hash, data)).await?;
                packet_written(&out, &work, "submit", "submitted", sent).await?;
            }
            WorkCommand::Attest { id } => {
                let sent = conn.send(async { work.attest(id).await.map(|()| id) }).await?;
                packet_written(&out, &work, "attest", "attested", sent).await?;
            }
            WorkCommand::Retract { id } => {
                let sent = conn.send(async { work.retract(id).await.map(|()| id) }).await?;
                packet_written(&out, &work, "retract", "retracted", sent).await?;
            }
            WorkCommand::Expire { id } => {
                let sent = conn.send(async { work.expire(id).await.map(|()| id) }).await?;
                packet_written(&out, &work, "expire", "expired", sent).await?;
            }
            WorkCommand::Show { id } => {
                let (p, now) = tokio::try_join!(
                    async { Ok::<_, eyre::Report>(work.packet(id).await?) },
                    conn.now()
                )?;
                let schema = work.schema(p.schema_id).await?;
                let values = decode_packet(&schema, &p.data);
                out.show(
                    || j::packet(&p, values.as_deref()),
                    || {
                        render::packet(
                            &p,
                            &schema,
                            values.as_deref().unwrap_or_default(),
                            Some(now),
                        )
                    },
                );
            }
            WorkCommand::List { contributor, schema, limit } => {
                let list = work.packets(contributor, schema, limit).await?;
                out.show(
                    || list.iter().map(|p| j::packet(p, None)).collect(),
                    || {
                        if list.is_empty() {
                            return "no packets\n".into();
                        }
                        list.iter()
                            .map(|p| {
                                format!(
                                    "{:>6}  {:<9} {}  {}\n",
                                    p.id, p.status, p.contributor, p.schema_id
                                )
                            })
                            .collect()
                    },
                );
            }
            WorkCommand::Power { who } => {
                let account = who.or(conn.sender).ok_or_else(|| {
                    Fail::usage("whose power? give an ACCOUNT, or --from / ETH_FROM")
                })?;
                let c = work.contribution(account).await?;
                out.show(|| j::contribution(account, &c), || render::contribution(account, &c));
            }
        }
        Ok(())
    }
}

/// After a packet transaction: the packet's id, its status now and the tx.
async fn packet_written(
    out: &Output,
    work: &viable::work::Work<alloy::providers::DynProvider>,
    action: &str,
    done: &str,
    sent: Sent<PacketId>,
) -> eyre::Result<()> {
    let Some(id) = sent.value else {
        out.sent(action, &sent, json!({}), "");
        return Ok(());
    };
    let p = work.packet(id).await?;
    out.sent(
        action,
        &sent,
        json!({ "packetId": j::text(id), "status": j::text(p.status) }),
        &format!("{done} packet {id} (now {})", p.status),
    );
    Ok(())
}
