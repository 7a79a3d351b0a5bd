//! The handles and the event stream resolve module addresses from the
//! constitution's directory, so a SetModule amendment takes effect at once.

use alloy::{
    eips::BlockId,
    node_bindings::Anvil,
    primitives::U256,
    providers::{Provider, ext::AnvilApi},
};
use viable::{
    Amendment, Module, SuiteEvent, Viable,
    bindings::{LegitimacyConstitution::LegitimacyConstitutionEvents as C, WorkRegistry},
    work::SchemaDef,
};

use crate::Chain;

#[tokio::test]
async fn handles_and_the_stream_follow_a_set_module_amendment() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let old = WorkRegistry::new(viable.work().address().await.unwrap(), chain.provider.clone());
    let new = WorkRegistry::deploy(chain.provider.clone(), viable.deployment().constitution)
        .await
        .unwrap();
    chain
        .pass(
            &viable,
            &Amendment::new()
                .set_module(Module::Work, *new.address())
                .description("a new registry"),
        )
        .await;

    // The deployment file still names the old registry; the handle uses the new one.
    assert_eq!(viable.deployment().modules.get(Module::Work), *old.address());
    assert_eq!(viable.work().address().await.unwrap(), *new.address());
    let schema = SchemaDef::from_toml_str(
        "name = \"after\"\nacceptance = { mode = \"immediate\" }\nfields = []\n",
        "t",
    )
    .unwrap()
    .resolve(16, 600)
    .unwrap();
    viable.work().register_schema(&schema).await.unwrap();
    assert_eq!(new.schemaCount().call().await.unwrap(), U256::from(1));
    assert_eq!(old.schemaCount().call().await.unwrap(), U256::ZERO);

    // The old registry is no longer part of the suite: its events are not delivered.
    old.registerSchema("stale".into(), vec![], schema.acceptance.clone(), schema.validator)
        .send()
        .await
        .unwrap()
        .watch()
        .await
        .unwrap();
    let logs =
        viable.events(viable.deployment().deploy_block).confirmations(0).backfill().await.unwrap();
    let switch = logs
        .iter()
        .position(|l| matches!(&l.event, SuiteEvent::Constitution(C::ModuleSet(m)) if m.newAddress == *new.address()))
        .expect("the ModuleSet is delivered");
    assert!(
        logs[..switch]
            .iter()
            .filter(|l| l.address != viable.deployment().constitution)
            .all(|l| l.address == *old.address())
    );
    let after: Vec<_> = logs[switch + 1..]
        .iter()
        .filter(|l| l.address != viable.deployment().constitution)
        .collect();
    assert_eq!(after.len(), 1, "only the new registry's schema: {after:?}");
    assert_eq!(after[0].address, *new.address());

    // A stream resumed after the switch reads the directory as it stood then.
    let resumed =
        viable.events(logs[switch].checkpoint()).confirmations(0).backfill().await.unwrap();
    assert_eq!(resumed, logs[switch + 1..].to_vec());

    // A node without the old blocks' state (an anvil restored from a dump here; a
    // pruning full node in the field): the stream rebuilds the directory from the
    // ModuleSet events, and a stream resumed after the switch still reads the new
    // registry from its first block.
    let dump = chain.provider.anvil_dump_state().await.unwrap();
    let restored = Anvil::new().path(crate::anvil_bin()).try_spawn().expect("anvil starts");
    let provider = Chain::provider_for(&restored, 0);
    assert!(provider.anvil_load_state(dump).await.unwrap());
    let at = after[0].block_number;
    let c = viable::bindings::LegitimacyConstitution::new(
        viable.deployment().constitution,
        provider.clone(),
    );
    assert!(
        c.modules().block((at - 1).into()).call().await.is_err(),
        "the restored node has no state for block {}",
        at - 1
    );
    let on_restored = Viable::new(provider.clone(), viable.deployment().clone());
    let resumed = on_restored.events(at).confirmations(0).backfill().await.unwrap();
    let expected: Vec<_> = logs.iter().filter(|l| l.block_number >= at).cloned().collect();
    assert_eq!(resumed, expected);
    assert!(resumed.iter().any(|l| l.address == *new.address()), "the new registry's event");

    // The same rule for any read as of a block: on the restored node a read as of an
    // old block is made at the node's head (one pinned block number, not "latest").
    let head = provider.get_block_number().await.unwrap();
    let asked = std::sync::Mutex::new(Vec::new());
    let read = |id: BlockId| {
        asked.lock().unwrap().push(id);
        let call = c.modules().block(id);
        async move { Ok::<_, viable::Error>(call.call().await?) }
    };
    let modules = viable::events::read_at_or_after(&provider, at - 1, &read).await.unwrap();
    assert_eq!(modules[Module::Work.index()], *new.address());
    assert_eq!(*asked.lock().unwrap(), vec![BlockId::number(at - 1), BlockId::number(head)]);
    // A block the node has not reached is not read at an older head: the refusal comes
    // back, marked for a retry.
    let err = viable::events::read_at_or_after(&provider, head + 100, &read).await.unwrap_err();
    assert!(matches!(err, viable::Error::Transport { retryable: true, .. }), "{err}");
    // A revert is an answer, not a missing state: no second read.
    asked.lock().unwrap().clear();
    let unknown = |id: BlockId| {
        asked.lock().unwrap().push(id);
        let call = c.amendment(U256::from(7)).block(id);
        async move { Ok::<_, viable::Error>(call.call().await?) }
    };
    let err = viable::events::read_at_or_after(&provider, head, unknown).await.unwrap_err();
    assert!(matches!(err, viable::Error::Revert(_)), "{err}");
    assert_eq!(asked.lock().unwrap().len(), 1);
}
