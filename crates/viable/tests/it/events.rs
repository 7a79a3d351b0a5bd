//! The suite event stream on a real chain: backfill in bounded pages, live follow,
//! confirmation depth, and resuming from a saved checkpoint — every event exactly
//! once, in chain order.

use std::time::Duration;

use alloy::{
    primitives::{Address, B256, TxHash, U256},
    providers::{DynProvider, Provider, ext::AnvilApi},
    rpc::types::Filter,
};
use futures_util::StreamExt;
use viable::{
    Amendment, ParamKey, SuiteEvent, SuiteLog, Viable,
    bindings::{
        LegitimacyConstitution::LegitimacyConstitutionEvents as C,
        WorkRegistry::WorkRegistryEvents as W,
    },
    work::{Schema, SchemaDef, Value},
};

use crate::Chain;

const SCHEMA: &str = r#"
name = "task"
acceptance = { mode = "immediate" }
[[fields]]
type = "uint256"
required = true
"#;

fn schema() -> Schema {
    SchemaDef::from_toml_str(SCHEMA, "t").unwrap().resolve(16, 600).unwrap()
}

/// (block, log index, tx) of every log the suite's contracts emitted, straight from
/// the node in one request (fine on anvil).
async fn every_log(p: &DynProvider, addresses: Vec<Address>, to: u64) -> Vec<(u64, u64, TxHash)> {
    let f = Filter::new().address(addresses).from_block(0).to_block(to);
    p.get_logs(&f)
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.block_number.unwrap(), l.log_index.unwrap(), l.transaction_hash.unwrap()))
        .collect()
}

fn positions(logs: &[SuiteLog]) -> Vec<(u64, u64, TxHash)> {
    logs.iter().map(|l| (l.block_number, l.log_index, l.tx_hash.unwrap())).collect()
}

/// Three packets in one block (automine off), so a block holds several logs.
async fn three_packets_in_one_block(chain: &Chain, viable: &Viable<DynProvider>, id: B256, n: u64) {
    chain.provider.anvil_set_auto_mine(false).await.unwrap();
    let mut pending = Vec::new();
    for i in 0..3u64 {
        let w = chain.as_account(viable, i as usize + 3).work().contract().await.unwrap();
        let data = schema().encode(&[Value::Uint(U256::from(n * 10 + i + 1))]).unwrap();
        let tx = w.submit(id, B256::repeat_byte(1 + i as u8), data).send().await.unwrap();
        pending.push(*tx.tx_hash());
    }
    chain.provider.evm_mine(None).await.unwrap();
    chain.provider.anvil_set_auto_mine(true).await.unwrap();
    for tx in pending {
        let r = chain.provider.get_transaction_receipt(tx).await.unwrap().unwrap();
        assert!(r.status());
    }
}

#[tokio::test]
async fn backfill_and_follow_deliver_every_event_once_in_order_across_a_restart() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let d = viable.deployment().clone();
    let registry = viable.work().address().await.unwrap();
    let suite = vec![d.constitution, registry];
    let id = viable.work().register_schema(&schema()).await.unwrap();
    three_packets_in_one_block(&chain, &viable, id, 0).await;
    chain
        .pass(
            &viable,
            &Amendment::new().set_param(ParamKey::LocksMaxTtl, U256::from(600)).description("t"),
        )
        .await;

    // Backfill from the deployment block in three-block pages.
    let head = chain.provider.get_block_number().await.unwrap();
    let expected = every_log(&chain.provider, suite.clone(), head).await;
    let mut stream = viable.events(d.deploy_block).confirmations(0).page_size(3);
    let backfilled = stream.backfill().await.unwrap();
    assert_eq!(positions(&backfilled), expected, "every log once, in chain order");
    assert!(expected.len() > 20, "a meaningful history ({} logs)", expected.len());
    assert_eq!(stream.checkpoint(), backfilled.last().unwrap().checkpoint());
    // What the stream decoded: bootstrap wired the registry, seeds were credited, the
    // schema and packets landed, the amendment ran.
    let has = |f: &dyn Fn(&SuiteEvent) -> bool| backfilled.iter().any(|l| f(&l.event));
    assert!(has(
        &|e| matches!(e, SuiteEvent::Constitution(C::ModuleSet(m)) if m.newAddress == registry)
    ));
    assert!(has(&|e| matches!(e, SuiteEvent::Work(W::ContributionCredited(_)))));
    assert!(has(&|e| matches!(e, SuiteEvent::Work(W::SchemaRegistered(s)) if s.schemaId == id)));
    assert!(has(&|e| matches!(e, SuiteEvent::Constitution(C::AmendmentExecuted(_)))));
    let submitted: Vec<&SuiteLog> = backfilled
        .iter()
        .filter(|l| matches!(l.event, SuiteEvent::Work(W::PacketSubmitted(_))))
        .collect();
    assert_eq!(submitted.len(), 3);
    assert!(submitted.iter().all(|l| l.block_number == submitted[0].block_number));
    assert!(backfilled.iter().all(|l| l.address == d.constitution || l.address == registry));

    // Restart from a checkpoint saved in the middle of that block: the rest, once.
    let saved = submitted[0].checkpoint();
    let at = backfilled.iter().position(|l| l.checkpoint() == saved).unwrap();
    let resumed = viable.events(saved).confirmations(0).page_size(3).backfill().await.unwrap();
    assert_eq!(positions(&resumed), expected[at + 1..].to_vec());

    // Follow live from the end of the backfill, one confirmation deep.
    let live = viable
        .events(stream.checkpoint())
        .confirmations(1)
        .page_size(3)
        .poll_interval(Duration::from_millis(50))
        .into_stream();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let follower = tokio::spawn(async move {
        let mut live = Box::pin(live);
        while let Some(item) = live.next().await {
            if tx.send(item.unwrap()).is_err() {
                break;
            }
        }
    });
    three_packets_in_one_block(&chain, &viable, id, 1).await;
    let second = Schema { name: "second".into(), ..schema() };
    viable.work().register_schema(&second).await.unwrap();
    // The last block is not confirmed yet: nothing from it may arrive.
    let tip = chain.provider.get_block_number().await.unwrap();
    let mut followed: Vec<SuiteLog> = Vec::new();
    let want = every_log(&chain.provider, suite.clone(), tip - 1).await.len() - expected.len();
    while followed.len() < want {
        let log = tokio::time::timeout(Duration::from_secs(20), rx.recv()).await.unwrap().unwrap();
        followed.push(log);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(rx.try_recv().is_err(), "nothing from the unconfirmed tip");
    assert!(followed.iter().all(|l| l.block_number < tip));
    // One more block confirms the tip.
    crate::mine(&chain.provider, 1).await;
    let last = tokio::time::timeout(Duration::from_secs(20), rx.recv()).await.unwrap().unwrap();
    assert_eq!(last.block_number, tip);
    assert!(matches!(last.event, SuiteEvent::Work(W::SchemaRegistered(_))));
    followed.push(last);
    follower.abort();

    let all = every_log(&chain.provider, suite, tip).await;
    let mut seen = backfilled.clone();
    seen.extend(followed);
    assert_eq!(positions(&seen), all, "backfill + follow: every log once, in order");
}

#[tokio::test]
async fn confirmations_hold_back_the_newest_blocks() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let from = viable.deployment().deploy_block;
    crate::mine(&chain.provider, 2).await;
    let mut stream = viable.events(from).confirmations(2);
    let before = stream.backfill().await.unwrap();
    let id = viable.work().register_schema(&schema()).await.unwrap();
    assert!(stream.backfill().await.unwrap().is_empty(), "the schema's block is the head");
    crate::mine(&chain.provider, 1).await;
    assert!(stream.backfill().await.unwrap().is_empty(), "one block deep is not two");
    crate::mine(&chain.provider, 1).await;
    let now = stream.backfill().await.unwrap();
    assert_eq!(now.len(), 1);
    assert!(matches!(&now[0].event, SuiteEvent::Work(W::SchemaRegistered(s)) if s.schemaId == id));
    // Everything before it was delivered the first time, and only then.
    let all = viable.events(from).confirmations(0).backfill().await.unwrap();
    assert_eq!(all.len(), before.len() + 1);
    assert!(before.iter().all(|l| l.block_number < now[0].block_number));
}

#[tokio::test]
async fn a_failing_node_is_reported_and_the_stream_keeps_going() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    // The same deployment through a node that is not there.
    let dead = alloy::providers::ProviderBuilder::new()
        .connect_http("http://127.0.0.1:1".parse().unwrap())
        .erased();
    let away = Viable::new(dead, viable.deployment().clone());
    let mut stream =
        Box::pin(away.events(0).poll_interval(Duration::from_millis(10)).into_stream());
    for _ in 0..2 {
        let item = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .expect("the error is yielded, not swallowed")
            .expect("the stream does not end");
        let err = item.unwrap_err();
        assert!(matches!(err, viable::Error::Transport { .. }), "{err}");
    }
}
