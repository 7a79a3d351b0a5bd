//! Two keepers on one deployment at once: every item is done exactly once (the
//! contracts allow each at most once; the keepers make sure it happens). Unsharded,
//! both race for every item, and the share of their transactions that reverted
//! because the other was first is reported; with `--shard 0/2` and `1/2` they split
//! the items, and one takes over the other's share once it is late.

use std::time::Instant;

use alloy::providers::ext::AnvilApi;

use viable_keeper::Shard;

use crate::{Chain, KEEPER, OTHER_KEEPER, Running, amendment, config};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_unsharded_keepers_do_every_item_exactly_once() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let ids = chain.propose(&[(amendment("one"), true), (amendment("two"), true)]).await;
    let schema = chain.attested_schema(60).await;
    let packets = chain.submit(schema, 30).await;
    let keepers = [
        Running::start(&chain, KEEPER, config(&dir.path().join("a.json"))),
        Running::start(&chain, OTHER_KEEPER, config(&dir.path().join("b.json"))),
    ];
    chain.advance(1).await;
    let last = chain.last_event_block().await;
    for k in &keepers {
        k.caught_up(last).await;
    }

    // A block a second from here on, as on a real chain: both keepers see each head
    // and race for every item.
    chain.provider.anvil_set_interval_mining(1).await.unwrap();
    let c = chain.viable.constitution();
    let vote_end = c
        .amendment(ids[0])
        .await
        .unwrap()
        .vote_end
        .max(c.amendment(ids[1]).await.unwrap().vote_end);
    let due = vote_end.max(chain.deadline(&packets).await) + 1;
    let started = Instant::now();
    chain.provider.anvil_increase_time(due.saturating_sub(chain.timestamp().await)).await.unwrap();
    chain
        .until(60, "every packet expired and both amendments queued", || async {
            let e = chain.expiries().await;
            let a = chain.amendment_events().await;
            packets.iter().all(|p| e.contains_key(&p.0))
                && ids.iter().all(|id| a.get(&id.0).is_some_and(|(q, _)| !q.is_empty()))
        })
        .await;
    let cleared = started.elapsed();
    let eta = c.amendment(ids[0]).await.unwrap().eta.max(c.amendment(ids[1]).await.unwrap().eta);
    chain.provider.anvil_increase_time(eta.saturating_sub(chain.timestamp().await)).await.unwrap();
    chain
        .until(30, "both amendments executed", || async {
            let a = chain.amendment_events().await;
            ids.iter().all(|id| a.get(&id.0).is_some_and(|(_, x)| !x.is_empty()))
        })
        .await;
    // Let both see the outcome events.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let [a, b] = keepers;
    let requests = a.rpc.requests() + b.rpc.requests();
    let (sa, sb) = (a.stop().await, b.stop().await);

    let expiries = chain.expiries().await;
    assert_eq!(expiries.len(), packets.len());
    assert!(expiries.values().all(|(n, _)| *n == 1), "each packet expired once");
    let amendments = chain.amendment_events().await;
    for id in &ids {
        let (q, x) = &amendments[&id.0];
        assert_eq!((q.len(), x.len()), (1, 1), "amendment {id} queued and executed once");
    }
    let done = (packets.len() + 2 * ids.len()) as u64;
    let sent = chain.nonce(KEEPER).await + chain.nonce(OTHER_KEEPER).await;
    let reverted = sent - done;
    assert_eq!(sa.reverted + sb.reverted, reverted, "{sa:?} {sb:?}");
    assert_eq!(sa.pending + sb.pending, 0, "{sa:?} {sb:?}");
    println!(
        "two unsharded keepers, {done} duties: {sent} transactions, {reverted} reverted ({:.1}%); \
         packets and queues cleared {:.1} s after they came due; {requests} RPC requests",
        100.0 * reverted as f64 / sent as f64,
        cleared.as_secs_f64(),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharded_keepers_split_the_items_and_take_over_a_stopped_ones_share() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    // Two groups with different windows, all submitted now: the second comes due
    // only after one keeper stopped.
    let first = chain.submit(chain.attested_schema(60).await, 20).await;
    let second = chain.submit(chain.attested_schema(600).await, 20).await;
    let takeover = 30;
    let sharded = |index: u32, file: &str| {
        let mut c = config(&dir.path().join(file));
        c.shard = Shard::new(index, 2).unwrap();
        c.shard_takeover_secs = Some(takeover);
        c
    };
    let a = Running::start(&chain, KEEPER, sharded(0, "a.json"));
    let b = Running::start(&chain, OTHER_KEEPER, sharded(1, "b.json"));
    chain.advance(1).await;
    let last = chain.last_event_block().await;
    a.caught_up(last).await;
    b.caught_up(last).await;
    chain.provider.anvil_set_interval_mining(1).await.unwrap();

    // Both running: each does its own share at the deadline, nobody duplicates.
    let deadline = chain.deadline(&first).await;
    chain.provider.anvil_increase_time(deadline + 1 - chain.timestamp().await).await.unwrap();
    chain
        .until(30, "the first packets expired", || async {
            let e = chain.expiries().await;
            first.iter().all(|p| e.contains_key(&p.0))
        })
        .await;
    let (ok_a, reverted_a, _) = chain.sent_by(KEEPER).await;
    let (ok_b, reverted_b, _) = chain.sent_by(OTHER_KEEPER).await;
    assert_eq!(ok_a + ok_b, 20);
    assert!(ok_a > 0 && ok_b > 0, "both shards have items: {ok_a} + {ok_b}");
    assert_eq!(reverted_a + reverted_b, 0, "no item was sent by both");

    // One stops: the other does its own share on time and the stopped one's late.
    let b_summary = b.stop().await;
    chain
        .provider
        .anvil_increase_time(chain.deadline(&second).await + 1 - chain.timestamp().await)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let early = chain.expiries().await;
    let done_early = second.iter().filter(|p| early.contains_key(&p.0)).count();
    assert!(
        done_early > 0 && done_early < second.len(),
        "only its own share on time: {done_early}"
    );
    chain.provider.anvil_increase_time(takeover).await.unwrap();
    chain
        .until(30, "the stopped keeper's share taken over", || async {
            let e = chain.expiries().await;
            second.iter().all(|p| e.contains_key(&p.0))
        })
        .await;
    let a_summary = a.stop().await;
    let expiries = chain.expiries().await;
    assert!(expiries.values().all(|(n, _)| *n == 1), "each packet expired once");
    assert_eq!(chain.sent_by(KEEPER).await.1 + chain.sent_by(OTHER_KEEPER).await.1, 0);
    println!(
        "sharded keepers: 40 packets, no reverted transaction; {} of 20 done on time with one \
         keeper stopped, the rest {takeover} s late; {a_summary:?} {b_summary:?}",
        done_early
    );
}
