//! What a keeper asks the node while nothing is due: the same whatever the number of
//! open items, because it never polls items, only heads and logs.

use std::time::Duration;

use alloy::providers::ext::AnvilApi;

use crate::{Chain, KEEPER, Running, config};

/// Mine `blocks` blocks half a second apart; the keeper's RPC requests meanwhile.
async fn requests_over(chain: &Chain, keeper: &Running, blocks: u64) -> u64 {
    let before = keeper.rpc.requests();
    for _ in 0..blocks {
        tokio::time::sleep(Duration::from_millis(500)).await;
        chain.provider.evm_mine(None).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    keeper.rpc.requests() - before
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_requests_do_not_grow_with_open_items() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let schema = chain.attested_schema(600).await;
    chain.submit(schema, 5).await;
    let keeper = Running::start(&chain, KEEPER, config(&dir.path().join("k.json")));
    chain.advance(1).await;
    keeper.caught_up(chain.last_event_block().await).await;
    let blocks = 8;
    let few = requests_over(&chain, &keeper, blocks).await;

    chain.submit(schema, 100).await;
    chain.advance(1).await;
    keeper.caught_up(chain.last_event_block().await).await;
    let many = requests_over(&chain, &keeper, blocks).await;

    let summary = keeper.stop().await;
    assert_eq!(summary.pending, 105, "{summary:?}");
    assert_eq!(summary.done, 0, "nothing was due");
    println!(
        "idle, polling every 100 ms with a block every 500 ms: {:.1} requests per block with 5 \
         open items, {:.1} with 105",
        few as f64 / blocks as f64,
        many as f64 / blocks as f64
    );
    assert!(many <= few + few / 2, "requests grew with open items: {few} -> {many}");
}
