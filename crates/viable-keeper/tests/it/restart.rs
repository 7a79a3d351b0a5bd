//! A keeper stopped and started again from its state file misses nothing and repeats
//! nothing: items it saw before stopping come back from the file (their events lie
//! before its cursor and are not read again), items created while it was down come
//! from the event stream, and what it already did is not sent again.

use crate::{Chain, KEEPER, Running, config};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_from_the_state_file_misses_nothing_and_repeats_nothing() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("keeper.json");
    let schema = chain.attested_schema(60).await;

    // Group 1 comes due while the first keeper runs; group 2 is seen by it but comes
    // due only after it stopped.
    let first = chain.submit(schema, 3).await;
    chain.advance(30).await;
    let second = chain.submit(schema, 3).await;
    let keeper = Running::start(&chain, KEEPER, config(&state));
    chain.advance(1).await;
    keeper.caught_up(chain.last_event_block().await).await;
    chain.warp_to(chain.deadline(&first).await + 1).await; // group 1 due, group 2 not yet
    chain
        .until(20, "group 1 expired", || async {
            let e = chain.expiries().await;
            first.iter().all(|p| e.contains_key(&p.0))
        })
        .await;
    chain.advance(1).await;
    keeper.caught_up(chain.last_event_block().await).await;
    let before = keeper.stop().await;
    assert_eq!(before.done, 3, "{before:?}");
    assert_eq!(before.pending, 3, "group 2 still open when it stopped: {before:?}");
    let saved = std::fs::read_to_string(&state).unwrap();
    for p in &second {
        assert!(saved.contains(&format!("\"packetId\":\"{:#x}\"", p.0)), "{p} saved: {saved}");
    }

    // While it is down: group 2 comes due, group 3 is submitted.
    chain.warp_to(chain.deadline(&second).await + 1).await;
    let third = chain.submit(schema, 3).await;
    assert!(chain.expiries().await.len() == 3, "nobody expired anything meanwhile");

    let keeper = Running::start(&chain, KEEPER, config(&state));
    chain
        .until(20, "group 2 expired after the restart", || async {
            let e = chain.expiries().await;
            second.iter().all(|p| e.contains_key(&p.0))
        })
        .await;
    chain.warp_to(chain.deadline(&third).await + 1).await;
    chain
        .until(20, "group 3 expired", || async {
            let e = chain.expiries().await;
            third.iter().all(|p| e.contains_key(&p.0))
        })
        .await;
    chain.advance(1).await;
    keeper.caught_up(chain.last_event_block().await).await;
    let after = keeper.stop().await;

    let expiries = chain.expiries().await;
    assert_eq!(expiries.len(), 9);
    assert!(expiries.values().all(|(n, _)| *n == 1), "each expired once: {expiries:?}");
    assert_eq!(after.done, 6, "{after:?}");
    assert_eq!((before.reverted, after.reverted), (0, 0));
    assert_eq!(chain.nonce(KEEPER).await, 9, "one transaction per packet, none repeated");
    assert_eq!(after.pending, 0, "{after:?}");
}
