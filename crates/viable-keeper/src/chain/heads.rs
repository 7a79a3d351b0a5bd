//! New heads by polling: one `eth_getBlockByNumber("latest")` per interval, which
//! gives the number, the timestamp (the keeper's clock) and the hashes (to see the
//! chain go back or fork) in one request and works over plain HTTP.

use std::time::Duration;

use alloy::{eips::BlockNumberOrTag, providers::Provider};
use futures_util::{StreamExt, stream::BoxStream};

use crate::{
    collector::{HeadSource, SourceError},
    observed::Head,
};

/// A [`HeadSource`] polling the node every `every`.
#[derive(Debug, Clone)]
pub struct PolledHeads<P> {
    provider: P,
    every: Duration,
}

impl<P> PolledHeads<P> {
    /// Poll `provider` for its latest block every `every`.
    pub fn new(provider: P, every: Duration) -> Self {
        Self { provider, every }
    }
}

impl<P: Provider + Clone + Send + Sync + 'static> HeadSource for PolledHeads<P> {
    type Stream = BoxStream<'static, Result<Head, SourceError>>;

    async fn open(&mut self) -> Result<Self::Stream, SourceError> {
        let mut tick = tokio::time::interval(self.every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let state = (self.provider.clone(), tick, None::<alloy_primitives::B256>);
        let heads = futures_util::stream::unfold(state, |(provider, mut tick, last)| async move {
            loop {
                tick.tick().await;
                match provider.get_block_by_number(BlockNumberOrTag::Latest).await {
                    // A new hash, not just a new number: a reorg at the same height
                    // is a new head too.
                    Ok(Some(block)) if Some(block.header.hash) != last => {
                        let head = Head {
                            number: block.header.number,
                            timestamp: block.header.timestamp,
                            hash: block.header.hash,
                            parent_hash: block.header.parent_hash,
                            breaks: 0,
                            reconnects: 0,
                        };
                        return Some((Ok(head), (provider, tick, Some(head.hash))));
                    }
                    Ok(_) => {}
                    Err(e) => return Some((Err(e.into()), (provider, tick, last))),
                }
            }
        });
        Ok(heads.boxed())
    }
}
