//! Faults of the node itself: a reorg that drops the keeper's mined transactions, and
//! the node restarted from a dumped state (losing what came after the dump). After
//! each, every due item is done, and none twice.

use std::time::Duration;

use alloy::{providers::ext::AnvilApi, rpc::types::anvil::ReorgOptions};
use viable::work::PacketStatus;
use viable_keeper::{KeeperConfig, RetryPolicy};

use crate::{Chain, KEEPER, Running, config};

/// Logs three blocks deep; an item found done re-checked after 3 s.
fn deep(state_file: &std::path::Path) -> KeeperConfig {
    let base = config(state_file);
    KeeperConfig {
        confirmations: 3,
        retry: RetryPolicy { settle_secs: 3, ..base.retry.clone() },
        ..base
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reorg_that_drops_the_keepers_expiries_is_repaired_once() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let schema = chain.attested_schema(60).await;
    let packets = chain.submit(schema, 4).await;
    let keeper = Running::start(&chain, KEEPER, deep(&dir.path().join("k.json")));
    for _ in 0..4 {
        chain.advance(1).await;
    }
    keeper.caught_up(chain.last_event_block().await).await;
    chain.manual_mining().await;

    // Due: the keeper sends its four expiries; they are mined in one block.
    chain.warp_to(chain.deadline(&packets).await + 1).await;
    let mined = chain.step(4).await;
    let work = chain.viable.work();
    for p in &packets {
        assert_eq!(work.packet(*p).await.unwrap().status, PacketStatus::Expired);
    }
    // That block and the next are replaced by two empty ones: the expiries are gone.
    chain.step(0).await;
    chain.provider.anvil_reorg(ReorgOptions { depth: 2, tx_block_pairs: vec![] }).await.unwrap();
    for p in &packets {
        assert_eq!(work.packet(*p).await.unwrap().status, PacketStatus::Pending, "{p} reorged");
    }
    assert!(chain.expiries().await.is_empty(), "the reorg removed block {mined}'s events");

    // The keeper's outcome events never come (it read none: they were not 3 deep); it
    // checks again, finds the packets pending and expires them again.
    chain.provider.anvil_set_auto_mine(true).await.unwrap();
    chain
        .until(30, "every packet expired again", || async {
            chain.advance(1).await;
            chain.expiries().await.len() == packets.len()
        })
        .await;
    for _ in 0..4 {
        chain.advance(1).await;
    }
    keeper.caught_up(chain.last_event_block().await).await;
    let summary = keeper.stop().await;
    let expiries = chain.expiries().await;
    assert!(expiries.values().all(|(n, _)| *n == 1), "each expired once: {expiries:?}");
    assert_eq!(summary.pending, 0, "{summary:?}");
    let (ok, reverted, _) = chain.sent_by(KEEPER).await;
    println!(
        "reorg: {ok} keeper transactions on the final chain, {reverted} reverted; {summary:?}"
    );
    assert_eq!((ok, reverted), (4, 0), "the final chain holds one expiry per packet");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_restarted_from_a_dumped_state_loses_nothing_the_keeper_does_not_redo() {
    let mut chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let schema = chain.attested_schema(60).await;
    let first = chain.submit(schema, 3).await;
    chain.advance(20).await;
    let second = chain.submit(schema, 3).await;
    let keeper = Running::start(&chain, KEEPER, config(&dir.path().join("k.json")));
    chain.advance(1).await;
    keeper.caught_up(chain.last_event_block().await).await;

    // The node's state is saved while group 1 is still pending.
    let dumped = chain.provider.anvil_dump_state().await.unwrap();
    let saved_ts = chain.timestamp().await;
    // Group 1 comes due and is expired, on a chain about to be lost.
    chain.warp_to(chain.deadline(&first).await + 1).await;
    chain
        .until(20, "group 1 expired before the crash", || async {
            let e = chain.expiries().await;
            first.iter().all(|p| e.contains_key(&p.0))
        })
        .await;
    // The keeper has read those expiries: its cursor is past the dump, on blocks the
    // restored chain will not have. (Had it not, it would find its cursor's block still
    // there, see the expiries' outcomes never come and send them again after the
    // settle time: also correct, but not the rewind this test is about.)
    chain.advance(1).await;
    keeper.caught_up(chain.last_event_block().await).await;

    // The node dies and comes back on the same port from the dump: group 1's expiries
    // never happened.
    let port = chain.anvil.port();
    chain.restart_anvil(port, Duration::from_secs(2)).await;
    assert!(chain.provider.anvil_load_state(dumped).await.unwrap());
    chain.provider.anvil_set_next_block_timestamp(saved_ts + 1).await.unwrap();
    chain.provider.evm_mine(None).await.unwrap();
    let work = chain.viable.work();
    for p in &first {
        assert_eq!(work.packet(*p).await.unwrap().status, PacketStatus::Pending, "{p} back");
    }

    // Both groups come due on the restored chain: every packet expired, once.
    chain.warp_to(chain.deadline(&second).await.max(chain.deadline(&first).await) + 1).await;
    chain
        .until(40, "both groups expired on the restored chain", || async {
            chain.advance(1).await;
            let e = chain.expiries().await;
            first.iter().chain(&second).all(|p| e.contains_key(&p.0))
        })
        .await;
    for _ in 0..2 {
        chain.advance(1).await;
    }
    keeper.caught_up(chain.last_event_block().await).await;
    let summary = keeper.stop().await;
    let expiries = chain.expiries().await;
    assert_eq!(expiries.len(), 6);
    assert!(expiries.values().all(|(n, _)| *n == 1), "each expired once: {expiries:?}");
    let (ok, reverted, fills) = chain.sent_by(KEEPER).await;
    println!(
        "restart: {ok} keeper transactions on the restored chain, {reverted} reverted, {fills} nonce fills; {summary:?}"
    );
    assert_eq!(ok, 6, "one expiry per packet on the restored chain");
    assert_eq!(summary.pending, 0, "{summary:?}");
    // It was the rewind that redid group 1: the lost chain's state was set aside.
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("k.json.rewound-"))
        .collect();
    assert_eq!(aside.len(), 1, "one state set aside: {aside:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_without_the_old_blocks_state_still_serves_the_locks_duties() {
    use viable::locks::{Mode, RequestState, Resource};

    use crate::modules::{accepted, immediate_schema, lock_expiries, lock_grants};

    let mut chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let schema = immediate_schema(&chain, "lock work").await;
    let p = accepted(&chain, schema, crate::CONTRIBUTOR, 2).await;
    let locks =
        chain.as_account(crate::CONTRIBUTOR).locks().sender(chain.address(crate::CONTRIBUTOR));
    let oracle = Resource::parse("interface:oracle").unwrap();
    let held = locks.request(oracle, p[0], Mode::Exclusive, 60, None).await.unwrap();
    assert_eq!(held.state, RequestState::Held);
    let waits = locks.request(oracle, p[1], Mode::Exclusive, 60, None).await.unwrap();
    assert_eq!(waits.state, RequestState::Queued);
    let queued_in = chain.block_number().await;
    chain.advance(1).await;

    // The node restarts from a dump: it keeps the blocks and logs but has no state for
    // the blocks before the dump, like a full node that pruned them. The keeper starts
    // from the deployment, so it reads the queue's head as of those blocks.
    let dumped = chain.provider.anvil_dump_state().await.unwrap();
    let port = chain.anvil.port();
    chain.restart_anvil(port, Duration::from_millis(200)).await;
    assert!(chain.provider.anvil_load_state(dumped).await.unwrap());
    chain.advance(1).await;
    let at = alloy::eips::BlockId::number(queued_in);
    let lm = viable::bindings::CoordinationLocks::new(
        chain.viable.locks().address().await.unwrap(),
        chain.provider.clone(),
    );
    assert!(lm.resourceInfo(oracle.0).block(at).call().await.is_err(), "no state at {at}");

    let keeper = Running::start(&chain, KEEPER, config(&dir.path().join("k.json")));
    chain.advance(1).await;
    keeper.caught_up(queued_in).await;
    // p0's lease ends: the keeper expires it, which grants p1.
    chain.warp_to(held.lease_end.unwrap()).await;
    chain
        .until(30, "p0's lease expired and p1 granted", || async {
            chain.advance(1).await;
            lock_expiries(&chain).await.contains_key(&p[0].0)
                && lock_grants(&chain).await.contains_key(&p[1].0)
        })
        .await;
    let summary = keeper.stop().await;
    assert_eq!(lock_expiries(&chain).await[&p[0].0].0, 1, "expired once");
    // One transaction (the expiry grants p1); p1's own lease is still running.
    assert_eq!((summary.done, summary.reverted, summary.pending), (1, 0, 1), "{summary:?}");
}
