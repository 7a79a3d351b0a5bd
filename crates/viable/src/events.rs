//! One typed event stream for the whole suite, and the bounded `eth_getLogs` scans
//! the handles use.
//!
//! [`Viable::events`] backfills from a block through `eth_getLogs` in bounded block
//! ranges over the constitution and every module in its directory, then follows new
//! blocks. Every log is decoded by its module's generated events enum into one
//! [`SuiteEvent`], and delivered once, in chain order, with its block, log index and
//! transaction. Only blocks at least `confirmations` deep are read, so a reorg
//! shallower than that never delivers a log twice. Each delivered [`SuiteLog`] carries
//! its [`Checkpoint`]; a stream started from a saved checkpoint resumes right after it.
//!
//! The address set follows the directory: when a `ModuleSet` amendment re-points a
//! slot, logs of the new module are delivered from that event on, and the old
//! module's are not.

use std::{collections::VecDeque, time::Duration};

use alloy::{
    primitives::{Address, B256, TxHash},
    providers::Provider,
    rpc::types::{Filter, Log},
    transports::{RpcError, TransportErrorKind},
};
use futures_util::Stream;
use serde::{Deserialize, Serialize};

use crate::{
    bindings::LegitimacyConstitution,
    deployment::Module,
    error::{Error, Result},
    suite::{Source, SuiteEvent},
    viable::Viable,
};

/// Blocks per `eth_getLogs` request unless configured otherwise. A node that refuses
/// a range gets half of it, down to one block.
pub const DEFAULT_PAGE_BLOCKS: u64 = 2_000;
/// Blocks a log must be buried under before the stream delivers it, by default.
pub const DEFAULT_CONFIRMATIONS: u64 = 2;
/// How often the stream asks for new blocks once it has caught up, by default.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(4);
/// Most view calls a handle's list reads keep in flight at once.
pub const READ_CONCURRENCY: usize = 16;

/// A position in the chain's log order: everything up to and including
/// `(block, log_index)` has been delivered. `log_index: None` means nothing of
/// `block` yet, so `Checkpoint::from(block)` starts at the beginning of `block`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Checkpoint {
    /// Block number.
    pub block: u64,
    /// Index of the last delivered log in the block (`None`: none yet).
    pub log_index: Option<u64>,
}

impl From<u64> for Checkpoint {
    fn from(block: u64) -> Self {
        Self { block, log_index: None }
    }
}

/// One decoded event with where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SuiteLog {
    /// The event.
    pub event: SuiteEvent,
    /// The emitting contract.
    pub address: Address,
    /// Block number.
    pub block_number: u64,
    /// Block hash, when the node gives it.
    pub block_hash: Option<B256>,
    /// Index of the log in its block.
    pub log_index: u64,
    /// The transaction that emitted it, when the node gives it.
    pub tx_hash: Option<TxHash>,
}

impl SuiteLog {
    /// The checkpoint to save after handling this log: a stream started from it
    /// resumes with the next log.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint { block: self.block_number, log_index: Some(self.log_index) }
    }
}

impl<P: Provider + Clone + 'static> Viable<P> {
    /// The suite's events from `from` (a block number, or a saved [`Checkpoint`]).
    /// Configure it, then take [`EventStream::into_stream`] (backfill, then follow)
    /// or call [`EventStream::backfill`].
    pub fn events(&self, from: impl Into<Checkpoint>) -> EventStream<P> {
        EventStream {
            viable: self.clone(),
            delivered: from.into(),
            next_block: None,
            confirmations: DEFAULT_CONFIRMATIONS,
            page: DEFAULT_PAGE_BLOCKS,
            poll: DEFAULT_POLL_INTERVAL,
            directory: None,
            buffer: VecDeque::new(),
        }
    }
}

/// The suite's event stream; see the [module docs](self).
#[derive(Debug)]
pub struct EventStream<P> {
    viable: Viable<P>,
    /// The last position handed out.
    delivered: Checkpoint,
    /// The first block the next scan reads (`None`: `delivered.block`).
    next_block: Option<u64>,
    confirmations: u64,
    page: u64,
    poll: Duration,
    /// Addresses being read and what sits there (`None` until first scan).
    directory: Option<Vec<(Address, Source)>>,
    buffer: VecDeque<SuiteLog>,
}

impl<P: Provider + Clone + 'static> EventStream<P> {
    /// Deliver only logs at least `n` blocks below the head (0: up to the head).
    pub fn confirmations(mut self, n: u64) -> Self {
        self.confirmations = n;
        self
    }

    /// Read at most `blocks` blocks per `eth_getLogs` request (at least 1).
    pub fn page_size(mut self, blocks: u64) -> Self {
        self.page = blocks.max(1);
        self
    }

    /// Once caught up, look for new blocks this often.
    pub fn poll_interval(mut self, every: Duration) -> Self {
        self.poll = every;
        self
    }

    /// Everything delivered so far ends at this position.
    pub fn checkpoint(&self) -> Checkpoint {
        self.delivered
    }

    /// Every event from the current position up to the confirmed head, in order.
    pub async fn backfill(&mut self) -> Result<Vec<SuiteLog>> {
        let mut out = Vec::new();
        loop {
            while let Some(log) = self.pop() {
                out.push(log);
            }
            if !self.fill().await? {
                return Ok(out);
            }
        }
    }

    /// Backfill, then follow new blocks, forever. A failed request is yielded as an
    /// `Err` and retried after the poll interval; the stream never ends by itself.
    pub fn into_stream(self) -> impl Stream<Item = Result<SuiteLog>> + Send + use<P>
    where
        P: Send + Sync,
    {
        futures_util::stream::unfold((self, false), |(mut s, mut backoff)| async move {
            loop {
                if let Some(log) = s.pop() {
                    return Some((Ok(log), (s, false)));
                }
                if backoff {
                    tokio::time::sleep(s.poll).await;
                    backoff = false;
                }
                match s.fill().await {
                    Ok(true) => {}
                    Ok(false) => tokio::time::sleep(s.poll).await,
                    Err(e) => return Some((Err(e), (s, true))),
                }
            }
        })
    }

    /// The next event up to the confirmed head, reading pages until one is found;
    /// `None` once caught up (the stream stays where it is, so a later call goes on).
    pub async fn next_log(&mut self) -> Result<Option<SuiteLog>> {
        loop {
            if let Some(log) = self.pop() {
                return Ok(Some(log));
            }
            if !self.fill().await? {
                return Ok(None);
            }
        }
    }

    fn pop(&mut self) -> Option<SuiteLog> {
        let log = self.buffer.pop_front()?;
        self.delivered = log.checkpoint();
        Some(log)
    }

    /// Scan one page. `Ok(false)`: nothing left below the confirmed head.
    async fn fill(&mut self) -> Result<bool> {
        let provider = self.viable.provider().clone();
        let head = provider.get_block_number().await?;
        let safe = match head.checked_sub(self.confirmations) {
            Some(b) => b,
            None => return Ok(false),
        };
        let from = self.next_block.unwrap_or(self.delivered.block);
        if from > safe {
            return Ok(false);
        }
        if self.directory.is_none() {
            self.directory = Some(self.directory_before(from).await?);
        }
        let addresses: Vec<Address> = self.directory.iter().flatten().map(|(a, _)| *a).collect();
        let to = safe.min(from.saturating_add(self.page - 1));
        let filter = Filter::new().address(addresses);
        let mut page = get_logs(&provider, &filter, from, to, self.page).await?;
        self.page = page.size;
        page.logs.sort_by_key(|l| (l.block_number, l.log_index));
        // The node may have been given fewer blocks than asked, if it refused the range.
        self.next_block = Some(page.last_block + 1);
        for log in page.logs {
            if log.removed {
                continue;
            }
            let (Some(block), Some(index)) = (log.block_number, log.log_index) else {
                return Err(Error::Unexpected("a log without block number or index".into()));
            };
            let at = Checkpoint { block, log_index: Some(index) };
            let address = log.address();
            let Some(source) = self.source_of(address) else { continue };
            let event = match SuiteEvent::decode(source, log.topics(), &log.data().data) {
                Some(Ok(e)) => e,
                Some(Err(e)) => {
                    return Err(Error::Unexpected(format!(
                        "log {index} of block {block} from {address} does not decode: {e}"
                    )));
                }
                None => continue,
            };
            let moved = self.apply(&event);
            if at > self.delivered {
                self.buffer.push_back(SuiteLog {
                    event,
                    address,
                    block_number: block,
                    block_hash: log.block_hash,
                    log_index: index,
                    tx_hash: log.transaction_hash,
                });
            }
            if moved {
                // The address set changed mid-page: read on from this block with it.
                // Logs of this block up to here are skipped when it is read again.
                self.next_block = Some(block);
                break;
            }
        }
        Ok(true)
    }

    fn source_of(&self, address: Address) -> Option<Source> {
        self.directory.iter().flatten().find(|(a, _)| *a == address).map(|(_, s)| *s)
    }

    /// Apply a directory change; whether the address set changed.
    fn apply(&mut self, event: &SuiteEvent) -> bool {
        let SuiteEvent::Constitution(
            LegitimacyConstitution::LegitimacyConstitutionEvents::ModuleSet(m),
        ) = event
        else {
            return false;
        };
        let Ok(slot) = Module::try_from(m.module) else { return false };
        let source = Source::Directory(slot);
        let dir = self.directory.get_or_insert_with(Vec::new);
        let wanted = (!m.newAddress.is_zero() && SuiteEvent::knows(source)).then_some(m.newAddress);
        let current = dir.iter().find(|(_, s)| *s == source).map(|(a, _)| *a);
        // Compared by slot, not by position: re-reading a block must not count as a change
        // (that would re-read it forever).
        if current == wanted {
            return false;
        }
        dir.retain(|(_, s)| *s != source);
        if let Some(address) = wanted {
            dir.push((address, source));
        }
        true
    }

    /// The address set as it stood before `block`: the constitution, plus the
    /// directory as of the end of `block - 1` (empty at or before the deployment
    /// block: bootstrap's `ModuleSet` events fill it).
    async fn directory_before(&self, block: u64) -> Result<Vec<(Address, Source)>> {
        let d = self.viable.deployment();
        let mut out = vec![(d.constitution, Source::Root)];
        if block <= d.deploy_block {
            return Ok(out);
        }
        let provider = self.viable.provider();
        let c = LegitimacyConstitution::new(d.constitution, provider.clone());
        let modules = match c.modules().block((block - 1).into()).call().await {
            Ok(modules) => modules,
            // The node no longer has that block's state (a full node prunes it after
            // some blocks; an anvil restored from a dump has none from before the
            // dump). Logs are kept: replay the directory's ModuleSet events instead.
            // (A node behind that block would lack its logs too: `state_gone` says so.)
            Err(e) => {
                state_gone(provider, e.into(), block - 1).await?;
                tracing::debug!(block, "directory state unavailable; replaying ModuleSet");
                directory_from_events(provider, d.constitution, d.deploy_block, block - 1).await?
            }
        };
        for m in Module::ALL {
            let a = modules[m.index()];
            if !a.is_zero() && SuiteEvent::knows(Source::Directory(m)) {
                out.push((a, Source::Directory(m)));
            }
        }
        Ok(out)
    }
}

/// `read` as of the end of `block`; if the node has no state for that block any more (a
/// full node prunes it; an anvil loaded from a dump has none from before the dump), as of
/// the node's current head instead: a later state, never an earlier one.
///
/// The node's refusal is an error answer that is neither a revert nor a rate limit. If
/// the node's head is below `block` (a lagging backend that has not reached it), the
/// refusal is returned as a retryable [`Error::Transport`]: reading "latest" there would
/// give a state older than the block. The fallback reads at the head's number, so several
/// reads inside one `read` see one block.
pub async fn read_at_or_after<P, T, F, Fut>(provider: &P, block: u64, read: F) -> Result<T>
where
    P: Provider,
    F: Fn(alloy::eips::BlockId) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    use alloy::eips::BlockId;
    match read(BlockId::number(block)).await {
        Err(e) => {
            let head = state_gone(provider, e, block).await?;
            tracing::debug!(block, head, "no state at the block; reading at the head");
            read(BlockId::number(head)).await
        }
        ok => ok,
    }
}

/// The node's head, if `err` is its refusal of a read as of `block` for want of state:
/// an error answer that is neither a revert nor a rate limit, from a node whose head is
/// at or past `block`. From a node behind `block` the refusal comes back as a retryable
/// error; any other error comes back as it is.
async fn state_gone<P: Provider>(provider: &P, err: Error, block: u64) -> Result<u64> {
    match err {
        Error::Transport { source, retryable: false } if source.as_error_resp().is_some() => {
            let head = provider.get_block_number().await?;
            if head < block {
                return Err(Error::Transport { source, retryable: true });
            }
            Ok(head)
        }
        other => Err(other),
    }
}

/// The directory at the end of block `to`, from the constitution's `ModuleSet` events
/// since `from` (its deployment block): each event's new address replaces its slot's.
async fn directory_from_events<P: Provider>(
    provider: &P,
    constitution: Address,
    from: u64,
    to: u64,
) -> Result<[Address; 4]> {
    use alloy::sol_types::SolEvent;
    let filter = Filter::new()
        .address(constitution)
        .event_signature(LegitimacyConstitution::ModuleSet::SIGNATURE_HASH);
    let mut logs = scan(provider, &filter, from, to).await?;
    logs.sort_by_key(|l| (l.block_number, l.log_index));
    let mut modules = [Address::ZERO; 4];
    for log in logs.iter().filter(|l| !l.removed) {
        let set = log
            .log_decode::<LegitimacyConstitution::ModuleSet>()
            .map_err(|e| Error::Unexpected(format!("a ModuleSet log does not decode: {e}")))?;
        if let Ok(slot) = Module::try_from(set.inner.module) {
            modules[slot.index()] = set.inner.newAddress;
        }
    }
    Ok(modules)
}

/// `read` applied to every item, at most [`READ_CONCURRENCY`] calls in flight, the
/// answers in the items' order; the first error ends it.
pub(crate) async fn batched<I, T, F, Fut>(items: I, read: F) -> Result<Vec<T>>
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    use futures_util::{StreamExt, TryStreamExt};
    futures_util::stream::iter(items).map(read).buffered(READ_CONCURRENCY).try_collect().await
}

/// What one `eth_getLogs` read.
struct Page {
    logs: Vec<Log>,
    /// The last block of the range read.
    last_block: u64,
    /// The range size the node accepted.
    size: u64,
}

/// One `eth_getLogs` from `from` (at most `page` blocks, not past `to`), halving the
/// range while the node refuses it.
async fn get_logs<P: Provider>(
    provider: &P,
    filter: &Filter,
    from: u64,
    to: u64,
    mut page: u64,
) -> Result<Page> {
    loop {
        let end = to.min(from.saturating_add(page - 1));
        let f = filter.clone().from_block(from).to_block(end);
        match provider.get_logs(&f).await {
            Ok(logs) => return Ok(Page { logs, last_block: end, size: page }),
            Err(e) if page > 1 && refused(&e) => page /= 2,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Whether the node answered the request with an error (too many results, range too
/// wide, …) rather than failing to answer.
fn refused(e: &RpcError<TransportErrorKind>) -> bool {
    matches!(e, RpcError::ErrorResp(_))
}

/// Every log matching `filter` from `from` to `to`, oldest first, in pages.
pub(crate) async fn scan<P: Provider>(
    provider: &P,
    filter: &Filter,
    from: u64,
    to: u64,
) -> Result<Vec<Log>> {
    let mut out = Vec::new();
    let mut next = from;
    let mut page = DEFAULT_PAGE_BLOCKS;
    while next <= to {
        let read = get_logs(provider, filter, next, to, page).await?;
        page = read.size;
        out.extend(read.logs);
        next = read.last_block + 1;
    }
    Ok(out)
}

/// The newest logs matching `filter` between `from` and `to`, newest first, reading
/// pages backwards from `to` and stopping once `want` are found.
pub(crate) async fn scan_back<P: Provider>(
    provider: &P,
    filter: &Filter,
    from: u64,
    to: u64,
    want: usize,
) -> Result<Vec<Log>> {
    let mut out = Vec::new();
    let mut end = to;
    let mut page = DEFAULT_PAGE_BLOCKS;
    while out.len() < want && end >= from {
        let start = end.saturating_sub(page - 1).max(from);
        let f = filter.clone().from_block(start).to_block(end);
        match provider.get_logs(&f).await {
            Ok(mut logs) => {
                logs.sort_by_key(|l| (l.block_number, l.log_index));
                out.extend(logs.into_iter().rev());
                if start == 0 {
                    break;
                }
                end = start - 1;
            }
            Err(e) if page > 1 && refused(&e) => page /= 2,
            Err(e) => return Err(e.into()),
        }
    }
    out.truncate(want);
    Ok(out)
}
