//! Register a schema (if it is not registered yet) and submit the work packets
//! listed in a JSON file, each checked client-side before it is sent.
//!
//! ```sh
//! viable dev                      # in another terminal: anvil + the suite
//! VIABLE_PRIVATE_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 \
//!   cargo run -p viable --example submit_work -- \
//!   crates/viable/examples/data/bugfix.toml crates/viable/examples/data/packets.json
//! ```
//!
//! The packets file is a JSON array of `{ "content": "...", "values": ... }`: the
//! content is hashed into the packet's content hash, and the values are an object
//! keyed by the schema's field names or an array in field order.
//! `ETH_RPC_URL` (default `http://127.0.0.1:8545`) and `VIABLE_DEPLOYMENT`
//! (default `deployments/<chainId>.json`) say where the deployment is.

use std::path::{Path, PathBuf};

use alloy::{
    network::EthereumWallet,
    primitives::{B256, keccak256},
    providers::{Provider, ProviderBuilder},
    signers::local::PrivateKeySigner,
};
use serde::Deserialize;
use viable::{Deployment, PacketId, ParamKey, Viable, work::SchemaDef};

/// One packet to submit.
#[derive(Debug, Deserialize)]
pub(crate) struct PacketSpec {
    /// The work itself (its keccak256 is the content hash).
    pub(crate) content: String,
    /// The field values.
    pub(crate) values: serde_json::Value,
}

/// What the run did.
#[derive(Debug)]
pub(crate) struct Submitted {
    /// The schema's id.
    pub(crate) schema_id: B256,
    /// Whether this run registered it.
    pub(crate) registered: bool,
    /// The packets, in file order.
    pub(crate) packets: Vec<PacketId>,
}

/// Register the schema in `schema_file` unless it exists, then submit every packet
/// in `packets_file`.
pub(crate) async fn run<P: Provider + Clone>(
    viable: &Viable<P>,
    schema_file: &Path,
    packets_file: &Path,
) -> Result<Submitted, Box<dyn std::error::Error>> {
    let work = viable.work();
    let c = viable.constitution();
    let max_fields = c.param(ParamKey::WorkMaxFields).await?.saturating_to();
    let max_window = c.param(ParamKey::WorkMaxAttestWindow).await?.saturating_to();
    let local = SchemaDef::load(schema_file)?.resolve(max_fields, max_window)?;
    let schema_id = local.id();
    let registered = match work.schema(schema_id).await {
        Ok(_) => false,
        Err(e) if e.is_revert("WorkRegistryUnknownSchema") => {
            work.register_schema(&local).await?;
            true
        }
        Err(e) => return Err(e.into()),
    };
    let specs: Vec<PacketSpec> = serde_json::from_str(&std::fs::read_to_string(packets_file)?)?;
    let mut packets = Vec::new();
    for spec in specs {
        // The local definition carries the field names the JSON objects use.
        let values = local.values_from_json(&spec.values)?;
        let id = work.submit_values(schema_id, keccak256(spec.content.as_bytes()), &values).await?;
        packets.push(id);
    }
    Ok(Submitted { schema_id, registered, packets })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [schema_file, packets_file] = args.as_slice() else {
        return Err("usage: submit_work SCHEMA.toml PACKETS.json".into());
    };
    let key: PrivateKeySigner = std::env::var("VIABLE_PRIVATE_KEY")
        .map_err(|_| "set VIABLE_PRIVATE_KEY to the submitting account's key")?
        .parse()?;
    let rpc = std::env::var("ETH_RPC_URL").unwrap_or_else(|_| "http://127.0.0.1:8545".into());
    let provider =
        ProviderBuilder::new().wallet(EthereumWallet::from(key)).connect_http(rpc.parse()?);
    let chain_id = provider.get_chain_id().await?;
    let file = std::env::var_os("VIABLE_DEPLOYMENT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Deployment::path_in("deployments".as_ref(), chain_id));
    let viable = Viable::connect(provider, Deployment::read(&file)?).await?;

    let done = run(&viable, schema_file, packets_file).await?;
    let verb = if done.registered { "registered" } else { "found" };
    println!("{verb} schema {}", done.schema_id);
    for id in done.packets {
        let p = viable.work().packet(id).await?;
        println!("packet {id}: {}", p.status);
    }
    Ok(())
}
