//! The SDK's suite event stream as the keeper's [`Event`]s.
//!
//! Each log is mapped by its module's file (`work.rs`, `locks.rs`, `treasury.rs`,
//! `strategy.rs`, `constitution.rs`); a log no duty needs maps to nothing. Some mappings read the chain (a
//! packet's deadline, an amendment's grace period); a read that fails is retried a few
//! times, and if it still fails the stream yields the error and ends, so the collector
//! reopens it from the last event forwarded and the log is read again: no event is
//! ever skipped because a read failed.
//!
//! Reads "as of the log's block" need that block's state, which a full node prunes
//! (geth keeps the last 128 blocks') and an anvil restored from a dump never had. When
//! the node refuses such a read, the mappings read at the node's head instead
//! ([`viable::events::read_at_or_after`]; never below the log's block): a later state of
//! the same item, which the duties treat like any newer observation (the chain refuses
//! what is no longer due).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use alloy::{eips::BlockNumberOrTag, primitives::B256, providers::Provider};
use backon::{ExponentialBuilder, Retryable};
use futures_util::{StreamExt, stream::BoxStream};
use viable::{
    Checkpoint, SuiteEvent, SuiteLog, Viable,
    bindings::LegitimacyConstitution::LegitimacyConstitutionEvents,
};

use super::{constitution, directory::Directory, locks, strategy, treasury, work};
use crate::{
    collector::{EventSource, SourceError},
    observed::{Cursor, Event, Observed, Timestamp},
};

/// What the mappings read, with the caches that keep those reads rare.
#[derive(Debug)]
pub(super) struct Reader<P> {
    viable: Viable<P>,
    provider: P,
    /// Attestation windows by schema id (`None`: Immediate). Schemas never change.
    windows: Mutex<HashMap<B256, Option<u64>>>,
    /// The last block whose timestamp was read (logs arrive in block order).
    block: Mutex<Option<(u64, Timestamp)>>,
    /// The executor's directory cache, forgotten when a `ModuleSet` event passes.
    directory: Directory,
}

impl<P: Provider + Clone> Reader<P> {
    fn new(viable: Viable<P>, directory: Directory) -> Self {
        let provider = viable.provider().clone();
        Self { viable, provider, windows: Mutex::default(), block: Mutex::default(), directory }
    }

    pub(super) fn provider(&self) -> &P {
        &self.provider
    }

    pub(super) fn viable(&self) -> &Viable<P> {
        &self.viable
    }

    pub(super) fn directory(&self) -> &Directory {
        &self.directory
    }

    pub(super) fn cached_window(&self, schema: B256) -> Option<Option<u64>> {
        self.windows.lock().ok()?.get(&schema).copied()
    }

    pub(super) fn remember_window(&self, schema: B256, window: Option<u64>) {
        if let Ok(mut w) = self.windows.lock() {
            w.insert(schema, window);
        }
    }

    /// The timestamp of block `number`.
    pub(super) async fn block_timestamp(&self, number: u64) -> viable::Result<Timestamp> {
        if let Some((n, ts)) = self.block.lock().ok().and_then(|b| *b)
            && n == number
        {
            return Ok(ts);
        }
        let block = self
            .provider
            .get_block_by_number(BlockNumberOrTag::Number(number))
            .await?
            .ok_or_else(|| viable::Error::Unexpected(format!("no block {number}")))?;
        let ts = block.header.timestamp;
        if let Ok(mut b) = self.block.lock() {
            *b = Some((number, ts));
        }
        Ok(ts)
    }

    /// What `log` means for the duties, in order (empty: nothing).
    async fn observe(&self, log: &SuiteLog) -> viable::Result<Vec<Observed>> {
        if let SuiteEvent::Constitution(LegitimacyConstitutionEvents::ModuleSet(_)) = &log.event {
            self.directory.forget();
        }
        match &log.event {
            SuiteEvent::Work(e) => Ok(work::observe(self, log, e).await?.into_iter().collect()),
            SuiteEvent::Constitution(LegitimacyConstitutionEvents::ParamSet(e))
                if strategy::is_rule_key(&e.key) =>
            {
                strategy::rules_after_param(self, log).await
            }
            SuiteEvent::Constitution(e) => {
                Ok(constitution::observe(self, log, e).await?.into_iter().collect())
            }
            SuiteEvent::Locks(e) => locks::observe(self, log, e).await,
            SuiteEvent::Treasury(e) => Ok(treasury::observe(e).into_iter().collect()),
            SuiteEvent::Strategy(e) => strategy::observe(self, log, e).await,
            _ => Ok(Vec::new()),
        }
    }
}

/// An [`EventSource`] over `viable.events(…)`.
#[derive(Debug)]
pub struct SuiteEvents<P> {
    viable: Viable<P>,
    confirmations: u64,
    poll: Duration,
    reader: Arc<Reader<P>>,
}

impl<P: Provider + Clone + 'static> SuiteEvents<P> {
    /// Events of `viable`'s deployment, each at least `confirmations` blocks deep,
    /// looking for new blocks every `poll` once caught up. A `ModuleSet` event makes
    /// `directory` (the executor's) read the directory again.
    pub fn new(
        viable: Viable<P>,
        directory: Directory,
        confirmations: u64,
        poll: Duration,
    ) -> Self {
        let reader = Arc::new(Reader::new(viable.clone(), directory));
        Self { viable, confirmations, poll, reader }
    }
}

/// Retry a mapping's reads a few times before giving the log back to the collector.
fn read_backoff() -> ExponentialBuilder {
    ExponentialBuilder::new()
        .with_min_delay(Duration::from_millis(100))
        .with_max_delay(Duration::from_secs(2))
        .with_max_times(4)
        .with_jitter()
}

impl<P: Provider + Clone + Send + Sync + 'static> EventSource for SuiteEvents<P> {
    type Stream = BoxStream<'static, Result<Event, SourceError>>;

    async fn open(&mut self, after: Cursor) -> Result<Self::Stream, SourceError> {
        let from = Checkpoint { block: after.block, log_index: after.log_index };
        let logs = self
            .viable
            .events(from)
            .confirmations(self.confirmations)
            .poll_interval(self.poll)
            .into_stream()
            .boxed();
        let state = (logs, self.reader.clone(), false);
        let events = futures_util::stream::unfold(state, |(mut logs, reader, ended)| async move {
            if ended {
                return None;
            }
            loop {
                let log = match logs.next().await? {
                    Ok(log) => log,
                    // The SDK stream keeps its position and retries by itself.
                    Err(e) => return Some((Err(e.into()), (logs, reader, false))),
                };
                let mapped = (|| reader.observe(&log))
                    .retry(read_backoff())
                    .when(|e: &viable::Error| !matches!(e, viable::Error::Unexpected(_)))
                    .await;
                match mapped {
                    Ok(mut all) if !all.is_empty() => {
                        let also = all.split_off(1);
                        let Some(observed) = all.pop() else { continue };
                        let event = Event {
                            cursor: Cursor::at(log.block_number, log.log_index),
                            tx_hash: log.tx_hash,
                            block_hash: log.block_hash,
                            observed,
                            also,
                        };
                        return Some((Ok(event), (logs, reader, false)));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let at = (log.block_number, log.log_index);
                        let err = format!("reading what log {at:?} means failed: {e}");
                        return Some((Err(err.into()), (logs, reader, true)));
                    }
                }
            }
        });
        Ok(events.boxed())
    }
}
