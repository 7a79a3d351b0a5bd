//! Gas per transaction on a real anvil, for the hot paths with published targets.
//! This is a benchmark with a committed snapshot, not a timing test: it measures
//! each receipt's `gasUsed` and compares it with `snapshots/transactions.json`.
//! Any drift fails with a diff; after an intended change run
//! `UPDATE_SNAPSHOTS=1 cargo test -p viable --test it gas` and commit the file.
//! Block timestamps are set explicitly, so the figures repeat exactly.

use std::collections::BTreeMap;

use alloy::{
    primitives::{B256, Bytes, U256},
    providers::{Provider, ext::AnvilApi},
    rpc::types::TransactionReceipt,
};
use viable::{
    Amendment, DeployOptions, Genesis, ParamKey, Support, Viable,
    work::{SchemaDef, Value},
};

use crate::Chain;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots/transactions.json");

#[tokio::test]
async fn gas_per_transaction_matches_the_snapshot() {
    let chain = Chain::spawn();
    let p = chain.provider.clone();
    let mut now = 1_900_000_000u64;
    // Mine an empty block `by` seconds on, so simulations see the new time, and
    // make the next transaction land one second after it.
    async fn step(p: &impl Provider, now: &mut u64, by: u64) {
        *now += by;
        p.anvil_set_next_block_timestamp(*now).await.unwrap();
        p.evm_mine(None).await.unwrap();
        *now += 1;
        p.anvil_set_next_block_timestamp(*now).await.unwrap();
    }
    step(&p, &mut now, 0).await;
    let viable =
        Viable::deploy(p.clone(), &Genesis::dev(), DeployOptions::default()).await.unwrap();
    let d = viable.deployment().clone();
    let w = viable.work().contract().await.unwrap();
    let c = viable.constitution().contract();
    let mut gas: BTreeMap<String, u64> = BTreeMap::new();
    async fn used(p: &impl Provider, tx: alloy::primitives::TxHash) -> u64 {
        let r: TransactionReceipt = p.get_transaction_receipt(tx).await.unwrap().unwrap();
        assert!(r.status());
        r.gas_used
    }

    // WorkRegistry: register a three-field schema; submit (first ever, then steady state).
    let schema = SchemaDef::from_toml_str(
        r#"name = "task"
acceptance = { mode = "immediate" }
[[fields]]
type = "uint256"
required = true
[[fields]]
type = "bytes32"
[[fields]]
type = "string"
max_len = 64
"#,
        "gas",
    )
    .unwrap()
    .resolve(16, 600)
    .unwrap();
    // The first schema ever also pays for the schema counter's first write.
    let first = SchemaDef::from_toml_str(
        "name = \"first\"\nacceptance = { mode = \"immediate\" }\nfields = []\n",
        "gas",
    )
    .unwrap()
    .resolve(16, 600)
    .unwrap();
    for (name, s) in [
        ("WorkRegistry.registerSchema(first schema ever, 0 fields)", &first),
        ("WorkRegistry.registerSchema(3 fields)", &schema),
    ] {
        step(&p, &mut now, 10).await;
        let tx = w
            .registerSchema(s.name.clone(), s.fields.clone(), s.acceptance.clone(), s.validator)
            .send()
            .await
            .unwrap()
            .watch()
            .await
            .unwrap();
        gas.insert(name.into(), used(&p, tx).await);
    }
    let data: Bytes = schema
        .encode(&[
            Value::Uint(U256::from(7)),
            Value::Bytes32(B256::repeat_byte(1)),
            Value::String("fixed it".into()),
        ])
        .unwrap();
    for name in
        ["WorkRegistry.submit(first packet ever)", "WorkRegistry.submit(3 fields, unrecognized)"]
    {
        step(&p, &mut now, 1).await;
        let tx = w
            .submit(schema.id(), B256::repeat_byte(2), data.clone())
            .send()
            .await
            .unwrap()
            .watch()
            .await
            .unwrap();
        gas.insert(name.into(), used(&p, tx).await);
    }

    // Constitution: one SetParam through propose, votes, queue and execute.
    step(&p, &mut now, 10).await;
    let amendment =
        Amendment::new().set_param(ParamKey::LocksMaxTtl, U256::from(600)).description("gas");
    let tx = c
        .propose(amendment.actions().to_vec(), U256::ZERO, "gas".into())
        .send()
        .await
        .unwrap()
        .watch()
        .await
        .unwrap();
    gas.insert("LegitimacyConstitution.propose(1 SetParam)".into(), used(&p, tx).await);
    let id = amendment.id(chain.anvil.addresses()[0]);
    step(&p, &mut now, 61).await;
    for (i, name) in [
        (0, "LegitimacyConstitution.castVote(first, both houses)"),
        (1, "LegitimacyConstitution.castVote(later, both houses)"),
        (2, "LegitimacyConstitution.castVote(later, both houses, third)"),
    ] {
        step(&p, &mut now, 1).await;
        // Account 0 votes through `viable` itself: one provider per key keeps nonces right.
        let voter = if i == 0 {
            viable.clone()
        } else {
            Viable::new(Chain::provider_for(&chain.anvil, i), d.clone())
        };
        let tx = voter.constitution().vote(id.into(), Support::For, None).await.unwrap();
        gas.insert(name.into(), used(&p, tx).await);
    }
    step(&p, &mut now, 300).await;
    let tx = viable.constitution().queue(id.into()).await.unwrap();
    let queue = used(&p, tx).await;
    step(&p, &mut now, 121).await;
    let tx = viable.constitution().execute(id.into()).await.unwrap();
    let execute = used(&p, tx).await;
    gas.insert("LegitimacyConstitution.queue(1 SetParam)".into(), queue);
    gas.insert("LegitimacyConstitution.execute(1 SetParam)".into(), execute);
    gas.insert("LegitimacyConstitution.queue+execute(1 SetParam)".into(), queue + execute);

    let fresh = serde_json::to_string_pretty(&gas).unwrap() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(SNAPSHOT, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(SNAPSHOT).unwrap_or_default();
    let old: BTreeMap<String, u64> = serde_json::from_str(&committed).unwrap_or_default();
    let drift: Vec<String> = gas
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(v))
        .map(|(k, v)| {
            format!("{k}: {} -> {v}", old.get(k).map_or("none".into(), |o| o.to_string()))
        })
        .collect();
    assert!(
        drift.is_empty(),
        "gas per transaction drifted from snapshots/transactions.json:\n  {}\nIf intended, run UPDATE_SNAPSHOTS=1 cargo test -p viable --test it gas and commit the file.",
        drift.join("\n  ")
    );
}
