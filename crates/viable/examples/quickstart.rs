//! The SDK in one page (the README's "SDK in ten lines", runnable): deploy the suite
//! with the dev genesis, register a schema, submit a work packet, and take an
//! amendment from proposal to execution, moving anvil's clock past each waiting
//! period instead of waiting for it.
//!
//! ```sh
//! cargo run -p viable --example quickstart   # spawns the project's anvil on a free port
//! ```
//!
//! The anvil is the one `npm install` put under `node_modules/` (or `$ANVIL_BIN`);
//! `anvil` on PATH is the last resort. A test runs this file to the end
//! (`crates/viable/tests/it/examples.rs`).

use std::{error::Error, path::PathBuf};

use alloy::{
    network::EthereumWallet,
    node_bindings::Anvil,
    primitives::{B256, U256, keccak256},
    providers::{Provider, ProviderBuilder, ext::AnvilApi},
    signers::local::PrivateKeySigner,
};
use viable::{
    Amendment, AmendmentId, AmendmentState, DeployOptions, Genesis, PacketId, ParamKey, Support,
    Viable,
    work::{PacketStatus, SchemaDef, Value},
};

/// The schema: an issue number in [1, 1,000,000], a commit hash, a summary of at
/// most 120 bytes; accepted at once (no attesters).
const BUGFIX: &str = include_str!("data/bugfix.toml");

/// What the run left on chain.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// The registered schema.
    pub(crate) schema_id: B256,
    /// The submitted packet and its status.
    pub(crate) packet: (PacketId, PacketStatus),
    /// The amendment and its final state.
    pub(crate) amendment: (AmendmentId, AmendmentState),
    /// `legit.timelock` before and after the amendment, in seconds.
    pub(crate) timelock: (U256, U256),
}

/// Everything, from a provider that signs as anvil's account 0.
pub(crate) async fn run<P: Provider + Clone>(provider: P) -> Result<Outcome, Box<dyn Error>> {
    // 1. Deploy token, constitution and registry, then bootstrap. The whole genesis is
    //    checked before the first transaction. In the dev genesis the ten anvil
    //    accounts hold 1,000,000 VIA each, and accounts 0-2 are founding contributors
    //    with Work House power 10, 8 and 6.
    let viable =
        Viable::deploy(provider.clone(), &Genesis::dev(), DeployOptions::default()).await?;
    let (c, work) = (viable.constitution(), viable.work());

    // 2. A schema, checked client-side against the limits the chain holds now:
    //    `work.maxFields` (16 in the dev genesis) and `work.maxAttestWindow` (600 s).
    let max_fields = c.param(ParamKey::WorkMaxFields).await?.saturating_to();
    let max_window = c.param(ParamKey::WorkMaxAttestWindow).await?.saturating_to();
    let schema =
        SchemaDef::from_toml_str(BUGFIX, "bugfix.toml")?.resolve(max_fields, max_window)?;
    let schema_id = work.register_schema(&schema).await?;

    // 3. A packet, checked by the registry's own rules before it is sent; the content
    //    hash commits to the work itself (here, the text of a diff).
    let values = [
        Value::Uint(U256::from(42)),
        Value::Bytes32(B256::repeat_byte(0xab)),
        Value::String("Fix the off-by-one in the oracle's window".into()),
    ];
    let packet = work.submit_values(schema_id, keccak256("the diff"), &values).await?;
    let status = work.packet(packet).await?.status;

    // 4. An amendment: `legit.timelock` from 120 s to 180 s (its hard bounds in the dev
    //    genesis are 0 to 30 days). Account 0 may propose: it holds 1,000,000 VIA
    //    (the threshold is 1,000) and Work power 10 (the threshold is 1).
    let before = c.param(ParamKey::LegitTimelock).await?;
    // Both houses count votes as they stood one second before the proposal, and the
    // proposal is simulated at the latest block: on a chain this young, let a second
    // pass so the founding holders' votes are on record.
    warp(&provider, 2).await?;
    let amendment = Amendment::new()
        .set_param(ParamKey::LegitTimelock, U256::from(180))
        .description("A three-minute timelock");
    let id = c.propose(&amendment).await?;

    // Voting opens `legit.votingDelay` (60 s) after the proposal: move the clock.
    warp(&provider, c.param(ParamKey::LegitVotingDelay).await?.saturating_to::<u64>() + 1).await?;
    // Account 0's vote is enough in both houses: 1,000,000 of 10,000,000 VIA is over
    // the 4% token quorum, and power 10 of 24 over the 10% work quorum.
    c.vote(id, Support::For, Some("agreed")).await?;

    // Voting closes `legit.votingPeriod` (300 s) after it opened; then anyone queues.
    warp(&provider, c.param(ParamKey::LegitVotingPeriod).await?.saturating_to()).await?;
    c.queue(id).await?;
    // The timelock (120 s until this amendment applies) must pass; then anyone executes.
    warp(&provider, before.saturating_to::<u64>() + 1).await?;
    c.execute(id).await?;

    Ok(Outcome {
        schema_id,
        packet: (packet, status),
        amendment: (id, c.amendment_state(id).await?),
        timelock: (before, c.param(ParamKey::LegitTimelock).await?),
    })
}

/// Move anvil's clock `seconds` ahead and mine a block at the new time (what
/// `viable dev warp` does).
async fn warp<P: Provider>(provider: &P, seconds: u64) -> Result<(), Box<dyn Error>> {
    provider.anvil_increase_time(seconds).await?;
    provider.evm_mine(None).await?;
    Ok(())
}

/// The project's anvil: `$ANVIL_BIN`, else the npm install above this crate, else PATH.
fn project_anvil() -> PathBuf {
    if let Some(p) = std::env::var_os("ANVIL_BIN") {
        return p.into();
    }
    let platform = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("macos", "aarch64") => "darwin-arm64",
        ("macos", _) => "darwin-amd64",
        (_, "aarch64") => "linux-arm64",
        _ => "linux-amd64",
    };
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join(format!("node_modules/@foundry-rs/anvil-{platform}/bin/anvil")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| "anvil".into())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let anvil = Anvil::new().path(project_anvil()).port(0u16).try_spawn()?;
    let signer: PrivateKeySigner = anvil.keys()[0].clone().into();
    let provider = ProviderBuilder::new()
        .wallet(EthereumWallet::from(signer))
        .connect_http(anvil.endpoint_url());

    let out = run(provider).await?;
    println!("schema     {}", out.schema_id);
    println!("packet     {} ({})", out.packet.0, out.packet.1);
    println!("amendment  {} ({})", out.amendment.0, out.amendment.1);
    println!("timelock   {} s -> {} s", out.timelock.0, out.timelock.1);
    Ok(())
}
