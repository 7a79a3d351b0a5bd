//! Each duty on its own: due items are performed within two blocks of the first block
//! whose timestamp allows them, and nothing else is sent.
//!
//! Blocks are mined by hand here (automine off once the items exist, each block one
//! second after the last unless warped): after the block that reaches a deadline, the
//! test mines the next block only once the keeper's transactions are in the pool (or
//! 15 s passed). The keeper's clock does not run ahead of the heads here
//! (`clock_extrapolation_secs = 0`), so "within two blocks" means it acted on the
//! first head that allowed it, or the next, and not on a later one.

use std::path::Path;

use viable::{AmendmentState, ParamKey, work::PacketStatus};
use viable_keeper::KeeperConfig;

use crate::{CONTRIBUTOR, Chain, KEEPER, Running, amendment};

fn config(state_file: &Path) -> KeeperConfig {
    KeeperConfig { clock_extrapolation_secs: 0, ..crate::config(state_file) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_expires_each_attested_packet_within_two_blocks_of_its_deadline() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let schema = chain.attested_schema(60).await;
    let packets = chain.submit(schema, 5).await;
    // One reaches its quorum, one is retracted: neither may be touched.
    let attest = |i| chain.as_account(i).work();
    attest(1).attest(packets[3]).await.unwrap();
    attest(2).attest(packets[3]).await.unwrap();
    chain.as_account(CONTRIBUTOR).work().retract(packets[4]).await.unwrap();
    let last_event = chain.block_number().await;

    let keeper = Running::start(&chain, KEEPER, config(&dir.path().join("k.json")));
    chain.advance(1).await; // bury the last event under one confirmation
    keeper.caught_up(last_event).await;
    chain.manual_mining().await;

    let work = chain.viable.work();
    let deadline = chain.deadline(&packets[..3]).await;
    let due = chain.warp_to(deadline + 1).await;
    chain.step(3).await;
    if chain.expiries().await.len() < 3 {
        chain.step(1).await;
    }
    let expiries = chain.expiries().await;
    for p in &packets[..3] {
        let (count, block) = expiries.get(&p.0).copied().unwrap_or_default();
        assert_eq!(count, 1, "packet {p} expired once");
        assert!(block <= due + 2, "packet {p} expired in block {block}, deadline reached in {due}");
        assert_eq!(work.packet(*p).await.unwrap().status, PacketStatus::Expired);
    }
    assert_eq!(expiries.len(), 3, "accepted and retracted packets are left alone");
    let offsets: Vec<u64> = packets[..3].iter().map(|p| expiries[&p.0].1 - due).collect();
    println!("work: expiries mined {offsets:?} blocks after the first block past the deadline");
    assert_eq!(chain.nonce(KEEPER).await, 3, "one transaction per expiry");

    // Let the keeper see the outcome events, so nothing stays open.
    chain.step(0).await;
    keeper.caught_up(expiries.values().map(|e| e.1).max().unwrap_or_default()).await;
    let summary = keeper.stop().await;
    assert_eq!((summary.done, summary.reverted, summary.pending), (3, 0, 0), "{summary:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn constitution_queues_and_executes_within_two_blocks_and_leaves_defeated_alone() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let keeper = Running::start(&chain, KEEPER, config(&dir.path().join("k.json")));
    let ids =
        chain.propose(&[(amendment("passes"), true), (amendment("nobody votes"), false)]).await;
    let (passes, defeated) = (ids[0], ids[1]);
    chain.advance(1).await;
    keeper.caught_up(chain.last_event_block().await).await;
    chain.manual_mining().await;

    let c = chain.viable.constitution();
    let vote_end = c.amendment(passes).await.unwrap().vote_end;
    // voteEnd is the first second votes are refused: from its block on it can be queued.
    let due = chain.warp_to(vote_end).await;
    chain.step(1).await;
    if chain.amendment_events().await.is_empty() {
        chain.step(1).await;
    }
    let events = chain.amendment_events().await;
    let queued = events.get(&passes.0).map(|e| e.0.clone()).unwrap_or_default();
    assert_eq!(queued.len(), 1, "queued once: {events:?}");
    assert!(queued[0] <= due + 2, "queued in block {}, allowed from block {due}", queued[0]);
    println!("constitution: queued {} block(s) after voteEnd's block", queued[0] - due);
    assert!(!events.contains_key(&defeated.0), "the defeated amendment is not queued");
    assert_eq!(c.amendment_state(defeated).await.unwrap(), AmendmentState::Defeated);

    // The AmendmentQueued event needs one confirmation before the keeper knows the eta.
    chain.step(0).await;
    keeper.caught_up(queued[0]).await;
    let eta = c.amendment(passes).await.unwrap().eta;
    let due = chain.warp_to(eta).await;
    chain.step(1).await;
    if chain.amendment_events().await[&passes.0].1.is_empty() {
        chain.step(1).await;
    }
    let events = chain.amendment_events().await;
    let executed = events.get(&passes.0).map(|e| e.1.clone()).unwrap_or_default();
    assert_eq!(executed.len(), 1, "executed once: {events:?}");
    assert!(executed[0] <= due + 2, "executed in block {}, allowed from block {due}", executed[0]);
    println!("constitution: executed {} block(s) after the eta's block", executed[0] - due);
    assert_eq!(c.amendment_state(passes).await.unwrap(), AmendmentState::Executed);
    assert_eq!(c.param(ParamKey::LocksMaxTtl).await.unwrap(), alloy::primitives::U256::from(600));
    assert_eq!(chain.nonce(KEEPER).await, 2, "queue and execute, nothing else");

    chain.step(0).await;
    keeper.caught_up(executed[0]).await;
    let summary = keeper.stop().await;
    // Two reads (one per amendment at voteEnd), queue, execute.
    assert_eq!((summary.done, summary.reverted), (4, 0), "{summary:?}");
    assert_eq!(summary.pending, 0, "{summary:?}");
}
