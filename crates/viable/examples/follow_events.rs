//! Follow everything the suite does, one line per event, from the deployment block
//! (or a saved checkpoint) on: backfill, then new blocks as they are confirmed.
//!
//! ```sh
//! cargo run -p viable --example follow_events -- [--confirmations N] [--from BLOCK]
//! ```
//!
//! `ETH_RPC_URL` (default `http://127.0.0.1:8545`) and `VIABLE_DEPLOYMENT` (default
//! `deployments/<chainId>.json`) say where the deployment is. On a public chain use a
//! confirmation depth of a few blocks; on a local anvil 0 shows each event at once.

use std::path::PathBuf;

use alloy::providers::{Provider, ProviderBuilder};
use futures_util::StreamExt;
use viable::{
    Deployment, SuiteEvent, SuiteLog, Viable,
    bindings::{
        LegitimacyConstitution::LegitimacyConstitutionEvents as C,
        WorkRegistry::WorkRegistryEvents as W,
    },
    keys,
};

/// What one event means, in a line: which system did what.
pub(crate) fn describe(log: &SuiteLog) -> String {
    let what = match &log.event {
        SuiteEvent::Constitution(e) => match e {
            C::ParamSet(p) => {
                let key = keys::bytes32_to_text(&p.key).unwrap_or_else(|| p.key.to_string());
                format!("Legitimacy: {key} set to {}", keys::display_value(&key, p.newValue))
            }
            C::AmendmentProposed(a) => {
                format!("Legitimacy: amendment {} proposed: {}", a.id, a.description)
            }
            C::VoteCast(v) => format!("Legitimacy: {} voted on amendment {}", v.voter, v.id),
            C::AmendmentQueued(a) => {
                format!("Legitimacy: amendment {} queued until {}", a.id, a.eta)
            }
            C::AmendmentExecuted(a) => format!("Legitimacy: amendment {} executed", a.id),
            C::ModuleSet(m) => {
                format!("Legitimacy: directory slot {} now {}", m.module, m.newAddress)
            }
            C::RoleGranted(r) => format!("Legitimacy: role granted to {}", r.account),
            other => format!("Legitimacy: {other:?}"),
        },
        SuiteEvent::Work(e) => match e {
            W::SchemaRegistered(s) => {
                format!("Work: schema {} registered ({})", s.schemaId, s.name)
            }
            W::PacketSubmitted(p) => {
                format!("Work: packet {} submitted by {}", p.packetId, p.contributor)
            }
            W::PacketAccepted(p) => format!("Work: packet {} accepted", p.packetId),
            W::PacketAttested(p) => {
                format!("Work: packet {} attested by {}", p.packetId, p.attester)
            }
            W::ContributionCredited(c) => format!("Work: {} credited", c.contributor),
            other => format!("Work: {other:?}"),
        },
        other => format!("{}: {other:?}", other.contract()),
    };
    format!("#{:<8} {what}", log.block_number)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(|v| v.parse::<u64>())
    };
    let confirmations = flag("--confirmations").transpose()?.unwrap_or(0);
    let rpc = std::env::var("ETH_RPC_URL").unwrap_or_else(|_| "http://127.0.0.1:8545".into());
    let provider = ProviderBuilder::new().connect_http(rpc.parse()?);
    let chain_id = provider.get_chain_id().await?;
    let file = std::env::var_os("VIABLE_DEPLOYMENT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Deployment::path_in("deployments".as_ref(), chain_id));
    let viable = Viable::connect(provider, Deployment::read(&file)?).await?;
    let from = flag("--from").transpose()?.unwrap_or(viable.deployment().deploy_block);

    let mut events = Box::pin(viable.events(from).confirmations(confirmations).into_stream());
    while let Some(item) = events.next().await {
        match item {
            Ok(log) => println!("{}", describe(&log)),
            // The stream retries by itself; a keeper would also save log.checkpoint().
            Err(e) => eprintln!("error (retrying): {e}"),
        }
    }
    Ok(())
}
