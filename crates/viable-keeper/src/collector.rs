//! Collectors: keep the run loop fed with events and heads, through faults.
//!
//! - Events go through a bounded `mpsc` channel: never dropped, and a slow loop slows
//!   the collector down (back-pressure) instead of making it lag.
//! - Heads go through a `watch` channel: only the newest head matters, so a loop that
//!   falls behind simply sees the latest one; lagging cannot happen.
//! - Timers are the run loop's own (the duties' [`crate::Duty::next_wakeup`]).
//!
//! The chain adapter implements [`EventSource`] and [`HeadSource`] over the SDK's
//! suite event stream and the provider's new-heads subscription or polling; the
//! functions here supervise them: an error item is logged and counted, a stream that
//! ends or fails to open is reopened after a backoff, from the last position forwarded.

use std::{error::Error as StdError, future::Future, time::Duration};

use backon::{BackoffBuilder, ExponentialBuilder};
use futures_util::{Stream, StreamExt};
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::{
    metrics,
    observed::{Cursor, Event, Head},
};

/// An error from a source; logged and counted, never fatal.
pub type SourceError = Box<dyn StdError + Send + Sync>;

/// Where events come from (the SDK's suite event stream, mapped to [`Event`]s).
pub trait EventSource: Send + 'static {
    /// The stream of events, in chain order, each at least `confirmations` deep.
    type Stream: Stream<Item = Result<Event, SourceError>> + Send + Unpin;

    /// Open a stream delivering every event after `after`.
    fn open(
        &mut self,
        after: Cursor,
    ) -> impl Future<Output = Result<Self::Stream, SourceError>> + Send;
}

/// Where new heads come from.
pub trait HeadSource: Send + 'static {
    /// The stream of new heads.
    type Stream: Stream<Item = Result<Head, SourceError>> + Send + Unpin;

    /// Open a stream of heads.
    fn open(&mut self) -> impl Future<Output = Result<Self::Stream, SourceError>> + Send;
}

/// Whether `next` simply extends the chain whose head was `prev`: higher, and (when
/// one block higher and the source gives hashes) the child of `prev`. A gap of several
/// blocks counts as extending: polling misses blocks on a fast chain.
fn extends(prev: &Head, next: &Head) -> bool {
    next.number > prev.number && (next.number != prev.number + 1 || next.parent_hash == prev.hash)
}

/// Backoff between reopenings of a source.
fn reopen_backoff() -> impl Iterator<Item = Duration> {
    ExponentialBuilder::new()
        .with_min_delay(Duration::from_millis(500))
        .with_max_delay(Duration::from_secs(30))
        .with_jitter()
        .without_max_times()
        .build()
}

/// Sleep `d` unless cancelled; `false` when cancelled.
async fn pause(d: Duration, cancel: &CancellationToken) -> bool {
    tokio::select! {
        _ = cancel.cancelled() => false,
        _ = tokio::time::sleep(d) => true,
    }
}

/// Forward events from `source` to `tx`, from just after `after`, until `cancel` fires
/// or the receiver is gone. Reopens the source after failures.
pub async fn run_events<S: EventSource>(
    mut source: S,
    after: Cursor,
    tx: mpsc::Sender<Event>,
    cancel: CancellationToken,
) {
    let mut last = after;
    let mut backoff = reopen_backoff();
    loop {
        let opened = tokio::select! {
            _ = cancel.cancelled() => return,
            o = source.open(last) => o,
        };
        match opened {
            Ok(mut stream) => loop {
                let item = tokio::select! {
                    _ = cancel.cancelled() => return,
                    item = stream.next() => item,
                };
                match item {
                    Some(Ok(event)) => {
                        let at = event.cursor;
                        if tx.send(event).await.is_err() {
                            return; // the run loop is gone
                        }
                        last = last.max(at);
                        backoff = reopen_backoff();
                    }
                    Some(Err(e)) => {
                        tracing::warn!(target: "viable::keeper", error = %e, "event source error");
                    }
                    None => {
                        tracing::warn!(target: "viable::keeper", ?last, "event stream ended; reopening");
                        break;
                    }
                }
            },
            Err(e) => {
                tracing::warn!(target: "viable::keeper", error = %e, "cannot open event source");
            }
        }
        metrics::collector_restart("events");
        let delay = backoff.next().unwrap_or(Duration::from_secs(30));
        if !pause(delay, &cancel).await {
            return;
        }
    }
}

/// Publish heads from `source` on `tx` until `cancel` fires or every receiver is gone.
/// Reopens the source after failures. A head older than the one published is ignored
/// (a node behind a load balancer may answer from behind).
pub async fn run_heads<S: HeadSource>(
    mut source: S,
    tx: watch::Sender<Option<Head>>,
    cancel: CancellationToken,
) {
    let mut backoff = reopen_backoff();
    // The last head received, and whether the source (re)opened or failed since.
    let mut prev: Option<Head> = None;
    let mut unsure = true;
    let (mut breaks, mut reconnects) = (0u64, 0u64);
    loop {
        let opened = tokio::select! {
            _ = cancel.cancelled() => return,
            o = source.open() => o,
        };
        match opened {
            Ok(mut stream) => loop {
                let item = tokio::select! {
                    _ = cancel.cancelled() => return,
                    item = stream.next() => item,
                };
                match item {
                    Some(Ok(mut head)) => {
                        if tx.is_closed() {
                            return;
                        }
                        if prev.is_some_and(|p| !extends(&p, &head)) {
                            breaks += 1;
                        }
                        if unsure {
                            reconnects += 1;
                        }
                        (head.breaks, head.reconnects) = (breaks, reconnects);
                        (prev, unsure) = (Some(head), false);
                        // A newer head, or any head after a break or a reconnect (even a
                        // lower one: the run loop must see the chain went back).
                        tx.send_if_modified(|cur| {
                            let send = cur.is_none_or(|c| {
                                head.number > c.number
                                    || breaks > c.breaks
                                    || reconnects > c.reconnects
                            });
                            if send {
                                *cur = Some(head);
                            }
                            send
                        });
                        backoff = reopen_backoff();
                    }
                    Some(Err(e)) => {
                        unsure = true;
                        tracing::warn!(target: "viable::keeper", error = %e, "head source error");
                    }
                    None => break,
                }
            },
            Err(e) => {
                tracing::warn!(target: "viable::keeper", error = %e, "cannot open head source")
            }
        }
        unsure = true;
        metrics::collector_restart("heads");
        let delay = backoff.next().unwrap_or(Duration::from_secs(30));
        if !pause(delay, &cancel).await {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use alloy_primitives::{B256, U256};
    use futures_util::stream;

    use super::*;
    use crate::observed::{Observed, WorkObserved};

    fn event(block: u64) -> Event {
        Event {
            cursor: Cursor::at(block, 0),
            tx_hash: None,
            block_hash: None,
            observed: Observed::Work(WorkObserved::PacketPending {
                packet_id: U256::from(block),
                deadline: 0,
            }),
            also: Vec::new(),
        }
    }

    /// Fails to open once, then yields two events and an error and ends; then yields
    /// the rest. Records where each opening started.
    struct Flaky {
        opens: Arc<Mutex<Vec<Cursor>>>,
    }

    impl EventSource for Flaky {
        type Stream = stream::Iter<std::vec::IntoIter<Result<Event, SourceError>>>;

        async fn open(&mut self, after: Cursor) -> Result<Self::Stream, SourceError> {
            let n = {
                let mut opens = self.opens.lock().unwrap();
                opens.push(after);
                opens.len()
            };
            match n {
                1 => Err("connection refused".into()),
                2 => Ok(stream::iter(vec![Ok(event(1)), Ok(event(2)), Err("timeout".into())])),
                _ => Ok(stream::iter(vec![Ok(event(3))])),
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn events_survive_open_failures_and_resume_after_the_last_forwarded() {
        let opens = Arc::new(Mutex::new(Vec::new()));
        let (tx, mut rx) = mpsc::channel(8);
        let cancel = CancellationToken::new();
        let task = tokio::spawn(run_events(
            Flaky { opens: opens.clone() },
            Cursor::start_of(1),
            tx,
            cancel.clone(),
        ));
        let mut got = Vec::new();
        for _ in 0..3 {
            got.push(rx.recv().await.unwrap().cursor.block);
        }
        assert_eq!(got, vec![1, 2, 3]);
        cancel.cancel();
        task.await.unwrap();
        let opens = opens.lock().unwrap().clone();
        assert_eq!(&opens[..3], &[Cursor::start_of(1), Cursor::start_of(1), Cursor::at(2, 0)]);
    }

    #[tokio::test]
    async fn events_stop_when_the_loop_is_gone() {
        let opens = Arc::new(Mutex::new(vec![Cursor::default()])); // skip the failing open
        let (tx, rx) = mpsc::channel(1);
        drop(rx);
        run_events(Flaky { opens }, Cursor::default(), tx, CancellationToken::new()).await;
    }

    struct Heads(Vec<u64>);

    impl HeadSource for Heads {
        type Stream = stream::Iter<std::vec::IntoIter<Result<Head, SourceError>>>;

        async fn open(&mut self) -> Result<Self::Stream, SourceError> {
            let items = self
                .0
                .drain(..)
                .map(|n| Ok(Head { number: n, timestamp: n * 12, ..Head::default() }))
                .collect::<Vec<_>>();
            Ok(stream::iter(items))
        }
    }

    /// Run the head collector over `numbers`; the last head it forwarded, as
    /// (number, breaks, reconnects).
    async fn last_forwarded(numbers: Vec<u64>) -> Option<(u64, u64, u64)> {
        let (tx, mut rx) = watch::channel(None);
        let cancel = CancellationToken::new();
        let task = tokio::spawn(run_heads(Heads(numbers), tx, cancel.clone()));
        rx.changed().await.unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
        let last = rx.borrow().map(|h| (h.number, h.breaks, h.reconnects));
        cancel.cancel();
        task.await.unwrap();
        last
    }

    #[tokio::test(start_paused = true)]
    async fn heads_keep_the_newest_and_count_breaks() {
        // The first head after opening is a reconnect; gaps are not breaks.
        assert_eq!(last_forwarded(vec![5, 7, 9]).await, Some((9, 0, 1)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_head_that_goes_back_is_forwarded_as_a_break() {
        assert_eq!(last_forwarded(vec![5, 7, 6]).await, Some((6, 1, 1)));
    }

    #[test]
    fn a_head_extends_its_parent_only() {
        let h = |number, hash: u8, parent: u8| Head {
            number,
            hash: B256::repeat_byte(hash),
            parent_hash: B256::repeat_byte(parent),
            ..Head::default()
        };
        assert!(extends(&h(5, 5, 4), &h(6, 6, 5)));
        assert!(!extends(&h(5, 5, 4), &h(6, 6, 9)), "another parent: a fork");
        assert!(!extends(&h(5, 5, 4), &h(5, 8, 4)), "same height, new hash");
        assert!(!extends(&h(5, 5, 4), &h(3, 3, 2)), "went back");
        assert!(extends(&h(5, 5, 4), &h(9, 9, 8)), "a gap is not checked");
    }
}
