//! The examples in `crates/viable/examples/`, run against anvil, judged by what they
//! leave on chain.

#[path = "../../examples/submit_work.rs"]
#[allow(dead_code)]
mod submit_work;

#[path = "../../examples/follow_events.rs"]
#[allow(dead_code)]
mod follow_events;

#[path = "../../examples/quickstart.rs"]
#[allow(dead_code)]
mod quickstart;

use std::path::Path;

use alloy::primitives::{B256, U256, keccak256};
use viable::{
    AmendmentState,
    work::{PacketStatus, Value, decode_packet},
};

use crate::Chain;

#[tokio::test]
async fn submit_work_registers_the_schema_and_lands_every_packet() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let (schema_file, packets_file) = (data.join("bugfix.toml"), data.join("packets.json"));

    let done = submit_work::run(&viable, &schema_file, &packets_file).await.unwrap();
    assert!(done.registered);
    assert_eq!(done.packets.len(), 3);

    // On chain: the schema, and three accepted packets with the file's values.
    let work = viable.work();
    let schema = work.schema(done.schema_id).await.unwrap();
    assert_eq!(schema.name, "bugfix");
    let registry = work.contract().await.unwrap();
    assert_eq!(registry.packetCount().call().await.unwrap(), U256::from(3));
    let issues = [42u64, 57, 64];
    let commits = [0x11u8, 0x22, 0x33];
    let contents = [
        "Fix the off-by-one in the oracle's window",
        "Reject empty attester lists",
        "Document the keeper's duties",
    ];
    for (i, id) in done.packets.iter().enumerate() {
        let p = work.packet(*id).await.unwrap();
        assert_eq!(p.status, PacketStatus::Accepted);
        assert_eq!(p.contributor, chain.anvil.addresses()[0]);
        assert_eq!(p.content_hash, keccak256(contents[i]));
        let values = decode_packet(&schema, &p.data).unwrap();
        assert_eq!(values[0], Value::Uint(U256::from(issues[i])));
        assert_eq!(values[1], Value::Bytes32(B256::repeat_byte(commits[i])));
    }

    // A second run finds the schema and submits again.
    let again = submit_work::run(&viable, &schema_file, &packets_file).await.unwrap();
    assert!(!again.registered);
    assert_eq!(again.schema_id, done.schema_id);
    assert_eq!(registry.packetCount().call().await.unwrap(), U256::from(6));

    // follow_events describes what each system did.
    let lines: Vec<String> = viable
        .events(viable.deployment().deploy_block)
        .confirmations(0)
        .backfill()
        .await
        .unwrap()
        .iter()
        .map(follow_events::describe)
        .collect();
    let count = |needle: &str| lines.iter().filter(|l| l.contains(needle)).count();
    assert_eq!(count("Work: packet"), 12, "six submitted, six accepted: {lines:#?}");
    assert_eq!(count("registered (bugfix)"), 1);
    assert_eq!(count("Legitimacy: directory slot 0 now"), 1);
}

#[tokio::test]
async fn quickstart_runs_to_the_end_against_the_projects_anvil() {
    let chain = Chain::spawn();
    let out = quickstart::run(chain.provider.clone()).await.unwrap();
    assert_eq!(out.packet.1, PacketStatus::Accepted);
    assert_eq!(out.amendment.1, AmendmentState::Executed);
    assert_eq!(out.timelock, (U256::from(120), U256::from(180)), "the dev 2 minutes, then 3");
    assert!(!out.schema_id.is_zero());
}
