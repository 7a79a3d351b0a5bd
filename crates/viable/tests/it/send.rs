//! Every transaction goes through one send path with a timeout and a confirmation
//! depth: an unmined transaction is an error, not a hang.

use std::time::{Duration, Instant};

use alloy::providers::{Provider, ext::AnvilApi};
use viable::{SendOptions, work::SchemaDef};

use crate::Chain;

fn schema(name: &str) -> viable::work::Schema {
    SchemaDef::from_toml_str(
        &format!("name = \"{name}\"\nacceptance = {{ mode = \"immediate\" }}\nfields = []\n"),
        "t",
    )
    .unwrap()
    .resolve(16, 600)
    .unwrap()
}

#[tokio::test]
async fn an_unmined_transaction_times_out_instead_of_hanging() {
    let chain = Chain::spawn();
    let viable = chain
        .deploy_dev()
        .await
        .with_send_options(SendOptions::default().timeout(Duration::from_millis(1500)));
    chain.provider.anvil_set_auto_mine(false).await.unwrap();
    let started = Instant::now();
    let err = tokio::time::timeout(
        Duration::from_secs(30),
        viable.work().register_schema(&schema("never mined")),
    )
    .await
    .expect("the SDK gives up by itself")
    .unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(1500));
    let viable::Error::Timeout { tx, .. } = err else { panic!("not a timeout: {err}") };
    assert!(err.is_retryable());
    // The transaction was sent; mining lands it.
    chain.provider.evm_mine(None).await.unwrap();
    let r = chain.provider.get_transaction_receipt(tx).await.unwrap().unwrap();
    assert!(r.status());
}

#[tokio::test]
async fn sends_wait_for_the_confirmation_depth() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await.with_send_options(
        SendOptions::default().confirmations(3).timeout(Duration::from_secs(30)),
    );
    // A block every 200 ms.
    let miner = {
        let p = chain.provider.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                p.evm_mine(None).await.unwrap();
            }
        })
    };
    let id = viable.work().register_schema(&schema("deep")).await.unwrap();
    let head = chain.provider.get_block_number().await.unwrap();
    miner.abort();
    let w = viable.work().contract().await.unwrap();
    assert!(!w.schema(id).call().await.unwrap().name.is_empty());
    let logs = viable.events(0).confirmations(0).backfill().await.unwrap();
    let block = logs.last().unwrap().block_number;
    assert!(head >= block + 2, "returned at head {head}, included in {block}");
}
